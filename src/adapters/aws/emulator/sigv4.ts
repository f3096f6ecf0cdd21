/**
 * SigV4 verification as AWS does it: the canonical request rebuilt from exactly what was signed,
 * the 15-minute clock window, the credential scope's date and service, and the session token.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { LoopbackRequest } from '../../../testing/loopback.js';
import type { AwsCredentials } from '../auth.js';
import { AwsError } from './errors.js';
import { ACCOUNT } from './state.js';

/** SigV4 allows 15 minutes between the request's X-Amz-Date and the server's clock. */
const SKEW_MS = 15 * 60_000;
const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding as SigV4 canonicalizes (unreserved `A-Za-z0-9-._~` kept). */
const uriEscape = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/** The path as sent, each segment encoded once more (every service but S3). */
const canonicalPath = (path: string) => path.split('/').map(uriEscape).join('/') || '/';
/** Query pairs decoded as sent (`+` is not a space), re-encoded and sorted by key, then value. */
function canonicalQuery(search: string): string {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const [k, v] = i < 0 ? [pair, ''] : [pair.slice(0, i), pair.slice(i + 1)];
      return [uriEscape(decode(k)), uriEscape(decode(v))] as const;
    })
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}
/** A header's canonical value: trimmed, inner runs of spaces collapsed, repeats joined by commas. */
const headerValue = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : [v ?? '']).map((x) => x.trim().replace(/\s+/g, ' ')).join(',');

/**
 * Verifies SigV4 over exactly what the request signed: the headers its `SignedHeaders` lists (no
 * others), the path and query as sent, and the payload hash from `x-amz-content-sha256` when the
 * client sent it (which must then match the body), else the SHA-256 of the body. Any official
 * client (JS SDK, botocore, the CLI, hand-signed requests) passes; a changed byte does not.
 * Returns the state scope the request names: `ACCOUNT/REGION` of its key and credential scope.
 */
export function verifySignature(
  credentials: (AwsCredentials & { account?: string })[],
  req: LoopbackRequest,
  expectedService: string,
): string {
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization ?? ''),
    );
  if (!m)
    throw new AwsError(
      'IncompleteSignature',
      'Authorization header requires Credential, SignedHeaders and Signature.',
      403,
    );
  const [, keyId, scopeDate, region, service, signedHeaders, signature] = m as unknown as string[];
  const creds = credentials.find((c) => c.accessKeyId === keyId);
  if (!creds)
    throw new AwsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      403,
    );
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const d = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!d) throw new AwsError('IncompleteSignature', 'X-Amz-Date is missing or malformed.', 403);
  const signed = new Date(Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!, +d[4]!, +d[5]!, +d[6]!)).getTime();
  const now = Date.now();
  const basic = (t: number) =>
    new Date(t)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  // The service's own wording for a request outside the 15-minute window.
  if (signed < now - SKEW_MS)
    throw new AwsError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${basic(now - SKEW_MS)} (${basic(now)} - 15 min.)`,
      403,
    );
  if (signed > now + SKEW_MS)
    throw new AwsError(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${basic(now + SKEW_MS)} (${basic(now)} + 15 min.)`,
      403,
    );
  if (scopeDate !== amzDate.slice(0, 8))
    throw new AwsError(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      403,
    );
  if (service !== expectedService)
    throw new AwsError(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${expectedService}'.`,
      403,
    );
  const names = signedHeaders!.split(';');
  if (!names.includes('host'))
    throw new AwsError(
      'IncompleteSignature',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      403,
    );
  if (creds.sessionToken !== undefined && req.headers['x-amz-security-token'] !== creds.sessionToken) {
    throw new AwsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      403,
    );
  }
  const bodyHash = sha256Hex(req.body);
  const declared = req.headers['x-amz-content-sha256'];
  const payloadHash = typeof declared === 'string' ? declared : bodyHash;
  if (payloadHash !== bodyHash && payloadHash !== 'UNSIGNED-PAYLOAD')
    throw new AwsError(
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      403,
    );
  const canonical = [
    req.method,
    canonicalPath(req.url.pathname),
    canonicalQuery(req.url.search),
    ...names.map((h) => `${h}:${headerValue(req.headers[h])}`),
    '',
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let key: Buffer = Buffer.from(`AWS4${creds.secretAccessKey}`);
  for (const part of [scopeDate!, region!, service!, 'aws4_request']) key = hmac(key, part);
  const want = hmac(key, toSign).toString('hex');
  if (!timingSafeEqual(Buffer.from(want), Buffer.from(signature!))) {
    throw new AwsError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      403,
    );
  }
  return `${creds.account ?? ACCOUNT}/${region!}`;
}
