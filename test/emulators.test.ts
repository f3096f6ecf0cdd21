// `polybus/emulators` as a user's test would use it: start, point createPolybus at it, stop.
// Loopback only: it must never reach a real cloud.
import { describe, expect, it } from 'vitest';
import { startEmulators as startCliEmulators } from '../src/testing/all.js';
import { PolybusError } from '../src/core/model/errors.js';
import { startEmulators } from '../src/testing/index.js';
import { collect, createPolybus, type ProviderName, resolveProvider } from '../src/index.js';

describe('startEmulators (polybus/emulators)', () => {
  it('a user points createPolybus at the emulators through env alone and round-trips a bus', async () => {
    const emulators = await startEmulators({ providers: ['tencent'] });
    try {
      expect(Object.keys(emulators.endpoints)).toEqual(['tencent']);
      expect(emulators.endpoints.tencent).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const polybus = createPolybus({ env: emulators.env });
      const tencent = await resolveProvider(polybus, 'tencent');
      const bus = await tencent.buses.create({ name: 'orders' });
      expect((await collect(tencent.buses.list())).map((b) => b.id)).toEqual([bus.id]);
      await tencent.close();
    } finally {
      await emulators.stop();
    }
  });

  it('endpoints and credentials work as createPolybus options too (no env)', async () => {
    const emulators = await startEmulators({ providers: ['aws'] });
    try {
      const { aws } = emulators.credentials;
      if (!aws) throw new Error('no aws credentials');
      const polybus = createPolybus({
        env: {},
        providers: { aws: { endpoint: emulators.endpoints.aws ?? '', region: 'us-east-1' } },
        credentials: { aws: async () => aws },
      });
      const provider = await resolveProvider(polybus, 'aws');
      expect(await collect(provider.integrations.list())).toEqual([]);
      await provider.close();
    } finally {
      await emulators.stop();
    }
  });

  it('sets the same environment as the CLI `emulators` command (one source of truth for names)', async () => {
    const [lib, cli] = await Promise.all([startEmulators(), startCliEmulators()]);
    try {
      expect(Object.keys(lib.env).sort()).toEqual(Object.keys(cli.env).sort());
      expect(Object.keys(lib.credentials).sort()).toEqual(['aws', 'azure', 'huawei', 'tencent']);
    } finally {
      await Promise.all([lib.stop(), cli.close()]);
    }
  });

  it('rejects an unknown provider name with InvalidArgument', async () => {
    const err = await startEmulators({ providers: ['gcp' as ProviderName] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolybusError);
    expect((err as PolybusError).message).toContain('valid names: tencent, huawei, aws, azure');
  });
});
