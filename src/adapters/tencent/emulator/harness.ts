/**
 * The Tencent emulator as the harness starts it (`polybus emulate`, the demo, the soak,
 * `polybus/emulators`): its URL, the environment that points polybus at it, its throttling answer
 * and its census. Test plumbing only; no production path imports it.
 */
import type { StartedEmulator } from '../../../core/contract/definition.js';
import type { TencentCredentials } from '../auth.js';
import { TENCENT_EMULATOR_CREDENTIALS as c, TencentEmulator } from './index.js';

/** Starts the emulator on 127.0.0.1 with a free port. */
export async function startTencentEmulator(): Promise<StartedEmulator<TencentCredentials, TencentEmulator>> {
  const e = await TencentEmulator.start();
  return {
    instance: e,
    url: e.url,
    credentials: { ...c },
    env: {
      POLYBUS_TENCENT_ENDPOINT: e.url,
      TENCENTCLOUD_SECRET_ID: c.secretId,
      TENCENTCLOUD_SECRET_KEY: c.secretKey,
      TENCENTCLOUD_REGION: 'ap-guangzhou',
    },
    notes: [
      'Tencent: state per X-TC-Region; any region works with the same key; a credentials: { profile: NAME } target reads [NAME] of TENCENTCLOUD_CREDENTIALS_FILE (default ~/.tencentcloud/credentials).',
    ],
    throttle: { kind: 'error', code: 'RequestLimitExceeded' },
    inventory: () => {
      const rows = (m: Map<string, Record<string, unknown>>) => [...m.values()];
      const bus = new Map(rows(e.buses).map((b) => [b.EventBusId, b.EventBusName]));
      return [
        ...rows(e.buses).map((b) => `bus/${String(b.EventBusName)}`),
        ...rows(e.rules).map((r) => `integration/${String(bus.get(r.EventBusId))}/${String(r.RuleName)}`),
        ...rows(e.connections).map(
          (x) => `connection/${String(bus.get(x.EventBusId))}/${String(x.ConnectionName)}`,
        ),
      ];
    },
    settle: () => e.delivery.settle(),
    close: () => e.close(),
  };
}
