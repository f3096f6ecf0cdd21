/**
 * Huawei Cloud EventGrid's cells of the capability matrix. Data only: no network, no SDK.
 */
import { type CapabilitySet, cell } from '../../core/model/capabilities.js';
import type { MutabilityTable, ReplaceStrategy } from '../../core/contract/provider.js';
import { HUAWEI_OPERATION_NAMES } from './actions.js';

const PAGING = cell('native', 'offset/limit paging, iterated lazily', 'offset', 'limit');
const NO_TAGS = cell('unsupported', 'EventGrid v1 bodies carry no tags');
const LOOKUP = cell(
  'emulated',
  'no client token: names are unique per tenant, so an ambiguous create is followed by a lookup by name',
);

/** What Huawei EventGrid supports. */
export const huaweiCapabilities = {
  provider: 'huawei',
  displayName: 'Huawei EventGrid',
  nativeActions: HUAWEI_OPERATION_NAMES,
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
          'description, enterprise_project_id, cross_account and policy; the name is immutable (replace)',
          'PUT /v1/{project_id}/channels/{channel_id}',
        ),
        delete: cell('native', 'by channel id', 'DELETE /v1/{project_id}/channels/{channel_id}'),
      },
      features: {
        pagination: PAGING,
        tags: NO_TAGS,
        retention: cell('unsupported', 'channels have no event retention setting'),
        idempotencyToken: LOOKUP,
        encryption: cell('unsupported', 'channel bodies take no encryption key'),
        deadLetter: cell(
          'unsupported',
          'dead-letter queues belong to subscription targets (dead_letter_queue)',
        ),
        logging: cell('unsupported', 'channel bodies take no log settings'),
        partnerSource: cell('unsupported', 'EventGrid has no partner event buses'),
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
      features: {
        pagination: PAGING,
        tags: NO_TAGS,
        idempotencyToken: LOOKUP,
        enabled: cell('unsupported', 'an EventGrid connection has no switch: it is a network link'),
      },
      unsupportedFields: {
        endpoint:
          'an EventGrid connection is a VPC/subnet link: the endpoint belongs to the subscription target',
      },
    },
    integration: {
      operations: {
        create: cell(
          'emulated',
          'a subscription on the channel: one CUSTOM source whose filter rule comes from the neutral filter, and 1-5 targets (neutral targets and/or extensions.huawei.targets)',
          'POST /v1/{project_id}/subscriptions',
        ),
        get: cell(
          'emulated',
          'the subscription: filter read back from its source filter rule, targets and delivery from its targets',
          'GET /v1/{project_id}/subscriptions/{subscription_id}',
        ),
        list: cell(
          'emulated',
          'subscriptions, optionally of one channel',
          'GET /v1/{project_id}/subscriptions',
        ),
        update: cell(
          'emulated',
          'description, filter and targets in place (live source and target ids kept); name and channel are immutable (replace)',
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
        enabled: cell(
          'native',
          'enabled: false disables the subscription, true enables it (after create, and on update)',
          'POST /v1/{project_id}/subscriptions/operation',
        ),
      },
    },
  },
  // Routing (issue 9): EG user guide "Filter Rule Parameters" (eg-ug-018), fact sheet, EG SDK targets.
  routing: {
    'filter.exact.context': cell(
      'partial',
      'StringIn on source, type and subject only; source is required and takes only StringIn',
      'CreateSubscription',
    ),
    'filter.exact.data': cell(
      'native',
      'StringIn on data.<path> (at most 5 sub-fields, 5 levels)',
      'CreateSubscription',
    ),
    'filter.prefix.context': cell(
      'partial',
      'StringStartsWith on type and subject; source takes only StringIn',
    ),
    'filter.prefix.data': cell('native', 'StringStartsWith on data.<path>'),
    'filter.suffix.context': cell(
      'partial',
      'StringEndsWith on type and subject; source takes only StringIn',
    ),
    'filter.suffix.data': cell('native', 'StringEndsWith on data.<path>'),
    'filter.all.context': cell(
      'partial',
      'fields AND; AND-ed conditions on one field are refused, except several not (one StringNot* with their values)',
    ),
    'filter.all.data': cell('partial', 'as for context attributes; at most 5 data sub-fields'),
    'filter.any.context': cell(
      'partial',
      'at most 5 conditions per field, ORed; any across different fields is refused',
    ),
    'filter.any.data': cell(
      'partial',
      'at most 5 conditions per data field, ORed; any across fields is refused',
    ),
    'filter.not.context': cell(
      'partial',
      'StringNotIn/NotStartsWith/NotEndsWith on type and subject (IsNull beside it on subject); not on source',
    ),
    'filter.not.data': cell(
      'native',
      'StringNot* with IsNull beside it (the neutral not holds for an absent field)',
    ),
    'filter.native': cell(
      'native',
      'escape hatch for what the neutral filter cannot say (Number*, IsNull, IsNotNull, IsTrue, IsNotTrue): extensions.huawei.filter, the subscription source filter rule, checked against eg-ug-018 and sent as written; read back there when it has no neutral reading; never migrated to another provider',
      'CreateSubscription',
      'UpdateSubscription',
    ),
    'target.http': cell(
      'native',
      'HTTPS (CUSTOM) with detail.url, optionally through connection_id',
      'CreateSubscription',
    ),
    'target.function': cell(
      'partial',
      'HC.FunctionGraph with detail.urn; invoke_type and agency_name come from extensions.huawei.detail',
    ),
    'target.kafka': cell('native', 'HC.Kafka through connection_id, kafka_detail.topic'),
    'target.log': cell(
      'unsupported',
      'EventGrid has no log target (HTTPS, HC.FunctionGraph, HC.Kafka, HC.SMN, HC.EG, HC.APIGW)',
    ),
    'delivery.retry': cell(
      'partial',
      "retry_times on each target; the backoff schedule and delay are the service's",
    ),
    'delivery.deadLetter': cell(
      'native',
      'dead_letter_queue KAFKA (instance_id, connection_id, topic) on each target',
    ),
    'delivery.transform': cell(
      'partial',
      'transform ORIGINAL, CONSTANT (template) or VARIABLE (template + at most 100 variables); a bare path is refused: write it as a template',
    ),
  },
} satisfies CapabilitySet;

/** Which neutral fields change in place and which force a replacement. */
export const huaweiMutability: MutabilityTable = {
  bus: {
    name: 'replace',
    description: 'update',
    'extensions.huawei.enterprise_project_id': 'update',
    'extensions.huawei.cross_account': 'update',
    'extensions.huawei.policy': 'update',
  },
  source: { name: 'replace', bus: 'replace', kind: 'replace', description: 'update', detail: 'update' },
  connection: {
    name: 'replace',
    kind: 'replace',
    network: 'replace',
    kafka: 'replace',
    description: 'update',
  },
  integration: {
    name: 'replace',
    bus: 'replace',
    description: 'update',
    filter: 'update',
    targets: 'update',
    delivery: 'update',
    enabled: 'update',
    'extensions.huawei.targets': 'update',
  },
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
