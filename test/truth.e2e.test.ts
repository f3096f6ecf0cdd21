// Issue 26 ("nothing applied that was not asked, nothing reported that did not happen"): the exit
// status tells the truth. An item whose intent cannot be carried out on its target (a route the
// provider cannot express, a blocked item) makes apply exit 4 with a line of its own, unless the
// spec scopes it away or --allow-unsupported says so; an item that loses nothing (a Tencent event
// source) stays informational. The built CLI against the loopback emulators, as a user runs it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { runCli } from './helpers/cli.js';
import { openHuaweiClient } from '../src/adapters/huawei/public.js';
import { isPolybusError } from '../src/core/model/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-truth-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

let emu: RunningEmulators;
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(() => emu.close());
const cli = (args: string[]) => runCli(args, emu.env);

/** A Tencent bus, an event source (Tencent has none: informational) and a route with only an http target. */
const hookSpec = (bus: string, scope = '') => `
version: 1
targets: [{ provider: tencent }, { provider: huawei }]
buses: [{ name: ${bus} }]
sources: [{ name: ${bus}.src, bus: ${bus}, kind: application }]
integrations:
  - name: ${bus}-hook
    bus: ${bus}
    filter: { source: ${bus}.src }
    targets: [{ kind: http, url: "https://hooks.example.com/x" }]
${scope}`;

describe('apply exits 4 when an item cannot be carried out on its target', () => {
  it('a Tencent route with only an http target: exit 4, a line of its own naming it; the event source stays informational', async () => {
    const spec = write('hook.yaml', hookSpec('truth-a'));
    const r = await cli(['apply', '-f', spec, '--yes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^UNMET {3}unsupported tencent integration truth-a-hook: .*no webhook target/m);
    expect(r.stdout).toContain(
      'Not carried out: 1 item their target cannot express or that is blocked; exit 4.',
    );
    expect(r.stdout).not.toMatch(/UNMET .*source/);
    // everything else was applied
    expect([...emu.tencent.buses.values()].some((b) => b.EventBusName === 'truth-a')).toBe(true);
    expect([...emu.huawei.subscriptions.values()].some((s) => s.name === 'truth-a-hook')).toBe(true);
    const j = await cli(['apply', '-f', spec, '--yes', '--json']);
    expect(j.code).toBe(4);
    expect(JSON.parse(j.stdout).unmet).toEqual(['tencent/integration/truth-a/truth-a-hook']);
    // an explicit, documented choice: exit 0, the item still listed
    const allowed = await cli(['apply', '-f', spec, '--yes', '--allow-unsupported']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('Not carried out: 1 item');
    expect(allowed.stdout).toContain('(allowed by --allow-unsupported)');
    expect((await cli(['destroy', '-f', spec, '--yes'])).code).toBe(0);
  });

  it('the same route scoped away from Tencent (providers:) exits 0', async () => {
    const spec = write(
      'scoped.yaml',
      hookSpec('truth-b').replace('    bus: truth-b\n', '    bus: truth-b\n    providers: [huawei]\n'),
    );
    const r = await cli(['apply', '-f', spec, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Not carried out');
    expect((await cli(['destroy', '-f', spec, '--yes'])).code).toBe(0);
  });

  it('a blocked item (its name taken by a route on a bus the spec does not name): exit 4, left alone', async () => {
    const other = write(
      'other.yaml',
      `
version: 1
targets: [{ provider: aws }]
buses: [{ name: truth-other }]
integrations: [{ name: truth-taken, bus: truth-other, filter: { source: aws.partner/shop/orders } }]
`,
    );
    expect((await cli(['apply', '-f', other, '--yes'])).code).toBe(0);
    const spec = write(
      'mine.yaml',
      `
version: 1
targets: [{ provider: aws }]
buses: [{ name: truth-mine }]
integrations: [{ name: truth-taken, bus: truth-mine, filter: { source: aws.partner/shop/orders } }]
`,
    );
    const r = await cli(['apply', '-f', spec, '--yes']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(
      /^UNMET {3}blocked aws integration truth-taken: .*truth-other, which this spec does not name/m,
    );
    expect((await cli(['destroy', '-f', spec, '--yes'])).code).toBe(4);
    expect((await cli(['destroy', '-f', other, '--yes'])).code).toBe(0);
  });

  it('an AWS integration whose bus is missing belongs to the spec bus of that name: matched, not blocked; the bus is created', async () => {
    const spec = write(
      'orphan.yaml',
      `
version: 1
targets: [{ provider: aws }]
buses: [{ name: truth-gone }]
integrations: [{ name: truth-orphan, bus: truth-gone, filter: { source: aws.partner/shop/orders } }]
`,
    );
    expect((await cli(['apply', '-f', spec, '--yes'])).code).toBe(0);
    expect((await cli(['buses', 'delete', '--provider', 'aws', '--id', 'truth-gone'])).code).toBe(0);
    const plan = await cli(['plan', '-f', spec, '--json']);
    const items = (JSON.parse(plan.stdout) as { plan: { kind: string; action: string; reason?: string }[] })
      .plan;
    expect(items.map((i) => [i.kind, i.action])).toEqual([
      ['bus', 'create'],
      ['integration', 'noop'],
    ]);
    const r = await cli(['apply', '-f', spec, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('which this spec does not name');
    expect(emu.aws.buses.has('truth-gone')).toBe(true);
    expect((await cli(['destroy', '-f', spec, '--yes'])).code).toBe(0);
  });
});

/** A Huawei Kafka connection and a RabbitMQ source, each with a write-only password from the environment. */
const SECRET_SPEC = `
version: 1
targets: [{ provider: huawei }]
buses: [{ name: truth-secrets }]
sources:
  - name: truth.rabbit
    bus: truth-secrets
    kind: rabbitmq
    detail: { instance_id: rabbit-1, vhost: "/", queue: q1, user_name: u, password: "\${env:TRUTH_SOURCE_PASSWORD}" }
connections:
  - name: truth-kafka
    bus: truth-secrets
    kind: kafka
    network: { vpcId: vpc-1, subnetId: subnet-1 }
    kafka: { instanceId: kafka-1, address: "10.0.0.1:9093", saslSsl: true, username: u, password: "\${env:TRUTH_KAFKA_PASSWORD}" }
`;

describe('write-only secrets: plan says it cannot compare them, --resend-secrets sends them', () => {
  it('a changed Kafka password or source detail password is never a silent no-op, and never printed', async () => {
    const spec = write('secrets.yaml', SECRET_SPEC);
    const run = (args: string[], kafka: string, source: string) =>
      runCli(args, { ...emu.env, TRUTH_KAFKA_PASSWORD: kafka, TRUTH_SOURCE_PASSWORD: source });
    expect((await run(['apply', '-f', spec, '--yes'], 'OLDkafkaPw-1', 'OLDsourcePw-1')).code).toBe(0);
    const conn = () => [...emu.huawei.connections.values()].find((c) => c.name === 'truth-kafka')!;
    const src = () => [...emu.huawei.sources.values()].find((c) => c.name === 'truth.rabbit')!;
    expect((conn().kafka_detail as { password: string }).password).toBe('OLDkafkaPw-1');
    const secrets = ['OLDkafkaPw-1', 'OLDsourcePw-1', 'NEWkafkaPw-2', 'NEWsourcePw-2'];
    const clean = (r: { stdout: string; stderr: string }) => {
      for (const x of secrets) expect(r.stdout + r.stderr).not.toContain(x);
    };
    // only the passwords changed: nothing to compare, so the plan says so, naming the field
    const plan = await run(
      ['plan', '-f', spec, '--json', '--detailed-exitcode'],
      'NEWkafkaPw-2',
      'NEWsourcePw-2',
    );
    clean(plan);
    expect(plan.code).toBe(0);
    const items = (
      JSON.parse(plan.stdout) as {
        plan: { kind: string; action: string; warnings: { type: string; detail: string }[] }[];
      }
    ).plan;
    const warning = (kind: string) =>
      items.find((i) => i.kind === kind)!.warnings.find((w) => w.type === 'write-only')?.detail;
    expect(warning('connection')).toMatch(/^kafka\.password is write-only: .*apply --resend-secrets/);
    expect(warning('source')).toMatch(/^detail\.password is write-only/);
    const human = await run(['plan', '-f', spec], 'NEWkafkaPw-2', 'NEWsourcePw-2');
    clean(human);
    expect(human.stdout).toContain('warning: kafka.password is write-only');
    // the documented way to send them: an update of the source, the replace Huawei needs for a connection's kafka
    const resent = await run(
      ['apply', '-f', spec, '--yes', '--resend-secrets', '--json'],
      'NEWkafkaPw-2',
      'NEWsourcePw-2',
    );
    clean(resent);
    expect(resent.code).toBe(0);
    const actions = (JSON.parse(resent.stdout) as { plan: { kind: string; action: string }[] }).plan.map(
      (i) => [i.kind, i.action],
    );
    expect(actions).toEqual([
      ['bus', 'noop'],
      ['source', 'update'],
      ['connection', 'replace'],
    ]);
    expect((conn().kafka_detail as { password: string }).password).toBe('NEWkafkaPw-2');
    expect((src().detail as { password: string }).password).toBe('NEWsourcePw-2');
    expect((await run(['destroy', '-f', spec, '--yes'], 'x', 'y')).code).toBe(0);
  });
});

describe('destroy never deletes a bus that holds children the spec does not name', () => {
  it('the bus is blocked (exit 4), the named child deleted, the unnamed one and the bus kept', async () => {
    const rules = (names: string[]) =>
      names.map((n) => `  - { name: ${n}, bus: truth-parent, filter: { source: a.src } }`).join('\n');
    const text = (names: string[]) =>
      `version: 1\ntargets: [{ provider: tencent }]\nbuses: [{ name: truth-parent }]\nintegrations:\n${rules(names)}\n`;
    const full = write('parent-full.yaml', text(['truth-named', 'truth-unnamed']));
    const partial = write('parent-partial.yaml', text(['truth-named']));
    expect((await cli(['apply', '-f', full, '--yes'])).code).toBe(0);
    const r = await cli(['destroy', '-f', partial, '--yes']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(
      /^UNMET {3}blocked tencent bus truth-parent: not deleted: it holds 1 integration\(s\) \(eb-/m,
    );
    const left = () => [...emu.tencent.rules.values()].map((x) => x.RuleName);
    expect(left()).toContain('truth-unnamed');
    expect(left()).not.toContain('truth-named');
    expect([...emu.tencent.buses.values()].some((b) => b.EventBusName === 'truth-parent')).toBe(true);
    expect((await cli(['destroy', '-f', full, '--yes'])).code).toBe(0);
    expect([...emu.tencent.buses.values()].some((b) => b.EventBusName === 'truth-parent')).toBe(false);
  });
});

describe('Huawei OperateSubscription: a failed item of its 200 answer is a failure', () => {
  it('failed_count and the failed event become a NotFound naming the subscription, never a success', async () => {
    const { client, close } = openHuaweiClient({ env: emu.env });
    try {
      const err = await client
        .operateSubscriptions({
          subscription_ids: ['0b6a7d53-0000-4000-8000-00000000dead'],
          operation: 'DISABLE',
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isPolybusError(err)).toBe(true);
      expect(err).toMatchObject({
        code: 'NotFound',
        providerCode: 'EG.00014040',
        resource: '0b6a7d53-0000-4000-8000-00000000dead',
      });
      expect((err as Error).message).toMatch(/1 of 1 subscription\(s\) not switched to DISABLE/);
    } finally {
      await close();
    }
  });
});

describe('Huawei subscription names are unique per project', () => {
  it('a name taken on a channel the spec does not name is blocked at plan (exit 4), not an AlreadyExists at apply', async () => {
    const hw = (bus: string) =>
      write(
        `${bus}.yaml`,
        `
version: 1
targets: [{ provider: huawei }]
buses: [{ name: ${bus} }]
sources: [{ name: ${bus}.src, bus: ${bus} }]
integrations:
  - { name: truth-sub, bus: ${bus}, filter: { source: ${bus}.src }, targets: [{ kind: http, url: "https://h.example.com/x" }] }
`,
      );
    const first = hw('truth-ch1');
    const second = hw('truth-ch2');
    expect((await cli(['apply', '-f', first, '--yes'])).code).toBe(0);
    const plan = await cli(['plan', '-f', second, '--json']);
    const sub = (
      JSON.parse(plan.stdout) as { plan: { kind: string; action: string; reason?: string }[] }
    ).plan.find((i) => i.kind === 'integration')!;
    expect(sub.action).toBe('blocked');
    expect(sub.reason).toMatch(/already exists on bus .*, which this spec does not name/);
    const r = await cli(['apply', '-f', second, '--yes']);
    expect(r.code).toBe(4);
    expect(r.stdout).not.toContain('FAILED');
    // destroy leaves the other channel's subscription alone, and says so
    expect((await cli(['destroy', '-f', second, '--yes'])).code).toBe(4);
    expect([...emu.huawei.subscriptions.values()].filter((x) => x.name === 'truth-sub')).toHaveLength(1);
    expect((await cli(['destroy', '-f', first, '--yes'])).code).toBe(0);
  });
});
