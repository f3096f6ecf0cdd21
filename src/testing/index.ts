/**
 * `polybus/emulators`: the bundled loopback emulators for users' own tests, as people use moto or
 * LocalStack: start them in-process, point polybus at them, stop them. The credentials it hands
 * out are the emulators' fixed test keys, nobody's secrets; it must never reach a real cloud.
 */
import type { AwsCredentials } from '../adapters/aws/auth.js';
import type { HuaweiCredentials } from '../adapters/huawei/auth.js';
import type { TencentCredentials } from '../adapters/tencent/auth.js';
import { invalidArgument } from '../core/model/errors.js';
import {
  isProviderName,
  PROVIDER_NAMES,
  type ProviderCredentialsMap,
  type ProviderName,
} from '../sdk/create.js';

/** Options of {@link startEmulators}. */
export interface StartEmulatorsOptions {
  /** Which emulators to start (default: all). Each loads only its own adapter's emulator. */
  providers?: readonly ProviderName[];
}

/** Running emulators and how to reach them. */
export interface Emulators {
  /** Base URL (`http://127.0.0.1:PORT`) of each started emulator. */
  endpoints: { [P in ProviderName]?: string };
  /**
   * Environment that points polybus (library defaults and CLI) at the emulators, test credentials
   * included: `createPolybus({ env: emulators.env })`.
   */
  env: Record<string, string>;
  /** The test credentials each started emulator accepts. */
  credentials: { [P in ProviderName]?: ProviderCredentialsMap[P] };
  /** Stops every started emulator. */
  stop(): Promise<void>;
}

/** One started emulator. */
interface Started<P extends ProviderName> {
  url: string;
  credentials: ProviderCredentialsMap[P];
  env: Record<string, string>;
  close(): Promise<void>;
}

/** How to start each bundled emulator; the module loads only when asked for. */
const STARTERS: { [P in ProviderName]: () => Promise<Started<P>> } = {
  tencent: async () => {
    const { TENCENT_EMULATOR_CREDENTIALS: c, TencentEmulator } =
      await import('../adapters/tencent/emulator/index.js');
    const e = await TencentEmulator.start();
    const credentials: TencentCredentials = { ...c };
    return {
      url: e.url,
      credentials,
      env: {
        POLYBUS_TENCENT_ENDPOINT: e.url,
        TENCENTCLOUD_SECRET_ID: c.secretId,
        TENCENTCLOUD_SECRET_KEY: c.secretKey,
        TENCENTCLOUD_REGION: 'ap-guangzhou',
      },
      close: () => e.close(),
    };
  },
  huawei: async () => {
    const {
      HUAWEI_EMULATOR_ACCESS_KEY: ak,
      HUAWEI_EMULATOR_PROJECT,
      HUAWEI_EMULATOR_USER: u,
      HuaweiEmulator,
    } = await import('../adapters/huawei/emulator/index.js');
    const e = await HuaweiEmulator.start();
    const credentials: HuaweiCredentials = { ...u };
    return {
      url: e.url,
      credentials,
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
      close: () => e.close(),
    };
  },
  aws: async () => {
    const { AWS_EMULATOR_CREDENTIALS: c, AwsEmulator } = await import('../adapters/aws/emulator/index.js');
    const e = await AwsEmulator.start();
    const credentials: AwsCredentials = { ...c };
    return {
      url: e.url,
      credentials,
      env: {
        POLYBUS_AWS_ENDPOINT: e.url,
        AWS_ACCESS_KEY_ID: c.accessKeyId,
        AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
        AWS_REGION: 'us-east-1',
      },
      close: () => e.close(),
    };
  },
};

/**
 * Starts the bundled emulators on 127.0.0.1 with free ports. They speak each provider's real wire
 * format and check signatures, so code under test runs the same path as against the cloud.
 *
 * @example
 * const emulators = await startEmulators();
 * const polybus = createPolybus({ env: emulators.env });
 * const tencent = await resolveProvider(polybus, 'tencent');
 * await tencent.buses.create({ name: 'orders' });
 * await emulators.stop();
 */
export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<Emulators> {
  const names = [...new Set(options.providers ?? PROVIDER_NAMES)];
  const wrong = names.filter((n) => !isProviderName(n));
  if (wrong.length)
    throw invalidArgument('polybus', 'startEmulators', [
      { field: 'providers', rule: `unknown ${wrong.join(', ')}; valid names: ${PROVIDER_NAMES.join(', ')}` },
    ]);
  const started: Partial<Record<ProviderName, Started<ProviderName>>> = {};
  const stop = async () => {
    await Promise.all(Object.values(started).map((s) => s.close()));
  };
  try {
    for (const name of names) started[name] = await STARTERS[name]();
  } catch (err) {
    await stop();
    throw err;
  }
  const entries = Object.entries(started) as [ProviderName, Started<ProviderName>][];
  return {
    endpoints: Object.fromEntries(entries.map(([n, s]) => [n, s.url])),
    env: Object.assign({}, ...entries.map(([, s]) => s.env)) as Record<string, string>,
    credentials: Object.fromEntries(entries.map(([n, s]) => [n, s.credentials])),
    stop,
  };
}
