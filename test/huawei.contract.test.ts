import { afterAll, beforeAll } from 'vitest';
import {
  HUAWEI_EMULATOR_PROJECT,
  HUAWEI_EMULATOR_USER,
  HuaweiEmulator,
} from '../src/adapters/huawei/emulator/index.js';
import { resolveProvider } from '../src/core/runtime/container.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import { createPolybus } from '../src/sdk/create.js';
import { contractSuite } from './contract/suite.js';

let emu: HuaweiEmulator;
let provider: EventProvider;

beforeAll(async () => {
  emu = await HuaweiEmulator.start({ connectionReadyMs: 50 });
  const container = createPolybus({
    env: {},
    providers: { huawei: { endpoint: emu.url, iamEndpoint: emu.url, projectId: HUAWEI_EMULATOR_PROJECT } },
    credentials: { huawei: async () => HUAWEI_EMULATOR_USER },
  });
  provider = await resolveProvider(container, 'huawei');
});
afterAll(async () => {
  await provider.close();
  await emu.close();
});

export const huaweiTargets = [
  { name: 'webhook-target', provider_type: 'CUSTOM', detail: { url: 'https://example.com/hook' } },
];

contractSuite('huawei', () => ({
  provider,
  requestCount: () => [...emu.requestCounts.values()].reduce((a, b) => a + b, 0),
  fixture: (kind, n, busId) => {
    const suffix = `${n}${Math.random().toString(36).slice(2, 6)}`;
    switch (kind) {
      case 'bus':
        return { name: `channel-${suffix}`, description: `channel ${n}` };
      case 'source':
        return { name: `app.src-${suffix}`, description: `source ${n}`, bus: busId, kind: 'application' };
      case 'connection':
        return {
          name: `link-${suffix}`,
          description: `link ${n}`,
          kind: 'http',
          network: { vpcId: 'vpc-1', subnetId: 'subnet-1' },
        };
      default:
        return {
          name: `sub-${suffix}`,
          description: `subscription ${n}`,
          bus: busId,
          filter: { source: `app.src-${n}` },
          extensions: { huawei: { targets: huaweiTargets } },
        };
    }
  },
}));
