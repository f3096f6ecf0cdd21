// polybus as a library: plan, apply and destroy a spec from code, against the bundled emulators
// (no cloud account). Type-checked in CI against the sources and the packed tarball, and run by
// test/library-example.test.ts. Point `env` at real credentials to run it against the clouds.
import { apply, destroy, isPolybusError, plan, type SpecInput } from 'polybus';
import { startEmulators } from 'polybus/emulators';

/** Makes a route on two clouds, shows it converged, and removes it. Returns what it observed. */
export async function main(log: (line: string) => void = console.log) {
  const emulators = await startEmulators({ providers: ['tencent', 'huawei'] });
  const spec: SpecInput = {
    version: 1,
    targets: [{ provider: 'tencent' }, { provider: 'huawei' }],
    buses: [{ name: 'orders', description: 'Order events' }],
    sources: [{ name: 'shop.orders', bus: 'orders', providers: ['huawei'] }],
    integrations: [
      {
        name: 'orders-to-hook',
        bus: 'orders',
        filter: [{ exact: { source: 'shop.orders' } }, { prefix: { type: 'order.' } }],
        targets: [{ kind: 'http', url: 'https://hooks.example.com/orders' }],
        delivery: { retry: { maxAttempts: 3 } },
        // Tencent has no webhook target (CreateTarget types: scf, ckafka, cls, amp, es)
        providers: ['huawei'],
      },
    ],
  };
  try {
    const first = await plan(spec, { env: emulators.env });
    for (const i of first.items) log(`${i.action} ${i.target} ${i.kind} ${i.name}`);
    const outcomes = await apply(first, {
      onProgress: (e) => e.type === 'done' && log(`  ${e.outcome.status}`),
    });
    const again = await plan(spec, { env: emulators.env });
    const pending = again.items.filter((i) => i.action !== 'noop');
    await again.close();
    const removed = await destroy(spec, { env: emulators.env });
    return { planned: first.items.length, outcomes, pendingAfterApply: pending.length, removed };
  } catch (err) {
    // every failure is a PolybusError: code, provider, request id, retryable
    if (isPolybusError(err)) log(`${err.code}: ${err.message}`);
    throw err;
  } finally {
    await emulators.stop();
  }
}
