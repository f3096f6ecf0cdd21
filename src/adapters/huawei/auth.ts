/**
 * Huawei Cloud authentication for EventGrid: AK/SK request signing (`SDK-HMAC-SHA256`, shared with
 * the emulator, which verifies with it), an explicit IAM token, or password login
 * (`POST /v3/auth/tokens`, token in the `X-Subject-Token` header) cached until shortly before it
 * expires. Secret keys, security tokens, passwords and tokens are registered for redaction and
 * never logged.
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { PolybusError } from '../../core/model/errors.js';
import { parseResponse } from '../../core/runtime/parse.js';
import { registerSecret } from '../../core/runtime/redact.js';
import type { Transport } from '../../core/runtime/transport.js';

/**
 * An access key pair (what Terraform, the CLI and the official SDKs use). `securityToken` is set
 * for temporary credentials (sent as `X-Security-Token`).
 */
export interface HuaweiAccessKeyCredentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string;
}

/** An access key pair, a ready IAM token, or IAM password credentials. */
export type HuaweiCredentials =
  HuaweiAccessKeyCredentials | { token: string } | { username: string; password: string; domainName: string };

/** True for access key credentials. */
export function isAccessKeyCredentials(c: HuaweiCredentials): c is HuaweiAccessKeyCredentials {
  return 'accessKey' in c;
}

/**
 * Environment names of an access key pair, official SDK names first, then the Terraform
 * provider's. The first pair with either half set is used; half a pair is an error.
 */
const ACCESS_KEY_ENV = [
  { ak: 'HUAWEICLOUD_SDK_AK', sk: 'HUAWEICLOUD_SDK_SK', token: 'HUAWEICLOUD_SDK_SECURITY_TOKEN' },
  { ak: 'HW_ACCESS_KEY', sk: 'HW_SECRET_KEY', token: 'HW_SECURITY_TOKEN' },
] as const;

/** Project id variables, in order: polybus's own, the official SDKs', the Terraform provider's. */
export const HUAWEI_PROJECT_ENV = ['HUAWEICLOUD_PROJECT_ID', 'HUAWEICLOUD_SDK_PROJECT_ID', 'HW_PROJECT_ID'];
/** Region variables, in order: polybus's own, the Terraform provider's. */
export const HUAWEI_REGION_ENV = ['HUAWEICLOUD_REGION', 'HW_REGION_NAME'];

/** The first non-empty variable of `names`. */
export function firstEnv(env: Record<string, string | undefined>, names: readonly string[]) {
  for (const n of names) if (env[n]) return env[n];
  return undefined;
}

const credentialsError = (message: string) =>
  new PolybusError({ code: 'AuthenticationFailed', provider: 'huawei', operation: 'credentials', message });

/**
 * Reads credentials from the environment. Precedence, first match wins:
 * 1. an access key pair: `HUAWEICLOUD_SDK_AK` + `HUAWEICLOUD_SDK_SK` (+ `HUAWEICLOUD_SDK_SECURITY_TOKEN`),
 *    else `HW_ACCESS_KEY` + `HW_SECRET_KEY` (+ `HW_SECURITY_TOKEN`);
 * 2. `HUAWEICLOUD_AUTH_TOKEN`;
 * 3. IAM password login: `HUAWEICLOUD_USERNAME` / `HUAWEICLOUD_PASSWORD` / `HUAWEICLOUD_DOMAIN_NAME`.
 * Half an access key pair is an error rather than a silent fall-through to another method.
 */
export function huaweiCredentialsFromEnv(env: Record<string, string | undefined>): HuaweiCredentials {
  for (const names of ACCESS_KEY_ENV) {
    const accessKey = env[names.ak];
    const secretKey = env[names.sk];
    if (!accessKey && !secretKey) continue;
    if (!accessKey || !secretKey)
      throw credentialsError(
        `${accessKey ? names.sk : names.ak} is not set: ${names.ak} and ${names.sk} go together`,
      );
    const securityToken = env[names.token];
    registerSecret(secretKey);
    registerSecret(securityToken);
    return { accessKey, secretKey, ...(securityToken ? { securityToken } : {}) };
  }
  if (env.HUAWEICLOUD_AUTH_TOKEN) {
    registerSecret(env.HUAWEICLOUD_AUTH_TOKEN);
    return { token: env.HUAWEICLOUD_AUTH_TOKEN };
  }
  const {
    HUAWEICLOUD_USERNAME: username,
    HUAWEICLOUD_PASSWORD: password,
    HUAWEICLOUD_DOMAIN_NAME: domainName,
  } = env;
  if (username && password && domainName) {
    registerSecret(password);
    return { username, password, domainName };
  }
  throw credentialsError(
    'no Huawei Cloud credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or HW_ACCESS_KEY and HW_SECRET_KEY), or HUAWEICLOUD_AUTH_TOKEN, or HUAWEICLOUD_USERNAME, HUAWEICLOUD_PASSWORD and HUAWEICLOUD_DOMAIN_NAME',
  );
}

/** The IAM password-login body, scoped to one project. */
export function iamPasswordBody(
  c: { username: string; password: string; domainName: string },
  projectId: string,
) {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: c.username, password: c.password, domain: { name: c.domainName } } },
      },
      scope: { project: { id: projectId } },
    },
  };
}

const TokenBody = z.object({ token: z.looseObject({ expires_at: z.string() }) });

/** Refresh this long before the token's `expires_at`. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** Options of {@link HuaweiTokenProvider}. */
export interface HuaweiTokenOptions {
  transport: Transport;
  credentials: () => Promise<HuaweiCredentials>;
  /** IAM origin, e.g. `https://iam.cn-north-4.myhuaweicloud.com`. */
  iamEndpoint: string;
  projectId: string;
}

/** Hands out a valid token, logging in and caching as needed. */
export class HuaweiTokenProvider {
  private cached?: { token: string; expiresAt: number; refreshable: boolean };
  private pending?: Promise<{ token: string; expiresAt: number; refreshable: boolean }>;

  constructor(private readonly options: HuaweiTokenOptions) {}

  /** A token valid for at least a few more minutes. */
  async token(signal?: AbortSignal): Promise<string> {
    const now = this.options.transport.clock.now();
    if (this.cached && this.cached.expiresAt - REFRESH_MARGIN_MS > now) return this.cached.token;
    this.pending ??= this.fetch(signal).finally(() => {
      this.pending = undefined;
    });
    this.cached = await this.pending;
    return this.cached.token;
  }

  /**
   * Drops `token` after a 401 so that the next call logs in again. Returns false when the token
   * came from the caller and cannot be refreshed.
   */
  invalidate(token: string): boolean {
    if (this.cached?.token !== token) return this.cached?.refreshable ?? true;
    const refreshable = this.cached.refreshable;
    if (refreshable) this.cached = undefined;
    return refreshable;
  }

  private async fetch(signal?: AbortSignal) {
    const creds = await this.options.credentials();
    if (isAccessKeyCredentials(creds)) {
      throw new PolybusError({
        code: 'Internal',
        provider: 'huawei',
        operation: 'credentials',
        message: 'access key credentials sign requests; they are not exchanged for a token',
      });
    }
    if ('token' in creds) {
      registerSecret(creds.token);
      return { token: creds.token, expiresAt: Number.POSITIVE_INFINITY, refreshable: false };
    }
    registerSecret(creds.password);
    return this.options.transport.execute(
      {
        provider: 'huawei',
        operation: 'KeystoneCreateUserTokenByPassword',
        method: 'POST',
        url: `${this.options.iamEndpoint}/v3/auth/tokens`,
        headers: { 'content-type': 'application/json;charset=utf8' },
        body: JSON.stringify(iamPasswordBody(creds, this.options.projectId)),
        ...(signal ? { signal } : {}),
      },
      (res) => {
        const requestId = res.headers['x-request-id'];
        const ctx = {
          provider: 'huawei',
          operation: 'KeystoneCreateUserTokenByPassword',
          httpStatus: res.status,
          ...(requestId ? { requestId } : {}),
        };
        if (res.status === 429 || res.status >= 500) {
          throw new PolybusError({
            ...ctx,
            code: res.status === 429 ? 'Throttled' : 'Unavailable',
            message: `IAM answered HTTP ${res.status}`,
          });
        }
        const token = res.headers['x-subject-token'];
        if (res.status !== 201 && res.status !== 200) {
          throw new PolybusError({
            ...ctx,
            code: res.status === 403 ? 'PermissionDenied' : 'AuthenticationFailed',
            message: `IAM password login failed with HTTP ${res.status}`,
          });
        }
        if (!token)
          throw new PolybusError({
            ...ctx,
            code: 'Internal',
            message: 'IAM response has no X-Subject-Token header',
          });
        registerSecret(token);
        let body: unknown;
        try {
          body = JSON.parse(res.body);
        } catch {
          body = undefined;
        }
        const parsed = parseResponse(TokenBody, body, ctx);
        return { token, expiresAt: Date.parse(parsed.token.expires_at), refreshable: true };
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// AK/SK signing (`SDK-HMAC-SHA256`): the SigV4 layout without key derivation.

/** The signing algorithm name, first word of the `Authorization` header. */
export const HUAWEI_SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
/** Hex SHA-256 of an empty body. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** Header whose value replaces the body hash when sent (e.g. `UNSIGNED-PAYLOAD`). */
export const CONTENT_SHA256_HEADER = 'x-sdk-content-sha256';

// One-shot hashing: no Hash object per request (signing is on every request's path).
const sha256Hex = (text: string) => hash('sha256', text, 'hex');

/** RFC 3986 percent-encoding of UTF-8: everything but `A-Z a-z 0-9 - _ . ~`, upper-case hex. */
export function huaweiPercentEncode(text: string): string {
  if (UNRESERVED.test(text)) return text;
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Text that percent-encoding leaves as it is (RFC 3986 unreserved characters only). */
const UNRESERVED = /^[A-Za-z0-9_.~-]*$/;

/** The last second converted by {@link huaweiSdkDate}: requests of one second share it. */
let lastSecond = { second: Number.NaN, date: '' };

/** `X-Sdk-Date` for an instant: UTC `YYYYMMDDTHHmmssZ`. */
export function huaweiSdkDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond.second) {
    const iso = new Date(second * 1000).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
    const date = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
    lastSecond = { second, date };
  }
  return lastSecond.date;
}

/** Parses an `X-Sdk-Date` value; undefined unless it is exactly `YYYYMMDDTHHmmssZ`. */
export function parseHuaweiSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

const decodeSegment = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/**
 * Canonical URI: each path segment (as the server decodes it) percent-encoded, joined by `/`,
 * always ending with `/`.
 */
export function huaweiCanonicalUri(pathname: string): string {
  // A path of unreserved characters and slashes (ids are UUIDs) is its own canonical form.
  const path = /^[A-Za-z0-9_.~/-]*$/.test(pathname)
    ? pathname
    : pathname
        .split('/')
        .map((s) => huaweiPercentEncode(decodeSegment(s)))
        .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

/** Canonical query: keys sorted, a repeated key's values sorted, `key=value` encoded, joined by `&`. */
export function huaweiCanonicalQuery(params: URLSearchParams): string {
  const byKey = new Map<string, string[]>();
  for (const [k, v] of params) byKey.set(k, [...(byKey.get(k) ?? []), v]);
  return [...byKey.keys()]
    .sort()
    .flatMap((k) =>
      byKey
        .get(k)!
        .sort()
        .map((v) => `${huaweiPercentEncode(k)}=${huaweiPercentEncode(v)}`),
    )
    .join('&');
}

/** A request as signed: the URL exactly as sent, the headers to sign, the body bytes as text. */
export interface HuaweiRequestToSign {
  method: string;
  url: string | URL;
  /** Header names in any case; looked up case-insensitively. */
  headers: Record<string, string>;
  body?: string | undefined;
}

const headerLookup = (headers: Record<string, string>) => {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return (name: string) => lower.get(name);
};

/**
 * The canonical request over exactly `signedHeaders` (lower-case, in the order given):
 * method, canonical URI, canonical query, `name:value\n` per header, the names joined by `;`, and
 * the payload hash (the `X-Sdk-Content-Sha256` value when sent, else SHA-256 of the body).
 */
export function huaweiCanonicalRequest(req: HuaweiRequestToSign, signedHeaders: readonly string[]): string {
  const url = typeof req.url === 'string' ? new URL(req.url) : req.url;
  const header = headerLookup(req.headers);
  const canonicalHeaders = signedHeaders.map((n) => `${n}:${(header(n) ?? '').trim()}\n`).join('');
  const payloadHash = header(CONTENT_SHA256_HEADER) ?? (req.body ? sha256Hex(req.body) : EMPTY_BODY_SHA256);
  return [
    req.method.toUpperCase(),
    huaweiCanonicalUri(url.pathname),
    huaweiCanonicalQuery(url.searchParams),
    canonicalHeaders,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/** Hex HMAC-SHA256, keyed with the SK, of `SDK-HMAC-SHA256\n<X-Sdk-Date>\nhex(sha256(canonical request))`. */
export function huaweiSignature(secretKey: string, sdkDate: string, canonicalRequest: string): string {
  const stringToSign = `${HUAWEI_SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
  return createHmac('sha256', secretKey).update(stringToSign, 'utf8').digest('hex');
}

/** Parts of an `Authorization: SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...` header. */
export function parseHuaweiAuthorization(
  value: string,
): { accessKey: string; signedHeaders: string[]; signature: string } | undefined {
  const m =
    /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)$/.exec(
      value.trim(),
    );
  return m ? { accessKey: m[1]!, signedHeaders: m[2]!.split(';'), signature: m[3]! } : undefined;
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Signs a request with an access key pair. Returns the headers to add: `X-Sdk-Date`,
 * `X-Project-Id` (when given), `X-Security-Token` (temporary credentials) and `Authorization`.
 * Every header of `req`, plus `host` (from the URL, as the HTTP client sends it) and the added
 * ones, is signed.
 */
export function signHuaweiRequest(
  req: HuaweiRequestToSign,
  creds: HuaweiAccessKeyCredentials,
  options: { now: number; projectId?: string },
): Record<string, string> {
  const url = typeof req.url === 'string' ? new URL(req.url) : req.url;
  const added: Record<string, string> = {
    'X-Sdk-Date': huaweiSdkDate(options.now),
    ...(options.projectId ? { 'X-Project-Id': options.projectId } : {}),
    ...(creds.securityToken ? { 'X-Security-Token': creds.securityToken } : {}),
  };
  const all = { ...req.headers, host: url.host, ...added };
  const signedHeaders = [...new Set(Object.keys(all).map((k) => k.toLowerCase()))].sort();
  const canonical = huaweiCanonicalRequest({ ...req, url, headers: all }, signedHeaders);
  const signature = huaweiSignature(creds.secretKey, added['X-Sdk-Date']!, canonical);
  return {
    ...added,
    Authorization: `${HUAWEI_SIGNING_ALGORITHM} Access=${creds.accessKey}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Whichever method is configured, behind one interface for the client.

/** The headers that authenticate one request, and what to do after a 401. */
export interface HuaweiAuthorization {
  headers: Record<string, string>;
  /** After a 401: true when authorizing again may succeed (the client then retries once). */
  invalidate(): boolean;
}

/** Authenticates EventGrid requests. */
export interface HuaweiAuthorizer {
  authorize(req: HuaweiRequestToSign, signal?: AbortSignal): Promise<HuaweiAuthorization>;
}

/** Token authentication only (`X-Auth-Token`), from a {@link HuaweiTokenProvider}. */
export function tokenAuthorizer(tokens: HuaweiTokenProvider): HuaweiAuthorizer {
  return {
    async authorize(_req, signal) {
      const token = await tokens.token(signal);
      return { headers: { 'x-auth-token': token }, invalidate: () => tokens.invalidate(token) };
    },
  };
}

/**
 * Authenticates with whatever the credential source returns: access keys sign each request
 * (read again for each request, so rotated temporary credentials are picked up; a 401 is retried
 * once only for temporary credentials), tokens and passwords go through {@link HuaweiTokenProvider}.
 */
export class HuaweiAuth implements HuaweiAuthorizer {
  readonly tokens: HuaweiTokenProvider;
  private readonly byToken: HuaweiAuthorizer;

  constructor(private readonly options: HuaweiTokenOptions) {
    this.tokens = new HuaweiTokenProvider(options);
    this.byToken = tokenAuthorizer(this.tokens);
  }

  async authorize(req: HuaweiRequestToSign, signal?: AbortSignal): Promise<HuaweiAuthorization> {
    const creds = await this.options.credentials();
    if (!isAccessKeyCredentials(creds)) return this.byToken.authorize(req, signal);
    registerSecret(creds.secretKey);
    registerSecret(creds.securityToken);
    const headers = signHuaweiRequest(req, creds, {
      now: this.options.transport.clock.now(),
      projectId: this.options.projectId,
    });
    return { headers, invalidate: () => creds.securityToken !== undefined };
  }
}
