import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/yield-between-tests.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // vitest's default is one worker less than the CPUs: one on CI's 2 cores. Most of a run is
    // tshark (the oracle) in child processes, so two test files at a time use both cores.
    maxWorkers: 2,
    // A pool's options hold for every project that runs in it (vitest 3 makes one pool of each
    // kind): the engine's files run in forks that keep their modules from file to file, the
    // desktop shell's in threads that give each file fresh ones.
    poolOptions: { forks: { isolate: false }, threads: { isolate: true } },
    projects: [
      {
        extends: true,
        // The engine's, the command's and the UI's tests: importing the dissectors anew for each
        // of 200 files was a tenth of a CI run.
        test: { name: 'engine', include: ['app/**/*.test.ts', 'test/**/*.test.ts', 'renderer/**/*.test.ts', 'test/e2e/**/*.spec.ts'], pool: 'forks' },
      },
      // The desktop shell's tests mock Electron and Node modules (vi.mock).
      { extends: true, test: { name: 'desktop', include: ['main/**/*.test.ts'], pool: 'threads' } },
    ],
  },
});
