// The Azure must-be-true checks through the built CLI on the emulators (issue 25):
// - `polybus apply` of a neutral route makes a topic and an event subscription that the official
//   `@azure/arm-eventgrid` client reads back (filter, WebHook, retry policy); `plan` right after
//   is empty; `polybus publish` of matching and non-matching CloudEvents delivers exactly the
//   matching ones to the webhook (which passed Event Grid's validation handshake);
// - `migrate` of examples/routing.yaml from tencent to azure and from azure to huawei moves the
//   filter exactly, and `migrate --verify` shows the same routing decisions per event.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventGridManagementClient } from '@azure/arm-eventgrid';
import { type Filter, normalizeFilter, serializeFilter } from '../src/core/model/filter.js';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { armClient, type Receiver, startReceiver } from './azure.helpers.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-azure-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const root = new URL('..', import.meta.url).pathname;

let emu: RunningEmulators;
let hook: Receiver;
let arm: EventGridManagementClient;

beforeAll(async () => {
  emu = await startEmulators();
  hook = await startReceiver();
  arm = await armClient(emu.azure);
});
afterAll(async () => {
  await hook.close();
  await emu.close();
});

const RG = 'polybus-rg';
const spec = (url: string) => `
version: 1
targets: [{ provider: azure, region: westeurope }]
buses: [{ name: shop-events }]
integrations:
  - name: eu-orders
    bus: shop-events
    filter:
      - prefix: { subject: orders/ }
      - suffix: { subject: /eu }
      - exact: { data.total: "42" }
    targets: [{ kind: http, url: "${url}" }]
    delivery: { retry: { maxAttempts: 3 } }
`;

describe('azure through the CLI', () => {
  it('apply -> the official client reads the route back; plan is empty; publish delivers exactly the matching events', async () => {
    const file = write('azure.yaml', spec(hook.url));
    const applied = await runCli(['apply', '-f', file, '--yes'], emu.env);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(hook.handshakes).toBe(1);

    const topic = await arm.topics.get(RG, 'shop-events');
    expect(topic).toMatchObject({
      location: 'westeurope',
      inputSchema: 'CloudEventSchemaV1_0',
      provisioningState: 'Succeeded',
    });
    const sub = await arm.topicEventSubscriptions.get(RG, 'shop-events', 'eu-orders');
    expect(sub).toMatchObject({
      provisioningState: 'Succeeded',
      eventDeliverySchema: 'CloudEventSchemaV1_0',
      retryPolicy: { maxDeliveryAttempts: 4, eventTimeToLiveInMinutes: 1440 },
      destination: { endpointType: 'WebHook', endpointBaseUrl: hook.url },
      filter: {
        subjectBeginsWith: 'orders/',
        subjectEndsWith: '/eu',
        isSubjectCaseSensitive: true,
        enableAdvancedFilteringOnArrays: true,
        advancedFilters: [{ operatorType: 'StringIn', key: 'data.total', values: ['42'] }],
      },
    });
    expect((await arm.topicEventSubscriptions.getFullUrl(RG, 'shop-events', 'eu-orders')).endpointUrl).toBe(
      hook.url,
    );

    const plan = await runCli(['plan', '-f', file, '--json'], emu.env);
    expect(plan.code, plan.stderr).toBe(0);
    const items = (JSON.parse(plan.stdout) as { plan: { action: string; name: string }[] }).plan;
    expect(items.map((i) => [i.name, i.action])).toEqual([
      ['shop-events', 'noop'],
      ['eu-orders', 'noop'],
    ]);

    const ev = (id: string, subject: string, total: string) =>
      JSON.stringify({
        specversion: '1.0',
        id,
        source: '/shop',
        type: 'order.created',
        subject,
        data: { total },
      });
    const events = write(
      'events.ndjson',
      [
        ev('m1', 'orders/7/eu', '42'),
        ev('n1', 'orders/7/us', '42'),
        ev('n2', 'Orders/7/eu', '42'),
        ev('n3', 'orders/7/eu', '41'),
        ev('m2', 'orders/8/eu', '42'),
      ].join('\n'),
    );
    const published = await runCli(
      ['publish', '--provider', 'azure', '--bus', 'shop-events', events],
      emu.env,
    );
    expect(published.code, published.stderr).toBe(0);
    await emu.azure.delivery.settle();
    expect(hook.received.map((e) => e.id).sort()).toEqual(['m1', 'm2']);
  });

  const routing = join(root, 'examples/routing.yaml');
  type Migrated = {
    migration: { rows: { name: string; outcome: string; details: string[] }[] };
    spec: { integrations: { name: string; filter: unknown }[] };
    verify?: { same: number; different: number; rows: { differences: string[] }[] };
  };
  const ROUTING_FILTER = [
    { exact: { source: 'web.orders' } },
    { prefix: { subject: 'orders/' } },
    { suffix: { 'data.sku': '-eu' } },
    { exact: { 'data.channel': 'web' } },
    { not: { exact: { type: 'order.test' } } },
  ];

  it('migrate tencent -> azure of examples/routing.yaml: its Azure target accepts the caseless comparisons, so the filter moves whole; without that option it is refused (case)', async () => {
    const r = await runCli(
      ['migrate', '-f', routing, '--from', 'tencent', '--to', 'azure', '--json'],
      emu.env,
    );
    expect(r.code, r.stderr).toBe(0);
    const row = (JSON.parse(r.stdout) as Migrated).migration.rows.find((x) => x.name === 'eu-web-orders')!;
    // Nothing of the filter is lost; the route waits for input because of the Tencent override's
    // CKafka target, which Event Grid has no destination for (as tencent -> huawei does).
    expect(row.details.filter((d) => /filter/.test(d))).toEqual([]);
    expect(row.outcome).toBe('needs-input');
    expect(row.details.join('\n')).toMatch(/no kafka destination/);

    const strictFile = write(
      'routing-strict.yaml',
      readFileSync(routing, 'utf8').replace(/caseInsensitiveMatch: accept/, 'caseInsensitiveMatch: refuse'),
    );
    const strict = await runCli(
      ['migrate', '-f', strictFile, '--from', 'tencent', '--to', 'azure', '--json'],
      emu.env,
    );
    const route = (JSON.parse(strict.stdout) as Migrated).migration.rows.find(
      (x) => x.name === 'eu-web-orders',
    )!;
    expect(route.details.join('\n')).toMatch(/filter.*not case-sensitive/);
  });

  it('migrate azure -> huawei of examples/routing.yaml moves the filter exactly', async () => {
    const r = await runCli(
      ['migrate', '-f', routing, '--from', 'azure', '--to', 'huawei', '--json'],
      emu.env,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Migrated;
    expect(out.migration.rows.find((x) => x.name === 'eu-web-orders')?.outcome).not.toBe('needs-input');
    const moved = out.spec.integrations.find((i) => i.name === 'eu-web-orders')?.filter as Filter;
    expect(serializeFilter(moved)).toBe(serializeFilter(normalizeFilter(ROUTING_FILTER as Filter[])));
  });

  const routingEvents = write(
    'routing.ndjson',
    [
      { id: 'r1', type: 'order.paid', subject: 'orders/1', data: { sku: 'a-eu', channel: 'web' } },
      { id: 'r2', type: 'order.test', subject: 'orders/2', data: { sku: 'a-eu', channel: 'web' } },
      { id: 'r3', type: 'order.paid', subject: 'Orders/3', data: { sku: 'a-eu', channel: 'web' } },
      { id: 'r4', type: 'order.paid', subject: 'orders/4', data: { sku: 'a-us', channel: 'web' } },
      { id: 'r5', type: 'order.paid', subject: 'orders/5', data: { sku: 'a-eu', channel: 'app' } },
    ]
      .map((e) => JSON.stringify({ specversion: '1.0', source: 'web.orders', ...e }))
      .join('\n'),
  );
  for (const [from, to] of [
    ['azure', 'huawei'],
    ['huawei', 'azure'],
  ] as const)
    it(`migrate --verify ${from} -> ${to} of examples/routing.yaml: the same routing decision for every event`, async () => {
      const r = await runCli(
        [
          'migrate',
          '-f',
          routing,
          '--from',
          from,
          '--to',
          to,
          '--verify',
          '--events',
          routingEvents,
          '--json',
        ],
        emu.env,
      );
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const out = JSON.parse(r.stdout) as Omit<Migrated, 'verify'> & {
        verify: { same: number; different: number; rows: { event: string; from: { matched: string[] } }[] };
      };
      expect(out.verify).toMatchObject({ same: 5, different: 0 });
      expect(out.verify.rows.filter((x) => x.from.matched.length).map((x) => x.event)).toEqual(['r1']);
    });

  // migrate --verify honours the user's own translation settings (POLYBUS_AZURE_CASE_INSENSITIVE_MATCH),
  // and only those: the check still runs on its private emulators.
  const SCF = 'qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/fn/$LATEST';
  const AZ_FN =
    '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/polybus-rg/providers/Microsoft.Web/sites/app/functions/fn';
  const lettered = `
version: 1
targets: [{ provider: tencent }, { provider: azure }]
buses: [{ name: shop-events }]
integrations:
  - name: eu-web-orders
    bus: shop-events
    filter:
      - exact: { source: web.orders }
      - prefix: { subject: orders/ }
      - suffix: { data.sku: -eu }
    targets: [{ kind: function, function: "${SCF}" }]
`;
  const mapFile = write('lettered-map.yaml', `"${SCF}": "${AZ_FN}"\n`);
  const letteredEvents = write(
    'lettered.ndjson',
    [
      { id: 'l1', source: 'web.orders', type: 'order.paid', subject: 'orders/1', data: { sku: 'a-eu' } },
      { id: 'l2', source: 'web.orders', type: 'order.paid', subject: 'orders/2', data: { sku: 'a-us' } },
      { id: 'l3', source: 'web.other', type: 'order.paid', subject: 'orders/3', data: { sku: 'a-eu' } },
    ]
      .map((e) => JSON.stringify({ specversion: '1.0', ...e }))
      .join('\n'),
  );
  it('migrate --verify tencent -> azure takes POLYBUS_AZURE_CASE_INSENSITIVE_MATCH from the user; without it the route is refused, said why', async () => {
    const file = write('lettered.yaml', lettered);
    const args = [
      'migrate',
      '-f',
      file,
      '--from',
      'tencent',
      '--to',
      'azure',
      '--verify',
      '--events',
      letteredEvents,
      '--map',
      mapFile,
      '--json',
    ];
    const accepted = await runCli(args, { ...emu.env, POLYBUS_AZURE_CASE_INSENSITIVE_MATCH: 'accept' });
    const ok = JSON.parse(accepted.stdout) as Omit<Migrated, 'verify'> & {
      verify: { rows: { event: string; from: { matched: string[] }; to: { matched: string[] } }[] };
    };
    expect(ok.migration.rows.find((r) => r.name === 'eu-web-orders')?.outcome).toBe('native');
    // The same routing decision per event on both sides (the receivers differ only by the mapped
    // function reference, which the check compares by name).
    expect(ok.verify.rows.map((r) => [r.event, r.from.matched, r.to.matched])).toEqual([
      ['l1', ['eu-web-orders'], ['eu-web-orders']],
      ['l2', [], []],
      ['l3', [], []],
    ]);

    const strict = await runCli(args, emu.env);
    const out = JSON.parse(strict.stdout) as Migrated;
    const row = out.migration.rows.find((r) => r.name === 'eu-web-orders')!;
    expect(row.outcome).toBe('needs-input');
    expect(row.details.join('\n')).toMatch(/filter.*not case-sensitive/);
    // The check then shows the route missing on azure for the event it routes on tencent.
    expect(strict.code).toBe(1);
    expect(out.verify).toMatchObject({ same: 2, different: 1 });
    expect(out.verify!.rows[0]!.differences[0]).toMatch(/matched eu-web-orders on tencent, no integration/);
  });

  // A route Event Grid expresses exactly as is (no letters), checked in the default (refuse) mode.
  const caseless = (url: string) => `
version: 1
targets: [{ provider: huawei }, { provider: azure }]
buses: [{ name: shop-events }]
sources: [{ name: "2026.07", bus: shop-events, kind: application, providers: [huawei] }]
integrations:
  - name: eu-web-orders
    bus: shop-events
    filter:
      - exact: { source: "2026.07" }
      - prefix: { subject: orders/ }
      - suffix: { data.sku: "-01" }
      - exact: { data.channel: "7" }
      - not: { exact: { type: "0.0" } }
    targets: [{ kind: http, url: "${url}" }]
    delivery: { retry: { maxAttempts: 3 } }
`;
  const caselessEvents = write(
    'caseless.ndjson',
    [
      { id: 'c1', source: '2026.07', type: '1.0', subject: 'orders/1', data: { sku: 'a-01', channel: '7' } },
      { id: 'c2', source: '2026.07', type: '0.0', subject: 'orders/2', data: { sku: 'a-01', channel: '7' } },
      { id: 'c3', source: '2026.07', type: '1.0', subject: 'Orders/3', data: { sku: 'a-01', channel: '7' } },
      { id: 'c4', source: '2026.08', type: '1.0', subject: 'orders/4', data: { sku: 'a-01', channel: '7' } },
      { id: 'c5', source: '2026.07', type: '1.0', subject: 'orders/5', data: { sku: 'a-02', channel: '7' } },
      {
        id: 'c6',
        source: '2026.07',
        type: '1.0',
        subject: 'orders/6',
        data: { sku: ['x', 'a-01'], channel: '7' },
      },
    ]
      .map((e) => JSON.stringify({ specversion: '1.0', ...e }))
      .join('\n'),
  );
  for (const [from, to] of [
    ['huawei', 'azure'],
    ['azure', 'huawei'],
  ] as const)
    it(`migrate --verify ${from} -> ${to}: the same routing decision for every event`, async () => {
      const file = write(`caseless-${from}.yaml`, caseless('https://fulfilment.example.com/hooks/orders'));
      const r = await runCli(
        ['migrate', '-f', file, '--from', from, '--to', to, '--verify', '--events', caselessEvents, '--json'],
        emu.env,
      );
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const out = JSON.parse(r.stdout) as Migrated;
      expect(out.spec.integrations[0]?.filter).toBeDefined();
      expect(out.verify).toMatchObject({ same: 6, different: 0 });
    });
});

describe('the settings migrate --verify takes from the user', () => {
  it('keeps POLYBUS_<PROVIDER>_* translation settings only: no endpoint, host, credential or account', async () => {
    const { translationEnv } = await import('../src/cli/commands/verify.js');
    expect(
      translationEnv({
        POLYBUS_AZURE_CASE_INSENSITIVE_MATCH: 'accept',
        POLYBUS_AZURE_ENDPOINT: 'https://management.azure.com',
        POLYBUS_TENCENT_TAG_ENDPOINT: 'https://tag.example',
        POLYBUS_HUAWEI_IAM_ENDPOINT: 'https://iam.example',
        POLYBUS_AWS_SESSION_TOKEN: 'tok',
        AZURE_CLIENT_SECRET: 'secret',
        AZURE_AUTHORITY_HOST: 'https://login.example',
        POLYBUS_EMULATOR_2_AWS_ACCESS_KEY_ID: 'AKIA',
        TENCENTCLOUD_REGION: 'ap-guangzhou',
      }),
    ).toEqual({ POLYBUS_AZURE_CASE_INSENSITIVE_MATCH: 'accept' });
  });
});
