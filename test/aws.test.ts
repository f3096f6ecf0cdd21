import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AWS_EMULATOR_CREDENTIALS, AwsEmulator } from '../src/adapters/aws/emulator/index.js';
import { AWS_ERROR_NAMES, classifyAwsError } from '../src/adapters/aws/errors.js';
import { createAwsProvider } from '../src/adapters/aws/index.js';
import { deriveClientToken } from '../src/adapters/aws/mapping.js';
import { collect, guardProvider } from '../src/core/runtime/resources.js';
import { type EventProvider } from '../src/core/contract/provider.js';
import { Transport } from '../src/core/runtime/transport.js';
import { runCli } from './helpers/cli.js';
import { VirtualClock } from './helpers/clock.js';

describe('error mapping (errors.ts)', () => {
  it('maps every modeled error by name, with the documented status', () => {
    const expected: Record<string, [string, boolean, number]> = {
      AccessDeniedException: ['PermissionDenied', false, 403],
      DuplicateResourceException: ['AlreadyExists', false, 409],
      InternalServiceError: ['Unavailable', true, 500],
      InvalidRequestException: ['InvalidArgument', false, 400],
      ResourceQuotaExceededException: ['QuotaExceeded', false, 429],
      ThrottlingException: ['Throttled', true, 429],
      ResourceNotFoundException: ['NotFound', false, 404],
      UnsupportedOperationException: ['Unsupported', false, 400],
    };
    for (const [name, [code, retryable, status]] of Object.entries(expected)) {
      expect(AWS_ERROR_NAMES[name]?.status).toBe(status);
      const rule = classifyAwsError(name, status);
      expect(rule).toMatchObject({ code, matched: 'name' });
      expect(rule.retryable ?? ['Throttled', 'Unavailable'].includes(code)).toBe(retryable);
    }
  });
  it('a 429 is classified by name first: quota is never retryable, throttling is', () => {
    expect(classifyAwsError('ResourceQuotaExceededException', 429)).toMatchObject({
      code: 'QuotaExceeded',
      retryable: false,
    });
    expect(classifyAwsError('SomethingNew', 429)).toMatchObject({
      code: 'Throttled',
      retryable: true,
      matched: 'status',
    });
    expect(classifyAwsError('DuplicateResourceException', 409)).toMatchObject({ retryable: false });
  });
});

describe('retries counted at the server (nock)', () => {
  const origin = 'http://appintegrations.nock.test';
  let transport: Transport;
  let provider: EventProvider;
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => {
    nock.enableNetConnect();
    nock.cleanAll();
  });
  afterEach(async () => {
    nock.cleanAll();
    provider?.close();
    await transport?.close();
  });
  const make = () => {
    transport = new Transport({ clock: new VirtualClock(), retry: { maxAttempts: 4 } });
    provider = createAwsProvider({
      transport,
      endpoint: origin,
      region: 'us-east-1',
      credentials: async () => AWS_EMULATOR_CREDENTIALS,
      env: {},
    });
    return provider;
  };
  const input = { name: 'orders', bus: 'default', filter: { source: 'aws.partner/example.com/orders' } };
  const awsError = (name: string, status: number) =>
    [status, { Message: name }, { 'x-amzn-errortype': name, 'x-amzn-requestid': `req-${name}` }] as const;

  it('ResourceQuotaExceededException is sent exactly once', async () => {
    make();
    let creates = 0;
    nock(origin)
      .post('/eventIntegrations')
      .times(5)
      .reply(() => {
        creates++;
        return awsError('ResourceQuotaExceededException', 429);
      });
    await expect(provider.integrations.create(input)).rejects.toMatchObject({
      code: 'QuotaExceeded',
      retryable: false,
      httpStatus: 429,
      providerCode: 'ResourceQuotaExceededException',
      requestId: 'req-ResourceQuotaExceededException',
    });
    expect(creates).toBe(1);
  });

  it('ThrottlingException is retried within the retry budget', async () => {
    make();
    let creates = 0;
    nock(origin)
      .post('/eventIntegrations')
      .times(3)
      .reply(() =>
        ++creates < 3
          ? awsError('ThrottlingException', 429)
          : [
              200,
              {
                EventIntegrationArn:
                  'arn:aws:app-integrations:us-east-1:123456789012:event-integration/orders',
              },
            ],
      );
    nock(origin)
      .get('/eventIntegrations/orders')
      .reply(200, {
        Name: 'orders',
        EventBridgeBus: 'default',
        EventFilter: { Source: input.filter.source },
        EventIntegrationArn: 'arn:x',
        Tags: {},
      });
    const created = await provider.integrations.create(input);
    expect(created).toMatchObject({
      id: 'orders',
      bus: 'default',
      filter: { exact: { source: input.filter.source } },
    });
    expect(creates).toBe(3);
  });

  it('gives up on throttling after maxAttempts', async () => {
    make();
    let gets = 0;
    nock(origin)
      .get('/eventIntegrations/orders')
      .times(10)
      .reply(() => {
        gets++;
        return awsError('ThrottlingException', 429);
      });
    await expect(provider.integrations.get('orders')).rejects.toMatchObject({ code: 'Throttled' });
    expect(gets).toBe(4);
  });

  it('hooks see the attempt number of each request, also when calls run concurrently', async () => {
    make();
    const attempts: Record<string, number[]> = {};
    transport.observe({ onRequest: (e) => (attempts[e.url] ??= []).push(e.attempt) });
    nock(origin)
      .get('/eventIntegrations/a')
      .reply(...awsError('ThrottlingException', 429));
    nock(origin)
      .get('/eventIntegrations/a')
      .reply(200, { Name: 'a', EventBridgeBus: 'b', EventFilter: { Source: 's' } });
    nock(origin)
      .get('/eventIntegrations/b')
      .reply(200, { Name: 'b', EventBridgeBus: 'b', EventFilter: { Source: 's' } });
    await Promise.all([provider.integrations.get('a'), provider.integrations.get('b')]);
    expect(attempts[`${origin}/eventIntegrations/a`]).toEqual([1, 2]);
    expect(attempts[`${origin}/eventIntegrations/b`]).toEqual([1]);
  });

  it('DuplicateResourceException (409) is never retried', async () => {
    make();
    let creates = 0;
    nock(origin)
      .post('/eventIntegrations')
      .times(3)
      .reply(() => {
        creates++;
        return awsError('DuplicateResourceException', 409);
      });
    await expect(provider.integrations.create(input)).rejects.toMatchObject({
      code: 'AlreadyExists',
      httpStatus: 409,
    });
    expect(creates).toBe(1);
  });

  it('sends the documented CreateEventIntegration request with a derived ClientToken', async () => {
    make();
    let body: Record<string, unknown> = {};
    nock(origin)
      .post('/eventIntegrations', (b: Record<string, unknown>) => {
        body = b;
        return true;
      })
      .reply(200, { EventIntegrationArn: 'arn:x' });
    nock(origin)
      .get('/eventIntegrations/orders')
      .reply(200, {
        Name: 'orders',
        EventBridgeBus: 'default',
        EventFilter: { Source: input.filter.source },
      });
    await provider.integrations.create({ ...input, tags: { team: 'shop' } });
    expect(body).toEqual({
      Name: 'orders',
      EventBridgeBus: 'default',
      EventFilter: { Source: input.filter.source },
      Tags: { team: 'shop' },
      ClientToken: deriveClientToken({ ...input, tags: { team: 'shop' } }),
    });
  });
});

describe('adapter against the emulator', () => {
  let emu: AwsEmulator;
  let transport: Transport;
  let provider: EventProvider;
  const events: string[] = [];
  beforeAll(async () => {
    emu = await AwsEmulator.start({
      credentials: [
        AWS_EMULATOR_CREDENTIALS,
        {
          accessKeyId: 'ASIATEMPORARY',
          secretAccessKey: 'CANARY-secret-access-key',
          sessionToken: 'CANARY-session-token',
        },
      ],
    });
  });
  afterAll(() => emu.close());
  afterEach(async () => {
    emu.faults.clear();
    events.length = 0;
    provider?.close();
    await transport?.close();
  });
  const make = (credentials = AWS_EMULATOR_CREDENTIALS) => {
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
      createAwsProvider({
        transport,
        endpoint: emu.url,
        region: 'us-east-1',
        credentials: async () => credentials,
        env: {},
      }),
    );
    return provider;
  };
  const count = (op: string) => emu.requestCounts.get(op) ?? 0;

  it('bus list: a summary is ListEventBuses alone (no DescribeEventBus, no tags); a full list reads each bus for its settings and tags (EventBridge ListEventBuses, issue 12)', async () => {
    make();
    await provider.buses.create({ name: 'listed-a', tags: { team: 'a' } });
    await provider.buses.create({ name: 'listed-b' });
    const describes = count('DescribeEventBus');
    const tagReads = count('ListTagsForResource');
    const summary = await collect(provider.buses.list({ summary: true }));
    expect(summary.map((b) => b.name)).toEqual(expect.arrayContaining(['listed-a', 'listed-b']));
    expect(count('DescribeEventBus')).toBe(describes);
    expect(count('ListTagsForResource')).toBe(tagReads);
    // KMS key, dead-letter and log settings come only from DescribeEventBus: a full list reads them
    const full = await collect(provider.buses.list());
    expect(full.map((b) => b.name).sort()).toEqual(summary.map((b) => b.name).sort());
    expect(full.find((b) => b.name === 'listed-a')?.tags).toEqual({ team: 'a' });
    expect(count('DescribeEventBus') - describes).toBe(full.length);
    expect(provider.listOmits?.bus).toEqual(['tags', 'extensions']);
  });

  it('a create retried after a dropped response yields exactly one event integration', async () => {
    make();
    emu.faults.inject({ operation: 'CreateEventIntegration', kind: 'drop-after-commit' });
    const before = count('CreateEventIntegration');
    const created = await provider.integrations.create({
      name: 'dropped',
      bus: 'default',
      filter: { source: 'aws.partner/x' },
    });
    expect(count('CreateEventIntegration') - before).toBe(2);
    expect(created.id).toBe('dropped');
    expect([...emu.integrations.keys()].filter((n) => n === 'dropped')).toHaveLength(1);
  });

  it('re-creating a deleted integration works although the derived ClientToken was used before', async () => {
    make();
    const input = { name: 'recreated', bus: 'default', filter: { source: 'aws.partner/r' } };
    await provider.integrations.create(input);
    await provider.integrations.delete('recreated');
    const again = await provider.integrations.create(input);
    expect(again.id).toBe('recreated');
    expect(emu.integrations.has('recreated')).toBe(true);
  });

  it('same ClientToken with a different input is refused by the service', async () => {
    make();
    await provider.integrations.create({
      name: 'tok-a',
      bus: 'default',
      filter: { source: 'aws.partner/example.com/s' },
      clientToken: 'fixed-token',
    });
    await expect(
      provider.integrations.create({
        name: 'tok-b',
        bus: 'default',
        filter: { source: 'aws.partner/example.com/s' },
        clientToken: 'fixed-token',
      }),
    ).rejects.toMatchObject({
      code: 'InvalidArgument',
      providerCode: 'InvalidRequestException',
    });
  });

  it('bad input and immutable-field updates fail before any request, naming field and rule', async () => {
    make();
    await provider.integrations.create({
      name: 'immutable',
      bus: 'default',
      filter: { source: 'aws.partner/example.com/s' },
    });
    const before = [...emu.requestCounts.values()].reduce((a, b) => a + b, 0);
    const err = await provider.integrations
      .create({
        name: 'bad name!',
        bus: 'default',
        filter: { source: '' },
        tags: { 'aws:reserved': 'x' },
        description: 'd'.repeat(1001),
      })
      .catch((e) => e);
    expect(err.code).toBe('InvalidArgument');
    expect(err.issues.map((i: { field: string }) => i.field).sort()).toEqual([
      'description',
      'filter.source',
      'name',
      'tags.aws:reserved',
    ]);
    expect(err.issues.find((i: { field: string }) => i.field === 'name').rule).toContain(
      '^[a-zA-Z0-9\\/\\._\\-]+$',
    );
    for (const patch of [{ name: 'x' }, { bus: 'other' }, { filter: { source: 'other' } }]) {
      const e = await provider.integrations.update('immutable', patch).catch((x) => x);
      expect(e).toMatchObject({ code: 'InvalidArgument' });
      expect(e.issues[0].rule).toContain('immutable');
    }
    expect([...emu.requestCounts.values()].reduce((a, b) => a + b, 0)).toBe(before);
  });

  it('updates description in place and tags through TagResource/UntagResource', async () => {
    make();
    await provider.integrations.create({
      name: 'tagged',
      bus: 'default',
      filter: { source: 'aws.partner/example.com/s' },
      tags: { a: '1', keep: 'k' },
    });
    const updated = await provider.integrations.update('tagged', {
      description: 'new',
      tags: { keep: 'k', b: '2' },
    });
    expect(updated).toMatchObject({ description: 'new', tags: { keep: 'k', b: '2' } });
    expect(emu.integrations.get('tagged')?.Tags).toEqual({ keep: 'k', b: '2' });
    expect(count('UntagResource')).toBeGreaterThanOrEqual(1);
    expect(count('TagResource')).toBeGreaterThanOrEqual(1);
  });

  it('delete is blocked while associations exist, without sending DeleteEventIntegration', async () => {
    make();
    await provider.integrations.create({
      name: 'associated',
      bus: 'default',
      filter: { source: 'aws.partner/example.com/s' },
    });
    emu.addAssociation('associated', 'connect-instance-1');
    const before = count('DeleteEventIntegration');
    await expect(provider.integrations.delete('associated')).rejects.toMatchObject({
      code: 'Conflict',
      message: expect.stringContaining('connect-instance-1'),
    });
    expect(count('DeleteEventIntegration')).toBe(before);
    expect(await provider.deleteBlockers?.('integration', 'associated')).toEqual([
      expect.stringContaining('connect-instance-1'),
    ]);
  });

  it('lists lazily with NextToken', async () => {
    make();
    for (let i = 0; i < 5; i++)
      await provider.integrations.create({
        name: `page-${i}`,
        bus: 'paging-bus',
        filter: { source: 'aws.partner/example.com/s' },
      });
    const before = count('ListEventIntegrations');
    const onBus = await collect(provider.integrations.list({ bus: 'paging-bus', pageSize: 2 }));
    expect(onBus.map((i) => i.name).sort()).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    expect(count('ListEventIntegrations') - before).toBe(Math.ceil(emu.integrations.size / 2));
  });

  describe('EventBridge buses', () => {
    it('creates, tags and deletes a bus over JSON 1.1; NotFound is recognised by name although EventBridge answers 400', async () => {
      make();
      const bus = await provider.buses.create({ name: 'eb-orders', tags: { team: 'a' } });
      expect(bus).toMatchObject({
        id: 'eb-orders',
        tags: { team: 'a' },
      });
      const updated = await provider.buses.update('eb-orders', { tags: { team: 'b', env: 'x' } });
      expect(updated.tags).toEqual({ team: 'b', env: 'x' });
      await provider.buses.delete('eb-orders');
      await expect(provider.buses.get('eb-orders')).rejects.toMatchObject({
        code: 'NotFound',
        httpStatus: 400,
        providerCode: 'ResourceNotFoundException',
      });
    });

    it('refuses what EventBridge cannot do, before any request', async () => {
      make();
      const before = [...emu.requestCounts.values()].reduce((a, b) => a + b, 0);
      await expect(
        provider.buses.create({ name: 'with-description', description: 'd'.repeat(513) }),
      ).rejects.toMatchObject({
        code: 'InvalidArgument',
        issues: [{ field: 'description', rule: expect.stringContaining('512') }],
      });
      await expect(provider.buses.create({ name: 'default' })).rejects.toMatchObject({
        code: 'InvalidArgument',
        issues: [{ field: 'name', rule: expect.stringContaining('default bus') }],
      });
      await expect(provider.buses.create({ name: 'a/b' })).rejects.toMatchObject({ code: 'InvalidArgument' });
      await expect(provider.buses.update('x', { name: 'y' })).rejects.toMatchObject({
        code: 'InvalidArgument',
        issues: [{ field: 'name', rule: expect.stringContaining('immutable') }],
      });
      expect([...emu.requestCounts.values()].reduce((a, b) => a + b, 0)).toBe(before);
      // and what only the service knows: the default bus cannot be deleted
      await expect(provider.buses.delete('default')).rejects.toMatchObject({
        code: 'InvalidArgument',
        providerCode: 'ValidationException',
      });
    });

    it('a bus create whose response is lost yields exactly one bus (lookup by name)', async () => {
      make();
      emu.faults.inject({ operation: 'CreateEventBus', kind: 'drop-after-commit' });
      const before = count('CreateEventBus');
      const bus = await provider.buses.create({ name: 'dropped-bus' });
      expect(bus.id).toBe('dropped-bus');
      expect(count('CreateEventBus') - before).toBe(1);
      expect(emu.buses.has('dropped-bus')).toBe(true);
    });

    it('sends X-Amz-Target and signs for the events service', async () => {
      make();
      const seen: Record<string, string>[] = [];
      transport.observe({ onRequest: (e) => seen.push(e.headers) });
      await collect(provider.buses.list());
      expect(seen[0]?.['x-amz-target']).toBe('AWSEvents.ListEventBuses');
      expect(seen[0]?.authorization).toBe('[REDACTED]');
    });
  });

  it('the emulator verifies SigV4: a wrong secret is AuthenticationFailed', async () => {
    make({ ...AWS_EMULATOR_CREDENTIALS, secretAccessKey: 'wrong-secret-key-xyz' });
    await expect(provider.integrations.get('x')).rejects.toMatchObject({
      code: 'AuthenticationFailed',
      httpStatus: 403,
      providerCode: 'InvalidSignatureException',
      requestId: expect.any(String),
    });
  });

  it('canary: no secret key or session token in errors, hooks or CLI output', async () => {
    make({
      accessKeyId: 'ASIATEMPORARY',
      secretAccessKey: 'CANARY-secret-access-key',
      sessionToken: 'CANARY-session-token',
    });
    const ok = await provider.integrations.create({
      name: 'canary',
      bus: 'default',
      filter: { source: 'aws.partner/example.com/s' },
    });
    const err = await provider.integrations.get('missing').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NotFound' });
    const dump = [JSON.stringify(ok), JSON.stringify(err), (err as Error).message, ...events].join('\n');
    expect(events.length).toBeGreaterThan(0);
    expect(dump).toContain('[REDACTED]');
    for (const s of ['CANARY-secret-access-key', 'CANARY-session-token']) expect(dump).not.toContain(s);

    const r = await runCli(['integrations', 'get', '-p', 'aws', '--id', 'missing', '--json'], {
      POLYBUS_AWS_ENDPOINT: emu.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'ASIATEMPORARY',
      AWS_SECRET_ACCESS_KEY: 'CANARY-secret-access-key',
      AWS_SESSION_TOKEN: 'CANARY-session-token',
    });
    const out = r.stdout + r.stderr;
    expect(JSON.parse(out).error).toMatchObject({
      code: 'NotFound',
      provider: 'aws',
      providerCode: 'ResourceNotFoundException',
    });
    for (const s of ['CANARY-secret-access-key', 'CANARY-session-token']) expect(out).not.toContain(s);
  });
});
