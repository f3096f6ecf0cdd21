// The typed library API of issue 24: typed providers derived from each definition's declarations,
// closed CloudEvents, per-provider extension fields, typed native sends, and plan/apply taking the
// client's options. The `@ts-expect-error` lines fail `npm run typecheck` if they compile; the
// run-time tests check that what the types promise is what happens.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  apply,
  type CloudEvent,
  createPolybus,
  type EventProvider,
  plan,
  type Polybus,
  type ProviderOf,
  resolveProvider,
  type SpecInput,
} from '../src/index.js';
import { openAwsClient } from '../src/adapters/aws/public.js';
import { openAzureClient } from '../src/adapters/azure/public.js';
import { openHuaweiClient } from '../src/adapters/huawei/public.js';
import { openTencentClient } from '../src/adapters/tencent/public.js';
import { tencentCapabilities } from '../src/adapters/tencent/capabilities.js';
import { huaweiCapabilities } from '../src/adapters/huawei/capabilities.js';
import { awsCapabilities } from '../src/adapters/aws/capabilities.js';
import { PolybusError } from '../src/core/model/errors.js';
import { startEmulators } from '../src/testing/index.js';

const event: CloudEvent = { id: '1', source: 'shop', specversion: '1.0', type: 'order.created' };

/** Only type-checked, never run. */
async function typeChecksOnly() {
  const polybus = createPolybus();
  // @ts-expect-error a typo'd provider name
  await resolveProvider(polybus, 'tencnet');
  // @ts-expect-error a typo'd provider name through the method too
  await polybus.provider('tencnet');
  // @ts-expect-error a typo'd provider name in a spec target
  await plan({ version: 1, targets: [{ provider: 'tencnet' }] });
  const spec: SpecInput = { version: 1, targets: [{ provider: 'tencent' }] };
  void spec;

  const tencent = await resolveProvider(polybus, 'tencent');
  const huawei = await resolveProvider(polybus, 'huawei');
  const aws = await resolveProvider(polybus, 'aws');
  expectTypeOf(tencent.name).toEqualTypeOf<'tencent'>();
  // @ts-expect-error Huawei EventGrid buses take no tags (capability matrix: tags unsupported)
  await huawei.buses.update('b', { tags: { team: 'shop' } });
  // @ts-expect-error AWS has no source create (capability matrix: unsupported)
  await aws.sources.create({ name: 'x' });
  // @ts-expect-error Tencent has no sources at all
  await tencent.sources.list();
  // @ts-expect-error AWS has no connection kind
  await aws.connections.get('c');
  await aws.sources.get('aws.partner/x'); // get is reference-only: callable
  // @ts-expect-error AWS buses keep no retention
  await aws.buses.create({ name: 'b', retentionDays: 7 });
  await tencent.buses.create({ name: 'b', retentionDays: 7, extensions: { tencent: { EnableStore: true } } });
  // @ts-expect-error a misspelled extension key (EnableStore)
  await tencent.buses.create({ name: 'b', extensions: { tencent: { EnableStor: true } } });
  // @ts-expect-error an extension value of the wrong type
  await tencent.buses.create({ name: 'b', extensions: { tencent: { EnableStore: 'yes' } } });
  // @ts-expect-error a Tencent field under a Huawei bus
  await huawei.buses.create({ name: 'b', extensions: { huawei: { EnableStore: true } } });

  // publish and trace are not optional where the provider has them
  await tencent.publish('b', [event]);
  await huawei.trace('1', { bus: 'b' });
  // @ts-expect-error a typo of a CloudEvents attribute (subject)
  await huawei.publish('b', [{ ...event, subjet: 'typo' }]);
  // @ts-expect-error a typo, straight on the event type
  const typo: CloudEvent = { ...event, subjet: 'typo' };
  void typo;
  // documented extension attributes are known; your own are declared
  await huawei.publish('b', [{ ...event, traceparent: '00-abc-def-01' }]);
  await huawei.publish<{ tenant: string }>('b', [{ ...event, tenant: 'acme' }]);
  // @ts-expect-error Tencent refuses extension attributes (PutEvents has no field for them)
  await tencent.publish('b', [{ ...event, traceparent: '00-abc-def-01' }]);
  // @ts-expect-error the untyped contract is closed too
  await (tencent as EventProvider).publish?.('b', [{ ...event, subjet: 'typo' }]);

  // native sends: one name, typed by the action list
  await openTencentClient().send('ListEventBuses', { Limit: 10 });
  await openHuaweiClient().send('ListChannels');
  await openAwsClient().send('ListEventBuses');
  await openAzureClient().send('Topics_ListByResourceGroup');
  // @ts-expect-error a misspelled Tencent action
  await openTencentClient().send('ListEventBus');
  // @ts-expect-error a misspelled Huawei operation
  await openHuaweiClient().send('ListChanels');
  // @ts-expect-error a misspelled AWS action
  await openAwsClient().send('ListEventBuss');
  // @ts-expect-error a misspelled Azure operation
  await openAzureClient().send('Topics_ListByResourceGrp');

  // plan/apply take the client's options
  await plan('spec.yaml', { credentials: { tencent: async () => ({ secretId: 'i', secretKey: 'k' }) } });
  // @ts-expect-error credentials are each provider's own shape
  await plan('spec.yaml', { credentials: { tencent: async () => ({ accessKeyId: 'a' }) } });
  await plan(
    { version: 1, targets: [{ provider: 'mine' }] },
    { extraProviders: { mine: async () => stub() } },
  );

  // a typed provider is still an EventProvider (exportSpec, translateSpec, your helpers)
  const plain: EventProvider[] = [tencent, huawei, aws];
  void plain;
  // @ts-expect-error an unsupported operation cannot be called with any argument
  await aws.connections.create({ name: 'c' } as never as string);

  // a plain Polybus (registered from outside) takes any name, typed loosely
  const loose: Polybus = polybus;
  expectTypeOf(await resolveProvider(loose, 'mine')).toEqualTypeOf<EventProvider>();
  const withExtra = createPolybus({ extraProviders: { mine: async () => stub() } });
  expectTypeOf(await resolveProvider(withExtra, 'mine')).toEqualTypeOf<EventProvider>();
  expectTypeOf(await resolveProvider(withExtra, 'aws')).toEqualTypeOf<ProviderOf<'aws'>>();
}
void typeChecksOnly;

/** A provider from outside the package: empty lists, creates echo their input. */
function stub(): EventProvider {
  const api = {
    create: async (input: { name: string }) => ({ id: input.name, provider: 'mine', ...input }),
    get: async () => {
      throw new PolybusError({ code: 'NotFound', provider: 'mine', operation: 'get', message: 'none' });
    },
    // eslint-disable-next-line require-yield -- an empty lazy list
    list: async function* () {
      return;
    },
    update: async (id: string) => ({ id, name: id, provider: 'mine' }),
    delete: async () => undefined,
  };
  return {
    specificationVersion: 'v1',
    name: 'mine',
    capabilities: { ...tencentCapabilities, provider: 'mine', displayName: 'Mine' },
    mutability: {},
    replaceStrategy: {},
    buses: api,
    sources: api,
    connections: api,
    integrations: api,
    close: async () => undefined,
  } as unknown as EventProvider;
}

describe('the typed providers mirror the capability matrix at run time', () => {
  it('each operation the types remove is one the guard refuses as Unsupported', async () => {
    const polybus = createPolybus({ env: {}, providers: { huawei: { projectId: 'p' } } });
    const aws = (await resolveProvider(polybus, 'aws')) as unknown as EventProvider;
    expect(awsCapabilities.kinds.source.operations.create.support).toBe('unsupported');
    const err = await aws.sources.create({ name: 'x', bus: 'b' }).catch((e: unknown) => e);
    expect((err as PolybusError).code).toBe('Unsupported');
    expect(huaweiCapabilities.kinds.bus.features.tags.support).toBe('unsupported');
    const huawei = (await resolveProvider(polybus, 'huawei')) as unknown as EventProvider;
    const tags = await huawei.buses.update('b', { tags: { a: 'b' } }).catch((e: unknown) => e);
    expect((tags as PolybusError).code).toBe('Unsupported');
    expect(typeof (await resolveProvider(polybus, 'tencent')).publish).toBe('function');
    await polybus.close();
  });

  it('extra providers resolve by name and a bundled name cannot be replaced', async () => {
    const polybus = createPolybus({ env: {}, extraProviders: { mine: async () => stub() } });
    expect((await resolveProvider(polybus, 'mine')).name).toBe('mine');
    expect(() => createPolybus({ extraProviders: { tencent: async () => stub() } })).toThrow(
      /bundled provider/,
    );
  });

  it('a native send refuses a misspelled action at run time too, naming the close match', async () => {
    const { send, close } = openTencentClient({ env: {} });
    const err = await send('ListEventBus' as 'ListEventBuses').catch((e: unknown) => e);
    expect((err as PolybusError).code).toBe('InvalidArgument');
    expect((err as PolybusError).message).toContain('ListEventBuses');
    await close();
  });

  it('the Azure entry sends the same way, and refuses a misspelled operation before any request', async () => {
    const { send, close } = openAzureClient({
      env: { AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000', AZURE_RESOURCE_GROUP: 'rg' },
    });
    const err = await send('Topics_Get_' as 'Topics_Get').catch((e: unknown) => e);
    expect((err as PolybusError).code).toBe('InvalidArgument');
    expect((err as PolybusError).message).toContain('Topics_Get');
    await close();
  });
});

describe('plan and apply take the client options', () => {
  it('credentials given in code reach the targets, and a provider from outside is planned', async () => {
    const emulators = await startEmulators({ providers: ['tencent'] });
    try {
      const env = Object.fromEntries(
        Object.entries(emulators.env).filter(([k]) => !/SECRET/.test(k)),
      ) as Record<string, string>;
      const keys = emulators.credentials.tencent!;
      let asked = 0;
      const credentials = {
        tencent: async () => {
          asked++;
          return keys;
        },
      };
      const spec: SpecInput<'tencent' | 'mine'> = {
        version: 1,
        targets: [{ provider: 'tencent' }, { provider: 'mine' }],
        buses: [{ name: 'typed-orders' }],
      };
      const p = await plan(spec, { env, credentials, extraProviders: { mine: async () => stub() } });
      expect(
        p.items
          .filter((i) => i.action === 'create')
          .map((i) => i.target)
          .sort(),
      ).toEqual(['mine', 'tencent']);
      const outcomes = await apply(p);
      expect(outcomes.every((o) => o.status !== 'failed')).toBe(true);
      expect(asked).toBeGreaterThan(0);
    } finally {
      await emulators.stop();
    }
  });
});
