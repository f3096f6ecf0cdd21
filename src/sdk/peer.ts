/**
 * Optional peer dependencies: a provider's SDK that polybus does not install for everyone (the
 * AWS SDK). Loading such a provider without its packages fails with one error naming them and
 * the command that installs them, instead of Node's module-not-found from deep inside polybus.
 */
import type { AnyProviderDefinition } from '../core/contract/definition.js';
import { invalidArgument } from '../core/model/errors.js';

/** The package a module-not-found error names (`Cannot find package 'x' imported from...`). */
function missingPackageOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || typeof e.message !== 'string') return undefined;
  return /Cannot find (?:package|module) '((?:@[^/']+\/)?[^/']+)/.exec(e.message)?.[1];
}

/**
 * Runs `load` (an import of the provider's adapter); when it fails because one of the provider's
 * `peerPackages` is not installed, throws `InvalidArgument` naming the missing package and the
 * `npm install` of all of them. Anything else is rethrown as it is.
 */
export async function withPeers<T>(definition: AnyProviderDefinition, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const missing = missingPackageOf(err);
    const peers = definition.peerPackages ?? [];
    if (!missing || !peers.includes(missing)) throw err;
    throw invalidArgument(definition.name, 'load', [
      {
        field: 'provider',
        rule: `${definition.displayName} needs ${missing}, which is not installed (polybus installs the ${definition.name} SDK only for those who use it): npm install ${peers.join(' ')}`,
      },
    ]);
  }
}
