// The Tencent error table re-checked against each code's description in seed 001 (issue 16). It
// must never call a cloud: it only classifies code strings.
import { describe, expect, it } from 'vitest';
import { classifyTencentCode } from '../src/adapters/tencent/errors.js';

describe('Tencent codes follow their documented descriptions', () => {
  const rows: [code: string, description: string, polybus: string, retryable: boolean][] = [
    ['FailedOperation', 'Operation failed.', 'Internal', false],
    [
      'FailedOperation.ServiceError',
      'ServiceError: operation failed. Please check the resource information.',
      'InvalidArgument',
      false,
    ],
    ['FailedOperation.TagResource', 'Failed to bind the tag', 'Internal', false],
    ['FailedOperation.ESInternalError', 'ES cluster internal error', 'Internal', false],
    ['FailedOperation.RegisterCLSService', 'Failed to register the CLS service.', 'Unavailable', false],
    [
      'FailedOperation.UpdateRule',
      'Failed to update the rule. Please make sure the resource exists, and the status is normal.',
      'Conflict',
      false,
    ],
    ['FailedOperation.ErrorFilter', 'The rule does not match with the event.', 'InvalidArgument', false],
    ['FailedOperation.AuthenticateUserFailed', 'User authentication failed', 'AuthenticationFailed', false],
    ['InternalError', 'Internal error.', 'Internal', false],
    ['InternalServerError', 'Internal error.', 'Internal', false],
    ['InternalError.System', 'Service error. Please try again.', 'Unavailable', true],
    ['InternalServerError.System', 'Service error. Please try again.', 'Unavailable', true],
    ['InternalError.OssException', 'Please try again later.', 'Unavailable', true],
    ['ServiceUnavailable', 'Service is unavailable now.', 'Unavailable', true],
    ['OperationDenied.EventBusResourceIsLocked', 'It may last for about 3-5 minutes.', 'Conflict', true],
  ];
  it.each(rows)('%s ("%s") -> %s, retryable %s', (code, _description, polybus, retryable) => {
    const rule = classifyTencentCode(code);
    expect(rule.code).toBe(polybus);
    expect(rule.retryable ?? ['Throttled', 'Unavailable', 'Timeout', 'Network'].includes(rule.code)).toBe(
      retryable,
    );
  });

  it('an undocumented FailedOperation.* names no cause either: Internal, not Conflict', () => {
    expect(classifyTencentCode('FailedOperation.SomethingNew')).toMatchObject({
      code: 'Internal',
      matched: 'prefix',
    });
  });
});
