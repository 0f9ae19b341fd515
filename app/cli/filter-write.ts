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
import { CaptureFileError } from '../file/types.js';
import type { CaptureWriter } from '../file/writer.js';
import { verdictExpression, type MatcherSource, type TcpdumpFilter } from '../filter/tcpdump/compile.js';
import { keepsRecord } from '../filter/tcpdump/keeps-record.js';

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
    if (filter && !keepsRecord(filter, rec)) continue;
    n++;
    writer.write(rec);
    if (flushEach) writer.flush();
  }
}

/** The largest µs fraction write() stores unchanged: it keeps wiretap's int nanoseconds. */
const MAX_EXACT_USEC = Math.floor(0xffffffff / 1000);

/**
 * pcap in, pcap out: the writer keeps the file's header words (writerOptionsFromInfo), so it
 * writes a record exactly as it lies in the file. Each run of consecutive matching records is one
 * slice of the read chunk, and a chunk's runs go out in one writev: no copy, no view per packet.
 */
function copyPcapRuns(r: PcapReader, filter: TcpdumpFilter | null, writer: CaptureWriter, count: number): void {
  const linkType = r.info.interfaces[0]!.linkType;
  const scan = compileChunkScan(filter ? filter.matcherSource(linkType) : null, r.littleEndian, r.info.tsPrecision === 'ns', r.maxCapLen);
  const out = new Int32Array(SCAN_OUT);
  let runs = new Int32Array(0);
  const views: Uint8Array[] = [];
  for (let left = count; left > 0; ) {
    const i = r.bulkStart();
    if (i < 0) return;
    const b = r.chunk;
    // A run per record at most, and a record takes 16 bytes at least.
    if (runs.length < 2 * (b.length >> 4) + 2) runs = new Int32Array(2 * (b.length >> 4) + 2);
    scan(b, i, r.chunkEnd, left, out, runs);
    r.skip(out[SCAN_NEXT]! - i, out[SCAN_WALKED]!);
    left -= out[SCAN_MATCHED]!;
    for (let k = 0; k < out[SCAN_RUNS]!; k++) views.push(b.subarray(runs[2 * k]!, runs[2 * k + 1]!));
    // Before the next bulkStart() reuses the chunk.
    writer.writePcapRecords(views);
    views.length = 0;
    const odd = out[SCAN_ODD]!;
    if (odd >= 0) {
      // A µs fraction the writer must normalise: this record goes through write().
      const le = r.littleEndian;
      const incl = readU32(b, odd + 8, le);
      const ts = { sec: readU32(b, odd, le), nsec: pcapNsec(readU32(b, odd + 4, le), false) };
      writer.write({ index: 0, fileOffset: 0, interfaceId: 0, linkType, ts, capLen: incl, origLen: readU32(b, odd + 12, le), data: b.subarray(odd + 16, odd + 16 + incl), blockType: 0 });
    }
  }
}

// What a ChunkScan reports in `out`.
/** The index after the last record walked. */
const SCAN_NEXT = 0;
const SCAN_WALKED = 1;
const SCAN_MATCHED = 2;
/** Runs stored in `runs` as [start, end) index pairs. */
const SCAN_RUNS = 3;
/** The index of a matching record whose µs fraction is > MAX_EXACT_USEC (the walk's last), or -1. */
const SCAN_ODD = 4;
const SCAN_OUT = 5;

/**
 * Walks the pcap records lying whole in b[i, end) (from bulkStart), tests each, and stores the
 * runs of consecutive matching ones, until `left` have matched.
 */
type ChunkScan = (b: Uint8Array, i: number, end: number, left: number, out: Int32Array, runs: Int32Array) => void;

/**
 * The walk and the filter's test compiled into one function, as BPF's JIT would: a call per
 * packet to a separate matcher cost more than most tests (0.088 -> 0.077 s for `tcp[tcpflags] &
 * tcp-syn != 0` on 1M packets, read included). Header words in the file's byte order; `test`
 * null copies every record.
 */
function compileChunkScan(test: MatcherSource | null, littleEndian: boolean, ns: boolean, maxLen: number): ChunkScan {
  const word = (o: string) =>
    littleEndian ? `((b[${o}] | (b[${o} + 1] << 8) | (b[${o} + 2] << 16) | (b[${o} + 3] << 24)) >>> 0)` : `(((b[${o}] << 24) | (b[${o} + 1] << 16) | (b[${o} + 2] << 8) | b[${o} + 3]) >>> 0)`;
  const matches = test ? verdictExpression(test) : 'true';
  // The source is ours alone: the matcher's generated source and numbers, no text of the filter.
  const body = `'use strict'; return (b, i, end, left, out, runs) => {
    let walked = 0, matched = 0, nr = 0, runStart = 0, runEnd = -1, odd = -1;
    while (i + 16 <= end && matched < left) {
      const n = ${word('i + 8')}, s = i + 16, e = s + n;
      if (n > ${maxLen} || e > end) break;
      walked++;
      const w = ${word('i + 12')};
      if (${matches}) {
        matched++;
        ${ns ? '' : `if (${word('i + 4')} > ${MAX_EXACT_USEC}) { odd = i; i = e; break; }`}
        if (i !== runEnd) {
          if (runEnd > runStart) { runs[2 * nr] = runStart; runs[2 * nr + 1] = runEnd; nr++; }
          runStart = i;
        }
        runEnd = e;
      }
      i = e;
    }
    if (runEnd > runStart) { runs[2 * nr] = runStart; runs[2 * nr + 1] = runEnd; nr++; }
    out[${SCAN_NEXT}] = i; out[${SCAN_WALKED}] = walked; out[${SCAN_MATCHED}] = matched; out[${SCAN_RUNS}] = nr; out[${SCAN_ODD}] = odd;
  };`;
  const names = test ? test.names : [];
  const values = test ? test.values : [];
  return (new Function(...names, body) as (...a: unknown[]) => ChunkScan)(...values);
}
