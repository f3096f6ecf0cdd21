/**
 * The options a user may give the Tencent provider (`createPolybus({ providers: { tencent } })`),
 * as a strict zod schema the registry checks without loading the adapter. zod only.
 */
import { z } from 'zod';
import { originOption, type RegionForm, regionOption } from '../../core/runtime/options.js';

/** Tencent region ids: ap-guangzhou, ap-shanghai-fsi, na-siliconvalley (Tencent region list). */
export const TENCENT_REGION: RegionForm = {
  provider: 'tencent',
  pattern: /^[a-z]{2}-[a-z]+(?:-[a-z0-9]+)*$/,
  example: 'ap-guangzhou',
};

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
  region: regionOption(TENCENT_REGION),
  endpoint: originOption(),
  tagEndpoint: originOption(),
  profile: z.string().min(1).optional(),
}) satisfies z.ZodType<TencentOptions>;
