/**
 * Huawei Cloud EventGrid, declared once: what the registry, the SDK, the CLI and the package
 * entries know of it. Everything heavy loads on first use.
 */
import type { ExtensionsFrom, ProviderDefinition } from '../../core/contract/definition.js';
import type { huaweiCapabilities } from './capabilities.js';
import type { HUAWEI_EXTENSIONS } from './mapping.js';
import type { HuaweiOperation } from './actions.js';
import { type HuaweiOptions, HuaweiOptionsSchema } from './options.js';
import { HUAWEI_OPERATION_NAMES } from './actions.js';
import type { HuaweiCredentials } from './auth.js';
import type { HuaweiEmulator } from './emulator/index.js';

/** What the huawei provider declares at the type level (the typed provider is derived from it). */
export interface HuaweiTraits {
  capabilities: typeof huaweiCapabilities;
  extensions: ExtensionsFrom<typeof HUAWEI_EXTENSIONS>;
  eventExtensions: true;
  action: HuaweiOperation;
}

/** The Huawei EventGrid provider. */
export const huawei: ProviderDefinition<
  'huawei',
  HuaweiOptions,
  HuaweiCredentials,
  HuaweiEmulator,
  HuaweiTraits
> = {
  name: 'huawei',
  displayName: 'Huawei EventGrid',
  options: HuaweiOptionsSchema,
  envNamespaces: ['HUAWEICLOUD_', 'HW_'],
  nativeActions: HUAWEI_OPERATION_NAMES,
  nativeFilterField: 'filter',
  capabilities: async () => (await import('./capabilities.js')).huaweiCapabilities,
  create: async (ctx) => (await import('./index.js')).createProvider(ctx),
  openNative: async (ctx) => (await import('./native.js')).openNativeCall(ctx),
  routing: async () => {
    const m = await import('./routing.js');
    return {
      translator: m.huaweiRouting as never,
      evaluate: (r, e) => m.matchesHuaweiFilterRule(r as Parameters<typeof m.matchesHuaweiFilterRule>[0], e),
      validate: (r) => m.validateHuaweiFilterRule(r),
    };
  },
  startEmulator: async () => (await import('./emulator/harness.js')).startHuaweiEmulator(),
};
