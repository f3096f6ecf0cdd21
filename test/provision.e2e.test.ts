import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { openProviders } from '../src/cli/commands/provision.js';
import { cellOf, isCallable } from '../src/core/model/capabilities.js';
import { exportSpec, translateSpec } from '../src/core/engine/migrate.js';
import { RESOURCE_KINDS } from '../src/core/model/resources.js';
import { applyPlan } from '../src/core/engine/apply.js';
import { hasChanges, planChanges } from '../src/core/engine/plan/index.js';
import { collect } from '../src/core/runtime/resources.js';
import { parseSpec } from '../src/core/spec/load.js';
import { type Spec } from '../src/core/spec/schema.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-e2e-'));

const cli = runCli;

const SPEC = (busDescription: string, awsSource: string) => `
version: 1
targets:
  - provider: tencent
  - provider: huawei
  - provider: aws
buses:
  - name: e2e-bus
    description: ${busDescription}
sources:
  - name: app.orders
    bus: e2e-bus
    providers: [huawei]
integrations:
  - name: e2e-int
    bus: e2e-bus
    description: route orders
    filter: { source: app.orders }
    overrides:
      huawei:
        extensions: { huawei: { targets: [{ name: t1, provider_type: CUSTOM, detail: { url: "https://example.com/h" } }] } }
      aws:
        filter: { source: ${awsSource} }
`;

const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** Reads the human summary line into the same shape as the JSON summary. */
function summaryFromHuman(out: string): Record<string, number> {
  const m =
    /Plan: (\d+) to create, (\d+) to update, (\d+) to replace, (\d+) to delete; (\d+) unchanged, (\d+) reference, (\d+) unsupported, (\d+) blocked, (\d+) unreadable\./.exec(
      out,
    );
  if (!m) throw new Error(`no summary line in:\n${out}`);
  const [create, update, replace, del, noop, reference, unsupported, blocked, error] = m.slice(1).map(Number);
  return {
    create: create!,
    update: update!,
    replace: replace!,
    delete: del!,
    noop: noop!,
    reference: reference!,
    unsupported: unsupported!,
    blocked: blocked!,
    error: error!,
  };
}

describe('plan / apply / destroy through the CLI, against the emulators', () => {
  let emu: RunningEmulators;
  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(() => emu.close());

  const plan = async (file: string) => {
    const human = await cli(['plan', '-f', file], emu.env);
    const json = await cli(['plan', '-f', file, '--json'], emu.env);
    expect(human.code, human.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      plan: { key: string; name: string; action: string; warnings?: unknown[] }[];
      summary: Record<string, number>;
    };
    // --json parses and matches the human output
    expect(summaryFromHuman(human.stdout)).toEqual(parsed.summary);
    for (const item of parsed.plan) expect(human.stdout).toContain(item.name.slice(0, 20));
    return parsed;
  };
  const actions = (p: { plan: { key: string; action: string }[] }) =>
    Object.fromEntries(p.plan.map((i) => [i.key, i.action]));

  it('plan shows the creates, apply makes them, a second plan is empty', async () => {
    const file = write('v1.yaml', SPEC('v1', 'aws.partner/e2e/orders'));
    const first = await plan(file);
    expect(actions(first)).toEqual({
      'tencent/bus/e2e-bus': 'create',
      'tencent/integration/e2e-bus/e2e-int': 'create',
      'huawei/bus/e2e-bus': 'create',
      'huawei/source/e2e-bus/app.orders': 'create',
      'huawei/integration/e2e-bus/e2e-int': 'create',
      'aws/bus/e2e-bus': 'create',
      'aws/integration/e2e-bus/e2e-int': 'create',
    });
    const applied = await cli(['apply', '-f', file, '--yes', '--json'], emu.env);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const outcomes = JSON.parse(applied.stdout).outcomes as { status: string }[];
    expect(outcomes.filter((o) => o.status === 'ok')).toHaveLength(7);
    expect(emu.aws.buses.has('e2e-bus')).toBe(true);
    expect(emu.tencent.buses.size).toBe(1);
    expect(emu.huawei.subscriptions.size).toBe(1);
    expect(emu.aws.integrations.has('e2e-int')).toBe(true);

    const second = await plan(file);
    expect(second.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect((await cli(['plan', '-f', file, '--detailed-exitcode'], emu.env)).code).toBe(0);
  });

  it('apply refuses to run unconfirmed when not interactive', async () => {
    const file = write('v2.yaml', SPEC('v2', 'aws.partner/e2e/orders'));
    const r = await cli(['apply', '-f', file], emu.env);
    expect(r.code).toBe(2); // a usage error
    expect(r.stderr).toContain('--yes');
  });

  it('a changed description is an update in place', async () => {
    const file = write('v2.yaml', SPEC('v2', 'aws.partner/e2e/orders'));
    const p = await plan(file);
    expect(actions(p)).toMatchObject({
      'tencent/bus/e2e-bus': 'update',
      'huawei/bus/e2e-bus': 'update',
      'aws/bus/e2e-bus': 'update', // UpdateEventBus (EventBridge client 3.1169) holds a description
    });
    expect(p.plan.find((i) => i.key === 'aws/bus/e2e-bus')?.warnings).toEqual([]);
    expect((await cli(['plan', '-f', file, '--detailed-exitcode'], emu.env)).code).toBe(3);
    const ids = [...emu.tencent.buses.keys()];
    expect((await cli(['apply', '-f', file, '--yes'], emu.env)).code).toBe(0);
    expect([...emu.tencent.buses.keys()]).toEqual(ids); // same bus, updated in place
    expect([...emu.tencent.buses.values()][0]?.Description).toBe('v2');
    expect(emu.aws.buses.get('e2e-bus')?.Description).toBe('v2');
  });

  it('a changed immutable field is a replace (AWS EventFilter.Source, delete-before-create)', async () => {
    const file = write('v3.yaml', SPEC('v2', 'aws.partner/e2e/refunds'));
    const p = await plan(file);
    expect(actions(p)).toMatchObject({
      'aws/integration/e2e-bus/e2e-int': 'replace',
      'tencent/integration/e2e-bus/e2e-int': 'noop',
      'huawei/integration/e2e-bus/e2e-int': 'noop',
    });
    const human = await cli(['plan', '-f', file], emu.env);
    expect(human.stdout).toContain('forces replace');
    expect(human.stdout).toContain('delete-before-create');
    expect((await cli(['apply', '-f', file, '--yes'], emu.env)).code).toBe(0);
    expect(emu.aws.integrations.get('e2e-int')?.EventFilter.Source).toBe('aws.partner/e2e/refunds');
    expect(emu.aws.integrations.size).toBe(1);
    expect((await plan(file)).summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
  });

  it('destroy removes everything the spec declares', async () => {
    const file = write('v3.yaml', SPEC('v2', 'aws.partner/e2e/refunds'));
    const r = await cli(['destroy', '-f', file, '--yes', '--json'], emu.env);
    expect(r.code, r.stdout).toBe(0);
    expect(emu.tencent.buses.size + emu.tencent.rules.size).toBe(0);
    expect([...emu.huawei.channels.values()].map((c) => c.provider_type)).toEqual(['OFFICIAL']);
    expect(emu.huawei.sources.size + emu.huawei.subscriptions.size).toBe(0);
    expect(emu.aws.integrations.size).toBe(0);
    expect([...emu.aws.buses.keys()]).toEqual(['default']);
    expect((await plan(file)).summary.create).toBe(7);
  });

  it('a spec with errors fails before any request, listing every problem', async () => {
    const before = JSON.stringify([
      ...emu.tencent.requestCounts,
      ...emu.huawei.requestCounts,
      ...emu.aws.requestCounts,
    ]);
    const file = write(
      'bad.yaml',
      `version: 1
targets:
  - provider: tencent
buses:
  - name: 9-starts-with-digit
    colour: red
integrations:
  - name: dup
    bus: 9-starts-with-digit
    filter: { source: a }
  - name: other
    bus: nowhere
    filter: { source: b }
  - name: dup
    bus: 9-starts-with-digit
    filter: { source: c }
`,
    );
    const r = await cli(['plan', '-f', file, '--json'], emu.env);
    expect(r.code).toBe(2); // a usage error: nothing was sent
    const issues = JSON.parse(r.stdout).error.issues as { field: string; rule: string; location?: string }[];
    const find = (field: string, rule: RegExp) => issues.find((i) => i.field === field && rule.test(i.rule));
    expect(find('buses.0', /colour/)).toMatchObject({ location: `${file}:5` }); // unknown field
    expect(find('integrations.1.bus', /does not declare/)).toMatchObject({ location: `${file}:12` }); // dangling reference
    expect(find('integrations.2.name', /duplicate/)).toBeTruthy(); // duplicate names
    expect(
      issues.some((i) => i.field.startsWith('buses.0.name') && /tencent: .*start with a letter/.test(i.rule)),
    ).toBe(true); // invalid for the target
    expect(
      JSON.stringify([...emu.tencent.requestCounts, ...emu.huawei.requestCounts, ...emu.aws.requestCounts]),
    ).toBe(before);
    const human = await cli(['plan', '-f', file], emu.env);
    expect(human.stderr.split('\n').filter((l) => l.startsWith('  - ')).length).toBe(issues.length);
  });

  it('export writes live resources as a spec that plans as no-op on the same provider', async () => {
    const file = write('exp.yaml', SPEC('v1', 'aws.partner/e2e/orders'));
    expect((await cli(['apply', '-f', file, '--yes', '-p', 'huawei'], emu.env)).code).toBe(0);
    const exported = await cli(['export', '-p', 'huawei'], emu.env);
    expect(exported.code).toBe(0);
    const spec = parseSpec(exported.stdout, 'export.yaml', {});
    expect(spec.buses.map((b) => b.name)).toContain('e2e-bus');
    const open = await openProviders(['huawei'], spec, emu.env);
    try {
      expect(hasChanges(await planChanges(spec, open.providers))).toBe(false);
    } finally {
      await open.close();
    }
    expect((await cli(['destroy', '-f', file, '--yes', '-p', 'huawei'], emu.env)).code).toBe(0);
  });
});

/** A spec using every kind each provider can hold. */
const RICH: Record<string, string> = {
  tencent: `version: 1
targets: [{ provider: tencent }]
buses: [{ name: rich-bus, description: rich, retentionDays: 3 }]
connections:
  - { name: rich-conn, bus: rich-bus, kind: tdmq, endpoint: "qcs::tdmq:ap-guangzhou:uin/1:subscriptionName/p/user/t/s" }
integrations:
  - { name: rich-int, bus: rich-bus, filter: { source: rich.source } }
`,
  huawei: `version: 1
targets: [{ provider: huawei }]
buses: [{ name: rich-bus, description: rich }]
sources: [{ name: rich.source, bus: rich-bus }]
connections:
  - { name: rich-conn, kind: http, network: { vpcId: v1, subnetId: s1 } }
integrations:
  - name: rich-int
    bus: rich-bus
    filter: { source: rich.source }
    extensions: { huawei: { targets: [{ name: t, provider_type: CUSTOM }] } }
`,
  aws: `version: 1
targets: [{ provider: aws }]
buses: [{ name: rich-bus }]
integrations:
  - { name: rich-int, bus: rich-bus, filter: { source: aws.partner/rich }, tags: { team: x } }
`,
};

describe('migration round trip: export from each provider, migrate to each other', () => {
  let emu: RunningEmulators;
  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(() => emu.close());

  for (const from of ['tencent', 'huawei', 'aws']) {
    it(`${from} -> the others: the report agrees with the capability matrix`, async () => {
      const open = await openProviders(['tencent', 'huawei', 'aws'], undefined, emu.env);
      try {
        const spec = parseSpec(RICH[from]!, `${from}.yaml`, {});
        const outcomes = await applyPlan(await planChanges(spec, open.providers), open.providers);
        expect(outcomes.filter((o) => o.status === 'failed')).toEqual([]);
        const exported = await exportSpec(open.providers[from]!);
        for (const to of ['tencent', 'huawei', 'aws'].filter((x) => x !== from)) {
          const target = open.providers[to]!;
          const m = translateSpec(exported, from, target);
          expect(m.rows.length).toBe(
            RESOURCE_KINDS.reduce(
              (n, k) =>
                n +
                (
                  exported[
                    (
                      {
                        bus: 'buses',
                        source: 'sources',
                        connection: 'connections',
                        integration: 'integrations',
                      } as const
                    )[k]
                  ] as unknown[]
                ).length,
              0,
            ),
          );
          const droppedBuses = new Set(
            m.rows
              .filter((r) => r.kind === 'bus' && (r.outcome === 'dropped' || r.outcome === 'needs-input'))
              .map((r) => r.name),
          );
          for (const row of m.rows) {
            const create = cellOf(target.capabilities, row.kind, 'create');
            const get = cellOf(target.capabilities, row.kind, 'get');
            const item = (exported as unknown as Record<string, { name: string; bus?: string }[]>)[
              (
                {
                  bus: 'buses',
                  source: 'sources',
                  connection: 'connections',
                  integration: 'integrations',
                } as const
              )[row.kind]
            ]!.find((i) => i.name === row.name)!;
            if (!isCallable(create) && get?.support !== 'reference-only')
              expect(row.outcome, `${row.kind} ${row.name}`).toBe('dropped');
            else if (!isCallable(create)) expect(row.outcome).toBe('reference');
            else if (item.bus && droppedBuses.has(item.bus)) expect(row.outcome).toBe('dropped');
            else expect([create?.support, 'needs-input']).toContain(row.outcome);
          }
          const tally = { native: 0, emulated: 0, reference: 0, dropped: 0, 'needs-input': 0 } as Record<
            string,
            number
          >;
          for (const r of m.rows) tally[r.outcome]!++;
          expect(m.counts).toEqual(tally);
          // what the report says can be applied, applies on the target
          const applied = await applyPlan(await planChanges(m.spec, open.providers), open.providers);
          expect(applied.filter((o) => o.status === 'failed' || o.status === 'skipped')).toEqual([]);
          const live = await collect(target.integrations.list());
          const expectedInts = m.rows
            .filter((r) => r.kind === 'integration' && ['native', 'emulated'].includes(r.outcome))
            .map((r) => r.name);
          for (const n of expectedInts) expect(live.map((i) => i.name)).toContain(n);
          await applyPlan(await planChanges(m.spec, open.providers, { destroy: true }), open.providers);
        }
        await applyPlan(await planChanges(spec, open.providers, { destroy: true }), open.providers);
      } finally {
        await open.close();
      }
    });
  }
});

describe('apply converges after failures and interruptions, with no duplicates', () => {
  let emu: RunningEmulators;
  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(() => emu.close());
  const spec = (): Spec => parseSpec(SPEC('conv', 'aws.partner/conv'), 'conv.yaml', {});
  const names = () => ({
    tencentBuses: [...emu.tencent.buses.values()].map((b) => b.EventBusName).sort(),
    tencentRules: [...emu.tencent.rules.values()].map((r) => r.RuleName).sort(),
    huaweiChannels: [...emu.huawei.channels.values()]
      .filter((c) => c.provider_type === 'CUSTOM')
      .map((c) => c.name)
      .sort(),
    huaweiSources: [...emu.huawei.sources.values()].map((c) => c.name).sort(),
    huaweiSubs: [...emu.huawei.subscriptions.values()].map((c) => c.name).sort(),
    aws: [...emu.aws.integrations.keys()].sort(),
  });
  const converged = {
    tencentBuses: ['e2e-bus'],
    tencentRules: ['e2e-int'],
    huaweiChannels: ['e2e-bus'],
    huaweiSources: ['app.orders'],
    huaweiSubs: ['e2e-int'],
    aws: ['e2e-int'],
  };

  it('a failed item skips its dependents, independent items continue, a re-run converges', async () => {
    const open = await openProviders(['tencent', 'huawei', 'aws'], undefined, emu.env);
    try {
      emu.tencent.faults.inject({
        operation: 'CreateEventBus',
        kind: 'error',
        code: 'LimitExceeded.EventBus',
      });
      const outcomes = await applyPlan(await planChanges(spec(), open.providers), open.providers);
      const by = Object.fromEntries(outcomes.map((o) => [o.key, o]));
      expect(by['tencent/bus/e2e-bus']).toMatchObject({
        status: 'failed',
        error: { code: 'QuotaExceeded', providerCode: 'LimitExceeded.EventBus' },
      });
      expect(by['tencent/integration/e2e-bus/e2e-int']).toMatchObject({
        status: 'skipped',
        reason: expect.stringContaining('tencent/bus/e2e-bus'),
      });
      expect(by['huawei/integration/e2e-bus/e2e-int']?.status).toBe('ok');
      expect(by['aws/integration/e2e-bus/e2e-int']?.status).toBe('ok');
      const again = await applyPlan(await planChanges(spec(), open.providers), open.providers);
      expect(
        again
          .filter((o) => o.status === 'ok')
          .map((o) => o.key)
          .sort(),
      ).toEqual(['tencent/bus/e2e-bus', 'tencent/integration/e2e-bus/e2e-int']);
      expect(names()).toEqual(converged);
      await applyPlan(await planChanges(spec(), open.providers, { destroy: true }), open.providers);
    } finally {
      await open.close();
    }
  });

  for (const stopAfter of [1, 3, 5]) {
    it(`an apply interrupted after ${stopAfter} finished item(s) converges on re-run`, async () => {
      const open = await openProviders(['tencent', 'huawei', 'aws'], undefined, emu.env);
      try {
        const ac = new AbortController();
        let done = 0;
        const first = await applyPlan(await planChanges(spec(), open.providers), open.providers, {
          signal: ac.signal,
          concurrency: 2,
          onEvent: (e) => {
            if (e.type === 'done' && ++done === stopAfter) ac.abort();
          },
        });
        // what had not started is skipped, never half-sent; what was in flight ran to its end
        // (a step cut in half would report a change it made as failed)
        expect(first.some((o) => o.status === 'skipped')).toBe(true);
        expect(first.filter((o) => o.status === 'failed')).toEqual([]);
        expect(first.filter((o) => o.status === 'ok').length).toBeGreaterThanOrEqual(stopAfter);
        for (const o of first.filter((x) => x.status === 'skipped'))
          expect(o.reason).toMatch(/cancelled|dependency/);
        const rerun = await applyPlan(await planChanges(spec(), open.providers), open.providers);
        expect(rerun.filter((o) => o.status === 'failed' || o.status === 'skipped')).toEqual([]);
        expect(names()).toEqual(converged);
        expect(hasChanges(await planChanges(spec(), open.providers))).toBe(false);
        await applyPlan(await planChanges(spec(), open.providers, { destroy: true }), open.providers);
      } finally {
        await open.close();
      }
    });
  }
});

describe('prune and blocked replaces', () => {
  let emu: RunningEmulators;
  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(() => emu.close());
  const spec = (source: string): Spec =>
    parseSpec(
      `version: 1
targets: [{ provider: aws }]
buses: [{ name: pb-bus }]
integrations: [{ name: pb-int, bus: pb-bus, filter: { source: ${source} } }]
`,
      'pb.yaml',
      {},
    );

  it('--prune deletes live children on spec buses that the spec does not declare, and nothing else', async () => {
    const open = await openProviders(['aws'], undefined, emu.env);
    try {
      const aws = open.providers.aws!;
      await applyPlan(await planChanges(spec('aws.partner/s1'), open.providers), open.providers);
      await aws.integrations.create({
        name: 'stray',
        bus: 'pb-bus',
        filter: { source: 'aws.partner/example.com/x' },
      });
      await aws.integrations.create({
        name: 'elsewhere',
        bus: 'default',
        filter: { source: 'aws.partner/example.com/x' },
      });
      const without = await planChanges(spec('aws.partner/s1'), open.providers);
      expect(without.items.map((i) => i.name)).not.toContain('stray');
      const pruning = await planChanges(spec('aws.partner/s1'), open.providers, { prune: true });
      const deletes = pruning.items.filter((i) => i.action === 'delete');
      expect(deletes).toEqual([
        expect.objectContaining({ name: 'stray', reason: 'not in the spec (--prune)' }),
      ]);
      await applyPlan(pruning, open.providers);
      expect([...emu.aws.integrations.keys()].sort()).toEqual(['elsewhere', 'pb-int']);
    } finally {
      await open.close();
    }
  });

  it('a replace whose delete would be refused (AWS associations) is planned as blocked and not applied', async () => {
    const open = await openProviders(['aws'], undefined, emu.env);
    try {
      emu.aws.addAssociation('pb-int', 'connect-instance-7');
      const plan = await planChanges(spec('aws.partner/s2'), open.providers);
      const item = plan.items.find((i) => i.key === 'aws/integration/pb-bus/pb-int');
      expect(item).toMatchObject({
        action: 'blocked',
        reason: expect.stringContaining('connect-instance-7'),
      });
      const outcomes = await applyPlan(plan, open.providers);
      expect(outcomes.find((o) => o.key === 'aws/integration/pb-bus/pb-int')?.status).toBe('unchanged');
      expect(emu.aws.integrations.get('pb-int')?.EventFilter.Source).toBe('aws.partner/s1');
    } finally {
      await open.close();
    }
  });
});
