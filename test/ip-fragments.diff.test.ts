// IPv4 reassembly where fragments disagree, as tshark 4.0 puts the datagram together: in offset
// order, the fragment that sorts first keeps the bytes it covers (a later copy of them is an
// overlap, and a conflict when it differs), nothing past the length the last fragment gives is
// used, and a fragment running past it is "too long". Each case is a UDP datagram to port 9
// (discard: no protocol above UDP) sent as fragments built here; the whole -V text of every
// frame and the reassembled bytes must be tshark's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { internetChecksum } from '../app/dissect/checksum.js';
import { pcapFile } from './helpers/pcap-build.js';
import { ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

/** An Ethernet/IPv4 fragment of datagram `id` (UDP) at byte `offset` (a multiple of 8) carrying `data`. */
function fragment(id: number, offset: number, more: boolean, data: Uint8Array): Uint8Array {
  const ip = new Uint8Array(20);
  const dv = new DataView(ip.buffer);
  ip[0] = 0x45;
  dv.setUint16(2, 20 + data.length);
  dv.setUint16(4, id);
  dv.setUint16(6, (more ? 0x2000 : 0) | (offset / 8));
  ip[8] = 64;
  ip[9] = 17;
  ip.set([10, 0, 0, 1, 10, 0, 0, 2], 12);
  dv.setUint16(10, internetChecksum(ip));
  return new Uint8Array([...[2, 0, 0, 0, 0, 2], ...[2, 0, 0, 0, 0, 1], 0x08, 0x00, ...ip, ...data]);
}

/** A UDP datagram 4000 -> 9 whose payload is `n` bytes of `fill` (checksum 0: none). */
function datagram(n: number, fill: number): Uint8Array {
  const d = new Uint8Array(8 + n).fill(fill, 8);
  d.set([0x0f, 0xa0, 0, 9, (8 + n) >> 8, (8 + n) & 0xff, 0, 0]);
  return d;
}

const COLUMNS = [...FIELDS_ARGS, '-e', 'ip.reassembled.data', '-e', 'ip.fragment.overlap', '-e', 'ip.fragment.overlap.conflict', '-e', 'ip.fragment.toolongfragment', '-e', 'udp.length', '-e', '_ws.col.Info'];

describe('read: IPv4 fragments that overlap, conflict or run past the end, reassembled as tshark does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-frag-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const a = datagram(56, 0x41), b = datagram(56, 0x42);
  const cases: Record<string, Uint8Array[]> = {
    // zeek/ipv4/fragmented-1.pcap's shape: head, tail, then a long copy of the head.
    'a long resend of the head after the tail': [fragment(1, 0, true, a.subarray(0, 16)), fragment(1, 32, false, a.subarray(32)), fragment(1, 0, true, new Uint8Array([...b, ...b]))],
    'a later fragment with other bytes where two overlap': [fragment(2, 0, true, a.subarray(0, 32)), fragment(2, 16, true, b.subarray(16, 48)), fragment(2, 48, false, a.subarray(48))],
    'the same bytes sent twice': [fragment(3, 0, true, a.subarray(0, 32)), fragment(3, 0, true, a.subarray(0, 32)), fragment(3, 32, false, a.subarray(32))],
    'fragments in reverse order': [fragment(4, 48, false, a.subarray(48)), fragment(4, 24, true, b.subarray(24, 48)), fragment(4, 0, true, a.subarray(0, 32))],
    'a middle fragment longer than the datagram': [fragment(5, 0, true, a.subarray(0, 16)), fragment(5, 40, false, a.subarray(40)), fragment(5, 16, true, new Uint8Array(80).fill(0x43))],
  };
  for (const [name, frames] of Object.entries(cases)) {
    it(name, async () => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.pcap`);
      writeFileSync(file, pcapFile(frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
      expect(await ours(file, ['-V'])).toEqual(tsharkVerbose(file).stdout);
      expect(await ours(file, COLUMNS)).toEqual(tsharkRaw(file, COLUMNS).stdout);
    });
  }
});
