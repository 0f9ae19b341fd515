// Re-reads of the session's tables never overlap: asks during a run give exactly one more run.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { coalescedRun } from './coalesced-run.js';

describe('coalescedRun', () => {
  // Also after a failed test: the worker's next test file shares the timers.
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs one job at a time and one more after asks that came meanwhile', async () => {
    vi.useFakeTimers();
    let running = 0, maxRunning = 0, runs = 0;
    const release: Array<() => void> = [];
    const r = coalescedRun(() => {
      runs++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      return new Promise<void>((done) => release.push(() => { running--; done(); }));
    }, 500);
    r.runNow();
    for (let i = 0; i < 10; i++) r.schedule();
    expect(runs).toBe(1);
    release.shift()!();
    await vi.advanceTimersByTimeAsync(600);
    expect(runs).toBe(2);
    release.shift()!();
    await vi.advanceTimersByTimeAsync(600);
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
    r.schedule();
    r.cancel();
    await vi.advanceTimersByTimeAsync(600);
    expect(runs).toBe(2);
  });
});
