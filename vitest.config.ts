import { configDefaults, defineConfig } from 'vitest/config';

// glibc's malloc on transparent huge pages, with 64 MiB asked of the kernel at a time. Most of a
// run is processes starting: tshark (the oracle) alone is started ~2,200 times, and its start-up
// is mostly page faults (relocating libwireshark, filling the field tables). With these, a tshark
// run on a small capture takes 0.34 s of CPU instead of 0.50 s on the CI VM (16 runs each), with
// the same output; a `synscope read` child ~10% less. Set here, so the test workers and every
// process they start inherit it; glibc versions before 2.35 ignore the tunable they lack.
process.env.GLIBC_TUNABLES ??= 'glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864';

/** Test files that run on modules of their own (the `isolated` project below). */
const ISOLATED = '**/*.isolated.test.ts';

export default defineConfig({
  test: {
    // What every test file runs with (each project below extends this).
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/yield-between-tests.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker less than the CPUs: one on CI's 2 cores. Most of a run is
    // tshark (the oracle) in child processes, so two test files at a time use both cores.
    maxWorkers: 2,
    // A worker goes on to the next file instead of a fresh process per file; whether it keeps its
    // modules too is each project's `poolOptions.forks.isolate` below.
    poolOptions: { forks: { isolate: false } },
    projects: [
      {
        // The engine, CLI, renderer and end-to-end tests share each worker's modules from one test
        // file to the next (isolate: false): importing the dissectors and their field registry
        // cost ~0.7 s per file, ~160 s of a run, and their caches stay warm. None of these files
        // mocks a module, stubs a global or registers into the engine's tables; one that must is
        // named *.isolated.test.ts (or restores what it changed before it ends).
        extends: true,
        test: {
          name: 'engine',
          include: ['app/**/*.test.ts', 'test/**/*.test.ts', 'renderer/**/*.test.ts', 'test/e2e/**/*.spec.ts'],
          exclude: [...configDefaults.exclude, ISOLATED],
          poolOptions: { forks: { isolate: false } },
        },
      },
      {
        // Files that change what a shared module cache would carry into the next file, each on
        // modules of its own: the desktop shell's tests replace `electron` and `node:fs` with
        // fakes (vi.mock); an *.isolated.test.ts registers a protocol of its own (a toy `toytcp`
        // once reached the field list asked of tshark in a shared worker, which then printed nothing).
        extends: true,
        test: { name: 'isolated', include: ['main/**/*.test.ts', ISOLATED], poolOptions: { forks: { isolate: true } } },
      },
    ],
  },
});
