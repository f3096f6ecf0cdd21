/**
 * `polybus/azure`: the native escape hatch to Azure Event Grid: the ARM client (one call per
 * operation of the catalog, long-running operations polled, `nextLink` pages) with polybus's
 * Entra ID tokens, retries and redaction. It must never be re-exported from the root entry (that
 * would load the adapter for every user).
 */
import { nativeContext } from '../../sdk/native.js';
import type { PolybusOptions } from '../../sdk/create.js';
import type { AzureClient } from './client.js';
import { azureSend, openAzureClientFrom, operateAzure } from './native.js';
import type { NativeSend } from '../../sdk/native-send.js';
import type { AzureOperation } from './actions.js';

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
export type { NativeSend, NativeSendOptions } from '../../sdk/native-send.js';

/** An opened native client and how to release its connections. */
export interface OpenedAzureClient {
  /**
   * Sends any ARM operation by its id (AzureOperation: a misspelled one does not compile), with
   * its path parameters and `body`, and returns the parsed answer. The same call on every
   * provider's entry.
   */
  send: NativeSend<AzureOperation>;
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
 * const { send, close } = openAzureClient();
 * const { value } = await send('Topics_ListByResourceGroup');
 * await close();
 */
export function openAzureClient(options: PolybusOptions = {}): OpenedAzureClient {
  const { ctx, close } = nativeContext('azure', options);
  const opened = openAzureClientFrom(ctx);
  return {
    ...opened,
    send: azureSend(opened.client),
    operate: (name, input, signal) => operateAzure(opened.client, name, input, signal),
    close,
  };
}
