// Publishing bench (issue 17): `polybus publish` streams N NDJSON events (default 100,000) from a
// file to the Tencent emulator; reports events/s and the CLI's peak RSS (/usr/bin/time -v), next to
// the same CLI publishing 1,000 events, so a memory that grows with the input would show.
// Run after `npm run build`: `node bench/publish.mjs [events]`. Timings live here, never in tests.
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const { TencentEmulator, TENCENT_EMULATOR_CREDENTIALS } = await import(
  `${dist}adapters/tencent/emulator/index.js`
);

const total = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'polybus-bench-publish-'));

async function writeEvents(n) {
  const file = join(dir, `events-${n}.ndjson`);
  const out = createWriteStream(file);
  for (let i = 0; i < n; i++) {
    const line = JSON.stringify({
      specversion: '1.0',
      id: `evt-${i}`,
      source: 'app.orders',
      type: 'order.created',
      time: '2026-11-27T22:00:00Z',
      data: { order: i, region: i % 2 ? 'eu' : 'us', items: [{ sku: 'a', qty: 1 }] },
    });
    if (!out.write(`${line}\n`)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return file;
}

const emu = await TencentEmulator.start();
const env = {
  PATH: process.env.PATH ?? '',
  POLYBUS_TENCENT_ENDPOINT: emu.url,
  TENCENTCLOUD_SECRET_ID: TENCENT_EMULATOR_CREDENTIALS.secretId,
  TENCENTCLOUD_SECRET_KEY: TENCENT_EMULATOR_CREDENTIALS.secretKey,
  TENCENTCLOUD_REGION: 'ap-guangzhou',
};
// The bus through the official API shape (CreateEventBus via the adapter).
const { createTencentProvider } = await import(`${dist}adapters/tencent/index.js`);
const { Transport } = await import(`${dist}core/runtime/transport.js`);
const transport = new Transport();
const provider = createTencentProvider({
  transport,
  endpoint: emu.url,
  credentials: async () => TENCENT_EMULATOR_CREDENTIALS,
});
const bus = await provider.buses.create({ name: 'bench-bus' });
await transport.close();

/** Runs the CLI under /usr/bin/time -v: wall ms, peak RSS (MB), events ok. */
function run(file) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    execFile(
      '/usr/bin/time',
      [
        '-v',
        process.execPath,
        join(dist, 'cli/bin.js'),
        'publish',
        '--provider',
        'tencent',
        '--bus',
        bus.id,
        file,
        '--json',
      ],
      { env, maxBuffer: 1 << 30 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(stderr.slice(-2000)));
        const ms = performance.now() - t;
        const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN);
        const ok = stdout.split('\n').filter((l) => l.includes('"ok":true')).length;
        resolve({ ms, rssMb: rssKb / 1024, ok });
      },
    );
  });
}

const rows = [];
for (const n of [1_000, total]) {
  const file = await writeEvents(n);
  const r = await run(file);
  rows.push({
    events: n,
    published: r.ok,
    seconds: (r.ms / 1000).toFixed(1),
    'events/s': Math.round(n / (r.ms / 1000)),
    'peak RSS MB': r.rssMb.toFixed(0),
  });
}
console.table(rows);
console.log(
  `emulator log holds ${emu.eventLog.get(bus.id)?.length ?? 0} events (in the bench process, not the CLI)`,
);
await emu.close();
