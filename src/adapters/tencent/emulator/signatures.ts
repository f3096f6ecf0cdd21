/**
 * How the Tencent emulator checks a request's signature: TC3-HMAC-SHA256 (signature v3, scope `eb`
 * or `tag`) and HmacSHA1/HmacSHA256 (signature v1), and the flattened parameters they carry.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LoopbackRequest } from '../../../testing/loopback.js';
import { parseTc3Authorization, Tc3Signer, type TencentCredentials, tc3Date } from '../auth.js';
import { type Params, TcError } from './common.js';
import { TAG_SERVICE } from './tags.js';

/** The product name a TC3 credential scope must carry: the first label of eb.tencentcloudapi.com. */
const TENCENT_SERVICE = 'eb';
/** Documented: a POST signed with HmacSHA1/HmacSHA256 may carry up to 1 MB. */
const V1_MAX_POST_BYTES = 1024 * 1024;
/** Signature v1 common parameters (seed 001, "Common parameters for Signature Algorithm v1"), plus the SDK's extras. */
const V1_COMMON_PARAMS = new Set([
  'Action',
  'Region',
  'Timestamp',
  'Nonce',
  'SecretId',
  'Signature',
  'Version',
  'SignatureMethod',
  'Token',
  'Language',
  'RequestClient',
]);
/**
 * Flattened parameters arrive as strings; the documented Integer and Boolean fields are read back
 * as such (the service reads them by the action's types).
 */
const INTEGER_FIELDS = new Set([
  'Limit',
  'Offset',
  'SaveDays',
  'BatchTimeout',
  'BatchEventCount',
  'StartTime',
  'EndTime',
  'Page',
  'Time',
  'RetryInterval',
  'MaxRetryAttempts',
]);
const BOOLEAN_FIELDS = new Set(['Enable', 'EnableStore', 'EnableBatchDelivery']);

function coerce(key: string, value: string): unknown {
  if (INTEGER_FIELDS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEAN_FIELDS.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** Rebuilds nested parameters from flattened names: `EventList.0.Source` -> `{ EventList: [{ Source }] }`. */
export function unflatten(flat: Iterable<[string, string]>): Params {
  const root: Params = {};
  for (const [name, value] of flat) {
    const path = name.split('.');
    let node: Record<string, unknown> = root;
    path.forEach((segment, i) => {
      if (i === path.length - 1) {
        node[segment] = coerce(segment, value);
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[i + 1]!);
      node[segment] ??= nextIsIndex ? [] : {};
      node = node[segment] as Record<string, unknown>;
    });
  }
  return root;
}

/** The official SDK signs the hostname without the port; a client signing the Host header keeps it. */
function hostCandidates(req: LoopbackRequest): string[] {
  const host = String(req.headers.host ?? '');
  return [...new Set([host, host.replace(/:\d+$/, '')])];
}

/** Verifies signatures with the credentials the emulator accepts, against its clock. */
export class TencentSignatures {
  private readonly signer = new Tc3Signer();

  constructor(
    private readonly credentials: TencentCredentials[],
    private readonly now: () => number,
  ) {}

  private credentialsFor(secretId: string): TencentCredentials {
    const creds = this.credentials.find((c) => c.secretId === secretId);
    if (!creds)
      throw new TcError(
        'AuthFailure.SecretIdNotFound',
        'The SecretId is not found, please ensure that your SecretId is correct.',
      );
    return creds;
  }

  private checkWindow(timestamp: number, name: string): void {
    if (!Number.isInteger(timestamp))
      throw new TcError('MissingParameter', `The parameter \`${name}\` is missing.`);
    if (Math.abs(this.now() / 1000 - timestamp) > 300) {
      throw new TcError(
        'AuthFailure.SignatureExpire',
        'Signature expired. Timestamp and server time cannot differ by more than five minutes.',
      );
    }
  }

  /**
   * Signature v3 (TC3-HMAC-SHA256). POST carries JSON; GET carries the parameters in the query
   * string (flattened `A.0.B=v`), which is then the CanonicalQueryString, and an empty payload.
   * The credential scope must name this product (`eb`) and the UTC date of X-TC-Timestamp.
   */
  verifyTc3(req: LoopbackRequest): {
    action: string;
    version: string;
    service: string;
    params: Params;
  } {
    const auth = parseTc3Authorization(req.headers.authorization);
    if (!auth)
      throw new TcError(
        'AuthFailure.InvalidAuthorization',
        'Authorization in the request header is invalid.',
      );
    if (auth.service !== TENCENT_SERVICE && auth.service !== TAG_SERVICE) {
      throw new TcError(
        'AuthFailure.InvalidAuthorization',
        `Authorization in the request header is invalid: the \`Service\` of its Credential is \`${auth.service}\`, this product is \`${TENCENT_SERVICE}\`.`,
      );
    }
    const creds = this.credentialsFor(auth.secretId);
    const timestamp = Number(req.headers['x-tc-timestamp']);
    this.checkWindow(timestamp, 'X-TC-Timestamp');
    if (auth.date !== tc3Date(timestamp)) {
      throw new TcError(
        'AuthFailure.InvalidAuthorization',
        `Authorization in the request header is invalid: the \`Date\` of its Credential (${auth.date}) is not the UTC date of X-TC-Timestamp (${tc3Date(timestamp)}).`,
      );
    }
    // SignedHeaders: at least content-type and host; custom headers may join them (Signature v3).
    const signedNames = auth.signedHeaders.split(';');
    const extraHeaders: Record<string, string> = {};
    for (const name of signedNames) {
      const value = req.headers[name];
      if (name === 'content-type' || name === 'host') continue;
      if (typeof value !== 'string') {
        throw new TcError(
          'AuthFailure.SignatureFailure',
          `The provided credentials could not be validated: the signed header \`${name}\` was not sent.`,
        );
      }
      extraHeaders[name] = value;
    }
    if (!signedNames.includes('content-type') || !signedNames.includes('host')) {
      throw new TcError(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated: SignedHeaders must include content-type and host.',
      );
    }
    const hasExtras = signedNames.length > 2;
    const isGet = req.method === 'GET';
    const canonicalQueryString = isGet ? req.url.search.slice(1) : '';
    const expected = hostCandidates(req).map(
      (h) =>
        this.signer.sign({
          secretId: creds.secretId,
          secretKey: creds.secretKey,
          service: auth.service,
          host: h,
          contentType: String(req.headers['content-type'] ?? ''),
          payload: isGet ? '' : req.body,
          timestamp,
          method: req.method,
          canonicalQueryString,
          ...(hasExtras ? { extraHeaders } : {}),
        }).signature,
    );
    const given = Buffer.from(auth.signature);
    if (!expected.some((e) => timingSafeEqual(Buffer.from(e), given))) {
      throw new TcError(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated. Please check your signature is correct.',
      );
    }
    if (creds.token !== undefined && req.headers['x-tc-token'] !== creds.token) {
      throw new TcError('AuthFailure.TokenFailure', 'Token error.');
    }
    let params: Params;
    if (isGet) params = unflatten(req.url.searchParams);
    else {
      try {
        params = JSON.parse(req.body.toString('utf8') || '{}') as Params;
      } catch {
        throw new TcError('InvalidParameter.Payload', 'Payload does not conform to the specification.');
      }
    }
    return {
      action: String(req.headers['x-tc-action'] ?? ''),
      version: String(req.headers['x-tc-version'] ?? ''),
      service: auth.service,
      params,
    };
  }

  /**
   * Signature v1 (HmacSHA1 / HmacSHA256): every parameter, the common ones included, in the query
   * string (GET) or an `application/x-www-form-urlencoded` body (POST, up to 1 MB). The string to
   * sign is METHOD + host + `/?` + the parameters sorted by name, `k=v` joined by `&`, values not
   * URL-encoded; the Signature is its Base64 HMAC, SHA256 only when SignatureMethod says HmacSHA256.
   */
  verifyV1(req: LoopbackRequest): { action: string; version: string; params: Params } {
    if (req.method === 'POST' && req.body.length > V1_MAX_POST_BYTES) {
      throw new TcError(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated because the request exceeds the 1 MB size limit of signature v1; use TC3-HMAC-SHA256.',
      );
    }
    const form = req.method === 'GET' ? req.url.searchParams : new URLSearchParams(req.body.toString('utf8'));
    const flat = new Map<string, string>();
    for (const [k, v] of form) flat.set(k, v);
    const signature = flat.get('Signature');
    if (!signature)
      throw new TcError(
        'AuthFailure.InvalidAuthorization',
        'Authorization in the request header is invalid.',
      );
    for (const name of ['SecretId', 'Timestamp', 'Nonce', 'Action', 'Version']) {
      if (!flat.get(name)) throw new TcError('MissingParameter', `The parameter \`${name}\` is missing.`);
    }
    const creds = this.credentialsFor(flat.get('SecretId')!);
    this.checkWindow(Number(flat.get('Timestamp')), 'Timestamp');
    const algorithm = flat.get('SignatureMethod') === 'HmacSHA256' ? 'sha256' : 'sha1';
    const query = [...flat.keys()]
      .filter((k) => k !== 'Signature')
      .sort()
      .map((k) => `${k}=${flat.get(k)}`)
      .join('&');
    const given = Buffer.from(signature);
    const ok = hostCandidates(req).some((h) => {
      const expected = Buffer.from(
        createHmac(algorithm, creds.secretKey)
          .update(`${req.method}${h}${req.url.pathname}?${query}`)
          .digest('base64'),
      );
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!ok) {
      throw new TcError(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated. Please check your signature is correct.',
      );
    }
    if (creds.token !== undefined && flat.get('Token') !== creds.token) {
      throw new TcError('AuthFailure.TokenFailure', 'Token error.');
    }
    const business = new URLSearchParams();
    for (const [k, v] of flat) if (!V1_COMMON_PARAMS.has(k)) business.append(k, v);
    const params = unflatten(business);
    if (flat.get('Region')) params.Region = flat.get('Region');
    return { action: flat.get('Action')!, version: flat.get('Version')!, params };
  }
}
