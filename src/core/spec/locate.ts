/** file:line locations of spec fields, for errors that point at the line a person wrote. */
import type { Node } from 'yaml';
import { type Spec } from './schema.js';
import { yaml } from './yaml.js';

/** Where a path sits in the YAML source, as `file:line`. */
export function locator(file: string, text: string) {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  let doc: ReturnType<typeof parseDocument> | undefined;
  try {
    doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true });
  } catch {
    doc = undefined;
  }
  return (path: (string | number)[]): string => {
    if (!doc) return file;
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
      if (node && (isMap(node) || isSeq(node) || isScalar(node)) && node.range)
        return `${file}:${lines.linePos(node.range[0]).line}`;
    }
    return file;
  };
}

export const locators = new WeakMap<Spec, (path: (string | number)[]) => string>();

/** `file:line` of a path inside a parsed spec (the file name alone when unknown). */
export function locationOf(spec: Spec, field: string): string | undefined {
  return locators.get(spec)?.(field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
}
