/**
 * AWS credentials: the SDK's default chain does SigV4 and credential discovery; this module only
 * registers whatever polybus is handed explicitly for redaction, and reads the region.
 */
import { checkedRegion } from '../../core/runtime/options.js';
import { AWS_REGION } from './options.js';
import { registerSecret } from '../../core/runtime/redact.js';

/** Static credentials, as the SDK takes them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Registers secrets for redaction and passes the credentials through. */
export function registerAwsCredentials(c: AwsCredentials): AwsCredentials {
  registerSecret(c.secretAccessKey);
  registerSecret(c.sessionToken);
  return c;
}

/** Registers the environment's AWS secrets (the SDK reads them itself) so they can never be printed. */
export function registerAwsEnvSecrets(env: Record<string, string | undefined>): void {
  registerSecret(env.AWS_SECRET_ACCESS_KEY);
  registerSecret(env.AWS_SESSION_TOKEN);
}

/** The region: option, then `AWS_REGION`, then `AWS_DEFAULT_REGION`, else us-east-1. */
export function awsRegion(env: Record<string, string | undefined>, region?: string): string {
  // The SDK builds the regional host from it: only the documented form is accepted.
  if (region !== undefined) return checkedRegion(AWS_REGION, region, 'region');
  if (env.AWS_REGION !== undefined) return checkedRegion(AWS_REGION, env.AWS_REGION, 'AWS_REGION');
  if (env.AWS_DEFAULT_REGION !== undefined)
    return checkedRegion(AWS_REGION, env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION');
  return 'us-east-1';
}
