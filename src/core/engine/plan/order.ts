/**
 * The order phase: kinds are planned parents first, and each item names the items it waits for
 * (its bus, and for an integration the source its filter requires), which apply turns into steps.
 */
import { canonicalFilter, comparisonOf } from '../../model/filter.js';
import type { ResourceKind } from '../../model/resources.js';
import { nativeFilterIn } from '../../model/routing.js';
import { filterOf } from './diff.js';
import { itemKey, type TargetPlanning } from './model.js';

/** Kinds in the order they are planned: a bus before what it holds, a source before what routes from it. */
export const KIND_ORDER: ResourceKind[] = ['bus', 'source', 'connection', 'integration'];

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

/**
 * Keys of the items planned so far that an item of `kind` on bus `busRef` waits for: its bus,
 * and for an integration the source its filter (neutral or native) requires, unless that source
 * is unsupported here.
 */
export function dependenciesOf(
  ctx: TargetPlanning,
  kind: ResourceKind,
  desired: Record<string, unknown>,
  busRef: string | undefined,
): string[] {
  const { target, provider, byKey } = ctx;
  const deps: string[] = [];
  if (busRef !== undefined) {
    const parent = itemKey(target, 'bus', busRef);
    if (byKey.has(parent)) deps.push(parent);
  }
  if (kind === 'integration' && busRef !== undefined) {
    const hatch = provider.nativeFilter;
    const native = hatch ? nativeFilterIn(desired, provider.name, hatch.field) : undefined;
    const source =
      requiredSource(desired.filter) ?? (native !== undefined ? hatch?.requiredSource?.(native) : undefined);
    const src = itemKey(target, 'source', String(source), busRef);
    if (byKey.get(src) && byKey.get(src)?.action !== 'unsupported') deps.push(src);
  }
  return deps;
}
