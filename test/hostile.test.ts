// Hostile input: YAML bombs, deep nesting, duplicate keys, huge strings and ids built to escape a
// URL path, through the library and the CLI of every provider. Each must end in a clear
// InvalidArgument naming the field, with no request sent (or, where the id is a valid name, the id
// escaped). Loopback emulators only; never a cloud.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { resolveProvider } from '../src/core/runtime/container.js';
import { isPolybusError, type PolybusError } from '../src/core/model/errors.js';
import type { ResourceKind } from '../src/core/model/resources.js';
import { apiOf } from '../src/core/runtime/resources.js';
import { type EventProvider } from '../src/core/contract/provider.js';
import { loadSpec, parseSpec } from '../src/core/spec/load.js';
import { MAX_SPEC_ALIASES, MAX_SPEC_BYTES, MAX_SPEC_DEPTH, parseYamlInput } from '../src/core/spec/yaml.js';
import { createPolybus } from '../src/sdk/create.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-hostile-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const HEAD = 'version: 1\ntargets: [{provider: aws}]\n';

/** The classic billion-laughs document: 9 levels of 9 aliases each (~387 million strings). */
function aliasBomb(): string {
  let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let prev = 'a';
  for (let i = 0; i < 9; i++) {
    text += `b${i}: &b${i} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = `b${i}`;
  }
  return text;
}

const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(isPolybusError(e) && e.code).toBe('InvalidArgument');
    return (e as PolybusError).issues ?? [];
  }
  throw new Error('expected InvalidArgument');
};

describe('spec loading limits (src/core/spec/yaml.ts)', () => {
  it(`an alias bomb is refused after ${MAX_SPEC_ALIASES} expansions, not expanded`, () => {
    expect(issuesOf(() => parseSpec(HEAD + aliasBomb(), 'bomb.yaml', {}))).toEqual([
      expect.objectContaining({ field: '(syntax)', rule: expect.stringContaining('alias bomb') }),
    ]);
  });
  it('a few aliases (ordinary YAML reuse) still work', () => {
    const spec = parseSpec(
      `${HEAD}buses:\n  - name: a\n    tags: &t {team: x}\n  - name: b\n    tags: *t\n`,
      's.yaml',
      {},
    );
    expect(spec.buses.map((b) => b.tags)).toEqual([{ team: 'x' }, { team: 'x' }]);
  });
  it(`nesting deeper than ${MAX_SPEC_DEPTH} is refused, flow or block, without overflowing the stack`, () => {
    for (const depth of [MAX_SPEC_DEPTH + 1, 100_000]) {
      expect(
        issuesOf(() => parseSpec(`${HEAD}x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`, 'f', {})),
      ).toEqual([
        { field: '(nesting)', rule: expect.stringContaining(String(MAX_SPEC_DEPTH)), location: 'f' },
      ]);
    }
    for (const depth of [200, 1500]) {
      let block = `${HEAD}x:\n`;
      for (let i = 1; i < depth; i++) block += `${' '.repeat(i)}k:\n`;
      expect(issuesOf(() => parseSpec(block, 'b', {}))).toEqual([
        expect.objectContaining({ field: '(nesting)' }),
      ]);
    }
    // brackets inside quotes or comments are text, not nesting
    const spec = parseSpec(
      `${HEAD}buses:\n  - name: q\n    description: "${'['.repeat(200)}" # ${'{'.repeat(200)}\n`,
      'q',
      {},
    );
    expect(spec.buses[0]?.description).toBe('['.repeat(200));
  });
  it('duplicate keys are refused with their line (YAML 1.2: map keys must be unique)', () => {
    expect(issuesOf(() => parseSpec(`${HEAD}buses: []\nbuses: []\n`, 'dup.yaml', {}))).toEqual([
      expect.objectContaining({
        field: '(syntax)',
        rule: expect.stringContaining('unique'),
        location: 'dup.yaml:4',
      }),
    ]);
  });
  it(`a text over ${MAX_SPEC_BYTES} bytes is refused by length before parsing (20 MB description)`, async () => {
    const huge = `${HEAD}buses: [{name: b, description: "${'x'.repeat(20 * 1024 * 1024)}"}]\n`;
    expect(issuesOf(() => parseSpec(huge, 'huge.yaml', {}))).toEqual([
      expect.objectContaining({ field: '(size)', rule: expect.stringContaining(String(MAX_SPEC_BYTES)) }),
    ]);
    const path = file('huge.yaml', huge);
    await expect(loadSpec(path, {})).rejects.toMatchObject({
      code: 'InvalidArgument',
      issues: [expect.objectContaining({ field: '(size)', location: path })],
    });
    expect(() => parseYamlInput(huge)).toThrow(/at most 4194304 bytes/);
  });
  it('the CLI reports each as a usage problem (exit 2, InvalidArgument), never a crash', async () => {
    const cases: [string, string, string][] = [
      ['bomb.yaml', HEAD + aliasBomb(), 'alias bomb'],
      ['deep.yaml', `${HEAD}x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, 'nests deeper'],
      ['dup.yaml', `${HEAD}buses: []\nbuses: []\n`, 'unique'],
      ['big.yaml', `${HEAD}buses: [{name: b, description: "${'x'.repeat(MAX_SPEC_BYTES)}"}]\n`, 'bytes'],
    ];
    const runs = cases.flatMap(([name, text, rule]) => {
      const path = file(`cli-${name}`, text);
      return [
        { args: ['plan', '-f', path, '--json'], rule },
        { args: ['buses', 'create', '-p', 'aws', '--input', path, '--json'], rule },
      ];
    });
    const results = await Promise.all(runs.map((r) => runCli(r.args, { AWS_REGION: 'us-east-1' })));
    results.forEach((r, i) => {
      expect(r.code, `${runs[i]!.args.join(' ')}: ${r.stderr}`).toBe(2);
      const { error } = JSON.parse(r.stdout) as { error: PolybusError };
      expect(error.code).toBe('InvalidArgument');
      expect(JSON.stringify(error.issues)).toContain(runs[i]!.rule);
    });
  });
});

/** Ids built to escape a URL path segment or smuggle a query or fragment. */
const HOSTILE = [
  '../x',
  '..',
  '.',
  'a/../../b',
  'a?b=1',
  'a#b',
  'a%2Fb',
  '%2e%2e',
  'ünï',
  'x\u0000y',
  'eb-1/../x',
];
/** Tencent child ids are `EventBusId/ChildId`: each half hostile. */
const HOSTILE_CHILD = ['eb-1/r?x', 'eb-1/%2F', 'eb-1/..', '../eb/x', 'eb-1/rule#1'];
const KINDS: [string, ResourceKind][] = [
  ['buses', 'bus'],
  ['sources', 'source'],
  ['connections', 'connection'],
  ['integrations', 'integration'],
];
const PROVIDERS = ['tencent', 'huawei', 'aws'] as const;

/**
 * AWS names may hold `/` and `.` (^[a-zA-Z0-9/._-]+$, EventBridge [/.\-_A-Za-z0-9]+): those with no
 * `.` or `..` segment between slashes are valid names, sent escaped (`a%2Fb`) and answered NotFound
 * by the service; a dot segment (`../x`, `a/./b`) is refused before any request (issue 27).
 */
const awsValidName = (kind: ResourceKind, id: string) =>
  (kind === 'integration' || kind === 'bus') &&
  /^[a-zA-Z0-9/._-]+$/.test(id) &&
  !id.split('/').some((segment) => segment === '.' || segment === '..') &&
  !(kind === 'integration' && /^\.+$/.test(id));

describe('hostile ids on every id-taking call', () => {
  let emus: RunningEmulators;
  const total = () =>
    [emus.tencent, emus.huawei, emus.aws].reduce(
      (n, e) => n + [...e.requestCounts.values()].reduce((a, b) => a + b, 0),
      0,
    );
  beforeAll(async () => {
    emus = await startEmulators();
  });
  afterAll(() => emus.close());

  /** Checks one outcome; returns a description of anything wrong. */
  function judge(
    provider: string,
    kind: ResourceKind,
    id: string,
    outcome: { error?: Partial<PolybusError>; value?: unknown },
    sent: number,
  ): string | undefined {
    const e = outcome.error;
    if (provider === 'aws' && awsValidName(kind, id)) {
      // A valid name: the request goes out with the id as one escaped path label or JSON field,
      // and the service says it does not exist (it would say NotFound for `/x` otherwise, or 404 Unknown route).
      if (e?.code === 'Unsupported' && sent === 0) return undefined;
      return e?.code === 'NotFound' && String(e.message).includes(id)
        ? undefined
        : `expected NotFound naming ${id}`;
    }
    if (sent !== 0) return `${sent} request(s) sent`;
    if (!e) return provider === 'aws' && kind === 'source' ? undefined : 'no error'; // AWS sources are references
    if (e.code === 'Unsupported') return undefined;
    if (e.code !== 'InvalidArgument') return `code ${e.code}`;
    if (!e.issues?.some((i) => i.field === 'id')) return 'no issue names the id field';
    if (e.message?.includes(id) && id.length > 2) return 'message echoes the hostile id';
    return undefined;
  }

  it('library: get, update and delete refuse them before any request', async () => {
    const container = createPolybus({ env: emus.env });
    const problems: string[] = [];
    for (const p of PROVIDERS) {
      const provider: EventProvider = await resolveProvider(container, p);
      for (const [, kind] of KINDS) {
        const api = apiOf(provider, kind);
        const ids = p === 'tencent' && kind !== 'bus' ? [...HOSTILE, ...HOSTILE_CHILD] : HOSTILE;
        for (const op of ['get', 'update', 'delete'] as const) {
          for (const id of ids) {
            const before = total();
            const outcome: { value?: unknown; error?: PolybusError } = await (
              op === 'get'
                ? api.get(id)
                : op === 'update'
                  ? api.update(id, { description: 'x' })
                  : api.delete(id)
            ).then(
              (value: unknown) => ({ value }),
              (error: PolybusError) => ({ error }),
            );
            if (outcome.error) expect(isPolybusError(outcome.error)).toBe(true);
            const sent = total() - before;
            // EventBridge's DeleteEventBus answers 200 for a bus that does not exist (its API
            // Reference lists no ResourceNotFoundException): a valid name goes out as the JSON
            // field Name, exactly, and the call resolves.
            const wrong =
              p === 'aws' && kind === 'bus' && op === 'delete' && awsValidName(kind, id)
                ? !outcome.error &&
                  sent === 1 &&
                  emus.aws.received.at(-1)?.operation === 'DeleteEventBus' &&
                  emus.aws.received.at(-1)?.body.Name === id
                  ? undefined
                  : `expected one DeleteEventBus naming ${id}, answered 200`
                : judge(p, kind, id, outcome, sent);
            if (wrong) problems.push(`${p} ${kind} ${op} ${JSON.stringify(id)}: ${wrong}`);
          }
        }
      }
      await provider.close();
    }
    expect(problems).toEqual([]);
  });

  it('AWS: a name with a dot segment (`..`, `../x`, `a/./b`) is refused naming the field; `a/b` travels as `a%2Fb`', async () => {
    const container = createPolybus({ env: emus.env });
    const aws = await resolveProvider(container, 'aws');
    const before = total();
    const dotted = ['..', '.', '../x', 'a/./b', 'x/..', 'eb/../x', 'aws.partner/../x'];
    for (const id of dotted) {
      for (const call of [
        () => aws.integrations.get(id),
        () => aws.buses.get(id),
        () => aws.buses.delete(id),
      ])
        await expect(call()).rejects.toMatchObject({
          code: 'InvalidArgument',
          issues: [{ field: 'id', rule: expect.stringContaining('dot segment') }],
        });
      await expect(
        aws.integrations.create({ name: id, bus: 'b', filter: { source: 'aws.partner/x.example/y' } }),
      ).rejects.toMatchObject({
        code: 'InvalidArgument',
        issues: expect.arrayContaining([{ field: 'name', rule: expect.stringContaining('dot segment') }]),
      });
      await expect(aws.buses.create({ name: id })).rejects.toMatchObject({ code: 'InvalidArgument' });
    }
    expect(total() - before).toBe(0);
    // The emulator decodes the label it received: the whole id arrived as one segment.
    await expect(aws.integrations.get('a/b')).rejects.toMatchObject({
      code: 'NotFound',
      providerCode: 'ResourceNotFoundException',
      message: expect.stringContaining('Event integration a/b not found'),
    });
    await aws.close();
  });

  it('CLI: integrations get --provider aws --id ../x is a usage error naming id, with no request', async () => {
    const before = total();
    const r = await runCli(['integrations', 'get', '--provider', 'aws', '--id', '../x', '--json'], emus.env);
    expect(r.code).toBe(2);
    const { error } = JSON.parse(r.stdout) as { error: PolybusError };
    expect(error).toMatchObject({
      code: 'InvalidArgument',
      issues: [{ field: 'id', rule: expect.stringContaining('dot segment') }],
    });
    expect(total() - before).toBe(0);
  });

  it('CLI: <kind> get|update|delete --id answer InvalidArgument naming id, with no request', async () => {
    const runs: { provider: string; kind: ResourceKind; args: string[]; id: string }[] = [];
    let n = 0;
    for (const p of PROVIDERS)
      for (const [plural, kind] of KINDS)
        for (const op of ['get', 'update', 'delete']) {
          const pool =
            p === 'tencent' && kind !== 'bus' ? HOSTILE_CHILD : HOSTILE.filter((i) => !i.includes('\u0000'));
          const id = pool[n++ % pool.length]!;
          runs.push({
            provider: p,
            kind,
            id,
            args: [
              plural,
              op,
              '-p',
              p,
              '--id',
              id,
              ...(op === 'update' ? ['--description', 'x'] : []),
              '--json',
            ],
          });
        }
    const problems: string[] = [];
    const reaches = (r: (typeof runs)[number]) => r.provider === 'aws' && awsValidName(r.kind, r.id);
    // A few at a time (the machine is shared); runs that may reach a server go in their own batches.
    for (const group of [runs.filter((r) => !reaches(r)), runs.filter(reaches)]) {
      for (let i = 0; i < group.length; i += 6) {
        const batch = group.slice(i, i + 6);
        const before = total();
        const results = await Promise.all(batch.map((r) => runCli(r.args, emus.env)));
        const sent = total() - before;
        if (!reaches(batch[0]!) && sent)
          problems.push(`${sent} request(s) sent by ${batch.map((r) => r.args.join(' '))}`);
        results.forEach((res, j) => {
          const r = batch[j]!;
          const error = (JSON.parse(res.stdout || '{}') as { error?: PolybusError }).error;
          // a refused id is a usage error (exit 2); the service's own answer (an escaped AWS name) exits 1
          const expected = !error ? 0 : error.code === 'InvalidArgument' && error.issues ? 2 : 1;
          if (res.code !== expected || res.stderr)
            problems.push(`${r.args.join(' ')}: exit ${res.code} ${res.stderr}`);
          const wrong = judge(r.provider, r.kind, r.id, error ? { error } : {}, 0);
          if (wrong) problems.push(`${r.args.join(' ')}: ${wrong}`);
        });
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('a 20 MB description is refused by length on create and update, before any request', async () => {
    const container = createPolybus({ env: emus.env });
    const huge = 'd'.repeat(20 * 1024 * 1024);
    const problems: string[] = [];
    const inputs: Record<string, Record<string, unknown>> = {
      bus: { name: 'huge-bus' },
      integration: { name: 'huge-int', bus: 'eb-x', filter: { source: 'app.x' } },
    };
    for (const p of PROVIDERS) {
      const provider = await resolveProvider(container, p);
      for (const kind of ['bus', 'integration'] as const) {
        const api = apiOf(provider, kind);
        for (const op of ['create', 'update'] as const) {
          const before = total();
          const err = await (
            op === 'create'
              ? api.create({ ...inputs[kind], description: huge } as never)
              : api.update(p === 'tencent' && kind === 'integration' ? 'eb-x/rule-x' : 'x1', {
                  description: huge,
                })
          ).catch((e: PolybusError) => e);
          const sent = total() - before;
          const ok =
            isPolybusError(err) &&
            ((err.code === 'InvalidArgument' && err.issues?.some((i) => i.field === 'description')) ||
              err.code === 'Unsupported') &&
            sent === 0 &&
            err.message.length < 2000;
          if (!ok)
            problems.push(
              `${p} ${kind} ${op}: ${isPolybusError(err) ? `${err.code} ${err.message.slice(0, 120)}` : 'resolved'}, ${sent} request(s)`,
            );
        }
      }
      await provider.close();
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
