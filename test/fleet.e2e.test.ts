// The fleet example end to end through the built CLI against the emulators: two targets of each
// provider (regions, projects, accounts) stay two distinct resources everywhere. Never a real cloud.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_EMULATOR_CREDENTIALS_2 } from '../src/adapters/aws/emulator/index.js';
import { HUAWEI_EMULATOR_PROJECT, HUAWEI_EMULATOR_PROJECT_2 } from '../src/adapters/huawei/emulator/index.js';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import type { ApplyOutcome } from '../src/core/engine/apply.js';
import type { PlanItem } from '../src/core/engine/plan/index.js';
import { runCli } from './helpers/cli.js';

const FLEET = fileURLToPath(new URL('../examples/fleet.yaml', import.meta.url));
const BIN = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const TARGETS = ['tencent-gz', 'tencent-sh', 'huawei-bj', 'huawei-sg', 'aws-east', 'aws-west'];
/** Resource names in an emulator's state map, whatever the wire format calls the field. */
const names = (m: Map<string, unknown>) =>
  [...m.values()]
    .map((r) => {
      const row = r as Record<string, unknown>;
      return String(row.EventBusName ?? row.ConnectionName ?? row.RuleName ?? row.Name ?? row.name);
    })
    .sort();

let emu: RunningEmulators;
/** The emulators' environment plus the second account's prefixed keys (for aws-west). */
const env = () => ({ ...emu.env, ...emu.targetEnv });
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(async () => {
  await emu.close();
});

/** What each region/account/project holds, by the emulators' own state. */
function live() {
  const tc = (region: string) => emu.tencent.regions.of(region);
  const hw = (project: string) => emu.huawei.projects.of(project);
  const aws = (scope: string) => emu.aws.scopes.of(scope);
  return {
    'tencent-gz': tc('ap-guangzhou'),
    'tencent-sh': tc('ap-shanghai'),
    'huawei-bj': hw(HUAWEI_EMULATOR_PROJECT),
    'huawei-sg': hw(HUAWEI_EMULATOR_PROJECT_2),
    'aws-east': aws('123456789012/us-east-1'),
    'aws-west': aws(`${AWS_EMULATOR_CREDENTIALS_2.account}/us-west-2`),
  };
}

it('`polybus emulate` prints what per-target credentials need: the second AWS account and Huawei project', async () => {
  const r = await runCli(['emulate', '--once', '--json']);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { targetEnv: Record<string, string>; notes: string[] };
  expect(out.targetEnv.POLYBUS_EMULATOR_2_AWS_ACCESS_KEY_ID).toBe(AWS_EMULATOR_CREDENTIALS_2.accessKeyId);
  expect(out.notes.join('\n')).toContain(HUAWEI_EMULATOR_PROJECT_2);
  const text = await runCli(['emulate', '--once']);
  expect(text.stdout).toContain('# per-target credentials (examples/fleet.yaml):');
  expect(text.stdout).toContain(
    `export POLYBUS_EMULATOR_2_AWS_ACCESS_KEY_ID=${AWS_EMULATOR_CREDENTIALS_2.accessKeyId}`,
  );
});

describe('examples/fleet.yaml: 2 Tencent regions, 2 Huawei projects, 2 AWS regions (two accounts)', () => {
  it('plan names every target: one bus row per target, in the table and in --json', async () => {
    const json = await runCli(['plan', '-f', FLEET, '--json'], env());
    expect(json).toMatchObject({ code: 0, stderr: '' });
    const items = (JSON.parse(json.stdout) as { plan: PlanItem[] }).plan;
    const buses = items.filter((i) => i.kind === 'bus');
    expect(buses.map((b) => [b.target, b.key, b.action])).toEqual(
      TARGETS.map((t) => [t, `${t}/bus/fleet-orders`, 'create']),
    );
    // the item restricted to tencent, huawei and aws-east is not planned on aws-west
    expect(items.filter((i) => i.kind === 'integration').map((i) => i.target)).toEqual(TARGETS.slice(0, 5));
    // overrides by target id: the Shanghai connector has its own endpoint
    const conn = Object.fromEntries(
      items.filter((i) => i.kind === 'connection').map((i) => [i.target, i.desired?.endpoint]),
    );
    expect(String(conn['tencent-gz'])).toContain('ckafka-gz0001');
    expect(String(conn['tencent-sh'])).toContain('ckafka-sh0001');

    const human = await runCli(['plan', '-f', FLEET], env());
    expect(human.code).toBe(0);
    const busRows = human.stdout.split('\n').filter((l) => /\+ create .* bus .* fleet-orders /.test(l));
    expect(busRows.map((l) => TARGETS.find((t) => l.includes(` ${t} `)))).toEqual(TARGETS);
  });

  it('--target picks targets by id; --provider keeps working; an unknown --target is a usage error', async () => {
    const one = await runCli(['plan', '-f', FLEET, '--json', '--target', 'tencent-sh', 'aws-west'], env());
    const targets = new Set((JSON.parse(one.stdout) as { plan: PlanItem[] }).plan.map((i) => i.target));
    expect([...targets]).toEqual(['tencent-sh', 'aws-west']);
    const byProvider = await runCli(['plan', '-f', FLEET, '--json', '--provider', 'huawei'], env());
    const t2 = new Set((JSON.parse(byProvider.stdout) as { plan: PlanItem[] }).plan.map((i) => i.target));
    expect([...t2]).toEqual(['huawei-bj', 'huawei-sg']);
    const bad = await runCli(['plan', '-f', FLEET, '--target', 'tencent-hk'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--target tencent-hk is not a target id');
  });

  it('apply creates one resource per target (two buses, two ids per provider), each step printed once; re-plan is empty; destroy removes them', async () => {
    const applied = await runCli(['apply', '-f', FLEET, '--yes'], env());
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    const lines = applied.stdout.split('\n');
    // non-TTY: one line per step, then the summary (no second list of the same outcomes)
    for (const t of TARGETS) {
      const rows = lines.filter(
        (l) => l.startsWith('ok      create') && l.includes(` ${t} bus fleet-orders (`),
      );
      expect(rows, t).toHaveLength(1);
    }
    expect(lines.filter((l) => l.startsWith('Apply:'))).toEqual([
      expect.stringMatching(/^Apply: \d+ succeeded, 0 failed, 0 skipped/),
    ]);

    // every region/project/account holds exactly its own resources
    const l = live();
    for (const t of TARGETS) {
      const state = l[t as keyof typeof l] as unknown as Record<string, Map<string, unknown>>;
      const busMap = state.buses ?? state.channels!;
      expect(
        names(busMap).filter((n) => n !== 'default'),
        t,
      ).toEqual(['fleet-orders']);
    }
    const tcIds = ['tencent-gz', 'tencent-sh'].map((t) => [...l[t as 'tencent-gz'].buses.keys()][0]);
    expect(new Set(tcIds).size).toBe(2);
    expect(names(l['tencent-gz'].connections)).toEqual(['fleet-ckafka']);
    expect(
      [...l['tencent-sh'].connections.values()].map((c) => JSON.stringify(c.ConnectionDescription)),
    ).toEqual([expect.stringContaining('ckafka-sh0001')]);
    expect(names(l['huawei-bj'].subscriptions)).toEqual(['fleet-to-fulfilment']);
    expect(names(l['huawei-sg'].sources)).toEqual(['fleet.orders']);
    expect(names(l['aws-east'].integrations)).toEqual(['fleet-to-fulfilment']);
    expect(l['aws-west'].integrations.size).toBe(0);
    expect(l['aws-west'].buses.get('fleet-orders')?.Arn).toBe(
      `arn:aws:events:us-west-2:${AWS_EMULATOR_CREDENTIALS_2.account}:event-bus/fleet-orders`,
    );
    // nothing leaked into a region or account no target names
    expect(emu.tencent.regions.scopes().sort()).toEqual(['ap-guangzhou', 'ap-shanghai']);
    expect(emu.aws.scopes.scopes().sort()).toEqual(
      ['123456789012/us-east-1', `${AWS_EMULATOR_CREDENTIALS_2.account}/us-west-2`].sort(),
    );

    const again = await runCli(['plan', '-f', FLEET, '--json', '--detailed-exitcode'], env());
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { summary: Record<string, number> }).summary).toMatchObject({
      create: 0,
      update: 0,
      replace: 0,
      delete: 0,
      error: 0,
    });

    const destroyed = await runCli(['destroy', '-f', FLEET, '--yes', '--json'], env());
    expect(destroyed.code).toBe(0);
    const outcomes = (JSON.parse(destroyed.stdout) as { outcomes: ApplyOutcome[] }).outcomes;
    const busOutcomes = outcomes.filter((o) => o.kind === 'bus');
    expect(busOutcomes.map((o) => [o.target, o.status])).toEqual(TARGETS.map((t) => [t, 'ok']));
    expect(new Set(busOutcomes.filter((o) => o.provider === 'tencent').map((o) => o.id)).size).toBe(2);
    for (const t of TARGETS) {
      const state = l[t as keyof typeof l] as unknown as Record<string, Map<string, unknown>>;
      expect(
        names(state.buses ?? state.channels!).filter((n) => n !== 'default'),
        t,
      ).toEqual([]);
    }
  });

  it('publish and trace --target pick one target of the spec: the event lands in that region only; --provider with two targets of it is a usage error', async () => {
    const targets = ['tencent-gz', 'tencent-sh', 'huawei-bj', 'huawei-sg'];
    expect((await runCli(['apply', '-f', FLEET, '--yes', '--target', ...targets], env())).code).toBe(0);
    const event = JSON.stringify({
      specversion: '1.0',
      id: 'fleet-1',
      source: 'fleet.orders',
      type: 'order.created',
      time: '2026-11-28T00:00:00Z',
      data: { n: 1 },
    });
    const publish = (...flags: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          [BIN, 'publish', '--bus', 'fleet-orders', '-f', FLEET, ...flags, '-', '--json'],
          { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env() } },
          (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
        child.stdin!.end(`${event}\n`);
      });
    const sh = await publish('--target', 'tencent-sh');
    expect(sh.code, sh.stderr).toBe(0);
    const l = live();
    const logged = (t: 'tencent-gz' | 'tencent-sh') => [...l[t].eventLog.values()].flat().length;
    expect([logged('tencent-gz'), logged('tencent-sh')]).toEqual([0, 1]);
    const sg = await publish('--target', 'huawei-sg');
    expect(sg.code, sg.stderr).toBe(0);
    const bj = await runCli(
      ['trace', 'fleet-1', '--target', 'huawei-bj', '-f', FLEET, '--bus', 'fleet-orders', '--json'],
      env(),
    );
    const sgTrace = await runCli(
      ['trace', 'fleet-1', '--target', 'huawei-sg', '-f', FLEET, '--bus', 'fleet-orders', '--json'],
      env(),
    );
    expect((JSON.parse(bj.stdout) as { found: boolean }).found).toBe(false);
    expect((JSON.parse(sgTrace.stdout) as { found: boolean }).found).toBe(true);
    // The native escape hatch takes the same target: ListEventBuses in ap-shanghai only.
    const listed = await runCli(
      ['call', 'tencent', 'ListEventBuses', '--target', 'tencent-sh', '-f', FLEET],
      env(),
    );
    expect(listed.code, listed.stderr).toBe(0);
    const ids = (JSON.parse(listed.stdout) as { EventBuses: { EventBusId: string }[] }).EventBuses.map(
      (b) => b.EventBusId,
    );
    expect(ids).toEqual([...l['tencent-sh'].buses.keys()]);
    const buses = await runCli(['buses', 'list', '--target', 'tencent-gz', '-f', FLEET, '--json'], env());
    expect((JSON.parse(buses.stdout) as { id: string }[]).map((b) => b.id)).toEqual([
      ...l['tencent-gz'].buses.keys(),
    ]);
    const noProvider = await runCli(['buses', 'list'], env());
    expect(noProvider.code).toBe(2);
    expect(noProvider.stderr).toContain(
      'give --provider (tencent, huawei, aws, azure) or --target <id> -f <spec>',
    );
    const mismatch = await runCli(
      ['call', 'huawei', 'ListChannels', '--target', 'tencent-sh', '-f', FLEET],
      env(),
    );
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('--target tencent-sh is a tencent target, not huawei');
    const ambiguous = await publish('--provider', 'tencent');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stdout).toContain(
      '2 tencent targets (tencent-gz, tencent-sh): choose one with --target',
    );
    const neither = await runCli(['trace', 'x', '--bus', 'fleet-orders'], env());
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('give one of --provider <name> or --target <id>');
    const noSpec = await runCli(['trace', 'x', '--bus', 'fleet-orders', '--target', 'tencent-sh'], env());
    expect(noSpec.code).toBe(2);
    expect(noSpec.stderr).toContain('give the spec with -f');
    expect((await runCli(['destroy', '-f', FLEET, '--yes', '--target', ...targets], env())).code).toBe(0);
  }, 60_000); // fifteen CLI runs in a row

  it('destroy (human) names each target on its own row and ends with a Destroy: line', async () => {
    expect(
      (await runCli(['apply', '-f', FLEET, '--yes', '--target', 'tencent-gz', 'tencent-sh'], env())).code,
    ).toBe(0);
    const r = await runCli(['destroy', '-f', FLEET, '--yes', '--target', 'tencent-gz', 'tencent-sh'], env());
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((x) => /^ok +delete tencent-(gz|sh) bus fleet-orders \(/.test(x))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^Destroy: 6 deleted, 0 failed, 0 skipped/);
    expect(r.stdout).not.toMatch(/^Apply:/m);
  });
});
