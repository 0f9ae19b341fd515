// `synscope read`: the core of the command as a function writing to sinks, so tests run it
// in-process (the whole-corpus differential test) and main.ts only wires it to stdout.
import { statSync } from 'node:fs';
import { readKeyLogFile } from '../dissect/tls-keylog.js';
import type { AbsTime } from '../dissect/tree.js';
import { openCaptureFile } from '../file/reader.js';
import { CaptureFileError } from '../file/types.js';
import type { ReadOptions } from './args.js';
import { FieldsPlan, InvalidFieldsError } from './fields.js';
import { compileReadFilters, EXIT_FILTER, linkTypeProblem, type ReadFilters } from './filters.js';
import { formatRelative } from './output.js';
import { ReadPass } from './read-pass.js';
import { PacketShares } from './packet-shares.js';
import { readThreads, runParallelRead } from './read-parallel.js';
import { BrokenPipeError, StringSink, type Sink } from './sink.js';
import { StreamNeeds } from './stream-needs.js';
import { PacketIndex } from '../store/packet-index.js';
import { type PacketSource, type PacketWriter, openWriter } from './source.js';
import { EXIT_FILE, EXIT_OK, EXIT_USAGE, fileErrorText, openForRead, READ_PASS } from './open-capture.js';

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
    // A protocol's label (`-e ip`) is made only with the tree.
    if (plan.printsProtocolLabels) o = { ...o, forceTree: true };
  }
  // tshark compiles -Y before it opens the file.
  const compiled = compileReadFilters(o.displayFilter, o.captureFilter);
  if (!compiled.ok) {
    err.write(compiled.error);
    err.flush();
    return EXIT_FILTER;
  }
  // A key log that cannot be read is said before the capture is (tshark would decrypt nothing, silently).
  if (o.tlsKeylogFile) {
    try {
      readKeyLogFile(o.tlsKeylogFile);
    } catch (e) {
      err.write(`synscope: ${(e as Error).message}\n`);
      err.flush();
      return EXIT_FILE;
    }
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

  const threads = readThreads(o, compiled.filters);
  if (threads > 1) {
    src.close();
    try {
      return await runParallelRead(o, threads, out, err);
    } catch (e) {
      if (e instanceof BrokenPipeError) return EXIT_OK;
      throw e;
    }
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

async function readLoop(o: ReadOptions, src: PacketSource, plan: FieldsPlan | null, filters: ReadFilters, writer: PacketWriter | null, out: Sink, err: Sink): Promise<number> {
  const pass = new ReadPass(o, src.info, plan, filters, writer, out);
  // A file read twice: first the headers, to find which packets the output depends on.
  const needPlan = pass.wantsFirstPass && isRegularFile(o.file) ? await firstPass(o, src.info, filters) : null;
  if (needPlan) pass.usePlan(needPlan);
  pass.start();
  try {
    await runPass(pass, src);
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    pass.end();
    err.write(`synscope: ${fileErrorText(o.file, e)}\n`);
    err.flush();
    return EXIT_FILE;
  }
  pass.end();
  return EXIT_OK;
}

/** Every packet of `src` through `pass` (a pipe's records awaited one by one). */
async function runPass(pass: ReadPass, src: PacketSource): Promise<void> {
  for (;;) {
    const waiting = pass.drain(src);
    if (waiting === null) return;
    const rec = await waiting;
    if (rec === null) return;
    pass.packet(rec);
  }
}

/**
 * The filter over the headers of every packet, printing nothing (stream-needs.ts): which
 * packets the printing pass dissects, skips and prints; null when nearly every packet matches.
 * Damage ends it quietly: the printing pass stops at the same record and reports it.
 */
export async function firstPass(o: ReadOptions, info: PacketSource['info'], filters: ReadFilters, share?: { count: number; index: number }): Promise<Uint8Array | null> {
  const needs = new StreamNeeds(isRegularFile(o.file) ? statSync(o.file).size : 0);
  const src = openCaptureFile(o.file, READ_PASS);
  try {
    const pass = new ReadPass({ ...o, quiet: true, writeFile: null }, info, null, filters, null, new StringSink(), needs);
    // One thread of several (read-share.ts): the plan for its own packets (the others are skipped in both passes).
    if (share) pass.useShare(new PacketShares(share.count), share.index);
    await runPass(pass, src);
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
  } finally {
    src.close();
  }
  return needs.pointless ? null : needs.finish();
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
