/**
 * Secret redaction shared by errors, transport hooks and the CLI. It must never mutate its input
 * and never let a registered secret value or a secret-named field through.
 */

/** Placeholder written where a secret was. */
export const REDACTED = '[REDACTED]';

/** Header names whose values are credentials on any provider (lowercase). */
const SECRET_HEADERS = new Set([
  'authorization',
  'x-auth-token',
  'x-subject-token',
  'x-tc-token',
  'x-amz-security-token',
  'cookie',
  'set-cookie',
  'proxy-authorization',
]);

/** Field names that look secret but are not: paging cursors and idempotency keys. */
const NOT_SECRET_FIELDS = new Set(['clienttoken', 'nexttoken', 'tokentype']);

const SECRET_FIELD = /secret|passw|token|credential|private.?key|sasl.?pass/i;

const registeredSecrets = new Set<string>();

/**
 * Registers a secret value (a key, token or password) so that any string passing through
 * {@link redactText} has it replaced, wherever it appears. Credential sources call this as soon
 * as they load a secret; values shorter than 4 characters are ignored to avoid mangling text.
 */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registeredSecrets.add(value);
}

/** True when a header carries credentials. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** True when an object field of this name holds a secret (password, secretKey, token...). */
export function isSecretField(name: string): boolean {
  return !NOT_SECRET_FIELDS.has(name.toLowerCase()) && SECRET_FIELD.test(name);
}

/** Replaces every registered secret value inside a string. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of registeredSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Returns a copy of the headers with credential headers replaced by {@link REDACTED}. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = isSecretHeader(name) ? REDACTED : redactText(text);
  }
  return out;
}

/** Deep copy of a JSON-like value with secret-named fields and registered secrets replaced. */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = isSecretField(key) && inner !== null && inner !== undefined ? REDACTED : redactValue(inner);
    }
    return out;
  }
  return value;
}

/** Redacts a request or response body: JSON bodies field by field, anything else as text. */
export function redactBody(body: string | undefined): string | undefined {
  if (body === undefined || body === '') return body;
  try {
    return JSON.stringify(redactValue(JSON.parse(body)));
  } catch {
    return redactText(body);
  }
}
