/** Parsing and checking at the adapter boundary: inputs before any request, responses after. */
import { z } from 'zod';
import { invalidArgument, PolybusError, type ValidationIssue } from '../model/errors.js';
import { REDACTED, redactBody, redactCutText, redactText } from './redact.js';

/** A copy without the fields that carry no value (undefined, null, empty string). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as T;
}

/**
 * A provider timestamp as ISO 8601 UTC: ISO strings with any offset, and the zone-less
 * `YYYY-MM-DD HH:mm:ss` some APIs document as UTC. Undefined when absent or unreadable.
 */
export function toIsoTime(t: string | null | undefined): string | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t.includes('T') ? t : `${t.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Control characters (CR, LF, tab, NUL, DEL, C1) and the Unicode line and paragraph separators. */
const CONTROL_CHARACTERS = /[\p{Cc}\u2028\u2029]/u;

/** A dotted field path for messages: a key's control characters are written as JSON escapes. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => {
      const s = String(p);
      return CONTROL_CHARACTERS.test(s) ? JSON.stringify(s).slice(1, -1) : s;
    })
    .join('.');
}

/** The issues of a failed parse, each naming its field; a bad record key gets its own rule. */
function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    field: fieldPath(issue.path) || '(input)',
    rule:
      issue.code === 'invalid_key' && issue.issues.length
        ? issue.issues.map((i) => i.message).join('; ')
        : issue.message,
  }));
}

/** The key that replaces an object's prototype when assigned (`o[key] = v`) and that zod drops. */
const PROTO = '__proto__';
/** How deep {@link protoKeyIssues} looks (a spec is limited to 64 levels; inputs are shallower). */
const PROTO_SCAN_DEPTH = 256;

/**
 * An issue for every own `__proto__` key at any depth of a value (JSON.parse, YAML and
 * Object.fromEntries make them): refused, since a record schema would drop it without a word and
 * an assignment would change an object's prototype. `prefix` is the path of `value`.
 */
export function protoKeyIssues(value: unknown, prefix: (string | number)[] = []): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<object>();
  const stack: [unknown, (string | number)[]][] = [[value, prefix]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (!v || typeof v !== 'object' || seen.has(v) || path.length - prefix.length > PROTO_SCAN_DEPTH)
      continue;
    seen.add(v);
    if (Object.prototype.hasOwnProperty.call(v, PROTO))
      issues.push({
        field: fieldPath([...path, PROTO]),
        rule: `${PROTO} is not accepted as a key at any depth (it would be dropped or replace an object's prototype)`,
      });
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    for (const [k, inner] of entries) if (k !== PROTO) stack.push([inner, [...path, k]]);
  }
  return issues.reverse();
}

/** The `__proto__` issues and the schema's, the schema's own report of the same field left out. */
function withProtoIssues(proto: ValidationIssue[], issues: ValidationIssue[]): ValidationIssue[] {
  const fields = new Set(proto.map((i) => i.field));
  return [...proto, ...issues.filter((i) => !fields.has(i.field))];
}

/** Validation issues of a value against a schema, without throwing (for whole-file reports). */
export function issuesOf(schema: z.ZodType, value: unknown): ValidationIssue[] {
  const proto = protoKeyIssues(value);
  const result = schema.safeParse(value);
  return result.success ? proto : withProtoIssues(proto, zodIssues(result.error));
}

/**
 * Parses input with a zod schema and turns every failure into one `InvalidArgument` error that
 * names each field and rule. An own `__proto__` key at any depth is refused too (see
 * {@link protoKeyIssues}). Call it before any network request.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  provider: string,
  operation: string,
): z.infer<S> {
  const proto = protoKeyIssues(value);
  const result = schema.safeParse(value);
  if (result.success && !proto.length) return result.data;
  throw invalidArgument(
    provider,
    operation,
    withProtoIssues(proto, result.success ? [] : zodIssues(result.error)),
  );
}

/**
 * The first `max` characters of a response body for an error message. The whole body is redacted
 * first (registered secrets in any case, secret-named JSON fields, URL userinfo, and a secret's
 * beginning where the body was cut), then cut, so that a secret straddling the cut is never half
 * printed; a mask is never cut in two.
 */
export function bodyExcerpt(body: string, max = 120): string {
  const flat = redactText(
    redactCutText(redactBody(body) ?? '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  if (flat.length <= max) return flat;
  const mask = flat.lastIndexOf(REDACTED, max - 1);
  const end = mask >= 0 && mask + REDACTED.length > max ? mask + REDACTED.length : max;
  return `${flat.slice(0, end)}...`;
}

/**
 * Parses a provider response at the edge. A body that does not match is a fault of the wire (a
 * gateway's page, a cut body), not a polybus bug: it becomes a retryable `Unavailable` carrying
 * the status, the request id and the first bytes of the body, so that a read is retried and a
 * create is looked up before anything is sent again.
 */
export function parseResponse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  context: { provider: string; operation: string; requestId?: string; httpStatus?: number; body?: string },
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { body, ...ctx } = context;
  const where = result.error.issues
    .slice(0, 3)
    .map((i) => `${fieldPath(i.path)}: ${i.message}`)
    .join('; ');
  const raw = body ?? (value === undefined ? '' : JSON.stringify(value));
  throw new PolybusError({
    code: 'Unavailable',
    retryable: true,
    providerCode: 'MalformedResponse',
    ...ctx,
    message: `malformed response from ${context.provider} ${context.operation}${context.httpStatus ? ` (HTTP ${context.httpStatus})` : ''}: ${where}; body starts: ${JSON.stringify(bodyExcerpt(raw))}`,
    cause: result.error,
  });
}
