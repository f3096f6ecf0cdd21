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

/** Validation issues of a value against a schema, without throwing (for whole-file reports). */
export function issuesOf(schema: z.ZodType, value: unknown): ValidationIssue[] {
  const result = schema.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(input)', rule: i.message }));
}

/**
 * Parses input with a zod schema and turns every failure into one `InvalidArgument` error that
 * names each field and rule. Call it before any network request.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  provider: string,
  operation: string,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidArgument(
    provider,
    operation,
    result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(input)',
      rule: issue.message,
    })),
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
    .map((i) => `${i.path.map(String).join('.')}: ${i.message}`)
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
