/**
 * The EventBridge event pattern language: its validator (the documented operators only) and its
 * evaluator, as the EventBridge User Guide describes them ("Event patterns", "Content filtering",
 * "Creating event patterns"): fields at one level AND, the values of a leaf OR, `$or` takes a
 * list of sub-patterns, an array in the event matches when one of its elements does (arrays of
 * objects are looked into), a field named in a pattern must be present except under
 * `exists: false`, and `exists` speaks of leaf values only. The emulator's PutEvents and
 * TestEventPattern and `polybus filter test` use this one evaluator. Pure: no SDK, no network.
 */
import type { MatchResult } from '../../core/model/filter.js';

/** An event pattern (what `PutRule`'s `EventPattern` holds, parsed). */
export type EventPattern = { [key: string]: unknown };

/** The documented content-filter operators (User Guide, "Content filtering in event patterns"). */
export const EVENT_PATTERN_OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const NUMERIC_OPS = ['<', '<=', '=', '>', '>='] as const;

/** A matcher that takes a string, or `{ "equals-ignore-case": string }` (prefix and suffix). */
const stringOrIgnoreCase = (v: unknown) =>
  typeof v === 'string' ||
  (isRecord(v) && Object.keys(v).length === 1 && typeof v['equals-ignore-case'] === 'string');

/** Why one operator object is malformed (undefined when it is well formed). */
function operatorProblem(m: Record<string, unknown>, at: string): string | undefined {
  const keys = Object.keys(m);
  if (keys.length !== 1)
    return `${at}: an operator object has exactly one of ${EVENT_PATTERN_OPERATORS.join(', ')}`;
  const k = keys[0]!;
  const v = m[k];
  const rules: Record<string, () => string | undefined> = {
    prefix: () =>
      stringOrIgnoreCase(v) ? undefined : 'prefix takes a string or {"equals-ignore-case": string}',
    suffix: () =>
      stringOrIgnoreCase(v) ? undefined : 'suffix takes a string or {"equals-ignore-case": string}',
    'equals-ignore-case': () => (typeof v === 'string' ? undefined : 'equals-ignore-case takes a string'),
    wildcard: () => (typeof v === 'string' ? undefined : 'wildcard takes a string'),
    exists: () => (typeof v === 'boolean' ? undefined : 'exists takes true or false'),
    cidr: () =>
      typeof v === 'string' && cidrRange(v) ? undefined : 'cidr takes an IPv4 range such as 10.0.0.0/24',
    numeric: () => {
      if (!Array.isArray(v) || v.length === 0 || v.length % 2 || v.length > 4)
        return 'numeric takes one or two operator/number pairs';
      for (let i = 0; i < v.length; i += 2)
        if (!(NUMERIC_OPS as readonly unknown[]).includes(v[i]) || typeof v[i + 1] !== 'number')
          return `numeric pairs are (${NUMERIC_OPS.join(' ')}) then a number`;
      return undefined;
    },
    'anything-but': () => {
      if (typeof v === 'string' || typeof v === 'number') return undefined;
      if (
        Array.isArray(v) &&
        v.length &&
        (v.every((x) => typeof x === 'string') || v.every((x) => typeof x === 'number'))
      )
        return undefined;
      if (isRecord(v) && Object.keys(v).length === 1) {
        const [inner, x] = Object.entries(v)[0]!;
        if (['prefix', 'suffix', 'wildcard'].includes(inner) && typeof x === 'string') return undefined;
        if (
          inner === 'equals-ignore-case' &&
          (typeof x === 'string' || (Array.isArray(x) && x.length && x.every((s) => typeof s === 'string')))
        )
          return undefined;
      }
      return 'anything-but takes a value, a non-empty list of strings or of numbers, or one of {prefix}, {suffix}, {wildcard}, {equals-ignore-case}';
    },
  };
  const rule = rules[k];
  if (!rule) return `${at}: unknown operator \`${k}\` (documented: ${EVENT_PATTERN_OPERATORS.join(', ')})`;
  const problem = rule();
  return problem ? `${at}: ${problem}` : undefined;
}

/**
 * Every reason a pattern breaks the documented language; empty when it is valid. `PutRule` and
 * `TestEventPattern` on the emulator answer `InvalidEventPatternException` with these, and the
 * adapter refuses a native `extensions.aws.EventPattern` with them before any request.
 */
export function validateEventPattern(pattern: unknown): string[] {
  if (!isRecord(pattern)) return ['EventPattern must be a JSON object'];
  if (!Object.keys(pattern).length) return ['EventPattern must name at least one field'];
  const problems: string[] = [];
  const walk = (node: Record<string, unknown>, path: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const at = [...path, key].join('.');
      if (key === '$or') {
        if (!Array.isArray(value) || value.length < 2 || !value.every(isRecord))
          problems.push(`${at}: $or takes a list of at least two sub-patterns (objects)`);
        else
          value.forEach((sub, i) => {
            if (!Object.keys(sub).length) problems.push(`${at}.${i}: an empty sub-pattern`);
            walk(sub, [...path, `$or.${i}`]);
          });
      } else if (isRecord(value)) {
        if (!Object.keys(value).length) problems.push(`${at}: an empty object matches nothing`);
        walk(value, [...path, key]);
      } else if (Array.isArray(value)) {
        if (!value.length) problems.push(`${at}: an empty list of values matches nothing`);
        for (const v of value) {
          if (isRecord(v)) {
            const p = operatorProblem(v, at);
            if (p) problems.push(p);
          } else if (!isScalar(v))
            problems.push(`${at}: values are strings, numbers, true, false, null or operators`);
        }
      } else problems.push(`${at}: a leaf is a list of values (["x"]), not ${JSON.stringify(value)}`);
    }
  };
  walk(pattern, []);
  return problems;
}

function ipv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function cidrRange(c: string): { base: number; bits: number } | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(c);
  const base = m ? ipv4(m[1]!) : undefined;
  const bits = m ? Number(m[2]) : NaN;
  return base === undefined || bits > 32 ? undefined : { base, bits };
}

/** `*` matches any run of characters (User Guide, "Wildcard matching"); `\*` is a literal star. */
function wildcardMatches(glob: string, s: string): boolean {
  const re = glob
    .split(/(?<!\\)\*/)
    .map((part) => part.replace(/\\\*/g, '*').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`, 's').test(s);
}

/** Whether a string test with an optional `{ "equals-ignore-case": x }` holds. */
function stringTest(x: unknown, s: string, test: (a: string, b: string) => boolean): boolean {
  if (typeof x === 'string') return test(s, x);
  const ic = (x as Record<string, string>)['equals-ignore-case']!;
  return test(s.toLowerCase(), ic.toLowerCase());
}

/** Whether one operator or value matches one leaf value of the event. */
function leafMatches(m: unknown, v: unknown): boolean {
  if (!isRecord(m)) return m === v;
  const [k, x] = Object.entries(m)[0]!;
  const str = typeof v === 'string' ? v : undefined;
  switch (k) {
    case 'prefix':
      return str !== undefined && stringTest(x, str, (a, b) => a.startsWith(b));
    case 'suffix':
      return str !== undefined && stringTest(x, str, (a, b) => a.endsWith(b));
    case 'equals-ignore-case':
      return str !== undefined && str.toLowerCase() === String(x).toLowerCase();
    case 'wildcard':
      return str !== undefined && wildcardMatches(String(x), str);
    case 'numeric': {
      if (typeof v !== 'number') return false;
      const pairs = x as unknown[];
      const cmp: Record<string, (a: number, b: number) => boolean> = {
        '<': (a, b) => a < b,
        '<=': (a, b) => a <= b,
        '=': (a, b) => a === b,
        '>': (a, b) => a > b,
        '>=': (a, b) => a >= b,
      };
      for (let i = 0; i < pairs.length; i += 2)
        if (!cmp[String(pairs[i])]!(v, Number(pairs[i + 1]))) return false;
      return true;
    }
    case 'cidr': {
      const ip = str === undefined ? undefined : ipv4(str);
      const range = cidrRange(String(x));
      if (ip === undefined || !range) return false;
      return (
        range.bits === 0 ||
        Math.floor(ip / 2 ** (32 - range.bits)) === Math.floor(range.base / 2 ** (32 - range.bits))
      );
    }
    case 'anything-but': {
      if (isRecord(x)) {
        const [inner, y] = Object.entries(x)[0]!;
        if (inner === 'equals-ignore-case') {
          const list = (Array.isArray(y) ? y : [y]).map((s) => String(s).toLowerCase());
          return str === undefined || !list.includes(str.toLowerCase());
        }
        // A value that is not a string is not excluded by a string operator.
        return str === undefined || !leafMatches({ [inner]: y }, str);
      }
      return !(Array.isArray(x) ? x : [x]).includes(v);
    }
    default:
      return false;
  }
}

/**
 * The leaf values at a path of the event: an array contributes each element, an array of
 * objects is looked into element by element; objects are not leaves.
 */
export function leafValues(root: unknown, path: readonly string[]): unknown[] {
  let cur: unknown[] = [root];
  for (const seg of path) {
    const next: unknown[] = [];
    for (const node of cur)
      for (const el of Array.isArray(node) ? node : [node])
        if (isRecord(el) && Object.hasOwn(el, seg)) next.push(el[seg]);
    cur = next;
  }
  return cur.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => !isRecord(v) && !Array.isArray(v));
}

/** Evaluates one (sub-)pattern at `path` of `event`: the failure's reason, or undefined when it matches. */
function failure(node: Record<string, unknown>, event: unknown, path: string[]): string | undefined {
  for (const [key, p] of Object.entries(node)) {
    if (key === '$or') {
      const subs = p as Record<string, unknown>[];
      const reasons = subs.map((s) => failure(s, event, path));
      if (reasons.every((r) => r !== undefined))
        return `none of the ${subs.length} $or alternatives${path.length ? ` at ${path.join('.')}` : ''} matches: ${[...new Set(reasons)].join('; ')}`;
      continue;
    }
    const at = [...path, key];
    if (isRecord(p)) {
      const failed = failure(p, event, at);
      if (failed) return failed;
      continue;
    }
    const matchers = p as unknown[];
    const values = leafValues(event, at);
    const hit = matchers.some((m) => {
      if (isRecord(m) && 'exists' in m) return m.exists ? values.length > 0 : values.length === 0;
      return values.some((v) => leafMatches(m, v));
    });
    if (!hit)
      return values.length
        ? `${at.join('.')} is ${JSON.stringify(values.length === 1 ? values[0] : values)}: none of ${JSON.stringify(matchers)} matches`
        : `${at.join('.')} is absent: ${JSON.stringify(matchers)} needs it (only exists: false matches an absent field)`;
  }
  return undefined;
}

/**
 * Evaluates an event pattern against an EventBridge event (`source`, `detail-type`, `detail`,
 * `resources`...). An invalid pattern matches nothing (validate it first with
 * {@link validateEventPattern}).
 */
export function matchesEventPattern(pattern: EventPattern, event: Record<string, unknown>): MatchResult {
  if (validateEventPattern(pattern).length)
    return { matched: false, reason: 'the event pattern is not valid' };
  const failed = failure(pattern, event, []);
  return failed
    ? { matched: false, reason: failed }
    : { matched: true, reason: 'every pattern field matches' };
}

/** A pattern written as the JSON string `PutRule` takes, parsed; undefined when it is not JSON. */
export function parsePattern(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}
