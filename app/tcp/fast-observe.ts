// The conversation and lifecycle commands' fast path. `synscope conv` and `synscope tcp` need,
// per packet, only what the TCP and UDP headers say (the tracker's facts, the UDP stream) —
// not the application layers, the columns or a tree, which are most of the ~15 µs a full
// dissection costs. For the packets whose layout the filter's fast path understands completely
// (app/filter/fast-fields.ts: Ethernet/VLAN, Linux cooked or raw IP, then IPv4 without options
// or fragmentation / IPv6 without extension headers, then one TCP or UDP header or a plain
// ICMP/ARP message, all captured) this reads the headers straight from the bytes and feeds the
// same tracker and the same UDP stream numbering the dissectors use. Anything else (tunnels,
// ICMP errors quoting a header, fragments, a cut or impossible length) returns null and the
// caller dissects that packet in full, in order, with
// the same CaptureState, so both paths share stream numbers. fast-observe.diff.test.ts checks
// that the observations are identical with and without the fast path on every corpus file.
import { udpStreamOf } from '../dissect/protocols/udp.js';
import { FastFieldSource } from '../filter/fast-fields.js';
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

const EMPTY = new Uint8Array(0);

export class FastObserver {
  /** The filter's fast path owns the header walk; this reads the offsets it found. */
  private readonly headers = new FastFieldSource();

  constructor(private readonly capture: CaptureState, private readonly tracker: TcpTracker) {}

  /** The packet's observation, or null when it must be dissected in full. */
  observe(f: FastFrame): PacketObservation | null {
    const h = this.headers;
    const d = f.data;
    if (d.length !== f.capLen || !h.decode(d, 0, f.capLen, f.origLen, f.linkType)) return null;
    // ARP, ICMP echo, ICMPv6 echo and neighbour discovery: nothing for the trackers.
    if (h.l4 !== 6 && h.l4 !== 17) return this.empty(f);
    const v6 = h.l3HdrLen === 40;
    const src = v6 ? d.subarray(h.l3Off + 8, h.l3Off + 24) : d.subarray(h.l3Off + 12, h.l3Off + 16);
    const dst = v6 ? d.subarray(h.l3Off + 24, h.l3Off + 40) : d.subarray(h.l3Off + 16, h.l3Off + 20);
    return h.l4 === 6 ? this.tcp(f, d, src, dst, h.l4Off, h.l4Len, h.tcpHdrLen) : this.udp(f, d, src, dst, h.l4Off);
  }

  /** A TCP header the walk accepted: 20 <= hdrLen <= len, all captured. */
  private tcp(f: FastFrame, d: Uint8Array, src: Uint8Array, dst: Uint8Array, o: number, len: number, hdrLen: number): PacketObservation {
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

  /** A UDP header the walk accepted: its length is sane and within the IP payload. */
  private udp(f: FastFrame, d: Uint8Array, src: Uint8Array, dst: Uint8Array, o: number): PacketObservation {
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
