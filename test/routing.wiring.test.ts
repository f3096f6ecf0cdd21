// Neutral routing wired end to end (issue 9): spec -> plan -> adapters -> emulators -> read back,
// refusals before any request, migration of routes. It must never assert on wall-clock time.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { openProviders } from '../src/cli/commands/provision.js';
import { applyPlan } from '../src/core/engine/apply.js';
import { canonicalFilter, type Filter } from '../src/core/model/filter.js';
import { exportSpec, translateSpec } from '../src/core/engine/migrate.js';
import { issuesOf } from '../src/core/runtime/parse.js';
import { planChanges } from '../src/core/engine/plan/index.js';
import { collect } from '../src/core/runtime/resources.js';
import { parseSpec } from '../src/core/spec/load.js';
import { SpecSchema } from '../src/core/spec/schema.js';

const EXAMPLE = readFileSync(new URL('../examples/routing.yaml', import.meta.url), 'utf8');

let emu: RunningEmulators;
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(() => emu.close());

const calls = (op: string) => emu.huawei.received.filter((r) => r.operation === op).length;

describe('examples/routing.yaml', () => {
  it('plans creates on Tencent, Huawei, AWS and Azure (no needs-input), applies and converges', async () => {
    const spec = parseSpec(EXAMPLE, 'routing.yaml', {});
    // Each target with its own options (Azure's caseInsensitiveMatch), on the emulators.
    const open = await openProviders(
      spec.targets.map((t) => t.provider),
      spec,
      emu.env,
    );
    try {
      const plan = await planChanges(spec, open.providers);
      const byKey = Object.fromEntries(plan.items.map((i) => [`${i.provider}/${i.kind}`, i]));
      expect(byKey['tencent/integration']?.action).toBe('create');
      expect(byKey['huawei/integration']?.action).toBe('create');
      // AWS: an EventBridge rule with a Lambda target (issue 23).
      expect(byKey['aws/integration']?.action).toBe('create');
      // Azure: an event subscription with a WebHook, under caseInsensitiveMatch: accept.
      expect(byKey['azure/integration']?.action).toBe('create');
      expect(plan.items.filter((i) => i.action === 'error')).toEqual([]);

      const outcomes = await applyPlan(plan, open.providers);
      expect(outcomes.filter((o) => o.status === 'failed' || o.status === 'skipped')).toEqual([]);

      // Azure: the subject prefix stays case-sensitive; the lettered values are compared caselessly.
      const azureSub = [...emu.azure.state.eventSubscriptions.values()].find(
        (x) => x.name === 'eu-web-orders',
      )!;
      expect(azureSub.properties).toMatchObject({
        filter: { subjectBeginsWith: 'orders/', isSubjectCaseSensitive: true },
      });
      expect(JSON.stringify(azureSub.properties)).toContain('web.orders');

      // Tencent: the EventPattern (Event Pattern page: keys AND, value lists OR, anything-but) and one CKafka target.
      const rule = [...emu.tencent.rules.values()].find((r) => r.RuleName === 'eu-web-orders')!;
      expect(JSON.parse(String(rule.EventPattern))).toEqual({
        source: ['web.orders'],
        subject: [{ prefix: 'orders/' }],
        type: [{ 'anything-but': 'order.test' }],
        data: { sku: [{ suffix: '-eu' }], channel: ['web'] },
      });
      const targets = [...emu.tencent.targets.values()].filter((t) => t.RuleId === rule.RuleId);
      expect(targets).toHaveLength(1);
      expect(targets[0]).toMatchObject({
        Type: 'ckafka',
        TargetDescription: {
          CkafkaTargetParams: {
            TopicName: 'orders-eu',
            RetryPolicy: { RetryInterval: 60, MaxRetryAttempts: 3 },
          },
        },
      });

      // AWS: the same filter as an event pattern over publish's mapping (subject -> resources,
      // data -> detail); not on type, always present, is anything-but alone.
      const awsRule = emu.aws.rules.get('shop-events/eu-web-orders')!;
      expect(JSON.parse(String(awsRule.EventPattern))).toEqual({
        source: ['web.orders'],
        resources: [{ prefix: 'orders/' }],
        'detail-type': [{ 'anything-but': 'order.test' }],
        detail: { sku: [{ suffix: '-eu' }], channel: ['web'] },
      });
      expect(awsRule.Targets).toEqual([
        {
          Id: 'target-1',
          Arn: 'arn:aws:lambda:us-east-1:123456789012:function:fulfil-orders',
          RetryPolicy: { MaximumRetryAttempts: 3 },
        },
      ]);

      // Huawei: source StringIn (required), the other fields ANDed, an HTTPS target with retry_times.
      const sub = [...emu.huawei.subscriptions.values()].find((s) => s.name === 'eu-web-orders')!;
      const source = (sub.sources as { filter: Record<string, unknown> }[])[0]!;
      expect(source.filter).toEqual({
        source: [{ op: 'StringIn', values: ['web.orders'] }],
        subject: [{ op: 'StringStartsWith', values: ['orders/'] }],
        type: [{ op: 'StringNotIn', values: ['order.test'] }],
        data: {
          sku: [{ op: 'StringEndsWith', values: ['-eu'] }],
          channel: [{ op: 'StringIn', values: ['web'] }],
        },
      });
      expect(sub.targets).toEqual([
        expect.objectContaining({
          name: 'HTTPS',
          detail: { url: 'https://fulfilment.example.com/hooks/orders' },
          retry_times: 3,
        }),
      ]);

      // Read back equal: a second plan has nothing to do on Tencent and Huawei.
      const again = await planChanges(spec, open.providers);
      for (const p of ['tencent', 'huawei'])
        expect(again.items.filter((i) => i.provider === p).map((i) => [i.kind, i.action])).not.toContainEqual(
          ['integration', expect.stringMatching(/create|update|replace/)],
        );

      // A changed filter and an added target update in place; Huawei keeps the source id.
      const sourceId = (sub.sources as { id: string }[])[0]!.id;
      const changed = parseSpec(
        EXAMPLE.replace('prefix: { subject: orders/ }', 'prefix: { subject: orders/eu/ }').replace(
          '        url: https://fulfilment.example.com/hooks/orders\n',
          '        url: https://fulfilment.example.com/hooks/orders\n      - kind: http\n        url: https://audit.example.com/hooks\n',
        ),
        'routing.yaml',
        {},
      );
      const update = await planChanges(changed, open.providers);
      const hw = update.items.find((i) => i.provider === 'huawei' && i.kind === 'integration')!;
      expect(hw.action).toBe('update');
      expect(hw.changes?.map((c) => c.field).sort()).toEqual(['delivery', 'filter', 'targets']);
      expect((await applyPlan(update, open.providers)).filter((o) => o.status === 'failed')).toEqual([]);
      const after = emu.huawei.subscriptions.get(String(sub.id))!;
      expect((after.sources as { id: string }[])[0]!.id).toBe(sourceId);
      expect((after.targets as unknown[]).length).toBe(2);
      expect(
        JSON.parse(
          String([...emu.tencent.rules.values()].find((r) => r.RuleName === 'eu-web-orders')!.EventPattern),
        ).subject,
      ).toEqual([{ prefix: 'orders/eu/' }]);

      await applyPlan(await planChanges(changed, open.providers, { destroy: true }), open.providers);
      expect([...emu.tencent.rules.values()].filter((r) => r.RuleName === 'eu-web-orders')).toEqual([]);
    } finally {
      await open.close();
    }
  });
});

describe('a filter a provider cannot express exactly is refused, never widened, before any request', () => {
  const spec = (filter: string, targets = '[{ kind: http, url: "https://h.example.com/x" }]') => `
version: 1
targets: [{ provider: tencent }, { provider: huawei }]
buses: [{ name: narrow-bus }]
integrations:
  - name: narrow
    bus: narrow-bus
    filter: ${filter}
    targets: ${targets}
    overrides:
      tencent: { targets: null }
`;

  it('Tencent: not on a data field (anything-but fails on an absent field); Huawei: prefix on source (StringIn only)', async () => {
    const open = await openProviders(['tencent', 'huawei'], undefined, emu.env);
    try {
      const s = parseSpec(
        spec(
          '[{ exact: { source: app.narrow } }, { not: { exact: { data.tier: gold } } }, { prefix: { type: a. } }]',
        ),
        'narrow.yaml',
        {},
      );
      const plan = await planChanges(s, open.providers);
      const tencent = plan.items.find((i) => i.provider === 'tencent' && i.kind === 'integration')!;
      expect(tencent.action).toBe('unsupported');
      expect(tencent.reason).toContain('anything-but never matches an event without `data.tier`');
      // Huawei can say this one exactly (StringNotIn plus IsNull): it is planned.
      expect(plan.items.find((i) => i.provider === 'huawei' && i.kind === 'integration')!.action).toBe(
        'create',
      );

      // Applying the Tencent part sends no rule: the widened pattern never reaches the service.
      const tencentOnly = await planChanges(s, open.providers, { targets: ['tencent'] });
      await applyPlan(tencentOnly, open.providers);
      expect([...emu.tencent.rules.values()].filter((r) => r.RuleName === 'narrow')).toEqual([]);
      await applyPlan(
        await planChanges(s, open.providers, { targets: ['tencent'], destroy: true }),
        open.providers,
      );
      const wide = parseSpec(spec('{ prefix: { source: app. } }'), 'wide.yaml', {});
      const before = calls('CreateSubscription');
      const widePlan = await planChanges(wide, open.providers);
      const huawei = widePlan.items.find((i) => i.provider === 'huawei' && i.kind === 'integration')!;
      expect(huawei.action).toBe('unsupported');
      expect(huawei.reason).toContain('source supports only the StringIn operator');
      await applyPlan(widePlan, open.providers);
      // No subscription request was sent for the refused route, and none exists.
      expect(calls('CreateSubscription')).toBe(before);
      expect([...emu.huawei.subscriptions.values()].filter((x) => x.name === 'narrow')).toEqual([]);
      // The adapter refuses too, before any request (Unsupported, naming the field).
      const received = emu.huawei.received.length;
      await expect(
        open.providers.huawei!.integrations.create({
          name: 'narrow',
          bus: 'any-channel',
          filter: { prefix: { source: 'app.' } },
          targets: [{ kind: 'http', url: 'https://h.example.com/x' }],
        }),
      ).rejects.toMatchObject({
        code: 'Unsupported',
        message: expect.stringContaining('filter: Huawei filter rule'),
      });
      expect(emu.huawei.received.length).toBe(received);
      await applyPlan(await planChanges(wide, open.providers, { destroy: true }), open.providers);
    } finally {
      await open.close();
    }
  });
});

describe('bad input names the field', () => {
  const base = (integration: Record<string, unknown>) => ({
    version: 1,
    targets: [{ provider: 'huawei' }],
    buses: [{ name: 'b' }],
    integrations: [{ name: 'i', bus: 'b', ...integration }],
  });

  it('an unknown dialect and an empty any (CloudEvents Subscriptions API dialects)', () => {
    expect(issuesOf(SpecSchema, base({ filter: { regex: { type: 'a.*' } } }))).toEqual([
      {
        field: 'integrations.0.filter.regex',
        rule: expect.stringContaining('unknown filter dialect `regex`'),
      },
    ]);
    expect(issuesOf(SpecSchema, base({ filter: { any: [] } }))).toEqual([
      { field: 'integrations.0.filter.any', rule: 'any must not be empty' },
    ]);
  });

  it('more targets than the provider allows (Tencent and Huawei: 5), and a Huawei filter over the limits (eg-ug-018)', async () => {
    const open = await openProviders(['tencent', 'huawei'], undefined, emu.env);
    try {
      const six = Array.from({ length: 6 }, (_, i) => ({
        kind: 'http' as const,
        url: `https://h.example.com/${i}`,
      }));
      const refusal = (provider: 'tencent' | 'huawei', input: Record<string, unknown>) =>
        open.providers[provider]!.integrations.create({
          name: 'many',
          bus: 'b',
          filter: { source: 'x' },
          ...input,
        }).catch((e: unknown) => e);
      expect(await refusal('huawei', { targets: six })).toMatchObject({
        code: 'InvalidArgument',
        issues: [{ field: 'targets', rule: expect.stringContaining('a subscription has at most 5 targets') }],
      });
      const sixFunctions = six.map((_, i) => ({
        kind: 'function' as const,
        function: `qcs::scf:ap-guangzhou:uin/1:namespace/default/function/f${i}`,
      }));
      expect(await refusal('tencent', { targets: sixFunctions })).toMatchObject({
        code: 'Unsupported',
        message: expect.stringContaining('targets: tencent allows at most 5 targets per integration'),
      });
      const sixFields: Filter = {
        all: [
          { exact: { source: 'x' } },
          ...['a', 'b', 'c', 'd', 'e', 'f'].map((k) => ({ exact: { [`data.${k}`]: 'v' } })),
        ],
      };
      const over = await refusal('huawei', { filter: sixFields, targets: six.slice(0, 1) });
      expect(over).toMatchObject({
        code: 'Unsupported',
        message: expect.stringContaining('filter: Huawei filter rule: over the documented limits'),
      });
      expect(String((over as Error).message)).toContain('5');
    } finally {
      await open.close();
    }
  });
});

describe('migration carries filters and targets; the report names what cannot move', () => {
  const ROUTE: Filter = {
    all: [
      { exact: { source: 'shop.orders' } },
      { prefix: { type: 'order.' } },
      { suffix: { subject: '.json' } },
      { prefix: { 'data.sku': 'eu-' } },
      { exact: { 'data.channel': 'web' } },
    ],
  };
  const yaml = (provider: string, route: string) => `
version: 1
targets: [{ provider: ${provider} }]
buses: [{ name: mig-bus-${provider} }]
integrations:
  - name: mig-route
    bus: mig-bus-${provider}
    filter: ${JSON.stringify(ROUTE)}
${route}
`;

  it('Tencent -> Huawei -> Tencent: the filter comes back equal; the CKafka retry delay cannot move (Huawei: retry_times only)', async () => {
    const open = await openProviders(['tencent', 'huawei'], undefined, emu.env);
    try {
      const start = parseSpec(
        yaml(
          'tencent',
          `    targets: [{ kind: kafka, connection: "qcs::ckafka:ap-guangzhou:uin/1:ckafkaId/uin/1/ckafka-1", topic: t }]
    delivery: { retry: { maxAttempts: 2, backoff: fixed, delaySeconds: 30 } }`,
        ),
        't.yaml',
        {},
      );
      await applyPlan(await planChanges(start, open.providers), open.providers);
      const CKAFKA = 'qcs::ckafka:ap-guangzhou:uin/1:ckafkaId/uin/1/ckafka-1';
      // The CKafka instance is a Tencent reference: unmapped, the route is held back for input...
      const held = translateSpec(
        await exportSpec(open.providers.tencent!),
        'tencent',
        open.providers.huawei!,
      );
      expect(held.rows.find((r) => r.name === 'mig-route')!.outcome).toBe('needs-input');
      expect(held.spec.integrations.find((i) => i.name === 'mig-route')).toBeUndefined();
      // ... and mapped to a Huawei Kafka connection, it moves with the Huawei reference.
      const kafka = await open.providers.huawei!.connections.create({
        name: 'mig-kafka',
        kind: 'kafka',
        network: { vpcId: 'vpc-mig', subnetId: 'subnet-mig' },
        kafka: { instanceId: 'kafka-mig', address: '10.0.0.1:9092', saslSsl: false },
      });
      const toHuawei = translateSpec(
        await exportSpec(open.providers.tencent!),
        'tencent',
        open.providers.huawei!,
        { references: { [CKAFKA]: kafka.id } },
      );
      const row = toHuawei.rows.find((r) => r.name === 'mig-route')!;
      expect(row.details).toContain(`targets.0.connection ${CKAFKA} -> ${kafka.id} (mapped)`);
      expect(row.details).toContainEqual(
        expect.stringContaining('delivery dropped: Huawei: Huawei retry: a target takes only retry_times'),
      );
      const onHuawei = toHuawei.spec.integrations.find((i) => i.name === 'mig-route')!;
      expect(onHuawei.filter).toEqual(canonicalFilter(ROUTE));
      expect(onHuawei.targets).toEqual([{ kind: 'kafka', connection: kafka.id, topic: 't' }]);
      expect(
        (await applyPlan(await planChanges(toHuawei.spec, open.providers), open.providers)).filter(
          (o) => o.status === 'failed',
        ),
      ).toEqual([]);

      const back = translateSpec(
        await exportSpec(open.providers.huawei!),
        'huawei',
        open.providers.tencent!,
        {
          references: { [kafka.id]: CKAFKA },
        },
      );
      const returned = back.spec.integrations.find((i) => i.name === 'mig-route');
      // The filter is equal; the kafka target cannot be on Tencent without a RetryPolicy (Huawei has no delay).
      expect(returned?.filter).toEqual(canonicalFilter(ROUTE));
      expect(back.rows.find((r) => r.name === 'mig-route')!.details).toContainEqual(
        expect.stringContaining('targets.0 dropped: CkafkaTargetParams.RetryPolicy is required'),
      );
      await applyPlan(await planChanges(toHuawei.spec, open.providers, { destroy: true }), open.providers);
      await open.providers.huawei!.connections.delete(kafka.id);
      await applyPlan(await planChanges(start, open.providers, { destroy: true }), open.providers);
    } finally {
      await open.close();
    }
  });

  it('Huawei -> Tencent -> Huawei: the filter comes back equal; the http target cannot be on Tencent (no webhook target)', async () => {
    const open = await openProviders(['tencent', 'huawei'], undefined, emu.env);
    try {
      const start = parseSpec(
        yaml(
          'huawei',
          `    targets: [{ kind: http, url: "https://h.example.com/in" }]\n    delivery: { retry: { maxAttempts: 4 } }`,
        ),
        'h.yaml',
        {},
      );
      await applyPlan(await planChanges(start, open.providers), open.providers);
      const toTencent = translateSpec(
        await exportSpec(open.providers.huawei!),
        'huawei',
        open.providers.tencent!,
      );
      const row = toTencent.rows.find((r) => r.name === 'mig-route')!;
      expect(row.details).toContainEqual(
        expect.stringContaining('targets.0 dropped: Tencent has no webhook target'),
      );
      expect(row.details).toContain('delivery dropped: no target left to apply it to');
      const onTencent = toTencent.spec.integrations.find((i) => i.name === 'mig-route')!;
      expect(onTencent.filter).toEqual(canonicalFilter(ROUTE));
      expect(
        (await applyPlan(await planChanges(toTencent.spec, open.providers), open.providers)).filter(
          (o) => o.status === 'failed',
        ),
      ).toEqual([]);
      const back = translateSpec(
        await exportSpec(open.providers.tencent!),
        'tencent',
        open.providers.huawei!,
      );
      const returned = back.rows.find((r) => r.name === 'mig-route')!;
      // Huawei needs 1-5 targets and the rule has none: the report asks for them.
      expect(returned.outcome).toBe('needs-input');
      expect(returned.details).toContainEqual(expect.stringContaining('targets is required'));
      const live = await collect(open.providers.tencent!.integrations.list());
      expect(live.find((i) => i.name === 'mig-route')?.filter).toEqual(canonicalFilter(ROUTE));
      await applyPlan(await planChanges(toTencent.spec, open.providers, { destroy: true }), open.providers);
      await applyPlan(await planChanges(start, open.providers, { destroy: true }), open.providers);
    } finally {
      await open.close();
    }
  });

  it('to AWS: the filter moves exactly; the http target asks for its connection and role', async () => {
    const open = await openProviders(['huawei', 'aws'], undefined, emu.env);
    try {
      const spec = parseSpec(
        yaml('huawei', `    targets: [{ kind: http, url: "https://h.example.com/in" }]`),
        'a.yaml',
        {},
      );
      const m = translateSpec(spec, 'huawei', open.providers.aws!);
      const row = m.rows.find((r) => r.name === 'mig-route')!;
      expect(row.outcome).toBe('needs-input');
      const text = row.details.join('\n');
      expect(text).toContain('needs input: connection');
      // The filter moves exactly (an event pattern); what the rule lacks is a target.
      expect(text).not.toContain('filter cannot move');
      expect(text).toContain('an EventBridge rule needs at least one target');
    } finally {
      await open.close();
    }
  });
});

describe('Tencent targets and transformation', () => {
  it('creates targets and the rule transformation, diffs targets on update, and removes them before DeleteRule', async () => {
    const open = await openProviders(['tencent'], undefined, emu.env);
    try {
      const p = open.providers.tencent!;
      const bus = await p.buses.create({ name: 'targets-bus' });
      const fn = (n: string) => `qcs::scf:ap-guangzhou:uin/1:namespace/default/function/${n}`;
      const integ = await p.integrations.create({
        name: 'with-targets',
        bus: bus.id,
        filter: { prefix: { type: 'order.' } },
        targets: [
          { kind: 'function', function: fn('a'), transform: { kind: 'path', path: '$.data' } },
          {
            kind: 'log',
            log: 'qcs::cls:ap-guangzhou:uin/1:topic/t-1',
            transform: { kind: 'path', path: '$.data' },
          },
        ],
      });
      expect(integ.targets?.map((t) => t.kind)).toEqual(['function', 'log']);
      const ruleId = integ.id.split('/')[1];
      // The id is kept in the rule's reference tag (tags.ts), never in the neutral resource.
      const transformationId = emu.tencent.resourceTags
        .get(`ap-guangzhou|ruleid|${integ.id}`)
        ?.get('polybus:transformation');
      expect(integ.extensions?.tencent).not.toHaveProperty('TransformationId');
      expect(emu.tencent.transformations.get(String(transformationId))?.Transformations).toEqual([
        { Extraction: { ExtractionInputPath: '$.data', Format: 'JSON' } },
      ]);
      const idsOf = () =>
        new Map(
          [...emu.tencent.targets.values()]
            .filter((t) => t.RuleId === ruleId)
            .map((t) => [
              String((t.TargetDescription as { ResourceDescription: string }).ResourceDescription),
              t.TargetId,
            ]),
        );
      const before = idsOf();
      const updated = await p.integrations.update(integ.id, {
        targets: [
          { kind: 'function', function: fn('a') },
          { kind: 'function', function: fn('b') },
        ],
      });
      expect(updated.targets?.map((t) => (t.kind === 'function' ? t.function : t.kind))).toEqual([
        fn('a'),
        fn('b'),
      ]);
      const after = idsOf();
      // The unchanged target keeps its id; the log target is gone; the new function target is created.
      expect(after.get(fn('a'))).toBe(before.get(fn('a')));
      expect(after.has('qcs::cls:ap-guangzhou:uin/1:topic/t-1')).toBe(false);
      // No target asks for the transform any more: the transformation is deleted.
      expect(emu.tencent.transformations.has(String(transformationId))).toBe(false);
      await p.integrations.delete(integ.id);
      expect(idsOf().size).toBe(0);
      await p.buses.delete(bus.id);
    } finally {
      await open.close();
    }
  });
});

describe('polybus filter test', () => {
  it('says whether an event matches, locally, with the reason, and what a provider would do', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { runCli } = await import('./helpers/cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'polybus-filter-'));
    const spec = join(dir, 'routing.yaml');
    writeFileSync(spec, EXAMPLE);
    const event = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const path = join(dir, `e-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(
        path,
        JSON.stringify({
          specversion: '1.0',
          id: '1',
          source: 'web.orders',
          type: 'order.created',
          subject: 'orders/42',
          data,
          ...extra,
        }),
      );
      return path;
    };
    const args = (e: string, ...more: string[]) => [
      'filter',
      'test',
      '-f',
      spec,
      '-i',
      'eu-web-orders',
      '-e',
      e,
      ...more,
    ];
    const hit = await runCli(args(event({ sku: 'x-eu', channel: 'web' }), '-p', 'huawei'));
    expect(hit).toMatchObject({ code: 0 });
    expect(hit.stdout).toContain('match: all 5 conditions hold');
    expect(hit.stdout).toContain('huawei: match');
    const miss = await runCli(args(event({ sku: 'x-us', channel: 'web' })));
    expect(miss.stdout).toContain('no match: suffix data.sku "-eu" fails (data.sku is "x-us")');
    const aws = await runCli([...args(event({ sku: 'x-eu', channel: 'web' })), '-p', 'aws', '--json']);
    // AWS: the route is an EventBridge event pattern (issue 23), which decides the same way.
    expect(JSON.parse(aws.stdout)).toMatchObject({
      matched: true,
      provider: { name: 'aws', expressible: true },
    });
    const bad = await runCli(args(event({}, { id: '' })));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('event.id');
  });
});

describe('Huawei native targets beside neutral ones', () => {
  it('keeps extensions.huawei.targets (native leftovers) when an update sets only the neutral targets, with stable ids', async () => {
    const open = await openProviders(['huawei'], undefined, emu.env);
    try {
      const p = open.providers.huawei!;
      const bus = await p.buses.create({ name: 'native-mix' });
      const integ = await p.integrations.create({
        name: 'mixed',
        bus: bus.id,
        filter: { source: 'app.mixed' },
        targets: [{ kind: 'http', url: 'https://a.example.com/' }],
        extensions: {
          huawei: { targets: [{ name: 'HC.SMN', provider_type: 'OFFICIAL', detail: { topic: 't' } }] },
        },
      });
      expect(integ.targets).toEqual([{ kind: 'http', url: 'https://a.example.com/' }]);
      expect(integ.extensions?.huawei?.targets).toEqual([expect.objectContaining({ name: 'HC.SMN' })]);
      const row = () => emu.huawei.subscriptions.get(integ.id)!;
      const smnId = (row().targets as { name: string; id: string }[]).find((t) => t.name === 'HC.SMN')!.id;
      const sourceId = (row().sources as { id: string }[])[0]!.id;
      const updated = await p.integrations.update(integ.id, {
        targets: [{ kind: 'http', url: 'https://b.example.com/' }],
        filter: [{ exact: { source: 'app.mixed' } }, { prefix: { type: 'x.' } }],
      });
      expect(updated.targets).toEqual([{ kind: 'http', url: 'https://b.example.com/' }]);
      expect((row().targets as { name: string; id: string }[]).find((t) => t.name === 'HC.SMN')?.id).toBe(
        smnId,
      );
      expect((row().sources as { id: string }[])[0]!.id).toBe(sourceId);
      await p.integrations.delete(integ.id);
      await p.buses.delete(bus.id);
    } finally {
      await open.close();
    }
  });
});
