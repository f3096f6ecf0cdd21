// The short soak of issue 10, run in CI: a spec across the three emulators with every fault kind on
// (lost responses before and after commit, throttling, gateway pages, cut bodies, read lag). The long
// run is `npm run soak`; its figures are in docs/reliability.md.
import { expect, it } from 'vitest';
import { runSoak } from '../src/cli/commands/soak.js';

it('applies, re-plans to zero changes and destroys under faults: no duplicate, nothing lost, no false failure', async () => {
  const f = await runSoak({ resources: 40, faultRate: 0.03, seed: 11, maxMs: 60_000, concurrency: 8 });
  expect(f.resources).toBe(40);
  // the faults really happened, and were retried
  expect(Object.values(f.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
  expect(f.retries).toBeGreaterThan(0);
  expect(f.faults.delay ?? 0).toBeGreaterThan(0);
  expect({
    duplicates: f.duplicates,
    lost: f.lost,
    falseFailures: f.falseFailures,
    replanChanges: f.replanChanges,
    leftAfterDestroy: f.leftAfterDestroy,
  }).toEqual({ duplicates: 0, lost: 0, falseFailures: 0, replanChanges: 0, leftAfterDestroy: 0 });
}, 90_000);

it('three applies started together: every duplicate is reported by the re-plan, nothing lost', async () => {
  const f = await runSoak({
    resources: 40,
    faultRate: 0.03,
    seed: 11,
    maxMs: 60_000,
    concurrency: 8,
    runs: 3,
  });
  expect({ duplicatesUnreported: f.duplicatesUnreported, lost: f.lost }).toEqual({
    duplicatesUnreported: 0,
    lost: 0,
  });
}, 120_000);
