// Publish and trace end to end (issue 17): ONE spec with one neutral route per provider (filter,
// targets, delivery, per-provider overrides) applied once through the CLI, the 3 events
// published through the CLI, trace per provider. It must never hand-edit emulator state: every
// route the emulators evaluate comes from the spec's translation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TencentClient } from '../src/adapters/tencent/client.js';
import { TENCENT_EMULATOR_CREDENTIALS } from '../src/adapters/tencent/emulator/index.js';
import { tencentPublisher } from '../src/adapters/tencent/publish.js';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { openProviders, type OpenProviders } from '../src/cli/commands/provision.js';
import { cloudEventFromHttp } from '../src/core/model/cloudevents-http.js';
import { collect } from '../src/core/runtime/resources.js';
import type { CloudEvent } from '../src/core/model/events.js';
import type { TraceReport } from '../src/core/contract/publish.js';
import { Transport } from '../src/core/runtime/transport.js';
import { runCli } from './helpers/cli.js';
import { startServer } from './helpers/server.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-publish-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const ndjson = (events: CloudEvent[]) => events.map((e) => JSON.stringify(e)).join('\n');

const event = (id: string, source: string, region: string, order: number): CloudEvent => ({
  specversion: '1.0',
  id,
  source,
  type: 'order.created',
  time: new Date(Date.UTC(2026, 10, 27, 22, 0, order)).toISOString(),
  datacontenttype: 'application/json',
  data: { region, order, total: 12 },
});
// The 3 events. Their source starts with the route's prefix (app.orders); the data field
// data.region decides: evt-other has the right source and the wrong region.
const MATCHING = event('evt-match', 'app.orders.web', 'eu', 1);
const NOT_MATCHING = event('evt-other', 'app.orders.web', 'us', 2);
const REFUSED_ONCE = event('evt-retry', 'app.orders.web', 'eu', 3);
const EVENTS = [MATCHING, NOT_MATCHING, REFUSED_ONCE];
/** AppIntegrations routes a partner event source, compared exactly (EventFilter.Source). */
const PARTNER = 'aws.partner/shop.example.com/orders';
const KAFKA = 'qcs::ckafka:ap-guangzhou:uin/100000000001:ckafkaId/uin/100000000001/ckafka-orders01';

/**
 * One route, declared once: source prefix and a data field, an http target on the loopback
 * receiver, 2 retries. Each override is a form the provider's documents require, nothing more.
 */
const routeSpec = (receiver: string) => `
version: 1
targets:
  - provider: tencent
  - provider: huawei
  - provider: aws
buses:
  - name: orders
sources:
  # A Huawei subscription names its custom event source: the exact source of its filter.
  - name: app.orders.web
    bus: orders
    providers: [huawei]
integrations:
  - name: orders-route
    bus: orders
    filter:
      - prefix: { source: app.orders }
      - exact: { data.region: eu }
    targets:
      - kind: http
        url: "${receiver}/hook"
    delivery:
      retry: { maxAttempts: 2 }
    overrides:
      # Huawei filter rules take source with StringIn only (eg-ug-018): an exact source.
      huawei:
        filter:
          - exact: { source: app.orders.web }
          - exact: { data.region: eu }
      # Tencent has no http target type (CreateTarget Type: scf, cls, amp, ckafka, es); CKafka
      # is the target whose retry policy it documents (RetryInterval, MaxRetryAttempts).
      tencent:
        targets:
          - kind: kafka
            connection: ${KAFKA}
            topic: orders-eu
        delivery:
          retry: { maxAttempts: 2, backoff: fixed, delaySeconds: 60 }
      # AppIntegrations: EventFilter has one field, Source, an exact partner source; an event
      # integration has no targets and no delivery policy (Amazon Connect binds to it).
      aws:
        filter: { exact: { source: ${PARTNER} } }
        targets: null
        delivery: null
`;

interface ResultLine {
  where: string;
  ok: boolean;
  id: string;
  providerId?: string;
}
const resultLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ResultLine);

describe('publish and trace against the emulators', () => {
  let emu: RunningEmulators;
  let receiver: Awaited<ReturnType<typeof startServer>>;
  let open: OpenProviders;
  let spec: string;
  const refusedOnce = new Set<string>();
  /** The ids the receiver got, in order of arrival. */
  const arrived = () => receiver.requests.map((r) => String(cloudEventFromHttp(r.headers, r.body).event.id));

  beforeAll(async () => {
    emu = await startEmulators();
    // The receiver refuses the first delivery of evt-retry (HTTP 503), accepts everything else.
    receiver = await startServer((req, body, res) => {
      const id = String(cloudEventFromHttp(req.headers, body).event.id);
      if (id === 'evt-retry' && !refusedOnce.has(id)) {
        refusedOnce.add(id);
        res.writeHead(503).end();
        return;
      }
      res.writeHead(204).end();
    });
    open = await openProviders(['tencent', 'huawei', 'aws'], undefined, emu.env);
    spec = write('route.yaml', routeSpec(receiver.url));
  });
  afterAll(async () => {
    await open.close();
    await receiver.close();
    await emu.close();
  });

  describe('one neutral route per provider, applied once', () => {
    it('apply creates the route on all three providers; a plan right after it is empty (the route reads back equal)', async () => {
      const applied = await runCli(['apply', '-f', spec, '--yes'], emu.env);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toContain('Apply: 7 succeeded, 0 failed');
      for (const p of ['tencent', 'huawei', 'aws'])
        expect(applied.stdout).toMatch(new RegExp(`ok +create ${p} integration orders-route`));

      const plan = await runCli(['plan', '-f', spec, '--json'], emu.env);
      expect(plan.code, plan.stderr).toBe(0);
      const report = JSON.parse(plan.stdout) as {
        plan: { key: string; action: string; changes: unknown[] }[];
        summary: Record<string, number>;
      };
      expect(report.plan.filter((i) => i.action !== 'noop' || i.changes.length)).toEqual([]);
      expect(report.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0, noop: 7 });
      const detailed = await runCli(['plan', '-f', spec, '--detailed-exitcode'], emu.env);
      expect(detailed.code, detailed.stdout).toBe(0); // 3 would mean changes
    });

    it('Huawei: the receiver gets exactly the matching events, the refused one after a retry (delivery.retry); trace reports each', async () => {
      const published = await runCli(
        [
          'publish',
          '--provider',
          'huawei',
          '--bus',
          'orders',
          write('events.ndjson', ndjson(EVENTS)),
          '--json',
        ],
        emu.env,
      );
      expect(published.code, published.stderr).toBe(0);
      expect(resultLines(published.stdout).map((l) => [l.where, l.ok, l.id])).toEqual([
        ['line 1', true, 'evt-match'],
        ['line 2', true, 'evt-other'],
        ['line 3', true, 'evt-retry'],
      ]);

      await emu.huawei.delivery.settle();
      // evt-retry twice (503, then 204 on the retry), evt-match once, evt-other never.
      expect(arrived().sort()).toEqual(['evt-match', 'evt-retry', 'evt-retry']);
      const delivered = receiver.requests.map((r) => cloudEventFromHttp(r.headers, r.body));
      expect(delivered[0]!.mode).toBe('structured');
      expect(delivered.find((d) => d.event.id === 'evt-match')!.event).toMatchObject({
        source: 'app.orders.web',
        data: MATCHING.data,
      });
      expect(
        receiver.requests.every((r) => r.headers['content-type']?.startsWith('application/cloudevents+json')),
      ).toBe(true);

      const trace = (id: string) => open.providers.huawei!.trace!(id, { bus: 'orders' });
      const match = await trace('evt-match');
      expect(match).toMatchObject({ found: true, exact: true });
      expect(match.matches).toEqual([expect.objectContaining({ name: 'orders-route', matched: true })]);
      expect(match.deliveries).toEqual([
        expect.objectContaining({ destination: `${receiver.url}/hook`, status: 'delivered', attempts: 1 }),
      ]);
      const other = await trace('evt-other');
      expect(other.matches).toEqual([expect.objectContaining({ name: 'orders-route', matched: false })]);
      expect(other.matches[0]!.reason).toContain('region is "us"');
      expect(other.deliveries).toEqual([]);
      const retried = await trace('evt-retry');
      expect(retried.matches).toEqual([expect.objectContaining({ matched: true })]);
      expect(retried.deliveries).toEqual([
        expect.objectContaining({ destination: `${receiver.url}/hook`, status: 'delivered', attempts: 2 }),
      ]);

      // The CLI prints the same reports.
      const cli = async (id: string) => {
        const r = await runCli(['trace', id, '--provider', 'huawei', '--bus', 'orders'], emu.env);
        expect(r.code, r.stderr).toBe(0);
        return r.stdout.replace(/\n +(?! *->)/g, ' '); // a note wrapped to the width is one line again
      };
      expect(await cli('evt-match')).toMatch(/matched +orders-route .*\n.*delivered, 1 attempt\b/);
      expect(await cli('evt-other')).toMatch(/not matched orders-route .*region is "us"/);
      expect(await cli('evt-retry')).toContain('delivered, 2 attempts');
    });

    it('Tencent: trace shows the rule match and non-match with reasons, and says plainly there is no http delivery', async () => {
      const before = receiver.requests.length;
      const published = await runCli(
        [
          'publish',
          '--provider',
          'tencent',
          '--bus',
          'orders',
          write('events.ndjson', ndjson(EVENTS)),
          '--json',
        ],
        emu.env,
      );
      expect(published.code, published.stderr).toBe(0);
      expect(resultLines(published.stdout).map((l) => [l.ok, l.id])).toEqual([
        [true, 'evt-match'],
        [true, 'evt-other'],
        [true, 'evt-retry'],
      ]);

      // Tencent assigns its own ids: trace finds each event by what it keeps (source, type, time, data).
      const trace = async (e: CloudEvent) => {
        const r = await runCli(
          ['trace', e.id, '--provider', 'tencent', '--bus', 'orders', '--event', JSON.stringify(e), '--json'],
          emu.env,
        );
        expect(r.code, r.stderr).toBe(0);
        return JSON.parse(r.stdout) as TraceReport;
      };
      const ckafka = expect.objectContaining({
        destination: `ckafka:${KAFKA}`,
        status: 'not-delivered',
        attempts: 0,
      });
      for (const e of [MATCHING, REFUSED_ONCE]) {
        const t = await trace(e);
        expect(t).toMatchObject({ found: true, exact: true });
        expect(t.matches).toEqual([
          expect.objectContaining({
            name: 'orders-route',
            matched: true,
            reason: 'every pattern field matches',
          }),
        ]);
        // The route's target is the CKafka one of the override; nothing goes to an http URL.
        expect(t.deliveries).toEqual([ckafka]);
        expect(t.notes.join(' ')).toContain('no http target type');
      }
      const n = await trace(NOT_MATCHING);
      expect(n.matches).toEqual([expect.objectContaining({ name: 'orders-route', matched: false })]);
      expect(n.matches[0]!.reason).toContain('data.region is "us"');
      expect(n.deliveries).toEqual([]);

      const text = await runCli(
        [
          'trace',
          MATCHING.id,
          '--provider',
          'tencent',
          '--bus',
          'orders',
          '--event',
          JSON.stringify(MATCHING),
        ],
        emu.env,
      );
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/matched +orders-route/);
      expect(text.stdout).toContain('no http target type');

      // The real-cloud path (no emulator log to read): SearchLog plus each rule's EventPattern.
      const busId = (await collect(open.providers.tencent!.buses.list())).find(
        (b) => b.name === 'orders',
      )!.id;
      const transport = new Transport();
      const viaSearchLog = tencentPublisher(
        new TencentClient({
          transport,
          credentials: async () => TENCENT_EMULATOR_CREDENTIALS,
          region: 'ap-guangzhou',
          endpoint: emu.tencent.url,
        }),
        'https://eb.tencentcloudapi.com',
      );
      const s = await viaSearchLog.trace(MATCHING.id, { bus: busId, event: MATCHING });
      const sn = await viaSearchLog.trace(NOT_MATCHING.id, { bus: busId, event: NOT_MATCHING });
      await transport.close();
      expect(s.matches).toEqual([
        expect.objectContaining({
          name: 'orders-route',
          matched: true,
          reason: 'every pattern field matches',
        }),
      ]);
      expect(s.deliveries).toEqual([
        expect.objectContaining({ destination: `ckafka:${KAFKA}`, attempts: 0 }),
      ]);
      expect(s.notes.join(' ')).toContain('SearchLog');
      expect(s.notes.join(' ')).toContain('no http target type');
      expect(sn.matches).toEqual([expect.objectContaining({ matched: false })]);
      expect(sn.matches[0]!.reason).toContain('data.region');
      expect(receiver.requests.length).toBe(before); // nothing arrived over http from Tencent
    });

    it('AWS: publishing to the EventBridge bus works; trace says what the integration would hand to Connect, no delivery', async () => {
      const before = receiver.requests.length;
      // The same events; the integration's exact partner source is the only condition AWS can hold.
      const events = EVENTS.map((e) => (e === NOT_MATCHING ? e : { ...e, source: PARTNER }));
      const published = await runCli(
        ['publish', '--provider', 'aws', '--bus', 'orders', write('aws.ndjson', ndjson(events)), '--json'],
        emu.env,
      );
      expect(published.code, published.stderr).toBe(0);
      const lines = resultLines(published.stdout);
      expect(lines.map((l) => [l.ok, l.id])).toEqual([
        [true, 'evt-match'],
        [true, 'evt-other'],
        [true, 'evt-retry'],
      ]);
      // EventBridge assigns its own EventId: trace takes it.
      const trace = async (l: ResultLine) => {
        expect(l.providerId).toMatch(/^[0-9a-f-]{36}$/);
        const r = await runCli(
          ['trace', l.providerId!, '--provider', 'aws', '--bus', 'orders', '--json'],
          emu.env,
        );
        expect(r.code, r.stderr).toBe(0);
        return JSON.parse(r.stdout) as TraceReport;
      };
      for (const l of [lines[0]!, lines[2]!]) {
        const t = await trace(l);
        expect(t).toMatchObject({ found: true, exact: true });
        expect(t.matches).toEqual([
          expect.objectContaining({
            name: 'orders-route',
            matched: true,
            reason: `EventFilter.Source "${PARTNER}" equals source "${PARTNER}"`,
          }),
        ]);
        expect(t.deliveries).toEqual([
          expect.objectContaining({
            target: 'Amazon Connect',
            destination: 'Amazon Connect instances associated with orders-route',
            status: 'not-delivered',
            attempts: 0,
          }),
        ]);
        expect(t.notes.join(' ')).toContain(
          'an event integration hands matching events to Amazon Connect only',
        );
      }
      const other = await trace(lines[1]!);
      expect(other.matches).toEqual([expect.objectContaining({ name: 'orders-route', matched: false })]);
      expect(other.matches[0]!.reason).toContain('does not equal');
      expect(other.deliveries).toEqual([]);
      const text = await runCli(
        ['trace', lines[0]!.providerId!, '--provider', 'aws', '--bus', 'orders'],
        emu.env,
      );
      expect(text.stdout).toContain('-> Amazon Connect');
      expect(text.stdout).toContain('not-delivered, 0 attempts');
      expect(receiver.requests.length).toBe(before);
    });

    it('the receiver got exactly the matching events, from Huawei only', () => {
      expect(arrived().sort()).toEqual(['evt-match', 'evt-retry', 'evt-retry']);
      expect(refusedOnce).toEqual(new Set(['evt-retry']));
    });

    it('Huawei: trace reads the record of the bus it is given when one event id went to two channels', async () => {
      // The same evt-match to a channel with no subscription: nothing matches there, nothing arrives.
      const p = open.providers.huawei!;
      await p.buses.create({ name: 'elsewhere' });
      expect(await p.publish!('elsewhere', [MATCHING])).toEqual([expect.objectContaining({ ok: true })]);
      await emu.huawei.delivery.settle();
      expect(arrived().filter((id) => id === 'evt-match')).toHaveLength(1);
      const there = await p.trace!('evt-match', { bus: 'elsewhere' });
      expect(there).toMatchObject({ found: true, matches: [], deliveries: [] });
      const here = await p.trace!('evt-match', { bus: 'orders' });
      expect(here.matches).toEqual([expect.objectContaining({ name: 'orders-route', matched: true })]);
      expect(here.deliveries).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
    });
  });

  it('Huawei: retries spent go to the dead letter queue (delivery.retry, then delivery.deadLetter)', async () => {
    const refuse = await startServer((_req, _body, res) => res.writeHead(500).end());
    try {
      const dlqSpec = write(
        'dlq.yaml',
        `
version: 1
targets:
  - provider: huawei
buses:
  - name: dlq-bus
sources:
  - name: app.x
    bus: dlq-bus
integrations:
  - name: dlq-sub
    bus: dlq-bus
    filter: { exact: { source: app.x } }
    targets:
      - kind: http
        url: "${refuse.url}/"
    delivery:
      retry: { maxAttempts: 1 }
      deadLetter: { kind: kafka, instance: i, connection: c, topic: dead }
`,
      );
      const applied = await runCli(['apply', '-f', dlqSpec, '--yes'], emu.env);
      expect(applied.code, applied.stderr).toBe(0);
      const p = open.providers.huawei!;
      const [r] = await p.publish!('dlq-bus', [event('evt-dlq', 'app.x', 'us', 4)]);
      expect(r).toMatchObject({ ok: true, id: 'evt-dlq' });
      await emu.huawei.delivery.settle();
      expect(refuse.requests).toHaveLength(2); // first attempt + retry maxAttempts 1
      const t = await p.trace!('evt-dlq', { bus: 'dlq-bus' });
      expect(t.deliveries[0]).toMatchObject({ status: 'dead-lettered', attempts: 2 });
      expect(t.deliveries[0]!.note).toContain('kafka topic dead');
    } finally {
      await refuse.close();
    }
  });

  it('Huawei: more than 20 events go in several PutEvents requests (EG.00533007 caps a request at 20)', async () => {
    const p = open.providers.huawei!;
    const bus = await p.buses.create({ name: 'batch-bus' });
    const before = emu.huawei.received.filter((r) => r.operation === 'PutEvents').length;
    const events = Array.from({ length: 45 }, (_, i) => event(`b-${i}`, 'app.batch', 'eu', i));
    const results = await p.publish!(bus.id, events);
    expect(results.map((r) => r.ok && r.id)).toEqual(events.map((e) => e.id));
    expect(emu.huawei.received.filter((r) => r.operation === 'PutEvents').length - before).toBe(3);
  });

  it('Tencent: an event Tencent cannot carry is refused by field, the others are still sent', async () => {
    const p = open.providers.tencent!;
    const bus = await p.buses.create({ name: 'refusals' });
    const results = await p.publish!(bus.id, [
      { ...MATCHING, id: 'a' },
      { ...MATCHING, id: 'b', datacontenttype: 'text/plain', data: 'hello' },
      { ...MATCHING, id: 'c', traceparent: '00-abc' },
      { ...MATCHING, id: 'd' },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.field))).toEqual([
      'ok',
      'datacontenttype',
      'traceparent',
      'ok',
    ]);
    expect(emu.tencent.eventLog.get(bus.id)).toHaveLength(2);
  });

  it('AWS: an entry over 256 KB (computed the documented way) is refused by name; the others are sent', async () => {
    const p = open.providers.aws!;
    const big = { ...MATCHING, id: 'big', data: { blob: 'x'.repeat(256 * 1024) } };
    const results = await p.publish!('default', [MATCHING, big, NOT_MATCHING]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.field))).toEqual(['ok', 'entry', 'ok']);
  });

  it('CLI: bad input names the line and the field, the other events are still sent, exit 1', async () => {
    const p = open.providers.tencent!;
    await p.buses.create({ name: 'cli-bus' });
    const input = write(
      'bad.ndjson',
      [
        JSON.stringify({ specversion: '1.0', source: 'app.orders', type: 't', data: { a: 1 } }),
        JSON.stringify({ specversion: '1.0', type: 't', data: {} }),
        '{not json',
        JSON.stringify({ specversion: '1.0', source: 'app.orders', data: {} }),
        JSON.stringify({ specversion: '1.0', source: 'app.orders', type: 't', data: { b: 2 } }),
      ].join('\n'),
    );
    const buses = await collect(p.buses.list());
    const busId = buses.find((b) => b.name === 'cli-bus')!.id;
    const r = await runCli(['publish', '--provider', 'tencent', '--bus', 'cli-bus', input], emu.env);
    expect(r.code).toBe(1);
    const out = r.stdout.trim().split('\n');
    expect(out[0]).toMatch(/^ok\s+line 1 .*\(generated id, time\)/);
    expect(out[1]).toMatch(/^FAIL\s+line 2 .*source: source is required/);
    expect(out[2]).toMatch(/^FAIL\s+line 3 .*not JSON/);
    expect(out[3]).toMatch(/^FAIL\s+line 4 .*type: type is required/);
    expect(out[4]).toMatch(/^ok\s+line 5/);
    expect(r.stderr).toContain('generated id and time');
    expect(emu.tencent.eventLog.get(busId)).toHaveLength(2);
  });

  it('demo: ends by publishing per provider; the receiver gets the matching Huawei and Azure events once, nothing else', async () => {
    const r = await runCli(['demo', '--json']);
    expect(r.code, r.stderr).toBe(0);
    type Traces = { traces: { matches: { matched: boolean }[] }[] };
    const report = JSON.parse(r.stdout) as {
      publish: { arrived: string[]; tencent: Traces; azure: Traces };
      verify: { same: number; different: number; rows: { event: string; from: { matched: string[] } }[] };
      apply: { key: string; status: string }[];
      destroy: { key: string; status: string }[];
    };
    // Azure (an Event Grid WebHook, after the receiver's validation handshake) delivers too.
    expect(report.publish.arrived).toEqual(['huawei-match', 'azure-match']);
    expect(report.publish.tencent.traces.map((t) => t.matches[0]!.matched)).toEqual([true, false]);
    expect(report.publish.azure.traces.map((t) => t.matches[0]!.matched)).toEqual([true, false]);
    // examples/demo.yaml's Azure target: a topic and an event subscription, made and destroyed.
    const azure = (o: { key: string; status: string }[]) =>
      o
        .filter((x) => x.key.startsWith('azure/'))
        .map((x) => `${x.key} ${x.status}`)
        .sort();
    const made = ['azure/bus/orders ok', 'azure/integration/orders/orders-to-fulfilment ok'];
    expect(azure(report.apply)).toEqual(made);
    expect(azure(report.destroy)).toEqual(made);
    // Step 5b: the Tencent -> Huawei migration checked by behaviour. The route carries a Tencent
    // CKafka reference, so it is held back for input (never applied as it was): the new order it
    // routes matches on Tencent only, and the demo says that is why (issue 26, item 1).
    expect(report.verify).toMatchObject({ same: 2, different: 1 });
    expect((JSON.parse(r.stdout) as { heldBack: string[] }).heldBack).toEqual(['orders-to-fulfilment']);
    expect(report.verify.rows.map((x) => [x.event, x.from.matched])).toEqual([
      ['new-order', ['orders-to-fulfilment']],
      ['a-return', []],
      ['a-refund', []],
    ]);
  });
});
