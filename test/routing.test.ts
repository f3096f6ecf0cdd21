import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appIntegrationsRouting as awsRouting } from '../src/adapters/aws/routing.js';
import { HUAWEI_EMULATOR_PROJECT, HuaweiEmulator } from '../src/adapters/huawei/emulator/index.js';
import {
  filterFromHuaweiFilterRule,
  type HuaweiFilterRule,
  type HuaweiTarget,
  huaweiRouting,
  huaweiTargetsToNeutral,
  matchesHuaweiFilterRule,
  validateHuaweiFilterRule,
} from '../src/adapters/huawei/routing.js';
import { TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import {
  filterFromEventPattern,
  matchesEventPattern,
  tencentRouting,
  tencentTargetsToNeutral,
  validateEventPattern,
} from '../src/adapters/tencent/routing.js';
import { type Filter, matches, serializeFilter } from '../src/core/model/filter.js';
import type { Target, Translation } from '../src/core/model/routing.js';
import { type OfficialClient, officialTencentClient } from './helpers/tencent-official.js';

/** The route of the example: prefix, suffix, a data field, not, exact source. */
const ROUTE: Filter = {
  all: [
    { exact: { source: 'shop/orders' } },
    { not: { prefix: { type: 'com.shop.internal.' } } },
    { prefix: { subject: 'orders/' } },
    { suffix: { 'data.sku': '-EU' } },
    { exact: { 'data.region': 'eu' } },
  ],
};
const EVENT = {
  specversion: '1.0',
  id: '1',
  source: 'shop/orders',
  type: 'com.shop.order.created',
  subject: 'orders/42',
  data: { sku: 'A-1-EU', region: 'eu' },
};

const reasons = <T>(t: Translation<T>) => (t.ok ? [] : t.reasons);
const native = <T>(t: Translation<T>): T => {
  if (!t.ok) throw new Error(t.reasons.join('\n'));
  return t.native;
};

describe('Tencent EventPattern translation (Event Pattern page, product 1108 doc 42288)', () => {
  it('keys AND, values OR: prefix, suffix, a data field and anything-but {prefix}', () => {
    const pattern = native(tencentRouting.translateFilter(ROUTE));
    expect(pattern).toEqual({
      source: ['shop/orders'],
      type: [{ 'anything-but': { prefix: 'com.shop.internal.' } }],
      subject: [{ prefix: 'orders/' }],
      data: { sku: [{ suffix: '-EU' }], region: ['eu'] },
    });
    expect(matchesEventPattern(pattern, EVENT).matched).toBe(true);
    expect(matchesEventPattern(pattern, { ...EVENT, type: 'com.shop.internal.audit' }).matched).toBe(false);
  });

  it('any over one field is one OR list; several nots on one field are one anything-but list', () => {
    expect(
      native(tencentRouting.translateFilter({ any: [{ exact: { type: 'a' } }, { prefix: { type: 'b.' } }] })),
    ).toEqual({
      type: ['a', { prefix: 'b.' }],
    });
    expect(
      native(
        tencentRouting.translateFilter({
          all: [{ not: { exact: { type: 'a' } } }, { not: { exact: { type: 'b' } } }],
        }),
      ),
    ).toEqual({ type: [{ 'anything-but': ['a', 'b'] }] });
  });

  it('refuses any across different attributes, naming them', () => {
    const r = reasons(
      tencentRouting.translateFilter({ any: [{ exact: { type: 'a' } }, { exact: { subject: 'b' } }] }),
    );
    expect(r).toEqual([
      expect.stringMatching(/any across different attributes \(`subject`, `type`.*keys AND/),
    ]);
  });

  it('refuses not over an attribute an event may lack (anything-but needs the field present)', () => {
    for (const attr of ['subject', 'data.region', 'region']) {
      const r = reasons(
        tencentRouting.translateFilter({
          all: [{ exact: { source: 's' } }, { not: { exact: { [attr]: 'x' } } }],
        }),
      );
      expect(r).toEqual([expect.stringContaining(`never matches an event without \`${attr}\``)]);
    }
  });

  it('refuses two conditions on one field that must both hold, and a field nested in a filtered field', () => {
    expect(
      reasons(
        tencentRouting.translateFilter({ all: [{ prefix: { type: 'a' } }, { suffix: { type: 'z' } }] }),
      ),
    ).toEqual([expect.stringMatching(/2 conditions on `type` must all hold/)]);
    expect(
      reasons(
        tencentRouting.translateFilter({
          all: [{ exact: { 'data.a': 'x' } }, { exact: { 'data.a.b': 'y' } }],
        }),
      ),
    ).toEqual([expect.stringMatching(/`data.a.b` and a field nested in it/)]);
  });

  it('reads back the patterns it writes', () => {
    const pattern = native(tencentRouting.translateFilter(ROUTE));
    const back = filterFromEventPattern(pattern)!;
    for (const e of [EVENT, { ...EVENT, subject: 'x' }, { ...EVENT, type: 'com.shop.internal.x' }])
      expect(matches(back, e).matched).toBe(matches(ROUTE, e).matched);
    expect(filterFromEventPattern({ data: { n: [{ numeric: ['>', 1] }] } })).toBeUndefined();
  });
});

describe('Tencent EventPattern: validation and the native evaluator', () => {
  it('rejects what the page does not define: unknown matchers, empty lists, malformed numeric/cidr', () => {
    expect(
      validateEventPattern({
        source: ['a'],
        data: { n: [{ numeric: ['>', 0, '<=', 5] }], ip: [{ cidr: '10.0.0.0/24' }] },
      }),
    ).toEqual([]);
    expect(validateEventPattern({ data: { x: [{ exists: true }] } })).toEqual([
      expect.stringMatching(/unknown matcher `exists`/),
    ]);
    expect(validateEventPattern({ type: [] })).toEqual(['type: an empty list of values matches nothing']);
    expect(validateEventPattern({ n: [{ numeric: ['>>', 1] }] })[0]).toMatch(/numeric pairs/);
    expect(validateEventPattern({ ip: [{ cidr: '10.0.0.0/33' }] })[0]).toMatch(/cidr takes an IPv4 range/);
    expect(validateEventPattern('{"source":"a"}')).toEqual([
      'EventPattern must be a JSON object shaped like the event',
    ]);
  });

  it('evaluates the documented matchers', () => {
    const e = {
      source: 'cos',
      data: {
        name: 'testname',
        scope: 100,
        'source-ip': '10.0.0.123',
        topic: 'persistent://appid/ns/topic-1',
        cols: [{ name: 'id', t: 'int' }],
      },
    };
    const m = (p: Record<string, unknown>) => matchesEventPattern(p, e).matched;
    expect(m({ data: { scope: [{ numeric: ['>', 0, '<=', 100] }] } })).toBe(true);
    expect(m({ data: { scope: [{ numeric: ['>', 0, '<', 100] }] } })).toBe(false);
    expect(m({ data: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } })).toBe(true);
    expect(m({ data: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } })).toBe(false);
    expect(m({ data: { topic: [{ contain: ['topic-1', 'appid'] }] } })).toBe(true);
    expect(m({ data: { name: [{ 'anything-but': ['test1'] }] } })).toBe(true);
    expect(m({ data: { name: [{ 'anything-but': 'testname' }] } })).toBe(false);
    expect(m({ data: { name: [{ 'anything-but': { prefix: 'init' } }] } })).toBe(true);
    expect(m({ data: { cols: [{ array: '{"name":"id"}' }] } })).toBe(true);
    expect(m({ data: { topic: [{ prefix: 'pre' }, { suffix: 'topic-1' }] } })).toBe(true);
    expect(m({ data: { scope: ['100'] } })).toBe(false); // JSON types: "100" is not 100
    expect(matchesEventPattern({ data: { missing: [{ 'anything-but': 'x' }] } }, e)).toEqual({
      matched: false,
      reason: 'data.missing is absent: the event must contain every pattern field',
    });
  });
});

describe('Tencent targets (CreateTarget, CkafkaTargetParams.RetryPolicy, Limits: 5 per rule)', () => {
  const scf = 'qcs::scf:ap-guangzhou:uin/1:namespace/default/function/f/$LATEST';
  const ckafka = 'qcs::ckafka:ap-guangzhou:uin/1:ckafkaId/uin/1/ckafka-1';
  const cls = 'qcs::cls:ap-guangzhou:uin/1:topic/abc';

  it('function -> scf, log -> cls, kafka -> ckafka with its retry policy; a path transform is the rule Extraction', () => {
    const out = native(
      tencentRouting.translateTargets(
        [
          { kind: 'kafka', connection: ckafka, topic: 'alerts', transform: { kind: 'path', path: '$.data' } },
          { kind: 'kafka', connection: ckafka, topic: 'audit', transform: { kind: 'path', path: '$.data' } },
        ],
        { retry: { maxAttempts: 360, delaySeconds: 60, backoff: 'fixed' } },
      ),
    );
    expect(out.targets[0]).toEqual({
      Type: 'ckafka',
      TargetDescription: {
        ResourceDescription: ckafka,
        CkafkaTargetParams: {
          TopicName: 'alerts',
          RetryPolicy: { RetryInterval: 60, MaxRetryAttempts: 360 },
        },
      },
    });
    expect(out.transformation).toEqual({ Extraction: { ExtractionInputPath: '$.data', Format: 'JSON' } });
    expect(
      native(
        tencentRouting.translateTargets([
          { kind: 'function', function: scf },
          { kind: 'log', log: cls },
        ]),
      ).targets.map((t) => t.Type),
    ).toEqual(['scf', 'cls']);
  });

  it('refuses what CreateTarget cannot say, each with its reason', () => {
    const r = (targets: Target[], delivery?: Parameters<typeof tencentRouting.translateTargets>[1]) =>
      reasons(tencentRouting.translateTargets(targets, delivery)).join('\n');
    expect(r([{ kind: 'http', url: 'https://example.com/h' }])).toMatch(
      /no webhook target.*scf, cls, amp, ckafka, es/,
    );
    expect(r([{ kind: 'function', function: 'arn:aws:lambda:x' }])).toMatch(
      /QCS resource starting qcs::scf:/,
    );
    expect(r([{ kind: 'kafka', connection: ckafka, topic: 't' }])).toMatch(/RetryPolicy is required/);
    expect(r([{ kind: 'function', function: scf }], { retry: { maxAttempts: 3 } })).toMatch(
      /only for CKafka targets/,
    );
    expect(
      r([{ kind: 'kafka', connection: ckafka, topic: 't' }], {
        retry: { maxAttempts: 3, delaySeconds: 5, backoff: 'exponential' },
      }),
    ).toMatch(/backoff exponential cannot be expressed/);
    expect(
      r([{ kind: 'function', function: scf }], {
        deadLetter: { kind: 'kafka', connection: 'c', topic: 't' },
      }),
    ).toMatch(/take no DeadLetterConfig/);
    expect(r(Array.from({ length: 6 }, () => ({ kind: 'function' as const, function: scf })))).toMatch(
      /at most 5 targets per integration \(Tencent EventBridge "Limits"/,
    );
    expect(
      r([
        { kind: 'function', function: scf, transform: { kind: 'path', path: '$.data' } },
        { kind: 'log', log: cls },
      ]),
    ).toMatch(/one transformation per rule/);
    expect(r([{ kind: 'function', function: scf, transform: { kind: 'template', template: 'x' } }])).toMatch(
      /text template has no exact equivalent/,
    );
  });

  it('reads ListTargets rows back; amp/es rows are leftovers', () => {
    const back = tencentTargetsToNeutral(
      [
        {
          Type: 'ckafka',
          TargetDescription: {
            ResourceDescription: ckafka,
            CkafkaTargetParams: { TopicName: 't', RetryPolicy: { RetryInterval: 60, MaxRetryAttempts: 3 } },
          },
        },
        { Type: 'scf', TargetDescription: { ResourceDescription: scf } },
        { Type: 'amp', TargetDescription: { ResourceDescription: 'qcs::eb-amp:ap-guangzhou:uin/1:' } },
      ],
      { Extraction: { ExtractionInputPath: '$.data', Format: 'JSON' } },
    );
    expect(back.targets).toEqual([
      { kind: 'kafka', connection: ckafka, topic: 't', transform: { kind: 'path', path: '$.data' } },
      { kind: 'function', function: scf, transform: { kind: 'path', path: '$.data' } },
    ]);
    expect(back.delivery).toEqual({ retry: { maxAttempts: 3, backoff: 'fixed', delaySeconds: 60 } });
    expect(back.leftovers).toHaveLength(1);
  });
});

describe('the Tencent emulator evaluates EventPatterns (CheckRule, CreateRule), over the wire', () => {
  let emu: TencentEmulator;
  let client: OfficialClient;
  beforeAll(async () => {
    emu = await TencentEmulator.start();
    client = officialTencentClient(emu.url);
  });
  afterAll(() => emu.close());

  it('CheckRule answers from the translated pattern: a match is a plain response, a mismatch FailedOperation.ErrorFilter', async () => {
    const EventPattern = JSON.stringify(native(tencentRouting.translateFilter(ROUTE)));
    await expect(
      client.request('CheckRule', { Event: JSON.stringify(EVENT), EventPattern }),
    ).resolves.toMatchObject({});
    await expect(
      client.request('CheckRule', {
        Event: JSON.stringify({ ...EVENT, data: { sku: 'A-1-US', region: 'eu' } }),
        EventPattern,
      }),
    ).rejects.toMatchObject({
      code: 'FailedOperation.ErrorFilter',
      message: expect.stringMatching(/data.sku is "A-1-US"/),
    });
    await expect(client.request('CheckRule', { EventPattern })).rejects.toMatchObject({
      code: 'MissingParameter',
    });
    await expect(
      client.request('CheckRule', {
        Event: JSON.stringify(EVENT),
        EventPattern: '{"type":[{"exists":true}]}',
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameterValue.InvalidPattern' });
  });

  it('CreateRule and UpdateRule reject a pattern the Event Pattern page does not define', async () => {
    const { EventBusId } = (await client.request('CreateEventBus', { EventBusName: 'routing-bus' })) as {
      EventBusId: string;
    };
    await expect(
      client.request('CreateRule', {
        EventBusId,
        RuleName: 'bad-rule',
        EventPattern: '{"data":{"n":[{"numeric":[">"]}]}}',
      }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue.EventPattern',
      message: expect.stringMatching(/numeric/),
    });
    const { RuleId } = (await client.request('CreateRule', {
      EventBusId,
      RuleName: 'good-rule',
      EventPattern: JSON.stringify(native(tencentRouting.translateFilter(ROUTE))),
    })) as { RuleId: string };
    await expect(
      client.request('UpdateRule', { EventBusId, RuleId, EventPattern: '[]' }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue.EventPattern',
    });
  });
});

describe('Huawei filter rules (EG "Filter Rule Parameters", eg-ug-018)', () => {
  it('translates the route: source StringIn, Not/StartsWith/EndsWith operators, data sub-fields', () => {
    const rule = native(huaweiRouting.translateFilter(ROUTE));
    expect(rule).toEqual({
      source: [{ op: 'StringIn', values: ['shop/orders'] }],
      type: [{ op: 'StringNotStartsWith', values: ['com.shop.internal.'] }],
      subject: [{ op: 'StringStartsWith', values: ['orders/'] }],
      data: {
        sku: [{ op: 'StringEndsWith', values: ['-EU'] }],
        region: [{ op: 'StringIn', values: ['eu'] }],
      },
    });
    expect(validateHuaweiFilterRule(rule)).toEqual([]);
    expect(matchesHuaweiFilterRule(rule, EVENT).matched).toBe(true);
  });

  it('not over a field an event may lack pairs the Not operator with IsNull; nots on one field merge', () => {
    const rule = native(
      huaweiRouting.translateFilter({
        all: [
          { exact: { source: 's' } },
          { not: { exact: { subject: 'a' } } },
          { not: { exact: { subject: 'b' } } },
        ],
      }),
    );
    expect(rule.subject).toEqual([{ op: 'IsNull' }, { op: 'StringNotIn', values: ['a', 'b'] }]);
    expect(matchesHuaweiFilterRule(rule, { source: 's' }).matched).toBe(true);
    expect(matchesHuaweiFilterRule(rule, { source: 's', subject: 'b' }).matched).toBe(false);
  });

  it('refuses: no source (never invented), source other than StringIn, fields other than source/type/subject/data', () => {
    expect(reasons(huaweiRouting.translateFilter({ exact: { type: 't' } }))).toEqual([
      expect.stringMatching(/requires source with StringIn: add exact: \{ source/),
    ]);
    expect(reasons(huaweiRouting.translateFilter({ prefix: { source: 'shop/' } }))[0]).toMatch(
      /`prefix source "shop\/"`: source supports only the StringIn operator/,
    );
    expect(
      reasons(
        huaweiRouting.translateFilter({ all: [{ exact: { source: 's' } }, { exact: { region: 'eu' } }] }),
      )[0],
    ).toMatch(/`region` cannot be filtered: top-level fields can only be source, type, subject or data/);
    expect(
      reasons(
        huaweiRouting.translateFilter({
          all: [{ exact: { source: 's' } }, { any: [{ exact: { type: 'a' } }, { exact: { subject: 'b' } }] }],
        }),
      )[0],
    ).toMatch(/any across different fields/);
  });

  it('enforces the limits: 5 conditions per field, 5 data sub-fields, 5 levels', () => {
    const six: Filter = {
      all: [
        { exact: { source: 's' } },
        {
          any: [
            { exact: { type: 'a' } },
            { prefix: { type: 'b' } },
            { suffix: { type: 'c' } },
            { not: { exact: { type: 'd' } } },
            { not: { prefix: { type: 'e' } } },
            { not: { suffix: { type: 'f' } } },
          ],
        },
      ],
    };
    expect(reasons(huaweiRouting.translateFilter(six))[0]).toMatch(
      /filter.type: at most 5 conditions per field \(ORed\), got 6/,
    );
    const sixFields: Filter = {
      all: [
        { exact: { source: 's' } },
        ...Array.from({ length: 6 }, (_, i): Filter => ({ exact: { [`data.f${i}`]: 'x' } })),
      ],
    };
    expect(reasons(huaweiRouting.translateFilter(sixFields))[0]).toMatch(
      /filter.data: at most 5 sub-fields, got 6/,
    );
    const deep: Filter = { all: [{ exact: { source: 's' } }, { exact: { 'data.a.b.c.d.e.f': 'x' } }] };
    expect(reasons(huaweiRouting.translateFilter(deep))[0]).toMatch(/nest at most 5 levels/);
    const five: Filter = { all: [{ exact: { source: 's' } }, { exact: { 'data.a.b.c.d.e': 'x' } }] };
    expect(huaweiRouting.translateFilter(five).ok).toBe(true);
  });

  it('validates native rules: top-level keys, source operator, operator value shapes', () => {
    expect(validateHuaweiFilterRule({ type: [{ op: 'StringIn', values: ['a'] }] })).toEqual([
      'filter.source is required (top-level fields must include source)',
    ]);
    expect(
      validateHuaweiFilterRule({ source: [{ op: 'StringStartsWith', values: ['a'] }], region: [] }),
    ).toEqual([
      'filter.region: top-level fields can only be source, type, subject, data',
      'filter.source supports only the StringIn operator',
    ]);
    const bad = validateHuaweiFilterRule({
      source: [{ op: 'StringIn', values: ['s'] }],
      data: {
        n: [{ op: 'NumberInRange', values: [[5, 1]] }],
        m: [{ op: 'StringContains', values: ['x'] }],
        b: [{ op: 'IsTrue', values: [true] }],
      },
    });
    expect(bad).toEqual([
      'filter.data.n[0]: NumberInRange takes values: Number[][] of [low, high] pairs',
      'filter.data.m[0]: unknown operator `StringContains`',
      'filter.data.b[0]: IsTrue takes no values',
    ]);
  });

  it('evaluates the documented examples (eg-ug-019): NumberIn, ranges, IsNull, IsTrue/IsNotTrue', () => {
    const rule = (data: HuaweiFilterRule['data']): HuaweiFilterRule => ({
      source: [{ op: 'StringIn', values: ['HC.OBS'] }],
      data,
    });
    const e = {
      source: 'HC.OBS',
      type: 'object:put',
      data: { name: 'test01', age: 10, size: null, ok: true, off: false },
    };
    expect(matchesHuaweiFilterRule(rule({ age: [{ op: 'NumberIn', values: [10] }] }), e).matched).toBe(true);
    expect(
      matchesHuaweiFilterRule(
        rule({
          age: [
            {
              op: 'NumberInRange',
              values: [
                [0, 9],
                [11, 20],
              ],
            },
          ],
        }),
        e,
      ).matched,
    ).toBe(false);
    expect(matchesHuaweiFilterRule(rule({ age: [{ op: 'NumberNotLessThan', value: 10 }] }), e).matched).toBe(
      true,
    );
    expect(
      matchesHuaweiFilterRule(rule({ size: [{ op: 'IsNull' }], absent: [{ op: 'IsNull' }] }), e).matched,
    ).toBe(true);
    expect(
      matchesHuaweiFilterRule(rule({ ok: [{ op: 'IsTrue' }], off: [{ op: 'IsNotTrue' }] }), e).matched,
    ).toBe(true);
    expect(
      matchesHuaweiFilterRule({ source: [{ op: 'StringIn', values: ['HC.OBS'] }] }, { ...e, source: 'x' })
        .reason,
    ).toMatch(/source is "x": none of/);
  });
});

describe('Huawei targets (SubscriptionTarget: 1-5 targets, transform, retry_times, dead_letter_queue)', () => {
  const dl = { kind: 'kafka' as const, connection: 'conn-1', topic: 'dead', instance: 'kafka-1' };

  it('http -> HTTPS (CUSTOM), kafka -> HC.Kafka, function -> HC.FunctionGraph with retry and dead letter', () => {
    const out = native(
      huaweiRouting.translateTargets(
        [
          {
            kind: 'http',
            url: 'https://example.com/hook',
            connection: 'conn-web',
            transform: { kind: 'template', template: '{"o":"${o}"}', variables: { o: '$.data.order' } },
          },
          { kind: 'kafka', connection: 'conn-k', topic: 'orders' },
          {
            kind: 'function',
            function: 'urn:fss:cn-north-4:p:function:default:f',
            extensions: { huawei: { detail: { invoke_type: 'ASYNC', agency_name: 'EG_TARGET_AGENCY' } } },
          },
        ],
        { retry: { maxAttempts: 3 }, deadLetter: dl },
      ),
    );
    const dlq = { type: 'KAFKA', instance_id: 'kafka-1', connection_id: 'conn-1', topic: 'dead' };
    expect(out).toEqual([
      {
        name: 'HTTPS',
        provider_type: 'CUSTOM',
        connection_id: 'conn-web',
        detail: { url: 'https://example.com/hook' },
        transform: { type: 'VARIABLE', value: '{"o":"$.data.order"}', template: '{"o":"${o}"}' },
        retry_times: 3,
        dead_letter_queue: dlq,
      },
      {
        name: 'HC.Kafka',
        provider_type: 'OFFICIAL',
        connection_id: 'conn-k',
        kafka_detail: { topic: 'orders' },
        transform: { type: 'ORIGINAL' },
        retry_times: 3,
        dead_letter_queue: dlq,
      },
      {
        name: 'HC.FunctionGraph',
        provider_type: 'OFFICIAL',
        detail: {
          urn: 'urn:fss:cn-north-4:p:function:default:f',
          invoke_type: 'ASYNC',
          agency_name: 'EG_TARGET_AGENCY',
        },
        transform: { type: 'ORIGINAL' },
        retry_times: 3,
        dead_letter_queue: dlq,
      },
    ]);
    const back = huaweiTargetsToNeutral(out as HuaweiTarget[]);
    expect(back.targets[0]).toEqual({
      kind: 'http',
      url: 'https://example.com/hook',
      connection: 'conn-web',
      transform: { kind: 'template', template: '{"o":"${o}"}', variables: { o: '$.data.order' } },
    });
    expect(back.delivery).toEqual({ retry: { maxAttempts: 3 }, deadLetter: dl });
  });

  it('refuses, each with its reason: counts, log targets, backoff, dead letter without instance, path transform, missing function detail', () => {
    const http = { kind: 'http' as const, url: 'https://example.com/h' };
    const r = (targets: Target[], delivery?: Parameters<typeof huaweiRouting.translateTargets>[1]) =>
      reasons(huaweiRouting.translateTargets(targets, delivery)).join('\n');
    expect(r(Array.from({ length: 6 }, () => http))).toMatch(
      /at most 5 targets per integration \(EG subscriptions: exactly one source and 1-5 targets\); got 6/,
    );
    expect(r([])).toMatch(/at least 1 target/);
    expect(r([{ kind: 'log', log: 'x' }])).toMatch(/no log target/);
    expect(r([http], { retry: { maxAttempts: 3, backoff: 'exponential' } })).toMatch(/only retry_times/);
    expect(r([http], { deadLetter: { kind: 'kafka', connection: 'c', topic: 't' } })).toMatch(
      /needs instance_id/,
    );
    expect(r([{ ...http, transform: { kind: 'path', path: '$.data' } }])).toMatch(
      /ORIGINAL, CONSTANT or VARIABLE/,
    );
    expect(r([{ kind: 'function', function: 'urn:fss:x' }])).toMatch(
      /needs detail.invoke_type and detail.agency_name/,
    );
  });
});

describe('the Huawei emulator validates filter rules on subscription create (400 EG.00014000)', () => {
  let emu: HuaweiEmulator;
  beforeAll(async () => {
    emu = await HuaweiEmulator.start({ staticTokens: ['routing-token'] });
  });
  afterAll(() => emu.close());
  const create = (filter: unknown) =>
    fetch(`${emu.url}/v1/${HUAWEI_EMULATOR_PROJECT}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': 'routing-token' },
      body: JSON.stringify({
        name: `sub-${Math.random().toString(36).slice(2, 8)}`,
        channel_id: 'official-default',
        sources: [{ name: 'shop', provider_type: 'CUSTOM', filter }],
        targets: [
          {
            name: 'HTTPS',
            provider_type: 'CUSTOM',
            detail: { url: 'https://example.com/h' },
            transform: { type: 'ORIGINAL' },
          },
        ],
      }),
    });

  it('over the documented limits: the error names the rule', async () => {
    const res = await create({
      source: [{ op: 'StringIn', values: ['shop'] }],
      data: { a: { b: { c: { d: { e: { f: [{ op: 'IsNull' }] } } } } } },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error_code: 'EG.00014000',
      error_msg: expect.stringMatching(/nest at most 5 levels/),
    });
    const noSource = await create({ type: [{ op: 'StringIn', values: ['t'] }] });
    expect(await noSource.json()).toMatchObject({
      error_msg: expect.stringMatching(/filter.source is required/),
    });
  });

  it('a translated rule is accepted', async () => {
    const res = await create(native(huaweiRouting.translateFilter(ROUTE)));
    expect(res.status).toBe(200);
  });
});

describe('AWS AppIntegrations (an integration without targets, for Amazon Connect): EventFilter.Source exact only; no targets', () => {
  it('exact source aws.partner/... is EventFilter.Source', () => {
    expect(
      native(awsRouting.translateFilter({ exact: { source: 'aws.partner/acme.com/1/orders' } })),
    ).toEqual({
      Source: 'aws.partner/acme.com/1/orders',
    });
    expect(native(awsRouting.translateFilter({ all: [{ exact: { source: 'aws.partner/a/b' } }] }))).toEqual({
      Source: 'aws.partner/a/b',
    });
  });

  it('everything else is refused with the reason', () => {
    expect(reasons(awsRouting.translateFilter({ prefix: { source: 'aws.partner/' } }))[0]).toMatch(
      /prefix on `source` cannot be expressed/,
    );
    // Each condition beside the exact source is named.
    const lost = reasons(awsRouting.translateFilter(ROUTE))[0]!;
    for (const part of [
      'the `not` combinator',
      'prefix on `subject`',
      'suffix on `data.sku`',
      'exact on `data.region`',
    ])
      expect(lost).toContain(part);
    expect(lost).not.toContain('exact on `source`');
    expect(reasons(awsRouting.translateFilter({ exact: { source: 'shop/orders' } }))[0]).toMatch(
      /must be a partner event source/,
    );
    expect(reasons(awsRouting.translateTargets([{ kind: 'http', url: 'https://example.com/h' }]))[0]).toMatch(
      /Amazon Connect binds to it through event integration associations/,
    );
  });
});

describe('round trip Tencent -> neutral -> Huawei -> neutral -> Tencent (issue 9)', () => {
  it('the route comes back equal (canonical form) through both native forms', () => {
    const pattern = native(tencentRouting.translateFilter(ROUTE));
    const fromTencent = filterFromEventPattern(pattern)!;
    expect(serializeFilter(fromTencent)).toBe(serializeFilter(ROUTE));
    const rule = native(huaweiRouting.translateFilter(fromTencent));
    const fromHuawei = filterFromHuaweiFilterRule(rule)!;
    expect(serializeFilter(fromHuawei)).toBe(serializeFilter(ROUTE));
    expect(native(tencentRouting.translateFilter(fromHuawei))).toEqual(pattern);
  });

  it('native forms with no exact neutral reading are not read (they stay native)', () => {
    expect(filterFromEventPattern({ subject: [{ 'anything-but': 'x' }] })).toBeUndefined();
    const src = [{ op: 'StringIn' as const, values: ['s'] }];
    expect(
      filterFromHuaweiFilterRule({ source: src, subject: [{ op: 'StringNotIn', values: ['x'] }] }),
    ).toBeUndefined();
    expect(
      filterFromHuaweiFilterRule({ source: src, data: { n: [{ op: 'NumberIn', values: [1] }] } }),
    ).toBeUndefined();
    expect(filterFromHuaweiFilterRule({ source: src, subject: [{ op: 'IsNull' }] })).toBeUndefined();
  });
});
