/**
 * The provider contract: what every adapter implements. Plain interfaces plus two helpers that
 * every adapter shares (lazy paging and the capability guard); no provider names here.
 */
import type { CapabilitySet, Operation } from './capabilities.js';
import { cellOf, isCallable } from './capabilities.js';
import { isPolybusError, PolybusError, unsupported } from './errors.js';
import type {
  Bus,
  Connection,
  CreateBusInput,
  CreateConnectionInput,
  CreateIntegrationInput,
  CreateSourceInput,
  Integration,
  Page,
  ResourceKind,
  Source,
  UpdateBusInput,
  UpdateConnectionInput,
  UpdateIntegrationInput,
  UpdateSourceInput,
} from './model.js';

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

/** The interface every adapter implements. */
export interface EventProvider {
  readonly specificationVersion: typeof SPECIFICATION_VERSION;
  /** Registry name: `tencent`, `huawei`, `aws`. */
  readonly name: string;
  readonly capabilities: CapabilitySet;
  readonly mutability: MutabilityTable;
  readonly replaceStrategy: Partial<Record<ResourceKind, ReplaceStrategy>>;
  readonly buses: ResourceApi<Bus, CreateBusInput, UpdateBusInput>;
  readonly sources: ResourceApi<Source, CreateSourceInput, UpdateSourceInput>;
  readonly connections: ResourceApi<Connection, CreateConnectionInput, UpdateConnectionInput>;
  readonly integrations: ResourceApi<Integration, CreateIntegrationInput, UpdateIntegrationInput>;
  /** Reasons a delete of this resource would be refused now (e.g. AWS associations), empty when free. */
  deleteBlockers?(kind: ResourceKind, id: string, options?: CallOptions): Promise<string[]>;
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
    const check = (op: Operation) => {
      const c = cellOf(provider.capabilities, kind, op);
      if (!isCallable(c))
        throw unsupported(provider.name, `${API_OF_KIND[kind]}.${op}`, c?.note ?? 'not declared');
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
        check('create');
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
        check('update');
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
    buses: wrapApi('bus') as unknown as EventProvider['buses'],
    sources: wrapApi('source') as unknown as EventProvider['sources'],
    connections: wrapApi('connection') as unknown as EventProvider['connections'],
    integrations: wrapApi('integration') as unknown as EventProvider['integrations'],
    ...(provider.deleteBlockers ? { deleteBlockers: provider.deleteBlockers.bind(provider) } : {}),
    close: () => provider.close(),
  };
}
