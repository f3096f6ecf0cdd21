/** YAML parsing with limits (size, depth, aliases): a hostile document is refused, never expanded. */
import type * as Yaml from 'yaml';
import { invalidArgument, type ValidationIssue } from '../model/errors.js';
import { lazyRequire } from '../runtime/lazy.js';

/** yaml loads on the first spec parsed, not when polybus is imported. */
export const yaml = lazyRequire<typeof Yaml>('yaml');

/** Largest spec (or `--input`) text accepted, in bytes: refused by length before parsing. */
export const MAX_SPEC_BYTES = 4 * 1024 * 1024;
/** Deepest nesting of maps and sequences accepted (a real spec needs about 6). */
export const MAX_SPEC_DEPTH = 64;
/** Most alias expansions accepted (YAML "billion laughs" bombs exceed it). */
export const MAX_SPEC_ALIASES = 100;

/** Deepest `[`/`{` nesting of flow collections, outside quotes and comments, stopping past `limit`. */
function flowDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length && max <= limit; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return max;
}

/** Deepest nesting of a parsed value (iterative, so depth itself cannot overflow the stack). */
function valueDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length && max <= limit) {
    const [v, d] = stack.pop()!;
    if (v && typeof v === 'object') {
      max = Math.max(max, d + 1);
      for (const inner of Object.values(v)) stack.push([inner, d + 1]);
    }
  }
  return max;
}

/** What makes a YAML text too large or too deep to parse safely, before parsing it. */
function textLimitIssues(text: string): ValidationIssue[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SPEC_BYTES)
    return [{ field: '(size)', rule: `is ${bytes} bytes; at most ${MAX_SPEC_BYTES} bytes are accepted` }];
  if (flowDepth(text, MAX_SPEC_DEPTH) > MAX_SPEC_DEPTH)
    return [{ field: '(nesting)', rule: `nests deeper than ${MAX_SPEC_DEPTH} levels` }];
  return [];
}

/**
 * Parses YAML (or JSON) with the spec's limits: size, nesting depth, alias expansions, unique keys.
 * Returns the value or every problem; never throws on hostile text.
 */
export function parseLimitedYaml(text: string): { value?: unknown; issues: ValidationIssue[] } {
  const early = textLimitIssues(text);
  if (early.length) return { issues: early };
  const tooDeep = { field: '(nesting)', rule: `nests too deep to parse (at most ${MAX_SPEC_DEPTH} levels)` };
  let doc: ReturnType<typeof Yaml.parseDocument>;
  try {
    doc = yaml().parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    if (err instanceof RangeError) return { issues: [tooDeep] };
    throw err;
  }
  if (doc.errors.length)
    return {
      issues: doc.errors.map((e) =>
        e.message.includes('Maximum call stack size exceeded')
          ? tooDeep
          : {
              field: '(syntax)',
              rule: e.message.split('\n')[0] ?? e.message,
              ...(e.linePos?.[0] ? { location: String(e.linePos[0].line) } : {}),
            },
      ),
    };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_SPEC_ALIASES });
  } catch (err) {
    const rule =
      err instanceof ReferenceError && /alias/i.test(err.message)
        ? `expands more than ${MAX_SPEC_ALIASES} aliases (a YAML alias bomb?)`
        : `cannot be read: ${(err as Error).message}`;
    return { issues: [{ field: '(syntax)', rule }] };
  }
  if (valueDepth(value, MAX_SPEC_DEPTH) > MAX_SPEC_DEPTH)
    return { issues: [{ field: '(nesting)', rule: `nests deeper than ${MAX_SPEC_DEPTH} levels` }] };
  return { value, issues: [] };
}

/** Parses a YAML or JSON input file's text (`--input`) under the spec's limits; InvalidArgument otherwise. */
export function parseYamlInput(text: string, file = 'input'): unknown {
  const { value, issues } = parseLimitedYaml(text);
  if (issues.length)
    throw invalidArgument(
      'polybus',
      'input',
      issues.map((i) => ({ ...i, location: i.location ? `${file}:${i.location}` : file })),
    );
  return value;
}
