// Child process of the memory benchmark: lists every bus of the bench server through polybus's
// async iterator and reports its own peak RSS and items/s as JSON. Never keeps the items.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const { createTencentProvider } = await import(`${dist}adapters/tencent/index.js`);
const { Transport } = await import(`${dist}core/runtime/transport.js`);

const [url, total] = process.argv.slice(2);
const transport = new Transport();
transport.limiter.setLimit('tencent', { ratePerSecond: 1e9, burst: 1e9 });
const provider = createTencentProvider({
  transport,
  endpoint: url,
  credentials: async () => ({ secretId: 'AKIDbench', secretKey: 'bench' }),
  env: {},
});
const mb = () => process.memoryUsage().rss / 2 ** 20;
const startRssMb = mb();
let maxRssMb = startRssMb;
let items = 0;
const t = performance.now();
for await (const bus of provider.buses.list({ summary: true, pageSize: 100 })) {
  if (bus.id === undefined) throw new Error('no id');
  if (++items % 2000 === 0) {
    maxRssMb = Math.max(maxRssMb, mb());
    if (process.env.MEMDBG && items % 20000 === 0) {
      const m = process.memoryUsage();
      console.error(
        items,
        (m.rss / 2 ** 20).toFixed(0),
        (m.heapUsed / 2 ** 20).toFixed(0),
        (m.heapTotal / 2 ** 20).toFixed(0),
        (m.external / 2 ** 20).toFixed(0),
      );
    }
  }
}
const ms = performance.now() - t;
maxRssMb = Math.max(maxRssMb, mb());
await transport.close();
process.stdout.write(
  JSON.stringify({
    items,
    expected: Number(total),
    ms,
    itemsPerSecond: (items * 1000) / ms,
    startRssMb,
    maxRssMb,
  }),
);
