/**
 * Tencent EventBridge transformations as the emulator runs them (CheckTransformation, seed 001 data
 * types Extraction, EtlFilter, Transform, OutputStructParam, TextParams): a small JSONPath, an
 * EtlFilter matcher and the output template. Pure functions; it must never evaluate code from input.
 */
import { matchesEventPattern, type TencentEventPattern, validateEventPattern } from './routing.js';

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

/**
 * Matches a document against an EtlFilter pattern, which has "the same syntax as Rule": one
 * evaluator for both, the rule EventPattern one (proven against the neutral evaluator).
 */
function matchesFilter(pattern: Json, doc: Json): boolean {
  if (
    !pattern ||
    typeof pattern !== 'object' ||
    Array.isArray(pattern) ||
    validateEventPattern(pattern).length
  )
    throw new TransformationError('EtlFilter.Filter', 'the filter is a JSON object, as a rule EventPattern');
  const record = doc && typeof doc === 'object' && !Array.isArray(doc) ? doc : {};
  return matchesEventPattern(pattern as TencentEventPattern, record as Record<string, unknown>).matched;
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
      if (!matchesFilter(pattern, data)) return '';
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
