// Where polybus's per-call time goes, layer by layer: the same Tencent GetEventBus through bare
// undici, Transport.send, Transport.execute, the TencentClient and the provider, against the
// bench server in a child process; prints wall and user-CPU µs per call for each, 3 rounds.
// Run after `npm run build`: `node bench/layers.mjs`. A diagnostic, not part of `npm run bench`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = process.env.BENCH_DIST || `${root}dist/`;
const server = spawn(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `const { startBenchServer } = await import(${JSON.stringify(`${root}bench/servers.mjs`)}); const s = await startBenchServer(); console.log(s.url);`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(String(d).trim())));
const undici = createRequire(import.meta.url)('undici');
const { createTencentProvider } = await import(`${dist}adapters/tencent/index.js`);
const { TencentClient } = await import(`${dist}adapters/tencent/client.js`);
const { Transport } = await import(`${dist}core/runtime/transport.js`);

const transport = new Transport();
transport.limiter.setLimit('tencent', { ratePerSecond: 1e9, burst: 1e9 });
const credentials = async () => ({ secretId: 'AKIDbench', secretKey: 'benchSecretKey' });
const provider = createTencentProvider({ transport, endpoint: url, credentials, env: {} });
const client = new TencentClient({ transport, credentials, region: 'ap-guangzhou', endpoint: url });
const headers = {
  'x-tc-action': 'GetEventBus',
  'content-type': 'application/json',
  authorization: `TC3-HMAC-SHA256 Credential=AKIDbench/2026-01-01/eb/tc3_request, SignedHeaders=content-type;host, Signature=${'0'.repeat(64)}`,
  host: new URL(url).host,
  'x-tc-version': '2021-04-16',
  'x-tc-timestamp': '1',
  'x-tc-region': 'ap-guangzhou',
};
const body = '{"EventBusId":"eb-bench0001"}';
const pool = new undici.Pool(url, { connections: 16 });
const request = {
  provider: 'tencent',
  operation: 'GetEventBus',
  method: 'POST',
  url: `${url}/`,
  headers,
  body,
};
const layers = {
  'bare undici': async () =>
    JSON.parse(await (await pool.request({ method: 'POST', path: '/', headers, body })).body.text()),
  'Transport.send': async () => JSON.parse((await transport.send(request)).body),
  'Transport.execute': () => transport.execute(request, (r) => JSON.parse(r.body)),
  'TencentClient (signs, zod)': () => client.getEventBus({ EventBusId: 'eb-bench0001' }),
  // The provider's get is two requests (GetEventBus and the bus's tags): its line is per request.
  'provider (maps; 2 requests: bus + tags)': () => provider.buses.get('eb-bench0001'),
};
const N = 3000;
for (let round = 0; round < 3; round++) {
  const out = [];
  for (const [name, fn] of Object.entries(layers)) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < N; i++) await fn();
    const user = process.cpuUsage(cpu).user / N;
    out.push(`${name} ${(((performance.now() - t) * 1000) / N).toFixed(0)} µs (${user.toFixed(0)} user)`);
  }
  console.log(out.join(' | '));
}
await transport.close();
await pool.close();
server.kill();
