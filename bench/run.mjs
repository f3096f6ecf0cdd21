// polybus benchmarks: each line compares two ways of doing the same work, measured side by side
// in one run on this machine, and reports the ratio. Run with `npm run bench` (builds first).
// Nothing here is asserted by tests: timings live here, never in a timed test.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const { Tc3Signer } = await import(`${dist}adapters/tencent/auth.js`);
const { TencentEmulator, TENCENT_EMULATOR_CREDENTIALS } = await import(`${dist}adapters/tencent/emulator.js`);
const { createTencentProvider } = await import(`${dist}adapters/tencent/index.js`);
const { Transport } = await import(`${dist}core/transport.js`);
const { collect } = await import(`${dist}core/provider.js`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
/** Runs a and b alternately `rounds` times and keeps each one's median (ms). */
async function compare(name, a, b, rounds = 7) {
  const ta = [];
  const tb = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await a.fn();
    ta.push(performance.now() - t);
    t = performance.now();
    await b.fn();
    tb.push(performance.now() - t);
  }
  const ma = median(ta);
  const mb = median(tb);
  rows.push({
    benchmark: name,
    A: a.label,
    'A ms': ma.toFixed(1),
    B: b.label,
    'B ms': mb.toFixed(1),
    'B/A': (mb / ma).toFixed(2),
  });
}

// 1. Lazy adapter loading: a Tencent-only program vs one that also loads the AWS adapter (SDK).
const nodeRun = (code) => () =>
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore' });
await compare(
  'process start + resolve adapter(s)',
  {
    label: 'tencent only',
    fn: nodeRun(
      `const m = await import(${JSON.stringify(`${dist}index.js`)}); const c = m.createPolybus({ env: {} }); await m.resolveProvider(c, 'tencent');`,
    ),
  },
  {
    label: 'tencent + aws (SDK)',
    fn: nodeRun(
      `const m = await import(${JSON.stringify(`${dist}index.js`)}); const c = m.createPolybus({ env: {} }); await m.resolveProvider(c, 'tencent'); await m.resolveProvider(c, 'aws');`,
    ),
  },
  5,
);

// 2. TC3 derived-key cache: 20,000 signatures with the cache vs a fresh signer (no cache) each time.
const input = {
  secretId: 'AKIDexample',
  secretKey: 'secret',
  service: 'eb',
  host: 'eb.tencentcloudapi.com',
  contentType: 'application/json',
  payload: '{"Limit":20}',
  timestamp: 1700000000,
};
const cached = new Tc3Signer();
await compare(
  'TC3 sign x20000',
  {
    label: 'cached derived key',
    fn: () => {
      for (let i = 0; i < 20000; i++) cached.sign(input);
    },
  },
  {
    label: 'key derived per call',
    fn: () => {
      for (let i = 0; i < 20000; i++) new Tc3Signer().sign(input);
    },
  },
);

// 3. Keep-alive pool: 200 sequential signed calls through one transport vs a new transport each call.
const emu = await TencentEmulator.start({ rateLimitPerSecond: 1e9 });
const noLimit = (t) => {
  t.limiter.setLimit('tencent', { ratePerSecond: 1e9, burst: 1e9 });
  return t;
};
const shared = new Transport();
const p = createTencentProvider({
  transport: shared,
  endpoint: emu.url,
  credentials: async () => TENCENT_EMULATOR_CREDENTIALS,
  env: {},
});
noLimit(shared);
await compare(
  'ListEventBuses x200, loopback',
  {
    label: 'keep-alive pool',
    fn: async () => {
      for (let i = 0; i < 200; i++) await collect(p.buses.list());
    },
  },
  {
    label: 'new connection per call',
    fn: async () => {
      for (let i = 0; i < 200; i++) {
        const t = new Transport();
        const q = createTencentProvider({
          transport: t,
          endpoint: emu.url,
          credentials: async () => TENCENT_EMULATOR_CREDENTIALS,
          env: {},
        });
        noLimit(t);
        await collect(q.buses.list());
        await t.close();
      }
    },
  },
  5,
);
await shared.close();
await emu.close();

console.log(`polybus bench on node ${process.version}, ${new Date().toISOString()}`);
console.table(rows);
