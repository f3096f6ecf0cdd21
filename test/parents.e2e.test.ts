// Issue 27 item 3: a parent is deleted only when its children were read and are gone. With every
// list of a bus's children answered by a gateway's HTML 502, destroy must not delete the bus (it
// would orphan the children nobody could see): the bus is reported failed, and a later destroy
// (reads healthy again) removes everything.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../src/core/engine/apply.js';
import { planChanges } from '../src/core/engine/plan/index.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import { resolveProvider } from '../src/core/runtime/container.js';
import { parseSpec } from '../src/core/spec/load.js';
import { createPolybus } from '../src/sdk/create.js';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';

const HUAWEI_TARGETS = `extensions: { huawei: { targets: [{ name: t1, provider_type: CUSTOM, detail: { url: "https://example.com/h" } }] } }`;
const SPEC = (n: number, withChildren: boolean) => {
  const lines = [
    'version: 1',
    'targets: [{ provider: tencent }, { provider: huawei }, { provider: aws }]',
    'buses:',
  ];
  for (let i = 0; i < n; i++) lines.push(`  - { name: parent-${i} }`);
  if (withChildren) {
    lines.push('sources:');
    for (let i = 0; i < n; i++)
      lines.push(`  - { name: parent.src.${i}, bus: parent-${i}, providers: [huawei] }`);
    lines.push('integrations:');
    for (let i = 0; i < n; i++)
      lines.push(
        `  - name: child-${i}`,
        `    bus: parent-${i}`,
        `    filter: { source: parent.src.${i} }`,
        `    overrides: { huawei: { ${HUAWEI_TARGETS} }, aws: { filter: { source: aws.partner/parent/${i} } } }`,
      );
  }
  return `${lines.join('\n')}\n`;
};

const NAMES = ['tencent', 'huawei', 'aws'] as const;
/** The list of each provider's bus children (integrations) that the faults break. */
const CHILD_LISTS = {
  tencent: 'ListRules',
  huawei: 'ListSubscriptions',
  aws: 'ListEventIntegrations',
} as const;

let emu: RunningEmulators;
let container: ReturnType<typeof createPolybus>;
const providers: Record<string, EventProvider> = {};
beforeAll(async () => {
  emu = await startEmulators();
  container = createPolybus({
    env: emu.env,
    transportOptions: { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } },
  });
  for (const name of NAMES) providers[name] = await resolveProvider(container, name);
});
afterAll(async () => {
  await Promise.all(Object.values(providers).map((p) => p.close()));
  await container.close();
  await emu.close();
});
afterEach(() => {
  for (const p of NAMES) emu[p].faults.clear();
});

const children = () => ({
  tencent: [...emu.tencent.rules.values()].filter((r) => String(r.RuleName).startsWith('child-')).length,
  huawei: [...emu.huawei.subscriptions.values()].filter((s) => String(s.name).startsWith('child-')).length,
  aws: [...emu.aws.integrations.keys()].filter((k) => k.startsWith('child-')).length,
});
const parents = () => ({
  tencent: [...emu.tencent.buses.values()].filter((b) => String(b.EventBusName).startsWith('parent-')).length,
  huawei: [...emu.huawei.channels.values()].filter((c) => String(c.name).startsWith('parent-')).length,
  aws: [...emu.aws.buses.keys()].filter((k) => k.startsWith('parent-')).length,
});
const each = (n: number) => ({ tencent: n, huawei: n, aws: n });

describe('destroy never deletes a bus whose children it could not read', () => {
  for (const declared of [true, false]) {
    it(`every child list answers HTML 502 (${declared ? 'children declared in the spec' : 'spec names the buses only'}): no bus is deleted, no child orphaned, the buses fail; a healthy destroy then removes all`, async () => {
      const n = 3;
      const full = parseSpec(SPEC(n, true), 'parents.yaml', {});
      const outcomes = await applyPlan(await planChanges(full, providers), providers);
      expect(outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(children()).toEqual(each(n));
      for (const p of NAMES)
        emu[p].faults.inject({
          operation: CHILD_LISTS[p],
          kind: 'html',
          status: 502,
          times: Number.POSITIVE_INFINITY,
        });
      const spec = parseSpec(SPEC(n, declared), 'parents.yaml', {});
      const plan = await planChanges(spec, providers, { destroy: true });
      const buses = plan.items.filter((i) => i.kind === 'bus');
      expect(buses.map((b) => b.action)).toEqual(buses.map(() => 'error'));
      for (const b of buses)
        expect(b.reason).toMatch(/not deleted: its integration .*could not be read \(Unavailable/);
      const destroyed = await applyPlan(plan, providers);
      for (const o of destroyed.filter((x) => x.kind === 'bus')) expect(o.status, o.key).toBe('failed');
      expect(parents()).toEqual(each(n));
      expect(children()).toEqual(each(n));

      for (const p of NAMES) emu[p].faults.clear();
      const again = await applyPlan(await planChanges(full, providers, { destroy: true }), providers);
      expect(again.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(parents()).toEqual(each(0));
      expect(children()).toEqual(each(0));
    }, 60_000);
  }
});
