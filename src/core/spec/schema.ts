/**
 * The declarative spec's schema: buses, sources, connections and integrations declared once,
 * neutrally, with references by name, per-provider overrides and extensions, and target providers.
 */
import { z } from 'zod';
import { SpecFilterSchema } from '../model/filter.js';
import {
  CONNECTION_KINDS,
  ExtensionsSchema,
  KafkaSchema,
  NetworkSchema,
  type ResourceKind,
  SOURCE_KINDS,
  TagsSchema,
} from '../model/resources.js';
import { DeliverySchema, TargetsSchema } from '../model/routing.js';

const common = {
  /** The identity of the item on every provider (match by name). */
  name: z.string().min(1, 'name is required'),
  description: z.string().optional(),
  tags: TagsSchema.optional(),
  extensions: ExtensionsSchema.optional(),
  /**
   * Field overrides by target id or provider name, merged over the item for that target (a
   * provider name's first, then the target id's: the target id wins).
   */
  overrides: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  /** Restrict the item to these targets (target ids or provider names; default: every target). */
  providers: z.array(z.string()).optional(),
};

/** A bus in the spec. */
export const SpecBusSchema = z.strictObject({
  ...common,
  retentionDays: z.number().int().positive().optional(),
});
/** A source in the spec; `bus` names a spec bus. */
export const SpecSourceSchema = z.strictObject({
  ...common,
  bus: z.string().min(1, 'bus is required (the name of a bus in this spec)'),
  kind: z.enum(SOURCE_KINDS).default('application'),
  detail: z.record(z.string(), z.unknown()).optional(),
});
/** A connection in the spec; `bus` (if any) names a spec bus. */
export const SpecConnectionSchema = z.strictObject({
  ...common,
  bus: z.string().optional(),
  kind: z.enum(CONNECTION_KINDS),
  endpoint: z.string().optional(),
  network: NetworkSchema.optional(),
  kafka: KafkaSchema.optional(),
  /** Switched on (default true). */
  enabled: z.boolean().optional(),
});
/**
 * An integration in the spec; `bus` names a spec bus. `filter` is a neutral filter expression, a
 * list of them (all must hold) or the shorthand `{ source }`; it parses to the canonical filter.
 * A route the neutral language cannot express carries the provider's native filter in
 * `extensions.<provider>` instead (capability row `filter.native`); each target's adapter checks
 * that exactly one of the two is given. `targets` (1..n) say where matched events go and
 * `delivery` what happens when delivery fails; each provider's translator checks what it can express.
 */
export const SpecIntegrationSchema = z
  .strictObject({
    ...common,
    bus: z.string().min(1, 'bus is required (the name of a bus in this spec)'),
    filter: SpecFilterSchema.optional(),
    targets: TargetsSchema.optional(),
    delivery: DeliverySchema.optional(),
    clientToken: z.string().optional(),
    /** Switched on (default true); `false` pauses the route. */
    enabled: z.boolean().optional(),
  })
  .superRefine((item, ctx) => {
    // Without extensions or overrides no provider's native filter can stand in for it.
    if (item.filter === undefined && !item.extensions && !item.overrides)
      ctx.addIssue({
        code: 'custom',
        path: ['filter'],
        message:
          "filter is required: a neutral filter expression (exact, prefix, suffix, all, any, not), a list of them, or { source }; or, for a route the neutral language cannot express, the provider's native filter in extensions.<provider> (capability row filter.native)",
      });
  });

/**
 * Where a target's credentials come from, instead of the provider's default chain:
 * - `profile`: a named profile of the cloud's own profile file (Tencent: a section of
 *   `~/.tencentcloud/credentials`; AWS: a profile of `~/.aws/credentials` / `~/.aws/config`);
 * - `envPrefix`: the provider's usual environment variables, each read with this prefix
 *   (`envPrefix: SH_` reads `SH_TENCENTCLOUD_SECRET_ID`...); the unprefixed ones are then ignored.
 */
export const SpecCredentialsSchema = z
  .strictObject({
    profile: z.string().min(1, 'credentials.profile must name a profile').optional(),
    envPrefix: z
      .string()
      .regex(
        /^[A-Za-z_][A-Za-z0-9_]*$/,
        'credentials.envPrefix must be letters, digits and _ (a variable name prefix)',
      )
      .optional(),
  })
  .refine((c) => (c.profile === undefined) !== (c.envPrefix === undefined), {
    message: 'credentials takes exactly one of profile or envPrefix',
  });
export type SpecCredentials = z.infer<typeof SpecCredentialsSchema>;

/** A target: one provider in one region/account, addressed by its id. */
export const SpecTargetSchema = z.strictObject({
  /**
   * The target's id (default: the provider name), unique in the file; plan keys, output and
   * `--target` use it. Two targets of one provider need distinct ids.
   */
  id: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/,
      'id must be 1-63 letters, digits, _ . - starting with a letter or digit',
    )
    .optional(),
  provider: z.string().min(1),
  region: z.string().optional(),
  endpoint: z
    .string()
    .regex(
      /^https?:\/\/[^/\s?#]+/,
      'endpoint must be an http(s) URL such as https://host or http://127.0.0.1:PORT',
    )
    .optional(),
  /** Credentials of this target (default: the provider's default chain). */
  credentials: SpecCredentialsSchema.optional(),
  /** Other adapter options (projectId, iamEndpoint...). */
  options: z.record(z.string(), z.unknown()).optional(),
});
export type SpecTarget = z.infer<typeof SpecTargetSchema>;

/** The id of a target: its `id`, else its provider name. */
export const targetIdOf = (t: { id?: string | undefined; provider: string }): string => t.id ?? t.provider;

/** The whole spec file. */
export const SpecSchema = z.strictObject({
  version: z.literal(1, 'version must be 1'),
  targets: z.array(SpecTargetSchema).min(1, 'at least one target provider is required'),
  buses: z.array(SpecBusSchema).default([]),
  sources: z.array(SpecSourceSchema).default([]),
  connections: z.array(SpecConnectionSchema).default([]),
  integrations: z.array(SpecIntegrationSchema).default([]),
});
/** A loaded, checked spec (defaults applied): what `loadSpec`/`parseSpec` return and `plan` takes. */
export type Spec = z.infer<typeof SpecSchema>;
/** A spec as you write it in code (defaults optional): `plan(spec)` takes it as it takes a file. */
export type SpecInput = z.input<typeof SpecSchema>;

/** The spec sections, by kind. */
export const SECTION_OF_KIND = {
  bus: 'buses',
  source: 'sources',
  connection: 'connections',
  integration: 'integrations',
} as const satisfies Record<ResourceKind, keyof Spec>;

/** A spec item of any kind. */
export type SpecItem =
  | Spec['buses'][number]
  | Spec['sources'][number]
  | Spec['connections'][number]
  | Spec['integrations'][number];

/**
 * The item as one target sees it: overrides for its provider name, then for its target id,
 * merged in (a null unsets the field); `overrides` and `providers` removed. Undefined when the item is restricted to
 * other targets (`providers` lists neither the target id nor its provider).
 */
export function itemFor<T extends SpecItem>(
  item: T,
  provider: string,
  target: string = provider,
): Omit<T, 'overrides' | 'providers'> | undefined {
  if (item.providers && !item.providers.includes(provider) && !item.providers.includes(target))
    return undefined;
  const { overrides, providers: _p, ...rest } = item;
  const layers = [overrides?.[provider], target !== provider ? overrides?.[target] : undefined].filter(
    (o): o is Record<string, unknown> => o !== undefined,
  );
  const merged: Record<string, unknown> = { ...rest };
  let extensions = rest.extensions as Record<string, Record<string, unknown>> | undefined;
  for (const o of layers) {
    Object.assign(merged, o);
    if (o.extensions)
      extensions = { ...extensions, ...(o.extensions as Record<string, Record<string, unknown>>) };
  }
  if (extensions) merged.extensions = extensions;
  // An override's null unsets the field for this target: the view has no such field at all.
  for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
  return merged as Omit<T, 'overrides' | 'providers'>;
}
