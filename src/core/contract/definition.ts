/**
 * What a provider declares about itself, once: its name, options, credentials, capability matrix,
 * native actions, how to build it, and its emulator. The registry (`src/adapters/registry.ts`)
 * lists one definition per provider; the SDK, the CLI (`call`, `emulate`, `filter test`, migrate,
 * soak) and the package entries read them and name no provider themselves. Types only.
 */
import type { z } from 'zod';
import type { CapabilitySet } from '../model/capabilities.js';
import type { MatchResult } from '../model/filter.js';
import type { RoutingTranslator } from '../model/routing.js';
import type { ProviderContext } from '../runtime/container.js';
import type { EventProvider } from './provider.js';
import type { ProviderTraits } from './typed.js';

/** Sends one native action by name and returns the provider's parsed response. */
export type NativeCall = (
  action: string,
  input: Record<string, unknown>,
  signal?: AbortSignal,
) => Promise<unknown>;

/** A provider's routing translator and, where it has a native filter, its local evaluator. */
export interface NativeRouting {
  translator: RoutingTranslator<unknown, unknown>;
  /** Evaluates a native filter (as written in `extensions.<provider>.<field>`) on one event. */
  evaluate?: (native: unknown, event: Record<string, unknown>) => MatchResult;
  /** Why a native filter breaks the provider's documented rules (empty when it is valid). */
  validate?: (native: unknown) => string[];
}

/** A fault an emulator can answer with (the shape of `testing/loopback` `Fault`). */
export interface EmulatedThrottle {
  kind: 'error';
  status?: number;
  code: string;
}

/** One started emulator, as `polybus emulate`, the demo, the soak and `polybus/emulators` use it. */
export interface StartedEmulator<C = unknown, E = unknown> {
  /** The emulator object itself (its state, faults and request counts, for tests). */
  instance: E;
  /** Base URL (`http://127.0.0.1:PORT`). */
  url: string;
  /** Other named endpoints it serves (Huawei's IAM), shown by `polybus emulate`. */
  endpoints?: Record<string, string>;
  /** The test credentials it accepts (the emulator's fixed keys, nobody's secrets). */
  credentials: C;
  /** The provider's own environment variables that point polybus at it, credentials included. */
  env: Record<string, string>;
  /** Variables for per-target credentials (a second account's keys under a prefix). */
  targetEnv?: Record<string, string>;
  /** What per-target credentials need here, one line each. */
  notes?: string[];
  /** The provider's throttling answer (the soak injects it among the common faults). */
  throttle: EmulatedThrottle;
  /** Every live resource it holds, as neutral keys `kind/bus/name` (or `bus/name`): the soak's census. */
  inventory(): string[];
  /** Waits until the deliveries in flight have finished (or failed). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A provider, declared once. Heavy parts (the adapter with its SDK, the emulator, the routing
 * evaluator) load only when asked for, so a program that uses one provider loads no other.
 *
 * @typeParam N - the registry name (`tencent`)
 * @typeParam O - its options, as `createPolybus({ providers: { [N]: O } })` takes them
 * @typeParam C - its credentials, as `createPolybus({ credentials: { [N]: () => Promise<C> } })` takes them
 * @typeParam E - its emulator's type
 * @typeParam T - what it declares at the type level (capabilities as literals, native extension
 *   fields, actions): the typed provider `resolveProvider` returns is derived from it
 */
export interface ProviderDefinition<
  N extends string = string,
  O = unknown,
  C = unknown,
  E = unknown,
  T extends ProviderTraits = ProviderTraits,
> {
  readonly name: N;
  /** Type-level declarations only (a phantom: never set, never read at run time). */
  readonly '~traits'?: T;
  /** For people: `Tencent EventBridge`. */
  readonly displayName: string;
  /** Strict schema of its options: unknown keys and values that break a documented rule are refused. */
  readonly options: z.ZodObject & z.ZodType<O>;
  /**
   * Prefixes of the cloud's own environment variables (credentials, region, project). A target
   * with `credentials.envPrefix` reads these only with its prefix, never unprefixed.
   */
  readonly envNamespaces: readonly string[];
  /** Where the cloud's tools keep named credential profiles, when it has them. */
  readonly profiles?: string;
  /**
   * Packages its adapter needs that polybus does not install for everyone (optional peer
   * dependencies, e.g. the AWS SDK): a provider whose package is missing fails with an error
   * naming each and the command that installs them. Each must be in polybus's
   * `peerDependencies` (test/packaging.test.ts).
   */
  readonly peerPackages?: readonly string[];
  /** Every native action `polybus call` can send by name (data; nothing loads). */
  readonly nativeActions: readonly T['action'][];
  /** The field under `extensions.<name>` that holds a native filter, where the provider has one. */
  readonly nativeFilterField?: string;
  /** Loads the capability declarations only (no SDK). */
  capabilities(): Promise<T['capabilities'] & CapabilitySet>;
  /** Loads the adapter and builds the provider from what the container gives it. */
  create(ctx: ProviderContext): Promise<EventProvider>;
  /** Loads the native client and returns a sender of actions by name. */
  openNative(ctx: ProviderContext): Promise<NativeCall>;
  /** Loads the routing translator and native evaluator (pure modules, no SDK). */
  routing(): Promise<NativeRouting>;
  /** Loads and starts the emulator on 127.0.0.1 with a free port. */
  startEmulator(): Promise<StartedEmulator<C, E>>;
}

/** Any provider definition. */
// The type parameters are erased in a list of different providers; each keeps its own where it is declared.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- options/credentials/emulator types differ per provider; `unknown` would reject each concrete definition (the options schema is invariant)
export type AnyProviderDefinition = ProviderDefinition<string, any, any, any, any>;

/** The type of a provider's writable native fields from their zod shape (for {@link ProviderTraits}). */
export type ExtensionFields<S extends z.ZodRawShape> = z.input<z.ZodObject<S>>;

/**
 * {@link ProviderTraits}' `extensions` from an adapter's table of writable native fields per kind:
 * a zod shape (each field typed by its schema) or a list of field names (typed `unknown`, for
 * fields the adapter checks with its own code).
 */
export type ExtensionsFrom<M> = {
  [K in keyof M]: M[K] extends readonly string[]
    ? { [F in M[K][number]]?: unknown }
    : M[K] extends z.ZodRawShape
      ? ExtensionFields<M[K]>
      : never;
};
