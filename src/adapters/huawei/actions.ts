// The Huawei EventGrid operations polybus can send, as data (name, method, path template): read
// by the client that executes them, the capability declarations and `polybus call`. It must never
// import the client, a schema library or an SDK.

/** One EventGrid operation: its API Explorer name, HTTP method and path under `/v1/{project_id}`. */
export interface HuaweiOperationSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template; `{name}` segments are taken from the input (huawei-eventgrid.md, Paths). */
  path: string;
  /** The list operations page with offset/limit and answer `{ total, size, items }`. */
  list?: true;
}

/** Every operation of the reference (huawei-eventgrid.md), by its native name. */
export const HUAWEI_OPERATIONS = {
  CreateChannel: { method: 'POST', path: '/channels' },
  ShowChannel: { method: 'GET', path: '/channels/{channel_id}' },
  ListChannels: { method: 'GET', path: '/channels', list: true },
  UpdateChannel: { method: 'PUT', path: '/channels/{channel_id}' },
  DeleteChannel: { method: 'DELETE', path: '/channels/{channel_id}' },
  CreateEventSource: { method: 'POST', path: '/sources' },
  ShowEventSource: { method: 'GET', path: '/sources/{source_id}' },
  ListEventSources: { method: 'GET', path: '/sources', list: true },
  UpdateEventSource: { method: 'PUT', path: '/sources/{source_id}' },
  DeleteEventSource: { method: 'DELETE', path: '/sources/{source_id}' },
  CreateConnection: { method: 'POST', path: '/connections' },
  ShowConnection: { method: 'GET', path: '/connections/{connection_id}' },
  ListConnections: { method: 'GET', path: '/connections', list: true },
  UpdateConnection: { method: 'PUT', path: '/connections/{connection_id}' },
  DeleteConnection: { method: 'DELETE', path: '/connections/{connection_id}' },
  CreateSubscription: { method: 'POST', path: '/subscriptions' },
  ShowSubscription: { method: 'GET', path: '/subscriptions/{subscription_id}' },
  ListSubscriptions: { method: 'GET', path: '/subscriptions', list: true },
  UpdateSubscription: { method: 'PUT', path: '/subscriptions/{subscription_id}' },
  DeleteSubscription: { method: 'DELETE', path: '/subscriptions/{subscription_id}' },
  OperateSubscription: { method: 'POST', path: '/subscriptions/operation' },
  UpdateSubscriptionSource: {
    method: 'PUT',
    path: '/subscriptions/{subscription_id}/sources/{source_id}',
  },
  UpdateSubscriptionTarget: {
    method: 'PUT',
    path: '/subscriptions/{subscription_id}/targets/{target_id}',
  },
  ListQuotas: { method: 'GET', path: '/quotas' },
} as const satisfies Record<string, HuaweiOperationSpec>;

/** A native EventGrid operation name. */
export type HuaweiOperation = keyof typeof HUAWEI_OPERATIONS;

/** The operation names, in table order. */
export const HUAWEI_OPERATION_NAMES = Object.keys(HUAWEI_OPERATIONS) as HuaweiOperation[];
