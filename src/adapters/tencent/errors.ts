/**
 * Tencent Cloud API 3.0 error codes -> polybus codes. Every code that the EventBridge reference
 * (seed 001, common and service tables, and each action's table) names is listed; codes not
 * listed map by prefix. A code only reaches `Internal` when Tencent itself says internal error.
 */
import { type ErrorCode, PolybusError } from '../../core/errors.js';

/** How one native code is classified. */
export interface TencentErrorRule {
  code: ErrorCode;
  retryable?: boolean;
}

const r = (code: ErrorCode, retryable?: boolean): TencentErrorRule =>
  retryable === undefined ? { code } : { code, retryable };

/** Exact codes. */
export const TENCENT_ERROR_CODES: Record<string, TencentErrorRule> = {
  // Common error codes
  ActionOffline: r('Unsupported'),
  AuthFailure: r('AuthenticationFailed'),
  'AuthFailure.InvalidAuthorization': r('AuthenticationFailed'),
  'AuthFailure.InvalidSecretId': r('AuthenticationFailed'),
  'AuthFailure.MFAFailure': r('AuthenticationFailed'),
  'AuthFailure.SecretIdNotFound': r('AuthenticationFailed'),
  'AuthFailure.SignatureExpire': r('AuthenticationFailed'),
  'AuthFailure.SignatureFailure': r('AuthenticationFailed'),
  'AuthFailure.TokenFailure': r('AuthenticationFailed'),
  'AuthFailure.UnauthorizedOperation': r('PermissionDenied'),
  DryRunOperation: r('InvalidArgument'),
  FailedOperation: r('Conflict'),
  InternalError: r('Internal'),
  InternalServerError: r('Internal'),
  InvalidAction: r('Unsupported'),
  InvalidParameter: r('InvalidArgument'),
  InvalidParameterValue: r('InvalidArgument'),
  InvalidRequest: r('InvalidArgument'),
  IpInBlacklist: r('PermissionDenied'),
  IpNotInWhitelist: r('PermissionDenied'),
  LimitExceeded: r('QuotaExceeded'),
  MissingParameter: r('InvalidArgument'),
  NoSuchProduct: r('Unsupported'),
  NoSuchVersion: r('Unsupported'),
  RequestLimitExceeded: r('Throttled', true),
  'RequestLimitExceeded.GlobalRegionUinLimitExceeded': r('Throttled', true),
  'RequestLimitExceeded.IPLimitExceeded': r('Throttled', true),
  'RequestLimitExceeded.UinLimitExceeded': r('Throttled', true),
  RequestSizeLimitExceeded: r('InvalidArgument'),
  ResourceInUse: r('Conflict'),
  ResourceInsufficient: r('QuotaExceeded'),
  ResourceNotFound: r('NotFound'),
  ResourceUnavailable: r('Unavailable', true),
  ResponseSizeLimitExceeded: r('InvalidArgument'),
  ServiceUnavailable: r('Unavailable', true),
  UnauthorizedOperation: r('PermissionDenied'),
  UnknownParameter: r('InvalidArgument'),
  UnsupportedOperation: r('Unsupported'),
  UnsupportedProtocol: r('Unsupported'),
  UnsupportedRegion: r('Unsupported'),
  // Service error codes
  'FailedOperation.AddPrivateLink': r('Conflict'),
  'FailedOperation.AuthenticateUserFailed': r('AuthenticationFailed'),
  'FailedOperation.CreateTrigger': r('Conflict'),
  'FailedOperation.DeleteConnection': r('Conflict'),
  'FailedOperation.DeletePrivateLink': r('Conflict'),
  'FailedOperation.DeleteRule': r('Conflict'),
  'FailedOperation.ESInternalError': r('Unavailable', true),
  'FailedOperation.ESRequestFailed': r('Unavailable', true),
  'FailedOperation.ESTemplateConflict': r('Conflict'),
  'FailedOperation.ErrorFilter': r('InvalidArgument'),
  'FailedOperation.RegisterCLSService': r('Unavailable', true),
  'FailedOperation.ServiceError': r('Unavailable', true),
  'FailedOperation.TagResource': r('Conflict'),
  'FailedOperation.TagResourceAllocateQuotas': r('QuotaExceeded'),
  'FailedOperation.UnTagResource': r('Conflict'),
  'FailedOperation.UpdateConnection': r('Conflict'),
  'FailedOperation.UpdateRule': r('Conflict'),
  'InternalError.OssException': r('Unavailable', true),
  'InternalError.System': r('Unavailable', true),
  'InternalError.UnknownInternalError': r('Internal'),
  'InternalServerError.System': r('Unavailable', true),
  'InternalServerError.UnknownInternalServerError': r('Internal'),
  'InvalidParameter.EnableAPIGateway': r('InvalidArgument'),
  'InvalidParameter.Payload': r('InvalidArgument'),
  'LimitExceeded.InsufficientBalance': r('QuotaExceeded'),
  'OperationDenied.AccountNotExists': r('PermissionDenied'),
  'OperationDenied.DefaultCLSResourceUnsupported': r('Unsupported'),
  'OperationDenied.ESVersionUnsupported': r('Unsupported'),
  'OperationDenied.EventBusResourceIsLocked': r('Conflict', true),
  'OperationDenied.ResourceImmutable': r('Conflict'),
  'OperationDenied.UnsupportedOperation': r('Unsupported'),
  'ResourceInUse.DefaultEventBus': r('AlreadyExists'),
  'ResourceInUse.EventBus': r('Conflict'),
  'ResourceInUse.Rule': r('Conflict'),
  'ResourceUnavailable.ESUnhealth': r('Unavailable', true),
  'UnauthorizedOperation.CAM': r('PermissionDenied'),
};

/** Prefix rules for codes not in the table (checked longest prefix first). */
export const TENCENT_ERROR_PREFIXES: [string, TencentErrorRule][] = [
  ['RequestLimitExceeded', r('Throttled', true)],
  ['AuthFailure.', r('AuthenticationFailed')],
  ['ResourceNotFound.', r('NotFound')],
  ['LimitExceeded.', r('QuotaExceeded')],
  ['InvalidParameterValue.', r('InvalidArgument')],
  ['InvalidParameter.', r('InvalidArgument')],
  ['MissingParameter.', r('InvalidArgument')],
  ['UnknownParameter.', r('InvalidArgument')],
  ['ResourceInUse.', r('Conflict')],
  ['ResourceUnavailable.', r('Unavailable', true)],
  ['ResourceInsufficient.', r('QuotaExceeded')],
  ['UnauthorizedOperation.', r('PermissionDenied')],
  ['UnsupportedOperation.', r('Unsupported')],
  ['OperationDenied.', r('Conflict')],
  ['FailedOperation.', r('Conflict')],
  ['InternalError.', r('Internal')],
  ['InternalServerError.', r('Internal')],
];

/** Classifies a code: exact entry, then prefix, then (only for undocumented codes) `Internal`. */
export function classifyTencentCode(
  code: string,
): TencentErrorRule & { matched: 'exact' | 'prefix' | 'fallback' } {
  const exact = TENCENT_ERROR_CODES[code];
  if (exact) return { ...exact, matched: 'exact' };
  for (const [prefix, rule] of TENCENT_ERROR_PREFIXES) {
    if (code.startsWith(prefix)) return { ...rule, matched: 'prefix' };
  }
  return { code: 'Internal', matched: 'fallback' };
}

/** Builds the PolybusError for a `Response.Error`. */
export function mapTencentError(e: {
  code: string;
  message: string;
  requestId?: string;
  httpStatus?: number;
  operation: string;
  resource?: string;
}): PolybusError {
  const rule = classifyTencentCode(e.code);
  return new PolybusError({
    code: rule.code,
    provider: 'tencent',
    operation: e.operation,
    message: `${e.operation}: ${e.code}: ${e.message}`,
    providerCode: e.code,
    ...(rule.retryable !== undefined ? { retryable: rule.retryable } : {}),
    ...(e.requestId ? { requestId: e.requestId } : {}),
    ...(e.httpStatus ? { httpStatus: e.httpStatus } : {}),
    ...(e.resource ? { resource: e.resource } : {}),
  });
}
