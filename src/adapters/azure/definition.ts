/**
 * Azure Event Grid, declared once: what the registry, the SDK, the CLI and the package entries
 * know of it. Everything heavy loads on first use.
 */
import type { ExtensionsFrom, ProviderDefinition } from '../../core/contract/definition.js';
import type { azureCapabilities } from './capabilities.js';
import type { AZURE_EXTENSIONS } from './mapping.js';
import { AZURE_OPERATION_NAMES, type AzureOperation } from './actions.js';
import type { AzureCredentials } from './auth.js';
import type { AzureEmulator } from './emulator/index.js';
import { type AzureOptions, AzureOptionsSchema } from './options.js';

/** What the azure provider declares at the type level (the typed provider is derived from it). */
export interface AzureTraits {
  capabilities: typeof azureCapabilities;
  extensions: ExtensionsFrom<typeof AZURE_EXTENSIONS>;
  eventExtensions: true;
  action: AzureOperation;
}

/** The Azure Event Grid provider. */
export const azure: ProviderDefinition<'azure', AzureOptions, AzureCredentials, AzureEmulator, AzureTraits> =
  {
    name: 'azure',
    displayName: 'Azure Event Grid',
    options: AzureOptionsSchema,
    envNamespaces: ['AZURE_'],
    nativeActions: AZURE_OPERATION_NAMES,
    nativeFilterField: 'filter',
    capabilities: async () => (await import('./capabilities.js')).azureCapabilities,
    create: async (ctx) => (await import('./index.js')).createProvider(ctx),
    openNative: async (ctx) => (await import('./native.js')).openNativeCall(ctx),
    routing: async () => {
      const [r, f] = await Promise.all([import('./routing.js'), import('./filter.js')]);
      return {
        translator: r.azureRouting as never,
        evaluate: (native, e) =>
          f.matchesAzureFilter(native as Parameters<typeof f.matchesAzureFilter>[0], e),
        validate: (native) => f.validateAzureFilter(native),
      };
    },
    startEmulator: async () => (await import('./emulator/harness.js')).startAzureEmulator(),
  };
