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
import { portOpensConversations } from '../dissect/dispatch.js';
import { udpStreamOf } from '../dissect/protocols/udp.js';
import { announcedBefore } from '../dissect/conversation.js';
import { FastFieldSource } from '../filter/fast-fields.js';
import type { CaptureState } from '../dissect/packet.js';
import { readTcpOptionFacts, type TcpSegmentFacts, type TcpSegmentVerdict } from '../dissect/tcp-hook.js';
import { secondsBetween, type AbsTime } from '../dissect/tree.js';
import type { PacketObservation } from './report.js';
import { emptyVerdict } from './verdict-store.js';
import { formatAddr } from './address-table.js';
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
  /** The packet's bytes: data[start, start + capLen), or all of data when start is absent. */
  data: Uint8Array;
  /** Where the packet starts in `data` (a reader's chunk: no view is cut for it). */
  start?: number;
}

const EMPTY = new Uint8Array(0);

/**
 * What a pass does with the headers the fast path decoded, before the next packet is read: the
 * facts object, its addresses, the verdict and the frame are reused for the next packet.
 */
export interface FastSink {
  tcp(facts: TcpSegmentFacts, verdict: TcpSegmentVerdict): void;
  udp(src: Uint8Array, srcPort: number, dst: Uint8Array, dstPort: number, stream: number): void;
}

export class FastObserver {
  /** The filter's fast path owns the header walk; this reads the offsets it found. */
  private readonly headers = new FastFieldSource();
  /** The facts and verdict feed() hands out, refilled for every TCP header. */
  private readonly facts = emptyTcpFacts();
  private readonly verdict = emptyVerdict();

  constructor(private readonly capture: CaptureState, private readonly tracker: TcpTracker) {}

  /** The packet's observation, or null when it must be dissected in full. */
  observe(f: FastFrame): PacketObservation | null {
    let obs: PacketObservation | null = null;
    const ok = this.feed(f, {
      tcp: (facts, verdict) => {
        obs = observation(f);
        obs.tcp.push({ facts: { ...facts, netSrc: facts.netSrc.slice(), netDst: facts.netDst.slice(), options: { ...facts.options } }, verdict: { ...verdict } });
      },
      udp: (src, srcPort, dst, dstPort, stream) => {
        obs = observation(f);
        obs.udp.push({ src: src.slice(), dst: dst.slice(), srcPort, dstPort, stream });
      },
    });
    if (!ok) return null;
    // ARP, ICMP echo, ICMPv6 echo and neighbour discovery: nothing for the trackers.
    const o: PacketObservation = obs ?? observation(f);
    const ip = { src: EMPTY, dst: EMPTY };
    if (this.ipAddresses(ip)) o.ipTaps = [formatAddr(ip.src), formatAddr(ip.dst)];
    return o;
  }

  /**
   * The network source and destination of the packet feed() last took into `to`, or false when
   * it has none (ARP): netSrcOf/netDstOf's buffers, which the next packet overwrites.
   */
  ipAddresses(to: { src: Uint8Array; dst: Uint8Array }): boolean {
    const h = this.headers;
    if (!h.isIp) return false;
    to.src = netSrcOf(h, h.buf);
    to.dst = netDstOf(h, h.buf);
    return true;
  }

  /** Decodes the frame's headers into `headers`; false when the fast path does not read them (or the frame's bytes are not all there). */
  private decode(f: FastFrame): boolean {
    const d = f.data;
    const start = f.start ?? 0;
    return (f.start === undefined ? d.length === f.capLen : start + f.capLen <= d.length) && this.headers.decode(d, start, f.capLen, f.origLen, f.linkType);
  }

  /**
   * The TCP facts of a packet feed() took before, with the verdict the tracker stored for it
   * then and the segment's payload bytes, given to `sink` without analysing anything again (a
   * connection's ladder, drawn from the pre-pass before the full pass got there). False, with
   * nothing given, when the headers are not one plain TCP header or the tracker has no verdict
   * for the frame.
   */
  replay(f: FastFrame, sink: (facts: TcpSegmentFacts, verdict: TcpSegmentVerdict, payload: Uint8Array) => void): boolean {
    const h = this.headers;
    const d = f.data;
    if (!this.decode(f) || h.l4 !== 6) return false;
    const verdict = this.tracker.verdictOf(f.number);
    if (!verdict) return false;
    const facts = this.facts;
    fillTcpFacts(facts, h, d, f.number, f.ts.sec, f.ts.nsec);
    // The payload as captured: the snaplen may have cut it short of tcp.len.
    const at = h.base + h.l4Off + facts.hdrLen;
    sink(facts, verdict, d.subarray(at, Math.min(at + facts.len, (f.start ?? 0) + f.capLen)));
    return true;
  }

  /**
   * observe() without building an observation: the packet's TCP or UDP header goes to `sink`
   * (nothing for ARP, ICMP echo, neighbour discovery). False when the packet must be dissected
   * in full.
   */
  feed(f: FastFrame, sink: FastSink): boolean {
    const h = this.headers;
    const d = f.data;
    if (!this.decode(f)) return false;
    if (h.l4 !== 6 && h.l4 !== 17) return true;
    if (h.l4 === 6) {
      const facts = this.facts;
      const o = h.base + h.l4Off;
      // FTP's control connection announces data connections: dissect it.
      if (portOpensConversations('tcp.port', u16(d, o), u16(d, o + 2))) return false;
      fillTcpFacts(facts, h, d, f.number, f.ts.sec, f.ts.nsec);
      facts.announced = announcedBefore(this.capture, f.number, facts.netSrc, facts.srcPort, facts.netDst, facts.dstPort);
      sink.tcp(facts, this.tracker.analyzeAt(facts, f.ts.sec, f.ts.nsec, this.verdict));
      return true;
    }
    // A UDP header the walk accepted: its length is sane and within the IP payload.
    const o = h.base + h.l4Off;
    const srcPort = u16(d, o), dstPort = u16(d, o + 2);
    // A payload protocol that opens conversations changes the numbering: dissect it.
    if (portOpensConversations('udp.port', srcPort, dstPort)) return false;
    const src = netSrcOf(h, d), dst = netDstOf(h, d);
    const stream = udpStreamOf(this.capture, f.number, f.ts.sec, f.ts.nsec, src, srcPort, dst, dstPort, u16(d, o + 4) > 8);
    sink.udp(src, srcPort, dst, dstPort, stream);
    return true;
  }
}

/** A facts object for fillTcpFacts to refill (one per pass: the tracker keeps none of it). */
export function emptyTcpFacts(): TcpSegmentFacts {
  return {
    frame: 0, time: 0, netSrc: EMPTY, netDst: EMPTY, srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, len: 0,
    hdrLen: 20, urgentPointer: 0, options: { mss: undefined, wscale: undefined, sackPerm: undefined, tsval: undefined, tsecr: undefined, sack: undefined, accEcn: undefined }, haveSegLen: true, inErrorPacket: false,
    announced: false,
  };
}

/**
 * The tracker's facts of the TCP header `h` decoded in `buf` (what dissectTcp would hand it):
 * `h` accepted a whole TCP header (20 <= hdrLen <= len, all captured). The addresses are
 * netSrcOf/netDstOf's copies; `h` decoded `buf` at h.base.
 */
export function fillTcpFacts(facts: TcpSegmentFacts, h: FastFieldSource, buf: Uint8Array, frame: number, sec: number, nsec: number): void {
  const o = h.base + h.l4Off;
  const hdrLen = h.tcpHdrLen;
  facts.frame = frame;
  facts.time = sec + nsec / 1e9;
  facts.netSrc = netSrcOf(h, buf);
  facts.netDst = netDstOf(h, buf);
  facts.srcPort = u16(buf, o);
  facts.dstPort = u16(buf, o + 2);
  facts.seq = u32(buf, o + 4);
  facts.ack = u32(buf, o + 8);
  facts.flags = u16(buf, o + 12) & 0x0fff;
  facts.window = u16(buf, o + 14);
  facts.len = h.l4Len - hdrLen;
  facts.hdrLen = hdrLen;
  facts.urgentPointer = u16(buf, o + 18);
  // Refilled in place, like the rest of the facts (no options: every field undefined).
  readTcpOptionFacts(buf, o + 20, o + hdrLen, facts.options);
}

/**
 * The network source / destination address of a packet the walk accepted in `buf` (decoded at
 * h.base), copied into a buffer of the module's that the next call with the same end (source or
 * destination) and family overwrites: keep a copy (slice) of what you keep. Four or sixteen
 * bytes copied cost a fraction of a new view (two per packet were ~0.2 s of a million packets).
 */
export function netSrcOf(h: FastFieldSource, buf: Uint8Array): Uint8Array {
  const o = h.base + h.l3Off;
  return h.l3HdrLen === 40 ? copyAddr(SRC6, buf, o + 8) : copyAddr(SRC4, buf, o + 12);
}

export function netDstOf(h: FastFieldSource, buf: Uint8Array): Uint8Array {
  const o = h.base + h.l3Off;
  return h.l3HdrLen === 40 ? copyAddr(DST6, buf, o + 24) : copyAddr(DST4, buf, o + 16);
}

const SRC4 = new Uint8Array(4), DST4 = new Uint8Array(4), SRC6 = new Uint8Array(16), DST6 = new Uint8Array(16);

function copyAddr(to: Uint8Array, buf: Uint8Array, o: number): Uint8Array {
  for (let i = 0; i < to.length; i++) to[i] = buf[o + i]!;
  return to;
}

function observation(f: FastFrame): PacketObservation {
  const time = f.ts.sec + f.ts.nsec / 1e9;
  const first = f.firstTs ?? f.ts;
  const relTime = secondsBetween(f.ts, first);
  return { frame: f.number, time, relTime, frameLen: f.origLen, tcp: [], udp: [] };
}

/** A big-endian 16-bit field at d[o]. */
export function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

/** A big-endian 32-bit field at d[o]. */
export function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}
