// What installs with polybus (issue 24): the AWS SDK is an optional peer dependency, installed
// only by AWS users, each package named by the provider that needs it; the CLI's few libraries
// stay dependencies (the `polybus` bin needs them); a missing peer is one clear error.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/adapters/registry.js';
import { PolybusError } from '../src/core/model/errors.js';
import { withPeers } from '../src/sdk/peer.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  files: string[];
};

describe('dependencies', () => {
  it('no AWS SDK or smithy package is a dependency of everyone', () => {
    expect(Object.keys(pkg.dependencies).filter((d) => /^@(aws-sdk|smithy)\//.test(d))).toEqual([]);
  });

  it("each provider's peer packages are optional peers, and the repo installs them for its tests", () => {
    const declared = PROVIDERS.flatMap((p) => [...(p.peerPackages ?? [])]).sort();
    expect(declared.length).toBeGreaterThan(0);
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(declared);
    for (const name of declared) {
      expect(pkg.peerDependenciesMeta[name]?.optional).toBe(true);
      expect(pkg.devDependencies[name]).toBe(pkg.peerDependencies[name]);
    }
  });

  it('the soak (a repo tool) is left out of the tarball', () => {
    expect(pkg.files).toContain('!dist/cli/commands/soak.*');
  });
});

describe('a missing peer package', () => {
  const definition = {
    ...PROVIDERS[0],
    name: 'demo',
    displayName: 'Demo',
    peerPackages: ['@aws-sdk/not-installed'],
  };

  it("is one InvalidArgument naming the package and the install command (Node's real error)", async () => {
    const err = await withPeers(definition, () => import('@aws-sdk/not-installed' as string)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PolybusError);
    expect((err as PolybusError).code).toBe('InvalidArgument');
    expect((err as PolybusError).message).toContain(
      'Demo needs @aws-sdk/not-installed, which is not installed',
    );
    expect((err as PolybusError).message).toContain('npm install @aws-sdk/not-installed');
  });

  it('leaves other failures as they are (a package that is not a peer, an ordinary error)', async () => {
    const other = await withPeers(definition, () => import('not-a-peer-package' as string)).catch(
      (e: unknown) => e,
    );
    expect((other as { code?: string }).code).toBe('ERR_MODULE_NOT_FOUND');
    const plain = await withPeers(definition, () => Promise.reject(new Error('boom'))).catch(
      (e: unknown) => e,
    );
    expect((plain as Error).message).toBe('boom');
  });
});
