// Issue 27, item 6: targets of one account and region share the account's rate limits. Tencent
// allows 20 requests/s per action per account; each target used to have its own token bucket, so
// two targets of one account sent 40/s together and the service throttled them. Loopback emulator
// in virtual time only (the emulator and both targets read one stepped clock); never a cloud.
import { afterEach, describe, expect, it } from 'vitest';
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import type { ResponseEvent } from '../src/core/runtime/transport.js';
import { collect } from '../src/core/runtime/resources.js';
import { parseSpec } from '../src/core/spec/load.js';
import { createPolybus } from '../src/sdk/create.js';
import { limitScopeOf, targetOptions, targetsToOpen } from '../src/sdk/provision.js';
import { SteppedClock } from './helpers/clock.js';

const SPEC = `version: 1
targets:
  - { id: gz-a, provider: tencent, region: ap-guangzhou }
  - { id: gz-b, provider: tencent, region: ap-guangzhou, credentials: { envPrefix: B_ } }
  - { id: sh, provider: tencent, region: ap-shanghai }
  - { id: gz-other, provider: tencent, region: ap-guangzhou, credentials: { envPrefix: O_ } }
buses: []
`;

const envFor = (url: string): Record<string, string> => ({
  POLYBUS_TENCENT_ENDPOINT: url,
  TENCENTCLOUD_SECRET_ID: TENCENT_EMULATOR_CREDENTIALS.secretId,
  TENCENTCLOUD_SECRET_KEY: TENCENT_EMULATOR_CREDENTIALS.secretKey,
  // The same account under another prefix (its own variables, the same key)
  B_TENCENTCLOUD_SECRET_ID: TENCENT_EMULATOR_CREDENTIALS.secretId,
  B_TENCENTCLOUD_SECRET_KEY: TENCENT_EMULATOR_CREDENTIALS.secretKey,
  // Another account
  O_TENCENTCLOUD_SECRET_ID: 'AKIDotherAccount000000000000000000000',
  O_TENCENTCLOUD_SECRET_KEY: 'other-account-secret-key-value-00001',
});

let emulator: TencentEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('rate-limit scope of a spec target (src/sdk/provision.ts)', () => {
  const spec = parseSpec(SPEC, 'spec.yaml', {});
  const env = envFor('http://127.0.0.1:9');
  const scopes = Object.fromEntries(
    targetsToOpen(['gz-a', 'gz-b', 'sh', 'gz-other'], spec).map((t) => [t.id, targetOptions(t, env)]),
  );
  const scope = (id: string) => scopes[id]!.transportOptions?.limitScope;

  it('is the same for targets of one account and region, whatever their prefixes', () => {
    expect(scope('gz-a')).toMatch(/^tencent:[0-9a-f]{32}$/);
    expect(scope('gz-b')).toBe(scope('gz-a'));
  });

  it('differs with the region or the account', () => {
    expect(scope('sh')).not.toBe(scope('gz-a'));
    expect(scope('gz-other')).not.toBe(scope('gz-a'));
  });

  it('holds no identifier or secret in clear, and ignores a change of secret alone', () => {
    const text = JSON.stringify(Object.values(scopes).map((o) => o.transportOptions));
    for (const v of Object.values(env)) if (!v.startsWith('http')) expect(text).not.toContain(v);
    const [a] = targetsToOpen(['gz-a'], spec);
    expect(limitScopeOf(a!, { ...env, TENCENTCLOUD_SECRET_KEY: 'rotated-secret-key-value' })).toBe(
      scope('gz-a'),
    );
  });
});

describe('two targets of one Tencent account and region, driven concurrently', () => {
  it('together stay within 20 requests/s per action: the emulator never throttles them', async () => {
    // Start on a whole second, so the emulator's first one-second window holds the first 20 slots.
    const clock = new SteppedClock(Math.floor(Date.now() / 1000) * 1000);
    emulator = await TencentEmulator.start({ now: () => clock.now() });
    const env = envFor(emulator.url);
    const spec = parseSpec(SPEC, 'spec.yaml', {});
    const responses: ResponseEvent[] = [];
    const providers = await Promise.all(
      targetsToOpen(['gz-a', 'gz-b'], spec).map((t) => {
        const o = targetOptions(t, env);
        return createPolybus({
          ...o,
          clock,
          transportOptions: {
            ...o.transportOptions,
            retry: { maxAttempts: 1 }, // a throttled call fails instead of being retried away
            observers: [clock.observer, { onResponse: (e) => responses.push(e) }],
          },
        }).provider('tencent');
      }),
    );
    const started = clock.now();
    const CALLS = 25;
    const results = await Promise.allSettled(
      providers.map(async (p) => {
        for (let i = 0; i < CALLS; i++) await collect(p.buses.list({ summary: true }));
      }),
    );
    await Promise.all(providers.map((p) => p.close()));

    const throttled = responses.filter((r) => r.responseBody?.includes('RequestLimitExceeded'));
    expect(throttled).toEqual([]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const lists = emulator.received.filter((r) => r.action === 'ListEventBuses').length;
    expect(lists).toBe(2 * CALLS);
    // 50 ListEventBuses at 20/s shared: the last one goes out 49 x 50 ms after the first.
    expect(clock.now() - started).toBeGreaterThanOrEqual(49 * 50);
  }, 60_000);
});
