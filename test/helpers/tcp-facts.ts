// Test-only: reads a capture (pcap / pcapng, optionally gzip) and pulls the TCP segment facts out
// of each packet by hand (link layer → IPv4/IPv6 → TCP), so the connection tracker can be
// checked against tshark before/independently of the real dissection pipeline. Handles the
// encapsulations the corpus uses: Ethernet (+802.1Q/QinQ, MPLS, PPPoE), Linux SLL/SLL2, raw IP,
// BSD loopback, NFLOG, GRE (IP, Ethernet) and ICMP errors quoting a TCP header. IP fragments are
// skipped (tshark reassembles them).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { TcpSegmentFacts } from '../../app/dissect/tcp-hook.js';

export interface RawPacket {
  frame: number;
  sec: number;
  nsec: number;
  linkType: number;
  data: Uint8Array;
  origLen: number;
}

export interface ExtractedSegment extends TcpSegmentFacts {
  sec: number;
  nsec: number;
}

export function readCapture(path: string): RawPacket[] {
  let buf = readFileSync(path) as Buffer;
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  const magic = buf.readUInt32LE(0);
  if (magic === 0x0a0d0d0a) return readPcapng(buf);
  return readPcap(buf);
}

function readPcap(buf: Buffer): RawPacket[] {
  const m = buf.readUInt32LE(0);
  const le = m === 0xa1b2c3d4 || m === 0xa1b23c4d;
  const ns = m === 0xa1b23c4d || m === 0x4d3cb2a1;
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linkType = u32(20) & 0x0fffffff;
  const out: RawPacket[] = [];
  let off = 24;
  while (off + 16 <= buf.length) {
    const sec = u32(off), frac = u32(off + 4), incl = u32(off + 8), orig = u32(off + 12);
    if (off + 16 + incl > buf.length) break;
    out.push({ frame: out.length + 1, sec, nsec: ns ? frac : frac * 1000, linkType, data: buf.subarray(off + 16, off + 16 + incl), origLen: orig });
    off += 16 + incl;
  }
  return out;
}

function readPcapng(buf: Buffer): RawPacket[] {
  const out: RawPacket[] = [];
  let le = true;
  let ifaces: Array<{ linkType: number; unitsPerSec: number }> = [];
  let off = 0;
  while (off + 12 <= buf.length) {
    let type = le ? buf.readUInt32LE(off) : buf.readUInt32BE(off);
    if (type === 0x0a0d0d0a) {
      le = buf.readUInt32LE(off + 8) === 0x1a2b3c4d;
      ifaces = [];
      type = 0x0a0d0d0a;
    }
    const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
    const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
    const len = u32(off + 4);
    if (len < 12 || off + len > buf.length) break;
    if (type === 1) {
      let unitsPerSec = 1e6;
      let o = off + 16;
      while (o + 4 <= off + len - 4) {
        const code = u16(o), olen = u16(o + 2);
        if (code === 0) break;
        if (code === 9 && olen >= 1) {
          const v = buf[o + 4]!;
          unitsPerSec = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
        }
        o += 4 + ((olen + 3) & ~3);
      }
      ifaces.push({ linkType: u16(off + 8), unitsPerSec });
    } else if (type === 6 || type === 2) {
      const id = type === 6 ? u32(off + 8) : u16(off + 8);
      const ts = u32(off + 12) * 2 ** 32 + u32(off + 16);
      const cap = u32(off + 20), orig = u32(off + 24);
      const iface = ifaces[id] ?? { linkType: 1, unitsPerSec: 1e6 };
      const upsBig = BigInt(Math.round(iface.unitsPerSec));
      const tsBig = BigInt(ts);
      const sec = Number(tsBig / upsBig);
      const nsec = Number(((tsBig % upsBig) * 1_000_000_000n) / upsBig);
      out.push({ frame: out.length + 1, sec, nsec, linkType: iface.linkType, data: buf.subarray(off + 28, off + 28 + cap), origLen: orig });
    } else if (type === 3) {
      const orig = u32(off + 8);
      const iface = ifaces[0] ?? { linkType: 1, unitsPerSec: 1e6 };
      out.push({ frame: out.length + 1, sec: 0, nsec: 0, linkType: iface.linkType, data: buf.subarray(off + 12, off + 12 + Math.min(orig, len - 16)), origLen: orig });
    }
    off += len;
  }
  return out;
}

const be16 = (d: Uint8Array, o: number) => (d[o]! << 8) | d[o + 1]!;
const be32 = (d: Uint8Array, o: number) => ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;

interface Ctx {
  pkt: RawPacket;
  frags: Map<string, Fragments>;
  out: ExtractedSegment[];
  inError: boolean;
  depth: number;
}

/** IPv4 fragments waiting for the rest of their datagram. */
interface Fragments {
  parts: Array<{ off: number; data: Uint8Array }>;
  total: number;
}

/** Reads packets in order; keeps IPv4 fragments across packets (tshark reassembles them). */
export class SegmentExtractor {
  private readonly frags = new Map<string, Fragments>();
  extract(pkt: RawPacket): ExtractedSegment[] {
    return extractSegments(pkt, this.frags);
  }
}

/** All TCP headers of one packet, outermost first. */
export function extractSegments(pkt: RawPacket, frags = new Map<string, Fragments>()): ExtractedSegment[] {
  const c: Ctx = { pkt, frags, out: [], inError: false, depth: 0 };
  try {
    link(c, pkt.data, pkt.linkType);
  } catch {
    // out of bytes: keep what was found
  }
  return c.out;
}

function link(c: Ctx, d: Uint8Array, lt: number): void {
  switch (lt) {
    case 1: return ether(c, d, 12);
    case 113: return ethertype(c, d.subarray(16), be16(d, 14));
    case 276: return ethertype(c, d.subarray(20), be16(d, 0));
    case 101: case 12: case 14: return ipAny(c, d);
    case 228: return ipv4(c, d);
    case 229: return ipv6(c, d);
    case 0: case 108: return ipAny(c, d.subarray(4));
    case 239: return nflog(c, d);
    default: return;
  }
}

function ether(c: Ctx, d: Uint8Array, typeOff: number): void {
  ethertype(c, d.subarray(typeOff + 2), be16(d, typeOff));
}

function ethertype(c: Ctx, d: Uint8Array, t: number): void {
  if (d.length === 0) return;
  switch (t) {
    case 0x0800: return ipv4(c, d);
    case 0x86dd: return ipv6(c, d);
    case 0x8100: case 0x88a8: case 0x9100: return ethertype(c, d.subarray(4), be16(d, 2));
    case 0x8847: case 0x8848: {
      let o = 0;
      while (o + 4 <= d.length) {
        const bos = d[o + 2]! & 1;
        o += 4;
        if (bos) break;
      }
      return ipAny(c, d.subarray(o));
    }
    case 0x8864: {
      const proto = be16(d, 6);
      if (proto === 0x0021) return ipv4(c, d.subarray(8));
      if (proto === 0x0057) return ipv6(c, d.subarray(8));
      return;
    }
    case 0x6558: return ether(c, d, 12);
    default: return;
  }
}

function ipAny(c: Ctx, d: Uint8Array): void {
  const v = d[0]! >> 4;
  if (v === 4) ipv4(c, d);
  else if (v === 6) ipv6(c, d);
}

function nflog(c: Ctx, d: Uint8Array): void {
  let o = 4;
  while (o + 4 <= d.length) {
    const len = d[o]! | (d[o + 1]! << 8);
    const type = d[o + 2]! | (d[o + 3]! << 8);
    if (len < 4) return;
    if (type === 9) return ipAny(c, d.subarray(o + 4, o + len));
    o += (len + 3) & ~3;
  }
}

function ipv4(c: Ctx, d: Uint8Array): void {
  if (++c.depth > 8) return;
  const ihl = (d[0]! & 0x0f) * 4;
  const total = be16(d, 2);
  const fragField = be16(d, 6);
  const proto = d[9]!;
  const src = d.subarray(12, 16), dst = d.subarray(16, 20);
  const end = Math.min(d.length, Math.max(total, ihl));
  if ((fragField & 0x3fff) !== 0) {
    // A fragment: keep it; hand the datagram on when the last missing piece arrives.
    const key = `${src.join('.')}>${dst.join('.')}/${be16(d, 4)}/${proto}`;
    const f = c.frags.get(key) ?? { parts: [], total: -1 };
    c.frags.set(key, f);
    const off = (fragField & 0x1fff) * 8;
    const data = d.subarray(ihl, end);
    f.parts.push({ off, data });
    if (!(fragField & 0x2000)) f.total = off + data.length;
    if (f.total < 0) return;
    const buf = new Uint8Array(f.total);
    const have = new Uint8Array(f.total);
    for (const p of f.parts) {
      buf.set(p.data.subarray(0, Math.max(0, f.total - p.off)), p.off);
      have.fill(1, p.off, Math.min(f.total, p.off + p.data.length));
    }
    if (have.includes(0)) return;
    c.frags.delete(key);
    return transport(c, proto, buf, f.total, src, dst);
  }
  const reported = total - ihl;
  transport(c, proto, d.subarray(ihl, end), reported, src, dst);
}

function ipv6(c: Ctx, d: Uint8Array): void {
  if (++c.depth > 8) return;
  const plen = be16(d, 4);
  let next = d[6]!;
  const src = d.subarray(8, 24), dst = d.subarray(24, 40);
  let o = 40;
  let reported = plen;
  for (;;) {
    if (next === 0 || next === 43 || next === 60) {
      const l = (d[o + 1]! + 1) * 8;
      next = d[o]!;
      o += l;
      reported -= l;
    } else if (next === 44) {
      const fo = be16(d, o + 2);
      if ((fo & 0xfff9) !== 0) return; // a real fragment
      next = d[o]!;
      o += 8;
      reported -= 8;
    } else break;
  }
  transport(c, next, d.subarray(o, Math.min(d.length, 40 + plen)), reported, src, dst);
}

function transport(c: Ctx, proto: number, d: Uint8Array, reported: number, src: Uint8Array, dst: Uint8Array): void {
  if (proto === 6) return tcp(c, d, reported, src, dst);
  if (proto === 4) return ipv4(c, d);
  if (proto === 41) return ipv6(c, d);
  if (proto === 47) {
    const flags = be16(d, 0);
    const pt = be16(d, 2);
    let o = 4;
    if (flags & 0x8000 || flags & 0x4000) o += 4;
    if (flags & 0x2000) o += 4;
    if (flags & 0x1000) o += 4;
    if ((flags & 7) === 1) return; // enhanced GRE (PPTP) carries PPP
    if (pt === 0x8200 || pt === 0x9000) return wlan(c, d.subarray(o));
    return ethertype(c, d.subarray(o), pt);
  }
  if ((proto === 1 || proto === 58) && !c.inError) {
    const type = d[0]!;
    const isErr = proto === 1 ? type === 3 || type === 4 || type === 5 || type === 11 || type === 12 : type >= 1 && type <= 4;
    if (!isErr) return;
    c.inError = true;
    ipAny(c, d.subarray(8));
  }
}

/** 802.11 data frame (Aruba GRE): skip the MAC header, then LLC/SNAP. */
function wlan(c: Ctx, d: Uint8Array): void {
  const fc = d[0]!;
  const type = (fc >> 2) & 3, subtype = fc >> 4;
  if (type !== 2) return;
  const flags = d[1]!;
  let o = 24;
  if ((flags & 3) === 3) o += 6;
  if (subtype & 8) o += 2;
  if (d[o] === 0xaa && d[o + 1] === 0xaa) return ethertype(c, d.subarray(o + 8), be16(d, o + 6));
}

function tcp(c: Ctx, d: Uint8Array, reported: number, src: Uint8Array, dst: Uint8Array): void {
  if (d.length < 4) return;
  const srcPort = be16(d, 0), dstPort = be16(d, 2);
  // ICMP quotes carry the first 8 bytes only; tshark still finds the conversation.
  const has = (o: number, n: number) => d.length >= o + n;
  const seq = has(4, 4) ? be32(d, 4) : 0;
  const ack = has(8, 4) ? be32(d, 8) : 0;
  const hlen = has(12, 1) ? (d[12]! >> 4) * 4 : 0;
  const flags = has(12, 2) ? be16(d, 12) & 0x0fff : 0;
  const window = has(14, 2) ? be16(d, 14) : 0;
  const inError = c.inError;
  const haveSegLen = !inError && reported >= hlen;
  if (!has(14, 2)) return; // tshark reads up to the window before finding the conversation
  const options: TcpSegmentFacts['options'] = {};
  if (hlen > 20) {
    let o = 20;
    const end = Math.min(hlen, d.length);
    while (o < end) {
      const kind = d[o]!;
      if (kind === 0) break;
      if (kind === 1) { o++; continue; }
      if (o + 1 >= end) break;
      const l = d[o + 1]!;
      if (l < 2 || o + l > end) break;
      if (kind === 2 && l === 4) options.mss = be16(d, o + 2);
      else if (kind === 3 && l === 3) options.wscale = d[o + 2]!;
      else if (kind === 4 && l === 2) options.sackPerm = true;
      else if (kind === 8 && l === 10) { options.tsval = be32(d, o + 2); options.tsecr = be32(d, o + 6); }
      else if (kind === 5) {
        const blocks: Array<[number, number]> = [];
        for (let b = o + 2; b + 8 <= o + l; b += 8) blocks.push([be32(d, b), be32(d, b + 4)]);
        options.sack = blocks;
      }
      o += l;
    }
  }
  c.out.push({
    frame: c.pkt.frame,
    time: c.pkt.sec + c.pkt.nsec / 1e9,
    sec: c.pkt.sec,
    nsec: c.pkt.nsec,
    netSrc: src.slice(), netDst: dst.slice(),
    srcPort, dstPort, seq, ack, flags, window,
    len: haveSegLen ? reported - hlen : 0,
    hdrLen: hlen,
    urgentPointer: has(18, 2) ? be16(d, 18) : 0,
    options,
    haveSegLen,
    inErrorPacket: inError,
  });
}
