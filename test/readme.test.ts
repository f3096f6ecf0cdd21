// The README and docs say what the package does (issue 24): the Node version `engines` requires,
// synopsis lines whose spec has the target they name, example files that exist, no reference to a
// document the repository does not have, and npm pack's tarball kept out of git.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../src/core/spec/load.js';
import { targetIdOf } from '../src/core/spec/schema.js';

const root = new URL('..', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');

describe('README and docs', () => {
  it('the Node version is the one engines requires', () => {
    const engines = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { engines: { node: string } })
      .engines.node;
    const said = /Needs Node\.js (\d+\.\d+) or newer/.exec(readme)?.[1];
    expect(engines).toBe(`>=${said}.0`);
  });

  it('every command line with --target names a target of the spec it gives with -f', async () => {
    const lines = readme.split('\n').filter((l) => /polybus .*--target [\w-]+/.test(l) && / -f \S+/.test(l));
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      const target = /--target ([\w-]+)/.exec(line)![1]!;
      const file = / -f (\S+)/.exec(line)![1]!;
      expect(existsSync(`${root}${file}`), line).toBe(true);
      const ids = (await loadSpec(`${root}${file}`, {})).targets.map((t) => targetIdOf(t));
      expect(ids, line).toContain(target);
    }
  });

  it('every examples/ file the README names exists', () => {
    const named = new Set([...readme.matchAll(/examples\/[\w.-]+\.\w+/g)].map((m) => m[0]));
    expect(named.size).toBeGreaterThan(3);
    for (const f of named) expect(existsSync(`${root}${f}`), f).toBe(true);
  });

  it('docs/decisions.md cites no document as if it were in the repository when it is not', () => {
    const text = readFileSync(`${root}docs/decisions.md`, 'utf8');
    for (const [, name] of text.matchAll(/([\w.-]+\.md)\b/g)) {
      const here = existsSync(`${root}${name}`) || existsSync(`${root}docs/${name}`);
      expect(here || text.includes(`../shared/${name}`), name).toBe(true);
    }
  });

  it("npm pack's tarball is ignored by git", () => {
    expect(() =>
      execFileSync('git', ['check-ignore', '-q', 'polybus-0.1.0.tgz'], { cwd: root, stdio: 'ignore' }),
    ).not.toThrow();
  });
});
