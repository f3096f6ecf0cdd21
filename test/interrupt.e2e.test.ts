// Issue 10: `apply` interrupted with SIGINT (graceful: no new step starts) and with SIGKILL (the
// process dies mid-request) at several points, then re-run: it converges with no duplicate.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { census, soakSpec } from '../src/cli/commands/soak.js';
import { runCli } from './helpers/cli.js';

const bin = new URL('../dist/cli/bin.js', import.meta.url).pathname;
const file = join(mkdtempSync(join(tmpdir(), 'polybus-interrupt-')), 'spec.yaml');
writeFileSync(file, soakSpec(4)); // 32 resources over the three providers

let emu: RunningEmulators;
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(() => emu.close());

/**
 * Starts `apply` and sends `signal` once the `after`-th step has been reported (`ok ...` lines, one
 * per finished step on a non-TTY), so that it lands while steps are in flight however fast the
 * machine is; `after` 0 sends it as soon as the plan is printed. Resolves with the exit code and
 * stdout.
 */
function interrupted(signal: NodeJS.Signals, after: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'apply', '-f', file, '--yes', '--concurrency', '2'], {
      env: { PATH: process.env.PATH ?? '', ...emu.env },
    });
    let out = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const done = out.split('\n').filter((l) => /^ok\s/.test(l)).length;
      if (!sent && /^Plan: /m.test(out) && done >= after) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const duplicates = () => [...census(emu)].filter(([, n]) => n > 1).map(([k]) => k);

describe('an interrupted apply converges on re-run', () => {
  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`${signal} at several points, then re-run: converged, no duplicate`, async () => {
      let stopped = 0;
      for (const after of [0, 5, 15]) {
        const first = await interrupted(signal, after);
        if (first.code !== 0) stopped++;
        if (signal === 'SIGINT' && first.code !== 0) {
          // graceful: the steps in flight finish, the rest are reported skipped, exit 130
          expect(first.code, `exit ${first.code}: ${first.out.slice(-600)}`).toBe(130);
          expect(first.out).toMatch(/skipped .*apply was cancelled/);
        }
        const rerun = await runCli(['apply', '-f', file, '--yes'], emu.env);
        expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
        expect(duplicates()).toEqual([]);
        expect((await runCli(['plan', '-f', file, '--detailed-exitcode'], emu.env)).code).toBe(0);
        expect((await runCli(['destroy', '-f', file, '--yes'], emu.env)).code).toBe(0);
        expect([...census(emu).keys()].filter((k) => k.includes('soak'))).toEqual([]);
      }
      expect(stopped).toBeGreaterThan(0); // at least one run really was cut short
    }, 180_000);
  }
});
