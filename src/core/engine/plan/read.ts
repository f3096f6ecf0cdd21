/**
 * The read phase: live state through the adapters. Lists of the candidates of one kind (per
 * account, or per spec bus), full reads of matched items whose list leaves fields out, and the
 * bounded, failure-keeping way every read runs (a failed read fails only what it concerns).
 */
import { isPolybusError, type PolybusError } from '../../model/errors.js';
import type { Resource, ResourceKind } from '../../model/resources.js';
import { apiOf, collect } from '../../runtime/resources.js';
import { failItem, type PlanItem, type TargetItem, type TargetPlanning, type WithLive } from './model.js';

/** A read that either gave its value or failed with a PolybusError (kept, to fail only what it concerns). */
export type Read<T> = { ok: true; value: T } | { ok: false; error: PolybusError };

/**
 * Runs a read and keeps its failure instead of throwing it. Cancellation and non-polybus errors
 * (bugs) still throw: they are not a fact about one resource.
 */
export async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    if (!isPolybusError(err) || err.code === 'Cancelled') throw err;
    return { ok: false, error: err };
  }
}

/** Maps with at most `limit` calls in flight, results in input order. */
export async function mapLimit<T, U>(items: T[], limit: number, fn: (item: T) => Promise<U>): Promise<U[]> {
  const out: U[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The live candidates of one kind: listed per account, or per spec bus (by spec bus name). */
export interface LiveCandidates {
  account: Read<Resource[]> | undefined;
  byBus: Map<string, Read<Resource[]>>;
}

/** Lists the live resources of `kind` (on one bus, by id), in summary form where the list leaves fields out. */
function listLive(ctx: TargetPlanning, kind: ResourceKind, bus?: string): Promise<Read<Resource[]>> {
  const { provider, signal } = ctx;
  return attempt(() =>
    collect(
      apiOf(provider, kind).list({
        ...signal,
        ...(bus !== undefined ? { bus } : {}),
        ...(provider.listOmits?.[kind] ? { summary: true } : {}),
      }),
    ),
  );
}

/**
 * Live candidates: per account, or per spec bus for kinds whose names are per bus. A bus the
 * spec does not name is never read. Nothing is read for a kind the provider cannot create.
 */
export async function readCandidates(
  ctx: TargetPlanning,
  kind: ResourceKind,
  scope: 'account' | 'bus',
  callable: boolean,
  specItems: TargetItem[],
): Promise<LiveCandidates> {
  const { buses } = ctx;
  const account = callable && scope === 'account' ? await listLive(ctx, kind) : undefined;
  const byBus = new Map<string, Read<Resource[]>>();
  if (callable && scope === 'bus') {
    // destroy and prune read the children of every spec bus: a bus is deleted only when its
    // children were read (see blockUnreadParents)
    const wanted = new Set(
      ctx.options.prune || ctx.options.destroy
        ? [...buses.keys()]
        : specItems.map(({ item }) => (item as { bus?: string }).bus).filter((b) => b !== undefined),
    );
    const ids = [...wanted].flatMap((b) => {
      const s = buses.get(b);
      return s?.state === 'live' ? [[b, s.id] as const] : [];
    });
    const lists = await mapLimit(ids, ctx.readLimit, ([, id]) => listLive(ctx, kind, id));
    ids.forEach(([b], i) => byBus.set(b, lists[i]!));
  }
  if (kind !== 'bus') {
    for (const [b, list] of byBus) if (!list.ok) unreadChildOf(ctx, b, kind, list.error);
    // a kind listed per account: its failed list leaves the children of every bus unknown
    if (account && !account.ok) for (const b of buses.keys()) unreadChildOf(ctx, b, kind, account.error);
  }
  return { account, byBus };
}

/** Records that the `kind` children of spec bus `bus` could not be read. */
function unreadChildOf(ctx: TargetPlanning, bus: string, kind: ResourceKind, error: PolybusError): void {
  const list = ctx.unreadChildren.get(bus);
  if (list) list.push({ kind, error });
  else ctx.unreadChildren.set(bus, [{ kind, error }]);
}

/**
 * A parent is deleted only when its children were read: a bus planned for delete (or replace)
 * whose children's list, or one of whose declared children, could not be read becomes an error
 * (apply skips it and fails): deleting it could orphan children nobody could see.
 */
export function blockUnreadParents(ctx: TargetPlanning): void {
  for (const bus of ctx.out) {
    if (bus.kind !== 'bus' || (bus.action !== 'delete' && bus.action !== 'replace')) continue;
    const busName = bus.key.slice(`${ctx.target}/bus/`.length);
    const unread = [...(ctx.unreadChildren.get(busName) ?? [])].map(({ kind, error }) => ({
      what: `its ${kind} list`,
      error: error.toJSON(),
    }));
    for (const child of ctx.out)
      if (child.busRef === busName && child.action === 'error' && child.error)
        unread.push({ what: `its ${child.kind} ${child.name}`, error: child.error });
    if (!unread.length) {
      const unnamed = bus.action === 'delete' ? (ctx.unnamedChildren.get(busName) ?? []) : [];
      if (unnamed.length) {
        bus.action = 'blocked';
        bus.reason = `not deleted: it holds ${unnamed.map((u) => `${u.ids.length} ${u.kind}(s) (${u.ids.join(', ')})`).join(', ')} that this spec does not name; deleting the bus would take them with it. Delete them first, or name them in the spec`;
      }
      continue;
    }
    const first = unread[0]!;
    bus.action = 'error';
    bus.error = first.error;
    bus.reason = `not deleted: ${unread.map((u) => u.what).join(', ')} could not be read (${first.error.code}: ${first.error.message}); a bus is deleted only once its children are known to be gone, so run again when the reads succeed`;
  }
}

/** Full reads of the matched items whose listed fields do not decide the diff. */
export async function readFull(
  ctx: TargetPlanning,
  kind: ResourceKind,
  fullReads: { plan: PlanItem; id: string }[],
): Promise<void> {
  const reads = await mapLimit(fullReads, ctx.readLimit, ({ id }) =>
    attempt(() => apiOf(ctx.provider, kind).get(id, ctx.signal)),
  );
  fullReads.forEach(({ plan }, i) => {
    const r = reads[i]!;
    if (r.ok) (plan as WithLive).live = r.value;
    else failItem(plan, r.error, 'its live state could not be read');
  });
}
