import { afterAll, beforeAll } from 'vitest';
import { AWS_EMULATOR_CREDENTIALS, AwsEmulator } from '../src/adapters/aws/emulator/index.js';
import { resolveProvider } from '../src/core/runtime/container.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import { createPolybus } from '../src/sdk/create.js';
import { contractSuite } from './contract/suite.js';

let emu: AwsEmulator;
let provider: EventProvider;

beforeAll(async () => {
  emu = await AwsEmulator.start();
  const container = createPolybus({
    env: {},
    providers: { aws: { endpoint: emu.url, region: 'us-east-1' } },
    credentials: { aws: async () => AWS_EMULATOR_CREDENTIALS },
  });
  provider = await resolveProvider(container, 'aws');
});
afterAll(async () => {
  await provider.close();
  await emu.close();
});

contractSuite('aws', () => ({
  provider,
  requestCount: () => [...emu.requestCounts.values()].reduce((a, b) => a + b, 0),
  existingBus: 'default',
  updatePatch: (kind) =>
    kind === 'bus' ? { tags: { stage: `s${Math.random().toString(36).slice(2, 6)}` } } : undefined,
  fixture: (kind, n, busId) => {
    const suffix = `${n}${Math.random().toString(36).slice(2, 6)}`;
    switch (kind) {
      case 'integration':
        return {
          name: `ei-${suffix}`,
          description: `integration ${n}`,
          bus: busId,
          filter: { source: `aws.partner/example.com/${n}` },
        };
      case 'bus':
        return { name: `bus-${suffix}`, tags: { team: 'events' } };
      case 'source':
        return { name: `aws.partner/src-${suffix}`, bus: busId, kind: 'partner' };
      default:
        return { name: `conn-${suffix}`, kind: 'http' };
    }
  },
}));
