// Publishing units (issue 17): event validation, batching, EventBridge entry size and partial
// failure resend, the per-action rate limit, the CloudEvents HTTP binding and streamed input.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  EVENTBRIDGE_MAX_ENTRY_BYTES,
  awsPublisher,
  eventBridgeEntryFromCloudEvent,
  eventBridgeEntrySize,
} from '../src/adapters/aws/publish.js';
import type { AwsClient } from '../src/adapters/aws/client.js';
import { readEvents } from '../src/cli/commands/publish.js';
import { cloudEventFromHttp, cloudEventHttpRequest } from '../src/core/model/cloudevents-http.js';
import { DeliveryEngine } from '../src/testing/delivery.js';
import { batchEntries } from '../src/core/runtime/publishing.js';
import { type CloudEvent, prepareEvent } from '../src/core/model/events.js';
import { RateLimiter, Transport } from '../src/core/runtime/transport.js';
import { createTencentProvider } from '../src/adapters/tencent/index.js';
import { VirtualClock } from './helpers/clock.js';

const ev = (id: string, data: unknown = { n: 1 }): CloudEvent => ({
  specversion: '1.0',
  id,
  source: 'app.orders',
  type: 'order.created',
  data,
});

describe('prepareEvent (CloudEvents 1.0 required attributes)', () => {
  it('generates id and time when absent and says which', () => {
    const p = prepareEvent(
      { specversion: '1.0', source: 's', type: 't' },
      () => new Date('2026-01-01T00:00:00Z'),
    );
    expect(p.ok && p.generated).toEqual(['id', 'time']);
    expect(p.ok && p.event.time).toBe('2026-01-01T00:00:00.000Z');
  });
  it('names the missing field: source, type, specversion', () => {
    expect(prepareEvent({ specversion: '1.0', type: 't' })).toMatchObject({ ok: false, field: 'source' });
    expect(prepareEvent({ specversion: '1.0', source: 's' })).toMatchObject({ ok: false, field: 'type' });
    expect(prepareEvent({ source: 's', type: 't' })).toMatchObject({ ok: false, field: 'specversion' });
  });
  it('refuses an extension name CloudEvents does not allow and a non-RFC 3339 time', () => {
    expect(prepareEvent({ specversion: '1.0', source: 's', type: 't', Bad_Name: 1 })).toMatchObject({
      ok: false,
      field: 'Bad_Name',
    });
    expect(prepareEvent({ specversion: '1.0', source: 's', type: 't', time: 'yesterday' })).toMatchObject({
      ok: false,
      field: 'time',
    });
  });
});

describe('batchEntries', () => {
  it('splits by count and by bytes, keeping order', () => {
    expect(batchEntries([1, 2, 3, 4, 5], { maxEntries: 2 })).toEqual([[1, 2], [3, 4], [5]]);
    expect(batchEntries([5, 5, 5, 1], { maxEntries: 10, maxBytes: 10, sizeOf: (n) => n })).toEqual([
      [5, 5],
      [5, 1],
    ]);
  });
});

describe('EventBridge entries (PutEvents guide: size and mapping)', () => {
  it('computes the size as Time 14 + UTF-8 bytes of Source, DetailType, Detail and Resources', () => {
    expect(
      eventBridgeEntrySize({
        Source: 'ab',
        DetailType: 'é',
        Detail: '{}',
        Resources: ['r1'],
        Time: new Date(),
      }),
    ).toBe(14 + 2 + 2 + 2 + 2);
    expect(eventBridgeEntrySize({ Source: 'ab', DetailType: 't', Detail: '{}' })).toBe(5);
  });
  it('refuses an entry over 256 KB naming `entry`, and data that is not a JSON object', () => {
    const big = eventBridgeEntryFromCloudEvent(ev('x', { s: 'x'.repeat(EVENTBRIDGE_MAX_ENTRY_BYTES) }), 'b');
    expect(big).toMatchObject({ ok: false, field: 'entry' });
    expect(eventBridgeEntryFromCloudEvent(ev('x', [1, 2]), 'b')).toMatchObject({ ok: false, field: 'data' });
    expect(eventBridgeEntryFromCloudEvent({ ...ev('x'), subject: 'order/1' }, 'b')).toMatchObject({
      ok: true,
      native: { Resources: ['order/1'], DetailType: 'order.created', EventBusName: 'b' },
    });
  });

  /** A client whose PutEvents answers from a script, recording each request's entries. */
  const scripted = (answers: ((n: number) => { ErrorCode?: string; EventId?: string })[][]) => {
    const sent: string[][] = [];
    const client = {
      send: (_op: string, run: (s: AbortSignal) => Promise<unknown>) => run(new AbortController().signal),
      events: {
        send: async (cmd: { input: { Entries: { Detail: string }[] } }) => {
          const round = sent.length;
          sent.push(cmd.input.Entries.map((e) => (JSON.parse(e.Detail) as { id: string }).id));
          const entries = cmd.input.Entries.map((_, k) => answers[round]![k]!(k));
          return { FailedEntryCount: entries.filter((e) => e.ErrorCode).length, Entries: entries };
        },
      },
    } as unknown as AwsClient;
    return { client, sent };
  };

  it('FailedEntryCount: resends only the failed entries whose ErrorCode is retryable', async () => {
    const ok = (id: string) => () => ({ EventId: id });
    const { client, sent } = scripted([
      [ok('e1'), () => ({ ErrorCode: 'ThrottlingException' }), () => ({ ErrorCode: 'MalformedDetail' })],
      [ok('e2-again')],
    ]);
    const events = ['a', 'b', 'c'].map((id) => ev(id, { id }));
    const results = await awsPublisher(client, undefined).publish('bus', events);
    expect(sent).toEqual([['a', 'b', 'c'], ['b']]);
    expect(results[0]).toMatchObject({ ok: true, id: 'a', providerId: 'e1' });
    expect(results[1]).toMatchObject({ ok: true, id: 'b', providerId: 'e2-again' });
    expect(results[2]).toMatchObject({
      ok: false,
      id: 'c',
      error: { providerCode: 'MalformedDetail', retryable: false },
    });
  });

  it('sends 10 entries a request at most', async () => {
    const ok = () => ({ EventId: 'x' });
    const { client, sent } = scripted([Array(10).fill(ok), Array(10).fill(ok), Array(5).fill(ok)]);
    const events = Array.from({ length: 25 }, (_, i) => ev(`e${i}`, { id: `e${i}` }));
    const results = await awsPublisher(client, undefined).publish('bus', events);
    expect(sent.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(results.every((r) => r.ok)).toBe(true);
  });
});

describe('per-action rate limits (Tencent PutEvents 1000/s beside 20/s for management actions)', () => {
  it('an action limit overrides the provider limit for that action only', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock);
    limiter.setDefaultLimit('tencent', { ratePerSecond: 20, burst: 1 });
    limiter.setDefaultActionLimit('tencent', 'PutEvents', { ratePerSecond: 1000, burst: 50 });
    for (let i = 0; i < 50; i++) await limiter.acquire('tencent', 'PutEvents');
    expect(clock.sleeps).toEqual([]);
    await limiter.acquire('tencent', 'PutEvents');
    expect(clock.sleeps).toEqual([1]); // 1/1000 s
    await limiter.acquire('tencent', 'ListRules');
    await limiter.acquire('tencent', 'ListRules');
    expect(clock.sleeps.at(-1)).toBe(50); // 1/20 s
  });
});

describe('user limits before documented defaults', () => {
  it("a user's provider limit overrides the adapter's per-action defaults; a user's action limit wins for that action", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock);
    limiter.setDefaultLimit('tencent', { ratePerSecond: 20, burst: 1 });
    limiter.setDefaultActionLimit('tencent', 'PutEvents', { ratePerSecond: 1000, burst: 1 });
    limiter.setLimit('tencent', { ratePerSecond: 5, burst: 1 });
    await limiter.acquire('tencent', 'PutEvents');
    await limiter.acquire('tencent', 'PutEvents');
    expect(clock.sleeps.at(-1)).toBe(200); // the user's 5/s, not the documented 1000/s
    const user = new RateLimiter(clock, {
      tencent: { ratePerSecond: 5, burst: 1 },
      'tencent:PutEvents': { ratePerSecond: 100, burst: 1 },
    });
    user.setDefaultActionLimit('tencent', 'PutEvents', { ratePerSecond: 1000, burst: 1 });
    await user.acquire('tencent', 'PutEvents');
    await user.acquire('tencent', 'PutEvents');
    expect(clock.sleeps.at(-1)).toBe(10); // the user's own PutEvents limit
  });
});

describe('the Tencent provider sets the documented per-action limits on its transport', () => {
  it('PutEvents 1000/s and the tag read 100/s (tag API), the rest 20/s', async () => {
    const clock = new VirtualClock();
    const transport = new Transport({ clock });
    createTencentProvider({
      transport,
      endpoint: 'http://127.0.0.1:9',
      credentials: async () => ({ secretId: 'AKIDx', secretKey: 'k' }),
      env: {},
    });
    const sleepsAfter = async (action: string, n: number) => {
      const before = clock.sleeps.length;
      for (let i = 0; i < n; i++) await transport.limiter.acquire('tencent', action);
      return clock.sleeps.slice(before);
    };
    expect(await sleepsAfter('DescribeResourceTagsByResourceIds', 20)).toEqual([]);
    expect(await sleepsAfter('DescribeResourceTagsByResourceIds', 1)).toEqual([10]); // 1/100 s
    expect(await sleepsAfter('PutEvents', 50)).toEqual([]);
    expect(await sleepsAfter('PutEvents', 1)).toEqual([1]); // 1/1000 s
    await transport.close();
  });
});

describe('CloudEvents HTTP binding', () => {
  const event = { ...ev('b-1'), subject: 'a b/é', datacontenttype: 'application/json', data: { k: 'v' } };
  it('structured mode: the whole event as application/cloudevents+json', () => {
    const r = cloudEventHttpRequest(event, 'structured');
    expect(r.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expect(cloudEventFromHttp(r.headers, r.body)).toEqual({ mode: 'structured', event });
  });
  it('binary mode: attributes as ce- headers (percent-encoded), data as the body', () => {
    const r = cloudEventHttpRequest(event, 'binary');
    expect(r.headers['ce-id']).toBe('b-1');
    expect(r.headers['ce-specversion']).toBe('1.0');
    expect(r.headers['ce-subject']).toBe('a%20b/%C3%A9');
    expect(r.body).toBe('{"k":"v"}');
    expect(cloudEventFromHttp(r.headers, r.body)).toEqual({ mode: 'binary', event });
  });
});

describe('publish input (one event, an array, NDJSON)', () => {
  const read = async (text: string) => {
    const out = [];
    for await (const item of readEvents(Readable.from([text]))) out.push(item);
    return out;
  };
  it('NDJSON: one item per line with its line number; a bad line is named and the rest read', async () => {
    const items = await read('{"a":1}\n\n{bad\n{"a":2}\n');
    expect(items.map((i) => [i.where, i.value ?? i.parseError?.slice(0, 8)])).toEqual([
      ['line 1', { a: 1 }],
      ['line 3', 'not JSON'],
      ['line 4', { a: 2 }],
    ]);
  });
  it('a JSON array: one item per element; one pretty-printed object: one item', async () => {
    expect((await read('[{"a":1},\n{"a":2}]')).map((i) => i.where)).toEqual(['event 1', 'event 2']);
    expect(await read('{\n  "a": 1\n}\n')).toEqual([{ where: 'event 1', value: { a: 1 } }]);
  });
});

describe('emulator delivery log: one event id on two buses', () => {
  it('report(id, bus) is the record of that bus, not the last one with the id', () => {
    const log = new DeliveryEngine('huawei');
    const match = { integration: 's-1', name: 'sub', matched: true, reason: 'every field holds' };
    log.record({ bus: 'ch-a', eventId: 'same', event: {}, matches: [match], deliveries: [], notes: [] });
    log.record({ bus: 'ch-b', eventId: 'same', event: {}, matches: [], deliveries: [], notes: [] });
    expect(log.report('same', 'ch-a').matches).toEqual([match]);
    expect(log.report('same', 'ch-b').matches).toEqual([]);
    expect(log.report('same').matches).toEqual([]); // no bus: the last record, as before
    expect(log.report('same', 'ch-c')).toMatchObject({ found: false });
    expect(log.report('same', 'ch-c').notes[0]).toContain('on bus ch-c');
  });
});
