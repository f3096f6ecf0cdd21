import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

/** Runs a script (against dist/) under the import recorder and returns the module URLs it loaded. */
function loadedBy(script: string, env: Record<string, string> = {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'polybus-load-'));
  const log = join(dir, 'imports.log');
  const file = join(dir, 'script.mjs');
  writeFileSync(log, '');
  writeFileSync(file, script);
  execFileSync(process.execPath, ['--import', join(root, 'test/helpers/import-recorder.mjs'), file], {
    env: { ...process.env, ...env, POLYBUS_IMPORT_LOG: log },
    cwd: root,
  });
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe('adapters load lazily', () => {
  it('a program that uses only the Tencent adapter never imports the AWS SDK or the other adapters', () => {
    const urls = loadedBy(`
      import { createPolybus, resolveProvider } from ${JSON.stringify(join(root, 'dist/index.js'))};
      const c = createPolybus({ env: { TENCENTCLOUD_SECRET_ID: 'AKIDx', TENCENTCLOUD_SECRET_KEY: 'k' } });
      const p = await resolveProvider(c, 'tencent');
      if (p.name !== 'tencent') process.exit(3);
    `);
    expect(urls.some((u) => u.includes('/adapters/tencent/index.js'))).toBe(true);
    expect(urls.filter((u) => u.includes('@aws-sdk') || u.includes('@smithy'))).toEqual([]);
    // The other providers' definitions (names, option schemas, action lists: data) load with the
    // registry; nothing else of theirs does.
    expect(
      urls.filter(
        (u) => /adapters\/(aws|huawei)\//.test(u) && !/\/(definition|actions|options)\.js$/.test(u),
      ),
    ).toEqual([]);
  });

  it('the capabilities command reads declarations only, never an SDK', () => {
    const urls = loadedBy(`
      import { main } from ${JSON.stringify(join(root, 'dist/cli/main.js'))};
      const out = [];
      await main(['capabilities', '--format', 'json'], { out: (t) => out.push(t), err: () => {}, isTTY: false });
      if (!out.join('').includes('"providers"')) process.exit(3);
    `);
    expect(urls.filter((u) => u.includes('@aws-sdk') || u.includes('@smithy'))).toEqual([]);
    expect(urls.filter((u) => /adapters\/[a-z]+\/(index|client|emulator)\.js/.test(u))).toEqual([]);
  });

  /** The CLI's libraries and the HTTP client, as they appear in module URLs. */
  const HEAVY = /node_modules\/(yaml|cli-table3|cli-progress|commander|undici)\//;
  const heavyLoadedBy = (script: string) => [
    ...new Set(loadedBy(script).flatMap((u) => u.match(HEAVY)?.[1] ?? [])),
  ];

  it('importing polybus or polybus/core loads no CLI library and no HTTP client', () => {
    for (const entry of ['dist/index.js', 'dist/core/index.js'])
      expect(
        heavyLoadedBy(`import * as m from ${JSON.stringify(join(root, entry))}; void m;`),
        entry,
      ).toEqual([]);
  });

  it('undici loads once a provider makes a request; yaml once a spec is parsed (the recorder sees them)', () => {
    const loaded = heavyLoadedBy(`
      import { collect, createPolybus, resolveProvider } from ${JSON.stringify(join(root, 'dist/index.js'))};
      import { analyzeSpec } from ${JSON.stringify(join(root, 'dist/core/index.js'))};
      import { startEmulators } from ${JSON.stringify(join(root, 'dist/testing/index.js'))};
      const emulators = await startEmulators({ providers: ['tencent'] });
      const p = await resolveProvider(createPolybus({ env: emulators.env }), 'tencent');
      await collect(p.buses.list());
      analyzeSpec('version: 1');
      await p.close();
      await emulators.stop();
    `);
    expect(loaded.sort()).toEqual(['undici', 'yaml']);
  });

  it('core imports nothing from src/adapters, the SDK, the CLI or the testing harness', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(join(root, 'src/core'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((f) =>
      /(from|import\()\s*'(\.\.\/)+(adapters|sdk|cli|testing)\//.test(
        readFileSync(join(root, 'src/core', f), 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
