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
