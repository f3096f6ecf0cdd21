/**
 * The neutral resource model: zod schemas and the types inferred from them. It names no provider;
 * native fields without a neutral home travel in `extensions[provider]`.
 */
import { z } from 'zod';
import { type Filter, FilterSchema, SpecFilterSchema } from './filter.js';
import { DeliverySchema, TargetSchema, TargetsSchema } from './routing.js';

/** The four neutral resource kinds. */
export const RESOURCE_KINDS = ['bus', 'source', 'connection', 'integration'] as const;
/** One of {@link RESOURCE_KINDS}. */
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Control characters (CR, LF, tab, NUL, DEL, C1) and the Unicode line and paragraph separators. */
const CONTROL_CHARACTERS = /[\p{Cc}\u2028\u2029]/u;
const NO_CONTROL = 'must not contain control characters (CR, LF, tab...)';

/**
 * Tags as a flat string map. Keys and values hold no control characters, the rule every
 * provider's tag service shares (adapters tighten `TagsSchema.keyType` and `.valueType` with their
 * lengths). An own `__proto__` key is refused by `parseInput` and the spec loader (a record schema
 * would drop it).
 */
export const TagsSchema = z.record(
  z.string().refine((k) => !CONTROL_CHARACTERS.test(k), `tag keys ${NO_CONTROL}`),
  z.string().refine((v) => !CONTROL_CHARACTERS.test(v), `tag values ${NO_CONTROL}`),
);

/** Per-provider native fields, e.g. `{ tencent: { EnableStore: true } }`. */
export const ExtensionsSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/**
 * The `extensions` schema of one adapter and kind: `extensions[provider]` may hold only the
 * documented writable native fields in `fields`, each checked by its schema; an unknown key is an
 * issue naming it and listing the known ones. Other providers' extensions are left to them.
 */
export function nativeExtensions(provider: string, kind: string, fields: z.ZodRawShape) {
  const own = z.object(fields);
  return ExtensionsSchema.superRefine((ext, ctx) => {
    unknownExtensionKeys(provider, kind, Object.keys(fields))(ext, ctx);
    const mine = ext[provider];
    if (!mine) return;
    const parsed = own.safeParse(mine);
    if (!parsed.success)
      for (const i of parsed.error.issues)
        ctx.addIssue({ code: 'custom', path: [provider, ...i.path], message: i.message });
  }).optional();
}

/**
 * A refinement that flags every key of `extensions[provider]` outside `known`, naming it and
 * listing the known ones (for adapters whose extension schema is otherwise custom).
 */
export function unknownExtensionKeys(provider: string, kind: string, known: readonly string[]) {
  return (ext: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const mine = ext[provider];
    if (!mine || typeof mine !== 'object') return;
    for (const key of Object.keys(mine)) {
      if (!known.includes(key))
        ctx.addIssue({
          code: 'custom',
          path: [provider, key],
          message: `unknown ${provider} ${kind} extension ${key}: the documented writable fields are ${known.join(', ') || 'none'}`,
        });
    }
  };
}

/** Fields every resource carries. */
export const ResourceBaseSchema = z.object({
  /** The provider's native id (for bus-scoped children, `busId/childId`). */
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  tags: TagsSchema.optional(),
  provider: z.string(),
  status: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  extensions: ExtensionsSchema.optional(),
  /**
   * True when the write succeeded but the resource could not be read back yet (eventual
   * consistency): the fields are those the write sent and answered, not a confirmed read.
   */
  unconfirmed: z.literal(true).optional(),
});

/** An event bus (Tencent EventBus, Huawei custom channel, EventBridge bus). */
export const BusSchema = ResourceBaseSchema.extend({
  /** Days events are kept, where the provider stores them. */
  retentionDays: z.number().int().positive().optional(),
});
/** An event bus as every provider returns it (Tencent EventBus, Huawei custom channel, EventBridge bus). */
export type Bus = z.infer<typeof BusSchema>;

/** Neutral kinds of event source. */
export const SOURCE_KINDS = ['application', 'kafka', 'rabbitmq', 'rocketmq', 'partner', 'other'] as const;

/** An event source that publishes onto a bus. */
export const SourceSchema = ResourceBaseSchema.extend({
  /** Native id of the bus the source belongs to. */
  bus: z.string(),
  kind: z.enum(SOURCE_KINDS),
  /** Kind-specific connection details; secret fields are write-only and never read back. */
  detail: z.record(z.string(), z.unknown()).optional(),
});
/** An event source as every provider returns it. */
export type Source = z.infer<typeof SourceSchema>;

/** Neutral kinds of connection. */
export const CONNECTION_KINDS = ['http', 'kafka', 'ckafka', 'apigw', 'dts', 'tdmq', 'other'] as const;

/** Network placement of a connection. */
export const NetworkSchema = z.object({ vpcId: z.string(), subnetId: z.string() });

/** Kafka endpoint details; `password` is write-only. */
export const KafkaSchema = z.object({
  instanceId: z.string(),
  address: z.string(),
  securityProtocol: z.string().optional(),
  saslSsl: z.boolean(),
  username: z.string().optional(),
  /** Write-only: sent on create, never returned in a neutral object. */
  password: z.string().optional(),
  acks: z.enum(['0', '1', 'all']).optional(),
});

/**
 * A connection. Direction differs by provider (Tencent: inbound connector on a bus; Huawei:
 * outbound network link for targets); the capability notes say which.
 */
export const ConnectionSchema = ResourceBaseSchema.extend({
  /** Native id of the bus, where the provider scopes connections to a bus. */
  bus: z.string().optional(),
  kind: z.enum(CONNECTION_KINDS),
  /** Endpoint or resource description (URL, QCS resource string). */
  endpoint: z.string().optional(),
  network: NetworkSchema.optional(),
  kafka: KafkaSchema.optional(),
  /** Whether the connection is switched on (default true). */
  enabled: z.boolean().optional(),
});
/** A connection as every provider returns it (see {@link ConnectionSchema} for the direction per provider). */
export type Connection = z.infer<typeof ConnectionSchema>;

/**
 * An integration: the events on `bus` that `filter` matches go to `targets`, with the `delivery`
 * policy. `filter` is the canonical neutral filter (see `core/model/filter.ts`); targets a provider keeps
 * outside the integration (AWS: Amazon Connect associations) are absent.
 */
export const IntegrationSchema = ResourceBaseSchema.extend({
  /** Native id of the bus (for AWS the EventBridge bus name). */
  bus: z.string(),
  /**
   * Absent when the native filter has no exact neutral reading (it is then read back as the
   * provider's native filter in extensions, see `NativeFilter`) or a summary list left it out.
   */
  filter: FilterSchema.optional(),
  targets: z.array(TargetSchema).optional(),
  delivery: DeliverySchema.optional(),
  /** Whether the route is switched on (default true); `false` pauses it without deleting it. */
  enabled: z.boolean().optional(),
});
/** An integration (a route: filter, targets, delivery, on/off) as every provider returns it. */
export type Integration = z.infer<typeof IntegrationSchema>;

/** Any neutral resource. */
export type Resource = Bus | Source | Connection | Integration;

/** Fields the provider assigns, never part of a create or update input. */
export type AssignedField = 'id' | 'provider' | 'status' | 'createdAt' | 'updatedAt' | 'unconfirmed';
const ASSIGNED = {
  id: true,
  provider: true,
  status: true,
  createdAt: true,
  updatedAt: true,
  unconfirmed: true,
} as const;

/** A schema shape without the {@link AssignedField}s. */
export type WithoutAssigned<S extends z.ZodRawShape> = { [K in Exclude<keyof S, AssignedField>]: S[K] };

/**
 * What create takes: a resource without the fields the provider assigns. Generic over the shape
 * (not the schema) so the emitted declarations keep every field instead of `{ [x: string]: any }`.
 */
const createOf = <
  S extends z.ZodRawShape & Record<AssignedField, z.ZodType>,
  C extends z.core.$ZodObjectConfig,
>(
  schema: z.ZodObject<S, C>,
): z.ZodObject<WithoutAssigned<S>, C> =>
  // The cast restates zod's own `omit` result, which TypeScript cannot unfold for a generic S.
  (schema as z.ZodObject).omit(ASSIGNED) as unknown as z.ZodObject<WithoutAssigned<S>, C>;

export const CreateBusInputSchema = createOf(BusSchema);
/** What `buses.create` takes: a bus without the fields the provider assigns. */
export type CreateBusInput = z.infer<typeof CreateBusInputSchema>;
export const CreateSourceInputSchema = createOf(SourceSchema).extend({
  kind: z.enum(SOURCE_KINDS).default('application'),
});
/** What `sources.create` takes: a source without the fields the provider assigns. */
export type CreateSourceInput = z.input<typeof CreateSourceInputSchema>;
export const CreateConnectionInputSchema = createOf(ConnectionSchema);
/** What `connections.create` takes: a connection without the fields the provider assigns. */
export type CreateConnectionInput = z.infer<typeof CreateConnectionInputSchema>;
/**
 * What a create or update may write as `filter`: a neutral expression, a list of expressions (all
 * must hold), or the shorthand `{ source }` (= `exact: { source }`). Parsed to the canonical form.
 */
export type FilterInput = Filter | Filter[] | { source: string };

export const CreateIntegrationInputSchema = createOf(IntegrationSchema).extend({
  /** Required unless the provider's native filter is given in `extensions` (the adapter checks exactly one). */
  filter: SpecFilterSchema.optional(),
  targets: TargetsSchema.optional(),
  /** Idempotency key; derived from the desired resource when absent (where the provider has one). */
  clientToken: z.string().optional(),
});
/** What `integrations.create` takes: a route whose filter may be a neutral filter, a list (all of), or `{ source }`. */
export type CreateIntegrationInput = Omit<z.input<typeof CreateIntegrationInputSchema>, 'filter'> & {
  /** The neutral filter; absent only when `extensions.<provider>` carries the provider's native filter. */
  filter?: FilterInput;
};

/** What update takes: any subset of the create fields (the adapter rejects immutable ones). */
export const UpdateBusInputSchema = CreateBusInputSchema.partial();
/** What `buses.update` takes: the fields to change. */
export type UpdateBusInput = z.infer<typeof UpdateBusInputSchema>;
export const UpdateSourceInputSchema = createOf(SourceSchema).partial();
/** What `sources.update` takes: the fields to change. */
export type UpdateSourceInput = z.infer<typeof UpdateSourceInputSchema>;
export const UpdateConnectionInputSchema = CreateConnectionInputSchema.partial();
/** What `connections.update` takes: the fields to change. */
export type UpdateConnectionInput = z.infer<typeof UpdateConnectionInputSchema>;
export const UpdateIntegrationInputSchema = CreateIntegrationInputSchema.omit({
  clientToken: true,
}).partial();
/** What `integrations.update` takes: the fields to change (`enabled: false` pauses the route). */
export type UpdateIntegrationInput = Partial<Omit<CreateIntegrationInput, 'clientToken'>>;

/** A pointer to a resource. */
export const ResourceRefSchema = z.object({
  kind: z.enum(RESOURCE_KINDS),
  provider: z.string(),
  id: z.string(),
  name: z.string().optional(),
});
export type ResourceRef = z.infer<typeof ResourceRefSchema>;

/** One page of a list. */
export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; absent on the last page. */
  nextToken?: string;
}
