// A region (or project id) is data from a spec someone else may have written; it becomes part of a
// host name or a signed header. Hostile values must be refused before any request, on every
// provider and from every place a region can come from (createPolybus options, a spec target, the
// environment), and a listener at the host they name must see no connection at all.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProvider } from '../src/core/runtime/container.js';
import { collect } from '../src/core/runtime/resources.js';
import { isPolybusError, type PolybusError } from '../src/core/model/errors.js';
import { createPolybus, providerNames } from '../src/sdk/create.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-region-'));
let server: Server;
let port = 0;
const seen: Socket[] = [];

beforeAll(async () => {
  server = createServer((s) => {
    seen.push(s);
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const hostile = () => [
  `x@127.0.0.1:${port}/#`,
  `127.0.0.1:${port}`,
  `x.127.0.0.1:${port}/`,
  'cn-north-4\r\nX-Injected: 1',
  'cn-north-4.evil.example',
];

/** Canary credentials: the listener must never see them, nor anything else. */
const ENV = {
  TENCENTCLOUD_SECRET_ID: 'AKIDcanary',
  TENCENTCLOUD_SECRET_KEY: 'canarySecretKey',
  HUAWEICLOUD_PROJECT_ID: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  HUAWEICLOUD_SDK_AK: 'canaryAK',
  HUAWEICLOUD_SDK_SK: 'canarySK',
  HUAWEICLOUD_USER_NAME: 'u',
  HUAWEICLOUD_PASSWORD: 'canaryPassword',
  HUAWEICLOUD_DOMAIN_NAME: 'd',
  AWS_ACCESS_KEY_ID: 'AKIAcanary',
  AWS_SECRET_ACCESS_KEY: 'canarySecret',
  AWS_SESSION_TOKEN: 'canaryToken',
  AZURE_SUBSCRIPTION_ID: '00000000-0000-4000-8000-000000000001',
  AZURE_RESOURCE_GROUP: 'rg',
  AZURE_TENANT_ID: '00000000-0000-4000-8000-000000000002',
  AZURE_CLIENT_ID: '00000000-0000-4000-8000-000000000003',
  AZURE_CLIENT_SECRET: 'canaryClientSecret',
};
const REGION_ENV: Record<string, string> = {
  tencent: 'TENCENTCLOUD_REGION',
  huawei: 'HUAWEICLOUD_REGION',
  aws: 'AWS_REGION',
  azure: 'AZURE_LOCATION',
};
/** Every bundled provider: the next one is covered (and fails here until it names its region variable). */
const PROVIDERS = providerNames();

const invalid = async (fn: () => Promise<unknown>): Promise<PolybusError> => {
  try {
    await fn();
  } catch (e) {
    if (isPolybusError(e) && e.code === 'InvalidArgument') return e;
    throw e;
  }
  throw new Error('expected InvalidArgument');
};

describe('a region can never choose the host that receives credentials', () => {
  for (const provider of PROVIDERS) {
    it(`${provider}: a hostile region in createPolybus options is refused naming the field`, async () => {
      for (const region of hostile()) {
        const err = await invalid(async () =>
          createPolybus({ env: ENV, providers: { [provider]: { region } } }),
        );
        expect(err.issues?.[0]?.field).toBe(`providers.${provider}.region`);
      }
    });

    it(`${provider}: a hostile region in the environment is refused before any request`, async () => {
      for (const region of hostile()) {
        const container = createPolybus({ env: { ...ENV, [REGION_ENV[provider]!]: region } });
        const err = await invalid(async () => (await resolveProvider(container, provider)).buses.list());
        expect(err.issues?.[0]?.field).toContain(REGION_ENV[provider]!);
        expect(err.message).not.toMatch(/canary/i);
      }
    });

    it(`${provider}: a hostile region in a spec target is a usage error (exit 2), nothing sent`, async () => {
      const region = `x@127.0.0.1:${port}/#`;
      const spec = `version: 1\ntargets: [{ provider: ${provider}, region: "${region}" }]\nbuses: [{ name: b }]\n`;
      const file = join(dir, `${provider}.yaml`);
      writeFileSync(file, spec);
      const r = await runCli(['plan', '-f', file], ENV);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('region');
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/canary/i);
    });
  }

  it('a region with CR/LF, from a spec target or the environment, is a usage error (exit 2), never a Network error', async () => {
    const region = 'ap-guangzhou\r\nX-Injected: 1';
    const runs = PROVIDERS.flatMap((provider) => {
      const file = join(dir, `${provider}-crlf.yaml`);
      writeFileSync(
        file,
        `version: 1\ntargets: [{ provider: ${provider}, region: "ap-guangzhou\\r\\nX-Injected: 1" }]\nbuses: [{ name: b }]\n`,
      );
      return [
        { args: ['plan', '-f', file, '--json'], env: ENV },
        {
          args: ['buses', 'list', '-p', provider, '--json'],
          env: { ...ENV, [REGION_ENV[provider]!]: region },
        },
      ];
    });
    const results = await Promise.all(runs.map((r) => runCli(r.args, r.env)));
    results.forEach((r, i) => {
      const what = runs[i]!.args.join(' ');
      expect(r.code, `${what}: ${r.stdout}${r.stderr}`).toBe(2);
      const { error } = JSON.parse(r.stdout) as { error: PolybusError };
      expect(error.code, what).toBe('InvalidArgument');
      expect(JSON.stringify(error.issues), what).toMatch(/region|REGION/);
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/canary|Network/i);
    });
  }, 60_000);

  it('a documented region of each provider is accepted', () => {
    for (const [provider, region] of [
      ['tencent', 'ap-shanghai-fsi'],
      ['huawei', 'ap-southeast-3'],
      ['huawei', 'ae-ad-1'],
      ['aws', 'us-gov-west-1'],
      ['azure', 'swedencentral'],
    ] as const)
      expect(() => createPolybus({ providers: { [provider]: { region } } })).not.toThrow();
  });

  it('a Huawei project id that is not a path segment is refused, from options and the environment', async () => {
    await invalid(async () => createPolybus({ providers: { huawei: { projectId: '../../x' } } }));
    const container = createPolybus({
      env: { ...ENV, HUAWEICLOUD_PROJECT_ID: `p/../../x@127.0.0.1:${port}` },
    });
    const err = await invalid(async () => (await resolveProvider(container, 'huawei')).buses.list());
    expect(err.issues?.[0]?.field).toContain('HUAWEICLOUD_PROJECT_ID');
  });

  it('Azure: a subscription id, resource group or tenant that is not a path segment is refused before any request; the hosts come only from endpoint/authorityHost (options or env)', async () => {
    for (const [variable, value] of [
      ['AZURE_SUBSCRIPTION_ID', `x@127.0.0.1:${port}/#`],
      ['AZURE_RESOURCE_GROUP', `rg/../../x@127.0.0.1:${port}`],
      ['AZURE_TENANT_ID', `t/../x@127.0.0.1:${port}`],
    ] as const) {
      const container = createPolybus({ env: { ...ENV, [variable]: value } });
      const err = await invalid(async () =>
        collect((await resolveProvider(container, 'azure')).buses.list()),
      );
      // The tenant is read with the credentials, where it is named as their field.
      expect(err.issues?.[0]?.field, variable).toMatch(
        variable === 'AZURE_TENANT_ID' ? /tenantId/ : variable,
      );
      expect(err.message).not.toMatch(/canary/i);
    }
    // A bus (topic) name from a spec is checked before it becomes an ARM path segment.
    const container = createPolybus({
      env: {
        ...ENV,
        POLYBUS_AZURE_ENDPOINT: `http://127.0.0.1:${port}`,
        AZURE_AUTHORITY_HOST: `http://127.0.0.1:${port}`,
      },
    });
    const azure = await resolveProvider(container, 'azure');
    for (const name of [`../x@127.0.0.1:${port}`, 'a/b', 'a?b#c'])
      await invalid(async () => azure.buses.create({ name }));
    await invalid(async () => createPolybus({ providers: { azure: { endpoint: 'ftp://evil.example' } } }));
  });

  it('the listener at every hostile host saw no connection', () => {
    expect(seen).toHaveLength(0);
  });
});
