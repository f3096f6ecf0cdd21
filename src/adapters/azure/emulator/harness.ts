/**
 * The Azure emulator as the harness starts it (`polybus emulate`, the demo, the soak,
 * `polybus/emulators`): its URL (ARM, Entra ID and publishing on one origin), the conventional
 * environment that points polybus (and Azure's own tools) at it, its throttling answer and its
 * census. Test plumbing only; no production path imports it.
 */
import type { StartedEmulator } from '../../../core/contract/definition.js';
import type { AzureCredentials } from '../auth.js';
import {
  AZURE_EMULATOR_CLIENT as c,
  AZURE_EMULATOR_RESOURCE_GROUP,
  AZURE_EMULATOR_SUBSCRIPTION,
  AZURE_EMULATOR_SUBSCRIPTION_2,
  AzureEmulator,
} from './index.js';

/** Starts the emulator on 127.0.0.1 with a free port. */
export async function startAzureEmulator(): Promise<StartedEmulator<AzureCredentials, AzureEmulator>> {
  const e = await AzureEmulator.start();
  return {
    instance: e,
    url: e.url,
    endpoints: { 'azure-entra': e.url },
    credentials: { ...c },
    env: {
      POLYBUS_AZURE_ENDPOINT: e.url,
      AZURE_AUTHORITY_HOST: e.url,
      AZURE_TENANT_ID: c.tenantId,
      AZURE_CLIENT_ID: c.clientId,
      AZURE_CLIENT_SECRET: c.clientSecret,
      AZURE_SUBSCRIPTION_ID: AZURE_EMULATOR_SUBSCRIPTION,
      AZURE_RESOURCE_GROUP: AZURE_EMULATOR_RESOURCE_GROUP,
    },
    notes: [
      `Azure: state per subscription; ${AZURE_EMULATOR_SUBSCRIPTION} (default) and ${AZURE_EMULATOR_SUBSCRIPTION_2}; resource groups ${AZURE_EMULATOR_RESOURCE_GROUP} and ${AZURE_EMULATOR_RESOURCE_GROUP}-2: give a second Azure target options: { resourceGroup: ${AZURE_EMULATOR_RESOURCE_GROUP}-2 }.`,
    ],
    throttle: { kind: 'error', status: 429, code: 'TooManyRequests' },
    inventory: () => {
      const rows = [...e.state.topics.values()].map((t) => String(t.name));
      const subs = [...e.state.eventSubscriptions.values()].map((s) => {
        const topic = String((s.properties as { topic: string }).topic)
          .split('/')
          .pop();
        return `integration/${topic}/${String(s.name)}`;
      });
      return [...rows.map((n) => `bus/${n}`), ...subs];
    },
    settle: () => e.delivery.settle(),
    close: () => e.close(),
  };
}
