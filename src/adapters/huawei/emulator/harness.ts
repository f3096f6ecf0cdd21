/**
 * The Huawei emulator as the harness starts it (`polybus emulate`, the demo, the soak,
 * `polybus/emulators`): its URLs, the environment that points polybus at it, its throttling answer
 * and its census. Test plumbing only; no production path imports it.
 */
import type { StartedEmulator } from '../../../core/contract/definition.js';
import type { HuaweiCredentials } from '../auth.js';
import {
  HUAWEI_EMULATOR_ACCESS_KEY as ak,
  HUAWEI_EMULATOR_PROJECT,
  HUAWEI_EMULATOR_PROJECT_2,
  HUAWEI_EMULATOR_USER as u,
  HuaweiEmulator,
} from './index.js';

/** Starts the emulator (EventGrid and IAM on one origin) on 127.0.0.1 with a free port. */
export async function startHuaweiEmulator(): Promise<StartedEmulator<HuaweiCredentials, HuaweiEmulator>> {
  const e = await HuaweiEmulator.start();
  return {
    instance: e,
    url: e.url,
    endpoints: { 'huawei-iam': e.url },
    credentials: { ...u },
    env: {
      POLYBUS_HUAWEI_ENDPOINT: e.url,
      POLYBUS_HUAWEI_IAM_ENDPOINT: e.url,
      HUAWEICLOUD_PROJECT_ID: HUAWEI_EMULATOR_PROJECT,
      HUAWEICLOUD_REGION: 'cn-north-4',
      HUAWEICLOUD_USERNAME: u.username,
      HUAWEICLOUD_PASSWORD: u.password,
      HUAWEICLOUD_DOMAIN_NAME: u.domainName,
      // An access key pair takes precedence over the password login above.
      HUAWEICLOUD_SDK_AK: ak.accessKey,
      HUAWEICLOUD_SDK_SK: ak.secretKey,
      HUAWEICLOUD_SDK_PROJECT_ID: HUAWEI_EMULATOR_PROJECT,
    },
    notes: [
      `Huawei: state per project; projects: ${HUAWEI_EMULATOR_PROJECT} (default) and ${HUAWEI_EMULATOR_PROJECT_2}: give a second Huawei target options: { projectId: ${HUAWEI_EMULATOR_PROJECT_2} }.`,
    ],
    throttle: { kind: 'error', status: 429, code: 'EG.00014290' },
    inventory: () => {
      const rows = (m: Map<string, Record<string, unknown>>) => [...m.values()];
      const channel = new Map(rows(e.channels).map((c) => [c.id, c.name]));
      return [
        ...rows(e.channels)
          .filter((c) => c.provider_type === 'CUSTOM')
          .map((c) => `bus/${String(c.name)}`),
        ...rows(e.sources).map((s) => `source/${String(channel.get(s.channel_id))}/${String(s.name)}`),
        ...rows(e.subscriptions).map(
          (s) => `integration/${String(channel.get(s.channel_id))}/${String(s.name)}`,
        ),
      ];
    },
    settle: () => e.delivery.settle(),
    close: () => e.close(),
  };
}
