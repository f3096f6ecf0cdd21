// A Tencent route's neutral transform converges: the rule's TransformationId lives in a reserved
// tag (no action lists a rule's transformations), hidden from the neutral tags and export; a rule
// made outside polybus is warned about, never diffed or changed. Emulators only, never a cloud.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENCENT_TRANSFORMATION_TAG } from '../src/adapters/tencent/tags.js';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { openProviders } from '../src/cli/commands/provision.js';
import { applyPlan } from '../src/core/engine/apply.js';
import { exportSpec } from '../src/core/engine/migrate.js';
import { hasChanges, type Plan, planChanges, specProviderIssues } from '../src/core/engine/plan/index.js';
import { parseSpec } from '../src/core/spec/load.js';
import { runCli } from './helpers/cli.js';
import { loopbackAgent, officialTencentClient } from './helpers/tencent-official.js';

const dir = mkdtempSync(join(tmpdir(), 'tctransform-'));
let emu: RunningEmulators;
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(async () => {
  await emu.close();
  loopbackAgent.destroy();
});

const FN = 'qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/fn/$LATEST';
const FN2 = 'qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/fn2/$LATEST';

/** The spec of the bug report: one rule, one function target, optionally a path transform and tags. */
const spec = (bus: string, opts: { path?: string; tags?: string; fn?: string } = {}) => `
version: 1
targets: [{ provider: tencent }]
buses: [{ name: ${bus} }]
integrations:
  - name: ${bus}-rule
    bus: ${bus}
    filter: { exact: { source: app.orders } }
    targets:
      - kind: function
        function: "${opts.fn ?? FN}"${opts.path ? `\n        transform: { kind: path, path: "${opts.path}" }` : ''}${opts.tags ? `\n    tags: ${opts.tags}` : ''}
`;

async function planApply(text: string, apply = true): Promise<Plan> {
  const parsed = parseSpec(text, 'spec.yaml', {});
  const open = await openProviders(['tencent'], parsed, emu.env);
  try {
    const plan = await planChanges(parsed, open.providers);
    if (apply) {
      const failed = (await applyPlan(plan, open.providers)).filter((o) => o.status === 'failed');
      expect(failed, JSON.stringify(failed)).toEqual([]);
    }
    return plan;
  } finally {
    await open.close();
  }
}

const ruleNamed = (name: string) => [...emu.tencent.rules.values()].find((r) => r.RuleName === name)!;
const rawTags = (rule: { EventBusId?: unknown; RuleId?: unknown }) =>
  Object.fromEntries(
    emu.tencent.resourceTags.get(`ap-guangzhou|ruleid|${String(rule.EventBusId)}/${String(rule.RuleId)}`) ??
      [],
  );
const transformationsOf = (ruleId: unknown) =>
  [...emu.tencent.transformations.values()].filter((t) => t.RuleId === ruleId);
const ruleItem = (plan: Plan) => plan.items.find((i) => i.kind === 'integration')!;
const sentSince = (mark: number, action: string) =>
  emu.tencent.received.slice(mark).filter((r) => r.action === action);

describe('Tencent rule transformation through the reference tag (CreateTransformation returns the only handle)', () => {
  it('apply then plan is empty; a changed path is UpdateTransformation; removing it deletes it; each re-plan is empty', async () => {
    const created = await planApply(spec('tf-bus', { path: '$.data', tags: '{ team: pay }' }));
    expect(ruleItem(created).action).toBe('create');
    const rule = ruleNamed('tf-bus-rule');
    const [t] = transformationsOf(rule.RuleId);
    expect(t?.Transformations).toEqual([{ Extraction: { ExtractionInputPath: '$.data', Format: 'JSON' } }]);
    // The reference sits beside the user's tag on the rule (tag service), holding the id.
    expect(rawTags(rule)).toEqual({ team: 'pay', [TENCENT_TRANSFORMATION_TAG]: t!.TransformationId });

    const again = await planApply(spec('tf-bus', { path: '$.data', tags: '{ team: pay }' }), false);
    expect(hasChanges(again), JSON.stringify(again.items)).toBe(false);
    expect(ruleItem(again).warnings).toEqual([]);

    // Changed path: the same transformation is updated in place (UpdateTransformation, same id).
    const mark = emu.tencent.received.length;
    const changed = await planApply(spec('tf-bus', { path: '$.detail', tags: '{ team: pay }' }));
    expect(ruleItem(changed)).toMatchObject({ action: 'update', changes: [{ field: 'targets' }] });
    expect(sentSince(mark, 'UpdateTransformation').map((r) => r.params.TransformationId)).toEqual([
      t!.TransformationId,
    ]);
    expect(sentSince(mark, 'CreateTransformation')).toEqual([]);
    expect(transformationsOf(rule.RuleId).map((x) => x.Transformations)).toEqual([
      [{ Extraction: { ExtractionInputPath: '$.detail', Format: 'JSON' } }],
    ]);
    expect(
      hasChanges(await planApply(spec('tf-bus', { path: '$.detail', tags: '{ team: pay }' }), false)),
    ).toBe(false);

    // The user's tags change: the reference is neither shown nor deleted.
    const retag = await planApply(spec('tf-bus', { path: '$.detail', tags: '{ owner: ops }' }));
    expect(ruleItem(retag).changes).toEqual([
      expect.objectContaining({ field: 'tags', from: { team: 'pay' }, to: { owner: 'ops' } }),
    ]);
    expect(rawTags(rule)).toEqual({ owner: 'ops', [TENCENT_TRANSFORMATION_TAG]: t!.TransformationId });

    // Transform removed from the spec: DeleteTransformation, the reference says `none`.
    const removed = await planApply(spec('tf-bus', { tags: '{ owner: ops }' }));
    expect(ruleItem(removed)).toMatchObject({ action: 'update', changes: [{ field: 'targets' }] });
    expect(transformationsOf(rule.RuleId)).toEqual([]);
    expect(rawTags(rule)).toEqual({ owner: 'ops', [TENCENT_TRANSFORMATION_TAG]: 'none' });
    expect(hasChanges(await planApply(spec('tf-bus', { tags: '{ owner: ops }' }), false))).toBe(false);

    // And back: a new transformation, its id in the reference.
    await planApply(spec('tf-bus', { path: '$.data', tags: '{ owner: ops }' }));
    const [t2] = transformationsOf(rule.RuleId);
    expect(rawTags(rule)[TENCENT_TRANSFORMATION_TAG]).toBe(t2!.TransformationId);
    expect(
      hasChanges(await planApply(spec('tf-bus', { path: '$.data', tags: '{ owner: ops }' }), false)),
    ).toBe(false);

    // Neutral reads and export: the transform on the target, the user's tags only.
    const open = await openProviders(['tencent'], undefined, emu.env);
    try {
      const p = open.providers.tencent!;
      const read = await p.integrations.get(`${String(rule.EventBusId)}/${String(rule.RuleId)}`);
      expect(read.targets).toEqual([
        { kind: 'function', function: FN, transform: { kind: 'path', path: '$.data' } },
      ]);
      expect(read.tags).toEqual({ owner: 'ops' });
      expect(JSON.stringify(read)).not.toContain(TENCENT_TRANSFORMATION_TAG);
      expect(JSON.stringify(read)).not.toContain(t2!.TransformationId);
      const exported = await exportSpec(p);
      const item = exported.integrations.find((i) => i.name === 'tf-bus-rule')!;
      expect(item.targets).toEqual([
        { kind: 'function', function: FN, transform: { kind: 'path', path: '$.data' } },
      ]);
      expect(item.tags).toEqual({ owner: 'ops' });
      expect(JSON.stringify(exported)).not.toContain(TENCENT_TRANSFORMATION_TAG);

      // Deleting the rule deletes the transformation polybus made first.
      await p.integrations.delete(read.id);
      expect(transformationsOf(rule.RuleId)).toEqual([]);
    } finally {
      await open.close();
    }
  });

  it('a spec may not set the reserved tag key, nor more than 49 tags on a rule (one is the reference)', async () => {
    const open = await openProviders(['tencent'], undefined, emu.env);
    try {
      const check = (tags: string) =>
        specProviderIssues(
          parseSpec(spec('tf-res', { path: '$.data', tags }), 'spec.yaml', {}),
          open.providers,
        );
      expect(check(`{ "${TENCENT_TRANSFORMATION_TAG}": tsfm-1 }`)).toEqual([
        expect.objectContaining({
          field: `integrations.0.tags.${TENCENT_TRANSFORMATION_TAG}`,
          rule: expect.stringContaining('is reserved: polybus keeps the rule'),
        }),
      ]);
      const many = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `k${i}: v`).join(', ')} }`;
      expect(check(many(49))).toEqual([]);
      expect(check(many(50))).toEqual([
        expect.objectContaining({
          field: 'integrations.0.tags',
          rule: expect.stringContaining('at most 49'),
        }),
      ]);
    } finally {
      await open.close();
    }
  });

  it('a create cut short before the reference is written leaves the rule unreadable, never a second transformation', async () => {
    // The tag write that would record the new id is refused (e.g. no tag:ModifyResourceTags permission).
    emu.tencent.faults.inject({
      operation: 'ModifyResourceTags',
      match: 'tsfm-',
      kind: 'error',
      code: 'UnauthorizedOperation',
    });
    const parsed = parseSpec(spec('tf-cut', { path: '$.data' }), 'spec.yaml', {});
    const open = await openProviders(['tencent'], parsed, emu.env);
    try {
      const outcomes = await applyPlan(await planChanges(parsed, open.providers), open.providers);
      expect(outcomes.find((o) => o.kind === 'integration')?.status).toBe('failed');
    } finally {
      await open.close();
    }
    const rule = ruleNamed('tf-cut-rule');
    expect(transformationsOf(rule.RuleId)).toHaveLength(1);
    expect(rawTags(rule)).toEqual({});
    // No reference: warned, not diffed; a re-apply changes nothing and creates no second one.
    const plan = await planApply(spec('tf-cut', { path: '$.data' }));
    expect(ruleItem(plan)).toMatchObject({ action: 'noop', warnings: [{ type: 'unreadable' }] });
    expect(transformationsOf(rule.RuleId)).toHaveLength(1);
  });

  it('without tag permission, a rule with no transform and no tags is still created and reported ok (the none marker is best effort)', async () => {
    emu.tencent.faults.inject({
      operation: 'ModifyResourceTags',
      kind: 'error',
      code: 'UnauthorizedOperation',
    });
    const parsed = parseSpec(spec('tf-noperm'), 'spec.yaml', {});
    const open = await openProviders(['tencent'], parsed, emu.env);
    try {
      const outcomes = await applyPlan(await planChanges(parsed, open.providers), open.providers);
      expect(outcomes.map((o) => [o.kind, o.status])).toEqual([
        ['bus', 'ok'],
        ['integration', 'ok'],
      ]);
    } finally {
      await open.close();
      emu.tencent.faults.clear();
    }
    expect(rawTags(ruleNamed('tf-noperm-rule'))).toEqual({});
    // Unreferenced: later plans warn instead of diffing, and change nothing.
    const plan = await planApply(spec('tf-noperm'), false);
    expect(ruleItem(plan)).toMatchObject({ action: 'noop', warnings: [{ type: 'unreadable' }] });
  });

  it('the CLI repro of the report: apply --yes, then plan shows no update', async () => {
    const file = join(dir, 'cli.yaml');
    writeFileSync(file, spec('tf-cli', { path: '$.data' }));
    const applied = await runCli(['apply', '-f', file, '--yes'], emu.env);
    expect(applied.code, applied.stderr).toBe(0);
    const planned = await runCli(['plan', '-f', file], emu.env);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).not.toMatch(/targets:|warning/);
    expect(planned.stdout).toMatch(/Plan: 0 to create, 0 to update, 0 to replace, 0 to delete; 2 unchanged/);
  }, 60_000);
});

describe('a rule with a transformation made by the official client (no reference tag)', () => {
  it('plans no phantom update, warns that the transform cannot be read, and never creates, changes or deletes it', async () => {
    const official = officialTencentClient(emu.tencent.url);
    const { EventBusId } = (await official.request('CreateEventBus', { EventBusName: 'tf-foreign' })) as {
      EventBusId: string;
    };
    const { RuleId } = (await official.request('CreateRule', {
      EventBusId,
      RuleName: 'tf-foreign-rule',
      EventPattern: JSON.stringify({ source: ['app.orders'] }),
    })) as { RuleId: string };
    await official.request('CreateTarget', {
      EventBusId,
      RuleId,
      Type: 'scf',
      TargetDescription: { ResourceDescription: FN },
    });
    const { TransformationId } = (await official.request('CreateTransformation', {
      EventBusId,
      RuleId,
      Transformations: [{ Extraction: { ExtractionInputPath: '$.data', Format: 'JSON' } }],
    })) as { TransformationId: string };
    // The official client reads it back only by its id (GetTransformation needs all three ids).
    expect(
      await official.request('GetTransformation', { EventBusId, RuleId, TransformationId }),
    ).toMatchObject({
      Transformations: [{ Extraction: { ExtractionInputPath: '$.data' } }],
    });

    const warned = (plan: Plan) => ruleItem(plan).warnings.filter((w) => w.type === 'unreadable');
    for (const path of ['$.data', undefined, '$.other']) {
      const plan = await planApply(spec('tf-foreign', path ? { path } : {}), false);
      expect(ruleItem(plan).action, `transform ${path}`).toBe('noop');
      expect(warned(plan)).toHaveLength(1);
      expect(warned(plan)[0]!.detail).toMatch(
        /^targets\.transform cannot be read: the rule has no polybus:transformation tag/,
      );
    }

    // Export says what it could not read (the spec it writes cannot carry the transform).
    const exportWarnings: string[] = [];
    const exporter = await openProviders(['tencent'], undefined, emu.env);
    try {
      await exportSpec(exporter.providers.tencent!, {
        onUnreadable: (kind, name, field) => exportWarnings.push(`${kind} ${name} ${field}`),
      });
    } finally {
      await exporter.close();
    }
    expect(exportWarnings).toContain('integration tf-foreign-rule targets.transform');

    // A spec that does not manage the rule's targets is not warned about them.
    const bare = await planApply(spec('tf-foreign').replace(/\n {4}targets:[\s\S]*$/, '\n'), false);
    expect(ruleItem(bare)).toMatchObject({ action: 'noop', warnings: [] });

    // Another change (a different function) is applied; the transformation is left alone.
    const mark = emu.tencent.received.length;
    const moved = await planApply(spec('tf-foreign', { path: '$.other', fn: FN2 }));
    expect(ruleItem(moved)).toMatchObject({ action: 'update', changes: [{ field: 'targets' }] });
    for (const action of [
      'CreateTransformation',
      'UpdateTransformation',
      'DeleteTransformation',
      'ModifyResourceTags',
    ])
      expect(sentSince(mark, action), action).toEqual([]);
    expect(transformationsOf(RuleId).map((t) => t.TransformationId)).toEqual([TransformationId]);

    // Handed over by its id in the reference tag: read, then managed.
    const tagClient = officialTencentClient(emu.tencent.url, { service: 'tag' });
    await tagClient.request('ModifyResourceTags', {
      Resource: `qcs::eb:ap-guangzhou:uin/:ruleid/${EventBusId}/${RuleId}`,
      ReplaceTags: [{ TagKey: TENCENT_TRANSFORMATION_TAG, TagValue: TransformationId }],
    });
    const adopted = await planApply(spec('tf-foreign', { path: '$.data', fn: FN2 }), false);
    expect(ruleItem(adopted)).toMatchObject({ action: 'noop', warnings: [] });
    const changed = await planApply(spec('tf-foreign', { path: '$.detail', fn: FN2 }));
    expect(ruleItem(changed)).toMatchObject({ action: 'update' });
    expect(transformationsOf(RuleId).map((t) => t.Transformations)).toEqual([
      [{ Extraction: { ExtractionInputPath: '$.detail', Format: 'JSON' } }],
    ]);
    expect(hasChanges(await planApply(spec('tf-foreign', { path: '$.detail', fn: FN2 }), false))).toBe(false);

    // Edited outside polybus into something with no neutral form: warned, never diffed or overwritten.
    await official.request('UpdateTransformation', {
      EventBusId,
      RuleId,
      TransformationId,
      Transformations: [
        {
          Extraction: { ExtractionInputPath: '$.detail', Format: 'JSON' },
          EtlFilter: { Filter: JSON.stringify({ source: 'app.orders' }) },
        },
      ],
    });
    const odd = await planApply(spec('tf-foreign', { path: '$.detail' }));
    expect(ruleItem(odd)).toMatchObject({ action: 'update', changes: [{ field: 'targets' }] });
    expect(warned(odd)[0]!.detail).toMatch(/has no neutral form; polybus neither diffs nor changes it/);
    expect(transformationsOf(RuleId).map((t) => t.Transformations[0])).toEqual([
      expect.objectContaining({ EtlFilter: { Filter: JSON.stringify({ source: 'app.orders' }) } }),
    ]);
  });
});
