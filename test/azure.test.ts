/**
 * The Azure adapter on its emulator: Entra ID tokens cached and renewed after a 401, ARM errors
 * normalized with the request id, 429 answered with Retry-After honoured, long-running operations
 * polled to their end (a failed handshake fails the create), validation before any request,
 * secrets kept out of errors and observers, and publishing batched by the documented 1 MB.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AZURE_EMULATOR_CLIENT,
  AZURE_EMULATOR_RESOURCE_GROUP,
  AZURE_EMULATOR_SUBSCRIPTION,
  AzureEmulator,
} from '../src/adapters/azure/emulator/index.js';
import { createAzureProvider } from '../src/adapters/azure/index.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import { guardProvider } from '../src/core/runtime/resources.js';
import { Transport, type TransportObserver } from '../src/core/runtime/transport.js';
import { startReceiver } from './azure.helpers.js';
import { VirtualClock } from './helpers/clock.js';

let emu: AzureEmulator;
const seen: string[] = [];
const observer: TransportObserver = {
  onRequest: (e) => seen.push(JSON.stringify(e)),
  onResponse: (e) => seen.push(JSON.stringify(e)),
};

function provider(o: { clock?: VirtualClock; secret?: string } = {}): EventProvider {
  return guardProvider(
    createAzureProvider({
      transport: new Transport({
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        observers: [observer],
        ...(o.clock ? { clock: o.clock } : {}),
      }),
      env: {},
      endpoint: emu.url,
      authorityHost: emu.url,
      subscriptionId: AZURE_EMULATOR_SUBSCRIPTION,
      resourceGroup: AZURE_EMULATOR_RESOURCE_GROUP,
      credentials: async () => ({
        ...AZURE_EMULATOR_CLIENT,
        ...(o.secret ? { clientSecret: o.secret } : {}),
      }),
    }),
  );
}
const count = (op: string) => emu.requestCounts.get(op) ?? 0;

beforeAll(async () => {
  emu = await AzureEmulator.start({ operationPolls: 2, throttleRetryAfterSeconds: 3 });
});
afterAll(async () => emu.close());
afterEach(() => emu.faults.clear());

describe('azure adapter', () => {
  it('asks Entra ID once for a token, and again after the token is refused', async () => {
    const p = provider();
    const before = emu.entra.issued;
    await p.buses.create({ name: 'tok-1' });
    await p.buses.get('tok-1');
    expect(emu.entra.issued).toBe(before + 1);
    emu.entra.expireAll();
    expect(await p.buses.get('tok-1')).toMatchObject({ name: 'tok-1' });
    expect(emu.entra.issued).toBe(before + 2);
  });

  it('polls a long-running operation to its end', async () => {
    const before = count('OperationStatus');
    const bus = await provider().buses.create({ name: 'lro-1', tags: { a: 'b' } });
    expect(bus).toMatchObject({ name: 'lro-1', status: 'Succeeded', tags: { a: 'b' } });
    expect(count('OperationStatus') - before).toBe(3);
  });

  it('maps ARM errors with the request id; NotFound is not retryable', async () => {
    const err = (await provider()
      .buses.get('no-such-topic')
      .catch((e: unknown) => e)) as Record<string, unknown>;
    expect(err).toMatchObject({
      code: 'NotFound',
      provider: 'azure',
      httpStatus: 404,
      providerCode: 'ResourceNotFound',
      retryable: false,
    });
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('honours Retry-After on 429 and retries', async () => {
    const clock = new VirtualClock();
    const p = provider({ clock });
    await p.buses.create({ name: 'thr-1' });
    emu.faults.inject({ kind: 'error', status: 429, code: 'TooManyRequests', operation: 'Topics_Get' });
    clock.sleeps.length = 0;
    expect(await p.buses.get('thr-1')).toMatchObject({ name: 'thr-1' });
    expect(Math.max(...clock.sleeps)).toBeGreaterThanOrEqual(3000);
  });

  it('a WebHook that fails the handshake fails the create, named as Azure names it', async () => {
    const p = provider();
    await p.buses.create({ name: 'hs-1' });
    const bad = await startReceiver({ handshake: false });
    try {
      await expect(
        p.integrations.create({
          name: 'hs-sub',
          bus: 'hs-1',
          filter: { prefix: { subject: 'a/' } },
          targets: [{ kind: 'http', url: bad.url }],
        }),
      ).rejects.toMatchObject({ code: 'InvalidArgument', providerCode: 'Url validation' });
      expect(bad.handshakes).toBe(1);
    } finally {
      await bad.close();
    }
  });

  it('refuses before any request what Azure cannot hold, naming the field and the rule', async () => {
    const p = provider();
    const before = [...emu.requestCounts.values()].reduce((a, b) => a + b, 0);
    const cases: [() => Promise<unknown>, string, RegExp][] = [
      [() => p.buses.create({ name: 'ab' }), 'name', /3-50/],
      [() => p.buses.create({ name: 'okay', description: 'x' }), 'description', /no description/],
      [() => p.buses.create({ name: 'okay', tags: { 'a/b': 'x' } }), 'tags', /< > %/],
      [
        () =>
          p.integrations.create({
            name: 'sub',
            bus: 'okay',
            filter: { exact: { type: 'Order' } },
            targets: [{ kind: 'http', url: 'https://x.example/h' }],
          }),
        'filter',
        /not case-sensitive/,
      ],
      [
        () =>
          p.integrations.create({
            name: 'sub',
            bus: 'okay',
            enabled: false,
            filter: { prefix: { subject: 'a' } },
            targets: [{ kind: 'http', url: 'https://x.example/h' }],
          }),
        'enabled',
        /no off switch/,
      ],
      [
        () =>
          p.integrations.create({
            name: 'sub',
            bus: 'okay',
            extensions: {
              azure: {
                filter: {
                  advancedFilters: Array.from({ length: 26 }, () => ({
                    operatorType: 'IsNotNull',
                    key: 'data.a',
                  })),
                },
              },
            },
            targets: [{ kind: 'http', url: 'https://x.example/h' }],
          }),
        'extensions.azure.filter',
        /at most 25 advanced filters/,
      ],
    ];
    for (const [call, field, rule] of cases) {
      const err = (await call().catch((e: unknown) => e)) as {
        code: string;
        message: string;
        issues?: { field: string; rule: string }[];
      };
      // A field or feature the capability matrix marks unsupported is refused by the guard as Unsupported.
      if (err.code === 'Unsupported') {
        expect(['description', 'enabled']).toContain(field);
        expect(err.message).toMatch(rule);
        continue;
      }
      expect(err.code).toBe('InvalidArgument');
      const issue = err.issues?.find((i) => i.field === field);
      expect(issue?.rule, field).toMatch(rule);
    }
    expect([...emu.requestCounts.values()].reduce((a, b) => a + b, 0)).toBe(before);
  });

  it('keeps the client secret and tokens out of errors and observers', async () => {
    const secret = 'wrong-secret-do-not-print-4711';
    seen.length = 0;
    const err = await provider({ secret })
      .buses.get('tok-1')
      .catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'AuthenticationFailed', providerCode: 'invalid_client' });
    expect(`${JSON.stringify(err)} ${(err as Error).message} ${seen.join('\n')}`).not.toContain(secret);
    seen.length = 0;
    await provider().buses.get('tok-1');
    const tokens = [...emu.entra.tokens.keys()];
    expect(seen.join('\n')).not.toMatch(new RegExp(tokens.map((t) => t.replace(/\./g, '\\.')).join('|')));
    expect(seen.join('\n')).not.toContain(AZURE_EMULATOR_CLIENT.clientSecret);
  });

  it('publishes in batches of at most 1 MB, refuses an event over 1 MB, and trace reads the emulator', async () => {
    const p = provider();
    await p.buses.create({ name: 'pub-1' });
    const hook = await startReceiver();
    try {
      await p.integrations.create({
        name: 'all',
        bus: 'pub-1',
        filter: { prefix: { subject: 'o/' } },
        targets: [{ kind: 'http', url: hook.url }],
      });
      const big = 'x'.repeat(400 * 1024);
      const events = [1, 2, 3].map((n) => ({
        specversion: '1.0' as const,
        id: `e${n}`,
        source: '/s',
        type: 't',
        subject: 'o/1',
        data: { big },
      }));
      const huge = {
        specversion: '1.0' as const,
        id: 'huge',
        source: '/s',
        type: 't',
        data: { big: 'x'.repeat(1024 * 1024) },
      };
      const before = count('PublishCloudEvents');
      const results = await p.publish!('pub-1', [...events, huge]);
      expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
      expect(results[3]).toMatchObject({ error: { code: 'InvalidArgument' } });
      expect(count('PublishCloudEvents') - before).toBe(2);
      await emu.delivery.settle();
      expect(hook.received.map((e) => e.id).sort()).toEqual(['e1', 'e2', 'e3']);
      const trace = await p.trace!('e2', { bus: 'pub-1' });
      expect(trace).toMatchObject({
        found: true,
        matches: [{ name: 'all', integration: 'pub-1/all', matched: true }],
        deliveries: [{ status: 'delivered' }],
      });
    } finally {
      await hook.close();
    }
  });

  it('the native filter escape hatch: sent as written, routed as Event Grid does, read back in extensions.azure.filter', async () => {
    const p = provider();
    await p.buses.create({ name: 'native-1' });
    const hook = await startReceiver();
    try {
      const native = {
        advancedFilters: [{ operatorType: 'NumberInRange', key: 'data.total', values: [[10, 20]] }],
      };
      const deadLetterDestination = {
        endpointType: 'StorageBlob',
        properties: {
          resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct',
          blobContainerName: 'dead-letters',
        },
      };
      const created = await p.integrations.create({
        name: 'range',
        bus: 'native-1',
        targets: [{ kind: 'http', url: hook.url }],
        extensions: { azure: { filter: native, deadLetterDestination } },
      });
      expect(created.filter).toBeUndefined();
      expect(created.extensions?.azure).toMatchObject({ filter: native, deadLetterDestination });
      const ev = (id: string, total: number) => ({
        specversion: '1.0' as const,
        id,
        source: '/s',
        type: 't',
        data: { total },
      });
      await p.publish!('native-1', [ev('in', 15), ev('out', 25)]);
      await emu.delivery.settle();
      expect(hook.received.map((e) => e.id)).toEqual(['in']);
    } finally {
      await hook.close();
    }
  });

  it('a create of a taken name is AlreadyExists, never an update in place (ARM PUT would update)', async () => {
    const p = provider();
    await p.buses.create({ name: 'taken-1', tags: { v: '1' } });
    await expect(p.buses.create({ name: 'taken-1', tags: { v: '2' } })).rejects.toMatchObject({
      code: 'AlreadyExists',
    });
    expect((await p.buses.get('taken-1')).tags).toEqual({ v: '1' });
    const route = {
      name: 'route-1',
      bus: 'taken-1',
      filter: { prefix: { subject: 'a/' } },
      targets: [{ kind: 'http' as const, url: 'https://x.example/h' }],
    };
    await p.integrations.create(route);
    await expect(p.integrations.create(route)).rejects.toMatchObject({ code: 'AlreadyExists' });
  });

  it('a create whose answer was lost ends with the one topic it made', async () => {
    const p = provider();
    emu.faults.inject({ kind: 'drop-after-commit', operation: 'Topics_CreateOrUpdate', match: 'lost-1' });
    expect(await p.buses.create({ name: 'lost-1' })).toMatchObject({ name: 'lost-1', status: 'Succeeded' });
    expect([...emu.state.topics.values()].filter((t) => t.name === 'lost-1')).toHaveLength(1);
  });
});
