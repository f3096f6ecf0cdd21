/**
 * Plan and apply: read live state through the adapters, diff it against the spec, and produce an
 * ordered plan (create, update in place, replace, delete with prune, no-op), marking what a
 * provider cannot express instead of failing half-way. Apply runs exactly the plan, with bounded
 * concurrency, continues independent items after a failure, and reports every outcome.
 */
import { type InspectOptions, inspect } from 'node:util';
import { cellOf, isCallable, unsupportedSettings } from './capabilities.js';
import {
  invalidArgument,
  isPolybusError,
  PolybusError,
  type PolybusErrorJSON,
  type ValidationIssue,
} from './errors.js';
import type { Resource, ResourceKind } from './model.js';
import {
  apiOf,
  collect,
  type EventProvider,
  type Mutability,
  type ReplaceStrategy,
  valueAt,
} from './provider.js';
import { isSecretField, redactValue } from './redact.js';
import { itemFor, locationOf, SECTION_OF_KIND, type Spec, type SpecItem, type SpecLike } from './spec.js';

/** What the plan does with one item. */
export type PlanAction =
  'create' | 'update' | 'replace' | 'delete' | 'noop' | 'reference' | 'unsupported' | 'blocked';

/** A setting or semantic the target cannot honour, reported instead of silently dropped. */
export interface PlanWarning {
  type: 'unsupported-setting' | 'reference-only';
  setting?: string;
  detail: string;
}

/** One field that differs. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
  mutability: Mutability;
}

/** One planned item. */
export interface PlanItem {
  /** `provider/kind/name` */
  key: string;
  provider: string;
  kind: ResourceKind;
  name: string;
  action: PlanAction;
  /** Live id, when the resource exists. */
  id?: string;
  /** The create input (with `bus` still the spec bus name: see `busRef`). */
  desired?: Record<string, unknown>;
  /** Spec name of the parent bus. */
  busRef?: string;
  changes?: FieldChange[];
  strategy?: ReplaceStrategy;
  reason?: string;
  warnings: PlanWarning[];
  /** Keys of items this one waits for. */
  dependsOn: string[];
}

/** A plan over one or more providers. */
export interface Plan {
  items: PlanItem[];
}

/** Options of {@link planChanges}. */
export interface PlanOptions {
  /** Delete live children (on spec buses) that the spec does not declare. */
  prune?: boolean;
  /** Plan the removal of everything the spec declares. */
  destroy?: boolean;
  signal?: AbortSignal;
}

const KIND_ORDER: ResourceKind[] = ['bus', 'source', 'connection', 'integration'];
/** Fields compared by the diff (neutral names). */
const DIFF_FIELDS = [
  'description',
  'tags',
  'retentionDays',
  'bus',
  'filter.source',
  'kind',
  'endpoint',
  'network',
  'kafka',
  'detail',
];
/** Fields a provider's representation may lack entirely (e.g. Huawei connections have no bus): compared only when live has them. */
const SHAPE_FIELDS = new Set(['bus', 'endpoint', 'network', 'kafka', 'detail']);

const keyOf = (provider: string, kind: ResourceKind, name: string) => `${provider}/${kind}/${name}`;

/** Canonical JSON for comparisons: sorted keys, secret fields dropped, empty values folded. */
function canonical(value: unknown): string {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const entries = Object.entries(v)
        .filter(([k, x]) => !isSecretField(k) && x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1));
      return entries.length ? Object.fromEntries(entries.map(([k, x]) => [k, walk(x)])) : undefined;
    }
    return v === '' ? undefined : v;
  };
  return JSON.stringify(walk(value) ?? null);
}

/** The create input of a spec item for one provider; `null` (from an override) unsets a field. */
function inputOf(item: Omit<SpecItem, 'overrides' | 'providers'>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined && v !== null));
}

/** Lists a kind once, if the provider can list it. */
async function liveOf(
  provider: EventProvider,
  kind: ResourceKind,
  signal?: AbortSignal,
): Promise<Resource[]> {
  if (!isCallable(cellOf(provider.capabilities, kind, 'list'))) return [];
  return collect(apiOf(provider, kind).list(signal ? { signal } : {}));
}

/**
 * Every spec item checked against each target provider's documented rules (names, required
 * fields), without any request. Works on a spec that did not fully parse, so that one run lists
 * every problem.
 */
export function specProviderIssues(
  spec: SpecLike,
  providers: Record<string, EventProvider>,
  locate?: (field: string) => string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const data = spec as Record<string, unknown>;
  const targets = Array.isArray(data.targets) ? (data.targets as { provider?: unknown }[]) : [];
  for (const target of targets) {
    const provider = providers[String(target.provider)];
    if (!provider?.validateInput) continue;
    for (const kind of KIND_ORDER) {
      if (
        !isCallable(cellOf(provider.capabilities, kind, 'create')) &&
        cellOf(provider.capabilities, kind, 'get')?.support !== 'reference-only'
      )
        continue;
      const section = SECTION_OF_KIND[kind];
      const list = Array.isArray(data[section]) ? (data[section] as SpecItem[]) : [];
      list.forEach((raw, i) => {
        if (!raw || typeof raw !== 'object') return;
        const item = itemFor(raw, provider.name);
        if (!item) return;
        const input = inputOf(item);
        if (input.bus !== undefined) input.bus = `bus-${String(input.bus)}`;
        for (const issue of provider.validateInput!(kind, input)) {
          const field = `${section}.${i}.${issue.field}`;
          const location = locate?.(field) ?? (isSpec(spec) ? locationOf(spec, field) : undefined);
          issues.push({ field, rule: `${provider.name}: ${issue.rule}`, ...(location ? { location } : {}) });
        }
      });
    }
  }
  return issues;
}

const isSpec = (s: SpecLike): s is Spec => Array.isArray((s as Spec).buses) && (s as Spec).version === 1;

/** {@link specProviderIssues}, throwing one InvalidArgument when there is any. */
export function validateSpec(spec: Spec, providers: Record<string, EventProvider>): void {
  const issues = specProviderIssues(spec, providers);
  if (issues.length) throw invalidArgument('polybus', 'spec', issues);
}

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
 * Diffs the spec against live state, for every target provider present in `providers`.
 */
export async function planChanges(
  spec: Spec,
  providers: Record<string, EventProvider>,
  options: PlanOptions = {},
): Promise<Plan> {
  const items: PlanItem[] = [];
  for (const target of spec.targets) {
    const provider = providers[target.provider];
    if (!provider) continue;
    items.push(...(await planProvider(spec, provider, options)));
  }
  return printable({ items });
}

async function planProvider(spec: Spec, provider: EventProvider, options: PlanOptions): Promise<PlanItem[]> {
  const p = provider.name;
  const caps = provider.capabilities;
  const out: PlanItem[] = [];
  /** spec bus name -> live bus id (undefined while it is still to be created) */
  const busIds = new Map<string, string | undefined>();
  /** spec bus names whose id will change (created or replaced) */
  const busChanging = new Set<string>();
  const byKey = new Map<string, PlanItem>();

  for (const kind of KIND_ORDER) {
    const createCell = cellOf(caps, kind, 'create');
    const getCell = cellOf(caps, kind, 'get');
    const live = isCallable(createCell) ? await liveOf(provider, kind, options.signal) : [];
    const matched = new Set<string>();
    for (const raw of spec[SECTION_OF_KIND[kind]] as SpecItem[]) {
      const item = itemFor(raw, p);
      if (!item) continue;
      const desired = inputOf(item);
      const busRef = kind === 'bus' ? undefined : (desired.bus as string | undefined);
      const plan: PlanItem = {
        key: keyOf(p, kind, raw.name),
        provider: p,
        kind,
        name: item.name,
        action: 'noop',
        warnings: [],
        dependsOn: [],
        desired,
      };
      if (busRef !== undefined) {
        plan.busRef = busRef;
        const parent = keyOf(p, 'bus', busRef);
        if (byKey.has(parent)) plan.dependsOn.push(parent);
      }
      if (kind === 'integration') {
        const src = keyOf(p, 'source', String(valueAt(desired, 'filter.source')));
        if (byKey.get(src) && byKey.get(src)?.action !== 'unsupported') plan.dependsOn.push(src);
      }
      byKey.set(plan.key, plan);
      out.push(plan);

      if (!isCallable(createCell)) {
        if (getCell?.support === 'reference-only') {
          plan.action = 'reference';
          const ref = await apiOf(provider, kind).get(item.name);
          plan.id = ref.id;
          plan.warnings.push({
            type: 'reference-only',
            detail: `${getCell.note}: it must already exist on ${p}`,
          });
          if (kind === 'bus') busIds.set(raw.name, ref.id);
        } else {
          plan.action = 'unsupported';
          plan.reason = createCell?.note ?? 'not declared';
          if (kind === 'bus') busIds.set(raw.name, undefined);
        }
        continue;
      }
      if (busRef !== undefined && byKey.get(keyOf(p, 'bus', busRef))?.action === 'unsupported') {
        plan.action = 'unsupported';
        plan.reason = `its bus ${busRef} is unsupported on ${p}`;
        continue;
      }
      for (const { setting, detail } of unsupportedSettings(caps, kind, desired)) {
        if (setting === 'clientToken') continue; // an idempotency key, not a setting of the resource
        plan.warnings.push({ type: 'unsupported-setting', setting, detail });
        delete desired[setting];
      }
      const existing = live.find((r) => r.name === item.name && !matched.has(r.id));
      const resolvedBus = busRef !== undefined ? busIds.get(busRef) : undefined;
      if (options.destroy) {
        if (existing) {
          matched.add(existing.id);
          plan.action = 'delete';
          plan.id = existing.id;
        }
        continue;
      }
      if (!existing) {
        plan.action = 'create';
        if (kind === 'bus') {
          busIds.set(raw.name, undefined);
          busChanging.add(raw.name);
        }
        continue;
      }
      matched.add(existing.id);
      plan.id = existing.id;
      const changes: FieldChange[] = [];
      const mut = provider.mutability[kind] ?? {};
      for (const field of DIFF_FIELDS) {
        if (SHAPE_FIELDS.has(field) && valueAt(existing, field) === undefined && field !== 'detail') continue;
        let want = valueAt(desired, field);
        if (field === 'bus') {
          if (busRef === undefined) continue;
          if (busRef !== undefined && busChanging.has(busRef)) want = `(new ${busRef})`;
          else want = resolvedBus;
        }
        if (want === undefined) continue;
        const have = valueAt(existing, field);
        if (canonical(want) !== canonical(have))
          changes.push({ field, from: have, to: want, mutability: mut[field] ?? 'update' });
      }
      if (!changes.length) {
        plan.action = 'noop';
      } else if (changes.some((c) => c.mutability === 'replace')) {
        plan.action = 'replace';
        plan.strategy = provider.replaceStrategy[kind] ?? 'create-before-delete';
        const blockers = provider.deleteBlockers
          ? await provider.deleteBlockers(kind, existing.id, options.signal ? { signal: options.signal } : {})
          : [];
        if (blockers.length) {
          plan.action = 'blocked';
          plan.reason = `replace needs a delete, which is refused: ${blockers.join('; ')}`;
        }
      } else {
        plan.action = 'update';
      }
      plan.changes = changes;
      if (kind === 'bus') {
        busIds.set(raw.name, existing.id);
        if (plan.action === 'replace') busChanging.add(raw.name);
      }
    }
    // Prune: children on spec buses that the spec does not declare.
    if (options.prune && !options.destroy && kind !== 'bus') {
      const specBusIds = new Set([...busIds.values()].filter((v): v is string => v !== undefined));
      for (const r of live) {
        const bus = (r as { bus?: string }).bus;
        if (matched.has(r.id) || bus === undefined || !specBusIds.has(bus)) continue;
        const plan: PlanItem = {
          key: `${keyOf(p, kind, r.name)}#${r.id}`,
          provider: p,
          kind,
          name: r.name,
          action: 'delete',
          id: r.id,
          warnings: [],
          dependsOn: [],
          reason: 'not in the spec (--prune)',
        };
        out.push(plan);
      }
    }
  }
  return out;
}

/** Counts per action. */
export function summarize(plan: Plan): Record<PlanAction, number> {
  const counts = {
    create: 0,
    update: 0,
    replace: 0,
    delete: 0,
    noop: 0,
    reference: 0,
    unsupported: 0,
    blocked: 0,
  } as Record<PlanAction, number>;
  for (const i of plan.items) counts[i.action]++;
  return counts;
}

/** True when applying would change something. */
export function hasChanges(plan: Plan): boolean {
  return plan.items.some(
    (i) => i.action === 'create' || i.action === 'update' || i.action === 'replace' || i.action === 'delete',
  );
}

/** The outcome of one plan item after apply. */
export interface ApplyOutcome {
  key: string;
  provider: string;
  kind: ResourceKind;
  name: string;
  action: PlanAction;
  status: 'ok' | 'failed' | 'skipped' | 'unchanged';
  id?: string;
  error?: PolybusErrorJSON;
  reason?: string;
}

/** Progress events for a UI. */
export type ApplyEvent =
  | { type: 'start'; item: PlanItem; step: 'create' | 'update' | 'delete' }
  | { type: 'done'; outcome: ApplyOutcome }
  | { type: 'total'; steps: number };

/** Options of {@link applyPlan}. */
export interface ApplyOptions {
  /** Items in flight at once (each provider's rate limiter still applies). Default 4. */
  concurrency?: number;
  onEvent?: (event: ApplyEvent) => void;
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
  const by = new Map<string, Step[]>();
  const add = (s: Step) => {
    steps.push(s);
    by.set(s.item.key, [...(by.get(s.item.key) ?? []), s]);
  };
  for (const item of plan.items) {
    if (item.action === 'create') add({ id: `C:${item.key}`, item, op: 'create', deps: [] });
    else if (item.action === 'update') add({ id: `U:${item.key}`, item, op: 'update', deps: [] });
    else if (item.action === 'delete') add({ id: `D:${item.key}`, item, op: 'delete', deps: [] });
    else if (item.action === 'replace') {
      const d: Step = { id: `D:${item.key}`, item, op: 'delete', deps: [] };
      const c: Step = { id: `C:${item.key}`, item, op: 'create', deps: [] };
      if (item.strategy === 'delete-before-create') c.deps.push(d.id);
      else d.deps.push(c.id);
      add(d);
      add(c);
    }
  }
  const stepIds = new Set(steps.map((s) => s.id));
  for (const s of steps) {
    const item = s.item;
    if (s.op !== 'delete') {
      // creates and updates wait for the creates of what they reference
      for (const dep of item.dependsOn) if (stepIds.has(`C:${dep}`)) s.deps.push(`C:${dep}`);
    } else {
      // a delete waits for the deletes of everything that references this item
      for (const other of plan.items) {
        if (other.key !== item.key && other.dependsOn.includes(item.key) && stepIds.has(`D:${other.key}`))
          s.deps.push(`D:${other.key}`);
      }
    }
  }
  return steps;
}

/**
 * Runs a plan. Independent items proceed in parallel (bounded) and after failures; an item whose
 * dependency failed is skipped, never half-applied. Returns one outcome per plan item.
 */
export async function applyPlan(
  plan: Plan,
  providers: Record<string, EventProvider>,
  options: ApplyOptions = {},
): Promise<ApplyOutcome[]> {
  const steps = stepsOf(plan);
  options.onEvent?.({ type: 'total', steps: steps.length });
  /** Bus ids by the bus item's key (`provider/bus/specName`): live ones now, created ones as they come. */
  const busIds = new Map<string, string>();
  for (const item of plan.items)
    if (item.kind === 'bus' && item.id && item.action !== 'replace') busIds.set(item.key, item.id);

  const state = new Map<string, 'ok' | 'failed' | 'skipped'>();
  const itemStatus = new Map<string, ApplyOutcome>();
  const outcome = (
    item: PlanItem,
    status: ApplyOutcome['status'],
    extra: Partial<ApplyOutcome> = {},
  ): ApplyOutcome => ({
    key: item.key,
    provider: item.provider,
    kind: item.kind,
    name: item.name,
    action: item.action,
    status,
    ...(item.id ? { id: item.id } : {}),
    ...extra,
  });
  /** Records a failure or skip; it replaces an earlier success of the same item (a replace's other step). */
  const fail = (item: PlanItem, status: 'failed' | 'skipped', error?: PolybusErrorJSON, reason?: string) => {
    if (!itemStatus.has(item.key) || itemStatus.get(item.key)?.status === 'ok') {
      itemStatus.set(
        item.key,
        outcome(item, status, { ...(error ? { error } : {}), ...(reason ? { reason } : {}) }),
      );
    }
  };

  const busIdFor = (item: PlanItem): string | undefined =>
    item.busRef === undefined ? undefined : busIds.get(keyOf(item.provider, 'bus', item.busRef));

  const run = async (step: Step): Promise<void> => {
    const { item } = step;
    const provider = providers[item.provider];
    if (!provider)
      throw new PolybusError({
        code: 'InvalidArgument',
        provider: item.provider,
        operation: 'apply',
        message: `provider ${item.provider} is not available`,
      });
    const api = apiOf(provider, item.kind);
    const o = options.signal ? { signal: options.signal } : {};
    if (step.op === 'delete') {
      await api.delete(item.id!, o);
      return;
    }
    const input: Record<string, unknown> = { ...item.desired };
    if (item.busRef !== undefined) {
      const id = busIdFor(item);
      if (!id)
        throw new PolybusError({
          code: 'Conflict',
          provider: item.provider,
          operation: 'apply',
          message: `bus ${item.busRef} has no id on ${item.provider}`,
        });
      input.bus = id;
    }
    if (step.op === 'create') {
      const created = await api.create(input, o);
      if (item.kind === 'bus') busIds.set(item.key, created.id);
      itemStatus.set(item.key, outcome(item, 'ok', { id: created.id }));
      return;
    }
    const patch: Record<string, unknown> = {};
    for (const c of item.changes ?? []) {
      const top = c.field.split('.')[0]!;
      patch[top] = input[top];
    }
    await api.update(item.id!, patch, o);
  };

  const pending = new Map(steps.map((s) => [s.id, s]));
  const running = new Set<Promise<void>>();
  const limit = Math.max(1, options.concurrency ?? 4);
  const ready = () => [...pending.values()].filter((s) => s.deps.every((d) => state.has(d)));
  while (pending.size || running.size) {
    for (const s of ready()) {
      if (running.size >= limit) break;
      pending.delete(s.id);
      const failedDep = s.deps.find((d) => state.get(d) !== 'ok');
      if (failedDep || options.signal?.aborted) {
        state.set(s.id, 'skipped');
        fail(
          s.item,
          'skipped',
          undefined,
          failedDep ? `dependency ${failedDep.slice(2)} did not complete` : 'apply was cancelled',
        );
        options.onEvent?.({ type: 'done', outcome: itemStatus.get(s.item.key)! });
        continue;
      }
      // Hooks see the item with write-only secrets (a Kafka password...) redacted.
      options.onEvent?.({ type: 'start', item: redactValue(s.item) as PlanItem, step: s.op });
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
          fail(s.item, 'failed', e.toJSON());
        })
        .finally(() => {
          running.delete(p);
          const done = itemStatus.get(s.item.key);
          const siblingsLeft = [...pending.values()].some((x) => x.item.key === s.item.key);
          if (done && !siblingsLeft) options.onEvent?.({ type: 'done', outcome: done });
        });
      running.add(p);
    }
    if (running.size) await Promise.race(running);
    else if (pending.size && !ready().length) {
      // cannot happen with an acyclic plan; fail loudly rather than spin
      for (const s of pending.values()) fail(s.item, 'skipped', undefined, 'dependency cycle');
      break;
    }
  }
  return plan.items.map(
    (item) =>
      itemStatus.get(item.key) ?? outcome(item, 'unchanged', item.reason ? { reason: item.reason } : {}),
  );
}
