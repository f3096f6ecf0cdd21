/**
 * The provider contract: what every adapter implements. Plain interfaces plus two helpers that
 * every adapter shares (lazy paging and the capability guard); no provider names here.
 */
import type { CapabilitySet, Operation } from './capabilities.js';
import type { Clock } from './transport.js';
import { cellOf, isCallable, unsupportedSettings } from './capabilities.js';
import {
  cancelled,
  invalidArgument,
  isPolybusError,
  PolybusError,
  unsupported,
  type ValidationIssue,
} from './errors.js';
import type {
  Bus,
  Connection,
  CreateBusInput,
  CreateConnectionInput,
  CreateIntegrationInput,
  CreateSourceInput,
  Integration,
  Page,
  Resource,
  ResourceKind,
  Source,
  UpdateBusInput,
  UpdateConnectionInput,
  UpdateIntegrationInput,
  UpdateSourceInput,
} from './model.js';
import type { CloudEvent, PublishOptions, PublishResult, TraceOptions, TraceReport } from './publish.js';
import type { NativeFilter } from './routing.js';

/** Version of this contract; adapters declare the one they implement. */
export const SPECIFICATION_VERSION = 'v1' as const;

/** Options every call takes. */
export interface CallOptions {
  /** Cancels the call; the error is `PolybusError{code:'Cancelled'}`. */
  signal?: AbortSignal;
}

/** Options of `list`. */
export interface ListOptions extends CallOptions {
  /** Restrict to children of this bus (required where the provider scopes the kind to a bus). */
  bus?: string;
  /** Items per page request (the adapter clamps it to the provider's maximum). */
  pageSize?: number;
  /**
   * Only what the provider's list action returns: no per-item reads. The fields the list action
   * omits (the provider's `listOmits`) are then absent; `get` returns them.
   */
  summary?: boolean;
}

/** CRUD over one kind. `list` pages lazily: a page is fetched only when iteration reaches it. */
export interface ResourceApi<T, C, U> {
  create(input: C, options?: CallOptions): Promise<T>;
  get(id: string, options?: CallOptions): Promise<T>;
  list(options?: ListOptions): AsyncIterable<T>;
  update(id: string, patch: U, options?: CallOptions): Promise<T>;
  delete(id: string, options?: CallOptions): Promise<void>;
}

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
   * Absent where the provider has no publishing call.
   */
  publish?(bus: string, events: CloudEvent[], options?: PublishOptions): Promise<PublishResult[]>;
  /** What the provider records of one published event: matched integrations, deliveries. */
  trace?(eventId: string, options: TraceOptions): Promise<TraceReport>;
  /** Releases sockets. */
  close(): Promise<void>;
}

/** The ResourceApi property of each kind. */
export const API_OF_KIND = {
  bus: 'buses',
  source: 'sources',
  connection: 'connections',
  integration: 'integrations',
} as const satisfies Record<ResourceKind, keyof EventProvider>;

/** Any kind's API, for generic code (plan/apply, contract tests, CLI). */
export type AnyResourceApi = ResourceApi<
  Bus | Source | Connection | Integration,
  Record<string, unknown>,
  Record<string, unknown>
>;

/** The API of a kind, typed loosely for generic callers. */
export function apiOf(provider: EventProvider, kind: ResourceKind): AnyResourceApi {
  return provider[API_OF_KIND[kind]] as unknown as AnyResourceApi;
}

/**
 * Turns a page fetcher into a lazy async iterable: the first page is requested when iteration
 * starts, each next page only when the previous one is used up.
 */
export function paginate<T>(
  fetchPage: (nextToken: string | undefined) => Promise<Page<T>>,
): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      let token: string | undefined;
      do {
        const page = await fetchPage(token);
        yield* page.items;
        token = page.nextToken;
      } while (token !== undefined);
    },
  };
}

/** Collects an async iterable (for small lists and tests). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * An API whose every operation throws `Unsupported` without touching the network, for kinds the
 * provider lacks.
 */
export function unsupportedApi<T, C, U>(
  provider: string,
  kind: ResourceKind,
  note: string,
): ResourceApi<T, C, U> {
  const fail = (op: Operation) => unsupported(provider, `${API_OF_KIND[kind]}.${op}`, note);
  return {
    create: async () => {
      throw fail('create');
    },
    get: async () => {
      throw fail('get');
    },
    list: () => ({
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          throw fail('list');
        },
      }),
    }),
    update: async () => {
      throw fail('update');
    },
    delete: async () => {
      throw fail('delete');
    },
  };
}

/**
 * Wraps a provider so that any operation its capability cells mark `unsupported` throws the
 * normalized `Unsupported` error before the adapter runs, and any non-PolybusError an adapter
 * lets slip is normalized to `Internal` (so retries are never silently switched off).
 */
export function guardProvider(provider: EventProvider): EventProvider {
  const wrapApi = (kind: ResourceKind): AnyResourceApi => {
    const api = apiOf(provider, kind);
    const check = (op: Operation, input?: Record<string, unknown>) => {
      const operation = `${API_OF_KIND[kind]}.${op}`;
      const c = cellOf(provider.capabilities, kind, op);
      if (!isCallable(c)) throw unsupported(provider.name, operation, c?.note ?? 'not declared');
      // A setting the provider cannot hold is refused, never silently dropped.
      const lost = input ? unsupportedSettings(provider.capabilities, kind, input) : [];
      if (lost.length)
        throw unsupported(provider.name, operation, lost.map((l) => `${l.setting}: ${l.detail}`).join('; '));
    };
    const normalize = (op: Operation, err: unknown): never => {
      if (isPolybusError(err)) throw err;
      throw new PolybusError({
        code: 'Internal',
        provider: provider.name,
        operation: `${API_OF_KIND[kind]}.${op}`,
        message: `adapter error: ${(err as Error)?.message ?? String(err)}`,
        cause: err,
      });
    };
    return {
      create: async (input, o) => {
        check('create', input);
        return api.create(input, o).catch((e) => normalize('create', e));
      },
      get: async (id, o) => {
        check('get');
        return api.get(id, o).catch((e) => normalize('get', e));
      },
      list: (o) => ({
        async *[Symbol.asyncIterator]() {
          check('list');
          try {
            yield* api.list(o);
          } catch (e) {
            normalize('list', e);
          }
        },
      }),
      update: async (id, patch, o) => {
        check('update', patch);
        return api.update(id, patch, o).catch((e) => normalize('update', e));
      },
      delete: async (id, o) => {
        check('delete');
        return api.delete(id, o).catch((e) => normalize('delete', e));
      },
    };
  };
  return {
    specificationVersion: provider.specificationVersion,
    name: provider.name,
    capabilities: provider.capabilities,
    mutability: provider.mutability,
    replaceStrategy: provider.replaceStrategy,
    ...(provider.nameScope ? { nameScope: provider.nameScope } : {}),
    ...(provider.listOmits ? { listOmits: provider.listOmits } : {}),
    buses: wrapApi('bus') as unknown as EventProvider['buses'],
    sources: wrapApi('source') as unknown as EventProvider['sources'],
    connections: wrapApi('connection') as unknown as EventProvider['connections'],
    integrations: wrapApi('integration') as unknown as EventProvider['integrations'],
    ...(provider.deleteBlockers ? { deleteBlockers: provider.deleteBlockers.bind(provider) } : {}),
    ...(provider.unreadable ? { unreadable: provider.unreadable.bind(provider) } : {}),
    ...(provider.routingProblems ? { routingProblems: provider.routingProblems.bind(provider) } : {}),
    ...(provider.nativeFilter ? { nativeFilter: provider.nativeFilter } : {}),
    ...(provider.validateInput ? { validateInput: provider.validateInput.bind(provider) } : {}),
    ...(provider.publish ? { publish: provider.publish.bind(provider) } : {}),
    ...(provider.trace ? { trace: provider.trace.bind(provider) } : {}),
    close: () => provider.close(),
  };
}

/** Codes after which a create may or may not have happened. */
const AMBIGUOUS_CREATE = new Set(['Timeout', 'Network', 'Unavailable', 'Internal']);

/**
 * Waits between reads right after a write, while an eventually consistent service may not show
 * it yet: about 3 s in all, then the caller decides.
 */
export const READ_AFTER_WRITE_DELAYS_MS: readonly number[] = [100, 200, 400, 800, 1600];

/** What the read-after-write helpers need: a clock to wait on and the caller's signal. */
export interface WaitContext {
  clock: Clock;
  signal?: AbortSignal;
  /** Delays between reads (default {@link READ_AFTER_WRITE_DELAYS_MS}). */
  delaysMs?: readonly number[];
}

const isNotFound = (err: unknown) => isPolybusError(err) && err.code === 'NotFound';

async function pause(ms: number, ctx: WaitContext, operation: string): Promise<void> {
  try {
    await ctx.clock.sleep(ms, ctx.signal);
  } catch (reason) {
    throw cancelled('polybus', operation, reason);
  }
}

/**
 * Reads a resource right after a successful write. NotFound is retried with bounded backoff (the
 * write happened: the service just does not show it yet); if it never shows within the window,
 * the result is `fallback()` — what the write sent and answered — marked `unconfirmed`, never an
 * error for a change that was made.
 */
export async function readAfterWrite<T extends object>(
  read: () => Promise<T>,
  fallback: () => T,
  ctx: WaitContext,
): Promise<T> {
  const delays = ctx.delaysMs ?? READ_AFTER_WRITE_DELAYS_MS;
  for (let i = 0; ; i++) {
    try {
      return await read();
    } catch (err) {
      if (!isNotFound(err)) throw err;
      if (i >= delays.length) return { ...fallback(), unconfirmed: true as const };
      await pause(delays[i]!, ctx, 'read-after-write');
    }
  }
}

/**
 * Looks a resource up, tolerating read-after-write lag: `find` is tried again with bounded
 * backoff while it finds nothing, and `undefined` is returned only once the window has passed.
 */
export async function lookupAfterWrite<T>(
  find: () => Promise<T | undefined>,
  ctx: WaitContext,
): Promise<T | undefined> {
  const delays = ctx.delaysMs ?? READ_AFTER_WRITE_DELAYS_MS;
  for (let i = 0; ; i++) {
    const hit = await find().catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (hit !== undefined || i >= delays.length) return hit;
    await pause(delays[i]!, ctx, 'lookup');
  }
}

/** Creates sent at most for one request when every answer is lost (each one looked up first). */
const MAX_CREATE_SENDS = 3;

/**
 * Creates without ever making two resources for one request on providers with no idempotency
 * token: when the create fails ambiguously (timeout, reset, 5xx, a cut body), the resource is
 * looked up by name, waiting out the read-after-write window, and created again only when it still
 * is not there (a bounded number of times, with a last look after the last ambiguous failure).
 */
export async function createWithLookup<T>(
  create: () => Promise<T>,
  findByName: () => Promise<T | undefined>,
  ctx: WaitContext,
): Promise<T> {
  for (let sends = 1; ; sends++) {
    try {
      return await create();
    } catch (err) {
      if (!isPolybusError(err)) throw err;
      if (!AMBIGUOUS_CREATE.has(err.code)) throw err;
      const existing = await lookupAfterWrite(findByName, ctx);
      if (existing !== undefined) return existing;
      if (sends >= MAX_CREATE_SENDS) throw err;
    }
  }
}

/** Finds the first item of an async iterable that matches. */
export async function findFirst<T>(
  items: AsyncIterable<T>,
  match: (item: T) => boolean,
): Promise<T | undefined> {
  for await (const item of items) if (match(item)) return item;
  return undefined;
}

/** Maps an async iterable lazily. */
export function mapAsync<T, U>(items: AsyncIterable<T>, fn: (item: T) => U | Promise<U>): AsyncIterable<U> {
  return {
    async *[Symbol.asyncIterator]() {
      for await (const item of items) yield await fn(item);
    },
  };
}

/** Flattens an async iterable of async iterables lazily. */
export function flatMapAsync<T, U>(
  items: AsyncIterable<T>,
  fn: (item: T) => AsyncIterable<U>,
): AsyncIterable<U> {
  return {
    async *[Symbol.asyncIterator]() {
      for await (const item of items) yield* fn(item);
    },
  };
}

/** Reads a dotted path (`filter.source`) from an object. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Rejects an update that sets a field the mutability table marks `replace`, before any request,
 * naming the field: such a change needs delete+create, which only plan/apply performs.
 */
export function assertMutable(
  provider: string,
  kind: ResourceKind,
  mutability: MutabilityTable,
  patch: Record<string, unknown>,
  operation: string,
): void {
  const issues = Object.entries(mutability[kind] ?? {})
    .filter(([path, m]) => m === 'replace' && valueAt(patch, path) !== undefined)
    .map(([path]) => ({
      field: path,
      rule: `is immutable on ${provider}: changing it needs a replace (delete and create)`,
    }));
  if (issues.length) throw invalidArgument(provider, operation, issues);
}

/**
 * Checks a configured endpoint before any request: an http(s) origin such as
 * `https://eb.tencentcloudapi.com` or `http://127.0.0.1:4566`, returned without a trailing slash.
 * Anything else is an `InvalidArgument` naming where the value came from.
 */
export function parseEndpoint(provider: string, field: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
    throw invalidArgument(provider, 'configure', [
      {
        field,
        rule: `must be an http(s) URL such as https://host or http://127.0.0.1:PORT, got ${JSON.stringify(value)}`,
      },
    ]);
  return value.replace(/\/+$/, '');
}
