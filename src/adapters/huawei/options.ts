/**
 * The options a user may give the Huawei provider (`createPolybus({ providers: { huawei } })`),
 * as a strict zod schema the registry checks without loading the adapter, and the documented
 * forms of the values that become part of a host or a path (region, project id). zod only.
 */
import { z } from 'zod';
import { invalidArgument } from '../../core/model/errors.js';
import { originOption, type RegionForm, regionOption } from '../../core/runtime/options.js';

/** Huawei Cloud region ids: cn-north-4, ap-southeast-3, ae-ad-1 (regions and endpoints). */
export const HUAWEI_REGION: RegionForm = {
  provider: 'huawei',
  pattern: /^[a-z]{2}-[a-z]+(?:-[a-z]+)*-[0-9]+$/,
  example: 'cn-north-4',
};

/**
 * A project id goes into every request path (`/v1/{project_id}/...`); project ids are hexadecimal
 * strings (32 characters in IAM's answers), so anything but letters, digits, `_` and `-` is refused.
 */
export const PROJECT_ID_FORM = /^[A-Za-z0-9_-]{1,64}$/;
const PROJECT_ID_RULE = 'must be a project id of 1-64 letters, digits, _ or - (it is a request path segment)';

/** A project id checked against {@link PROJECT_ID_FORM} wherever it came from. */
export function checkedProjectId(projectId: string, field: string): string {
  if (!PROJECT_ID_FORM.test(projectId))
    throw invalidArgument('huawei', 'configure', [{ field, rule: PROJECT_ID_RULE }]);
  return projectId;
}

/** Options of the Huawei EventGrid adapter: `createPolybus({ providers: { huawei } })`. */
export interface HuaweiOptions {
  /** Project id; default `HUAWEICLOUD_PROJECT_ID` (required one way or the other). */
  projectId?: string;
  /** Region; default `HUAWEICLOUD_REGION`, else `cn-north-4`. */
  region?: string;
  /** Full origin; default `POLYBUS_HUAWEI_ENDPOINT`, else `https://eg.{region}.myhuaweicloud.com`. */
  endpoint?: string;
  /** Full origin; default `POLYBUS_HUAWEI_IAM_ENDPOINT`, else `https://iam.{region}.myhuaweicloud.com`. */
  iamEndpoint?: string;
  /** How long create waits for a connection to leave CREATING, in ms (default 120 000). */
  connectionWaitMs?: number;
}

/** Checks {@link HuaweiOptions}; unknown keys are errors. */
export const HuaweiOptionsSchema = z.strictObject({
  projectId: z.string().regex(PROJECT_ID_FORM, PROJECT_ID_RULE).optional(),
  region: regionOption(HUAWEI_REGION),
  endpoint: originOption(),
  iamEndpoint: originOption(),
  connectionWaitMs: z.number().int().nonnegative().optional(),
}) satisfies z.ZodType<HuaweiOptions>;
