/**
 * The shared contract suite: the same walk over the capability matrix for every adapter+emulator
 * pair. A callable cell is exercised; an unsupported one must throw Unsupported without a request.
 */
import { describe, expect, it } from 'vitest';
import { cellOf, FEATURES, isCallable, OPERATIONS } from '../../src/core/model/capabilities.js';
import { RESOURCE_KINDS, type Resource, type ResourceKind } from '../../src/core/model/resources.js';
import { apiOf, collect } from '../../src/core/runtime/resources.js';
import { type EventProvider } from '../../src/core/contract/provider.js';

/** What a suite run needs from an adapter. */
export interface ContractTarget {
  provider: EventProvider;
  /** Requests the emulator has received so far. */
  requestCount(): number;
  /** Valid create input for item `n` of a kind; `busId` is the parent bus. */
  fixture(kind: ResourceKind, n: number, busId: string): Record<string, unknown>;
  /** A bus id to hang children on when the provider cannot create buses. */
  existingBus?: string;
  /** A patch the update cell supports (default: a new description). */
  updatePatch?(kind: ResourceKind): Record<string, unknown> | undefined;
}

const unique = () => Math.random().toString(36).slice(2, 8);

/** Registers the suite. `setup` runs once per test file. */
export function contractSuite(name: string, target: () => ContractTarget): void {
  describe(`contract: ${name}`, () => {
    const busFor = async (t: ContractTarget): Promise<string> => {
      if (t.existingBus) return t.existingBus;
      const bus = await t.provider.buses.create(
        t.fixture('bus', 90 + Math.floor(Math.random() * 9), '') as never,
      );
      return bus.id;
    };

    for (const kind of RESOURCE_KINDS) {
      describe(kind, () => {
        for (const op of OPERATIONS) {
          it(`${op}: declared cell is honoured`, async () => {
            const t = target();
            const c = cellOf(t.provider.capabilities, kind, op)!;
            expect(c.note.length).toBeGreaterThan(0);
            if (isCallable(c)) return; // exercised by the lifecycle test below
            const api = apiOf(t.provider, kind);
            const before = t.requestCount();
            const call: Record<string, () => Promise<unknown>> = {
              create: () => api.create(t.fixture(kind, 0, t.existingBus ?? 'b')),
              get: () => api.get('any-id'),
              list: () => collect(api.list({ bus: t.existingBus ?? 'b' })),
              update: () => api.update('any-id', { description: 'x' }),
              delete: () => api.delete('any-id'),
            };
            await expect(call[op]!()).rejects.toMatchObject({
              code: 'Unsupported',
              provider: t.provider.name,
            });
            expect(t.requestCount()).toBe(before);
          });
        }

        it('reference-only get returns a reference without a request', async () => {
          const t = target();
          const c = cellOf(t.provider.capabilities, kind, 'get')!;
          if (c.support !== 'reference-only') return;
          const before = t.requestCount();
          const ref = await apiOf(t.provider, kind).get('referenced-name');
          expect(ref).toMatchObject({
            id: 'referenced-name',
            name: 'referenced-name',
            provider: t.provider.name,
            status: 'reference',
          });
          expect(t.requestCount()).toBe(before);
        });

        it('lifecycle: create, get, list with paging, update, delete', async () => {
          const t = target();
          const caps = t.provider.capabilities;
          if (!isCallable(cellOf(caps, kind, 'create'))) return;
          const api = apiOf(t.provider, kind);
          const busId = kind === 'bus' ? '' : await busFor(t);
          const inputs = [0, 1, 2].map((n) => t.fixture(kind, n, busId));
          const created: Resource[] = [];
          for (const input of inputs) {
            const r = await api.create(input);
            expect(r).toMatchObject({ name: input.name, provider: t.provider.name });
            expect(r.id).toBeTruthy();
            created.push(r);
          }
          if (isCallable(cellOf(caps, kind, 'get'))) {
            const got = await api.get(created[0]!.id);
            expect(got).toMatchObject({ id: created[0]!.id, name: inputs[0]!.name });
            if (inputs[0]!.description !== undefined) expect(got.description).toBe(inputs[0]!.description);
          }
          if (isCallable(cellOf(caps, kind, 'list'))) {
            const listed = await collect(api.list({ ...(busId ? { bus: busId } : {}), pageSize: 2 }));
            const ids = listed.map((r) => r.id);
            for (const c of created) expect(ids).toContain(c.id);
            // a listed item is the same resource, field for field, as a get returns
            if (isCallable(cellOf(caps, kind, 'get'))) {
              expect(listed.find((r) => r.id === created[2]!.id)).toEqual(await api.get(created[2]!.id));
            }
          }
          if (isCallable(cellOf(caps, kind, 'update'))) {
            const patch = t.updatePatch?.(kind) ?? { description: `updated ${unique()}` };
            const updated = await api.update(created[1]!.id, patch);
            expect(updated).toMatchObject(patch);
            expect(await api.get(created[1]!.id)).toMatchObject(patch);
          }
          if (isCallable(cellOf(caps, kind, 'delete'))) {
            for (const c of created) await api.delete(c.id);
            await expect(api.get(created[0]!.id)).rejects.toMatchObject({ code: 'NotFound' });
          }
        });

        it('bad input is rejected as InvalidArgument before any request', async () => {
          const t = target();
          if (!isCallable(cellOf(t.provider.capabilities, kind, 'create'))) return;
          const before = t.requestCount();
          const bad = { ...t.fixture(kind, 0, t.existingBus ?? 'eb-x'), name: '' };
          const err = await apiOf(t.provider, kind)
            .create(bad)
            .catch((e: unknown) => e);
          expect(err).toMatchObject({ code: 'InvalidArgument' });
          expect((err as { issues: { field: string }[] }).issues.map((i) => i.field)).toContain('name');
          expect(t.requestCount()).toBe(before);
        });

        for (const feature of FEATURES) {
          it(`feature ${feature}: declared cell is honoured`, async () => {
            const t = target();
            const c = t.provider.capabilities.kinds[kind].features[feature];
            if (!c || !isCallable(cellOf(t.provider.capabilities, kind, 'create'))) return;
            expect(c.note.length).toBeGreaterThan(0);
            const api = apiOf(t.provider, kind);
            const busId = kind === 'bus' ? '' : await busFor(t);
            const base = t.fixture(kind, 7, busId);
            const setting: Record<string, Record<string, unknown>> = {
              tags: { tags: { team: 'events', env: 'test' } },
              retention: { retentionDays: 3 },
            };
            const extra = setting[feature];
            if (!extra) return; // pagination, rateLimit, filterBySource, idempotency: covered by provider tests
            if (!isCallable(c)) {
              const before = t.requestCount();
              await expect(api.create({ ...base, ...extra })).rejects.toMatchObject({ code: 'Unsupported' });
              expect(t.requestCount()).toBe(before);
              return;
            }
            const created = await api.create({ ...base, ...extra });
            const got = await api.get(created.id);
            expect(got).toMatchObject(extra);
            await api.delete(created.id);
          });
        }
      });
    }
  });
}
