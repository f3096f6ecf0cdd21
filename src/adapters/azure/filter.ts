/**
 * The Azure Event Grid event subscription filter as the service takes it (`includedEventTypes`,
 * `subjectBeginsWith`/`subjectEndsWith` with `isSubjectCaseSensitive`, `advancedFilters[]`), its
 * documented rules and limits, and the one evaluator of it (the emulator routes with it, `polybus
 * filter test` and the property test compare it with the neutral evaluator). Pure: no network.
 *
 * Sources: "Understand event filtering for Event Grid subscriptions" (operators, AND between
 * advanced filters, OR between the values of one, NOT operators AND over their values, string
 * comparisons not case-sensitive, `enableAdvancedFilteringOnArrays`), "Event Grid quotas and
 * limits" (25 advanced filters and 25 filter values across them per subscription, 512
 * characters per string value), and the `@azure/arm-eventgrid` models (`EventSubscriptionFilter`,
 * `AdvancedFilterUnion`, field names).
 */
import type { MatchResult } from '../../core/model/filter.js';

/** Operators taking `values: string[]`. */
export const STRING_OPERATORS = [
  'StringIn',
  'StringNotIn',
  'StringBeginsWith',
  'StringNotBeginsWith',
  'StringEndsWith',
  'StringNotEndsWith',
  'StringContains',
  'StringNotContains',
] as const;
/** Operators taking `values: number[]`. */
export const NUMBER_LIST_OPERATORS = ['NumberIn', 'NumberNotIn'] as const;
/** Operators taking `value: number`. */
export const NUMBER_OPERATORS = [
  'NumberLessThan',
  'NumberLessThanOrEquals',
  'NumberGreaterThan',
  'NumberGreaterThanOrEquals',
] as const;
/** Operators taking `values: [low, high][]`. */
export const RANGE_OPERATORS = ['NumberInRange', 'NumberNotInRange'] as const;
/** Operators without a value. */
export const NULL_OPERATORS = ['IsNullOrUndefined', 'IsNotNull'] as const;
/** Every advanced filter operator (`operatorType`). */
export const ADVANCED_OPERATORS = [
  ...STRING_OPERATORS,
  ...NUMBER_LIST_OPERATORS,
  ...NUMBER_OPERATORS,
  ...RANGE_OPERATORS,
  'BoolEquals',
  ...NULL_OPERATORS,
] as const;
/** One `operatorType`. */
export type AdvancedOperator = (typeof ADVANCED_OPERATORS)[number];

/** One advanced filter: `{ operatorType, key, values | value }`. */
export interface AzureAdvancedFilter {
  operatorType: AdvancedOperator;
  key: string;
  values?: unknown[];
  value?: unknown;
}

/** `properties.filter` of an event subscription. */
export interface AzureFilter {
  includedEventTypes?: string[];
  subjectBeginsWith?: string;
  subjectEndsWith?: string;
  isSubjectCaseSensitive?: boolean;
  enableAdvancedFilteringOnArrays?: boolean;
  advancedFilters?: AzureAdvancedFilter[];
}

/** The documented limits of one subscription's filter. */
export const AZURE_FILTER_LIMITS = {
  maxAdvancedFilters: 25,
  maxValues: 25,
  maxStringLength: 512,
  source:
    'Event Grid quotas and limits: 25 advanced filters and 25 filter values across them per subscription; 512 characters per string value',
};

const FILTER_KEYS = [
  'includedEventTypes',
  'subjectBeginsWith',
  'subjectEndsWith',
  'isSubjectCaseSensitive',
  'enableAdvancedFilteringOnArrays',
  'advancedFilters',
];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (list: readonly string[], op: string) => list.includes(op);

/** Why one advanced filter is malformed (empty when it is well formed). */
function advancedProblems(f: unknown, at: string): string[] {
  if (!isRecord(f) || typeof f.operatorType !== 'string' || typeof f.key !== 'string' || !f.key)
    return [`${at}: an advanced filter is { operatorType, key, values | value }`];
  const op = f.operatorType;
  const L = AZURE_FILTER_LIMITS;
  const list = (test: (v: unknown) => boolean, shape: string) =>
    Array.isArray(f.values) && f.values.length > 0 && f.values.every(test)
      ? []
      : [`${at}: ${op} takes values: ${shape}`];
  if (has(STRING_OPERATORS, op)) {
    const shape = list((v) => typeof v === 'string', 'a non-empty string[]');
    if (shape.length) return shape;
    const long = (f.values as string[]).find((v) => v.length > L.maxStringLength);
    return long !== undefined
      ? [`${at}: a string value has at most ${L.maxStringLength} characters (${L.source})`]
      : [];
  }
  if (has(NUMBER_LIST_OPERATORS, op)) return list((v) => typeof v === 'number', 'a non-empty number[]');
  if (has(RANGE_OPERATORS, op))
    return list(
      (r) =>
        Array.isArray(r) &&
        r.length === 2 &&
        r.every((n) => typeof n === 'number') &&
        Number(r[0]) <= Number(r[1]),
      '[low, high] number pairs',
    );
  if (has(NUMBER_OPERATORS, op))
    return typeof f.value === 'number' ? [] : [`${at}: ${op} takes value: a number`];
  if (op === 'BoolEquals')
    return typeof f.value === 'boolean' ? [] : [`${at}: BoolEquals takes value: a boolean`];
  if (has(NULL_OPERATORS, op))
    return f.value === undefined && f.values === undefined ? [] : [`${at}: ${op} takes no value`];
  return [`${at}: unknown operatorType \`${op}\` (one of ${ADVANCED_OPERATORS.join(', ')})`];
}

/** How many values a filter counts towards the 25 (a single `value` counts one). */
const valueCount = (f: AzureAdvancedFilter) => (f.values ? f.values.length : f.value !== undefined ? 1 : 0);

/** Every reason a filter breaks the documented rules and limits; empty when it is valid. */
export function validateAzureFilter(filter: unknown): string[] {
  if (!isRecord(filter)) return ['filter must be a JSON object'];
  const out: string[] = [];
  for (const k of Object.keys(filter))
    if (!FILTER_KEYS.includes(k)) out.push(`filter.${k}: unknown field (one of ${FILTER_KEYS.join(', ')})`);
  const types = filter.includedEventTypes;
  if (types !== undefined && (!Array.isArray(types) || !types.every((t) => typeof t === 'string')))
    out.push('filter.includedEventTypes is a string[]');
  for (const k of ['subjectBeginsWith', 'subjectEndsWith'])
    if (filter[k] !== undefined && typeof filter[k] !== 'string') out.push(`filter.${k} is a string`);
  for (const k of ['isSubjectCaseSensitive', 'enableAdvancedFilteringOnArrays'])
    if (filter[k] !== undefined && typeof filter[k] !== 'boolean') out.push(`filter.${k} is a boolean`);
  const adv = filter.advancedFilters;
  if (adv === undefined) return out;
  if (!Array.isArray(adv)) return [...out, 'filter.advancedFilters is an array'];
  const L = AZURE_FILTER_LIMITS;
  if (adv.length > L.maxAdvancedFilters)
    out.push(
      `filter.advancedFilters: at most ${L.maxAdvancedFilters} advanced filters, got ${adv.length} (${L.source})`,
    );
  adv.forEach((f, i) => out.push(...advancedProblems(f, `filter.advancedFilters[${i}]`)));
  if (!out.length) {
    const values = (adv as AzureAdvancedFilter[]).reduce((n, f) => n + valueCount(f), 0);
    if (values > L.maxValues)
      out.push(
        `filter.advancedFilters: at most ${L.maxValues} values across all advanced filters, got ${values} (${L.source})`,
      );
  }
  return out;
}

/**
 * The value a key names in a CloudEvent (keys are the CloudEvents attribute names or `data.a.b`);
 * undefined when absent. Keys compare as Event Grid documents them: the attribute name itself.
 */
export function azureValueAt(event: Record<string, unknown>, key: string): unknown {
  if (!key.startsWith('data.')) return Object.hasOwn(event, key) ? event[key] : undefined;
  let cur: unknown = event.data;
  for (const seg of key.slice(5).split('.')) {
    if (!isRecord(cur) || !Object.hasOwn(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

const lower = (s: string) => s.toLowerCase();
/** String tests, not case-sensitive as documented; a string operator holds only on a string value. */
const STRING_TESTS: Record<string, (actual: string, expected: string) => boolean> = {
  In: (a, e) => lower(a) === lower(e),
  BeginsWith: (a, e) => lower(a).startsWith(lower(e)),
  EndsWith: (a, e) => lower(a).endsWith(lower(e)),
  Contains: (a, e) => lower(a).includes(lower(e)),
};

/** A positive operator's test on one (non-array) value. */
function positiveHolds(f: AzureAdvancedFilter, v: unknown): boolean {
  const op = f.operatorType;
  if (op.startsWith('String')) {
    const test = STRING_TESTS[op.replace(/^StringNot|^String/, '')]!;
    return typeof v === 'string' && (f.values as string[]).some((e) => test(v, e));
  }
  if (typeof v !== 'number') return op === 'BoolEquals' ? v === f.value : false;
  const n = Number(f.value);
  switch (op.replace('NumberNot', 'Number')) {
    case 'NumberIn':
      return (f.values as number[]).includes(v);
    case 'NumberInRange':
      return (f.values as number[][]).some(([lo, hi]) => v >= lo! && v <= hi!);
    case 'NumberLessThan':
      return v < n;
    case 'NumberLessThanOrEquals':
      return v <= n;
    case 'NumberGreaterThan':
      return v > n;
    case 'NumberGreaterThanOrEquals':
      return v >= n;
    default:
      return false;
  }
}

/**
 * One advanced filter on an event. A NOT operator holds when no value matches (its values AND).
 * An array value fails every operator unless `enableAdvancedFilteringOnArrays`, then a positive
 * operator holds when one element does and a NOT operator when every element does. On an absent
 * key the emulator lets a NOT operator hold; polybus's translations never depend on that reading
 * (they refuse `not` on an attribute an event may lack).
 */
export function advancedFilterHolds(
  f: AzureAdvancedFilter,
  event: Record<string, unknown>,
  arrays: boolean,
): boolean {
  const v = azureValueAt(event, f.key);
  if (f.operatorType === 'IsNullOrUndefined') return v === undefined || v === null;
  if (f.operatorType === 'IsNotNull') return v !== undefined && v !== null;
  const negated = f.operatorType.includes('Not');
  if (v === undefined || v === null) return negated;
  if (Array.isArray(v)) {
    if (!arrays) return false;
    return negated ? v.every((x) => !positiveHolds(f, x)) : v.some((x) => positiveHolds(f, x));
  }
  return negated ? !positiveHolds(f, v) : positiveHolds(f, v);
}

/** Evaluates a (valid) filter on a CloudEvent: every part must hold. */
export function matchesAzureFilter(filter: AzureFilter, event: Record<string, unknown>): MatchResult {
  const type = typeof event.type === 'string' ? event.type : '';
  if (filter.includedEventTypes && !filter.includedEventTypes.some((t) => lower(t) === lower(type)))
    return { matched: false, reason: `type ${JSON.stringify(type)} is not in includedEventTypes` };
  const subject = typeof event.subject === 'string' ? event.subject : undefined;
  const cs = filter.isSubjectCaseSensitive === true;
  const norm = (s: string) => (cs ? s : lower(s));
  if (filter.subjectBeginsWith) {
    if (subject === undefined || !norm(subject).startsWith(norm(filter.subjectBeginsWith)))
      return {
        matched: false,
        reason: `subject does not begin with ${JSON.stringify(filter.subjectBeginsWith)}`,
      };
  }
  if (filter.subjectEndsWith) {
    if (subject === undefined || !norm(subject).endsWith(norm(filter.subjectEndsWith)))
      return {
        matched: false,
        reason: `subject does not end with ${JSON.stringify(filter.subjectEndsWith)}`,
      };
  }
  for (const f of filter.advancedFilters ?? [])
    if (!advancedFilterHolds(f, event, filter.enableAdvancedFilteringOnArrays === true))
      return {
        matched: false,
        reason: `${f.operatorType} ${f.key} ${JSON.stringify(f.values ?? f.value ?? null)} fails (${f.key} is ${JSON.stringify(azureValueAt(event, f.key)) ?? 'absent'})`,
      };
  return { matched: true, reason: 'every part of the filter holds' };
}
