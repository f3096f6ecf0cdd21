// The official tencentcloud-sdk-nodejs client pointed at a loopback emulator. It signs for the real
// host (eb.tencentcloudapi.com, so the credential scope names `eb`), and an agent resolves every host
// name to 127.0.0.1, so a request can never reach Tencent.
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { TENCENT_EMULATOR_CREDENTIALS } from '../../src/adapters/tencent/emulator/index.js';

/** Resolves every hostname to 127.0.0.1. */
const lookup: LookupFunction = (_host, options, callback) => {
  const cb = callback as (
    err: null,
    address: string | { address: string; family: number }[],
    family?: number,
  ) => void;
  if ((options as { all?: boolean }).all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
};

/** One agent for every official client of a test file (destroy it in afterAll). */
export const loopbackAgent = new Agent({ lookup });

/** What the tests use of the official client. */
export type OfficialClient = {
  request: (action: string, params: Record<string, unknown>) => Promise<unknown>;
};

/** The official client for the emulator at `emulatorUrl`. */
export function officialTencentClient(
  emulatorUrl: string,
  options: {
    signMethod?: 'TC3-HMAC-SHA256' | 'HmacSHA256' | 'HmacSHA1';
    reqMethod?: 'GET' | 'POST';
    host?: string;
    credential?: { secretId: string; secretKey: string; token?: string };
    /** `tag`: the tag service (tag.tencentcloudapi.com, API 2018-08-13) instead of EventBridge. */
    service?: 'eb' | 'tag';
  } = {},
): OfficialClient {
  const port = new URL(emulatorUrl).port;
  const tag = options.service === 'tag';
  const host = options.host ?? (tag ? 'tag.tencentcloudapi.com' : 'eb.tencentcloudapi.com');
  return new CommonClient(`${host}:${port}`, tag ? '2018-08-13' : '2021-04-16', {
    credential: options.credential ?? TENCENT_EMULATOR_CREDENTIALS,
    region: 'ap-guangzhou',
    profile: {
      ...(options.signMethod ? { signMethod: options.signMethod } : {}),
      httpProfile: { protocol: 'http://', reqMethod: options.reqMethod ?? 'POST', agent: loopbackAgent },
    },
  }) as unknown as OfficialClient;
}
