// Targets addressed by id: spec rules, per-target credentials (profile, env prefix), per-target
// planning and failure isolation, and the output that names targets. Emulators only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AWS_EMULATOR_CREDENTIALS,
  AWS_EMULATOR_CREDENTIALS_2,
  AwsEmulator,
} from '../src/adapters/aws/emulator/index.js';
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { openProviders, renderOutcomes, renderPlan } from '../src/cli/commands/provision.js';
import { type ApplyOutcome, applyPlan } from '../src/core/engine/apply.js';
import { isPolybusError } from '../src/core/model/errors.js';
import { planChanges } from '../src/core/engine/plan/index.js';
import { analyzeSpec, parseSpec } from '../src/core/spec/load.js';
import { itemFor } from '../src/core/spec/schema.js';
import { envWithPrefix } from '../src/sdk/create.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-targets-'));

describe('spec: targets by id', () => {
  it('two targets of one provider without distinct ids is an error naming both', () => {
    const a = analyzeSpec(
      'version: 1\ntargets:\n  - { provider: tencent, region: ap-guangzhou }\n  - { provider: tencent, region: ap-shanghai }\n',
      'two.yaml',
      {},
    );
    expect(a.spec).toBeUndefined();
    expect(a.issues).toEqual([
      expect.objectContaining({
        field: 'targets.1.id',
        rule: expect.stringMatching(/targets\.0 and targets\.1 both have the id tencent.*distinct ids/),
        location: 'two.yaml:4',
      }),
    ]);
    // ids make them two targets; a target without id is its provider name
    const ok = parseSpec(
      'version: 1\ntargets:\n  - { id: gz, provider: tencent }\n  - { id: sh, provider: tencent }\n  - { provider: aws }\n',
      's',
      {},
    );
    expect(ok.targets.map((t) => t.id ?? t.provider)).toEqual(['gz', 'sh', 'aws']);
  });

  it('ids are names safe in plan keys; credentials take exactly one of profile or envPrefix', () => {
    const a = analyzeSpec(
      'version: 1\ntargets:\n  - { id: "a/b", provider: tencent, credentials: { profile: x, envPrefix: Y_ } }\n',
      's',
      {},
    );
    expect(a.issues.map((i) => i.field).sort()).toEqual(['targets.0.credentials', 'targets.0.id']);
  });

  it('overrides and providers: accept a target id or a provider name; the target id wins', () => {
    const spec = parseSpec(
      `version: 1
targets: [{ id: gz, provider: tencent }, { id: sh, provider: tencent }, { provider: aws }]
buses:
  - name: orders
    description: base
    overrides: { tencent: { description: tencent }, sh: { description: shanghai }, aws: { retentionDays: null } }
    retentionDays: 7
  - name: only-sh
    providers: [sh]
  - name: only-tencent
    providers: [tencent]
  - name: bad
    providers: [hk]
`.replace('  - name: bad\n    providers: [hk]\n', ''),
      's',
      {},
    );
    const [orders, onlySh, onlyTencent] = spec.buses;
    expect(itemFor(orders!, 'tencent', 'gz')?.description).toBe('tencent');
    expect(itemFor(orders!, 'tencent', 'sh')?.description).toBe('shanghai');
    expect(itemFor(orders!, 'aws', 'aws')?.description).toBe('base');
    // README: "null unsets a field": the view has no such field (not a null a provider would refuse).
    expect(itemFor(orders!, 'tencent', 'gz')?.retentionDays).toBe(7);
    expect(itemFor(orders!, 'aws', 'aws')).not.toHaveProperty('retentionDays');
    expect(itemFor(onlySh!, 'tencent', 'sh')).toBeDefined();
    expect(itemFor(onlySh!, 'tencent', 'gz')).toBeUndefined();
    expect(itemFor(onlyTencent!, 'tencent', 'gz')).toBeDefined();
    expect(itemFor(onlyTencent!, 'aws', 'aws')).toBeUndefined();
    const bad = analyzeSpec(
      'version: 1\ntargets: [{ id: gz, provider: tencent }]\nbuses: [{ name: b, providers: [hk] }]\n',
      's',
      {},
    );
    expect(bad.issues).toEqual([
      expect.objectContaining({ field: 'buses.0', rule: expect.stringContaining('names hk') }),
    ]);
  });
});

describe('per-target credentials', () => {
  it('envPrefix: the cloud variables only with the prefix, everything else as is', () => {
    const env = {
      TENCENTCLOUD_SECRET_ID: 'base-id',
      TENCENTCLOUD_SESSION_TOKEN: 'base-token',
      SH_TENCENTCLOUD_SECRET_ID: 'sh-id',
      SH_TENCENTCLOUD_SECRET_KEY: 'sh-key',
      POLYBUS_TENCENT_ENDPOINT: 'http://127.0.0.1:1',
      AWS_REGION: 'us-east-1',
    };
    const seen = envWithPrefix(env, 'tencent', 'SH_');
    expect(seen.TENCENTCLOUD_SECRET_ID).toBe('sh-id');
    expect(seen.TENCENTCLOUD_SECRET_KEY).toBe('sh-key');
    // the base session token must not be mixed with another account's key
    expect(seen.TENCENTCLOUD_SESSION_TOKEN).toBeUndefined();
    expect(seen.POLYBUS_TENCENT_ENDPOINT).toBe('http://127.0.0.1:1');
    expect(seen.AWS_REGION).toBe('us-east-1');
  });

  describe('against the emulators', () => {
    const SH_KEY = {
      secretId: 'AKIDpolybusShanghai000000000000000',
      secretKey: 'shanghai-profile-key-000000000000',
    };
    let tencent: TencentEmulator;
    let aws: AwsEmulator;
    beforeAll(async () => {
      // Accepts only the Shanghai key: a target on the environment's key cannot even list.
      tencent = await TencentEmulator.start({ credentials: [SH_KEY] });
      aws = await AwsEmulator.start();
    });
    afterAll(async () => {
      await tencent.close();
      await aws.close();
    });

    it('a Tencent profile per target; a target whose credentials are refused fails only its own items', async () => {
      const file = join(dir, 'tencent-credentials');
      writeFileSync(
        file,
        `[default]\nsecret_id = nobody\nsecret_key = nothing\n\n[shanghai]\nsecret_id = ${SH_KEY.secretId}\nsecret_key = ${SH_KEY.secretKey}\n`,
      );
      const env = {
        TENCENTCLOUD_SECRET_ID: TENCENT_EMULATOR_CREDENTIALS.secretId,
        TENCENTCLOUD_SECRET_KEY: TENCENT_EMULATOR_CREDENTIALS.secretKey,
        TENCENTCLOUD_CREDENTIALS_FILE: file,
      };
      const spec = parseSpec(
        `version: 1
targets:
  - { id: gz, provider: tencent, region: ap-guangzhou, endpoint: "${tencent.url}" }
  - { id: sh, provider: tencent, region: ap-shanghai, endpoint: "${tencent.url}", credentials: { profile: shanghai } }
buses: [{ name: orders }]
integrations: [{ name: r1, bus: orders, filter: { source: a.b } }]
`,
        's',
        {},
      );
      const open = await openProviders(['gz', 'sh'], spec, env);
      try {
        const plan = await planChanges(spec, open.providers);
        expect(plan.items.map((i) => [i.key, i.action])).toEqual([
          ['gz/bus/orders', 'error'],
          ['gz/integration/orders/r1', 'error'],
          ['sh/bus/orders', 'create'],
          ['sh/integration/orders/r1', 'create'],
        ]);
        expect(plan.items[0]!.error).toMatchObject({ code: 'AuthenticationFailed' });
        expect(renderPlan(plan)).toContain('Unreadable on target gz (2).');
        // apply: the refused target fails, the other completes, and the summary names the one that failed
        const outcomes = await applyPlan(plan, open.providers);
        expect(outcomes.map((x) => [x.key, x.status])).toEqual([
          ['gz/bus/orders', 'failed'],
          ['gz/integration/orders/r1', 'failed'],
          ['sh/bus/orders', 'ok'],
          ['sh/integration/orders/r1', 'ok'],
        ]);
        expect(tencent.regions.of('ap-shanghai').buses.size).toBe(1);
        expect(tencent.regions.of('ap-guangzhou').buses.size).toBe(0);
        expect(renderOutcomes(outcomes).split('\n').at(-1)).toBe('Failed or skipped on target gz (2).');
      } finally {
        await open.close();
      }
    });

    it("an AWS profile per target signs with that profile's keys (its account) in its region", async () => {
      const file = join(dir, 'aws-credentials');
      writeFileSync(
        file,
        `[west]\naws_access_key_id = ${AWS_EMULATOR_CREDENTIALS_2.accessKeyId}\naws_secret_access_key = ${AWS_EMULATOR_CREDENTIALS_2.secretAccessKey}\n`,
      );
      const env = {
        ...{ AWS_ACCESS_KEY_ID: AWS_EMULATOR_CREDENTIALS.accessKeyId },
        AWS_SECRET_ACCESS_KEY: AWS_EMULATOR_CREDENTIALS.secretAccessKey,
        AWS_SHARED_CREDENTIALS_FILE: file,
        AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      };
      const spec = parseSpec(
        `version: 1
targets:
  - { id: east, provider: aws, region: us-east-1, endpoint: "${aws.url}" }
  - { id: west, provider: aws, region: us-west-2, endpoint: "${aws.url}", credentials: { profile: west } }
`,
        's',
        {},
      );
      const open = await openProviders(['east', 'west'], spec, env);
      try {
        const east = await open.providers.east!.buses.create({ name: 'orders' });
        const west = await open.providers.west!.buses.create({ name: 'orders' });
        // AWS bus ids are their names: the two are told apart by account and region
        expect([east.id, west.id]).toEqual(['orders', 'orders']);
        expect(aws.scopes.of('123456789012/us-east-1').buses.has('orders')).toBe(true);
        expect(aws.scopes.of(`${AWS_EMULATOR_CREDENTIALS_2.account}/us-west-2`).buses.has('orders')).toBe(
          true,
        );
        expect(aws.scopes.of('123456789012/us-west-2').buses.has('orders')).toBe(false);
      } finally {
        await open.close();
      }
    });

    it('Huawei has no profiles: a profile on a Huawei target is a usage error saying what to use', async () => {
      const spec = parseSpec(
        'version: 1\ntargets: [{ id: hw, provider: huawei, options: { projectId: p }, credentials: { profile: x } }]\n',
        's',
        {},
      );
      const err = await openProviders(['hw'], spec, {}).catch((e: unknown) => e);
      expect(isPolybusError(err) && err.code).toBe('InvalidArgument');
      expect(String((err as Error).message)).toContain('envPrefix');
    });
  });
});

describe('output names the target', () => {
  const o = (target: string, status: ApplyOutcome['status'], action: ApplyOutcome['action'] = 'delete') =>
    ({
      key: `${target}/bus/orders`,
      target,
      provider: 'tencent',
      kind: 'bus',
      name: 'orders',
      action,
      status,
      id: `eb-${target}`,
    }) as ApplyOutcome;

  it('destroy ends with a Destroy: line; failed targets are named; printed steps are not repeated', () => {
    const outcomes = [o('gz', 'ok'), o('sh', 'failed'), o('hk', 'unchanged', 'noop')];
    const text = renderOutcomes(outcomes, { verb: 'destroy', printed: new Set(['gz/bus/orders']) });
    const lines = text.split('\n');
    expect(lines).toEqual([
      'FAILED  delete sh bus orders (eb-sh)',
      'Destroy: 1 deleted, 1 failed, 0 skipped, 1 left as they were (absent, reference or unsupported).',
      'Failed or skipped on target sh (1).',
    ]);
    expect(renderOutcomes([o('gz', 'ok', 'create')]).split('\n')).toEqual([
      'ok      create gz bus orders (eb-gz)',
      'Apply: 1 succeeded, 0 failed, 0 skipped, 0 unchanged.',
    ]);
  });
});
