/**
 * ARM and Entra ID error answers -> polybus codes: by the ARM `error.code` first, then by HTTP
 * status (429 and 5xx retryable, `Retry-After` kept); the request id from `x-ms-request-id`.
 */
import { type ErrorCode, PolybusError, ruleForHttpStatus } from '../../core/model/errors.js';

/** One classification. */
export interface AzureErrorRule {
  code: ErrorCode;
  retryable?: boolean;
}

/** ARM error codes (REST reference "Common error codes", Event Grid answers, Entra OAuth errors). */
export const AZURE_ERROR_CODES: Record<string, AzureErrorRule> = {
  ResourceNotFound: { code: 'NotFound' },
  NotFound: { code: 'NotFound' },
  ResourceGroupNotFound: { code: 'NotFound' },
  ParentResourceNotFound: { code: 'NotFound' },
  SubscriptionNotFound: { code: 'NotFound' },
  AuthenticationFailed: { code: 'AuthenticationFailed' },
  InvalidAuthenticationToken: { code: 'AuthenticationFailed' },
  ExpiredAuthenticationToken: { code: 'AuthenticationFailed' },
  InvalidAuthenticationTokenAudience: { code: 'AuthenticationFailed' },
  Unauthorized: { code: 'AuthenticationFailed' },
  invalid_client: { code: 'AuthenticationFailed' },
  unauthorized_client: { code: 'AuthenticationFailed' },
  invalid_request: { code: 'AuthenticationFailed' },
  invalid_scope: { code: 'AuthenticationFailed' },
  AuthorizationFailed: { code: 'PermissionDenied' },
  LinkedAuthorizationFailed: { code: 'PermissionDenied' },
  Forbidden: { code: 'PermissionDenied' },
  InvalidRequest: { code: 'InvalidArgument' },
  BadRequest: { code: 'InvalidArgument' },
  InvalidRequestContent: { code: 'InvalidArgument' },
  InvalidResourceLocation: { code: 'InvalidArgument' },
  LocationRequired: { code: 'InvalidArgument' },
  InvalidTagNameCharacters: { code: 'InvalidArgument' },
  MissingApiVersionParameter: { code: 'InvalidArgument' },
  InvalidApiVersionParameter: { code: 'InvalidArgument' },
  RequestEntityTooLarge: { code: 'InvalidArgument' },
  'Url validation': { code: 'InvalidArgument' },
  Conflict: { code: 'Conflict' },
  AnotherOperationInProgress: { code: 'Conflict', retryable: true },
  QuotaExceeded: { code: 'QuotaExceeded' },
  TooManyRequests: { code: 'Throttled', retryable: true },
  InternalServerError: { code: 'Unavailable', retryable: true },
  ServiceUnavailable: { code: 'Unavailable', retryable: true },
  GatewayTimeout: { code: 'Unavailable', retryable: true },
};

/** Classifies by code, then status. */
export function classifyAzureError(code: string | undefined, status: number): AzureErrorRule {
  const byCode = code ? AZURE_ERROR_CODES[code] : undefined;
  if (byCode) return byCode;
  return ruleForHttpStatus(status) ?? { code: 'Internal' };
}

/** Reads `{ error: { code, message } }` (ARM) or `{ error, error_description }` (OAuth). */
export function readAzureErrorBody(body: string): { code?: string; message?: string } {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {};
  }
  const e = json.error;
  if (e && typeof e === 'object') {
    const { code, message } = e as Record<string, unknown>;
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message } : {}),
    };
  }
  return {
    ...(typeof e === 'string' ? { code: e } : {}),
    ...(typeof json.error_description === 'string' ? { message: json.error_description } : {}),
  };
}

/** The PolybusError of a non-2xx answer (or of a failed long-running operation: `status` 0 there). */
export function mapAzureError(e: {
  status: number;
  body: string;
  operation: string;
  requestId?: string;
  retryAfterMs?: number;
  resource?: string;
}): PolybusError {
  const parsed = readAzureErrorBody(e.body);
  const rule = classifyAzureError(parsed.code, e.status);
  return new PolybusError({
    code: rule.code,
    provider: 'azure',
    operation: e.operation,
    ...(e.status ? { httpStatus: e.status } : {}),
    message: `${e.operation}: ${parsed.code ?? `HTTP ${e.status}`}: ${parsed.message ?? 'no error message'}`,
    ...(parsed.code ? { providerCode: parsed.code } : {}),
    ...(rule.retryable !== undefined ? { retryable: rule.retryable } : {}),
    ...(e.requestId ? { requestId: e.requestId } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    ...(e.resource ? { resource: e.resource } : {}),
  });
}
