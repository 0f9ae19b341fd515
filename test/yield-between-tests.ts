import { beforeEach } from 'vitest';

/*
 * Most of our oracle tests are synchronous: they spawnSync tshark/tcpdump and dissect in
 * process. Vitest awaits synchronous tests with microtasks only, so a file of hundreds of them
 * never lets the worker's event loop turn. Vitest's worker then sees its 60 s RPC timer fire
 * before it reads the parent's (long since sent) reply, and reports
 * "[vitest-worker]: Timeout calling onTaskUpdate" as an unhandled error, which fails the run
 * even though every test passed (vitest-dev/vitest#6479, #8164). One macrotask turn before
 * each test lets the reply in.
 */
beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
