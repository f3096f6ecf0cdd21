// `polybus emulate` in a script and in CI (issue 24): `eval "$(polybus emulate --background)"`
// in one shell line, then `polybus emulate --stop`; and a foreground emulator never outlives the
// process that started it (npx killed) as an orphan.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../dist/cli/bin.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'polybus-emulate-'));

/** True while `pid` runs (a zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Waits (bounded) until `pid` has exited; true if it did. */
async function exits(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

const sh = (script: string) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      'sh',
      ['-c', script],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );

describe('polybus emulate', () => {
  it('eval "$(polybus emulate --background)" works in one line; --stop stops it and removes the pid file', async () => {
    const pidFile = join(dir, 'emu.pid');
    const polybus = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)}`;
    const r = await sh(
      [
        `eval "$(${polybus} emulate --background --pid-file ${pidFile})"`,
        `echo "pid=$POLYBUS_EMULATE_PID"`,
        `${polybus} buses create -p tencent --name bg-bus --json >/dev/null`,
        `${polybus} buses list -p huawei --json >/dev/null`,
        `${polybus} buses list -p tencent`,
      ].join(' && '),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bg-bus');
    const pid = Number(/pid=(\d+)/.exec(r.stdout)![1]);
    expect(alive(pid)).toBe(true);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(pid));
    const stop = await sh(`${polybus} emulate --stop --pid-file ${pidFile}`);
    expect(stop).toMatchObject({ code: 0 });
    expect(await exits(pid)).toBe(true);
    expect(existsSync(pidFile)).toBe(false);
    const again = await sh(`${polybus} emulate --stop --pid-file ${pidFile}`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no background emulators');
  });

  it('the export lines are safe to eval: values are shell-quoted', async () => {
    const pidFile = join(dir, 'emu2.pid');
    const r = await sh(
      `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} emulate --background --pid-file ${pidFile}`,
    );
    try {
      expect(r.code).toBe(0);
      for (const line of r.stdout
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('#')))
        expect(line).toMatch(/^export [A-Z0-9_]+=([\w@%+=:,./-]+|'[^']*')$/);
    } finally {
      await sh(
        `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} emulate --stop --pid-file ${pidFile}`,
      );
    }
  });

  it('a foreground emulator stops when the process that started it is killed (no orphan)', async () => {
    // A stand-in for npx: starts `polybus emulate`, prints its pid, and is then killed outright.
    const launcher = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(bin)}, 'emulate'], { stdio: ['ignore', 'pipe', 'inherit'] });
         c.stdout.once('data', () => console.log(c.pid));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const pid = await new Promise<number>((resolve) =>
      launcher.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
    expect(alive(pid)).toBe(true);
    launcher.kill('SIGKILL');
    expect(await exits(pid)).toBe(true);
  });
});
