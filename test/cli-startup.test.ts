// The CLI starts lean (issue 24: the tests run it hundreds of times, users on every command): the
// yaml and cli-progress packages load when a command needs them, not for `--version` or `--help`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

it('polybus --version loads neither yaml nor cli-progress', () => {
  const log = join(mkdtempSync(join(tmpdir(), 'polybus-startup-')), 'imports.log');
  execFileSync(
    process.execPath,
    ['--import', `${root}test/helpers/import-recorder.mjs`, `${root}dist/cli/bin.js`, '--version'],
    { env: { PATH: process.env.PATH ?? '', POLYBUS_IMPORT_LOG: log }, stdio: 'ignore' },
  );
  const loaded = readFileSync(log, 'utf8');
  expect(loaded).toContain('/dist/cli/main.js'); // the recorder saw the CLI
  expect(loaded).not.toMatch(/node_modules\/(yaml|cli-progress)\//);
});
