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

const SECRET_FIELD =
  /secret|passw|token|credential|private.?key|sasl.?pass|api.?key|^pwd$|^pass$|^sk$|^authorization$/i;

const registeredSecrets = new Set<string>();
/** The registered values and their encoded forms, longest first (a secret containing another is masked whole). */
let secretForms: string[] = [];

/**
 * Registers a secret value (a key, token or password) so that any string passing through
 * {@link redactText} has it replaced, wherever it appears: as is, percent-encoded (inside a URL or
 * a form body) and JSON-escaped (inside a serialized body). Credential sources call this as soon
 * as they load a secret; values shorter than 4 characters are ignored to avoid mangling text.
 */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 4 || registeredSecrets.has(value)) return;
  registeredSecrets.add(value);
  const forms = new Set(secretForms);
  for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) forms.add(form);
  secretForms = [...forms].sort((a, b) => b.length - a.length);
}

/**
 * Environment variable names whose value is a secret: the secret-looking names of
 * {@link isSecretField} (`TENCENTCLOUD_SECRET_KEY`, `HUAWEICLOUD_AUTH_TOKEN`, `..._PASSWORD`) and the
 * `_SK` suffix of AK/SK pairs (`HUAWEICLOUD_SDK_SK`), but not identifiers (`TENCENTCLOUD_SECRET_ID`).
 */
const SECRET_ENV_NAME =
  /(^|_)(SK|SECRET_KEY|SECRET_ACCESS_KEY|PASSWORD|PASSWD|TOKEN|SESSION_TOKEN|AUTH_TOKEN|PRIVATE_KEY)$/i;

/**
 * Registers the value of every secret-named environment variable (see {@link SECRET_ENV_NAME}), so
 * that a key, token or password read from the environment is masked even when no credential source
 * has loaded it yet. Returns how many values were registered.
 */
export function registerSecretsFromEnv(env: Record<string, string | undefined>): number {
  let n = 0;
  for (const [name, value] of Object.entries(env)) {
    if (value && SECRET_ENV_NAME.test(name)) {
      registerSecret(value);
      n += 1;
    }
  }
  return n;
}

/**
 * The userinfo of a URL (`scheme://user:password@host`): the password is masked, and a userinfo
 * without a password (`https://token@host`, often a token) is masked whole.
 */
// Greedy to the last '@' of the authority, so an unencoded '@' inside the password is masked too.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#'"<>]+)@/gi;

/** Masks the userinfo of every URL in a text. */
export function redactUrlUserinfo(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(URL_USERINFO, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}${URL_MASK}@` : `${scheme}${userinfo.slice(0, colon)}:${URL_MASK}@`;
  });
}

/** What replaces a URL's password: URL-safe, so the URL stays parseable. */
export const URL_MASK = '***';

/** True when a header carries credentials. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** True when an object field of this name holds a secret (password, secretKey, token...). */
export function isSecretField(name: string): boolean {
  return !NOT_SECRET_FIELDS.has(name.toLowerCase()) && SECRET_FIELD.test(name);
}

/** Replaces every registered secret value inside a string, and masks the userinfo of every URL. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of secretForms) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return redactUrlUserinfo(out);
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
  // Dates and bytes are values, not records: a date prints as its ISO time (as JSON.stringify
  // would), bytes as base64 (redacted like any text), never as `{}` or a map of indexes.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return redactText(Buffer.from(value).toString('base64'));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const secret = isSecretField(key) && inner !== null && inner !== undefined;
      // A value seen under a secret name is masked wherever it appears later too.
      if (secret && typeof inner === 'string') registerSecret(inner);
      out[key] = secret ? REDACTED : redactValue(inner);
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
