// The conversation and lifecycle commands' fast path. `synscope conv` and `synscope tcp` need,
// per packet, only what the TCP and UDP headers say (the tracker's facts, the UDP stream) —
// not the application layers, the columns or a tree, which are most of the ~15 µs a full
// dissection costs. For the packets whose layout is plain — Ethernet (with up to four VLAN
// tags) or raw IP, then IPv4 without options or fragmentation / IPv6 without extension
// headers, then one TCP or UDP header, all captured — this decodes the headers straight from
// the bytes and feeds the same tracker and the same UDP stream numbering the dissectors use.
// Anything else (tunnels, ICMP errors quoting a header, fragments, a cut or impossible length,
// other link types) returns null and the caller dissects that packet in full, in order, with
// the same CaptureState, so both paths share stream numbers. fast-observe.diff.test.ts checks
// that the observations are identical with and without the fast path on every corpus file.
import { udpStreamOf } from '../dissect/protocols/udp.js';
import type { CaptureState } from '../dissect/packet.js';
import { readTcpOptionFacts, type TcpSegmentFacts } from '../dissect/tcp-hook.js';
import type { AbsTime } from '../dissect/tree.js';
import { formatAddr } from './lifecycle.js';
import type { PacketObservation } from './report.js';
import type { TcpTracker } from './tracker.js';

/** One record as the reader gives it (data valid only during the call). */
export interface FastFrame {
  number: number;
  ts: AbsTime;
  /** The capture's first packet (absent = this one). */
  firstTs?: AbsTime;
  linkType: number;
  capLen: number;
  origLen: number;
  data: Uint8Array;
}

const LINKTYPE_ETHERNET = 1;
/** LINKTYPE_RAW and DLT_RAW's platform values (raw.ts), then LINKTYPE_IPV4 / LINKTYPE_IPV6. */
const RAW_IP = new Set([101, 12, 14]);
const LINKTYPE_IPV4 = 228;
const LINKTYPE_IPV6 = 229;
/** 802.1Q, the old Q-in-Q TPID, 802.1ad (vlan.ts). */
const VLAN_TPIDS = new Set([0x8100, 0x9100, 0x88a8]);
const MAX_VLAN_TAGS = 4;
const ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86dd, ETHERTYPE_ARP = 0x0806;
const IPPROTO_ICMP = 1, IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_ICMPV6 = 58;
/** ICMP echo reply/request and ICMPv6 echo: no quoted packet, nothing for the trackers. */
const ICMP_ECHO = new Set([0, 8]);
const ICMPV6_ECHO = new Set([128, 129]);
const EMPTY = new Uint8Array(0);

export class FastObserver {
  constructor(private readonly capture: CaptureState, private readonly tracker: TcpTracker) {}

  /** The packet's observation, or null when it must be dissected in full. */
  observe(f: FastFrame): PacketObservation | null {
    const d = f.data;
    // A snaplen-cut packet: which layers survive is the dissectors' business.
    if (f.capLen !== f.origLen || d.length !== f.capLen) return null;
    let o = 0;
    let version: number;
    if (f.linkType === LINKTYPE_ETHERNET) {
      if (d.length < 14) return null;
      let type = u16(d, 12);
      o = 14;
      for (let tags = 0; VLAN_TPIDS.has(type); tags++) {
        if (tags === MAX_VLAN_TAGS || o + 4 > d.length) return null;
        type = u16(d, o + 2);
        o += 4;
      }
      if (type === ETHERTYPE_ARP) return this.empty(f);
      version = type === ETHERTYPE_IPV4 ? 4 : type === ETHERTYPE_IPV6 ? 6 : 0;
    } else if (RAW_IP.has(f.linkType)) {
      version = d.length > 0 ? d[0]! >> 4 : 0;
    } else if (f.linkType === LINKTYPE_IPV4) version = 4;
    else if (f.linkType === LINKTYPE_IPV6) version = 6;
    else return null;

    let proto: number, src: Uint8Array, dst: Uint8Array, l4: number, l4len: number;
    if (version === 4) {
      if (o + 20 > d.length || d[o] !== 0x45) return null; // IPv4, no options
      const total = u16(d, o + 2);
      if (total < 20 || o + total > d.length) return null;
      if ((u16(d, o + 6) & 0x3fff) !== 0) return null; // a fragment (MF or an offset)
      proto = d[o + 9]!;
      src = d.subarray(o + 12, o + 16);
      dst = d.subarray(o + 16, o + 20);
      l4 = o + 20;
      l4len = total - 20;
    } else if (version === 6) {
      if (o + 40 > d.length || d[o]! >> 4 !== 6) return null;
      const plen = u16(d, o + 4);
      if (plen === 0 || o + 40 + plen > d.length) return null; // jumbogram or cut
      proto = d[o + 6]!; // extension headers are not IPPROTO_TCP/UDP/ICMPV6: they fall back
      src = d.subarray(o + 8, o + 24);
      dst = d.subarray(o + 24, o + 40);
      l4 = o + 40;
      l4len = plen;
    } else return null;

    if (proto === IPPROTO_TCP) return this.tcp(f, d, src, dst, l4, l4len);
    if (proto === IPPROTO_UDP) return this.udp(f, d, src, dst, l4, l4len);
    if (proto === IPPROTO_ICMP && version === 4 && l4len >= 8 && ICMP_ECHO.has(d[l4]!)) return this.empty(f);
    if (proto === IPPROTO_ICMPV6 && version === 6 && l4len >= 8 && ICMPV6_ECHO.has(d[l4]!)) return this.empty(f);
    return null;
  }

  private tcp(f: FastFrame, d: Uint8Array, src: Uint8Array, dst: Uint8Array, o: number, len: number): PacketObservation | null {
    if (len < 20) return null;
    const hdrLen = (d[o + 12]! >> 4) * 4;
    // Below the minimum or longer than the segment: the dissector's malformed / no-length paths.
    if (hdrLen < 20 || hdrLen > len) return null;
    const facts: TcpSegmentFacts = {
      frame: f.number,
      time: f.ts.sec + f.ts.nsec / 1e9,
      netSrc: src.slice(),
      netDst: dst.slice(),
      srcPort: u16(d, o),
      dstPort: u16(d, o + 2),
      seq: u32(d, o + 4),
      ack: u32(d, o + 8),
      flags: u16(d, o + 12) & 0x0fff,
      window: u16(d, o + 14),
      len: len - hdrLen,
      capturedPayload: EMPTY,
      hdrLen,
      urgentPointer: u16(d, o + 18),
      options: hdrLen > 20 ? readTcpOptionFacts(d, o + 20, o + hdrLen) : {},
      haveSegLen: true,
      inErrorPacket: false,
    };
    const verdict = this.tracker.analyzeAt(facts, f.ts.sec, f.ts.nsec);
    const obs = this.empty(f);
    obs.tcp.push({ facts, verdict });
    return obs;
  }

  private udp(f: FastFrame, d: Uint8Array, src: Uint8Array, dst: Uint8Array, o: number, len: number): PacketObservation | null {
    if (len < 8) return null;
    const ulen = u16(d, o + 4);
    if (ulen < 8 || ulen > len) return null; // the dissector's bogus-length paths
    const srcPort = u16(d, o), dstPort = u16(d, o + 2);
    const time = f.ts.sec + f.ts.nsec / 1e9;
    const stream = udpStreamOf(this.capture, f.number, time, src, srcPort, dst, dstPort);
    const obs = this.empty(f);
    obs.udp.push({ src: formatAddr(src), dst: formatAddr(dst), srcPort, dstPort, stream });
    return obs;
  }

  private empty(f: FastFrame): PacketObservation {
    const time = f.ts.sec + f.ts.nsec / 1e9;
    const first = f.firstTs ?? f.ts;
    const relTime = f.ts.sec - first.sec + (f.ts.nsec - first.nsec) / 1e9;
    return { frame: f.number, time, relTime, frameLen: f.origLen, tcp: [], udp: [] };
  }
}

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}
