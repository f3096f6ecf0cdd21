/**
 * Export and migrate: live resources of one provider as a neutral spec, and that spec translated
 * to another provider with an item-by-item lossiness report (native, emulated, reference, dropped,
 * needs input), decided from the capability matrix and the target's documented rules.
 */
import { cellOf, isCallable, type Support, unsupportedSettings } from '../model/capabilities.js';
import type { ValidationIssue } from '../model/errors.js';
import { RESOURCE_KINDS, type Resource, type ResourceKind } from '../model/resources.js';
import { apiOf, collect } from '../runtime/resources.js';
import { type EventProvider } from '../contract/provider.js';
import { isSecretField } from '../runtime/redact.js';
import { SECTION_OF_KIND, type Spec, type SpecItem } from '../spec/schema.js';

const SYSTEM_FIELDS = new Set(['id', 'provider', 'status', 'createdAt', 'updatedAt']);

function stripSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !isSecretField(k))
        .map(([k, v]) => [k, stripSecrets(v)]),
    );
  }
  return value;
}

/** Live resources of `provider` as a spec whose only target is that provider. */
export async function exportSpec(
  provider: EventProvider,
  options: {
    signal?: AbortSignal;
    /** Told of each live field the provider could not read (so the spec cannot carry it). */
    onUnreadable?: (kind: ResourceKind, name: string, field: string, detail: string) => void;
  } = {},
): Promise<Spec> {
  const p = provider.name;
  const o = options.signal ? { signal: options.signal } : {};
  const listed: Record<ResourceKind, Resource[]> = { bus: [], source: [], connection: [], integration: [] };
  for (const kind of RESOURCE_KINDS) {
    if (isCallable(cellOf(provider.capabilities, kind, 'list')))
      listed[kind] = await collect(apiOf(provider, kind).list(o));
  }
  // Providers that only reference buses (AWS): derive them from the children that name one.
  if (
    !isCallable(cellOf(provider.capabilities, 'bus', 'list')) &&
    cellOf(provider.capabilities, 'bus', 'get')?.support === 'reference-only'
  ) {
    const names = new Set(
      [...listed.integration, ...listed.source]
        .map((r) => (r as { bus?: string }).bus)
        .filter((b): b is string => Boolean(b)),
    );
    listed.bus = await Promise.all([...names].map((n) => apiOf(provider, 'bus').get(n, o)));
  }
  if (options.onUnreadable && provider.unreadable)
    for (const kind of RESOURCE_KINDS)
      for (const r of listed[kind])
        for (const u of provider.unreadable(kind, r)) options.onUnreadable(kind, r.name, u.field, u.detail);
  const busName = new Map(listed.bus.map((b) => [b.id, b.name]));
  const toItem = (r: Resource): Record<string, unknown> => {
    const item: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      if (SYSTEM_FIELDS.has(k) || v === undefined) continue;
      if (k === 'bus') {
        const name = busName.get(String(v));
        if (name) item.bus = name;
        continue;
      }
      item[k] = stripSecrets(v);
    }
    return item;
  };
  const spec: Spec = {
    version: 1,
    targets: [{ provider: p }],
    buses: listed.bus.map(toItem) as Spec['buses'],
    sources: listed.source.map(toItem).filter((s) => s.bus) as Spec['sources'],
    connections: listed.connection.map(toItem) as Spec['connections'],
    integrations: listed.integration.map(toItem).filter((i) => i.bus) as Spec['integrations'],
  };
  return spec;
}

/** How one item fares on the target. */
export type MigrationOutcome = 'native' | 'emulated' | 'reference' | 'dropped' | 'needs-input';

/** One row of the lossiness report. */
export interface MigrationRow {
  kind: ResourceKind;
  name: string;
  outcome: MigrationOutcome;
  /** What is lost or needed, one line each. */
  details: string[];
}

/** The report and the translated spec. */
export interface Migration {
  from: string;
  to: string;
  rows: MigrationRow[];
  counts: Record<MigrationOutcome, number>;
  /** The items that can be applied on the target (dropped and needs-input left out). */
  spec: Spec;
}

const outcomeOf = (support: Support | undefined): MigrationOutcome =>
  support === 'native' || support === 'partial'
    ? 'native'
    : support === 'emulated'
      ? 'emulated'
      : support === 'reference-only'
        ? 'reference'
        : 'dropped';

/**
 * Carries an integration's route to the target: targets (and the delivery policy) the target cannot
 * express are taken out one by one, each named with the translator's reason; a filter it cannot
 * express exactly is never narrowed or widened: the item needs input.
 */
function carryRoute(
  item: Record<string, unknown>,
  to: EventProvider,
): { details: string[]; needsInput: boolean } {
  const details: string[] = [];
  const problems = () => to.routingProblems?.(item) ?? [];
  let found = problems();
  const targetProblems = found.filter((p) => /^targets\.\d+$/.test(p.field));
  if (targetProblems.length && Array.isArray(item.targets)) {
    const gone = new Set(targetProblems.map((p) => Number(p.field.split('.')[1])));
    for (const p of targetProblems) details.push(`${p.field} dropped: ${p.rule}`);
    const kept = (item.targets as unknown[]).filter((_t, i) => !gone.has(i));
    if (kept.length) item.targets = kept;
    else delete item.targets;
    found = problems();
  }
  for (const field of ['delivery', 'targets'] as const) {
    const whole = found.filter(
      (p) => p.field === field || (field === 'targets' && /^targets\./.test(p.field)),
    );
    if (!whole.length) continue;
    for (const p of whole) details.push(`${p.field} dropped: ${p.rule}`);
    if (field === 'targets') delete item.targets;
    delete item.delivery;
    found = problems();
  }
  // A delivery policy applies to targets: with none left, it cannot move either.
  if (
    item.delivery !== undefined &&
    item.targets === undefined &&
    details.some((d) => d.startsWith('targets'))
  ) {
    details.push('delivery dropped: no target left to apply it to');
    delete item.delivery;
  }
  const filter = found.filter((p) => p.field === 'filter');
  details.push(...filter.map((p) => `filter cannot move: ${p.rule}`));
  return { details, needsInput: filter.length > 0 || found.length > filter.length };
}

/** Target fields that hold a provider's own reference (a QCS string, a URN, a connection id). */
const REFERENCE_FIELDS = {
  http: ['connection'],
  kafka: ['connection'],
  function: ['function'],
  log: ['log'],
} as const;

/**
 * The provider references a route carries: each names a resource of `from` (a Tencent QCS
 * string, a Huawei connection id or URN) that `to` cannot resolve. A reference the mapping gives
 * is replaced by the `to` one (said in the report); any other makes the route need input, so it
 * is held back from the translated spec: it is never sent to `to` as it was.
 */
function mapReferences(
  item: Record<string, unknown>,
  from: string,
  to: string,
  references: Readonly<Record<string, string>>,
): { details: string[]; unmapped: number } {
  const details: string[] = [];
  let unmapped = 0;
  const visit = (holder: Record<string, unknown>, f: string, path: string) => {
    const value = holder[f];
    if (typeof value !== 'string') return;
    const mapped = Object.hasOwn(references, value) ? references[value] : undefined;
    if (mapped !== undefined) {
      holder[f] = mapped;
      details.push(`${path} ${value} -> ${mapped} (mapped)`);
    } else {
      unmapped++;
      details.push(
        `${path} ${value} is a ${from} reference: give the ${to} one (migrate --map) before apply`,
      );
    }
  };
  if (Array.isArray(item.targets)) {
    item.targets = (item.targets as Record<string, unknown>[]).map((t, i) => {
      const copy = { ...t };
      for (const f of REFERENCE_FIELDS[t.kind as keyof typeof REFERENCE_FIELDS] ?? [])
        visit(copy, f, `targets.${i}.${f}`);
      return copy;
    });
  }
  const delivery = item.delivery as { deadLetter?: Record<string, unknown> } | undefined;
  if (delivery?.deadLetter) {
    const deadLetter = { ...delivery.deadLetter };
    visit(deadLetter, 'connection', 'delivery.deadLetter.connection');
    item.delivery = { ...delivery, deadLetter };
  }
  return { details, unmapped };
}

/** Options of {@link translateSpec}. */
export interface TranslateOptions {
  /**
   * The `to` provider's reference for each `from` reference a route carries (a QCS string, a
   * connection id, a URN, an ARN): `{ "qcs::ckafka:...": "<huawei connection id>" }`. A reference
   * not in the map holds its route back as needing input.
   */
  references?: Readonly<Record<string, string>>;
}

/**
 * Translates a spec exported from `from` to the provider `to`: kinds the target lacks are dropped,
 * settings it cannot hold are reported, `extensions.<from>` is dropped, and the target's own rules
 * (names, required fields) are checked so that an item that would fail is reported as needing
 * input rather than applied.
 */
export function translateSpec(
  spec: Spec,
  from: string,
  to: EventProvider,
  options: TranslateOptions = {},
): Migration {
  const caps = to.capabilities;
  const rows: MigrationRow[] = [];
  const out: Spec = {
    version: 1,
    targets: [{ provider: to.name }],
    buses: [],
    sources: [],
    connections: [],
    integrations: [],
  };
  const droppedBuses = new Set<string>();
  for (const kind of RESOURCE_KINDS) {
    const section = SECTION_OF_KIND[kind];
    for (const original of spec[section] as SpecItem[]) {
      const details: string[] = [];
      const item: Record<string, unknown> = { ...original };
      delete item.overrides;
      delete item.providers;
      const create = cellOf(caps, kind, 'create');
      const get = cellOf(caps, kind, 'get');
      let outcome = outcomeOf(
        isCallable(create)
          ? create?.support
          : get?.support === 'reference-only'
            ? 'reference-only'
            : 'unsupported',
      );
      if (outcome === 'dropped')
        details.push(`${kind} is unsupported on ${to.name}: ${create?.note ?? 'not declared'}`);
      else if (outcome === 'emulated') details.push(create?.note ?? 'emulated');
      else if (outcome === 'reference')
        details.push(`${get?.note ?? 'reference-only'}: it must already exist on ${to.name}`);
      const bus = item.bus as string | undefined;
      if (outcome !== 'dropped' && bus !== undefined && droppedBuses.has(bus)) {
        outcome = 'dropped';
        details.push(`its bus ${bus} is dropped on ${to.name}`);
      }
      if (outcome !== 'dropped') {
        for (const { setting, detail } of unsupportedSettings(caps, kind, item)) {
          details.push(`${setting} dropped: ${detail}`);
          delete item[setting];
        }
        const ext = item.extensions as Record<string, Record<string, unknown>> | undefined;
        if (ext?.[from] && from !== to.name) {
          details.push(`native ${from} fields dropped: ${Object.keys(ext[from]).join(', ') || '(none)'}`);
          if (kind === 'integration' && item.filter === undefined)
            details.push(
              `filter cannot move: the route has only the native ${from} filter (extensions.${from}), which has no neutral reading; a native ${from} filter cannot move to ${to.name}: write a neutral filter or ${to.name}'s native one`,
            );
          const { [from]: _dropped, ...rest } = ext;
          if (Object.keys(rest).length) item.extensions = rest;
          else delete item.extensions;
        }
        if (kind === 'integration' && to.routingProblems && outcome !== 'reference') {
          // References first: the route is translated with the target's own references.
          const refs =
            from !== to.name
              ? mapReferences(item, from, to.name, options.references ?? {})
              : { details: [], unmapped: 0 };
          const routing = carryRoute(item, to);
          details.push(...routing.details, ...refs.details);
          if (routing.needsInput || refs.unmapped) outcome = 'needs-input';
        }
        if (kind === 'connection' && item.kafka && !('password' in (item.kafka as object))) {
          details.push('kafka.password is write-only and was not exported: supply it before apply');
        }
        if (outcome !== 'reference') {
          const issues: ValidationIssue[] =
            to.validateInput?.(kind, {
              ...item,
              ...(bus !== undefined ? { bus: `placeholder-${bus}` } : {}),
            }) ?? [];
          const real = issues.filter((i) => !i.field.startsWith('bus'));
          if (real.length) {
            outcome = 'needs-input';
            details.push(...real.map((i) => `${i.field}: ${i.rule}`));
          }
        }
      }
      if (kind === 'bus' && (outcome === 'dropped' || outcome === 'needs-input'))
        droppedBuses.add(original.name);
      rows.push({ kind, name: original.name, outcome, details });
      if (outcome !== 'dropped' && outcome !== 'needs-input')
        (out[section] as unknown as Record<string, unknown>[]).push(item);
    }
  }
  const counts = { native: 0, emulated: 0, reference: 0, dropped: 0, 'needs-input': 0 } as Record<
    MigrationOutcome,
    number
  >;
  for (const r of rows) counts[r.outcome]++;
  return { from, to: to.name, rows, counts, spec: out };
}
