/**
 * `createPolybus`: the bundled providers of the registry, their options and credentials checked
 * and bound, each adapter loaded lazily on first use, so a program that uses only one provider
 * never imports the others (nor the AWS SDK). It names no provider: everything comes from
 * `src/adapters/registry.ts`.
 */
import { PROVIDERS } from '../adapters/registry.js';
import type { AnyProviderDefinition, ProviderDefinition } from '../core/contract/definition.js';
import type { EventProvider } from '../core/contract/provider.js';
import type { ProviderTraits, TypedProvider } from '../core/contract/typed.js';
import type { CapabilitySet } from '../core/model/capabilities.js';
import { invalidArgument, type ValidationIssue } from '../core/model/errors.js';
import { withPeers } from './peer.js';
import {
  bindCredentials,
  bindProviderOptions,
  type ContainerOptions,
  type CredentialSource,
  createContainer,
  Polybus,
  polybusOver,
  type ProviderAt,
  type ProviderFactory,
  registerProvider,
  resolveProvider as resolveFrom,
} from '../core/runtime/container.js';

/** The bundled providers' definitions, by name. */
type Definitions = (typeof PROVIDERS)[number];
/** A bundled provider's name: `'tencent' | 'huawei' | 'aws'`. */
export type ProviderName = Definitions['name'];
type DefinitionOf<P extends ProviderName> = Extract<Definitions, { name: P }>;
type OptionsOf<D> = D extends ProviderDefinition<string, infer O, unknown, unknown, infer _T> ? O : never;
type CredentialsOf<D> = D extends ProviderDefinition<string, unknown, infer C, unknown, infer _T> ? C : never;
type TraitsOf<D> = D extends { readonly '~traits'?: infer T }
  ? T extends ProviderTraits
    ? T
    : ProviderTraits
  : ProviderTraits;

/**
 * A bundled provider as its definition types it: its name, only the operations its capability
 * matrix can call, its own native extension fields, `publish`/`trace` where it has them (see
 * {@link TypedProvider}). What `resolveProvider(polybus, name)` returns.
 *
 * @example
 * const tencent: ProviderOf<'tencent'> = await resolveProvider(createPolybus(), 'tencent');
 */
export type ProviderOf<P extends ProviderName> = TypedProvider<P, TraitsOf<DefinitionOf<P>>>;

/** The bundled providers by name, each typed by its definition. */
export type BundledProviders = { [P in ProviderName]: ProviderOf<P> };

/** Each bundled provider's options, by provider name. */
export type ProviderOptionsMap = { [P in ProviderName]: OptionsOf<DefinitionOf<P>> };
/** Each bundled provider's credentials, by provider name. */
export type ProviderCredentialsMap = { [P in ProviderName]: CredentialsOf<DefinitionOf<P>> };

/** Names of the bundled providers, in registry order. */
export const PROVIDER_NAMES = PROVIDERS.map((p) => p.name) as readonly ProviderName[];

/** A bundled provider, as the registry declares it (see `ProviderDefinition`). */
export type BundledProvider = AnyProviderDefinition;

/** The providers shipped with polybus: the registry's definitions. */
export const BUNDLED_PROVIDERS: readonly BundledProvider[] = PROVIDERS;

/** The definition of a bundled provider, or undefined. */
export const definitionOf = (name: string): AnyProviderDefinition | undefined =>
  PROVIDERS.find((p) => p.name === name);

/** Names of the bundled providers (as plain strings, for `includes` checks on user input). */
export const providerNames = (): string[] => PROVIDERS.map((p) => p.name);

/** True when `name` is a bundled provider's name. */
export const isProviderName = (name: string): name is ProviderName =>
  (PROVIDER_NAMES as readonly string[]).includes(name);

/** Loads the capability sets of the named (default: all) bundled providers. */
export async function loadCapabilities(names: readonly string[] = providerNames()): Promise<CapabilitySet[]> {
  return Promise.all(PROVIDERS.filter((p) => names.includes(p.name)).map((p) => p.capabilities()));
}

/** Options of {@link createPolybus}. Unknown keys at any level are rejected (`InvalidArgument`). */
export interface PolybusOptions extends ContainerOptions {
  /** Per-provider options: `{ tencent: { endpoint, region } }`. */
  providers?: { [P in ProviderName]?: ProviderOptionsMap[P] };
  /** Per-provider credential sources, replacing each adapter's default chain. */
  credentials?: { [P in ProviderName]?: CredentialSource<ProviderCredentialsMap[P]> };
  /**
   * Providers from outside the package, by name: a factory building an `EventProvider` from what
   * the container gives it (`polybus/adapter-kit`). They resolve like the bundled ones, typed as
   * the plain `EventProvider`, and `plan`/`apply`/`destroy` open spec targets of theirs.
   */
  extraProviders?: Readonly<Record<string, ProviderFactory>>;
}

/** The providers of a polybus: the bundled ones typed by their definitions, the extra ones loosely. */
export type ProvidersOf<X> = BundledProviders & { [K in keyof X & string]: EventProvider };

/** Every key {@link PolybusOptions} knows; anything else is a typo. */
const OPTION_KEYS: Record<keyof PolybusOptions, true> = {
  clock: true,
  env: true,
  transport: true,
  transportOptions: true,
  providers: true,
  credentials: true,
  extraProviders: true,
};

const known = (keys: readonly string[]) => `known: ${keys.join(', ')}`;

/** Every problem with createPolybus options, each naming the offending key. */
function optionIssues(options: PolybusOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const unknown = (field: string, keys: readonly string[]) =>
    issues.push({ field, rule: `unknown option; ${known(keys)}` });
  for (const key of Object.keys(options)) if (!(key in OPTION_KEYS)) unknown(key, Object.keys(OPTION_KEYS));
  for (const [name, factory] of Object.entries(options.extraProviders ?? {})) {
    if (definitionOf(name)) issues.push({ field: `extraProviders.${name}`, rule: 'is a bundled provider' });
    else if (typeof factory !== 'function')
      issues.push({
        field: `extraProviders.${name}`,
        rule: 'must be a function returning a Promise of a provider',
      });
  }
  for (const [name, value] of Object.entries(options.providers ?? {})) {
    if (value === undefined) continue;
    const definition = definitionOf(name);
    if (!definition) {
      unknown(`providers.${name}`, PROVIDER_NAMES);
      continue;
    }
    const result = definition.options.safeParse(value);
    if (result.success) continue;
    const keys = Object.keys(definition.options.shape);
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
 * A polybus with every bundled provider registered lazily; get one with `polybus.provider(name)`
 * (or `resolveProvider(polybus, name)`). Options are checked first: an unknown key anywhere
 * (`{ tencent: { endPoint } }`) or a value that breaks a rule throws one `InvalidArgument` naming
 * each key, before any adapter loads.
 *
 * @example
 * const polybus = createPolybus({ providers: { huawei: { region: 'cn-north-4' } } });
 * const huawei = await resolveProvider(polybus, 'huawei');
 * for await (const bus of huawei.buses.list()) console.log(bus.name);
 */
export function createPolybus<
  const X extends Readonly<Record<string, ProviderFactory>> = Record<never, never>,
>(options: PolybusOptions & { extraProviders?: X } = {}): Polybus<ProvidersOf<X>> {
  const issues = optionIssues(options);
  if (issues.length) throw invalidArgument('polybus', 'createPolybus', issues);
  const polybus = polybusOver<ProvidersOf<X>>(createContainer(options));
  for (const [name, factory] of Object.entries(options.extraProviders ?? {}))
    registerProvider(polybus, name, factory);
  for (const p of PROVIDERS) {
    registerProvider(polybus, p.name, (ctx) => withPeers(p, () => p.create(ctx)));
    const o = (options.providers as Record<string, object | undefined> | undefined)?.[p.name];
    // A copy, so a caller mutating its options object later cannot change a bound provider.
    if (o) bindProviderOptions(polybus, p.name, { ...o });
    const c = (options.credentials as Record<string, CredentialSource<unknown> | undefined> | undefined)?.[
      p.name
    ];
    if (c) bindCredentials<unknown>(polybus, p.name, c);
  }
  return polybus;
}

/**
 * The provider of that name from a polybus (its adapter loads on first use). On a polybus from
 * {@link createPolybus} the name is checked at compile time (`'tencnet'` does not compile) and
 * the provider is typed by its declarations ({@link ProviderOf}): an operation its capability
 * matrix marks unsupported cannot be called, `publish`/`trace` are there where it has them. On a
 * plain `Polybus` (one you registered providers on yourself) any name is accepted and the result
 * is the loose `EventProvider`. Every failure is a `PolybusError`: an unknown name is
 * `InvalidArgument` listing the registered names.
 *
 * @example
 * const polybus = createPolybus({ providers: { tencent: { region: 'ap-guangzhou' } } });
 * const tencent = await resolveProvider(polybus, 'tencent');
 * await tencent.buses.create({ name: 'orders', extensions: { tencent: { EnableStore: true } } });
 * await tencent.publish('orders', [{ id: '1', source: 'shop', specversion: '1.0', type: 'order.created' }]);
 */
export function resolveProvider<M extends object, K extends keyof M & string>(
  polybus: Polybus<M>,
  name: K,
): Promise<ProviderAt<M, K>> {
  return resolveFrom(polybus, name) as Promise<ProviderAt<M, K>>;
}

/**
 * The environment one target's provider sees with `credentials.envPrefix`: the cloud's own
 * variables (see {@link ProviderDefinition.envNamespaces}) only as `PREFIX + NAME`, the rest as is.
 */
export function envWithPrefix(
  env: Record<string, string | undefined>,
  provider: string,
  prefix: string,
): Record<string, string | undefined> {
  const namespaces = definitionOf(provider)?.envNamespaces ?? [];
  const own = (k: string) => namespaces.some((n) => k.startsWith(n));
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (!own(k)) out[k] = v;
  for (const [k, v] of Object.entries(env))
    if (k.startsWith(prefix) && own(k.slice(prefix.length))) out[k.slice(prefix.length)] = v;
  return out;
}

export { Polybus };
