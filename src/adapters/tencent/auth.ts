/**
 * TC3-HMAC-SHA256 signing (Tencent Cloud API 3.0, "Signature v3") and Tencent credentials.
 * Signs exactly the bytes that are sent; never logs or returns the SecretKey.
 */
import { createHmac, hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PolybusError } from '../../core/model/errors.js';
import { registerSecret } from '../../core/runtime/redact.js';

/** A SecretId/SecretKey pair, with the session token of temporary credentials. */
export interface TencentCredentials {
  secretId: string;
  secretKey: string;
  token?: string;
}

/** What the signature covers. */
export interface Tc3SignInput {
  secretId: string;
  secretKey: string;
  /** Product, the endpoint's first label: `eb`, `cvm`. */
  service: string;
  /** The canonical `host` header value. */
  host: string;
  contentType: string;
  payload: string | Buffer;
  /** UNIX seconds, the X-TC-Timestamp value. */
  timestamp: number;
  method?: string;
  canonicalUri?: string;
  canonicalQueryString?: string;
  /**
   * Further headers to sign beside content-type and host (the document allows custom headers in
   * the signature): name -> value as sent.
   */
  extraHeaders?: Record<string, string>;
}

/** Every intermediate value, for tests and for the emulator's verification. */
export interface Tc3Signature {
  canonicalRequest: string;
  hashedCanonicalRequest: string;
  credentialScope: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

const ALGORITHM = 'TC3-HMAC-SHA256';
const SIGNED_HEADERS = 'content-type;host';

// One-shot hashing: no Hash object per call (signing is on every request's path).
const sha256Hex = (data: string | Buffer) => hash('sha256', data, 'hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** The last day converted by {@link tc3Date}: consecutive requests share their UTC date. */
let lastDay = { day: Number.NaN, date: '' };

/** The UTC date (YYYY-MM-DD) of a UNIX timestamp, as the credential scope needs. */
export function tc3Date(timestamp: number): string {
  const day = Math.floor(timestamp / 86_400);
  if (day !== lastDay.day) lastDay = { day, date: new Date(day * 86_400_000).toISOString().slice(0, 10) };
  return lastDay.date;
}

/** Canonical headers and SignedHeaders of Signature v3 step 1: lowercased, trimmed, sorted by name. */
function canonicalHeadersOf(input: Tc3SignInput): { canonical: string; signed: string } {
  if (!input.extraHeaders) {
    // The common case: content-type and host only, already in order.
    const ct = input.contentType.trim().toLowerCase();
    const host = input.host.trim().toLowerCase();
    return { canonical: `content-type:${ct}\nhost:${host}\n`, signed: SIGNED_HEADERS };
  }
  const given: [string, string][] = [
    ['content-type', input.contentType],
    ['host', input.host],
    ...Object.entries(input.extraHeaders),
  ];
  const headers = given.map(([k, v]): [string, string] => [k.trim().toLowerCase(), v.trim().toLowerCase()]);
  headers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    canonical: headers.map(([k, v]) => `${k}:${v}\n`).join(''),
    signed: headers.map(([k]) => k).join(';'),
  };
}

/**
 * A TC3 signer. The derived signing key depends only on SecretKey, date and service, so it is
 * cached per (SecretId, date, service) and recomputed when the key or the UTC date changes.
 */
export class Tc3Signer {
  private readonly keys = new Map<string, { secretKey: string; key: Buffer }>();

  /** Derives (or reuses) the signing key: HMAC chain "TC3"+SecretKey -> date -> service -> tc3_request. */
  signingKey(secretId: string, secretKey: string, date: string, service: string): Buffer {
    const cacheKey = `${secretId}/${date}/${service}`;
    const hit = this.keys.get(cacheKey);
    if (hit && hit.secretKey === secretKey) return hit.key;
    const key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
    if (this.keys.size > 64) this.keys.clear();
    this.keys.set(cacheKey, { secretKey, key });
    return key;
  }

  /** Signs one request per the Signature v3 steps 1-4. */
  sign(input: Tc3SignInput): Tc3Signature {
    // Keys and values lowercased and trimmed, sorted by key (Signature v3, step 1).
    const { canonical: canonicalHeaders, signed: signedHeaders } = canonicalHeadersOf(input);
    const canonicalRequest = `${input.method ?? 'POST'}\n${input.canonicalUri ?? '/'}\n${input.canonicalQueryString ?? ''}\n${canonicalHeaders}\n${signedHeaders}\n${sha256Hex(input.payload)}`;
    const date = tc3Date(input.timestamp);
    const credentialScope = `${date}/${input.service}/tc3_request`;
    const hashedCanonicalRequest = sha256Hex(canonicalRequest);
    const stringToSign = `${ALGORITHM}\n${input.timestamp}\n${credentialScope}\n${hashedCanonicalRequest}`;
    const key = this.signingKey(input.secretId, input.secretKey, date, input.service);
    const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
    const authorization = `${ALGORITHM} Credential=${input.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return {
      canonicalRequest,
      hashedCanonicalRequest,
      credentialScope,
      stringToSign,
      signature,
      authorization,
    };
  }
}

/** The parts of a TC3 Authorization header. */
export interface ParsedAuthorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string;
  signature: string;
}

/** Parses `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=..., Signature=...`. */
export function parseTc3Authorization(header: string | undefined): ParsedAuthorization | undefined {
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      header ?? '',
    );
  if (!m) return undefined;
  return { secretId: m[1]!, date: m[2]!, service: m[3]!, signedHeaders: m[4]!, signature: m[5]! };
}

function fromParts(secretId: string | undefined, secretKey: string | undefined, token: string | undefined) {
  if (!secretId || !secretKey) return undefined;
  registerSecret(secretKey);
  registerSecret(token);
  return { secretId, secretKey, ...(token ? { token } : {}) } satisfies TencentCredentials;
}

/** Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and optional `TENCENTCLOUD_SESSION_TOKEN`. */
export function tencentCredentialsFromEnv(
  env: Record<string, string | undefined>,
): TencentCredentials | undefined {
  return fromParts(env.TENCENTCLOUD_SECRET_ID, env.TENCENTCLOUD_SECRET_KEY, env.TENCENTCLOUD_SESSION_TOKEN);
}

/**
 * Reads the official SDKs' profile file (`~/.tencentcloud/credentials`, INI with a `[default]`
 * section holding `secret_id`, `secret_key`, optional `token`), or `TENCENTCLOUD_CREDENTIALS_FILE`.
 */
export async function tencentCredentialsFromProfile(
  env: Record<string, string | undefined>,
  profile = env.TENCENTCLOUD_PROFILE ?? 'default',
): Promise<TencentCredentials | undefined> {
  const path = env.TENCENTCLOUD_CREDENTIALS_FILE ?? join(homedir(), '.tencentcloud', 'credentials');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const section: Record<string, string> = {};
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1]!.trim();
    else if (current === profile && line.includes('=') && !line.startsWith('#') && !line.startsWith(';')) {
      const i = line.indexOf('=');
      section[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
  }
  return fromParts(section.secret_id, section.secret_key, section.token);
}

/** The default chain: environment, then the profile file. */
export async function tencentDefaultCredentials(
  env: Record<string, string | undefined>,
): Promise<TencentCredentials> {
  const creds = tencentCredentialsFromEnv(env) ?? (await tencentCredentialsFromProfile(env));
  if (creds) return creds;
  throw new PolybusError({
    code: 'AuthenticationFailed',
    provider: 'tencent',
    operation: 'credentials',
    message:
      'no Tencent Cloud credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or write ~/.tencentcloud/credentials',
  });
}
