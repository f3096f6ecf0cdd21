/**
 * The registry of bundled adapters, outside core: names, display names and lazy loaders, so a
 * program that uses only one adapter never imports the others (nor the AWS SDK).
 */
import type { Container } from 'inversify';
import type { CapabilitySet } from './core/capabilities.js';
import {
  bindCredentials,
  bindProviderOptions,
  type ContainerOptions,
  type CredentialSource,
  createContainer,
  type ProviderFactory,
  registerProvider,
} from './core/container.js';

/** A bundled adapter. */
export interface BundledProvider {
  name: string;
  displayName: string;
  /** Loads the adapter module (and its SDK) on first use. */
  factory: ProviderFactory;
  /** Loads only the capability declarations (no SDK). */
  capabilities: () => Promise<CapabilitySet>;
}

/** The adapters shipped with polybus. */
export const BUNDLED_PROVIDERS: BundledProvider[] = [
  {
    name: 'tencent',
    displayName: 'Tencent EventBridge',
    factory: async (ctx) => (await import('./adapters/tencent/index.js')).createProvider(ctx),
    capabilities: async () => (await import('./adapters/tencent/capabilities.js')).tencentCapabilities,
  },
  {
    name: 'huawei',
    displayName: 'Huawei EventGrid',
    factory: async (ctx) => (await import('./adapters/huawei/index.js')).createProvider(ctx),
    capabilities: async () => (await import('./adapters/huawei/capabilities.js')).huaweiCapabilities,
  },
  {
    name: 'aws',
    displayName: 'AWS AppIntegrations + EventBridge',
    factory: async (ctx) => (await import('./adapters/aws/index.js')).createProvider(ctx),
    capabilities: async () => (await import('./adapters/aws/capabilities.js')).awsCapabilities,
  },
];

/** Names of the bundled adapters. */
export const providerNames = (): string[] => BUNDLED_PROVIDERS.map((p) => p.name);

/** Loads the capability sets of the named (default: all) bundled adapters. */
export async function loadCapabilities(names: string[] = providerNames()): Promise<CapabilitySet[]> {
  return Promise.all(BUNDLED_PROVIDERS.filter((p) => names.includes(p.name)).map((p) => p.capabilities()));
}

/** Options of {@link createPolybus}. */
export interface PolybusOptions extends ContainerOptions {
  /** Per-provider options: `{ tencent: { endpoint, region } }`. */
  providers?: Record<string, Record<string, unknown>>;
  /** Per-provider credential sources, replacing each adapter's default chain. */
  credentials?: Record<string, CredentialSource<unknown>>;
}

/** A container with every bundled adapter registered lazily. */
export function createPolybus(options: PolybusOptions = {}): Container {
  const container = createContainer(options);
  for (const p of BUNDLED_PROVIDERS) {
    registerProvider(container, p.name, p.factory);
    const o = options.providers?.[p.name];
    if (o) bindProviderOptions(container, p.name, o);
    const c = options.credentials?.[p.name];
    if (c) bindCredentials(container, p.name, c);
  }
  return container;
}
