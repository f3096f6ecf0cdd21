// "One evaluator, proven against each translation" (STYLE.md): for every generated filter a
// provider accepts, the local evaluator and the provider's native evaluator, run on the translated
// pattern, agree on every generated event. Small value pools make prefixes and collisions common.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudEventArbitrary, filterArbitraries } from './helpers/filter-arbitraries.js';
import {
  filterFromHuaweiFilterRule,
  huaweiRouting,
  matchesHuaweiFilterRule,
  validateHuaweiFilterRule,
} from '../src/adapters/huawei/routing.js';
import { TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import {
  filterFromEventPattern,
  matchesEventPattern,
  tencentRouting,
  validateEventPattern,
} from '../src/adapters/tencent/routing.js';
import { type Filter, FilterSchema, matches } from '../src/core/model/filter.js';
import { type OfficialClient, officialTencentClient } from './helpers/tencent-official.js';

const ATTRS = ['source', 'type', 'subject', 'id', 'region', 'data.a', 'data.b', 'data.c.d'] as const;
const { word, filter } = filterArbitraries({
  attrs: ATTRS,
  units: ['a', 'b', '.'],
});

/** Half the filters carry an exact source (Huawei requires one), half are free. */
const routed = fc.oneof(
  filter,
  fc.tuple(word, filter).map(([s, f]): Filter => ({ all: [{ exact: { source: s } }, f] })),
);

const event = cloudEventArbitrary(word);

const RUNS = 400;

describe('translations preserve meaning (fast-check)', () => {
  it('generated filters are valid neutral filters', () => {
    fc.assert(
      fc.property(routed, (f) => FilterSchema.safeParse(f).success),
      { numRuns: 100 },
    );
  });

  it('Tencent: every accepted filter becomes a valid EventPattern that matches exactly the same events', () => {
    let accepted = 0;
    fc.assert(
      fc.property(routed, fc.array(event, { minLength: 10, maxLength: 10 }), (f, events) => {
        const t = tencentRouting.translateFilter(f);
        if (!t.ok) return true;
        accepted++;
        expect(validateEventPattern(t.native)).toEqual([]);
        // What polybus writes it reads back to a filter with the same meaning.
        const back = filterFromEventPattern(t.native);
        expect(back).toBeDefined();
        for (const e of events) {
          expect(matchesEventPattern(t.native, e).matched, JSON.stringify({ f, e, p: t.native })).toBe(
            matches(f, e).matched,
          );
          expect(matches(back!, e).matched).toBe(matches(f, e).matched);
        }
        return true;
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 5);
  });

  it('Huawei: every accepted filter becomes a rule within the limits that matches exactly the same events', () => {
    let accepted = 0;
    fc.assert(
      fc.property(routed, fc.array(event, { minLength: 10, maxLength: 10 }), (f, events) => {
        const t = huaweiRouting.translateFilter(f);
        if (!t.ok) return true;
        accepted++;
        expect(validateHuaweiFilterRule(t.native)).toEqual([]);
        const back = filterFromHuaweiFilterRule(t.native);
        expect(back).toBeDefined();
        for (const e of events) {
          expect(matchesHuaweiFilterRule(t.native, e).matched, JSON.stringify({ f, e, r: t.native })).toBe(
            matches(f, e).matched,
          );
          expect(matches(back!, e).matched).toBe(matches(f, e).matched);
        }
        return true;
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });
});

describe('the Tencent emulator agrees with the local evaluator, over the wire (CheckRule)', () => {
  let emu: TencentEmulator;
  let client: OfficialClient;
  beforeAll(async () => {
    emu = await TencentEmulator.start({ rateLimitPerSecond: 100_000 });
    client = officialTencentClient(emu.url);
  });
  afterAll(() => emu.close());

  it('CheckRule matches exactly when the neutral filter does', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(routed, fc.array(event, { minLength: 4, maxLength: 4 }), async (f, events) => {
        const t = tencentRouting.translateFilter(f);
        if (!t.ok) return true;
        for (const e of events) {
          const outcome = await client
            .request('CheckRule', { Event: JSON.stringify(e), EventPattern: JSON.stringify(t.native) })
            .then(
              () => true,
              (err: { code?: string }) =>
                err.code === 'FailedOperation.ErrorFilter' ? false : Promise.reject(err),
            );
          checked++;
          expect(outcome, JSON.stringify({ f, e })).toBe(matches(f, e).matched);
        }
        return true;
      }),
      { numRuns: 40 },
    );
    expect(checked).toBeGreaterThan(20);
  });
});
