// The package's entries: the root is the user API, adapter-author helpers live in adapter-kit, and
// no run-time export of a core module is dropped from both. It only imports; it never calls a provider.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as kit from '../src/adapter-kit.js';
import * as core from '../src/core/index.js';
import * as emulators from '../src/testing/index.js';
import * as root from '../src/index.js';
import * as aws from '../src/adapters/aws/public.js';
import * as huawei from '../src/adapters/huawei/public.js';
import * as tencent from '../src/adapters/tencent/public.js';

const coreDir = new URL('../src/core/', import.meta.url);
/** Core modules that are internal plumbing, exported from no entry. */
const INTERNAL = new Set(['index.ts', 'lazy.ts']);

describe('public surface', () => {
  it('the root entry exports no adapter-author helper (parseResponse, createWithLookup, paginate...)', () => {
    const helpers = Object.keys(kit);
    expect(helpers).toEqual(
      expect.arrayContaining(['parseResponse', 'createWithLookup', 'paginate', 'LoopbackEmulator']),
    );
    expect(helpers.filter((name) => name in root)).toEqual([]);
  });

  it('polybus/core is the root minus the bundled-adapter registry', () => {
    expect(Object.keys(core).filter((name) => !(name in root))).toEqual([]);
    expect(
      Object.keys(root)
        .filter((name) => !(name in core))
        .sort(),
    ).toEqual(
      [
        'BUNDLED_PROVIDERS',
        'PROVIDER_NAMES',
        'createPolybus',
        'isProviderName',
        'loadCapabilities',
        'providerNames',
        // provisioning from code (src/provision.ts) opens providers, so it lives beside the registry
        'apply',
        'destroy',
        'openProviders',
        'plan',
        'planDestroy',
      ].sort(),
    );
  });

  it('every run-time export of a core module is reachable from the root or the adapter kit', async () => {
    const dropped: string[] = [];
    for (const file of readdirSync(coreDir).filter((f) => f.endsWith('.ts') && !INTERNAL.has(f))) {
      const mod = (await import(new URL(file.replace(/\.ts$/, '.js'), coreDir).href)) as Record<
        string,
        unknown
      >;
      for (const name of Object.keys(mod))
        if (!(name in root) && !(name in kit)) dropped.push(`${file}: ${name}`);
    }
    expect(dropped).toEqual([]);
  });

  it('polybus/emulators exports startEmulators only (at run time)', () => {
    expect(Object.keys(emulators)).toEqual(['startEmulators']);
  });

  it('polybus/tencent, polybus/huawei and polybus/aws export the native client, its factory and its action list, none of them from the root (issue 16)', () => {
    const entries = {
      tencent: [tencent, ['TencentClient', 'openTencentClient', 'TENCENT_ACTIONS']],
      huawei: [huawei, ['HuaweiClient', 'openHuaweiClient', 'HUAWEI_OPERATIONS', 'HUAWEI_OPERATION_NAMES']],
      aws: [aws, ['AwsClient', 'openAwsClient', 'AWS_ACTIONS']],
    } as const;
    for (const [name, [mod, expected]] of Object.entries(entries)) {
      expect(Object.keys(mod), name).toEqual(expect.arrayContaining([...expected]));
      expect(
        Object.keys(mod).filter((k) => k in root),
        name,
      ).toEqual([]);
    }
  });
});
