// One `read` pass over a capture's packets (read.ts runs it): which packets are dissected, the
// filters, and what is written and printed for each packet. The per-packet work is a synchronous
// method and the state lives in fields: a loop with an `await` in it (for a source that waits on
// a pipe) made V8 allocate ~40 bytes per packet even when no packet ever waited.
import { CaptureState, dissect, type Dissection, type DissectOptions, type FrameInput } from '../dissect/driver.js';
import { fractionsValid, frameFields } from '../dissect/protocols/frame.js';
import { expertFieldNodes } from '../dissect/expert-fields.js';
import { fieldById, type FieldDef } from '../dissect/field.js';
import { nstimeDelta, relTimeText, type AbsTime, type FieldNode } from '../dissect/tree.js';
import { RecordSlot } from '../file/slot.js';
import type { CaptureFileInfo, PacketRecord } from '../file/types.js';
import { fieldSourceFromDissection } from '../filter/index.js';
import { FastFieldSource, fastPathCovers } from '../filter/fast-fields.js';
import { frameFromRecord } from '../filter/record-frame.js';
import { keepsRecord } from '../filter/tcpdump/keeps-record.js';
import type { ReadOptions } from './args.js';
import type { FieldsPlan } from './fields.js';
import type { ReadFilters } from './filters.js';
import { keyLogFor } from '../dissect/tls-keylog.js';
import { hexDump, hexDumpSources, jsonPacket, precisionDigits, relativeBase, timeColumn, treeText, writeRelative, type SummaryColumns } from './output.js';
import { ByteText } from './byte-text.js';
import type { Sink } from './sink.js';
import { HeaderSummary, headersDecide } from './summary-fast.js';
import type { PacketShares } from './packet-shares.js';
import { DEPEND, SHOW, SKIP, TRACK, type StreamNeeds } from './stream-needs.js';
import { prepareCapture, type PacketSource, type PacketWriter } from './source.js';

/**
 * How the loop works for one run: which packets are dissected, and with what.
 * - `dissectAll`: every packet is dissected in order (the output shows what depends on earlier
 *   packets: Info columns with TCP analysis, reassembly, trees; or a display filter reads fields
 *   the fast path does not cover). The filter then reads that dissection.
 * - otherwise the fast path: a display filter reads FastFieldSource (bytes decoded in place), a
 *   tcpdump expression the raw bytes; a packet the fast path does not understand is dissected
 *   (and so is every such packet: all fragments of a datagram take this path together).
 */
interface LoopPlan {
  dissectAll: boolean;
  /** Attach the TCP tracker (the output or the filter reads what it decides). */
  tracker: boolean;
  /** Run FastFieldSource.decode on every packet. */
  fast: boolean;
  opts: DissectOptions;
}

function planLoop(o: ReadOptions, plan: FieldsPlan | null, filters: ReadFilters, needTree: boolean, printSummary: boolean): LoopPlan {
  const printing = !o.quiet;
  const wanted = new Set<number>(plan ? plan.wanted : []);
  if (filters.display) for (const id of filters.display.fields) wanted.add(id);
  const opts: DissectOptions = needTree ? { tree: true } : { tree: false, wanted };
  const filtered = filters.display !== null || filters.tcpdump !== null;
  // Output that is the same whatever happened to earlier packets.
  const fieldsStateless = plan !== null && !plan.needsColumns && fastPathCovers(plan.wanted);
  // -x shows the bytes reassembly and decoding add (tshark's other data sources): stateful too.
  const statelessOutput = !printing || (!printSummary && !needTree && !o.hex && (plan === null || fieldsStateless));
  if (!filtered || !statelessOutput || (filters.display !== null && !fastPathCovers(filters.display.fields))) {
    // Output that needs no dissection (-w, -q) without a display filter skips it.
    const dissectAll = filters.display !== null || (printing && (printSummary || needTree || o.hex || plan !== null));
    const tracker = !statelessOutput || (filters.display?.needsTcpAnalysis ?? false);
    return { dissectAll, tracker, fast: false, opts };
  }
  const fieldsOut = printing && plan !== null;
  return { dissectAll: false, tracker: false, fast: filters.display !== null || fieldsOut, opts };
}

export class ReadPass {
  private readonly o: ReadOptions;
  private readonly plan: FieldsPlan | null;
  private readonly writer: PacketWriter | null;
  private readonly out: Sink;
  private readonly capture: CaptureState;
  private readonly info: CaptureFileInfo;
  private readonly needTree: boolean;
  private readonly printSummary: boolean;
  private readonly display: ReadFilters['display'];
  private readonly tcpdump: ReadFilters['tcpdump'];
  private readonly captureFilter: ReadFilters['capture'];
  private opts: DissectOptions;
  /** `opts` without the display filter's fields: for a dissection whose filter reads the headers instead. */
  private readonly outputOpts: DissectOptions;
  /**
   * The display filter reads only fields the headers give (fastPathCovers): a packet whose
   * headers decode is tested on them, dissected or not, and its dissection keeps none of them.
   */
  private readonly filterOnHeaders: boolean;
  private readonly printFields: boolean;
  private readonly headerSummary: HeaderSummary | null;
  private readonly needColumns: boolean;
  /** The Time and Info columns are printed (-T fields may print the others only: their text is not made). */
  private readonly timeColumn: boolean;
  private readonly infoColumn: boolean;
  private readonly digitsByIface: number[];
  private readonly defaultDigits: number;
  private readonly pcapng: boolean;
  private readonly fast: FastFieldSource | null;
  /** A summary line's relative Time column, written as bytes (-t r, d, dd: the default). */
  private readonly timeBytes = new ByteText();
  /** The columns of the packet being printed (filled in for each). */
  private readonly cols: SummaryColumns = { no: 0, time: '', src: '', dst: '', protocol: '', length: 0, info: '' };
  private readonly dissectAll: boolean;
  private readonly limit: number;
  /** -q, or -w without -P, -V, -x, -T: a matching packet is written (or counted), nothing printed. */
  private readonly printsPackets: boolean;
  private readonly filtering: boolean;
  private readonly tabs: boolean;
  /** -t: the Time column's format. */
  private readonly timeFormat: ReadOptions['timeFormat'];
  /**
   * The filter reads header fields only and the output is summary lines: a first pass can
   * find which packets need a dissection (stream-needs.ts). read.ts then runs it and calls usePlan().
   */
  readonly wantsFirstPass: boolean;
  /** First pass: notes every packet's match and connection. */
  private readonly recorder: StreamNeeds | null;
  /** Second pass: per frame, SKIP, DEPEND, SHOW or TRACK (the first pass decided the matches). */
  private needPlan: Uint8Array | null = null;
  /** With several threads (read-parallel.ts): which packets are this one's; the others are skipped. */
  private shares: PacketShares | null = null;
  private shareIndex = 0;

  /** Called with the number of each packet the filters let through (the filter worker's verdicts). */
  onMatch: ((frame: number) => void) | null = null;
  /** Packets read so far (frame.number of the last one). */
  private n = 0;

  /** Packets read so far (frame.number of the last one). */
  get packets(): number {
    return this.n;
  }

  private firstTs: AbsTime | undefined = undefined;
  /** The previous packet's time, updated in place (a time in seconds is not a small integer). */
  private readonly prev: AbsTime = { sec: 0, nsec: 0 };
  private hasPrev = false;
  /** With a filter, the previous packet it let through (frame.time_delta_displayed; none yet: 0). */
  private shown: AbsTime | undefined = undefined;
  private jsonFirst = true;

  constructor(o: ReadOptions, info: CaptureFileInfo, plan: FieldsPlan | null, filters: ReadFilters, writer: PacketWriter | null, out: Sink, recorder: StreamNeeds | null = null) {
    this.o = o;
    this.info = info;
    this.plan = plan;
    this.writer = writer;
    this.out = out;
    // One pass in frame order: no protocol keeps per-frame answers for a re-dissection.
    this.capture = new CaptureState({ revisits: false, keyLog: keyLogFor(o.tlsKeylogFile, () => info.decryptionSecrets) });
    this.needTree = !o.quiet && (o.verbose || o.mode === 'json' || o.forceTree === true);
    // -V, -x and -w replace the summary line unless -P asks for it too (as in tshark).
    this.printSummary = !o.quiet && (o.mode === 'text' || o.mode === 'tabs') && (o.summary || (!o.verbose && !o.hex && !writer));
    const lp = planLoop(o, plan, filters, this.needTree, this.printSummary);
    this.display = filters.display;
    this.tcpdump = filters.tcpdump;
    this.captureFilter = filters.capture;
    // The TCP tracker: whenever every packet is dissected (the output or the filter may read its
    // verdicts); the fast path's fields never need it.
    const tracker = lp.tracker ? prepareCapture(this.capture) : null;
    this.opts = lp.opts;
    this.outputOpts = this.needTree ? lp.opts : { tree: false, wanted: new Set<number>(plan ? plan.wanted : []) };
    this.printFields = plan !== null && !o.quiet;
    // When the columns (and fields the headers give) are all a dissection is for, header-only
    // TCP packets skip it; a display filter then reads the same headers when they hold every
    // field it reads (as the -w pass without columns does: fastPathCovers leaves out the fields
    // the tracker decides).
    const displayOnHeaders = this.display === null || fastPathCovers(this.display.fields);
    // A filter on an application protocol's fields (http.request.method) is decided on the
    // headers of those packets as well: such a packet has none of them.
    const displayDecided = this.display === null || headersDecide(this.display.fields);
    this.headerSummary = tracker && (this.printSummary || this.printFields || this.display !== null) && (!this.printFields || fastPathCovers(plan!.wanted)) && !this.needTree
      && displayDecided && o.mode !== 'json' && !o.verbose && o.fastSummary !== false
      // Packets with a payload too, dissected from the transport up, when the filter reads
      // only what the headers give and no reassembled bytes are shown (-x).
      ? new HeaderSummary(this.capture, tracker, displayOnHeaders && !o.hex)
      : null;
    this.filterOnHeaders = this.headerSummary !== null && this.display !== null && displayOnHeaders;
    this.needColumns = this.printSummary || (this.printFields && plan!.needsColumns);
    this.timeColumn = this.printSummary || (this.printFields && plan!.printsColumn('_ws.col.Time'));
    this.infoColumn = this.printSummary || (this.printFields && plan!.printsColumn('_ws.col.Info'));
    this.digitsByIface = info.interfaces.map((i) => precisionDigits(i.tsUnitsPerSecond));
    this.defaultDigits = info.tsPrecision === 'ns' ? 9 : 6;
    this.pcapng = info.format === 'pcapng';
    this.fast = lp.fast ? new FastFieldSource() : null;
    this.dissectAll = lp.dissectAll;
    this.limit = o.count ?? Infinity;
    this.printsPackets = !o.quiet && (this.printSummary || this.printFields || o.mode === 'json' || o.verbose || o.hex);
    this.filtering = this.display !== null || this.tcpdump !== null;
    this.tabs = o.mode === 'tabs';
    this.timeFormat = o.timeFormat;
    this.recorder = recorder;
    // -T fields may print tcp.stream or udp.stream, which count every connection; -l is a live feed.
    this.wantsFirstPass = this.printSummary && !this.printFields && !this.needTree && !o.hex && !o.lineBuffered && this.filtering
      && displayOnHeaders && o.firstPass !== false && recorder === null;
  }

  /** The first pass's answer (StreamNeeds.finish()): which packets to dissect and to print. */
  usePlan(plan: Uint8Array): void {
    this.needPlan = plan;
    // The plan says which packets match: the filter is not tested again, so the dissections
    // keep none of its fields.
    this.opts = this.outputOpts;
  }

  /** Run on one share of the packets: those `shares` gives to thread `index`. */
  useShare(shares: PacketShares, index: number): void {
    this.shares = shares;
    this.shareIndex = index;
  }

  /** What comes before the first packet (the -T fields header line). */
  start(): void {
    if (this.printFields && this.plan!.opts.header) this.out.write(this.plan!.header());
  }

  /**
   * Runs the packets the source has at hand. Returns the record the source is still waiting for
   * (a pipe), to be awaited and given to packet(), or null at the end of the capture or of -c.
   */
  drain(src: PacketSource): Promise<PacketRecord | null> | null {
    for (;;) {
      if (this.n >= this.limit || this.recorder?.pointless === true) return null;
      const rec = src.next();
      if (rec === null) return null;
      if (rec instanceof Promise) return rec;
      this.packet(rec);
    }
  }

  packet(rec: PacketRecord): void {
    const o = this.o, plan = this.plan, fast = this.fast, headerSummary = this.headerSummary, display = this.display, tcpdump = this.tcpdump;
    // -f: a record the capture filter rejects was never captured (libpcap ignores custom blocks).
    const captureFilter = this.captureFilter;
    if (captureFilter && !keepsRecord(captureFilter, rec)) return;
    const slot = rec instanceof RecordSlot ? rec : null;
    const n = ++this.n;
    const sec = rec.ts.sec, nsec = rec.ts.nsec;
    if (!this.firstTs) this.firstTs = { sec, nsec };
    const firstTs = this.firstTs;
    const prev = this.prev;
    // A frame past the first pass's end (a file still being written) is left out, as if the file
    // had been read when the first pass read it: its connection's history may have been skipped.
    // The reading goes on, so damage after the last packet is still reported.
    const need = this.needPlan === null ? -1 : n < this.needPlan.length ? this.needPlan[n]! : SKIP;
    // Every record goes through the shares' rule (in every thread and pass alike: it balances by
    // the packets it has seen), before anything decides to skip it.
    const shares = this.shares;
    const others = shares !== null && (slot ? shares.of(slot.buf, slot.start, rec.capLen, rec.linkType) : shares.of(rec.data, 0, rec.capLen, rec.linkType)) !== this.shareIndex;
    if (need === SKIP || others) {
      prev.sec = sec;
      prev.nsec = nsec;
      this.hasPrev = true;
      return;
    }

    let d: Dissection | null = null;
    let fastOk = false;
    let frame: FrameInput | null = null;
    // A record without a time, or with an invalid fraction near it, is dissected (frame.ts).
    const timesOk = rec.tsAbsent !== true && fractionsValid(rec.ts, firstTs, this.hasPrev ? prev : undefined);
    // Only the tracker needs it; one the headers cannot give it to is dissected, as DEPEND.
    if (need === TRACK && headerSummary && rec.pen === undefined && timesOk
      && (slot ? headerSummary.track(slot.buf, slot.start, rec.capLen, rec.origLen, rec.linkType, n, sec, nsec) : headerSummary.track(rec.data, 0, rec.capLen, rec.origLen, rec.linkType, n, sec, nsec))) {
      prev.sec = sec;
      prev.nsec = nsec;
      this.hasPrev = true;
      return;
    }
    if (fast) {
      stampFrame(fast, n, rec.ts, firstTs, prev, this.hasPrev);
      fastOk = timesOk && (slot ? fast.decode(slot.buf, slot.start, rec.capLen, rec.origLen, rec.linkType) : fast.decode(rec.data, 0, rec.capLen, rec.origLen, rec.linkType));
    }
    let summarized = false;
    // The filter is tested on this packet's headers (filterOnHeaders, and they decoded).
    let testHeaders = false;
    if (headerSummary && rec.pen === undefined && timesOk) {
      summarized = slot
        ? headerSummary.take(slot.buf, slot.start, rec.capLen, rec.origLen, rec.linkType, n, sec, nsec)
        : headerSummary.take(rec.data, 0, rec.capLen, rec.origLen, rec.linkType, n, sec, nsec);
      testHeaders = this.filterOnHeaders && headerSummary.decoded;
      if (testHeaders || (summarized && (this.printFields || display))) stampFrame(headerSummary.headers, n, rec.ts, firstTs, prev, this.hasPrev);
    }
    if (!summarized && (this.dissectAll || (fast && !fastOk))) {
      frame = frameFromRecord(rec, n, firstTs, this.hasPrev ? { sec: prev.sec, nsec: prev.nsec } : undefined, this.info, this.filtering ? this.shown ?? { sec, nsec } : undefined);
      d = dissect(frame, this.capture, testHeaders ? this.outputOpts : this.opts);
    }
    // -t d (and dd without a filter): the previous packet's time, before this one replaces it.
    const before = (this.timeFormat === 'd' || this.timeFormat === 'dd') && this.hasPrev ? { sec: prev.sec, nsec: prev.nsec } : undefined;
    prev.sec = sec;
    prev.nsec = nsec;
    this.hasPrev = true;

    let matched = true;
    if (need === DEPEND || need === TRACK) matched = false;
    else if (need === SHOW) matched = true;
    else if (display) matched = display.test(testHeaders ? headerSummary!.headers : d ? fieldSourceFromDissection(d) : summarized ? headerSummary!.headers : fast!);
    else if (tcpdump) matched = keepsRecord(tcpdump, rec);
    const recorder = this.recorder;
    if (recorder) {
      // The filter's decode of the headers when it made one, else the recorder's own.
      const buf = slot ? slot.buf : rec.data;
      const headers = fastOk ? fast : recorder.decode(buf, slot ? slot.start : 0, rec.capLen, rec.origLen, rec.linkType);
      recorder.note(n, buf, headers, rec.pen !== undefined, d, matched, rec.fileOffset);
    }
    if (!matched) return;
    this.onMatch?.(n);
    // -t dd: the previous packet printed (every packet is, without a filter).
    const shownBefore = this.filtering ? this.shown : before;
    if (this.filtering) this.shown = { sec, nsec };

    const writer = this.writer;
    if (writer) {
      writer.write(rec);
      if (o.lineBuffered) writer.flush();
    }
    if (!this.printsPackets) return;
    const out = this.out;
    let cols: SummaryColumns | null = null;
    let timeInBytes = false;
    if (this.needColumns && (d || summarized)) {
      if (!d) headerSummary!.columns(this.infoColumn);
      const digits = this.pcapng ? (this.digitsByIface[rec.interfaceId] ?? 6) : this.defaultDigits;
      // A summary line's relative time goes to the line as bytes; a string for -T fields.
      const base = this.printSummary && !this.printFields && rec.tsAbsent !== true ? relativeBase(this.timeFormat, rec.ts, firstTs, before, shownBefore) : null;
      if (base) {
        this.timeBytes.reset();
        writeRelative(this.timeBytes, rec.ts, base, digits);
        timeInBytes = true;
      }
      // One object for every line (the sinks read it at once, none keeps it).
      cols = this.cols;
      cols.no = n;
      // A record without a time has an empty Time column.
      cols.time = base || rec.tsAbsent || !this.timeColumn ? '' : timeColumn(this.timeFormat, { sec, nsec }, firstTs, before, shownBefore, digits);
      cols.src = d ? d.src : headerSummary!.src;
      cols.dst = d ? d.dst : headerSummary!.dst;
      cols.protocol = d ? d.protocol : headerSummary!.protocol;
      cols.length = rec.origLen;
      // The header-only path's Info goes to the summary line as bytes (a string for -T fields),
      // but for a packet it dissected from the transport up: the string that dissection made.
      cols.info = d ? d.info : headerSummary!.dissectedInfo ?? (this.printFields && this.infoColumn ? headerSummary!.info : '');
    }
    if (this.printSummary) {
      const time = timeInBytes ? this.timeBytes : undefined;
      if (d) out.summary(cols!, this.tabs, undefined, time);
      else out.summary(cols!, this.tabs, headerSummary!.dissectedInfo === null ? headerSummary!.infoBytes : undefined, time);
    }
    if (this.printFields) {
      // A tree (built for -V/-T json, or for the expert fields: driver.ts) draws its expert
      // notes beside the nodes: their fields come from the notes.
      const tree = d !== null && d.roots.length > 0;
      if (d) out.write(plan!.line(!tree ? d.flat : d.expert.length ? [...d.roots, ...expertFieldNodes(d.roots)] : d.roots, tree, cols, d.sources));
      else out.write(plan!.line(fastNodes(summarized ? headerSummary!.headers : fast!, plan!), false, cols));
    }
    if (o.mode === 'json' && d) {
      out.write(jsonPacket(d.roots, this.jsonFirst));
      this.jsonFirst = false;
    }
    if (o.verbose && o.mode !== 'json' && d) out.write(treeText(d.roots, d.sources));
    if (o.hex) out.write(d && d.sources.length > 1 ? hexDumpSources(d.sources.map((bytes, i) => ({ name: d.ctx.sourceName(i), bytes }))) : hexDump(rec.data));
    if (o.lineBuffered) out.flush();
  }

  /** What comes after the last packet (or the last one before damage): -T json's closing bracket. */
  end(): void {
    if (this.o.mode === 'json' && !this.o.quiet) this.out.write(this.jsonFirst ? '[\n]\n' : '\n]\n');
    this.out.flush();
  }
}

/** The frame fields (number and times) of a packet the fast path decodes. */
function stampFrame(f: FastFieldSource, n: number, ts: AbsTime, first: AbsTime, prev: AbsTime, hasPrev: boolean): void {
  f.number = n;
  f.tsSec = ts.sec;
  f.tsNsec = ts.nsec;
  f.firstSec = first.sec;
  f.firstNsec = first.nsec;
  f.prevSec = prev.sec;
  f.prevNsec = prev.nsec;
  f.hasPrev = hasPrev;
}

/** The -T fields values of a packet the fast path decoded, as the nodes FieldsPlan prints. */
function fastNodes(fast: FastFieldSource, plan: FieldsPlan): FieldNode[] {
  const nodes: FieldNode[] = [];
  for (const id of plan.wanted) {
    const field = fieldById(id);
    for (const value of fast.values(id)) {
      const node: FieldNode = { field, start: 0, length: 0, value };
      const text = field.type === 'reltime' ? fastRelTimeText(fast, field) : undefined;
      if (text !== undefined) node.fieldText = text;
      nodes.push(node);
    }
  }
  return nodes;
}

/**
 * frame.time_delta / frame.time_relative as tshark prints them (exact nstime, as frame.ts does):
 * the fast path's floats lose the last digits once two times are ~24 days or more apart.
 */
function fastRelTimeText(fast: FastFieldSource, field: FieldDef): string | undefined {
  const ts = { sec: fast.tsSec, nsec: fast.tsNsec };
  if (field === frameFields['frame.time_relative']) return relTimeText(nstimeDelta(ts, { sec: fast.firstSec, nsec: fast.firstNsec }));
  if (field === frameFields['frame.time_delta']) return relTimeText(fast.hasPrev ? nstimeDelta(ts, { sec: fast.prevSec, nsec: fast.prevNsec }) : { sec: 0, nsec: 0 });
  return undefined;
}
