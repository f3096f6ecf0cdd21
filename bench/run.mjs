// polybus benchmarks (issue 12): polybus against the official clients, a bare HTTP loop and the
// providers' rate limits, each pair measured A/B alternating in this one run (medians), printed as
// one table. Run with `npm run bench` (builds first). Loopback only, bounded in count and time;
// nothing here is asserted by tests, and nothing here may reach a real cloud.
import { execFile } from 'node:child_process';
import { Agent as HttpAgent } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startBenchServer } from './servers.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = process.env.BENCH_DIST || `${root}dist/`;
const require = createRequire(import.meta.url);
const started = performance.now();
const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const section = (n) => !only || only.includes(String(n));

const { Tc3Signer } = await import(`${dist}adapters/tencent/auth.js`);
const { createTencentProvider } = await import(`${dist}adapters/tencent/index.js`);
const { createHuaweiProvider } = await import(`${dist}adapters/huawei/index.js`);
const { createAwsProvider } = await import(`${dist}adapters/aws/index.js`);
const { Transport } = await import(`${dist}core/runtime/transport.js`);
const { planChanges } = await import(`${dist}core/engine/plan/index.js`);
const { applyPlan } = await import(`${dist}core/engine/apply.js`);
const { parseSpec } = await import(`${dist}core/spec/load.js`);
const { TencentEmulator, TENCENT_EMULATOR_CREDENTIALS } = await import(
  `${dist}adapters/tencent/emulator/index.js`
);
const { HuaweiEmulator, HUAWEI_EMULATOR_ACCESS_KEY, HUAWEI_EMULATOR_PROJECT } = await import(
  `${dist}adapters/huawei/emulator/index.js`
);
const { AwsEmulator, AWS_EMULATOR_CREDENTIALS } = await import(`${dist}adapters/aws/emulator/index.js`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, digits = 0) =>
  x >= 1000 && digits === 0 ? Math.round(x).toLocaleString('en-US') : x.toFixed(digits);
const rows = [];
/** One row of the table. */
const row = (id, measure, a, b, ratio, n, target, met) =>
  rows.push({ id, measure, a, b, ratio, n, target, met: met === undefined ? '' : met ? 'yes' : 'NO' });

/** Runs every fn of `fns` once per round, in turn, `rounds` times; returns each one's ms per round. */
async function alternate(rounds, fns) {
  const ms = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < fns.length; i++) {
      const t = performance.now();
      await fns[i]();
      ms[i].push(performance.now() - t);
    }
  }
  return ms;
}
/** Median over rounds of a[i]/b[i] (pair by pair, so machine drift cancels). */
const pairRatio = (a, b) => median(a.map((x, i) => x / b[i]));

/** `n` calls of `call`, `width` in flight at a time. */
async function calls(n, width, call) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}
const unlimited = (t, ...providers) => {
  for (const p of providers) t.limiter.setLimit(p, { ratePerSecond: 1e9, burst: 1e9 });
  return t;
};

// ---------------------------------------------------------------------------------------------
// 1. TC3 signing: polybus Tc3Signer vs the official SDK's Sign.sign3 on the same requests.
if (section(1)) {
  const Sign = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js').default;
  const creds = {
    secretId: 'AKIDbenchEXAMPLE0000000000000000',
    secretKey: 'benchSecretKeyEXAMPLE00000000000',
  };
  const requests = [
    { EventBusId: 'eb-bench0001' },
    { Limit: 100, Offset: 200, OrderBy: 'AddTime', Order: 'DESC' },
    {
      EventBusId: 'eb-bench0001',
      RuleName: 'orders-created',
      EventPattern: JSON.stringify({ source: ['orders.app'], type: ['created'] }),
      Enable: true,
      Description: 'bench rule',
    },
  ];
  const timestamp = 1_790_000_000;
  const signer = new Tc3Signer();
  // Each side is called the way its client calls it (explicit fields, no object spread, which
  // would cost the harness more than a hash).
  const { secretId, secretKey } = creds;
  const ours = (params) =>
    signer.sign({
      secretId,
      secretKey,
      service: 'eb',
      host: 'eb.tencentcloudapi.com',
      contentType: 'application/json',
      payload: JSON.stringify(params),
      timestamp,
    }).authorization;
  const theirs = (params) =>
    Sign.sign3({
      method: 'POST',
      url: 'https://eb.tencentcloudapi.com/',
      payload: params,
      timestamp,
      service: 'eb',
      secretId,
      secretKey,
      headers: { 'Content-Type': 'application/json' },
    });
  // Same requests, same signature: the comparison is of equal work.
  for (const r of requests)
    if (ours(r) !== theirs(r)) throw new Error(`signatures differ for ${JSON.stringify(r)}`);
  const N = quick ? 5_000 : 20_000;
  const batch = (sign) => () => {
    for (let i = 0; i < N; i++) sign(requests[i % requests.length]);
  };
  batch(ours)();
  batch(theirs)();
  const [a, b] = await alternate(quick ? 5 : 9, [batch(ours), batch(theirs)]);
  const ratio = pairRatio(b, a);
  row(
    '1',
    'TC3 sign (JSON body + signature), ops/s',
    `polybus ${fmt((N * 1000) / median(a))}`,
    `official Sign.sign3 ${fmt((N * 1000) / median(b))}`,
    `${ratio.toFixed(2)}x faster`,
    `${a.length}x${N}`,
    '>= 2.5x',
    ratio >= 2.5,
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Per-call overhead on loopback against a fixed-response server, rate limiting out of the way.
if (section(2)) {
  const undici = require('undici');
  const { CommonClient } = require('tencentcloud-sdk-nodejs-common');
  const { AppIntegrationsClient, GetEventIntegrationCommand } = require('@aws-sdk/client-appintegrations');
  const server = await startBenchServer();
  const transport = unlimited(new Transport(), 'tencent', 'huawei', 'aws');
  const tencent = createTencentProvider({
    transport,
    endpoint: server.url,
    credentials: async () => TENCENT_EMULATOR_CREDENTIALS,
    env: {},
  });
  const huawei = createHuaweiProvider({
    transport,
    endpoint: server.url,
    iamEndpoint: server.url,
    projectId: HUAWEI_EMULATOR_PROJECT,
    credentials: async () => HUAWEI_EMULATOR_ACCESS_KEY,
    env: {},
  });
  const aws = createAwsProvider({
    transport,
    endpoint: server.url,
    region: 'us-east-1',
    credentials: async () => AWS_EMULATOR_CREDENTIALS,
    env: {},
  });
  // One call each, so the server captures the signed bytes a bare client replays.
  await tencent.buses.get('eb-bench0001');
  await huawei.buses.get('3a3f4e5d-0000-4000-8000-000000000001');
  await aws.integrations.get('bench');
  const pool = new undici.Pool(server.url, { connections: 16 });
  const bare = (route) => {
    const c = server.captured[route];
    const headers = { ...c.headers };
    delete headers.connection;
    return async () => {
      const res = await pool.request({
        method: c.method,
        path: c.path,
        headers,
        body: c.body === '' ? null : c.body,
      });
      return JSON.parse(await res.body.text());
    };
  };
  // The official Tencent SDK client (CommonClient: the same AbstractClient.request path as the
  // per-product EventBridge client) with a keep-alive agent that resolves every host to loopback.
  const agent = new HttpAgent({
    keepAlive: true,
    lookup: (_h, o, cb) =>
      o?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4),
  });
  const official = new CommonClient(`eb.tencentcloudapi.com:${server.port}`, '2021-04-16', {
    credential: TENCENT_EMULATOR_CREDENTIALS,
    region: 'ap-guangzhou',
    profile: { httpProfile: { protocol: 'http://', reqMethod: 'POST', agent } },
  });
  const rawAws = new AppIntegrationsClient({
    region: 'us-east-1',
    endpoint: server.url,
    maxAttempts: 1,
    credentials: AWS_EMULATOR_CREDENTIALS,
  });
  // A Tencent bus get is two requests: GetEventBus and the bus's tags from the tag service
  // (DescribeResourceTagsByResourceIds). The bare and official clients make the same two.
  const officialTags = new CommonClient(`tag.tencentcloudapi.com:${server.port}`, '2018-08-13', {
    credential: TENCENT_EMULATOR_CREDENTIALS,
    region: 'ap-guangzhou',
    profile: { httpProfile: { protocol: 'http://', reqMethod: 'POST', agent } },
  });
  const bareBus = bare('tencent');
  const bareTags = bare('tencent-tags');
  const fns = {
    polybusTencent: () => tencent.buses.get('eb-bench0001'),
    bareTencent: async () => [await bareBus(), await bareTags()],
    officialTencent: async () => [
      await official.request('GetEventBus', { EventBusId: 'eb-bench0001' }),
      await officialTags.request('DescribeResourceTagsByResourceIds', {
        ServiceType: 'eb',
        ResourcePrefix: 'eventbusid',
        ResourceRegion: 'ap-guangzhou',
        ResourceIds: ['eb-bench0001'],
        Offset: 0,
        Limit: 100,
      }),
    ],
    polybusHuawei: () => huawei.buses.get('3a3f4e5d-0000-4000-8000-000000000001'),
    bareHuawei: bare('huawei'),
    polybusAws: () => aws.integrations.get('bench'),
    rawAws: () => rawAws.send(new GetEventIntegrationCommand({ Name: 'bench' })),
  };
  const N = quick ? 300 : 1500;
  const rounds = quick ? 3 : 7;
  for (const width of [1, 16]) {
    const run = (fn) => () => calls(N, width, fn);
    for (const fn of Object.values(fns)) await run(fn)(); // warm-up
    const [pt, bt, ot] = await alternate(rounds, [
      run(fns.polybusTencent),
      run(fns.bareTencent),
      run(fns.officialTencent),
    ]);
    const mode = width === 1 ? 'sequential' : 'concurrency 16';
    const us = (ms) => `${fmt((median(ms) * 1000) / N, 0)} µs/call`;
    const r1 = pairRatio(pt, bt);
    row(
      '2',
      `Tencent bus get (GetEventBus + tags), ${mode}`,
      `polybus ${us(pt)}`,
      `bare undici ${us(bt)}`,
      `${r1.toFixed(2)}x`,
      `${rounds}x${N}`,
      '<= 1.15x',
      r1 <= 1.15,
    );
    const r2 = pairRatio(ot, pt);
    row(
      '2',
      `Tencent bus get (GetEventBus + tags), ${mode}`,
      `polybus ${us(pt)}`,
      `official CommonClient ${us(ot)}`,
      `${r2.toFixed(2)}x faster`,
      `${rounds}x${N}`,
      '>= 2x faster',
      r2 >= 2,
    );
    const [ph, bh] = await alternate(rounds, [run(fns.polybusHuawei), run(fns.bareHuawei)]);
    const r3 = pairRatio(ph, bh);
    row(
      '2',
      `Huawei ShowChannel (AK/SK), ${mode}`,
      `polybus ${us(ph)}`,
      `bare undici ${us(bh)}`,
      `${r3.toFixed(2)}x`,
      `${rounds}x${N}`,
      '<= 1.15x',
      r3 <= 1.15,
    );
    const [pa, ra] = await alternate(rounds, [run(fns.polybusAws), run(fns.rawAws)]);
    const r4 = pairRatio(pa, ra);
    row(
      '2',
      `AWS GetEventIntegration, ${mode}`,
      `polybus ${us(pa)}`,
      `raw AppIntegrationsClient ${us(ra)}`,
      `${r4.toFixed(2)}x`,
      `${rounds}x${N}`,
      '<= 1.1x',
      r4 <= 1.1,
    );
  }
  await transport.close();
  await pool.close();
  agent.destroy();
  rawAws.destroy();
  await server.close();
}

// ---------------------------------------------------------------------------------------------
// Emulators with polybus providers on one transport; `limited` keeps Tencent's documented limit.
async function emulated({ limited, observers = [] }) {
  const emu = {
    tencent: await TencentEmulator.start(limited ? {} : { rateLimitPerSecond: 1e9 }),
    huawei: await HuaweiEmulator.start(),
    aws: await AwsEmulator.start(),
  };
  const transport = new Transport({ observers });
  if (!limited) unlimited(transport, 'tencent');
  const providers = {
    tencent: createTencentProvider({
      transport,
      endpoint: emu.tencent.url,
      credentials: async () => TENCENT_EMULATOR_CREDENTIALS,
      env: {},
    }),
    huawei: createHuaweiProvider({
      transport,
      endpoint: emu.huawei.url,
      iamEndpoint: emu.huawei.url,
      projectId: HUAWEI_EMULATOR_PROJECT,
      credentials: async () => HUAWEI_EMULATOR_ACCESS_KEY,
      env: {},
    }),
    aws: createAwsProvider({
      transport,
      endpoint: emu.aws.url,
      region: 'us-east-1',
      credentials: async () => AWS_EMULATOR_CREDENTIALS,
      env: {},
    }),
  };
  return {
    emu,
    providers,
    counts: (p) => Object.fromEntries(emu[p].requestCounts),
    total: (p) => [...emu[p].requestCounts.values()].reduce((a, n) => a + n, 0),
    reset: () => Object.values(emu).forEach((e) => e.requestCounts.clear()),
    close: async () => {
      await Promise.all(Object.values(providers).map((p) => p.close()));
      await transport.close();
      await Promise.all(Object.values(emu).map((e) => e.close()));
    },
  };
}
/**
 * The soak's shape for some targets: per bus, Tencent bus + connector + rule, Huawei channel +
 * source + subscription, AWS bus + event integration (as in src/cli/commands/soak.ts, without the faults).
 */
function specFor(buses, targets) {
  const has = (p) => targets.includes(p);
  const lines = ['version: 1', `targets: [${targets.map((t) => `{ provider: ${t} }`).join(', ')}]`, 'buses:'];
  for (let i = 0; i < buses; i++) lines.push(`  - { name: bench-${i}, description: bench bus ${i} }`);
  if (has('huawei')) {
    lines.push('sources:');
    for (let i = 0; i < buses; i++)
      lines.push(`  - { name: bench.src.${i}, bus: bench-${i}, providers: [huawei] }`);
  }
  if (has('tencent')) {
    lines.push('connections:');
    for (let i = 0; i < buses; i++)
      lines.push(
        `  - { name: bench-conn, bus: bench-${i}, kind: tdmq, providers: [tencent], endpoint: "qcs::tdmq:ap-guangzhou:uin/1:subscriptionName/p/u/t/${i}" }`,
      );
  }
  lines.push('integrations:');
  for (let i = 0; i < buses; i++) {
    lines.push(`  - name: bench-int-${i}`, `    bus: bench-${i}`, `    filter: { source: bench.src.${i} }`);
    if (has('huawei') || has('aws')) lines.push('    overrides:');
    if (has('huawei'))
      lines.push(
        `      huawei: { extensions: { huawei: { targets: [{ name: t, provider_type: CUSTOM, detail: { url: "https://example.com/${i}" } }] } } }`,
      );
    if (has('aws')) lines.push(`      aws: { filter: { source: aws.partner/bench/${i} } }`);
  }
  return parseSpec(`${lines.join('\n')}\n`, 'bench.yaml', {});
}
const resourcesOf = (plan, p) =>
  plan.items.filter((i) => i.provider === p && i.action !== 'unsupported').length;

// ---------------------------------------------------------------------------------------------
// 3. Requests per resource: `plan` over a spec whose resources all exist already.
if (section(3)) {
  const env = await emulated({ limited: false });
  const buses = quick ? 10 : 40;
  const all = ['tencent', 'huawei', 'aws'];
  const spec = specFor(buses, all);
  const setup = await applyPlan(await planChanges(spec, env.providers), env.providers, { concurrency: 16 });
  const failed = setup.filter((o) => o.status === 'failed');
  if (failed.length) throw new Error(`setup failed: ${JSON.stringify(failed[0])}`);
  env.reset();
  const plan = await planChanges(spec, env.providers);
  const changed = plan.items.filter((i) => !['noop', 'unsupported'].includes(i.action));
  for (const p of all) {
    const n = resourcesOf(plan, p);
    const reqs = env.total(p);
    const byOp = Object.entries(env.counts(p))
      .map(([op, c]) => `${op} ${c}`)
      .join(', ');
    row(
      '3',
      `plan, ${p}: requests per existing resource`,
      `${reqs} requests (${byOp})`,
      `${n} resources`,
      `${(reqs / n).toFixed(2)} req/resource`,
      1,
      'no read the list makes needless',
      changed.length === 0 ? undefined : false,
    );
  }
  await env.close();
}

// ---------------------------------------------------------------------------------------------
// 4. Apply at the rate limit: Tencent alone at 20 req/s per action, then the three at once.
if (section(4)) {
  const APPLY_CONCURRENCY = Number(process.env.BENCH_APPLY_CONCURRENCY ?? 16);
  const buses = quick ? 20 : 134; // 3 Tencent resources per bus: 134 -> 402
  // The AWS emulator holds EventBridge's default quota of 100 event buses (the default bus
  // included), so the spec the three providers share has 99 buses.
  const sharedBuses = Math.min(buses, 99);
  const applyOnce = async (targets, n = buses, concurrency = APPLY_CONCURRENCY) => {
    let retries = 0;
    const env = await emulated({ limited: true, observers: [{ onRetry: () => void retries++ }] });
    const spec = specFor(n, targets);
    const plan = await planChanges(spec, env.providers);
    env.reset();
    const t = performance.now();
    const outcomes = await applyPlan(plan, env.providers, { concurrency });
    const ms = performance.now() - t;
    const perProvider = Object.fromEntries(
      targets.map((p) => [
        p,
        { resources: resourcesOf(plan, p), counts: env.counts(p), total: env.total(p) },
      ]),
    );
    const failed = outcomes.filter((o) => o.status === 'failed');
    const throttled = failed.filter((o) => o.error?.code === 'Throttled').length;
    if (failed.length && process.env.BENCH_VERBOSE)
      console.error(
        failed.slice(0, 3).map((o) => `${o.key}: ${o.error?.code} ${o.error?.message ?? o.reason}`),
      );
    await env.close();
    return { ms, retries, failed: failed.length, throttled, perProvider };
  };
  const tencent = await applyOnce(['tencent']);
  const counts = tencent.perProvider.tencent.counts;
  // Floor: each action's requests at 20/s, actions concurrently; the first token is free (burst 1).
  const floorMs = Math.max(...Object.values(counts).map((n) => ((n - 1) / 20) * 1000));
  row(
    '4',
    `apply ${tencent.perProvider.tencent.resources} Tencent resources at 20 req/s/action, concurrency ${APPLY_CONCURRENCY}`,
    `wall ${fmt(tencent.ms / 1000, 2)} s (${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
    `floor ${fmt(floorMs / 1000, 2)} s`,
    `${(tencent.ms / floorMs).toFixed(2)}x`,
    1,
    '<= 1.1x; 0 throttled, 0 retries',
    tencent.ms / floorMs <= 1.1 && tencent.throttled === 0 && tencent.retries === 0 && tencent.failed === 0,
  );
  row(
    '4',
    'apply Tencent: throttling errors surfaced / retries / failed',
    `${tencent.throttled} / ${tencent.retries} / ${tencent.failed}`,
    '0 / 0 / 0',
    '',
    1,
    '0',
    tencent.throttled + tencent.retries + tencent.failed === 0,
  );
  const cli = await applyOnce(['tencent'], buses, 4);
  row(
    '4',
    `same, at the CLI's default concurrency 4`,
    `wall ${fmt(cli.ms / 1000, 2)} s`,
    `floor ${fmt(floorMs / 1000, 2)} s`,
    `${(cli.ms / floorMs).toFixed(2)}x`,
    1,
    'report',
  );
  const alone = {};
  for (const p of ['tencent', 'huawei', 'aws']) alone[p] = (await applyOnce([p], sharedBuses)).ms;
  const three = await applyOnce(['tencent', 'huawei', 'aws'], sharedBuses);
  const slowest = Math.max(...Object.values(alone));
  const sum = Object.values(alone).reduce((a, b) => a + b, 0);
  const n3 = Object.values(three.perProvider).reduce((a, p) => a + p.resources, 0);
  row(
    '4',
    `apply ${n3} resources on the three providers at once`,
    `wall ${fmt(three.ms / 1000, 2)} s`,
    `slowest alone ${fmt(slowest / 1000, 2)} s (sum ${fmt(sum / 1000, 2)} s: ${Object.entries(alone)
      .map(([k, v]) => `${k} ${fmt(v / 1000, 2)}`)
      .join(', ')})`,
    `${(three.ms / slowest).toFixed(2)}x slowest`,
    1,
    'close to slowest, not the sum',
    three.ms < slowest * 1.1 && three.failed === 0,
  );
  row(
    '4',
    'apply three at once: throttling errors surfaced / retries / failed',
    `${three.throttled} / ${three.retries} / ${three.failed}`,
    '0 / 0 / 0',
    '',
    1,
    '0',
    three.throttled + three.retries + three.failed === 0,
  );
}

// ---------------------------------------------------------------------------------------------
// 5. Start-up: whole processes, alternating with `node -e 0`; module counts by the import recorder.
if (section(5)) {
  const server = await startBenchServer();
  const bin = `${dist}cli/bin.js`;
  const tmp = mkdtempSync(join(tmpdir(), 'polybus-bench-'));
  const tencentOnly = join(tmp, 'tencent-only.mjs');
  writeFileSync(
    tencentOnly,
    [
      `import { createPolybus, resolveProvider } from ${JSON.stringify(`${dist}index.js`)};`,
      `const c = createPolybus({ env: { POLYBUS_TENCENT_ENDPOINT: ${JSON.stringify(server.url)}, TENCENTCLOUD_SECRET_ID: 'AKIDbench', TENCENTCLOUD_SECRET_KEY: 'bench' } });`,
      `const p = await resolveProvider(c, 'tencent');`,
      `await p.buses.get('eb-bench0001');`,
      `process.exit(0);`,
    ].join('\n'),
  );
  const commands = {
    'polybus --help': [bin, '--help'],
    'polybus capabilities': [bin, 'capabilities'],
    "import('polybus')": ['--input-type=module', '-e', `await import(${JSON.stringify(`${dist}index.js`)})`],
    'Tencent-only program (one call)': [tencentOnly],
  };
  const node0 = ['-e', '0'];
  // Asynchronous children: the Tencent-only program calls the bench server of this process.
  const exec = (args, env = process.env) =>
    new Promise((resolve, reject) =>
      execFile(process.execPath, args, { env }, (err) => (err ? reject(err) : resolve())),
    );
  const time = (args) => () => exec(args);
  const modules = async (args) => {
    const log = join(tmp, `imports-${Math.random().toString(36).slice(2)}.log`);
    writeFileSync(log, '');
    await exec(['--import', `${root}test/helpers/import-recorder.mjs`, ...args], {
      ...process.env,
      POLYBUS_IMPORT_LOG: log,
    });
    const urls = new Set(
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('node:')),
    );
    return [...urls];
  };
  const baseModules = (await modules(node0)).length;
  const rounds = quick ? 3 : 10;
  for (const [label, args] of Object.entries(commands)) {
    await time(args)();
    const [a, b] = await alternate(rounds, [time(args), time(node0)]);
    const mods = await modules(args);
    const aws = mods.filter((u) => /@aws-sdk|@smithy|@aws-crypto/.test(u)).length;
    const ratio = pairRatio(a, b);
    row(
      '5',
      `start-up: ${label}`,
      `${fmt(median(a), 0)} ms, ${mods.length - baseModules} modules (${aws} AWS SDK)`,
      `node -e 0: ${fmt(median(b), 0)} ms`,
      `${ratio.toFixed(2)}x`,
      rounds,
      label.startsWith('Tencent') ? '0 AWS SDK modules' : 'report',
      label.startsWith('Tencent') ? aws === 0 : undefined,
    );
  }
  rmSync(tmp, { recursive: true, force: true });
  await server.close();
}

// ---------------------------------------------------------------------------------------------
// 6. Memory: 100,000 resources through the async iterator, in a child process (its RSS only).
if (section(6)) {
  const total = quick ? 20_000 : 100_000;
  const server = await startBenchServer({ listTotal: total });
  const child = `${root}bench/list-child.mjs`;
  const results = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const out = await new Promise((resolve, reject) =>
      execFile(process.execPath, [child, server.url, String(total)], (err, stdout) =>
        err ? reject(err) : resolve(JSON.parse(stdout)),
      ),
    );
    if (out.items !== total) throw new Error(`listed ${out.items} of ${total}`);
    results.push(out);
  }
  const rss = median(results.map((r) => r.maxRssMb));
  const rate = median(results.map((r) => r.itemsPerSecond));
  row(
    '6',
    `list ${fmt(total)} Tencent buses (pages of 100) via the async iterator`,
    `peak RSS ${rss.toFixed(0)} MB`,
    `limit 100 MB`,
    `${(rss / 100).toFixed(2)}x of limit`,
    results.length,
    '< 100 MB; report items/s',
    rss < 100,
  );
  row(
    '6',
    'list throughput',
    `${fmt(rate)} items/s`,
    `start RSS ${median(results.map((r) => r.startRssMb)).toFixed(0)} MB`,
    '',
    results.length,
    'report',
  );
  await server.close();
}

console.log(
  `polybus bench, node ${process.version}, ${new Date().toISOString()}, ${((performance.now() - started) / 1000).toFixed(0)} s${quick ? ' (--quick)' : ''}\n`,
);
const header = ['#', 'measure', 'A', 'B', 'ratio', 'n', 'target', 'met'];
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map(() => '---').join(' | ')} |`);
for (const r of rows)
  console.log(`| ${[r.id, r.measure, r.a, r.b, r.ratio, r.n, r.target, r.met].join(' | ')} |`);
