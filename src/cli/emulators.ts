/**
 * Starts every bundled emulator on loopback and says how to point polybus at them (endpoint
 * variables plus the emulators' own test credentials, which are not secrets of anyone's).
 */
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../adapters/tencent/emulator.js';

/** Running emulators. */
export interface RunningEmulators {
  endpoints: Record<string, string>;
  /** Environment that points the CLI and library defaults at the emulators. */
  env: Record<string, string>;
  tencent: TencentEmulator;
  close(): Promise<void>;
}

/** Starts all emulators on 127.0.0.1 with free ports. */
export async function startEmulators(): Promise<RunningEmulators> {
  const tencent = await TencentEmulator.start();
  return {
    endpoints: { tencent: tencent.url },
    env: {
      POLYBUS_TENCENT_ENDPOINT: tencent.url,
      TENCENTCLOUD_SECRET_ID: TENCENT_EMULATOR_CREDENTIALS.secretId,
      TENCENTCLOUD_SECRET_KEY: TENCENT_EMULATOR_CREDENTIALS.secretKey,
      TENCENTCLOUD_REGION: 'ap-guangzhou',
    },
    tencent,
    close: async () => {
      await tencent.close();
    },
  };
}
