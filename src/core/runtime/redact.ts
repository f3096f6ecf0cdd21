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

/** One form of a registered secret, and a case-insensitive pattern that finds it. */
interface SecretForm {
  text: string;
  lower: string;
  pattern: RegExp;
}
/** The registered values and their encoded forms, longest first. */
let secretForms: SecretForm[] = [];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Registers a secret value (a key, token or password) so that any string passing through
 * {@link redactText} has it replaced, wherever it appears and in any letter case (a provider may
 * echo a token upper- or lower-cased): as is, percent-encoded (inside a URL or a form body) and
 * JSON-escaped (inside a serialized body). Credential sources call this as soon as they load a
 * secret; values shorter than 4 characters are ignored to avoid mangling text.
 */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 4 || registeredSecrets.has(value)) return;
  registeredSecrets.add(value);
  const known = new Set(secretForms.map((f) => f.text));
  const added = [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]
    .filter((form) => !known.has(form) && known.add(form))
    .map((text) => ({ text, lower: text.toLowerCase(), pattern: new RegExp(escapeRegExp(text), 'gi') }));
  secretForms = [...secretForms, ...added].sort((a, b) => b.text.length - a.text.length);
}

/**
 * Environment variable names whose value is a secret: the secret-looking names of
 * {@link isSecretField} (`TENCENTCLOUD_SECRET_KEY`, `HUAWEICLOUD_AUTH_TOKEN`, `..._PASSWORD`) and the
 * `_SK` suffix of AK/SK pairs (`HUAWEICLOUD_SDK_SK`), but not identifiers (`TENCENTCLOUD_SECRET_ID`).
 */
const SECRET_ENV_NAME =
  /(^|_)(SK|SECRET_KEY|SECRET_ACCESS_KEY|PASSWORD|PASSWD|TOKEN|SESSION_TOKEN|AUTH_TOKEN|PRIVATE_KEY)$/i;

/** True when an environment variable of this name holds a secret (see {@link registerSecretsFromEnv}). */
export function isSecretEnvName(name: string): boolean {
  return SECRET_ENV_NAME.test(name);
}

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

/**
 * Where registered secrets sit in `text`, in any letter case, as merged [start, end) ranges: two
 * secrets that overlap or touch are one range, so no piece of either is left between two masks.
 */
function secretRanges(text: string): [number, number][] {
  const found: [number, number][] = [];
  for (const { pattern } of secretForms) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      found.push([m.index, m.index + m[0].length]);
      pattern.lastIndex = m.index + 1; // overlapping occurrences too
    }
  }
  if (found.length < 2) return found;
  found.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [found[0]!];
  for (const [start, end] of found.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * Replaces every registered secret value inside a string, in any letter case, and masks the
 * userinfo of every URL.
 */
export function redactText(text: string): string {
  let out = text;
  const ranges = secretRanges(out);
  for (let i = ranges.length - 1; i >= 0; i--) {
    const [start, end] = ranges[i]!;
    out = `${out.slice(0, start)}${REDACTED}${out.slice(end)}`;
  }
  return redactUrlUserinfo(out);
}

/** Shortest piece of a secret at the end of a cut text that is masked (as short as a registered secret). */
const MIN_SECRET_PIECE = 4;

/**
 * {@link redactText} for a text that may have been cut short (a body the connection dropped
 * mid-way): it also masks a tail that is the beginning of a registered secret, in any case, when
 * that tail is at least 4 characters long (shorter pieces match ordinary text too often, and
 * secrets shorter than that are not registered at all).
 */
export function redactCutText(text: string): string {
  const out = redactText(text);
  let cut = 0;
  for (const { text: form, lower } of secretForms) {
    for (let n = Math.min(form.length - 1, out.length); n >= Math.max(MIN_SECRET_PIECE, cut + 1); n--) {
      if (out.slice(-n).toLowerCase() === lower.slice(0, n) || out.slice(-n) === form.slice(0, n)) {
        cut = n;
        break;
      }
    }
  }
  return cut ? `${out.slice(0, out.length - cut)}${REDACTED}` : out;
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
