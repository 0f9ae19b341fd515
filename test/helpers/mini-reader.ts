// TEST-ONLY capture reader, kept minimal on purpose: classic pcap (both byte orders, us/ns) and
// pcapng (SHB byte order, IDB link type + if_tsresol, EPB, SPB; other blocks skipped), plain or
// gzip. It exists so dissector tests can read corpus files before/independently of app/file/
// (openCaptureFile); it does no validation beyond what is needed not to run off the buffer.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface MiniPacket {
  /** 1-based. */
  number: number;
  linkType: number;
  sec: number;
  nsec: number;
  capLen: number;
  origLen: number;
  data: Uint8Array;
}

/** All packets of a file, or null when it is not a (supported) capture file. */
export function readCapture(path: string): MiniPacket[] | null {
  let buf: Buffer = readFileSync(path);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  if (buf.length < 24) return null;
  const magic = buf.readUInt32LE(0);
  if (magic === 0x0a0d0d0a) return readPcapng(buf);
  let le: boolean, ns: boolean;
  if (magic === 0xa1b2c3d4) { le = true; ns = false; } else if (magic === 0xd4c3b2a1) { le = false; ns = false; }
  else if (magic === 0xa1b23c4d) { le = true; ns = true; } else if (magic === 0x4d3cb2a1) { le = false; ns = true; }
  else return null;
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  const out: MiniPacket[] = [];
  let off = 24;
  while (off + 16 <= buf.length) {
    const incl = u32(off + 8);
    if (off + 16 + incl > buf.length) break;
    const frac = u32(off + 4);
    out.push({ number: out.length + 1, linkType, sec: u32(off), nsec: ns ? frac : frac * 1000, capLen: incl, origLen: u32(off + 12),
      data: new Uint8Array(buf.buffer, buf.byteOffset + off + 16, incl) });
    off += 16 + incl;
  }
  return out;
}

function readPcapng(buf: Buffer): MiniPacket[] {
  const out: MiniPacket[] = [];
  let le = true;
  let ifaces: Array<{ linkType: number; unitsPerSec: bigint }> = [];
  let off = 0;
  while (off + 12 <= buf.length) {
    if (buf.readUInt32LE(off) === 0x0a0d0d0a) {
      le = buf.readUInt32LE(off + 8) === 0x1a2b3c4d;
      ifaces = [];
    }
    const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
    const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
    const type = u32(off);
    const len = u32(off + 4);
    if (len < 12 || off + len > buf.length) break;
    if (type === 1) {
      let unitsPerSec = 1000000n;
      for (let o = off + 16; o + 4 <= off + len - 4;) {
        const code = u16(o), olen = u16(o + 2);
        if (code === 0) break;
        if (code === 9 && olen >= 1) {
          const v = buf[o + 4]!;
          unitsPerSec = v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
        }
        o += 4 + ((olen + 3) & ~3);
      }
      ifaces.push({ linkType: u16(off + 8), unitsPerSec });
    } else if (type === 6) {
      const iface = ifaces[u32(off + 8)];
      const ts = (BigInt(u32(off + 12)) << 32n) | BigInt(u32(off + 16));
      const cap = u32(off + 20);
      const upc = iface?.unitsPerSec ?? 1000000n;
      out.push({ number: out.length + 1, linkType: iface?.linkType ?? 1, sec: Number(ts / upc), nsec: Number(((ts % upc) * 1000000000n) / upc),
        capLen: cap, origLen: u32(off + 24), data: new Uint8Array(buf.buffer, buf.byteOffset + off + 28, Math.min(cap, len - 28)) });
    } else if (type === 3) {
      const orig = u32(off + 8);
      const cap = Math.min(orig, len - 16);
      out.push({ number: out.length + 1, linkType: ifaces[0]?.linkType ?? 1, sec: 0, nsec: 0, capLen: cap, origLen: orig,
        data: new Uint8Array(buf.buffer, buf.byteOffset + off + 12, cap) });
    }
    off += len;
  }
  return out;
}
