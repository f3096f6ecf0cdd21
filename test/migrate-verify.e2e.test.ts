// Migration checked by behaviour (issue 17): `polybus migrate --verify` applies the spec as the
// source provider sees it and its translation to private emulators, publishes the same events to
// both and compares what matched and where each event went. It must never call a URL of the spec.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { differencesOf, type VerifyReport } from '../src/core/engine/verify.js';
import { runCli } from './helpers/cli.js';
import { startServer } from './helpers/server.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-verify-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

const KAFKA = 'qcs::ckafka:ap-guangzhou:uin/100000000001:ckafkaId/uin/100000000001/ckafka-demo0001';

/** One route: exact source and a data field; http with retry on Huawei, CKafka on Tencent. */
const spec = (
  url: string,
  filter = '[{ exact: { source: app.orders } }, { exact: { data.region: eu } }]',
) => `
version: 1
targets: [{ provider: tencent }, { provider: huawei }]
buses: [{ name: orders }]
sources:
  - { name: app.orders, bus: orders, providers: [huawei] }
integrations:
  - name: orders-route
    bus: orders
    filter: ${filter}
    targets: [{ kind: http, url: "${url}" }]
    delivery: { retry: { maxAttempts: 2 } }
    overrides:
      tencent:
        targets: [{ kind: kafka, connection: "${KAFKA}", topic: orders }]
        delivery: { retry: { maxAttempts: 2, backoff: fixed, delaySeconds: 60 } }
`;

const event = (id: string, source: string, region: string, second: number) =>
  JSON.stringify({
    specversion: '1.0',
    id,
    source,
    type: 'order.created',
    time: `2026-11-27T22:00:0${second}Z`,
    data: { region, total: second },
  });
const EVENTS = [
  event('evt-match', 'app.orders', 'eu', 1),
  event('evt-other', 'app.billing', 'eu', 2),
  event('evt-us', 'app.orders', 'us', 3),
].join('\n');

interface VerifyJson {
  migration: { rows: { kind: string; name: string; outcome: string; details: string[] }[] };
  verify: VerifyReport;
}

describe('migrate --verify: the same events published to both sides behave the same', () => {
  let emu: RunningEmulators;
  let receiver: Awaited<ReturnType<typeof startServer>>;
  const events = write('events.ndjson', EVENTS);
  beforeAll(async () => {
    emu = await startEmulators();
    receiver = await startServer((_req, _body, res) => res.writeHead(204).end());
  });
  afterAll(async () => {
    await receiver.close();
    await emu.close();
  });
  const verify = (file: string, from: string, to: string) =>
    runCli(
      ['migrate', '-f', file, '--from', from, '--to', to, '--verify', '--events', events, '--json'],
      emu.env,
    );

  it('Tencent -> Huawei: a route carrying a Tencent reference is held back for input, so the check shows the event it routes on tencent only, exit 1 (issue 26, item 1)', async () => {
    const file = write('t2h.yaml', spec(`${receiver.url}/hook`));
    const r = await verify(file, 'tencent', 'huawei');
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as VerifyJson & { spec: { integrations: unknown[] } };
    const row = out.migration.rows.find((x) => x.name === 'orders-route')!;
    expect(row.outcome).toBe('needs-input');
    expect(row.details).toContainEqual(
      `targets.0.connection ${KAFKA} is a tencent reference: give the huawei one (migrate --map) before apply`,
    );
    // What would be applied holds no route: the check compares that, not a guess.
    expect(out.spec.integrations).toEqual([]);
    expect(out.verify).toMatchObject({ same: 2, different: 1 });
    expect(out.verify.rows[0]!.from.matched).toEqual(['orders-route']);
    expect(out.verify.rows[0]!.to.matched).toEqual([]);
    expect(receiver.requests).toEqual([]);
  });

  it('Tencent -> Huawei --apply: the Tencent reference is never sent to Huawei; --map gives the Huawei one and the report says so', async () => {
    const file = write('t2h-apply.yaml', spec(`${receiver.url}/hook`));
    const applied = await runCli(
      ['migrate', '-f', file, '--from', 'tencent', '--to', 'huawei', '--apply', '--yes'],
      emu.env,
    );
    expect(applied.stdout).toContain('needs-input');
    const sent = emu.huawei.received.map((x) => x.body).join('\n');
    expect(sent).not.toContain('qcs::');
    expect([...emu.huawei.subscriptions.values()].map((x) => x.name)).not.toContain('orders-route');
    const map = write('refs.yaml', `"${KAFKA}": 0b2c3d4e-0000-4000-8000-000000000001\n`);
    const mapped = await runCli(
      ['migrate', '-f', file, '--from', 'tencent', '--to', 'huawei', '--map', map, '--json'],
      emu.env,
    );
    expect(mapped.code, mapped.stderr).toBe(0);
    const out = JSON.parse(mapped.stdout) as VerifyJson & {
      spec: { integrations: { targets: { connection?: string }[] }[] };
    };
    const row = out.migration.rows.find((x) => x.name === 'orders-route')!;
    expect(row.outcome).not.toBe('needs-input');
    expect(row.details).toContainEqual(
      `targets.0.connection ${KAFKA} -> 0b2c3d4e-0000-4000-8000-000000000001 (mapped)`,
    );
    expect(out.spec.integrations[0]!.targets[0]!.connection).toBe('0b2c3d4e-0000-4000-8000-000000000001');
    const bad = await runCli(
      ['migrate', '-f', file, '--from', 'tencent', '--to', 'huawei', '--map', write('bad.yaml', 'a: 1\n')],
      emu.env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('map.a');
  });

  it('Huawei -> Tencent: the webhook delivery is lost, the check says so per event, exit 1, and --apply does not apply', async () => {
    const file = write('h2t.yaml', spec(`${receiver.url}/hook`));
    const r = await runCli(
      [
        'migrate',
        '-f',
        file,
        '--from',
        'huawei',
        '--to',
        'tencent',
        '--verify',
        '--events',
        events,
        '--apply',
        '--yes',
      ],
      emu.env,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /Behaviour on bus orders: 2 of 3 events the same on huawei and tencent, 1 different/,
    );
    expect(r.stdout).toContain(`evt-match: http ${receiver.url}/hook (delivered) on huawei only`);
    expect(r.stderr).toContain('not applied');
    const buses = await runCli(['buses', 'list', '--provider', 'tencent', '--json'], emu.env);
    expect(JSON.parse(buses.stdout)).toEqual([]);
    expect(receiver.requests).toEqual([]);
  });

  it('Huawei -> Huawei (another account): http deliveries reach the same receiver, with the original URL named', async () => {
    const file = write('h2h.yaml', spec('https://fulfilment.example.com/hooks/orders'));
    const r = await verify(file, 'huawei', 'huawei');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as VerifyJson;
    expect(out.verify.rows[0]!.to.receivers).toEqual([
      {
        receiver: 'http https://fulfilment.example.com/hooks/orders',
        integration: 'orders-route',
        status: 'delivered',
        attempts: 1,
      },
    ]);
    expect(out.verify.same).toBe(3);
  });

  it('a filter that cannot move (a source prefix on Huawei) shows as a route that matched on one side only', async () => {
    const file = write(
      't2h-prefix.yaml',
      spec(`${receiver.url}/hook`, '[{ prefix: { source: app.ord } }, { exact: { data.region: eu } }]'),
    );
    const r = await verify(file, 'tencent', 'huawei');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as VerifyJson;
    expect(out.migration.rows.find((x) => x.name === 'orders-route')!.outcome).toBe('needs-input');
    expect(out.verify.rows[0]!.differences).toContain(
      'matched orders-route on tencent, no integration of that name matched on huawei',
    );
    expect(out.verify.rows.slice(1).map((x) => x.differences)).toEqual([[], []]);
  });

  it('a bus the migration cannot carry (a name Tencent refuses): every event is refused on the target, said per event', async () => {
    const file = write(
      'bus.yaml',
      `version: 1
targets: [{ provider: huawei }]
buses: [{ name: orders.eu }]
sources: [{ name: app.orders, bus: orders.eu }]
integrations:
  - { name: r, bus: orders.eu, filter: { exact: { source: app.orders } }, targets: [{ kind: http, url: "https://x.example.com/" }] }
`,
    );
    const r = await verify(file, 'huawei', 'tencent');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as VerifyJson;
    expect(out.migration.rows.find((x) => x.kind === 'bus')!.outcome).toBe('needs-input');
    expect(out.verify.rows.map((x) => [x.from.published, x.to.published])).toEqual([
      [true, false],
      [true, false],
      [true, false],
    ]);
    expect(out.verify.rows[0]!.differences).toEqual([
      'published on huawei, refused on tencent (bus: bus orders.eu is not in the translated spec (see the migration report))',
    ]);
  });

  it('usage: --verify needs --events, --events needs --verify, a bad event names its line (exit 2, before any request)', async () => {
    const file = write('u.yaml', spec('https://x.example.com/'));
    const base = ['migrate', '-f', file, '--from', 'tencent', '--to', 'huawei'];
    const none = await runCli([...base, '--verify'], emu.env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--verify needs --events');
    const stray = await runCli([...base, '--events', events], emu.env);
    expect(stray.code).toBe(2);
    const bad = write(
      'bad.ndjson',
      `${event('a', 'app.orders', 'eu', 1)}\n{"specversion":"1.0","id":"b","type":"t"}`,
    );
    const r = await runCli([...base, '--verify', '--events', bad], emu.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('events line 2: source: source is required');
  });
});

describe('differencesOf', () => {
  const side = (provider: string, over: object = {}) => ({
    provider,
    published: true,
    matched: ['r'],
    receivers: [{ receiver: 'http https://a/', integration: 'r', status: 'delivered' as const, attempts: 1 }],
    ...over,
  });
  it('equal behaviour has no difference; a refusal, a match or a receiver on one side is named', () => {
    expect(differencesOf(side('a'), side('b'))).toEqual([]);
    expect(differencesOf(side('a'), side('b', { published: false, refusal: 'data: not JSON' }))).toEqual([
      'published on a, refused on b (data: not JSON)',
    ]);
    expect(differencesOf(side('a'), side('b', { matched: [], receivers: [] }))).toEqual([
      'matched r on a, no integration of that name matched on b',
      'http https://a/ (delivered) on a only',
    ]);
    expect(
      differencesOf(
        side('a'),
        side('b', {
          receivers: [{ receiver: 'http https://a/', integration: 'r', status: 'failed', attempts: 3 }],
        }),
      ),
    ).toEqual(['http https://a/ (delivered) on a only', 'http https://a/ (failed) on b only']);
  });
});
