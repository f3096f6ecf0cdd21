/**
 * The Azure emulator checked with the official clients: `@azure/arm-eventgrid` creates, reads,
 * lists, updates and deletes topics and event subscriptions through ARM (long-running operations
 * polled by the SDK), and `@azure/eventgrid` publishes CloudEvents with a topic key; the emulator
 * routes them with Event Grid's filter semantics to a WebHook that passed the handshake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AzureKeyCredential,
  AzureSASCredential,
  EventGridPublisherClient,
  generateSharedAccessSignature,
} from '@azure/eventgrid';
import type { EventGridManagementClient } from '@azure/arm-eventgrid';
import { AZURE_EMULATOR_RESOURCE_GROUP as RG, AzureEmulator } from '../src/adapters/azure/emulator/index.js';
import { armClient, emulatorToken, type Receiver, startReceiver } from './azure.helpers.js';

let emu: AzureEmulator;
let arm: EventGridManagementClient;
let hook: Receiver;
const poll = { updateIntervalInMs: 1 };

beforeAll(async () => {
  emu = await AzureEmulator.start();
  arm = await armClient(emu);
  hook = await startReceiver();
});
afterAll(async () => {
  await hook.close();
  await emu.close();
});

describe('azure emulator with @azure/arm-eventgrid', () => {
  it('topic lifecycle: create (LRO), get, list with paging, update tags, keys, delete (LRO)', async () => {
    const created = await arm.topics.beginCreateOrUpdateAndWait(
      RG,
      'orders-1',
      { location: 'westeurope', tags: { team: 'a' }, inputSchema: 'CloudEventSchemaV1_0' },
      poll,
    );
    expect(created).toMatchObject({
      name: 'orders-1',
      provisioningState: 'Succeeded',
      inputSchema: 'CloudEventSchemaV1_0',
    });
    expect(created.endpoint).toMatch(/\/api\/events$/);
    for (const n of ['orders-2', 'orders-3'])
      await arm.topics.beginCreateOrUpdateAndWait(RG, n, { location: 'westeurope' }, poll);
    const names: string[] = [];
    for await (const t of arm.topics.listByResourceGroup(RG, { top: 2 })) names.push(t.name!);
    expect(names).toEqual(expect.arrayContaining(['orders-1', 'orders-2', 'orders-3']));
    // Topics_Update answers no body the SDK reads (2022-06-15): read it back.
    await arm.topics.beginUpdateAndWait(RG, 'orders-1', { tags: { team: 'b' } }, poll);
    expect((await arm.topics.get(RG, 'orders-1')).tags).toEqual({ team: 'b' });
    const keys = await arm.topics.listSharedAccessKeys(RG, 'orders-1');
    expect(keys.key1).toBeTruthy();
    await arm.topics.beginDeleteAndWait(RG, 'orders-2', poll);
    await expect(arm.topics.get(RG, 'orders-2')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });

  it('refuses what ARM refuses, with ARM error bodies and a request id', async () => {
    type ArmFailure = {
      statusCode: number;
      code: string;
      response?: { headers: { get(n: string): string | undefined } };
    };
    const err = (await arm.topics
      .beginCreateOrUpdateAndWait(RG, 'x', { location: 'westeurope' }, poll)
      .catch((e: unknown) => e)) as ArmFailure;
    expect(err).toMatchObject({ statusCode: 400, code: 'InvalidRequest' });
    expect(err.response?.headers.get('x-ms-request-id')).toBeTruthy();
    await expect(arm.topics.get('no-such-rg', 'orders-1')).rejects.toMatchObject({
      code: 'ResourceGroupNotFound',
    });
  });

  it('event subscription: WebHook handshake, filter, retry policy read back; getFullUrl', async () => {
    await arm.topics.beginCreateOrUpdateAndWait(
      RG,
      'shop',
      { location: 'westeurope', inputSchema: 'CloudEventSchemaV1_0' },
      poll,
    );
    const before = hook.handshakes;
    const sub = await arm.topicEventSubscriptions.beginCreateOrUpdateAndWait(
      RG,
      'shop',
      'web-orders',
      {
        destination: { endpointType: 'WebHook', endpointUrl: hook.url },
        eventDeliverySchema: 'CloudEventSchemaV1_0',
        filter: {
          includedEventTypes: ['order.created'],
          subjectBeginsWith: 'orders/',
          isSubjectCaseSensitive: true,
          advancedFilters: [{ operatorType: 'NumberGreaterThan', key: 'data.total', value: 10 }],
        },
        retryPolicy: { maxDeliveryAttempts: 4, eventTimeToLiveInMinutes: 60 },
      },
      poll,
    );
    expect(hook.handshakes).toBe(before + 1);
    expect(sub.provisioningState).toBe('Succeeded');
    expect(sub.retryPolicy).toEqual({ maxDeliveryAttempts: 4, eventTimeToLiveInMinutes: 60 });
    expect(sub.filter?.advancedFilters?.[0]).toMatchObject({
      operatorType: 'NumberGreaterThan',
      key: 'data.total',
      value: 10,
    });
    expect(sub.destination).toMatchObject({ endpointType: 'WebHook', endpointBaseUrl: hook.url });
    expect((await arm.topicEventSubscriptions.getFullUrl(RG, 'shop', 'web-orders')).endpointUrl).toBe(
      hook.url,
    );
    const listed: string[] = [];
    for await (const s of arm.topicEventSubscriptions.list(RG, 'shop')) listed.push(s.name!);
    expect(listed).toContain('web-orders');
  });

  it('a WebHook that fails the handshake fails the create', async () => {
    const bad = await startReceiver({ handshake: false });
    try {
      await expect(
        arm.topicEventSubscriptions.beginCreateOrUpdateAndWait(
          RG,
          'shop',
          'no-handshake',
          {
            destination: { endpointType: 'WebHook', endpointUrl: bad.url },
            eventDeliverySchema: 'CloudEventSchemaV1_0',
          },
          poll,
        ),
      ).rejects.toThrow(/handshake/);
    } finally {
      await bad.close();
    }
  });

  it('@azure/eventgrid publishes CloudEvents with the topic key; only the matching ones are delivered', async () => {
    const topic = await arm.topics.get(RG, 'shop');
    const { key1 } = await arm.topics.listSharedAccessKeys(RG, 'shop');
    const client = new EventGridPublisherClient(
      topic.endpoint!,
      'CloudEvent',
      new AzureKeyCredential(key1!),
      {
        allowInsecureConnection: true,
      },
    );
    hook.received.length = 0;
    await client.send([
      { id: 'a1', source: '/shop', type: 'ORDER.CREATED', subject: 'orders/1', data: { total: 20 } },
      { id: 'a2', source: '/shop', type: 'order.created', subject: 'Orders/2', data: { total: 20 } },
      { id: 'a3', source: '/shop', type: 'order.created', subject: 'orders/3', data: { total: 5 } },
    ]);
    await emu.delivery.settle();
    // includedEventTypes and advanced filters ignore case; the subject prefix is case-sensitive here.
    expect(hook.received.map((e) => e.id)).toEqual(['a1']);
    const wrongKey = new EventGridPublisherClient(
      topic.endpoint!,
      'CloudEvent',
      new AzureKeyCredential('nope'),
      {
        allowInsecureConnection: true,
      },
    );
    await expect(wrongKey.send([{ source: '/shop', type: 't', data: {} }])).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('@azure/eventgrid publishes with a shared access signature; an expired or foreign one is refused', async () => {
    const topic = await arm.topics.get(RG, 'shop');
    const { key1 } = await arm.topics.listSharedAccessKeys(RG, 'shop');
    const sas = await generateSharedAccessSignature(
      topic.endpoint!,
      new AzureKeyCredential(key1!),
      new Date(Date.now() + 600_000),
    );
    const client = (s: string) =>
      new EventGridPublisherClient(topic.endpoint!, 'CloudEvent', new AzureSASCredential(s), {
        allowInsecureConnection: true,
      });
    hook.received.length = 0;
    await client(sas).send([
      { id: 's1', source: '/shop', type: 'order.created', subject: 'orders/9', data: { total: 99 } },
    ]);
    await emu.delivery.settle();
    expect(hook.received.map((e) => e.id)).toEqual(['s1']);
    const expired = await generateSharedAccessSignature(
      topic.endpoint!,
      new AzureKeyCredential(key1!),
      new Date(Date.now() - 60_000),
    );
    await expect(client(expired).send([{ source: '/shop', type: 't', data: {} }])).rejects.toMatchObject({
      statusCode: 401,
    });
    const foreign = await generateSharedAccessSignature(
      `${topic.endpoint!}x`,
      new AzureKeyCredential(key1!),
      new Date(Date.now() + 600_000),
    );
    await expect(client(foreign).send([{ source: '/shop', type: 't', data: {} }])).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('a failing WebHook is retried maxDeliveryAttempts times, then dead-lettered to the blob container', async () => {
    const failing = await startReceiver();
    failing.status = 500;
    try {
      await arm.topicEventSubscriptions.beginCreateOrUpdateAndWait(
        RG,
        'shop',
        'dl-route',
        {
          destination: { endpointType: 'WebHook', endpointUrl: failing.url },
          eventDeliverySchema: 'CloudEventSchemaV1_0',
          filter: { includedEventTypes: ['dl.test'] },
          retryPolicy: { maxDeliveryAttempts: 3, eventTimeToLiveInMinutes: 5 },
          deadLetterDestination: {
            endpointType: 'StorageBlob',
            resourceId: `/subscriptions/${'0'.repeat(8)}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/dl`,
            blobContainerName: 'dead',
          },
        },
        poll,
      );
      const topic = await arm.topics.get(RG, 'shop');
      const { key1 } = await arm.topics.listSharedAccessKeys(RG, 'shop');
      await new EventGridPublisherClient(topic.endpoint!, 'CloudEvent', new AzureKeyCredential(key1!), {
        allowInsecureConnection: true,
      }).send([{ id: 'dl-1', source: '/shop', type: 'dl.test', data: {} }]);
      await emu.delivery.settle();
      expect(failing.received.map((e) => e.id)).toEqual(['dl-1', 'dl-1', 'dl-1']);
      const delivery = emu.delivery.report('dl-1').deliveries.find((d) => d.destination === failing.url);
      expect(delivery).toMatchObject({ status: 'dead-lettered', attempts: 3 });
      expect(delivery?.note).toMatch(/storage blob container dead/);
    } finally {
      await failing.close();
    }
  });

  it('the token endpoint refuses a wrong secret with an AADSTS error', async () => {
    const res = await fetch(`${emu.url}/${'72f988bf-0000-4000-8000-00000000e1e1'}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: 'x',
        client_secret: 'y',
        scope: 'https://management.azure.com/.default',
        grant_type: 'client_credentials',
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_description: string }).error_description).toMatch(/^AADSTS700016/);
    expect(await emulatorToken(emu)).toMatch(/emulator$/);
  });

  it('deleting a topic removes its event subscriptions', async () => {
    await arm.topics.beginDeleteAndWait(RG, 'shop', poll);
    await expect(arm.topicEventSubscriptions.get(RG, 'shop', 'web-orders')).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
