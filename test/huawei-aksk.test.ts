// Huawei AK/SK in polybus (credentials, precedence, signing, redaction, CLI) and the emulator
// fixes of issue 16 (official channel, fuzzy_name, timestamp format). Loopback only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { huaweiCredentialsFromEnv } from '../src/adapters/huawei/auth.js';
import { HuaweiClient } from '../src/adapters/huawei/client.js';
import {
  HUAWEI_EMULATOR_ACCESS_KEY,
  HUAWEI_EMULATOR_PROJECT,
  HUAWEI_EMULATOR_USER,
  HuaweiEmulator,
} from '../src/adapters/huawei/emulator/index.js';
import { createHuaweiProvider } from '../src/adapters/huawei/index.js';
import { collect } from '../src/core/runtime/resources.js';
import { type EventProvider } from '../src/core/contract/provider.js';
import { Transport } from '../src/core/runtime/transport.js';
import { runCli } from './helpers/cli.js';
import { VirtualClock } from './helpers/clock.js';

const SDK_ENV = {
  HUAWEICLOUD_SDK_AK: HUAWEI_EMULATOR_ACCESS_KEY.accessKey,
  HUAWEICLOUD_SDK_SK: HUAWEI_EMULATOR_ACCESS_KEY.secretKey,
  HUAWEICLOUD_SDK_PROJECT_ID: HUAWEI_EMULATOR_PROJECT,
};

describe('credentials from the environment: precedence access keys > HUAWEICLOUD_AUTH_TOKEN > password', () => {
  const password = {
    HUAWEICLOUD_USERNAME: 'u',
    HUAWEICLOUD_PASSWORD: 'password-value',
    HUAWEICLOUD_DOMAIN_NAME: 'd',
  };
  it('official SDK names first, then the Terraform names, each with its security token', () => {
    expect(huaweiCredentialsFromEnv({ ...SDK_ENV, HUAWEICLOUD_AUTH_TOKEN: 'MIItoken', ...password })).toEqual(
      {
        accessKey: SDK_ENV.HUAWEICLOUD_SDK_AK,
        secretKey: SDK_ENV.HUAWEICLOUD_SDK_SK,
      },
    );
    expect(
      huaweiCredentialsFromEnv({
        HW_ACCESS_KEY: 'HWAK',
        HW_SECRET_KEY: 'hw-secret',
        HW_SECURITY_TOKEN: 'hw-sts-token',
        HUAWEICLOUD_SDK_AK: 'SDKAK',
        HUAWEICLOUD_SDK_SK: 'sdk-secret',
        HUAWEICLOUD_SDK_SECURITY_TOKEN: 'sdk-sts-token',
      }),
    ).toEqual({ accessKey: 'SDKAK', secretKey: 'sdk-secret', securityToken: 'sdk-sts-token' });
    expect(
      huaweiCredentialsFromEnv({
        HW_ACCESS_KEY: 'HWAK',
        HW_SECRET_KEY: 'hw-secret',
        HW_SECURITY_TOKEN: 'hw-sts',
      }),
    ).toEqual({ accessKey: 'HWAK', secretKey: 'hw-secret', securityToken: 'hw-sts' });
    expect(huaweiCredentialsFromEnv({ HUAWEICLOUD_AUTH_TOKEN: 'MIItoken', ...password })).toEqual({
      token: 'MIItoken',
    });
    expect(huaweiCredentialsFromEnv(password)).toEqual({
      username: 'u',
      password: 'password-value',
      domainName: 'd',
    });
  });
  it('half an access key pair is an error naming the missing variable, not a silent fall-back', () => {
    expect(() => huaweiCredentialsFromEnv({ HUAWEICLOUD_SDK_AK: 'AK', ...password })).toThrow(
      /HUAWEICLOUD_SDK_SK is not set/,
    );
    expect(() => huaweiCredentialsFromEnv({ HW_SECRET_KEY: 'secret-only-value' })).toThrow(
      /HW_ACCESS_KEY is not set/,
    );
    const err = (() => {
      try {
        huaweiCredentialsFromEnv({ HW_SECRET_KEY: 'secret-only-value' });
      } catch (e) {
        return e;
      }
    })();
    expect(JSON.stringify(err)).not.toContain('secret-only-value');
    expect(() => huaweiCredentialsFromEnv({})).toThrow(/HUAWEICLOUD_SDK_AK/);
  });
});

describe('the adapter with access keys against the emulator', () => {
  const temporary = {
    accessKey: 'POLYBUSTEMPORARYAK02',
    secretKey: 'CANARY-temporary-secret-7f3a',
    securityToken: 'CANARY-security-token-91bc',
  };
  let emu: HuaweiEmulator;
  let transport: Transport;
  const events: string[] = [];
  beforeAll(async () => {
    emu = await HuaweiEmulator.start({
      connectionReadyMs: 20,
      accessKeys: [HUAWEI_EMULATOR_ACCESS_KEY, temporary],
    });
  });
  afterAll(() => emu.close());
  afterEach(async () => {
    events.length = 0;
    await transport?.close();
  });
  const make = (env: Record<string, string>, clock?: VirtualClock): EventProvider => {
    transport = new Transport({
      retry: { baseDelayMs: 1 },
      ...(clock ? { clock } : {}),
      observers: [
        {
          onRequest: (e) => events.push(JSON.stringify(e)),
          onResponse: (e) => events.push(JSON.stringify(e)),
          onRetry: (e) => events.push(JSON.stringify(e)),
        },
      ],
    });
    return createHuaweiProvider({ transport, endpoint: emu.url, iamEndpoint: emu.url, env });
  };
  const count = (op: string) => emu.requestCounts.get(op) ?? 0;
  const last = (op: string) => emu.received.filter((r) => r.operation === op).at(-1)!;

  it('HUAWEICLOUD_SDK_AK/SK/PROJECT_ID alone: every request is signed, no token, no IAM login', async () => {
    const logins = count('KeystoneCreateUserTokenByPassword');
    const p = make(SDK_ENV);
    const bus = await p.buses.create({ name: 'aksk-channel', description: 'signed' });
    expect((await collect(p.buses.list())).map((b) => b.id)).toContain(bus.id);
    expect(await p.buses.update(bus.id, { description: 'signed again' })).toMatchObject({
      description: 'signed again',
    });
    await p.buses.delete(bus.id);
    for (const op of ['CreateChannel', 'ListChannels', 'UpdateChannel', 'DeleteChannel']) {
      const h = last(op).headers;
      expect(String(h.authorization)).toMatch(
        new RegExp(
          `^SDK-HMAC-SHA256 Access=${HUAWEI_EMULATOR_ACCESS_KEY.accessKey}, SignedHeaders=[a-z0-9;-]*host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$`,
        ),
      );
      expect(h['x-project-id']).toBe(HUAWEI_EMULATOR_PROJECT);
      expect(h['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
      expect(h['x-auth-token']).toBeUndefined();
    }
    expect(String(last('CreateChannel').headers.authorization)).toContain('SignedHeaders=content-type;host;');
    expect(count('KeystoneCreateUserTokenByPassword')).toBe(logins);
  });

  it('Terraform names with a security token (temporary credentials): X-Security-Token is sent and signed', async () => {
    const p = make({
      HW_ACCESS_KEY: temporary.accessKey,
      HW_SECRET_KEY: temporary.secretKey,
      HW_SECURITY_TOKEN: temporary.securityToken,
      HW_PROJECT_ID: HUAWEI_EMULATOR_PROJECT,
      HW_REGION_NAME: 'cn-east-3',
    });
    await collect(p.buses.list());
    const h = last('ListChannels').headers;
    expect(h['x-security-token']).toBe(temporary.securityToken);
    expect(String(h.authorization)).toContain('x-sdk-date;x-security-token, Signature=');
  });

  it('a wrong SK: AuthenticationFailed (APIGW.0301), not retried, and no secret in errors or hooks', async () => {
    const p = make({ ...SDK_ENV, HUAWEICLOUD_SDK_SK: 'CANARY-wrong-secret-key-55e1' });
    const before = count('ListChannels');
    const err = await collect(p.buses.list()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'AuthenticationFailed', providerCode: 'APIGW.0301', httpStatus: 401 });
    expect(count('ListChannels') - before).toBe(1);
    const tp = make({
      HW_ACCESS_KEY: temporary.accessKey,
      HW_SECRET_KEY: temporary.secretKey,
      HW_SECURITY_TOKEN: 'CANARY-stale-token-0d2e',
      HW_PROJECT_ID: HUAWEI_EMULATOR_PROJECT,
    });
    const before2 = count('ListChannels');
    const err2 = await collect(tp.buses.list()).catch((e: unknown) => e);
    expect(err2).toMatchObject({ code: 'AuthenticationFailed', providerCode: 'APIGW.0301' });
    // Temporary credentials are read again after a 401 and the call retried once.
    expect(count('ListChannels') - before2).toBe(2);
    const everything = [JSON.stringify(err), String(err), JSON.stringify(err2), String(err2), ...events].join(
      '\n',
    );
    expect(events.join('\n')).toContain('[REDACTED]');
    for (const secret of [
      'CANARY-wrong-secret-key-55e1',
      'CANARY-stale-token-0d2e',
      temporary.secretKey,
      HUAWEI_EMULATOR_ACCESS_KEY.secretKey,
    ])
      expect(everything).not.toContain(secret);
  });

  it('X-Sdk-Date comes from the transport clock: a clock 20 minutes off is refused by the skew window', async () => {
    const p = make(SDK_ENV, new VirtualClock(Date.now() - 20 * 60_000));
    await expect(collect(p.buses.list())).rejects.toMatchObject({
      code: 'AuthenticationFailed',
      providerCode: 'APIGW.0301',
      message: expect.stringContaining('15 minutes'),
    });
    const ok = make(SDK_ENV, new VirtualClock(Date.now() - 5 * 60_000));
    await expect(collect(ok.buses.list())).resolves.toBeInstanceOf(Array);
  });

  it('the emulator still accepts IAM tokens (password login) next to access keys', async () => {
    const p = make({ HUAWEICLOUD_PROJECT_ID: HUAWEI_EMULATOR_PROJECT, ...toEnv(HUAWEI_EMULATOR_USER) });
    await collect(p.buses.list());
    expect(last('ListChannels').headers['x-auth-token']).toMatch(/^MIIemulator/);
    expect(last('ListChannels').headers.authorization).toBeUndefined();
  });

  it('the emulator recomputes over exactly the SignedHeaders listed: changing a signed header breaks the signature, an unsigned one does not', async () => {
    const p = make(SDK_ENV);
    await collect(p.buses.list());
    const signed = last('ListChannels');
    const replay = (headers: Record<string, string>) =>
      fetch(`${emu.url}${signed.path}`, {
        headers: {
          authorization: String(signed.headers.authorization),
          'x-sdk-date': String(signed.headers['x-sdk-date']),
          'x-project-id': String(signed.headers['x-project-id']),
          ...headers,
        },
      });
    expect((await replay({ 'x-unsigned-extra': 'anything' })).status).toBe(200);
    const tampered = await replay({ 'x-project-id': 'ffffffffffffffffffffffffffffffff' });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toMatchObject({
      error_code: 'APIGW.0301',
      error_msg: 'Incorrect IAM authentication information: verify aksk signature fail',
      request_id: expect.any(String),
    });
    const otherQuery = await fetch(`${emu.url}${signed.path.replace('limit=100', 'limit=99')}`, {
      headers: {
        authorization: String(signed.headers.authorization),
        'x-sdk-date': String(signed.headers['x-sdk-date']),
        'x-project-id': String(signed.headers['x-project-id']),
      },
    });
    expect(otherQuery.status).toBe(401);
  });
});

function toEnv(u: typeof HUAWEI_EMULATOR_USER): Record<string, string> {
  return {
    HUAWEICLOUD_USERNAME: u.username,
    HUAWEICLOUD_PASSWORD: u.password,
    HUAWEICLOUD_DOMAIN_NAME: u.domainName,
  };
}

describe('Huawei emulator matches the service (issue 16)', () => {
  let emu: HuaweiEmulator;
  let transport: Transport;
  let provider: EventProvider;
  let client: HuaweiClient;
  beforeAll(async () => {
    emu = await HuaweiEmulator.start({ connectionReadyMs: 10 });
    transport = new Transport({ retry: { baseDelayMs: 1 } });
    provider = createHuaweiProvider({ transport, endpoint: emu.url, env: SDK_ENV });
    const { HuaweiAuth } = await import('../src/adapters/huawei/auth.js');
    client = new HuaweiClient({
      transport,
      endpoint: emu.url,
      projectId: HUAWEI_EMULATOR_PROJECT,
      auth: new HuaweiAuth({
        transport,
        projectId: HUAWEI_EMULATOR_PROJECT,
        iamEndpoint: emu.url,
        credentials: async () => HUAWEI_EMULATOR_ACCESS_KEY,
      }),
    });
  });
  afterAll(async () => {
    await transport.close();
    await emu.close();
  });

  it('refuses a custom event source on the official default channel ("must use a custom event channel": EG.00513005 invalid channel)', async () => {
    const official = [...emu.channels.values()].find((c) => c.name === 'default')!;
    expect(official.provider_type).toBe('OFFICIAL');
    await expect(
      provider.sources.create({ name: 'app.on-default', bus: String(official.id) }),
    ).rejects.toMatchObject({
      code: 'InvalidArgument',
      providerCode: 'EG.00513005',
      httpStatus: 400,
    });
    expect([...emu.sources.values()].some((s) => s.name === 'app.on-default')).toBe(false);
    const custom = await provider.buses.create({ name: 'custom-for-source' });
    await expect(provider.sources.create({ name: 'app.on-custom', bus: custom.id })).resolves.toMatchObject({
      name: 'app.on-custom',
    });
  });

  it('fuzzy_name filters channels, sources, connections and subscriptions by a part of the name', async () => {
    const ch = await client.createChannel({ name: 'Fuzzy-Orders-Channel' });
    await client.createChannel({ name: 'plain-channel' });
    await client.createSource({ name: 'fuzzy.orders.src', channel_id: ch.id });
    await client.createSource({ name: 'other.src', channel_id: ch.id });
    await client.createConnection({ name: 'fuzzy-orders-link', vpc_id: 'v', subnet_id: 's' });
    await client.createConnection({ name: 'other-link', vpc_id: 'v', subnet_id: 's' });
    const sub = (name: string) =>
      client.createSubscription({
        name,
        channel_id: ch.id,
        sources: [
          {
            name: 'fuzzy.orders.src',
            provider_type: 'CUSTOM',
            filter: { source: [{ op: 'StringIn', values: ['fuzzy.orders.src'] }] },
          },
        ],
        targets: [{ name: 't', provider_type: 'CUSTOM', transform: { type: 'ORIGINAL' } }],
      });
    await sub('fuzzy-orders-sub');
    await sub('other-sub');
    const names = async <T extends { name: string }>(it: AsyncIterable<T>) =>
      (await collect(it)).map((x) => x.name);
    expect(await names(client.channels({ fuzzy_name: 'orders' }))).toEqual(['Fuzzy-Orders-Channel']);
    expect(await names(client.sources({ fuzzy_name: 'ORDERS' }))).toEqual(['fuzzy.orders.src']);
    expect(await names(client.connections({ fuzzy_name: 'orders' }))).toEqual(['fuzzy-orders-link']);
    expect(await names(client.subscriptions({ fuzzy_name: 'orders' }))).toEqual(['fuzzy-orders-sub']);
    expect((await names(client.channels({ fuzzy_name: 'channel' }))).sort()).toEqual([
      'Fuzzy-Orders-Channel',
      'plain-channel',
    ]);
    expect(await names(client.channels({ fuzzy_name: 'no-such-part' }))).toEqual([]);
    expect(last(emu, 'ListChannels')).toContain('fuzzy_name=no-such-part');
  });

  it('answers created_time/updated_time as the seed examples do ("2021-12-09 09:00:00", UTC), and the adapter parses them', async () => {
    const seedFormat = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
    const before = Date.now() - 1000;
    const bus = await provider.buses.create({ name: 'timestamp-channel' });
    const source = await provider.sources.create({ name: 'timestamp.src', bus: bus.id });
    const conn = await provider.connections.create({
      name: 'timestamp-link',
      kind: 'http',
      network: { vpcId: 'v', subnetId: 's' },
    });
    const raw = [
      emu.channels.get(bus.id)!,
      emu.sources.get(source.id)!,
      emu.connections.get(conn.id)!,
      ...emu.subscriptions.values(),
    ];
    for (const row of raw) {
      expect(row.created_time).toMatch(seedFormat);
      expect(row.updated_time).toMatch(seedFormat);
    }
    // The wire body carries the same format (not only the stored rows).
    const res = await fetch(`${emu.url}/v1/${HUAWEI_EMULATOR_PROJECT}/channels/${bus.id}`, {
      headers: await signedHeaders(`${emu.url}/v1/${HUAWEI_EMULATOR_PROJECT}/channels/${bus.id}`),
    });
    expect(((await res.json()) as { created_time: string }).created_time).toMatch(seedFormat);
    for (const r of [bus, source, conn]) {
      expect(r.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
      const t = Date.parse(r.createdAt!);
      expect(t).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(t).toBeLessThanOrEqual(Date.now());
    }
  });
});

function last(emu: HuaweiEmulator, op: string): string {
  return emu.received.filter((r) => r.operation === op).at(-1)!.path;
}

async function signedHeaders(url: string): Promise<Record<string, string>> {
  const { signHuaweiRequest } = await import('../src/adapters/huawei/auth.js');
  return signHuaweiRequest({ method: 'GET', url, headers: {} }, HUAWEI_EMULATOR_ACCESS_KEY, {
    now: Date.now(),
    projectId: HUAWEI_EMULATOR_PROJECT,
  });
}

describe('CLI with access keys only', () => {
  let emu: HuaweiEmulator;
  beforeAll(async () => {
    emu = await HuaweiEmulator.start();
  });
  afterAll(() => emu.close());

  it('with only HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID, `buses list --provider huawei` works', async () => {
    const env = { POLYBUS_HUAWEI_ENDPOINT: emu.url, ...SDK_ENV };
    const created = await runCli(
      ['buses', 'create', '--provider', 'huawei', '--name', 'cli-aksk', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    const r = await runCli(['buses', 'list', '--provider', 'huawei'], env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('cli-aksk');
    const json = await runCli(['buses', 'list', '--provider', 'huawei', '--json'], env);
    expect((JSON.parse(json.stdout) as { name: string }[]).map((b) => b.name)).toEqual(['cli-aksk']);
    expect(emu.requestCounts.get('KeystoneCreateUserTokenByPassword') ?? 0).toBe(0);
    expect(r.stdout + r.stderr + json.stdout + created.stdout).not.toContain(SDK_ENV.HUAWEICLOUD_SDK_SK);
  });

  it('a wrong SK fails with one line naming APIGW.0301 and never prints the SK', async () => {
    const r = await runCli(['buses', 'list', '--provider', 'huawei'], {
      POLYBUS_HUAWEI_ENDPOINT: emu.url,
      ...SDK_ENV,
      HUAWEICLOUD_SDK_SK: 'CANARY-cli-secret-key-a1b2',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: AuthenticationFailed: .*APIGW\.0301/);
    expect(r.stdout + r.stderr).not.toContain('CANARY-cli-secret-key-a1b2');
  });

  it('`polybus emulate` prints an access key pair the Huawei emulator accepts', async () => {
    const r = await runCli(['emulate', '--once', '--json']);
    const { env } = JSON.parse(r.stdout) as { env: Record<string, string> };
    expect(env).toMatchObject({
      HUAWEICLOUD_SDK_AK: HUAWEI_EMULATOR_ACCESS_KEY.accessKey,
      HUAWEICLOUD_SDK_SK: HUAWEI_EMULATOR_ACCESS_KEY.secretKey,
      HUAWEICLOUD_SDK_PROJECT_ID: HUAWEI_EMULATOR_PROJECT,
    });
  });
});
