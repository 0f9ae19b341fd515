// `synscope read FILE`'s summary line (or -T fields columns) for a packet that is nothing but
// headers down to a TCP segment whose payload no protocol takes: the pure ACKs, SYNs, FINs and
// RSTs that are half of a typical capture, and bulk data on ports nothing claims. Their columns
// are the IP addresses, "TCP", and a TCP Info that needs the tracker's verdict and the option
// list, nothing a dissection builds. A full dissection of one costs ~9 µs (contexts, windows,
// nodes the summary never shows); this reads the headers in place and costs ~2.
//
// It takes the packets the filter's fast path decodes completely (app/filter/fast-fields.ts:
// Ethernet/VLAN, Linux cooked or raw IP, IPv4 without options or fragments / IPv6 without
// extension headers, a whole TCP header, all captured) whose TCP payload is empty, except a FIN
// that ends a PDU waiting for the connection's close (dissectTcp hands that one to HTTP and
// the like), or goes to `data` (payloadGoesToData; a single pass only), or falls inside a PDU
// being reassembled without completing it (pendingPduOf: the body segments of a large HTTP
// response, collected here as dissectTcp collects them); and UDP datagrams whose
// payload no protocol takes (QUIC and other traffic on ports nothing claims). The same tracker
// and the same UDP stream numbering see every packet, in order, whichever path it takes.
//
// Every other TCP segment and UDP datagram the walk decodes (a payload HTTP, DNS, TLS... takes)
// is dissected from its transport up, unless the capture is revisited or the output needs more
// than the columns (a display filter on fields the walk does not give, -x's reassembled bytes):
// TCP's or UDP's dissector runs on the segment alone, in a context holding what Frame, Ethernet
// and IP would have left it (the frame, the columns, the endpoints, IP's TTL), and gives the
// Protocol and Info. Those layers keep nothing a summary line shows, and were a third of such
// a packet's dissection (~1.3 µs of ~4).
// summary-fast.diff.test.ts checks on every corpus capture, and on mutated headers and
// payloads, that read prints the same lines with and without it (and tshark's Info for UDP
// built for the case).
import { callProtocol, type Protocol } from '../dissect/dispatch.js';
import { infoColumn } from '../dissect/driver.js';
import { showException } from '../dissect/exception.js';
import { formatIPv4, formatIPv6At } from '../dissect/format.js';
import { ByteText } from './byte-text.js';
import { PacketContext, type CaptureState, type DissectOptions } from '../dissect/packet.js';
import {
  collectPendingSegment, finEndsPduAt, keepAliveRefused, OVERLAP_ERROR_INFO, payloadGoesToData, payloadStaysAtTcp, pendingPduOf, resentIntoReassembly, resendPlaceAt, SEGMENT_OF_PDU_INFO, tcpFlagsText, tcpOptionsInfo,
  tcpProtocol, TH_ACK, TH_FIN, TH_RST, TH_SYN, TH_URG,
  type PendingPdu,
} from '../dissect/protocols/tcp.js';
import { udpPayloadGoesToData, udpProtocol, udpStreamOf } from '../dissect/protocols/udp.js';
import { Tvb } from '../dissect/tvb.js';
import { FastFieldSource, fastPathCoversField } from '../filter/fast-fields.js';
import { fieldById } from '../dissect/field.js';
import { emptyTcpFacts, fillTcpFacts, netDstOf, netSrcOf, u16, u32 } from '../tcp/fast-observe.js';
import type { TcpTracker } from '../tcp/tracker.js';
import { emptyVerdict } from '../tcp/verdict-store.js';

const EMPTY = new Uint8Array(0);

/**
 * Every protocol whose fields a packet HeaderSummary takes may have in its dissection: the link
 * layers and IP versions the fast path walks, TCP or UDP, `data` for a payload no protocol
 * takes, and the frame's own (times, comments, expert notes). Checked on every corpus capture
 * (header-protocols.diff.test.ts).
 */
export const HEADER_PROTOCOLS: ReadonlySet<string> = new Set(['frame', 'pkt_comment', '_ws', 'eth', 'vlan', 'sll', 'raw', 'ip', 'ipv6', 'tcp', 'udp', 'data']);

/**
 * Whether a display filter reading `fields` is decided by the headers of a packet HeaderSummary
 * takes: each field is one the fast path decodes, or one of a protocol such a packet never has
 * (an application protocol's: absent there, as the fast path answers it). Then only the other
 * packets need a dissection for it.
 */
export function headersDecide(fields: Iterable<number>): boolean {
  for (const id of fields) if (!fastPathCoversField(id) && HEADER_PROTOCOLS.has(fieldById(id).proto)) return false;
  return true;
}

/** A context that records nothing (no tree, nothing wanted): a dissection from the transport up gives its Protocol and Info only. */
const SILENT: DissectOptions = { tree: false, wanted: null };

export class HeaderSummary {
  /**
   * Whether the last take()'s packet decoded (`headers` hold it), taken or not: a filter on
   * header fields reads them even for a packet that is dissected for its columns.
   */
  decoded = false;
  /** The headers of the packet take() took: its -T fields values (fast-fields.ts) once the caller set the frame fields. */
  readonly headers = new FastFieldSource();
  private readonly facts = emptyTcpFacts();
  /** The tracker's verdict, refilled for every segment taken (read at once). */
  private readonly verdict = emptyVerdict();
  /** tcpOptionsInfo's context: no tree, nothing wanted, so it records nothing. */
  private readonly silent: PacketContext;
  /** The columns columns() found. */
  src = '';
  dst = '';
  protocol = '';
  /** The Info column columns() wrote, as UTF-8 bytes. */
  readonly infoBytes = new ByteText();
  /** What the Info of the TCP segment take() took last ends with. (`headers` still holds its decode.) */
  private infoSuffix = '';
  /**
   * The Info of the packet take() took last when it was dissected from the transport up (null:
   * it was not): a string, as a dissection makes it, which columns() leaves out of infoBytes.
   */
  dissectedInfo: string | null = null;
  private dissectedProtocol = '';

  /**
   * `payloads`: segments and datagrams whose payload a protocol takes are taken too, dissected
   * from the transport up (false: a display filter reads fields the headers do not give, -x
   * shows reassembled bytes).
   */
  constructor(private readonly capture: CaptureState, private readonly tracker: TcpTracker, private readonly payloads = true) {
    const frame = { number: 0, ts: { sec: 0, nsec: 0 }, capLen: 0, origLen: 0, linkType: 1, data: EMPTY };
    this.silent = new PacketContext(frame, capture, SILENT);
  }

  /**
   * What a dissection of the record buf[start, start + capLen) would do to the capture's state
   * (the tracker, reassembly, UDP streams), and true; or false, with nothing changed (the tracker
   * has not seen it), when it must be dissected. The columns are left to columns(), for a packet
   * that is printed: a filter may drop it first.
   */
  take(buf: Uint8Array, start: number, capLen: number, origLen: number, linkType: number, frame: number, sec: number, nsec: number): boolean {
    const h = this.headers;
    this.decoded = h.decode(buf, start, capLen, origLen, linkType);
    if (!this.decoded || h.f5Trailer) return false;
    this.dissectedInfo = null;
    if (h.l4 === 17) return this.udpDatagram(buf, start, capLen, origLen, linkType, frame, sec, nsec);
    if (h.l4 !== 6) return false;
    const hdrLen = h.tcpHdrLen;
    const segLen = h.l4Len - hdrLen;
    const o = h.base + h.l4Off;
    const flags = u16(buf, o + 12) & 0x0fff;
    let pdu: PendingPdu | null = null;
    if (segLen > 0) {
      // A payload some protocol may take decides the columns: dissect it. (Single pass only:
      // a pass that revisits records every such segment for later.) A segment in the middle of
      // a PDU being reassembled is TCP's, as is one whose payload goes to `data`.
      if (this.capture.revisits) return false;
      if ((flags & (TH_SYN | TH_RST)) !== 0) return this.fromTransport(tcpProtocol, buf, start, capLen, origLen, linkType, frame, sec, nsec);
      const src = netSrcOf(h, buf), srcPort = u16(buf, o), dst = netDstOf(h, buf), dstPort = u16(buf, o + 2);
      pdu = pendingPduOf(this.capture, src, srcPort, dst, dstPort, u32(buf, o + 4), segLen, (flags & TH_FIN) !== 0);
      if (!pdu && !payloadGoesToData(this.capture, src, srcPort, dst, dstPort, new Tvb(buf, o + hdrLen, segLen, segLen), this.silent)) {
        return this.fromTransport(tcpProtocol, buf, start, capLen, origLen, linkType, frame, sec, nsec);
      }
    } else if ((flags & TH_FIN) !== 0 && finEndsPduAt(this.capture, frame, netSrcOf(h, buf), u16(buf, o), netDstOf(h, buf), u16(buf, o + 2))) {
      return !this.capture.revisits && this.fromTransport(tcpProtocol, buf, start, capLen, origLen, linkType, frame, sec, nsec);
    }
    // Taken: the tracker sees it now.
    const f = this.facts;
    fillTcpFacts(f, h, buf, frame, sec, nsec);
    const v = this.tracker.analyzeAt(f, sec, nsec, this.verdict);
    this.infoSuffix = '';
    // Any segment of a pending PDU is collected into it, unless its payload stays at TCP.
    if (pdu && !payloadStaysAtTcp(v.flags, true, f.seq === pdu.nextSeq)) {
      collectPendingSegment(pdu, buf.subarray(o + hdrLen, o + hdrLen + segLen), f.seq, frame);
      this.infoSuffix = SEGMENT_OF_PDU_INFO;
    } else if (segLen > 0 && v.flags.keep_alive === true && !v.flags.retransmission &&
        keepAliveRefused(this.capture, f.netSrc, f.srcPort, f.netDst, f.dstPort, f.seq, buf.subarray(o + hdrLen, o + hdrLen + segLen))) {
      // As dissectTcp's keepAliveBytes: reassembly refuses a keep-alive byte that contradicts a PDU.
      this.infoSuffix = OVERLAP_ERROR_INFO;
    } else if (segLen > 0 && resentIntoReassembly(v.flags) &&
        resendPlaceAt(this.capture, f.netSrc, f.srcPort, f.netDst, f.dstPort, f.seq, segLen) === 'inside-reassembled') {
      // As dissectTcp: reassembly refuses an out-of-order segment or fast retransmission into a PDU it reassembled.
      this.infoSuffix = OVERLAP_ERROR_INFO;
    }
    return true;
  }

  /**
   * The columns of the packet take() took last (its buffer not reused yet): src, dst, protocol,
   * and, unless `withInfo` is false (-T fields without _ws.col.Info), the Info as bytes in
   * infoBytes (`info` as a string) — but for a packet dissected from the transport up, whose
   * Info is dissectedInfo.
   */
  columns(withInfo = true): void {
    const h = this.headers, buf = h.buf;
    const o = h.base + h.l4Off;
    const t = this.infoBytes;
    t.reset();
    if (this.dissectedInfo !== null) this.protocol = this.dissectedProtocol;
    else if (!withInfo) this.protocol = h.l4 === 17 ? 'UDP' : 'TCP';
    else if (h.l4 === 17) {
      const srcPort = u16(buf, o), dstPort = u16(buf, o + 2), ulen = u16(buf, o + 4);
      const illegalChecksum = h.l3HdrLen === 40 && buf[o + 6] === 0 && buf[o + 7] === 0;
      this.protocol = 'UDP';
      t.num(srcPort);
      t.arrow();
      t.num(dstPort);
      t.str(' Len=');
      t.num(ulen - 8);
      if (illegalChecksum) t.str(' [ILLEGAL CHECKSUM (0)]');
    } else {
      const f = this.facts, v = this.verdict;
      const hdrLen = f.hdrLen, flags = f.flags;
      // dissectTcp's Info, in its order: the prefix, ports, flags and numbers (tcpSeqInfo's
      // text), Urg, Len, the options, then what follows.
      t.str(v.infoPrefix);
      t.num(f.srcPort);
      t.arrow();
      t.num(f.dstPort);
      t.str(' [');
      t.str(tcpFlagsText(flags, v.ace));
      t.str('] Seq=');
      t.num(v.seq);
      if (flags & TH_ACK) {
        t.str(' Ack=');
        t.num(v.ack);
      }
      t.str(' Win=');
      t.num(flags & TH_SYN ? f.window : v.windowSize);
      if (flags & TH_URG) {
        t.str(' Urg=');
        t.num(f.urgentPointer);
      }
      t.str(' Len=');
      t.num(f.len);
      if (hdrLen > 20 && !plainOptionsInfo(buf, o + 20, o + hdrLen, t)) {
        // SACK edges relative to the peer's initial sequence number, as dissectTcp prints them.
        const ackBase = flags & TH_ACK ? (f.ack - v.ack) >>> 0 : null;
        t.str(tcpOptionsInfo(new Tvb(buf, o, hdrLen, hdrLen), ackBase, this.silent));
      }
      this.protocol = 'TCP';
      t.str(this.infoSuffix);
    }
    // A packet dissected from the transport up has its addresses already (fromTransport).
    if (this.dissectedInfo === null) this.addresses(buf, h);
  }

  /** The Info of the packet columns() was called for, as a string. */
  get info(): string {
    return this.dissectedInfo ?? this.infoBytes.text();
  }

  /**
   * The tracker's part of take() alone, for a packet whose line is not printed and whose
   * connection's later lines need nothing else (stream-needs.ts's TRACK): a TCP header goes to
   * the tracker, anything else the headers decode is passed over. False, with nothing done,
   * when the headers do not decode: the packet must be dissected.
   */
  track(buf: Uint8Array, start: number, capLen: number, origLen: number, linkType: number, frame: number, sec: number, nsec: number): boolean {
    const h = this.headers;
    if (!h.decode(buf, start, capLen, origLen, linkType)) return false;
    if (h.l4 !== 6) return true;
    fillTcpFacts(this.facts, h, buf, frame, sec, nsec);
    this.tracker.analyzeAt(this.facts, sec, nsec, this.verdict);
    return true;
  }

  /**
   * A UDP datagram (the walk checked 8 <= length <= IP payload) whose payload no protocol
   * takes: numbered into its udp.stream as dissectUdp numbers it (columns() gives its Info).
   * One whose payload a protocol takes is dissected from UDP up.
   */
  private udpDatagram(buf: Uint8Array, start: number, capLen: number, origLen: number, linkType: number, frame: number, sec: number, nsec: number): boolean {
    const h = this.headers;
    const o = h.base + h.l4Off;
    const srcPort = u16(buf, o), dstPort = u16(buf, o + 2);
    const ulen = u16(buf, o + 4);
    // A heuristic may ask the addresses and ports (QUIC: a pair of endpoints it has seen).
    const e = this.silent.endpoints;
    e.netSrc = netSrcOf(h, buf);
    e.netDst = netDstOf(h, buf);
    e.srcPort = srcPort;
    e.dstPort = dstPort;
    const toData = udpPayloadGoesToData(srcPort, dstPort, new Tvb(buf, o + 8, ulen - 8, ulen - 8), this.silent);
    // (Not left for the next packet's questions, a TCP segment's among them.)
    e.netSrc = e.netDst = e.srcPort = e.dstPort = undefined;
    if (!toData) {
      return !this.capture.revisits && this.fromTransport(udpProtocol, buf, start, capLen, origLen, linkType, frame, sec, nsec);
    }
    udpStreamOf(this.capture, frame, sec, nsec, netSrcOf(h, buf), srcPort, netDstOf(h, buf), dstPort, ulen > 8);
    return true;
  }

  /**
   * The dissection of the packet `headers` decoded from its transport (TCP or UDP) up, in a
   * context holding what Frame, Ethernet and IP leave it: the frame, the columns, the endpoints
   * (IP's views of the addresses), IP's TTL. Its Protocol and Info (the driver's note for an
   * exception, the Info cut as the driver cuts it) are the packet's columns. False, with
   * nothing done, when `payloads` is off.
   */
  private fromTransport(transport: Protocol, buf: Uint8Array, start: number, capLen: number, origLen: number, linkType: number, frame: number, sec: number, nsec: number): boolean {
    if (!this.payloads) return false;
    const h = this.headers;
    // The frame's bytes and the windows on them as the layers below would make them (a protocol
    // may tell the frame's bytes from reassembled ones by identity).
    const data = buf.subarray(start, start + capLen);
    const ctx = new PacketContext({ number: frame, ts: { sec, nsec }, capLen, origLen, linkType, data }, this.capture, SILENT);
    this.addresses(buf, h);
    const l3 = h.base - start + h.l3Off, v6 = h.l3HdrLen === 40;
    ctx.src = this.src;
    ctx.dst = this.dst;
    ctx.endpoints = {
      src: this.src, dst: this.dst,
      netSrc: v6 ? data.subarray(l3 + 8, l3 + 24) : data.subarray(l3 + 12, l3 + 16),
      netDst: v6 ? data.subarray(l3 + 24, l3 + 40) : data.subarray(l3 + 16, l3 + 20),
    };
    ctx.scratch['ip.ttl'] = data[l3 + (v6 ? 7 : 8)];
    ctx.protocol = v6 ? 'IPv6' : 'IPv4';
    try {
      callProtocol(transport, new Tvb(data, h.base - start + h.l4Off, h.l4Len, h.l4Len), ctx, null);
    } catch (e) {
      showException(ctx, e);
    }
    this.dissectedProtocol = ctx.protocol;
    this.dissectedInfo = infoColumn(ctx.info);
    return true;
  }

  private addresses(buf: Uint8Array, h: FastFieldSource): void {
    const o = h.base + h.l3Off;
    if (h.l3HdrLen === 40) {
      this.src = formatIPv6At(buf, o + 8);
      this.dst = formatIPv6At(buf, o + 24);
    } else {
      this.src = formatIPv4(u32(buf, o + 12));
      this.dst = formatIPv4(u32(buf, o + 16));
    }
  }
}

/**
 * The Info text of the options almost every segment carries, written straight into `t`: NOP,
 * EOL, MSS, window scale, SACK permitted and timestamps, each of its standard length and inside
 * the header (a SYN's "MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128", then "TSval=2 TSecr=1"),
 * as dissectTcpOptions writes them. False, with `t` as it was, for anything else (SACK blocks,
 * other kinds, odd lengths): tcpOptionsInfo's walk has the rules for those.
 */
function plainOptionsInfo(b: Uint8Array, from: number, end: number, t: ByteText): boolean {
  const mark = t.len;
  let o = from;
  while (o < end) {
    const kind = b[o]!;
    if (kind <= 1) {
      o++;
      continue;
    }
    const len = o + 1 < end ? b[o + 1]! : 0;
    if (kind === 2 && len === 4 && o + 4 <= end) {
      t.str(' MSS=');
      t.num(u16(b, o + 2));
    } else if (kind === 3 && len === 3 && o + 3 <= end) {
      // RFC 7323 2.3: a shift above 14 is used as 14.
      t.str(' WS=');
      t.num(1 << Math.min(b[o + 2]!, 14));
    } else if (kind === 4 && len === 2) {
      t.str(' SACK_PERM');
    } else if (kind === 8 && len === 10 && o + 10 <= end) {
      t.str(' TSval=');
      t.num(u32(b, o + 2));
      t.str(' TSecr=');
      t.num(u32(b, o + 6));
    } else {
      t.truncate(mark);
      return false;
    }
    o += len;
  }
  return true;
}
