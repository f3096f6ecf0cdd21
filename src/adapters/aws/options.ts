/**
 * The options a user may give the AWS provider (`createPolybus({ providers: { aws } })`), as a
 * strict zod schema the registry checks without loading the adapter (nor the AWS SDK). zod only.
 */
import { z } from 'zod';
import { originOption, type RegionForm, regionOption } from '../../core/runtime/options.js';

/** AWS Region ids: us-east-1, us-gov-west-1, eu-central-2 (AWS Regions). */
export const AWS_REGION: RegionForm = {
  provider: 'aws',
  pattern: /^[a-z]{2}(?:-[a-z]+)+-[0-9]+$/,
  example: 'us-east-1',
};

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
  region: regionOption(AWS_REGION),
  endpoint: originOption(),
  profile: z.string().min(1).optional(),
}) satisfies z.ZodType<AwsOptions>;
