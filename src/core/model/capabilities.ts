/**
 * The capability matrix: what each provider can do per kind, operation and feature. Adapters
 * declare cells as data; this module builds the matrix and answers `supports()` (the CLI renders
 * it). It never hard-codes a provider's answer.
 */
import type { ResourceKind } from './resources.js';
import { RESOURCE_KINDS } from './resources.js';

/** How a provider supports a cell. */
export const SUPPORT_LEVELS = ['native', 'emulated', 'partial', 'reference-only', 'unsupported'] as const;
/** How a provider holds a capability: natively, emulated by polybus, partly, by reference only, or not at all. */
export type Support = (typeof SUPPORT_LEVELS)[number];

/** CRUD operations of every kind. */
export const OPERATIONS = ['create', 'get', 'list', 'update', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Cross-cutting features. */
export const FEATURES = [
  'tags',
  'pagination',
  'filterBySource',
  'idempotencyToken',
  'retention',
  'rateLimit',
  'enabled',
  'encryption',
  'deadLetter',
  'logging',
  'partnerSource',
  'publish',
  'publishBatch',
  'partialFailure',
  'trace',
] as const;
export type Feature = (typeof FEATURES)[number];

/** The attribute classes a filter condition can name: a CloudEvents context attribute or a `data.<path>` field. */
export const ATTRIBUTE_CLASSES = ['context', 'data'] as const;
/** Filter dialects as matrix rows (kept here so that this module imports no routing code). */
export const ROUTING_DIALECTS = ['exact', 'prefix', 'suffix', 'all', 'any', 'not'] as const;
/** Target kinds as matrix rows. */
export const ROUTING_TARGET_KINDS = ['http', 'function', 'kafka', 'log'] as const;
/** Delivery features as matrix rows. */
export const ROUTING_DELIVERY = ['retry', 'deadLetter', 'transform'] as const;

/**
 * The routing rows of an integration: `filter.<dialect>.<context|data>`, `filter.native` (the
 * provider's own filter in `extensions.<provider>`, for what the neutral filter cannot say),
 * `target.<kind>`, `delivery.<retry|deadLetter|transform>`.
 */
export const ROUTING_KEYS = [
  ...ROUTING_DIALECTS.flatMap((d) => ATTRIBUTE_CLASSES.map((c) => `filter.${d}.${c}` as const)),
  'filter.native',
  ...ROUTING_TARGET_KINDS.map((k) => `target.${k}` as const),
  ...ROUTING_DELIVERY.map((d) => `delivery.${d}` as const),
] as const;
/** One of {@link ROUTING_KEYS}. */
export type RoutingKey = (typeof ROUTING_KEYS)[number];

/**
 * One cell: support level, a one-line note and the native action(s) behind it. `S` keeps a
 * declared cell's level as a literal type, so the typed providers can tell what is callable.
 */
export interface Cell<S extends Support = Support> {
  support: S;
  note: string;
  actions: string[];
}

/** A provider's cells for one kind. */
export interface KindCapabilities {
  operations: Record<Operation, Cell>;
  features: Partial<Record<Feature, Cell>>;
  /** Neutral fields the provider cannot hold on this kind, with why (e.g. AWS bus description). */
  unsupportedFields?: Record<string, string>;
}

/** Everything a provider declares. */
export interface CapabilitySet {
  provider: string;
  displayName: string;
  kinds: Record<ResourceKind, KindCapabilities>;
  /** What an integration's route can hold: filter dialect x attribute class, target kinds, delivery. */
  routing?: Partial<Record<RoutingKey, Cell>>;
  /**
   * Every native action the adapter's client can send by its native name (`polybus call`, the
   * `polybus/<provider>` entries), in the provider's own spelling.
   */
  nativeActions?: readonly string[];
}

/** Shorthand for declaring a cell. */
export function cell<S extends Support>(support: S, note: string, ...actions: string[]): Cell<S> {
  return { support, note, actions };
}

/** A whole kind with every operation unsupported, for kinds a provider lacks. */
export function unsupportedKind(note: string): {
  operations: Record<Operation, Cell<'unsupported'>>;
  features: Record<never, Cell>;
} {
  const c = cell('unsupported', note);
  return { operations: { create: c, get: c, list: c, update: c, delete: c }, features: {} };
}

/** True when a cell can be called (anything but `unsupported`). */
export function isCallable(c: Cell | undefined): boolean {
  return c !== undefined && c.support !== 'unsupported';
}

/** Looks up an operation or feature cell. */
export function cellOf(caps: CapabilitySet, kind: ResourceKind, key: Operation | Feature): Cell | undefined {
  const k = caps.kinds[kind];
  return (k.operations as Record<string, Cell>)[key] ?? k.features[key as Feature];
}

/** Run-time question: can this provider do `key` on `kind`? */
export function supports(caps: CapabilitySet, kind: ResourceKind, key: Operation | Feature): boolean {
  return isCallable(cellOf(caps, kind, key));
}

/** Input fields governed by a feature cell. */
const FEATURE_FIELDS: [Feature, string][] = [
  ['tags', 'tags'],
  ['retention', 'retentionDays'],
  ['idempotencyToken', 'clientToken'],
  ['enabled', 'enabled'],
];

/** Values that are the neutral default, hence no setting to honour (`enabled: true`). */
const DEFAULTS: Record<string, unknown> = { enabled: true };

const isSet = (v: unknown) =>
  v !== undefined &&
  v !== null &&
  v !== '' &&
  !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/**
 * The settings in `input` that this provider cannot hold on `kind`: fields whose feature cell is
 * unsupported, and fields the adapter declares unsupported. The guard refuses them, plan and
 * migrate drop them with a warning; none is ever dropped silently.
 */
export function unsupportedSettings(
  caps: CapabilitySet,
  kind: ResourceKind,
  input: Record<string, unknown>,
): { setting: string; detail: string }[] {
  const k = caps.kinds[kind];
  const out: { setting: string; detail: string }[] = [];
  for (const [feature, field] of FEATURE_FIELDS) {
    const f = k.features[feature];
    if (f && !isCallable(f) && isSet(input[field]) && input[field] !== DEFAULTS[field])
      out.push({ setting: field, detail: f.note });
  }
  for (const [field, note] of Object.entries(k.unsupportedFields ?? {})) {
    if (isSet(input[field]) && input[field] !== DEFAULTS[field]) out.push({ setting: field, detail: note });
  }
  return out;
}

/** One row of the flattened matrix. */
export interface MatrixRow {
  kind: ResourceKind;
  key: Operation | Feature | RoutingKey;
  type: 'operation' | 'feature' | 'routing';
  cells: Record<string, Cell>;
}

/** The matrix over all registered providers, one row per kind x operation/feature. */
export interface Matrix {
  providers: { name: string; displayName: string; nativeActions?: readonly string[] }[];
  rows: MatrixRow[];
}

export const NOT_DECLARED: Cell = { support: 'unsupported', note: 'not declared', actions: [] };

/** Builds the matrix from the providers' declarations, in a stable order. */
export function buildMatrix(sets: CapabilitySet[]): Matrix {
  const rows: MatrixRow[] = [];
  for (const kind of RESOURCE_KINDS) {
    for (const op of OPERATIONS) {
      rows.push({
        kind,
        key: op,
        type: 'operation',
        cells: Object.fromEntries(sets.map((s) => [s.provider, s.kinds[kind].operations[op]])),
      });
    }
    for (const feature of FEATURES) {
      if (!sets.some((s) => s.kinds[kind].features[feature])) continue;
      rows.push({
        kind,
        key: feature,
        type: 'feature',
        cells: Object.fromEntries(
          sets.map((s) => [s.provider, s.kinds[kind].features[feature] ?? NOT_DECLARED]),
        ),
      });
    }
  }
  // The integration's route, after the resource rows: one row per filter dialect x attribute
  // class, target kind and delivery feature.
  if (sets.some((s) => s.routing))
    for (const key of ROUTING_KEYS)
      rows.push({
        kind: 'integration',
        key,
        type: 'routing',
        cells: Object.fromEntries(sets.map((s) => [s.provider, s.routing?.[key] ?? NOT_DECLARED])),
      });
  return {
    providers: sets.map((s) => ({
      name: s.provider,
      displayName: s.displayName,
      ...(s.nativeActions ? { nativeActions: s.nativeActions } : {}),
    })),
    rows,
  };
}
