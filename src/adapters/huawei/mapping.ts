/**
 * Neutral <-> Huawei EventGrid mapping and the input rules from the documents. Write-only
 * secrets (Kafka password, secret fields of source detail) are dropped on the way back.
 */
import { z } from 'zod';
import {
  type Bus,
  type Connection,
  type Integration,
  nativeExtensions,
  type Source,
  TagsSchema,
  unknownExtensionKeys,
} from '../../core/model/resources.js';
import { compact, toIsoTime } from '../../core/runtime/parse.js';
import { isSecretField } from '../../core/runtime/redact.js';
import { SpecFilterSchema } from '../../core/model/filter.js';
import {
  DeliverySchema,
  exactlyOneFilter,
  type NativeFilter,
  TargetsSchema,
} from '../../core/model/routing.js';
import {
  filterFromHuaweiFilterRule,
  type HuaweiCondition,
  type HuaweiFilterRule,
  type HuaweiTarget,
  huaweiTargetsToNeutral,
  validateHuaweiFilterRule,
} from './routing.js';
import type {
  HuaweiChannel,
  HuaweiConnection,
  HuaweiSource,
  HuaweiSubscription,
  HuaweiSubscriptionSource,
} from './client.js';

const P = 'huawei';
// Tags: no control characters in keys or values (the rule every provider's tag service shares).
const tags = TagsSchema.optional();
const description = z.string().max(255, 'description can contain at most 255 characters');

const NAME_RULE =
  'must be 1-128 letters, digits, periods (.), underscores (_) or hyphens (-), start with a letter or digit, and cannot be default';
const egName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, NAME_RULE)
  .refine((n) => n !== 'default', 'cannot be default');

/**
 * The documented writable native fields per kind (`extensions.huawei`): channel create/update
 * take `enterprise_project_id`, `cross_account` and `policy`; sources and connections have none
 * beyond the neutral ones; a subscription takes its `targets`. Read-only fields (ids,
 * provider_type, label, agency, flavor, status, times) are never accepted nor read back.
 */
export const HUAWEI_EXTENSIONS = {
  bus: {
    enterprise_project_id: z.string('enterprise_project_id must be a string').min(1).optional(),
    cross_account: z
      .boolean('cross_account must be a boolean (whether other accounts may publish)')
      .optional(),
    policy: z
      .record(z.string(), z.unknown(), 'policy must be an object (the cross-account policy)')
      .optional(),
  },
  source: {},
  connection: {},
  integration: ['targets', 'filter'],
} as const;

/**
 * A native source filter rule (`extensions.huawei.filter`), checked against eg-ug-018 (top-level
 * fields, source StringIn, operators and their values, the 5/5/5 limits).
 */
export const HuaweiFilterRuleInput = z.unknown().superRefine((rule, ctx) => {
  for (const problem of validateHuaweiFilterRule(rule))
    ctx.addIssue({ code: 'custom', message: `${problem} (EG "Filter Rule Parameters", eg-ug-018)` });
});

/**
 * Huawei's native filter: `extensions.huawei.filter`, the subscription source's filter rule.
 * Read back as the neutral filter when the rule has an exact neutral reading.
 */
export const huaweiNativeFilter: NativeFilter = {
  field: 'filter',
  normalize: (native) => native,
  toNeutral: (native) =>
    validateHuaweiFilterRule(native).length
      ? undefined
      : filterFromHuaweiFilterRule(native as HuaweiFilterRule),
  // The subscription source is named by the rule's StringIn source (subscriptionSourceFor).
  requiredSource: (native) => {
    const source = (native as { source?: unknown } | undefined)?.source;
    const values = Array.isArray(source)
      ? (source as Partial<HuaweiCondition>[]).find((c) => c?.op === 'StringIn')?.values
      : undefined;
    return values?.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
  },
};

/** Channel input (name rule as for connections). */
export const HuaweiBusInput = z.object({
  name: egName,
  description: description.optional(),
  tags,
  extensions: nativeExtensions(P, 'bus', HUAWEI_EXTENSIONS.bus),
});

/** Source kinds EventGrid custom sources take. */
export const HUAWEI_SOURCE_TYPES = {
  application: 'APPLICATION',
  rabbitmq: 'RABBITMQ',
  rocketmq: 'ROCKETMQ',
} as const;

/** Custom event source input (seed 004). */
export const HuaweiSourceInput = z.object({
  name: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]{0,127}$/,
      'must be 1-128 lowercase letters, digits, periods (.), underscores (_) or hyphens (-), and start with a letter or digit',
    )
    .refine((n) => !n.startsWith('hc.'), 'cannot start with hc.'),
  description: z.string().max(255, 'can contain at most 255 characters').optional(),
  bus: z
    .string({ error: 'channel_id is required: a custom source belongs to a custom channel' })
    .min(1, 'channel_id is required'),
  kind: z
    .enum(['application', 'rabbitmq', 'rocketmq'], {
      error: 'type must be APPLICATION, RABBITMQ or ROCKETMQ (neutral application, rabbitmq, rocketmq)',
    })
    .default('application'),
  detail: z.record(z.string(), z.unknown()).optional(),
  tags,
  extensions: nativeExtensions(P, 'source', HUAWEI_EXTENSIONS.source),
});

/** Connection input (seed 002). */
export const HuaweiConnectionInput = z
  .object({
    name: egName,
    description: description.optional(),
    kind: z.enum(['http', 'kafka'], { error: 'type must be webhook (neutral http) or kafka' }),
    network: z.object(
      {
        vpcId: z.string().min(1, 'vpc_id is required'),
        subnetId: z.string().min(1, 'subnet_id is required'),
      },
      { error: 'vpc_id and subnet_id are required: a connection is a network link into a VPC subnet' },
    ),
    kafka: z
      .object({
        instanceId: z.string().min(1, 'kafka_detail.instance_id is required'),
        address: z.string().min(1, 'kafka_detail.addr is required'),
        securityProtocol: z.string().optional(),
        saslSsl: z.boolean({ error: 'kafka_detail.enable_sasl_ssl is required' }),
        username: z.string().optional(),
        password: z.string().optional(),
        acks: z.enum(['0', '1', 'all']).optional(),
      })
      .optional(),
    bus: z.string().optional(),
    endpoint: z.string().optional(),
    tags,
    enabled: z.boolean().optional(),
    extensions: nativeExtensions(P, 'connection', HUAWEI_EXTENSIONS.connection),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'kafka' && !c.kafka)
      ctx.addIssue({
        code: 'custom',
        path: ['kafka'],
        message: 'kafka_detail is required for a kafka connection',
      });
    if (c.kafka?.saslSsl && (!c.kafka.username || !c.kafka.password)) {
      ctx.addIssue({
        code: 'custom',
        path: ['kafka', 'password'],
        message: 'user_name and password are mandatory when SASL_SSL is enabled',
      });
    }
  });

/** Subscription target as EventGrid takes it (polybus fills id and a default transform). */
export const HuaweiTargetInput = z.looseObject({
  name: z.string().min(1).max(128, 'target name must be 1-128 characters'),
  provider_type: z.enum(['CUSTOM', 'OFFICIAL'], { error: 'target provider_type must be CUSTOM or OFFICIAL' }),
  connection_id: z.string().optional(),
  transform: z.looseObject({ type: z.string() }).default({ type: 'ORIGINAL' }),
});

/**
 * Integration input fields: the subscription's name, channel, neutral filter (it becomes the
 * source filter rule), neutral targets and delivery, and native targets in
 * `extensions.huawei.targets` (kept as they are, beside the translated ones).
 */
export const HuaweiIntegrationFields = z.object({
  name: egName,
  description: description.optional(),
  bus: z.string({ error: 'channel_id is required' }).min(1, 'channel_id is required'),
  /** Exactly one of it or the native rule `extensions.huawei.filter`. */
  filter: SpecFilterSchema.optional(),
  targets: TargetsSchema.optional(),
  delivery: DeliverySchema.optional(),
  tags,
  clientToken: z.string().optional(),
  /** The subscription's switch: ENABLE / DISABLE operation. */
  enabled: z.boolean('enabled must be a boolean').optional(),
  extensions: z
    .object({
      huawei: z
        .looseObject({
          targets: z.array(HuaweiTargetInput).max(5, 'a subscription has at most 5 targets').optional(),
          /** The native filter escape hatch: the source filter rule, instead of a neutral `filter`. */
          filter: HuaweiFilterRuleInput.optional(),
        })
        .optional(),
    })
    .catchall(z.record(z.string(), z.unknown()))
    .superRefine(unknownExtensionKeys(P, 'integration', HUAWEI_EXTENSIONS.integration))
    .optional(),
});

/** Integration patch rules: any subset, but never both filters. */
export const HuaweiIntegrationPatch = HuaweiIntegrationFields.partial().superRefine(
  exactlyOneFilter(P, 'filter', { partial: true }),
);

/**
 * Integration input rules: exactly one of `filter` or `extensions.huawei.filter`; a subscription
 * needs 1-5 targets, neutral or native.
 */
export const HuaweiIntegrationInput = HuaweiIntegrationFields.superRefine((v, ctx) => {
  exactlyOneFilter(P, 'filter')(v, ctx);
  const native = v.extensions?.huawei?.targets?.length ?? 0;
  const neutral = v.targets?.length ?? 0;
  if (!native && !neutral)
    ctx.addIssue({
      code: 'custom',
      path: ['targets'],
      message:
        'targets is required: a subscription needs 1-5 targets (targets, or native extensions.huawei.targets)',
    });
  else if (native + neutral > 5)
    ctx.addIssue({
      code: 'custom',
      path: ['targets'],
      message: `a subscription has at most 5 targets (targets and extensions.huawei.targets together), got ${native + neutral}`,
    });
});

/**
 * The subscription source of a filter rule: a CUSTOM source named by the rule's required
 * `source` StringIn value, filtered by the rule.
 */
export function subscriptionSourceFor(
  rule: HuaweiFilterRule,
  providerType = 'CUSTOM',
): HuaweiSubscriptionSource {
  const name = rule.source.find((c) => c.op === 'StringIn')?.values?.[0];
  return {
    name: String(name),
    provider_type: providerType,
    filter: rule as unknown as Record<string, unknown>,
  };
}

/** Drops secret-named fields (passwords, keys) from a detail object: they are write-only. */
export function withoutSecrets(
  detail: Record<string, unknown> | null | undefined,
): Record<string, unknown> | undefined {
  if (!detail) return undefined;
  return Object.fromEntries(Object.entries(detail).filter(([k]) => !isSecretField(k)));
}

/** Channel -> Bus. */
export function busFromHuawei(c: HuaweiChannel): Bus {
  return compact({
    id: c.id,
    name: c.name,
    description: c.description ?? undefined,
    provider: P,
    status: 'Active',
    createdAt: toIsoTime(c.created_time),
    updatedAt: toIsoTime(c.updated_time),
    extensions: {
      huawei: compact({
        enterprise_project_id: c.enterprise_project_id,
        cross_account: c.cross_account ?? undefined,
        policy: c.policy ?? undefined,
      }),
    },
  }) as Bus;
}

/** Custom source -> Source. */
export function sourceFromHuawei(s: HuaweiSource): Source {
  const type = (s.type ?? 'APPLICATION').toLowerCase();
  const kind = (['application', 'rabbitmq', 'rocketmq'].includes(type) ? type : 'other') as Source['kind'];
  const detail = withoutSecrets(s.detail);
  return compact({
    id: s.id,
    name: s.name,
    description: s.description ?? undefined,
    provider: P,
    status: s.status ?? undefined,
    createdAt: toIsoTime(s.created_time),
    updatedAt: toIsoTime(s.updated_time),
    bus: s.channel_id ?? '',
    kind,
    detail: detail && Object.keys(detail).length ? detail : undefined,
  }) as Source;
}

/** Connection -> Connection; the Kafka password never comes back. */
export function connectionFromHuawei(c: HuaweiConnection): Connection {
  const type = typeof c.type === 'string' ? c.type : 'webhook';
  const k = c.kafka_detail;
  const kafka =
    type === 'kafka' && k?.instance_id && k.addr
      ? compact({
          instanceId: k.instance_id,
          address: k.addr,
          securityProtocol: k.security_protocol ?? undefined,
          saslSsl: Boolean(k.enable_sasl_ssl),
          username: k.user_name ?? undefined,
          acks: (k.acks ?? undefined) as '0' | '1' | 'all' | undefined,
        })
      : undefined;
  return compact({
    id: c.id,
    name: c.name,
    description: c.description ?? undefined,
    provider: P,
    status: c.status ?? undefined,
    createdAt: toIsoTime(c.created_time),
    updatedAt: toIsoTime(c.updated_time),
    kind: type === 'kafka' ? 'kafka' : 'http',
    network: c.vpc_id && c.subnet_id ? { vpcId: c.vpc_id, subnetId: c.subnet_id } : undefined,
    kafka,
  }) as Connection;
}

/** The switch a subscription status shows (FROZEN and ERROR say nothing about it). */
const ENABLED_OF_STATUS: Record<string, boolean | undefined> = {
  CREATED: true,
  ENABLED: true,
  DISABLED: false,
};

/**
 * Subscription -> Integration. The first source's filter rule is read back as the neutral filter
 * (absent when it has no exact neutral reading; the rule is then read back as the native filter
 * `extensions.huawei.filter`);
 * targets with a neutral kind become `targets`/`delivery`, the others stay in `extensions.huawei.targets`.
 */
export function integrationFromHuawei(s: HuaweiSubscription): Integration {
  const rule = s.sources?.[0]?.filter as HuaweiFilterRule | undefined;
  const filter = rule ? filterFromHuaweiFilterRule(rule) : undefined;
  const routed = huaweiTargetsToNeutral((s.targets ?? []) as unknown as HuaweiTarget[]);
  return compact({
    id: s.id,
    name: s.name,
    description: s.description ?? undefined,
    provider: P,
    status: s.status ?? undefined,
    createdAt: toIsoTime(s.created_time),
    updatedAt: toIsoTime(s.updated_time),
    bus: s.channel_id,
    filter,
    targets: routed.targets.length ? routed.targets : undefined,
    delivery: routed.delivery,
    enabled: ENABLED_OF_STATUS[s.status ?? ''],
    extensions: {
      huawei: compact({
        targets: routed.leftovers.length
          ? routed.leftovers.map((t) => redactTarget(t as Record<string, unknown>))
          : undefined,
        ...(filter || !rule ? {} : { filter: rule }),
      }),
    },
  }) as Integration;
}

/** Targets may carry credentials in kafka_detail and similar: strip secret-named fields. */
function redactTarget(t: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(t)
      .filter(([k]) => !isSecretField(k))
      .map(([k, v]) => [
        k,
        v && typeof v === 'object' && !Array.isArray(v) ? withoutSecrets(v as Record<string, unknown>) : v,
      ]),
  );
}
