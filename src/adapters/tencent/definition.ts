/**
 * Tencent Cloud EventBridge, declared once: what the registry, the SDK, the CLI and the package
 * entries know of it. Everything heavy loads on first use.
 */
import type { ExtensionsFrom, ProviderDefinition } from '../../core/contract/definition.js';
import type { tencentCapabilities } from './capabilities.js';
import type { TENCENT_EXTENSIONS } from './mapping.js';
import type { TencentAction } from './actions.js';
import { type TencentOptions, TencentOptionsSchema } from './options.js';
import { TENCENT_ACTIONS } from './actions.js';
import type { TencentCredentials } from './auth.js';
import type { TencentEmulator } from './emulator/index.js';

/** A native EventPattern may be written as the JSON string CreateRule takes. */
const parseIfString = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
};

/** What the tencent provider declares at the type level (the typed provider is derived from it). */
export interface TencentTraits {
  capabilities: typeof tencentCapabilities;
  extensions: ExtensionsFrom<typeof TENCENT_EXTENSIONS>;
  eventExtensions: false;
  action: TencentAction;
}

/** The Tencent EventBridge provider. */
export const tencent: ProviderDefinition<
  'tencent',
  TencentOptions,
  TencentCredentials,
  TencentEmulator,
  TencentTraits
> = {
  name: 'tencent',
  displayName: 'Tencent EventBridge',
  options: TencentOptionsSchema,
  envNamespaces: ['TENCENTCLOUD_'],
  profiles: 'sections of ~/.tencentcloud/credentials (TENCENTCLOUD_CREDENTIALS_FILE)',
  nativeActions: TENCENT_ACTIONS,
  nativeFilterField: 'EventPattern',
  capabilities: async () => (await import('./capabilities.js')).tencentCapabilities,
  create: async (ctx) => (await import('./index.js')).createProvider(ctx),
  openNative: async (ctx) => (await import('./native.js')).openNativeCall(ctx),
  routing: async () => {
    const m = await import('./routing.js');
    return {
      translator: m.tencentRouting as never,
      evaluate: (p, e) => m.matchesEventPattern(parseIfString(p) as Record<string, unknown>, e),
      validate: (p) => m.validateEventPattern(parseIfString(p)),
    };
  },
  startEmulator: async () => (await import('./emulator/harness.js')).startTencentEmulator(),
};
