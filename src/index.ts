/**
 * polybus: one provider-neutral interface over cloud event-integration services.
 *
 * The root entry is what a user needs, each item documented where it is declared:
 * - **a client**: {@link createPolybus}, {@link resolveProvider}, the {@link Polybus} it returns,
 *   and the typed names of the bundled providers ({@link ProviderName}, {@link PROVIDER_NAMES});
 *   each provider is typed by its declarations ({@link ProviderOf}: only what its capability
 *   matrix can call, its own native `extensions`, `publish`/`trace` where it has them);
 * - **the neutral resources** (buses, sources, connections, integrations) and the provider contract
 *   ({@link EventProvider}), with {@link collect} for their lazy lists;
 * - **errors**: {@link PolybusError}, {@link isPolybusError} and the normalized codes;
 * - **declarative provisioning**: {@link plan}, {@link apply}, {@link planDestroy}, {@link destroy}
 *   over a spec (a file, or a {@link SpecInput} object in code; {@link loadSpec}), taking the
 *   client's options (credentials in code included), and {@link openProviders};
 * - **migration**: {@link exportSpec}, {@link translateSpec};
 * - **filters and events**: {@link matches} (the neutral filter evaluator), {@link CloudEvent}
 *   (closed: a typo of an attribute does not compile; your extension attributes are declared);
 * - **capabilities**: {@link loadCapabilities}, {@link supports}.
 *
 * Everything else has a subpath: `polybus/core` (the neutral model whole: zod schemas, the plan
 * engine, capability constants), `polybus/adapter-kit` (for writing a provider), `polybus/emulators`
 * (loopback emulators for tests) and `polybus/<provider>` (each native client, with one typed
 * `send(action, input)`). Adapters load lazily on first use.
 *
 * @example
 * import { apply, createPolybus, plan, resolveProvider, type SpecInput } from 'polybus';
 *
 * const tencent = await resolveProvider(createPolybus(), 'tencent');
 * await tencent.buses.create({ name: 'orders', extensions: { tencent: { EnableStore: true } } });
 *
 * const spec: SpecInput = { version: 1, targets: [{ provider: 'huawei' }], buses: [{ name: 'orders' }] };
 * await apply(await plan(spec, { providers: { huawei: { projectId: 'p' } } }));
 */
export {
  createPolybus,
  isProviderName,
  loadCapabilities,
  Polybus,
  type PolybusOptions,
  PROVIDER_NAMES,
  type ProviderCredentialsMap,
  type BundledProviders,
  type ProviderName,
  type ProviderOf,
  type ProviderOptionsMap,
  type ProvidersOf,
  providerNames,
  resolveProvider,
} from './sdk/create.js';
export {
  apply,
  destroy,
  type OpenProviders,
  openProviders,
  plan,
  planDestroy,
  type ProvisionApplyOptions,
  type ProvisionOptions,
  type ProvisionPlan,
  type ClientOptions,
  type SpecInput,
} from './sdk/provision.js';
export type { CallOptions, ListOptions, ResourceApi } from './core/contract/calls.js';
export type { EventProvider } from './core/contract/provider.js';
export type { PublishOptions, TraceOptions, TraceReport } from './core/contract/publish.js';
export type { CapabilitySet, Cell, Support } from './core/model/capabilities.js';
export { supports } from './core/model/capabilities.js';
export {
  ERROR_CODES,
  type ErrorCode,
  isPolybusError,
  PolybusError,
  type PolybusErrorJSON,
  type ValidationIssue,
} from './core/model/errors.js';
export type { PublishResult } from './core/model/events.js';
export type {
  CloudEvent,
  CloudEventAttributes,
  DocumentedExtensionAttributes,
  ExtensionAttributeValue,
} from './core/contract/events.js';
export type { ProviderTraits, TypedProvider, UnsupportedOperation } from './core/contract/typed.js';
export { type Filter, type MatchResult, matches } from './core/model/filter.js';
export type {
  Bus,
  Connection,
  CreateBusInput,
  CreateConnectionInput,
  CreateIntegrationInput,
  CreateSourceInput,
  Integration,
  Resource,
  ResourceKind,
  Source,
  UpdateBusInput,
  UpdateConnectionInput,
  UpdateIntegrationInput,
  UpdateSourceInput,
} from './core/model/resources.js';
export type { Target } from './core/model/routing.js';
export type { ApplyOutcome } from './core/engine/apply.js';
export { exportSpec, type Migration, translateSpec } from './core/engine/migrate.js';
export type { Plan, PlanAction, PlanItem } from './core/engine/plan/index.js';
export { collect } from './core/runtime/resources.js';
export { loadSpec, parseSpec } from './core/spec/load.js';
export type { Spec } from './core/spec/schema.js';
