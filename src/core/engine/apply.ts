/**
 * The executor: walks a plan made by `planChanges` (a graph of steps and their dependencies)
 * with bounded concurrency. A failed step fails its item and skips what depends on it; every
 * independent item still runs. It runs exactly what was planned and never re-plans.
 */
import { AMBIGUOUS_CODES, isPolybusError, PolybusError, type PolybusErrorJSON } from '../model/errors.js';
import type { Resource, ResourceKind } from '../model/resources.js';
import { type AnyResourceApi, apiOf } from '../runtime/resources.js';
import { type EventProvider } from '../contract/provider.js';
import { findFirst, lookupAfterWrite } from '../runtime/read-after-write.js';
import { redactValue } from '../runtime/redact.js';
import { systemClock } from '../runtime/transport.js';
import { itemKey, type Plan, type PlanAction, type PlanItem, unmetItems } from './plan/index.js';

/** The outcome of one plan item after apply. */
export interface ApplyOutcome {
  key: string;
  target: string;
  provider: string;
  kind: ResourceKind;
  name: string;
  action: PlanAction;
  status: 'ok' | 'failed' | 'skipped' | 'unchanged';
  id?: string;
  error?: PolybusErrorJSON;
  reason?: string;
  /**
   * Left as it was because its intent cannot be carried out on the target (a `blocked` item, or
   * an `unsupported` one that loses something: see `unmetItems`). Never set on an informational one.
   */
  unmet?: true;
}

/** Progress events for a UI. */
export type ApplyEvent =
  | { type: 'start'; item: PlanItem; step: 'create' | 'update' | 'delete' }
  | { type: 'done'; outcome: ApplyOutcome }
  | { type: 'total'; steps: number };

/** Options of {@link applyPlan}. */
export interface ApplyOptions {
  /** Items in flight at once, over every target (each target's rate limiter still applies). Default 4. */
  concurrency?: number;
  /** Targets with items in flight at once (default 4). */
  targetConcurrency?: number;
  onEvent?: (event: ApplyEvent) => void;
  /**
   * Stops the apply: once aborted no new step starts (the rest are reported `skipped`), and the
   * steps in flight run to their end. It is never handed to a step's requests: a step cut in half
   * (its create sent, its read-after-write cancelled) would have made a change and reported it
   * failed. To stop at once, end the process; a re-run converges.
   */
  signal?: AbortSignal;
}

interface Step {
  id: string;
  item: PlanItem;
  op: 'create' | 'update' | 'delete';
  deps: string[];
}

/** Turns the plan into steps: a replace is a delete and a create ordered by its strategy. */
function stepsOf(plan: Plan): Step[] {
  const steps: Step[] = [];
  const op = { create: 'create', update: 'update', delete: 'delete' } as const;
  for (const item of plan.items) {
    if (item.action === 'create' || item.action === 'update' || item.action === 'delete') {
      const o = op[item.action];
      steps.push({ id: `${o[0]!.toUpperCase()}:${item.key}`, item, op: o, deps: [] });
    } else if (item.action === 'replace') {
      const d: Step = { id: `D:${item.key}`, item, op: 'delete', deps: [] };
      const c: Step = { id: `C:${item.key}`, item, op: 'create', deps: [] };
      if (item.strategy === 'delete-before-create') c.deps.push(d.id);
      else d.deps.push(c.id);
      steps.push(d, c);
    }
  }
  const stepIds = new Set(steps.map((s) => s.id));
  const failedItems = new Set(plan.items.filter((i) => i.action === 'error').map((i) => i.key));
  for (const s of steps) {
    const item = s.item;
    if (s.op !== 'delete') {
      // creates and updates wait for the creates of what they reference; an item whose live
      // state could not be read counts as a failed dependency
      for (const dep of item.dependsOn)
        if (stepIds.has(`C:${dep}`) || failedItems.has(dep)) s.deps.push(`C:${dep}`);
    } else {
      // a delete waits for the deletes of everything that references this item; one whose live
      // state could not be read counts as a failed delete (a parent is never deleted over it)
      for (const other of plan.items) {
        if (other.key === item.key || !other.dependsOn.includes(item.key)) continue;
        if (stepIds.has(`D:${other.key}`) || failedItems.has(other.key)) s.deps.push(`D:${other.key}`);
      }
    }
  }
  return steps;
}

/**
 * Runs a plan (`providers` by target id). Independent items proceed in parallel (bounded, targets
 * side by side) and after failures; an item whose
 * dependency failed is skipped, never half-applied. A delete that finds the resource already gone
 * has reached the planned state. Returns one outcome per plan item.
 */
export async function applyPlan(
  plan: Plan,
  providers: Record<string, EventProvider>,
  options: ApplyOptions = {},
): Promise<ApplyOutcome[]> {
  const steps = stepsOf(plan);
  options.onEvent?.({ type: 'total', steps: steps.length });
  const ledger = openLedger(plan);
  const runner: StepRunner = {
    providers,
    busIds: liveBusIds(plan),
    itemStatus: ledger.itemStatus,
    adopted: new Map<string, string>(),
    listings: new Map(),
    freshBuses: new Set<string>(),
  };
  await walk(steps, ledger, options, (step) => runStep(runner, step));
  const unmet = new Set(unmetItems(plan).map((i) => i.key));
  return plan.items.map(
    (item) =>
      ledger.itemStatus.get(item.key) ??
      outcome(item, 'unchanged', {
        ...(item.reason ? { reason: item.reason } : {}),
        ...(unmet.has(item.key) ? { unmet: true as const } : {}),
      }),
  );
}

/** What the run has recorded: how each ended step ended, and each item's outcome so far. */
interface Ledger {
  /** By step id. */
  state: Map<string, 'ok' | 'failed' | 'skipped'>;
  /** By item key. */
  itemStatus: Map<string, ApplyOutcome>;
}

/** One item's outcome. */
function outcome(
  item: PlanItem,
  status: ApplyOutcome['status'],
  extra: Partial<ApplyOutcome> = {},
): ApplyOutcome {
  return {
    key: item.key,
    target: item.target,
    provider: item.provider,
    kind: item.kind,
    name: item.name,
    action: item.action,
    status,
    ...(item.id ? { id: item.id } : {}),
    ...extra,
  };
}

/** Records a failure or skip; it replaces an earlier success of the same item (a replace's other step). */
function fail(
  itemStatus: Map<string, ApplyOutcome>,
  item: PlanItem,
  status: 'failed' | 'skipped',
  error?: PolybusErrorJSON,
  reason?: string,
): void {
  if (!itemStatus.has(item.key) || itemStatus.get(item.key)?.status === 'ok') {
    itemStatus.set(
      item.key,
      outcome(item, status, { ...(error ? { error } : {}), ...(reason ? { reason } : {}) }),
    );
  }
}

/** The ledger before any step: items whose live state could not be read fail as planned; dependents see a failed step. */
function openLedger(plan: Plan): Ledger {
  const ledger: Ledger = { state: new Map(), itemStatus: new Map() };
  for (const item of plan.items) {
    if (item.action !== 'error') continue;
    ledger.state.set(`C:${item.key}`, 'failed');
    ledger.state.set(`D:${item.key}`, 'failed');
    fail(ledger.itemStatus, item, 'failed', item.error, item.reason);
  }
  return ledger;
}

/** Bus ids by the bus item's key: live ones now (created ones are added as they come). */
function liveBusIds(plan: Plan): Map<string, string> {
  const busIds = new Map<string, string>();
  for (const item of plan.items)
    if (item.kind === 'bus' && item.id && item.action !== 'replace') busIds.set(item.key, item.id);
  return busIds;
}

/** What running a step needs besides the step. */
interface StepRunner {
  providers: Record<string, EventProvider>;
  /** Bus ids by the bus item's key: live ones, and created ones as they come. */
  busIds: Map<string, string>;
  /** The ledger's outcomes, by item key: a step that succeeds with something to say records it here. */
  itemStatus: Map<string, ApplyOutcome>;
  /** The items whose create found the resource already there and adopted it: why, by item key. */
  adopted: Map<string, string>;
  /**
   * The pre-create listings of providers that do not enforce unique names, by scope (target,
   * kind, parent bus): one listing serves every create of the scope, and a failed create drops it
   * so that the next create lists again.
   */
  listings: Map<string, Promise<Resource[]>>;
  /** Ids of the buses this apply created itself (not adopted): nothing of anyone else's is under them. */
  freshBuses: Set<string>;
}

/** Runs one step: a delete, a create (with its bus id resolved) or an update of the changed fields. */
async function runStep(ctx: StepRunner, step: Step): Promise<void> {
  const { item } = step;
  const provider = ctx.providers[item.target] ?? ctx.providers[item.provider];
  if (!provider)
    throw new PolybusError({
      code: 'InvalidArgument',
      provider: item.provider,
      operation: 'apply',
      message: `provider ${item.provider} is not available`,
    });
  const api = apiOf(provider, item.kind);
  // No signal is passed on: a step that started runs to its end (see ApplyOptions.signal).
  if (step.op === 'delete') return deleteStep(ctx, api, item);
  const input: Record<string, unknown> = { ...item.desired };
  if (item.busRef !== undefined) {
    const id = ctx.busIds.get(itemKey(item.target, 'bus', item.busRef));
    if (!id)
      throw new PolybusError({
        code: 'Conflict',
        provider: item.provider,
        operation: 'apply',
        message: `bus ${item.busRef} has no id on ${item.target}`,
      });
    input.bus = id;
  }
  if (step.op === 'create') return createStep(ctx, api, item, input);
  await api.update(item.id!, patchOf(item, input));
}

/**
 * Deletes the item's live resource; one already gone is the state the plan asked for. A delete
 * whose answer never came (a timeout, a reset, a 5xx) is looked up before it is called failed:
 * gone means it took effect.
 */
async function deleteStep(ctx: StepRunner, api: AnyResourceApi, item: PlanItem): Promise<void> {
  try {
    await api.delete(item.id!);
  } catch (err) {
    if (!isPolybusError(err)) throw err;
    // Already gone (deleted elsewhere, or by an earlier attempt whose answer was lost): the
    // state the plan asked for.
    if (err.code === 'NotFound') {
      if (item.action === 'delete')
        ctx.itemStatus.set(item.key, outcome(item, 'ok', { reason: 'already absent' }));
      return;
    }
    if (!AMBIGUOUS_CODES.has(err.code)) throw err;
    const gone = await api.get(item.id!).then(
      () => false,
      (e: unknown) => isPolybusError(e) && e.code === 'NotFound',
    );
    if (!gone) throw err;
    if (item.action === 'delete')
      ctx.itemStatus.set(
        item.key,
        outcome(item, 'ok', { reason: `deleted (its answer was lost: ${err.code}; a lookup found it gone)` }),
      );
  }
}

/** Creates the item (adopting it when an earlier create made it), recording its id (a bus's for its children). */
async function createStep(
  ctx: StepRunner,
  api: AnyResourceApi,
  item: PlanItem,
  input: Record<string, unknown>,
): Promise<void> {
  const created =
    (await appeared(ctx, api, item, input)) ??
    (await api.create(input).catch((err: unknown) => {
      // what failed may have been made: the next create of this scope lists again
      ctx.listings.delete(scopeOf(item, input));
      return adopt(ctx, item, input, err);
    }));
  if (item.kind === 'bus') ctx.busIds.set(item.key, created.id);
  if (item.kind === 'bus' && !ctx.adopted.has(item.key)) ctx.freshBuses.add(created.id);
  ctx.itemStatus.set(
    item.key,
    outcome(item, 'ok', {
      id: created.id,
      ...(created.unconfirmed ? { reason: 'created; not readable yet (eventual consistency)' } : {}),
      ...(ctx.adopted.has(item.key) ? { reason: ctx.adopted.get(item.key)! } : {}),
    }),
  );
}

/** The scope of a pre-create listing: target, kind and parent bus id. */
const scopeOf = (item: PlanItem, input: Record<string, unknown>) =>
  `${item.target}/${item.kind}/${typeof input.bus === 'string' ? input.bus : ''}`;

/**
 * Where the provider does not enforce unique names (two creates make two resources), a fresh
 * look before the creates: a resource of this identity that appeared since the plan (a
 * concurrent run, say) is adopted instead of made twice. One listing per scope (target, kind,
 * parent bus) serves all the creates of that scope in this apply, and is taken again after a
 * create of the scope fails (a lookup per create paged the whole list each time: 25.85 s for 402
 * Tencent resources, 6.81 s before it). Children of a bus this apply created itself are not
 * looked up: nothing of anyone else's can be under it but through a concurrent run that adopted
 * it, which the per-create look did not stop either. It narrows the window; it cannot close it
 * (see docs/reliability.md).
 */
async function appeared(
  ctx: StepRunner,
  api: AnyResourceApi,
  item: PlanItem,
  input: Record<string, unknown>,
): Promise<Resource | undefined> {
  const provider = ctx.providers[item.target] ?? ctx.providers[item.provider]!;
  if (!provider.unenforcedNames?.includes(item.kind)) return undefined;
  const bus = typeof input.bus === 'string' ? input.bus : undefined;
  if (bus !== undefined && ctx.freshBuses.has(bus)) return undefined;
  const scope = scopeOf(item, input);
  let listing = ctx.listings.get(scope);
  if (!listing) {
    listing = collect(api.list({ ...(bus !== undefined ? { bus } : {}), summary: true }));
    ctx.listings.set(scope, listing);
    // a listing that failed is not kept: the next create of the scope tries again
    listing.catch(() => ctx.listings.get(scope) === listing && ctx.listings.delete(scope));
  }
  // (never the live resource a create-before-delete replaces: its name is the same)
  const found = (await listing).find(
    (r) =>
      r.name === item.name && r.id !== item.id && (bus === undefined || (r as { bus?: string }).bus === bus),
  );
  if (found)
    ctx.adopted.set(item.key, 'appeared since the plan (a concurrent run?): adopted, not created twice');
  return found;
}

/** Every resource of a listing. */
async function collect(list: AsyncIterable<Resource>): Promise<Resource[]> {
  const all: Resource[] = [];
  for await (const r of list) all.push(r);
  return all;
}

/**
 * A planned create answered AlreadyExists: the plan read the parent before an earlier create of
 * the same identity (parent + name) became visible; or its answer never came (a timeout, a reset,
 * a 5xx that the adapter's own lookup did not settle). That resource is the one the plan meant;
 * it is found under the same parent (waiting out the read lag) and adopted. Anything else, or
 * nothing found, keeps the error.
 */
async function adopt(
  ctx: StepRunner,
  item: PlanItem,
  input: Record<string, unknown>,
  err: unknown,
): Promise<Resource> {
  if (!isPolybusError(err) || (err.code !== 'AlreadyExists' && !AMBIGUOUS_CODES.has(err.code))) throw err;
  const provider = ctx.providers[item.target] ?? ctx.providers[item.provider]!;
  const bus = typeof input.bus === 'string' ? input.bus : undefined;
  const found = await lookupAfterWrite(
    () =>
      findFirst(
        apiOf(provider, item.kind).list({ ...(bus !== undefined ? { bus } : {}), summary: true }),
        (r) => r.name === item.name && (bus === undefined || (r as { bus?: string }).bus === bus),
      ),
    { clock: systemClock },
  );
  if (!found) throw err;
  ctx.adopted.set(
    item.key,
    err.code === 'AlreadyExists'
      ? 'already existed (an earlier create, not yet visible when planned): adopted'
      : `created (its answer was lost: ${err.code}; a lookup found it): adopted`,
  );
  return found;
}

/** The update of a planned update: the changed fields only (of an extension, only the changed native field). */
function patchOf(item: PlanItem, input: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const c of item.changes ?? []) {
    const [top, p, field] = c.field.split('.') as [string, string?, string?];
    if (top === 'extensions' && p !== undefined && field !== undefined) {
      // only the changed native field: the others may be create-only (issue 15)
      const ext = (patch.extensions ??= {}) as Record<string, Record<string, unknown>>;
      (ext[p] ??= {})[field] = c.to;
    } else patch[top] = input[top];
  }
  return patch;
}

/** A lane: one rate-limited provider action (target x operation x kind). */
const laneOf = (s: Step) => `${s.item.target}/${s.op}/${s.item.kind}`;

/**
 * Ready steps in a fair order: one step of each lane (target x operation x kind, i.e. one
 * rate-limited provider action) in turn, lanes with the fewest steps in flight first. In plan
 * order, a long run of one throttled action (400 creates at 20/s) would hold every slot while
 * independent actions (other kinds, other providers) waited behind it.
 */
function fair(steps: Step[], inFlight: Map<string, number>): Step[] {
  const lanes = new Map<string, Step[]>();
  for (const s of steps) {
    const l = laneOf(s);
    const list = lanes.get(l);
    if (list) list.push(s);
    else lanes.set(l, [s]);
  }
  const order = [...lanes.entries()].sort(([a], [b]) => (inFlight.get(a) ?? 0) - (inFlight.get(b) ?? 0));
  const out: Step[] = [];
  for (let i = 0; out.length < steps.length; i++)
    for (const [, list] of order) if (i < list.length) out.push(list[i]!);
  return out;
}

/**
 * Walks the steps: each starts once its dependencies have ended, within the limits (steps in
 * flight, targets with steps in flight), in a fair order; a step whose dependency did not
 * succeed, or that would start after the abort, is skipped. Each item's outcome goes to the
 * ledger and to `onEvent` once its last step has ended.
 */
async function walk(
  steps: Step[],
  ledger: Ledger,
  options: ApplyOptions,
  run: (step: Step) => Promise<void>,
): Promise<void> {
  const { state, itemStatus } = ledger;
  const pending = new Map(steps.map((s) => [s.id, s]));
  const running = new Set<Promise<void>>();
  const positive = (n: number | undefined) => (Number.isInteger(n) && n! > 0 ? n! : 4);
  const limit = positive(options.concurrency);
  const targetLimit = positive(options.targetConcurrency);
  /** Steps in flight per target. */
  const targetsInFlight = new Map<string, number>();
  const ready = () => [...pending.values()].filter((s) => s.deps.every((d) => state.has(d)));
  /** Steps in flight per lane. */
  const inFlight = new Map<string, number>();
  /** Starts a step and, when it ends, records how and reports the item if that was its last step. */
  const launch = (s: Step) => {
    const t = s.item.target;
    // Hooks see the item with write-only secrets (a Kafka password...) redacted.
    options.onEvent?.({ type: 'start', item: redactValue(s.item) as PlanItem, step: s.op });
    targetsInFlight.set(t, (targetsInFlight.get(t) ?? 0) + 1);
    const lane = laneOf(s);
    inFlight.set(lane, (inFlight.get(lane) ?? 0) + 1);
    const p: Promise<void> = run(s)
      .then(() => {
        state.set(s.id, 'ok');
        if (!itemStatus.has(s.item.key)) itemStatus.set(s.item.key, outcome(s.item, 'ok'));
      })
      .catch((err: unknown) => {
        state.set(s.id, 'failed');
        const e = isPolybusError(err)
          ? err
          : new PolybusError({
              code: 'Internal',
              provider: s.item.provider,
              operation: 'apply',
              message: String((err as Error)?.message ?? err),
              cause: err,
            });
        fail(itemStatus, s.item, 'failed', e.toJSON());
      })
      .finally(() => {
        running.delete(p);
        targetsInFlight.set(t, targetsInFlight.get(t)! - 1);
        inFlight.set(lane, inFlight.get(lane)! - 1);
        const done = itemStatus.get(s.item.key);
        const siblingsLeft = [...pending.values()].some((x) => x.item.key === s.item.key);
        if (done && !siblingsLeft) options.onEvent?.({ type: 'done', outcome: done });
      });
    running.add(p);
  };
  while (pending.size || running.size) {
    for (const s of fair(ready(), inFlight)) {
      if (running.size >= limit) break;
      const t = s.item.target;
      if (!targetsInFlight.get(t) && [...targetsInFlight.values()].filter((n) => n > 0).length >= targetLimit)
        continue;
      pending.delete(s.id);
      const failedDep = s.deps.find((d) => state.get(d) !== 'ok');
      if (failedDep || options.signal?.aborted) {
        state.set(s.id, 'skipped');
        fail(
          itemStatus,
          s.item,
          'skipped',
          undefined,
          failedDep ? `dependency ${failedDep.slice(2)} did not complete` : 'apply was cancelled',
        );
        options.onEvent?.({ type: 'done', outcome: itemStatus.get(s.item.key)! });
        continue;
      }
      launch(s);
    }
    if (running.size) await Promise.race(running);
    else if (pending.size && !ready().length) {
      // cannot happen with an acyclic plan; fail loudly rather than spin
      for (const s of pending.values()) fail(itemStatus, s.item, 'skipped', undefined, 'dependency cycle');
      break;
    }
  }
}
