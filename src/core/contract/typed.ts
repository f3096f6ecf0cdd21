/**
 * The typed view of a provider: what a provider's definition declares (its capability matrix as
 * literal types, its writable native extension fields, its native actions) turned into the type
 * of the provider object a user holds. Nothing here runs; a provider whose declarations are not
 * literal (one registered from outside the package, typed with plain `CapabilitySet`) gets the
 * loose {@link EventProvider} shape back. Types only.
 */
import type { CapabilitySet, Operation } from '../model/capabilities.js';
import type { PublishResult } from '../model/events.js';
import type {
  Bus,
  Connection,
  CreateBusInput,
  CreateConnectionInput,
  CreateIntegrationInput,
  CreateSourceInput,
  Integration,
  ResourceKind,
  Source,
  UpdateBusInput,
  UpdateConnectionInput,
  UpdateIntegrationInput,
  UpdateSourceInput,
} from '../model/resources.js';
import type { ResourceApi } from './calls.js';
import type { EventProvider } from './provider.js';
import type { CloudEvent, CloudEventAttributes, ExtensionAttributeValue } from './events.js';
import type { PublishOptions, TraceOptions, TraceReport } from './publish.js';

/**
 * What a provider declares about itself at the type level (a phantom of its definition: never
 * read at run time).
 */
export interface ProviderTraits {
  /** Its capability matrix, as declared (`satisfies CapabilitySet` keeps the levels literal). */
  capabilities: CapabilitySet;
  /** The writable native fields under `extensions.<provider>`, per kind (absent: none). */
  extensions: Partial<Record<ResourceKind, object>>;
  /** Whether its publish carries CloudEvents extension attributes (Tencent refuses them). */
  eventExtensions: boolean;
  /** Its native action names. */
  action: string;
}

/** The event a provider's `publish` takes: no extension attributes where it refuses them. */
export type EventFor<T extends ProviderTraits, X> = T['eventExtensions'] extends false
  ? CloudEventAttributes
  : CloudEvent<X & { [K in keyof X]: ExtensionAttributeValue }>;

/** The cells of one kind of a capability set. */
type KindCells<T extends ProviderTraits, K extends ResourceKind> = T['capabilities']['kinds'][K];

/** False only for a cell declared `unsupported` as a literal; a missing or wide cell may be called. */
type Callable<C> = C extends { support: infer S } ? ([S] extends ['unsupported'] ? false : true) : true;
/** Known to be callable (a literal level other than `unsupported`), as opposed to maybe. */
type Declared<C> = C extends { support: infer S } ? ([S] extends ['unsupported'] ? 'no' : 'yes') : 'unknown';

/** The operations of a kind the provider can call. */
type CallableOperations<KC> = KC extends { operations: infer O }
  ? { [Op in Operation]: Op extends keyof O ? (Callable<O[Op]> extends true ? Op : never) : Op }[Operation]
  : Operation;

/** Input fields governed by a feature cell (the same pairs as the run-time guard's). */
export interface FeatureFields {
  tags: 'tags';
  retention: 'retentionDays';
  idempotencyToken: 'clientToken';
  enabled: 'enabled';
}

/** Neutral input fields this provider cannot hold on a kind: an unsupported feature, or declared so. */
type UnsupportedFields<KC> =
  | (KC extends { features: infer F }
      ? {
          [P in keyof FeatureFields]: P extends keyof F
            ? Callable<F[P]> extends false
              ? FeatureFields[P]
              : never
            : never;
        }[keyof FeatureFields]
      : never)
  | (KC extends { unsupportedFields: infer U } ? (string extends keyof U ? never : keyof U) : never);

/** The native extension fields one provider takes on one kind. */
type ExtensionsOf<T extends ProviderTraits, K extends ResourceKind> = K extends keyof T['extensions']
  ? NonNullable<T['extensions'][K]>
  : Record<string, never>;

/** A create or update input of one kind, narrowed to what this provider can hold. */
export type InputFor<I, N extends string, T extends ProviderTraits, K extends ResourceKind> = Omit<
  I,
  UnsupportedFields<KindCells<T, K>> | 'extensions'
> & {
  /** This provider's documented writable native fields (`{ [name]: { Field: value } }`). */
  extensions?: { [P in N]?: ExtensionsOf<T, K> };
};

/** CRUD over one kind, with only the operations the provider can call. */
export type KindApi<R, C, U, N extends string, T extends ProviderTraits, K extends ResourceKind> = {
  [Op in Operation]: Op extends CallableOperations<KindCells<T, K>>
    ? ResourceApi<R, InputFor<C, N, T, K>, InputFor<U, N, T, K>>[Op]
    : UnsupportedOperation;
};

/**
 * An operation this provider's capability matrix declares `unsupported`: no call of it compiles
 * (it takes an argument of type `never`), and cast past the compiler it fails with
 * `PolybusError{code:'Unsupported'}`. It is kept as a member, not removed, so that a typed provider
 * is still an `EventProvider` (for `exportSpec`, `translateSpec` and your own helpers).
 */
export type UnsupportedOperation = (unsupported: never, ...rest: never[]) => never;

/** `publish` with the provider's event type. */
interface PublishCall<T extends ProviderTraits> {
  /**
   * Publishes CloudEvents to a bus: one result per event, in order. Declare your own extension
   * attributes as `X` (`publish<{ tenant: string }>(bus, events)`).
   */
  publish<X = Record<never, never>>(
    bus: string,
    events: EventFor<T, NoInfer<X>>[],
    options?: PublishOptions,
  ): Promise<PublishResult[]>;
}
/** `trace`: what the provider records of one published event. */
interface TraceCall {
  trace(eventId: string, options: TraceOptions): Promise<TraceReport>;
}

/** A feature cell of a provider's bus kind (where publish and trace are declared). */
type BusFeature<T extends ProviderTraits, F extends string> =
  KindCells<T, 'bus'> extends { features: infer Fs } ? (F extends keyof Fs ? Fs[F] : undefined) : undefined;

/** Required where declared callable, absent where declared unsupported, optional otherwise. */
type Optional<Api, C> =
  Declared<C> extends 'yes' ? Api : Declared<C> extends 'no' ? Record<never, never> : Partial<Api>;

/**
 * A provider as its declarations type it: its `name` literal, only the CRUD operations its
 * capability matrix can call (an `unsupported` one is an {@link UnsupportedOperation}: no call of
 * it compiles), inputs without the fields it cannot hold, its own native extension fields, and
 * `publish`/`trace` required where it declares them.
 *
 * @example
 * const huawei = await resolveProvider(createPolybus(), 'huawei');
 * // @ts-expect-error Huawei EventGrid buses take no tags (the capability matrix says unsupported)
 * await huawei.buses.update(id, { tags: { team: 'shop' } });
 */
export type TypedProvider<N extends string, T extends ProviderTraits> = Omit<
  EventProvider,
  'name' | 'capabilities' | 'buses' | 'sources' | 'connections' | 'integrations' | 'publish' | 'trace'
> & {
  readonly name: N;
  readonly capabilities: T['capabilities'];
  readonly buses: KindApi<Bus, CreateBusInput, UpdateBusInput, N, T, 'bus'>;
  readonly sources: KindApi<Source, CreateSourceInput, UpdateSourceInput, N, T, 'source'>;
  readonly connections: KindApi<Connection, CreateConnectionInput, UpdateConnectionInput, N, T, 'connection'>;
  readonly integrations: KindApi<
    Integration,
    CreateIntegrationInput,
    UpdateIntegrationInput,
    N,
    T,
    'integration'
  >;
} & Optional<PublishCall<T>, BusFeature<T, 'publish'>> &
  Optional<TraceCall, BusFeature<T, 'trace'>>;
