// One evaluator, proven against each translation: for every generated neutral filter the Azure
// translator accepts, the neutral evaluator and Event Grid's (the emulator's advanced-filter
// evaluator, case-insensitive as documented) agree on every generated event, case variants
// included; and the filter read back from the translation means the same. Small value pools with
// cased and caseless characters make prefixes, collisions and case differences common.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloudEventArbitrary, filterArbitraries } from './helpers/filter-arbitraries.js';
import { matchesAzureFilter, validateAzureFilter } from '../src/adapters/azure/filter.js';
import {
  azureFilterFromFilter,
  azureRouteFromNeutral,
  filterFromAzureFilter,
} from '../src/adapters/azure/routing.js';
import { type Filter, matches } from '../src/core/model/filter.js';

const ATTRS = ['source', 'type', 'subject', 'id', 'region', 'data.a', 'data.b', 'data.c.d'] as const;
const { word, filter } = filterArbitraries({
  attrs: ATTRS,
  units: ['a', 'A', '1', '.', '/'],
});

const event = cloudEventArbitrary(word);

const RUNS = 600;

describe('azure: translations preserve meaning (fast-check)', () => {
  it('an accepted filter routes exactly as the neutral one, case variants included', () => {
    let accepted = 0;
    fc.assert(
      fc.property(filter, fc.array(event, { minLength: 1, maxLength: 12 }), (f, events) => {
        const t = azureFilterFromFilter(f);
        if (!t.ok) return;
        accepted++;
        expect(validateAzureFilter(t.native)).toEqual([]);
        for (const e of events) expect(matchesAzureFilter(t.native, e).matched).toBe(matches(f, e).matched);
      }),
      { numRuns: RUNS },
    );
    // The property must not hold vacuously: a good share of the filters translate.
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  it('the neutral filter read back from a translation means the same', () => {
    fc.assert(
      fc.property(filter, fc.array(event, { minLength: 1, maxLength: 8 }), (f, events) => {
        const t = azureFilterFromFilter(f);
        if (!t.ok) return;
        const back = filterFromAzureFilter(t.native);
        expect(back).toBeDefined();
        for (const e of events) expect(matches(back!, e).matched).toBe(matches(f, e).matched);
      }),
      { numRuns: RUNS },
    );
  });

  it('refusals name the rule: case, not on an optional attribute, alternatives across keys', () => {
    const reasons = (f: Filter) => {
      const t = azureFilterFromFilter(f);
      return t.ok ? [] : t.reasons.join('\n');
    };
    expect(reasons({ exact: { type: 'Order.Created' } })).toMatch(/not case-sensitive/);
    expect(reasons({ not: { exact: { 'data.a': '1' } } })).toMatch(/which an event may lack/);
    expect(reasons({ any: [{ exact: { type: '1' } }, { exact: { source: '1' } }] })).toMatch(/across keys/);
    // A subject prefix is made exact with isSubjectCaseSensitive.
    expect(azureFilterFromFilter({ prefix: { subject: 'Orders/' } })).toEqual({
      ok: true,
      native: { subjectBeginsWith: 'Orders/', isSubjectCaseSensitive: true },
    });
  });

  it('caseInsensitiveMatch: accept translates cased values, and Event Grid then ignores case (the documented widening)', () => {
    const t = azureFilterFromFilter({ exact: { type: 'Order.Created' } }, 'accept');
    expect(t).toEqual({ ok: true, native: { includedEventTypes: ['Order.Created'] } });
    const e = { specversion: '1.0', id: '1', source: 's', type: 'order.created' };
    expect(matches({ exact: { type: 'Order.Created' } }, e).matched).toBe(false);
    expect(matchesAzureFilter(t.ok ? t.native : {}, e).matched).toBe(true);
  });

  it('targets and delivery: one WebHook with retries + 1 attempts; what has no Azure form is refused', () => {
    expect(
      azureRouteFromNeutral([{ kind: 'http', url: 'https://h.example/x' }], { retry: { maxAttempts: 3 } }),
    ).toEqual({
      ok: true,
      native: {
        destination: {
          endpointType: 'WebHook',
          properties: {
            endpointUrl: 'https://h.example/x',
            maxEventsPerBatch: 1,
            preferredBatchSizeInKilobytes: 64,
          },
        },
        retryPolicy: { maxDeliveryAttempts: 4, eventTimeToLiveInMinutes: 1440 },
      },
    });
    const refusedAll = azureRouteFromNeutral(
      [
        { kind: 'http', url: 'https://h.example/x' },
        { kind: 'kafka', connection: 'c', topic: 't' },
      ],
      {
        retry: { maxAttempts: 30, backoff: 'fixed' },
        deadLetter: { kind: 'kafka', connection: 'c', topic: 't' },
      },
    );
    expect(refusedAll.ok).toBe(false);
    const text = refusedAll.ok ? '' : refusedAll.reasons.join('\n');
    for (const rule of [
      /at most 1 targets/,
      /no kafka destination/,
      /backoff schedule/,
      /1-30/,
      /Storage blob/,
    ])
      expect(text).toMatch(rule);
  });
});
