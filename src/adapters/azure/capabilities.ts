/**
 * Azure Event Grid's cells of the capability matrix. Data only: no network, no SDK.
 */
import { type CapabilitySet, cell, unsupportedKind } from '../../core/model/capabilities.js';
import type { MutabilityTable, ReplaceStrategy } from '../../core/contract/provider.js';
import { AZURE_OPERATION_NAMES } from './actions.js';

const PAGING = cell('native', 'nextLink paging ($top up to 100), iterated lazily', 'nextLink');
const PUT = cell(
  'emulated',
  'no client token: ARM PUT is create-or-update, so a create resent after a lost answer leaves the same resource',
);
const NO_DESCRIPTION = 'Event Grid topics and event subscriptions have no description field';

/** What Azure Event Grid supports. */
export const azureCapabilities = {
  provider: 'azure',
  displayName: 'Azure Event Grid',
  nativeActions: AZURE_OPERATION_NAMES,
  kinds: {
    bus: {
      operations: {
        create: cell(
          'native',
          'custom topic (CloudEventSchemaV1_0 input) in the provider resource group and region; long-running, polled to the end',
          'Topics_CreateOrUpdate',
        ),
        get: cell('native', 'by topic name', 'Topics_Get'),
        list: cell('native', 'custom topics of the resource group', 'Topics_ListByResourceGroup'),
        update: cell(
          'native',
          'tags and publicNetworkAccess, disableLocalAuth, inboundIpRules (PATCH); the name is immutable (replace)',
          'Topics_Update',
        ),
        delete: cell('native', 'by topic name, with its event subscriptions; long-running', 'Topics_Delete'),
      },
      features: {
        pagination: PAGING,
        tags: cell(
          'native',
          'ARM tags (at most 50; names 1-512 characters, values up to 256)',
          'Topics_CreateOrUpdate',
          'Topics_Update',
        ),
        retention: cell(
          'unsupported',
          'a topic keeps no events: Event Grid retries delivery for up to 24 hours per subscription',
        ),
        idempotencyToken: PUT,
        encryption: cell('unsupported', 'custom topics take no customer-managed key setting'),
        deadLetter: cell('unsupported', 'dead letters belong to event subscriptions (deadLetterDestination)'),
        logging: cell('unsupported', 'diagnostic settings are a separate Azure Monitor resource'),
        partnerSource: cell(
          'unsupported',
          'partner topics are a separate resource type polybus does not manage',
        ),
        publish: cell(
          'native',
          'CloudEvents 1.0 whole (extensions and data_base64 included) to the topic endpoint with an Entra token',
          'POST {topic endpoint}/api/events',
        ),
        publishBatch: cell(
          'native',
          'as many events as fit in 1 MB a request; an event over 1 MB is refused',
          'POST {topic endpoint}/api/events',
        ),
        partialFailure: cell(
          'partial',
          'a request succeeds or fails whole: every event of a failed request gets its error',
          'POST {topic endpoint}/api/events',
        ),
        trace: cell(
          'emulated',
          'emulator: exact event subscription matches (Event Grid filter semantics), WebHook attempts and status; a real Event Grid offers no event lookup API',
        ),
      },
      unsupportedFields: { description: NO_DESCRIPTION, retentionDays: 'a topic keeps no events' },
    },
    source: unsupportedKind(
      'Event Grid has no source resource on a custom topic: any holder of an Entra role or a topic key publishes, and the event names its own source. System and partner topics are separate resources polybus does not map.',
    ),
    connection: unsupportedKind(
      'Event Grid has no connection resource: a destination is reached directly (WebHook, Azure Function...) with its authentication on the event subscription',
    ),
    integration: {
      operations: {
        create: cell(
          'native',
          'event subscription on the topic: filter, one destination, retry policy; long-running, a WebHook must pass the validation handshake',
          'TopicEventSubscriptions_CreateOrUpdate',
        ),
        get: cell(
          'native',
          'id topic/subscription; the WebHook URL read with getFullUrl',
          'TopicEventSubscriptions_Get',
          'TopicEventSubscriptions_GetFullUrl',
        ),
        list: cell(
          'native',
          'event subscriptions of a topic (of every topic of the resource group without one)',
          'TopicEventSubscriptions_List',
        ),
        update: cell(
          'native',
          'filter, destination and retry policy (PATCH); name and topic are immutable (replace)',
          'TopicEventSubscriptions_Update',
        ),
        delete: cell('native', 'by topic/subscription; long-running', 'TopicEventSubscriptions_Delete'),
      },
      features: {
        pagination: PAGING,
        filterBySource: cell(
          'partial',
          'StringIn on source in advancedFilters (values without letters, or with caseInsensitiveMatch: accept)',
        ),
        tags: cell('unsupported', 'event subscriptions carry labels, not ARM tags'),
        idempotencyToken: PUT,
        enabled: cell(
          'unsupported',
          'an event subscription has no off switch: enabled: false is refused (delete it instead)',
        ),
        deadLetter: cell(
          'partial',
          'deadLetterDestination StorageBlob through extensions.azure.deadLetterDestination (the neutral dead letter is Kafka)',
        ),
      },
      unsupportedFields: { description: NO_DESCRIPTION },
    },
  },
  // Routing: Event Grid "event filtering" (operators, case-insensitive strings, arrays), quotas page (25/25/512), the ARM EventSubscription model.
  routing: {
    'filter.exact.context': cell(
      'partial',
      'type -> includedEventTypes, others -> StringIn; strings compare without case, so values with letters need caseInsensitiveMatch: accept',
      'TopicEventSubscriptions_CreateOrUpdate',
    ),
    'filter.exact.data': cell(
      'partial',
      'StringIn on data.<path> (array filtering on); values with letters need caseInsensitiveMatch: accept',
    ),
    'filter.prefix.context': cell(
      'partial',
      'subject -> subjectBeginsWith with isSubjectCaseSensitive (exact); other attributes StringBeginsWith, case rule as for exact',
    ),
    'filter.prefix.data': cell('partial', 'StringBeginsWith on data.<path>; case rule as for exact'),
    'filter.suffix.context': cell(
      'partial',
      'subject -> subjectEndsWith with isSubjectCaseSensitive (exact); other attributes StringEndsWith, case rule as for exact',
    ),
    'filter.suffix.data': cell('partial', 'StringEndsWith on data.<path>; case rule as for exact'),
    'filter.all.context': cell(
      'native',
      'conditions AND (at most 25 advanced filters and 25 values across them)',
    ),
    'filter.all.data': cell(
      'native',
      'conditions AND (at most 25 advanced filters and 25 values across them)',
    ),
    'filter.any.context': cell(
      'partial',
      'alternatives on one key with one operator (its values OR); any across keys or operators is refused',
    ),
    'filter.any.data': cell(
      'partial',
      'alternatives on one data key with one operator; any across keys is refused',
    ),
    'filter.not.context': cell(
      'partial',
      'StringNotIn/NotBeginsWith/NotEndsWith on id, source, specversion, type (always present); not on subject or extensions is refused',
    ),
    'filter.not.data': cell(
      'unsupported',
      'a data field may be absent, and polybus does not rely on a NOT operator there: refused',
    ),
    'filter.native': cell(
      'native',
      'escape hatch for what the neutral filter cannot say (NumberInRange, StringContains, BoolEquals, IsNullOrUndefined, case-insensitive matching...): extensions.azure.filter, the subscription filter, checked against the documented rules and sent as written; never migrated',
      'TopicEventSubscriptions_CreateOrUpdate',
    ),
    'target.http': cell(
      'native',
      'WebHook destination (https; it must pass the validation handshake), CloudEvents delivery schema',
    ),
    'target.function': cell('native', 'AzureFunction destination by the function resource id'),
    'target.kafka': cell(
      'unsupported',
      'Event Grid has no Kafka destination (Event Hubs is a different resource)',
    ),
    'target.log': cell('unsupported', 'Event Grid has no log destination'),
    'delivery.retry': cell(
      'partial',
      "retryPolicy.maxDeliveryAttempts = retries + 1 (1-30); the backoff schedule is the service's",
    ),
    'delivery.deadLetter': cell(
      'unsupported',
      'the neutral dead letter is Kafka; Event Grid dead-letters to a Storage blob container (extensions.azure.deadLetterDestination)',
    ),
    'delivery.transform': cell('unsupported', 'Event Grid delivers the whole event'),
  },
} satisfies CapabilitySet;

/** Which neutral fields change in place and which force a replacement. */
export const azureMutability: MutabilityTable = {
  bus: {
    name: 'replace',
    tags: 'update',
    'extensions.azure.publicNetworkAccess': 'update',
    'extensions.azure.disableLocalAuth': 'update',
    'extensions.azure.inboundIpRules': 'update',
  },
  integration: {
    name: 'replace',
    bus: 'replace',
    filter: 'update',
    targets: 'update',
    delivery: 'update',
    'extensions.azure.filter': 'update',
    'extensions.azure.deadLetterDestination': 'update',
  },
};

/** ARM names are the identifiers: a replacement deletes before it creates. */
export const azureReplaceStrategy: Partial<Record<'bus' | 'integration', ReplaceStrategy>> = {
  bus: 'delete-before-create',
  integration: 'delete-before-create',
};
