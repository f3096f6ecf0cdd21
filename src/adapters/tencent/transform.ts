/**
 * Tencent EventBridge transformations as the emulator runs them (CheckTransformation, seed 001 data
 * types Extraction, EtlFilter, Transform, OutputStructParam, TextParams): a small JSONPath, an
 * EtlFilter matcher and the output template. Pure functions; it must never evaluate code from input.
 */

/** Why a transformation cannot run: the field and the documented rule it breaks. */
export class TransformationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = unknown;

/**
 * Evaluates a JSONPath of the forms the documents use: `$`, `$.` (the whole document, the
 * documented default of ExtractionInputPath), `$.a.b`, `$['a']`, `$.list[0]`, `$.list[*]`.
 * Returns `undefined` when the path selects nothing.
 */
export function jsonPath(doc: Json, path: string): Json {
  const p = path.trim();
  if (!p.startsWith('$'))
    throw new TransformationError('JsonPath', `\`${path}\` is not a JsonPath (starts with $)`);
  const rest = p === '$.' ? '' : p.slice(1);
  const tokens: (string | number | '*')[] = [];
  const re = /\.([A-Za-z0-9_$@-]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]|\[\*\]|\.\*/y;
  let i = 0;
  while (i < rest.length) {
    re.lastIndex = i;
    const m = re.exec(rest);
    if (!m) throw new TransformationError('JsonPath', `\`${path}\` is not a supported JsonPath`);
    tokens.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? m[4] ?? '*')));
    i = re.lastIndex;
  }
  let current: Json[] = [doc];
  let many = false;
  for (const t of tokens) {
    const next: Json[] = [];
    for (const node of current) {
      if (t === '*') {
        many = true;
        if (Array.isArray(node)) next.push(...node);
        else if (node && typeof node === 'object') next.push(...Object.values(node));
      } else if (typeof t === 'number') {
        if (Array.isArray(node) && t < node.length) next.push(node[t]);
      } else if (node && typeof node === 'object' && !Array.isArray(node) && t in node) {
        next.push((node as Record<string, Json>)[t]);
      }
    }
    current = next;
  }
  return many ? current : current[0];
}

type Matcher = Record<string, Json>;

/** One pattern value (an exact value or an operator object) against one event value. */
function matchOne(rule: Json, value: Json): boolean {
  if (rule === null || typeof rule !== 'object') return value === rule;
  const op = rule as Matcher;
  const s = typeof value === 'string' ? value : undefined;
  const table: Record<string, (arg: Json) => boolean> = {
    prefix: (a) => s !== undefined && s.startsWith(String(a)),
    suffix: (a) => s !== undefined && s.endsWith(String(a)),
    contain: (a) => s !== undefined && s.includes(String(a)),
    exists: (a) => (value !== undefined) === Boolean(a),
    'anything-but': (a) =>
      value !== undefined && (Array.isArray(a) ? !a.some((x) => matchOne(x, value)) : !matchOne(a, value)),
    numeric: (a) => {
      if (typeof value !== 'number' || !Array.isArray(a)) return false;
      const checks: Record<string, (x: number) => boolean> = {
        '=': (x) => value === x,
        '<': (x) => value < x,
        '<=': (x) => value <= x,
        '>': (x) => value > x,
        '>=': (x) => value >= x,
      };
      for (let k = 0; k + 1 < a.length; k += 2) {
        const check = checks[String(a[k])];
        if (!check || !check(Number(a[k + 1]))) return false;
      }
      return true;
    },
  };
  return Object.entries(op).every(([name, arg]) => {
    const fn = table[name];
    if (!fn) throw new TransformationError('EtlFilter.Filter', `unsupported operator \`${name}\``);
    return fn(arg);
  });
}

/**
 * Matches a document against a pattern "with the same syntax as Rule": keys AND, each key's array
 * of values or operators OR, nested objects descend.
 */
export function matchesPattern(pattern: Json, doc: Json): boolean {
  if (!pattern || typeof pattern !== 'object' || Array.isArray(pattern)) {
    throw new TransformationError('EtlFilter.Filter', 'the filter is a JSON object, as a rule EventPattern');
  }
  return Object.entries(pattern as Matcher).every(([key, rule]) => {
    const value = doc && typeof doc === 'object' ? (doc as Record<string, Json>)[key] : undefined;
    if (Array.isArray(rule)) {
      const values = Array.isArray(value) ? value : [value];
      return rule.some((r) => values.some((v) => matchOne(r, v)));
    }
    if (rule && typeof rule === 'object') return matchesPattern(rule, value);
    return matchOne(rule, value);
  });
}

/** One Transformation of the API (all parts optional, as documented). */
export interface TransformationSpec {
  Extraction?: {
    ExtractionInputPath?: string;
    Format?: string;
    TextParams?: { Separator?: string; Regex?: string } | null;
  } | null;
  EtlFilter?: { Filter?: string } | null;
  Transform?: { OutputStructs?: { Key: string; Value: string; ValueType: string }[] } | null;
}

/** SYS_VARIABLE values the emulator knows; `date` is the documented example. */
const SYS_VARIABLES: Record<string, (now: number) => Json> = {
  date: (now) => `${new Date(now).toISOString().slice(0, 19)}+00:00`,
};

/** ValueType -> how the Value becomes an output value (OutputStructParam, seed 001). */
const VALUE_TYPES: Record<string, (value: string, data: Json, now: number) => Json> = {
  STRING: (v) => v,
  NUMBER: (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n))
      throw new TransformationError('Transform.OutputStructs.Value', `\`${v}\` is not a NUMBER`);
    return n;
  },
  BOOLEAN: (v) => {
    if (v !== 'true' && v !== 'false')
      throw new TransformationError('Transform.OutputStructs.Value', `\`${v}\` is not a BOOLEAN`);
    return v === 'true';
  },
  NULL: () => null,
  JSONPATH: (v, data) => jsonPath(data, v) ?? null,
  SYS_VARIABLE: (v, _data, now) => {
    const sys = SYS_VARIABLES[v];
    if (!sys) throw new TransformationError('Transform.OutputStructs.Value', `unknown SYS_VARIABLE \`${v}\``);
    return sys(now);
  },
};

/** Extraction: the JsonPath selection (Format JSON) or its text, split by TextParams (Format TEXT). */
function extract(input: Json, extraction: NonNullable<TransformationSpec['Extraction']>): Json {
  const path = extraction.ExtractionInputPath || '$.';
  const selected = jsonPath(input, path);
  const format = (extraction.Format ?? 'JSON').toUpperCase();
  if (format === 'JSON') return selected;
  if (format !== 'TEXT') throw new TransformationError('Extraction.Format', 'valid values: TEXT/JSON');
  const text = typeof selected === 'string' ? selected : JSON.stringify(selected ?? null);
  const params = extraction.TextParams ?? {};
  if (params.Regex) {
    if (params.Regex.length > 128)
      throw new TransformationError('Extraction.TextParams.Regex', 'up to 128 characters');
    return text.match(new RegExp(params.Regex, 'g')) ?? [];
  }
  if (params.Separator !== undefined && params.Separator !== null) {
    if (params.Separator.length !== 1)
      throw new TransformationError('Extraction.TextParams.Separator', 'exactly 1 character');
    return text.split(params.Separator);
  }
  return text;
}

/**
 * Runs the transformations in order over the JSON `Input` and returns the `Output` string. An event
 * the EtlFilter rejects is dropped: the output is the empty string (the seed documents no code for
 * this case).
 */
export function runTransformations(
  input: string,
  transformations: TransformationSpec[],
  now: number,
): string {
  let data: Json;
  try {
    data = JSON.parse(input) as Json;
  } catch {
    throw new TransformationError('Input', 'Input is a JSON string to be processed');
  }
  for (const t of transformations) {
    if (t.Extraction) data = extract(data, t.Extraction);
    if (t.EtlFilter?.Filter !== undefined) {
      let pattern: Json;
      try {
        pattern = JSON.parse(t.EtlFilter.Filter) as Json;
      } catch {
        throw new TransformationError(
          'EtlFilter.Filter',
          'the filter is a JSON object, as a rule EventPattern',
        );
      }
      if (!matchesPattern(pattern, data)) return '';
    }
    if (t.Transform?.OutputStructs) {
      const out: Record<string, Json> = {};
      for (const s of t.Transform.OutputStructs) {
        const convert = VALUE_TYPES[s.ValueType];
        if (!convert)
          throw new TransformationError(
            'Transform.OutputStructs.ValueType',
            'valid values: STRING, NUMBER, BOOLEAN, NULL, SYS_VARIABLE, JSONPATH',
          );
        out[s.Key] = convert(s.Value, data, now);
      }
      data = out;
    }
  }
  return typeof data === 'string' ? data : JSON.stringify(data ?? null);
}
