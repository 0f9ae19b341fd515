import { defineConfig } from 'vitest/config';

// glibc's malloc on transparent huge pages, with 64 MiB asked of the kernel at a time. Most of a
// run is processes starting: tshark (the oracle) alone is started ~2,200 times, and its start-up
// is mostly page faults (relocating libwireshark, filling the field tables). With these, a tshark
// run on a small capture takes 0.34 s of CPU instead of 0.50 s on the CI VM (16 runs each), with
// the same output; a `synscope read` child ~10% less. Set here, so the test workers and every
// process they start inherit it; glibc versions before 2.35 ignore the tunable they lack.
process.env.GLIBC_TUNABLES ??= 'glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864';

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
