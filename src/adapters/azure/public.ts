/**
 * `polybus/azure`: the native escape hatch to Azure Event Grid: the ARM client (one call per
 * operation of the catalog, long-running operations polled, `nextLink` pages) with polybus's
 * Entra ID tokens, retries and redaction. It must never be re-exported from the root entry (that
 * would load the adapter for every user).
 */
import { nativeContext } from '../../sdk/native.js';
import type { PolybusOptions } from '../../sdk/create.js';
import type { AzureClient } from './client.js';
import { openAzureClientFrom, operateAzure } from './native.js';

export {
  AZURE_API_VERSION,
  AZURE_OPERATION_NAMES,
  AZURE_OPERATIONS,
  type AzureOperation,
  type AzureOperationSpec,
} from './actions.js';
export type { AzureCredentials } from './auth.js';
export { AzureClient, type ArmAnswer, type ArmCall, type AzureClientOptions } from './client.js';
export type { AzureOptions } from './options.js';
export type { AzureAdvancedFilter, AzureFilter } from './filter.js';

/** An opened native client and how to release its connections. */
export interface OpenedAzureClient {
  client: AzureClient;
  subscriptionId: string;
  resourceGroup: string;
  /** Sends one operation by its id (as `polybus call azure`). */
  operate(name: string, input?: Record<string, unknown>, signal?: AbortSignal): Promise<unknown>;
  /** Closes the connections of the client's transport. */
  close(): Promise<void>;
}

/**
 * Opens the ARM client with the same options, environment and credentials `createPolybus(options)`
 * would give the Azure provider.
 *
 * @example
 * const { operate, close } = openAzureClient();
 * const { value } = await operate('Topics_ListByResourceGroup');
 * await close();
 */
export function openAzureClient(options: PolybusOptions = {}): OpenedAzureClient {
  const { ctx, close } = nativeContext('azure', options);
  const opened = openAzureClientFrom(ctx);
  return {
    ...opened,
    operate: (name, input, signal) => operateAzure(opened.client, name, input, signal),
    close,
  };
}
