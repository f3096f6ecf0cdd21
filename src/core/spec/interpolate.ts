/** `${env:NAME}` interpolation in spec values: every reference resolved or reported. */
import { type ValidationIssue } from '../model/errors.js';
import { isSecretField, registerSecret } from '../runtime/redact.js';

/** Replaces `${env:NAME}` in strings; a secret-named field's value is registered for redaction. */
export function interpolate(
  value: unknown,
  env: Record<string, string | undefined>,
  path: string[],
  issues: ValidationIssue[],
  key = '',
): unknown {
  if (typeof value === 'string') {
    const out = value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
      const v = env[name];
      if (v === undefined)
        issues.push({ field: path.join('.'), rule: `environment variable ${name} is not set` });
      return v ?? '';
    });
    if (isSecretField(key)) registerSecret(out);
    return out;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, [...path, String(i)], issues));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolate(v, env, [...path, k], issues, k)]),
    );
  }
  return value;
}
