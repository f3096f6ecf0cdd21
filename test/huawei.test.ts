import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionSchema } from '../src/adapters/huawei/client.js';
import {
  HUAWEI_EMULATOR_PROJECT,
  HUAWEI_EMULATOR_USER,
  HuaweiEmulator,
} from '../src/adapters/huawei/emulator/index.js';
import { classifyHuaweiError, readHuaweiErrorBody } from '../src/adapters/huawei/errors.js';
import { createHuaweiProvider } from '../src/adapters/huawei/index.js';
import { connectionFromHuawei } from '../src/adapters/huawei/mapping.js';
import { collect, guardProvider } from '../src/core/runtime/resources.js';
import { type EventProvider } from '../src/core/contract/provider.js';
import { Transport } from '../src/core/runtime/transport.js';
import { runCli } from './helpers/cli.js';

describe('error bodies (errors.ts)', () => {
  it('maps the documented codes by code first', () => {
    expect(classifyHuaweiError('EG.00014000', 400)).toMatchObject({
      code: 'InvalidArgument',
      matched: 'code',
    });
    expect(classifyHuaweiError('EG.00014010', 401)).toMatchObject({ code: 'AuthenticationFailed' });
    expect(classifyHuaweiError('EG.00014030', 403)).toMatchObject({ code: 'PermissionDenied' });
    expect(classifyHuaweiError('EG.00014040', 404)).toMatchObject({ code: 'NotFound' });
    expect(classifyHuaweiError('EG.00015000', 500)).toMatchObject({ code: 'Unavailable', retryable: true });
    expect(classifyHuaweiError('EG.00513001', 400)).toMatchObject({ code: 'AlreadyExists' });
  });
  it('falls back to HTTP status: 429 and 5xx retryable', () => {
    expect(classifyHuaweiError('EG.99999999', 429)).toMatchObject({
      code: 'Throttled',
      retryable: true,
      matched: 'status',
    });
    expect(classifyHuaweiError(undefined, 503)).toMatchObject({ code: 'Unavailable', retryable: true });
    expect(classifyHuaweiError(undefined, 404)).toMatchObject({ code: 'NotFound' });
  });
  it('reads error_code/error_msg, then code/message, then a nested error object', () => {
    expect(
      readHuaweiErrorBody('{"error_code":"EG.00014040","error_msg":"Not request resource found"}'),
    ).toEqual({
      code: 'EG.00014040',
      message: 'Not request resource found',
    });
    expect(
      readHuaweiErrorBody('{"code":"APIGW.0301","message":"Incorrect IAM authentication information"}'),
    ).toMatchObject({ code: 'APIGW.0301' });
    expect(readHuaweiErrorBody('{"error":{"code":"APIGW.0308","message":"throttled"}}')).toMatchObject({
      code: 'APIGW.0308',
      message: 'throttled',
    });
    expect(readHuaweiErrorBody('<html>')).toEqual({});
  });
});

describe('adapter against the emulator', () => {
  let emu: HuaweiEmulator;
  let transport: Transport;
  let provider: EventProvider;
  const events: string[] = [];

  beforeAll(async () => {
    emu = await HuaweiEmulator.start({ connectionReadyMs: 80 });
  });
  afterAll(() => emu.close());
  afterEach(async () => {
    emu.faults.clear();
    events.length = 0;
    await transport?.close();
  });

  const make = (over: Partial<Parameters<typeof createHuaweiProvider>[0]> = {}) => {
    transport = new Transport({
      retry: { baseDelayMs: 5 },
      observers: [
        {
          onRequest: (e) => events.push(JSON.stringify(e)),
          onResponse: (e) => events.push(JSON.stringify(e)),
          onRetry: (e) => events.push(JSON.stringify(e)),
        },
      ],
    });
    provider = guardProvider(
      createHuaweiProvider({
        transport,
        endpoint: emu.url,
        iamEndpoint: emu.url,
        projectId: HUAWEI_EMULATOR_PROJECT,
        credentials: async () => HUAWEI_EMULATOR_USER,
        env: {},
        ...over,
      }),
    );
    return provider;
  };
  const count = (op: string) => emu.requestCounts.get(op) ?? 0;
  const last = (op: string) => emu.received.filter((r) => r.operation === op).at(-1)!;

  it('create connection sends exactly the documented request (seed 002 example values)', async () => {
    make();
    const conn = await provider.connections.create({
      name: 'private-link',
      description: '',
      kind: 'http',
      network: {
        vpcId: 'ac14144e-8fec-53d6-bdfd-8f09b52c09iu',
        subnetId: 'bf14153e-5fec-67d6-b89d-5409b52c0op8',
      },
    });
    const req = last('CreateConnection');
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/v1/${HUAWEI_EMULATOR_PROJECT}/connections`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-auth-token']).toMatch(/^MIIemulator/);
    // The document's example shows "type": {} although its table says String (webhook|kafka): polybus sends the string.
    expect(JSON.parse(req.body)).toEqual({
      name: 'private-link',
      description: '',
      vpc_id: 'ac14144e-8fec-53d6-bdfd-8f09b52c09iu',
      subnet_id: 'bf14153e-5fec-67d6-b89d-5409b52c0op8',
      type: 'webhook',
    });
    // Creation is asynchronous: create returns only once the connection left CREATING.
    expect(conn.status).toBe('CREATED');
    expect(count('ShowConnection')).toBeGreaterThanOrEqual(1);
    await provider.connections.delete(conn.id);
  });

  it("parses the document's example response into the neutral model", () => {
    const doc = {
      id: '90e0b962-c6c1-438c-ba8a-3024fe592bda',
      name: 'private-link',
      description: '',
      status: 'CREATING',
      error_info: {},
      vpc_id: 'ac14144e-8fec-53d6-bdfd-8f09b52c09iu',
      subnet_id: 'bf14153e-5fec-67d6-b89d-5409b52c0op8',
      agency: 'EG_TRUST',
      flavor: {
        name: 'default',
        concurrency_type: 'exclusive',
        concurrency: 500,
        bandwidth_type: 'exclusive',
      },
      type: {},
      kafka_detail: {},
      created_time: '2021-12-09 09:00:00',
      updated_time: '2021-12-09 09:00:00',
    };
    expect(connectionFromHuawei(ConnectionSchema.parse(doc))).toMatchObject({
      id: '90e0b962-c6c1-438c-ba8a-3024fe592bda',
      name: 'private-link',
      provider: 'huawei',
      status: 'CREATING',
      kind: 'http',
      network: {
        vpcId: 'ac14144e-8fec-53d6-bdfd-8f09b52c09iu',
        subnetId: 'bf14153e-5fec-67d6-b89d-5409b52c0op8',
      },
      createdAt: '2021-12-09T09:00:00.000Z',
    });
    // agency and flavor are read-only response fields: never read back as settings (issue 15)
    expect(connectionFromHuawei(ConnectionSchema.parse(doc)).extensions).toBeUndefined();
  });

  it('create source sends exactly the documented request (seed 004 example)', async () => {
    make();
    const channel = await provider.buses.create({ name: 'doc-channel' });
    await provider.sources.create({ name: 'name', description: 'test', bus: channel.id });
    const req = last('CreateEventSource');
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/v1/${HUAWEI_EMULATOR_PROJECT}/sources`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      name: 'name',
      description: 'test',
      channel_id: channel.id,
      type: 'APPLICATION',
    });
  });

  it('logs in with the IAM password body scoped to the project, and caches the token', async () => {
    make();
    const before = count('KeystoneCreateUserTokenByPassword');
    await collect(provider.buses.list());
    await collect(provider.buses.list());
    expect(count('KeystoneCreateUserTokenByPassword') - before).toBe(1);
    const login = JSON.parse(last('KeystoneCreateUserTokenByPassword').body);
    expect(login.auth.identity.methods).toEqual(['password']);
    expect(login.auth.identity.password.user).toMatchObject({
      name: HUAWEI_EMULATOR_USER.username,
      domain: { name: HUAWEI_EMULATOR_USER.domainName },
    });
    expect(login.auth.scope).toEqual({ project: { id: HUAWEI_EMULATOR_PROJECT } });
  });

  it('an expired token mid-run is refreshed once, transparently', async () => {
    make();
    await collect(provider.buses.list());
    const logins = count('KeystoneCreateUserTokenByPassword');
    const lists = count('ListChannels');
    emu.expireAllTokens();
    await expect(collect(provider.buses.list())).resolves.toBeInstanceOf(Array);
    expect(count('KeystoneCreateUserTokenByPassword') - logins).toBe(1);
    expect(count('ListChannels') - lists).toBe(2);
  });

  it('a second 401 surfaces as AuthenticationFailed', async () => {
    make();
    await collect(provider.buses.list());
    emu.faults.inject({
      operation: 'ListChannels',
      kind: 'error',
      status: 401,
      code: 'EG.00014010',
      times: 2,
    });
    const before = count('ListChannels');
    await expect(collect(provider.buses.list())).rejects.toMatchObject({
      code: 'AuthenticationFailed',
      providerCode: 'EG.00014010',
      httpStatus: 401,
      requestId: expect.any(String),
    });
    expect(count('ListChannels') - before).toBe(2);
  });

  it('an explicit token cannot be refreshed: its 401 surfaces at once', async () => {
    make({ credentials: async () => ({ token: 'MIIexplicit-but-unknown' }) });
    const before = count('ListChannels');
    await expect(collect(provider.buses.list())).rejects.toMatchObject({
      code: 'AuthenticationFailed',
      httpStatus: 401,
    });
    expect(count('ListChannels') - before).toBe(1);
  });

  it('a token scoped to another project is refused (403)', async () => {
    const other = await HuaweiEmulator.start({ staticTokens: ['MIIstatic'] });
    const t = new Transport();
    const p = createHuaweiProvider({
      transport: t,
      endpoint: other.url,
      projectId: 'not-the-project',
      credentials: async () => ({ token: 'MIIstatic' }),
      env: {},
    });
    await expect(collect(p.buses.list())).rejects.toMatchObject({
      code: 'PermissionDenied',
      providerCode: 'EG.00014030',
      httpStatus: 403,
    });
    await t.close();
    await other.close();
  });

  it('X-Request-Id rides on client results and on errors', async () => {
    make();
    const { HuaweiClient } = await import('../src/adapters/huawei/client.js');
    const { HuaweiTokenProvider } = await import('../src/adapters/huawei/auth.js');
    const tokens = new HuaweiTokenProvider({
      transport,
      credentials: async () => HUAWEI_EMULATOR_USER,
      iamEndpoint: emu.url,
      projectId: HUAWEI_EMULATOR_PROJECT,
    });
    const client = new HuaweiClient({
      transport,
      tokens,
      endpoint: emu.url,
      projectId: HUAWEI_EMULATOR_PROJECT,
    });
    const created = await client.createChannel({ name: 'request-id-channel' });
    expect(created.requestId).toMatch(/-emulator$/);
    const err = await client.getChannel('nope').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NotFound', requestId: expect.stringMatching(/-emulator$/) });
  });

  it('lists custom channels only: the official default channel cannot be managed', async () => {
    make();
    const before = count('ListChannels');
    const names = (await collect(provider.buses.list())).map((b) => b.name);
    expect(names).not.toContain('default');
    expect(last('ListChannels').path).toContain('provider_type=CUSTOM');
    expect(count('ListChannels') - before).toBe(1);
  });

  it('names are unique per tenant (AlreadyExists), and a lost create response never makes two', async () => {
    make();
    await provider.buses.create({ name: 'unique-channel' });
    await expect(provider.buses.create({ name: 'unique-channel' })).rejects.toMatchObject({
      code: 'AlreadyExists',
      providerCode: 'EG.00513001',
    });
    emu.faults.inject({ operation: 'CreateChannel', kind: 'drop-after-commit' });
    const c = await provider.buses.create({ name: 'dropped-channel' });
    expect(c.name).toBe('dropped-channel');
    expect([...emu.channels.values()].filter((x) => x.name === 'dropped-channel')).toHaveLength(1);
  });

  it('retries 5xx for reads, not 4xx', async () => {
    make();
    emu.faults.inject({ operation: 'ListChannels', kind: 'error', status: 500, code: 'EG.00015000' });
    const before = count('ListChannels');
    await collect(provider.buses.list());
    expect(count('ListChannels') - before).toBe(2);
    const b2 = count('ShowChannel');
    await expect(provider.buses.get('missing')).rejects.toMatchObject({
      code: 'NotFound',
      providerCode: 'EG.00014040',
    });
    expect(count('ShowChannel') - b2).toBe(1);
  });

  it('rejects invalid names and missing fields before any request, naming field and rule', async () => {
    make();
    const before = emu.received.length;
    const issues = async (p: Promise<unknown>) =>
      ((await p.catch((e: unknown) => e)) as { issues: { field: string; rule: string }[] }).issues;
    expect(await issues(provider.buses.create({ name: 'default' }))).toEqual([
      { field: 'name', rule: 'cannot be default' },
    ]);
    expect(await issues(provider.sources.create({ name: 'Upper', bus: 'c' }))).toEqual([
      { field: 'name', rule: expect.stringContaining('lowercase') },
    ]);
    expect(await issues(provider.sources.create({ name: 'hc.reserved', bus: 'c' }))).toEqual([
      { field: 'name', rule: 'cannot start with hc.' },
    ]);
    expect(await issues(provider.connections.create({ name: 'c1', kind: 'http' }))).toEqual([
      { field: 'network', rule: expect.stringContaining('vpc_id and subnet_id are required') },
    ]);
    expect(
      await issues(
        provider.connections.create({
          name: 'k1',
          kind: 'kafka',
          network: { vpcId: 'v', subnetId: 's' },
          kafka: { instanceId: 'i', address: 'a:9092', saslSsl: true },
        }),
      ),
    ).toEqual([
      { field: 'kafka.password', rule: 'user_name and password are mandatory when SASL_SSL is enabled' },
    ]);
    expect(
      await issues(provider.integrations.create({ name: 's1', bus: 'c', filter: { source: 'x' } })),
    ).toEqual([{ field: 'targets', rule: expect.stringContaining('targets is required') }]);
    await expect(provider.buses.update('id', { name: 'renamed' })).rejects.toMatchObject({
      code: 'InvalidArgument',
      issues: [{ field: 'name', rule: expect.stringContaining('immutable') }],
    });
    expect(emu.received.length).toBe(before);
  });

  it('canary: no token, password or Kafka credential appears in errors, hooks, results or CLI output', async () => {
    const canaryPassword = 'KAFKA-CANARY-pw-8d1f';
    make();
    const conn = await provider.connections.create({
      name: 'kafka-link',
      kind: 'kafka',
      network: { vpcId: 'vpc-1', subnetId: 'subnet-1' },
      kafka: {
        instanceId: 'kafka-1',
        address: '10.0.0.1:9093',
        saslSsl: true,
        username: 'eg',
        password: canaryPassword,
        acks: 'all',
      },
    });
    // it was really sent (and the emulator even echoes it back, as the document's response table allows)
    expect(last('CreateConnection').body).toContain(canaryPassword);
    const token = String(last('CreateConnection').headers['x-auth-token']);
    const got = await provider.connections.get(conn.id);
    const listed = await collect(provider.connections.list());
    const err = await provider.connections
      .create({
        name: 'kafka-link',
        kind: 'kafka',
        network: { vpcId: 'v', subnetId: 's' },
        kafka: { instanceId: 'i', address: 'a', saslSsl: true, username: 'u', password: canaryPassword },
      })
      .catch((e: unknown) => e);
    const badLogin = createHuaweiProvider({
      transport,
      endpoint: emu.url,
      iamEndpoint: emu.url,
      projectId: HUAWEI_EMULATOR_PROJECT,
      credentials: async () => ({ ...HUAWEI_EMULATOR_USER, password: 'WRONG-canary-password' }),
      env: {},
    });
    const loginErr = await collect(badLogin.buses.list()).catch((e: unknown) => e);
    expect(got.kafka).toMatchObject({ instanceId: 'kafka-1', username: 'eg', saslSsl: true });
    expect(got.kafka).not.toHaveProperty('password');
    const everything = [
      JSON.stringify([conn, got, listed]),
      JSON.stringify(err),
      String((err as Error).message),
      JSON.stringify(loginErr),
      String((loginErr as Error).message),
      ...events,
    ].join('\n');
    for (const secret of [canaryPassword, token, HUAWEI_EMULATOR_USER.password, 'WRONG-canary-password'])
      expect(everything).not.toContain(secret);

    const r = await runCli(['connections', 'get', '-p', 'huawei', '--id', conn.id, '--json'], {
      POLYBUS_HUAWEI_ENDPOINT: emu.url,
      POLYBUS_HUAWEI_IAM_ENDPOINT: emu.url,
      HUAWEICLOUD_PROJECT_ID: HUAWEI_EMULATOR_PROJECT,
      HUAWEICLOUD_USERNAME: HUAWEI_EMULATOR_USER.username,
      HUAWEICLOUD_PASSWORD: HUAWEI_EMULATOR_USER.password,
      HUAWEICLOUD_DOMAIN_NAME: HUAWEI_EMULATOR_USER.domainName,
    });
    const out = r.stdout + r.stderr;
    expect(JSON.parse(out)).toMatchObject({ id: conn.id, kafka: { username: 'eg' } });
    expect(out).not.toContain(canaryPassword);
    expect(out).not.toContain(HUAWEI_EMULATOR_USER.password);
  });
});
