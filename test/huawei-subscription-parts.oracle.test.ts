// The Huawei emulator's UpdateSubscriptionSource, UpdateSubscriptionTarget and ListQuotas, and
// every operation of polybus's catalog, driven by the official Node client (AK/SK signer, the EG
// SDK's URL templates) the way test/huawei-aksk.oracle.test.ts does. Never calls a real cloud.
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUAWEI_OPERATIONS, HUAWEI_OPERATION_NAMES } from '../src/adapters/huawei/actions.js';
import {
  HUAWEI_EMULATOR_ACCESS_KEY,
  HUAWEI_EMULATOR_PROJECT,
  HUAWEI_EMULATOR_PROJECT_2,
  HuaweiEmulator,
} from '../src/adapters/huawei/emulator/index.js';
import {
  egCall,
  officialFailure,
  type OfficialFailure,
  officialHuaweiClient,
} from './helpers/huawei-official.js';

type Body = Record<string, unknown>;
type Failure = OfficialFailure;

let emu: HuaweiEmulator;
beforeAll(async () => {
  emu = await HuaweiEmulator.start();
});
afterAll(() => emu.close());

const official = (projectId = HUAWEI_EMULATOR_PROJECT): HcClient =>
  officialHuaweiClient(emu.url, HUAWEI_EMULATOR_ACCESS_KEY, projectId);

/** One EventGrid call the way the generated EG client issues it (URL template + path/query params). */
const call = (
  method: string,
  path: string,
  o: { pathParams?: Record<string, string>; query?: Body; data?: Body; hc?: HcClient } = {},
) => egCall(o.hc ?? official(), method, path, o);
const failure = officialFailure;

const SOURCE_PATH = '/subscriptions/{subscription_id}/sources/{source_id}';
const TARGET_PATH = '/subscriptions/{subscription_id}/targets/{target_id}';
const sourceOf = (values: string[], extra: Body = {}) => ({
  name: 'orders-source',
  provider_type: 'CUSTOM',
  filter: { source: [{ op: 'StringIn', values }], ...extra },
});
const functionTarget = (urn: string) => ({
  name: 'HC.FunctionGraph',
  provider_type: 'OFFICIAL',
  detail: { urn, invoke_type: 'ASYNC', agency_name: 'EG_AGENCY' },
  transform: { type: 'ORIGINAL' },
});
const httpsTarget = (url: string, extra: Body = {}) => ({
  name: 'HTTPS',
  provider_type: 'CUSTOM',
  detail: { url },
  transform: { type: 'ORIGINAL' },
  ...extra,
});

/** A channel and one subscription on it; the subscription as CreateSubscription answered it. */
async function subscription(name: string, targets: Body[], filterSources = ['app.orders']) {
  const channel = await call('POST', '/channels', { data: { name: `${name}-channel` } });
  const sub = await call('POST', '/subscriptions', {
    data: { name, channel_id: channel.id, sources: [sourceOf(filterSources)], targets },
  });
  return {
    channelId: String(channel.id),
    id: String(sub.id),
    sourceId: String((sub.sources as Body[])[0]!.id),
    targetIds: (sub.targets as Body[]).map((t) => String(t.id)),
  };
}

const show = (subscription_id: string) =>
  call('GET', '/subscriptions/{subscription_id}', { pathParams: { subscription_id } });

describe('UpdateSubscriptionSource (EG API: PUT /v1/{project_id}/subscriptions/{subscription_id}/sources/{source_id})', () => {
  it('answers 200 with the source (id, name, provider_type, filter, created_time, updated_time); the source keeps its id and ShowSubscription reads the new rule back', async () => {
    const sub = await subscription('src-update', [functionTarget('urn:fss:f1')]);
    const before = await show(sub.id);
    const updated = await call('PUT', SOURCE_PATH, {
      pathParams: { subscription_id: sub.id, source_id: sub.sourceId },
      // The body's id is not the part's: the path names the source that is updated.
      data: { ...sourceOf(['app.billing']), id: 'another-id-is-ignored' },
    });
    expect(updated).toMatchObject({
      httpStatusCode: 200,
      id: sub.sourceId,
      name: 'orders-source',
      provider_type: 'CUSTOM',
      filter: { source: [{ op: 'StringIn', values: ['app.billing'] }] },
    });
    expect(updated.created_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(updated.updated_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const after = await show(sub.id);
    expect(after.sources).toEqual([{ id: sub.sourceId, ...sourceOf(['app.billing']) }]);
    expect(after.targets).toEqual(before.targets);
    const listed = await call('GET', '/subscriptions', { query: { name: 'src-update' } });
    expect((listed.items as Body[])[0]!.sources).toEqual(after.sources);
  });

  it('PutEvents routes by the new filter rule once the source is updated (emu.delivery.records)', async () => {
    const sub = await subscription('src-routing', [functionTarget('urn:fss:route')]);
    const put = (id: string, source: string, data: Body = {}) =>
      call('POST', '/channels/{channel_id}/events', {
        pathParams: { channel_id: sub.channelId },
        data: { events: [{ id, source, specversion: '1.0', type: 'order.created', data }] },
      });
    const matched = (eventId: string) =>
      emu.delivery.records
        .find((r) => r.eventId === eventId && r.bus === sub.channelId)!
        .matches.find((m) => m.integration === sub.id)!.matched;

    await put('before-orders', 'app.orders');
    expect(matched('before-orders')).toBe(true);

    await call('PUT', SOURCE_PATH, {
      pathParams: { subscription_id: sub.id, source_id: sub.sourceId },
      data: sourceOf(['app.billing'], { data: { amount: [{ op: 'NumberGreaterThan', value: 100 }] } }),
    });
    await put('after-orders', 'app.orders', { amount: 500 });
    await put('after-billing-small', 'app.billing', { amount: 5 });
    await put('after-billing-large', 'app.billing', { amount: 500 });
    expect(matched('after-orders')).toBe(false);
    expect(matched('after-billing-small')).toBe(false);
    expect(matched('after-billing-large')).toBe(true);
    // A matched event is handed to the subscription's target (recorded, FunctionGraph is not run).
    const large = emu.delivery.records.find((r) => r.eventId === 'after-billing-large')!;
    expect(large.deliveries.map((d) => d.target)).toEqual(sub.targetIds);
  });

  it('unknown subscription or source id: 404 EG.00014040', async () => {
    const sub = await subscription('src-404', [functionTarget('urn:fss:404')]);
    const unknownSub = await failure(
      call('PUT', SOURCE_PATH, {
        pathParams: { subscription_id: 'no-such-subscription', source_id: sub.sourceId },
        data: sourceOf(['app.x']),
      }),
    );
    expect(unknownSub).toMatchObject({
      httpStatusCode: 404,
      errorCode: 'EG.00014040',
      errorMsg: 'Not request resource found: subscription no-such-subscription',
    });
    const unknownSource = await failure(
      call('PUT', SOURCE_PATH, {
        pathParams: { subscription_id: sub.id, source_id: 'no-such-source' },
        data: sourceOf(['app.x']),
      }),
    );
    expect(unknownSource).toMatchObject({
      httpStatusCode: 404,
      errorCode: 'EG.00014040',
      errorMsg: 'Not request resource found: subscription source no-such-source',
    });
    expect(emu.received.at(-1)!.operation).toBe('UpdateSubscriptionSource');
  });

  it('a body that breaks a documented rule: 400 EG.00014000 naming it, and the source stays as it was', async () => {
    const sub = await subscription('src-400', [functionTarget('urn:fss:400')]);
    const params = { subscription_id: sub.id, source_id: sub.sourceId };
    const refused = async (data: Body, rule: RegExp) => {
      const e = await failure(call('PUT', SOURCE_PATH, { pathParams: params, data }));
      expect(e).toMatchObject({ httpStatusCode: 400, errorCode: 'EG.00014000' });
      expect(e.errorMsg).toMatch(rule);
    };
    // eg-ug-018: source is required in a filter rule and takes only StringIn.
    await refused(
      { ...sourceOf([]), filter: { type: [{ op: 'StringIn', values: ['t'] }] } },
      /filter\.source is required/,
    );
    await refused(
      { ...sourceOf([]), filter: { source: [{ op: 'StringStartsWith', values: ['app.'] }] } },
      /filter\.source supports only the StringIn operator/,
    );
    // eg-ug-018: top-level fields are source, type, subject and data.
    await refused(sourceOf(['app.x'], { region: [{ op: 'StringIn', values: ['r'] }] }), /filter\.region/);
    // API reference: filter at most 2048 bytes, detail at most 1024 bytes once serialized.
    await refused(sourceOf(['a'.repeat(2100)]), /filter must be at most 2048 bytes/);
    await refused(
      { ...sourceOf(['app.x']), detail: { k: 'v'.repeat(1100) } },
      /detail must be at most 1024 bytes/,
    );
    // provider_type is CUSTOM or OFFICIAL; name and filter are required.
    await refused(
      { ...sourceOf(['app.x']), provider_type: 'PARTNER' },
      /provider_type must be CUSTOM or OFFICIAL/,
    );
    const { name: _n, ...noName } = sourceOf(['app.x']);
    await refused(noName, /name is required/);
    const { filter: _f, ...noFilter } = sourceOf(['app.x']);
    await refused(noFilter, /filter is required/);
    expect((await show(sub.id)).sources).toEqual([{ id: sub.sourceId, ...sourceOf(['app.orders']) }]);
  });
});

describe('UpdateSubscriptionTarget (EG API: PUT /v1/{project_id}/subscriptions/{subscription_id}/targets/{target_id})', () => {
  it('answers 200 with the target; its id and place stay, the other targets are untouched, Show/ListSubscriptions read it back', async () => {
    const sub = await subscription('tgt-update', [
      functionTarget('urn:fss:first'),
      httpsTarget('https://old.example/hook'),
    ]);
    const [first, second] = sub.targetIds as [string, string];
    const newTarget = httpsTarget('https://new.example/hook', {
      retry_times: 3,
      dead_letter_queue: { type: 'KAFKA', instance_id: 'kafka-1', connection_id: 'conn-1', topic: 'dlq' },
      transform: { type: 'VARIABLE', value: '{"kind":"$.type"}', template: '{"kind":"${kind}"}' },
    });
    const updated = await call('PUT', TARGET_PATH, {
      pathParams: { subscription_id: sub.id, target_id: second },
      // "id: ignored when a subscription target is updated" (API reference, SubscriptionTarget).
      data: { ...newTarget, id: 'ignored-target-id' },
    });
    expect(updated).toMatchObject({ httpStatusCode: 200, id: second, ...newTarget });
    expect(typeof updated.created_time).toBe('string');
    expect(typeof updated.updated_time).toBe('string');
    const shown = await show(sub.id);
    expect(shown.targets).toEqual([
      { id: first, ...functionTarget('urn:fss:first') },
      { id: second, ...newTarget },
    ]);
    const listed = await call('GET', '/subscriptions', { query: { channel_id: sub.channelId } });
    expect((listed.items as Body[])[0]!.targets).toEqual(shown.targets);
  });

  it('parts that UpdateSubscription replaced without ids get ids ("the system generates one") that the part operations address', async () => {
    const sub = await subscription('tgt-after-update', [functionTarget('urn:fss:a')]);
    const replaced = await call('PUT', '/subscriptions/{subscription_id}', {
      pathParams: { subscription_id: sub.id },
      data: { sources: [sourceOf(['app.replaced'])], targets: [httpsTarget('https://replaced.example')] },
    });
    const targetId = (replaced.targets as Body[])[0]!.id;
    expect(typeof targetId).toBe('string');
    const updated = await call('PUT', TARGET_PATH, {
      pathParams: { subscription_id: sub.id, target_id: String(targetId) },
      data: httpsTarget('https://again.example'),
    });
    expect(updated).toMatchObject({
      httpStatusCode: 200,
      id: targetId,
      detail: { url: 'https://again.example' },
    });
  });

  it('unknown subscription or target id: 404 EG.00014040', async () => {
    const sub = await subscription('tgt-404', [functionTarget('urn:fss:404t')]);
    expect(
      await failure(
        call('PUT', TARGET_PATH, {
          pathParams: { subscription_id: sub.id, target_id: 'no-such-target' },
          data: functionTarget('urn:fss:x'),
        }),
      ),
    ).toMatchObject({
      httpStatusCode: 404,
      errorCode: 'EG.00014040',
      errorMsg: 'Not request resource found: subscription target no-such-target',
    });
    expect(emu.received.at(-1)!.operation).toBe('UpdateSubscriptionTarget');
    expect(
      await failure(
        call('PUT', TARGET_PATH, {
          pathParams: { subscription_id: 'no-such-subscription', target_id: sub.targetIds[0]! },
          data: functionTarget('urn:fss:x'),
        }),
      ),
    ).toMatchObject({
      httpStatusCode: 404,
      errorCode: 'EG.00014040',
      errorMsg: 'Not request resource found: subscription no-such-subscription',
    });
  });

  it('a body that breaks a documented rule: 400 EG.00014000 naming it, and the target stays as it was', async () => {
    const sub = await subscription('tgt-400', [httpsTarget('https://keep.example/hook')]);
    const params = { subscription_id: sub.id, target_id: sub.targetIds[0]! };
    const refused = async (data: Body, rule: RegExp) => {
      const e = await failure(call('PUT', TARGET_PATH, { pathParams: params, data }));
      expect(e).toMatchObject({ httpStatusCode: 400, errorCode: 'EG.00014000' });
      expect(e.errorMsg).toMatch(rule);
    };
    const { transform: _t, ...noTransform } = httpsTarget('https://x.example');
    await refused(noTransform, /transform is required/);
    await refused(
      httpsTarget('https://x.example', { transform: { type: 'JSONPATH' } }),
      /transform\.type must be/,
    );
    // A webhook target needs detail.url; a function target urn, invoke_type and agency_name.
    await refused({ ...httpsTarget('x'), detail: {} }, /HTTPS target needs detail\.url/);
    await refused(
      { ...functionTarget('urn:fss:f'), detail: { urn: 'urn:fss:f' } },
      /needs detail\.invoke_type, detail\.agency_name/,
    );
    await refused(httpsTarget(`https://x.example/${'p'.repeat(1100)}`), /detail must be at most 1024 bytes/);
    await refused(
      httpsTarget('https://x.example', { transform: { type: 'VARIABLE', value: 'not json' } }),
      /VARIABLE rule must be a JSON object string/,
    );
    await refused(
      httpsTarget('https://x.example', { transform: { type: 'VARIABLE', value: '{"HC.x":"$.a"}' } }),
      /variables HC\.x/,
    );
    await refused(httpsTarget('https://x.example', { retry_times: -1 }), /retry_times/);
    await refused(
      httpsTarget('https://x.example', {
        dead_letter_queue: { type: 'KAFKA', instance_id: 'i', topic: 't' },
      }),
      /dead_letter_queue\.connection_id/,
    );
    await refused({ ...httpsTarget('https://x.example'), provider_type: 'PARTNER' }, /provider_type must be/);
    expect((await show(sub.id)).targets).toEqual([
      { id: sub.targetIds[0], ...httpsTarget('https://keep.example/hook') },
    ]);
  });
});

describe('ListQuotas (EG API: GET /v1/{project_id}/quotas)', () => {
  const quotas = async (query: Body = {}, hc?: HcClient) =>
    ((await call('GET', '/quotas', { query, ...(hc ? { hc } : {}) })).quotas as { resources: Body[] })
      .resources;
  const used = (rows: Body[], type: string) => rows.find((r) => r.type === type)!.used;

  it('lists every documented quota type with name, type, max, min, quota and used', async () => {
    const rows = await quotas();
    expect(rows.map((r) => r.type)).toEqual([
      'CHANNEL',
      'CHANNEL_SUBSCRIPTION',
      'SOURCE',
      'SUBSCRIPTION',
      'SUBSCRIPTION_TARGET',
      'CONNECTION',
      'PRIVATE_ENDPOINT',
      'SOURCE_RABBITMQ',
      'SOURCE_ROCKETMQ',
    ]);
    for (const r of rows) {
      expect(typeof r.name).toBe('string');
      for (const k of ['max', 'min', 'quota', 'used']) expect(Number.isInteger(r[k])).toBe(true);
      expect(Number(r.min)).toBeLessThanOrEqual(Number(r.quota));
      expect(Number(r.quota)).toBeLessThanOrEqual(Number(r.max));
    }
  });

  it("used counts this project's resources (not another project's); type filters to one quota", async () => {
    const hc2 = official(HUAWEI_EMULATOR_PROJECT_2);
    const before = await quotas({}, hc2);
    await call('POST', '/channels', { data: { name: 'quota-channel' }, hc: hc2 });
    const channel = await call('POST', '/channels', { data: { name: 'quota-channel-2' }, hc: hc2 });
    await call('POST', '/sources', {
      data: { name: 'quota-rabbit', channel_id: channel.id, type: 'RABBITMQ' },
      hc: hc2,
    });
    await call('POST', '/subscriptions', {
      data: {
        name: 'quota-sub',
        channel_id: channel.id,
        sources: [sourceOf(['app.q'])],
        targets: [functionTarget('urn:a'), functionTarget('urn:b'), functionTarget('urn:c')],
      },
      hc: hc2,
    });
    const after = await quotas({}, hc2);
    expect(Number(used(after, 'CHANNEL')) - Number(used(before, 'CHANNEL'))).toBe(2);
    expect(Number(used(after, 'SOURCE')) - Number(used(before, 'SOURCE'))).toBe(1);
    expect(Number(used(after, 'SOURCE_RABBITMQ')) - Number(used(before, 'SOURCE_RABBITMQ'))).toBe(1);
    expect(Number(used(after, 'SUBSCRIPTION')) - Number(used(before, 'SUBSCRIPTION'))).toBe(1);
    expect(used(after, 'SUBSCRIPTION_TARGET')).toBeGreaterThanOrEqual(3);
    // The default project never saw these resources.
    expect((await quotas()).find((r) => r.type === 'SOURCE_RABBITMQ')!.used).toBe(0);

    expect(await quotas({ type: 'CHANNEL' }, hc2)).toEqual([after.find((r) => r.type === 'CHANNEL')]);
    const bad = await failure(call('GET', '/quotas', { query: { type: 'NOT_A_QUOTA' } }));
    expect(bad).toMatchObject({ httpStatusCode: 400, errorCode: 'EG.00014000' });
  });

  it('SUBSCRIPTION_TARGET is the limit the emulator enforces: a subscription with one target more is refused', async () => {
    const [row] = await quotas({ type: 'SUBSCRIPTION_TARGET' });
    const limit = Number(row!.quota);
    expect(limit).toBe(5);
    const channel = await call('POST', '/channels', { data: { name: 'quota-limit' } });
    const create = (n: number) =>
      call('POST', '/subscriptions', {
        data: {
          name: `quota-limit-${n}`,
          channel_id: channel.id,
          sources: [sourceOf(['app.l'])],
          targets: Array.from({ length: n }, (_, i) => functionTarget(`urn:l${i}`)),
        },
      });
    expect((await create(limit)).httpStatusCode).toBe(200);
    expect(await failure(create(limit + 1))).toMatchObject({ httpStatusCode: 400, errorCode: 'EG.00014000' });
  });
});

describe('every operation of the catalog (actions.ts) is served', () => {
  it('each HUAWEI_OPERATIONS method and path reaches the emulator operation of that name', async () => {
    const unserved: string[] = [];
    for (const name of HUAWEI_OPERATION_NAMES) {
      const spec = HUAWEI_OPERATIONS[name];
      const pathParams = Object.fromEntries(
        [...spec.path.matchAll(/\{([a-z_]+)\}/g)].map(([, p]) => [p!, `unknown-${p!}`]),
      );
      const before = emu.received.length;
      const answer = await call(spec.method, spec.path, {
        pathParams,
        ...(spec.method === 'POST' || spec.method === 'PUT' ? { data: {} } : {}),
      }).catch((e: unknown) => e as Failure);
      const seen = emu.received.slice(before).map((r) => r.operation);
      // The emulator names the request by its method and path, and a handler answers it (its own
      // 200/204 or a documented 400/404, never the "no such route" 404).
      const routeMissing = (answer as Failure).errorMsg?.startsWith(
        `Not request resource found: ${spec.method} `,
      );
      if (seen.at(-1) !== name || routeMissing) unserved.push(`${name} (${seen.join(',')})`);
    }
    expect(unserved).toEqual([]);
    expect(HUAWEI_OPERATION_NAMES).toEqual(
      expect.arrayContaining(['UpdateSubscriptionSource', 'UpdateSubscriptionTarget', 'ListQuotas']),
    );
  });
});
