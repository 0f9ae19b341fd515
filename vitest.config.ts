import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['app/**/*.test.ts', 'test/**/*.test.ts', 'main/**/*.test.ts', 'renderer/**/*.test.ts', 'test/e2e/**/*.spec.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/yield-between-tests.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker less than the CPUs: one on CI's 2 cores. Most of a run is
    // tshark (the oracle) in child processes, so two test files at a time use both cores.
    maxWorkers: 2,
  },
});
