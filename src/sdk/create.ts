/**
 * The registry of bundled adapters, outside core: names, display names and lazy loaders, so a
 * program that uses only one adapter never imports the others (nor the AWS SDK).
 */
import type { Container } from 'inversify';
import type { AwsCredentials } from '../adapters/aws/auth.js';
import type { HuaweiCredentials } from '../adapters/huawei/auth.js';
import {
  type AwsOptions,
  type HuaweiOptions,
  PROVIDER_OPTION_SCHEMAS,
  type TencentOptions,
} from '../adapters/options.js';
import type { TencentCredentials } from '../adapters/tencent/auth.js';
import type { CapabilitySet } from '../core/model/capabilities.js';
import {
  bindCredentials,
  bindProviderOptions,
  type ContainerOptions,
  type CredentialSource,
  createContainer,
  type ProviderFactory,
  registerProvider,
} from '../core/runtime/container.js';
import { invalidArgument, type ValidationIssue } from '../core/model/errors.js';

export type {
  AwsCredentials,
  AwsOptions,
  HuaweiCredentials,
  HuaweiOptions,
  TencentCredentials,
  TencentOptions,
};

/** Names of the bundled adapters, in registry order. */
export const PROVIDER_NAMES = ['tencent', 'huawei', 'aws'] as const;
/** A bundled adapter's name. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Each bundled adapter's options, by provider name. */
export interface ProviderOptionsMap {
  tencent: TencentOptions;
  huawei: HuaweiOptions;
  aws: AwsOptions;
}

/** Each bundled adapter's credentials, by provider name. */
export interface ProviderCredentialsMap {
  tencent: TencentCredentials;
  huawei: HuaweiCredentials;
  aws: AwsCredentials;
}

/** A bundled adapter. */
export interface BundledProvider {
  name: ProviderName;
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
export const BUNDLED_PROVIDERS: readonly BundledProvider[] = [
  {
    name: 'tencent',
    displayName: 'Tencent EventBridge',
    factory: async (ctx) => (await import('../adapters/tencent/index.js')).createProvider(ctx),
    capabilities: async () => (await import('../adapters/tencent/capabilities.js')).tencentCapabilities,
    envNamespaces: ['TENCENTCLOUD_'],
    profiles: 'sections of ~/.tencentcloud/credentials (TENCENTCLOUD_CREDENTIALS_FILE)',
  },
  {
    name: 'huawei',
    displayName: 'Huawei EventGrid',
    factory: async (ctx) => (await import('../adapters/huawei/index.js')).createProvider(ctx),
    capabilities: async () => (await import('../adapters/huawei/capabilities.js')).huaweiCapabilities,
    envNamespaces: ['HUAWEICLOUD_', 'HW_'],
  },
  {
    name: 'aws',
    displayName: 'AWS AppIntegrations + EventBridge',
    factory: async (ctx) => (await import('../adapters/aws/index.js')).createProvider(ctx),
    capabilities: async () => (await import('../adapters/aws/capabilities.js')).awsCapabilities,
    envNamespaces: ['AWS_'],
    profiles:
      'profiles of ~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE)',
  },
];

/** Names of the bundled adapters (as plain strings, for `includes` checks on user input). */
export const providerNames = (): string[] => BUNDLED_PROVIDERS.map((p) => p.name);

/** True when `name` is a bundled adapter's name. */
export const isProviderName = (name: string): name is ProviderName =>
  (PROVIDER_NAMES as readonly string[]).includes(name);

/** Loads the capability sets of the named (default: all) bundled adapters. */
export async function loadCapabilities(names: readonly string[] = providerNames()): Promise<CapabilitySet[]> {
  return Promise.all(BUNDLED_PROVIDERS.filter((p) => names.includes(p.name)).map((p) => p.capabilities()));
}

/** Options of {@link createPolybus}. Unknown keys at any level are rejected (`InvalidArgument`). */
export interface PolybusOptions extends ContainerOptions {
  /** Per-provider options: `{ tencent: { endpoint, region } }`. */
  providers?: { [P in ProviderName]?: ProviderOptionsMap[P] };
  /** Per-provider credential sources, replacing each adapter's default chain. */
  credentials?: { [P in ProviderName]?: CredentialSource<ProviderCredentialsMap[P]> };
}

/** Every key {@link PolybusOptions} knows; anything else is a typo. */
const OPTION_KEYS: Record<keyof PolybusOptions, true> = {
  clock: true,
  env: true,
  transport: true,
  transportOptions: true,
  providers: true,
  credentials: true,
};

const known = (keys: readonly string[]) => `known: ${keys.join(', ')}`;

/** Every problem with createPolybus options, each naming the offending key. */
function optionIssues(options: PolybusOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const unknown = (field: string, keys: readonly string[]) =>
    issues.push({ field, rule: `unknown option; ${known(keys)}` });
  for (const key of Object.keys(options)) if (!(key in OPTION_KEYS)) unknown(key, Object.keys(OPTION_KEYS));
  for (const [name, value] of Object.entries(options.providers ?? {})) {
    if (value === undefined) continue;
    if (!isProviderName(name)) {
      unknown(`providers.${name}`, PROVIDER_NAMES);
      continue;
    }
    const result = PROVIDER_OPTION_SCHEMAS[name].safeParse(value);
    if (result.success) continue;
    const keys = Object.keys(PROVIDER_OPTION_SCHEMAS[name].shape);
    for (const issue of result.error.issues) {
      const path = ['providers', name, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') for (const k of issue.keys) unknown(`${path}.${k}`, keys);
      else issues.push({ field: path, rule: issue.message });
    }
  }
  for (const [name, value] of Object.entries(options.credentials ?? {})) {
    if (value === undefined) continue;
    if (!isProviderName(name)) unknown(`credentials.${name}`, PROVIDER_NAMES);
    else if (typeof value !== 'function')
      issues.push({
        field: `credentials.${name}`,
        rule: 'must be a function returning a Promise of credentials',
      });
  }
  return issues;
}

/**
 * A container with every bundled adapter registered lazily; resolve one with `resolveProvider`.
 * Options are checked first: an unknown key anywhere (`{ tencent: { endPoint } }`) or a value
 * that breaks a rule throws one `InvalidArgument` naming each key, before any adapter loads.
 */
export function createPolybus(options: PolybusOptions = {}): Container {
  const issues = optionIssues(options);
  if (issues.length) throw invalidArgument('polybus', 'createPolybus', issues);
  const container = createContainer(options);
  for (const p of BUNDLED_PROVIDERS) {
    registerProvider(container, p.name, p.factory);
    const o = options.providers?.[p.name];
    // A copy, so a caller mutating its options object later cannot change a bound provider.
    if (o) bindProviderOptions(container, p.name, { ...o });
    const c = options.credentials?.[p.name];
    if (c) bindCredentials<unknown>(container, p.name, c);
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
