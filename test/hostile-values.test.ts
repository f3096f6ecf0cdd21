// Issue 27, item 6: hostile values inside otherwise valid input. An own `__proto__` key (JSON.parse,
// YAML and Object.fromEntries all make one) at any depth of a spec or of library input, and a tag
// key or value with CR, LF or another control character, are refused before any request with the
// field named (InvalidArgument; exit 2 on the CLI), never dropped or sent. Loopback emulators only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolybusError, type PolybusError } from '../src/core/model/errors.js';
import { TagsSchema } from '../src/core/model/resources.js';
import { issuesOf, parseInput } from '../src/core/runtime/parse.js';
import { parseSpec } from '../src/core/spec/load.js';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { createPolybus, type ProviderName, providerNames } from '../src/sdk/create.js';
import { plan } from '../src/sdk/provision.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-hostile-values-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const HEAD = 'version: 1\ntargets: [{provider: tencent}, {provider: aws}]\n';
/** Every bundled provider: the next one is covered without an edit here. */
const PROVIDERS = providerNames() as ProviderName[];
/** An object with an own `__proto__` key, as JSON.parse makes it. */
const proto = (json: string): Record<string, unknown> => JSON.parse(json) as Record<string, unknown>;

const invalid = (fn: () => unknown): PolybusError => {
  try {
    fn();
  } catch (e) {
    if (isPolybusError(e) && e.code === 'InvalidArgument') return e;
    throw e;
  }
  throw new Error('expected InvalidArgument');
};

describe('__proto__ at any depth of a spec is refused with its field and line', () => {
  const cases: [string, string, string][] = [
    ['tags', 'buses:\n  - name: b\n    tags: {__proto__: x, team: a}\n', 'buses.0.tags.__proto__'],
    [
      'overrides',
      'buses:\n  - name: b\n    overrides:\n      aws: {__proto__: {description: x}}\n',
      'buses.0.overrides.aws.__proto__',
    ],
    [
      'extensions',
      'buses:\n  - name: b\n    extensions: {tencent: {__proto__: {EnableStore: true}}}\n',
      'buses.0.extensions.tencent.__proto__',
    ],
    [
      'a filter',
      'buses: [{name: b}]\nintegrations:\n  - name: r\n    bus: b\n    filter: {exact: {__proto__: x}}\n',
      'integrations.0.filter.exact.__proto__',
    ],
    ['an item', 'buses:\n  - name: b\n    __proto__: {retentionDays: 3}\n', 'buses.0.__proto__'],
    ['the top level', '__proto__: {x: 1}\n', '__proto__'],
  ];
  for (const [where, body, field] of cases)
    it(`in ${where} (YAML)`, () => {
      const err = invalid(() => parseSpec(HEAD + body, 's.yaml', {}));
      expect(err.issues).toEqual([
        expect.objectContaining({
          field,
          rule: expect.stringContaining('not accepted as a key'),
          location: expect.stringMatching(/^s\.yaml:\d+$/),
        }),
      ]);
    });

  it('in a JSON spec text and in a spec object given to plan() from code', async () => {
    const text = `{"version": 1, "targets": [{"provider": "aws"}], "buses": [{"name": "b", "tags": {"__proto__": "x"}}]}`;
    expect(invalid(() => parseSpec(text, 's.json', {})).issues).toEqual([
      expect.objectContaining({ field: 'buses.0.tags.__proto__' }),
    ]);
    await expect(plan(JSON.parse(text) as never, { env: {} })).rejects.toMatchObject({
      code: 'InvalidArgument',
      issues: [expect.objectContaining({ field: 'buses.0.tags.__proto__' })],
    });
  });
});

describe('__proto__ and control characters in library input (src/core/runtime/parse.ts)', () => {
  it('parseInput and issuesOf name a __proto__ key at any depth; zod alone would drop it', () => {
    expect(TagsSchema.parse(proto('{"__proto__": "x", "a": "b"}'))).toEqual({ a: 'b' }); // zod drops it
    const err = invalid(() => parseInput(TagsSchema, proto('{"__proto__": "x", "a": "b"}'), 'p', 'op'));
    expect(err.issues).toEqual([{ field: '__proto__', rule: expect.stringContaining('__proto__') }]);
    expect(issuesOf(TagsSchema.array(), [{}, proto('{"k": {"__proto__": {}}}')])).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: '1.k.__proto__' })]),
    );
  });

  it('a tag key or value with CR, LF, tab or NUL is refused; the field is printed escaped', () => {
    for (const [tags, field] of [
      [{ 'a\r\nb': 'v' }, 'a\\r\\nb'],
      [{ k: 'v\r\nX-Injected: 1' }, 'k'],
      [{ k: 'tab\there' }, 'k'],
      [{ 'nul\u0000': 'v' }, 'nul\\u0000'],
      [{ k: 'line\u2028sep' }, 'k'],
    ] as const) {
      const err = invalid(() => parseInput(TagsSchema, tags, 'p', 'op'));
      expect(err.issues).toEqual([
        { field, rule: expect.stringMatching(/tag (keys|values) must not contain control characters/) },
      ]);
      expect(err.message).not.toMatch(/\p{Cc}/u);
    }
    expect(TagsSchema.parse({ 'team:a b': 'x y/z+=@' })).toEqual({ 'team:a b': 'x y/z+=@' });
  });
});

describe('through each provider and the CLI: refused before any request', () => {
  let emus: RunningEmulators;
  const total = () =>
    Object.values(emus.started)
      .map((s) => s.instance as { requestCounts: Map<string, number> })
      .reduce((n, e) => n + [...e.requestCounts.values()].reduce((a, b) => a + b, 0), 0);
  beforeAll(async () => {
    emus = await startEmulators();
  });
  afterAll(() => emus.close());

  /** What a create or update with these tags must end in: refused naming a tags field, nothing sent. */
  async function refused(
    provider: string,
    call: () => Promise<unknown>,
    fieldPrefix: string,
  ): Promise<string[]> {
    const before = total();
    const err = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    const sent = total() - before;
    const problems: string[] = [];
    if (sent) problems.push(`${provider}: ${sent} request(s) sent`);
    if (!isPolybusError(err)) problems.push(`${provider}: ${err === undefined ? 'accepted' : String(err)}`);
    else if (err.code === 'Unsupported' && /tags/.test(err.message))
      return problems; // a kind that carries no tags (Huawei EventGrid; Azure event subscriptions): refused, nothing sent
    else if (err.code !== 'InvalidArgument' || !err.issues?.some((i) => i.field.startsWith(fieldPrefix)))
      problems.push(`${provider}: ${err.code} ${err.message}`);
    return problems;
  }

  it('library: tags with CR/LF and __proto__ keys, on create and update of buses and integrations', async () => {
    const polybus = createPolybus({ env: emus.env });
    const problems: string[] = [];
    const hostileTags: [Record<string, string>, string][] = [
      [{ 'team\r\nX-Injected': 'a' }, 'tags.team'],
      [{ team: 'a\r\nX-Injected: 1' }, 'tags.team'],
      [proto('{"__proto__": "x", "team": "a"}') as Record<string, string>, 'tags.__proto__'],
    ];
    for (const p of PROVIDERS) {
      const provider = await polybus.provider(p);
      const busId = p === 'tencent' ? 'eb-x' : 'bus-x';
      for (const [tags, field] of hostileTags) {
        problems.push(
          ...(await refused(p, () => provider.buses.create({ name: 'hostile-tags', tags }), field)),
          ...(await refused(p, () => provider.buses.update(busId, { tags }), field)),
          ...(await refused(
            p,
            () =>
              provider.integrations.create({
                name: 'hostile-tags',
                bus: busId,
                filter: { source: 'aws.partner/x.example/y' },
                tags,
              }),
            field,
          )),
        );
      }
      // __proto__ deeper in: extensions and a filter
      problems.push(
        ...(await refused(
          p,
          () =>
            provider.buses.create({
              name: 'hostile-ext',
              extensions: proto(`{"${p}": {"__proto__": {"x": 1}}}`) as never,
            }),
          `extensions.${p}.__proto__`,
        )),
        ...(await refused(
          p,
          () =>
            provider.integrations.create({
              name: 'hostile-filter',
              bus: busId,
              filter: proto('{"exact": {"__proto__": "x"}}') as never,
            }),
          'filter.exact.__proto__',
        )),
      );
      await provider.close();
    }
    await polybus.close();
    expect(problems).toEqual([]);
  }, 60_000);

  it('CLI: --tag with __proto__ or CR/LF, and a spec holding either, are usage errors (exit 2) naming the field', async () => {
    const crlfSpec = file(
      'crlf.yaml',
      `${HEAD}buses:\n  - name: b\n    tags: {team: "a\\r\\nX-Injected: 1"}\n`,
    );
    const protoSpec = file('proto.yaml', `${HEAD}buses:\n  - name: b\n    tags: {__proto__: x}\n`);
    const protoInput = file('proto-input.json', '{"name": "b", "tags": {"__proto__": "x"}}');
    const runs: [string[], string][] = [
      [
        ['buses', 'create', '-p', 'tencent', '--name', 'b', '--tag', '__proto__=x', '--json'],
        'tags.__proto__',
      ],
      [
        ['buses', 'create', '-p', 'tencent', '--name', 'b', '--tag', 'team=a\r\nX-Injected: 1', '--json'],
        'tags.team',
      ],
      [['buses', 'create', '-p', 'aws', '--name', 'b', '--tag', 'te\nam=a', '--json'], 'tags.te\\nam'],
      [['buses', 'create', '-p', 'tencent', '--input', protoInput, '--json'], 'tags.__proto__'],
      [['plan', '-f', crlfSpec, '--json'], 'buses.0.tags.team'],
      [['plan', '-f', protoSpec, '--json'], 'buses.0.tags.__proto__'],
    ];
    const before = total();
    const results = await Promise.all(runs.map(([args]) => runCli(args, emus.env)));
    const problems: string[] = [];
    results.forEach((r, i) => {
      const [args, field] = runs[i]!;
      const error = (JSON.parse(r.stdout || '{}') as { error?: PolybusError }).error;
      if (
        r.code !== 2 ||
        error?.code !== 'InvalidArgument' ||
        !error.issues?.some((x) => x.field.startsWith(field))
      )
        problems.push(`${args.join(' ')}: exit ${r.code} ${r.stdout}${r.stderr}`);
    });
    expect(problems).toEqual([]);
    expect(total() - before).toBe(0);
  }, 60_000);
});
