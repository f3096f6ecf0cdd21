// The root entry's public types: every export is documented (TSDoc where it is declared), and what
// a user sees through them (property types, signatures) shows nothing of inversify or zod's
// internals: the wiring and the schema library stay inside. Read with the TypeScript compiler.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const entry = join(root, 'src/index.ts');
const config = ts.getParsedCommandLineOfConfigFile(
  join(root, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => undefined,
  },
);
const program = ts.createProgram([entry], { ...config!.options, noEmit: true });
const checker = program.getTypeChecker();
const source = program.getSourceFile(entry)!;
const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!);
const resolve = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
const FLAGS = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias;
/** Names that would mean the wiring or the schema library leaked into a user's types. */
const LEAK =
  /\bZod[A-Za-z]*\b|\$Zod|\$strip|\$strict|\binversify\b|\bContainer\b|ServiceIdentifier|BindingScope/;

/** What a user sees of one export: its type, its members' types and its signatures, as text. */
function surface(symbol: ts.Symbol): string[] {
  const s = resolve(symbol);
  const decl = s.declarations?.[0];
  if (!decl) return [];
  const type =
    s.flags & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface)
      ? checker.getDeclaredTypeOfSymbol(s)
      : checker.getTypeOfSymbolAtLocation(s, decl);
  const out = [checker.typeToString(type, undefined, FLAGS)];
  const types = [type];
  if (s.flags & ts.SymbolFlags.Class) types.push(checker.getDeclaredTypeOfSymbol(s));
  for (const t of types) {
    for (const p of checker.getPropertiesOfType(t)) {
      // private and protected members are not part of what a user can reach
      const mods = p.valueDeclaration ? ts.getCombinedModifierFlags(p.valueDeclaration) : 0;
      if (mods & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
      out.push(
        `${p.name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(p, decl), undefined, FLAGS)}`,
      );
    }
    for (const sig of [...t.getCallSignatures(), ...t.getConstructSignatures()])
      out.push(checker.signatureToString(sig, undefined, FLAGS));
  }
  return out;
}

describe('the root entry', () => {
  it('has a documented list of exports', () => {
    expect(exported.length).toBeGreaterThan(40);
    const undocumented = exported
      .filter((e) => ts.displayPartsToString(resolve(e).getDocumentationComment(checker)).trim() === '')
      .map((e) => e.name);
    expect(undocumented).toEqual([]);
  });

  it('shows nothing of inversify or zod internals in what a user sees', () => {
    const leaks = exported.flatMap((e) =>
      surface(e)
        .filter((t) => LEAK.test(t))
        .map((t) => `${e.name}: ${t}`),
    );
    expect(leaks).toEqual([]);
  });

  it('the check would see a leak (the container type, a zod schema)', () => {
    const core = program.getSourceFile(join(root, 'src/core/runtime/container.ts'));
    const model = program.getSourceFile(join(root, 'src/core/model/resources.ts'));
    const exportsOf = (sf: ts.SourceFile | undefined) =>
      checker.getExportsOfModule(checker.getSymbolAtLocation(sf!)!);
    const createContainer = exportsOf(core).find((e) => e.name === 'createContainer')!;
    const busSchema = exportsOf(model).find((e) => e.name === 'BusSchema')!;
    expect(surface(createContainer).some((t) => LEAK.test(t))).toBe(true);
    expect(surface(busSchema).some((t) => LEAK.test(t))).toBe(true);
  });
});
