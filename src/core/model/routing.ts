/**
 * Neutral routing: where an integration's events go (targets, with an optional transform) and what
 * happens when delivery fails (retry, dead letter), plus the contract every adapter's routing module
 * implements. It names no provider; a translation is exact or refused with reasons, never approximate.
 */
import { z } from 'zod';
import { type Filter, SpecFilterSchema } from './filter.js';

/** Per-provider native fields of a target (`{ huawei: { detail: { agency_name: "..." } } }`). */
const TargetExtensionsSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/**
 * What a target receives. `event`: the whole event (default). `path`: the JSON value at a JSONPath
 * of the event (`$.data`). `template`: a text template; `variables` name JSONPaths (or constants)
 * the template references as `${name}`.
 */
export const TransformSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('event') }),
    z.strictObject({
      kind: z.literal('path'),
      path: z.string().regex(/^\$(\.[^.]+)*$/, 'path must be a JSONPath such as $ or $.data.order'),
    }),
    z.strictObject({
      kind: z.literal('template'),
      template: z.string().min(1, 'template must not be empty'),
      variables: z.record(z.string().min(1), z.string()).optional(),
    }),
  ],
  { error: 'transform.kind must be event, path or template' },
);
/** A {@link TransformSchema} value. */
export type Transform = z.infer<typeof TransformSchema>;

const targetBase = {
  /** A label for the target, unique within the integration (the provider's target name where it has one). */
  name: z.string().min(1).max(128).optional(),
  transform: TransformSchema.optional(),
  /** Native leftovers per provider, merged into that provider's native target. */
  extensions: TargetExtensionsSchema.optional(),
};

/** A webhook: events are POSTed to `url`, optionally through a named connection. */
export const HttpTargetSchema = z.strictObject({
  kind: z.literal('http'),
  url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }),
  /** A connection (by name or native id) the request goes through, where the provider has them. */
  connection: z.string().min(1).optional(),
  ...targetBase,
});
/** A serverless function, by the provider's own reference (Tencent QCS string, Huawei URN). */
export const FunctionTargetSchema = z.strictObject({
  kind: z.literal('function'),
  function: z.string().min(1, 'function is the provider reference of the function'),
  ...targetBase,
});
/** A Kafka topic reached through a connection (name or native id / QCS instance). */
export const KafkaTargetSchema = z.strictObject({
  kind: z.literal('kafka'),
  connection: z.string().min(1, 'connection is required: a kafka target goes through a connection'),
  topic: z.string().min(1, 'topic is required'),
  ...targetBase,
});
/** A provider log (Tencent CLS topic QCS string). */
export const LogTargetSchema = z.strictObject({
  kind: z.literal('log'),
  log: z.string().min(1, 'log is the provider reference of the log topic'),
  ...targetBase,
});

/** The neutral target kinds. */
export const TARGET_KINDS = ['http', 'function', 'kafka', 'log'] as const;
/** One of {@link TARGET_KINDS}. */
export type TargetKind = (typeof TARGET_KINDS)[number];

/** One target of an integration. */
export const TargetSchema = z.discriminatedUnion(
  'kind',
  [HttpTargetSchema, FunctionTargetSchema, KafkaTargetSchema, LogTargetSchema],
  { error: `target kind must be one of ${TARGET_KINDS.join(', ')}` },
);
/** A {@link TargetSchema} value. */
export type Target = z.infer<typeof TargetSchema>;

/** An integration's targets: at least one (each provider's maximum is checked by its translator). */
export const TargetsSchema = z.array(TargetSchema).min(1, 'an integration needs at least one target');

/**
 * Retries after a failed delivery. `maxAttempts` is the number of retries after the first attempt
 * (Knative `retry`, Tencent `MaxRetryAttempts`, Huawei `retry_times`). `backoff` absent means the
 * provider's own schedule; `delaySeconds` is the (first, or constant for `fixed`) delay.
 */
export const RetrySchema = z.strictObject({
  maxAttempts: z.number().int().min(0, 'retry.maxAttempts must be 0 or more'),
  backoff: z
    .enum(['fixed', 'linear', 'exponential'], { error: 'retry.backoff must be fixed, linear or exponential' })
    .optional(),
  delaySeconds: z.number().int().positive('retry.delaySeconds must be a positive integer').optional(),
});
/** A {@link RetrySchema} value. */
export type Retry = z.infer<typeof RetrySchema>;

/** Where events go that could not be delivered: a Kafka topic through a connection. */
export const DeadLetterSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('kafka'),
      connection: z.string().min(1, 'deadLetter.connection is required'),
      topic: z.string().min(1, 'deadLetter.topic is required'),
      /** The Kafka instance id, where the provider needs it (Huawei `instance_id`). */
      instance: z.string().min(1).optional(),
    }),
  ],
  { error: 'deadLetter.kind must be kafka' },
);
/** A {@link DeadLetterSchema} value. */
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

/** Delivery policy of an integration, applied to each of its targets. */
export const DeliverySchema = z.strictObject({
  retry: RetrySchema.optional(),
  deadLetter: DeadLetterSchema.optional(),
});
/** A {@link DeliverySchema} value. */
export type Delivery = z.infer<typeof DeliverySchema>;

/** A translation: the exact native form, or why there is none (each reason names the operator or limit). */
export type Translation<T> = { ok: true; native: T } | { ok: false; reasons: string[] };

/** An accepted translation. */
export const accepted = <T>(native: T): Translation<T> => ({ ok: true, native });
/** A refused translation. */
export const refused = <T = never>(...reasons: string[]): Translation<T> => ({ ok: false, reasons });

/** What a provider's routing can hold, with where each number is documented. */
export interface RoutingLimits {
  /** Fewest targets an integration may have on this provider (0: targets are not part of it). */
  minTargets: number;
  /** Most targets per integration (rule / subscription). */
  maxTargets: number;
  /** Target kinds the provider expresses. */
  targetKinds: readonly TargetKind[];
  /** The documents the numbers come from. */
  source: string;
}

/**
 * The routing module of an adapter. Translations are pure (no network): the plan calls them before
 * any request and refuses what comes back `ok: false`.
 */
export interface RoutingTranslator<NativeFilter, NativeTargets> {
  /** Provider name (`tencent`, `huawei`, `aws`). */
  readonly provider: string;
  readonly limits: RoutingLimits;
  /** The native filter that matches exactly the events `filter` matches, or the reasons there is none. */
  translateFilter(filter: Filter): Translation<NativeFilter>;
  /** The native targets (with the delivery policy), or the reasons they cannot be expressed. */
  translateTargets(targets: Target[], delivery?: Delivery): Translation<NativeTargets>;
}

/** The count check every translator starts with; reasons name the limit and its source. */
export function targetCountProblems(provider: string, targets: Target[], limits: RoutingLimits): string[] {
  if (targets.length > limits.maxTargets)
    return [
      `${provider} allows at most ${limits.maxTargets} targets per integration (${limits.source}); got ${targets.length}`,
    ];
  if (targets.length < limits.minTargets)
    return [`${provider} needs at least ${limits.minTargets} target(s) per integration (${limits.source})`];
  return [];
}

/**
 * A provider's native filter, the escape hatch for a route the neutral filter language cannot
 * express (a Tencent numeric pattern, a Huawei NumberGreaterThan rule). It lives in
 * `extensions.<provider>.<field>`, named after the native field it fills, and is sent as written
 * (validated first); it never moves to another provider. Read-back shows the neutral `filter`
 * when the live filter has an exact neutral reading, else the native one.
 */
export interface NativeFilter {
  /** The field under `extensions.<provider>` (Tencent `EventPattern`, Huawei `filter`). */
  readonly field: string;
  /** The comparable form of a native filter (parsed JSON), or undefined when it is not one. */
  normalize(native: unknown): unknown;
  /** The neutral filter matching exactly the same events, where there is one (read-back then shows it). */
  toNeutral(native: unknown): Filter | undefined;
  /** The one exact `source` the native filter requires, if any (the plan orders the route after that source). */
  requiredSource?(native: unknown): string | undefined;
}

/** The native filter an integration input carries in `extensions.<provider>.<field>`, if any. */
export function nativeFilterIn(input: { extensions?: unknown }, provider: string, field: string): unknown {
  const ext = input.extensions as Record<string, Record<string, unknown> | undefined> | undefined;
  const mine = ext?.[provider];
  return mine && typeof mine === 'object' ? mine[field] : undefined;
}

/** What an integration's filter may be, for the "neither given" message. */
const FILTER_FORMS =
  'a neutral filter expression (exact, prefix, suffix, all, any, not), a list of them, or { source }';

/**
 * The rule that an integration input carries exactly one filter: the neutral `filter`, or the
 * provider's native one in `extensions.<provider>.<field>` (a zod refinement; `partial` inputs,
 * i.e. update patches, may carry neither).
 */
export function exactlyOneFilter(provider: string, field: string, options: { partial?: boolean } = {}) {
  const native = `extensions.${provider}.${field}`;
  return (v: { filter?: unknown; extensions?: unknown }, ctx: z.RefinementCtx): void => {
    const hasNative = nativeFilterIn(v, provider, field) !== undefined;
    if (v.filter !== undefined && hasNative)
      ctx.addIssue({
        code: 'custom',
        path: ['filter'],
        message: `filter and ${native} are both given: an integration takes exactly one (the neutral filter, or the native ${field} for what the neutral language cannot express)`,
      });
    else if (v.filter === undefined && !hasNative && !options.partial)
      ctx.addIssue({
        code: 'custom',
        path: ['filter'],
        message: `filter is required: ${FILTER_FORMS}; or, for a route the neutral language cannot express, the native ${provider} filter in ${native}`,
      });
  };
}

/** One routing problem: the field (`filter`, `targets`, `targets.1`, `delivery`) and the reason. */
export interface RoutingProblem {
  field: string;
  rule: string;
}

const FIELD_PREFIX = /^(targets\.\d+): (.*)$/s;

/**
 * Everything a provider cannot express exactly in an integration's filter, targets and delivery,
 * from its translator alone (no request). `input` is a create input or patch; fields that do not
 * parse are left to the input schema. Empty when every given part translates.
 */
export function routingProblems(
  translator: RoutingTranslator<unknown, unknown>,
  input: Record<string, unknown>,
): RoutingProblem[] {
  const out: RoutingProblem[] = [];
  if (input.filter !== undefined) {
    const f = SpecFilterSchema.safeParse(input.filter);
    if (f.success) {
      const t = translator.translateFilter(f.data);
      if (!t.ok) out.push(...t.reasons.map((rule) => ({ field: 'filter', rule })));
    }
  }
  if (input.targets !== undefined || input.delivery !== undefined) {
    const targets =
      input.targets === undefined
        ? { success: true as const, data: [] }
        : TargetsSchema.safeParse(input.targets);
    const delivery =
      input.delivery === undefined
        ? { success: true as const, data: undefined }
        : DeliverySchema.safeParse(input.delivery);
    if (targets.success && delivery.success) {
      const t = translator.translateTargets(targets.data, delivery.data);
      if (!t.ok)
        for (const reason of t.reasons) {
          const m = FIELD_PREFIX.exec(reason.replace(/^[A-Za-z]+: (?=targets\.\d+:)/, ''));
          const field = m
            ? m[1]!
            : /retry|dead letter/i.test(reason) && !/targets\.\d/.test(reason)
              ? 'delivery'
              : 'targets';
          out.push({ field, rule: m ? m[2]! : reason });
        }
    }
  }
  return out;
}
