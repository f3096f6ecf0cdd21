// The ad hoc resource commands (issue 24): each subcommand lists its own flags, names work
// wherever an id does (as in a spec), an InvalidArgument says its problem once, and the wording
// reads right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { onePrefix } from '../src/cli/render/plan.js';
import { runCli } from './helpers/cli.js';

/** The flags a `--help` lists. */
const flagsOf = (help: string) => [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]);

describe('ad hoc resource commands', () => {
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

  it('each subcommand lists its own flags, and says "an integration"', async () => {
    const busesCreate = flagsOf((await runCli(['buses', 'create', '--help'])).stdout);
    expect(busesCreate).toEqual(
      expect.arrayContaining(['--name', '--description', '--retention-days', '--tag']),
    );
    for (const other of ['--vpc-id', '--subnet-id', '--page-size', '--source', '--endpoint', '--bus', '--id'])
      expect(busesCreate).not.toContain(other);
    const list = flagsOf((await runCli(['integrations', 'list', '--help'])).stdout);
    expect(list).toEqual(expect.arrayContaining(['--bus', '--page-size']));
    expect(list).not.toContain('--description');
    const del = await runCli(['integrations', 'delete', '--help']);
    expect(del.stdout).toContain('delete an integration');
    expect(flagsOf(del.stdout)).not.toContain('--tag');
    expect((await runCli(['connections', 'create', '--help'])).stdout).toContain('--vpc-id');
  });

  it('--bus takes the bus name as publish and trace do; --name finds a bus or an integration', async () => {
    const bus = await runCli(['buses', 'create', '-p', 'tencent', '--name', 'orders2', '--json'], env);
    expect(bus.code, bus.stderr).toBe(0);
    const busId = (JSON.parse(bus.stdout) as { id: string }).id;
    const rule = await runCli(
      [
        'integrations',
        'create',
        '-p',
        'tencent',
        '--name',
        'shop',
        '--bus',
        'orders2',
        '--source',
        'shop.orders',
        '--json',
      ],
      env,
    );
    expect(rule.stderr).toBe('');
    expect(rule.code).toBe(0);
    expect(JSON.parse(rule.stdout)).toMatchObject({ name: 'shop', bus: busId });
    const listed = await runCli(['integrations', 'list', '-p', 'tencent', '--bus', 'orders2', '--json'], env);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((i) => i.name)).toEqual(['shop']);
    const got = await runCli(
      ['integrations', 'get', '-p', 'tencent', '--bus', 'orders2', '--name', 'shop', '--json'],
      env,
    );
    expect(JSON.parse(got.stdout)).toMatchObject({ name: 'shop' });
    const delRule = await runCli(
      ['integrations', 'delete', '-p', 'tencent', '--bus', 'orders2', '--name', 'shop'],
      env,
    );
    expect(delRule.code, delRule.stderr).toBe(0);
    const gotBus = await runCli(['buses', 'get', '-p', 'tencent', '--name', 'orders2', '--json'], env);
    expect(JSON.parse(gotBus.stdout)).toMatchObject({ id: busId, name: 'orders2' });
    expect((await runCli(['buses', 'delete', '-p', 'tencent', '--name', 'orders2'], env)).stdout).toBe(
      `deleted bus ${busId}\n`,
    );
    const gone = await runCli(
      ['integrations', 'get', '-p', 'tencent', '--bus', 'orders2', '--name', 'shop'],
      env,
    );
    expect(gone.code).not.toBe(0);
  }, 60_000); // nine CLI runs in a row

  it('an InvalidArgument says its problem once', async () => {
    const r = await runCli(['buses', 'create', '-p', 'tencent', '--name', '1-bad name!'], env);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: InvalidArgument: invalid input: name: /);
  });

  it('a rule that names its provider under the same prefix says it once', () => {
    expect(onePrefix('delivery dropped: Huawei: Huawei retry: a target takes only retry_times')).toBe(
      'delivery dropped: Huawei retry: a target takes only retry_times',
    );
    expect(onePrefix('kind: type must be webhook')).toBe('kind: type must be webhook');
  });
});
