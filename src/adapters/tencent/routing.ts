/**
 * Neutral routing <-> Tencent EventBridge: filters as rule EventPatterns, targets as CreateTarget
 * parameters (+ one rule transformation), and the native EventPattern evaluator CheckRule uses.
 * It never widens a filter nor drops a condition: what EventPattern cannot say exactly is refused.
 *
 * Sources: "Event Pattern" (product 1108 doc 42288: values OR in an array, keys AND, prefix, suffix,
 * anything-but incl. nested {prefix}, contain, array, numeric, cidr; events must contain every
 * pattern field), "Limits" (1108: at most 5 targets per rule), seed 001 (CreateTarget,
 * CkafkaTargetParams.RetryPolicy, CreateTransformation: one transformation per rule).
 */
import {
  canonicalFilter,
  conjunctiveNormalForm,
  describeLiteral,
  type Filter,
  type Literal,
  type MatchResult,
  REQUIRED_ATTRIBUTES,
} from '../../core/model/filter.js';
import {
  accepted,
  type Delivery,
  refused,
  type RoutingLimits,
  type RoutingTranslator,
  type Target,
  targetCountProblems,
  type Transform,
  type Translation,
} from '../../core/model/routing.js';

const P = 'tencent';

/** An EventPattern as JSON (the rule's `EventPattern` is this, serialized). */
export type TencentEventPattern = { [key: string]: unknown };

/** Matchers an EventPattern value may hold (Event Pattern page); anything else is rejected. */
export const TENCENT_PATTERN_MATCHERS = [
  'prefix',
  'suffix',
  'anything-but',
  'contain',
  'array',
  'numeric',
  'cidr',
] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const NUMERIC_OPS = ['<', '<=', '=', '>', '>='] as const;

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

const inCidr = (ip: number, { base, bits }: { base: number; bits: number }) =>
  bits === 0 || Math.floor(ip / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits));

/** Why one matcher object is malformed (undefined when it is well formed). */
function matcherProblem(m: Record<string, unknown>, at: string): string | undefined {
  const keys = Object.keys(m);
  if (keys.length !== 1)
    return `${at}: a matcher object has exactly one of ${TENCENT_PATTERN_MATCHERS.join(', ')}`;
  const [k, v] = [keys[0]!, m[keys[0]!]];
  const rules: Record<string, () => string | undefined> = {
    prefix: () => (typeof v === 'string' ? undefined : 'prefix takes a string'),
    suffix: () => (typeof v === 'string' ? undefined : 'suffix takes a string'),
    'anything-but': () => {
      if (typeof v === 'string' || typeof v === 'number') return undefined;
      if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string' || typeof x === 'number'))
        return undefined;
      if (isRecord(v) && Object.keys(v).length === 1 && ['prefix', 'suffix'].includes(Object.keys(v)[0]!)) {
        return typeof Object.values(v)[0] === 'string'
          ? undefined
          : 'anything-but {prefix|suffix} takes a string';
      }
      return 'anything-but takes a value, a non-empty list of values, or {prefix}/{suffix}';
    },
    contain: () =>
      typeof v === 'string' || (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string'))
        ? undefined
        : 'contain takes a string or a list of strings',
    array: () => {
      try {
        return typeof v === 'string' && isRecord(JSON.parse(v))
          ? undefined
          : 'array takes a JSON object as a string';
      } catch {
        return 'array takes a JSON object as a string';
      }
    },
    numeric: () => {
      if (!Array.isArray(v) || v.length === 0 || v.length % 2) return 'numeric takes operator/number pairs';
      for (let i = 0; i < v.length; i += 2)
        if (!(NUMERIC_OPS as readonly unknown[]).includes(v[i]) || typeof v[i + 1] !== 'number')
          return `numeric pairs are (${NUMERIC_OPS.join(' ')}) then a number`;
      return undefined;
    },
    cidr: () =>
      typeof v === 'string' && cidrRange(v) ? undefined : 'cidr takes an IPv4 range such as 10.0.0.0/24',
  };
  const rule = rules[k];
  if (!rule) return `${at}: unknown matcher \`${k}\` (documented: ${TENCENT_PATTERN_MATCHERS.join(', ')})`;
  const problem = rule();
  return problem ? `${at}: ${problem}` : undefined;
}

/**
 * Every reason an EventPattern is not valid per the Event Pattern page; empty when it is. The
 * emulator rejects CreateRule/UpdateRule/CheckRule with these.
 */
export function validateEventPattern(pattern: unknown): string[] {
  if (!isRecord(pattern)) return ['EventPattern must be a JSON object shaped like the event'];
  const problems: string[] = [];
  const walk = (node: Record<string, unknown>, path: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const at = [...path, key].join('.');
      if (isRecord(value)) {
        if (!Object.keys(value).length) problems.push(`${at}: an empty object matches nothing`);
        walk(value, [...path, key]);
      } else if (Array.isArray(value)) {
        if (!value.length) problems.push(`${at}: an empty list of values matches nothing`);
        for (const v of value) {
          if (isRecord(v)) {
            const p = matcherProblem(v, at);
            if (p) problems.push(p);
          } else if (!isScalar(v))
            problems.push(`${at}: values are strings, numbers, true, false, null or matchers`);
        }
      } else if (!isScalar(value)) problems.push(`${at}: unexpected value`);
    }
  };
  walk(pattern, []);
  return problems;
}

/** Whether one pattern value (a scalar or a matcher) matches one event value. */
function valueMatches(m: unknown, v: unknown): boolean {
  if (isRecord(m) && 'array' in m) {
    if (!Array.isArray(v)) return false;
    const want = JSON.parse(String(m.array)) as Record<string, unknown>;
    return v.some((el) => isRecord(el) && Object.entries(want).every(([k, x]) => el[k] === x));
  }
  // An array in the event matches when one of its elements does (as the pattern mirrors the event).
  if (Array.isArray(v)) return v.some((el) => valueMatches(m, el));
  if (!isRecord(m)) return v === m;
  const [k, x] = Object.entries(m)[0]!;
  const str = typeof v === 'string' ? v : undefined;
  const tests: Record<string, () => boolean> = {
    prefix: () => str !== undefined && str.startsWith(String(x)),
    suffix: () => str !== undefined && str.endsWith(String(x)),
    'anything-but': () => {
      if (isRecord(x)) {
        const [kind, s] = Object.entries(x)[0]!;
        return (
          str !== undefined && !(kind === 'prefix' ? str.startsWith(String(s)) : str.endsWith(String(s)))
        );
      }
      return !(Array.isArray(x) ? x : [x]).includes(v);
    },
    contain: () => str !== undefined && (Array.isArray(x) ? x : [x]).every((s) => str.includes(String(s))),
    numeric: () => {
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
    },
    cidr: () => {
      const ip = str === undefined ? undefined : ipv4(str);
      const range = cidrRange(String(x));
      return ip !== undefined && range !== undefined && inCidr(ip, range);
    },
  };
  return tests[k]?.() ?? false;
}

/**
 * Evaluates an EventPattern against an event the way the Event Pattern page describes: every key
 * must be present (nested like the event) and one of its values must match; keys AND, values OR.
 * An invalid pattern does not match (validate it first with {@link validateEventPattern}).
 */
export function matchesEventPattern(
  pattern: TencentEventPattern,
  event: Record<string, unknown>,
): MatchResult {
  const walk = (node: Record<string, unknown>, value: unknown, path: string[]): MatchResult | undefined => {
    for (const [key, p] of Object.entries(node)) {
      const at = [...path, key].join('.');
      if (!isRecord(value) || !Object.hasOwn(value, key))
        return { matched: false, reason: `${at} is absent: the event must contain every pattern field` };
      const v = value[key];
      if (isRecord(p)) {
        const failed = walk(p, v, [...path, key]);
        if (failed) return failed;
        continue;
      }
      const alternatives = Array.isArray(p) ? p : [p];
      if (!alternatives.some((m) => valueMatches(m, v)))
        return {
          matched: false,
          reason: `${at} is ${JSON.stringify(v)}: none of ${JSON.stringify(alternatives)} matches`,
        };
    }
    return undefined;
  };
  return walk(pattern, event, []) ?? { matched: true, reason: 'every pattern field matches' };
}

const LITERAL_MATCHERS: Record<`${boolean}:${'exact' | 'prefix' | 'suffix'}`, (v: string) => unknown> = {
  'false:exact': (v) => v,
  'false:prefix': (v) => ({ prefix: v }),
  'false:suffix': (v) => ({ suffix: v }),
  'true:exact': (v) => ({ 'anything-but': v }),
  'true:prefix': (v) => ({ 'anything-but': { prefix: v } }),
  'true:suffix': (v) => ({ 'anything-but': { suffix: v } }),
};

const REQUIRED = new Set<string>(REQUIRED_ATTRIBUTES);

/** The pattern values of one attribute: one clause (values OR), or several all-negated exact clauses. */
function valuesFor(attr: string, clauses: Literal[][]): Translation<unknown[]> {
  const negatedOptional = clauses.flat().find((l) => l.negated && !REQUIRED.has(attr));
  if (negatedOptional) {
    return refused(
      `\`${describeLiteral(negatedOptional)}\`: Tencent anything-but never matches an event without \`${attr}\` (events must contain every pattern field), the neutral not does; not is expressible only on ${REQUIRED_ATTRIBUTES.join(', ')}`,
    );
  }
  if (clauses.length === 1)
    return accepted(clauses[0]!.map((l) => LITERAL_MATCHERS[`${l.negated}:${l.dialect}`](l.value)));
  if (clauses.every((c) => c.length === 1 && c[0]!.negated && c[0]!.dialect === 'exact'))
    return accepted([{ 'anything-but': clauses.map((c) => c[0]!.value) }]);
  return refused(
    `${clauses.length} conditions on \`${attr}\` must all hold (${clauses.map((c) => c.map(describeLiteral).join(' or ')).join('; ')}): an EventPattern field takes one list of alternatives (OR)`,
  );
}

/** The EventPattern that matches exactly the events `filter` matches, or why there is none. */
export function eventPatternFromFilter(filter: Filter): Translation<TencentEventPattern> {
  const cnf = conjunctiveNormalForm(filter);
  if (!cnf.ok) return refused(cnf.reason);
  const byAttr = new Map<string, Literal[][]>();
  const reasons: string[] = [];
  for (const clause of cnf.cnf) {
    const attrs = [...new Set(clause.map((l) => l.attr))];
    if (attrs.length > 1) {
      reasons.push(
        `any across different attributes (${attrs.map((a) => `\`${a}\``).join(', ')}: ${clause.map(describeLiteral).join(' or ')}) cannot be expressed: EventPattern keys AND, only the values of one field OR`,
      );
      continue;
    }
    byAttr.set(attrs[0]!, [...(byAttr.get(attrs[0]!) ?? []), clause]);
  }
  const pattern: TencentEventPattern = {};
  for (const [attr, clauses] of byAttr) {
    const values = valuesFor(attr, clauses);
    if (!values.ok) {
      reasons.push(...values.reasons);
      continue;
    }
    const path = attr.split('.');
    let node: Record<string, unknown> = pattern;
    let clash = false;
    for (const seg of path.slice(0, -1)) {
      if (Array.isArray(node[seg])) clash = true;
      else node = (node[seg] ??= {}) as Record<string, unknown>;
    }
    const leaf = path.at(-1)!;
    if (clash || isRecord(node[leaf])) {
      reasons.push(
        `\`${attr}\` and a field nested in it are both filtered: an EventPattern field is either values or an object`,
      );
      continue;
    }
    node[leaf] = values.native;
  }
  return reasons.length ? refused(...reasons.map((r) => `Tencent EventPattern: ${r}`)) : accepted(pattern);
}

/** Neutral filter of a pattern polybus wrote (exact/prefix/suffix/anything-but only), else undefined. */
export function filterFromEventPattern(pattern: TencentEventPattern): Filter | undefined {
  const parts: Filter[] = [];
  const lit = (attr: string, m: unknown): Filter | undefined => {
    if (typeof m === 'string') return { exact: { [attr]: m } };
    if (!isRecord(m)) return undefined;
    const [k, x] = Object.entries(m)[0] ?? [];
    if (k === 'prefix' && typeof x === 'string') return { prefix: { [attr]: x } };
    if (k === 'suffix' && typeof x === 'string') return { suffix: { [attr]: x } };
    // anything-but fails on an absent field; the neutral not holds there: exact only where always present.
    if (k === 'anything-but' && REQUIRED.has(attr)) {
      if (typeof x === 'string') return { not: { exact: { [attr]: x } } };
      if (Array.isArray(x) && x.every((s) => typeof s === 'string'))
        return { all: x.map((s: string) => ({ not: { exact: { [attr]: s } } })) };
      const inner = isRecord(x) ? lit(attr, x) : undefined;
      return inner && !('all' in inner) ? { not: inner } : undefined;
    }
    return undefined;
  };
  const walk = (node: Record<string, unknown>, path: string[]): boolean => {
    for (const [key, p] of Object.entries(node)) {
      const attr = [...path, key].join('.');
      if (isRecord(p)) {
        if (!walk(p, [...path, key])) return false;
        continue;
      }
      const alts = (Array.isArray(p) ? p : [p]).map((m) => lit(attr, m));
      if (!alts.length || alts.some((a) => !a)) return false;
      parts.push(alts.length === 1 ? alts[0]! : { any: alts as Filter[] });
    }
    return true;
  };
  if (!walk(pattern, []) || !parts.length) return undefined;
  return canonicalFilter({ all: parts });
}

/** CreateTarget's `Type` values (SDK CreateTarget: scf, cls, amp, ckafka, es). */
export const TENCENT_TARGET_TYPES = ['scf', 'cls', 'amp', 'ckafka', 'es'] as const;

/** CreateTarget parameters polybus sends (EventBusId and RuleId are added by the caller). */
export interface TencentTargetParams {
  Type: (typeof TENCENT_TARGET_TYPES)[number];
  TargetDescription: {
    ResourceDescription: string;
    CkafkaTargetParams?: {
      TopicName: string;
      RetryPolicy: { RetryInterval: number; MaxRetryAttempts: number };
    };
    [native: string]: unknown;
  };
  [native: string]: unknown;
}

/** One Transformation of CreateTransformation (only one per rule is supported). */
export interface TencentTransformation {
  Extraction?: { ExtractionInputPath: string; Format: 'JSON' | 'TEXT' };
  EtlFilter?: { Filter: string };
  Transform?: { OutputStructs: { Key: string; Value: string; ValueType: string }[] };
}

/** What the neutral targets become: CreateTarget calls plus at most one rule transformation. */
export interface TencentRoutingTargets {
  targets: TencentTargetParams[];
  transformation?: TencentTransformation;
}

/** Tencent's routing limits. */
export const TENCENT_ROUTING_LIMITS: RoutingLimits = {
  minTargets: 0,
  maxTargets: 5,
  targetKinds: ['function', 'kafka', 'log'],
  source: 'Tencent EventBridge "Limits": 5 targets per event rule',
};

/** QCS prefix and CreateTarget Type per neutral kind. */
const TARGET_TABLE = {
  function: { type: 'scf', qcs: 'qcs::scf:', ref: (t: Target) => (t.kind === 'function' ? t.function : '') },
  log: { type: 'cls', qcs: 'qcs::cls:', ref: (t: Target) => (t.kind === 'log' ? t.log : '') },
  kafka: {
    type: 'ckafka',
    qcs: 'qcs::ckafka:',
    ref: (t: Target) => (t.kind === 'kafka' ? t.connection : ''),
  },
} as const;

/** The batch settings of an SCF target (SCFParams on CreateTarget; top-level fields of ListTargets and UpdateTarget). */
export const TENCENT_BATCH_FIELDS = ['EnableBatchDelivery', 'BatchTimeout', 'BatchEventCount'] as const;
/** The batch settings as polybus sends and reads them. */
export interface TencentBatch {
  EnableBatchDelivery: true;
  BatchTimeout: number;
  BatchEventCount: number;
}

/**
 * A target's own settings: a neutral `name` (CreateTarget takes none) and any `extensions.tencent`
 * key but the SCF batch settings are refused, never sent half or under another Type. Batch
 * delivery is given whole (EnableBatchDelivery: true with BatchTimeout and BatchEventCount,
 * positive integers), since ListTargets always shows all three (off: false, 1, 1); leaving it out
 * is off.
 */
function targetSettings(t: Target, at: string): Translation<TencentBatch | undefined> {
  const reasons: string[] = [];
  if ((t as { name?: unknown }).name !== undefined)
    reasons.push(`${at}.name: a Tencent target has no name (CreateTarget takes none); leave it out`);
  const ext = (t.extensions?.tencent ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(ext))
    if (!(TENCENT_BATCH_FIELDS as readonly string[]).includes(k) || t.kind !== 'function')
      reasons.push(
        `${at}.extensions.tencent.${k}: a Tencent ${t.kind} target takes ${t.kind === 'function' ? `only ${TENCENT_BATCH_FIELDS.join(', ')} (SCFParams)` : 'no native settings'}; other target types belong in the integration's extensions.tencent.Targets`,
      );
  if (reasons.length || !Object.keys(ext).length)
    return reasons.length ? refused(...reasons) : accepted(undefined);
  if (ext.EnableBatchDelivery !== true)
    return refused(
      `${at}.extensions.tencent.EnableBatchDelivery: must be true when batch settings are given (leave them all out for no batching, the default)`,
    );
  for (const k of ['BatchTimeout', 'BatchEventCount'] as const)
    if (!Number.isInteger(ext[k]) || (ext[k] as number) < 1)
      reasons.push(
        `${at}.extensions.tencent.${k}: a positive integer, required with EnableBatchDelivery (SCFParams.${k})`,
      );
  if (reasons.length) return refused(...reasons);
  return accepted({
    EnableBatchDelivery: true,
    BatchTimeout: ext.BatchTimeout as number,
    BatchEventCount: ext.BatchEventCount as number,
  });
}

function transformationOf(t: Transform | undefined): Translation<TencentTransformation | undefined> {
  if (!t || t.kind === 'event') return accepted(undefined);
  if (t.kind === 'path') return accepted({ Extraction: { ExtractionInputPath: t.path, Format: 'JSON' } });
  return refused(
    'Tencent transform: a text template has no exact equivalent (Transform builds a JSON object from OutputStructs key -> JSONPath/constant)',
  );
}

/** Neutral targets + delivery -> CreateTarget parameters and the rule transformation. */
export function tencentTargetsFromNeutral(
  targets: Target[],
  delivery?: Delivery,
): Translation<TencentRoutingTargets> {
  const reasons = targetCountProblems(P, targets, TENCENT_ROUTING_LIMITS);
  if (delivery?.deadLetter)
    reasons.push(
      'Tencent dead letter: CreateRule/UpdateRule (API 2021-04-16) take no DeadLetterConfig; it appears only read-only on ListRules',
    );
  const retry = delivery?.retry;
  if (retry && retry.backoff && retry.backoff !== 'fixed')
    reasons.push(
      `Tencent retry: RetryPolicy retries at a fixed RetryInterval; backoff ${retry.backoff} cannot be expressed`,
    );
  const out: TencentTargetParams[] = [];
  const transforms = new Set<string>();
  let transformation: TencentTransformation | undefined;
  targets.forEach((t, i) => {
    const at = `targets.${i}`;
    if (t.kind === 'http') {
      reasons.push(
        `${at}: Tencent has no webhook target (CreateTarget Type is one of ${TENCENT_TARGET_TYPES.join(', ')})`,
      );
      return;
    }
    const row = TARGET_TABLE[t.kind];
    const ref = row.ref(t);
    if (!ref.startsWith(row.qcs)) {
      reasons.push(
        `${at}: a Tencent ${t.kind} target is a six-segment QCS resource starting ${row.qcs}; got ${JSON.stringify(ref)}`,
      );
      return;
    }
    const tr = transformationOf(t.transform);
    if (!tr.ok) reasons.push(...tr.reasons.map((r) => `${at}: ${r}`));
    else {
      transforms.add(JSON.stringify(tr.native ?? null));
      transformation = tr.native;
    }
    const settings = targetSettings(t, at);
    if (!settings.ok) {
      reasons.push(...settings.reasons);
      return;
    }
    const description: TencentTargetParams['TargetDescription'] = {
      ...(settings.native ? { SCFParams: settings.native } : {}),
      ResourceDescription: ref,
    };
    if (t.kind === 'kafka') {
      if (!retry || retry.delaySeconds === undefined) {
        reasons.push(
          `${at}: CkafkaTargetParams.RetryPolicy is required (RetryInterval, MaxRetryAttempts): give delivery.retry with maxAttempts and delaySeconds`,
        );
        return;
      }
      description.CkafkaTargetParams = {
        TopicName: t.topic,
        RetryPolicy: { RetryInterval: retry.delaySeconds, MaxRetryAttempts: retry.maxAttempts },
      };
    } else if (retry) {
      reasons.push(
        `${at}: Tencent documents a retry policy only for CKafka targets (CkafkaTargetParams.RetryPolicy); a ${row.type} target's retries are the service's`,
      );
      return;
    }
    out.push({ Type: row.type, TargetDescription: description });
  });
  if (transforms.size > 1)
    reasons.push(
      'Tencent transform: one transformation per rule (CreateTransformation supports only one); the targets ask for different transforms',
    );
  if (reasons.length) return refused(...reasons);
  return accepted(transformation ? { targets: out, transformation } : { targets: out });
}

/** A target as ListTargets returns it (the fields this module reads). */
export interface TencentTargetRow {
  Type: string;
  EnableBatchDelivery?: boolean | null;
  BatchTimeout?: number | null;
  BatchEventCount?: number | null;
  TargetDescription: {
    ResourceDescription: string;
    CkafkaTargetParams?: {
      TopicName: string;
      RetryPolicy?: { RetryInterval: number; MaxRetryAttempts: number };
    } | null;
  };
}

/** A Transformation as GetTransformation returns it (fields may be null). */
export interface TencentTransformationRead {
  Extraction?: { ExtractionInputPath: string; Format: string; [native: string]: unknown } | null;
  EtlFilter?: unknown;
  Transform?: unknown;
}

/**
 * The neutral transform a rule transformation is exactly, or undefined when it has none: only a
 * JSON Extraction with no EtlFilter, Transform or TextParams is a neutral `path` (what polybus writes).
 */
export function neutralTransformOf(t: TencentTransformationRead | undefined): Transform | undefined {
  const x = t?.Extraction;
  if (!x || t.EtlFilter || t.Transform || x.Format !== 'JSON' || x.TextParams) return undefined;
  return { kind: 'path', path: x.ExtractionInputPath };
}

/**
 * ListTargets rows (+ the rule's transformation) -> neutral targets and delivery. Rows with no
 * neutral kind (amp, es) come back in `leftovers` for `extensions.tencent`.
 */
export function tencentTargetsToNeutral(
  rows: TencentTargetRow[],
  transformation?: TencentTransformationRead,
): { targets: Target[]; delivery?: Delivery; leftovers: TencentTargetRow[] } {
  const transform = neutralTransformOf(transformation);
  const targets: Target[] = [];
  const leftovers: TencentTargetRow[] = [];
  let delivery: Delivery | undefined;
  for (const r of rows) {
    const ref = r.TargetDescription.ResourceDescription;
    const extra = transform ? { transform } : {};
    if (r.Type === 'scf')
      targets.push({
        kind: 'function',
        function: ref,
        ...extra,
        // batching on reads back whole, as it is written (off is the default: nothing)
        ...(r.EnableBatchDelivery
          ? {
              extensions: {
                tencent: {
                  EnableBatchDelivery: true,
                  BatchTimeout: r.BatchTimeout,
                  BatchEventCount: r.BatchEventCount,
                },
              },
            }
          : {}),
      });
    else if (r.Type === 'cls') targets.push({ kind: 'log', log: ref, ...extra });
    else if (r.Type === 'ckafka' && r.TargetDescription.CkafkaTargetParams) {
      const k = r.TargetDescription.CkafkaTargetParams;
      targets.push({ kind: 'kafka', connection: ref, topic: k.TopicName, ...extra });
      if (k.RetryPolicy)
        delivery = {
          retry: {
            maxAttempts: k.RetryPolicy.MaxRetryAttempts,
            backoff: 'fixed',
            delaySeconds: k.RetryPolicy.RetryInterval,
          },
        };
    } else leftovers.push(r);
  }
  return delivery ? { targets, delivery, leftovers } : { targets, leftovers };
}

/** Tencent's routing translator. */
export const tencentRouting: RoutingTranslator<TencentEventPattern, TencentRoutingTargets> = {
  provider: P,
  limits: TENCENT_ROUTING_LIMITS,
  translateFilter: eventPatternFromFilter,
  translateTargets: tencentTargetsFromNeutral,
};
