// The `synscope conv` and `synscope tcp` commands' engine: the conversations table (built by
// conv-table.ts) and the per-connection lifecycle report (JSON lines, or a ladder for the
// terminal) with the health alerts. Both consume PacketObservation records, one per packet,
// which PacketObserver builds from the real pipeline (reader → dissect() → TCP dissector →
// tracker), or the fast path's (facts, verdict) pairs.
import { CaptureState, dissect, type Dissection, type DissectOptions, type FrameInput } from '../dissect/driver.js';
import { fieldByName } from '../dissect/field.js';
import { plural } from '../dissect/format.js';
import type { PacketContext } from '../dissect/packet.js';
import { attachTcpAnalyzer, type TcpAnalyzer, type TcpSegmentFacts, type TcpSegmentVerdict } from '../dissect/tcp-hook.js';
import { openCaptureFile } from '../file/reader.js';
import { secondsBetween, type AbsTime, type FieldNode } from '../dissect/tree.js';
import { TcpHealth, type TcpAlert } from './alerts.js';
import { completenessSentence, noteWords, type ConnectionLifecycle, TCP_STATES } from './lifecycle.js';
import { ConvAccumulator, endpointText, writeConvOutput, type ConvOutputOptions, type ConvTable, type ObservationSource } from './conv-table.js';
import { EndpointTable } from '../stats/endpoint-table.js';
import type { EndpointRow } from '../session/contract.js';
import { FastObserver, type FastFrame, type FastSink } from './fast-observe.js';
import { RecordSlot } from '../file/slot.js';
import type { TcpdumpFilter } from '../filter/tcpdump/compile.js';
import { keepsRecord } from '../filter/tcpdump/keeps-record.js';
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
  /** The IP headers the endpoint table counts, as source, destination pairs (PacketContext.ipTaps). */
  ipTaps?: readonly string[];
}

/** Wraps the tracker and remembers every (facts, verdict) pair of the packet being dissected. */
class RecordingAnalyzer implements TcpAnalyzer {
  pending: TcpObservation[] = [];
  /** False: pass the pairs through without keeping them (see PacketObserver.recording). */
  recording = true;
  constructor(private readonly inner: TcpAnalyzer) {}
  analyze(facts: TcpSegmentFacts, ctx: PacketContext): TcpSegmentVerdict {
    const verdict = this.inner.analyze(facts, ctx);
    if (!this.recording) return verdict;
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

  /**
   * Whether the dissections that follow are observed (true unless set): a pass that already
   * counted a frame (the session's full pass after its pre-pass) dissects it again without
   * copying its TCP facts, and does not call observe() for it.
   */
  set recording(on: boolean) {
    this.recorder.recording = on;
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
    if (d.ctx.ipTaps) obs.ipTaps = d.ctx.ipTaps;
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
  /** -c: the first this many packets only (what comes after, damage included, is not read). */
  count?: number;
  /** -f: records it rejects are skipped as if never captured (read's capture filter). */
  capture?: TcpdumpFilter;
  /** Observations per batch (default BATCH); 1 for a feed whose reader wants each packet at once. */
  batch?: number;
  /** Standard input: called every few milliseconds while the pipe has no bytes (ReaderOptions.onWait). */
  onWait?: () => void;
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
  /** The packet's one IP header (none for ARP), for the endpoint table; read now, not kept. */
  ip?(src: Uint8Array, dst: Uint8Array): void;
}

/**
 * observeCapture in batches (the same observations, in order). With `direct`, the packets the
 * fast path decodes go to it and are not in the batches.
 */
export async function* observeCaptureBatches(path: string, o: ObserveOptions = {}, direct: DirectSink | null = null): AsyncGenerator<PacketObservation[]> {
  // Observations keep copies of what they need: one record object serves every packet.
  const reader = openCaptureFile(path, { customBlocks: true, reuseRecord: true, onWait: o.onWait });
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
  const ipPair = { src: EMPTY, dst: EMPTY };
  const batchSize = o.batch ?? BATCH;
  try {
    for (;;) {
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
      if (o.count !== undefined && n >= o.count) break;
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
      if (o.capture && !keepsRecord(o.capture, rec)) continue;
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
          if (direct.ip && fast.ipAddresses(ipPair)) direct.ip(ipPair.src, ipPair.dst);
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
export async function tcpReport(packets: ObservationSource, o: TcpReportOptions = {}): Promise<TcpReport> {
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
    out.push(`  data: client ${plural(c.client.bytes, 'byte')} in ${plural(c.client.dataFrames, 'segment')}, server ${plural(c.server.bytes, 'byte')} in ${plural(c.server.dataFrames, 'segment')}`);
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

export interface ConvCommandOptions extends ObserveOptions, ConvOutputOptions {}

/** `synscope conv FILE [-Y F]`: writes the TCP then UDP tables. Returns the exit status. */
export async function convCommand(file: string, o: ConvCommandOptions, write: (s: string) => void): Promise<number> {
  writeConvOutput((await countTables(file, o, false)).conv, o, write);
  return 0;
}

/** What countTables counts: the conversations, and the endpoints when asked. */
export interface CountedTables {
  conv: ConvTable;
  endpoints: EndpointRow[];
}

/**
 * One pass over `file` for the statistics tables (`synscope conv`, `read -z`): the conversation
 * rows and, with `endpoints`, the endpoint table, of the packets `o.match` keeps (all without).
 */
export async function countTables(file: string, o: ObserveOptions, endpoints: boolean): Promise<CountedTables> {
  // The table shows no analysis flag and no alert, so by default neither is computed (half the
  // cost); a filter may read tcp.analysis.* fields.
  const sequenceAnalysis = o.sequenceAnalysis ?? o.match !== undefined;
  const acc = new ConvAccumulator({ alerts: sequenceAnalysis, transitions: false, events: false });
  const hosts = endpoints ? new EndpointTable() : null;
  const packet = { frame: 0, relTime: 0, frameLen: 0 };
  const direct: DirectSink = {
    packet,
    tcp: (f, v) => acc.tcpSegment(f, v, false, packet),
    udp: (src, srcPort, dst, dstPort, stream) => acc.udpDatagram(stream, src, srcPort, dst, dstPort, packet),
  };
  if (hosts) direct.ip = (src, dst) => hosts.countAddresses(src, dst, packet.frameLen);
  for await (const batch of observeCaptureBatches(file, { ...o, sequenceAnalysis }, direct)) {
    for (const p of batch) {
      acc.add(p);
      if (hosts && p.matched !== false) hosts.countTaps(p.ipTaps, p.frameLen);
    }
  }
  return { conv: acc.table(), endpoints: hosts ? hosts.list() : [] };
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
