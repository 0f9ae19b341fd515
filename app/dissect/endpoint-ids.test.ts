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

  it('keeps one id per IPv6 address while it remembers the last ones looked up, also after retain()', () => {
    const ids = new EndpointIds();
    const C6 = Uint8Array.from(B6, (b, i) => (i === 15 ? 3 : b));
    const a = ids.addr(A6), b = ids.addr(B6), c = ids.addr(C6);
    expect(new Set([a, b, c]).size).toBe(3);
    // Round and round three addresses with two remembered: each keeps its id.
    for (let k = 0; k < 4; k++) expect([ids.addr(C6), ids.addr(A6), ids.addr(B6)]).toEqual([c, a, b]);
    // An address copied into another buffer is the same address.
    expect(ids.addr(Uint8Array.from(A6))).toBe(a);
    // retain() forgets unused addresses: a forgotten one is never answered from memory.
    ids.retain(() => false);
    const a2 = ids.addr(A6);
    expect([a, b, c]).not.toContain(a2);
    expect(ids.addr(A6)).toBe(a2);
  });

  it('gives the same pair ids whichever endpoint has the lower port or was seen first', () => {
    const ids = new EndpointIds();
    // The client (seen first, so its address has the lower id) talks to two servers on 80.
    const p1 = ids.pairOf(A4, 50000, B4, 80), p2 = ids.pairOf(A4, 50001, B4, 80);
    const equalPorts = ids.pairOf(A4, 7, B4, 7);
    expect(new Set([p1, p2, equalPorts]).size).toBe(3);
    expect(slow(ids, B4, 80, A4, 50000)).toBe(p1);
    expect(slow(ids, B4, 80, A4, 50001)).toBe(p2);
    expect(slow(ids, B4, 7, A4, 7)).toBe(equalPorts);
    const [a, b] = [endpoint(ids.addr(A4), 50000), endpoint(ids.addr(B4), 80)];
    expect(ids.findPair(a, b)).toBe(p1);
    expect(ids.findPair(b, a)).toBe(p1);
  });
});

describe('EndpointIds.pair over many pairs', () => {
  it('keeps every id while its table grows, and the kept ones through retain()', () => {
    const ids = new EndpointIds();
    // 20,000 client ports towards one server, and 20,000 towards another: the table grows
    // several times and many pairs share an endpoint.
    const server1 = endpoint(ids.addr(B4), 80), server2 = endpoint(ids.addr(B6), 443);
    const client = (i: number) => endpoint(ids.addr(i % 2 ? A4 : A6), 1024 + (i >> 1));
    const first = new Map<string, number>();
    for (let i = 0; i < 40000; i++) first.set(`${i}`, ids.pair(client(i), i % 3 ? server1 : server2));
    expect(new Set(first.values()).size).toBe(40000);
    expect(ids.size).toBe(40000);
    for (let i = 0; i < 40000; i++) expect(ids.pair(i % 3 ? server1 : server2, client(i))).toBe(first.get(`${i}`));
    ids.retain((id) => id % 2 === 0);
    expect(ids.size).toBe(20000);
    for (let i = 0; i < 40000; i++) {
      const id = first.get(`${i}`)!;
      expect(ids.findPair(client(i), i % 3 ? server1 : server2)).toBe(id % 2 === 0 ? id : undefined);
    }
  });
});
