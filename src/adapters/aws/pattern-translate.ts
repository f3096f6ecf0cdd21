/**
 * Neutral filter <-> EventBridge event pattern, exact or refused, over the mapping `publish` uses:
 * `source -> source`, `type -> detail-type`, `subject -> resources` (Resources[0]),
 * `data.<path> -> detail.<path>`. The filter becomes a disjunction of conjunctions (a `$or` of
 * sub-patterns when there is more than one); a neutral `not` on a field an event may lack is
 * `$or: [{f: [{exists: false}]}, {f: [{anything-but: ...}]}]`, the documented way to say "absent
 * or different". The reading back undoes exactly that construction, so a route polybus wrote
 * reads back as the same neutral filter.
 */
import {
  canonicalFilter,
  describeLiteral,
  type Filter,
  type Literal,
  negationNormalForm,
  comparisonOf,
} from '../../core/model/filter.js';
import { accepted, refused, type Translation } from '../../core/model/routing.js';
import type { EventPattern } from './pattern.js';

/** Most `$or` alternatives polybus writes (EventBridge limits a pattern's combinations). */
export const MAX_ALTERNATIVES = 64;

/** A neutral attribute's place in an EventBridge event, and whether every event has it. */
interface Place {
  path: string[];
  always: boolean;
}

/** Where a neutral attribute is in the event `publish` sends, or why it is nowhere. */
function placeOf(attr: string): Place | string {
  if (attr === 'source') return { path: ['source'], always: true };
  if (attr === 'type') return { path: ['detail-type'], always: true };
  if (attr === 'subject') return { path: ['resources'], always: false };
  if (attr.startsWith('data.')) return { path: ['detail', ...attr.slice(5).split('.')], always: false };
  return `\`${attr}\` has no place in an EventBridge event (publish maps source, type -> detail-type, subject -> resources, data -> detail; EventBridge assigns its own id and time, and a PutEvents entry has no field for extensions)`;
}

/** One conjunction: a leaf path (dot-joined) -> its list of alternatives (OR). */
type Conj = Map<string, unknown[]>;

const key = (path: string[]) => path.join('.');
const positive = (l: Literal): unknown => (l.dialect === 'exact' ? l.value : { [l.dialect]: l.value });
const negative = (l: Literal): unknown => ({
  'anything-but': l.dialect === 'exact' ? l.value : { [l.dialect]: l.value },
});
const isExists = (m: unknown) => typeof m === 'object' && m !== null && 'exists' in m;
const isAnythingBut = (m: unknown) => typeof m === 'object' && m !== null && 'anything-but' in m;
const EXISTS_FALSE = [{ exists: false }];

/** The conjunctions of one literal. */
function literalConjs(l: Literal): Translation<Conj[]> {
  const place = placeOf(l.attr);
  if (typeof place === 'string') return refused(`${describeLiteral(l)}: ${place}`);
  if (l.attr === 'subject' && l.value === '')
    return refused(
      `${describeLiteral(l)}: publish sends no Resources for an empty subject, so an empty subject cannot be told from none`,
    );
  const k = key(place.path);
  if (!l.negated) return accepted([new Map([[k, [positive(l)]]])]);
  if (place.always) return accepted([new Map([[k, [negative(l)]]])]);
  return accepted([new Map([[k, EXISTS_FALSE]]), new Map([[k, [negative(l)]]])]);
}

const isAnythingButValue = (m: unknown) =>
  typeof m === 'object' && m !== null && typeof (m as Record<string, unknown>)['anything-but'] === 'string';

/**
 * Both lists of alternatives at one path holding (AND), as one list; `null` when nothing can hold
 * both (the conjunction is dropped: it matches no event), a string when it cannot be said exactly.
 */
function intersect(path: string, a: unknown[], b: unknown[]): unknown[] | null | string {
  const ka = JSON.stringify(a);
  if (ka === JSON.stringify(b)) return a;
  const absentA = a.some(isExists);
  const absentB = b.some(isExists);
  if (absentA || absentB) return null; // absent and present at once
  const anythingButs = (l: unknown[]) => l.length === 1 && isAnythingButValue(l[0]);
  const abValues = (l: unknown[]) => {
    const v = (l[0] as Record<string, unknown>)['anything-but'];
    return Array.isArray(v) ? v : [v];
  };
  const abList = (l: unknown[]) =>
    l.length === 1 &&
    typeof l[0] === 'object' &&
    l[0] !== null &&
    Array.isArray((l[0] as Record<string, unknown>)['anything-but']);
  if ((anythingButs(a) || abList(a)) && (anythingButs(b) || abList(b)))
    return [{ 'anything-but': [...new Set([...abValues(a), ...abValues(b)])].sort() }];
  // A field that holds one value (source, detail-type, resources = the subject) may be narrowed
  // value by value; a data field may be an array, whose elements need not be the same one.
  const single = ['source', 'detail-type', 'resources'].includes(path);
  const strings = (l: unknown[]) => l.every((x) => typeof x === 'string');
  if (single && (strings(a) || strings(b))) {
    const [values, other] = strings(a) ? [a, b] : [b, a];
    const kept = values.filter((v) => matchesAny(other, v as string));
    return kept.length ? kept : null;
  }
  return `conditions on \`${path}\` that must all hold (${JSON.stringify(a)} and ${JSON.stringify(b)}): an EventBridge field takes one list of alternatives (OR)${single ? '' : ', and a data field may be an array whose elements need not be the same'}`;
}

/** Whether string `v` meets one of the alternatives (only polybus's own forms occur here). */
function matchesAny(alts: unknown[], v: string): boolean {
  return alts.some((m) => {
    if (typeof m === 'string') return m === v;
    const [k, x] = Object.entries(m as Record<string, unknown>)[0]!;
    if (k === 'prefix') return v.startsWith(String(x));
    if (k === 'suffix') return v.endsWith(String(x));
    if (k === 'anything-but') {
      if (Array.isArray(x)) return !x.includes(v);
      if (typeof x === 'string') return v !== x;
      const [ik, y] = Object.entries(x as Record<string, string>)[0]!;
      return ik === 'prefix' ? !v.startsWith(y) : !v.endsWith(y);
    }
    return false;
  });
}

/** The AND of two conjunctions. */
function andConj(a: Conj, b: Conj): Conj | null | string {
  const out = new Map(a);
  for (const [p, alts] of b) {
    const have = out.get(p);
    if (!have) {
      out.set(p, alts);
      continue;
    }
    const both = intersect(p, have, alts);
    if (both === null || typeof both === 'string') return both;
    out.set(p, both);
  }
  return out;
}

/** Merges alternatives that are each one field at the same path (its list of values is an OR). */
function mergeAlternatives(conjs: Conj[]): Conj[] {
  const out: Conj[] = [];
  const byPath = new Map<string, Conj>();
  for (const c of conjs) {
    const [only] = c.size === 1 ? [...c] : [];
    if (only && !only[1].some(isExists)) {
      const seen = byPath.get(only[0]);
      if (seen) {
        const merged = [...seen.get(only[0])!, ...only[1]];
        seen.set(only[0], [...new Map(merged.map((m) => [JSON.stringify(m), m])).values()]);
        continue;
      }
      const copy: Conj = new Map([only]);
      byPath.set(only[0], copy);
      out.push(copy);
    } else out.push(c);
  }
  const seen = new Set<string>();
  return out.filter((c) => {
    const k = JSON.stringify([...c].sort(([x], [y]) => (x < y ? -1 : 1)));
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** The conjunctions of a filter in negation normal form. */
function conjsOf(f: Filter): Translation<Conj[]> {
  const neg = 'not' in f;
  const cmp = comparisonOf(neg ? (f as { not: Filter }).not : f);
  if (cmp) return literalConjs({ negated: neg, ...cmp });
  const members = ('all' in f ? f.all : (f as { any: Filter[] }).any).map(conjsOf);
  const reasons = members.flatMap((m) => (m.ok ? [] : m.reasons));
  if (reasons.length) return refused(...reasons);
  const lists = members.map((m) => (m as { native: Conj[] }).native);
  if ('any' in f) return accepted(mergeAlternatives(lists.flat()));
  let acc: Conj[] = [new Map()];
  for (const list of lists) {
    const next: Conj[] = [];
    for (const a of acc)
      for (const b of list) {
        const c = andConj(a, b);
        if (typeof c === 'string') return refused(c);
        if (c) next.push(c);
      }
    acc = mergeAlternatives(next);
    if (acc.length > MAX_ALTERNATIVES)
      return refused(`the filter expands to more than ${MAX_ALTERNATIVES} $or alternatives`);
  }
  return accepted(acc);
}

/** One conjunction as a (sub-)pattern object, or why a field and a field nested in it clash. */
function patternOf(c: Conj): EventPattern | string {
  const out: EventPattern = {};
  for (const [p, alts] of [...c].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const path = p.split('.');
    let node = out;
    for (const seg of path.slice(0, -1)) {
      const next = node[seg];
      if (Array.isArray(next)) return `\`${p}\` and a field it is nested in are both filtered`;
      node = (node[seg] ??= {}) as EventPattern;
    }
    const leaf = path.at(-1)!;
    if (node[leaf] !== undefined) return `\`${p}\` and a field nested in it are both filtered`;
    node[leaf] = alts;
  }
  return out;
}

/** The event pattern that matches exactly the events `filter` matches, or why there is none. */
export function eventPatternFromFilter(filter: Filter): Translation<EventPattern> {
  const conjs = conjsOf(negationNormalForm(canonicalFilter(filter)));
  if (!conjs.ok) return refused(...conjs.reasons.map((r) => `EventBridge event pattern: ${r}`));
  if (!conjs.native.length) return refused('EventBridge event pattern: the filter matches no event');
  if (conjs.native.some((c) => c.size === 0))
    return refused('EventBridge event pattern: the filter matches every event; a pattern must name a field');
  const subs = conjs.native.map(patternOf);
  const bad = subs.find((s) => typeof s === 'string');
  if (bad) return refused(`EventBridge event pattern: ${bad}`);
  const patterns = subs as EventPattern[];
  return accepted(patterns.length === 1 ? patterns[0]! : { $or: patterns });
}

const NEUTRAL_OF: Record<string, string> = { source: 'source', 'detail-type': 'type', resources: 'subject' };
const attrOf = (path: string) =>
  NEUTRAL_OF[path] ?? (path.startsWith('detail.') ? `data.${path.slice(7)}` : undefined);

/** A neutral atom of one field's list, keyed for comparisons. */
type Atom = { k: string; f: Filter };

/** The neutral reading of an anything-but operand on `attr`, or undefined. */
function notOf(attr: string, x: unknown): Filter | undefined {
  if (typeof x === 'string') return { not: { exact: { [attr]: x } } };
  if (Array.isArray(x) && x.length && x.every((s) => typeof s === 'string'))
    return canonicalFilter({ all: x.map((s: string) => ({ not: { exact: { [attr]: s } } })) });
  if (x && typeof x === 'object' && Object.keys(x).length === 1) {
    const [k, y] = Object.entries(x)[0]!;
    if ((k === 'prefix' || k === 'suffix') && typeof y === 'string' && y)
      return { not: { [k]: { [attr]: y } } as Filter };
  }
  return undefined;
}

/** The neutral reading of one leaf list on a field that every event has, or undefined. */
function leafFilter(attr: string, alts: unknown[], always: boolean): Filter | undefined {
  const lits = alts.map((m): Filter | undefined => {
    if (typeof m === 'string') return { exact: { [attr]: m } };
    if (!m || typeof m !== 'object' || Object.keys(m).length !== 1) return undefined;
    const [k, x] = Object.entries(m)[0]!;
    if (k === 'anything-but') return always ? notOf(attr, x) : undefined;
    if ((k === 'prefix' || k === 'suffix') && typeof x === 'string' && x)
      return { [k]: { [attr]: x } } as Filter;
    return undefined;
  });
  if (lits.some((l) => !l)) return undefined;
  return canonicalFilter({ any: lits as Filter[] });
}

/** A flat list of conjunctions (leaf path -> alternatives) of a pattern, or undefined. */
function flatten(pattern: EventPattern): Conj[] | undefined {
  const top = Object.keys(pattern);
  const subs = top.length === 1 && Array.isArray(pattern.$or) ? (pattern.$or as EventPattern[]) : [pattern];
  const out: Conj[] = [];
  for (const sub of subs) {
    const c: Conj = new Map();
    const walk = (node: EventPattern, path: string[]): boolean =>
      Object.entries(node).every(([k, v]) => {
        if (k === '$or') return false;
        if (Array.isArray(v)) return (c.set(key([...path, k]), v), true);
        return v !== null && typeof v === 'object' && walk(v as EventPattern, [...path, k]);
      });
    if (!walk(sub, [])) return undefined;
    out.push(c);
  }
  return out;
}

/**
 * The neutral filter of a pattern this module could have written (and any pattern of the same
 * forms), or undefined when it has no exact neutral reading: it then reads back as the native
 * `extensions.aws.EventPattern`.
 */
export function filterFromEventPattern(pattern: EventPattern): Filter | undefined {
  const conjs = flatten(pattern);
  if (!conjs) return undefined;
  // Each alternative: atoms (neutral literals per field) plus raw leaves still to pair.
  type Alt = { atoms: Map<string, Atom>; raw: Map<string, unknown[]> };
  let alts: Alt[] = [];
  for (const c of conjs) {
    const alt: Alt = { atoms: new Map(), raw: new Map() };
    for (const [p, list] of c) {
      const attr = attrOf(p);
      if (!attr) return undefined;
      const always = p === 'source' || p === 'detail-type';
      const f = list.some(isExists) ? undefined : leafFilter(attr, list, always);
      if (f) alt.atoms.set(p, { k: JSON.stringify(f), f });
      else alt.raw.set(p, list);
    }
    alts.push(alt);
  }
  // Pair {p: [exists:false]} with {p: [anything-but X]} when everything else is the same.
  const sig = (a: Alt, skip: string) =>
    JSON.stringify([
      [...a.atoms]
        .filter(([p]) => p !== skip)
        .map(([p, x]) => [p, x.k])
        .sort(),
      [...a.raw]
        .filter(([p]) => p !== skip)
        .map(([p, x]) => [p, JSON.stringify(x)])
        .sort(),
    ]);
  for (let changed = true; changed;) {
    changed = false;
    outer: for (let i = 0; i < alts.length; i++)
      for (const [p, list] of alts[i]!.raw) {
        if (JSON.stringify(list) !== JSON.stringify(EXISTS_FALSE)) continue;
        const s = sig(alts[i]!, p);
        const j = alts.findIndex((b, n) => {
          const l = b.raw.get(p);
          return n !== i && l !== undefined && l.some(isAnythingBut) && sig(b, p) === s;
        });
        if (j < 0) continue;
        // absent, or one of the alternatives (at least one anything-but, which the neutral `not`
        // reads as "absent or different"): the neutral reading of the list alone
        const f = leafFilter(attrOf(p)!, alts[j]!.raw.get(p)!, true);
        if (!f) return undefined;
        const merged: Alt = { atoms: new Map(alts[i]!.atoms), raw: new Map(alts[i]!.raw) };
        merged.raw.delete(p);
        merged.atoms.set(p, { k: JSON.stringify(f), f });
        alts = alts.filter((_, n) => n !== i && n !== j);
        alts.push(merged);
        changed = true;
        break outer;
      }
  }
  if (alts.some((a) => a.raw.size)) return undefined;
  return factor(alts.map((a) => [...a.atoms.values()]));
}

/** any(all(atoms)...) with the atoms every alternative shares taken out: all(shared, any(rest...)). */
function factor(alts: Atom[][]): Filter {
  if (alts.length === 1) return canonicalFilter({ all: alts[0]!.map((a) => a.f) });
  const shared = alts[0]!.filter((a) => alts.every((b) => b.some((x) => x.k === a.k)));
  const rests = alts.map((b) => b.filter((x) => !shared.some((s) => s.k === x.k)));
  const restFilters = rests.some((r) => r.length === 0)
    ? []
    : [{ any: rests.map((r) => (r.length === 1 ? r[0]!.f : factor([r]))) }];
  return canonicalFilter({ all: [...shared.map((s) => s.f), ...restFilters] } as Filter);
}

/**
 * The EventBridge event a CloudEvent becomes through `publish` (PutEvents: Source, DetailType,
 * Detail, Resources = [subject] when there is one) as a rule's pattern sees it; EventBridge adds
 * its own `id`, `time`, `account`, `region` and `version`.
 */
export function eventBridgeEventOf(ce: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    source: ce.source,
    'detail-type': ce.type,
    resources: typeof ce.subject === 'string' && ce.subject ? [ce.subject] : [],
    detail: ce.data ?? {},
  };
}
