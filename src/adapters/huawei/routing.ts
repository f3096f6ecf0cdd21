/**
 * Neutral routing <-> Huawei EventGrid subscriptions: filters as the source filter rule, targets as
 * `targets[]` (transform, retry_times, dead_letter_queue), the documented limits, and the native
 * filter-rule evaluator. It never widens a filter nor drops a condition: it refuses instead.
 *
 * Sources: EG user guide "Filter Rule Parameters" (eg-ug-018: top-level source/type/subject/data
 * only; source required, StringIn only; data at most 5 sub-fields, 5 levels; at most 5 conditions
 * per field, ORed; fields ANDed; operator table) and "Example Filter Rules" (eg-ug-019); the EG v1
 * SDK models (SubscriptionTarget, TransForm, DeadLetterQueue) and the fact sheet (1-5 targets).
 */
import {
  canonicalFilter,
  conjunctiveNormalForm,
  describeLiteral,
  type Filter,
  type Literal,
  type MatchResult,
  valueAt,
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

const P = 'huawei';

/** Operators of the filter rule, by the kind of condition value they take (eg-ug-018 Table 1). */
export const HUAWEI_FILTER_OPERATORS = {
  strings: [
    'StringIn',
    'StringNotIn',
    'StringStartsWith',
    'StringNotStartsWith',
    'StringEndsWith',
    'StringNotEndsWith',
  ],
  numbers: ['NumberIn', 'NumberNotIn'],
  number: ['NumberLessThan', 'NumberNotLessThan', 'NumberGreaterThan', 'NumberNotGreaterThan'],
  ranges: ['NumberInRange', 'NumberNotInRange'],
  none: ['IsNull', 'IsNotNull', 'IsTrue', 'IsNotTrue'],
} as const;
/** One filter-rule operator. */
export type HuaweiFilterOp = (typeof HUAWEI_FILTER_OPERATORS)[keyof typeof HUAWEI_FILTER_OPERATORS][number];

/** One condition: `{ op, values }` (list operators), `{ op, value }` (comparisons) or `{ op }`. */
export interface HuaweiCondition {
  op: HuaweiFilterOp;
  values?: unknown[];
  value?: unknown;
}

/** The data part of a rule: sub-fields, nested up to 5 levels, each ending in a condition list. */
export type HuaweiDataRule = { [field: string]: HuaweiCondition[] | HuaweiDataRule };

/** A subscription source filter rule. */
export interface HuaweiFilterRule {
  source: HuaweiCondition[];
  type?: HuaweiCondition[];
  subject?: HuaweiCondition[];
  data?: HuaweiDataRule;
}

/** The documented limits of a filter rule. */
export const HUAWEI_FILTER_LIMITS = {
  topLevelFields: ['source', 'type', 'subject', 'data'] as const,
  maxDataFields: 5,
  maxDataLevels: 5,
  maxConditionsPerField: 5,
  source: 'EG user guide "Filter Rule Parameters" (eg-ug-018)',
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const kindOf = (op: string) =>
  (Object.keys(HUAWEI_FILTER_OPERATORS) as (keyof typeof HUAWEI_FILTER_OPERATORS)[]).find((k) =>
    (HUAWEI_FILTER_OPERATORS[k] as readonly string[]).includes(op),
  );

/** Why a condition list is malformed (empty when it is well formed). */
function conditionProblems(list: unknown, at: string): string[] {
  const L = HUAWEI_FILTER_LIMITS;
  if (!Array.isArray(list) || !list.length)
    return [`${at}: a field takes a non-empty array of conditions [{op, values}]`];
  const out: string[] = [];
  if (list.length > L.maxConditionsPerField)
    out.push(`${at}: at most ${L.maxConditionsPerField} conditions per field (ORed), got ${list.length}`);
  list.forEach((c, i) => {
    const where = `${at}[${i}]`;
    if (!isRecord(c) || typeof c.op !== 'string')
      return void out.push(`${where}: a condition is {op, values|value}`);
    const kind = kindOf(c.op);
    const rules: Record<string, () => boolean> = {
      strings: () =>
        Array.isArray(c.values) && c.values.length > 0 && c.values.every((v) => typeof v === 'string'),
      numbers: () =>
        Array.isArray(c.values) && c.values.length > 0 && c.values.every((v) => typeof v === 'number'),
      number: () => typeof c.value === 'number',
      ranges: () =>
        Array.isArray(c.values) &&
        c.values.length > 0 &&
        c.values.every(
          (r) =>
            Array.isArray(r) &&
            r.length === 2 &&
            r.every((n) => typeof n === 'number') &&
            Number(r[0]) <= Number(r[1]),
        ),
      none: () => c.values === undefined && c.value === undefined,
    };
    const shape: Record<string, string> = {
      strings: 'values: a non-empty String[]',
      numbers: 'values: a non-empty Number[]',
      number: 'value: a Number',
      ranges: 'values: Number[][] of [low, high] pairs',
      none: 'no values',
    };
    if (!kind) out.push(`${where}: unknown operator \`${c.op}\``);
    else if (!rules[kind]!()) out.push(`${where}: ${c.op} takes ${shape[kind]}`);
  });
  return out;
}

/**
 * Every reason a filter rule breaks the documented rules and limits; empty when it is valid. The
 * emulator answers 400 with these on subscription create/update.
 */
export function validateHuaweiFilterRule(rule: unknown): string[] {
  const L = HUAWEI_FILTER_LIMITS;
  if (!isRecord(rule)) return ['filter must be a JSON object'];
  const out: string[] = [];
  for (const k of Object.keys(rule))
    if (!(L.topLevelFields as readonly string[]).includes(k))
      out.push(`filter.${k}: top-level fields can only be ${L.topLevelFields.join(', ')}`);
  if (rule.source === undefined) out.push('filter.source is required (top-level fields must include source)');
  else {
    out.push(...conditionProblems(rule.source, 'filter.source'));
    if (Array.isArray(rule.source) && rule.source.some((c) => !isRecord(c) || c.op !== 'StringIn'))
      out.push('filter.source supports only the StringIn operator');
  }
  for (const k of ['type', 'subject'] as const)
    if (rule[k] !== undefined) out.push(...conditionProblems(rule[k], `filter.${k}`));
  if (rule.data !== undefined) {
    if (!isRecord(rule.data)) out.push('filter.data is a JSON object of sub-fields');
    else {
      let leaves = 0;
      const walk = (node: Record<string, unknown>, path: string[]) => {
        for (const [k, v] of Object.entries(node)) {
          const p = [...path, k];
          if (p.length > L.maxDataLevels) {
            out.push(`filter.data.${p.join('.')}: data sub-fields nest at most ${L.maxDataLevels} levels`);
            continue;
          }
          if (isRecord(v)) walk(v, p);
          else {
            leaves++;
            out.push(...conditionProblems(v, `filter.data.${p.join('.')}`));
          }
        }
      };
      walk(rule.data, []);
      if (leaves > L.maxDataFields)
        out.push(`filter.data: at most ${L.maxDataFields} sub-fields, got ${leaves}`);
    }
  }
  return out;
}

const present = (v: unknown) => v !== undefined && v !== null;
/** A positive test on one value; arrays (String[]/Number[] input) hold when one element does. */
const anyOf = (v: unknown, test: (x: unknown) => boolean) => (Array.isArray(v) ? v.some(test) : test(v));
const str = (f: (s: string) => boolean) => (x: unknown) => typeof x === 'string' && f(x);
const num = (f: (n: number) => boolean) => (x: unknown) => typeof x === 'number' && f(x);

/**
 * One operator's test of an input value. A `Not` operator holds when the value is present and its
 * positive counterpart does not hold; IsNull holds for null or undefined (the page's words). Where
 * the page is silent (a `Not` operator on an absent field), polybus's translations pair the
 * condition with IsNull so that either reading gives the same result.
 */
const OPERATOR_TESTS: Record<HuaweiFilterOp, (v: unknown, c: HuaweiCondition) => boolean> = {
  StringIn: (v, c) =>
    anyOf(
      v,
      str((s) => c.values!.includes(s)),
    ),
  StringStartsWith: (v, c) =>
    anyOf(
      v,
      str((s) => c.values!.some((p) => s.startsWith(String(p)))),
    ),
  StringEndsWith: (v, c) =>
    anyOf(
      v,
      str((s) => c.values!.some((p) => s.endsWith(String(p)))),
    ),
  StringNotIn: (v, c) => present(v) && !OPERATOR_TESTS.StringIn(v, c),
  StringNotStartsWith: (v, c) => present(v) && !OPERATOR_TESTS.StringStartsWith(v, c),
  StringNotEndsWith: (v, c) => present(v) && !OPERATOR_TESTS.StringEndsWith(v, c),
  NumberIn: (v, c) =>
    anyOf(
      v,
      num((n) => c.values!.includes(n)),
    ),
  NumberNotIn: (v, c) => present(v) && !OPERATOR_TESTS.NumberIn(v, c),
  NumberLessThan: (v, c) =>
    anyOf(
      v,
      num((n) => n < Number(c.value)),
    ),
  NumberNotLessThan: (v, c) =>
    anyOf(
      v,
      num((n) => n >= Number(c.value)),
    ),
  NumberGreaterThan: (v, c) =>
    anyOf(
      v,
      num((n) => n > Number(c.value)),
    ),
  NumberNotGreaterThan: (v, c) =>
    anyOf(
      v,
      num((n) => n <= Number(c.value)),
    ),
  NumberInRange: (v, c) =>
    anyOf(
      v,
      num((n) => (c.values as number[][]).some(([lo, hi]) => n >= lo! && n <= hi!)),
    ),
  NumberNotInRange: (v, c) => present(v) && !OPERATOR_TESTS.NumberInRange(v, c),
  IsNull: (v) => !present(v),
  IsNotNull: (v) => present(v),
  IsTrue: (v) => v === true,
  IsNotTrue: (v) => v === false,
};

/** Evaluates a (valid) filter rule against an event: fields AND, a field's conditions OR. */
export function matchesHuaweiFilterRule(rule: HuaweiFilterRule, event: Record<string, unknown>): MatchResult {
  const fields: [string, HuaweiCondition[]][] = [];
  const walk = (node: Record<string, unknown>, path: string[]) => {
    for (const [k, v] of Object.entries(node)) {
      if (path.length === 0 && k === 'data' && isRecord(v)) walk(v, ['data']);
      else if (isRecord(v)) walk(v, [...path, k]);
      else fields.push([[...path, k].join('.'), v as HuaweiCondition[]]);
    }
  };
  walk(rule as unknown as Record<string, unknown>, []);
  for (const [attr, conditions] of fields) {
    const actual = valueAt(event, attr);
    if (!conditions.some((c) => OPERATOR_TESTS[c.op](actual, c)))
      return {
        matched: false,
        reason: `${attr} is ${actual === undefined ? 'absent' : JSON.stringify(actual)}: none of ${JSON.stringify(conditions)} holds`,
      };
  }
  return { matched: true, reason: 'every field has a condition that holds' };
}

const LITERAL_OPS: Record<`${boolean}:${'exact' | 'prefix' | 'suffix'}`, HuaweiFilterOp> = {
  'false:exact': 'StringIn',
  'false:prefix': 'StringStartsWith',
  'false:suffix': 'StringEndsWith',
  'true:exact': 'StringNotIn',
  'true:prefix': 'StringNotStartsWith',
  'true:suffix': 'StringNotEndsWith',
};

/** Conditions of one OR clause: positive operators merge their values; negated ones stay apart. */
function clauseConditions(clause: Literal[], optional: boolean): HuaweiCondition[] {
  const out: HuaweiCondition[] = [];
  for (const l of clause) {
    const op = LITERAL_OPS[`${l.negated}:${l.dialect}`];
    const same = !l.negated ? out.find((c) => c.op === op) : undefined;
    if (same) same.values!.push(l.value);
    else out.push({ op, values: [l.value] });
  }
  // `not` holds for an event without the field; IsNull says so whatever a Not operator does there.
  if (optional && clause.some((l) => l.negated)) out.unshift({ op: 'IsNull' });
  return out;
}

/** The filter rule that matches exactly the events `filter` matches, or why there is none. */
export function huaweiFilterRuleFromFilter(filter: Filter): Translation<HuaweiFilterRule> {
  const cnf = conjunctiveNormalForm(filter);
  if (!cnf.ok) return refused(`Huawei filter rule: ${cnf.reason}`);
  const reasons: string[] = [];
  const byAttr = new Map<string, Literal[][]>();
  for (const clause of cnf.cnf) {
    const attrs = [...new Set(clause.map((l) => l.attr))];
    if (attrs.length > 1) {
      reasons.push(
        `any across different fields (${attrs.map((a) => `\`${a}\``).join(', ')}: ${clause.map(describeLiteral).join(' or ')}) cannot be expressed: fields AND, only the conditions of one field OR`,
      );
      continue;
    }
    const attr = attrs[0]!;
    if (!['source', 'type', 'subject'].includes(attr) && !attr.startsWith('data.')) {
      reasons.push(
        `\`${attr}\` cannot be filtered: top-level fields can only be source, type, subject or data (${HUAWEI_FILTER_LIMITS.source})`,
      );
      continue;
    }
    byAttr.set(attr, [...(byAttr.get(attr) ?? []), clause]);
  }
  const sourceClauses = byAttr.get('source');
  if (!sourceClauses && !reasons.length)
    reasons.push(
      'a Huawei filter rule requires source with StringIn: add exact: { source: "..." } (polybus does not invent one)',
    );
  for (const l of sourceClauses?.flat() ?? [])
    if (l.negated || l.dialect !== 'exact')
      reasons.push(`\`${describeLiteral(l)}\`: source supports only the StringIn operator (exact values)`);
  const rule: Record<string, unknown> = {};
  for (const [attr, clauses] of byAttr) {
    const optional = attr !== 'source' && attr !== 'type';
    let conditions: HuaweiCondition[];
    if (clauses.length === 1) conditions = clauseConditions(clauses[0]!, optional);
    else if (
      clauses.every((c) => c.length === 1 && c[0]!.negated && c[0]!.dialect === clauses[0]![0]!.dialect)
    ) {
      // Not operators with several values hold when no value matches: the AND of the clauses.
      const op = LITERAL_OPS[`true:${clauses[0]![0]!.dialect}`];
      conditions = [
        ...(optional ? [{ op: 'IsNull' as const }] : []),
        { op, values: clauses.map((c) => c[0]!.value) },
      ];
    } else {
      reasons.push(
        `${clauses.length} conditions on \`${attr}\` must all hold (${clauses.map((c) => c.map(describeLiteral).join(' or ')).join('; ')}): a field's conditions are ORed`,
      );
      continue;
    }
    const path = attr.split('.');
    let node = rule;
    let clash = false;
    for (const seg of path.slice(0, -1)) {
      if (Array.isArray(node[seg])) clash = true;
      else node = (node[seg] ??= {}) as Record<string, unknown>;
    }
    if (clash || isRecord(node[path.at(-1)!])) {
      reasons.push(
        `\`${attr}\` and a field nested in it are both filtered: a data field is either conditions or sub-fields`,
      );
      continue;
    }
    node[path.at(-1)!] = conditions;
  }
  if (!reasons.length)
    reasons.push(...validateHuaweiFilterRule(rule).map((r) => `over the documented limits: ${r}`));
  return reasons.length
    ? refused(...reasons.map((r) => `Huawei filter rule: ${r}`))
    : accepted(rule as unknown as HuaweiFilterRule);
}

const READ_BACK: Partial<
  Record<HuaweiFilterOp, { dialect: 'exact' | 'prefix' | 'suffix'; negated: boolean }>
> = {
  StringIn: { dialect: 'exact', negated: false },
  StringStartsWith: { dialect: 'prefix', negated: false },
  StringEndsWith: { dialect: 'suffix', negated: false },
  StringNotIn: { dialect: 'exact', negated: true },
  StringNotStartsWith: { dialect: 'prefix', negated: true },
  StringNotEndsWith: { dialect: 'suffix', negated: true },
};

/**
 * The neutral filter of a rule that uses only the String operators (with IsNull beside a Not
 * operator on source/type-less fields, as polybus writes them); undefined when a condition has no
 * exact neutral reading (numbers, booleans, IsNull alone, a Not operator an absent field would fail).
 */
export function filterFromHuaweiFilterRule(rule: HuaweiFilterRule): Filter | undefined {
  const parts: Filter[] = [];
  const fields: [string, HuaweiCondition[]][] = [];
  const walk = (node: Record<string, unknown>, path: string[]) => {
    for (const [k, v] of Object.entries(node)) {
      if (isRecord(v)) walk(v, [...path, k]);
      else fields.push([[...path, k].join('.'), v as HuaweiCondition[]]);
    }
  };
  walk(rule as unknown as Record<string, unknown>, []);
  for (const [attr, conditions] of fields) {
    const required = attr === 'source' || attr === 'type';
    const hasNull = conditions.some((c) => c.op === 'IsNull');
    const alternatives: Filter[] = [];
    for (const c of conditions) {
      if (c.op === 'IsNull') continue;
      const read = READ_BACK[c.op];
      const values = c.values ?? [];
      if (!read || !values.length || values.some((v) => typeof v !== 'string')) return undefined;
      if (read.negated && !required && !hasNull) return undefined;
      const each = (values as string[]).map((v): Filter => ({ [read.dialect]: { [attr]: v } }) as Filter);
      alternatives.push(read.negated ? { all: each.map((f) => ({ not: f })) } : { any: each });
    }
    // IsNull is implied by the Not conditions beside it (not holds for an absent field); alone it is not neutral.
    if (!alternatives.length || (hasNull && !conditions.some((c) => READ_BACK[c.op]?.negated)))
      return undefined;
    parts.push(alternatives.length === 1 ? alternatives[0]! : { any: alternatives });
  }
  return parts.length ? canonicalFilter({ all: parts }) : undefined;
}

/** One subscription target as the API takes it (`id` is assigned by the adapter or the service). */
export interface HuaweiTarget {
  name: string;
  provider_type: 'CUSTOM' | 'OFFICIAL';
  connection_id?: string;
  detail?: Record<string, unknown>;
  kafka_detail?: { topic: string; [native: string]: unknown };
  transform: { type: 'ORIGINAL' | 'VARIABLE' | 'CONSTANT'; value?: string; template?: string };
  retry_times?: number;
  dead_letter_queue?: { type: 'KAFKA'; instance_id: string; connection_id: string; topic: string };
  [native: string]: unknown;
}

/** Huawei's routing limits. */
export const HUAWEI_ROUTING_LIMITS: RoutingLimits = {
  minTargets: 1,
  maxTargets: 5,
  targetKinds: ['http', 'function', 'kafka'],
  source: 'EG subscriptions: exactly one source and 1-5 targets',
};

/** Target `name` and `provider_type` per neutral kind (EG SDK / Terraform target names). */
export const HUAWEI_TARGET_NAMES = {
  http: { name: 'HTTPS', provider_type: 'CUSTOM' },
  function: { name: 'HC.FunctionGraph', provider_type: 'OFFICIAL' },
  kafka: { name: 'HC.Kafka', provider_type: 'OFFICIAL' },
} as const;

function transformOf(t: Transform | undefined): Translation<HuaweiTarget['transform']> {
  if (!t || t.kind === 'event') return accepted({ type: 'ORIGINAL' });
  if (t.kind === 'template') {
    if (!t.variables || !Object.keys(t.variables).length)
      return accepted({ type: 'CONSTANT', value: t.template });
    const over = Object.keys(t.variables).length > 100;
    return over
      ? refused('transform: VARIABLE takes at most 100 variables')
      : accepted({ type: 'VARIABLE', value: JSON.stringify(t.variables), template: t.template });
  }
  return refused(
    `transform: Huawei transforms are ORIGINAL, CONSTANT or VARIABLE; write path ${t.path} as { kind: template, template: "\${v}", variables: { v: "${t.path}" } }`,
  );
}

/** Neutral targets + delivery -> subscription `targets[]`. */
export function huaweiTargetsFromNeutral(
  targets: Target[],
  delivery?: Delivery,
): Translation<HuaweiTarget[]> {
  const reasons = targetCountProblems(P, targets, HUAWEI_ROUTING_LIMITS);
  const retry = delivery?.retry;
  if (retry?.backoff || retry?.delaySeconds !== undefined)
    reasons.push(
      "Huawei retry: a target takes only retry_times; the backoff schedule and delay are the service's",
    );
  const dl = delivery?.deadLetter;
  if (dl && !dl.instance)
    reasons.push('Huawei dead letter: dead_letter_queue needs instance_id: give deadLetter.instance');
  const out: HuaweiTarget[] = [];
  targets.forEach((t, i) => {
    const at = `targets.${i}`;
    if (t.kind === 'log') {
      reasons.push(
        `${at}: Huawei EventGrid has no log target (names: HTTPS, HC.FunctionGraph, HC.Kafka, HC.SMN, HC.EG, HC.APIGW)`,
      );
      return;
    }
    if (t.name !== undefined)
      return void reasons.push(
        `${at}.name: a Huawei target's name is its type (HTTPS, HC.FunctionGraph, HC.Kafka), which its kind sets; leave it out`,
      );
    const transform = transformOf(t.transform);
    if (!transform.ok) return void reasons.push(...transform.reasons.map((r) => `${at}: ${r}`));
    const ext = (t.extensions?.huawei ?? {}) as Record<string, unknown>;
    // a target's native settings: its detail object (kafka_detail for Kafka), nothing else, and
    // never the fields polybus writes from the neutral target
    const own = t.kind === 'kafka' ? 'kafka_detail' : 'detail';
    const owned = t.kind === 'kafka' ? 'topic' : t.kind === 'http' ? 'url' : 'urn';
    const bad = Object.keys(ext).filter((k) => k !== own);
    if (isRecord(ext[own]) && owned in ext[own]) bad.push(`${own}.${owned}`);
    else if (ext[own] !== undefined && !isRecord(ext[own])) bad.push(own);
    if (bad.length)
      return void reasons.push(
        ...bad.map(
          (k) =>
            `${at}.extensions.huawei.${k}: a ${t.kind} target takes only ${own} (an object) here, without ${owned}, which comes from the neutral target`,
        ),
      );
    const extDetail = isRecord(ext.detail) ? ext.detail : {};
    const base: HuaweiTarget = { ...HUAWEI_TARGET_NAMES[t.kind], transform: transform.native };
    if (t.kind === 'http') {
      base.detail = { ...extDetail, url: t.url };
      if (t.connection) base.connection_id = t.connection;
    } else if (t.kind === 'function') {
      base.detail = { ...extDetail, urn: t.function };
      const missing = ['invoke_type', 'agency_name'].filter((k) => typeof base.detail![k] !== 'string');
      if (missing.length) {
        reasons.push(
          `${at}: a FunctionGraph target needs detail.${missing.join(' and detail.')} (urn, invoke_type, agency_name are required): give them in extensions.huawei.detail`,
        );
        return;
      }
    } else {
      base.connection_id = t.connection;
      base.kafka_detail = { ...(isRecord(ext.kafka_detail) ? ext.kafka_detail : {}), topic: t.topic };
    }
    if (retry) base.retry_times = retry.maxAttempts;
    if (dl?.instance)
      base.dead_letter_queue = {
        type: 'KAFKA',
        instance_id: dl.instance,
        connection_id: dl.connection,
        topic: dl.topic,
      };
    out.push(base);
  });
  return reasons.length ? refused(...reasons.map((r) => `Huawei: ${r}`)) : accepted(out);
}

/** Subscription targets -> neutral targets and delivery; unknown target names come back as leftovers. */
export function huaweiTargetsToNeutral(rows: HuaweiTarget[]): {
  targets: Target[];
  delivery?: Delivery;
  leftovers: HuaweiTarget[];
} {
  const targets: Target[] = [];
  const leftovers: HuaweiTarget[] = [];
  let delivery: Delivery | undefined;
  for (const r of rows) {
    const tf = r.transform;
    const transform: Transform | undefined =
      tf?.type === 'CONSTANT'
        ? { kind: 'template', template: tf.value ?? '' }
        : tf?.type === 'VARIABLE'
          ? {
              kind: 'template',
              template: tf.template ?? '',
              variables: JSON.parse(tf.value ?? '{}') as Record<string, string>,
            }
          : undefined;
    const extra = transform ? { transform } : {};
    const url = r.detail?.url;
    if (r.name === 'HTTPS' && typeof url === 'string') {
      // the rest of detail (auth_type...) reads back where it is written: extensions.huawei.detail
      const { url: _url, ...detail } = r.detail!;
      targets.push({
        kind: 'http',
        url,
        ...(r.connection_id ? { connection: r.connection_id } : {}),
        ...extra,
        ...(Object.keys(detail).length ? { extensions: { huawei: { detail } } } : {}),
      });
    } else if (r.name === 'HC.FunctionGraph' && typeof r.detail?.urn === 'string') {
      const { urn, ...detail } = r.detail;
      targets.push({
        kind: 'function',
        function: urn as string,
        ...extra,
        extensions: { huawei: { detail } },
      });
    } else if (r.name === 'HC.Kafka' && r.kafka_detail && r.connection_id) {
      const { topic, ...kafka } = r.kafka_detail;
      targets.push({
        kind: 'kafka',
        connection: r.connection_id,
        topic,
        ...extra,
        ...(Object.keys(kafka).length ? { extensions: { huawei: { kafka_detail: kafka } } } : {}),
      });
    } else {
      leftovers.push(r);
      continue;
    }
    const dl = r.dead_letter_queue;
    if (r.retry_times !== undefined || dl)
      delivery = {
        ...(r.retry_times !== undefined ? { retry: { maxAttempts: r.retry_times } } : {}),
        ...(dl
          ? {
              deadLetter: {
                kind: 'kafka' as const,
                connection: dl.connection_id,
                topic: dl.topic,
                instance: dl.instance_id,
              },
            }
          : {}),
      };
  }
  return delivery ? { targets, delivery, leftovers } : { targets, leftovers };
}

/** Huawei's routing translator. */
export const huaweiRouting: RoutingTranslator<HuaweiFilterRule, HuaweiTarget[]> = {
  provider: P,
  limits: HUAWEI_ROUTING_LIMITS,
  translateFilter: huaweiFilterRuleFromFilter,
  translateTargets: huaweiTargetsFromNeutral,
};
