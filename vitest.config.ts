import { defineConfig } from 'vitest/config';

/** The desktop shell's tests mock Electron and Node modules (vi.mock): each file gets fresh modules. */
const MOCKING = ['main/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/yield-between-tests.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker less than the CPUs: one on CI's 2 cores. Most of a run is
    // tshark (the oracle) in child processes, so two test files at a time use both cores.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // The engine's, the command's and the UI's tests share a worker's modules from file to
        // file: importing the dissectors anew for each of 200 files was a tenth of a CI run.
        test: { name: 'engine', include: ['app/**/*.test.ts', 'test/**/*.test.ts', 'renderer/**/*.test.ts', 'test/e2e/**/*.spec.ts'], isolate: false },
      },
      { extends: true, test: { name: 'desktop', include: MOCKING, isolate: true } },
    ],
  },
});
