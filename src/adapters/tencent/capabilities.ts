/**
 * Tencent EventBridge's cells of the capability matrix. Data only: no SDK, no network, so the
 * CLI can render it without loading the adapter.
 */
import { type CapabilitySet, cell, unsupportedKind } from '../../core/capabilities.js';
import type { MutabilityTable, ReplaceStrategy } from '../../core/provider.js';

const PAGING = cell('native', 'Offset/Limit paging (max 100 per page), iterated lazily', 'Offset', 'Limit');

/** What Tencent EventBridge supports. */
export const tencentCapabilities: CapabilitySet = {
  provider: 'tencent',
  displayName: 'Tencent EventBridge',
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
        update: cell('native', 'name, description and log retention in place', 'UpdateEventBus'),
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
        tags: cell('unsupported', 'the 2021-04-16 bus actions take no Tags parameter'),
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
        tags: cell('unsupported', 'connector actions take no tags'),
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
          'an event rule on the bus whose EventPattern is {"source":[filter.source]}',
          'CreateRule',
        ),
        get: cell('emulated', 'the rule, with filter.source read back from its EventPattern', 'GetRule'),
        list: cell(
          'emulated',
          'ListRules (which omits EventPattern) plus GetRule per rule',
          'ListRules',
          'GetRule',
        ),
        update: cell('emulated', 'name, description and filter.source (EventPattern) in place', 'UpdateRule'),
        delete: cell(
          'emulated',
          'DeleteRule; refused (Conflict) while the rule still has targets',
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
        tags: cell('unsupported', 'rule actions take no tags'),
        idempotencyToken: cell(
          'emulated',
          'ambiguous create -> lookup by name on the bus before any retry',
          'ListRules',
        ),
      },
    },
  },
};

/** Which neutral fields change in place and which force a replacement. */
export const tencentMutability: MutabilityTable = {
  bus: { name: 'update', description: 'update', retentionDays: 'update' },
  connection: { name: 'update', description: 'update', bus: 'replace', kind: 'replace', endpoint: 'replace' },
  integration: { name: 'update', description: 'update', 'filter.source': 'update', bus: 'replace' },
};

/** Ids are generated, so a replacement can create the new resource before deleting the old. */
export const tencentReplaceStrategy: Partial<
  Record<'bus' | 'source' | 'connection' | 'integration', ReplaceStrategy>
> = {
  connection: 'create-before-delete',
  integration: 'create-before-delete',
};
