/**
 * The AWS emulator as the harness starts it (`polybus emulate`, the demo, the soak,
 * `polybus/emulators`): its URL, the environment that points polybus at it (and a second
 * account's keys), its throttling answer and its census. Test plumbing only; no production path
 * imports it.
 */
import type { StartedEmulator } from '../../../core/contract/definition.js';
import type { AwsCredentials } from '../auth.js';
import { AWS_EMULATOR_CREDENTIALS as c, AWS_EMULATOR_CREDENTIALS_2 as c2, AwsEmulator } from './index.js';

/** Starts the emulator (AppIntegrations and EventBridge on one origin) on 127.0.0.1 with a free port. */
export async function startAwsEmulator(): Promise<StartedEmulator<AwsCredentials, AwsEmulator>> {
  const e = await AwsEmulator.start();
  return {
    instance: e,
    url: e.url,
    credentials: { ...c },
    env: {
      POLYBUS_AWS_ENDPOINT: e.url,
      AWS_ACCESS_KEY_ID: c.accessKeyId,
      AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
      AWS_REGION: 'us-east-1',
    },
    targetEnv: {
      POLYBUS_EMULATOR_2_AWS_ACCESS_KEY_ID: c2.accessKeyId,
      POLYBUS_EMULATOR_2_AWS_SECRET_ACCESS_KEY: c2.secretAccessKey,
    },
    notes: [
      `AWS: state per signing region. A target with credentials: { envPrefix: P } reads P + each variable (PAWS_ACCESS_KEY_ID...): the POLYBUS_EMULATOR_2_ keys are a second AWS account (${c2.account}).`,
    ],
    throttle: { kind: 'error', status: 400, code: 'ThrottlingException' },
    inventory: () => [
      ...[...e.buses.values()].filter((b) => b.Name !== 'default').map((b) => `bus/${String(b.Name)}`),
      ...[...e.integrations.values()].map((i) => `integration/${String(i.EventBridgeBus)}/${String(i.Name)}`),
    ],
    settle: () => e.delivery.settle(),
    close: () => e.close(),
  };
}
