/**
 * The provider contract: what every adapter implements, as types (plus the contract's version).
 * A user calls the kinds' CRUD, publish and trace; the planner also reads the hints (mutability,
 * replace strategy, name scope, validation). Helpers live in `core/runtime`, never here.
 */
import type { CapabilitySet } from '../model/capabilities.js';
import { type ValidationIssue } from '../model/errors.js';
import type { PublishResult } from '../model/events.js';
import type { CloudEvent, ExtensionAttributeValue } from './events.js';
import type {
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
} from '../model/resources.js';
import type { NativeFilter } from '../model/routing.js';
import { type CallOptions, type ResourceApi } from './calls.js';
import type { PublishOptions, TraceOptions, TraceReport } from './publish.js';

/** Version of this contract; adapters declare the one they implement. */
export const SPECIFICATION_VERSION = 'v1' as const;

/** How a field changes after create. */
export type Mutability = 'update' | 'replace' | 'tags';

/** Per kind, per neutral field: update in place, replace, or tag calls. Unlisted fields: update. */
export type MutabilityTable = Partial<Record<ResourceKind, Record<string, Mutability>>>;

/** How a replacement must happen, per kind: default create-before-delete; delete-before-create when the name is the identifier. */
export type ReplaceStrategy = 'create-before-delete' | 'delete-before-create';

/** Where a kind's names are unique: see {@link EventProvider.nameScope}. */
export type NameScope = 'bus' | 'account';

/** The interface every adapter implements. */
export interface EventProvider {
  readonly specificationVersion: typeof SPECIFICATION_VERSION;
  /** Registry name: `tencent`, `huawei`, `aws`. */
  readonly name: string;
  readonly capabilities: CapabilitySet;
  readonly mutability: MutabilityTable;
  readonly replaceStrategy: Partial<Record<ResourceKind, ReplaceStrategy>>;
  /**
   * Where names of a kind are unique: `bus` (per parent bus: a child is found, updated and
   * deleted only under its own bus) or `account` (per account or project and region). Kinds not
   * listed are per account.
   */
  readonly nameScope?: Partial<Record<ResourceKind, NameScope>>;
  /**
   * Kinds whose names the provider does not enforce as unique within their scope (two creates of
   * one name make two resources, with no AlreadyExists): apply looks such a name up right before
   * each create, and plan reports two live resources of one identity as an error.
   */
  readonly unenforcedNames?: readonly ResourceKind[];
  /** Neutral fields that `list({ summary: true })` leaves out, per kind (only `get` has them). */
  readonly listOmits?: Partial<Record<ResourceKind, readonly string[]>>;
  readonly buses: ResourceApi<Bus, CreateBusInput, UpdateBusInput>;
  readonly sources: ResourceApi<Source, CreateSourceInput, UpdateSourceInput>;
  readonly connections: ResourceApi<Connection, CreateConnectionInput, UpdateConnectionInput>;
  readonly integrations: ResourceApi<Integration, CreateIntegrationInput, UpdateIntegrationInput>;
  /**
   * Checks a create input against the provider's documented rules without any request (for whole
   * spec validation). `bus` references may be placeholders.
   */
  validateInput?(kind: ResourceKind, input: Record<string, unknown>): ValidationIssue[];
  /**
   * What this provider cannot express exactly in an integration's filter, targets or delivery,
   * from its routing translator alone (no request): the plan marks such an integration
   * `unsupported` with these reasons instead of applying a wider or partial route.
   */
  routingProblems?(input: Record<string, unknown>): ValidationIssue[];
  /**
   * The provider's native filter escape hatch for integrations (`extensions.<provider>.<field>`),
   * where it has one: the plan compares it in its normalized form, or as the neutral filter it
   * reads back as.
   */
  readonly nativeFilter?: NativeFilter;
  /**
   * Settings of a desired resource this provider ignores for its shape, beyond what its
   * capability cells say for the whole kind (an AWS integration without targets is an event
   * integration, which has no on/off state, while a rule has one): the plan warns and leaves them out.
   */
  ignoredSettings?(kind: ResourceKind, input: Record<string, unknown>): { setting: string; detail: string }[];
  /** Reasons a delete of this resource would be refused now (e.g. AWS associations), empty when free. */
  deleteBlockers?(kind: ResourceKind, id: string, options?: CallOptions): Promise<string[]>;
  /**
   * Settings of a live resource this provider returned (from `get` or `list`) that it could not
   * read, as neutral paths (`targets.transform`: the transform of each target) with why, e.g. a
   * Tencent rule transformation polybus holds no reference to. The plan does not diff them and
   * warns instead of planning an update on every run.
   */
  unreadable?(kind: ResourceKind, live: Resource): { field: string; detail: string }[];
  /**
   * Publishes CloudEvents to a bus: one result per event, in order (id or a normalized error).
   * Absent where the provider has no publishing call. Events are typed closed (see `CloudEvent`):
   * declare your own extension attributes as `X`.
   */
  publish?<X extends { [K in keyof X]: ExtensionAttributeValue } = Record<never, never>>(
    bus: string,
    events: CloudEvent<NoInfer<X>>[],
    options?: PublishOptions,
  ): Promise<PublishResult[]>;
  /** What the provider records of one published event: matched integrations, deliveries. */
  trace?(eventId: string, options: TraceOptions): Promise<TraceReport>;
  /** Releases sockets. */
  close(): Promise<void>;
}
