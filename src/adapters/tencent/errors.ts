/**
 * Tencent Cloud API 3.0 error codes -> polybus codes. Every code that the EventBridge reference
 * (seed 001, common and service tables, and each action's table) names is listed; codes not
 * listed map by prefix. Each row follows the code's description in the seed: `Internal` when
 * Tencent says internal error or names no cause at all, and `retryable` only where the description
 * says the condition passes ("try again", "now", "may last about 3-5 minutes").
 */
import { type ErrorCode, PolybusError } from '../../core/model/errors.js';

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
  // "Operation failed.": no cause named, so nothing says a resource state clashed (was Conflict).
  FailedOperation: r('Internal'),
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
  // "Failed to add the private link": no cause named (was Conflict).
  'FailedOperation.AddPrivateLink': r('Internal'),
  'FailedOperation.AuthenticateUserFailed': r('AuthenticationFailed'),
  // "Please check the function status" / "check the resource status": a resource in the wrong state.
  'FailedOperation.CreateTrigger': r('Conflict'),
  'FailedOperation.DeleteConnection': r('Conflict'),
  // "Failed to delete the private link": no cause named (was Conflict).
  'FailedOperation.DeletePrivateLink': r('Internal'),
  // "make sure the resource exists, and the status is normal": a resource state, as Update*.
  'FailedOperation.DeleteRule': r('Conflict'),
  // "ES cluster internal error": an internal error (of the ES cluster), not said to pass (was retryable Unavailable).
  'FailedOperation.ESInternalError': r('Internal'),
  // "ES cluster operation failure": the dependency failed; nothing says retrying helps (was retryable).
  'FailedOperation.ESRequestFailed': r('Unavailable', false),
  'FailedOperation.ESTemplateConflict': r('Conflict'),
  'FailedOperation.ErrorFilter': r('InvalidArgument'),
  // "Failed to register the CLS service.": the dependency failed; not said to pass (was retryable).
  'FailedOperation.RegisterCLSService': r('Unavailable', false),
  // "ServiceError: operation failed. Please check the resource information.": the caller's resource
  // information (CreateConnection's ConnectionDescription) is wrong; retrying the same input cannot help
  // (was retryable Unavailable).
  'FailedOperation.ServiceError': r('InvalidArgument'),
  // "Failed to bind the tag" / "Failed to unbind the tag": no cause named (was Conflict).
  'FailedOperation.TagResource': r('Internal'),
  'FailedOperation.TagResourceAllocateQuotas': r('QuotaExceeded'),
  'FailedOperation.UnTagResource': r('Internal'),
  'FailedOperation.UpdateConnection': r('Conflict'),
  'FailedOperation.UpdateRule': r('Conflict'),
  // InternalError / InternalServerError say only "Internal error." (Internal, not retried, as
  // Terraform does). The .System and .OssException variants differ on purpose: their descriptions
  // say "Please try again (later)", a transient service error.
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
  // An undocumented FailedOperation.* names no cause: Internal, as the bare code.
  ['FailedOperation.', r('Internal')],
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
