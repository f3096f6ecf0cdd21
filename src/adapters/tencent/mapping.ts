/**
 * Neutral <-> Tencent EventBridge mapping, and the input rules from the API reference. Native
 * fields with no neutral home go to `extensions.tencent`; nothing here touches the network.
 */
import { z } from 'zod';
import { validateEventPattern } from './routing.js';
import { invalidArgument, unsupported } from '../../core/model/errors.js';
import {
  type Bus,
  type Connection,
  type Integration,
  nativeExtensions,
  TagsSchema,
} from '../../core/model/resources.js';
import { compact, toIsoTime } from '../../core/runtime/parse.js';
import { SpecFilterSchema } from '../../core/model/filter.js';
import {
  DeliverySchema,
  exactlyOneFilter,
  type NativeFilter,
  TargetsSchema,
} from '../../core/model/routing.js';
import type { TencentConnection, TencentEventBus, TencentRule, TencentTarget } from './client.js';
import {
  filterFromEventPattern,
  type TencentTargetRow,
  type TencentTransformationRead,
  tencentTargetsToNeutral,
} from './routing.js';
import { TENCENT_TRANSFORMATION_TAG } from './tags.js';

const P = 'tencent';

// EventBusName / RuleName rule, quoted from CreateEventBus and CreateRule.
const NAME_RULE =
  'must be 2-60 letters, digits, underscores and hyphens, start with a letter and end with a letter or digit';
const tencentName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/, NAME_RULE);
const description = z.string().max(200, 'can contain up to 200 characters');
// Tags of buses and rules go through the tag service (tag keys 1-127 characters, values up to
// 255, at most 50 tags per resource, no control characters); connectors' tags are refused by the
// capability guard.
const noTags = z
  .record(
    TagsSchema.keyType.min(1, 'tag keys are 1-127 characters').max(127, 'tag keys are 1-127 characters'),
    TagsSchema.valueType.max(255, 'tag values are at most 255 characters'),
  )
  .refine((t) => Object.keys(t).length <= 50, 'a resource holds at most 50 tags')
  .optional();
// A rule keeps one tag for polybus's transformation reference (tags.ts): the user has the other 49.
const ruleTags = noTags.unwrap().superRefine((t, ctx) => {
  if (TENCENT_TRANSFORMATION_TAG in t)
    ctx.addIssue({
      code: 'custom',
      path: [TENCENT_TRANSFORMATION_TAG],
      message: `tag key ${TENCENT_TRANSFORMATION_TAG} is reserved: polybus keeps the rule's TransformationId there`,
    });
  else if (Object.keys(t).length > 49)
    ctx.addIssue({
      code: 'custom',
      message: `a resource holds at most 50 tags, and a rule keeps one (${TENCENT_TRANSFORMATION_TAG}) for polybus: at most 49`,
    });
});

/**
 * The documented writable native fields per kind (`extensions.tencent`), from CreateEventBus /
 * UpdateEventBus, CreateRule / UpdateRule and CreateConnection / UpdateConnection. Read-only
 * fields (ids, Type, LinkMode, PayMode, Status, times) are never accepted nor read back here.
 */
export const TENCENT_EXTENSIONS = {
  bus: {
    EnableStore: z.boolean('EnableStore must be a boolean (whether to enable log storage)').optional(),
    LogTopicId: z.string('LogTopicId must be a string (the EventBridge log topic ID)').min(1).optional(),
  },
  integration: {
    Enable: z.boolean('Enable must be a boolean (the rule switch)').optional(),
    /** The native filter escape hatch: the rule's EventPattern, instead of a neutral `filter`. */
    EventPattern: z.unknown().superRefine(eventPatternIssues).optional(),
  },
  connection: {
    Enable: z.boolean('Enable must be a boolean (the connector switch)').optional(),
    APIGWParams: z
      .strictObject({
        Protocol: z.string('APIGWParams.Protocol is required (HTTPS)'),
        Method: z.string('APIGWParams.Method is required (POST)'),
      })
      .optional(),
    CkafkaParams: z
      .strictObject({
        Offset: z.string('CkafkaParams.Offset is required (kafka offset)'),
        TopicName: z.string('CkafkaParams.TopicName is required (ckafka topic)'),
      })
      .optional(),
    DTSParams: z.record(z.string(), z.unknown()).optional(),
  },
} as const;

/** Bus input rules (CreateEventBus). */
export const TencentBusInput = z.object({
  name: tencentName,
  description: description.optional(),
  retentionDays: z.number().int().positive('SaveDays must be a positive integer').optional(),
  tags: noTags,
  extensions: nativeExtensions(P, 'bus', TENCENT_EXTENSIONS.bus),
});

/**
 * A native EventPattern as written in `extensions.tencent.EventPattern`: the pattern as a JSON
 * object (what export writes), or that object serialized as the JSON string CreateRule takes.
 * Undefined when it is neither.
 */
export function eventPatternOf(native: unknown): Record<string, unknown> | undefined {
  if (typeof native === 'string') return parsePattern(native);
  return native && typeof native === 'object' && !Array.isArray(native)
    ? (native as Record<string, unknown>)
    : undefined;
}

/** The Event Pattern page's rules for a native EventPattern, as zod issues naming the field. */
function eventPatternIssues(native: unknown, ctx: z.RefinementCtx): void {
  const add = (message: string) => ctx.addIssue({ code: 'custom', message });
  if (typeof native === 'string') {
    try {
      JSON.parse(native);
    } catch (err) {
      return add(`EventPattern is not valid JSON: ${(err as Error).message}`);
    }
  }
  const pattern = eventPatternOf(native);
  if (!pattern)
    return add(
      'EventPattern must be a JSON object shaped like the event (or that object as a JSON string, as CreateRule takes it)',
    );
  if (!Object.keys(pattern).length)
    return add(
      'EventPattern must not be empty: {} names no field (matched events must contain every field the pattern lists)',
    );
  for (const problem of validateEventPattern(pattern))
    add(`EventPattern ${problem} (Tencent "Event Pattern" rules)`);
}

/**
 * Tencent's native filter: `extensions.tencent.EventPattern`. Compared as the parsed pattern; read
 * back as the neutral filter when the pattern has an exact neutral reading.
 */
export const tencentNativeFilter: NativeFilter = {
  field: 'EventPattern',
  normalize: eventPatternOf,
  toNeutral: (native) => {
    const pattern = eventPatternOf(native);
    return pattern ? filterFromEventPattern(pattern) : undefined;
  },
};

/** Integration input fields (CreateRule). */
export const TencentIntegrationFields = z.object({
  name: tencentName,
  description: description.optional(),
  bus: z.string().min(1, 'EventBusId is required'),
  /**
   * Neutral filter (or the `{ source }` shorthand): it becomes the rule's EventPattern. Exactly
   * one of it or the native `extensions.tencent.EventPattern`.
   */
  filter: SpecFilterSchema.optional(),
  /** CreateTarget targets (0-5); the routing translator checks kinds and limits. */
  targets: TargetsSchema.optional(),
  delivery: DeliverySchema.optional(),
  tags: ruleTags.optional(),
  clientToken: z.string().optional(),
  enabled: z.boolean('enabled must be a boolean (the rule switch, Enable)').optional(),
  extensions: nativeExtensions(P, 'integration', TENCENT_EXTENSIONS.integration),
});

/** Integration input rules (CreateRule): exactly one of `filter` or `extensions.tencent.EventPattern`. */
export const TencentIntegrationInput = TencentIntegrationFields.superRefine(
  exactlyOneFilter(P, 'EventPattern'),
);

/** Integration patch rules (UpdateRule): any subset, but never both filters. */
export const TencentIntegrationPatch = TencentIntegrationFields.partial().superRefine(
  exactlyOneFilter(P, 'EventPattern', { partial: true }),
);

/** Connector types the reference names. */
export const TENCENT_CONNECTION_TYPES = ['tdmq', 'ckafka', 'apigw', 'dts'] as const;

/** Connection input rules (CreateConnection). */
export const TencentConnectionInput = z.object({
  name: z
    .string()
    .min(1, 'ConnectionName is required')
    .max(60, 'ConnectionName can contain up to 60 characters'),
  description: description.optional(),
  bus: z
    .string({ error: 'EventBusId is required: Tencent connectors belong to a bus' })
    .min(1, 'EventBusId is required'),
  kind: z.enum(TENCENT_CONNECTION_TYPES, {
    error: `Type must be one of ${TENCENT_CONNECTION_TYPES.join(', ')}`,
  }),
  endpoint: z
    .string({ error: 'ConnectionDescription.ResourceDescription is required' })
    .startsWith(
      'qcs::',
      'ConnectionDescription.ResourceDescription must be a six-segment QCS resource description (qcs::...)',
    ),
  tags: noTags,
  enabled: z.boolean('enabled must be a boolean (the connector switch, Enable)').optional(),
  extensions: nativeExtensions(P, 'connection', TENCENT_EXTENSIONS.connection),
});

/** Splits a `busId/childId` id. */
export function splitChildId(id: string, operation: string): { busId: string; childId: string } {
  const [busId, childId, ...rest] = id.split('/');
  if (!busId || !childId || rest.length) {
    throw invalidArgument(P, operation, [
      { field: 'id', rule: 'Tencent rule and connector ids are `EventBusId/ChildId`' },
    ]);
  }
  checkTencentId(busId, operation);
  checkTencentId(childId, operation);
  return { busId, childId };
}

/** Refuses an id that is not a Tencent resource id (`eb-…`, `rule-…`, `conn-…`) before any request. */
export function checkTencentId(id: string, operation: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id))
    throw invalidArgument(P, operation, [
      { field: 'id', rule: 'Tencent ids are 1-128 letters, digits, `-` and `_` (e.g. eb-xxxxxxxx)' },
    ]);
  return id;
}

/** Refuses neutral settings Tencent cannot express instead of dropping them silently. */
export function rejectUnsupportedConnectionSettings(
  input: { network?: unknown; kafka?: unknown },
  operation: string,
): void {
  if (input.network)
    throw unsupported(P, operation, 'Tencent connectors have no VPC/subnet placement (network)');
  if (input.kafka)
    throw unsupported(
      P,
      operation,
      'Tencent ckafka connectors take CkafkaParams via extensions.tencent, not kafka credentials',
    );
}

/** EventBus -> Bus. */
export function busFromTencent(b: TencentEventBus): Bus {
  return compact({
    id: b.EventBusId,
    name: b.EventBusName,
    description: b.Description ?? undefined,
    provider: P,
    status: 'Active',
    createdAt: toIsoTime(b.AddTime),
    updatedAt: toIsoTime(b.ModTime),
    retentionDays: b.SaveDays ?? undefined,
    extensions: { tencent: compact({ EnableStore: b.EnableStore, LogTopicId: b.LogTopicId }) },
  }) as Bus;
}

/** The rule's EventPattern as JSON, or undefined when absent or unreadable. */
export function parsePattern(pattern: string | null | undefined): Record<string, unknown> | undefined {
  if (!pattern) return undefined;
  try {
    const parsed: unknown = JSON.parse(pattern);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rule (+ its ListTargets rows and its transformation, when known) -> Integration. A pattern with
 * no exact neutral reading is kept raw in `extensions.tencent.EventPattern` (no `filter`); target
 * types without a neutral kind are kept in `extensions.tencent.Targets`. `targets` undefined: not
 * read (summary list).
 */
export function integrationFromTencent(
  r: TencentRule,
  targets?: TencentTarget[],
  transformation?: TencentTransformationRead,
): Integration {
  const pattern = parsePattern(r.EventPattern);
  const filter = pattern ? filterFromEventPattern(pattern) : undefined;
  const routed = targets
    ? tencentTargetsToNeutral(
        targets.filter((t): t is TencentTarget & TencentTargetRow => Boolean(t.TargetDescription)),
        transformation,
      )
    : undefined;
  return compact({
    id: `${r.EventBusId}/${r.RuleId}`,
    name: r.RuleName,
    description: r.Description ?? undefined,
    provider: P,
    status: r.Status ?? undefined,
    createdAt: toIsoTime(r.AddTime),
    updatedAt: toIsoTime(r.ModTime),
    bus: r.EventBusId,
    filter,
    targets: routed?.targets.length ? routed.targets : undefined,
    delivery: routed?.delivery,
    enabled: r.Enable ?? undefined,
    extensions: {
      tencent: compact({
        Enable: r.Enable,
        // No neutral reading: the native filter, as the object it is (the raw text if unreadable).
        ...(filter || !r.EventPattern ? {} : { EventPattern: pattern ?? r.EventPattern }),
        ...(routed?.leftovers.length ? { Targets: routed.leftovers } : {}),
      }),
    },
  }) as Integration;
}

/** Connector -> Connection. */
export function connectionFromTencent(c: TencentConnection): Connection {
  const type = (TENCENT_CONNECTION_TYPES as readonly string[]).includes(c.Type ?? '')
    ? (c.Type as Connection['kind'])
    : 'other';
  const d = c.ConnectionDescription;
  return compact({
    id: `${c.EventBusId}/${c.ConnectionId}`,
    name: c.ConnectionName,
    description: c.Description ?? undefined,
    provider: P,
    status: c.Status ?? undefined,
    createdAt: toIsoTime(c.AddTime),
    updatedAt: toIsoTime(c.ModTime),
    bus: c.EventBusId,
    kind: type,
    endpoint: d?.ResourceDescription,
    enabled: c.Enable ?? undefined,
    extensions: {
      tencent: compact({
        Enable: c.Enable,
        APIGWParams: d?.APIGWParams,
        CkafkaParams: d?.CkafkaParams,
        DTSParams: d?.DTSParams,
      }),
    },
  }) as Connection;
}
