import { describe, expect, it } from 'vitest';
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { createContainer, registerProvider, resolveProvider, TYPES } from '../src/core/runtime/container.js';
import { PolybusError } from '../src/core/model/errors.js';
import { collect, guardProvider, unsupportedApi } from '../src/core/runtime/resources.js';
import { type EventProvider } from '../src/core/contract/provider.js';
import { Transport } from '../src/core/runtime/transport.js';
import { createPolybus } from '../src/sdk/create.js';
import { VirtualClock } from './helpers/clock.js';

describe('container', () => {
  it('binds transport and clock as swappable singletons', async () => {
    const clock = new VirtualClock();
    const transport = new Transport({ clock });
    const c = createContainer({ clock, transport });
    expect(c.get(TYPES.Transport)).toBe(transport);
    expect(c.get(TYPES.Clock)).toBe(clock);
    const d = createContainer({ clock });
    expect(d.get<Transport>(TYPES.Transport).clock).toBe(clock);
    expect(d.get(TYPES.Transport)).toBe(d.get(TYPES.Transport));
  });

  it('resolves providers by name with the bound transport, credentials and options', async () => {
    const emu = await TencentEmulator.start();
    const seen: string[] = [];
    const transport = new Transport({ observers: [{ onRequest: (e) => seen.push(e.operation) }] });
    const c = createPolybus({
      transport,
      env: {},
      providers: { tencent: { endpoint: emu.url } },
      credentials: { tencent: async () => TENCENT_EMULATOR_CREDENTIALS },
    });
    const p = await resolveProvider(c, 'tencent');
    expect(await collect(p.buses.list())).toEqual([]);
    expect(seen).toEqual(['ListEventBuses']);
    await transport.close();
    await emu.close();
  });

  it('a user can register their own provider; the guard normalizes stray errors', async () => {
    const c = createContainer({ env: {} });
    const stub: EventProvider = {
      specificationVersion: 'v1',
      name: 'mine',
      capabilities: (await import('../src/adapters/tencent/capabilities.js')).tencentCapabilities,
      mutability: {},
      replaceStrategy: {},
      buses: {
        ...unsupportedApi('mine', 'bus', 'n/a'),
        get: async () => {
          throw new TypeError('boom');
        },
      },
      sources: unsupportedApi('mine', 'source', 'n/a'),
      connections: unsupportedApi('mine', 'connection', 'n/a'),
      integrations: unsupportedApi('mine', 'integration', 'n/a'),
      close: async () => {},
    };
    registerProvider(c, 'mine', async () => stub);
    const p = await resolveProvider(c, 'mine');
    const err = await p.buses.get('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolybusError);
    expect(err).toMatchObject({ code: 'Internal', provider: 'mine' });
    // declared-unsupported cells throw before the adapter runs
    await expect(collect(p.sources.list())).rejects.toMatchObject({ code: 'Unsupported' });
    // tags set where the tags cell is unsupported: refused, never dropped
    await expect(guardProvider(stub).buses.create({ name: 'n', tags: { a: 'b' } })).rejects.toMatchObject({
      code: 'Unsupported',
    });
  });
});
