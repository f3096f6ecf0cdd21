// The CLI checks its input the same way everywhere and says what it found with exit codes a
// script can use, as grep does (issue 24): 0 found / match, 1 not found / no match, 2 an error in
// what was typed (a bad flag value, a file that cannot be read). A closed stdout ends it quietly.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { runCli } from './helpers/cli.js';

const bin = new URL('../dist/cli/bin.js', import.meta.url).pathname;
const ROUTING = new URL('../examples/routing.yaml', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'polybus-input-'));

/** Writes a file in the test's folder and returns its path. */
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('input checks and exit codes', () => {
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

  it('a flag value that is not what it should be is a usage error (exit 2), never ignored', async () => {
    for (const since of ['abc', '-5', '0']) {
      const r = await runCli(['trace', 'e1', '--provider', 'tencent', '--bus', 'b', '--since', since], env);
      expect(r.code, `--since ${since}`).toBe(2);
      expect(r.stderr).toContain('--since must be a positive integer');
    }
    const xml = await runCli(['export', '--provider', 'tencent', '--format', 'xml'], env);
    expect(xml.code).toBe(2);
    expect(xml.stderr).toContain('Allowed choices are yaml, json');
    expect(xml.stdout).toBe('');
    const same = await runCli(['migrate', '--from', 'tencent', '--to', 'tencent'], env);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('--from and --to are both tencent');
    expect(same.stdout).toBe('');
  });

  it('a file that cannot be read is a usage error naming it (exit 2), not Internal: ENOENT', async () => {
    const missing = join(dir, 'missing.ndjson');
    const r = await runCli(['publish', '--provider', 'tencent', '--bus', 'b', missing], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot read ${missing}: no such file`);
    expect(r.stderr).not.toContain('Internal');
    const verify = await runCli(
      ['migrate', '--from', 'tencent', '--to', 'huawei', '-f', ROUTING, '--verify', '--events', missing],
      env,
    );
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain(`cannot read ${missing}: no such file`);
  });

  it('filter test: 0 on a match, 1 on no match, 2 on an error; an event without id is taken as publish takes it', async () => {
    const event = (extra: Record<string, unknown>) =>
      JSON.stringify({
        specversion: '1.0',
        source: 'web.orders',
        type: 'order.created',
        subject: 'orders/42',
        data: { sku: 'a-eu', channel: 'web' },
        ...extra,
      });
    const args = (e: string) => ['filter', 'test', '-f', ROUTING, '-i', 'eu-web-orders', '-e', e];
    const match = await runCli(args(file('match.json', event({}))));
    expect(match.stderr).toBe('');
    expect(match).toMatchObject({ code: 0 });
    expect(match.stdout).toMatch(/^match: /);
    const other = await runCli(args(file('other.json', event({ id: 'x', source: 'shop.returns' }))));
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/^no match: /);
    const bad = await runCli(args(file('bad.json', '{')));
    expect(bad.code).toBe(2);
  });

  it('trace: exit 1 when the event is not found', async () => {
    const created = await runCli(['buses', 'create', '-p', 'tencent', '--name', 'trace-exit', '--json'], env);
    const bus = (JSON.parse(created.stdout) as { id: string }).id;
    const r = await runCli(['trace', 'no-such-event', '--provider', 'tencent', '--bus', bus], env);
    expect(r.stdout).toContain('not found');
    expect(r.code).toBe(1);
  });

  it('stdout closed by the reader (| head): a quiet stop with the status of SIGPIPE, no stack trace', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'capabilities'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy(); // the reader is gone before the first line
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
  });
});
