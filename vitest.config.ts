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
  },
});
