// The AWS translation proven as the other two are (STYLE.md "one evaluator, proven against each
// translation"): for every generated filter the EventBridge translation accepts, the neutral
// evaluator and the EventBridge pattern evaluator (the emulator's, on the translated pattern,
// over the event `publish` makes) agree on every generated event; and the pattern reads back as
// a neutral filter that decides every event the same way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterArbitraries } from './helpers/filter-arbitraries.js';
import { matchesEventPattern, validateEventPattern } from '../src/adapters/aws/pattern.js';
import {
  eventBridgeEventOf,
  eventPatternFromFilter,
  filterFromEventPattern,
} from '../src/adapters/aws/pattern-translate.js';
import { type Filter, matches } from '../src/core/model/filter.js';

const ATTRS = ['source', 'type', 'subject', 'data.a', 'data.b', 'data.c.d'] as const;
const { word, filter, nonEmptyWord } = filterArbitraries({
  attrs: ATTRS,
  units: ['a', 'b', '.'],
});

/**
 * Leaf values: strings, numbers, booleans, null, objects, absent. Arrays are left to the named
 * cases below: a neutral `not` on an array means "no element", EventBridge's anything-but "some
 * element" (docs/decisions.md, "Routes on AWS").
 */
const dataValue = fc.oneof(word, fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.constant(null));
export const cloudEvent = fc.record(
  {
    specversion: fc.constant('1.0'),
    id: word,
    source: word,
    type: word,
    subject: nonEmptyWord,
    data: fc.record(
      {
        a: dataValue,
        b: fc.oneof(dataValue, fc.array(word, { maxLength: 3 })),
        c: fc.oneof(dataValue, fc.record({ d: dataValue }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['specversion', 'id', 'source', 'type', 'data'] },
);

/** Whether a filter has a `not` over `data.b`, the field generated with array values too. */
const negatesArrayField = (f: Filter): boolean =>
  JSON.stringify(f).includes('"not"') && JSON.stringify(f).includes('data.b');

const RUNS = 500;

describe('neutral filter -> EventBridge event pattern keeps its meaning (fast-check)', () => {
  it('every accepted translation is a valid pattern and decides each event as the neutral evaluator', () => {
    let accepted = 0;
    fc.assert(
      fc.property(filter, fc.array(cloudEvent, { minLength: 1, maxLength: 6 }), (f, events) => {
        const t = eventPatternFromFilter(f);
        if (!t.ok) return;
        accepted++;
        expect(validateEventPattern(t.native)).toEqual([]);
        for (const e of events) {
          if (negatesArrayField(f) && Array.isArray((e.data as Record<string, unknown>).b)) continue;
          const want = matches(f, e).matched;
          const got = matchesEventPattern(t.native, eventBridgeEventOf(e)).matched;
          expect({ filter: f, event: e, pattern: t.native, got }).toEqual({
            filter: f,
            event: e,
            pattern: t.native,
            got: want,
          });
        }
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 3);
  });

  it('a translated pattern reads back as a neutral filter with the same decisions', () => {
    fc.assert(
      fc.property(filter, fc.array(cloudEvent, { minLength: 1, maxLength: 6 }), (f, events) => {
        const t = eventPatternFromFilter(f);
        if (!t.ok) return;
        const back = filterFromEventPattern(t.native);
        expect(back).toBeDefined();
        for (const e of events)
          expect([f, e, matches(back!, e).matched]).toEqual([f, e, matches(f, e).matched]);
      }),
      { numRuns: RUNS },
    );
  });
});
