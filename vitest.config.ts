import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // examples/ import the package by name, as users do; in the repo that is the sources.
  resolve: {
    alias: [
      { find: /^polybus$/, replacement: new URL('./src/index.ts', import.meta.url).pathname },
      {
        find: /^polybus\/emulators$/,
        replacement: new URL('./src/testing/index.ts', import.meta.url).pathname,
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the CPUs: a single worker on a 2-core runner, so
    // every file ran after the other while the CPU waited on a CLI child process or a loopback
    // emulator. Two at least.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The AWS SDK's documented switch for its Node-version notice (NodeVersionSupportWarning), which
    // tests that build SDK clients directly would print once per file (src/adapters/aws/client.ts
    // sets it for polybus's own clients). Nothing else is silenced: a failure still fails.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
