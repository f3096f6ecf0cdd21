/**
 * The plan's shape (actions, items, warnings, options), the state one target's planning shares
 * between phases (its spec buses, the items so far), an item's identity and failure, and counts.
 */
import type { PolybusError, PolybusErrorJSON } from '../../model/errors.js';
import type { Resource, ResourceKind } from '../../model/resources.js';
import type { EventProvider, Mutability, ReplaceStrategy } from '../../contract/provider.js';
import type { SpecItem } from '../../spec/schema.js';

/** What the plan does with one item. */
export type PlanAction =
  'create' | 'update' | 'replace' | 'delete' | 'noop' | 'reference' | 'unsupported' | 'blocked' | 'error';

/** A setting or semantic the target cannot honour, reported instead of silently dropped. */
export interface PlanWarning {
  type: 'unsupported-setting' | 'reference-only' | 'unreadable' | 'write-only';
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
  /**
   * On an `unsupported` item: the target has no resource of this kind at all and the spec loses
   * nothing by it (a Tencent event source: custom events carry a free-form `source` string, which
   * routes filter on). Such an item is informational; any other `unsupported` or `blocked` item is
   * unmet (see {@link unmetItems}).
   */
  informational?: true;
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
  /**
   * Send write-only settings the spec sets (a Kafka password, a secret key in a source's detail)
   * again: the provider never returns them, so the diff cannot see a change of one. Without it,
   * plan warns of each (naming the field, never the value).
   */
  resendSecrets?: boolean;
  /** Targets planned at once (default 4); each reads within its own provider limits. */
  targetConcurrency?: number;
  /** Reads in flight at once per target while planning (default 8; rate limits still apply). */
  readConcurrency?: number;
  signal?: AbortSignal;
}

/** What the plan knows of a spec bus on one target. */
export type BusState =
  | { state: 'live'; id: string; changing: boolean }
  /** `name`: the name the provider will give it (its item's, overrides applied). */
  | { state: 'new'; name: string }
  | { state: 'unsupported' }
  | { state: 'error'; error: PolybusError };

/** One target's planning: what each kind's pass reads and adds to. */
export interface TargetPlanning {
  target: string;
  provider: EventProvider;
  options: PlanOptions;
  /** Passed to every read: the signal of the options, if any. */
  signal: { signal?: AbortSignal };
  /** Reads in flight at once. */
  readLimit: number;
  /** The items planned so far, in plan order. */
  out: PlanItem[];
  /** What the plan knows of each spec bus, by spec name. */
  buses: Map<string, BusState>;
  /** The items planned so far, by key. */
  byKey: Map<string, PlanItem>;
  /** Child lists that could not be read, by spec bus name: such a bus is never deleted. */
  unreadChildren: Map<string, { kind: ResourceKind; error: PolybusError }[]>;
  /** Live children the spec does not name, by spec bus name (destroy): such a bus is not deleted. */
  unnamedChildren: Map<string, { kind: ResourceKind; ids: string[] }[]>;
}

/** A spec item as one target sees it, with the raw item it comes from. */
export interface TargetItem {
  raw: SpecItem;
  item: Omit<SpecItem, 'overrides' | 'providers'>;
}

/** A planned item carrying the live resource it was matched to, until the diff takes it. */
export type WithLive = PlanItem & { live?: Resource };

/** The identity of a spec item on one target: kind, parent bus (if any) and name. */
export function itemKey(target: string, kind: ResourceKind, name: string, bus?: string): string {
  return bus === undefined ? `${target}/${kind}/${name}` : `${target}/${kind}/${bus}/${name}`;
}

/** The create input of a spec item for one provider; `null` (from an override) unsets a field. */
export function inputOf(item: Omit<SpecItem, 'overrides' | 'providers'>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined && v !== null));
}

/** Fails one item: its live state (or its parent's) could not be read, `why` says which. */
export function failItem(plan: PlanItem, error: PolybusError, why: string): void {
  plan.action = 'error';
  plan.error = error.toJSON();
  plan.reason = `${why}: ${error.code}: ${error.message}`;
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

/**
 * The items whose intent cannot be carried out on their target: `blocked` ones (a delete the
 * provider refuses, a name taken elsewhere) and `unsupported` ones that lose something (a route,
 * filter, target or setting the provider cannot express, a child of an unsupported bus). Apply
 * leaves them as they are, and the CLI exits 4 for them unless `--allow-unsupported` is given;
 * a spec that means it scopes them away (`providers:` on the item).
 */
export function unmetItems(plan: Plan): PlanItem[] {
  return plan.items.filter((i) => i.action === 'blocked' || (i.action === 'unsupported' && !i.informational));
}

/** True when applying would change something. */
export function hasChanges(plan: Plan): boolean {
  return plan.items.some(
    (i) => i.action === 'create' || i.action === 'update' || i.action === 'replace' || i.action === 'delete',
  );
}
