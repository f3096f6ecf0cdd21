/**
 * The options a user may give each bundled adapter through `createPolybus({ providers })`, as
 * strict zod schemas: the registry checks them without loading an adapter. It must never import
 * an adapter module, an SDK or an HTTP client (zod only), and never carries credentials.
 */
import { z } from 'zod';
import { invalidArgument } from '../core/model/errors.js';

/** An origin such as `https://eb.tencentcloudapi.com` or `http://127.0.0.1:4566`. */
const origin = () => z.url({ protocol: /^https?$/ }).optional();

/**
 * The documented form of each provider's region ids. A region becomes part of a host name
 * (Huawei's `eg.{region}.myhuaweicloud.com`, the AWS SDK's regional endpoint) or of a signed
 * header (Tencent's `X-TC-Region`), so a value outside this form, such as one with `@`, `:`, `/`,
 * `#`, `.` or CR/LF, could steer credentials to another host: it is refused before any request.
 * Only an explicit endpoint (option or environment) ever points a client elsewhere.
 */
export const REGION_FORMS = {
  /** ap-guangzhou, ap-shanghai-fsi, na-siliconvalley (Tencent region list). */
  tencent: { pattern: /^[a-z]{2}-[a-z]+(?:-[a-z0-9]+)*$/, example: 'ap-guangzhou' },
  /** cn-north-4, ap-southeast-3, ae-ad-1 (Huawei Cloud regions and endpoints). */
  huawei: { pattern: /^[a-z]{2}-[a-z]+(?:-[a-z]+)*-[0-9]+$/, example: 'cn-north-4' },
  /** us-east-1, us-gov-west-1, eu-central-2 (AWS Regions). */
  aws: { pattern: /^[a-z]{2}(?:-[a-z]+)+-[0-9]+$/, example: 'us-east-1' },
} as const;

/**
 * A Huawei project id goes into every request path (`/v1/{project_id}/...`); project ids are
 * hexadecimal strings (32 characters in IAM's answers), so anything but letters, digits, `_` and
 * `-` is refused.
 */
export const PROJECT_ID_FORM = /^[A-Za-z0-9_-]{1,64}$/;

/** The rule a region breaks, or undefined when it has the provider's documented form. */
export function regionRule(provider: keyof typeof REGION_FORMS, region: string): string | undefined {
  const form = REGION_FORMS[provider];
  return form.pattern.test(region)
    ? undefined
    : `must be a ${provider} region id such as ${form.example} (lower-case letters, digits and -; ` +
        'it becomes part of the host or signature, so nothing else is accepted)';
}

/**
 * The region a client was configured with, checked against {@link REGION_FORMS} wherever it came
 * from (an option, a spec target, the environment): `InvalidArgument` naming `field` otherwise.
 */
export function checkedRegion(provider: keyof typeof REGION_FORMS, region: string, field: string): string {
  const rule = regionRule(provider, region);
  if (rule) throw invalidArgument(provider, 'configure', [{ field, rule }]);
  return region;
}

/** A Huawei project id checked against {@link PROJECT_ID_FORM} wherever it came from. */
export function checkedProjectId(projectId: string, field: string): string {
  if (!PROJECT_ID_FORM.test(projectId))
    throw invalidArgument('huawei', 'configure', [
      { field, rule: 'must be a project id of 1-64 letters, digits, _ or - (it is a request path segment)' },
    ]);
  return projectId;
}

const region = (provider: keyof typeof REGION_FORMS) =>
  z
    .string()
    .min(1)
    .superRefine((value, ctx) => {
      const rule = regionRule(provider, value);
      if (rule) ctx.addIssue({ code: 'custom', message: rule });
    })
    .optional();

/** Options of the Tencent EventBridge adapter: `createPolybus({ providers: { tencent } })`. */
export interface TencentOptions {
  /** Region; default `TENCENTCLOUD_REGION`, else `ap-guangzhou`. */
  region?: string;
  /** Full origin; default `POLYBUS_TENCENT_ENDPOINT`, else `https://eb.tencentcloudapi.com`. */
  endpoint?: string;
  /** Full origin of the tag service; default `POLYBUS_TENCENT_TAG_ENDPOINT`, else `tag.` + the EventBridge host. */
  tagEndpoint?: string;
  /** A section of `~/.tencentcloud/credentials` (a spec target's `credentials.profile`). */
  profile?: string;
}

/** Checks {@link TencentOptions}; unknown keys are errors. */
export const TencentOptionsSchema = z.strictObject({
  region: region('tencent'),
  endpoint: origin(),
  tagEndpoint: origin(),
  profile: z.string().min(1).optional(),
}) satisfies z.ZodType<TencentOptions>;

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
  projectId: z
    .string()
    .regex(
      PROJECT_ID_FORM,
      'must be a project id of 1-64 letters, digits, _ or - (it is a request path segment)',
    )
    .optional(),
  region: region('huawei'),
  endpoint: origin(),
  iamEndpoint: origin(),
  connectionWaitMs: z.number().int().nonnegative().optional(),
}) satisfies z.ZodType<HuaweiOptions>;

/** Options of the AWS AppIntegrations + EventBridge adapter: `createPolybus({ providers: { aws } })`. */
export interface AwsOptions {
  /** Region; default `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1`. */
  region?: string;
  /** Full origin; default `POLYBUS_AWS_ENDPOINT`, else the SDK's endpoint. */
  endpoint?: string;
  /** A profile of `~/.aws/credentials` / `~/.aws/config` (a spec target's `credentials.profile`). */
  profile?: string;
}

/** Checks {@link AwsOptions}; unknown keys are errors. */
export const AwsOptionsSchema = z.strictObject({
  region: region('aws'),
  endpoint: origin(),
  profile: z.string().min(1).optional(),
}) satisfies z.ZodType<AwsOptions>;

/** Each bundled adapter's option schema, by provider name. */
export const PROVIDER_OPTION_SCHEMAS = {
  tencent: TencentOptionsSchema,
  huawei: HuaweiOptionsSchema,
  aws: AwsOptionsSchema,
} as const;
