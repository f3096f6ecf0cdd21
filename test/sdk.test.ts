// The library as users call it: exact input types (checked by `tsc` over this file), typed and
// validated createPolybus options, and PolybusError for every failure. Never calls a real cloud.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AwsOptionsSchema } from '../src/adapters/aws/options.js';
import type { HuaweiOptionsSchema } from '../src/adapters/huawei/options.js';
import type { TencentOptionsSchema } from '../src/adapters/tencent/options.js';
import type { TencentProviderOptions } from '../src/adapters/tencent/index.js';
import {
  bindProviderOptions,
  containerOf,
  createContainer,
  registerProvider,
  resolveProvider as resolveFromContainer,
  TYPES,
} from '../src/core/runtime/container.js';
import type { AwsOptions } from '../src/adapters/aws/public.js';
import type { HuaweiOptions } from '../src/adapters/huawei/public.js';
import type { TencentCredentials, TencentOptions } from '../src/adapters/tencent/public.js';
import { CreateSourceInputSchema, type FilterInput, UpdateBusInputSchema } from '../src/core/index.js';
import { BUNDLED_PROVIDERS } from '../src/sdk/create.js';
import { PolybusError } from '../src/core/model/errors.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import type { Transport } from '../src/core/runtime/transport.js';
import {
  type Bus,
  type CreateBusInput,
  type CreateIntegrationInput,
  createPolybus,
  type Polybus,
  type PolybusOptions,
  type ProviderName,
  resolveProvider,
} from '../src/index.js';
import { VirtualClock } from './helpers/clock.js';

/** Only type-checked, never run: each `@ts-expect-error` fails `npm run typecheck` if the line compiles. */
function typeChecksOnly(p: EventProvider) {
  void p.buses.create({ name: 'orders', retentionDays: 7 });
  // @ts-expect-error misspelled field (`nmae`) and the required `name` missing
  void p.buses.create({ nmae: 'orders' });
  // @ts-expect-error wrong type: retentionDays is a number
  void p.buses.create({ name: 'orders', retentionDays: 'seven' });
  // @ts-expect-error missing required fields: an integration needs bus (and a filter, neutral or native: checked at run time)
  void p.integrations.create({ name: 'x' });
  // @ts-expect-error provider-assigned fields are not create input
  void p.buses.create({ name: 'orders', id: 'eb-1' });
  // @ts-expect-error update patches are typed too
  void p.buses.update('eb-1', { retentionDays: 'seven' });
  // @ts-expect-error unknown option key for an adapter (`endPoint`)
  createPolybus({ providers: { tencent: { endPoint: 'http://127.0.0.1:1' } } });
  // @ts-expect-error unknown provider name
  createPolybus({ providers: { tencnet: { region: 'ap-guangzhou' } } });
  // @ts-expect-error Huawei-only option on Tencent
  createPolybus({ providers: { tencent: { projectId: 'p' } } });
  // @ts-expect-error credentials are each adapter's own type
  createPolybus({ credentials: { tencent: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) } });
  createPolybus({
    providers: { tencent: { region: 'ap-guangzhou' }, huawei: { projectId: 'p', connectionWaitMs: 10 } },
    credentials: { aws: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) },
  });
}
void typeChecksOnly;

describe('exact types (compile-time; this file is covered by `npm run typecheck`)', () => {
  it('create and update inputs keep every field and its type', () => {
    expectTypeOf<CreateBusInput>().toEqualTypeOf<{
      name: string;
      description?: string | undefined;
      tags?: Record<string, string> | undefined;
      extensions?: Record<string, Record<string, unknown>> | undefined;
      retentionDays?: number | undefined;
    }>();
    // Optional in the type: the provider's native filter in extensions may stand in for it (exactly one, checked at run time).
    expectTypeOf<CreateIntegrationInput>().toHaveProperty('filter').toEqualTypeOf<FilterInput | undefined>();
    expectTypeOf<CreateIntegrationInput>().toHaveProperty('clientToken').toEqualTypeOf<string | undefined>();
    expectTypeOf<Bus>().toHaveProperty('id').toEqualTypeOf<string>();
    expectTypeOf<ProviderName>().toEqualTypeOf<'tencent' | 'huawei' | 'aws' | 'azure'>();
    expectTypeOf<NonNullable<PolybusOptions['providers']>['aws']>().toEqualTypeOf<AwsOptions | undefined>();
    // Each adapter's public options are a subset of what its own factory takes.
    expectTypeOf<TencentOptions>().toExtend<Partial<TencentProviderOptions>>();
    // The documented option interfaces and the run-time checks name the same keys and types.
    expectTypeOf<z.input<typeof TencentOptionsSchema>>().toEqualTypeOf<TencentOptions>();
    expectTypeOf<z.input<typeof HuaweiOptionsSchema>>().toEqualTypeOf<HuaweiOptions>();
    expectTypeOf<z.input<typeof AwsOptionsSchema>>().toEqualTypeOf<AwsOptions>();
    expectTypeOf<HuaweiOptions>().toHaveProperty('projectId').toEqualTypeOf<string | undefined>();
    expectTypeOf<TencentCredentials>().toHaveProperty('secretKey').toEqualTypeOf<string>();
  });

  it('the schemas behave as before at run time: assigned fields stripped, defaults applied', () => {
    expect(CreateSourceInputSchema.parse({ name: 's', bus: 'b', id: 'x', provider: 'p' })).toEqual({
      name: 's',
      bus: 'b',
      kind: 'application',
    });
    expect(Object.keys(UpdateBusInputSchema.shape).sort()).toEqual([
      'description',
      'extensions',
      'name',
      'retentionDays',
      'tags',
    ]);
    expect(UpdateBusInputSchema.safeParse({ retentionDays: 'seven' }).success).toBe(false);
  });
});

const errorOf = (fn: () => unknown): PolybusError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof PolybusError) return err;
    throw err;
  }
  throw new Error('did not throw');
};

describe('createPolybus options', () => {
  it('rejects an unknown adapter option key, naming it (a typo must not fall back to the real cloud)', () => {
    const err = errorOf(() =>
      createPolybus({
        providers: { tencent: { endPoint: 'http://127.0.0.1:1' } },
      } as unknown as PolybusOptions),
    );
    expect(err.code).toBe('InvalidArgument');
    expect(err.message).toContain('providers.tencent.endPoint');
    expect(err.issues?.[0]?.rule).toContain('known: region, endpoint');
  });

  it('rejects unknown top-level keys, unknown provider names and non-function credentials', () => {
    const err = errorOf(() =>
      createPolybus({
        provider: {},
        providers: { tencnet: {} },
        credentials: { aws: { accessKeyId: 'a' } },
      } as unknown as PolybusOptions),
    );
    expect(err.issues?.map((i) => i.field)).toEqual(['provider', 'providers.tencnet', 'credentials.aws']);
  });

  it('accepts an explicitly undefined provider entry (optional keys may be present and undefined)', () => {
    expect(() =>
      createPolybus({ env: {}, providers: { tencent: undefined }, credentials: { aws: undefined } }),
    ).not.toThrow();
  });

  it('checks option values against the adapter rules (endpoint must be an http(s) URL)', () => {
    const err = errorOf(() => createPolybus({ providers: { aws: { endpoint: 'not a url' } } }));
    expect(err.issues?.[0]?.field).toBe('providers.aws.endpoint');
  });

  it("keeps a user's rate limit for a provider instead of the adapter's documented default", async () => {
    const env = { TENCENTCLOUD_SECRET_ID: 'AKIDx', TENCENTCLOUD_SECRET_KEY: 'k' };
    const acquireTwice = async (options: PolybusOptions) => {
      const clock = new VirtualClock();
      const c = createPolybus({ ...options, clock, env });
      await resolveProvider(c, 'tencent');
      const { limiter } = containerOf(c).get<Transport>(TYPES.Transport);
      await limiter.acquire('tencent', 'ListEventBuses');
      await limiter.acquire('tencent', 'ListEventBuses');
      return clock.sleeps;
    };
    // Tencent documents 20 requests per second per action: the default waits 50 ms for the second.
    expect(await acquireTwice({})).toEqual([50]);
    expect(
      await acquireTwice({ transportOptions: { rateLimits: { tencent: { ratePerSecond: 1, burst: 5 } } } }),
    ).toEqual([]);
  });
});

describe('options bound without createPolybus (adapter-kit wiring)', () => {
  it('the adapter itself rejects an unknown option key when it is built', async () => {
    const c = createContainer({ env: {} });
    const tencent = BUNDLED_PROVIDERS.find((p) => p.name === 'tencent');
    if (!tencent) throw new Error('no tencent');
    registerProvider(c, 'tencent', (ctx) => tencent.create(ctx));
    bindProviderOptions(c, 'tencent', { endPoint: 'http://127.0.0.1:1' });
    const err = await resolveFromContainer(c, 'tencent').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolybusError);
    expect((err as PolybusError).code).toBe('InvalidArgument');
    expect((err as PolybusError).message).toContain('endPoint');
  });
});

describe('every failure is a PolybusError', () => {
  it('an unknown provider name is InvalidArgument listing the valid names', async () => {
    // A name from user input: a plain Polybus takes any string (the typed one would not compile).
    const loose: Polybus = createPolybus({ env: {} });
    const err = await resolveProvider(loose, 'gcp').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolybusError);
    expect((err as PolybusError).code).toBe('InvalidArgument');
    expect((err as PolybusError).message).toContain('valid names: tencent, huawei, aws, azure');
  });

  it('a provider that cannot be configured fails with a PolybusError (Huawei without a project id)', async () => {
    const err = await resolveProvider(createPolybus({ env: {} }), 'huawei').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolybusError);
    expect((err as PolybusError).code).toBe('InvalidArgument');
  });
});
