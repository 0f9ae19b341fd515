// `synscope read`: the core of the command as a function writing to sinks, so tests run it
// in-process (the whole-corpus differential test) and main.ts only wires it to stdout.
import { CaptureState, dissect, type Dissection, type DissectOptions, type FrameInput } from '../dissect/driver.js';
import type { AbsTime } from '../dissect/tree.js';
import { CaptureFileError, type CaptureFileInfo } from '../file/types.js';
import type { ReadOptions } from './args.js';
import { fieldById } from '../dissect/field.js';
import type { FieldNode } from '../dissect/tree.js';
import { RecordSlot } from '../file/slot.js';
import { fieldSourceFromDissection } from '../filter/index.js';
import { FastFieldSource, fastPathCovers } from '../filter/fast-fields.js';
import { frameFromRecord } from '../filter/record-frame.js';
import { FieldsPlan, InvalidFieldsError } from './fields.js';
import { compileReadFilters, EXIT_FILTER, linkTypeProblem, type ReadFilters } from './filters.js';
import { hexDump, hexDumpSources, jsonPacket, precisionDigits, formatRelative, summaryLine, summaryLineTabs, treeText, type SummaryColumns } from './output.js';
import { BrokenPipeError, type Sink } from './sink.js';
import { HeaderSummary } from './summary-fast.js';
import { PacketIndex } from '../store/packet-index.js';
import { prepareCapture, type PacketSource, type PacketWriter, openWriter } from './source.js';
import { EXIT_FILE, EXIT_OK, EXIT_USAGE, fileErrorText, openForRead } from './open-capture.js';

export { EXIT_FILE, EXIT_OK, EXIT_USAGE };

export async function runRead(o: ReadOptions, out: Sink, err: Sink): Promise<number> {
  let plan: FieldsPlan | null = null;
  if (o.mode === 'fields') {
    try {
      plan = new FieldsPlan(o.fields, o.fieldsOptions);
    } catch (e) {
      if (e instanceof InvalidFieldsError) {
        err.write(`synscope: ${e.message}\n`);
        err.flush();
        return EXIT_USAGE;
      }
      throw e;
    }
  }
  // tshark compiles -Y before it opens the file.
  const compiled = compileReadFilters(o.displayFilter, o.captureFilter);
  if (!compiled.ok) {
    err.write(compiled.error);
    err.flush();
    return EXIT_FILTER;
  }
  const opened = openForRead(o.file, err);
  if (typeof opened === 'number') return opened;
  const src: PacketSource = opened;
  const linkProblem = linkTypeProblem(compiled.filters, src.info);
  if (linkProblem) {
    src.close();
    err.write(linkProblem);
    err.flush();
    return EXIT_FILTER;
  }

  let writer: PacketWriter | null = null;
  let status = EXIT_OK;
  try {
    if (o.writeFile) writer = await openWriter(o.writeFile, o.writeFormat, src.info);
    status = await readLoop(o, src, plan, compiled.filters, writer, out, err);
  } catch (e) {
    if (e instanceof BrokenPipeError) return EXIT_OK;
    throw e;
  } finally {
    src.close();
    if (writer) await writer.close();
  }
  return status;
}

/** `synscope info FILE`: a pass over the records without dissection (reader throughput). */
export async function runInfo(file: string, out: Sink, err: Sink): Promise<number> {
  const opened = openForRead(file, err);
  if (typeof opened === 'number') return opened;
  const src: PacketSource = opened;
  let packets = 0;
  let bytes = 0;
  let first: AbsTime | null = null;
  let last: AbsTime | null = null;
  let failure: CaptureFileError | null = null;
  // Opening a file = indexing it once; the index is what a session keeps in memory.
  const index = new PacketIndex();
  try {
    for (;;) {
      let rec = src.next();
      if (rec instanceof Promise) rec = await rec;
      if (rec === null) break;
      index.push(rec);
      packets++;
      bytes += rec.capLen;
      // Custom Blocks and Simple Packet Blocks have no time of their own (capinfos skips them).
      if (rec.tsAbsent === true || rec.pen !== undefined) continue;
      if (!first) first = { ...rec.ts };
      if (!last) last = { ...rec.ts };
      last.sec = rec.ts.sec;
      last.nsec = rec.ts.nsec;
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    failure = e;
  } finally {
    src.close();
  }
  index.trim();
  const i = src.info;
  const lines = [
    `File name:        ${file}`,
    `File format:      ${i.format}${i.compression ? ` (${i.compression})` : ''}, ${i.littleEndian ? 'little' : 'big'}-endian, version ${i.versionMajor}.${i.versionMinor}`,
    ...i.interfaces.map((f) => `Interface ${f.id}:      link type ${f.linkType}, snaplen ${f.snapLen}, ${f.tsUnitsPerSecond} ticks/s${f.name ? `, name ${f.name}` : ''}`),
    `Packets:          ${packets}`,
    `Captured bytes:   ${bytes}`,
    `Packet index:     ${index.byteSize()} bytes in memory (${packets ? (index.byteSize() / packets).toFixed(1) : '0'} bytes per packet; packet bytes stay in the file)`,
  ];
  if (first && last) {
    lines.push(`First packet:     ${first.sec}.${String(first.nsec).padStart(9, '0')}`);
    lines.push(`Last packet:      ${last.sec}.${String(last.nsec).padStart(9, '0')}`);
    lines.push(`Duration:         ${formatRelative(last, first, 9)} seconds`);
  }
  out.write(lines.join('\n') + '\n');
  if (failure) {
    out.flush();
    err.write(`synscope: ${fileErrorText(file, failure)}\n`);
    return EXIT_FILE;
  }
  return EXIT_OK;
}

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

async function readLoop(o: ReadOptions, src: PacketSource, plan: FieldsPlan | null, filters: ReadFilters, writer: PacketWriter | null, out: Sink, err: Sink): Promise<number> {
  const info: CaptureFileInfo = src.info;
  // One pass in frame order: no protocol keeps per-frame answers for a re-dissection.
  const capture = new CaptureState({ revisits: false });

  const needTree = !o.quiet && (o.verbose || o.mode === 'json' || o.forceTree === true);
  // -V, -x and -w replace the summary line unless -P asks for it too (as in tshark).
  const printSummary = !o.quiet && (o.mode === 'text' || o.mode === 'tabs') && (o.summary || (!o.verbose && !o.hex && !writer));
  const lp = planLoop(o, plan, filters, needTree, printSummary);
  const display = filters.display, tcpdump = filters.tcpdump, captureFilter = filters.capture;
  // The TCP tracker: whenever every packet is dissected (the output or the filter may read its
  // verdicts); the fast path's fields never need it.
  const tracker = lp.tracker ? prepareCapture(capture) : null;
  const opts = lp.opts;
  const printFields = plan !== null && !o.quiet;
  // When the columns (and fields the headers give) are all a dissection is for, header-only
  // TCP packets skip it.
  const headerSummary = tracker && (printSummary || printFields) && (!printFields || fastPathCovers(plan!.wanted)) && !needTree
    && display === null && o.mode !== 'json' && !o.verbose && o.fastSummary !== false
    ? new HeaderSummary(capture, tracker)
    : null;
  const needColumns = printSummary || (printFields && plan!.needsColumns);
  const digitsByIface = info.interfaces.map((i) => precisionDigits(i.tsUnitsPerSecond));
  const defaultDigits = info.tsPrecision === 'ns' ? 9 : 6;
  const pcapng = info.format === 'pcapng';
  const fast = lp.fast ? new FastFieldSource() : null;
  const dissectAll = lp.dissectAll;
  const limit = o.count ?? Infinity;
  // -q, or -w without -P, -V, -x, -T: a matching packet is written (or counted), nothing printed.
  const printsPackets = !o.quiet && (printSummary || printFields || o.mode === 'json' || o.verbose || o.hex);

  if (printFields && plan!.opts.header) out.write(plan!.header());
  let firstTs: AbsTime | undefined;
  let prevSec = 0, prevNsec = 0;
  let hasPrev = false;
  // With a filter, the previous packet it let through (frame.time_delta_displayed; none yet: 0).
  let shown: AbsTime | undefined;
  const filtering = display !== null || tcpdump !== null;
  let n = 0;
  let jsonFirst = true;
  const tabs = o.mode === 'tabs';
  try {
    for (;;) {
      if (n >= limit) break;
      let rec = src.next();
      if (rec instanceof Promise) rec = await rec;
      if (rec === null) break;
      // -f: a record the capture filter rejects was never captured (libpcap ignores custom blocks).
      const slot = rec instanceof RecordSlot ? rec : null;
      if (captureFilter && (rec.pen !== undefined || !(slot ? captureFilter.testAt(slot.buf, slot.start, rec.capLen, rec.linkType, rec.origLen) : captureFilter.test(rec.data, rec.linkType, rec.origLen)))) continue;
      n++;
      const sec = rec.ts.sec, nsec = rec.ts.nsec;
      if (!firstTs) firstTs = { sec, nsec };

      let d: Dissection | null = null;
      let fastOk = false;
      let frame: FrameInput | null = null;
      if (fast) {
        stampFrame(fast, n, sec, nsec, firstTs, prevSec, prevNsec, hasPrev);
        fastOk = slot ? fast.decode(slot.buf, slot.start, rec.capLen, rec.origLen, rec.linkType) : fast.decode(rec.data, 0, rec.capLen, rec.origLen, rec.linkType);
      }
      let summarized = false;
      if (headerSummary && rec.pen === undefined) {
        summarized = slot
          ? headerSummary.summarize(slot.buf, slot.start, rec.capLen, rec.origLen, rec.linkType, n, sec, nsec)
          : headerSummary.summarize(rec.data, 0, rec.capLen, rec.origLen, rec.linkType, n, sec, nsec);
        if (summarized && printFields) stampFrame(headerSummary.headers, n, sec, nsec, firstTs, prevSec, prevNsec, hasPrev);
      }
      if (!summarized && (dissectAll || (fast && !fastOk))) {
        frame = frameFromRecord(rec, n, firstTs, hasPrev ? { sec: prevSec, nsec: prevNsec } : undefined, info, filtering ? shown ?? { sec, nsec } : undefined);
        d = dissect(frame, capture, opts);
      }
      prevSec = sec;
      prevNsec = nsec;
      hasPrev = true;

      let matched = true;
      if (display) matched = display.test(d ? fieldSourceFromDissection(d) : fast!);
      else if (tcpdump) matched = rec.pen === undefined && (slot ? tcpdump.testAt(slot.buf, slot.start, rec.capLen, rec.linkType, rec.origLen) : tcpdump.test(rec.data, rec.linkType, rec.origLen));
      if (!matched) continue;
      if (filtering) shown = { sec, nsec };

      if (writer) {
        writer.write(rec);
        if (o.lineBuffered) writer.flush();
      }
      if (!printsPackets) continue;
      let cols: SummaryColumns | null = null;
      if (needColumns && (d || summarized)) {
        const digits = pcapng ? (digitsByIface[rec.interfaceId] ?? 6) : defaultDigits;
        cols = {
          no: n,
          time: formatRelative({ sec, nsec }, firstTs, digits),
          src: d ? d.src : headerSummary!.src,
          dst: d ? d.dst : headerSummary!.dst,
          protocol: d ? d.protocol : headerSummary!.protocol,
          length: rec.origLen,
          info: d ? d.info : headerSummary!.info,
        };
      }
      if (printSummary) out.write(tabs ? summaryLineTabs(cols!) : summaryLine(cols!));
      if (printFields) {
        if (d) out.write(plan!.line(needTree ? d.roots : d.flat, needTree, cols));
        else out.write(plan!.line(fastNodes(summarized ? headerSummary!.headers : fast!, plan!), false, cols));
      }
      if (o.mode === 'json' && d) {
        out.write(jsonPacket(d.roots, jsonFirst));
        jsonFirst = false;
      }
      if (o.verbose && o.mode !== 'json' && d) out.write(treeText(d.roots, d.sources));
      if (o.hex) out.write(d && d.sources.length > 1 ? hexDumpSources(d.sources.map((bytes, i) => ({ name: d.ctx.sourceName(i), bytes }))) : hexDump(rec.data));
      if (o.lineBuffered) out.flush();
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    if (o.mode === 'json' && !o.quiet) out.write(jsonFirst ? '[\n]\n' : '\n]\n');
    out.flush();
    err.write(`synscope: ${fileErrorText(o.file, e)}\n`);
    err.flush();
    return EXIT_FILE;
  }
  if (o.mode === 'json' && !o.quiet) out.write(jsonFirst ? '[\n]\n' : '\n]\n');
  out.flush();
  return EXIT_OK;
}

/** The frame fields (number and times) of a packet the fast path decodes. */
function stampFrame(f: FastFieldSource, n: number, sec: number, nsec: number, first: AbsTime, prevSec: number, prevNsec: number, hasPrev: boolean): void {
  f.number = n;
  f.tsSec = sec;
  f.tsNsec = nsec;
  f.firstSec = first.sec;
  f.firstNsec = first.nsec;
  f.prevSec = prevSec;
  f.prevNsec = prevNsec;
  f.hasPrev = hasPrev;
}

/** The -T fields values of a packet the fast path decoded, as the nodes FieldsPlan prints. */
function fastNodes(fast: FastFieldSource, plan: FieldsPlan): FieldNode[] {
  const nodes: FieldNode[] = [];
  for (const id of plan.wanted) {
    const field = fieldById(id);
    for (const value of fast.values(id)) nodes.push({ field, start: 0, length: 0, value });
  }
  return nodes;
}
