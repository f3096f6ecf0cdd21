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
  /**
   * Prefixes of the cloud's own environment variables (credentials, region, project). A target
   * with `credentials.envPrefix` reads these only with its prefix, never unprefixed.
   */
  envNamespaces: string[];
  /**
   * Where the cloud's tools keep named credential profiles (`credentials.profile` of a target),
   * or undefined when it has none (then a target uses `credentials.envPrefix`).
   */
  profiles?: string;
}

/** The adapters shipped with polybus. */
export const BUNDLED_PROVIDERS: BundledProvider[] = [
  {
    name: 'tencent',
    displayName: 'Tencent EventBridge',
    factory: async (ctx) => (await import('./adapters/tencent/index.js')).createProvider(ctx),
    capabilities: async () => (await import('./adapters/tencent/capabilities.js')).tencentCapabilities,
    envNamespaces: ['TENCENTCLOUD_'],
    profiles: 'sections of ~/.tencentcloud/credentials (TENCENTCLOUD_CREDENTIALS_FILE)',
  },
  {
    name: 'huawei',
    displayName: 'Huawei EventGrid',
    factory: async (ctx) => (await import('./adapters/huawei/index.js')).createProvider(ctx),
    capabilities: async () => (await import('./adapters/huawei/capabilities.js')).huaweiCapabilities,
    envNamespaces: ['HUAWEICLOUD_', 'HW_'],
  },
  {
    name: 'aws',
    displayName: 'AWS AppIntegrations + EventBridge',
    factory: async (ctx) => (await import('./adapters/aws/index.js')).createProvider(ctx),
    capabilities: async () => (await import('./adapters/aws/capabilities.js')).awsCapabilities,
    envNamespaces: ['AWS_'],
    profiles:
      'profiles of ~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE)',
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

/**
 * The environment one target's provider sees with `credentials.envPrefix`: the cloud's own
 * variables (see {@link BundledProvider.envNamespaces}) only as `PREFIX + NAME`, the rest as is.
 */
export function envWithPrefix(
  env: Record<string, string | undefined>,
  provider: string,
  prefix: string,
): Record<string, string | undefined> {
  const namespaces = BUNDLED_PROVIDERS.find((p) => p.name === provider)?.envNamespaces ?? [];
  const own = (k: string) => namespaces.some((n) => k.startsWith(n));
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (!own(k)) out[k] = v;
  for (const [k, v] of Object.entries(env))
    if (k.startsWith(prefix) && own(k.slice(prefix.length))) out[k.slice(prefix.length)] = v;
  return out;
}
