/**
 * Loads a CommonJS dependency (yaml, cli-table3, undici) on first use instead of at import, so
 * importing polybus stays lean. Only for packages that are CommonJS under Node (the same module
 * instance an ESM import would get); never for anything with side effects at load.
 */
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/** A getter that requires `id` the first time it is called, then returns the cached module. */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(id) as T);
}
