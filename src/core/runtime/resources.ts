/**
 * Helpers over the contract's resource APIs that every adapter and the engine share: the API of a
 * kind, lazy paging, an unsupported kind's API, and the capability guard. No provider names.
 */
import { type ResourceApi } from '../contract/calls.js';
import { type EventProvider } from '../contract/provider.js';
import type { Operation } from '../model/capabilities.js';
import { cellOf, isCallable, unsupportedSettings } from '../model/capabilities.js';
import { isPolybusError, PolybusError, unsupported } from '../model/errors.js';
import type { Bus, Connection, Integration, Page, ResourceKind, Source } from '../model/resources.js';

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
    ...(provider.unenforcedNames ? { unenforcedNames: provider.unenforcedNames } : {}),
    ...(provider.listOmits ? { listOmits: provider.listOmits } : {}),
    buses: wrapApi('bus') as unknown as EventProvider['buses'],
    sources: wrapApi('source') as unknown as EventProvider['sources'],
    connections: wrapApi('connection') as unknown as EventProvider['connections'],
    integrations: wrapApi('integration') as unknown as EventProvider['integrations'],
    ...(provider.deleteBlockers ? { deleteBlockers: provider.deleteBlockers.bind(provider) } : {}),
    ...(provider.unreadable ? { unreadable: provider.unreadable.bind(provider) } : {}),
    ...(provider.ignoredSettings ? { ignoredSettings: provider.ignoredSettings.bind(provider) } : {}),
    ...(provider.routingProblems ? { routingProblems: provider.routingProblems.bind(provider) } : {}),
    ...(provider.nativeFilter ? { nativeFilter: provider.nativeFilter } : {}),
    ...(provider.validateInput ? { validateInput: provider.validateInput.bind(provider) } : {}),
    ...(provider.publish ? { publish: provider.publish.bind(provider) } : {}),
    ...(provider.trace ? { trace: provider.trace.bind(provider) } : {}),
    close: () => provider.close(),
  };
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
