// `npm run demo` builds only when dist/ is missing or older than its sources (issue 24): the script
// it runs first, against a throwaway package whose "build" only records that it ran.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = new URL('../scripts/build-if-stale.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'polybus-stale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = () => {
  execFileSync(process.execPath, [script, dir], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(join(dir, 'builds.log'), 'utf8').split('\n').filter(Boolean).length;
};

describe('build-if-stale (npm run demo)', () => {
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'a.ts'), 'export {};\n');
  writeFileSync(join(dir, 'tsconfig.json'), '{}\n');
  writeFileSync(join(dir, 'builds.log'), '');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'stale-fixture',
      scripts: {
        build: `node -e "const f=require('fs');f.mkdirSync('dist',{recursive:true});f.appendFileSync('builds.log','built\\\\n')"`,
      },
    }),
  );
  const past = (path: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path, t, t);
  };

  it('builds on a fresh clone, not again while nothing changed, again after a source changes', () => {
    for (const p of ['src/a.ts', 'src', 'tsconfig.json', 'package.json']) past(join(dir, p), 60);
    expect(run()).toBe(1); // no dist yet
    expect(run()).toBe(1); // up to date: no build
    past(join(dir, 'dist', '.build-stamp'), 30); // the edit below is surely later than the build
    writeFileSync(join(dir, 'src', 'a.ts'), 'export const changed = 1;\n');
    expect(run()).toBe(2);
    expect(run()).toBe(2);
  });
});
