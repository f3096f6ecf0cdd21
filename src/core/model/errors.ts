/**
 * The one error type that crosses the adapter boundary. It must never carry a secret in its
 * message or its JSON form, and retryability is decided here, not at call sites.
 */
import { redactText, redactValue } from '../runtime/redact.js';

/** Normalized error codes, shared by every provider. */
export const ERROR_CODES = [
  'NotFound',
  'AlreadyExists',
  'InvalidArgument',
  'AuthenticationFailed',
  'PermissionDenied',
  'Throttled',
  'QuotaExceeded',
  'Conflict',
  'Unsupported',
  'Unavailable',
  'Timeout',
  'Network',
  'Cancelled',
  'Internal',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Codes after which a request that changes something may or may not have taken effect: the
 * answer was lost or the service failed mid-way (a timeout, a reset, a 5xx).
 */
export const AMBIGUOUS_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'Timeout',
  'Network',
  'Unavailable',
  'Internal',
]);

/** Codes that are retryable unless the adapter says otherwise. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set([
  'Throttled',
  'Unavailable',
  'Timeout',
  'Network',
]);

/** The usual meaning of an HTTP error status, for providers whose body names no known code. */
export function ruleForHttpStatus(status: number): { code: ErrorCode; retryable?: boolean } | undefined {
  const byStatus: Record<number, ErrorCode> = {
    400: 'InvalidArgument',
    401: 'AuthenticationFailed',
    403: 'PermissionDenied',
    404: 'NotFound',
    409: 'Conflict',
    429: 'Throttled',
  };
  const code = byStatus[status];
  if (code) return code === 'Throttled' ? { code, retryable: true } : { code };
  return status >= 500 ? { code: 'Unavailable', retryable: true } : undefined;
}

/** Default retryability of a code: transient conditions retry, everything else does not. */
export function isRetryableCode(code: ErrorCode): boolean {
  return RETRYABLE_BY_DEFAULT.has(code);
}

/** Fields of a {@link PolybusError}. */
export interface PolybusErrorInit {
  code: ErrorCode;
  message: string;
  /** Provider name (`tencent`, `huawei`, `aws`) or `polybus` for core errors. */
  provider: string;
  /** Native action or neutral operation, e.g. `CreateEventBus` or `buses.create`. */
  operation: string;
  /** The resource concerned, when known (id or name). */
  resource?: string;
  /** The provider's own code, e.g. `ResourceNotFound.EventBus`, `EG.00014040`. */
  providerCode?: string;
  httpStatus?: number;
  requestId?: string;
  /** Overrides the code's default retryability. */
  retryable?: boolean;
  /** Delay the server asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** Field names and rules, for `InvalidArgument` raised by validation. */
  issues?: ValidationIssue[];
  cause?: unknown;
}

/** One failed validation rule. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `name` or `kafka.password`. */
  field: string;
  /** The rule, in the provider documentation's words. */
  rule: string;
  /** Where, when the input came from a file: `spec.yaml:12`. */
  location?: string;
}

/** JSON form of a {@link PolybusError}; never contains secrets. */
export interface PolybusErrorJSON {
  name: 'PolybusError';
  code: ErrorCode;
  message: string;
  provider: string;
  operation: string;
  resource?: string;
  providerCode?: string;
  httpStatus?: number;
  requestId?: string;
  retryable: boolean;
  retryAfterMs?: number;
  issues?: ValidationIssue[];
}

const BRAND = Symbol.for('polybus.error');
/** Node's `util.inspect.custom`, by its registered name (no node:util import in core). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The normalized polybus error. Every failure an adapter reports is one of these; the provider's
 * own code, the HTTP status and the request id ride along.
 */
export class PolybusError extends Error {
  /** Brand recognised across duplicate copies of the package. */
  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly provider: string;
  readonly operation: string;
  readonly resource?: string;
  readonly providerCode?: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly issues?: ValidationIssue[];

  constructor(init: PolybusErrorInit) {
    super(redactText(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'PolybusError';
    this.code = init.code;
    this.provider = init.provider;
    this.operation = init.operation;
    this.retryable = init.retryable ?? isRetryableCode(init.code);
    // The stack was captured with the redacted message; a resource id may hold a URL with userinfo.
    if (init.resource !== undefined) this.resource = redactText(init.resource);
    if (init.providerCode !== undefined) this.providerCode = init.providerCode;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.issues !== undefined) this.issues = redactValue(init.issues) as ValidationIssue[];
  }

  /**
   * What `util.inspect` (and so `console.log`) prints: the redacted stack and JSON form, and the
   * cause's redacted message, never the raw cause object (which may hold a URL with userinfo or a key).
   */
  [INSPECT](): string {
    const cause = (this as { cause?: unknown }).cause;
    const causeText =
      cause === undefined
        ? ''
        : `\n  cause: ${redactText(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause))}`;
    return `${redactText(this.stack ?? `${this.name}: ${this.message}`)}\n  ${JSON.stringify(this.toJSON())}${causeText}`;
  }

  /** A plain, secret-free object for logs and `--json` output. */
  toJSON(): PolybusErrorJSON {
    const json: PolybusErrorJSON = {
      name: 'PolybusError',
      code: this.code,
      message: redactText(this.message),
      provider: this.provider,
      operation: this.operation,
      retryable: this.retryable,
    };
    if (this.resource !== undefined) json.resource = redactText(this.resource);
    if (this.providerCode !== undefined) json.providerCode = this.providerCode;
    if (this.httpStatus !== undefined) json.httpStatus = this.httpStatus;
    if (this.requestId !== undefined) json.requestId = this.requestId;
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    if (this.issues !== undefined) json.issues = redactValue(this.issues) as ValidationIssue[];
    return json;
  }
}

/** Type guard that also recognises errors from another copy of polybus in the same process. */
export function isPolybusError(value: unknown): value is PolybusError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Builds the `Unsupported` error an adapter throws, before any network call, for a cell it lacks. */
export function unsupported(provider: string, operation: string, note: string): PolybusError {
  return new PolybusError({
    code: 'Unsupported',
    provider,
    operation,
    message: `${provider}: ${operation} is unsupported: ${note}`,
  });
}

/** Builds an `InvalidArgument` error listing every failed rule. */
export function invalidArgument(
  provider: string,
  operation: string,
  issues: ValidationIssue[],
): PolybusError {
  const list = issues.map((i) => `${i.location ? `${i.location}: ` : ''}${i.field}: ${i.rule}`).join('; ');
  return new PolybusError({
    code: 'InvalidArgument',
    provider,
    operation,
    message: `invalid input: ${list}`,
    issues,
  });
}

/** Builds the cancellation error reported when the caller's AbortSignal fires. */
export function cancelled(provider: string, operation: string, cause?: unknown): PolybusError {
  return new PolybusError({
    code: 'Cancelled',
    provider,
    operation,
    message: `${operation} was cancelled by the caller`,
    cause,
  });
}
