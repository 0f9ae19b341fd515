// EndpointIds: the pair id does not depend on the direction, and pairOf (which remembers its
// last answer) always gives what pair(endpoint(addr(..)), ..) gives, also after retain().
import { describe, expect, it } from 'vitest';
import { endpoint, EndpointIds } from './endpoint-ids.js';

const A4 = Uint8Array.of(10, 0, 0, 1), B4 = Uint8Array.of(10, 0, 0, 2);
const A6 = Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? 1 : i === 0 ? 0xfd : 0));
const B6 = Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? 2 : i === 0 ? 0xfd : 0));

function slow(ids: EndpointIds, src: Uint8Array, sp: number, dst: Uint8Array, dp: number): number {
  return ids.pair(endpoint(ids.addr(src), sp), endpoint(ids.addr(dst), dp));
}

describe('EndpointIds.pairOf', () => {
  it('gives one id per unordered pair of endpoints, whichever way and however often it is asked', () => {
    const ids = new EndpointIds();
    const ab = ids.pairOf(A4, 40000, B4, 80);
    expect(ids.pairOf(B4, 80, A4, 40000)).toBe(ab);
    expect(ids.pairOf(A4, 40000, B4, 80)).toBe(ab);
    expect(ids.pairOf(A4, 40001, B4, 80)).not.toBe(ab);
    expect(ids.pairOf(A4, 40000, B4, 80)).toBe(ab);
    // IPv6 and IPv4 pairs with the same ports are different pairs.
    const ab6 = ids.pairOf(A6, 40000, B6, 80);
    expect(ab6).not.toBe(ab);
    expect(ids.pairOf(B6, 80, A6, 40000)).toBe(ab6);
    expect(slow(ids, A6, 40000, B6, 80)).toBe(ab6);
    expect(slow(ids, B4, 80, A4, 40000)).toBe(ab);
  });

  it('does not answer from memory once retain() dropped the pair', () => {
    const ids = new EndpointIds();
    const first = ids.pairOf(A4, 1, B4, 2);
    ids.retain(() => false);
    const again = ids.pairOf(A4, 1, B4, 2);
    expect(again).not.toBe(first);
    expect(slow(ids, A4, 1, B4, 2)).toBe(again);
  });

  it('tells the address bytes apart, not only the ports', () => {
    const ids = new EndpointIds();
    const ab = ids.pairOf(A4, 5, B4, 6);
    const c = Uint8Array.of(10, 0, 0, 3);
    expect(ids.pairOf(A4, 5, c, 6)).not.toBe(ab);
    expect(ids.pairOf(A4, 5, B4, 6)).toBe(ab);
  });
});
