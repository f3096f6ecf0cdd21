// Issue 26, item 3: every setting of a target is validated, sent, read back and compared, or
// refused before any request. One row per target-level field (Tencent): set it, the emulator holds
// it (ListTargets, the seed's wire shape), a re-plan is empty, a change is an update in place,
// removing it turns it off; what Tencent cannot hold on a target is refused by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { openProviders } from '../src/cli/commands/provision.js';
import { applyPlan } from '../src/core/engine/apply.js';
import { type Plan, planChanges, unmetItems } from '../src/core/engine/plan/index.js';
import { parseSpec } from '../src/core/spec/load.js';

let emu: RunningEmulators;
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(() => emu.close());

/** Plans (and applies) a spec text on the emulators. */
async function planApply(text: string, apply = true): Promise<Plan> {
  const spec = parseSpec(text, 'spec.yaml', {});
  const open = await openProviders([...new Set(spec.targets.map((t) => t.provider))], spec, emu.env);
  try {
    const plan = await planChanges(spec, open.providers);
    if (apply) {
      const outcomes = await applyPlan(plan, open.providers);
      expect(outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    }
    return plan;
  } finally {
    await open.close();
  }
}

const FN = 'qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/orders/$LATEST';
const LOG = 'qcs::cls:ap-guangzhou:uin/100000000001:topic/log-topic-1';
const spec = (bus: string, target: string) => `
version: 1
targets: [{ provider: tencent }]
buses: [{ name: ${bus} }]
integrations:
  - name: ${bus}-rule
    bus: ${bus}
    filter: { source: a.src }
    targets: [${target}]
`;
const ruleTargets = (bus: string) => {
  const rule = [...emu.tencent.rules.values()].find((r) => r.RuleName === `${bus}-rule`)!;
  return [...emu.tencent.targets.values()].filter((t) => t.RuleId === rule.RuleId);
};
const integ = (plan: Plan) => plan.items.find((i) => i.kind === 'integration')!;

describe('Tencent target-level settings (extensions.tencent on a target)', () => {
  const rows = [
    { field: 'EnableBatchDelivery', first: true, sent: true },
    { field: 'BatchTimeout', first: 30, changed: 45 },
    { field: 'BatchEventCount', first: 10, changed: 20 },
  ] as const;
  it.each(rows)(
    '$field: sent, read back (re-plan empty), changed in place, off when removed',
    async (row) => {
      const bus = `tgt-${row.field.toLowerCase()}`;
      const batch = (t: number, c: number) =>
        `{ kind: function, function: "${FN}", extensions: { tencent: { EnableBatchDelivery: true, BatchTimeout: ${t}, BatchEventCount: ${c} } } }`;
      await planApply(spec(bus, batch(30, 10)));
      expect(ruleTargets(bus)).toHaveLength(1);
      expect(ruleTargets(bus)[0]![row.field]).toBe(row.first);
      expect(integ(await planApply(spec(bus, batch(30, 10)), false)).action).toBe('noop');
      if ('changed' in row) {
        const next = row.field === 'BatchTimeout' ? batch(45, 10) : batch(30, 20);
        const plan = await planApply(spec(bus, next));
        expect(integ(plan)).toMatchObject({ action: 'update' });
        expect(ruleTargets(bus)[0]![row.field]).toBe(row.changed);
        expect(integ(await planApply(spec(bus, next), false)).action).toBe('noop');
      }
      // removed: batching off, the same target kept
      const id = ruleTargets(bus)[0]!.TargetId;
      await planApply(spec(bus, `{ kind: function, function: "${FN}" }`));
      expect(ruleTargets(bus)).toMatchObject([{ TargetId: id, EnableBatchDelivery: false }]);
      expect(integ(await planApply(spec(bus, `{ kind: function, function: "${FN}" }`), false)).action).toBe(
        'noop',
      );
    },
  );

  const refusedRows = [
    {
      what: 'a neutral name',
      target: `{ kind: function, function: "${FN}", name: hook }`,
      rule: /targets\.0\.name: a Tencent target has no name/,
    },
    {
      what: 'Type es on a log target',
      target: `{ kind: log, log: "${LOG}", extensions: { tencent: { Type: es } } }`,
      rule: /targets\.0\.extensions\.tencent\.Type: a Tencent log target takes no native settings/,
    },
    {
      what: 'ESTargetParams in a TargetDescription',
      target: `{ kind: log, log: "${LOG}", extensions: { tencent: { TargetDescription: { ESTargetParams: { NetMode: x } } } } }`,
      rule: /targets\.0\.extensions\.tencent\.TargetDescription/,
    },
    {
      what: 'batch settings on a log target',
      target: `{ kind: log, log: "${LOG}", extensions: { tencent: { EnableBatchDelivery: true } } }`,
      rule: /extensions\.tencent\.EnableBatchDelivery: a Tencent log target takes no native settings/,
    },
    {
      what: 'batch settings without their sizes',
      target: `{ kind: function, function: "${FN}", extensions: { tencent: { EnableBatchDelivery: true } } }`,
      rule: /BatchTimeout: a positive integer, required with EnableBatchDelivery/,
    },
    {
      what: 'batch settings turned off by value',
      target: `{ kind: function, function: "${FN}", extensions: { tencent: { EnableBatchDelivery: false } } }`,
      rule: /EnableBatchDelivery: must be true/,
    },
  ];
  it.each(refusedRows)(
    '$what is refused by name before any request (unmet, nothing sent)',
    async ({ target, rule }) => {
      const bus = 'tgt-refused';
      emu.tencent.requestCounts.clear();
      const plan = await planApply(spec(bus, target));
      expect(integ(plan).action).toBe('unsupported');
      expect(integ(plan).reason).toMatch(rule);
      expect(unmetItems(plan).map((i) => i.kind)).toEqual(['integration']);
      expect(emu.tencent.requestCounts.get('CreateRule') ?? 0).toBe(0);
      expect(emu.tencent.requestCounts.get('CreateTarget') ?? 0).toBe(0);
    },
  );
});

/** A Huawei channel, its custom source and a subscription with one target. */
const hwSpec = (bus: string, target: string) => `
version: 1
targets: [{ provider: huawei }]
buses: [{ name: ${bus} }]
sources: [{ name: ${bus}.src, bus: ${bus} }]
integrations:
  - name: ${bus}-sub
    bus: ${bus}
    filter: { source: ${bus}.src }
    targets: [${target}]
`;
const hwTarget = (bus: string) =>
  (
    [...emu.huawei.subscriptions.values()].find((x) => x.name === `${bus}-sub`)!.targets as Record<
      string,
      unknown
    >[]
  )[0]!;

describe('Huawei target-level settings (extensions.huawei on a target)', () => {
  const rows = [
    {
      field: 'detail.auth_type (HTTPS)',
      target: (v: string) =>
        `{ kind: http, url: "https://h.example.com/x", extensions: { huawei: { detail: { auth_type: ${v} } } } }`,
      first: 'NONE',
      changed: 'BASIC',
      read: (t: Record<string, unknown>) => (t.detail as Record<string, unknown>).auth_type,
    },
    {
      field: 'kafka_detail extras (HC.Kafka)',
      target: (v: string) =>
        `{ kind: kafka, connection: conn-1, topic: orders, extensions: { huawei: { kafka_detail: { key_transform: ${v} } } } }`,
      first: 'id',
      changed: 'none',
      read: (t: Record<string, unknown>) => (t.kafka_detail as Record<string, unknown>).key_transform,
    },
  ];
  it.each(rows)('$field: sent, read back (re-plan empty), changed in place', async (row) => {
    const bus = `hwt-${rows.indexOf(row)}`;
    // a Kafka target names a live connection by id
    await planApply(`
version: 1
targets: [{ provider: huawei }]
buses: [{ name: hwt-conns }]
connections:
  - { name: hwt-conn, bus: hwt-conns, kind: kafka, network: { vpcId: vpc-1, subnetId: subnet-1 }, kafka: { instanceId: k-1, address: "10.0.0.1:9092", saslSsl: false } }
`);
    const conn = String([...emu.huawei.connections.values()].find((c) => c.name === 'hwt-conn')!.id);
    const given = row.target;
    row = { ...row, target: (v: string) => given(v).replace('conn-1', conn) };
    await planApply(hwSpec(bus, row.target(row.first)));
    expect(row.read(hwTarget(bus))).toBe(row.first);
    expect(integ(await planApply(hwSpec(bus, row.target(row.first)), false)).action).toBe('noop');
    expect(integ(await planApply(hwSpec(bus, row.target(row.changed)))).action).toBe('update');
    expect(row.read(hwTarget(bus))).toBe(row.changed);
    expect(integ(await planApply(hwSpec(bus, row.target(row.changed)), false)).action).toBe('noop');
  });

  const refusedRows = [
    {
      what: 'a native key beside detail',
      target: `{ kind: http, url: "https://h.example.com/x", extensions: { huawei: { provider_type: OFFICIAL } } }`,
      rule: /targets\.0\.extensions\.huawei\.provider_type: a http target takes only detail/,
    },
    {
      what: 'the url again in detail',
      target: `{ kind: http, url: "https://h.example.com/x", extensions: { huawei: { detail: { url: "https://other.example.com" } } } }`,
      rule: /extensions\.huawei\.detail\.url: a http target takes only detail/,
    },
    {
      what: 'a neutral name',
      target: `{ kind: http, url: "https://h.example.com/x", name: hook }`,
      rule: /targets\.0\.name: a Huawei target's name is its type/,
    },
    {
      what: 'detail on a Kafka target',
      target: `{ kind: kafka, connection: conn-1, topic: orders, extensions: { huawei: { detail: { a: b } } } }`,
      rule: /extensions\.huawei\.detail: a kafka target takes only kafka_detail/,
    },
  ];
  it.each(refusedRows)('$what is refused by name before any request', async ({ target, rule }) => {
    emu.huawei.requestCounts.clear();
    const plan = await planApply(hwSpec('hwt-refused', target));
    expect(integ(plan).action).toBe('unsupported');
    expect(integ(plan).reason).toMatch(rule);
    expect(emu.huawei.requestCounts.get('CreateSubscription') ?? 0).toBe(0);
  });
});
