// expect.poll with a patience that suits a browser on a busy CI machine (vitest's default is one
// second); a failing check still fails, only later. web-app.ts must not import it: the UI
// benchmark (bench/ui.ts) imports web-app.ts outside vitest; steps that poll are in user-steps.ts.
import { expect } from 'vitest';

export function poll<T>(fn: () => T | Promise<T>, options: { timeout?: number; message?: string } = {}) {
  return expect.poll(fn, { interval: 50, ...options, timeout: Math.max(options.timeout ?? 0, 20_000) });
}
