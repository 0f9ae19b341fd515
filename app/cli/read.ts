// `synscope read`: the core of the command as a function writing to sinks, so tests run it
// in-process (the whole-corpus differential test) and main.ts only wires it to stdout.
import { statSync } from 'node:fs';
import { CaptureState, dissect, type Dissection, type DissectOptions, type FrameInput } from '../dissect/driver.js';
import type { AbsTime } from '../dissect/tree.js';
import { CaptureFileError, type CaptureFileInfo } from '../file/types.js';
import type { ReadOptions } from './args.js';
import { FieldsPlan, InvalidFieldsError } from './fields.js';
import { hexDump, jsonPacket, precisionDigits, formatRelative, summaryLine, summaryLineTabs, treeText, type SummaryColumns } from './output.js';
import { BrokenPipeError, type Sink } from './sink.js';
import { PacketIndex } from '../store/packet-index.js';
import { openSource, prepareCapture, type PacketSource, type PacketWriter, openWriter } from './source.js';

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_FILE = 2;

/** Why a file cannot be opened, in the words of strerror (what `cat` and tshark users know). */
function openProblem(path: string): string | null {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return `cannot open ${path}: Is a directory`;
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `cannot open ${path}: No such file or directory`;
    if (code === 'EACCES') return `cannot open ${path}: Permission denied`;
    return `cannot open ${path}: ${(e as Error).message}`;
  }
}

function fileErrorText(path: string, e: CaptureFileError): string {
  const where = e.packetNumber !== undefined ? ` (packet ${e.packetNumber}, offset ${e.offset})` : ` (offset ${e.offset})`;
  return `${path}: ${e.message}${where}`;
}

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
  const problem = openProblem(o.file);
  if (problem) {
    err.write(`synscope: ${problem}\n`);
    err.flush();
    return EXIT_FILE;
  }
  let src: PacketSource;
  try {
    src = await openSource(o.file);
  } catch (e) {
    if (e instanceof CaptureFileError) {
      err.write(`synscope: ${o.file} isn't a capture file in a format SynScope understands: ${e.message}\n`);
      err.flush();
      return EXIT_FILE;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code) {
      err.write(`synscope: cannot open ${o.file}: ${(e as Error).message}\n`);
      err.flush();
      return EXIT_FILE;
    }
    throw e;
  }

  let writer: PacketWriter | null = null;
  let status = EXIT_OK;
  try {
    if (o.writeFile) writer = await openWriter(o.writeFile, o.writeFormat, src.info);
    status = await readLoop(o, src, plan, writer, out, err);
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
  const problem = openProblem(file);
  if (problem) {
    err.write(`synscope: ${problem}\n`);
    return EXIT_FILE;
  }
  let src: PacketSource;
  try {
    src = await openSource(file);
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    err.write(`synscope: ${file} isn't a capture file in a format SynScope understands: ${e.message}\n`);
    return EXIT_FILE;
  }
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
      if (!first) first = { ...rec.ts };
      last = rec.ts;
    }
    if (last) last = { ...last };
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

async function readLoop(o: ReadOptions, src: PacketSource, plan: FieldsPlan | null, writer: PacketWriter | null, out: Sink, err: Sink): Promise<number> {
  const info: CaptureFileInfo = src.info;
  const capture = new CaptureState();
  prepareCapture(capture);

  const needTree = o.verbose || o.mode === 'json' || o.forceTree === true;
  // -V, -x and -w replace the summary line unless -P asks for it too (as in tshark).
  const printSummary = (o.mode === 'text' || o.mode === 'tabs') && (o.summary || (!o.verbose && !o.hex && !writer));
  const opts: DissectOptions = needTree ? { tree: true } : { tree: false, wanted: plan ? plan.wanted : null };
  const needColumns = printSummary || (plan !== null && plan.needsColumns);
  const digitsByIface = info.interfaces.map((i) => precisionDigits(i.tsUnitsPerSecond));
  const defaultDigits = info.tsPrecision === 'ns' ? 9 : 6;
  const pcapng = info.format === 'pcapng';

  if (plan && plan.opts.header) out.write(plan.header());
  let firstTs: AbsTime | undefined;
  let prevTs: AbsTime | undefined;
  let n = 0;
  let jsonFirst = true;
  const tabs = o.mode === 'tabs';
  try {
    for (;;) {
      if (o.count !== null && n >= o.count) break;
      let rec = src.next();
      if (rec instanceof Promise) rec = await rec;
      if (rec === null) break;
      n++;
      const ts: AbsTime = { sec: rec.ts.sec, nsec: rec.ts.nsec };
      if (!firstTs) firstTs = ts;
      const iface = pcapng ? info.interfaces[rec.interfaceId] : undefined;
      const frame: FrameInput = {
        number: n,
        ts,
        capLen: rec.capLen,
        origLen: rec.origLen,
        linkType: rec.linkType,
        data: rec.data,
        firstTs,
        prevTs,
      };
      if (rec.pen !== undefined) {
        frame.customBlock = { pen: rec.pen, copy: rec.blockType === 0xbad };
      } else if (pcapng) {
        // tshark numbers interfaces within their section (frame.interface_id).
        frame.interfaceId = rec.sectionInterfaceId ?? rec.interfaceId;
        if (iface?.name !== undefined) frame.interfaceName = iface.name;
      }
      if (rec.comments && rec.comments.length) frame.comments = rec.comments;
      prevTs = ts;

      if (writer) writer.write(rec);
      const d: Dissection = dissect(frame, capture, opts);

      let cols: SummaryColumns | null = null;
      if (needColumns) {
        const digits = pcapng ? (digitsByIface[rec.interfaceId] ?? 6) : defaultDigits;
        cols = {
          no: n,
          time: formatRelative(ts, firstTs, digits),
          src: d.src,
          dst: d.dst,
          protocol: d.protocol,
          length: rec.origLen,
          info: d.info,
        };
      }
      if (printSummary) out.write(tabs ? summaryLineTabs(cols!) : summaryLine(cols!));
      if (plan) out.write(plan.line(needTree ? d.roots : d.flat, needTree, cols));
      if (o.mode === 'json') {
        out.write(jsonPacket(d.roots, jsonFirst));
        jsonFirst = false;
      }
      if (o.verbose && o.mode !== 'json') out.write(treeText(d.roots));
      if (o.hex) out.write(hexDump(rec.data));
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    if (o.mode === 'json') out.write(jsonFirst ? '[\n]\n' : '\n]\n');
    out.flush();
    err.write(`synscope: ${fileErrorText(o.file, e)}\n`);
    err.flush();
    return EXIT_FILE;
  }
  if (o.mode === 'json') out.write(jsonFirst ? '[\n]\n' : '\n]\n');
  out.flush();
  return EXIT_OK;
}
