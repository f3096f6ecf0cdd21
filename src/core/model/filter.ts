/**
 * The neutral filter language (CloudEvents Subscriptions API dialects plus `data.<path>` fields),
 * its zod schema, canonical form and the one local evaluator. It names no provider and must never
 * widen or reinterpret a condition: adapters translate from here, exactly or not at all.
 */
import { z } from 'zod';

/** The dialects of the CloudEvents Subscriptions API that polybus supports (`sql` is out of scope). */
export const FILTER_DIALECTS = ['exact', 'prefix', 'suffix', 'all', 'any', 'not'] as const;
/** One of {@link FILTER_DIALECTS}. */
export type FilterDialect = (typeof FILTER_DIALECTS)[number];
/** The dialects that compare one attribute with a string. */
export const STRING_DIALECTS = ['exact', 'prefix', 'suffix'] as const;
/** One of {@link STRING_DIALECTS}. */
export type StringDialect = (typeof STRING_DIALECTS)[number];

/**
 * A filter expression. `exact`/`prefix`/`suffix` name exactly one attribute: a CloudEvents context
 * attribute (`source`, `type`, `subject`, `id`, an extension name) or a `data.<path>` field.
 */
export type Filter =
  | { exact: Record<string, string> }
  | { prefix: Record<string, string> }
  | { suffix: Record<string, string> }
  | { all: Filter[] }
  | { any: Filter[] }
  | { not: Filter };

/** The CloudEvents attributes every event carries (spec 1.0 REQUIRED): always present. */
export const REQUIRED_ATTRIBUTES = ['id', 'source', 'specversion', 'type'] as const;

/** CloudEvents attribute names: lower-case letters and digits, at most 20 characters (spec 1.0). */
const ATTRIBUTE_NAME = /^[a-z0-9]{1,20}$/;
/** A data field: `data.` then one or more dot-separated, non-empty segments. */
const DATA_PATH = /^data(\.[^.\s]+)+$/;

/** A CloudEvent as the evaluators read it (JSON format: extensions are top-level members). */
export interface CloudEventLike {
  id: string;
  source: string;
  specversion: string;
  type: string;
  subject?: string;
  data?: unknown;
  [extension: string]: unknown;
}

/** A CloudEvent in JSON form: the four required attributes are non-empty strings. */
export const CloudEventSchema = z.looseObject({
  id: z.string().min(1, 'id is required (CloudEvents 1.0)'),
  source: z.string().min(1, 'source is required (CloudEvents 1.0)'),
  specversion: z.string().min(1, 'specversion is required (CloudEvents 1.0)'),
  type: z.string().min(1, 'type is required (CloudEvents 1.0)'),
  subject: z.string().optional(),
});

/** One problem in a filter: where (path from the filter root) and which rule. */
export interface FilterIssue {
  path: (string | number)[];
  message: string;
}

/** Why an attribute name is not usable in a filter, or undefined when it is. */
export function attributeProblem(attr: string): string | undefined {
  if (attr === 'data')
    return 'the attribute `data` cannot be compared as a string: name a field, `data.<path>`';
  if (attr.startsWith('data.'))
    return DATA_PATH.test(attr)
      ? undefined
      : `\`${attr}\` is not a data path: use data.a.b (non-empty segments)`;
  return ATTRIBUTE_NAME.test(attr)
    ? undefined
    : `\`${attr}\` is not a CloudEvents attribute name (lower-case letters and digits, at most 20) nor a data.<path>`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every problem of a candidate filter, each with its path; empty when the value is a valid {@link Filter}. */
export function filterIssues(value: unknown, path: (string | number)[] = []): FilterIssue[] {
  if (!isRecord(value))
    return [
      { path, message: `a filter expression is an object with one dialect: ${FILTER_DIALECTS.join(', ')}` },
    ];
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    return [
      {
        path,
        message: keys.length
          ? `a filter expression has exactly one dialect, found ${keys.map((k) => `\`${k}\``).join(', ')}`
          : `empty filter expression: use one of ${FILTER_DIALECTS.join(', ')}`,
      },
    ];
  }
  const dialect = keys[0]!;
  const body = value[dialect];
  const at = [...path, dialect];
  if ((STRING_DIALECTS as readonly string[]).includes(dialect)) {
    if (!isRecord(body) || Object.keys(body).length !== 1)
      return [
        { path: at, message: `${dialect} names exactly one attribute: { ${dialect}: { type: "..." } }` },
      ];
    const [attr, expected] = Object.entries(body)[0]!;
    const problem = attributeProblem(attr);
    if (problem) return [{ path: [...at, attr], message: problem }];
    if (typeof expected !== 'string')
      return [{ path: [...at, attr], message: `${dialect} compares with a string` }];
    if (dialect !== 'exact' && expected === '')
      return [{ path: [...at, attr], message: `${dialect} needs a non-empty string` }];
    return [];
  }
  if (dialect === 'all' || dialect === 'any') {
    if (!Array.isArray(body))
      return [{ path: at, message: `${dialect} takes an array of filter expressions` }];
    if (body.length === 0) return [{ path: at, message: `${dialect} must not be empty` }];
    return body.flatMap((member, i) => filterIssues(member, [...at, i]));
  }
  if (dialect === 'not') return filterIssues(body, at);
  const hint = dialect === 'sql' || dialect === 'cesql' ? ' (CloudEvents SQL is not supported)' : '';
  return [
    {
      path: at,
      message: `unknown filter dialect \`${dialect}\`${hint}: use one of ${FILTER_DIALECTS.join(', ')}`,
    },
  ];
}

/** Adds each issue of `value` to a zod refinement context. */
function refineFilter(value: unknown, ctx: z.RefinementCtx, base: (string | number)[] = []): void {
  for (const issue of filterIssues(value))
    ctx.addIssue({ code: 'custom', path: [...base, ...issue.path], message: issue.message });
}

/** A neutral filter expression; errors name the field (`all.1.exact.type`) and the rule. */
export const FilterSchema = z
  .unknown()
  .superRefine((v, ctx) => refineFilter(v, ctx))
  .transform((v) => v as Filter);

/** The legacy spec shorthand `filter: { source: "x" }`, meaning `exact: { source: "x" }`. */
export const LegacySourceFilterSchema = z.strictObject({
  source: z.string().min(1, 'filter.source must be a non-empty string'),
});

/**
 * What a spec may write: `filters: [expr, ...]` (all must hold), the legacy `{ source }`, or one
 * expression. Parses to the canonical {@link Filter}.
 */
export const SpecFilterSchema = z
  .unknown()
  .superRefine((v, ctx) => {
    if (Array.isArray(v)) {
      if (v.length === 0) ctx.addIssue({ code: 'custom', message: 'filters must not be empty' });
      v.forEach((e, i) => refineFilter(e, ctx, [i]));
    } else if (isRecord(v) && 'source' in v) {
      const r = LegacySourceFilterSchema.safeParse(v);
      if (!r.success)
        for (const i of r.error.issues)
          ctx.addIssue({
            code: 'custom',
            path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
            message: i.message,
          });
    } else refineFilter(v, ctx);
  })
  .transform((v) => normalizeFilter(v as Filter[] | Filter | { source: string }));

/** The canonical filter of any spec form: `filters` (AND), the legacy `{ source }`, or one expression. */
export function normalizeFilter(input: Filter[] | Filter | { source: string }): Filter {
  if (Array.isArray(input)) return canonicalFilter({ all: input });
  if ('source' in input && typeof input.source === 'string') return { exact: { source: input.source } };
  return canonicalFilter(input as Filter);
}

/** The dialect of an expression. */
export function dialectOf(f: Filter): FilterDialect {
  return Object.keys(f)[0] as FilterDialect;
}

/** The one attribute and value of an `exact`/`prefix`/`suffix` expression. */
export function comparisonOf(f: Filter): { dialect: StringDialect; attr: string; value: string } | undefined {
  const d = dialectOf(f);
  if (!(STRING_DIALECTS as readonly string[]).includes(d)) return undefined;
  const [attr, value] = Object.entries((f as Record<string, Record<string, string>>)[d]!)[0]!;
  return { dialect: d as StringDialect, attr, value };
}

/**
 * The canonical form: nested `all`/`any` of the same kind flattened, duplicates removed, members
 * sorted, one-member `all`/`any` unwrapped, `not not x` = `x`. Same meaning, one spelling.
 */
export function canonicalFilter(f: Filter): Filter {
  if ('not' in f) {
    const inner = canonicalFilter(f.not);
    return 'not' in inner ? inner.not : { not: inner };
  }
  if ('all' in f || 'any' in f) {
    const kind = 'all' in f ? 'all' : 'any';
    const members = ('all' in f ? f.all : (f as { any: Filter[] }).any).map(canonicalFilter);
    const flat = members.flatMap((m) => (kind in m ? (m as Record<string, Filter[]>)[kind]! : [m]));
    const unique = [...new Map(flat.map((m) => [JSON.stringify(m), m])).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, m]) => m);
    if (unique.length === 1) return unique[0]!;
    return kind === 'all' ? { all: unique } : { any: unique };
  }
  return f;
}

/** A stable string for diffing: equal for filters with the same canonical form. */
export function serializeFilter(f: Filter): string {
  return JSON.stringify(canonicalFilter(f));
}

/** The value an attribute names in an event; undefined when absent. */
export function valueAt(event: CloudEventLike | Record<string, unknown>, attr: string): unknown {
  if (!attr.startsWith('data.')) return Object.hasOwn(event, attr) ? event[attr] : undefined;
  let cur: unknown = (event as { data?: unknown }).data;
  for (const seg of attr.slice(5).split('.')) {
    if (!isRecord(cur) || !Object.hasOwn(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

const STRING_TESTS: Record<StringDialect, (actual: string, expected: string) => boolean> = {
  exact: (a, e) => a === e,
  prefix: (a, e) => a.startsWith(e),
  suffix: (a, e) => a.endsWith(e),
};

/**
 * Whether a string condition holds for a value: a string is compared; an array holds when one of
 * its string elements does; anything else (absent, null, number, object) does not hold.
 */
export function stringConditionHolds(dialect: StringDialect, actual: unknown, expected: string): boolean {
  const test = STRING_TESTS[dialect];
  if (typeof actual === 'string') return test(actual, expected);
  if (Array.isArray(actual)) return actual.some((a) => typeof a === 'string' && test(a, expected));
  return false;
}

/** The outcome of {@link matches}: the reason names the condition that decided it. */
export interface MatchResult {
  matched: boolean;
  reason: string;
}

const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));

/** Evaluates a neutral filter against an event, locally. */
export function matches(filter: Filter, event: CloudEventLike | Record<string, unknown>): MatchResult {
  const cmp = comparisonOf(filter);
  if (cmp) {
    const actual = valueAt(event, cmp.attr);
    const matched = stringConditionHolds(cmp.dialect, actual, cmp.value);
    return {
      matched,
      reason: `${cmp.dialect} ${cmp.attr} ${JSON.stringify(cmp.value)} ${matched ? 'holds' : 'fails'} (${cmp.attr} is ${show(actual)})`,
    };
  }
  if ('not' in filter) {
    const inner = matches(filter.not, event);
    return { matched: !inner.matched, reason: `not: ${inner.reason}` };
  }
  if ('all' in filter) {
    for (const m of filter.all) {
      const r = matches(m, event);
      if (!r.matched) return r;
    }
    return { matched: true, reason: `all ${filter.all.length} conditions hold` };
  }
  const members = (filter as { any: Filter[] }).any;
  const results = members.map((m) => matches(m, event));
  const hit = results.find((r) => r.matched);
  return (
    hit ?? {
      matched: false,
      reason: `none of ${members.length} alternatives holds; first: ${results[0]!.reason}`,
    }
  );
}

/** Pushes `not` down to the comparisons (negation normal form); meaning unchanged. */
export function negationNormalForm(f: Filter, negate = false): Filter {
  if (comparisonOf(f)) return negate ? { not: f } : f;
  if ('not' in f) return negationNormalForm(f.not, !negate);
  const kind = 'all' in f ? 'all' : 'any';
  const members = ('all' in f ? f.all : (f as { any: Filter[] }).any).map((m) =>
    negationNormalForm(m, negate),
  );
  const flipped = negate ? (kind === 'all' ? 'any' : 'all') : kind;
  return flipped === 'all' ? { all: members } : { any: members };
}

/** A comparison or a negated comparison: the leaves of a negation normal form. */
export interface Literal {
  negated: boolean;
  dialect: StringDialect;
  attr: string;
  value: string;
}

/** A conjunction of disjunctions of literals. */
export type Cnf = Literal[][];

/**
 * The filter as an AND of ORs of literals (distributing `any` over `all` where needed). Refuses
 * (returns a reason) when the result would have more than `maxClauses` clauses.
 */
export function conjunctiveNormalForm(
  f: Filter,
  maxClauses = 64,
): { ok: true; cnf: Cnf } | { ok: false; reason: string } {
  const walk = (g: Filter): Cnf | undefined => {
    const neg = 'not' in g;
    const cmp = comparisonOf(neg ? (g as { not: Filter }).not : g);
    if (cmp) return [[{ negated: neg, ...cmp }]];
    if ('all' in g) {
      const parts = g.all.map(walk);
      return parts.some((p) => !p) ? undefined : (parts as Cnf[]).flat();
    }
    let acc: Cnf = [[]];
    for (const m of (g as { any: Filter[] }).any) {
      const part = walk(m);
      if (!part) return undefined;
      acc = acc.flatMap((a) => part.map((c) => [...a, ...c]));
      if (acc.length > maxClauses) return undefined;
    }
    return acc;
  };
  const cnf = walk(negationNormalForm(canonicalFilter(f)));
  if (!cnf || cnf.length > maxClauses)
    return { ok: false, reason: `the filter expands to more than ${maxClauses} AND-ed alternatives` };
  const key = (l: Literal) => JSON.stringify([l.negated, l.dialect, l.attr, l.value]);
  const clauses = cnf.map((c) => [...new Map(c.map((l) => [key(l), l])).values()]);
  return { ok: true, cnf: [...new Map(clauses.map((c) => [c.map(key).sort().join('|'), c])).values()] };
}

/** A literal as neutral text, for reasons: `not prefix type "a."`. */
export function describeLiteral(l: Literal): string {
  return `${l.negated ? 'not ' : ''}${l.dialect} ${l.attr} ${JSON.stringify(l.value)}`;
}
