import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { classifyTencentCode } from '../src/adapters/tencent/errors.js';
import { createTencentProvider } from '../src/adapters/tencent/index.js';
import { collect, guardProvider } from '../src/core/runtime/resources.js';
import { type EventProvider } from '../src/core/contract/provider.js';
import { Transport } from '../src/core/runtime/transport.js';

/**
 * Every error code in the reference's tables, from a fixture inside the project (extracted once
 * from the seed documents: see its `$comment`), so every clone runs this test.
 */
const ERROR_TABLE = JSON.parse(
  readFileSync(new URL('./fixtures/tencent-error-codes.json', import.meta.url), 'utf8'),
) as { codes: { code: string; document: string }[] };
const documentedCodes = (): string[] => ERROR_TABLE.codes.map((c) => c.code);

describe('error tables of the documents (test/fixtures/tencent-error-codes.json)', () => {
  let codes: string[] = [];
  beforeAll(() => {
    codes = documentedCodes();
  });

  it('holds the documented tables', () => {
    expect(codes.length).toBeGreaterThan(120);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toContain('OperationDenied.EventBusResourceIsLocked');
    expect(codes).toContain('RequestLimitExceeded.UinLimitExceeded');
  });

  it('maps every documented code, none falls through to the Internal fallback', () => {
    const fallthrough = codes.filter((c) => classifyTencentCode(c).matched === 'fallback');
    expect(fallthrough).toEqual([]);
  });
});

describe('error mapping (errors.ts)', () => {
  it('classifies the notable codes as DESIGN.md says', () => {
    expect(classifyTencentCode('ResourceNotFound.Whatever')).toMatchObject({
      code: 'NotFound',
      matched: 'prefix',
    });
    expect(classifyTencentCode('LimitExceeded.Something')).toMatchObject({ code: 'QuotaExceeded' });
    expect(classifyTencentCode('RequestLimitExceeded.NewKind')).toMatchObject({
      code: 'Throttled',
      retryable: true,
    });
    expect(classifyTencentCode('OperationDenied.EventBusResourceIsLocked')).toMatchObject({
      code: 'Conflict',
      retryable: true,
    });
    expect(classifyTencentCode('AuthFailure.Anything')).toMatchObject({ code: 'AuthenticationFailed' });
    expect(classifyTencentCode('ResourceInUse.EventBus')).toMatchObject({ code: 'Conflict' });
    expect(classifyTencentCode('InternalError')).toMatchObject({ code: 'Internal', matched: 'exact' });
    expect(classifyTencentCode('SomethingNew')).toMatchObject({ code: 'Internal', matched: 'fallback' });
  });
});

describe('adapter against the emulator', () => {
  let emu: TencentEmulator;
  let transport: Transport;
  let provider: EventProvider;
  let skewMs = 0;

  beforeAll(async () => {
    emu = await TencentEmulator.start({ now: () => Date.now() + skewMs, connectionReadyMs: 0 });
  });
  afterAll(() => emu.close());
  afterEach(async () => {
    emu.faults.clear();
    emu.resetRateLimits();
    skewMs = 0;
    await transport?.close();
  });

  const make = (credentials = TENCENT_EMULATOR_CREDENTIALS) => {
    transport = new Transport({ retry: { baseDelayMs: 5 } });
    provider = guardProvider(
      createTencentProvider({ transport, endpoint: emu.url, credentials: async () => credentials, env: {} }),
    );
    return provider;
  };
  const count = (action: string) => emu.requestCounts.get(action) ?? 0;

  it('rejects an invalid EventBusName before any request, naming the field and the rule', async () => {
    make();
    const before = count('CreateEventBus');
    const err = await provider.buses
      .create({ name: '1-starts-with-digit', description: 'x'.repeat(201) })
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'InvalidArgument', provider: 'tencent' });
    expect(err.issues).toEqual([
      { field: 'name', rule: expect.stringContaining('start with a letter') },
      { field: 'description', rule: expect.stringContaining('200 characters') },
    ]);
    expect(count('CreateEventBus')).toBe(before);
  });

  it('the emulator enforces the same name rule on the wire (InvalidParameterValue.EventBusName)', async () => {
    make();
    const { TencentClient } = await import('../src/adapters/tencent/client.js');
    const client = new TencentClient({
      transport,
      endpoint: emu.url,
      region: 'ap-guangzhou',
      credentials: async () => TENCENT_EMULATOR_CREDENTIALS,
    });
    await expect(client.createEventBus({ EventBusName: 'a' })).rejects.toMatchObject({
      code: 'InvalidArgument',
      providerCode: 'InvalidParameterValue.EventBusName',
      requestId: expect.any(String),
    });
  });

  it('a wrong SecretKey is AuthFailure.SignatureFailure -> AuthenticationFailed, with the request id', async () => {
    make({ ...TENCENT_EMULATOR_CREDENTIALS, secretKey: 'not-the-key' });
    await expect(provider.buses.get('eb-1')).rejects.toMatchObject({
      code: 'AuthenticationFailed',
      providerCode: 'AuthFailure.SignatureFailure',
      retryable: false,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('on AuthFailure.SignatureExpire it re-signs once with the server clock offset', async () => {
    make();
    skewMs = 10 * 60_000; // the server is 10 minutes ahead of us
    const before = count('ListEventBuses');
    await collect(provider.buses.list());
    expect(count('ListEventBuses') - before).toBe(2);
    // the offset is kept: the next call succeeds first time
    await collect(provider.buses.list());
    expect(count('ListEventBuses') - before).toBe(3);
  });

  it('retries RequestLimitExceeded and a locked bus, not ResourceInUse', async () => {
    make();
    const bus = await provider.buses.create({ name: 'retry-bus' });
    emu.faults.inject({ operation: 'GetEventBus', kind: 'error', code: 'RequestLimitExceeded' });
    emu.faults.inject({
      operation: 'UpdateEventBus',
      kind: 'error',
      code: 'OperationDenied.EventBusResourceIsLocked',
    });
    const before = count('GetEventBus');
    await provider.buses.get(bus.id);
    expect(count('GetEventBus') - before).toBe(2);
    const beforeUpdate = count('UpdateEventBus');
    await provider.buses.update(bus.id, { description: 'after lock' });
    expect(count('UpdateEventBus') - beforeUpdate).toBe(2);
    await provider.integrations.create({ name: 'keeps-bus', bus: bus.id, filter: { source: 'x' } });
    const beforeDelete = count('DeleteEventBus');
    await expect(provider.buses.delete(bus.id)).rejects.toMatchObject({
      code: 'Conflict',
      providerCode: 'ResourceInUse.EventBus',
    });
    expect(count('DeleteEventBus') - beforeDelete).toBe(1);
  });

  it('the emulator enforces 20 requests/s per action with RequestLimitExceeded', async () => {
    // A frozen emulator clock puts all 30 requests in one second, however slow the machine is.
    const frozen = Date.now();
    const still = await TencentEmulator.start({ now: () => frozen });
    const { TencentClient } = await import('../src/adapters/tencent/client.js');
    const raw = new Transport({ retry: { maxAttempts: 1 } }); // no limiter for 'tencent' on this transport
    const client = new TencentClient({
      transport: raw,
      endpoint: still.url,
      region: 'r',
      credentials: async () => TENCENT_EMULATOR_CREDENTIALS,
    });
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => client.listEventBuses({})));
    const throttled = results.filter(
      (r) =>
        r.status === 'rejected' &&
        (r.reason as { providerCode?: string }).providerCode === 'RequestLimitExceeded',
    );
    expect(throttled.length).toBe(10); // 30 in one second: 20 pass
    await still.close();
    await raw.close();
  });

  it('a create whose response is lost yields exactly one bus (lookup by name before retry)', async () => {
    make();
    emu.faults.inject({ operation: 'CreateEventBus', kind: 'drop-after-commit' });
    const before = count('CreateEventBus');
    const bus = await provider.buses.create({ name: 'dropped-response-bus' });
    expect(bus.name).toBe('dropped-response-bus');
    expect(count('CreateEventBus') - before).toBe(1);
    expect([...emu.buses.values()].filter((b) => b.EventBusName === 'dropped-response-bus')).toHaveLength(1);
  });

  it('lists lazily: taking one item costs one page', async () => {
    make();
    for (let i = 0; i < 5; i++) await provider.buses.create({ name: `lazy-${i}` });
    const before = count('ListEventBuses');
    for await (const _ of provider.buses.list({ pageSize: 2 })) break;
    expect(count('ListEventBuses') - before).toBe(1);
    const all = await collect(provider.buses.list({ pageSize: 2 }));
    expect(all.length).toBe(emu.buses.size);
  });

  it('maps integration filter.source to a rule EventPattern and back', async () => {
    make();
    const bus = await provider.buses.create({ name: 'pattern-bus', retentionDays: 7 });
    expect(bus.retentionDays).toBe(7);
    const integ = await provider.integrations.create({
      name: 'orders',
      bus: bus.id,
      filter: { source: 'shop.orders' },
    });
    expect(integ.id).toMatch(/^eb-[a-z0-9]+\/rule-[a-z0-9]+$/);
    const rule = emu.rules.get(integ.id.split('/')[1]!);
    expect(JSON.parse(String(rule?.EventPattern))).toEqual({ source: ['shop.orders'] });
    expect(
      (await provider.integrations.update(integ.id, { filter: { source: 'shop.refunds' } })).filter,
    ).toEqual({ exact: { source: 'shop.refunds' } });
    await expect(provider.integrations.update(integ.id, { bus: 'eb-other' })).rejects.toMatchObject({
      code: 'InvalidArgument',
      issues: [{ field: 'bus', rule: expect.stringContaining('immutable') }],
    });
  });

  it('drives targets and transformations through their actions', async () => {
    make();
    const { TencentClient } = await import('../src/adapters/tencent/client.js');
    const client = new TencentClient({
      transport,
      endpoint: emu.url,
      region: 'ap-guangzhou',
      credentials: async () => TENCENT_EMULATOR_CREDENTIALS,
    });
    const { EventBusId } = await client.createEventBus({ EventBusName: 'actions-bus' });
    const { RuleId } = await client.createRule({
      EventBusId,
      RuleName: 'actions-rule',
      EventPattern: '{"source":["a"]}',
    });
    // CheckRule answers from the emulator's EventPattern evaluator (routing.test.ts covers mismatches).
    await client.checkRule({
      Event: JSON.stringify({ specversion: '1.0', id: 'e1', source: 'a', type: 't' }),
      EventPattern: '{"source":["a"]}',
    });
    const { TargetId } = await client.createTarget({
      EventBusId,
      RuleId,
      Type: 'scf',
      TargetDescription: {
        ResourceDescription: 'qcs::scf:ap-guangzhou:uin/1:namespace/default/function/f/1',
      },
    });
    await client.updateTarget({
      EventBusId,
      RuleId,
      TargetId,
      EnableBatchDelivery: true,
      BatchEventCount: 32,
    });
    const targets = await collect(client.targets(EventBusId, RuleId));
    expect(targets).toEqual([
      expect.objectContaining({ TargetId, Type: 'scf', EnableBatchDelivery: true, BatchEventCount: 32 }),
    ]);
    // ResourceInUse.Rule: a rule with targets cannot be deleted
    await expect(client.deleteRule({ EventBusId, RuleId })).rejects.toMatchObject({
      code: 'Conflict',
      providerCode: 'ResourceInUse.Rule',
    });
    const transformation = {
      Extraction: { ExtractionInputPath: '$', Format: 'JSON' },
      Transform: { OutputStructs: [{ Key: 'age', Value: '$.age', ValueType: 'JSONPATH' }] },
    };
    const { TransformationId } = await client.createTransformation({
      EventBusId,
      RuleId,
      Transformations: [transformation],
    });
    expect(
      (await client.getTransformation({ EventBusId, RuleId, TransformationId })).Transformations,
    ).toEqual([transformation]);
    const changed = { ...transformation, EtlFilter: { Filter: '{"source":"x"}' } };
    await client.updateTransformation({ EventBusId, RuleId, TransformationId, Transformations: [changed] });
    expect(
      (await client.getTransformation({ EventBusId, RuleId, TransformationId })).Transformations,
    ).toEqual([changed]);
    expect(
      (await client.checkTransformation({ Input: '{"age":1,"name":"x"}', Transformations: [transformation] }))
        .Output,
    ).toBe('{"age":1}');
    await client.deleteTransformation({ EventBusId, RuleId, TransformationId });
    await expect(client.getTransformation({ EventBusId, RuleId, TransformationId })).rejects.toMatchObject({
      code: 'NotFound',
      providerCode: 'ResourceNotFound.Transformation',
    });
    await client.deleteTarget({ EventBusId, RuleId, TargetId });
    await client.deleteRule({ EventBusId, RuleId });
    await client.deleteEventBus({ EventBusId });
  });

  it('sends the session token as X-TC-Token, and the emulator checks it', async () => {
    const withToken = {
      ...TENCENT_EMULATOR_CREDENTIALS,
      secretId: 'AKIDtemporary',
      token: 'session-token-value',
    };
    const strict = await TencentEmulator.start({ credentials: [withToken] });
    const t = new Transport();
    const p = createTencentProvider({
      transport: t,
      endpoint: strict.url,
      credentials: async () => withToken,
      env: {},
    });
    await expect(collect(p.buses.list())).resolves.toEqual([]);
    const bad = createTencentProvider({
      transport: t,
      endpoint: strict.url,
      credentials: async () => ({ ...withToken, token: 'wrong' }),
      env: {},
    });
    await expect(collect(bad.buses.list())).rejects.toMatchObject({
      providerCode: 'AuthFailure.TokenFailure',
    });
    await t.close();
    await strict.close();
  });

  it('accepts requests signed by the official tencentcloud-sdk-nodejs client', async () => {
    const { CommonClient } = await import('tencentcloud-sdk-nodejs-common');
    // The SDK signs for the service named by the endpoint's first label, so it is given the real
    // host name (eb.tencentcloudapi.com, resolved to the emulator) rather than the IP (service `127`).
    const { Agent } = await import('node:http');
    const agent = new Agent({
      lookup: (_h, o, cb) =>
        (o as { all?: boolean }).all
          ? (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [
              { address: '127.0.0.1', family: 4 },
            ])
          : cb(null, '127.0.0.1', 4),
    });
    const client = new CommonClient('eb.tencentcloudapi.com', '2021-04-16', {
      credential: TENCENT_EMULATOR_CREDENTIALS,
      region: 'ap-guangzhou',
      profile: {
        httpProfile: {
          endpoint: `eb.tencentcloudapi.com:${new URL(emu.url).port}`,
          protocol: 'http://',
          agent,
        },
      },
    });
    const created = (await client.request('CreateEventBus', { EventBusName: 'from-official-sdk' })) as {
      EventBusId: string;
    };
    expect(created.EventBusId).toMatch(/^eb-/);
    const got = (await client.request('GetEventBus', { EventBusId: created.EventBusId })) as {
      EventBusName: string;
    };
    expect(got.EventBusName).toBe('from-official-sdk');
    agent.destroy();
  });
});
