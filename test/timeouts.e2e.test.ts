// Issue 27 item 4: a change whose answer arrives after the timeout is an ambiguous outcome, like a
// lost answer: it is followed by a retry or a lookup before it is called failed, even when the
// timeout is as long as the retry budget. Short timeouts keep the test fast; nothing asserts on
// wall-clock time.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../src/core/engine/apply.js';
import { hasChanges, planChanges } from '../src/core/engine/plan/index.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import { resolveProvider } from '../src/core/runtime/container.js';
import { parseSpec } from '../src/core/spec/load.js';
import { createPolybus } from '../src/sdk/create.js';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import type { Fault } from '../src/testing/loopback.js';

const HUAWEI_TARGETS = `extensions: { huawei: { targets: [{ name: t1, provider_type: CUSTOM, detail: { url: "https://example.com/h" } }] } }`;
const SPEC = (n: string) => `
version: 1
targets: [{ provider: tencent }, { provider: huawei }, { provider: aws }]
buses:
  - { name: ${n}-bus, description: d1 }
sources:
  - { name: ${n}.src, bus: ${n}-bus, providers: [huawei] }
connections:
  - name: ${n}-conn
    bus: ${n}-bus
    kind: tdmq
    endpoint: "qcs::tdmq:ap-guangzhou:uin/1:subscriptionName/p/user/t/${n}"
    providers: [tencent]
integrations:
  - name: ${n}-int
    bus: ${n}-bus
    filter: { source: ${n}.src }
    overrides:
      huawei: { ${HUAWEI_TARGETS} }
      aws: { filter: { source: aws.partner/${n}/orders } }
`;

const OPS = {
  tencent: {
    create: ['CreateEventBus', 'CreateRule', 'CreateConnection'],
    delete: ['DeleteEventBus', 'DeleteRule', 'DeleteConnection'],
  },
  huawei: {
    create: ['CreateChannel', 'CreateEventSource', 'CreateSubscription'],
    delete: ['DeleteChannel', 'DeleteEventSource', 'DeleteSubscription'],
  },
  aws: {
    create: ['CreateEventBus', 'CreateEventIntegration'],
    delete: ['DeleteEventBus', 'DeleteEventIntegration'],
  },
} as const;
const NAMES = ['tencent', 'huawei', 'aws'] as const;

/** The timeout equals the retry budget, as the defaults had it (30 s each), scaled down. */
const TIMEOUT_MS = 500;

let emu: RunningEmulators;
let container: ReturnType<typeof createPolybus>;
const providers: Record<string, EventProvider> = {};
beforeAll(async () => {
  emu = await startEmulators();
  container = createPolybus({
    env: emu.env,
    transportOptions: {
      timeoutMs: TIMEOUT_MS,
      retry: { maxElapsedMs: TIMEOUT_MS, baseDelayMs: 10, maxDelayMs: 50 },
    },
  });
  for (const name of NAMES) providers[name] = await resolveProvider(container, name);
  // warm up (credentials, tokens, connections): the first request of a cold process is slow
  await planChanges(parseSpec(SPEC('warm'), 'warm.yaml', {}), providers);
});
afterAll(async () => {
  await Promise.all(Object.values(providers).map((p) => p.close()));
  await container.close();
  await emu.close();
});
afterEach(() => {
  for (const p of NAMES) emu[p].faults.clear();
});

const count = (values: Iterable<Record<string, unknown>>, key: string, name: string) =>
  [...values].filter((r) => r[key] === name).length;
const inventory = (n: string) => ({
  tencentBus: count(emu.tencent.buses.values(), 'EventBusName', `${n}-bus`),
  tencentRule: count(emu.tencent.rules.values(), 'RuleName', `${n}-int`),
  tencentConn: count(emu.tencent.connections.values(), 'ConnectionName', `${n}-conn`),
  huaweiChannel: count(emu.huawei.channels.values(), 'name', `${n}-bus`),
  huaweiSource: count(emu.huawei.sources.values(), 'name', `${n}.src`),
  huaweiSub: count(emu.huawei.subscriptions.values(), 'name', `${n}-int`),
  awsBus: emu.aws.buses.has(`${n}-bus`) ? 1 : 0,
  awsInt: emu.aws.integrations.has(`${n}-int`) ? 1 : 0,
});
const all = (v: number) => ({
  tencentBus: v,
  tencentRule: v,
  tencentConn: v,
  huaweiChannel: v,
  huaweiSource: v,
  huaweiSub: v,
  awsBus: v,
  awsInt: v,
});

/** Arms `fault` once on each of the given actions of every provider. */
const arm = (which: 'create' | 'delete', fault: Fault) => {
  for (const p of NAMES) for (const operation of OPS[p][which]) emu[p].faults.inject({ operation, ...fault });
};

async function run(n: string, destroy: boolean) {
  const spec = parseSpec(SPEC(n), `${n}.yaml`, {});
  const plan = await planChanges(spec, providers, destroy ? { destroy: true } : {});
  return applyPlan(plan, providers);
}

describe('an answer that arrives after the timeout (the change was made) is not a failure', () => {
  for (const kind of ['delay', 'slow-body'] as const) {
    it(`${kind}: every create and every delete answers late once: all ok, no duplicate, nothing left`, async () => {
      const n = `late-${kind}`;
      const fault: Fault = { kind, delayMs: TIMEOUT_MS * 3 };
      arm('create', fault);
      const applied = await run(n, false);
      expect(applied.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(inventory(n)).toEqual(all(1));
      expect(emu.tencent.faults.injected.get(kind)).toBeGreaterThan(0);
      const spec = parseSpec(SPEC(n), `${n}.yaml`, {});
      expect(hasChanges(await planChanges(spec, providers))).toBe(false);

      for (const p of NAMES) emu[p].faults.injected.clear();
      arm('delete', fault);
      const destroyed = await run(n, true);
      expect(destroyed.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(inventory(n)).toEqual(all(0));
      // Huawei's deletes answer 204 with no body: there is nothing to trickle for slow-body
      if (kind === 'delay')
        for (const p of NAMES) expect(emu[p].faults.injected.get(kind), p).toBe(OPS[p].delete.length);
    }, 60_000);
  }
});

describe('with no retry left, a late answer is settled by a lookup', () => {
  it('maxAttempts 1: every create and delete answers after the timeout: apply looks each up, all ok', async () => {
    const single = createPolybus({
      env: emu.env,
      transportOptions: { timeoutMs: TIMEOUT_MS, retry: { maxAttempts: 1 } },
    });
    const opened: Record<string, EventProvider> = {};
    for (const name of NAMES) opened[name] = await resolveProvider(single, name);
    try {
      const n = 'late-single';
      const spec = parseSpec(SPEC(n), `${n}.yaml`, {});
      await planChanges(spec, opened); // warm up
      arm('create', { kind: 'delay', delayMs: TIMEOUT_MS * 3 });
      const applied = await applyPlan(await planChanges(spec, opened), opened);
      expect(applied.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(inventory(n)).toEqual(all(1));
      arm('delete', { kind: 'delay', delayMs: TIMEOUT_MS * 3 });
      const destroyed = await applyPlan(await planChanges(spec, opened, { destroy: true }), opened);
      expect(destroyed.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(destroyed.some((o) => o.reason?.includes('a lookup found it gone'))).toBe(true);
      expect(inventory(n)).toEqual(all(0));
    } finally {
      await Promise.all(Object.values(opened).map((p) => p.close()));
      await single.close();
    }
  }, 60_000);
});
