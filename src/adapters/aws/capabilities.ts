/**
 * AWS's cells of the capability matrix: AppIntegrations event integrations, with EventBridge for
 * buses. Data only: importing this never
 * loads the AWS SDK.
 */
import { type CapabilitySet, cell, unsupportedKind } from '../../core/capabilities.js';
import type { MutabilityTable, ReplaceStrategy } from '../../core/provider.js';

const REF_SOURCE =
  'the partner event source is referenced by name in EventFilter.Source; AppIntegrations does not manage sources';

/** What AWS AppIntegrations supports. */
export const awsCapabilities: CapabilitySet = {
  provider: 'aws',
  displayName: 'AWS AppIntegrations + EventBridge',
  kinds: {
    bus: {
      operations: {
        create: cell(
          'native',
          'custom EventBridge event bus (EventBridge API, @aws-sdk/client-eventbridge)',
          'CreateEventBus',
          'DescribeEventBus',
        ),
        get: cell('native', 'by name, with its tags', 'DescribeEventBus', 'ListTagsForResource'),
        list: cell(
          'native',
          'every bus of the account, default included; tags read per bus',
          'ListEventBuses',
          'ListTagsForResource',
        ),
        update: cell(
          'partial',
          'tags only: this EventBridge API model has no UpdateEventBus',
          'TagResource',
          'UntagResource',
        ),
        delete: cell('native', 'custom buses; the default bus cannot be deleted', 'DeleteEventBus'),
      },
      features: {
        tags: cell(
          'native',
          'Tags on create; TagResource/UntagResource after',
          'CreateEventBus',
          'TagResource',
          'UntagResource',
        ),
        pagination: cell('native', 'NextToken/Limit (1-100), iterated lazily', 'ListEventBuses'),
        publish: cell(
          'native',
          'EventBridge entries: source, type -> DetailType, data -> Detail (JSON object), time, subject -> Resources[0]; EventId assigned by the service; extensions refused per event',
          'PutEvents',
        ),
        publishBatch: cell(
          'native',
          '10 entries and 256 KB a request, entry size computed as the guide says (Time 14 + UTF-8 of Source, DetailType, Detail, Resources)',
          'PutEvents',
        ),
        partialFailure: cell(
          'native',
          'FailedEntryCount: only the failed entries with a retryable ErrorCode are resent',
          'PutEvents',
        ),
        trace: cell(
          'emulated',
          'emulator: the logged entry and the event integrations that would hand it to Amazon Connect (nothing delivered); a real EventBridge offers no event lookup API',
        ),
        idempotencyToken: cell(
          'emulated',
          'no client token on CreateEventBus: an ambiguous create is followed by a lookup by name',
          'DescribeEventBus',
        ),
        retention: cell('unsupported', 'EventBridge keeps events in archives, not on the bus'),
      },
      unsupportedFields: {
        description: 'CreateEventBus in this EventBridge API model (SDK 3.523) has no Description',
      },
    },
    source: {
      operations: {
        create: cell('unsupported', REF_SOURCE),
        get: cell(
          'reference-only',
          'returns a reference to the partner event source name, without a request',
        ),
        list: cell('unsupported', REF_SOURCE),
        update: cell('unsupported', REF_SOURCE),
        delete: cell('unsupported', REF_SOURCE),
      },
      features: {},
    },
    connection: unsupportedKind('AppIntegrations event integrations have no connection resource'),
    integration: {
      operations: {
        create: cell(
          'native',
          'EventIntegration (metadata only); answers just the ARN, so polybus follows with a Get',
          'CreateEventIntegration',
          'GetEventIntegration',
        ),
        get: cell('native', 'by Name (the identifier)', 'GetEventIntegration'),
        list: cell('native', 'optionally filtered by EventBridge bus client-side', 'ListEventIntegrations'),
        update: cell(
          'native',
          'Description in place, tags via Tag/UntagResource; Name, EventBridgeBus and EventFilter.Source are replace-only',
          'UpdateEventIntegration',
          'TagResource',
          'UntagResource',
        ),
        delete: cell(
          'native',
          'refused while clients are associated (checked first with ListEventIntegrationAssociations)',
          'DeleteEventIntegration',
          'ListEventIntegrationAssociations',
        ),
      },
      features: {
        pagination: cell('native', 'NextToken/MaxResults (1-50), iterated lazily', 'ListEventIntegrations'),
        filterBySource: cell('native', 'EventFilter.Source', 'CreateEventIntegration'),
        tags: cell(
          'native',
          'Tags on create; TagResource/UntagResource on update (lowercase tags/tagKeys)',
          'TagResource',
          'UntagResource',
          'ListTagsForResource',
        ),
        idempotencyToken: cell(
          'native',
          'ClientToken, derived from the desired resource unless given',
          'CreateEventIntegration',
        ),
      },
    },
  },
};

/** Mutability: only Description updates in place; tags go through tag calls. */
export const awsMutability: MutabilityTable = {
  bus: { name: 'replace', tags: 'tags' },
  integration: {
    description: 'update',
    tags: 'tags',
    name: 'replace',
    bus: 'replace',
    'filter.source': 'replace',
  },
};

/** Name is the identifier, so a replacement deletes first (blocked while associations exist). */
export const awsReplaceStrategy: Partial<
  Record<'bus' | 'source' | 'connection' | 'integration', ReplaceStrategy>
> = {
  integration: 'delete-before-create',
};
