/**
 * The options a user may give each bundled adapter through `createPolybus({ providers })`, as
 * strict zod schemas: the registry checks them without loading an adapter. It must never import
 * an adapter module, an SDK or an HTTP client (zod only), and never carries credentials.
 */
import { z } from 'zod';

/** An origin such as `https://eb.tencentcloudapi.com` or `http://127.0.0.1:4566`. */
const origin = () => z.url({ protocol: /^https?$/ }).optional();

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
  region: z.string().min(1).optional(),
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
  projectId: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
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
  region: z.string().min(1).optional(),
  endpoint: origin(),
  profile: z.string().min(1).optional(),
}) satisfies z.ZodType<AwsOptions>;

/** Each bundled adapter's option schema, by provider name. */
export const PROVIDER_OPTION_SCHEMAS = {
  tencent: TencentOptionsSchema,
  huawei: HuaweiOptionsSchema,
  aws: AwsOptionsSchema,
} as const;
