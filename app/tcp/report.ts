// The `synscope conv` and `synscope tcp` commands' engine: the conversations table (tshark's
// `-z conv,tcp` / `-z conv,udp` columns plus handshake RTT, who closed first and the end state)
// and the per-connection lifecycle report (JSON lines, or a ladder for the terminal) with the
// health alerts. Both consume PacketObservation records, one per packet, which PacketObserver
// builds from the real pipeline (reader → dissect() → TCP dissector → tracker).
import { AsciiBlock } from './ascii-block.js';
import { CaptureState, dissect, type Dissection, type DissectOptions, type FrameInput } from '../dissect/driver.js';
import { fieldByName } from '../dissect/field.js';
import type { PacketContext } from '../dissect/packet.js';
import { attachTcpAnalyzer, type TcpAnalyzer, type TcpSegmentFacts, type TcpSegmentVerdict } from '../dissect/tcp-hook.js';
import { openCaptureFile } from '../file/reader.js';
import { secondsBetween, type AbsTime, type FieldNode } from '../dissect/tree.js';
import { TcpHealth, type TcpAlert } from './alerts.js';
import { completenessSentence, MAX_FORGOTTEN_SUMMARIES, noteWords, type ConnectionLifecycle, type LifecycleOptions, TCP_STATES } from './lifecycle.js';
import { AddressTable, sameBytes } from './address-table.js';
import { FastObserver, type FastFrame, type FastSink } from './fast-observe.js';
import { RecordSlot } from '../file/slot.js';
import { createTcpTracker } from './tracker.js';

export interface TcpObservation {
  facts: TcpSegmentFacts;
  verdict: TcpSegmentVerdict;
  /** The TCP dissector stopped on an exception in this header (tshark's tap never saw it). */
  untapped?: boolean;
}

/** One UDP header that tshark's conv,udp tap would count. */
export interface UdpObservation {
  /** 4 or 16 bytes (a copy: it may outlive the packet's buffer). */
  src: Uint8Array;
  dst: Uint8Array;
  srcPort: number;
  dstPort: number;
  stream: number;
}

/** What the conv/tcp commands need to know about one packet. */
export interface PacketObservation {
  frame: number;
  /** Seconds since the epoch, and since the capture's first packet (frame.time_relative). */
  time: number;
  relTime: number;
  /** frame.len (the tap counts the original length). */
  frameLen: number;
  /** Whether the display filter (-Y) kept this packet; absent = kept. */
  matched?: boolean;
  tcp: TcpObservation[];
  udp: UdpObservation[];
}

/** Wraps the tracker and remembers every (facts, verdict) pair of the packet being dissected. */
class RecordingAnalyzer implements TcpAnalyzer {
  pending: TcpObservation[] = [];
  constructor(private readonly inner: TcpAnalyzer) {}
  analyze(facts: TcpSegmentFacts, ctx: PacketContext): TcpSegmentVerdict {
    const verdict = this.inner.analyze(facts, ctx);
    // The payload view may point into a reused read buffer: do not keep it.
    // Packet bytes are views into the reader's buffer, valid only until the next record: keep copies.
    this.pending.push({ facts: { ...facts, netSrc: facts.netSrc.slice(), netDst: facts.netDst.slice(), options: { ...facts.options } }, verdict });
    return verdict;
  }
}
const EMPTY = new Uint8Array(0);

/** ip.src / ipv6.src as a field value (an IPv4 address is a number) to bytes. */
function addrBytes(v: unknown): Uint8Array {
  if (typeof v === 'number') return Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  if (v instanceof Uint8Array) return v.slice();
  return new Uint8Array(0);
}

/**
 * Turns dissections into PacketObservations. attach() replaces prepareCapture(): it installs
 * the tracker (wrapped so the facts are recorded). `wanted` lists the field ids the UDP part
 * needs when the dissection builds no tree (merge them into DissectOptions.wanted).
 */
export class PacketObserver {
  private readonly recorder: RecordingAnalyzer;
  readonly wanted: ReadonlySet<number>;
  private readonly ids: { ipSrc: number; ipDst: number; ip6Src: number; ip6Dst: number; udpSrc: number; udpDst: number; udpStream: number };

  constructor(analyzer: TcpAnalyzer = createTcpTracker()) {
    this.recorder = new RecordingAnalyzer(analyzer);
    const id = (n: string) => {
      const f = fieldByName(n);
      if (!f) throw new Error(`field ${n} is not registered`);
      return f.id;
    };
    this.ids = {
      ipSrc: id('ip.src'), ipDst: id('ip.dst'), ip6Src: id('ipv6.src'), ip6Dst: id('ipv6.dst'),
      udpSrc: id('udp.srcport'), udpDst: id('udp.dstport'), udpStream: id('udp.stream'),
    };
    this.wanted = new Set(Object.values(this.ids));
  }

  attach(capture: CaptureState): void {
    attachTcpAnalyzer(capture, this.recorder);
  }

  /** Call once after each dissect() of the capture this observer is attached to. */
  observe(d: Dissection, matched = true): PacketObservation {
    const f = d.frame;
    const time = f.ts.sec + f.ts.nsec / 1e9;
    const first = f.firstTs ?? f.ts;
    const relTime = secondsBetween(f.ts, first);
    const tcp = this.recorder.pending;
    this.recorder.pending = [];
    const obs: PacketObservation = { frame: f.number, time, relTime, frameLen: f.origLen, tcp, udp: [] };
    if (!matched) obs.matched = false;
    // An exception inside the TCP header (options cut by the snaplen, impossible lengths) stops
    // packet-tcp.c before tap_queue_packet: tshark's conversation table does not count it.
    if ((d.truncated || d.malformed) && d.ctx.currentProto === 'tcp' && tcp.length) tcp[tcp.length - 1]!.untapped = true;
    if (d.layers.includes('udp')) {
      this.collectUdp(d.roots.length ? d.roots : d.flat, obs.udp);
      // A UDP header quoted in an ICMP error is not tapped by tshark (its conv table leaves it
      // out): drop the ones that come after an icmp/icmpv6 layer.
      const errAt = d.layers.findIndex((l) => l === 'icmp' || l === 'icmpv6');
      if (errAt >= 0) {
        let k = 0;
        const keep = d.layers.map((l, i) => (l === 'udp' ? [i < errAt, k++] : null)).filter((x) => x !== null) as Array<[boolean, number]>;
        obs.udp = obs.udp.filter((_, i) => keep[i]?.[0] ?? false);
      }
    }
    return obs;
  }

  private collectUdp(nodes: readonly FieldNode[], out: UdpObservation[]): void {
    let src: Uint8Array = EMPTY, dst: Uint8Array = EMPTY, sp = -1, dp = -1;
    const ids = this.ids;
    const visit = (list: readonly FieldNode[]) => {
      for (const n of list) {
        const id = n.field.id;
        if (id === ids.ipSrc || id === ids.ip6Src) src = addrBytes(n.value);
        else if (id === ids.ipDst || id === ids.ip6Dst) dst = addrBytes(n.value);
        else if (id === ids.udpSrc) sp = Number(n.value);
        else if (id === ids.udpDst) dp = Number(n.value);
        else if (id === ids.udpStream && sp >= 0) out.push({ src, dst, srcPort: sp, dstPort: dp, stream: Number(n.value) });
        if (n.children) visit(n.children);
      }
    };
    visit(nodes);
  }
}

export interface ObserveOptions {
  /** The display filter (-Y): packets it rejects still feed the tracker but are marked. */
  match?: (d: Dissection) => boolean;
  /** Field ids the filter needs (merged with the observer's). */
  wanted?: ReadonlySet<number>;
  /** Build full trees (needed when `match` reads roots). */
  tree?: boolean;
  /** false: dissect every packet in full (the fast path's differential test). Default true. */
  fast?: boolean;
  /** Called when the file turns out damaged; the packets before the damage were yielded. */
  onError?: (e: unknown) => void;
  /**
   * false: the tracker skips tcp_analyze_sequence_number (TcpTrackerOptions): every verdict's
   * analysis flags are clear. For output that shows none of them. Default true.
   */
  sequenceAnalysis?: boolean;
}

/** Reads a capture file through the real pipeline and yields one observation per packet. */
export async function* observeCapture(path: string, o: ObserveOptions = {}): AsyncGenerator<PacketObservation> {
  for await (const batch of observeCaptureBatches(path, o)) yield* batch;
}

/** Observations per batch: one await per batch, not per packet; small enough that a batch dies young (no old-generation GC). */
const BATCH = 256;

/**
 * Where the packets the fast path decodes go instead of an observation each (a pass that counts
 * and keeps nothing of the packet). `packet` is filled before tcp()/udp() are called.
 */
export interface DirectSink extends FastSink {
  readonly packet: { frame: number; relTime: number; frameLen: number };
}

/**
 * observeCapture in batches (the same observations, in order). With `direct`, the packets the
 * fast path decodes go to it and are not in the batches.
 */
export async function* observeCaptureBatches(path: string, o: ObserveOptions = {}, direct: DirectSink | null = null): AsyncGenerator<PacketObservation[]> {
  // Observations keep copies of what they need: one record object serves every packet.
  const reader = openCaptureFile(path, { customBlocks: true, reuseRecord: true });
  // One pass in capture order that never dissects a frame twice (as `synscope read`'s): nothing
  // keeps per-frame answers for a revisit.
  const capture = new CaptureState({ revisits: false });
  const tracker = createTcpTracker({ sequenceAnalysis: o.sequenceAnalysis !== false, revisits: false });
  const observer = new PacketObserver(tracker);
  observer.attach(capture);
  // Without a filter nothing needs the dissection itself: plain packets take the fast path.
  const fast = o.match || o.tree || o.fast === false ? null : new FastObserver(capture, tracker);
  const wanted = new Set<number>(observer.wanted);
  if (o.wanted) for (const id of o.wanted) wanted.add(id);
  const opts: DissectOptions = o.tree ? { tree: true } : { tree: false, wanted };
  let firstTs: AbsTime | undefined;
  let n = 0;
  let batch: PacketObservation[] = [];
  // The direct sink's packets are read in place: one frame object, the record's bytes where the
  // reader holds them; the times of the previous packet as numbers until a dissection needs them.
  const fastFrame: FastFrame = { number: 0, ts: { sec: 0, nsec: 0 }, linkType: 0, capLen: 0, origLen: 0, data: EMPTY, start: 0 };
  let prevSec = 0, prevNsec = 0;
  try {
    for (;;) {
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
      let rec;
      try {
        rec = reader.next();
        if (rec instanceof Promise) rec = await rec;
      } catch (e) {
        // A damaged file: keep what was read before the damage (as tshark does), tell the caller.
        if (o.onError) o.onError(e);
        break;
      }
      if (rec === null) break;
      n++;
      const sec = rec.ts.sec, nsec = rec.ts.nsec;
      if (!firstTs) firstTs = { sec, nsec };
      if (direct && fast && rec.pen === undefined) {
        const p = direct.packet;
        fastFrame.number = n;
        fastFrame.ts.sec = sec;
        fastFrame.ts.nsec = nsec;
        fastFrame.firstTs = firstTs;
        fastFrame.linkType = rec.linkType;
        fastFrame.capLen = rec.capLen;
        fastFrame.origLen = rec.origLen;
        if (rec instanceof RecordSlot) {
          fastFrame.data = rec.buf;
          fastFrame.start = rec.start;
        } else {
          fastFrame.data = rec.data;
          fastFrame.start = undefined;
        }
        p.frame = n;
        p.relTime = secondsBetween(fastFrame.ts, firstTs);
        p.frameLen = rec.origLen;
        if (fast.feed(fastFrame, direct)) {
          prevSec = sec;
          prevNsec = nsec;
          continue;
        }
      }
      const ts: AbsTime = { sec, nsec };
      const prevTs = n > 1 ? { sec: prevSec, nsec: prevNsec } : undefined;
      const frame: FrameInput = { number: n, ts, capLen: rec.capLen, origLen: rec.origLen, linkType: rec.linkType, data: rec.data, firstTs, prevTs };
      if (rec.pen !== undefined) frame.customBlock = { pen: rec.pen, copy: rec.blockType === 0xbad };
      prevSec = sec;
      prevNsec = nsec;
      const quick = direct ? null : fast?.observe(frame) ?? null;
      if (quick) {
        batch.push(quick);
        continue;
      }
      const d = dissect(frame, capture, opts);
      batch.push(observer.observe(d, o.match ? o.match(d) : true));
      // The direct sink has counted every packet before this one: it goes out now, in order.
      if (direct) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  } finally {
    reader.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Conversations

export interface ConvRow {
  proto: 'tcp' | 'udp';
  /** tcp.stream / udp.stream. */
  stream: number;
  /** A = the source of the conversation's first packet (tshark's conversation_table). */
  addrA: string;
  portA: number;
  addrB: string;
  portB: number;
  /** B→A ("<-") and A→B ("->"). */
  framesBA: number;
  bytesBA: number;
  framesAB: number;
  bytesAB: number;
  /** frame.time_relative of the first packet and last - first (seconds). */
  relStart: number;
  duration: number;
  /** TCP only, from the lifecycle. */
  handshakeRtt?: number;
  closedFirstBy?: 'A' | 'B';
  end?: string;
}

export interface ConvTable {
  tcp: ConvRow[];
  udp: ConvRow[];
}

/** What the conversation counts need of a packet (a PacketObservation is one). */
export interface PacketCounts {
  relTime: number;
  frameLen: number;
  matched?: boolean;
}

/** A row while it is being counted: its A side as bytes, so later packets compare bytes, not text. */
class RowState {
  framesBA = 0;
  bytesBA = 0;
  framesAB = 0;
  bytesAB = 0;
  /** Moved to the forgotten rows (RowList.take). */
  gone = false;

  constructor(
    readonly proto: 'tcp' | 'udp',
    readonly stream: number,
    readonly addrA: string,
    readonly portA: number,
    readonly addrB: string,
    readonly portB: number,
    /** The A side as bytes (shared copies), so later packets compare bytes, not text. */
    readonly srcA: Uint8Array,
    readonly dstA: Uint8Array,
    /** frame.time_relative of the earliest and of the latest packet. */
    public relStart: number,
    public stop: number,
  ) {}

  /** The row as the table shows it (a new object: the counts may go on). */
  row(): ConvRow {
    return {
      proto: this.proto, stream: this.stream, addrA: this.addrA, portA: this.portA, addrB: this.addrB, portB: this.portB,
      framesBA: this.framesBA, bytesBA: this.bytesBA, framesAB: this.framesAB, bytesAB: this.bytesAB, relStart: this.relStart, duration: this.stop - this.relStart,
    };
  }
}

/**
 * Conversation rows by stream number, and in the order they appeared (tshark's order for equal
 * totals: a row appears with its first counted packet, which is not always its stream's first).
 * Stream numbers are dense from 0: an array, where a Map lookup per packet was a hot line.
 */
class RowList {
  private readonly byStream: Array<RowState | undefined> = [];
  private appeared: RowState[] = [];
  /** Rows taken since `appeared` was last compacted. */
  private taken = 0;
  size = 0;

  get(stream: number): RowState | undefined {
    return this.byStream[stream];
  }

  add(stream: number, st: RowState): void {
    this.byStream[stream] = st;
    this.appeared.push(st);
    this.size++;
  }

  /** Removes a stream's row (a live capture forgot it) and returns it. */
  take(stream: number): RowState | undefined {
    const st = this.byStream[stream];
    if (!st) return undefined;
    this.byStream[stream] = undefined;
    this.size--;
    st.gone = true;
    if (++this.taken > 1024 && this.taken > this.size) {
      this.appeared = this.appeared.filter((r) => !r.gone);
      this.taken = 0;
    }
    return st;
  }

  /** The rows in the order they appeared. */
  *values(): IterableIterator<RowState> {
    for (const st of this.appeared) if (!st.gone) yield st;
  }
}

/** Accumulates conversation rows packet by packet (the incremental form of convTable). */
export class ConvAccumulator {
  private readonly tcpRows = new RowList();
  private readonly udpRows = new RowList();
  /** Rows of forgotten conversations, oldest first, at most MAX_FORGOTTEN_SUMMARIES each. */
  private readonly tcpForgotten = new Map<number, RowState>();
  private readonly udpForgotten = new Map<number, RowState>();
  /** Forgotten conversations whose row was dropped too. */
  readonly droppedRows = { tcp: 0, udp: 0 };
  readonly health: TcpHealth;
  /** The rows' addresses, as bytes and as text. */
  private readonly addresses = new AddressTable();

  constructor(options: LifecycleOptions = {}) {
    this.health = new TcpHealth(options);
  }

  add(p: PacketObservation): void {
    for (const t of p.tcp) this.tcpSegment(t.facts, t.verdict, t.untapped === true, p);
    if (p.matched === false) return;
    for (const u of p.udp) this.udpDatagram(u.stream, u.src, u.srcPort, u.dst, u.dstPort, p);
  }

  /**
   * One TCP header of a packet: the lifecycle sees every one, the row counts those of matching
   * packets. `f` and `v` are read now and not kept (a pass may reuse them for the next packet).
   */
  tcpSegment(f: TcpSegmentFacts, v: TcpSegmentVerdict, untapped: boolean, p: PacketCounts): void {
    this.health.push(f, v);
    // tshark's TCP tap sees neither headers quoted in ICMP errors nor segments shorter than
    // their header (packet-tcp.c gives up before tap_queue_packet).
    if (p.matched === false || f.inErrorPacket || f.haveSegLen === false || untapped) return;
    this.count(this.tcpRows, 'tcp', v.stream, f.netSrc, f.srcPort, f.netDst, f.dstPort, p);
  }

  /** One UDP header that tshark's conv,udp tap counts (the caller leaves out unmatched packets). */
  udpDatagram(stream: number, src: Uint8Array, srcPort: number, dst: Uint8Array, dstPort: number, p: PacketCounts): void {
    this.count(this.udpRows, 'udp', stream, src, srcPort, dst, dstPort, p);
  }

  private count(rows: RowList, proto: 'tcp' | 'udp', stream: number, src: Uint8Array, sp: number, dst: Uint8Array, dp: number, p: PacketCounts): void {
    let r = rows.get(stream);
    if (!r) {
      // Addresses become text once per conversation.
      const a = this.addresses;
      r = new RowState(proto, stream, a.text(src), sp, a.text(dst), dp, a.bytes(src), a.bytes(dst), p.relTime, p.relTime);
      rows.add(stream, r);
    }
    if (p.relTime > r.stop) r.stop = p.relTime;
    else if (p.relTime < r.relStart) r.relStart = p.relTime;
    if (sp === r.portA && dp === r.portB && sameBytes(src, r.srcA) && sameBytes(dst, r.dstA)) {
      r.framesAB++;
      r.bytesAB += p.frameLen;
    } else {
      r.framesBA++;
      r.bytesBA += p.frameLen;
    }
  }

  /**
   * A live capture forgot these TCP streams (the tracker's forgetBefore) and UDP streams (the
   * UDP dissector's): their rows stay, bounded, in the table; their lifecycle keeps a summary.
   */
  forget(tcp: Iterable<number>, udp: Iterable<number>): void {
    for (const s of tcp) {
      this.health.forget(s);
      this.moveRow(this.tcpRows, this.tcpForgotten, s, 'tcp');
    }
    for (const s of udp) this.moveRow(this.udpRows, this.udpForgotten, s, 'udp');
  }

  private moveRow(rows: RowList, forgotten: Map<number, RowState>, stream: number, proto: 'tcp' | 'udp'): void {
    const r = rows.take(stream);
    if (!r) return;
    forgotten.set(stream, r);
    if (forgotten.size > MAX_FORGOTTEN_SUMMARIES) {
      forgotten.delete(forgotten.keys().next().value!);
      this.droppedRows[proto]++;
    }
  }

  /** Conversations counted now (the forgotten ones' rows not included). */
  get size(): { tcp: number; udp: number } {
    return { tcp: this.tcpRows.size, udp: this.udpRows.size };
  }

  table(): ConvTable {
    const lifecycle = this.health.lifecycle;
    const order = (rows: RowList, forgotten: Map<number, RowState>, proto: 'tcp' | 'udp') => {
      const list: ConvRow[] = [];
      for (const m of [forgotten, rows]) {
        for (const r of m.values()) {
          if (r.framesAB + r.framesBA === 0) continue;
          list.push(proto === 'tcp' ? withLifecycle(r, lifecycle.connection(r.stream)) : r.row());
        }
      }
      // tshark: by total frames, most first; equal totals in order of appearance (the forgotten
      // rows appeared first), which the sort keeps: Array.prototype.sort is stable.
      return list.sort((a, b) => b.framesAB + b.framesBA - (a.framesAB + a.framesBA));
    };
    return { tcp: order(this.tcpRows, this.tcpForgotten, 'tcp'), udp: order(this.udpRows, this.udpForgotten, 'udp') };
  }
}

/**
 * A TCP row with its lifecycle columns, written out as one object literal. Measured on 60k
 * connections: copying the rows with a spread (then or later adding these properties) made
 * table() take 0.3-0.5 s, this 0.06 s.
 */
function withLifecycle(r: RowState, c: ConnectionLifecycle | undefined): ConvRow {
  const closer = c ? c.teardown.closedFirstBy ?? c.teardown.resetBy : undefined;
  const ep = closer === 'client' ? c!.client : closer === 'server' ? c!.server : null;
  return {
    proto: r.proto, stream: r.stream, addrA: r.addrA, portA: r.portA, addrB: r.addrB, portB: r.portB,
    framesBA: r.framesBA, bytesBA: r.bytesBA, framesAB: r.framesAB, bytesAB: r.bytesAB, relStart: r.relStart, duration: r.stop - r.relStart,
    handshakeRtt: c?.handshake.rtt,
    closedFirstBy: ep ? (ep.addr === r.addrA && ep.port === r.portA ? 'A' : 'B') : undefined,
    end: c?.end,
  };
}

type Source = Iterable<PacketObservation> | AsyncIterable<PacketObservation>;

/** The TCP and UDP conversation tables of a stream of packets. */
export async function convTable(packets: Source): Promise<ConvTable> {
  const acc = new ConvAccumulator();
  for await (const p of packets as AsyncIterable<PacketObservation>) acc.add(p);
  return acc.table();
}

/** Wireshark's format_size (SI, FORMAT_SIZE_UNIT_BYTES): "9156 bytes", "10 kB", "517 kB". */
export function formatSize(n: number): string {
  const [p, u] = sizeUnit(n);
  return `${Math.floor(n / p)} ${u}`;
}

/** format_size's divisor and unit for `n` bytes (from a constant table: nothing is made). */
function sizeUnit(n: number): readonly [number, string] {
  for (const unit of SIZE_UNITS) if (n / unit[0] >= 10) return unit;
  return BYTES;
}
const SIZE_UNITS: ReadonlyArray<readonly [number, string]> = [[1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
const BYTES = [1, 'bytes'] as const;

function endpointText(addr: string, port: number): string {
  return `${addr}:${port}`;
}

/** Lines per write() of writeConvTable: the table goes out as it is made, not as one string. */
const TABLE_BLOCK = 2048;

/**
 * The table as tshark -q -z conv,tcp prints it; with `extra` (the default for `synscope conv`)
 * three columns follow Duration: handshake RTT, who closed first (A/B), end state. Written in
 * blocks of lines: a capture's 100k conversations as one string kept every line alive until the
 * end, and the young-generation collections copying them cost more than making them.
 */
export function writeConvTable(rows: readonly ConvRow[], proto: 'TCP' | 'UDP', write: (s: string) => void, filter: string | null = null, extra = true): void {
  const bar = '='.repeat(80);
  const h1 = `${' '.repeat(12)}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |`;
  const h2 = `${' '.repeat(12)}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |`;
  // The header carries the filter text, which may be anything; the rows are ASCII.
  write(`${bar}\n${proto} Conversations\nFilter:${filter ?? '<No Filter>'}\n` +
    (extra ? `${h1} Handshake |  Closed  | End\n${h2}    RTT    | first by |\n` : `${h1}\n${h2}\n`));
  const b = new AsciiBlock();
  const endpoint = (addr: string, port: number) => {
    const m = b.mark;
    b.text(addr).text(':').int(port).padTo(m, 26);
  };
  const frames = (n: number, bytes: number) => {
    b.int(n, 6).text(' ');
    const m = b.mark;
    const [p, u] = sizeUnit(bytes);
    b.int(Math.floor(bytes / p)).text(' ').text(u).padTo(m, 9).text('  ');
  };
  for (const r of rows) {
    endpoint(r.addrA, r.portA);
    b.text(' <-> ');
    endpoint(r.addrB, r.portB);
    b.text('  ');
    frames(r.framesBA, r.bytesBA);
    frames(r.framesAB, r.bytesAB);
    frames(r.framesAB + r.framesBA, r.bytesAB + r.bytesBA);
    b.right(r.relStart.toFixed(9), 14).text('   ').right(r.duration.toFixed(4), 12);
    if (extra && r.proto === 'tcp') {
      b.text(' ').right(r.handshakeRtt !== undefined ? r.handshakeRtt.toFixed(6) : '-', 10).text('   ').left(r.closedFirstBy ?? '-', 8).text(' ').text(r.end ?? '');
    }
    b.newline();
    if (b.lines === TABLE_BLOCK) write(b.take());
  }
  write(`${b.take()}${bar}\n`);
}

// ---------------------------------------------------------------------------------------------
// Per-connection report

export interface TcpReportOptions {
  /** Only this tcp.stream (--stream N). */
  stream?: number;
  /** Keep segments for the ladder (default true). */
  ladder?: boolean;
}

export interface TcpReport {
  connections: ConnectionLifecycle[];
  alerts: TcpAlert[];
}

/**
 * Every connection's lifecycle and the health alerts. With a display filter, connections with
 * no matching packet are left out (the tracker still sees every packet, as tshark's does).
 */
export async function tcpReport(packets: Source, o: TcpReportOptions = {}): Promise<TcpReport> {
  const builder = new TcpReportBuilder(o);
  for await (const p of packets as AsyncIterable<PacketObservation>) builder.add(p);
  return builder.finish();
}

/** tcpReport packet by packet. */
export class TcpReportBuilder {
  private readonly health: TcpHealth;
  private readonly shown = new Set<number>();
  private filtered = false;

  constructor(private readonly o: TcpReportOptions = {}) {
    this.health = new TcpHealth({ keepSegments: o.ladder !== false });
  }

  add(p: PacketObservation): void {
    for (const t of p.tcp) {
      this.health.push(t.facts, t.verdict);
      if (p.matched !== false && !t.facts.inErrorPacket) this.shown.add(t.verdict.stream);
    }
    if (p.matched === false) this.filtered = true;
  }

  finish(): TcpReport {
    const { o, filtered, shown } = this;
    const alerts = this.health.finish();
    let connections = this.health.lifecycle.connections();
    if (filtered) connections = connections.filter((c) => shown.has(c.stream));
    if (o.stream !== undefined) connections = connections.filter((c) => c.stream === o.stream);
    const keep = new Set(connections.map((c) => c.stream));
    const relevant = o.stream !== undefined || filtered ? alerts.filter((a) => a.streams.some((s) => keep.has(s))) : alerts;
    return { connections, alerts: relevant };
  }
}

/** One JSON object per line: {"type":"connection",...} for each connection, then {"type":"alert",...}. */
export function formatTcpJsonLines(r: TcpReport): string {
  const out: string[] = [];
  for (const c of r.connections) {
    const rest: Partial<ConnectionLifecycle> = { ...c };
    delete rest.segments;
    out.push(JSON.stringify({ type: 'connection', ...rest, summary: completenessSentence(c), notesText: noteWords(c) }));
  }
  for (const a of r.alerts) out.push(JSON.stringify({ type: 'alert', ...a }));
  return out.length ? out.join('\n') + '\n' : '';
}

const FLAG_NAMES: Array<[number, string]> = [
  [0x01, 'FIN'], [0x02, 'SYN'], [0x04, 'RST'], [0x08, 'PSH'], [0x10, 'ACK'], [0x20, 'URG'], [0x40, 'ECE'], [0x80, 'CWR'], [0x100, 'AE'],
];

/**
 * Flags as tshark's Info column lists them: "[SYN, ACK]"; with `ace` (a connection that uses
 * Accurate ECN), AE, CWR and ECE as the counter: "[ACK, ACE=4]".
 */
export function flagsText(flags: number, ace = false): string {
  // tshark orders FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE.
  const names = FLAG_NAMES.filter(([b]) => flags & b && !(ace && b & 0x1c0)).map(([, n]) => n);
  if (ace) names.push(`ACE=${(flags & 0x1c0) >> 6}`);
  return `[${names.join(', ')}]`;
}

function fmtRtt(s: number | undefined): string {
  return s === undefined ? '-' : `${(s * 1000).toFixed(3)} ms`;
}

/** A readable ladder per connection, then the alerts. */
export function formatTcpLadder(r: TcpReport): string {
  const out: string[] = [];
  for (const c of r.connections) {
    const H = c.handshake, N = c.negotiated;
    out.push(`tcp.stream ${c.stream}: ${endpointText(c.client.addr, c.client.port)} (client${c.roleKnown ? '' : '?'}) <-> ${endpointText(c.server.addr, c.server.port)} (server${c.roleKnown ? '' : '?'})`);
    out.push(`  ${completenessSentence(c)}`);
    const how = c.teardown.kind ? `, teardown: ${c.teardown.kind}` : '';
    out.push(`  end: ${c.end}${how}; client ${c.client.state}, server ${c.server.state}`);
    if (H.synFrame !== undefined || H.synAckFrame !== undefined) {
      out.push(`  handshake: SYN #${H.synFrame ?? '-'}, SYN-ACK #${H.synAckFrame ?? '-'}, ACK #${H.ackFrame ?? '-'}; RTT ${fmtRtt(H.rtt)} (SYN-ACK ${fmtRtt(H.synAckRtt)})` +
        (H.synRetransmissions ? `; ${H.synRetransmissions} SYN retransmission(s)` : ''));
      const mss = `MSS ${N.mss.client ?? '-'}/${N.mss.server ?? '-'}`;
      const ws = N.windowScale ? `window scale ${N.windowScale.client}/${N.windowScale.server}` : 'no window scaling';
      out.push(`  options (client/server): ${mss}, ${ws}, SACK ${N.sack ? 'yes' : 'no'}, timestamps ${N.timestamps ? 'yes' : 'no'}`);
    }
    out.push(`  data: client ${c.client.bytes} bytes in ${c.client.dataFrames} segments, server ${c.server.bytes} bytes in ${c.server.dataFrames} segments`);
    const notes = noteWords(c);
    if (notes.length) out.push(`  notes: ${notes.join(', ')}`);
    if (c.segments) {
      const t0 = c.startTime;
      let prev = '';
      const width = 54;
      out.push(`  ${'frame'.padStart(7)} ${'time'.padStart(10)}  client${' '.repeat(width - 6)}server   states (client / server)`);
      for (const s of c.segments) {
        const label = `${flagsText(s.flags, s.ace)} seq=${s.seq}${s.hasAck ? ` ack=${s.ack}` : ''} len=${s.len} win=${s.window}`;
        const body = label.length > width - 4 ? label : label;
        const arrow = s.from === 'client'
          ? `-${body}${'-'.repeat(Math.max(1, width - 2 - body.length))}>`
          : `<${'-'.repeat(Math.max(1, width - 2 - body.length))}${body}-`;
        const st = `${s.client} / ${s.server}`;
        const analysis = s.analysis.length ? `  [${s.analysis.join(', ')}]` : '';
        out.push(`  ${('#' + s.frame).padStart(7)} ${(s.time - t0).toFixed(6).padStart(10)}  ${arrow}   ${st === prev ? '' : st}${analysis}`);
        prev = st;
      }
    }
    out.push('');
  }
  if (r.alerts.length) {
    out.push('alerts:');
    for (const a of r.alerts) {
      const frames = a.frames.length > 10 ? `${a.frames.slice(0, 10).join(', ')}, ... (${a.frames.length})` : a.frames.join(', ');
      const streams = a.streams.length > 20 ? `${a.streams.slice(0, 20).join(', ')}, ... (${a.streams.length})` : a.streams.join(', ');
      out.push(`  ${a.severity}: ${a.message}`);
      out.push(`    streams: ${streams}; frames: ${frames}; hosts: ${a.hosts.slice(0, 10).join(', ')}${a.hosts.length > 10 ? ', ...' : ''}`);
    }
  } else out.push('alerts: none');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Command functions for app/cli

export interface ConvCommandOptions extends ObserveOptions {
  /** The -Y text, printed on the Filter: line. */
  filterText?: string;
  /** Leave out the UDP table. */
  noUdp?: boolean;
  /** Print exactly tshark's columns (no RTT / closed-by / end state). */
  tsharkColumns?: boolean;
  json?: boolean;
}

/** `synscope conv FILE [-Y F]`: writes the TCP then UDP tables. Returns the exit status. */
export async function convCommand(file: string, o: ConvCommandOptions, write: (s: string) => void): Promise<number> {
  // The table shows no analysis flag and no alert, so by default neither is computed (half the
  // cost); a filter may read tcp.analysis.* fields.
  const sequenceAnalysis = o.sequenceAnalysis ?? o.match !== undefined;
  const acc = new ConvAccumulator({ alerts: sequenceAnalysis, transitions: false, events: false });
  const packet = { frame: 0, relTime: 0, frameLen: 0 };
  const direct: DirectSink = {
    packet,
    tcp: (f, v) => acc.tcpSegment(f, v, false, packet),
    udp: (src, srcPort, dst, dstPort, stream) => acc.udpDatagram(stream, src, srcPort, dst, dstPort, packet),
  };
  for await (const batch of observeCaptureBatches(file, { ...o, sequenceAnalysis }, direct)) for (const p of batch) acc.add(p);
  const t = acc.table();
  if (o.json) {
    for (const r of t.tcp) write(JSON.stringify(r) + '\n');
    if (!o.noUdp) for (const r of t.udp) write(JSON.stringify(r) + '\n');
    return 0;
  }
  writeConvTable(t.tcp, 'TCP', write, o.filterText ?? null, !o.tsharkColumns);
  if (!o.noUdp) writeConvTable(t.udp, 'UDP', write, o.filterText ?? null, false);
  return 0;
}

export interface TcpCommandOptions extends ObserveOptions {
  stream?: number;
  /** Where a note for the user goes (standard error), e.g. that --stream N matched nothing. */
  warn?: (s: string) => void;
  /** JSON lines instead of the ladder. */
  json?: boolean;
}

/** `synscope tcp FILE [-Y F] [--stream N] [--json]`. Returns the exit status. */
export async function tcpCommand(file: string, o: TcpCommandOptions, write: (s: string) => void): Promise<number> {
  const opts: TcpReportOptions = { ladder: !o.json };
  if (o.stream !== undefined) opts.stream = o.stream;
  const builder = new TcpReportBuilder(opts);
  for await (const batch of observeCaptureBatches(file, o)) for (const p of batch) builder.add(p);
  const r = builder.finish();
  write(o.json ? formatTcpJsonLines(r) : formatTcpLadder(r));
  if (o.stream !== undefined && r.connections.length === 0) o.warn?.(`no TCP connection has tcp.stream ${o.stream}${o.match ? ' among the matching packets' : ''}`);
  return 0;
}

export { TCP_STATES };
