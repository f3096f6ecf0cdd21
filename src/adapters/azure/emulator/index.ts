/**
 * A loopback Azure Event Grid: Microsoft Entra ID's client-credentials token endpoint, Azure
 * Resource Manager for custom topics and their event subscriptions (long-running operations,
 * ARM errors and request ids, `nextLink` paging), the WebHook validation handshake, and each
 * topic's CloudEvents publishing endpoint with Event Grid's filter semantics and real deliveries
 * on loopback. Checked with `@azure/arm-eventgrid` and `@azure/eventgrid` (test/azure*.test.ts).
 */
export { AZURE_EMULATOR_SUBSCRIPTION_2, AzureEmulator, type AzureEmulatorOptions } from './server.js';
export {
  AZURE_EMULATOR_CLIENT,
  AZURE_EMULATOR_RESOURCE_GROUP,
  AZURE_EMULATOR_SUBSCRIPTION,
  AZURE_EMULATOR_TENANT,
} from './token.js';
export { HANDSHAKE_ORIGIN } from './subscriptions.js';
