/**
 * Tencent EventBridge's cells of the capability matrix. Data only: no SDK, no network, so the
 * CLI can render it without loading the adapter.
 */
import { type CapabilitySet, cell, unsupportedKind } from '../../core/model/capabilities.js';
import type { MutabilityTable, ReplaceStrategy } from '../../core/contract/provider.js';
import { TENCENT_ACTIONS } from './actions.js';

const PAGING = cell('native', 'Offset/Limit paging (max 100 per page), iterated lazily', 'Offset', 'Limit');

/** What Tencent EventBridge supports. */
export const tencentCapabilities = {
  provider: 'tencent',
  displayName: 'Tencent EventBridge',
  nativeActions: TENCENT_ACTIONS,
  kinds: {
    bus: {
      operations: {
        create: cell('native', 'custom event bus', 'CreateEventBus'),
        get: cell('native', 'by EventBusId', 'GetEventBus'),
        list: cell(
          'native',
          'all buses in the region; GetEventBus per bus, as the list omits SaveDays',
          'ListEventBuses',
          'GetEventBus',
        ),
        update: cell(
          'native',
          'name, description, log retention, EnableStore and LogTopicId in place',
          'UpdateEventBus',
        ),
        delete: cell(
          'native',
          'refused (Conflict) while rules or connectors remain on the bus',
          'DeleteEventBus',
        ),
      },
      features: {
        pagination: PAGING,
        retention: cell(
          'native',
          'SaveDays (log retention) with EnableStore',
          'CreateEventBus',
          'UpdateEventBus',
        ),
        tags: cell(
          'native',
          'through the tag service (the bus actions take none): qcs::eb:{region}:uin/:eventbusid/{id}',
          'ModifyResourceTags',
          'DescribeResourceTagsByResourceIds',
        ),
        encryption: cell('unsupported', 'the bus actions take no encryption key'),
        deadLetter: cell('unsupported', 'dead-letter settings belong to rules (DeadLetterConfig), not buses'),
        partnerSource: cell('unsupported', 'EventBridge (Tencent) has no partner event buses'),
        logging: cell(
          'native',
          'extensions.tencent.EnableStore and LogTopicId (CreateEventBus takes no LogTopicId: an UpdateEventBus follows)',
          'CreateEventBus',
          'UpdateEventBus',
        ),
        idempotencyToken: cell(
          'emulated',
          'no client token: an ambiguous create is followed by a lookup by name before any retry',
          'ListEventBuses',
        ),
        rateLimit: cell(
          'native',
          'documented 20 requests/s per action; polybus paces each action client-side',
        ),
        publish: cell(
          'native',
          'CloudEvents -> Event (Source, Type, Subject, Time ms, Data JSON string); the service assigns the id; extensions, dataschema and non-JSON data are refused per event; own rate limit 1000 requests/s',
          'PutEvents',
        ),
        publishBatch: cell(
          'partial',
          'no documented EventList maximum: polybus sends 10 events a request (its choice)',
          'PutEvents',
        ),
        partialFailure: cell(
          'partial',
          'PutEvents answers for the whole request: every event of a failed request gets its error',
          'PutEvents',
        ),
        trace: cell(
          'native',
          'bus event log (log store enabled): the rules that matched, each rule EventPattern evaluated for the reason; no per-target delivery record, no http target type',
          'SearchLog',
          'GetRule',
          'ListTargets',
        ),
      },
    },
    source: unsupportedKind(
      'EventBridge has no event-source resource: custom events carry a free-form `source` string, which integrations filter on',
    ),
    connection: {
      operations: {
        create: cell(
          'native',
          "event connector on a bus (inbound: tdmq, ckafka, apigw, dts); not an outbound network link like Huawei's",
          'CreateConnection',
        ),
        get: cell(
          'emulated',
          'no GetConnection action: pages ListConnections to the end to find the id',
          'ListConnections',
        ),
        list: cell('native', 'connectors of one bus (`bus` required)', 'ListConnections'),
        update: cell(
          'native',
          'name, description and enable in place; type and resource need a replace',
          'UpdateConnection',
        ),
        delete: cell('native', 'by EventBusId and ConnectionId', 'DeleteConnection'),
      },
      features: {
        pagination: PAGING,
        tags: cell(
          'unsupported',
          'connector actions take no tags, and the tag service names no connector resource',
        ),
        enabled: cell(
          'native',
          'Enable on CreateConnection (default true) and UpdateConnection',
          'CreateConnection',
          'UpdateConnection',
        ),
        idempotencyToken: cell(
          'emulated',
          'ambiguous create -> lookup by name on the bus before any retry',
          'ListConnections',
        ),
      },
    },
    integration: {
      operations: {
        create: cell(
          'emulated',
          'an event rule on the bus: EventPattern from the neutral filter, CreateTarget per target (see the routing rows)',
          'CreateRule',
        ),
        get: cell(
          'emulated',
          'the rule (filter read back from its EventPattern) and its targets',
          'GetRule',
          'ListTargets',
        ),
        list: cell(
          'emulated',
          'ListRules (which omits EventPattern) plus GetRule per rule',
          'ListRules',
          'GetRule',
        ),
        update: cell(
          'emulated',
          'name, description, filter (EventPattern) in place; targets diffed (create, delete, batch settings by UpdateTarget)',
          'UpdateRule',
          'CreateTarget',
          'UpdateTarget',
          'DeleteTarget',
        ),
        delete: cell(
          'emulated',
          'its targets first (DeleteRule is refused while the rule has targets), then DeleteRule',
          'DeleteTarget',
          'DeleteRule',
        ),
      },
      features: {
        pagination: PAGING,
        filterBySource: cell(
          'emulated',
          'EventPattern {"source":[...]} on the rule',
          'CreateRule',
          'UpdateRule',
        ),
        tags: cell(
          'native',
          'through the tag service (the rule actions take none): qcs::eb:{region}:uin/:ruleid/{busId}/{ruleId}; one of the 50 is polybus:transformation (reserved, never in the neutral tags)',
          'ModifyResourceTags',
          'DescribeResourceTagsByResourceIds',
        ),
        enabled: cell(
          'native',
          'the rule switch Enable on CreateRule and UpdateRule',
          'CreateRule',
          'UpdateRule',
        ),
        idempotencyToken: cell(
          'emulated',
          'ambiguous create -> lookup by name on the bus before any retry',
          'ListRules',
        ),
      },
    },
  },
  // Routing (issue 9): Event Pattern page (product 1108 doc 42288), Limits, seed 001 targets.
  routing: {
    'filter.exact.context': cell('native', 'EventPattern value list {"type":["x"]}', 'CreateRule'),
    'filter.exact.data': cell('native', 'nested like the event: {"data":{"a":["x"]}}', 'CreateRule'),
    'filter.prefix.context': cell('native', 'matcher {"prefix":"x"}', 'CreateRule'),
    'filter.prefix.data': cell('native', 'matcher {"prefix":"x"} under data', 'CreateRule'),
    'filter.suffix.context': cell('native', 'matcher {"suffix":"x"}', 'CreateRule'),
    'filter.suffix.data': cell('native', 'matcher {"suffix":"x"} under data', 'CreateRule'),
    'filter.all.context': cell(
      'partial',
      'pattern keys AND; two AND-ed conditions on one field are refused (a field holds one list of alternatives), except several not exact (anything-but list)',
    ),
    'filter.all.data': cell('partial', 'as for context attributes: one list of alternatives per field'),
    'filter.any.context': cell(
      'partial',
      'alternatives on one field OR (value list); any across different fields is refused',
    ),
    'filter.any.data': cell('partial', 'alternatives on one data field OR; any across fields is refused'),
    'filter.not.context': cell(
      'partial',
      'anything-but (value, list, {prefix}, {suffix}) on id, source, specversion, type only: anything-but never matches an event without the field, the neutral not does',
    ),
    'filter.not.data': cell(
      'unsupported',
      'anything-but never matches an event without the field (events must contain every pattern field), the neutral not does: refused',
    ),
    'filter.native': cell(
      'native',
      'escape hatch for what the neutral filter cannot say (numeric, cidr, contain, array...): extensions.tencent.EventPattern, the pattern as an object (or the JSON string CreateRule takes), checked against the Event Pattern page and sent as written; read back there when it has no neutral reading; never migrated to another provider',
      'CreateRule',
      'UpdateRule',
    ),
    'target.http': cell('unsupported', 'CreateTarget Type has no webhook (scf, cls, amp, ckafka, es)'),
    'target.function': cell(
      'native',
      'Type scf, ResourceDescription qcs::scf:...; at most 5 targets per rule',
      'CreateTarget',
    ),
    'target.kafka': cell(
      'native',
      'Type ckafka, ResourceDescription qcs::ckafka:... and TopicName; needs delivery.retry (RetryPolicy is required)',
      'CreateTarget',
    ),
    'target.log': cell('native', 'Type cls, ResourceDescription qcs::cls:...', 'CreateTarget'),
    'delivery.retry': cell(
      'partial',
      'CKafka targets only: RetryPolicy MaxRetryAttempts at a fixed RetryInterval (delaySeconds); other backoffs refused',
      'CreateTarget',
    ),
    'delivery.deadLetter': cell(
      'unsupported',
      'CreateRule/UpdateRule (API 2021-04-16) take no DeadLetterConfig; it is read-only on ListRules',
    ),
    'delivery.transform': cell(
      'partial',
      "path -> Extraction (JSONPath), one transformation per rule; text templates refused; no action lists a rule's transformations, so polybus keeps the TransformationId in the rule's polybus:transformation tag and reads it with GetTransformation; a rule without that tag is warned about, never diffed",
      'CreateTransformation',
      'UpdateTransformation',
      'GetTransformation',
      'DeleteTransformation',
    ),
  },
} satisfies CapabilitySet;

/** Which neutral fields change in place and which force a replacement. */
export const tencentMutability: MutabilityTable = {
  bus: {
    tags: 'tags',
    name: 'update',
    description: 'update',
    retentionDays: 'update',
    'extensions.tencent.EnableStore': 'update',
    'extensions.tencent.LogTopicId': 'update',
  },
  // UpdateConnection takes Enable, Description and ConnectionName only: the
  // ConnectionDescription parameters are set on create.
  connection: {
    name: 'update',
    description: 'update',
    enabled: 'update',
    bus: 'replace',
    kind: 'replace',
    endpoint: 'replace',
    'extensions.tencent.Enable': 'update',
    'extensions.tencent.APIGWParams': 'replace',
    'extensions.tencent.CkafkaParams': 'replace',
    'extensions.tencent.DTSParams': 'replace',
  },
  integration: {
    tags: 'tags',
    name: 'update',
    description: 'update',
    filter: 'update',
    targets: 'update',
    delivery: 'update',
    enabled: 'update',
    bus: 'replace',
    'extensions.tencent.Enable': 'update',
  },
};

/** Ids are generated, so a replacement can create the new resource before deleting the old. */
export const tencentReplaceStrategy: Partial<
  Record<'bus' | 'source' | 'connection' | 'integration', ReplaceStrategy>
> = {
  connection: 'create-before-delete',
  integration: 'create-before-delete',
};
