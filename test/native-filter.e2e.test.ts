// The native filter escape hatch (issue 17 follow-up): a route whose filter the neutral language
// cannot express is exported, applied, planned and changed through extensions.<provider>.<field>
// (Tencent EventPattern, Huawei filter), losslessly, on the emulators. It never asserts on time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { openProviders } from '../src/cli/commands/provision.js';
import { translateSpec } from '../src/core/engine/migrate.js';
import { hasChanges, planChanges } from '../src/core/engine/plan/index.js';
import { parseSpec } from '../src/core/spec/load.js';
import { type Spec } from '../src/core/spec/schema.js';
import { runCli } from './helpers/cli.js';
import { loopbackAgent, officialTencentClient } from './helpers/tencent-official.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-rawfilter-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** A pattern the neutral language cannot say: `numeric` (Tencent "Event Pattern" page). */
const NUMERIC = { source: ['app.orders'], data: { total: [{ numeric: ['>', 100] }] } };
/** A rule the neutral language cannot say: NumberGreaterThan (eg-ug-018 operator table). */
const GREATER = {
  source: [{ op: 'StringIn', values: ['app.orders'] }],
  data: { total: [{ op: 'NumberGreaterThan', value: 100 }] },
};

let a: RunningEmulators;
let b: RunningEmulators;
beforeAll(async () => {
  [a, b] = await Promise.all([startEmulators(), startEmulators()]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  loopbackAgent.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const planOf = async (spec: Spec, emu: RunningEmulators) => {
  const open = await openProviders(
    spec.targets.map((t) => t.provider),
    spec,
    emu.env,
  );
  try {
    return await planChanges(spec, open.providers);
  } finally {
    await open.close();
  }
};
const integrationPlan = async (spec: Spec, emu: RunningEmulators) =>
  (await planOf(spec, emu)).items.find((i) => i.kind === 'integration')!;
const tencentPattern = (emu: RunningEmulators, name: string) =>
  JSON.parse(
    String([...emu.tencent.rules.values()].find((r) => r.RuleName === name)!.EventPattern),
  ) as unknown;
const huaweiRule = (emu: RunningEmulators, name: string) =>
  ([...emu.huawei.subscriptions.values()].find((s) => s.name === name)!.sources as { filter: unknown }[])[0]!
    .filter;

/**
 * Exports `provider` from emulator a, where route `big-orders` has only the native filter `native`
 * (in `extensions.<provider>.<field>`), checks a plan there is empty, applies the export to the
 * fresh emulator b, checks b stores the same native filter (`stored`) and plans empty too.
 * Returns the exported spec text.
 */
async function exportApplyRoundTrip(
  provider: 'tencent' | 'huawei',
  field: string,
  native: unknown,
  stored: (emu: RunningEmulators) => unknown,
): Promise<string> {
  const exported = await runCli(['export', '-p', provider], a.env);
  expect(exported.code).toBe(0);
  const spec = parseSpec(exported.stdout, 'export.yaml', {});
  const item = spec.integrations.find((i) => i.name === 'big-orders')!;
  // No neutral reading: no filter, the native one as an object.
  expect(item.filter).toBeUndefined();
  expect(item.extensions?.[provider]?.[field]).toEqual(native);
  expect(hasChanges(await planOf(spec, a))).toBe(false);

  const file = write(`${provider}-export.yaml`, exported.stdout);
  const applied = await runCli(['apply', '-f', file, '--yes'], b.env);
  expect(applied.stderr).toBe('');
  expect(applied.code).toBe(0);
  expect(stored(b)).toEqual(native); // lossless
  expect(hasChanges(await planOf(spec, b))).toBe(false);
  return exported.stdout;
}

describe('Tencent: extensions.tencent.EventPattern', () => {
  it('a numeric rule made by the official client exports, applies to a fresh emulator and plans empty on both', async () => {
    const official = officialTencentClient(a.tencent.url);
    const { EventBusId } = (await official.request('CreateEventBus', { EventBusName: 'orders-bus' })) as {
      EventBusId: string;
    };
    await official.request('CreateRule', {
      EventBusId,
      RuleName: 'big-orders',
      EventPattern: JSON.stringify(NUMERIC),
    });

    await exportApplyRoundTrip('tencent', 'EventPattern', NUMERIC, (emu) =>
      tencentPattern(emu, 'big-orders'),
    );
  });

  it('a change to the pattern plans an update of that field and applies; switching to a neutral filter and back works', async () => {
    const base = `version: 1
targets: [{ provider: tencent }]
buses: [{ name: switch-bus }]
integrations:
  - name: switch-rule
    bus: switch-bus
`;
    const native = (n: number) =>
      parseSpec(
        `${base}    extensions: { tencent: { EventPattern: ${JSON.stringify({ ...NUMERIC, data: { total: [{ numeric: ['>', n] }] } })} } }\n`,
        'n.yaml',
        {},
      );
    expect(
      (
        await runCli(
          [
            'apply',
            '-f',
            write(
              'n100.yaml',
              `${base}    extensions: { tencent: { EventPattern: '${JSON.stringify(NUMERIC)}' } }\n`,
            ),
            '--yes',
          ],
          b.env,
        )
      ).code,
    ).toBe(0);
    // Written as the JSON string CreateRule takes, compared as the object it reads back as.
    expect(hasChanges(await planOf(native(100), b))).toBe(false);

    const changed = await integrationPlan(native(200), b);
    expect(changed.action).toBe('update');
    expect(changed.changes?.map((c) => c.field)).toEqual(['extensions.tencent.EventPattern']);
    const open = await openProviders(['tencent'], native(200), b.env);
    try {
      const { applyPlan } = await import('../src/core/engine/apply.js');
      const outcomes = await applyPlan(await planChanges(native(200), open.providers), open.providers);
      expect(outcomes.every((o) => o.status === 'ok' || o.status === 'unchanged')).toBe(true);
    } finally {
      await open.close();
    }
    expect(tencentPattern(b, 'switch-rule')).toEqual({
      ...NUMERIC,
      data: { total: [{ numeric: ['>', 200] }] },
    });
    expect(hasChanges(await planOf(native(200), b))).toBe(false);

    // Native -> neutral: the filter is the change, the rule's pattern becomes its translation.
    const neutral = parseSpec(`${base}    filter: { exact: { source: app.orders } }\n`, 'x.yaml', {});
    expect((await integrationPlan(neutral, b)).changes?.map((c) => c.field)).toEqual(['filter']);
    expect(
      (
        await runCli(
          [
            'apply',
            '-f',
            write('neutral.yaml', `${base}    filter: { exact: { source: app.orders } }\n`),
            '--yes',
          ],
          b.env,
        )
      ).code,
    ).toBe(0);
    expect(tencentPattern(b, 'switch-rule')).toEqual({ source: ['app.orders'] });
    expect(hasChanges(await planOf(neutral, b))).toBe(false);

    // Neutral -> native again.
    expect((await integrationPlan(native(300), b)).action).toBe('update');
    const file = write(
      'n300.yaml',
      `${base}    extensions: { tencent: { EventPattern: ${JSON.stringify({ ...NUMERIC, data: { total: [{ numeric: ['>', 300] }] } })} } }\n`,
    );
    expect((await runCli(['apply', '-f', file, '--yes'], b.env)).code).toBe(0);
    expect(hasChanges(await planOf(native(300), b))).toBe(false);
  });

  it('a native pattern the neutral language can say reads back as filter and still plans empty', async () => {
    const text = `version: 1
targets: [{ provider: tencent }]
buses: [{ name: plain-bus }]
integrations:
  - name: plain-rule
    bus: plain-bus
    extensions: { tencent: { EventPattern: { source: [app.orders], type: [{ prefix: order. }] } } }
`;
    expect((await runCli(['apply', '-f', write('plain.yaml', text), '--yes'], b.env)).code).toBe(0);
    expect(hasChanges(await planOf(parseSpec(text, 'plain.yaml', {}), b))).toBe(false);
    const got = await runCli(['integrations', 'list', '-p', 'tencent', '--json'], b.env);
    const rule = (JSON.parse(got.stdout) as { name: string; filter?: unknown; extensions?: unknown }[]).find(
      (r) => r.name === 'plain-rule',
    )!;
    expect(rule.filter).toEqual({
      all: [{ exact: { source: 'app.orders' } }, { prefix: { type: 'order.' } }],
    });
  });
});

describe('Huawei: extensions.huawei.filter', () => {
  it('a NumberGreaterThan subscription made natively exports, applies to a fresh emulator and plans empty', async () => {
    const call = async (action: string, input: unknown) => {
      const r = await runCli(
        ['call', 'huawei', action, '--input', write(`${action}.json`, JSON.stringify(input))],
        a.env,
      );
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as { id: string };
    };
    const channel = await call('CreateChannel', { name: 'orders-channel' });
    await call('CreateSubscription', {
      name: 'big-orders',
      channel_id: channel.id,
      sources: [{ id: 's1', name: 'app.orders', provider_type: 'CUSTOM', filter: GREATER }],
      targets: [
        {
          id: 't1',
          name: 'HTTPS',
          provider_type: 'CUSTOM',
          detail: { url: 'https://example.com/hook' },
          transform: { type: 'ORIGINAL' },
        },
      ],
    });

    const exported = await exportApplyRoundTrip('huawei', 'filter', GREATER, (emu) =>
      huaweiRule(emu, 'big-orders'),
    );

    // A change to the native rule plans an update of that field, applies, and converges.
    const changedRule = { ...GREATER, data: { total: [{ op: 'NumberGreaterThan', value: 500 }] } };
    const changed = parseSpec(exported.replace(/value: 100/, 'value: 500'), 'changed.yaml', {});
    expect(changed.integrations[0]!.extensions?.huawei?.filter).toEqual(changedRule);
    const plan = await integrationPlan(changed, b);
    expect(plan.action).toBe('update');
    expect(plan.changes?.map((c) => c.field)).toEqual(['extensions.huawei.filter']);
    const changedFile = write('huawei-changed.yaml', exported.replace(/value: 100/, 'value: 500'));
    expect((await runCli(['apply', '-f', changedFile, '--yes'], b.env)).code).toBe(0);
    expect(huaweiRule(b, 'big-orders')).toEqual(changedRule);
    expect(hasChanges(await planOf(changed, b))).toBe(false);
  });
});

describe('ordering', () => {
  it('Huawei: a route with a native rule waits for the spec source its StringIn source names, as a neutral one does', async () => {
    const spec = parseSpec(
      `version: 1
targets: [{ provider: huawei }]
buses: [{ name: o-bus }]
sources: [{ name: app.orders, bus: o-bus }]
integrations:
  - name: o-sub
    bus: o-bus
    targets: [{ kind: http, url: "https://example.com/hook" }]
    extensions: { huawei: { filter: ${JSON.stringify(GREATER)} } }
`,
      'o.yaml',
      {},
    );
    const sub = await integrationPlan(spec, b);
    expect(sub.action).toBe('create');
    expect(sub.dependsOn).toEqual(['huawei/bus/o-bus', 'huawei/source/o-bus/app.orders']);
  });
});

describe('one item on two providers', () => {
  it('a neutral filter for one and, by override, the native filter for the other validates and plans on both', async () => {
    const text = `version: 1
targets: [{ provider: tencent }, { provider: huawei }]
buses: [{ name: two-bus }]
integrations:
  - name: two-route
    bus: two-bus
    filter: { exact: { source: app.orders } }
    targets: [{ kind: http, url: "https://example.com/hook" }]
    overrides:
      tencent:
        filter: null
        targets: null
        extensions: { tencent: { EventPattern: ${JSON.stringify(NUMERIC)} } }
`;
    const r = await runCli(['apply', '-f', write('two.yaml', text), '--yes'], b.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(tencentPattern(b, 'two-route')).toEqual(NUMERIC);
    expect(huaweiRule(b, 'two-route')).toEqual({ source: [{ op: 'StringIn', values: ['app.orders'] }] });
    expect(hasChanges(await planOf(parseSpec(text, 'two.yaml', {}), b))).toBe(false);
  });
});

describe('validation before any request (exit 2)', () => {
  const spec = (extensions: string, filter = '') => `version: 1
targets: [{ provider: tencent }, { provider: huawei }]
buses: [{ name: v-bus }]
integrations:
  - name: v-rule
    bus: v-bus
    targets: [{ kind: http, url: "https://example.com/hook" }]
    providers: [tencent]
${filter}    extensions: ${extensions}
`;
  const counts = (emu: RunningEmulators) =>
    JSON.stringify([...emu.tencent.requestCounts, ...emu.huawei.requestCounts]);
  const planIssues = async (text: string, name: string) => {
    const before = counts(b);
    const r = await runCli(['plan', '-f', write(name, text), '--json'], b.env);
    expect(r.code).toBe(2);
    expect(counts(b)).toBe(before); // nothing was sent
    return (JSON.parse(r.stdout) as { error: { issues: { field: string; rule: string }[] } }).error.issues;
  };

  it('both filter and extensions.tencent.EventPattern: one issue naming both', async () => {
    const issues = await planIssues(
      spec(
        `{ tencent: { EventPattern: ${JSON.stringify(NUMERIC)} } }`,
        '    filter: { source: app.orders }\n',
      ),
      'both.yaml',
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        field: 'integrations.0.filter',
        rule: expect.stringMatching(/^tencent: filter and extensions\.tencent\.EventPattern are both given/),
      }),
    );
  });

  it('Huawei: both filter and extensions.huawei.filter, and neither, name the fields', async () => {
    const huawei = (text: string) => text.replace('providers: [tencent]', 'providers: [huawei]');
    const both = await planIssues(
      huawei(
        spec(`{ huawei: { filter: ${JSON.stringify(GREATER)} } }`, '    filter: { source: app.orders }\n'),
      ),
      'huawei-both.yaml',
    );
    expect(both).toContainEqual(
      expect.objectContaining({
        field: 'integrations.0.filter',
        rule: expect.stringMatching(/^huawei: filter and extensions\.huawei\.filter are both given/),
      }),
    );
    const neither = await planIssues(huawei(spec('{ huawei: { targets: [] } }')), 'huawei-neither.yaml');
    expect(neither).toContainEqual(
      expect.objectContaining({
        field: 'integrations.0.filter',
        rule: expect.stringMatching(
          /^huawei: filter is required: .*the native huawei filter in extensions\.huawei\.filter/,
        ),
      }),
    );
  });

  it('a spec integration with no filter and no extensions at all is refused when the spec is read', () => {
    expect(() =>
      parseSpec(
        'version: 1\ntargets: [{ provider: tencent }]\nbuses: [{ name: x }]\nintegrations: [{ name: r, bus: x }]\n',
        's.yaml',
        {},
      ),
    ).toThrow(/integrations\.0\.filter: filter is required: .*native filter in extensions\.<provider>/);
  });

  it('library: create and update refuse both filters (and create refuses neither) before any request', async () => {
    const open = await openProviders(['tencent', 'huawei'], undefined, b.env);
    try {
      const before = counts(b);
      const both = {
        filter: { source: 'app.orders' },
        extensions: { tencent: { EventPattern: NUMERIC }, huawei: { filter: GREATER } },
      };
      for (const p of ['tencent', 'huawei'] as const) {
        const api = open.providers[p]!.integrations;
        await expect(api.update(p === 'tencent' ? 'eb-1/rule-1' : 'sub-1', both)).rejects.toMatchObject({
          code: 'InvalidArgument',
          message: expect.stringMatching(/filter and extensions\.\w+\.\w+ are both given/),
        });
        await expect(
          api.create({ name: 'x1', bus: 'eb-1', targets: [{ kind: 'http', url: 'https://example.com/h' }] }),
        ).rejects.toMatchObject({
          code: 'InvalidArgument',
          message: expect.stringContaining('filter is required'),
        });
      }
      expect(counts(b)).toBe(before);
    } finally {
      await open.close();
    }
  });

  it('neither: the filter is required, naming the native alternative', async () => {
    const issues = await planIssues(spec('{ tencent: { Enable: true } }'), 'neither.yaml');
    expect(issues).toContainEqual(
      expect.objectContaining({
        field: 'integrations.0.filter',
        rule: expect.stringMatching(/filter is required: .*extensions\.tencent\.EventPattern/),
      }),
    );
  });

  it('a malformed EventPattern: not JSON, empty, an undocumented matcher (Event Pattern page rules)', async () => {
    const rules = async (pattern: string, name: string) =>
      (await planIssues(spec(`{ tencent: { EventPattern: ${pattern} } }`), name))
        .filter((i) => i.field === 'integrations.0.extensions.tencent.EventPattern')
        .map((i) => i.rule);
    expect(await rules(`'{"source": ['`, 'bad-json.yaml')).toEqual([
      expect.stringMatching(/^tencent: EventPattern is not valid JSON/),
    ]);
    expect(await rules('{}', 'empty.yaml')).toEqual([
      expect.stringMatching(/EventPattern must not be empty/),
    ]);
    expect(await rules('[1]', 'array.yaml')).toEqual([
      expect.stringMatching(/EventPattern must be a JSON object shaped like the event/),
    ]);
    expect(await rules('{ data: { total: [{ between: [1, 2] }] } }', 'matcher.yaml')).toEqual([
      expect.stringMatching(/EventPattern data\.total: unknown matcher `between`/),
    ]);
    expect(await rules("{ data: { total: [{ numeric: ['>'] }] } }", 'numeric.yaml')).toEqual([
      expect.stringMatching(/numeric takes operator\/number pairs/),
    ]);
  });

  it('a malformed Huawei rule names the eg-ug-018 rule (source StringIn only, operator values)', async () => {
    const text = spec(
      `{ huawei: { filter: { source: [{ op: StringStartsWith, values: [app.] }], data: { total: [{ op: NumberGreaterThan, values: [1] }] } } } }`,
    ).replace('providers: [tencent]', 'providers: [huawei]');
    const issues = (await planIssues(text, 'huawei-bad.yaml')).filter(
      (i) => i.field === 'integrations.0.extensions.huawei.filter',
    );
    expect(issues.map((i) => i.rule)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/filter\.source supports only the StringIn operator/),
        expect.stringMatching(/NumberGreaterThan takes value: a Number/),
      ]),
    );
  });
});

describe('migration', () => {
  it('a native Tencent filter cannot move to Huawei: the item needs input, saying why', async () => {
    const spec = parseSpec(
      `version: 1
targets: [{ provider: tencent }]
buses: [{ name: m-bus }]
integrations:
  - name: m-rule
    bus: m-bus
    targets: [{ kind: function, function: "qcs::scf:ap-guangzhou:uin/1:namespace/default/function/f" }]
    extensions: { tencent: { EventPattern: ${JSON.stringify(NUMERIC)} } }
`,
      'm.yaml',
      {},
    );
    const open = await openProviders(['huawei'], undefined, a.env);
    try {
      const m = translateSpec(spec, 'tencent', open.providers.huawei!);
      const row = m.rows.find((r) => r.kind === 'integration')!;
      expect(row.outcome).toBe('needs-input');
      expect(row.details).toContainEqual(
        expect.stringMatching(/only the native tencent filter .*cannot move to huawei/),
      );
      expect(m.spec.integrations).toEqual([]);
    } finally {
      await open.close();
    }
  });
});

describe('polybus filter test on a native filter', () => {
  const specFile = () =>
    write(
      'ft.yaml',
      `version: 1
targets: [{ provider: tencent }, { provider: huawei }]
buses: [{ name: ft-bus }]
integrations:
  - name: tencent-only
    bus: ft-bus
    providers: [tencent]
    extensions: { tencent: { EventPattern: '${JSON.stringify(NUMERIC)}' } }
  - name: huawei-only
    bus: ft-bus
    providers: [huawei]
    targets: [{ kind: http, url: "https://example.com/hook" }]
    extensions: { huawei: { filter: ${JSON.stringify(GREATER)} } }
  - name: bad-native
    bus: ft-bus
    providers: [tencent]
    extensions: { tencent: { EventPattern: '{"data": {"total": [{"numeric": [">"]}]}}' } }
  - name: both-native
    bus: ft-bus
    targets: [{ kind: http, url: "https://example.com/hook" }]
    extensions: { tencent: { EventPattern: ${JSON.stringify(NUMERIC)} }, huawei: { filter: ${JSON.stringify(GREATER)} } }
`,
    );
  const event = (total: number) =>
    write(
      `ev-${total}.json`,
      JSON.stringify({
        specversion: '1.0',
        id: `e${total}`,
        source: 'app.orders',
        type: 'order.created',
        data: { total },
      }),
    );

  it("evaluates it with the provider's local evaluator and says so; several native filters need --provider", async () => {
    const file = specFile();
    const hit = await runCli([
      'filter',
      'test',
      '-f',
      file,
      '-i',
      'tencent-only',
      '-e',
      event(150),
      '--json',
    ]);
    expect(hit.code).toBe(0);
    expect(JSON.parse(hit.stdout)).toMatchObject({
      matched: true,
      native: { provider: 'tencent', field: 'EventPattern' },
      note: expect.stringContaining(
        "no neutral filter: the native tencent filter extensions.tencent.EventPattern was evaluated with polybus's local tencent evaluator",
      ),
    });
    const miss = await runCli(['filter', 'test', '-f', file, '-i', 'huawei-only', '-e', event(50)]);
    expect(miss.code).toBe(1); // no match, as grep's 1
    expect(miss.stdout).toMatch(/^no match: data\.total is 50/);
    expect(miss.stdout).toContain('extensions.huawei.filter was evaluated');
    const two = await runCli(['filter', 'test', '-f', file, '-i', 'both-native', '-e', event(150)]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('only native ones (tencent, huawei): choose one with --provider');
    const chosen = await runCli([
      'filter',
      'test',
      '-f',
      file,
      '-i',
      'both-native',
      '-e',
      event(50),
      '-p',
      'huawei',
      '--json',
    ]);
    expect(JSON.parse(chosen.stdout)).toMatchObject({ matched: false, native: { provider: 'huawei' } });
    const bad = await runCli(['filter', 'test', '-f', file, '-i', 'bad-native', '-e', event(150)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'extensions.tencent.EventPattern: data.total: numeric takes operator/number pairs',
    );
    const none = await runCli([
      'filter',
      'test',
      '-f',
      file,
      '-i',
      'both-native',
      '-e',
      event(150),
      '-p',
      'aws',
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('has no neutral filter and no native one (extensions.aws.EventPattern)');
  });
});

describe('trace of a route with a native filter', () => {
  it("Tencent: the emulator evaluates the rule's native EventPattern, and trace names the condition that decided", async () => {
    const spec = write(
      'trace.yaml',
      `version: 1
targets: [{ provider: tencent }]
buses: [{ name: trace-bus }]
integrations:
  - name: trace-rule
    bus: trace-bus
    extensions: { tencent: { EventPattern: ${JSON.stringify(NUMERIC)} } }
`,
    );
    expect((await runCli(['apply', '-f', spec, '--yes'], a.env)).code).toBe(0);
    const events = write(
      'trace.ndjson',
      [150, 50]
        .map((total) =>
          JSON.stringify({
            specversion: '1.0',
            id: `t${total}`,
            source: 'app.orders',
            type: 'order.created',
            data: { total },
          }),
        )
        .join('\n'),
    );
    const r = await runCli(
      ['publish', '--provider', 'tencent', '--bus', 'trace-bus', events, '--trace'],
      a.env,
    );
    expect(r.code, r.stderr).toBe(0);
    const [first, second] = r.stdout.split(/^# line \d+ {2}id=/m).slice(1);
    expect(first).toMatch(
      /^t150\n[\s\S]*\n {2}matched +trace-rule \(rule-[^)]+\): every pattern field matches/,
    );
    expect(second).toMatch(/^t50\n[\s\S]*not matched trace-rule \(rule-[^)]+\): data\.total is 50: none of/);
  });
});
