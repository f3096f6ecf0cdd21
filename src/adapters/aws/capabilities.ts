/**
 * AWS's cells of the capability matrix: EventBridge buses and rules with targets, and
 * AppIntegrations event integrations (the Amazon Connect path). Data only: importing this never
 * loads the AWS SDK.
 */
import { type CapabilitySet, cell, unsupportedKind } from '../../core/model/capabilities.js';
import type { MutabilityTable, ReplaceStrategy } from '../../core/contract/provider.js';
import { AWS_ACTIONS } from './actions.js';

const REF_SOURCE =
  'the partner event source is referenced by name in EventFilter.Source; AppIntegrations does not manage sources';

/** Where each neutral attribute is in an EventBridge event (publish's mapping). */
const MAPPING = 'rules: source -> source, type -> detail-type, subject -> resources';
const CONNECT =
  'Event integrations (no targets, for Amazon Connect): EventFilter.Source only, an exact partner source aws.partner/...';
const ARRAYS =
  'On an array value, EventBridge reads a condition as "some element"; a neutral not means "no element": named in docs/decisions.md';
const NO_ID = 'id, time and extensions have no place in an EventBridge event: refused';

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
          'emulator: the logged entry, each rule with the condition that decided it, each target with what it got (API destinations delivered over loopback with the RetryPolicy), and the event integrations that would hand it to Amazon Connect; a real EventBridge offers no event lookup API',
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
          'with targets: an EventBridge rule (PutRule, then PutTargets; entry-level failures reported per target); without targets: an AppIntegrations event integration for Amazon Connect (CreateEventIntegration, then a Get)',
          'PutRule',
          'PutTargets',
          'CreateEventIntegration',
          'GetEventIntegration',
        ),
        get: cell(
          'native',
          'a rule by bus/name (DescribeRule, ListTargetsByRule, its tags), an event integration by Name',
          'DescribeRule',
          'ListTargetsByRule',
          'GetEventIntegration',
        ),
        list: cell(
          'native',
          'event integrations, then the rules of each bus (or of the bus asked for); rules another service manages (ManagedBy) are left out',
          'ListEventIntegrations',
          'ListEventBuses',
          'ListRules',
        ),
        update: cell(
          'native',
          'rules: pattern and description by PutRule, enabled by EnableRule/DisableRule in place, targets diffed by Id (RemoveTargets, PutTargets), tags by TagResource/UntagResource; managed rules refused. Event integrations: Description in place, tags; Name, EventBridgeBus and EventFilter.Source are replace-only',
          'PutRule',
          'EnableRule',
          'DisableRule',
          'PutTargets',
          'RemoveTargets',
          'UpdateEventIntegration',
          'TagResource',
          'UntagResource',
        ),
        delete: cell(
          'native',
          'rules: targets removed first, then DeleteRule (managed rules refused); event integrations: refused while clients are associated',
          'RemoveTargets',
          'DeleteRule',
          'DeleteEventIntegration',
          'ListEventIntegrationAssociations',
        ),
      },
      features: {
        pagination: cell(
          'native',
          'NextToken: ListEventIntegrations (MaxResults 1-50), ListRules and ListTargetsByRule (Limit 1-100), iterated lazily',
          'ListEventIntegrations',
          'ListRules',
          'ListTargetsByRule',
        ),
        filterBySource: cell(
          'native',
          'rules: "source" in the event pattern; event integrations: EventFilter.Source',
          'PutRule',
          'CreateEventIntegration',
        ),
        tags: cell(
          'native',
          'Tags on create (PutRule, CreateEventIntegration); TagResource/UntagResource on update',
          'PutRule',
          'TagResource',
          'UntagResource',
          'ListTagsForResource',
        ),
        idempotencyToken: cell(
          'partial',
          'event integrations: ClientToken, derived from the desired resource unless given; rules: PutRule and PutTargets are upserts by name and Id, so a retry repeats the same state',
          'CreateEventIntegration',
          'PutRule',
        ),
        enabled: cell(
          'partial',
          'rules: State ENABLED/DISABLED, switched in place with EnableRule/DisableRule; an event integration has no on/off state',
          'EnableRule',
          'DisableRule',
        ),
      },
    },
  },
  // Routing (issue 23): an integration with targets is an EventBridge rule; without targets, an
  // AppIntegrations event integration (EventFilter.Source only) for Amazon Connect.
  routing: {
    'filter.exact.context': cell(
      'native',
      `${MAPPING}; exact value. ${CONNECT}`,
      'PutRule',
      'CreateEventIntegration',
    ),
    'filter.exact.data': cell('native', `detail.<path>, exact value (rules only). ${ARRAYS}`, 'PutRule'),
    'filter.prefix.context': cell('native', `${MAPPING}; {"prefix": v} (rules only)`, 'PutRule'),
    'filter.prefix.data': cell('native', '{"prefix": v} on detail.<path> (rules only)', 'PutRule'),
    'filter.suffix.context': cell('native', `${MAPPING}; {"suffix": v} (rules only)`, 'PutRule'),
    'filter.suffix.data': cell('native', '{"suffix": v} on detail.<path> (rules only)', 'PutRule'),
    'filter.all.context': cell(
      'partial',
      `fields AND; two conditions on one field AND only where they narrow to one list (exact values, anything-but lists), else refused naming the field. ${NO_ID}`,
      'PutRule',
    ),
    'filter.all.data': cell(
      'partial',
      'fields AND; two different positive conditions on one data field are refused (a data field may be an array)',
      'PutRule',
    ),
    'filter.any.context': cell(
      'native',
      'one field: its list of alternatives; across fields: $or (at most 64 alternatives)',
      'PutRule',
    ),
    'filter.any.data': cell(
      'native',
      'one field: its list of alternatives; across fields: $or (at most 64 alternatives)',
      'PutRule',
    ),
    'filter.not.context': cell(
      'native',
      'source, type: anything-but; subject (optional): $or of exists:false and anything-but',
      'PutRule',
    ),
    'filter.not.data': cell(
      'partial',
      `$or of {"exists": false} and anything-but: exact for scalar values. ${ARRAYS}`,
      'PutRule',
    ),
    'filter.native': cell(
      'native',
      'extensions.aws.EventPattern (object or JSON string), checked against the documented operators and sent as written',
      'PutRule',
    ),
    'target.http': cell(
      'native',
      'an API destination polybus keeps for the target (url -> InvocationEndpoint, POST) through the EventBridge connection named in connection (its authorization), invoked with extensions.aws.RoleArn; both are asked for, never invented',
      'CreateApiDestination',
      'PutTargets',
    ),
    'target.function': cell('native', 'a Lambda function ARN', 'PutTargets'),
    'target.kafka': cell(
      'unsupported',
      'a rule has no Kafka target (EventBridge Pipes reads from Kafka; it does not write to it)',
    ),
    'target.log': cell('native', 'a CloudWatch Logs log group ARN', 'PutTargets'),
    'delivery.retry': cell(
      'partial',
      "retry.maxAttempts -> RetryPolicy.MaximumRetryAttempts (0-185) on each target; the schedule is the service's (exponential with jitter): backoff fixed/linear and delaySeconds refused; the age limit is extensions.aws.MaximumEventAgeInSeconds",
      'PutTargets',
    ),
    'delivery.deadLetter': cell(
      'partial',
      'an SQS queue per target in extensions.aws.DeadLetterConfig {Arn}; the neutral Kafka dead letter is refused',
      'PutTargets',
    ),
    'delivery.transform': cell(
      'partial',
      "path -> InputPath, template -> InputTransformer (InputPathsMap + InputTemplate) over publish's mapping; templates holding < or > refused",
      'PutTargets',
    ),
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
  // The table is per kind: a filter change is a replace for both shapes (an event integration's
  // EventFilter.Source cannot change; a rule is recreated with its new pattern). Targets, delivery
  // and enabled change in place (rules).
  integration: {
    description: 'update',
    tags: 'tags',
    name: 'replace',
    bus: 'replace',
    filter: 'replace',
    targets: 'update',
    delivery: 'update',
    enabled: 'update',
    'extensions.aws.EventPattern': 'replace',
  },
};

/** Name is the identifier, so a replacement deletes first (blocked while associations exist). */
export const awsReplaceStrategy: Partial<
  Record<'bus' | 'source' | 'connection' | 'integration', ReplaceStrategy>
> = {
  integration: 'delete-before-create',
};
