// `polybus publish --trace` end to end against the emulators (issue 17: "publish --trace" shows
// what `polybus trace` shows), and the publish progress and result-line policy on a TTY, in process.
import { spawn } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import type { Io } from '../src/cli/render/output.js';
import { publishProgress, traceEvents, TTY_OK_LINES } from '../src/cli/commands/publish.js';
import { cloudEventFromHttp } from '../src/core/model/cloudevents-http.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import type { CloudEvent } from '../src/core/model/events.js';
import type { TraceDelivery, TraceReport } from '../src/core/contract/publish.js';
import { runCli } from './helpers/cli.js';
import { startServer } from './helpers/server.js';

const dir = mkdtempSync(join(tmpdir(), 'pubcli-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

const event = (id: string, source: string, region: string) => ({
  specversion: '1.0',
  id,
  source,
  type: 'order.created',
  time: '2026-11-28T00:00:00Z',
  datacontenttype: 'application/json',
  data: { region, total: 12 },
});
const ndjson = (events: object[]) => events.map((e) => JSON.stringify(e)).join('\n');

/** The blocks of a human `--trace` output: each starts with `trace <id> on <provider>`. */
const traceBlocks = (stdout: string) =>
  stdout
    .split('\n')
    .reduce<string[][]>((blocks, line) => {
      if (line.startsWith('trace ')) blocks.push([line]);
      else if (blocks.length && line.startsWith('  ')) blocks[blocks.length - 1]!.push(line);
      return blocks;
    }, [])
    .map((b) => b.join('\n'));

describe('publish --trace against the emulators', () => {
  let emu: RunningEmulators;
  let receiver: Awaited<ReturnType<typeof startServer>>;
  const refused = new Set<string>();
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    emu = await startEmulators();
    // Refuses (503) the first delivery of every `refuse-*` event; holds `hold-*` deliveries
    // unanswered until the test releases them; accepts everything else.
    receiver = await startServer((_req, body, res) => {
      const id = String((JSON.parse(body) as { id: string }).id);
      if (id.startsWith('refuse-') && !refused.has(id)) {
        refused.add(id);
        res.writeHead(503).end();
      } else if (id.startsWith('hold-')) held.push(res);
      else res.writeHead(204).end();
    });
    // One neutral route per provider (README routing section): Huawei needs an exact source.
    const spec = write(
      'routes.yaml',
      `
version: 1
targets:
  - provider: huawei
  - provider: tencent
buses:
  - name: cli-orders
sources:
  - name: app.orders
    bus: cli-orders
    kind: application
    providers: [huawei]
integrations:
  - name: cli-route
    bus: cli-orders
    filter:
      - exact: { source: app.orders }
      - exact: { data.region: eu }
    targets:
      - kind: http
        url: ${receiver.url}/hook
    delivery:
      retry: { maxAttempts: 2 }
    overrides:
      tencent:
        filter:
          - prefix: { source: app.orders }
          - exact: { data.region: eu }
        targets:
          - kind: kafka
            connection: qcs::ckafka:ap-guangzhou:uin/100000000001:ckafkaId/uin/100000000001/ckafka-demo0001
            topic: orders-eu
        delivery:
          retry: { maxAttempts: 3, backoff: fixed, delaySeconds: 60 }
`,
    );
    const applied = await runCli(['apply', '-f', spec, '--yes'], emu.env);
    if (applied.code !== 0 || !applied.stdout.includes('Apply: 5 succeeded'))
      throw new Error(`apply failed: ${applied.stdout}\n${applied.stderr}`);
  });
  afterAll(async () => {
    for (const res of held.splice(0)) res.writeHead(204).end();
    await receiver.close();
    await emu.close();
  });

  it('Huawei: the trace printed after publishing shows the refused delivery delivered after 2 attempts, as `polybus trace` does', async () => {
    const input = write(
      'huawei.ndjson',
      ndjson([event('refuse-1', 'app.orders', 'eu'), event('plain-1', 'app.orders', 'us')]),
    );
    const r = await runCli(
      ['publish', '--provider', 'huawei', '--bus', 'cli-orders', input, '--trace'],
      emu.env,
    );
    expect(r.code, r.stderr).toBe(0);
    // Result lines first (today's format), then one trace per published event, in input order.
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ok\s+line 1\s+id=refuse-1/);
    expect(lines[1]).toMatch(/^ok\s+line 2\s+id=plain-1/);
    const blocks = traceBlocks(r.stdout);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(/^trace refuse-1 on huawei: found \(exact record\)/);
    expect(r.stdout).toContain('# line 1  id=refuse-1\ntrace refuse-1 on huawei');
    expect(blocks[0]).toMatch(/matched +cli-route/);
    expect(blocks[0]).toContain(`${receiver.url}/hook: delivered, 2 attempts`);
    expect(r.stdout).not.toContain('pending');
    // The non-matching event (data.region us): the condition that decided, no delivery.
    expect(blocks[1]).toMatch(/^trace plain-1 on huawei/);
    expect(blocks[1]).toMatch(/not matched cli-route/);
    expect(blocks[1]).not.toContain('->');
    // Exactly what `polybus trace` shows for it.
    const alone = await runCli(['trace', 'refuse-1', '--provider', 'huawei', '--bus', 'cli-orders'], emu.env);
    expect(alone.code, alone.stderr).toBe(0);
    expect(blocks[0]).toBe(alone.stdout.trim());
    expect(r.stderr).toContain('tracing 2 published events');
  });

  it('--trace --json: result lines, then one {"trace": ...} line per event, then one {"traceSummary": ...} line', async () => {
    const input = write(
      'json.ndjson',
      [
        JSON.stringify(event('refuse-2', 'app.orders', 'eu')),
        JSON.stringify({ specversion: '1.0', type: 'order.created', data: {} }), // no source: refused
        JSON.stringify(event('plain-2', 'app.orders', 'eu')),
      ].join('\n'),
    );
    const r = await runCli(
      ['publish', '--provider', 'huawei', '--bus', 'cli-orders', input, '--trace', '--json'],
      emu.env,
    );
    expect(r.code).toBe(1); // one event failed
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const kind = (l: Record<string, unknown>) =>
      'traceSummary' in l ? 'summary' : 'trace' in l ? 'trace' : 'ok' in l ? 'result' : 'other';
    expect(lines.map(kind)).toEqual(['result', 'result', 'result', 'trace', 'trace', 'summary']);
    expect(lines.slice(0, 3).map((l) => [l.where, l.ok])).toEqual([
      ['line 1', true],
      ['line 2', false],
      ['line 3', true],
    ]);
    const traces = lines.slice(3, 5) as { trace: TraceReport; where: string; id: string }[];
    // Only published events are traced, each naming its input line and id.
    expect(traces.map((t) => [t.where, t.id, t.trace.eventId])).toEqual([
      ['line 1', 'refuse-2', 'refuse-2'],
      ['line 3', 'plain-2', 'plain-2'],
    ]);
    expect(traces[0]!.trace.deliveries).toEqual([
      expect.objectContaining({ status: 'delivered', attempts: 2, destination: `${receiver.url}/hook` }),
    ]);
    expect(traces[1]!.trace.deliveries).toEqual([
      expect.objectContaining({ status: 'delivered', attempts: 1 }),
    ]);
    expect(lines[5]).toEqual({
      traceSummary: { traced: 2, notTraced: 0, limit: 100, waitSeconds: 10, stillPending: 0 },
    });
    // Machine output only on stdout: no people's notes there.
    expect(r.stdout).not.toContain('tracing');
  });

  it('--trace-limit: only the first n published events are traced; the output says how many were not and how to trace one', async () => {
    const events = Array.from({ length: 5 }, (_, i) => event(`cap-${i + 1}`, 'app.orders', 'eu'));
    const input = write('cap.ndjson', ndjson(events));
    const human = await runCli(
      ['publish', '--provider', 'huawei', '--bus', 'cli-orders', input, '--trace', '--trace-limit', '2'],
      emu.env,
    );
    expect(human.code, human.stderr).toBe(0);
    expect(traceBlocks(human.stdout).map((b) => b.split(' ')[1])).toEqual(['cap-1', 'cap-2']);
    expect(human.stderr).toContain('3 more published events were not traced (--trace-limit 2');
    expect(human.stderr).toContain(`polybus trace 'cap-3' --provider huawei --bus 'cli-orders'`);
    // The hint works as printed.
    const again = await runCli(['trace', 'cap-3', '--provider', 'huawei', '--bus', 'cli-orders'], emu.env);
    expect(again.stdout).toMatch(/^trace cap-3 on huawei: found/);

    const json = await runCli(
      [
        'publish',
        '--provider',
        'huawei',
        '--bus',
        'cli-orders',
        input,
        '--trace',
        '--trace-limit',
        '2',
        '--json',
      ],
      emu.env,
    );
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => 'ok' in l)).toHaveLength(5);
    expect(lines.filter((l) => 'trace' in l).map((l) => l.id)).toEqual(['cap-1', 'cap-2']);
    expect(lines.at(-1)).toMatchObject({
      traceSummary: { traced: 2, notTraced: 3, limit: 2, howToTrace: expect.stringContaining("'cap-3'") },
    });
  });

  it('--trace-wait bounds the wait: a delivery still in progress is printed as pending and the output says the bound was hit', async () => {
    const input = write('hold.ndjson', ndjson([event('hold-1', 'app.orders', 'eu')]));
    const r = await runCli(
      ['publish', '--provider', 'huawei', '--bus', 'cli-orders', input, '--trace', '--trace-wait', '0.3'],
      emu.env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${receiver.url}/hook: pending, 1 attempt`);
    expect(r.stdout).toContain(
      'still pending: a delivery was in progress when the wait (--trace-wait 0.3s) ran out',
    );
    expect(r.stderr).toContain('1 trace still had a delivery in progress after 0.3s');
    for (const res of held.splice(0)) res.writeHead(204).end();
    await emu.huawei.delivery.settle();
    const later = await runCli(['trace', 'hold-1', '--provider', 'huawei', '--bus', 'cli-orders'], emu.env);
    expect(later.stdout).toContain('delivered, 1 attempt');
  });

  it('--trace-wait and --trace-limit refuse a value that is not a number of seconds / a positive integer (exit 2)', async () => {
    const input = write('one.ndjson', ndjson([event('x-1', 'app.orders', 'eu')]));
    const bad = await runCli(
      ['publish', '--provider', 'huawei', '--bus', 'cli-orders', input, '--trace', '--trace-wait', 'soon'],
      emu.env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--trace-wait must be a number of seconds');
    const zero = await runCli(
      ['publish', '--provider', 'huawei', '--bus', 'cli-orders', input, '--trace', '--trace-limit', '0'],
      emu.env,
    );
    expect(zero.code).toBe(2);
  });

  it('Tencent: --trace finds each event by its content (Tencent assigns its own ids) and shows the matching rule', async () => {
    const input = write(
      'tencent.ndjson',
      ndjson([event('t-match', 'app.orders.web', 'eu'), event('t-other', 'app.billing', 'eu')]),
    );
    const r = await runCli(
      ['publish', '--provider', 'tencent', '--bus', 'cli-orders', input, '--trace'],
      emu.env,
    );
    expect(r.code, r.stderr).toBe(0);
    const blocks = traceBlocks(r.stdout);
    expect(blocks).toHaveLength(2);
    // The emulator logs the event under an id of its own: the trace is the logged event's.
    expect(blocks[0]).toMatch(/^trace \S+ on tencent: found \(exact record\)/);
    expect(blocks[0]).toMatch(/ {2}matched +cli-route/);
    expect(blocks[0]).toContain('Tencent assigns its own event ids');
    expect(blocks[1]).toMatch(/not matched cli-route .*source/);
    // Exactly what `polybus trace` shows for the event as published.
    const alone = await runCli(
      [
        'trace',
        't-match',
        '--provider',
        'tencent',
        '--bus',
        'cli-orders',
        '--event',
        JSON.stringify(event('t-match', 'app.orders.web', 'eu')),
      ],
      emu.env,
    );
    expect(alone.code, alone.stderr).toBe(0);
    expect(blocks[0]).toBe(alone.stdout.trim());
    expect(r.stdout).toContain('# line 1  id=t-match\ntrace ');
    // No delivery to wait for (Tencent has no http target): the run does not wait out the bound.
    expect(r.stdout).not.toContain('still pending');
    expect(r.stderr).not.toContain('still had a delivery in progress');
    // By the id as published, alone: it says why it cannot be found and what to pass instead,
    // never "try again shortly" (issue 26, item 8).
    const byId = await runCli(['trace', 't-match', '--provider', 'tencent', '--bus', 'cli-orders'], emu.env);
    const said = byId.stdout.replace(/\s+/g, ' '); // notes are wrapped to the output's width
    expect(said).toContain('not found');
    expect(said).toContain('trace --event file.json');
    expect(said).toContain('publish --trace prints it');
    expect(byId.stdout).not.toContain('try again shortly');
  });

  it('AWS: trace by the id as published says EventBridge does not keep it and to trace its own id; that id is found (issue 26, item 8)', async () => {
    expect(
      (await runCli(['buses', 'create', '--provider', 'aws', '--name', 'trace-ids'], emu.env)).code,
    ).toBe(0);
    const input = write('aws.ndjson', ndjson([event('a-1', 'app.orders', 'eu')]));
    const pub = await runCli(
      ['publish', '--provider', 'aws', '--bus', 'trace-ids', input, '--json'],
      emu.env,
    );
    expect(pub.code, pub.stderr).toBe(0);
    const { providerId } = JSON.parse(pub.stdout.trim()) as { providerId: string };
    const byOwn = await runCli(['trace', 'a-1', '--provider', 'aws', '--bus', 'trace-ids'], emu.env);
    expect(byOwn.stdout).toContain('not found');
    expect(byOwn.stdout).toContain('EventBridge assigns its own event id');
    expect(byOwn.stdout).toContain('provider id=');
    const byProvider = await runCli(
      ['trace', providerId, '--provider', 'aws', '--bus', 'trace-ids'],
      emu.env,
    );
    expect(byProvider.stdout).toMatch(/: found/);
  });

  it('Ctrl-C while reading the input: exit 130, and stderr says what was published (no counter left behind)', async () => {
    const bin = new URL('../dist/cli/bin.js', import.meta.url).pathname;
    const child = spawn(
      process.execPath,
      [bin, 'publish', '--provider', 'huawei', '--bus', 'cli-orders', '-'],
      {
        env: { PATH: process.env.PATH ?? '', ...emu.env },
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // One event without id and time, stdin left open: the CLI notes the generated fields once it
    // has read the event (its SIGINT handler is in place by then) and waits for more input.
    const { id: _id, time: _time, ...bare } = event('sigint-1', 'app.orders', 'eu');
    child.stdin.write(`${JSON.stringify(bare)}\n`);
    await new Promise<void>((resolve) => {
      const check = () => (stderr.includes('note: generated') ? resolve() : setTimeout(check, 20));
      check();
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted: 0 results printed above');
  });

  it('Huawei: the receiver got the refused events again after the refusal (the traces above are real deliveries)', () => {
    const got = receiver.requests.map((q) => String(cloudEventFromHttp(q.headers, q.body).event.id));
    expect(got.filter((id) => id === 'refuse-1')).toHaveLength(2);
    expect(got.filter((id) => id === 'refuse-2')).toHaveLength(2);
    expect(got).not.toContain('plain-1');
  });
});

describe('publish progress and result lines on a TTY (in process)', () => {
  /** A fake terminal: what io printed, and what was drawn on the progress stream. */
  const fake = (isTTY: boolean) => {
    const out: string[] = [];
    const err: string[] = [];
    const drawn: string[] = [];
    const io: Io = { out: (t) => void out.push(t), err: (t) => void err.push(t), isTTY };
    const stream = { columns: 80, isTTY: true, write: (s: string) => drawn.push(s) };
    let t = 0;
    const now = () => (t += 1000);
    return { out, err, drawn, io, stream, now };
  };
  const feed = (p: ReturnType<typeof publishProgress>, oks: number) => {
    for (let i = 1; i <= oks; i++) p.result(true, `ok    line ${i}`);
    p.result(false, `FAIL  line ${oks + 1}`);
    for (let i = oks + 2; i <= oks + 11; i++) p.result(true, `ok    line ${i}`);
    p.stop();
  };

  it('a TTY: every failure printed, ok lines up to the cap (then a note once), a counter drawn and cleared', () => {
    const f = fake(true);
    const p = publishProgress(f.io, false, { env: {}, stream: f.stream, now: f.now });
    feed(p, TTY_OK_LINES + 20);
    expect(f.out.filter((l) => l.startsWith('ok'))).toHaveLength(TTY_OK_LINES);
    expect(f.out.filter((l) => l.startsWith('FAIL'))).toEqual([`FAIL  line ${TTY_OK_LINES + 21}`]);
    expect(f.err.filter((l) => l.includes('ok lines are no longer shown'))).toHaveLength(1);
    expect([p.sent, p.failed, p.heldBack]).toEqual([TTY_OK_LINES + 31, 1, 30]);
    const frames = f.drawn.filter((s) => s.includes('publishing:'));
    // Redrawn in place (carriage return, erase to end of line); the fake clock ticks 1 s a read.
    expect(frames[0]).toBe('\rpublishing: 1 sent, 0 failed, 1 events/s\x1b[K');
    expect(frames.some((s) => s.includes(`${TTY_OK_LINES + 21} sent, 1 failed`))).toBe(true);
    // Cleared when done: the last thing written erases the line.
    expect(f.drawn.at(-1)).toBe('\r\x1b[K');
  });

  it('a TTY with NO_PROGRESS, or with stderr not a terminal: the same lines, no counter', () => {
    for (const [env, streamIsTTY] of [
      [{ NO_PROGRESS: '1' }, true],
      [{}, false],
    ] as const) {
      const f = fake(true);
      const stream = { ...f.stream, isTTY: streamIsTTY };
      feed(publishProgress(f.io, false, { env, stream, now: f.now }), 5);
      expect(f.out).toHaveLength(16);
      expect(f.drawn).toEqual([]);
    }
  });

  it('--json on a TTY, and any non-TTY output: every line printed, no counter (scripts read them all)', () => {
    for (const [isTTY, json] of [
      [true, true],
      [false, false],
    ] as const) {
      const f = fake(isTTY);
      const p = publishProgress(f.io, json, { env: {}, stream: f.stream, now: f.now });
      feed(p, TTY_OK_LINES + 20);
      expect(f.out).toHaveLength(TTY_OK_LINES + 31);
      expect(f.err).toEqual([]);
      expect(f.drawn).toEqual([]);
    }
  });
});

describe('traceEvents: polls while a delivery is in progress, within the bound (in process)', () => {
  const report = (id: string, d: Pick<TraceDelivery, 'status' | 'attempts'>): TraceReport => ({
    provider: 'fake',
    eventId: id,
    found: true,
    exact: true,
    matches: [],
    deliveries: [{ integration: 'i', target: 't', ...d }],
    notes: [],
  });
  /** A provider whose trace answers from `script(id, n)` on the n-th read of that id. */
  const fakeProvider = (script: (id: string, n: number) => TraceReport) => {
    const reads = new Map<string, number>();
    const provider = {
      trace: async (id: string, o: { event?: CloudEvent }) => {
        if (!o.event) throw new Error('the event is passed along');
        const n = (reads.get(id) ?? 0) + 1;
        reads.set(id, n);
        if (id === 'broken') throw new Error('log unreadable');
        return script(id, n);
      },
    } as unknown as EventProvider;
    return { provider, reads };
  };
  const kept = (...ids: string[]) =>
    ids.map((id) => ({
      where: `line ${id}`,
      id,
      event: { specversion: '1.0' as const, id, source: 's', type: 't' },
    }));

  it('re-reads a trace with a delivery in progress until it ends; traces by the provider id where there is one', async () => {
    const { provider, reads } = fakeProvider((id, n) =>
      report(id, n < 3 ? { status: 'pending', attempts: n } : { status: 'delivered', attempts: 2 }),
    );
    const [a, b] = await traceEvents(
      provider,
      'bus',
      [...kept('a'), { ...kept('b')[0]!, providerId: 'pb' }],
      60_000,
    );
    expect(a).toMatchObject({ where: 'line a', id: 'a', report: { deliveries: [{ status: 'delivered' }] } });
    expect(a!.stillPending).toBeUndefined();
    expect(b).toMatchObject({ id: 'b', providerId: 'pb', report: { eventId: 'pb' } });
    expect([reads.get('a'), reads.get('pb'), reads.get('b')]).toEqual([3, 3, undefined]);
  });

  it('a pending delivery with no attempt (a provider that keeps no per-target record) is read once, not waited for', async () => {
    const { provider, reads } = fakeProvider((id) => report(id, { status: 'pending', attempts: 0 }));
    const [t] = await traceEvents(provider, 'bus', kept('x'), 60_000);
    expect(reads.get('x')).toBe(1);
    expect(t!.stillPending).toBeUndefined();
  });

  it('not found in a log that lags (mayAppear) is read again until found; not found where that is final is read once', async () => {
    const lagging = fakeProvider((id, n) =>
      n < 3
        ? { ...report(id, { status: 'delivered', attempts: 1 }), found: false, mayAppear: true }
        : report(id, { status: 'delivered', attempts: 1 }),
    );
    const [t] = await traceEvents(lagging.provider, 'bus', kept('late'), 60_000);
    expect(lagging.reads.get('late')).toBe(3);
    expect(t!.report).toMatchObject({ found: true });
    const final = fakeProvider((id) => ({
      ...report(id, { status: 'delivered', attempts: 1 }),
      found: false,
    }));
    await traceEvents(final.provider, 'bus', kept('gone'), 60_000);
    expect(final.reads.get('gone')).toBe(1);
  });

  it('never hangs: a delivery in progress for ever is reported still pending once the bound is spent; a failed read is an error line', async () => {
    const { provider } = fakeProvider((id, n) => report(id, { status: 'pending', attempts: n }));
    const [t, broken] = await traceEvents(provider, 'bus', kept('y', 'broken'), 250);
    expect(t).toMatchObject({ stillPending: true, report: { deliveries: [{ status: 'pending' }] } });
    expect(broken).toMatchObject({ id: 'broken', error: { message: 'log unreadable' } });
    expect(broken!.report).toBeUndefined();
  });
});
