/**
 * The match phase: each spec item of one kind to the live resource it is (provider + target +
 * parent bus + name, never a same-named resource under another bus), deciding what needs no diff
 * (reference, unsupported, blocked, delete, create); with prune, the live children left unmatched.
 */
import { cellOf, unsupportedSettings } from '../../model/capabilities.js';
import { PolybusError } from '../../model/errors.js';
import type { Resource, ResourceKind } from '../../model/resources.js';
import { apiOf } from '../../runtime/resources.js';
import { type NameScope } from '../../contract/provider.js';
import { valueAt } from '../../runtime/checks.js';
import {
  type BusState,
  failItem,
  inputOf,
  itemKey,
  type PlanItem,
  type TargetItem,
  type TargetPlanning,
  type WithLive,
} from './model.js';
import { dependenciesOf } from './order.js';
import { attempt, type LiveCandidates } from './read.js';

const PLURAL: Record<ResourceKind, string> = {
  bus: 'buses',
  source: 'sources',
  connection: 'connections',
  integration: 'integrations',
};

/** One kind's pass over a target: its live candidates and what has been matched to them. */
export interface KindPass {
  kind: ResourceKind;
  /** Where names of this kind are unique (a bus: per account). */
  scope: NameScope;
  /** Whether the provider can create this kind (if not: reference-only or unsupported). */
  callable: boolean;
  live: LiveCandidates;
  /** Live ids of the spec buses. */
  specBusIds: Set<string>;
  /** Live ids already taken by a spec item. */
  matched: Set<string>;
  /** Matched items to read in full: the list left out fields they set. */
  fullReads: { plan: PlanItem; id: string }[];
}

/**
 * Plans one spec item of the pass's kind: adds it to the plan (a no-op until decided), then
 * decides everything that does not take a diff; a matched item is left to the diff.
 */
export async function matchItem(ctx: TargetPlanning, pass: KindPass, entry: TargetItem): Promise<void> {
  const { kind } = pass;
  const plan = addItem(ctx, kind, entry);
  if (!pass.callable) return planNotCreatable(ctx, kind, entry, plan);
  const desired = plan.desired!;
  const busRef = plan.busRef;
  const parent = busRef !== undefined ? ctx.buses.get(busRef) : undefined;
  if (parent?.state === 'unsupported') {
    plan.action = 'unsupported';
    plan.reason = `its bus ${busRef} is unsupported on ${ctx.provider.name}`;
    return;
  }
  if (parent?.state === 'error') {
    failItem(plan, parent.error, `its bus ${busRef} could not be read`);
    return;
  }
  const ignored = [
    ...unsupportedSettings(ctx.provider.capabilities, kind, desired),
    ...(ctx.provider.ignoredSettings?.(kind, desired) ?? []),
  ];
  for (const { setting, detail } of ignored) {
    if (setting === 'clientToken') continue; // an idempotency key, not a setting of the resource
    plan.warnings.push({ type: 'unsupported-setting', setting, detail });
    delete desired[setting];
  }
  const existing = findLive(ctx, pass, plan, entry, parent);
  if (existing !== 'settled') decide(ctx, pass, plan, entry, existing);
}

/** The item's entry in the plan, with the keys of what it waits for. */
function addItem(ctx: TargetPlanning, kind: ResourceKind, { raw, item }: TargetItem): PlanItem {
  const desired = inputOf(item);
  const busRef = kind === 'bus' ? undefined : (desired.bus as string | undefined);
  const plan: PlanItem = {
    key: itemKey(ctx.target, kind, raw.name, busRef),
    target: ctx.target,
    provider: ctx.provider.name,
    kind,
    name: item.name,
    action: 'noop',
    warnings: [],
    dependsOn: [],
    desired,
  };
  if (busRef !== undefined) plan.busRef = busRef;
  plan.dependsOn.push(...dependenciesOf(ctx, kind, desired, busRef));
  ctx.byKey.set(plan.key, plan);
  ctx.out.push(plan);
  return plan;
}

/** An item of a kind the provider cannot create: a reference to what must already exist, or unsupported. */
async function planNotCreatable(
  ctx: TargetPlanning,
  kind: ResourceKind,
  { raw, item }: TargetItem,
  plan: PlanItem,
): Promise<void> {
  const { provider, buses } = ctx;
  const getCell = cellOf(provider.capabilities, kind, 'get');
  if (getCell?.support === 'reference-only') {
    plan.action = 'reference';
    const ref = await attempt(() => apiOf(provider, kind).get(item.name, ctx.signal));
    if (!ref.ok) {
      failItem(plan, ref.error, 'the referenced resource could not be read');
      if (kind === 'bus') buses.set(raw.name, { state: 'error', error: ref.error });
      return;
    }
    plan.id = ref.value.id;
    plan.warnings.push({
      type: 'reference-only',
      detail: `${getCell.note}: it must already exist on ${provider.name}`,
    });
    if (kind === 'bus') buses.set(raw.name, { state: 'live', id: ref.value.id, changing: false });
  } else {
    plan.action = 'unsupported';
    plan.reason = cellOf(provider.capabilities, kind, 'create')?.note ?? 'not declared';
    if (kind === 'bus') buses.set(raw.name, { state: 'unsupported' });
    // a kind the provider has no resource for (a bus aside, which holds the routes) loses
    // nothing by itself: a route that needs it is refused on its own
    else plan.informational = true;
  }
}

/**
 * The live resource this item is, under its own parent only; undefined when there is none.
 * `'settled'` when looking decided the item: its candidates could not be listed (it fails), or
 * its name is taken on a bus this spec does not name (it is blocked).
 */
function findLive(
  ctx: TargetPlanning,
  pass: KindPass,
  plan: PlanItem,
  { raw, item }: TargetItem,
  parent: BusState | undefined,
): Resource | undefined | 'settled' {
  const { kind, live, matched } = pass;
  const busRef = plan.busRef;
  if (pass.scope === 'bus') {
    if (parent?.state !== 'live') return undefined;
    const list = live.byBus.get(busRef!);
    if (list && !list.ok) {
      failItem(plan, list.error, `the ${PLURAL[kind]} of bus ${busRef} could not be listed`);
      return 'settled';
    }
    return single(ctx, pass, plan, raw.name, list?.value ?? [], item.name);
  }
  if (live.account && !live.account.ok) {
    failItem(plan, live.account.error, `the ${PLURAL[kind]} could not be listed`);
    // its children cannot be matched either: they fail too, rather than plan a create
    if (kind === 'bus') ctx.buses.set(raw.name, { state: 'error', error: live.account.error });
    return 'settled';
  }
  const existing = single(ctx, pass, plan, raw.name, live.account?.value ?? [], item.name);
  if (existing === 'settled') return existing;
  const liveBus = (existing as { bus?: string } | undefined)?.bus;
  if (
    existing &&
    busRef !== undefined &&
    liveBus !== undefined &&
    !pass.specBusIds.has(liveBus) &&
    !missingSpecBus(ctx, busRef, liveBus)
  ) {
    // The name is taken by a resource on a bus this spec does not name: never touch it.
    matched.add(existing.id);
    plan.action = 'blocked';
    plan.id = existing.id;
    plan.reason = `a ${kind} named ${item.name} already exists on bus ${liveBus}, which this spec does not name (${kind} names are unique per account on ${ctx.provider.name}); it is left alone`;
    return 'settled';
  }
  return existing;
}

/**
 * True when a live child names, as its bus, its own spec bus that does not exist yet: a provider
 * whose children name their bus by name (an AWS event integration's `EventBridgeBus`) keeps the
 * child when the bus is deleted. That child is the spec's own (matched, and the bus is created
 * before it is changed), never a resource "on a bus this spec does not name".
 */
function missingSpecBus(ctx: TargetPlanning, busRef: string, liveBus: string): boolean {
  const bus = ctx.buses.get(busRef);
  return bus?.state === 'new' && liveBus === bus.name;
}

/**
 * The one live resource named `name` among `candidates` (not yet taken), or undefined. Two or
 * more (concurrent runs that each created it, or a twin made elsewhere) are an ambiguous identity:
 * the item becomes an error naming every id and the way out, and none of them is touched.
 */
function single(
  ctx: TargetPlanning,
  pass: KindPass,
  plan: PlanItem,
  specName: string,
  candidates: Resource[],
  name: string,
): Resource | undefined | 'settled' {
  const found = candidates.filter((r) => r.name === name && !pass.matched.has(r.id));
  if (found.length <= 1) return found[0];
  const ids = found.map((r) => r.id);
  for (const id of ids) pass.matched.add(id); // never pruned or adopted either
  const error = new PolybusError({
    code: 'Conflict',
    provider: ctx.provider.name,
    operation: 'plan',
    resource: name,
    message: `${found.length} live ${PLURAL[pass.kind]} have this identity (${name}${plan.busRef !== undefined ? ` on bus ${plan.busRef}` : ''}): ${ids.join(', ')}; polybus acts on neither. Delete all but one (polybus ${PLURAL[pass.kind]} delete --provider ${ctx.provider.name} --id <id>), then run again`,
  });
  failItem(plan, error, 'ambiguous identity');
  if (pass.kind === 'bus') ctx.buses.set(specName, { state: 'error', error });
  return 'settled';
}

/**
 * Decides an item by what was found: delete it (destroy), refuse a route the provider cannot
 * express, create it, or keep the live resource (read in full if need be) for the diff.
 */
function decide(
  ctx: TargetPlanning,
  pass: KindPass,
  plan: PlanItem,
  { raw }: TargetItem,
  existing: Resource | undefined,
): void {
  const { kind, matched } = pass;
  const { provider, buses } = ctx;
  const desired = plan.desired!;
  if (ctx.options.destroy) {
    if (existing) {
      matched.add(existing.id);
      plan.action = 'delete';
      plan.id = existing.id;
      if (kind === 'bus') buses.set(raw.name, { state: 'live', id: existing.id, changing: true });
    }
    return;
  }
  // A route the provider cannot express exactly is refused, never applied wider or partial.
  const routing = kind === 'integration' ? (provider.routingProblems?.(desired) ?? []) : [];
  if (routing.length) {
    if (existing) {
      matched.add(existing.id);
      plan.id = existing.id;
    }
    plan.action = 'unsupported';
    plan.reason = routing.map((r) => `${r.field}: ${r.rule}`).join('; ');
    return;
  }
  if (!existing) {
    plan.action = 'create';
    if (kind === 'bus') buses.set(raw.name, { state: 'new', name: plan.name });
    return;
  }
  matched.add(existing.id);
  plan.id = existing.id;
  if (kind === 'bus') buses.set(raw.name, { state: 'live', id: existing.id, changing: false });
  // The list left out fields this item sets: read it in full (only this one).
  const omitted = provider.listOmits?.[kind] ?? [];
  if (omitted.some((f) => valueAt(desired, f) !== undefined)) {
    pass.fullReads.push({ plan, id: existing.id });
  } else {
    (plan as WithLive).live = existing;
  }
}

/** Prune: children on spec buses that the spec does not declare, each planned as a delete. */
export function pruneUnmatched(ctx: TargetPlanning, pass: KindPass): void {
  const { kind, live, matched, specBusIds } = pass;
  const candidates =
    pass.scope === 'bus'
      ? [...live.byBus.values()].flatMap((l) => (l.ok ? l.value : []))
      : live.account?.ok
        ? live.account.value.filter((r) => {
            const bus = (r as { bus?: string }).bus;
            return bus !== undefined && specBusIds.has(bus);
          })
        : [];
  for (const r of candidates) {
    if (matched.has(r.id)) continue;
    const bus = (r as { bus?: string }).bus;
    ctx.out.push({
      key: `${itemKey(ctx.target, kind, r.name, bus)}#${r.id}`,
      target: ctx.target,
      provider: ctx.provider.name,
      kind,
      name: r.name,
      action: 'delete',
      id: r.id,
      warnings: [],
      dependsOn: [],
      reason: 'not in the spec (--prune)',
    });
  }
}

/**
 * Destroy: records the live children of each spec bus that the spec does not name (read, not
 * matched). Deleting the bus would take them with it, or orphan them: the bus is blocked instead
 * (see `blockUnreadParents`), as when its children could not be read.
 */
export function recordUnnamed(ctx: TargetPlanning, pass: KindPass): void {
  const { kind, live, matched } = pass;
  const byBus = new Map<string, string[]>();
  if (pass.scope === 'bus') {
    for (const [bus, list] of live.byBus)
      if (list.ok)
        byBus.set(
          bus,
          list.value.filter((r) => !matched.has(r.id)).map((r) => r.id),
        );
  } else if (live.account?.ok) {
    for (const [name, state] of ctx.buses) {
      if (state.state !== 'live') continue;
      const ids = live.account.value
        .filter((r) => (r as { bus?: string }).bus === state.id && !matched.has(r.id))
        .map((r) => r.id);
      byBus.set(name, ids);
    }
  }
  for (const [bus, ids] of byBus) {
    if (!ids.length) continue;
    const list = ctx.unnamedChildren.get(bus);
    if (list) list.push({ kind, ids });
    else ctx.unnamedChildren.set(bus, [{ kind, ids }]);
  }
}
