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
    // The AWS SDK's documented switch for its Node-version notice (NodeVersionSupportWarning), which
    // tests that build SDK clients directly would print once per file (src/adapters/aws/client.ts
    // sets it for polybus's own clients). Nothing else is silenced: a failure still fails.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
