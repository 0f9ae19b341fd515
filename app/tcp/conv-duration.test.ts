// A conversation's Duration as tshark prints it: the difference of its last and first packets'
// relative times, each made as nstime_to_sec of a normalised nstime delta (see secondsBetween),
// to 4 decimals. With the relative times made from unnormalised (seconds, nanoseconds)
// differences, a conversation of 1.209350 s came out 1.2094 where tshark prints 1.2093 (a TCP
// connection of a generated capture hit this in CI).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CaptureWriter } from '../file/writer.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { asTshark, parseTsharkConv } from '../../test/helpers/tshark-conv.js';
import { convTable } from './conv-table.js';
import { observeCapture } from './report.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-duration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Ethernet + IPv4 + UDP 10.0.0.1:1000 -> 10.0.0.2:2000 with 4 bytes of payload. */
function udpFrame(): Uint8Array {
  const f = new Uint8Array(14 + 20 + 8 + 4);
  f.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00], 0);
  f.set([0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  f.set([0x03, 0xe8, 0x07, 0xd0, 0, 12, 0, 0], 34);
  return f;
}

it("gives tshark's Duration where unnormalised time differences would round the other way", () => {
  const file = join(dir, 'duration.pcap');
  const w = CaptureWriter.create(file, { format: 'pcap', interfaces: [{ id: 0, linkType: 1, snapLen: 65535 }] });
  const data = udpFrame();
  // Packet 1 sets the capture's start (its nanoseconds above the others': the deltas borrow a
  // second); the conversation runs from 0.200001 s to 1.409351 s.
  const times: Array<[number, number]> = [[100, 900_000_000], [101, 100_001_000], [102, 309_351_000]];
  times.forEach(([sec, nsec], index) => {
    const other = index === 0 ? Uint8Array.of(...data.subarray(0, 36), 0x0b, 0xb8, ...data.subarray(38)) : data;
    w.write({ index, fileOffset: 0, interfaceId: 0, linkType: 1, ts: { sec, nsec }, capLen: other.length, origLen: other.length, data: other, blockType: 0 });
  });
  w.close();
  const want = parseTsharkConv(tsharkRaw(file, ['-q', '-z', 'conv,udp']).stdout)['UDP']!;
  return convTable(observeCapture(file)).then((t) => {
    const got = t.udp.map(asTshark);
    expect(got).toEqual(want);
    expect(got.find((r) => r.frames === 2)!.duration).toBe('1.2093');
  });
});
