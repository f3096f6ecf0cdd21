// Publish and trace end to end (issue 17): a spec applied through the CLI, events published through
// the CLI and the library, a loopback receiver for Huawei's HTTPS target, trace per provider.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TencentClient } from '../src/adapters/tencent/client.js';
import { TENCENT_EMULATOR_CREDENTIALS } from '../src/adapters/tencent/emulator.js';
import { tencentPublisher } from '../src/adapters/tencent/publish.js';
import { eventPatternFromFilter } from '../src/adapters/tencent/routing.js';
import { Transport } from '../src/core/transport.js';
import { huaweiFilterRuleFromFilter } from '../src/adapters/huawei/routing.js';
import { type RunningEmulators, startEmulators } from '../src/cli/emulators.js';
import { openProviders, type OpenProviders } from '../src/cli/provision.js';
import { cloudEventFromHttp } from '../src/core/delivery.js';
import type { Filter } from '../src/core/filter.js';
import { collect } from '../src/core/provider.js';
import type { CloudEvent } from '../src/core/publish.js';
import { runCli } from './helpers/cli.js';
import { startServer } from './helpers/server.js';
import { loopbackAgent, officialTencentClient } from './helpers/tencent-official.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-publish-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** Matches on a source prefix and a data field (the route of the test). */
const ROUTE: Filter = { all: [{ prefix: { source: 'app.orders' } }, { exact: { 'data.region': 'eu' } }] };
/** Huawei filter rules take `source` with StringIn only (eg-ug-018): the same route with an exact source. */
const ROUTE_HUAWEI: Filter = {
  all: [{ exact: { source: 'app.orders' } }, { exact: { 'data.region': 'eu' } }],
};

const event = (id: string, source: string, region: string): CloudEvent => ({
  specversion: '1.0',
  id,
  source,
  type: 'order.created',
  time: '2026-11-27T22:00:00Z',
  datacontenttype: 'application/json',
  data: { region, total: 12 },
});
const MATCHING = event('evt-match', 'app.orders', 'eu');
const NOT_MATCHING = event('evt-other', 'app.billing', 'eu');
const REFUSED_ONCE = event('evt-retry', 'app.orders', 'eu');

describe('publish and trace against the emulators', () => {
  let emu: RunningEmulators;
  let receiver: Awaited<ReturnType<typeof startServer>>;
  let open: OpenProviders;
  const refusedOnce = new Set<string>();

  beforeAll(async () => {
    emu = await startEmulators();
    // The receiver refuses the first delivery of evt-retry (HTTP 503), accepts everything else.
    receiver = await startServer((_req, body, res) => {
      const id = (JSON.parse(body) as { id: string }).id;
      if (id === 'evt-retry' && !refusedOnce.has(id)) {
        refusedOnce.add(id);
        res.writeHead(503).end();
        return;
      }
      res.writeHead(204).end();
    });
    open = await openProviders(['tencent', 'huawei', 'aws'], undefined, emu.env);
  });
  afterAll(async () => {
    await open.close();
    await receiver.close();
    await emu.close();
    loopbackAgent.destroy();
  });

  it('Huawei: the receiver gets exactly the matching events, the refused one after a retry; trace reports each', async () => {
    const spec = write(
      'huawei.yaml',
      `
version: 1
targets:
  - provider: huawei
buses:
  - name: orders
sources:
  - name: app.orders
    bus: orders
integrations:
  - name: orders-to-webhook
    bus: orders
    filter: { source: app.orders }
    extensions:
      huawei:
        targets:
          - { name: HTTPS, provider_type: CUSTOM, detail: { url: "${receiver.url}/hook" }, retry_times: 2 }
`,
    );
    const applied = await runCli(['apply', '-f', spec, '--yes'], emu.env);
    expect(applied.code, applied.stderr).toBe(0);
    // The spec on main takes `filter: { source }` only (neutral filters are being wired in
    // parallel); the subscription gets the translated rule for "source and data.region".
    const rule = huaweiFilterRuleFromFilter(ROUTE_HUAWEI);
    if (!rule.ok) throw new Error(rule.reasons.join('; '));
    const sub = [...emu.huawei.subscriptions.values()][0]!;
    (sub.sources as { filter: unknown }[])[0]!.filter = rule.native;
    const channel = String(sub.channel_id);

    const input = write(
      'events.ndjson',
      [MATCHING, NOT_MATCHING, REFUSED_ONCE].map((e) => JSON.stringify(e)).join('\n'),
    );
    const published = await runCli(
      ['publish', '--provider', 'huawei', '--bus', 'orders', input, '--json'],
      emu.env,
    );
    expect(published.code, published.stderr).toBe(0);
    const lines = published.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ok: boolean; id: string; where: string });
    expect(lines.map((l) => [l.where, l.ok, l.id])).toEqual([
      ['line 1', true, 'evt-match'],
      ['line 2', true, 'evt-other'],
      ['line 3', true, 'evt-retry'],
    ]);

    await emu.huawei.delivery.settle();
    const got = receiver.requests.map((r) => cloudEventFromHttp(r.headers, r.body).event.id);
    // evt-retry twice (503 then 204), evt-match once, evt-other never.
    expect(got.sort()).toEqual(['evt-match', 'evt-retry', 'evt-retry']);
    const delivered = receiver.requests.map((r) => cloudEventFromHttp(r.headers, r.body));
    expect(delivered[0]!.mode).toBe('structured');
    expect(delivered.find((d) => d.event.id === 'evt-match')!.event.data).toEqual({
      region: 'eu',
      total: 12,
    });

    const trace = async (id: string) => open.providers.huawei!.trace!(id, { bus: channel });
    const match = await trace('evt-match');
    expect(match).toMatchObject({ found: true, exact: true });
    expect(match.matches).toEqual([expect.objectContaining({ name: 'orders-to-webhook', matched: true })]);
    expect(match.deliveries).toEqual([
      expect.objectContaining({ destination: `${receiver.url}/hook`, status: 'delivered', attempts: 1 }),
    ]);
    const other = await trace('evt-other');
    expect(other.matches[0]).toMatchObject({ matched: false });
    expect(other.matches[0]!.reason).toContain('source');
    expect(other.deliveries).toEqual([]);
    const retried = await trace('evt-retry');
    expect(retried.deliveries).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2 })]);

    // The CLI prints the same report.
    const cli = await runCli(['trace', 'evt-retry', '--provider', 'huawei', '--bus', channel], emu.env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('delivered, 2 attempts');
  });

  it('Huawei: retries spent go to the dead letter queue (retry_times, then DLQ)', async () => {
    const refuse = await startServer((_req, _body, res) => res.writeHead(500).end());
    try {
      const p = open.providers.huawei!;
      const bus = await p.buses.create({ name: 'dlq-bus' });
      const rule = huaweiFilterRuleFromFilter({ exact: { source: 'app.x' } });
      if (!rule.ok) throw new Error('no rule');
      const created = await p.integrations.create({
        name: 'dlq-sub',
        bus: bus.id,
        filter: { source: 'app.x' },
        extensions: {
          huawei: {
            targets: [
              {
                name: 'HTTPS',
                provider_type: 'CUSTOM',
                detail: { url: `${refuse.url}/` },
                retry_times: 1,
                dead_letter_queue: { type: 'KAFKA', instance_id: 'i', connection_id: 'c', topic: 'dead' },
              },
            ],
          },
        },
      });
      (emu.huawei.subscriptions.get(created.id)!.sources as { filter: unknown }[])[0]!.filter = rule.native;
      const [r] = await p.publish!(bus.id, [event('evt-dlq', 'app.x', 'us')]);
      expect(r).toMatchObject({ ok: true, id: 'evt-dlq' });
      await emu.huawei.delivery.settle();
      expect(refuse.requests).toHaveLength(2); // first attempt + retry_times 1
      const t = await p.trace!('evt-dlq', { bus: bus.id });
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
    const events = Array.from({ length: 45 }, (_, i) => event(`b-${i}`, 'app.batch', 'eu'));
    const results = await p.publish!(bus.id, events);
    expect(results.map((r) => r.ok && r.id)).toEqual(events.map((e) => e.id));
    expect(emu.huawei.received.filter((r) => r.operation === 'PutEvents').length - before).toBe(3);
  });

  it('Tencent: publishing records rule matches in the event log, trace explains them, no http delivery', async () => {
    const p = open.providers.tencent!;
    const bus = await p.buses.create({ name: 'orders' });
    const created = await p.integrations.create({
      name: 'orders-rule',
      bus: bus.id,
      filter: { source: 'app.orders' },
    });
    const pattern = eventPatternFromFilter(ROUTE);
    if (!pattern.ok) throw new Error(pattern.reasons.join('; '));
    // The rule gets the pattern for "source prefix and data.region" through the official client.
    const ruleId = created.id.split('/').pop()!;
    await officialTencentClient(emu.tencent.url).request('UpdateRule', {
      EventBusId: bus.id,
      RuleId: ruleId,
      EventPattern: JSON.stringify(pattern.native),
    });
    const results = await p.publish!(bus.id, [MATCHING, NOT_MATCHING]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results[0]!.ok && results[0]!.notes?.[0]).toContain('assigns its own id');

    const m = await p.trace!(MATCHING.id, { bus: bus.id, event: MATCHING });
    expect(m).toMatchObject({ found: true });
    expect(m.matches).toEqual([expect.objectContaining({ integration: ruleId, matched: true })]);
    expect(m.notes.join(' ')).toContain('no http target type');
    const cli = await runCli(
      ['trace', MATCHING.id, '--provider', 'tencent', '--bus', bus.id, '--event', JSON.stringify(MATCHING)],
      emu.env,
    );
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/matched +orders-rule/);
    expect(cli.stdout).toContain('no http target type');
    // The real-cloud path (no emulator log to read): SearchLog plus each rule's EventPattern.
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
    const s = await viaSearchLog.trace(MATCHING.id, { bus: bus.id, event: MATCHING });
    await transport.close();
    expect(s.matches).toEqual([
      expect.objectContaining({ integration: ruleId, matched: true, reason: 'every pattern field matches' }),
    ]);
    expect(s.notes.join(' ')).toContain('SearchLog');
    expect(s.notes.join(' ')).toContain('no http target type');
    const n = await p.trace!(NOT_MATCHING.id, { bus: bus.id, event: NOT_MATCHING });
    expect(n.matches).toEqual([expect.objectContaining({ matched: false })]);
    expect(n.matches[0]!.reason, JSON.stringify(n)).toContain('source');
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

  it('AWS: publishing to the EventBridge bus works; trace says what the integration would hand to Connect', async () => {
    const p = open.providers.aws!;
    const bus = await p.buses.create({ name: 'orders-bus' });
    // AppIntegrations routes a partner event source, compared exactly.
    const partner = 'aws.partner/shop.example.com/orders';
    await p.integrations.create({ name: 'orders-int', bus: bus.name, filter: { source: partner } });
    const results = await p.publish!(bus.name, [{ ...MATCHING, source: partner }, NOT_MATCHING]);
    expect(results.every((r) => r.ok)).toBe(true);
    const eventId = results[0]!.ok ? results[0]!.providerId! : '';
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    const t = await p.trace!(eventId, { bus: bus.name });
    expect(t.matches).toEqual([expect.objectContaining({ name: 'orders-int', matched: true })]);
    expect(t.deliveries).toEqual([
      expect.objectContaining({ target: 'Amazon Connect', status: 'not-delivered', attempts: 0 }),
    ]);
    expect(t.notes.join(' ')).toContain('nothing is delivered');
    const other = await p.trace!(results[1]!.ok ? results[1]!.providerId! : '', { bus: bus.name });
    expect(other.matches[0]).toMatchObject({ matched: false });
    expect(other.deliveries).toEqual([]);
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

  it('demo: ends by publishing per provider; the receiver gets the matching Huawei event once, nothing else', async () => {
    const r = await runCli(['demo', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      publish: { arrived: string[]; tencent: { traces: { matches: { matched: boolean }[] }[] } };
    };
    expect(report.publish.arrived).toEqual(['huawei-match']);
    expect(report.publish.tencent.traces.map((t) => t.matches[0]!.matched)).toEqual([true, false]);
  });
});
