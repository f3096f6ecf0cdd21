/**
 * The diff: read live state through the adapters, match each spec item to the live resource it
 * is (provider + target + parent bus + name, never a same-named resource under another bus), and
 * produce the plan (create, update in place, replace, delete with prune, no-op), marking what a
 * provider cannot express, and failing only the items whose live state could not be read. It
 * changes nothing; `apply.ts` runs the plan.
 */
import { type InspectOptions, inspect } from 'node:util';
import { cellOf, isCallable, unsupportedSettings } from '../model/capabilities.js';
import {
  invalidArgument,
  isPolybusError,
  PolybusError,
  type PolybusErrorJSON,
  type ValidationIssue,
} from '../model/errors.js';
import type { Resource, ResourceKind } from '../model/resources.js';
import { apiOf, collect } from '../runtime/resources.js';
import { type EventProvider, type Mutability, type ReplaceStrategy } from '../contract/provider.js';
import { valueAt } from '../runtime/checks.js';
import {
  canonicalFilter,
  comparisonOf,
  type Filter,
  serializeFilter,
  SpecFilterSchema,
} from '../model/filter.js';
import { isSecretField, redactValue } from '../runtime/redact.js';
import { type NativeFilter, nativeFilterIn } from '../model/routing.js';
import {
  itemFor,
  SECTION_OF_KIND,
  type Spec,
  type SpecItem,
  type SpecTarget,
  targetIdOf,
} from '../spec/schema.js';
import { locationOf } from '../spec/locate.js';
import { type SpecLike } from '../spec/load.js';

/** What the plan does with one item. */
export type PlanAction =
  'create' | 'update' | 'replace' | 'delete' | 'noop' | 'reference' | 'unsupported' | 'blocked' | 'error';

/** A setting or semantic the target cannot honour, reported instead of silently dropped. */
export interface PlanWarning {
  type: 'unsupported-setting' | 'reference-only' | 'unreadable';
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
  /** `target/kind/name`, or `target/kind/bus/name` for an item on a bus (its identity). */
  key: string;
  /** The id of the spec target this item is planned for (its provider name unless the target has an `id`). */
  target: string;
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
  /** Why the live state of this item could not be read (`action: 'error'`). */
  error?: PolybusErrorJSON;
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
  /** Plan only these target ids (default: every target of the spec, each of which must be opened). */
  targets?: string[];
  /** Targets planned at once (default 4); each reads within its own provider limits. */
  targetConcurrency?: number;
  /** Reads in flight at once per target while planning (default 8; rate limits still apply). */
  readConcurrency?: number;
  signal?: AbortSignal;
}

const KIND_ORDER: ResourceKind[] = ['bus', 'source', 'connection', 'integration'];
const PLURAL: Record<ResourceKind, string> = {
  bus: 'buses',
  source: 'sources',
  connection: 'connections',
  integration: 'integrations',
};
/** Fields compared by the diff (neutral names). */
const DIFF_FIELDS = [
  'description',
  'tags',
  'retentionDays',
  'bus',
  'filter',
  'targets',
  'delivery',
  'kind',
  'endpoint',
  'network',
  'kafka',
  'detail',
  'enabled',
];
/** Neutral defaults: an absent value on either side means this (settings issue 15). */
const FIELD_DEFAULTS: Record<string, unknown> = { enabled: true };
/** Kinds that carry `enabled`. */
const ENABLED_KINDS = new Set<ResourceKind>(['connection', 'integration']);
/** Fields a provider's representation may lack entirely (e.g. Huawei connections have no bus): compared only when live has them. */
const SHAPE_FIELDS = new Set(['bus', 'endpoint', 'network', 'kafka', 'detail']);

/** The canonical filter of a desired or live value (shorthand `{ source }` or a list included); undefined when it does not parse. */
function filterOf(value: unknown): Filter | undefined {
  if (value === undefined) return undefined;
  const r = SpecFilterSchema.safeParse(value);
  return r.success ? r.data : undefined;
}

/** The exact `source` an integration's filter requires (for ordering after that source), if any. */
function requiredSource(value: unknown): string | undefined {
  const f = filterOf(value);
  if (!f) return undefined;
  const members = 'all' in f ? f.all : [canonicalFilter(f)];
  for (const m of members) {
    const c = comparisonOf(m);
    if (c?.dialect === 'exact' && c.attr === 'source') return c.value;
  }
  return undefined;
}

/** Compared forms of the routing fields: the canonical filter (serializeFilter), others as they are. */
const COMPARED: Record<string, (v: unknown) => unknown> = {
  filter: (v) => {
    const f = filterOf(v);
    return f ? serializeFilter(f) : v;
  },
};

/** The identity of a spec item on one target: kind, parent bus (if any) and name. */
export function itemKey(target: string, kind: ResourceKind, name: string, bus?: string): string {
  return bus === undefined ? `${target}/${kind}/${name}` : `${target}/${kind}/${bus}/${name}`;
}

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

/** A read that either gave its value or failed with a PolybusError (kept, to fail only what it concerns). */
type Read<T> = { ok: true; value: T } | { ok: false; error: PolybusError };

/**
 * Runs a read and keeps its failure instead of throwing it. Cancellation and non-polybus errors
 * (bugs) still throw: they are not a fact about one resource.
 */
async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    if (!isPolybusError(err) || err.code === 'Cancelled') throw err;
    return { ok: false, error: err };
  }
}

/** Maps with at most `limit` calls in flight, results in input order. */
async function mapLimit<T, U>(items: T[], limit: number, fn: (item: T) => Promise<U>): Promise<U[]> {
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

/**
 * Every spec item checked against each target provider's documented rules (names, required
 * fields, where names must be unique), without any request. Works on a spec that did not fully
 * parse, so that one run lists every problem.
 */
export function specProviderIssues(
  spec: SpecLike,
  /** Open providers by target id. */
  providers: Record<string, EventProvider>,
  locate?: (field: string) => string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const data = spec as Record<string, unknown>;
  const targets = Array.isArray(data.targets) ? (data.targets as { provider?: unknown; id?: unknown }[]) : [];
  const where = (field: string) => locate?.(field) ?? (isSpec(spec) ? locationOf(spec, field) : undefined);
  for (const target of targets) {
    const id = String(target?.id ?? target?.provider);
    const provider = providers[id];
    if (!provider) continue;
    const label = id === provider.name ? id : `${id} (${provider.name})`;
    for (const kind of KIND_ORDER) {
      if (
        !isCallable(cellOf(provider.capabilities, kind, 'create')) &&
        cellOf(provider.capabilities, kind, 'get')?.support !== 'reference-only'
      )
        continue;
      const section = SECTION_OF_KIND[kind];
      const list = Array.isArray(data[section]) ? (data[section] as SpecItem[]) : [];
      const accountWide = (provider.nameScope?.[kind] ?? 'account') === 'account';
      const firstByName = new Map<string, number>();
      list.forEach((raw, i) => {
        if (!raw || typeof raw !== 'object') return;
        const item = itemFor(raw, provider.name, id);
        if (!item) return;
        // Two spec items of one name on different buses are two resources only where names are per bus.
        if (accountWide && typeof item.name === 'string') {
          const first = firstByName.get(item.name);
          if (first === undefined) firstByName.set(item.name, i);
          else {
            const field = `${section}.${i}.name`;
            const location = where(field);
            issues.push({
              field,
              rule: `${label}: ${kind} names are unique per account, not per bus: ${item.name} is also ${section}.${first}`,
              ...(location ? { location } : {}),
            });
          }
        }
        if (!provider.validateInput) return;
        const input = inputOf(item);
        if (input.bus !== undefined) input.bus = `bus-${String(input.bus)}`;
        for (const issue of provider.validateInput(kind, input)) {
          const field = `${section}.${i}.${issue.field}`;
          const location = where(field);
          issues.push({ field, rule: `${label}: ${issue.rule}`, ...(location ? { location } : {}) });
        }
      });
    }
  }
  return issues;
}

const isSpec = (s: SpecLike): s is Spec => Array.isArray((s as Spec).buses) && (s as Spec).version === 1;

/** {@link specProviderIssues}, throwing one InvalidArgument when there is any (`providers` by target id). */
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

/** What the plan knows of a spec bus on one target. */
type BusState =
  | { state: 'live'; id: string; changing: boolean }
  | { state: 'new' }
  | { state: 'unsupported' }
  | { state: 'error'; error: PolybusError };

async function planProvider(
  spec: Spec,
  target: string,
  provider: EventProvider,
  options: PlanOptions,
): Promise<PlanItem[]> {
  const p = provider.name;
  const caps = provider.capabilities;
  const out: PlanItem[] = [];
  const buses = new Map<string, BusState>();
  const byKey = new Map<string, PlanItem>();
  const signal = options.signal ? { signal: options.signal } : {};
  const readLimit = Math.max(1, options.readConcurrency ?? 8);
  const listOf = (kind: ResourceKind, bus?: string) =>
    attempt(() =>
      collect(
        apiOf(provider, kind).list({
          ...signal,
          ...(bus !== undefined ? { bus } : {}),
          ...(provider.listOmits?.[kind] ? { summary: true } : {}),
        }),
      ),
    );
  const failItem = (plan: PlanItem, error: PolybusError, why: string) => {
    plan.action = 'error';
    plan.error = error.toJSON();
    plan.reason = `${why}: ${error.code}: ${error.message}`;
  };

  for (const kind of KIND_ORDER) {
    const createCell = cellOf(caps, kind, 'create');
    const getCell = cellOf(caps, kind, 'get');
    const scope = kind === 'bus' ? 'account' : (provider.nameScope?.[kind] ?? 'account');
    const omitted = provider.listOmits?.[kind] ?? [];
    const specItems: { raw: SpecItem; item: Omit<SpecItem, 'overrides' | 'providers'> }[] = [];
    for (const raw of spec[SECTION_OF_KIND[kind]] as SpecItem[]) {
      const item = itemFor(raw, p, target);
      if (item) specItems.push({ raw, item });
    }

    // Live candidates: per account, or per spec bus for kinds whose names are per bus. A bus the
    // spec does not name is never read.
    const callable = isCallable(createCell);
    const accountLive = callable && scope === 'account' ? await listOf(kind) : undefined;
    const busLive = new Map<string, Read<Resource[]>>();
    if (callable && scope === 'bus') {
      const wanted = new Set(
        options.prune
          ? [...buses.keys()]
          : specItems.map(({ item }) => (item as { bus?: string }).bus).filter((b) => b !== undefined),
      );
      const ids = [...wanted].flatMap((b) => {
        const s = buses.get(b);
        return s?.state === 'live' ? [[b, s.id] as const] : [];
      });
      const lists = await mapLimit(ids, readLimit, ([, id]) => listOf(kind, id));
      ids.forEach(([b], i) => busLive.set(b, lists[i]!));
    }
    const specBusIds = new Set([...buses.values()].flatMap((s) => (s.state === 'live' ? [s.id] : [])));
    const matched = new Set<string>();
    const fullReads: { plan: PlanItem; id: string }[] = [];

    for (const { raw, item } of specItems) {
      const desired = inputOf(item);
      const busRef = kind === 'bus' ? undefined : (desired.bus as string | undefined);
      const plan: PlanItem = {
        key: itemKey(target, kind, raw.name, busRef),
        target,
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
        const parent = itemKey(target, 'bus', busRef);
        if (byKey.has(parent)) plan.dependsOn.push(parent);
      }
      if (kind === 'integration' && busRef !== undefined) {
        const hatch = provider.nativeFilter;
        const native = hatch ? nativeFilterIn(desired, p, hatch.field) : undefined;
        const source =
          requiredSource(desired.filter) ??
          (native !== undefined ? hatch?.requiredSource?.(native) : undefined);
        const src = itemKey(target, 'source', String(source), busRef);
        if (byKey.get(src) && byKey.get(src)?.action !== 'unsupported') plan.dependsOn.push(src);
      }
      byKey.set(plan.key, plan);
      out.push(plan);

      if (!callable) {
        if (getCell?.support === 'reference-only') {
          plan.action = 'reference';
          const ref = await attempt(() => apiOf(provider, kind).get(item.name, signal));
          if (!ref.ok) {
            failItem(plan, ref.error, 'the referenced resource could not be read');
            if (kind === 'bus') buses.set(raw.name, { state: 'error', error: ref.error });
            continue;
          }
          plan.id = ref.value.id;
          plan.warnings.push({
            type: 'reference-only',
            detail: `${getCell.note}: it must already exist on ${p}`,
          });
          if (kind === 'bus') buses.set(raw.name, { state: 'live', id: ref.value.id, changing: false });
        } else {
          plan.action = 'unsupported';
          plan.reason = createCell?.note ?? 'not declared';
          if (kind === 'bus') buses.set(raw.name, { state: 'unsupported' });
        }
        continue;
      }
      const parent = busRef !== undefined ? buses.get(busRef) : undefined;
      if (parent?.state === 'unsupported') {
        plan.action = 'unsupported';
        plan.reason = `its bus ${busRef} is unsupported on ${p}`;
        continue;
      }
      if (parent?.state === 'error') {
        failItem(plan, parent.error, `its bus ${busRef} could not be read`);
        continue;
      }
      for (const { setting, detail } of unsupportedSettings(caps, kind, desired)) {
        if (setting === 'clientToken') continue; // an idempotency key, not a setting of the resource
        plan.warnings.push({ type: 'unsupported-setting', setting, detail });
        delete desired[setting];
      }

      // Find the live resource this item is, under its own parent only.
      let existing: Resource | undefined;
      if (scope === 'bus') {
        if (parent?.state === 'live') {
          const live = busLive.get(busRef!);
          if (live && !live.ok) {
            failItem(plan, live.error, `the ${PLURAL[kind]} of bus ${busRef} could not be listed`);
            continue;
          }
          existing = live?.value.find((r) => r.name === item.name && !matched.has(r.id));
        }
      } else {
        if (accountLive && !accountLive.ok) {
          failItem(plan, accountLive.error, `the ${PLURAL[kind]} could not be listed`);
          // its children cannot be matched either: they fail too, rather than plan a create
          if (kind === 'bus') buses.set(raw.name, { state: 'error', error: accountLive.error });
          continue;
        }
        existing = accountLive?.value.find((r) => r.name === item.name && !matched.has(r.id));
        const liveBus = (existing as { bus?: string } | undefined)?.bus;
        if (existing && busRef !== undefined && liveBus !== undefined && !specBusIds.has(liveBus)) {
          // The name is taken by a resource on a bus this spec does not name: never touch it.
          matched.add(existing.id);
          plan.action = 'blocked';
          plan.id = existing.id;
          plan.reason = `a ${kind} named ${item.name} already exists on bus ${liveBus}, which this spec does not name (${kind} names are unique per account on ${p}); it is left alone`;
          continue;
        }
      }

      if (options.destroy) {
        if (existing) {
          matched.add(existing.id);
          plan.action = 'delete';
          plan.id = existing.id;
          if (kind === 'bus') buses.set(raw.name, { state: 'live', id: existing.id, changing: true });
        }
        continue;
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
        continue;
      }
      if (!existing) {
        plan.action = 'create';
        if (kind === 'bus') buses.set(raw.name, { state: 'new' });
        continue;
      }
      matched.add(existing.id);
      plan.id = existing.id;
      if (kind === 'bus') buses.set(raw.name, { state: 'live', id: existing.id, changing: false });
      // The list left out fields this item sets: read it in full (only this one).
      if (omitted.some((f) => valueAt(desired, f) !== undefined)) {
        fullReads.push({ plan, id: existing.id });
      } else {
        (plan as PlanItem & { live?: Resource }).live = existing;
      }
    }

    // Full reads of the matched items whose listed fields do not decide the diff.
    const reads = await mapLimit(fullReads, readLimit, ({ id }) =>
      attempt(() => apiOf(provider, kind).get(id, signal)),
    );
    fullReads.forEach(({ plan }, i) => {
      const r = reads[i]!;
      if (r.ok) (plan as PlanItem & { live?: Resource }).live = r.value;
      else failItem(plan, r.error, 'its live state could not be read');
    });

    for (const plan of out) {
      const withLive = plan as PlanItem & { live?: Resource };
      if (plan.kind !== kind || !withLive.live) continue;
      const existing = withLive.live;
      delete withLive.live;
      if (plan.action === 'error') continue;
      // A failure here fails this item only: a bus that was listed exists, its children go on.
      await diffItem(provider, plan, existing, buses, signal, (error, why) => failItem(plan, error, why));
      const s = kind === 'bus' ? buses.get(plan.name) : undefined;
      if (plan.action === 'replace' && s?.state === 'live') s.changing = true;
    }

    // Prune: children on spec buses that the spec does not declare.
    if (options.prune && !options.destroy && kind !== 'bus') {
      const candidates =
        scope === 'bus'
          ? [...busLive.values()].flatMap((l) => (l.ok ? l.value : []))
          : accountLive?.ok
            ? accountLive.value.filter((r) => {
                const bus = (r as { bus?: string }).bus;
                return bus !== undefined && specBusIds.has(bus);
              })
            : [];
      for (const r of candidates) {
        if (matched.has(r.id)) continue;
        const bus = (r as { bus?: string }).bus;
        out.push({
          key: `${itemKey(target, kind, r.name, bus)}#${r.id}`,
          target,
          provider: p,
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
  }
  return out;
}

/** Compares one matched item with its live resource and sets its action. */
async function diffItem(
  provider: EventProvider,
  plan: PlanItem,
  existing: Resource,
  buses: Map<string, BusState>,
  signal: { signal?: AbortSignal },
  fail: (error: PolybusError, why: string) => void,
): Promise<void> {
  const desired = plan.desired ?? {};
  const changes: FieldChange[] = [];
  const mut = provider.mutability[plan.kind] ?? {};
  // Live settings the provider could not read: warned about (where the spec manages them), never diffed.
  const unreadable = (provider.unreadable?.(plan.kind, existing) ?? []).filter(
    (u) => valueAt(desired, u.field.split('.')[0]!) !== undefined,
  );
  for (const u of unreadable)
    plan.warnings.push({ type: 'unreadable', detail: `${u.field} cannot be read: ${u.detail}` });
  for (const field of DIFF_FIELDS) {
    if (SHAPE_FIELDS.has(field) && valueAt(existing, field) === undefined && field !== 'detail') continue;
    let want = valueAt(desired, field);
    if (field === 'bus') {
      if (plan.busRef === undefined) continue;
      const parent = buses.get(plan.busRef);
      want = parent?.state === 'live' && !parent.changing ? parent.id : `(new ${plan.busRef})`;
    }
    if (field === 'enabled' && !ENABLED_KINDS.has(plan.kind)) continue;
    want ??= FIELD_DEFAULTS[field];
    if (want === undefined) continue;
    let have = valueAt(existing, field) ?? FIELD_DEFAULTS[field];
    const compare = COMPARED[field];
    if (compare) [want, have] = [compare(want), compare(have)];
    const hidden = unreadable.flatMap((u) =>
      u.field.startsWith(`${field}.`) ? [u.field.slice(field.length + 1)] : [],
    );
    const seen = (v: unknown) => hidden.reduce((x, path) => withoutPath(x, path.split('.')), v);
    if (canonical(seen(want)) !== canonical(seen(have))) {
      changes.push({ field, from: have, to: want, mutability: mut[field] ?? 'update' });
      // a default the spec leaves implicit is still what apply must send
      if (field in FIELD_DEFAULTS && desired[field] === undefined) desired[field] = want;
    }
  }
  // Targets carry the delivery policy: a change of either sends both (the adapter translates them together).
  const routed = changes.filter((c) => c.field === 'targets' || c.field === 'delivery');
  for (const field of ['targets', 'delivery']) {
    const want = valueAt(desired, field);
    if (routed.length && want !== undefined && !routed.some((c) => c.field === field))
      changes.push({ field, from: valueAt(existing, field), to: want, mutability: mut[field] ?? 'update' });
  }
  changes.push(...extensionChanges(provider, plan.kind, desired, existing));
  plan.changes = changes;
  if (!changes.length) {
    plan.action = 'noop';
    return;
  }
  if (!changes.some((c) => c.mutability === 'replace')) {
    plan.action = 'update';
    return;
  }
  plan.action = 'replace';
  plan.strategy = provider.replaceStrategy[plan.kind] ?? 'create-before-delete';
  if (!provider.deleteBlockers) return;
  const blockers = await attempt(() => provider.deleteBlockers!(plan.kind, existing.id, signal));
  if (!blockers.ok) fail(blockers.error, 'whether it can be deleted could not be read');
  else if (blockers.value.length) {
    plan.action = 'blocked';
    plan.reason = `replace needs a delete, which is refused: ${blockers.value.join('; ')}`;
  }
}

/**
 * Whether the live filter differs from a desired native one. A native filter with an exact
 * neutral reading reads back as the neutral `filter`, so it is compared as that; any other is
 * compared in its normalized native form, whole (no projection: every key of a filter counts).
 */
function nativeFilterDiffers(
  hatch: NativeFilter,
  want: unknown,
  haveNative: unknown,
  existing: Resource,
): { from: unknown } | undefined {
  const liveFilter = (existing as { filter?: unknown }).filter;
  const neutral = hatch.toNeutral(want);
  if (neutral && liveFilter !== undefined)
    return serializeFilter(neutral) === COMPARED.filter!(liveFilter) ? undefined : { from: liveFilter };
  if (haveNative === undefined) return { from: liveFilter };
  return canonical(hatch.normalize(want)) === canonical(hatch.normalize(haveNative))
    ? undefined
    : { from: haveNative };
}

/**
 * The provider's native extension fields that differ, one change per field
 * (`extensions.<provider>.<Field>`). Only fields the spec sets are managed; of an object or a
 * list of objects, only the keys the spec writes are compared (the provider fills in defaults
 * and ids).
 */
function extensionChanges(
  provider: EventProvider,
  kind: ResourceKind,
  desired: Record<string, unknown>,
  existing: Resource,
): FieldChange[] {
  const p = provider.name;
  const want = (desired.extensions as Record<string, Record<string, unknown>> | undefined)?.[p] ?? {};
  const have = existing.extensions?.[p] ?? {};
  const mut = provider.mutability[kind] ?? {};
  const out: FieldChange[] = [];
  const hatch = kind === 'integration' ? provider.nativeFilter : undefined;
  for (const [key, w] of Object.entries(want)) {
    if (w === undefined || w === null) continue;
    const field = `extensions.${p}.${key}`;
    if (hatch && key === hatch.field) {
      const differs = nativeFilterDiffers(hatch, w, have[key], existing);
      if (differs)
        out.push({ field, from: differs.from, to: w, mutability: mut[field] ?? mut.filter ?? 'update' });
      continue;
    }
    if (canonical(w) !== canonical(projectOnto(have[key], w)))
      out.push({ field, from: have[key], to: w, mutability: mut[field] ?? 'update' });
  }
  return out;
}

/** `value` without the field at `path` (in each element of a list), for settings that could not be read. */
function withoutPath(value: unknown, path: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutPath(v, path));
  if (!value || typeof value !== 'object' || !path.length) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (!(head in value)) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (rest.length) copy[head] = withoutPath(copy[head], rest);
  else delete copy[head];
  return copy;
}

/** `have` restricted to the keys `want` writes, recursively (lists element by element). */
function projectOnto(have: unknown, want: unknown): unknown {
  if (Array.isArray(want) && Array.isArray(have) && want.length === have.length)
    return have.map((h, i) => projectOnto(h, want[i]));
  if (want && typeof want === 'object' && !Array.isArray(want) && have && typeof have === 'object')
    return Object.fromEntries(
      Object.keys(want).map((k) => [
        k,
        projectOnto((have as Record<string, unknown>)[k], (want as Record<string, unknown>)[k]),
      ]),
    );
  return have;
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
    error: 0,
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
