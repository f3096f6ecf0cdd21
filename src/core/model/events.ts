/**
 * The CloudEvents 1.0 event polybus publishes and its per-event results. No provider names, no
 * I/O; it must never fill an event field the caller did not give except `id` and `time` (and say so).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AMBIGUOUS_CODES, type ErrorCode, type PolybusError } from './errors.js';

/** CloudEvents attribute names: lower-case letters and digits, at most 20 characters (spec 1.0). */
const ATTRIBUTE_NAME = /^[a-z0-9]{1,20}$/;
/** The context attributes and data members CloudEvents 1.0 defines (the rest are extensions). */
export const CLOUDEVENT_MEMBERS = [
  'id',
  'source',
  'specversion',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'data',
  'data_base64',
] as const;
const KNOWN = new Set<string>(CLOUDEVENT_MEMBERS);

/** RFC 3339 timestamp as CloudEvents `time` requires. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A CloudEvent 1.0 in JSON format, as polybus publishes it: `id`, `source`, `specversion` (1.0)
 * and `type` required; `subject`, `time` (RFC 3339), `datacontenttype`, `dataschema`, `data` or
 * `data_base64` optional; extensions are top-level members with CloudEvents attribute names.
 */
export const PublishEventSchema = z
  .looseObject({
    id: z.string('id is required (CloudEvents 1.0)').min(1, 'id is required (CloudEvents 1.0)'),
    source: z.string('source is required (CloudEvents 1.0)').min(1, 'source is required (CloudEvents 1.0)'),
    specversion: z.literal('1.0', 'specversion must be "1.0" (CloudEvents 1.0)'),
    type: z.string('type is required (CloudEvents 1.0)').min(1, 'type is required (CloudEvents 1.0)'),
    subject: z.string('subject is a string (CloudEvents 1.0)').min(1).optional(),
    time: z
      .string('time is an RFC 3339 timestamp (CloudEvents 1.0)')
      .regex(RFC3339, 'time is an RFC 3339 timestamp (CloudEvents 1.0)')
      .optional(),
    datacontenttype: z.string().min(1, 'datacontenttype is a media type (RFC 2046)').optional(),
    dataschema: z.string().min(1).optional(),
    data: z.unknown().optional(),
    data_base64: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.data !== undefined && e.data_base64 !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['data_base64'],
        message: 'data and data_base64 are exclusive (CloudEvents JSON format)',
      });
    for (const key of Object.keys(e))
      if (!KNOWN.has(key) && !ATTRIBUTE_NAME.test(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `extension ${key}: CloudEvents attribute names are lower-case letters and digits, at most 20`,
        });
  });
/** A {@link PublishEventSchema} value. */
export type CloudEvent = z.infer<typeof PublishEventSchema>;

/** The extension attributes of an event (members CloudEvents 1.0 does not define). */
export function extensionsOf(event: CloudEvent): string[] {
  return Object.keys(event).filter((k) => !KNOWN.has(k));
}

/** True when `datacontenttype` says JSON (absent means JSON in the JSON event format). */
export function isJsonContentType(ct: string | undefined): boolean {
  if (ct === undefined) return true;
  const base = ct.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json') || base === 'text/json';
}

/** A normalized per-event failure: the code, the message, the field when one is at fault. */
export interface PublishFailure {
  code: ErrorCode;
  message: string;
  /** The event member at fault (`source`, `data`, an extension name, `entry` for the size limit). */
  field?: string;
  retryable: boolean;
  /** The provider's own code where it gave one (`ErrorCode` of EventBridge, `error_code` of EG). */
  providerCode?: string;
  /**
   * The request's answer was lost (a timeout, a reset, a 5xx): the event may have been published.
   * Resending may publish it twice (consumers that dedupe by `source` + `id` are safe).
   */
  outcomeUnknown?: true;
}

/**
 * The failure each event of a request gets when the whole request failed. It is not retryable
 * here (the transport already retried what was safe); an ambiguous failure says the event may
 * have been published.
 */
export function requestFailure(err: PolybusError): PublishFailure {
  const unknown = AMBIGUOUS_CODES.has(err.code);
  return {
    code: err.code,
    message: unknown
      ? `${err.message} (the answer was lost: the event may have been published, and resending may publish it twice)`
      : err.message,
    retryable: false,
    ...(err.providerCode ? { providerCode: err.providerCode } : {}),
    ...(unknown ? { outcomeUnknown: true as const } : {}),
  };
}

/** One result per event, in input order. */
export type PublishResult =
  | {
      index: number;
      ok: true;
      /** The CloudEvents id you published. */
      id: string;
      /** The id the provider assigned, where it assigns its own (EventBridge EventId). */
      providerId?: string;
      /** What the provider did not carry, said plainly (e.g. "Tencent assigns its own event id"). */
      notes?: string[];
    }
  | { index: number; ok: false; id?: string; error: PublishFailure };

/** One line of input that did not become an event: where (1-based line or index) and why. */
export interface EventInputIssue {
  position: number;
  field: string;
  message: string;
}

/**
 * Completes and validates one raw event: `specversion` must be given; `id` (a UUID) and `time`
 * (now) are generated when absent and listed in `generated`.
 */
export function prepareEvent(
  raw: unknown,
  now: () => Date = () => new Date(),
): { ok: true; event: CloudEvent; generated: string[] } | { ok: false; field: string; message: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, field: 'event', message: 'an event is a JSON object (CloudEvents JSON format)' };
  const input = { ...(raw as Record<string, unknown>) };
  const generated: string[] = [];
  if (input.id === undefined) {
    input.id = randomUUID();
    generated.push('id');
  }
  if (input.time === undefined) {
    input.time = now().toISOString();
    generated.push('time');
  }
  const parsed = PublishEventSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, field: issue.path.join('.') || 'event', message: issue.message };
  }
  return { ok: true, event: parsed.data, generated };
}

/** A failure result for an event refused before any request (the field and the rule). */
export function refusedEvent(
  index: number,
  id: string | undefined,
  field: string,
  message: string,
): PublishResult {
  return {
    index,
    ok: false,
    ...(id ? { id } : {}),
    error: { code: 'InvalidArgument', field, message, retryable: false },
  };
}
