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
const INTERNAL = new Set(['index.ts', 'runtime/lazy.ts']);
/** The container's resolver taking either wiring: the SDK exports the Polybus-only `resolveProvider`. */
const WIRING = new Set(['runtime/container.ts: resolveProvider']);

describe('public surface', () => {
  it('the root entry exports no adapter-author helper (parseResponse, createWithLookup, paginate...)', () => {
    const helpers = Object.keys(kit);
    expect(helpers).toEqual(
      expect.arrayContaining(['parseResponse', 'createWithLookup', 'paginate', 'LoopbackEmulator']),
    );
    expect(helpers.filter((name) => name in root)).toEqual([]);
  });

  it('the root entry exports exactly its documented list of values (types aside)', () => {
    expect(Object.keys(root).sort()).toEqual(
      [
        // a client, typed providers
        'createPolybus',
        'resolveProvider',
        'Polybus',
        'PROVIDER_NAMES',
        'providerNames',
        'isProviderName',
        'loadCapabilities',
        'supports',
        // errors
        'PolybusError',
        'isPolybusError',
        'ERROR_CODES',
        // spec, plan, apply, migrate
        'loadSpec',
        'parseSpec',
        'plan',
        'apply',
        'planDestroy',
        'destroy',
        'openProviders',
        'exportSpec',
        'translateSpec',
        // filters and lists
        'matches',
        'collect',
      ].sort(),
    );
  });

  it('every value of the root entry outside the SDK is also in polybus/core', () => {
    const sdk = [
      'createPolybus',
      'resolveProvider',
      'Polybus',
      'PROVIDER_NAMES',
      'providerNames',
      'isProviderName',
      'loadCapabilities',
      'plan',
      'apply',
      'planDestroy',
      'destroy',
      'openProviders',
    ];
    expect(Object.keys(root).filter((name) => !(name in core) && !sdk.includes(name))).toEqual([]);
  });

  it('every run-time export of a core module is reachable from polybus/core or the adapter kit', async () => {
    const files = readdirSync(coreDir, { recursive: true, encoding: 'utf8' }).filter(
      // the plan's phases are internal modules: engine/plan/index.ts is their public face
      (f) => f.endsWith('.ts') && !INTERNAL.has(f) && !/^engine\/plan\/(?!index\.ts)/.test(f),
    );
    expect(files.length).toBeGreaterThan(20);
    const dropped: string[] = [];
    for (const file of files) {
      const mod = (await import(new URL(file.replace(/\.ts$/, '.js'), coreDir).href)) as Record<
        string,
        unknown
      >;
      for (const name of Object.keys(mod))
        if (!(name in core) && !(name in kit) && !WIRING.has(`${file}: ${name}`))
          dropped.push(`${file}: ${name}`);
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
