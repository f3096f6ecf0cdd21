import { afterAll, beforeAll } from 'vitest';
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { resolveProvider } from '../src/core/runtime/container.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import { createPolybus } from '../src/sdk/create.js';
import { contractSuite } from './contract/suite.js';

let emu: TencentEmulator;
let provider: EventProvider;

beforeAll(async () => {
  emu = await TencentEmulator.start({ connectionReadyMs: 0 });
  const container = createPolybus({
    env: {},
    providers: { tencent: { endpoint: emu.url, region: 'ap-guangzhou' } },
    credentials: { tencent: async () => TENCENT_EMULATOR_CREDENTIALS },
  });
  provider = await resolveProvider(container, 'tencent');
});
afterAll(async () => {
  await provider.close();
  await emu.close();
});

const total = () => [...emu.requestCounts.values()].reduce((a, b) => a + b, 0);

contractSuite('tencent', () => ({
  provider,
  requestCount: total,
  fixture: (kind, n, busId) => {
    const suffix = `${n}${Math.random().toString(36).slice(2, 6)}`;
    switch (kind) {
      case 'bus':
        return { name: `bus-${suffix}`, description: `bus ${n}` };
      case 'integration':
        return {
          name: `rule-${suffix}`,
          description: `rule ${n}`,
          bus: busId,
          filter: { source: `app.${n}` },
        };
      case 'connection':
        return {
          name: `conn-${suffix}`,
          description: `conn ${n}`,
          bus: busId,
          kind: 'tdmq',
          endpoint: 'qcs::tdmq:ap-guangzhou:uin/3473058547:subscriptionName/pulsar-5r5drqo7j8/user/test/sub1',
        };
      default:
        return { name: `src-${suffix}`, bus: busId, kind: 'application' };
    }
  },
}));
