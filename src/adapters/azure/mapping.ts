/**
 * Neutral <-> Azure Event Grid: custom topics as buses, topic event subscriptions as integrations,
 * and the input rules from the documents (names, tags, the filter escape hatch), checked by zod
 * before any request. Topic keys and WebHook URLs with secrets never go into an error.
 */
import { z } from 'zod';
import { SpecFilterSchema } from '../../core/model/filter.js';
import { type Bus, type Integration, TagsSchema, unknownExtensionKeys } from '../../core/model/resources.js';
import {
  DeliverySchema,
  exactlyOneFilter,
  type NativeFilter,
  TargetsSchema,
} from '../../core/model/routing.js';
import { compact, toIsoTime } from '../../core/runtime/parse.js';
import { type AzureFilter, validateAzureFilter } from './filter.js';
import { azureRouteToNeutral, type CaseMode, filterFromAzureFilter } from './routing.js';

const P = 'azure';

/** Topic names (Topics_CreateOrUpdate): 3-50 letters, digits and hyphens. */
const TOPIC_RULE = 'must be 3-50 letters, digits and hyphens (Event Grid topic names)';
export const topicName = z.string().regex(/^[A-Za-z0-9-]{3,50}$/, TOPIC_RULE);
/** Event subscription names: 3-64 letters, digits and hyphens. */
const SUB_RULE = 'must be 3-64 letters, digits and hyphens (Event Grid event subscription names)';
export const subscriptionName = z.string().regex(/^[A-Za-z0-9-]{3,64}$/, SUB_RULE);

/** ARM tags: at most 50; names at most 512 characters without `< > % & \ ? /`, values at most 256. */
const tags = TagsSchema.refine(
  (t) => Object.keys(t).length <= 50,
  'a resource has at most 50 tags (ARM tag limits)',
)
  .refine(
    (t) => Object.keys(t).every((k) => k.length >= 1 && k.length <= 512 && !/[<>%&\\?/]/.test(k)),
    'tag names are 1-512 characters without < > % & \\ ? / (ARM tag limits)',
  )
  .refine(
    (t) => Object.values(t).every((v) => v.length <= 256),
    'tag values have at most 256 characters (ARM tag limits)',
  )
  .optional();

const noDescription = z
  .undefined({ error: 'Event Grid topics and event subscriptions have no description field' })
  .optional();

/** The documented writable native fields per kind (`extensions.azure`). */
export const AZURE_EXTENSIONS = {
  bus: ['publicNetworkAccess', 'disableLocalAuth', 'inboundIpRules'],
  integration: ['filter', 'deadLetterDestination'],
} as const;

/** Topic input: name, tags and the public-access properties. */
export const AzureBusInput = z.object({
  name: topicName,
  description: noDescription,
  tags,
  extensions: z
    .object({
      azure: z
        .object({
          publicNetworkAccess: z
            .enum(['Enabled', 'Disabled'], { error: 'publicNetworkAccess must be Enabled or Disabled' })
            .optional(),
          disableLocalAuth: z
            .boolean('disableLocalAuth must be a boolean (true: only Entra tokens may publish)')
            .optional(),
          inboundIpRules: z
            .array(z.strictObject({ ipMask: z.string().min(1), action: z.literal('Allow') }), {
              error: 'inboundIpRules is an array of { ipMask, action: Allow }',
            })
            .max(16, 'a topic takes at most 16 inbound IP rules')
            .optional(),
        })
        .optional(),
    })
    .catchall(z.record(z.string(), z.unknown()))
    .superRefine(unknownExtensionKeys(P, 'bus', AZURE_EXTENSIONS.bus))
    .optional(),
});

/** A native subscription filter (`extensions.azure.filter`), checked against the documented rules and limits. */
export const AzureFilterInput = z.unknown().superRefine((f, ctx) => {
  for (const problem of validateAzureFilter(f))
    ctx.addIssue({ code: 'custom', message: `${problem} (Event Grid "event filtering")` });
});

/** `deadLetterDestination`: a Storage blob container. */
const DeadLetterDestination = z.strictObject(
  {
    endpointType: z.literal('StorageBlob'),
    properties: z.strictObject({
      resourceId: z
        .string()
        .regex(
          /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i,
          'resourceId is a storage account resource id',
        ),
      blobContainerName: z
        .string()
        .regex(
          /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/,
          'blobContainerName is 3-63 lower-case letters, digits and single hyphens',
        ),
    }),
  },
  {
    error:
      'deadLetterDestination is { endpointType: StorageBlob, properties: { resourceId, blobContainerName } }',
  },
);

/** Integration input fields. */
export const AzureIntegrationFields = z.object({
  name: subscriptionName,
  description: noDescription,
  bus: topicName,
  filter: SpecFilterSchema.optional(),
  targets: TargetsSchema.optional(),
  delivery: DeliverySchema.optional(),
  clientToken: z.string().optional(),
  enabled: z
    .literal(true, {
      error:
        'enabled: false cannot be expressed: an Event Grid event subscription has no off switch (delete it instead)',
    })
    .optional(),
  extensions: z
    .object({
      azure: z
        .object({
          /** The native filter escape hatch, instead of a neutral `filter`. */
          filter: AzureFilterInput.optional(),
          deadLetterDestination: DeadLetterDestination.optional(),
        })
        .optional(),
    })
    .catchall(z.record(z.string(), z.unknown()))
    .superRefine(unknownExtensionKeys(P, 'integration', AZURE_EXTENSIONS.integration))
    .optional(),
});

/** Integration patch rules: any subset, never both filters. */
export const AzureIntegrationPatch = AzureIntegrationFields.partial().superRefine(
  exactlyOneFilter(P, 'filter', { partial: true }),
);

/** Integration input rules: exactly one filter; one target (a subscription has one destination). */
export const AzureIntegrationInput = AzureIntegrationFields.superRefine((v, ctx) => {
  exactlyOneFilter(P, 'filter')(v, ctx);
  if (!v.targets?.length)
    ctx.addIssue({
      code: 'custom',
      path: ['targets'],
      message: 'targets is required: an event subscription has exactly one destination',
    });
});

/** Azure's native filter, as read back and compared by the plan, under a case mode. */
export function azureNativeFilter(mode: CaseMode): NativeFilter {
  return {
    field: 'filter',
    normalize: (native) => native,
    toNeutral: (native) =>
      validateAzureFilter(native).length ? undefined : filterFromAzureFilter(native as AzureFilter, mode),
  };
}

/** An ARM timestamp of `systemData`, if any. */
const stamp = (r: Record<string, unknown>, k: 'createdAt' | 'lastModifiedAt') =>
  toIsoTime((r.systemData as Record<string, string | undefined> | undefined)?.[k]);

/** Topic -> Bus: id is the topic name (within the provider's resource group). */
export function busFromAzure(t: Record<string, unknown>): Bus {
  const props = (t.properties ?? {}) as Record<string, unknown>;
  const tagsOf = t.tags as Record<string, string> | undefined;
  const rules = props.inboundIpRules as unknown[] | undefined;
  return compact({
    id: String(t.name),
    name: String(t.name),
    provider: P,
    status: typeof props.provisioningState === 'string' ? props.provisioningState : undefined,
    createdAt: stamp(t, 'createdAt'),
    updatedAt: stamp(t, 'lastModifiedAt'),
    tags: tagsOf && Object.keys(tagsOf).length ? tagsOf : undefined,
    extensions: {
      azure: compact({
        // Only settings away from the service's defaults are read back.
        publicNetworkAccess: props.publicNetworkAccess === 'Disabled' ? 'Disabled' : undefined,
        disableLocalAuth: props.disableLocalAuth === true ? true : undefined,
        inboundIpRules: rules?.length ? rules : undefined,
      }),
    },
  }) as Bus;
}

/** Event subscription -> Integration; `fullUrl` is the WebHook's endpoint URL from getFullUrl. */
export function integrationFromAzure(
  s: Record<string, unknown>,
  topic: string,
  mode: CaseMode,
  fullUrl?: string,
): Integration {
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const native = (props.filter ?? {}) as AzureFilter;
  const filter = filterFromAzureFilter(native, mode);
  const route = azureRouteToNeutral(
    props.destination as { endpointType?: string; properties?: Record<string, unknown> } | undefined,
    props.retryPolicy as { maxDeliveryAttempts?: number } | undefined,
    fullUrl,
  );
  return compact({
    id: `${topic}/${String(s.name)}`,
    name: String(s.name),
    provider: P,
    status: typeof props.provisioningState === 'string' ? props.provisioningState : undefined,
    createdAt: stamp(s, 'createdAt'),
    updatedAt: stamp(s, 'lastModifiedAt'),
    bus: topic,
    filter,
    targets: route.targets,
    delivery: route.delivery,
    extensions: {
      azure: compact({
        filter: filter ? undefined : native,
        deadLetterDestination: props.deadLetterDestination ?? undefined,
      }),
    },
  }) as Integration;
}
