/**
 * Neutral <-> AppIntegrations mapping, the documented input constraints, and the deterministic
 * ClientToken. Nothing here touches the network or the SDK's runtime.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Bus, Integration, Source } from '../../core/model.js';

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
  filter: z.object({
    source: z
      .string()
      .min(1, 'EventFilter.Source must be 1-256 characters')
      .max(256, 'EventFilter.Source must be 1-256 characters'),
  }),
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
export function deriveClientToken(input: AwsIntegrationInput): string {
  const canonical = JSON.stringify([
    input.name,
    input.description ?? null,
    input.bus,
    input.filter.source,
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
    filter: { source: e.EventFilter?.Source ?? '' },
    extensions: { aws: { EventIntegrationArn: e.EventIntegrationArn } },
  };
}

/** A reference to an EventBridge bus, which AppIntegrations only names. */
export function busReference(name: string): Bus {
  return {
    id: name,
    name,
    provider: P,
    status: 'reference',
    extensions: { aws: { note: 'EventBridge bus referenced by name' } },
  };
}

/** A reference to a partner event source, which AppIntegrations only names. */
export function sourceReference(name: string): Source {
  return { id: name, name, provider: P, status: 'reference', bus: '', kind: 'partner' };
}
