// Huawei emulator against the documented EventGrid API (issues 26 and 27), driven by the official
// Node client (`@huaweicloud/huaweicloud-sdk-core`, AK/SK signing, the EG SDK's URL templates):
// ExecuteSubscriptionOperation's answer, a target connection_id that names no connection, deleting
// a channel that has subscriptions, and name uniqueness per project. Then polybus's own adapter on
// the same emulator. Never calls a real cloud.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HUAWEI_EMULATOR_ACCESS_KEY,
  HUAWEI_EMULATOR_PROJECT,
  HUAWEI_EMULATOR_PROJECT_2,
  HUAWEI_EMULATOR_USER,
  HuaweiEmulator,
} from '../src/adapters/huawei/emulator/index.js';
import { createHuaweiProvider } from '../src/adapters/huawei/index.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import { guardProvider } from '../src/core/runtime/resources.js';
import { Transport } from '../src/core/runtime/transport.js';
import { egCall, officialFailure, officialHuaweiClient } from './helpers/huawei-official.js';

type Body = Record<string, unknown>;

let emu: HuaweiEmulator;
beforeAll(async () => {
  emu = await HuaweiEmulator.start({ connectionReadyMs: 0 });
});
afterAll(() => emu.close());

const call = (
  method: string,
  path: string,
  o: { pathParams?: Record<string, string>; query?: Body; data?: Body; projectId?: string } = {},
) =>
  egCall(
    officialHuaweiClient(emu.url, HUAWEI_EMULATOR_ACCESS_KEY, o.projectId ?? HUAWEI_EMULATOR_PROJECT),
    method,
    path,
    o,
  );

const source = {
  name: 'orders-source',
  provider_type: 'CUSTOM',
  filter: { source: [{ op: 'StringIn', values: ['app.orders'] }] },
};
const https = (extra: Body = {}) => ({
  name: 'HTTPS',
  provider_type: 'CUSTOM',
  detail: { url: 'https://example.com/hook' },
  transform: { type: 'ORIGINAL' },
  ...extra,
});
const channel = async (name: string, projectId?: string) =>
  String((await call('POST', '/channels', { data: { name }, ...(projectId ? { projectId } : {}) })).id);
const subscribe = (name: string, channel_id: string, targets: Body[] = [https()], projectId?: string) =>
  call('POST', '/subscriptions', {
    data: { name, channel_id, sources: [source], targets },
    ...(projectId ? { projectId } : {}),
  });
const operate = (subscription_ids: string[], operation: 'ENABLE' | 'DISABLE') =>
  call('POST', '/subscriptions/operation', { data: { subscription_ids, operation } });

describe('ExecuteSubscriptionOperation (POST /v1/{project_id}/subscriptions/operation)', () => {
  it('answers 200 with failed_count and one event per subscription; the status follows', async () => {
    const ch = await channel('operate-channel');
    const a = String((await subscribe('operate-a', ch)).id);
    const b = String((await subscribe('operate-b', ch)).id);
    const answer = await operate([a, b], 'DISABLE');
    expect(answer).toEqual({
      httpStatusCode: 200,
      failed_count: 0,
      events: [{ subscription_id: a }, { subscription_id: b }],
    });
    const show = (subscription_id: string) =>
      call('GET', '/subscriptions/{subscription_id}', { pathParams: { subscription_id } });
    expect((await show(a)).status).toBe('DISABLED');
    expect((await operate([a], 'ENABLE')).failed_count).toBe(0);
    expect((await show(a)).status).toBe('ENABLED');
  });

  it('a subscription that does not exist fails alone, in events with error_code and error_msg; the others switch', async () => {
    const ch = await channel('operate-partial');
    const a = String((await subscribe('operate-partial-a', ch)).id);
    const answer = await operate(['no-such-subscription', a], 'DISABLE');
    expect(answer).toMatchObject({
      httpStatusCode: 200,
      failed_count: 1,
      events: [
        {
          subscription_id: 'no-such-subscription',
          error_code: 'EG.00014040',
          error_msg: expect.stringContaining('no-such-subscription'),
        },
        { subscription_id: a },
      ],
    });
    expect((answer.events as Body[])[1]).not.toHaveProperty('error_code');
    expect(emu.subscriptions.get(a)?.status).toBe('DISABLED');
  });

  it('refuses an unknown operation and more than 10 subscriptions in one batch (400)', async () => {
    const bad = await officialFailure(
      call('POST', '/subscriptions/operation', { data: { subscription_ids: [], operation: 'PAUSE' } }),
    );
    expect(bad).toMatchObject({ httpStatusCode: 400, errorCode: 'EG.00014000' });
    const many = Array.from({ length: 11 }, (_, i) => `s-${i}`);
    expect(await officialFailure(operate(many, 'ENABLE'))).toMatchObject({
      httpStatusCode: 400,
      errorMsg: expect.stringContaining('at most 10'),
    });
  });
});

describe('a subscription target connection_id must name a connection of the project', () => {
  it('CreateSubscription, UpdateSubscription and UpdateSubscriptionTarget refuse one that names none (400 EG.00513000); an existing one is taken', async () => {
    const ch = await channel('conn-channel');
    const created = await officialFailure(
      subscribe('conn-missing', ch, [https({ connection_id: 'no-such-connection' })]),
    );
    expect(created).toMatchObject({
      httpStatusCode: 400,
      errorCode: 'EG.00513000',
      errorMsg: expect.stringContaining('no-such-connection'),
    });
    expect([...emu.subscriptions.values()].some((s) => s.name === 'conn-missing')).toBe(false);

    const conn = await call('POST', '/connections', {
      data: { name: 'conn-real', vpc_id: 'vpc-1', subnet_id: 'subnet-1', type: 'webhook' },
    });
    const ok = await subscribe('conn-ok', ch, [https({ connection_id: String(conn.id) })]);
    expect((ok.targets as Body[])[0]).toMatchObject({ connection_id: conn.id });

    const updated = await officialFailure(
      call('PUT', '/subscriptions/{subscription_id}', {
        pathParams: { subscription_id: String(ok.id) },
        data: { sources: [source], targets: [https({ connection_id: 'gone' })] },
      }),
    );
    expect(updated).toMatchObject({ httpStatusCode: 400, errorCode: 'EG.00513000' });
    const target = (ok.targets as Body[])[0]!;
    const part = await officialFailure(
      call('PUT', '/subscriptions/{subscription_id}/targets/{target_id}', {
        pathParams: { subscription_id: String(ok.id), target_id: String(target.id) },
        data: https({ connection_id: 'gone' }),
      }),
    );
    expect(part).toMatchObject({ httpStatusCode: 400, errorCode: 'EG.00513000' });
    expect(emu.subscriptions.get(String(ok.id))?.targets).toEqual([
      expect.objectContaining({ connection_id: conn.id }),
    ]);
    // A connection of another project is not one of this project's.
    const elsewhere = await call('POST', '/connections', {
      data: { name: 'conn-elsewhere', vpc_id: 'vpc-1', subnet_id: 'subnet-1', type: 'webhook' },
      projectId: HUAWEI_EMULATOR_PROJECT_2,
    });
    expect(
      await officialFailure(subscribe('conn-cross', ch, [https({ connection_id: String(elsewhere.id) })])),
    ).toMatchObject({ httpStatusCode: 400, errorCode: 'EG.00513000' });
  });
});

describe('DeleteChannel while the channel has subscriptions', () => {
  it('is refused (400 EG.00513000, naming the subscriptions) and deletes nothing; once they are gone it answers 204', async () => {
    const ch = await channel('busy-channel');
    const sub = String((await subscribe('busy-sub', ch)).id);
    const refused = await officialFailure(
      call('DELETE', '/channels/{channel_id}', { pathParams: { channel_id: ch } }),
    );
    expect(refused).toMatchObject({
      httpStatusCode: 400,
      errorCode: 'EG.00513000',
      errorMsg: expect.stringContaining('busy-sub'),
    });
    expect(emu.channels.has(ch)).toBe(true);
    expect(emu.subscriptions.has(sub)).toBe(true);
    await call('DELETE', '/subscriptions/{subscription_id}', { pathParams: { subscription_id: sub } });
    const deleted = await call('DELETE', '/channels/{channel_id}', { pathParams: { channel_id: ch } });
    expect(deleted.httpStatusCode).toBe(204);
    expect(emu.channels.has(ch)).toBe(false);
  });
});

describe('names "unique under a tenant" (the create APIs): per project', () => {
  it('a subscription name is taken project-wide, on any channel (EG.00513001); another project may reuse it', async () => {
    const one = await channel('unique-one');
    const two = await channel('unique-two');
    await subscribe('unique-sub', one);
    expect(await officialFailure(subscribe('unique-sub', two))).toMatchObject({
      httpStatusCode: 400,
      errorCode: 'EG.00513001',
    });
    const other = await channel('unique-one', HUAWEI_EMULATOR_PROJECT_2);
    const reused = await subscribe('unique-sub', other, [https()], HUAWEI_EMULATOR_PROJECT_2);
    expect(reused.httpStatusCode).toBe(200);
  });

  it('channel, source and connection names too', async () => {
    const ch = await channel('unique-kinds');
    expect(
      await officialFailure(call('POST', '/channels', { data: { name: 'unique-kinds' } })),
    ).toMatchObject({
      errorCode: 'EG.00513001',
    });
    const ch2 = await channel('unique-kinds-2');
    await call('POST', '/sources', { data: { name: 'unique-source', channel_id: ch } });
    expect(
      await officialFailure(call('POST', '/sources', { data: { name: 'unique-source', channel_id: ch2 } })),
    ).toMatchObject({ errorCode: 'EG.00513001' });
    const conn = { name: 'unique-conn', vpc_id: 'vpc-1', subnet_id: 'subnet-1', type: 'webhook' };
    await call('POST', '/connections', { data: conn });
    expect(await officialFailure(call('POST', '/connections', { data: conn }))).toMatchObject({
      errorCode: 'EG.00513001',
    });
  });
});

describe("polybus's Huawei adapter on the corrected emulator", () => {
  let transport: Transport;
  let provider: EventProvider;
  beforeAll(() => {
    transport = new Transport({ retry: { maxAttempts: 1 } });
    provider = guardProvider(
      createHuaweiProvider({
        transport,
        endpoint: emu.url,
        iamEndpoint: emu.url,
        projectId: HUAWEI_EMULATOR_PROJECT,
        credentials: async () => HUAWEI_EMULATOR_USER,
        env: {},
      }),
    );
  });
  afterAll(() => transport.close());

  it('switches an integration off and on through the 200 answer; a channel with integrations is refused, then deleted once they are', async () => {
    const bus = await provider.buses.create({ name: 'adapter-bus' });
    const input = {
      name: 'adapter-int',
      bus: bus.id,
      filter: { exact: { source: 'app.orders' } },
      targets: [{ kind: 'http' as const, url: 'https://example.com/hook' }],
    };
    const int = await provider.integrations.create({ ...input, enabled: false });
    expect(int.enabled).toBe(false);
    expect(emu.subscriptions.get(int.id)?.status).toBe('DISABLED');
    expect((await provider.integrations.update(int.id, { enabled: true })).enabled).toBe(true);
    await expect(provider.buses.delete(bus.id)).rejects.toMatchObject({
      providerCode: 'EG.00513000',
      httpStatus: 400,
    });
    await provider.integrations.delete(int.id);
    await provider.buses.delete(bus.id);
    expect(emu.channels.has(bus.id)).toBe(false);
  });
});
