// IPv6 addresses as tshark prints them (its inet_ntop): the longest run of zero words becomes
// "::", and an address whose first five words are zero and whose sixth is ffff, or whose first
// six are zero and whose seventh is not, ends in dotted IPv4 form — so ::2 stays hex.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pcapFile } from '../../test/helpers/pcap-build.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { formatIPv6 } from './format.js';

const ADDRESSES: number[][] = [
  [0, 0, 0, 0, 0, 0, 0, 2], [0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0x0102, 0x0304],
  [0, 0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304], [0, 0, 0, 0, 0, 0xffff, 0, 2], [0, 0, 0, 0, 0, 1, 0, 2],
  [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], [0xfe80, 0, 0, 0, 0, 0, 0, 0xff], [0, 0, 0, 0, 0xffff, 0, 0, 1],
  [1, 0, 0, 1, 0, 0, 0, 1], [0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff],
];

function bytes(words: readonly number[]): Uint8Array {
  const b = new Uint8Array(16);
  words.forEach((w, i) => {
    b[i * 2] = w >> 8;
    b[i * 2 + 1] = w & 0xff;
  });
  return b;
}

/** A bare IPv6 header (no next header) from `src` to ::1, as a raw-IP (DLT_RAW) record. */
function packet(src: Uint8Array): Uint8Array {
  const p = new Uint8Array(40);
  p[0] = 0x60;
  p[6] = 59;
  p[7] = 64;
  p.set(src, 8);
  p[39] = 1;
  return p;
}

const dir = mkdtempSync(join(tmpdir(), 'synscope-ipv6-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('formatIPv6', () => {
  it('prints every address as tshark prints ipv6.src', () => {
    const file = join(dir, 'addresses.pcap');
    writeFileSync(file, pcapFile(ADDRESSES.map((w, i) => ({ sec: 1_700_000_000 + i, frac: 0, data: packet(bytes(w)) })), 101));
    const theirs = tsharkRaw(file, ['-T', 'fields', '-e', 'ipv6.src']).stdout.trim().split('\n');
    expect(ADDRESSES.map((w) => formatIPv6(bytes(w)))).toEqual(theirs);
  });
});
