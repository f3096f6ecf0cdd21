/**
 * Neutral <-> AppIntegrations mapping, the documented input constraints, and the deterministic
 * ClientToken. Nothing here touches the network or the SDK's runtime.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { normalizeFilter, serializeFilter, SpecFilterSchema } from '../../core/filter.js';
import type { Bus, FilterInput, Integration, Source } from '../../core/model.js';
import { DeliverySchema, TargetsSchema } from '../../core/routing.js';

const P = 'aws';
const IDENT = /^[a-zA-Z0-9/._-]+$/;
const IDENT_RULE = 'must be 1-255 characters matching ^[a-zA-Z0-9\\/\\._\\-]+$';

/** Tags as AppIntegrations allows them. */
export const AwsTags = z
  .record(
    z
      .string()
      .min(1, 'tag keys must be 1-128 characters')
      .max(128, 'tag keys must be 1-128 characters')
      .refine((k) => !k.startsWith('aws:'), 'tag keys cannot start with aws:')
      .regex(/^[a-zA-Z+-=._:/]+$/, 'tag keys must match ^(?!aws:)[a-zA-Z+-=._:/]+$'),
    z.string().max(256, 'tag values can be at most 256 characters'),
  )
  .refine((t) => Object.keys(t).length <= 200, 'at most 200 tags');

/** CreateEventIntegration input rules (seed 003). */
export const AwsIntegrationInput = z.object({
  name: z.string().min(1, IDENT_RULE).max(255, IDENT_RULE).regex(IDENT, IDENT_RULE),
  description: z.string().max(1000, 'Description can be at most 1000 characters').optional(),
  bus: z
    .string({ error: 'EventBridgeBus is required' })
    .min(1, IDENT_RULE)
    .max(255, IDENT_RULE)
    .regex(IDENT, IDENT_RULE),
  /** Neutral filter; only `exact: { source: "aws.partner/..." }` (EventFilter.Source) translates. */
  filter: SpecFilterSchema,
  /** Accepted by the schema so that the routing translator can refuse them with its reason. */
  targets: TargetsSchema.optional(),
  delivery: DeliverySchema.optional(),
  tags: AwsTags.optional(),
  clientToken: z
    .string()
    .min(1, 'ClientToken must be 1-2048 characters')
    .max(2048, 'ClientToken must be 1-2048 characters')
    .optional(),
  extensions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
export type AwsIntegrationInput = z.infer<typeof AwsIntegrationInput>;

/**
 * A ClientToken derived from the desired resource: the same desired integration always sends the
 * same token, so a retried create (after a lost response) is idempotent at the service.
 */
export function deriveClientToken(
  input: Omit<AwsIntegrationInput, 'filter'> & { filter: FilterInput },
): string {
  const canonical = JSON.stringify([
    input.name,
    input.description ?? null,
    input.bus,
    serializeFilter(normalizeFilter(input.filter)),
    Object.entries(input.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)),
  ]);
  return `polybus-${createHash('sha256').update(canonical).digest('hex')}`;
}

/** EventIntegration -> Integration. */
export function integrationFromAws(e: {
  Name?: string;
  Description?: string;
  EventIntegrationArn?: string;
  EventBridgeBus?: string;
  EventFilter?: { Source?: string };
  Tags?: Record<string, string>;
}): Integration {
  return {
    id: e.Name ?? '',
    name: e.Name ?? '',
    ...(e.Description !== undefined ? { description: e.Description } : {}),
    ...(e.Tags && Object.keys(e.Tags).length ? { tags: { ...e.Tags } } : {}),
    provider: P,
    status: 'Active',
    bus: e.EventBridgeBus ?? '',
    ...(e.EventFilter?.Source ? { filter: { exact: { source: e.EventFilter.Source } } } : {}),
    extensions: { aws: { EventIntegrationArn: e.EventIntegrationArn } },
  };
}

/** EventBridge tags: at most 50, keys 1-128 not starting with aws:, values up to 256. */
export const EventBridgeTags = z
  .record(
    z
      .string()
      .min(1, 'tag keys must be 1-128 characters')
      .max(128, 'tag keys must be 1-128 characters')
      .refine((k) => !k.startsWith('aws:'), 'tag keys cannot start with aws:'),
    z.string().max(256, 'tag values can be at most 256 characters'),
  )
  .refine((t) => Object.keys(t).length <= 50, 'an EventBridge resource has at most 50 tags');

/** CreateEventBus input rules for a custom bus. */
export const AwsBusInput = z.object({
  name: z
    .string()
    .min(1, 'EventBridge bus names are 1-256 characters')
    .max(256, 'EventBridge bus names are 1-256 characters')
    .regex(
      /^[.\-_A-Za-z0-9]+$/,
      'custom bus names use letters, digits, . - and _ (a / is for partner buses only)',
    )
    .refine(
      (n) => n !== 'default',
      "default is the account's default bus; it exists already and cannot be created",
    ),
  tags: EventBridgeTags.optional(),
  extensions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

/** EventBus (+ its tags) -> Bus; the bus name is its id, as AppIntegrations refers to it. */
export function busFromAws(
  b: { Name?: string; Arn?: string; Policy?: string },
  tags: Record<string, string>,
): Bus {
  return {
    id: b.Name ?? '',
    name: b.Name ?? '',
    ...(Object.keys(tags).length ? { tags } : {}),
    provider: P,
    status: 'Active',
    extensions: { aws: { Arn: b.Arn, ...(b.Policy ? { Policy: b.Policy } : {}) } },
  };
}

/** A reference to a partner event source, which AppIntegrations only names. */
export function sourceReference(name: string): Source {
  return { id: name, name, provider: P, status: 'reference', bus: '', kind: 'partner' };
}
