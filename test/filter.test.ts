import { describe, expect, it } from 'vitest';
import {
  canonicalFilter,
  conjunctiveNormalForm,
  type Filter,
  FilterSchema,
  matches,
  negationNormalForm,
  normalizeFilter,
  serializeFilter,
  SpecFilterSchema,
} from '../src/core/model/filter.js';
import { issuesOf } from '../src/core/runtime/parse.js';

const event = {
  specversion: '1.0',
  id: 'e-1',
  source: 'shop/orders',
  type: 'com.shop.order.created',
  subject: 'orders/42.json',
  region: 'eu-west',
  data: { region: 'eu', tags: ['new', 'vip'], total: 42, nested: { sku: 'A-1-EU' }, none: null },
};

describe('FilterSchema: errors name the field and the rule', () => {
  const issues = (v: unknown) => issuesOf(FilterSchema, v);

  it('an unknown dialect names itself and the dialects there are', () => {
    expect(issues({ all: [{ exact: { type: 'a' } }, { contains: { type: 'b' } }] })).toEqual([
      {
        field: 'all.1.contains',
        rule: expect.stringMatching(/unknown filter dialect `contains`.*exact, prefix, suffix/),
      },
    ]);
    expect(issues({ sql: "type = 'x'" })[0]!.rule).toMatch(/CloudEvents SQL is not supported/);
  });

  it('an empty any (or all) is refused at its path', () => {
    expect(issues({ not: { any: [] } })).toEqual([{ field: 'not.any', rule: 'any must not be empty' }]);
    expect(issues({ all: [] })).toEqual([{ field: 'all', rule: 'all must not be empty' }]);
  });

  it('exact/prefix/suffix name exactly one attribute, a CloudEvents name or data.<path>', () => {
    expect(issues({ exact: { type: 'a', source: 'b' } })[0]).toMatchObject({ field: 'exact' });
    expect(issues({ prefix: { Type: 'a' } })[0]).toMatchObject({ field: 'prefix.Type' });
    expect(issues({ exact: { data: 'x' } })[0]!.rule).toMatch(/data\.<path>/);
    expect(issues({ exact: { 'data..a': 'x' } })[0]!.rule).toMatch(/not a data path/);
    expect(issues({ prefix: { type: '' } })[0]).toEqual({
      field: 'prefix.type',
      rule: 'prefix needs a non-empty string',
    });
    expect(issues({ exact: { type: 3 } })[0]!.rule).toBe('exact compares with a string');
    expect(issues({ exact: { 'data.order.id': '7' } })).toEqual([]);
  });

  it('two dialects in one object, or none, are refused', () => {
    expect(issues({ exact: { type: 'a' }, prefix: { type: 'b' } })[0]!.rule).toMatch(/exactly one dialect/);
    expect(issues({})[0]!.rule).toMatch(/empty filter expression/);
    expect(issues('type=a')[0]!.rule).toMatch(/object with one dialect/);
  });
});

describe('spec forms: filters (AND), legacy { source } shorthand, one expression', () => {
  it('legacy { source } means exact: { source }', () => {
    expect(SpecFilterSchema.parse({ source: 'shop/orders' })).toEqual({ exact: { source: 'shop/orders' } });
    expect(normalizeFilter({ source: 'x' })).toEqual({ exact: { source: 'x' } });
  });

  it('filters: [...] is an AND, canonical (sorted, flattened, unwrapped)', () => {
    const a: Filter = { exact: { type: 't' } };
    const b: Filter = { prefix: { source: 's' } };
    expect(SpecFilterSchema.parse([a, { all: [b, a] }])).toEqual({
      all: [b, a].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1)),
    });
    expect(SpecFilterSchema.parse([a])).toEqual(a);
    expect(serializeFilter({ all: [a, b] })).toBe(serializeFilter({ all: [b, { all: [a] }] }));
    expect(canonicalFilter({ not: { not: a } })).toEqual(a);
  });

  it('errors of the array form carry the index; the legacy form names source', () => {
    expect(issuesOf(SpecFilterSchema, [{ exact: { type: 'a' } }, { any: [] }])).toEqual([
      { field: '1.any', rule: 'any must not be empty' },
    ]);
    expect(issuesOf(SpecFilterSchema, [])).toEqual([{ field: '(input)', rule: 'filters must not be empty' }]);
    expect(issuesOf(SpecFilterSchema, { source: '' })[0]).toMatchObject({ field: 'source' });
  });
});

describe('matches: the local evaluator, with the deciding condition', () => {
  it('exact, prefix and suffix over context attributes, extensions and data fields', () => {
    expect(matches({ exact: { type: 'com.shop.order.created' } }, event)).toMatchObject({ matched: true });
    expect(matches({ prefix: { source: 'shop/' } }, event).matched).toBe(true);
    expect(matches({ suffix: { subject: '.json' } }, event).matched).toBe(true);
    expect(matches({ exact: { region: 'eu-west' } }, event).matched).toBe(true);
    expect(matches({ suffix: { 'data.nested.sku': '-EU' } }, event).matched).toBe(true);
    expect(matches({ exact: { type: 'com.shop.order.Created' } }, event)).toEqual({
      matched: false,
      reason: 'exact type "com.shop.order.Created" fails (type is "com.shop.order.created")',
    });
  });

  it('absent, null and non-string values never satisfy a string condition; not of them holds', () => {
    expect(matches({ exact: { 'data.missing': 'x' } }, event).reason).toMatch(/data.missing is absent/);
    expect(matches({ exact: { 'data.total': '42' } }, event).matched).toBe(false);
    expect(matches({ exact: { 'data.none': '' } }, event).matched).toBe(false);
    expect(matches({ not: { exact: { 'data.total': '42' } } }, event).matched).toBe(true);
    expect(matches({ prefix: { 'data.region.x': 'e' } }, event).matched).toBe(false);
  });

  it('an array value holds when one string element does', () => {
    expect(matches({ exact: { 'data.tags': 'vip' } }, event).matched).toBe(true);
    expect(matches({ not: { exact: { 'data.tags': 'vip' } } }, event).matched).toBe(false);
  });

  it('all reports its first failing member, any its first holding one, not wraps the reason', () => {
    const r = matches({ all: [{ prefix: { source: 'shop/' } }, { exact: { 'data.region': 'us' } }] }, event);
    expect(r).toEqual({ matched: false, reason: 'exact data.region "us" fails (data.region is "eu")' });
    const any = matches({ any: [{ exact: { type: 'x' } }, { suffix: { subject: '.json' } }] }, event);
    expect(any).toMatchObject({ matched: true, reason: expect.stringMatching(/^suffix subject/) });
    const none = matches({ any: [{ exact: { type: 'x' } }, { exact: { type: 'y' } }] }, event);
    expect(none.reason).toMatch(/^none of 2 alternatives holds/);
    expect(matches({ not: { prefix: { type: 'com.shop.internal.' } } }, event)).toMatchObject({
      matched: true,
      reason: expect.stringMatching(/^not: prefix type/),
    });
  });
});

describe('normal forms used by the translators keep the meaning', () => {
  const f: Filter = {
    not: {
      all: [{ exact: { type: 'a' } }, { any: [{ prefix: { source: 'x' } }, { suffix: { subject: 'y' } }] }],
    },
  };
  const events = [
    event,
    { ...event, type: 'a' },
    { ...event, type: 'a', source: 'xs', subject: undefined },
    { ...event, type: 'a', source: 'q', subject: 'zy' },
  ];

  it('negation normal form and CNF agree with the filter on events', () => {
    const nnf = negationNormalForm(f);
    const cnf = conjunctiveNormalForm(f);
    expect(cnf.ok).toBe(true);
    for (const e of events) {
      expect(matches(nnf, e).matched).toBe(matches(f, e).matched);
      if (!cnf.ok) continue;
      const viaCnf = cnf.cnf.every((clause) =>
        clause.some(
          (l) =>
            matches(
              l.negated
                ? { not: { [l.dialect]: { [l.attr]: l.value } } as Filter }
                : ({ [l.dialect]: { [l.attr]: l.value } } as Filter),
              e,
            ).matched,
        ),
      );
      expect(viaCnf).toBe(matches(f, e).matched);
    }
  });

  it('a CNF over the clause limit is refused, not truncated', () => {
    const wide: Filter = {
      any: Array.from({ length: 7 }, (_, i): Filter => ({
        all: [{ exact: { type: `a${i}` } }, { exact: { source: `b${i}` } }],
      })),
    };
    expect(conjunctiveNormalForm(wide)).toEqual({ ok: false, reason: expect.stringMatching(/more than 64/) });
  });
});
