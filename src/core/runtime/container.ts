/**
 * Wiring with inversify: providers bound by name, and the transport, clock, environment and
 * credential sources they are built from, each swappable by a test or a user. It imports no
 * adapter; adapters are registered from outside core as lazy factories.
 */
import { Container } from 'inversify';
import { invalidArgument, isPolybusError, PolybusError } from '../model/errors.js';
import type { EventProvider } from '../contract/provider.js';
import { guardProvider } from './resources.js';
import { registerSecretsFromEnv } from './redact.js';
import { type Clock, systemClock, Transport, type TransportOptions } from './transport.js';

/** Service identifiers. */
export const TYPES = {
  Clock: Symbol.for('polybus.Clock'),
  Transport: Symbol.for('polybus.Transport'),
  Env: Symbol.for('polybus.Env'),
  /** Named by provider: a credential source, `() => Promise<credentials>`. */
  Credentials: Symbol.for('polybus.Credentials'),
  /** Named by provider: the provider's options (endpoint, region...). */
  ProviderOptions: Symbol.for('polybus.ProviderOptions'),
  /** Named by provider: the EventProvider. */
  Provider: Symbol.for('polybus.Provider'),
} as const;

/** Environment variables as a plain map. */
export type Env = Record<string, string | undefined>;

/** A credential source; called lazily, as often as the adapter needs fresh credentials. */
export type CredentialSource<T> = () => Promise<T>;

/** What an adapter factory receives. */
export interface ProviderContext {
  transport: Transport;
  clock: Clock;
  env: Env;
  /** The credential source bound for this provider, if any (else the adapter's default chain). */
  credentials?: CredentialSource<unknown>;
  /** Options bound for this provider, if any. */
  options: Record<string, unknown>;
}

/** Builds a provider; typically `async (ctx) => (await import('./adapters/x/index.js')).create(ctx)`. */
export type ProviderFactory = (ctx: ProviderContext) => Promise<EventProvider>;

/** Overrides for {@link createContainer}. */
export interface ContainerOptions {
  clock?: Clock;
  transport?: Transport;
  transportOptions?: TransportOptions;
  env?: Env;
}

/** Creates a container with the core services bound (singletons). */
export function createContainer(options: ContainerOptions = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<Clock>(TYPES.Clock).toConstantValue(options.clock ?? systemClock);
  const env = options.env ?? process.env;
  registerSecretsFromEnv(env); // keys, tokens and passwords of the environment are masked by value
  container.bind<Env>(TYPES.Env).toConstantValue(env);
  if (options.transport) container.bind<Transport>(TYPES.Transport).toConstantValue(options.transport);
  else
    container
      .bind<Transport>(TYPES.Transport)
      .toDynamicValue(
        (ctx) => new Transport({ ...options.transportOptions, clock: ctx.get<Clock>(TYPES.Clock) }),
      );
  return container;
}

/** A polybus of any providers (these helpers only reach its container). */
export type AnyPolybus = Polybus;

/** The container behind each {@link Polybus}. */
const containers = new WeakMap<object, Container>();

/**
 * The provider a polybus of providers `M` returns for `K`: its type in `M`, or the loose
 * `EventProvider` where `M` says nothing (a plain `Polybus`).
 */
export type ProviderAt<M, K extends keyof M> = unknown extends M[K] ? EventProvider : M[K];

/**
 * A configured polybus: the bundled (and any registered) providers, resolved by name on first use
 * with the options, credentials, environment and transport it was created with. Create one with
 * `createPolybus`; how it is wired inside is not part of the API.
 *
 * @example
 * const polybus = createPolybus({ providers: { tencent: { region: 'ap-shanghai' } } });
 * const tencent = await polybus.provider('tencent');
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- on purpose: a plain `Polybus` is the loose one (any registered name, each provider the plain EventProvider, see ProviderAt), and a typed polybus stays assignable to a parameter declared `Polybus`
export class Polybus<M extends object = any> {
  /** Not constructible: `createPolybus` makes one. */
  private constructor() {}

  /** Names of the providers this polybus can resolve, in registry order. */
  get providerNames(): string[] {
    return registeredProviders(this);
  }

  /**
   * The provider of that name (its adapter loads on first use); see `resolveProvider`. A polybus
   * from `createPolybus` knows its names (`'tencnet'` does not compile) and types each provider
   * from its declarations; a plain `Polybus` takes any registered name.
   */
  provider<K extends keyof M & string>(name: K): Promise<ProviderAt<M, K>> {
    return resolveProvider(this, name) as Promise<ProviderAt<M, K>>;
  }

  /** Closes the connections of its transport (the providers it built share it). */
  async close(): Promise<void> {
    await containerOf(this).get<Transport>(TYPES.Transport).close();
  }
}

/** A Polybus over a container (what `createPolybus` returns; the container stays out of its type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the loose polybus, as Polybus's default
export function polybusOver<M extends object = any>(container: Container): Polybus<M> {
  const p = Object.create(Polybus.prototype) as Polybus<M>;
  containers.set(p, container);
  return p;
}

/** The container of a {@link Polybus} (or the container itself), for adapter-kit wiring. */
export function containerOf(target: AnyPolybus | Container): Container {
  if (target instanceof Polybus) {
    const c = containers.get(target);
    if (c) return c;
  }
  return target as Container;
}

/** Names registered with {@link registerProvider}, per container (for error messages). */
const registered = new WeakMap<Container, Set<string>>();

/** Registers a provider factory under `name`; the adapter module loads on first resolve. */
export function registerProvider(
  target: AnyPolybus | Container,
  name: string,
  factory: ProviderFactory,
): void {
  const container = containerOf(target);
  const names = registered.get(container) ?? new Set<string>();
  names.add(name);
  registered.set(container, names);
  container
    .bind<EventProvider>(TYPES.Provider)
    .toDynamicValue(async (ctx) => {
      const credentials = ctx.get<CredentialSource<unknown>>(TYPES.Credentials, { name, optional: true });
      const options = ctx.get<Record<string, unknown>>(TYPES.ProviderOptions, { name, optional: true }) ?? {};
      const provider = await factory({
        transport: ctx.get<Transport>(TYPES.Transport),
        clock: ctx.get<Clock>(TYPES.Clock),
        env: ctx.get<Env>(TYPES.Env),
        options,
        ...(credentials ? { credentials } : {}),
      });
      return guardProvider(provider);
    })
    .whenNamed(name);
}

/** Binds a credential source for one provider, replacing its default chain. */
export function bindCredentials<T>(
  target: AnyPolybus | Container,
  name: string,
  source: CredentialSource<T>,
): void {
  containerOf(target).bind<CredentialSource<T>>(TYPES.Credentials).toConstantValue(source).whenNamed(name);
}

/** Binds options (endpoint, region, project...) for one provider. */
export function bindProviderOptions(
  target: AnyPolybus | Container,
  name: string,
  options: Record<string, unknown>,
): void {
  containerOf(target)
    .bind<Record<string, unknown>>(TYPES.ProviderOptions)
    .toConstantValue(options)
    .whenNamed(name);
}

/** Names of the providers registered in a container with {@link registerProvider}. */
export function registeredProviders(target: AnyPolybus | Container): string[] {
  return [...(registered.get(containerOf(target)) ?? [])];
}

/**
 * Resolves a registered provider by name (loading its adapter on first use). Every failure is a
 * `PolybusError`: an unknown name is `InvalidArgument` listing the registered names; a factory
 * that fails with anything else becomes `Internal` with the original as `cause`.
 */
export async function resolveProvider(target: AnyPolybus | Container, name: string): Promise<EventProvider> {
  const container = containerOf(target);
  if (!container.isBound(TYPES.Provider, { name })) {
    const known = registeredProviders(container);
    throw invalidArgument('polybus', 'resolveProvider', [
      {
        field: 'provider',
        rule: `unknown provider ${JSON.stringify(name)}; valid names: ${known.length ? known.join(', ') : '(none registered)'}`,
      },
    ]);
  }
  try {
    return await container.getAsync<EventProvider>(TYPES.Provider, { name });
  } catch (err) {
    if (isPolybusError(err)) throw err;
    throw new PolybusError({
      code: 'Internal',
      provider: name,
      operation: 'resolveProvider',
      message: `cannot load provider ${name}: ${err instanceof Error ? err.message : String(err)}`,
      cause: err,
    });
  }
}
