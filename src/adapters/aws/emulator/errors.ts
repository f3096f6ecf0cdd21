/**
 * The emulator's AWS-shaped errors: a name (sent as `x-amzn-errortype` and `__type`), a message and
 * the HTTP status the adapter's error table gives that name.
 */
import { AWS_ERROR_NAMES } from '../errors.js';

/** An AWS error answer: its name (the error type), message and HTTP status. */
export class AwsError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status = AWS_ERROR_NAMES[name]?.status ?? 400,
  ) {
    super(message);
  }
}

export const invalid = (msg: string) => new AwsError('InvalidRequestException', msg);
/** An EventBridge validation failure (JSON 1.1 protocol). */
export const ebInvalid = (msg: string) => new AwsError('ValidationException', msg, 400);
