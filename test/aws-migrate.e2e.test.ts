// Migration to and from AWS routes (issue 23), by behaviour: `polybus migrate --verify` moves a
// route's filter exactly between Tencent, AWS and Huawei, and publishing the same events to both
// sides gives the same routing decisions per event. Target references are mapped with --map (a
// Tencent SCF function is not a Lambda ARN). It never asserts on time.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import type { VerifyReport } from '../src/core/engine/verify.js';
import { serializeFilter, normalizeFilter, type Filter } from '../src/core/model/filter.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-aws-migrate-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const SCF = 'qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/fulfil';
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:fulfil';
const URN = 'urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:fulfil:latest';

const FILTER: Filter[] = [
  { exact: { source: 'app.orders' } },
  { prefix: { type: 'order.' } },
  { suffix: { 'data.sku': '-eu' } },
  { any: [{ exact: { 'data.channel': 'web' } }, { exact: { 'data.channel': 'app' } }] },
];
/** The route on `from`; Huawei subscriptions name a custom event source, declared for it. */
const spec = (from: string, to: string, fn: string) => `
version: 1
targets: [{ provider: ${from} }, { provider: ${to} }]
buses: [{ name: orders }]
${to === 'huawei' ? 'sources:\n  - { name: app.orders, bus: orders, providers: [huawei] }' : ''}
integrations:
  - name: orders-route
    bus: orders
    filter: ${JSON.stringify(FILTER)}
    targets:
      - kind: function
        function: "${fn}"
        # what a FunctionGraph target needs beyond the function (Huawei only; AWS ignores it)
        extensions: { huawei: { detail: { invoke_type: ASYNC, agency_name: EG_AGENCY } } }
`;
const ce = (id: string, source: string, type: string, data: Record<string, unknown>) =>
  JSON.stringify({ specversion: '1.0', id, source, type, data });
const EVENTS = [
  ce('e-web', 'app.orders', 'order.created', { sku: 'a-eu', channel: 'web' }),
  ce('e-app', 'app.orders', 'order.paid', { sku: 'b-eu', channel: 'app' }),
  ce('e-mail', 'app.orders', 'order.created', { sku: 'c-eu', channel: 'mail' }),
  ce('e-us', 'app.orders', 'order.created', { sku: 'c-us', channel: 'web' }),
  ce('e-billing', 'app.billing', 'order.created', { sku: 'a-eu', channel: 'web' }),
  ce('e-invoice', 'app.orders', 'invoice.created', { sku: 'a-eu', channel: 'web' }),
].join('\n');

interface VerifyJson {
  migration: { rows: { kind: string; name: string; outcome: string; details: string[] }[] };
  spec: { integrations: { name: string; filter: unknown }[] };
  verify: VerifyReport;
}

let emu: RunningEmulators;
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(async () => {
  await emu.close();
});
const events = write('events.ndjson', EVENTS);
const migrate = (file: string, from: string, to: string, map: string) =>
  runCli(
    [
      'migrate',
      '-f',
      file,
      '--from',
      from,
      '--to',
      to,
      '--map',
      map,
      '--verify',
      '--events',
      events,
      '--json',
    ],
    emu.env,
  );

describe('routes move to and from AWS with their filters exact, checked by behaviour', () => {
  for (const [from, to, fn, mapped] of [
    ['tencent', 'aws', SCF, LAMBDA],
    ['aws', 'huawei', LAMBDA, URN],
  ] as const)
    it(`${from} -> ${to}: the filter moves exactly and every event is routed the same way`, async () => {
      const map = write(`${from}-${to}-map.yaml`, `"${fn}": "${mapped}"\n`);
      const r = await migrate(write(`${from}-${to}.yaml`, spec(from, to, fn)), from, to, map);
      const out = JSON.parse(r.stdout) as VerifyJson;
      const row = out.migration.rows.find((x) => x.name === 'orders-route')!;
      expect(row.outcome, JSON.stringify(row)).not.toBe('needs-input');
      expect(row.details).toContain(`targets.0.function ${fn} -> ${mapped} (mapped)`);
      expect(row.details.join('\n')).not.toContain('cannot move');
      const moved = out.spec.integrations.find((i) => i.name === 'orders-route')!;
      expect(serializeFilter(normalizeFilter(moved.filter as Filter[]))).toBe(
        serializeFilter(normalizeFilter(FILTER)),
      );
      // The same routing decision for every event on both sides.
      const decisions = out.verify.rows.map((x) => [x.event, x.from.matched, x.to.matched]);
      expect(decisions).toEqual([
        ['e-web', ['orders-route'], ['orders-route']],
        ['e-app', ['orders-route'], ['orders-route']],
        ['e-mail', [], []],
        ['e-us', [], []],
        ['e-billing', [], []],
        ['e-invoice', [], []],
      ]);
      // Where it routes, each side names its own function (the mapped reference), routed on both;
      // verify compares receivers by name, so these two rows count as different (exit 1).
      for (const x of out.verify.rows.slice(0, 2)) {
        expect(x.from.receivers).toEqual([
          expect.objectContaining({ receiver: `function ${fn}`, status: 'routed' }),
        ]);
        expect(x.to.receivers).toEqual([
          expect.objectContaining({ receiver: `function ${mapped}`, status: 'routed' }),
        ]);
      }
      expect(out.verify).toMatchObject({ same: 4, different: 2 });
      expect(r.code).toBe(1);
    }, 120_000);
});
