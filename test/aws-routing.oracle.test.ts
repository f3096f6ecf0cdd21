// The AWS translation judged by code nobody here wrote: the event pattern matcher inside the npm
// package serverless-offline-aws-eventbridge (a devDependency, test oracle only). For every
// generated filter whose translation lies inside what that matcher implements, it and the neutral
// evaluator decide each generated event the same way. Where it departs from the EventBridge User
// Guide, the Guide decides: each such case is named below, with what the oracle answers, what the
// Guide says, and what polybus's evaluator answers.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterArbitraries } from './helpers/filter-arbitraries.js';
import { type EventPattern, matchesEventPattern } from '../src/adapters/aws/pattern.js';
import { eventBridgeEventOf, eventPatternFromFilter } from '../src/adapters/aws/pattern-translate.js';
import { matches } from '../src/core/model/filter.js';

interface OraclePlugin {
  verifyIsSubscribed(
    subscriber: { event: { pattern: EventPattern } },
    entry: Record<string, unknown>,
  ): boolean;
}
// A CommonJS module without types: its prototype's matcher is called on a bare instance (no
// config, so it logs nothing); nothing of the plugin's server or Serverless runs.
const Plugin = createRequire(import.meta.url)('serverless-offline-aws-eventbridge') as {
  prototype: OraclePlugin;
};
const oracle = Object.create(Plugin.prototype) as OraclePlugin;

/** The oracle's answer for a PutEvents entry as `publish` builds it from a CloudEvent. */
function oracleMatches(pattern: EventPattern, ce: Record<string, unknown>): boolean | 'throws' {
  const entry = {
    Source: ce.source,
    DetailType: ce.type,
    Detail: JSON.stringify(ce.data ?? {}),
    ...(typeof ce.subject === 'string' && ce.subject ? { Resources: [ce.subject] } : {}),
  };
  try {
    return oracle.verifyIsSubscribed({ event: { pattern } }, entry);
  } catch (err) {
    // prefix/suffix on a value that is not a string: the oracle calls value.startsWith (named case)
    if (err instanceof TypeError) return 'throws';
    throw err;
  }
}

/**
 * What the oracle implements: `source`, `detail-type` and `detail` fields (no `resources`), no
 * top-level `$or`, no anything-but with an operator operand, and no anything-but on a field an
 * event may lack (the named cases below).
 */
function inOracleDomain(p: EventPattern): boolean {
  if ('$or' in p || 'resources' in p) return false;
  const text = JSON.stringify(p);
  if (/"anything-but":\{/.test(text)) return false;
  return !JSON.stringify(p.detail ?? {}).includes('anything-but');
}

const ATTRS = ['source', 'type', 'data.a', 'data.b', 'data.c.d'] as const;
const { word, filter, nonEmptyWord } = filterArbitraries({
  attrs: ATTRS,
  units: ['a', 'b', '.'],
  maxDepth: 2,
});
const dataValue = fc.oneof(word, fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.constant(null));
const cloudEvent = fc.record({
  specversion: fc.constant('1.0'),
  id: word,
  source: word,
  // The oracle skips the detail-type check for an empty DetailType (PutEvents refuses one anyway).
  type: nonEmptyWord,
  data: fc.record(
    {
      a: dataValue,
      b: fc.oneof(dataValue, fc.array(word, { maxLength: 3 })),
      c: fc.record({ d: dataValue }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  ),
});

describe('the EventBridge translation against an independent matcher (serverless-offline-aws-eventbridge)', () => {
  it('agrees with the neutral evaluator on every generated case inside the oracle’s domain', () => {
    let judged = 0;
    fc.assert(
      fc.property(filter, fc.array(cloudEvent, { minLength: 1, maxLength: 6 }), (f, events) => {
        const t = eventPatternFromFilter(f);
        if (!t.ok || !inOracleDomain(t.native)) return;
        for (const e of events) {
          const answer = oracleMatches(t.native, e);
          if (answer === 'throws') continue;
          judged++;
          expect([f, e, answer]).toEqual([f, e, matches(f, e).matched]);
        }
      }),
      { numRuns: 600 },
    );
    expect(judged).toBeGreaterThan(500);
  });

  // Each case: the oracle's answer, then the Guide's (which polybus's evaluator gives).
  const cases: {
    name: string;
    pattern: EventPattern;
    event: Record<string, unknown>;
    oracle: boolean | 'throws';
    guide: boolean;
  }[] = [
    {
      name: 'prefix on a number: the Guide says prefix matches string values only (no match); the oracle throws (value.startsWith)',
      pattern: { detail: { b: [{ prefix: 'a' }] } },
      event: { specversion: '1.0', id: '1', source: 's', type: 't', data: { b: 0 } },
      oracle: 'throws',
      guide: false,
    },
    {
      name: 'top-level $or: the Guide matches when one alternative matches; the oracle ignores a top-level $or and matches everything',
      pattern: { $or: [{ source: ['shop'] }, { detail: { channel: ['web'] } }] },
      event: { specversion: '1.0', id: '1', source: 'crm', type: 't', data: { channel: 'app' } },
      oracle: true,
      guide: false,
    },
    {
      name: 'anything-but {prefix}: the Guide excludes values with the prefix; the oracle compares the operator object as a value and matches',
      pattern: { source: [{ 'anything-but': { prefix: 'shop.' } }] },
      event: { specversion: '1.0', id: '1', source: 'shop.eu', type: 't', data: {} },
      oracle: true,
      guide: false,
    },
    {
      name: 'anything-but on an absent field: the Guide needs every named field present (only exists: false matches an absent one); the oracle matches',
      pattern: { detail: { test: [{ 'anything-but': 'yes' }] } },
      event: { specversion: '1.0', id: '1', source: 's', type: 't', data: {} },
      oracle: true,
      guide: false,
    },
    {
      name: 'resources: the Guide matches the event’s resources array; the oracle does not read resources and matches everything',
      pattern: { resources: ['order-1'] },
      event: { specversion: '1.0', id: '1', source: 's', type: 't', subject: 'order-2', data: {} },
      oracle: true,
      guide: false,
    },
  ];
  for (const c of cases)
    it(`named disagreement, the Guide decides: ${c.name}`, () => {
      expect(oracleMatches(c.pattern, c.event)).toBe(c.oracle);
      expect(matchesEventPattern(c.pattern, eventBridgeEventOf(c.event)).matched).toBe(c.guide);
    });
});
