// The confirmation prompt on a real terminal (a pty from util-linux `script`): a "no" changes
// nothing and exits 1, Ctrl-C changes nothing and exits 130, "yes" applies. Never a real cloud.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';

const bin = new URL('../dist/cli/bin.js', import.meta.url).pathname;
const spec = join(mkdtempSync(join(tmpdir(), 'polybus-prompt-')), 'spec.yaml');
writeFileSync(spec, 'version: 1\ntargets: [{ provider: tencent }]\nbuses: [{ name: prompt-bus }]\n');

/** util-linux `script` gives the CLI a terminal; where it is missing, the test is skipped. */
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let emu: RunningEmulators;
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(() => emu.close());

/** Runs `apply` on a pty and types `answer` at the prompt; resolves with the exit code and output. */
function applyAnswering(answer: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', `${process.execPath} ${bin} apply -f ${spec}`, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', ...emu.env },
    });
    let out = '';
    let typed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!typed && out.includes('[y/N]')) {
        typed = true;
        child.stdin.write(answer);
      }
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const buses = () => [...emu.tencent.regions.of('ap-guangzhou').buses.values()].length;

describe.skipIf(!hasScript)('the confirmation prompt on a terminal', () => {
  it('no: nothing changed, exit 1; Ctrl-C: nothing changed, exit 130; yes: applied, exit 0', async () => {
    const no = await applyAnswering('n\r');
    expect(no.code).toBe(1);
    expect(no.out).toContain('apply not confirmed: nothing was changed');
    const ctrlC = await applyAnswering('\x03');
    expect(ctrlC.code).toBe(130);
    expect(ctrlC.out).toContain('apply cancelled at the prompt (Ctrl-C): nothing was changed');
    expect(buses()).toBe(0);
    const yes = await applyAnswering('y\r');
    expect(yes.code, yes.out).toBe(0);
    expect(buses()).toBe(1);
  }, 60_000);
});
