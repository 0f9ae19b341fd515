// A capture whose TCP segments are cut again: every data segment of an Ethernet capture
// (IPv4 or IPv6, not a fragment, not SYN or RST, captured whole) becomes 2 or 3 segments at
// random places, each with its own sequence number and lengths, FIN and PSH on the last piece
// only; every other frame is copied as it is. The same bytes cross the wire in other segments,
// so a dissector that reassembles as tshark does shows them as tshark does.
import { writeFileSync } from 'node:fs';
import { openCaptureFile } from '../../app/file/reader.js';
import { pcapFile, type BuiltRecord } from './pcap-build.js';
import { prng } from './prng.js';

/** Writes `input` resegmented to `output` (a µs pcap); false when it is not an Ethernet capture. */
export function resegment(input: string, output: string, seed: number): boolean {
  const rnd = prng(seed);
  const reader = openCaptureFile(input);
  const out: BuiltRecord[] = [];
  try {
    for (let rec = reader.next(); rec !== null; rec = reader.next()) {
      if (rec instanceof Promise) throw new Error('synchronous reader expected');
      if (rec.linkType !== 1) return false;
      const sec = Number(rec.ts.sec), frac = Math.floor(rec.ts.nsec / 1000);
      const data = rec.data.slice();
      const pieces = rec.capLen === rec.origLen ? cutSegment(data, rnd) : null;
      if (pieces) for (const piece of pieces) out.push({ sec, frac, data: piece });
      else out.push({ sec, frac, data, origLen: rec.origLen });
    }
  } finally {
    reader.close();
  }
  writeFileSync(output, pcapFile(out));
  return true;
}

/** A TCP data segment's frame cut into 2-3 frames, or null for any other frame. */
function cutSegment(frame: Uint8Array, rnd: () => number): Uint8Array[] | null {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.length);
  if (frame.length < 14) return null;
  const type = view.getUint16(12);
  const ip = 14;
  let ipHeader: number, end: number;
  if (type === 0x0800 && frame.length >= ip + 20 && frame[ip]! >> 4 === 4) {
    if (frame[ip + 9] !== 6 || (view.getUint16(ip + 6) & 0x3fff) !== 0) return null;
    ipHeader = (frame[ip]! & 15) * 4;
    end = ip + view.getUint16(ip + 2);
  } else if (type === 0x86dd && frame.length >= ip + 40 && frame[ip]! >> 4 === 6) {
    if (frame[ip + 6] !== 6) return null;
    ipHeader = 40;
    end = ip + 40 + view.getUint16(ip + 4);
  } else {
    return null;
  }
  const tcp = ip + ipHeader;
  if (end > frame.length || tcp + 20 > end) return null;
  const tcpHeader = (frame[tcp + 12]! >> 4) * 4;
  const flags = frame[tcp + 13]!;
  const data = tcp + tcpHeader, n = end - data;
  if (n < 2 || (flags & 0x06) !== 0) return null;
  const cuts = new Set<number>();
  for (let k = 1 + Math.floor(rnd() * 2); k > 0; k--) cuts.add(1 + Math.floor(rnd() * (n - 1)));
  const points = [0, ...[...cuts].sort((a, b) => a - b), n];
  const seq = view.getUint32(tcp + 4);
  return points.slice(1).map((to, i) => {
    const from = points[i]!, len = to - from;
    const piece = new Uint8Array(data + len + (frame.length - end));
    piece.set(frame.subarray(0, data), 0);
    piece.set(frame.subarray(data + from, data + to), data);
    piece.set(frame.subarray(end), data + len);
    const pv = new DataView(piece.buffer);
    if (type === 0x0800) pv.setUint16(ip + 2, ipHeader + tcpHeader + len);
    else pv.setUint16(ip + 4, tcpHeader + len);
    pv.setUint32(tcp + 4, (seq + from) >>> 0);
    // FIN and PSH go with the last piece.
    if (i + 2 < points.length) piece[tcp + 13] = flags & ~0x09;
    return piece;
  });
}
