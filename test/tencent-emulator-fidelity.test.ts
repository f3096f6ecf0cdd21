// Tencent emulator fidelity (issue 16): targets, transformations, the event log, and the full action
// list, driven through the official tencentcloud-sdk-nodejs client and polybus's TencentClient. It
// must never reach a real endpoint: the SDK's host name resolves to the loopback emulator.
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TENCENT_ACTIONS, TencentClient } from '../src/adapters/tencent/client.js';
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { Transport } from '../src/core/runtime/transport.js';
import { loopbackAgent as agent, officialTencentClient } from './helpers/tencent-official.js';

let emu: TencentEmulator;
let sdk: CommonClient;
let transport: Transport;
let client: TencentClient;
beforeAll(async () => {
  emu = await TencentEmulator.start();
  sdk = new CommonClient(`eb.tencentcloudapi.com:${new URL(emu.url).port}`, '2021-04-16', {
    credential: TENCENT_EMULATOR_CREDENTIALS,
    // The same region as polybus's client below: the emulator keeps state per region.
    region: 'ap-shanghai',
    profile: { httpProfile: { protocol: 'http://', agent } },
  });
  transport = new Transport({ retry: { maxAttempts: 1 } });
  client = new TencentClient({
    transport,
    endpoint: emu.url,
    region: 'ap-shanghai',
    credentials: async () => TENCENT_EMULATOR_CREDENTIALS,
  });
});
afterEach(() => emu.resetRateLimits());
afterAll(async () => {
  agent.destroy();
  await transport.close();
  await emu.close();
});

const call = <T = Record<string, unknown>>(action: string, params: object) =>
  sdk.request(action, params) as Promise<T>;
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code,
  );
const SCF = 'qcs::scf:ap-guangzhou:uin/1:namespace/default/function/f/$LATEST';

async function busAndRules(name: string) {
  const { EventBusId } = await call<{ EventBusId: string }>('CreateEventBus', { EventBusName: name });
  const rule = async (RuleName: string, source: string) =>
    (
      await call<{ RuleId: string }>('CreateRule', {
        EventBusId,
        RuleName,
        EventPattern: JSON.stringify({ source: [source] }),
      })
    ).RuleId;
  return {
    EventBusId,
    ruleA: await rule('rule-a', 'shop.orders'),
    ruleB: await rule('rule-b', 'shop.refunds'),
  };
}

describe('targets (seed 001: CreateTarget, TargetDescription.SCFParams, UpdateTarget, DeleteTarget)', () => {
  it('stores the batch parameters of SCFParams and returns them in ListTargets; defaults false/1/1', async () => {
    const { EventBusId, ruleA } = await busAndRules('targets-batch');
    const { TargetId: batched } = await call<{ TargetId: string }>('CreateTarget', {
      EventBusId,
      RuleId: ruleA,
      Type: 'scf',
      TargetDescription: {
        ResourceDescription: SCF,
        SCFParams: { EnableBatchDelivery: true, BatchTimeout: 30, BatchEventCount: 16 },
      },
    });
    const { TargetId: plain } = await call<{ TargetId: string }>('CreateTarget', {
      EventBusId,
      RuleId: ruleA,
      Type: 'scf',
      TargetDescription: { ResourceDescription: SCF },
    });
    const { Targets } = await call<{ Targets: Record<string, unknown>[] }>('ListTargets', {
      EventBusId,
      RuleId: ruleA,
    });
    expect(Targets).toEqual([
      expect.objectContaining({
        TargetId: batched,
        EnableBatchDelivery: true,
        BatchTimeout: 30,
        BatchEventCount: 16,
        TargetDescription: expect.objectContaining({ SCFParams: expect.any(Object) }),
      }),
      expect.objectContaining({
        TargetId: plain,
        EnableBatchDelivery: false,
        BatchTimeout: 1,
        BatchEventCount: 1,
      }),
    ]);
  });

  it('refuses batch values that are not positive integers (InvalidParameterValue.BatchEventCount / BatchTimeout)', async () => {
    const { EventBusId, ruleA } = await busAndRules('targets-invalid');
    expect(
      await codeOf(
        call('CreateTarget', {
          EventBusId,
          RuleId: ruleA,
          Type: 'scf',
          TargetDescription: { ResourceDescription: SCF, SCFParams: { BatchEventCount: 0 } },
        }),
      ),
    ).toBe('InvalidParameterValue.BatchEventCount');
    const { TargetId } = await call<{ TargetId: string }>('CreateTarget', {
      EventBusId,
      RuleId: ruleA,
      Type: 'scf',
      TargetDescription: { ResourceDescription: SCF },
    });
    expect(
      await codeOf(call('UpdateTarget', { EventBusId, RuleId: ruleA, TargetId, BatchTimeout: -5 })),
    ).toBe('InvalidParameterValue.BatchTimeout');
  });

  it("UpdateTarget and DeleteTarget with another rule's RuleId are ResourceNotFound.Target and change nothing", async () => {
    const { EventBusId, ruleA, ruleB } = await busAndRules('targets-owner');
    const { TargetId } = await call<{ TargetId: string }>('CreateTarget', {
      EventBusId,
      RuleId: ruleA,
      Type: 'scf',
      TargetDescription: { ResourceDescription: SCF },
    });
    expect(
      await codeOf(call('UpdateTarget', { EventBusId, RuleId: ruleB, TargetId, BatchEventCount: 99 })),
    ).toBe('ResourceNotFound.Target');
    expect(await codeOf(call('DeleteTarget', { EventBusId, RuleId: ruleB, TargetId }))).toBe(
      'ResourceNotFound.Target',
    );
    const { Targets } = await call<{ Targets: Record<string, unknown>[] }>('ListTargets', {
      EventBusId,
      RuleId: ruleA,
    });
    expect(Targets).toEqual([expect.objectContaining({ TargetId, BatchEventCount: 1 })]);
    // Through polybus's client the refusal is NotFound with the provider code.
    await expect(client.deleteTarget({ EventBusId, RuleId: ruleB, TargetId })).rejects.toMatchObject({
      code: 'NotFound',
      providerCode: 'ResourceNotFound.Target',
    });
    await call('UpdateTarget', {
      EventBusId,
      RuleId: ruleA,
      TargetId,
      EnableBatchDelivery: true,
      BatchEventCount: 4,
    });
    await call('DeleteTarget', { EventBusId, RuleId: ruleA, TargetId });
    expect(emu.regions.of('ap-shanghai').targets.has(TargetId)).toBe(false);
  });
});

describe('CheckTransformation transforms (seed 001: Extraction, EtlFilter, Transform, OutputStructParam)', () => {
  const input = JSON.stringify({ data: { msgBody: { city: 'shenzhen', temp: 32, weather: 'sunny' } } });
  const seedExample = {
    Extraction: { ExtractionInputPath: '$.data.msgBody', Format: 'JSON' },
    EtlFilter: { Filter: '{"city":[{"contain":"shen"}]}' },
    Transform: {
      OutputStructs: [
        { Key: 'city', Value: '$.city', ValueType: 'JSONPATH' },
        { Key: 'const', Value: '11', ValueType: 'NUMBER' },
        { Key: 'sdate', Value: 'date', ValueType: 'SYS_VARIABLE' },
      ],
    },
  };

  it("reproduces the document's example: JSONPath extraction, filter, template with constant and date", async () => {
    const { Output } = await call<{ Output: string }>('CheckTransformation', {
      Input: input,
      Transformations: [seedExample],
    });
    expect(JSON.parse(Output)).toEqual({
      city: 'shenzhen',
      const: 11,
      sdate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/),
    });
  });

  it('extraction alone returns the selected JSON; STRING, BOOLEAN and NULL values are typed', async () => {
    expect(
      (
        await client.checkTransformation({
          Input: input,
          Transformations: [{ Extraction: { ExtractionInputPath: '$.data.msgBody.temp', Format: 'JSON' } }],
        })
      ).Output,
    ).toBe('32');
    const { Output } = await client.checkTransformation({
      Input: input,
      Transformations: [
        {
          Transform: {
            OutputStructs: [
              { Key: 's', Value: 'plain', ValueType: 'STRING' },
              { Key: 'b', Value: 'true', ValueType: 'BOOLEAN' },
              { Key: 'n', Value: '', ValueType: 'NULL' },
              { Key: 'w', Value: '$.data.msgBody.weather', ValueType: 'JSONPATH' },
            ],
          },
        },
      ],
    });
    expect(JSON.parse(Output)).toEqual({ s: 'plain', b: true, n: null, w: 'sunny' });
  });

  it('an event the EtlFilter rejects is dropped (empty Output)', async () => {
    const rejecting = { ...seedExample, EtlFilter: { Filter: '{"city":["beijing"]}' } };
    const { Output } = await call<{ Output: string }>('CheckTransformation', {
      Input: input,
      Transformations: [rejecting],
    });
    expect(Output).toBe('');
  });

  it('TEXT extraction splits by TextParams.Separator', async () => {
    const { Output } = await client.checkTransformation({
      Input: JSON.stringify({ line: 'a:b:c' }),
      Transformations: [
        {
          Extraction: { ExtractionInputPath: '$.line', Format: 'TEXT', TextParams: { Separator: ':' } },
          Transform: { OutputStructs: [{ Key: 'second', Value: '$[1]', ValueType: 'JSONPATH' }] },
        } as never,
      ],
    });
    expect(JSON.parse(Output)).toEqual({ second: 'b' });
  });

  it('refuses an unknown ValueType and an Input that is not JSON', async () => {
    expect(
      await codeOf(
        call('CheckTransformation', {
          Input: input,
          Transformations: [{ Transform: { OutputStructs: [{ Key: 'k', Value: 'v', ValueType: 'DATE' }] } }],
        }),
      ),
    ).toBe('InvalidParameterValue.Transformations');
    expect(
      await codeOf(call('CheckTransformation', { Input: 'not json', Transformations: [seedExample] })),
    ).toBe('InvalidParameterValue');
  });
});

describe('PutEvents, SearchLog and DescribeLogTagValue (answered from the events received)', () => {
  it('logs the events sent and searches, filters, orders and pages them', async () => {
    const { EventBusId, ruleA } = await busAndRules('log-bus');
    const start = Date.now() - 1000;
    await client.putEvents({
      EventBusId,
      EventList: [
        { Source: 'shop.orders', Data: '{"id":1}', Type: 'created', Subject: 'order/1' },
        {
          Source: 'shop.orders',
          Data: '{"id":2}',
          Type: 'paid',
          Subject: 'order/2',
          Time: 1_700_000_000_000,
        },
      ],
    });
    await client.publishEvent({
      EventBusId,
      EventList: [{ Source: 'shop.audit', Data: '{"who":"x"}', Type: 'audit', Subject: 'audit/1' }],
    });
    const end = Date.now() + 1000;
    const all = await client.searchLog({
      EventBusId,
      StartTime: start,
      EndTime: end,
      Page: 1,
      Limit: 10,
      OrderBy: 'asc',
    });
    expect(all).toMatchObject({ Total: 3, Limit: 10, Page: 1 });
    expect(all.Results?.map((r) => r.Subject)).toEqual(['order/1', 'order/2', 'audit/1']);
    const first = all.Results![0]!;
    expect(first).toMatchObject({
      Source: 'shop.orders',
      Type: 'created',
      Region: 'ap-shanghai',
      RuleIds: ruleA,
    });
    expect(JSON.parse(first.Message!)).toMatchObject({
      specversion: '1.0',
      source: 'shop.orders',
      type: 'created',
      subject: 'order/1',
      datacontenttype: 'application/json;charset=utf-8',
      data: { id: 1 },
    });
    expect(JSON.parse(all.Results![1]!.Message!).time).toBe('1700000000000');
    expect(all.Results![2]).toMatchObject({ RuleIds: '', Status: 'Unmatched' });

    const filtered = await client.searchLog({
      EventBusId,
      StartTime: start,
      EndTime: end,
      Page: 1,
      Limit: 1,
      Filter: [{ Key: 'Source', Operator: 'eq', Value: 'shop.orders' }],
    });
    expect(filtered.Total).toBe(2);
    expect(filtered.Results?.map((r) => r.Subject)).toEqual(['order/2']); // desc by default: latest first
    const either = await client.searchLog({
      EventBusId,
      StartTime: start,
      EndTime: end,
      Page: 1,
      Limit: 10,
      Filter: [
        {
          Type: 'OR',
          Filters: [
            { Key: 'Type', Operator: 'eq', Value: 'audit' },
            { Key: 'Subject', Operator: 'like', Value: '*2' },
          ],
        },
      ],
    });
    expect(either.Results?.map((r) => r.Subject).sort()).toEqual(['audit/1', 'order/2']);
    const outside = await client.searchLog({
      EventBusId,
      StartTime: 0,
      EndTime: start - 1,
      Page: 1,
      Limit: 10,
    });
    expect(outside).toMatchObject({ Total: 0, Results: [] });

    const sources = await client.describeLogTagValue({
      EventBusId,
      StartTime: start,
      EndTime: end,
      GroupField: 'Source',
      Page: 1,
      Limit: 10,
    });
    expect(sources.Results?.sort()).toEqual(['shop.audit', 'shop.orders']);
  });

  it('refuses what the documents refuse: an unknown bus, Data that is not a JSON string, a missing Source', async () => {
    const now = Date.now();
    await expect(
      client.searchLog({ EventBusId: 'eb-missing', StartTime: 0, EndTime: now, Page: 1, Limit: 10 }),
    ).rejects.toMatchObject({ code: 'NotFound', providerCode: 'ResourceNotFound' });
    const { EventBusId } = await call<{ EventBusId: string }>('CreateEventBus', {
      EventBusName: 'log-refusals',
    });
    await expect(
      client.putEvents({
        EventBusId,
        EventList: [{ Source: 's', Data: 'not json', Type: 't', Subject: 'x' }],
      }),
    ).rejects.toMatchObject({ code: 'InvalidArgument', providerCode: 'InvalidParameterValue' });
    expect(
      await codeOf(call('PutEvents', { EventBusId, EventList: [{ Data: '{}', Type: 't', Subject: 'x' }] })),
    ).toBe('MissingParameter');
    await expect(
      client.putEvents({
        EventBusId: 'eb-missing',
        EventList: [{ Source: 's', Data: '{}', Type: 't', Subject: 'x' }],
      }),
    ).rejects.toMatchObject({ providerCode: 'ResourceNotFound.EventBus' });
    expect(emu.regions.of('ap-shanghai').eventLog.get(EventBusId) ?? []).toEqual([]);
  });
});

describe('every action of the 2021-04-16 API (seed 001 + the official SDK client)', () => {
  it('lists 32 distinct actions, each with a TencentClient method', () => {
    expect(new Set(TENCENT_ACTIONS).size).toBe(32);
    for (const action of TENCENT_ACTIONS) {
      const method = action[0]!.toLowerCase() + action.slice(1);
      expect(typeof (client as unknown as Record<string, unknown>)[method], method).toBe('function');
    }
  });

  it('the emulator knows every one of them (none is InvalidAction)', async () => {
    for (const action of TENCENT_ACTIONS) {
      emu.resetRateLimits();
      expect(await codeOf(call(action, {})), action).not.toBe('InvalidAction');
    }
  });

  it('the platform catalogue answers the documented example and the marked sample data, through the official client and the typed client', async () => {
    const products = await call<{ PlatformProducts: { ProductName: string; ProductType: string }[] }>(
      'ListPlatformProducts',
      {},
    );
    expect(products.PlatformProducts.map((p) => p.ProductType)).toEqual(['eb_platform_test', 'cvm']);
    expect(products.PlatformProducts[1]!.ProductName).toContain('emulator sample data');
    // The API reference's example: ProductType eb_platform_test, EventName TEST, type eb_platform_test:TEST:ALL.
    expect(await call('ListPlatformEventNames', { ProductType: 'eb_platform_test' })).toMatchObject({
      EventNames: [{ EventName: 'TEST', EventType: 'eb_platform_test:TEST:ALL' }],
    });
    const patterns = await call<{ EventPatterns: { EventName: string; EventPattern: string }[] }>(
      'ListPlatformEventPatterns',
      { ProductType: 'eb_platform_test' },
    );
    expect(patterns.EventPatterns.map((p) => [p.EventName, JSON.parse(p.EventPattern) as unknown])).toEqual([
      ['TEST', { source: 'platform.cloud.tencent', type: 'eb_platform_test:TEST:ALL' }],
    ]);
    const { EventTemplate } = await call<{ EventTemplate: string }>('GetPlatformEventTemplate', {
      EventType: 'eb_platform_test:TEST:ALL',
    });
    const template = JSON.parse(EventTemplate) as Record<string, unknown>;
    expect(template).toMatchObject({
      specversion: '1.0',
      source: 'platform.cloud.tencent',
      type: 'eb_platform_test:TEST:ALL',
      region: 'ap-shanghai',
    });
    // A platform event's pattern matches its own template (CheckRule, the service's matcher).
    const cvm = await call<{ EventPatterns: { EventName: string; EventPattern: string }[] }>(
      'ListPlatformEventPatterns',
      { ProductType: 'cvm' },
    );
    const reboot = cvm.EventPatterns.find((p) => p.EventName === 'GuestReboot')!;
    const cvmTemplate = await call<{ EventTemplate: string }>('GetPlatformEventTemplate', {
      EventType: 'cvm:ErrorEvent:GuestReboot',
    });
    await expect(
      call('CheckRule', { Event: cvmTemplate.EventTemplate, EventPattern: reboot.EventPattern }),
    ).resolves.toMatchObject({ RequestId: expect.any(String) });
    // Unknown product types have no events; an unknown event type has no template.
    expect(await call('ListPlatformEventNames', { ProductType: 'none' })).toMatchObject({ EventNames: [] });
    expect(await codeOf(call('GetPlatformEventTemplate', { EventType: 'none:X:Y' }))).toBe(
      'ResourceNotFound',
    );
    // polybus's typed client parses the same answers.
    await expect(client.listPlatformProducts()).resolves.toMatchObject({
      PlatformProducts: products.PlatformProducts,
    });
    await expect(client.listPlatformEventNames({ ProductType: 'cvm' })).resolves.toMatchObject({
      EventNames: [
        { EventName: 'GuestReboot', EventType: 'cvm:ErrorEvent:GuestReboot' },
        { EventName: 'GuestOom', EventType: 'cvm:ErrorEvent:GuestOom' },
      ],
    });
    await expect(
      client.getPlatformEventTemplate({ EventType: 'cvm:ErrorEvent:GuestOom' }),
    ).resolves.toMatchObject({
      EventTemplate: expect.stringContaining('cvm:ErrorEvent:GuestOom'),
    });
  });
});

describe('buses (seed 001: EventBus data type, CreateEventBus, DeleteEventBus)', () => {
  it('ListEventBuses shows each bus with ConnectionBriefs (Type, Status) and TargetBriefs (TargetId, Type); ListRules shows its targets as TargetBriefs', async () => {
    const { EventBusId, ruleA, ruleB } = await busAndRules('briefs-bus');
    const target = async (RuleId: string) =>
      (
        await call<{ TargetId: string }>('CreateTarget', {
          EventBusId,
          RuleId,
          Type: 'scf',
          TargetDescription: { ResourceDescription: SCF },
        })
      ).TargetId;
    const [t1, t2] = [await target(ruleA), await target(ruleB)];
    await call('CreateConnection', {
      EventBusId,
      ConnectionName: 'briefs-conn',
      Type: 'tdmq',
      ConnectionDescription: {
        ResourceDescription: 'qcs::tdmq:ap-shanghai:uin/1:topicName/uin/1/cluster-1/ns/topic-1',
      },
    });
    const { EventBusId: bare } = await call<{ EventBusId: string }>('CreateEventBus', {
      EventBusName: 'briefs-bare',
    });
    const { EventBuses } = await call<{ EventBuses: Record<string, unknown>[] }>('ListEventBuses', {
      Limit: 100,
    });
    const bus = EventBuses.find((b) => b.EventBusId === EventBusId)!;
    expect(bus.ConnectionBriefs).toEqual([
      { Type: 'tdmq', Status: expect.stringMatching(/^(Creating|Active)$/) },
    ]);
    expect(bus.TargetBriefs).toEqual(
      expect.arrayContaining([
        { TargetId: t1, Type: 'scf' },
        { TargetId: t2, Type: 'scf' },
      ]),
    );
    expect(bus.TargetBriefs).toHaveLength(2);
    expect(EventBuses.find((b) => b.EventBusId === bare)).toMatchObject({
      ConnectionBriefs: [],
      TargetBriefs: [],
    });
    const { Rules } = await call<{ Rules: Record<string, unknown>[] }>('ListRules', { EventBusId });
    expect(Rules.find((r) => r.RuleId === ruleA)!.Targets).toEqual([{ TargetId: t1, Type: 'scf' }]);
  });

  it('bus names need not be unique (the API documents no duplicate-name error): a second CreateEventBus of a name makes another bus', async () => {
    const first = await call<{ EventBusId: string }>('CreateEventBus', { EventBusName: 'same-name' });
    const second = await call<{ EventBusId: string }>('CreateEventBus', { EventBusName: 'same-name' });
    expect(second.EventBusId).not.toBe(first.EventBusId);
    const { EventBuses } = await call<{ EventBuses: { EventBusName: string }[] }>('ListEventBuses', {
      Limit: 100,
    });
    expect(EventBuses.filter((b) => b.EventBusName === 'same-name')).toHaveLength(2);
  });

  it('DeleteEventBus is ResourceInUse.EventBus while rules or connectors remain, as its error table says', async () => {
    const { EventBusId, ruleA, ruleB } = await busAndRules('in-use-bus');
    expect(await codeOf(call('DeleteEventBus', { EventBusId }))).toBe('ResourceInUse.EventBus');
    for (const RuleId of [ruleA, ruleB]) await call('DeleteRule', { EventBusId, RuleId });
    await call('DeleteEventBus', { EventBusId });
    expect(await codeOf(call('GetEventBus', { EventBusId }))).toBe('ResourceNotFound.EventBus');
  });
});

describe('documented frequency limits per action, through the official clients (one frozen second)', () => {
  it('the tag read takes 100 a second (tag API reference), a management action 20; the error names the limit', async () => {
    const frozen = Date.now();
    const e = await TencentEmulator.start({ now: () => frozen });
    try {
      const eb = officialTencentClient(e.url);
      const tag = officialTencentClient(e.url, { service: 'tag' });
      const read = () =>
        tag.request('DescribeResourceTagsByResourceIds', {
          ServiceType: 'eb',
          ResourcePrefix: 'eventbusid',
          ResourceRegion: 'ap-guangzhou',
          ResourceIds: ['eb-none'],
          Offset: 0,
          Limit: 10,
        });
      for (let i = 0; i < 100; i++) await read();
      const over = (await read().catch((err: unknown) => err)) as { code?: string; message?: string };
      expect(over.code).toBe('RequestLimitExceeded');
      expect(over.message).toContain('`100` in a second');
      for (let i = 0; i < 20; i++) await eb.request('ListEventBuses', {});
      const ebOver = (await eb.request('ListEventBuses', {}).catch((err: unknown) => err)) as {
        code?: string;
        message?: string;
      };
      expect(ebOver.code).toBe('RequestLimitExceeded');
      expect(ebOver.message).toContain('`20` in a second');
    } finally {
      await e.close();
    }
  });
});
