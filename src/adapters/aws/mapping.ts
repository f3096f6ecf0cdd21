/**
 * Neutral <-> AppIntegrations mapping, the documented input constraints, and the deterministic
 * ClientToken. Nothing here touches the network or the SDK's runtime.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { normalizeFilter, serializeFilter, SpecFilterSchema } from '../../core/model/filter.js';
import {
  type Bus,
  type FilterInput,
  type Integration,
  nativeExtensions,
  type Source,
  TagsSchema,
} from '../../core/model/resources.js';
import { DeliverySchema, TargetsSchema } from '../../core/model/routing.js';

const P = 'aws';
const IDENT = /^[a-zA-Z0-9/._-]+$/;
const IDENT_RULE = 'must be 1-255 characters matching ^[a-zA-Z0-9\\/\\._\\-]+$';

/** True when a name holds a `.` or `..` segment between slashes (`../x`, `a/./b`, `x/..`). */
export const hasDotSegment = (name: string): boolean =>
  name.split('/').some((segment) => segment === '.' || segment === '..');
/**
 * Names and ids may hold `/` and `.`, but a `.` or `..` segment would walk up a request path once a
 * server or proxy decodes the escaped `/`: refused before any request.
 */
export const DOT_SEGMENT_RULE =
  'cannot hold a . or .. segment between slashes (a dot segment walks up the request path)';
const ident = z
  .string()
  .min(1, IDENT_RULE)
  .max(255, IDENT_RULE)
  .regex(IDENT, IDENT_RULE)
  .refine((n) => !hasDotSegment(n), DOT_SEGMENT_RULE);

/** Tags as AppIntegrations allows them. */
export const AwsTags = z
  .record(
    TagsSchema.keyType
      .min(1, 'tag keys must be 1-128 characters')
      .max(128, 'tag keys must be 1-128 characters')
      .refine((k) => !k.startsWith('aws:'), 'tag keys cannot start with aws:')
      .regex(/^[a-zA-Z+-=._:/]+$/, 'tag keys must match ^(?!aws:)[a-zA-Z+-=._:/]+$'),
    TagsSchema.valueType.max(256, 'tag values can be at most 256 characters'),
  )
  .refine((t) => Object.keys(t).length <= 200, 'at most 200 tags');

/** CreateEventIntegration input rules (seed 003). */
export const AwsIntegrationInput = z.object({
  name: ident,
  description: z.string().max(1000, 'Description can be at most 1000 characters').optional(),
  bus: z
    .string({ error: 'EventBridgeBus is required' })
    .min(1, IDENT_RULE)
    .max(255, IDENT_RULE)
    .regex(IDENT, IDENT_RULE)
    .refine((n) => !hasDotSegment(n), DOT_SEGMENT_RULE),
  /** Neutral filter; only `exact: { source: "aws.partner/..." }` (EventFilter.Source) translates. */
  filter: SpecFilterSchema,
  /** Accepted by the schema so that the routing translator can refuse them with its reason. */
  targets: TargetsSchema.optional(),
  delivery: DeliverySchema.optional(),
  enabled: z.boolean().optional(),
  tags: AwsTags.optional(),
  clientToken: z
    .string()
    .min(1, 'ClientToken must be 1-2048 characters')
    .max(2048, 'ClientToken must be 1-2048 characters')
    .optional(),
  extensions: nativeExtensions(P, 'integration', {}),
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
  };
}

/** EventBridge tags: at most 50, keys 1-128 not starting with aws:, values up to 256. */
export const EventBridgeTags = z
  .record(
    TagsSchema.keyType
      .min(1, 'tag keys must be 1-128 characters')
      .max(128, 'tag keys must be 1-128 characters')
      .refine((k) => !k.startsWith('aws:'), 'tag keys cannot start with aws:'),
    TagsSchema.valueType.max(256, 'tag values can be at most 256 characters'),
  )
  .refine((t) => Object.keys(t).length <= 50, 'an EventBridge resource has at most 50 tags');

/**
 * The documented writable EventBridge bus fields (`extensions.aws`), from CreateEventBus and
 * UpdateEventBus. `EventSourceName` makes a partner bus (create only). Read-only fields (Arn,
 * Policy, CreationTime, LastModifiedTime) are never accepted nor read back.
 */
export const AWS_EXTENSIONS = {
  bus: {
    KmsKeyIdentifier: z
      .string()
      .min(1, 'KmsKeyIdentifier must be 1-2048 characters (a KMS key ARN, key id, alias or alias ARN)')
      .max(2048, 'KmsKeyIdentifier must be 1-2048 characters (a KMS key ARN, key id, alias or alias ARN)')
      // null clears it: UpdateEventBus without a key goes back to an AWS owned key
      .nullable()
      .optional(),
    DeadLetterConfig: z
      .strictObject({
        Arn: z
          .string()
          .min(1, 'DeadLetterConfig.Arn must be 1-1600 characters (an SQS queue ARN)')
          .max(1600, 'DeadLetterConfig.Arn must be 1-1600 characters (an SQS queue ARN)'),
      })
      .nullable()
      .optional(),
    LogConfig: z
      .strictObject({
        IncludeDetail: z.enum(['NONE', 'FULL'], 'LogConfig.IncludeDetail must be NONE or FULL').optional(),
        Level: z
          .enum(['OFF', 'ERROR', 'INFO', 'TRACE'], 'LogConfig.Level must be OFF, ERROR, INFO or TRACE')
          .optional(),
      })
      .nullable()
      .optional(),
    EventSourceName: z
      .string()
      .regex(
        /^aws\.partner(\/[.\-_A-Za-z0-9]+){2,}$/,
        'EventSourceName must be a partner event source aws.partner/<partner>/<name>',
      )
      .max(256, 'EventSourceName must be at most 256 characters')
      .optional(),
  },
} as const;

/** CreateEventBus input rules: a custom bus, or a partner bus named after its event source. */
export const AwsBusInput = z.object({
  name: z
    .string()
    .min(1, 'EventBridge bus names are 1-256 characters')
    .max(256, 'EventBridge bus names are 1-256 characters')
    .regex(/^[/.\-_A-Za-z0-9]+$/, 'bus names use letters, digits, . - _ (and / for partner buses only)')
    .refine((n) => !hasDotSegment(n), DOT_SEGMENT_RULE)
    .refine(
      (n) => n !== 'default',
      "default is the account's default bus; it exists already and cannot be created",
    ),
  description: z.string().max(512, 'Description can be at most 512 characters').optional(),
  tags: EventBridgeTags.optional(),
  extensions: nativeExtensions(P, 'bus', AWS_EXTENSIONS.bus),
});

const AWS_BUS_SETTINGS = Object.keys(AWS_EXTENSIONS.bus);

/** The partner-bus rule of CreateEventBus: a / only in a partner bus, whose name is its source's. */
export function partnerBusIssues(input: {
  name?: unknown;
  extensions?: Record<string, Record<string, unknown>> | undefined;
}): { field: string; rule: string }[] {
  const source = input.extensions?.aws?.EventSourceName;
  const name = typeof input.name === 'string' ? input.name : undefined;
  if (name === undefined) return [];
  if (typeof source === 'string' && name !== source)
    return [{ field: 'name', rule: `a partner bus must be named after its event source ${source}` }];
  if (typeof source !== 'string' && name.includes('/'))
    return [
      {
        field: 'name',
        rule: 'custom bus names use letters, digits, . - and _ (a / is for partner buses: set extensions.aws.EventSourceName)',
      },
    ];
  return [];
}

/** EventBus (+ its tags) -> Bus; the bus name is its id, as AppIntegrations refers to it. */
export function busFromAws(
  b: {
    Name?: string;
    Arn?: string;
    Description?: string;
    KmsKeyIdentifier?: string;
    DeadLetterConfig?: { Arn?: string };
    LogConfig?: { IncludeDetail?: string; Level?: string };
    EventSourceName?: string;
  },
  tags: Record<string, string>,
): Bus {
  // DescribeEventBus does not return EventSourceName: a partner bus is named after its source.
  const partner = b.Name?.startsWith('aws.partner/') ? { EventSourceName: b.Name } : {};
  const aws = Object.fromEntries(
    Object.entries({ ...b, ...partner }).filter(
      ([k, v]) => (AWS_BUS_SETTINGS as readonly string[]).includes(k) && v !== undefined && v !== '',
    ),
  );
  return {
    id: b.Name ?? '',
    name: b.Name ?? '',
    ...(b.Description ? { description: b.Description } : {}),
    ...(Object.keys(tags).length ? { tags } : {}),
    provider: P,
    status: 'Active',
    ...(Object.keys(aws).length ? { extensions: { aws } } : {}),
  };
}

/** A reference to a partner event source, which AppIntegrations only names. */
export function sourceReference(name: string): Source {
  return { id: name, name, provider: P, status: 'reference', bus: '', kind: 'partner' };
}
