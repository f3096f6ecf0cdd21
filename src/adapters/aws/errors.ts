/**
 * AppIntegrations errors -> polybus codes, by error name first and HTTP status second: quota and
 * throttling are both 429 but only throttling is retryable; a 409 duplicate is never retried.
 */
import { bodyExcerpt } from '../../core/runtime/parse.js';
import { type ErrorCode, isPolybusError, PolybusError, ruleForHttpStatus } from '../../core/model/errors.js';

/** One classification. */
export interface AwsErrorRule {
  code: ErrorCode;
  retryable?: boolean;
}

/** Every error the AppIntegrations model names (service-2.json), with its status. */
export const AWS_ERROR_NAMES: Record<string, AwsErrorRule & { status: number }> = {
  AccessDeniedException: { code: 'PermissionDenied', status: 403 },
  DuplicateResourceException: { code: 'AlreadyExists', retryable: false, status: 409 },
  InternalServiceError: { code: 'Unavailable', retryable: true, status: 500 },
  InvalidRequestException: { code: 'InvalidArgument', status: 400 },
  ResourceQuotaExceededException: { code: 'QuotaExceeded', retryable: false, status: 429 },
  ThrottlingException: { code: 'Throttled', retryable: true, status: 429 },
  ResourceNotFoundException: { code: 'NotFound', status: 404 },
  UnsupportedOperationException: { code: 'Unsupported', status: 400 },
};

/** EventBridge's modeled errors (JSON 1.1; most arrive as HTTP 400, so the name decides). */
export const EVENTBRIDGE_ERROR_NAMES: Record<string, AwsErrorRule> = {
  ResourceAlreadyExistsException: { code: 'AlreadyExists' },
  ResourceNotFoundException: { code: 'NotFound' },
  LimitExceededException: { code: 'QuotaExceeded' },
  ConcurrentModificationException: { code: 'Conflict', retryable: true },
  InternalException: { code: 'Unavailable', retryable: true },
  InvalidStateException: { code: 'Conflict' },
  IllegalStatusException: { code: 'Conflict' },
  OperationDisabledException: { code: 'Unsupported' },
  ManagedRuleException: { code: 'PermissionDenied' },
  InvalidEventPatternException: { code: 'InvalidArgument' },
  PolicyLengthExceededException: { code: 'InvalidArgument' },
  ValidationException: { code: 'InvalidArgument' },
};

/** Common AWS errors any service can answer (SigV4, credentials). */
const COMMON: Record<string, AwsErrorRule> = {
  UnrecognizedClientException: { code: 'AuthenticationFailed' },
  InvalidSignatureException: { code: 'AuthenticationFailed' },
  SignatureDoesNotMatch: { code: 'AuthenticationFailed' },
  ExpiredTokenException: { code: 'AuthenticationFailed' },
  InvalidClientTokenId: { code: 'AuthenticationFailed' },
  IncompleteSignature: { code: 'AuthenticationFailed' },
  CredentialsProviderError: { code: 'AuthenticationFailed' },
  TimeoutError: { code: 'Timeout', retryable: true },
};

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

/** Classifies by name, then status. */
export function classifyAwsError(
  name: string | undefined,
  status: number | undefined,
): AwsErrorRule & { matched: 'name' | 'status' | 'fallback' } {
  const byName =
    (name && (AWS_ERROR_NAMES[name] ?? EVENTBRIDGE_ERROR_NAMES[name] ?? COMMON[name])) || undefined;
  if (byName)
    return {
      code: byName.code,
      ...(byName.retryable !== undefined ? { retryable: byName.retryable } : {}),
      matched: 'name',
    };
  if (status !== undefined) {
    const s = ruleForHttpStatus(status);
    if (s) return { ...s, matched: 'status' };
  }
  return { code: 'Internal', matched: 'fallback' };
}

/** The shape of an SDK error that polybus reads. */
interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/**
 * The SDK error to keep as a cause, without its raw `$response`: that holds the socket and the
 * signed request, session token included, which `util.inspect(err)` would print. Same prototype,
 * name, message, stack and `$metadata`.
 */
function withoutRawResponse(err: unknown): unknown {
  if (!err || typeof err !== 'object' || !('$response' in err)) return err;
  const copy = Object.create(Object.getPrototypeOf(err) as object) as object;
  for (const key of Reflect.ownKeys(err))
    if (key !== '$response')
      Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(err, key) as PropertyDescriptor);
  return copy;
}

/** Turns anything the SDK throws into a PolybusError. */
export function mapAwsError(
  err: unknown,
  operation: string,
  context: { timedOut?: boolean; cancelled?: boolean; resource?: string } = {},
): PolybusError {
  if (isPolybusError(err)) return err;
  const e = (err ?? {}) as SdkError;
  const base = {
    provider: 'aws',
    operation,
    cause: withoutRawResponse(err),
    ...(context.resource ? { resource: context.resource } : {}),
  };
  if (context.cancelled)
    return new PolybusError({
      ...base,
      code: 'Cancelled',
      message: `${operation} was cancelled by the caller`,
    });
  if (context.timedOut)
    return new PolybusError({ ...base, code: 'Timeout', message: `${operation} timed out` });
  const status = e.$metadata?.httpStatusCode;
  // The SDK could not read a response body (a gateway's page, a cut body): a fault of the wire.
  const raw = (err as { $response?: { statusCode?: number; body?: unknown } } | undefined)?.$response;
  if (raw && (status === undefined || status < 300)) {
    const text = (err as { $responseBodyText?: unknown }).$responseBodyText;
    return new PolybusError({
      ...base,
      code: 'Unavailable',
      retryable: true,
      providerCode: 'MalformedResponse',
      ...(raw.statusCode !== undefined ? { httpStatus: raw.statusCode } : {}),
      message: `malformed response from aws ${operation}${raw.statusCode ? ` (HTTP ${raw.statusCode})` : ''}${typeof text === 'string' ? `; body starts: ${JSON.stringify(bodyExcerpt(text))}` : ''}`,
    });
  }
  if (status === undefined && e.code && NETWORK_CODES.has(e.code)) {
    return new PolybusError({
      ...base,
      code: 'Network',
      message: `${operation}: network error: ${e.message ?? e.code}`,
    });
  }
  // The SDK refused to build the request (a required member or path label missing): nothing was
  // sent, and it is the input's fault, not the network's.
  if (
    status === undefined &&
    !raw &&
    /^(No value provided for input HTTP label|Expected .* to be)/.test(e.message ?? '')
  )
    return new PolybusError({
      ...base,
      code: 'InvalidArgument',
      message: `${operation}: ${e.message}`,
      issues: [{ field: 'input', rule: e.message ?? 'the SDK could not serialize the request' }],
    });
  if (
    status === undefined &&
    !e.$fault &&
    e.name !== 'CredentialsProviderError' &&
    !(e.name && (AWS_ERROR_NAMES[e.name] || EVENTBRIDGE_ERROR_NAMES[e.name] || COMMON[e.name]))
  ) {
    return new PolybusError({
      ...base,
      code: 'Network',
      message: `${operation}: ${e.message ?? String(err)}`,
    });
  }
  const rule = classifyAwsError(e.name, status);
  return new PolybusError({
    ...base,
    code: rule.code,
    message: `${operation}: ${e.name ?? 'Error'}: ${e.message ?? ''}`.trim(),
    ...(e.name ? { providerCode: e.name } : {}),
    ...(status !== undefined ? { httpStatus: status } : {}),
    ...(e.$metadata?.requestId ? { requestId: e.$metadata.requestId } : {}),
    ...(rule.retryable !== undefined ? { retryable: rule.retryable } : {}),
  });
}
