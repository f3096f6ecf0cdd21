// The Tencent emulator against the official tencentcloud-sdk-nodejs client, for every signing method
// and request form the seed documents (issue 16). It must never reach a real Tencent endpoint: the
// SDK's eb.tencentcloudapi.com host is resolved to the loopback emulator by the agent below.
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tc3Signer } from '../src/adapters/tencent/auth.js';
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { loopbackAgent as agent } from './helpers/tencent-official.js';

type SignMethod = 'TC3-HMAC-SHA256' | 'HmacSHA256' | 'HmacSHA1';
type SdkError = { code?: string; message: string };

let emu: TencentEmulator;
let port: string;
beforeAll(async () => {
  emu = await TencentEmulator.start({ connectionReadyMs: 0 });
  port = new URL(emu.url).port;
});
afterAll(async () => {
  agent.destroy();
  await emu.close();
});

/** The official client, pointed at `<host>:<emulator port>`. */
function sdk(
  signMethod: SignMethod,
  reqMethod: 'GET' | 'POST',
  host = 'eb.tencentcloudapi.com',
  credential: { secretId: string; secretKey: string; token?: string } = TENCENT_EMULATOR_CREDENTIALS,
) {
  return new CommonClient(`${host}:${port}`, '2021-04-16', {
    credential,
    region: 'ap-guangzhou',
    profile: { signMethod, httpProfile: { protocol: 'http://', reqMethod, agent } },
  });
}

const methods: [SignMethod, 'GET' | 'POST'][] = [
  ['TC3-HMAC-SHA256', 'POST'],
  ['TC3-HMAC-SHA256', 'GET'],
  ['HmacSHA256', 'POST'],
  ['HmacSHA256', 'GET'],
  ['HmacSHA1', 'POST'],
  ['HmacSHA1', 'GET'],
];

describe('every documented signing method and request form is verified and served (seed 001, Request Structure)', () => {
  it.each(methods)('%s over %s: nested, integer and boolean parameters round-trip', async (sign, method) => {
    emu.resetRateLimits();
    const client = sdk(sign, method);
    const name = `sig-${sign.replace(/[^A-Za-z0-9]/g, '')}-${method}`.slice(0, 60);
    const { EventBusId } = (await client.request('CreateEventBus', {
      EventBusName: name,
      SaveDays: 3,
      EnableStore: true,
    })) as { EventBusId: string };
    const bus = (await client.request('GetEventBus', { EventBusId })) as Record<string, unknown>;
    expect(bus).toMatchObject({ EventBusName: name, SaveDays: 3, EnableStore: true });
    const { RuleId } = (await client.request('CreateRule', {
      EventBusId,
      RuleName: 'rule-a',
      EventPattern: '{"source":["shop.orders"]}',
      Enable: false,
    })) as { RuleId: string };
    expect(await client.request('GetRule', { EventBusId, RuleId })).toMatchObject({
      Enable: false,
      EventPattern: '{"source":["shop.orders"]}',
    });
    // Nested objects flatten to TargetDescription.SCFParams.BatchEventCount=... on GET and v1.
    const { TargetId } = (await client.request('CreateTarget', {
      EventBusId,
      RuleId,
      Type: 'scf',
      TargetDescription: {
        ResourceDescription: 'qcs::scf:ap-guangzhou:uin/1:namespace/default/function/f/$LATEST',
        SCFParams: { EnableBatchDelivery: true, BatchTimeout: 5, BatchEventCount: 8 },
      },
    })) as { TargetId: string };
    const listed = (await client.request('ListTargets', { EventBusId, RuleId, Limit: 10 })) as {
      Targets: Record<string, unknown>[];
    };
    expect(listed.Targets).toEqual([
      expect.objectContaining({ TargetId, EnableBatchDelivery: true, BatchTimeout: 5, BatchEventCount: 8 }),
    ]);
    // Arrays flatten to EventList.0.Source=...
    await client.request('PutEvents', {
      EventBusId,
      EventList: [{ Source: 'shop.orders', Data: '{"id":1}', Type: 'created', Subject: 'order/1' }],
    });
    const now = Date.now();
    const log = (await client.request('SearchLog', {
      EventBusId,
      StartTime: now - 60_000,
      EndTime: now + 60_000,
      Page: 1,
      Limit: 10,
    })) as { Total: number; Results: Record<string, unknown>[] };
    expect(log.Total).toBe(1);
    expect(log.Results[0]).toMatchObject({ Source: 'shop.orders', Type: 'created', Subject: 'order/1' });
  });
});

describe('custom signed headers (Signature v3: "Custom headers can be added to participate in the signature process")', () => {
  const send = (signedExtra: Record<string, string>, sent: Record<string, string>) => {
    const now = Math.floor(Date.now() / 1000);
    const body = '{}';
    const signed = new Tc3Signer().sign({
      ...TENCENT_EMULATOR_CREDENTIALS,
      service: 'eb',
      host: new URL(emu.url).host,
      contentType: 'application/json',
      payload: body,
      timestamp: now,
      extraHeaders: signedExtra,
    });
    return fetch(`${emu.url}/`, {
      method: 'POST',
      body,
      headers: {
        authorization: signed.authorization,
        'content-type': 'application/json',
        'x-tc-version': '2021-04-16',
        'x-tc-timestamp': String(now),
        ...sent,
      },
    }).then(
      async (r) =>
        ((await r.json()) as { Response: { Error?: { Code: string }; TotalCount?: number } }).Response,
    );
  };

  it('verifies a signature that also covers X-TC-Action', async () => {
    const res = await send({ 'X-TC-Action': 'ListEventBuses' }, { 'x-tc-action': 'ListEventBuses' });
    expect(res.Error).toBeUndefined();
    expect(res.TotalCount).toEqual(expect.any(Number));
  });

  it('a signed header whose value changed in transit is AuthFailure.SignatureFailure', async () => {
    const res = await send({ 'X-TC-Action': 'ListRules' }, { 'x-tc-action': 'ListEventBuses' });
    expect(res.Error?.Code).toBe('AuthFailure.SignatureFailure');
  });
});

describe('refusals, as the service refuses them', () => {
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e: SdkError) => e.code,
    );

  it('a TC3 credential scope naming another service is AuthFailure.InvalidAuthorization', async () => {
    // The SDK takes the service from the endpoint's first label: cvm, or 127 for an IP endpoint.
    expect(
      await codeOf(sdk('TC3-HMAC-SHA256', 'POST', 'cvm.tencentcloudapi.com').request('ListEventBuses', {})),
    ).toBe('AuthFailure.InvalidAuthorization');
    expect(await codeOf(sdk('TC3-HMAC-SHA256', 'POST', '127.0.0.1').request('ListEventBuses', {}))).toBe(
      'AuthFailure.InvalidAuthorization',
    );
    // Signature v1 names no service: the same endpoints are served.
    await expect(
      sdk('HmacSHA256', 'POST', 'cvm.tencentcloudapi.com').request('ListEventBuses', {}),
    ).resolves.toHaveProperty('TotalCount');
  });

  it('a TC3 credential date other than the UTC date of X-TC-Timestamp is AuthFailure.InvalidAuthorization', async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = '{}';
    const signed = new Tc3Signer().sign({
      ...TENCENT_EMULATOR_CREDENTIALS,
      service: 'eb',
      host: 'eb.tencentcloudapi.com',
      contentType: 'application/json',
      payload: body,
      timestamp: now - 86_400, // yesterday's scope
    });
    const res = await fetch(`${emu.url}/`, {
      method: 'POST',
      body,
      headers: {
        authorization: signed.authorization,
        'content-type': 'application/json',
        'x-tc-action': 'ListEventBuses',
        'x-tc-version': '2021-04-16',
        'x-tc-timestamp': String(now),
      },
    });
    const json = (await res.json()) as { Response: { Error?: { Code: string } } };
    expect(json.Response.Error?.Code).toBe('AuthFailure.InvalidAuthorization');
  });

  it.each(['HmacSHA1', 'HmacSHA256'] as const)(
    '%s with a wrong SecretKey is AuthFailure.SignatureFailure',
    async (m) => {
      const bad = { ...TENCENT_EMULATOR_CREDENTIALS, secretKey: 'not-the-key' };
      expect(await codeOf(sdk(m, 'GET', undefined, bad).request('ListEventBuses', {}))).toBe(
        'AuthFailure.SignatureFailure',
      );
      expect(await codeOf(sdk(m, 'POST', undefined, bad).request('ListEventBuses', {}))).toBe(
        'AuthFailure.SignatureFailure',
      );
    },
  );

  it('v1 with an unknown SecretId is AuthFailure.SecretIdNotFound; with a skewed clock AuthFailure.SignatureExpire', async () => {
    const unknown = { secretId: 'AKIDunknown', secretKey: 'x' };
    expect(await codeOf(sdk('HmacSHA1', 'GET', undefined, unknown).request('ListEventBuses', {}))).toBe(
      'AuthFailure.SecretIdNotFound',
    );
    const skewed = await TencentEmulator.start({ now: () => Date.now() + 10 * 60_000 });
    const client = new CommonClient(`eb.tencentcloudapi.com:${new URL(skewed.url).port}`, '2021-04-16', {
      credential: TENCENT_EMULATOR_CREDENTIALS,
      region: 'ap-guangzhou',
      profile: { signMethod: 'HmacSHA256', httpProfile: { protocol: 'http://', reqMethod: 'POST', agent } },
    });
    expect(await codeOf(client.request('ListEventBuses', {}))).toBe('AuthFailure.SignatureExpire');
    await skewed.close();
  });

  it('v1 checks the Token parameter of temporary credentials (AuthFailure.TokenFailure)', async () => {
    const temp = { secretId: 'AKIDtempv1', secretKey: 'temp-v1-key', token: 'right-token' };
    const strict = await TencentEmulator.start({ credentials: [temp] });
    const make = (token: string) =>
      new CommonClient(`eb.tencentcloudapi.com:${new URL(strict.url).port}`, '2021-04-16', {
        credential: { ...temp, token },
        region: 'ap-guangzhou',
        profile: { signMethod: 'HmacSHA1', httpProfile: { protocol: 'http://', reqMethod: 'GET', agent } },
      });
    await expect(make('right-token').request('ListEventBuses', {})).resolves.toHaveProperty('TotalCount', 0);
    expect(await codeOf(make('wrong-token').request('ListEventBuses', {}))).toBe('AuthFailure.TokenFailure');
    await strict.close();
  });

  it('a v1 POST over 1 MB is refused (documented limit of HmacSHA1/HmacSHA256); TC3 takes it', async () => {
    const big = { EventBusName: 'big-body-bus', Description: 'x'.repeat(1024 * 1024 + 10) };
    expect(await codeOf(sdk('HmacSHA256', 'POST').request('CreateEventBus', big))).toBe(
      'AuthFailure.SignatureFailure',
    );
    // Under TC3 the size passes the signature layer and reaches the Description rule.
    expect(await codeOf(sdk('TC3-HMAC-SHA256', 'POST').request('CreateEventBus', big))).toBe(
      'InvalidParameterValue.Description',
    );
  });
});
