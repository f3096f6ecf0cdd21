// Issue 15: every setting a spec writes is validated, sent, diffed and read back, or refused by
// name. Runs plan/apply against the three emulators and reads what they recorded; never a cloud.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { openProviders } from '../src/cli/commands/provision.js';
import { AWS_EXTENSIONS } from '../src/adapters/aws/mapping.js';
import { HUAWEI_EXTENSIONS } from '../src/adapters/huawei/mapping.js';
import { TENCENT_EXTENSIONS } from '../src/adapters/tencent/mapping.js';
import { applyPlan } from '../src/core/engine/apply.js';
import { exportSpec } from '../src/core/engine/migrate.js';
import { isPolybusError } from '../src/core/model/errors.js';
import { hasChanges, type Plan, planChanges, specProviderIssues } from '../src/core/engine/plan/index.js';
import { parseSpec } from '../src/core/spec/load.js';
import { runCli } from './helpers/cli.js';
import { loopbackAgent, officialTencentClient } from './helpers/tencent-official.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-settings-'));
let emu: RunningEmulators;

beforeAll(async () => {
  emu = await startEmulators();
  // The partner bus below matches a partner event source, which a SaaS partner creates (not polybus).
  emu.aws.addPartnerEventSource('aws.partner/example.com/orders');
});
afterAll(async () => {
  await emu.close();
  loopbackAgent.destroy();
});

/** Plans and applies a spec text on the emulators; returns the plan it applied. */
async function planApply(text: string, apply = true): Promise<Plan> {
  const spec = parseSpec(text, 'spec.yaml', {});
  const open = await openProviders(
    spec.targets.map((t) => t.provider),
    spec,
    emu.env,
  );
  try {
    const plan = await planChanges(spec, open.providers);
    if (apply) {
      const outcomes = await applyPlan(plan, open.providers);
      const failed = outcomes.filter((o) => o.status === 'failed');
      expect(failed, JSON.stringify(failed)).toEqual([]);
    }
    return plan;
  } finally {
    await open.close();
  }
}

const item = (plan: Plan, key: string) => plan.items.find((i) => i.key === key)!;

describe('neutral enabled on a Tencent rule (must be true)', () => {
  const spec = (enabled: boolean) => `
version: 1
targets: [{ provider: tencent }]
buses: [{ name: en-bus }]
integrations:
  - { name: en-rule, bus: en-bus, filter: { source: app.en }, enabled: ${enabled} }
`;

  it('enabled: false creates a rule the official SDK reads back with Enable false; true is an update, then a re-plan is empty', async () => {
    await planApply(spec(false));
    const official = officialTencentClient(emu.tencent.url);
    const bus = [...emu.tencent.buses.values()].find((b) => b.EventBusName === 'en-bus')!;
    const rule = [...emu.tencent.rules.values()].find((r) => r.RuleName === 'en-rule')!;
    const read = (await official.request('GetRule', { EventBusId: bus.EventBusId, RuleId: rule.RuleId })) as {
      Enable: boolean;
    };
    expect(read.Enable).toBe(false);
    expect((await planApply(spec(false), false)).items.every((i) => i.action === 'noop')).toBe(true);

    const flip = await planApply(spec(true));
    expect(item(flip, 'tencent/integration/en-bus/en-rule')).toMatchObject({
      action: 'update',
      changes: [{ field: 'enabled', from: false, to: true }],
    });
    const again = (await official.request('GetRule', {
      EventBusId: bus.EventBusId,
      RuleId: rule.RuleId,
    })) as {
      Enable: boolean;
    };
    expect(again.Enable).toBe(true);
    expect(hasChanges(await planApply(spec(true), false))).toBe(false);

    // leaving enabled out means the default, true: a paused rule is resumed by removing the line
    await planApply(spec(false));
    const implicit = await planApply(spec(true).replace(', enabled: true', ''));
    expect(item(implicit, 'tencent/integration/en-bus/en-rule')).toMatchObject({ action: 'update' });
    const last = emu.tencent.received.filter((r) => r.action === 'UpdateRule').at(-1)!;
    expect(last.params.Enable).toBe(true);
    expect(hasChanges(await planApply(spec(true).replace(', enabled: true', ''), false))).toBe(false);
  });
});

describe('Huawei subscription targets and source ids (must be true)', () => {
  const spec = (url: string, source: string) => `
version: 1
targets: [{ provider: huawei }]
buses: [{ name: tg-bus }]
integrations:
  - name: tg-sub
    bus: tg-bus
    filter: { source: ${source} }
    extensions: { huawei: { targets: [{ name: t1, provider_type: CUSTOM, detail: { url: "${url}" } }] } }
`;

  it('changed targets plan as an update, the emulator receives them, a re-plan is empty; the source id survives', async () => {
    await planApply(spec('https://example.com/a', 'app.one'));
    const sub = [...emu.huawei.subscriptions.values()].find((s) => s.name === 'tg-sub')!;
    const sourceId = (sub.sources as { id: string }[])[0]!.id;
    const plan = await planApply(spec('https://example.com/b', 'app.one'));
    expect(item(plan, 'huawei/integration/tg-bus/tg-sub')).toMatchObject({
      action: 'update',
      changes: [{ field: 'extensions.huawei.targets' }],
    });
    const put = emu.huawei.received.filter((r) => r.operation === 'UpdateSubscription').at(-1)!;
    expect(JSON.parse(put.body).targets[0].detail.url).toBe('https://example.com/b');
    expect(hasChanges(await planApply(spec('https://example.com/b', 'app.one'), false))).toBe(false);
    // a changed filter keeps the subscription source's id (a new id would be a new source)
    await planApply(spec('https://example.com/b', 'app.two'));
    const after = emu.huawei.subscriptions.get(sub.id as string)!;
    expect((after.sources as { id: string; name: string }[])[0]).toMatchObject({
      id: sourceId,
      name: 'app.two',
    });
  });
});

describe('null clears an AWS bus setting (issue 26, item 5)', () => {
  const spec = (settings: string) => `
version: 1
targets: [{ provider: aws }]
buses:
  - name: clear-bus
    description: keep me
    extensions: { aws: { ${settings} } }
`;
  const SET =
    'KmsKeyIdentifier: alias/k1, DeadLetterConfig: { Arn: "arn:aws:sqs:us-east-1:000000000000:dlq1" }, LogConfig: { IncludeDetail: FULL, Level: INFO }';
  const live = () => [...emu.aws.buses.values()].find((b) => b.Name === 'clear-bus')!;

  it('each setting set, then null: plan shows the update, the bus loses it, the rest stays, a re-plan is empty', async () => {
    await planApply(spec(SET));
    expect(live()).toMatchObject({
      KmsKeyIdentifier: 'alias/k1',
      DeadLetterConfig: { Arn: expect.any(String) },
    });
    const plan = await planApply(
      spec('KmsKeyIdentifier: null, DeadLetterConfig: null, LogConfig: { IncludeDetail: FULL, Level: INFO }'),
    );
    expect(item(plan, 'aws/bus/clear-bus')).toMatchObject({
      action: 'update',
      changes: expect.arrayContaining([
        expect.objectContaining({ field: 'extensions.aws.KmsKeyIdentifier', to: null }),
        expect.objectContaining({ field: 'extensions.aws.DeadLetterConfig', to: null }),
      ]),
    });
    expect(live().KmsKeyIdentifier).toBeUndefined();
    expect(live().DeadLetterConfig).toBeUndefined();
    expect(live()).toMatchObject({
      Description: 'keep me',
      LogConfig: { IncludeDetail: 'FULL', Level: 'INFO' },
    });
    const after = await planApply(spec('KmsKeyIdentifier: null, DeadLetterConfig: null, LogConfig: null'));
    expect(live().LogConfig).toBeUndefined();
    expect(live().Description).toBe('keep me');
    expect(
      hasChanges(
        await planApply(spec('KmsKeyIdentifier: null, DeadLetterConfig: null, LogConfig: null'), false),
      ),
    ).toBe(false);
    expect(item(after, 'aws/bus/clear-bus').changes).toEqual([
      expect.objectContaining({ field: 'extensions.aws.LogConfig', to: null }),
    ]);
  });
});

describe('unknown extension keys (must be true)', () => {
  it('are a validation error naming the key and the known ones, before any request', async () => {
    const text = `
version: 1
targets: [{ provider: tencent }, { provider: huawei }, { provider: aws }]
buses:
  - name: uk-bus
    extensions: { tencent: { EnableStor: true }, huawei: { cross_acount: true }, aws: { KmsKey: k } }
`;
    const spec = parseSpec(text, 'spec.yaml', {});
    const open = await openProviders(['tencent', 'huawei', 'aws'], spec, emu.env);
    try {
      const counts = () =>
        JSON.stringify([...emu.tencent.requestCounts, ...emu.huawei.requestCounts, ...emu.aws.requestCounts]);
      const before = counts();
      const issues = specProviderIssues(spec, open.providers);
      expect(issues.map((i) => i.field).sort()).toEqual([
        'buses.0.extensions.aws.KmsKey',
        'buses.0.extensions.huawei.cross_acount',
        'buses.0.extensions.tencent.EnableStor',
      ]);
      expect(issues.find((i) => i.field.endsWith('EnableStor'))?.rule).toMatch(
        /unknown tencent bus extension EnableStor: .*EnableStore, LogTopicId/,
      );
      const err = await open.providers
        .tencent!.connections.create({
          name: 'c',
          bus: 'eb-1',
          kind: 'tdmq',
          endpoint: 'qcs::tdmq:ap-guangzhou:uin/1:subscriptionName/p/user/t/s',
          extensions: { tencent: { ConnectionId: 'stale' } },
        })
        .catch((e: unknown) => e);
      expect(isPolybusError(err) && err.code).toBe('InvalidArgument');
      expect(String((err as Error).message)).toMatch(/ConnectionId: unknown tencent connection extension/);
      expect(counts()).toBe(before);
    } finally {
      await open.close();
    }
    const file = join(dir, 'unknown.yaml');
    writeFileSync(file, text);
    const r = await runCli(['plan', '-f', file, '--json'], emu.env);
    expect(r.code).toBe(2);
  });
});

describe('mutability of native fields and AWS source rules', () => {
  it('a changed Tencent CkafkaParams is a replace (UpdateConnection cannot change it); Enable is in place', async () => {
    const spec = (topic: string, enabled: boolean) => `
version: 1
targets: [{ provider: tencent }]
buses: [{ name: mu-bus }]
connections:
  - name: mu-conn
    bus: mu-bus
    kind: ckafka
    enabled: ${enabled}
    endpoint: "qcs::ckafka:ap-guangzhou:uin/1:ckafkaId/uin/1/ckafka-1"
    extensions: { tencent: { CkafkaParams: { Offset: latest, TopicName: ${topic} } } }
`;
    await planApply(spec('t1', true));
    const inPlace = await planApply(spec('t1', false), false);
    expect(item(inPlace, 'tencent/connection/mu-bus/mu-conn')).toMatchObject({
      action: 'update',
      changes: [{ field: 'enabled', mutability: 'update' }],
    });
    const replace = await planApply(spec('t2', true), false);
    expect(item(replace, 'tencent/connection/mu-bus/mu-conn')).toMatchObject({
      action: 'replace',
      changes: [{ field: 'extensions.tencent.CkafkaParams', mutability: 'replace' }],
    });
  });

  it('an AWS event integration source must be a partner source (aws-appintegrations.md), a partner bus is named after it', async () => {
    const spec = parseSpec(
      `
version: 1
targets: [{ provider: aws }]
buses:
  - { name: ok-bus }
  - { name: aws.partner/example.com/a, extensions: { aws: { EventSourceName: aws.partner/example.com/b } } }
integrations:
  - { name: bad-src, bus: ok-bus, filter: { source: app.orders } }
  - { name: good-src, bus: ok-bus, filter: { source: aws.partner/example.com/a } }
`,
      'spec.yaml',
      {},
    );
    const open = await openProviders(['aws'], spec, emu.env);
    try {
      const issues = specProviderIssues(spec, open.providers);
      expect(issues.map((i) => i.field).sort()).toEqual(['buses.1.name']);
      expect(issues.find((i) => i.field === 'buses.1.name')?.rule).toContain('named after its event source');
      // A source AppIntegrations cannot hold is refused by the routing translator: planned
      // unsupported with the reason, before any request.
      const ok = parseSpec(
        'version: 1\ntargets: [{ provider: aws }]\nbuses: [{ name: ok-bus }]\nintegrations:\n  - { name: bad-src, bus: ok-bus, filter: { source: app.orders } }\n',
        'ok.yaml',
        {},
      );
      const bad = (await planChanges(ok, open.providers)).items.find((i) => i.name === 'bad-src');
      expect(bad).toMatchObject({ action: 'unsupported' });
      expect(bad?.reason).toContain('aws.partner/');
    } finally {
      await open.close();
    }
  });
});

/**
 * Every create/update field per adapter: where the emulator received it, or the warning that
 * says it was not sent. A row names the doc rule it checks in `rule`.
 */
type Where =
  | { sent: [provider: 'tencent' | 'huawei' | 'aws', action: string, path: string, value: unknown] }
  | { warned: string };
interface Row {
  provider: 'tencent' | 'huawei' | 'aws';
  phase: 'create' | 'update';
  field: string;
  key: string;
  where: Where;
}

const CREATE = `
version: 1
targets: [{ provider: tencent }, { provider: huawei }, { provider: aws }]
buses:
  - name: all-bus
    description: d1
    tags: { team: a }
    overrides:
      tencent:
        retentionDays: 3
        extensions: { tencent: { EnableStore: true, LogTopicId: topic-1 } }
      huawei:
        extensions: { huawei: { enterprise_project_id: ep-1, cross_account: true, policy: { effect: allow } } }
      aws:
        extensions:
          aws:
            KmsKeyIdentifier: alias/k1
            DeadLetterConfig: { Arn: "arn:aws:sqs:us-east-1:000000000000:dlq1" }
            LogConfig: { IncludeDetail: FULL, Level: INFO }
  - name: aws.partner/example.com/orders
    providers: [aws]
    extensions: { aws: { EventSourceName: aws.partner/example.com/orders } }
connections:
  - name: all-conn
    bus: all-bus
    kind: ckafka
    description: c1
    enabled: false
    tags: { team: a }
    endpoint: "qcs::ckafka:ap-guangzhou:uin/1:ckafkaId/uin/1/ckafka-1"
    providers: [tencent]
    extensions: { tencent: { CkafkaParams: { Offset: latest, TopicName: t1 } } }
  - name: all-link
    kind: http
    description: l1
    enabled: false
    tags: { team: a }
    endpoint: https://example.com/hook
    network: { vpcId: vpc-1, subnetId: subnet-1 }
    providers: [huawei]
integrations:
  - name: all-int
    bus: all-bus
    description: i1
    enabled: false
    tags: { team: a }
    filter: { source: app.all }
    overrides:
      huawei:
        extensions: { huawei: { targets: [{ name: t1, provider_type: CUSTOM, detail: { url: "https://example.com/1" } }] } }
      aws:
        filter: { source: aws.partner/example.com/all }
`;

const UPDATE = CREATE.replace(/d1/, 'd2')
  .replace(/topic-1/, 'topic-2')
  .replace('EnableStore: true', 'EnableStore: false')
  .replace('retentionDays: 3', 'retentionDays: 5')
  .replace('cross_account: true', 'cross_account: false')
  .replace('alias/k1', 'alias/k2')
  .replace('dlq1', 'dlq2')
  .replace('Level: INFO', 'Level: ERROR')
  .replace(/c1/, 'c2')
  .replace(/l1/, 'l2')
  .replace(/i1/, 'i2')
  .replaceAll('enabled: false', 'enabled: true')
  .replaceAll('team: a', 'team: b')
  .replace('https://example.com/1', 'https://example.com/2');

const sent = (
  provider: 'tencent' | 'huawei' | 'aws',
  action: string,
  path: string,
  value: unknown,
): Where => ({ sent: [provider, action, path, value] });

const ROWS: Row[] = [
  // Tencent: CreateEventBus / UpdateEventBus (seed 001), the tag service, CreateRule / UpdateRule, CreateConnection / UpdateConnection
  {
    provider: 'tencent',
    phase: 'create',
    field: 'bus.name',
    key: 'tencent/bus/all-bus',
    where: sent('tencent', 'CreateEventBus', 'EventBusName', 'all-bus'),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'bus.description',
    key: 'tencent/bus/all-bus',
    where: sent('tencent', 'CreateEventBus', 'Description', 'd1'),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'bus.retentionDays',
    key: 'tencent/bus/all-bus',
    where: sent('tencent', 'CreateEventBus', 'SaveDays', 3),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'bus.extensions.tencent.EnableStore',
    key: 'tencent/bus/all-bus',
    where: sent('tencent', 'CreateEventBus', 'EnableStore', true),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'bus.extensions.tencent.LogTopicId',
    key: 'tencent/bus/all-bus',
    where: sent('tencent', 'UpdateEventBus', 'LogTopicId', 'topic-1'),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'bus.tags',
    key: 'tencent/bus/all-bus',
    where: sent('tencent', 'ModifyResourceTags', 'ReplaceTags', [{ TagKey: 'team', TagValue: 'a' }]),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'connection.name',
    key: 'tencent/connection/all-bus/all-conn',
    where: sent('tencent', 'CreateConnection', 'ConnectionName', 'all-conn'),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'connection.description',
    key: 'tencent/connection/all-bus/all-conn',
    where: sent('tencent', 'CreateConnection', 'Description', 'c1'),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'connection.kind',
    key: 'tencent/connection/all-bus/all-conn',
    where: sent('tencent', 'CreateConnection', 'Type', 'ckafka'),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'connection.endpoint',
    key: 'tencent/connection/all-bus/all-conn',
    where: sent(
      'tencent',
      'CreateConnection',
      'ConnectionDescription.ResourceDescription',
      'qcs::ckafka:ap-guangzhou:uin/1:ckafkaId/uin/1/ckafka-1',
    ),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'connection.enabled',
    key: 'tencent/connection/all-bus/all-conn',
    where: sent('tencent', 'CreateConnection', 'Enable', false),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'connection.extensions.tencent.CkafkaParams',
    key: 'tencent/connection/all-bus/all-conn',
    where: sent('tencent', 'CreateConnection', 'ConnectionDescription.CkafkaParams', {
      Offset: 'latest',
      TopicName: 't1',
    }),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'connection.tags',
    key: 'tencent/connection/all-bus/all-conn',
    where: { warned: 'tags' },
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'integration.name',
    key: 'tencent/integration/all-bus/all-int',
    where: sent('tencent', 'CreateRule', 'RuleName', 'all-int'),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'integration.description',
    key: 'tencent/integration/all-bus/all-int',
    where: sent('tencent', 'CreateRule', 'Description', 'i1'),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'integration.filter.source',
    key: 'tencent/integration/all-bus/all-int',
    where: sent('tencent', 'CreateRule', 'EventPattern', '{"source":["app.all"]}'),
  },
  {
    provider: 'tencent',
    phase: 'create',
    field: 'integration.enabled',
    key: 'tencent/integration/all-bus/all-int',
    where: sent('tencent', 'CreateRule', 'Enable', false),
  },
  {
    provider: 'tencent',
    phase: 'update',
    field: 'bus.description',
    key: 'tencent/bus/all-bus',
    where: sent('tencent', 'UpdateEventBus', 'Description', 'd2'),
  },
  {
    provider: 'tencent',
    phase: 'update',
    field: 'bus.retentionDays',
    key: 'tencent/bus/all-bus',
    where: sent('tencent', 'UpdateEventBus', 'SaveDays', 5),
  },
  {
    provider: 'tencent',
    phase: 'update',
    field: 'bus.extensions.tencent.EnableStore',
    key: 'tencent/bus/all-bus',
    where: sent('tencent', 'UpdateEventBus', 'EnableStore', false),
  },
  {
    provider: 'tencent',
    phase: 'update',
    field: 'bus.extensions.tencent.LogTopicId',
    key: 'tencent/bus/all-bus',
    where: sent('tencent', 'UpdateEventBus', 'LogTopicId', 'topic-2'),
  },
  {
    provider: 'tencent',
    phase: 'update',
    field: 'bus.tags',
    key: 'tencent/bus/all-bus',
    where: sent('tencent', 'ModifyResourceTags', 'ReplaceTags', [{ TagKey: 'team', TagValue: 'b' }]),
  },
  {
    provider: 'tencent',
    phase: 'update',
    field: 'connection.description',
    key: 'tencent/connection/all-bus/all-conn',
    where: sent('tencent', 'UpdateConnection', 'Description', 'c2'),
  },
  {
    provider: 'tencent',
    phase: 'update',
    field: 'connection.enabled',
    key: 'tencent/connection/all-bus/all-conn',
    where: sent('tencent', 'UpdateConnection', 'Enable', true),
  },
  {
    provider: 'tencent',
    phase: 'update',
    field: 'integration.description',
    key: 'tencent/integration/all-bus/all-int',
    where: sent('tencent', 'UpdateRule', 'Description', 'i2'),
  },
  {
    provider: 'tencent',
    phase: 'update',
    field: 'integration.enabled',
    key: 'tencent/integration/all-bus/all-int',
    where: sent('tencent', 'UpdateRule', 'Enable', true),
  },
  // Huawei: channel, connection and subscription bodies (huawei-eventgrid.md, seed 002), the operation call
  {
    provider: 'huawei',
    phase: 'create',
    field: 'bus.name',
    key: 'huawei/bus/all-bus',
    where: sent('huawei', 'CreateChannel', 'name', 'all-bus'),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'bus.description',
    key: 'huawei/bus/all-bus',
    where: sent('huawei', 'CreateChannel', 'description', 'd1'),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'bus.extensions.huawei.enterprise_project_id',
    key: 'huawei/bus/all-bus',
    where: sent('huawei', 'CreateChannel', 'enterprise_project_id', 'ep-1'),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'bus.extensions.huawei.cross_account',
    key: 'huawei/bus/all-bus',
    where: sent('huawei', 'CreateChannel', 'cross_account', true),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'bus.extensions.huawei.policy',
    key: 'huawei/bus/all-bus',
    where: sent('huawei', 'CreateChannel', 'policy', { effect: 'allow' }),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'bus.tags',
    key: 'huawei/bus/all-bus',
    where: { warned: 'tags' },
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'connection.name',
    key: 'huawei/connection/all-link',
    where: sent('huawei', 'CreateConnection', 'name', 'all-link'),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'connection.description',
    key: 'huawei/connection/all-link',
    where: sent('huawei', 'CreateConnection', 'description', 'l1'),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'connection.kind',
    key: 'huawei/connection/all-link',
    where: sent('huawei', 'CreateConnection', 'type', 'webhook'),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'connection.network',
    key: 'huawei/connection/all-link',
    where: sent('huawei', 'CreateConnection', 'vpc_id', 'vpc-1'),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'connection.endpoint',
    key: 'huawei/connection/all-link',
    where: { warned: 'endpoint' },
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'connection.enabled',
    key: 'huawei/connection/all-link',
    where: { warned: 'enabled' },
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'connection.tags',
    key: 'huawei/connection/all-link',
    where: { warned: 'tags' },
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'integration.name',
    key: 'huawei/integration/all-bus/all-int',
    where: sent('huawei', 'CreateSubscription', 'name', 'all-int'),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'integration.description',
    key: 'huawei/integration/all-bus/all-int',
    where: sent('huawei', 'CreateSubscription', 'description', 'i1'),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'integration.filter.source',
    key: 'huawei/integration/all-bus/all-int',
    where: sent('huawei', 'CreateSubscription', 'sources.0.name', 'app.all'),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'integration.extensions.huawei.targets',
    key: 'huawei/integration/all-bus/all-int',
    where: sent('huawei', 'CreateSubscription', 'targets.0.detail', { url: 'https://example.com/1' }),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'integration.enabled',
    key: 'huawei/integration/all-bus/all-int',
    where: sent('huawei', 'OperateSubscription', 'operation', 'DISABLE'),
  },
  {
    provider: 'huawei',
    phase: 'create',
    field: 'integration.tags',
    key: 'huawei/integration/all-bus/all-int',
    where: { warned: 'tags' },
  },
  {
    provider: 'huawei',
    phase: 'update',
    field: 'bus.description',
    key: 'huawei/bus/all-bus',
    where: sent('huawei', 'UpdateChannel', 'description', 'd2'),
  },
  {
    provider: 'huawei',
    phase: 'update',
    field: 'bus.extensions.huawei.cross_account',
    key: 'huawei/bus/all-bus',
    where: sent('huawei', 'UpdateChannel', 'cross_account', false),
  },
  {
    provider: 'huawei',
    phase: 'update',
    field: 'connection.description',
    key: 'huawei/connection/all-link',
    where: sent('huawei', 'UpdateConnection', 'description', 'l2'),
  },
  {
    provider: 'huawei',
    phase: 'update',
    field: 'integration.description',
    key: 'huawei/integration/all-bus/all-int',
    where: sent('huawei', 'UpdateSubscription', 'description', 'i2'),
  },
  {
    provider: 'huawei',
    phase: 'update',
    field: 'integration.extensions.huawei.targets',
    key: 'huawei/integration/all-bus/all-int',
    where: sent('huawei', 'UpdateSubscription', 'targets.0.detail', { url: 'https://example.com/2' }),
  },
  {
    provider: 'huawei',
    phase: 'update',
    field: 'integration.enabled',
    key: 'huawei/integration/all-bus/all-int',
    where: sent('huawei', 'OperateSubscription', 'operation', 'ENABLE'),
  },
  // AWS: CreateEventBus / UpdateEventBus (EventBridge API), CreateEventIntegration (seed 003)
  {
    provider: 'aws',
    phase: 'create',
    field: 'bus.name',
    key: 'aws/bus/all-bus',
    where: sent('aws', 'CreateEventBus', 'Name', 'all-bus'),
  },
  {
    provider: 'aws',
    phase: 'create',
    field: 'bus.description',
    key: 'aws/bus/all-bus',
    where: sent('aws', 'CreateEventBus', 'Description', 'd1'),
  },
  {
    provider: 'aws',
    phase: 'create',
    field: 'bus.tags',
    key: 'aws/bus/all-bus',
    where: sent('aws', 'CreateEventBus', 'Tags', [{ Key: 'team', Value: 'a' }]),
  },
  {
    provider: 'aws',
    phase: 'create',
    field: 'bus.extensions.aws.KmsKeyIdentifier',
    key: 'aws/bus/all-bus',
    where: sent('aws', 'CreateEventBus', 'KmsKeyIdentifier', 'alias/k1'),
  },
  {
    provider: 'aws',
    phase: 'create',
    field: 'bus.extensions.aws.DeadLetterConfig',
    key: 'aws/bus/all-bus',
    where: sent('aws', 'CreateEventBus', 'DeadLetterConfig', {
      Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq1',
    }),
  },
  {
    provider: 'aws',
    phase: 'create',
    field: 'bus.extensions.aws.LogConfig',
    key: 'aws/bus/all-bus',
    where: sent('aws', 'CreateEventBus', 'LogConfig', { IncludeDetail: 'FULL', Level: 'INFO' }),
  },
  {
    provider: 'aws',
    phase: 'create',
    field: 'bus.extensions.aws.EventSourceName',
    key: 'aws/bus/aws.partner/example.com/orders',
    where: sent('aws', 'CreateEventBus', 'EventSourceName', 'aws.partner/example.com/orders'),
  },
  {
    provider: 'aws',
    phase: 'create',
    field: 'integration.name',
    key: 'aws/integration/all-bus/all-int',
    where: sent('aws', 'CreateEventIntegration', 'Name', 'all-int'),
  },
  {
    provider: 'aws',
    phase: 'create',
    field: 'integration.description',
    key: 'aws/integration/all-bus/all-int',
    where: sent('aws', 'CreateEventIntegration', 'Description', 'i1'),
  },
  {
    provider: 'aws',
    phase: 'create',
    field: 'integration.filter.source',
    key: 'aws/integration/all-bus/all-int',
    where: sent('aws', 'CreateEventIntegration', 'EventFilter.Source', 'aws.partner/example.com/all'),
  },
  {
    provider: 'aws',
    phase: 'create',
    field: 'integration.tags',
    key: 'aws/integration/all-bus/all-int',
    where: sent('aws', 'CreateEventIntegration', 'Tags', { team: 'a' }),
  },
  {
    provider: 'aws',
    phase: 'create',
    field: 'integration.enabled',
    key: 'aws/integration/all-bus/all-int',
    where: { warned: 'enabled' },
  },
  {
    provider: 'aws',
    phase: 'update',
    field: 'bus.description',
    key: 'aws/bus/all-bus',
    where: sent('aws', 'UpdateEventBus', 'Description', 'd2'),
  },
  {
    provider: 'aws',
    phase: 'update',
    field: 'bus.extensions.aws.KmsKeyIdentifier',
    key: 'aws/bus/all-bus',
    where: sent('aws', 'UpdateEventBus', 'KmsKeyIdentifier', 'alias/k2'),
  },
  {
    provider: 'aws',
    phase: 'update',
    field: 'bus.extensions.aws.DeadLetterConfig',
    key: 'aws/bus/all-bus',
    where: sent('aws', 'UpdateEventBus', 'DeadLetterConfig', {
      Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq2',
    }),
  },
  {
    provider: 'aws',
    phase: 'update',
    field: 'bus.extensions.aws.LogConfig',
    key: 'aws/bus/all-bus',
    where: sent('aws', 'UpdateEventBus', 'LogConfig', { IncludeDetail: 'FULL', Level: 'ERROR' }),
  },
  {
    provider: 'aws',
    phase: 'update',
    field: 'bus.tags',
    key: 'aws/bus/all-bus',
    where: sent('aws', 'TagResource', 'Tags', [{ Key: 'team', Value: 'b' }]),
  },
  {
    provider: 'aws',
    phase: 'update',
    field: 'integration.description',
    key: 'aws/integration/all-bus/all-int',
    where: sent('aws', 'UpdateEventIntegration', 'Description', 'i2'),
  },
  {
    provider: 'aws',
    phase: 'update',
    field: 'integration.tags',
    key: 'aws/integration/all-bus/all-int',
    where: sent('aws', 'TagResource', 'tags', { team: 'b' }),
  },
];

/** The bodies an emulator recorded for an action after index `since` of its log. */
function recorded(
  provider: 'tencent' | 'huawei' | 'aws',
  action: string,
  since: number,
): Record<string, unknown>[] {
  if (provider === 'tencent')
    return emu.tencent.received.slice(since).flatMap((r) => (r.action === action ? [r.params] : []));
  if (provider === 'huawei')
    return emu.huawei.received
      .slice(since)
      .flatMap((r) =>
        r.operation === action ? [JSON.parse(r.body || '{}') as Record<string, unknown>] : [],
      );
  return emu.aws.received.slice(since).flatMap((r) => (r.operation === action ? [r.body] : []));
}

const at = (o: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      o,
    );

describe('nothing is dropped silently: every field is sent or warned about', () => {
  const plans: Partial<Record<'create' | 'update', Plan>> = {};
  const cliOut: Partial<Record<'create' | 'update', string>> = {};
  const marks: Partial<Record<'create' | 'update', Record<string, number>>> = {};
  const mark = () => ({
    tencent: emu.tencent.received.length,
    huawei: emu.huawei.received.length,
    aws: emu.aws.received.length,
  });

  beforeAll(async () => {
    for (const [phase, text] of [
      ['create', CREATE],
      ['update', UPDATE],
    ] as const) {
      const file = join(dir, `${phase}.yaml`);
      writeFileSync(file, text);
      cliOut[phase] = (await runCli(['plan', '-f', file], emu.env)).stdout;
      marks[phase] = mark();
      plans[phase] = await planApply(text);
    }
  }, 120_000);

  it.each(ROWS.map((r) => [`${r.provider} ${r.phase} ${r.field}`, r] as const))('%s', (_name, row) => {
    const plan = plans[row.phase]!;
    const planned = item(plan, row.key);
    expect(planned, row.key).toBeDefined();
    if ('warned' in row.where) {
      const setting = row.where.warned;
      expect(planned.warnings).toContainEqual(
        expect.objectContaining({ type: 'unsupported-setting', setting }),
      );
      const flat = cliOut[row.phase]!.replace(/[│┌┐└┘├┤┬┴┼─]/g, ' ').replace(/\s+/g, ' ');
      expect(flat).toContain(`warning: ${setting} ignored`);
      return;
    }
    const [provider, action, path, value] = row.where.sent;
    const bodies = recorded(provider, action, marks[row.phase]![provider]!);
    expect(
      bodies.map((b) => at(b, path)),
      `${action}.${path}`,
    ).toContainEqual(value);
  });

  it('export emits only documented writable native fields (no ids, types, ARNs, timestamps, status)', async () => {
    const spec = parseSpec(UPDATE, 'spec.yaml', {});
    const open = await openProviders(['tencent', 'huawei', 'aws'], spec, emu.env);
    try {
      const writable: Record<string, Partial<Record<string, readonly string[]>>> = {
        tencent: Object.fromEntries(Object.entries(TENCENT_EXTENSIONS).map(([k, v]) => [k, Object.keys(v)])),
        huawei: {
          ...Object.fromEntries(
            Object.entries(HUAWEI_EXTENSIONS).map(([k, v]) => [k, Array.isArray(v) ? v : Object.keys(v)]),
          ),
        },
        aws: { bus: Object.keys(AWS_EXTENSIONS.bus), integration: [] },
      };
      for (const p of ['tencent', 'huawei', 'aws'] as const) {
        const exported = await exportSpec(open.providers[p]!);
        const sections = {
          bus: exported.buses,
          connection: exported.connections,
          integration: exported.integrations,
        };
        for (const [kind, items] of Object.entries(sections)) {
          for (const i of items) {
            const keys = Object.keys(i.extensions?.[p] ?? {});
            expect(
              keys.filter((k) => !(writable[p]![kind] ?? []).includes(k)),
              `${p} ${kind} ${i.name}`,
            ).toEqual([]);
            for (const field of ['id', 'status', 'createdAt', 'updatedAt', 'provider'])
              expect(i).not.toHaveProperty(field);
          }
        }
      }
    } finally {
      await open.close();
    }
  });

  it('a re-plan of the updated spec is empty (every field reads back)', async () => {
    const plan = await planApply(UPDATE, false);
    const changed = plan.items.filter((i) => i.action !== 'noop');
    expect(changed.map((i) => `${i.key}: ${JSON.stringify(i.changes)}`)).toEqual([]);
  });
});
