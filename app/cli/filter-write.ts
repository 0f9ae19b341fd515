// `synscope read FILE [-f EXPR] [-c N] -w OUT` printing nothing: records go from the reader
// through the tcpdump expression to the writer and are never dissected (tcpdump -r F -w OUT EXPR).
// It imports no protocol module and no field registry, and the build gives it a bundle of its
// own (dist/synscope-filter-write.mjs, see main.ts): such a run costs Node's start-up plus ~0.01 s
// before its first packet, where loading the whole CLI took ~0.07 s of CPU, a third of what
// tcpdump needs to filter a 400 MB file.
import type { ReadOptions } from './args.js';
import { compileCaptureFilter, EXIT_FILTER, tcpdumpLinkProblem } from './capture-filter.js';
import { createWriter, EXIT_FILE, EXIT_OK, fileErrorText, openForRead } from './open-capture.js';
import type { Sink } from './sink.js';
import type { CaptureReader } from '../file/reader.js';
import { PcapReader, pcapNsec, readU32 } from '../file/pcap.js';
import { RecordSlot } from '../file/slot.js';
import { CaptureFileError } from '../file/types.js';
import type { CaptureWriter } from '../file/writer.js';
import type { TcpdumpFilter } from '../filter/tcpdump/compile.js';

/** runRead for the options filterWriteOnly (args.ts) accepts: same errors, same exit statuses, same file. */
export function runFilterWrite(o: ReadOptions, err: Sink): number {
  const compiled = compileCaptureFilter(o.captureFilter);
  if (!compiled.ok) {
    err.write(compiled.error);
    err.flush();
    return EXIT_FILTER;
  }
  const filter = compiled.filter;
  const src = openForRead(o.file, err);
  if (typeof src === 'number') return src;
  const linkProblem = tcpdumpLinkProblem([filter], src.info);
  if (linkProblem) {
    src.close();
    err.write(linkProblem);
    err.flush();
    return EXIT_FILTER;
  }
  let writer: CaptureWriter | null = null;
  try {
    writer = createWriter(o.writeFile!, o.writeFormat, src.info);
    // -l (a live feed): each packet goes out as soon as it is read.
    if (src.format instanceof PcapReader && o.writeFormat === 'pcap' && !o.lineBuffered) copyPcapRuns(src.format, filter, writer, o.count ?? Infinity);
    else copyRecords(src, filter, writer, o.count ?? Infinity, o.lineBuffered);
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    // Every packet before the damage is written, as with tshark.
    err.write(`synscope: ${fileErrorText(o.file, e)}\n`);
    err.flush();
    return EXIT_FILE;
  } finally {
    src.close();
    writer?.close();
  }
  return EXIT_OK;
}

/** Any input and output format: record by record, as readLoop does for -f. */
function copyRecords(src: CaptureReader, filter: TcpdumpFilter | null, writer: CaptureWriter, count: number, flushEach: boolean): void {
  for (let n = 0; n < count; ) {
    const rec = src.next();
    if (rec === null) return;
    // libpcap ignores pcapng Custom Blocks: with -f they were never captured.
    if (filter && (rec.pen !== undefined || !(rec instanceof RecordSlot ? filter.testAt(rec.buf, rec.start, rec.capLen, rec.linkType, rec.origLen) : filter.test(rec.data, rec.linkType, rec.origLen)))) continue;
    n++;
    writer.write(rec);
    if (flushEach) writer.flush();
  }
}

/** Records per PcapReader.batch: all a read chunk (CHUNK_SIZE, 512 KiB) holds even of empty records. */
const BATCH = 1 << 15;
/** The largest µs fraction write() stores unchanged: it keeps wiretap's int nanoseconds. */
const MAX_EXACT_USEC = Math.floor(0xffffffff / 1000);

/**
 * pcap in, pcap out: the writer keeps the file's header words (writerOptionsFromInfo), so it
 * writes a record exactly as it lies in the file. Each run of consecutive matching records is one
 * slice of the read chunk, and a chunk's runs go out in one writev: no copy, no view per packet.
 */
function copyPcapRuns(r: PcapReader, filter: TcpdumpFilter | null, writer: CaptureWriter, count: number): void {
  const at = new Int32Array(BATCH);
  const le = r.littleEndian;
  const ns = r.info.tsPrecision === 'ns';
  const linkType = r.info.interfaces[0]!.linkType;
  const test = filter ? filter.matcher(linkType) : null;
  const runs: Uint8Array[] = [];
  let left = count;
  while (left > 0) {
    const n = r.batch(at);
    if (n === 0) return;
    const b = r.chunk;
    let runStart = 0, runEnd = -1;
    for (let k = 0; k < n && left > 0; k++) {
      const i = at[k]!;
      const incl = readU32(b, i + 8, le);
      if (test && !test(b, i + 16, incl, readU32(b, i + 12, le))) continue;
      left--;
      const end = i + 16 + incl;
      const frac = readU32(b, i + 4, le);
      if (!ns && frac > MAX_EXACT_USEC) {
        if (runEnd > runStart) runs.push(b.subarray(runStart, runEnd));
        runEnd = -1;
        writer.writePcapRecords(runs);
        runs.length = 0;
        const sec = readU32(b, i, le);
        writer.write({ index: 0, fileOffset: 0, interfaceId: 0, linkType, ts: { sec, nsec: pcapNsec(frac, false) }, capLen: incl, origLen: readU32(b, i + 12, le), data: b.subarray(i + 16, end), blockType: 0 });
        continue;
      }
      if (i !== runEnd) {
        if (runEnd > runStart) runs.push(b.subarray(runStart, runEnd));
        runStart = i;
      }
      runEnd = end;
    }
    if (runEnd > runStart) runs.push(b.subarray(runStart, runEnd));
    // Before the next batch() reuses the chunk.
    writer.writePcapRecords(runs);
    runs.length = 0;
  }
}
