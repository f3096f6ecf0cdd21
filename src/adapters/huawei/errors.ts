/**
 * Huawei EventGrid error bodies -> polybus codes: by `error_code` first (every code the seed
 * documents and the public SDKs name), then by HTTP status; 429 and 5xx are retryable.
 */
import { type ErrorCode, PolybusError, ruleForHttpStatus } from '../../core/model/errors.js';

/** One classification. */
export interface HuaweiErrorRule {
  code: ErrorCode;
  retryable?: boolean;
}

/** Documented codes (seed 004) and business codes from the public SDKs. */
export const HUAWEI_ERROR_CODES: Record<string, HuaweiErrorRule> = {
  'EG.00014000': { code: 'InvalidArgument' }, // 400 Bad request
  'EG.00014010': { code: 'AuthenticationFailed' }, // 401 Incorrect token or token resolution failed
  'EG.00014030': { code: 'PermissionDenied' }, // 403 No permissions to request this method
  'EG.00014040': { code: 'NotFound' }, // 404 Not request resource found
  'EG.00015000': { code: 'Unavailable', retryable: true }, // 500 Internal Server Error
  'EG.00513000': { code: 'InvalidArgument' }, // invalid parameters
  'EG.00513001': { code: 'AlreadyExists' }, // name duplicated
  'EG.00513005': { code: 'InvalidArgument' }, // invalid channel (e.g. a custom source on the official channel)
  'EG.00514003': { code: 'QuotaExceeded' }, // quota exceeded
  'EG.00512003': { code: 'PermissionDenied' }, // agency required
  'EG.00533007': { code: 'InvalidArgument' }, // too many events in one put (max 20)
  // API Gateway in front of every Huawei service
  'APIGW.0301': { code: 'AuthenticationFailed' },
  'APIGW.0101': { code: 'NotFound' },
  'APIGW.0308': { code: 'Throttled', retryable: true },
};

/** Classifies by code, then status (5xx: Unavailable, retryable). */
export function classifyHuaweiError(
  code: string | undefined,
  status: number,
): HuaweiErrorRule & { matched: 'code' | 'status' } {
  const byCode = code ? HUAWEI_ERROR_CODES[code] : undefined;
  if (byCode) return { ...byCode, matched: 'code' };
  return { ...(ruleForHttpStatus(status) ?? { code: 'Internal' }), matched: 'status' };
}

/**
 * Reads a Huawei error body as the official SDKs do: `error_code`/`error_msg`, else `code`/
 * `message`, else the same inside a nested `error` object.
 */
export function readHuaweiErrorBody(body: string): { code?: string; message?: string; requestId?: string } {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {};
  }
  const nested = (json.error && typeof json.error === 'object' ? json.error : {}) as Record<string, unknown>;
  const pick = (...vals: unknown[]) => vals.find((v): v is string => typeof v === 'string' && v.length > 0);
  const out: { code?: string; message?: string; requestId?: string } = {};
  const code = pick(json.error_code, json.code, nested.error_code, nested.code);
  const message = pick(json.error_msg, json.message, nested.error_msg, nested.message);
  const requestId = pick(json.request_id, nested.request_id);
  if (code) out.code = code;
  if (message) out.message = message;
  if (requestId) out.requestId = requestId;
  return out;
}

/** Builds the PolybusError for a non-2xx EventGrid response. */
export function mapHuaweiError(e: {
  status: number;
  body: string;
  operation: string;
  requestId?: string;
  retryAfterMs?: number;
  resource?: string;
}): PolybusError {
  const parsed = readHuaweiErrorBody(e.body);
  const rule = classifyHuaweiError(parsed.code, e.status);
  const requestId = e.requestId ?? parsed.requestId;
  return new PolybusError({
    code: rule.code,
    provider: 'huawei',
    operation: e.operation,
    httpStatus: e.status,
    message: `${e.operation}: ${parsed.code ?? `HTTP ${e.status}`}: ${parsed.message ?? 'no error message'}`,
    ...(parsed.code ? { providerCode: parsed.code } : {}),
    ...(rule.retryable !== undefined ? { retryable: rule.retryable } : {}),
    ...(requestId ? { requestId } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    ...(e.resource ? { resource: e.resource } : {}),
  });
}
