/**
 * Huawei Cloud EventGrid's cells of the capability matrix. Data only: no network, no SDK.
 */
import { type CapabilitySet, cell } from '../../core/capabilities.js';
import type { MutabilityTable, ReplaceStrategy } from '../../core/provider.js';

const PAGING = cell('native', 'offset/limit paging, iterated lazily', 'offset', 'limit');
const NO_TAGS = cell('unsupported', 'EventGrid v1 bodies carry no tags');
const LOOKUP = cell(
  'emulated',
  'no client token: names are unique per tenant, so an ambiguous create is followed by a lookup by name',
);

/** What Huawei EventGrid supports. */
export const huaweiCapabilities: CapabilitySet = {
  provider: 'huawei',
  displayName: 'Huawei EventGrid',
  kinds: {
    bus: {
      operations: {
        create: cell('native', 'custom event channel', 'POST /v1/{project_id}/channels'),
        get: cell('native', 'by channel id', 'GET /v1/{project_id}/channels/{channel_id}'),
        list: cell(
          'native',
          'custom channels of the project (official ones cannot be managed)',
          'GET /v1/{project_id}/channels',
        ),
        update: cell(
          'native',
          'description only; the name is immutable (replace)',
          'PUT /v1/{project_id}/channels/{channel_id}',
        ),
        delete: cell('native', 'by channel id', 'DELETE /v1/{project_id}/channels/{channel_id}'),
      },
      features: {
        pagination: PAGING,
        tags: NO_TAGS,
        retention: cell('unsupported', 'channels have no event retention setting'),
        idempotencyToken: LOOKUP,
        publish: cell(
          'native',
          'CloudEvents carried as they are (id, source, specversion, type, subject, time, datacontenttype, dataschema, data); extensions and data_base64 refused per event',
          'POST /v1/{project_id}/channels/{channel_id}/events',
        ),
        publishBatch: cell('native', 'at most 20 events a request (EG.00533007)', 'PutEvents'),
        partialFailure: cell(
          'native',
          'events[].error_code per event; only retryable failed events are resent',
          'PutEvents',
        ),
        trace: cell(
          'emulated',
          'emulator: exact subscription matches, webhook attempts and status from its delivery log; a real EventGrid offers no event lookup API',
        ),
      },
    },
    source: {
      operations: {
        create: cell(
          'native',
          'custom event source on a custom channel (APPLICATION, RABBITMQ, ROCKETMQ)',
          'POST /v1/{project_id}/sources',
        ),
        get: cell(
          'native',
          'by source id; secret fields of detail are never returned',
          'GET /v1/{project_id}/sources/{source_id}',
        ),
        list: cell('native', 'optionally restricted to one channel', 'GET /v1/{project_id}/sources'),
        update: cell(
          'native',
          'description and detail; name, channel and type are immutable (replace)',
          'PUT /v1/{project_id}/sources/{source_id}',
        ),
        delete: cell('native', 'by source id', 'DELETE /v1/{project_id}/sources/{source_id}'),
      },
      features: { pagination: PAGING, tags: NO_TAGS, idempotencyToken: LOOKUP },
    },
    connection: {
      operations: {
        create: cell(
          'native',
          "an outbound network link (VPC + subnet) for webhook or Kafka targets, not an inbound connector like Tencent's; created asynchronously, polybus waits for CREATED",
          'POST /v1/{project_id}/connections',
          'GET /v1/{project_id}/connections/{connection_id}',
        ),
        get: cell(
          'native',
          'by connection id; the Kafka password is write-only and never returned',
          'GET /v1/{project_id}/connections/{connection_id}',
        ),
        list: cell('native', 'all connections of the project', 'GET /v1/{project_id}/connections'),
        update: cell(
          'native',
          'description only; everything else is a replace',
          'PUT /v1/{project_id}/connections/{connection_id}',
        ),
        delete: cell('native', 'by connection id', 'DELETE /v1/{project_id}/connections/{connection_id}'),
      },
      features: { pagination: PAGING, tags: NO_TAGS, idempotencyToken: LOOKUP },
    },
    integration: {
      operations: {
        create: cell(
          'emulated',
          'a subscription on the channel with one CUSTOM source filtered by source (StringIn); targets (1-5) come from extensions.huawei.targets',
          'POST /v1/{project_id}/subscriptions',
        ),
        get: cell(
          'emulated',
          'the subscription, filter.source read back from its source filter',
          'GET /v1/{project_id}/subscriptions/{subscription_id}',
        ),
        list: cell(
          'emulated',
          'subscriptions, optionally of one channel',
          'GET /v1/{project_id}/subscriptions',
        ),
        update: cell(
          'emulated',
          'description, filter.source and targets in place; name and channel are immutable (replace)',
          'PUT /v1/{project_id}/subscriptions/{subscription_id}',
        ),
        delete: cell(
          'emulated',
          'by subscription id',
          'DELETE /v1/{project_id}/subscriptions/{subscription_id}',
        ),
      },
      features: {
        pagination: PAGING,
        filterBySource: cell('emulated', 'source filter {"source":[{"op":"StringIn","values":[...]}]}'),
        tags: NO_TAGS,
        idempotencyToken: LOOKUP,
      },
    },
  },
};

/** Which neutral fields change in place and which force a replacement. */
export const huaweiMutability: MutabilityTable = {
  bus: { name: 'replace', description: 'update' },
  source: { name: 'replace', bus: 'replace', kind: 'replace', description: 'update', detail: 'update' },
  connection: {
    name: 'replace',
    kind: 'replace',
    network: 'replace',
    kafka: 'replace',
    endpoint: 'replace',
    description: 'update',
  },
  integration: { name: 'replace', bus: 'replace', description: 'update', 'filter.source': 'update' },
};

/** Names are unique per tenant: a replacement must delete the old resource before creating the new. */
export const huaweiReplaceStrategy: Partial<
  Record<'bus' | 'source' | 'connection' | 'integration', ReplaceStrategy>
> = {
  bus: 'delete-before-create',
  source: 'delete-before-create',
  connection: 'delete-before-create',
  integration: 'delete-before-create',
};
