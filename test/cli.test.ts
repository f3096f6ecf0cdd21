import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { buildMatrix } from '../src/core/model/capabilities.js';
import { renderMatrixMarkdown } from '../src/cli/render/capabilities.js';
import { loadCapabilities } from '../src/sdk/create.js';
import { runCli } from './helpers/cli.js';

const root = new URL('..', import.meta.url).pathname;
const bin = `${root}dist/cli/bin.js`;

const cli = runCli;

describe('polybus CLI', () => {
  let emu: TencentEmulator;
  let env: Record<string, string>;
  beforeAll(async () => {
    emu = await TencentEmulator.start();
    env = {
      POLYBUS_TENCENT_ENDPOINT: emu.url,
      TENCENTCLOUD_SECRET_ID: TENCENT_EMULATOR_CREDENTIALS.secretId,
      TENCENTCLOUD_SECRET_KEY: TENCENT_EMULATOR_CREDENTIALS.secretKey,
    };
  });
  afterAll(() => emu.close());

  it('--version and --help', async () => {
    const version = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['capabilities', 'demo', 'emulate', 'buses', 'integrations'])
      expect(help.stdout).toContain(c);
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['buses', 'list'])).code).toBe(2);
    expect((await cli(['no-such-command'])).code).toBe(2);
  });

  it('resource commands: create, get, list, update, delete with --json', async () => {
    const created = await cli(
      ['buses', 'create', '-p', 'tencent', '--name', 'cli-bus', '--description', 'd1', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    const bus = JSON.parse(created.stdout) as { id: string; name: string };
    expect(bus).toMatchObject({ name: 'cli-bus', provider: 'tencent', description: 'd1' });
    const got = JSON.parse(
      (await cli(['buses', 'get', '-p', 'tencent', '--id', bus.id, '--json'], env)).stdout,
    );
    expect(got).toEqual(bus);
    const listed = JSON.parse((await cli(['buses', 'list', '-p', 'tencent', '--json'], env)).stdout) as {
      id: string;
    }[];
    expect(listed.map((b) => b.id)).toContain(bus.id);
    const updated = JSON.parse(
      (await cli(['buses', 'update', '-p', 'tencent', '--id', bus.id, '--description', 'd2', '--json'], env))
        .stdout,
    );
    expect(updated.description).toBe('d2');
    const integ = await cli(
      [
        'integrations',
        'create',
        '-p',
        'tencent',
        '--name',
        'cli-rule',
        '--bus',
        bus.id,
        '--source',
        'app.x',
        '--json',
      ],
      env,
    );
    const rule = JSON.parse(integ.stdout) as { id: string; filter: unknown };
    expect(rule.filter).toEqual({ exact: { source: 'app.x' } });
    expect(await cli(['integrations', 'delete', '-p', 'tencent', '--id', rule.id], env)).toMatchObject({
      code: 0,
    });
    expect((await cli(['buses', 'delete', '-p', 'tencent', '--id', bus.id, '--json'], env)).code).toBe(0);
  });

  it('a failure with --json prints {"error": PolybusError} on stdout and exits 1', async () => {
    const r = await cli(['buses', 'get', '-p', 'tencent', '--id', 'eb-missing', '--json'], env);
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout) as { error: Record<string, unknown> };
    expect(error).toMatchObject({
      name: 'PolybusError',
      code: 'NotFound',
      provider: 'tencent',
      providerCode: 'ResourceNotFound.EventBus',
    });
    expect(error.requestId).toEqual(expect.any(String));
  });

  it('a failure without --json is one readable line on stderr, and never prints the secret', async () => {
    const r = await cli(['buses', 'list', '-p', 'tencent'], {
      ...env,
      TENCENTCLOUD_SECRET_KEY: 'canary-secret-key-123',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: AuthenticationFailed: .*AuthFailure\.SignatureFailure/);
    expect(r.stdout + r.stderr).not.toContain('canary-secret-key-123');
  });

  it('capabilities renders text, markdown and json', async () => {
    expect((await cli(['capabilities'])).stdout).toMatch(/bus\s+│ create\s+│ native/);
    const json = JSON.parse((await cli(['capabilities', '--format', 'json'])).stdout);
    expect(json.providers.map((p: { name: string }) => p.name)).toContain('tencent');
    expect((await cli(['capabilities', '--format', 'markdown'])).stdout).toContain('| bus | create |');
  });

  it('docs/capabilities.md is generated from the declarations and not stale', async () => {
    const expected = renderMatrixMarkdown(buildMatrix(await loadCapabilities()));
    expect(readFileSync(`${root}docs/capabilities.md`, 'utf8')).toBe(expected);
  });

  it('emulate --once prints endpoints and the environment', async () => {
    const r = await cli(['emulate', '--once', '--json']);
    const out = JSON.parse(r.stdout) as { endpoints: Record<string, string>; env: Record<string, string> };
    expect(out.endpoints.tencent).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out.env.POLYBUS_TENCENT_ENDPOINT).toBe(out.endpoints.tencent);
  });

  it('execFileSync sanity: the bin is runnable as a script', () => {
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toMatch(
      /^\d+\.\d+\.\d+$/,
    );
  });
});
