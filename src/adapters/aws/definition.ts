/**
 * AWS (Amazon Connect AppIntegrations with Amazon EventBridge), declared once: what the registry,
 * the SDK, the CLI and the package entries know of it. Everything heavy (the AWS SDK above all)
 * loads on first use.
 */
import type { ExtensionsFrom, ProviderDefinition } from '../../core/contract/definition.js';
import type { awsCapabilities } from './capabilities.js';
import type { AWS_EXTENSIONS } from './mapping.js';
import type { AwsAction } from './actions.js';
import { type AwsOptions, AwsOptionsSchema } from './options.js';
import { AWS_ACTIONS } from './actions.js';
import type { AwsCredentials } from './auth.js';
import type { AwsEmulator } from './emulator/index.js';

/** What the aws provider declares at the type level (the typed provider is derived from it). */
export interface AwsTraits {
  capabilities: typeof awsCapabilities;
  extensions: ExtensionsFrom<typeof AWS_EXTENSIONS>;
  eventExtensions: true;
  action: AwsAction;
}

/** The AWS provider. */
export const aws: ProviderDefinition<'aws', AwsOptions, AwsCredentials, AwsEmulator, AwsTraits> = {
  name: 'aws',
  displayName: 'AWS AppIntegrations + EventBridge',
  options: AwsOptionsSchema,
  envNamespaces: ['AWS_'],
  profiles: 'profiles of ~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE)',
  // optional peer dependencies: installed only by AWS users (docs/decisions.md)
  peerPackages: [
    '@aws-sdk/client-eventbridge',
    '@aws-sdk/client-appintegrations',
    '@aws-sdk/credential-provider-ini',
  ],
  nativeActions: AWS_ACTIONS,
  nativeFilterField: 'EventPattern',
  capabilities: async () => (await import('./capabilities.js')).awsCapabilities,
  create: async (ctx) => (await import('./index.js')).createProvider(ctx),
  openNative: async (ctx) => (await import('./native.js')).openNativeCall(ctx),
  routing: async () => {
    const [r, p, t] = await Promise.all([
      import('./routing.js'),
      import('./pattern.js'),
      import('./pattern-translate.js'),
    ]);
    return {
      translator: r.awsRouting as never,
      evaluate: (native, e) =>
        p.matchesEventPattern(p.parsePattern(native) as Record<string, unknown>, t.eventBridgeEventOf(e)),
      validate: (native) => {
        const parsed = p.parsePattern(native);
        return parsed === undefined ? ['EventPattern is not valid JSON'] : p.validateEventPattern(parsed);
      },
    };
  },
  startEmulator: async () => (await import('./emulator/harness.js')).startAwsEmulator(),
};
