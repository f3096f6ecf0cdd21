/**
 * The Tencent client as the provider and the native entry build it: options, the credential chain
 * (cached), the region checked against its documented form, the endpoint and the tag endpoint.
 */
import type { Transport } from '../../core/runtime/transport.js';
import { parseEndpoint } from '../../core/runtime/checks.js';
import { type TencentCredentials, tencentCredentialsFromProfile, tencentDefaultCredentials } from './auth.js';
import { TENCENT_RATE_LIMIT, TencentClient } from './client.js';
import { PolybusError } from '../../core/model/errors.js';
import { TENCENT_PUT_EVENTS_RATE } from './publish.js';
import { TENCENT_TAG_READ_RATE } from './tags.js';

const P = 'tencent';
import { checkedRegion } from '../../core/runtime/options.js';
import { TENCENT_REGION } from './options.js';

/** Options of {@link createTencentProvider}. */
export interface TencentProviderOptions {
  transport: Transport;
  /** Default `TENCENTCLOUD_REGION`, else `ap-guangzhou`. */
  region?: string;
  /** Full origin; default `POLYBUS_TENCENT_ENDPOINT`, else `https://eb.tencentcloudapi.com`. */
  endpoint?: string;
  /**
   * Origin of the tag service; default `POLYBUS_TENCENT_TAG_ENDPOINT`, else `tag.` in place of the
   * `eb.` of a tencentcloudapi.com endpoint, else `endpoint` itself (an emulator serving both).
   */
  tagEndpoint?: string;
  /** Credential source; default environment, then `~/.tencentcloud/credentials`. */
  credentials?: () => Promise<TencentCredentials>;
  /**
   * A section of the profile file (`~/.tencentcloud/credentials`, or `TENCENTCLOUD_CREDENTIALS_FILE`)
   * to take credentials from, instead of the default chain (ignored when `credentials` is given).
   */
  profile?: string;
  env?: Record<string, string | undefined>;
}

/**
 * The EventBridge client with polybus's credential chain (cached), region, endpoint and rate
 * limit, as the provider uses it; `polybus/tencent` hands it to users for native calls.
 */
export function createTencentClient(options: TencentProviderOptions): {
  client: TencentClient;
  credentials: () => Promise<TencentCredentials>;
  region: string;
  endpoint: string;
  env: Record<string, string | undefined>;
} {
  const env = options.env ?? process.env;
  let cached: Promise<TencentCredentials> | undefined;
  const profile = options.profile;
  const source =
    options.credentials ??
    (profile !== undefined
      ? async () => {
          const c = await tencentCredentialsFromProfile(env, profile);
          if (c) return c;
          throw new PolybusError({
            code: 'AuthenticationFailed',
            provider: P,
            operation: 'credentials',
            message: `no secret_id and secret_key in profile [${profile}] of ${env.TENCENTCLOUD_CREDENTIALS_FILE ?? '~/.tencentcloud/credentials'}`,
          });
        }
      : () => tencentDefaultCredentials(env));
  const credentials = () => {
    cached ??= source().catch((e: unknown) => {
      cached = undefined;
      throw e;
    });
    return cached;
  };
  options.transport.limiter.setDefaultLimit(P, TENCENT_RATE_LIMIT);
  // The region is signed into the X-TC-Region header: only its documented form is accepted.
  const region = checkedRegion(
    TENCENT_REGION,
    options.region ?? env.TENCENTCLOUD_REGION ?? 'ap-guangzhou',
    options.region !== undefined ? 'region' : 'TENCENTCLOUD_REGION',
  );
  options.transport.limiter.setDefaultActionLimit(P, 'PutEvents', TENCENT_PUT_EVENTS_RATE);
  options.transport.limiter.setDefaultActionLimit(
    P,
    'DescribeResourceTagsByResourceIds',
    TENCENT_TAG_READ_RATE,
  );
  const endpoint = parseEndpoint(
    P,
    options.endpoint !== undefined ? 'endpoint' : 'POLYBUS_TENCENT_ENDPOINT',
    options.endpoint ?? env.POLYBUS_TENCENT_ENDPOINT ?? 'https://eb.tencentcloudapi.com',
  );
  const client = new TencentClient({ transport: options.transport, credentials, region, endpoint });
  return { client, credentials, region, endpoint, env };
}
