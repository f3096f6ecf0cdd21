/**
 * The options a user may give each bundled adapter through `createPolybus({ providers })`, as
 * strict zod schemas: the registry checks them without loading an adapter. It must never import
 * an adapter module, an SDK or an HTTP client (zod only), and never carries credentials.
 */
import { z } from 'zod';

/** Options of the Tencent EventBridge adapter. */
export const TencentOptionsSchema = z.strictObject({
  /** Region; default `TENCENTCLOUD_REGION`, else `ap-guangzhou`. */
  region: z.string().min(1).optional(),
  /** Full origin; default `POLYBUS_TENCENT_ENDPOINT`, else `https://eb.tencentcloudapi.com`. */
  endpoint: z.url().optional(),
});
/** Options of the Tencent EventBridge adapter: `createPolybus({ providers: { tencent } })`. */
export type TencentOptions = z.input<typeof TencentOptionsSchema>;

/** Options of the Huawei EventGrid adapter. */
export const HuaweiOptionsSchema = z.strictObject({
  /** Project id; default `HUAWEICLOUD_PROJECT_ID` (required one way or the other). */
  projectId: z.string().min(1).optional(),
  /** Region; default `HUAWEICLOUD_REGION`, else `cn-north-4`. */
  region: z.string().min(1).optional(),
  /** Default `POLYBUS_HUAWEI_ENDPOINT`, else `https://eg.{region}.myhuaweicloud.com`. */
  endpoint: z.url().optional(),
  /** Default `POLYBUS_HUAWEI_IAM_ENDPOINT`, else `https://iam.{region}.myhuaweicloud.com`. */
  iamEndpoint: z.url().optional(),
  /** How long create waits for a connection to leave CREATING, in ms (default 120 000). */
  connectionWaitMs: z.number().int().nonnegative().optional(),
});
/** Options of the Huawei EventGrid adapter: `createPolybus({ providers: { huawei } })`. */
export type HuaweiOptions = z.input<typeof HuaweiOptionsSchema>;

/** Options of the AWS AppIntegrations + EventBridge adapter. */
export const AwsOptionsSchema = z.strictObject({
  /** Region; default `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1`. */
  region: z.string().min(1).optional(),
  /** Full origin; default `POLYBUS_AWS_ENDPOINT`, else the SDK's endpoint. */
  endpoint: z.url().optional(),
});
/** Options of the AWS adapter: `createPolybus({ providers: { aws } })`. */
export type AwsOptions = z.input<typeof AwsOptionsSchema>;

/** Each bundled adapter's option schema, by provider name. */
export const PROVIDER_OPTION_SCHEMAS = {
  tencent: TencentOptionsSchema,
  huawei: HuaweiOptionsSchema,
  aws: AwsOptionsSchema,
} as const;
