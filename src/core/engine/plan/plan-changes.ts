/**
 * `planChanges`: every target of the spec planned side by side, each target kind by kind (buses
 * first) through the phases: read the live candidates, match the spec items, read in full, diff,
 * prune. It changes nothing; `apply.ts` runs the plan.
 */
import { type InspectOptions, inspect } from 'node:util';
import { cellOf, isCallable } from '../../model/capabilities.js';
import { invalidArgument, isPolybusError, PolybusError } from '../../model/errors.js';
import type { ResourceKind } from '../../model/resources.js';
import { type EventProvider } from '../../contract/provider.js';
import { redactValue } from '../../runtime/redact.js';
import {
  itemFor,
  SECTION_OF_KIND,
  type Spec,
  type SpecItem,
  type SpecTarget,
  targetIdOf,
} from '../../spec/schema.js';
import { diffMatched } from './diff.js';
import { type KindPass, matchItem, pruneUnmatched, recordUnnamed } from './match.js';
import {
  type BusState,
  itemKey,
  type Plan,
  type PlanItem,
  type PlanOptions,
  type TargetItem,
  type TargetPlanning,
} from './model.js';
import { KIND_ORDER } from './order.js';
import { blockUnreadParents, mapLimit, readCandidates, readFull } from './read.js';

/**
 * A plan carries write-only secrets (a Kafka password) so that apply can send them; serialising or
 * inspecting the plan shows them redacted, while `items[].desired` keeps the values for apply.
 */
function printable<T extends object>(value: T): T {
  const view = () => redactValue({ ...value });
  Object.defineProperties(value, {
    toJSON: { value: view, enumerable: false },
    [inspect.custom]: {
      value: (_depth: number, options: InspectOptions, show: typeof inspect) => show(view(), options),
      enumerable: false,
    },
  });
  return value;
}

/**
 * Diffs the spec against live state, for every target of the spec (or those in
 * `options.targets`), several targets at once. `providers` holds one open provider per target
 * id. A target of the spec with no provider is an error, never skipped. Failures to read live
 * state fail only the items they concern (`error`); a target that fails outright (a bug, say)
 * fails only its own items.
 */
export async function planChanges(
  spec: Spec,
  providers: Record<string, EventProvider>,
  options: PlanOptions = {},
): Promise<Plan> {
  const chosen = spec.targets.filter((t) => !options.targets || options.targets.includes(targetIdOf(t)));
  const missing = chosen.filter((t) => !providers[targetIdOf(t)]).map(targetIdOf);
  if (missing.length)
    throw invalidArgument('polybus', 'plan', [
      {
        field: 'targets',
        rule: `no open provider for target ${missing.join(', ')} (open: ${Object.keys(providers).join(', ') || 'none'})`,
      },
    ]);
  const plans = await mapLimit(chosen, Math.max(1, options.targetConcurrency ?? 4), (t) =>
    planTarget(spec, t, providers[targetIdOf(t)]!, options),
  );
  return printable({ items: plans.flat() });
}

/** One target's plan; anything but cancellation that escapes the per-item handling fails that target's items only. */
async function planTarget(
  spec: Spec,
  t: SpecTarget,
  provider: EventProvider,
  options: PlanOptions,
): Promise<PlanItem[]> {
  const target = targetIdOf(t);
  try {
    return await planProvider(spec, target, provider, options);
  } catch (err) {
    if (isPolybusError(err) && err.code === 'Cancelled') throw err;
    if (options.signal?.aborted) throw err;
    const error = isPolybusError(err)
      ? err
      : new PolybusError({
          code: 'Internal',
          provider: provider.name,
          operation: 'plan',
          message: String((err as Error)?.message ?? err),
          cause: err,
        });
    const out: PlanItem[] = [];
    for (const kind of KIND_ORDER) {
      for (const raw of spec[SECTION_OF_KIND[kind]] as SpecItem[]) {
        const item = itemFor(raw, provider.name, target);
        if (!item) continue;
        const busRef = kind === 'bus' ? undefined : (item as { bus?: string }).bus;
        out.push({
          key: itemKey(target, kind, raw.name, busRef),
          target,
          provider: provider.name,
          kind,
          name: raw.name,
          action: 'error',
          error: error.toJSON(),
          reason: `target ${target} could not be planned: ${error.code}: ${error.message}`,
          warnings: [],
          dependsOn: [],
          ...(busRef !== undefined ? { busRef } : {}),
        });
      }
    }
    return out;
  }
}

/** One target's plan: its kinds in order, each seeing what the kinds before it planned (their buses above all). */
async function planProvider(
  spec: Spec,
  target: string,
  provider: EventProvider,
  options: PlanOptions,
): Promise<PlanItem[]> {
  const ctx: TargetPlanning = {
    target,
    provider,
    options,
    signal: options.signal ? { signal: options.signal } : {},
    readLimit: Math.max(1, options.readConcurrency ?? 8),
    out: [],
    buses: new Map<string, BusState>(),
    byKey: new Map<string, PlanItem>(),
    unreadChildren: new Map(),
    unnamedChildren: new Map(),
  };
  for (const kind of KIND_ORDER) await planKind(ctx, spec, kind);
  blockUnreadParents(ctx);
  return ctx.out;
}

/** One kind on one target: read its live candidates, match each spec item, read in full, diff, prune. */
async function planKind(ctx: TargetPlanning, spec: Spec, kind: ResourceKind): Promise<void> {
  const { provider, options } = ctx;
  const specItems: TargetItem[] = [];
  for (const raw of spec[SECTION_OF_KIND[kind]] as SpecItem[]) {
    const item = itemFor(raw, provider.name, ctx.target);
    if (item) specItems.push({ raw, item });
  }
  const scope = kind === 'bus' ? 'account' : (provider.nameScope?.[kind] ?? 'account');
  const callable = isCallable(cellOf(provider.capabilities, kind, 'create'));
  const pass: KindPass = {
    kind,
    scope,
    callable,
    live: await readCandidates(ctx, kind, scope, callable, specItems),
    specBusIds: new Set([...ctx.buses.values()].flatMap((s) => (s.state === 'live' ? [s.id] : []))),
    matched: new Set<string>(),
    fullReads: [],
  };
  for (const entry of specItems) await matchItem(ctx, pass, entry);
  await readFull(ctx, kind, pass.fullReads);
  await diffMatched(ctx, kind);
  if (options.prune && !options.destroy && kind !== 'bus') pruneUnmatched(ctx, pass);
  if (options.destroy && kind !== 'bus') recordUnnamed(ctx, pass);
}
