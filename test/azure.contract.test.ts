import { afterAll, beforeAll } from 'vitest';
import {
  AZURE_EMULATOR_CLIENT,
  AZURE_EMULATOR_RESOURCE_GROUP,
  AZURE_EMULATOR_SUBSCRIPTION,
  AzureEmulator,
} from '../src/adapters/azure/emulator/index.js';
import { createAzureProvider } from '../src/adapters/azure/index.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import { guardProvider } from '../src/core/runtime/resources.js';
import { Transport } from '../src/core/runtime/transport.js';
import { contractSuite } from './contract/suite.js';

let emu: AzureEmulator;
let provider: EventProvider;

beforeAll(async () => {
  emu = await AzureEmulator.start({ operationPolls: 0 });
  provider = guardProvider(
    createAzureProvider({
      transport: new Transport({ retry: { baseDelayMs: 1, maxDelayMs: 5 } }),
      env: {},
      endpoint: emu.url,
      authorityHost: emu.url,
      subscriptionId: AZURE_EMULATOR_SUBSCRIPTION,
      resourceGroup: AZURE_EMULATOR_RESOURCE_GROUP,
      credentials: async () => AZURE_EMULATOR_CLIENT,
    }),
  );
});
afterAll(async () => {
  await provider.close();
  await emu.close();
});

contractSuite('azure', () => ({
  provider,
  // Token requests are not resource requests: only ARM and publishing calls count.
  requestCount: () =>
    [...emu.requestCounts.entries()].filter(([op]) => op !== 'Token').reduce((a, [, n]) => a + n, 0),
  fixture: (kind, n, busId) => {
    const suffix = `${n}${Math.random().toString(36).slice(2, 6)}`;
    if (kind === 'bus') return { name: `topic-${suffix}` };
    if (kind === 'integration')
      return {
        name: `sub-${suffix}`,
        bus: busId,
        filter: { prefix: { subject: `orders/${n}/` } },
        targets: [{ kind: 'http', url: 'https://example.com/hook' }],
      };
    return { name: `x-${suffix}`, bus: busId, kind: 'application' };
  },
  updatePatch: (kind) =>
    kind === 'bus'
      ? { tags: { team: 'updated' } }
      : kind === 'integration'
        ? { filter: { suffix: { subject: '.json' } } }
        : undefined,
}));
