/**
 * AWS's cells of the capability matrix: AppIntegrations event integrations, with EventBridge for
 * buses. Data only: importing this never
 * loads the AWS SDK.
 */
import { type CapabilitySet, cell, unsupportedKind } from '../../core/model/capabilities.js';
import type { MutabilityTable, ReplaceStrategy } from '../../core/contract/provider.js';
import { AWS_ACTIONS } from './actions.js';

const REF_SOURCE =
  'the partner event source is referenced by name in EventFilter.Source; AppIntegrations does not manage sources';

const EXACT =
  'EventFilter has one field, Source, compared exactly: only exact: { source: "aws.partner/..." }';
const TARGETS =
  'an event integration has no targets of its own: Amazon Connect binds to it through event integration associations (ListEventIntegrationAssociations); polybus does not create them';
const NO_DELIVERY = 'an event integration has no delivery policy (retry, dead letter, transform)';

/** What AWS AppIntegrations supports. */
export const awsCapabilities = {
  provider: 'aws',
  displayName: 'AWS AppIntegrations + EventBridge',
  nativeActions: AWS_ACTIONS,
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
          'native',
          'description, KMS key, dead-letter and log config in place; tags via TagResource/UntagResource; the name and EventSourceName need a replace',
          'UpdateEventBus',
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
        encryption: cell(
          'native',
          'extensions.aws.KmsKeyIdentifier (customer managed KMS key) on create and update',
          'CreateEventBus',
          'UpdateEventBus',
        ),
        deadLetter: cell(
          'native',
          'extensions.aws.DeadLetterConfig {Arn: SQS queue} on create and update',
          'CreateEventBus',
          'UpdateEventBus',
        ),
        logging: cell(
          'native',
          'extensions.aws.LogConfig {IncludeDetail, Level} on create and update',
          'CreateEventBus',
          'UpdateEventBus',
        ),
        partnerSource: cell(
          'native',
          'extensions.aws.EventSourceName makes a partner bus named after its aws.partner/ source (create only)',
          'CreateEventBus',
        ),
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
        enabled: cell(
          'unsupported',
          'an event integration has no on/off state: it is metadata only; pause delivery on the EventBridge side',
        ),
      },
    },
  },
  // Routing (issue 9): CreateEventIntegration EventFilter (seed 003); associations are made by Amazon Connect.
  routing: {
    'filter.exact.context': cell(
      'partial',
      'EventFilter.Source only, a partner event source aws.partner/... (1-256 characters); other attributes refused',
      'CreateEventIntegration',
    ),
    'filter.exact.data': cell(
      'unsupported',
      'EventFilter has one field, Source: data fields cannot be filtered',
    ),
    'filter.prefix.context': cell('unsupported', EXACT),
    'filter.prefix.data': cell('unsupported', EXACT),
    'filter.suffix.context': cell('unsupported', EXACT),
    'filter.suffix.data': cell('unsupported', EXACT),
    'filter.all.context': cell('unsupported', EXACT),
    'filter.all.data': cell('unsupported', EXACT),
    'filter.any.context': cell('unsupported', EXACT),
    'filter.any.data': cell('unsupported', EXACT),
    'filter.not.context': cell('unsupported', EXACT),
    'filter.not.data': cell('unsupported', EXACT),
    'filter.native': cell(
      'unsupported',
      'no native filter beyond EventFilter.Source, which exact: { source: "aws.partner/..." } already says',
    ),
    'target.http': cell('reference-only', TARGETS),
    'target.function': cell('reference-only', TARGETS),
    'target.kafka': cell('reference-only', TARGETS),
    'target.log': cell('reference-only', TARGETS),
    'delivery.retry': cell('unsupported', NO_DELIVERY),
    'delivery.deadLetter': cell('unsupported', NO_DELIVERY),
    'delivery.transform': cell('unsupported', NO_DELIVERY),
  },
} satisfies CapabilitySet;

/** Mutability: only Description updates in place; tags go through tag calls. */
export const awsMutability: MutabilityTable = {
  bus: {
    name: 'replace',
    tags: 'tags',
    description: 'update',
    'extensions.aws.KmsKeyIdentifier': 'update',
    'extensions.aws.DeadLetterConfig': 'update',
    'extensions.aws.LogConfig': 'update',
    'extensions.aws.EventSourceName': 'replace',
  },
  integration: {
    description: 'update',
    tags: 'tags',
    name: 'replace',
    bus: 'replace',
    filter: 'replace',
  },
};

/** Name is the identifier, so a replacement deletes first (blocked while associations exist). */
export const awsReplaceStrategy: Partial<
  Record<'bus' | 'source' | 'connection' | 'integration', ReplaceStrategy>
> = {
  integration: 'delete-before-create',
};
