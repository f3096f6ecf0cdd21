/**
 * Building blocks of the providers' option schemas: an origin, and a region checked against the
 * provider's documented form. A region becomes part of a host name or a signed header, so a value
 * outside that form (with `@`, `:`, `/`, `#`, `.` or CR/LF) could steer credentials to another
 * host: it is refused before any request. Only an explicit endpoint (option or environment) ever
 * points a client elsewhere. zod only; no provider names.
 */
import { z } from 'zod';
import { invalidArgument } from '../model/errors.js';

/** An origin such as `https://eb.example.com` or `http://127.0.0.1:4566`. */
export const originOption = () => z.url({ protocol: /^https?$/ }).optional();

/** The documented form of a provider's region ids, with an example for messages. */
export interface RegionForm {
  /** The provider's name, for messages. */
  provider: string;
  pattern: RegExp;
  example: string;
}

/** The rule a region breaks, or undefined when it has the provider's documented form. */
export function regionRule(form: RegionForm, region: string): string | undefined {
  return form.pattern.test(region)
    ? undefined
    : `must be a ${form.provider} region id such as ${form.example} (lower-case letters, digits and -; ` +
        'it becomes part of the host or signature, so nothing else is accepted)';
}

/** A region option checked against `form`. */
export const regionOption = (form: RegionForm) =>
  z
    .string()
    .min(1)
    .superRefine((value, ctx) => {
      const rule = regionRule(form, value);
      if (rule) ctx.addIssue({ code: 'custom', message: rule });
    })
    .optional();

/**
 * The region a client was configured with, checked against `form` wherever it came from (an
 * option, a spec target, the environment): `InvalidArgument` naming `field` otherwise.
 */
export function checkedRegion(form: RegionForm, region: string, field: string): string {
  const rule = regionRule(form, region);
  if (rule) throw invalidArgument(form.provider, 'configure', [{ field, rule }]);
  return region;
}
