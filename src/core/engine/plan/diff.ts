/**
 * The diff phase: each matched item against its live resource, field by field (canonical forms,
 * neutral defaults, settings the provider could not read left out), then its action from the
 * fields' mutability: no-op, update in place, or replace (blocked when the delete is refused).
 */
import { type PolybusError } from '../../model/errors.js';
import type { Resource, ResourceKind } from '../../model/resources.js';
import { type EventProvider } from '../../contract/provider.js';
import { valueAt } from '../../runtime/checks.js';
import { type Filter, serializeFilter, SpecFilterSchema } from '../../model/filter.js';
import { isSecretField } from '../../runtime/redact.js';
import { type NativeFilter } from '../../model/routing.js';
import {
  type BusState,
  failItem,
  type FieldChange,
  type PlanItem,
  type TargetPlanning,
  type WithLive,
} from './model.js';
import { attempt } from './read.js';

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
export function filterOf(value: unknown): Filter | undefined {
  if (value === undefined) return undefined;
  const r = SpecFilterSchema.safeParse(value);
  return r.success ? r.data : undefined;
}

/** Compared forms of the routing fields: the canonical filter (serializeFilter), others as they are. */
const COMPARED: Record<string, (v: unknown) => unknown> = {
  filter: (v) => {
    const f = filterOf(v);
    return f ? serializeFilter(f) : v;
  },
};

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

/**
 * Diffs every item of `kind` that was matched to a live resource (and whose live state could be
 * read). A replace of a live bus marks it changing: its children's `bus` field then differs.
 */
export async function diffMatched(ctx: TargetPlanning, kind: ResourceKind): Promise<void> {
  const { provider, buses, signal } = ctx;
  for (const plan of ctx.out) {
    const withLive = plan as WithLive;
    if (plan.kind !== kind || !withLive.live) continue;
    const existing = withLive.live;
    delete withLive.live;
    if (plan.action === 'error') continue;
    // A failure here fails this item only: a bus that was listed exists, its children go on.
    await diffItem(
      provider,
      plan,
      existing,
      buses,
      signal,
      (error, why) => failItem(plan, error, why),
      Boolean(ctx.options.resendSecrets),
    );
    const s = kind === 'bus' ? buses.get(plan.name) : undefined;
    if (plan.action === 'replace' && s?.state === 'live') s.changing = true;
  }
}

/** Compares one matched item with its live resource and sets its action. */
async function diffItem(
  provider: EventProvider,
  plan: PlanItem,
  existing: Resource,
  buses: Map<string, BusState>,
  signal: { signal?: AbortSignal },
  fail: (error: PolybusError, why: string) => void,
  resendSecrets: boolean,
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
      want =
        parent?.state === 'live' && !parent.changing
          ? parent.id
          : // a child that names its missing bus by name (AWS) is on the bus about to be created
            parent?.state === 'new' && valueAt(existing, 'bus') === parent.name
            ? parent.name
            : `(new ${plan.busRef})`;
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
  writeOnlyFields(plan, desired, changes, mut, resendSecrets);
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

/** Dotted paths of the secret-named fields set in `value` (under `prefix`). */
function secretPaths(value: unknown, prefix: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretPaths(v, `${prefix}.${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    isSecretField(k) && v !== undefined && v !== null ? [`${prefix}.${k}`] : secretPaths(v, `${prefix}.${k}`),
  );
}

/**
 * Write-only settings the spec sets (a Kafka password, a secret key in a source's detail): the
 * provider never returns them, so the diff cannot compare them and a changed one would look
 * unchanged. polybus keeps no state to fingerprint them with, so the plan says so, naming the
 * field (never the value); with `resendSecrets` the fields holding them are sent again, as an
 * update (or the replace the provider's mutability asks for).
 */
function writeOnlyFields(
  plan: PlanItem,
  desired: Record<string, unknown>,
  changes: FieldChange[],
  mut: Partial<Record<string, FieldChange['mutability']>>,
  resendSecrets: boolean,
): void {
  const paths = DIFF_FIELDS.flatMap((f) => secretPaths(valueAt(desired, f), f));
  if (!paths.length) return;
  if (!resendSecrets) {
    const one = paths.length === 1;
    plan.warnings.push({
      type: 'write-only',
      detail: `${paths.join(', ')} ${one ? 'is' : 'are'} write-only: the provider never returns ${one ? 'it' : 'them'}, so plan cannot tell whether ${one ? 'it' : 'they'} changed; apply --resend-secrets sends ${one ? 'it' : 'them'} again`,
    });
    return;
  }
  for (const field of new Set(paths.map((p) => p.split('.')[0]!)))
    if (!changes.some((c) => c.field === field))
      changes.push({
        field,
        from: '(write-only: not readable)',
        to: '(write-only: sent again, --resend-secrets)',
        mutability: mut[field] ?? 'update',
      });
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
    if (w === undefined) continue;
    // null clears a setting the provider holds (the adapter sends the clearing call); nothing to do when it has none
    if (w === null && (have[key] === undefined || have[key] === null || (hatch && key === hatch.field)))
      continue;
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
