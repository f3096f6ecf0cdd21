// One provider, one folder: everything about a provider lives in src/adapters/<p>/, and the rest of
// the code reads it from the registry. This test lists every place outside a provider's folder
// that names a provider (in code: identifiers and strings, not comments) and fails when a new one
// appears; it checks that the package entries follow the registry, and that no production module
// imports an emulator.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/adapters/registry.js';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const names = PROVIDERS.map((p) => p.name);
const sources = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
const parse = (f: string) =>
  ts.createSourceFile(f, readFileSync(join(src, f), 'utf8'), ts.ScriptTarget.Latest, true);

/** The identifiers and string/template texts of a module that contain a provider's name. */
function mentions(file: string): string[] {
  const sf = parse(file);
  const re = new RegExp(`(^|[^a-z])(${names.join('|')})([^a-z]|$)`, 'i');
  const hits: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isStringLiteralLike(n) || ts.isTemplateLiteralToken(n) || ts.isIdentifier(n)) {
      if (re.test(n.text)) hits.push(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return hits;
}

/**
 * The places outside the providers' folders that may name a provider, and why. A new one fails
 * the test: read it from the registry instead (src/adapters/registry.ts, ProviderDefinition).
 */
const ALLOWED: Record<string, { count: number; why: string }> = {
  'cli/commands/demo.ts': {
    count: 12,
    why: 'the demo narrates examples/demo.yaml, whose steps are about named providers (a tencent -> huawei migration, an AWS partner source)',
  },
  'cli/commands/soak.ts': {
    count: 5,
    why: 'the soak spec is a fixture: which providers hold sources and connections, and their overrides',
  },
  'cli/commands/publish.ts': {
    count: 2,
    why: 'help text: a provider whose log is searched by source, type and time (trace --since, --event)',
  },
};

describe('one provider, one folder', () => {
  it('nothing outside a provider folder and the registry names a provider, except the places listed', () => {
    const found: Record<string, number> = {};
    for (const f of sources) {
      if (new RegExp(`^adapters/(${names.join('|')})/`).test(f) || f === 'adapters/registry.ts') continue;
      const n = mentions(f).length;
      if (n) found[f] = n;
    }
    expect(found).toEqual(Object.fromEntries(Object.entries(ALLOWED).map(([f, a]) => [f, a.count])));
  });

  it('every provider folder has its definition, options, native entry and emulator harness', () => {
    for (const n of names)
      for (const f of ['definition.ts', 'options.ts', 'native.ts', 'public.ts', 'emulator/harness.ts'])
        expect(sources, `${n}/${f}`).toContain(`adapters/${n}/${f}`);
  });

  it('the package entries and the API docs follow the registry', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; import: string } | string>;
      typesVersions: { '*': Record<string, string[]> };
    };
    const typedoc = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
    const providerEntries = (keys: string[]) => keys.filter((k) => names.some((n) => k.endsWith(n))).sort();
    expect(providerEntries(Object.keys(pkg.exports))).toEqual(names.map((n) => `./${n}`).sort());
    expect(providerEntries(Object.keys(pkg.typesVersions['*']))).toEqual([...names].sort());
    for (const n of names) {
      expect(pkg.exports[`./${n}`]).toMatchObject({ import: `./dist/adapters/${n}/public.js` });
      expect(typedoc.entryPoints).toContain(`src/adapters/${n}/public.ts`);
    }
  });

  it('no production module imports an emulator or the test harness (only testing/, the CLI and emulators do)', () => {
    // polybus/adapter-kit is the kit for writing a provider and its emulator: it re-exports the
    // loopback and delivery plumbing on purpose.
    const harness = (f: string) =>
      f === 'adapter-kit.ts' ||
      f.startsWith('testing/') ||
      f.startsWith('cli/') ||
      /^adapters\/[a-z]+\/emulator\//.test(f);
    const offenders: string[] = [];
    for (const f of sources.filter((x) => !harness(x))) {
      for (const st of parse(f).statements) {
        if (!ts.isImportDeclaration(st) && !ts.isExportDeclaration(st)) continue;
        const typeOnly = ts.isImportDeclaration(st) ? st.importClause?.isTypeOnly : st.isTypeOnly;
        const spec = (st.moduleSpecifier as ts.StringLiteral | undefined)?.text ?? '';
        if (!typeOnly && /(\/emulator\/|\/testing\/|^\.\.?\/(emulator|testing)\/)/.test(spec))
          offenders.push(`${f}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
