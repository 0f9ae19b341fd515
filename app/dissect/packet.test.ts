// What a live capture's eviction lets the engine forget (pickForgotten): conversations whose
// every frame the ring evicted, once quiet, and beyond FORGET_KEEP_EVICTED waiting ones the
// quietest, so a table never holds more than the ring's conversations plus that many.
import { describe, expect, it } from 'vitest';
import { CaptureState, FORGET_KEEP_EVICTED, FORGET_SWEEP_FRAMES, pickForgotten } from './packet.js';

interface Conv {
  id: number;
  lastFrame: number;
  lastTime: number;
}

const pick = (items: Conv[], first: number, now: number, quiet = 300) =>
  pickForgotten(items, first, now, (c) => c.lastFrame, (c) => c.lastTime, () => quiet).map((c) => c.id).sort((a, b) => a - b);

describe('pickForgotten', () => {
  it('forgets a conversation only once every frame was evicted and it has been quiet', () => {
    const items: Conv[] = [
      { id: 1, lastFrame: 10, lastTime: 100 }, // evicted, quiet 400 s
      { id: 2, lastFrame: 10, lastTime: 450 }, // evicted, quiet 50 s: waits
      { id: 3, lastFrame: 2000, lastTime: 100 }, // quiet but still in the ring
      { id: 4, lastFrame: 999, lastTime: 200 }, // evicted (ring starts at 1000), quiet exactly 300 s
    ];
    expect(pick(items, 1000, 500)).toEqual([1, 4]);
  });

  it('keeps at most FORGET_KEEP_EVICTED evicted conversations waiting, dropping the quietest', () => {
    const n = FORGET_KEEP_EVICTED + 37;
    // Evicted, none quiet long enough yet; times shuffled so the order of the items is no help.
    const items: Conv[] = Array.from({ length: n }, (_, i) => ({ id: i, lastFrame: 1, lastTime: 1000 + ((i * 7919) % n) / 10 }));
    items.push({ id: -1, lastFrame: 5000, lastTime: 0 }); // in the ring: never counted
    const gone = new Set(pick(items, 100, 1000 + n / 10, 3600));
    expect(gone.size).toBe(37);
    const quietest = items.filter((c) => c.id >= 0).sort((a, b) => a.lastTime - b.lastTime).slice(0, 37).map((c) => c.id);
    expect([...gone].sort((a, b) => a - b)).toEqual(quietest.sort((a, b) => a - b));
  });
});

describe('CaptureState.forgetBefore', () => {
  it('runs the protocols\' forgetters once the ring moved on by FORGET_SWEEP_FRAMES', () => {
    const c = new CaptureState();
    const calls: number[] = [];
    c.onForget((first) => calls.push(first));
    c.forgetBefore(FORGET_SWEEP_FRAMES - 1);
    c.forgetBefore(FORGET_SWEEP_FRAMES);
    c.forgetBefore(FORGET_SWEEP_FRAMES + 10);
    c.forgetBefore(2 * FORGET_SWEEP_FRAMES);
    expect(calls).toEqual([FORGET_SWEEP_FRAMES, 2 * FORGET_SWEEP_FRAMES]);
  });
});
