// The generated neutral filters every translation's property test draws from: comparisons
// (exact, prefix, suffix) over a few attributes and small value pools, nested in all/any/not.
// Small pools make prefixes, collisions and (with cased units) case differences common.
import fc from 'fast-check';
import type { Filter } from '../../src/core/model/filter.js';

/** What a provider's property test varies: the attributes, the characters, the nesting depth. */
export interface FilterArbitraryOptions {
  attrs: readonly string[];
  /** The characters values are made of (at most 3 of them a value). */
  units: readonly string[];
  /** How deep all/any/not nest (default 3). */
  maxDepth?: number;
}

/** Values (`word`, `nonEmptyWord`), single comparisons and whole filters. */
export function filterArbitraries(o: FilterArbitraryOptions): {
  word: fc.Arbitrary<string>;
  nonEmptyWord: fc.Arbitrary<string>;
  comparison: fc.Arbitrary<Filter>;
  filter: fc.Arbitrary<Filter>;
} {
  const word = fc.string({ unit: fc.constantFrom(...o.units), maxLength: 3 });
  const nonEmptyWord = word.filter((w) => w.length > 0);
  const comparison: fc.Arbitrary<Filter> = fc
    .tuple(fc.constantFrom('exact', 'prefix', 'suffix'), fc.constantFrom(...o.attrs), nonEmptyWord, word)
    .map(([d, attr, v, e]) => ({ [d]: { [attr]: d === 'exact' ? e : v } }) as Filter);
  const { filter } = fc.letrec<{ filter: Filter }>((tie) => ({
    filter: fc.oneof(
      { maxDepth: o.maxDepth ?? 3, depthSize: 'small', withCrossShrink: true },
      comparison,
      fc.array(tie('filter'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
      fc.array(tie('filter'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
      tie('filter').map((not) => ({ not })),
    ),
  }));
  return { word, nonEmptyWord, comparison, filter };
}

/**
 * CloudEvents over the same value pool: the required attributes, subject and region, and data as
 * a string or an object whose leaves are strings, numbers, booleans, null or arrays of strings.
 */
export function cloudEventArbitrary(word: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> {
  const dataValue = fc.oneof(
    word,
    fc.integer({ min: 0, max: 3 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(word, { maxLength: 3 }),
  );
  return fc.record(
    {
      specversion: fc.constant('1.0'),
      id: word,
      source: word,
      type: word,
      subject: word,
      region: word,
      data: fc.oneof(
        word,
        fc.record(
          {
            a: dataValue,
            b: dataValue,
            c: fc.oneof(dataValue, fc.record({ d: dataValue }, { requiredKeys: [] })),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: ['specversion', 'id', 'source', 'type'] },
  );
}
