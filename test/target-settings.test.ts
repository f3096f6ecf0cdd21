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
  const open = await openProviders(['tencent'], spec, emu.env);
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
