// The Azure Event Grid (Microsoft.EventGrid) ARM operations polybus can send, as data: operation
// id (as the REST reference and `@azure/arm-eventgrid` name them), HTTP method, path template and
// whether it is long-running. Read by the client, the capability declarations and `polybus call`.
// It must never import the client, a schema library or an SDK.

/** One ARM operation. */
export interface AzureOperationSpec {
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE' | 'POST';
  /**
   * Path template under `/subscriptions/{subscriptionId}`; `{resourceGroupName}` defaults to the
   * provider's resource group, other `{name}` segments come from the input.
   */
  path: string;
  /** Answered with `Azure-AsyncOperation` or `Location`: polled to the end. */
  lro?: true;
  /** Pages with `nextLink`. */
  list?: true;
  /** Sends the input's `body` (else no body). */
  body?: true;
}

const TOPIC = '/resourceGroups/{resourceGroupName}/providers/Microsoft.EventGrid/topics/{topicName}';
const SUB = `${TOPIC}/eventSubscriptions/{eventSubscriptionName}`;

/** Every operation of the catalog, by its REST operation id. */
export const AZURE_OPERATIONS = {
  Topics_CreateOrUpdate: { method: 'PUT', path: TOPIC, lro: true, body: true },
  Topics_Get: { method: 'GET', path: TOPIC },
  Topics_Update: { method: 'PATCH', path: TOPIC, lro: true, body: true },
  Topics_Delete: { method: 'DELETE', path: TOPIC, lro: true },
  Topics_ListByResourceGroup: {
    method: 'GET',
    path: '/resourceGroups/{resourceGroupName}/providers/Microsoft.EventGrid/topics',
    list: true,
  },
  Topics_ListBySubscription: { method: 'GET', path: '/providers/Microsoft.EventGrid/topics', list: true },
  Topics_ListSharedAccessKeys: { method: 'POST', path: `${TOPIC}/listKeys` },
  TopicEventSubscriptions_CreateOrUpdate: { method: 'PUT', path: SUB, lro: true, body: true },
  TopicEventSubscriptions_Get: { method: 'GET', path: SUB },
  TopicEventSubscriptions_Update: { method: 'PATCH', path: SUB, lro: true, body: true },
  TopicEventSubscriptions_Delete: { method: 'DELETE', path: SUB, lro: true },
  TopicEventSubscriptions_List: { method: 'GET', path: `${TOPIC}/eventSubscriptions`, list: true },
  TopicEventSubscriptions_GetFullUrl: { method: 'POST', path: `${SUB}/getFullUrl` },
} as const satisfies Record<string, AzureOperationSpec>;

/** An ARM operation id of the catalog. */
export type AzureOperation = keyof typeof AZURE_OPERATIONS;

/** The operation ids, in table order. */
export const AZURE_OPERATION_NAMES = Object.keys(AZURE_OPERATIONS) as AzureOperation[];

/** The ARM api-version polybus speaks (the one `@azure/arm-eventgrid` 14 sends). */
export const AZURE_API_VERSION = '2022-06-15';
