// Runs an async job at most once at a time, a little after it is asked for: asks that come while
// it runs only mark the result stale, and one more run follows. The session's tables of a big
// capture take seconds and megabytes each; events keep coming meanwhile.
export interface CoalescedRun {
  /** Asks for a run (after `delayMs`, or after the one running now). */
  schedule(): void;
  /** Runs now unless one is running (then: once more after it). */
  runNow(): void;
  cancel(): void;
}

export function coalescedRun(job: () => Promise<unknown>, delayMs: number): CoalescedRun {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false, stale = false, cancelled = false;
  const runNow = () => {
    if (cancelled) return;
    if (running) {
      stale = true;
      return;
    }
    running = true;
    void job().catch(() => undefined).finally(() => {
      running = false;
      if (stale) {
        stale = false;
        schedule();
      }
    });
  };
  const schedule = () => {
    if (cancelled) return;
    if (running) stale = true;
    else if (!timer) timer = setTimeout(() => {
      timer = null;
      runNow();
    }, delayMs);
  };
  return {
    schedule,
    runNow,
    cancel: () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * While a file's whole answer has not come: a partial one after PARTIAL_FIRST_MS, read again
 * after ten times as long as the last read took, PARTIAL_NEXT_MS at least. Each read takes time
 * from the session's pass (on the 1M-packet capture a read of 30k connection rows took ~0.2 s
 * and the whole list came that much later; ~5.3 s without any), so the reads stay a tenth of
 * the wait however large the answer grows. Stops once `done()`; returns the function that
 * stops it sooner.
 */
export const PARTIAL_FIRST_MS = 1000;
export const PARTIAL_NEXT_MS = 2000;

export function readWhilePending(read: () => Promise<unknown>, done: () => boolean): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const after = (ms: number) => {
    timer = setTimeout(() => {
      timer = null;
      if (stopped || done()) return;
      const t0 = performance.now();
      void read().catch(() => undefined).finally(() => {
        if (!stopped && !done()) after(Math.max(PARTIAL_NEXT_MS, 10 * (performance.now() - t0)));
      });
    }, ms);
  };
  after(PARTIAL_FIRST_MS);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
