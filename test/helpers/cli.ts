import { execFile } from 'node:child_process';

const bin = new URL('../../dist/cli/bin.js', import.meta.url).pathname;

/**
 * Runs the built CLI as a subprocess with only PATH and `env`, asynchronously (emulators started
 * by a test live in the test's own event loop, which a synchronous spawn would block).
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [bin, ...args],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}
