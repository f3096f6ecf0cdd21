// Issue 18: the README's library example (examples/library.ts) runs: plan, apply, a converged
// re-plan and destroy from code, against the emulators, through the package's public entry points.
import { expect, it } from 'vitest';
import { main } from '../examples/library.js';

it('examples/library.ts plans, applies, converges and destroys', async () => {
  const lines: string[] = [];
  const r = await main((l) => lines.push(l));
  expect(r.planned).toBe(4); // a bus on each cloud, the Huawei source and the Huawei route
  expect(r.outcomes.filter((o) => o.status !== 'ok' && o.status !== 'unchanged')).toEqual([]);
  expect(r.pendingAfterApply).toBe(0);
  expect(r.removed.every((o) => o.status === 'ok' || o.status === 'unchanged')).toBe(true);
  expect(lines).toContain('create huawei integration orders-to-hook');
});
