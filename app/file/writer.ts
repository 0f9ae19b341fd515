// Streaming capture writer: pcap (µs or ns) or pcapng (one section: SHB + IDBs + EPBs), either
// byte order. Output goes to a temp file in the target's directory; close() flushes, fsyncs and
// renames it into place (atomic: readers never see half a file), abort() removes it. A target
// that exists and is not a regular file (/dev/null, a FIFO, /dev/stdout) is written directly:
// renaming a temp file over it would replace the device node itself (tshark -w /dev/null).
//
// Byte-identical rewrites: pcap -> pcap always (header words kept, see WriterOptions.pcap).
// pcapng -> pcapng when the file is one section of SHB/IDB/EPB/SPB (and Custom Blocks read with
// ReaderOptions.customBlocks), written in the byte order it was read in: the options areas are
// copied verbatim (RawOptions) and the SHB's Section Length is recomputed when it was given.
// Not reproduced: NRB/ISB/DSB/unknown blocks (not records, dropped), several sections (written
// as one), obsolete Packet Blocks (written as EPBs), non-zero padding bytes.
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync, writevSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PCAP_MAGIC_NS, PCAP_MAGIC_US, pcapLinkType } from './pcap.js';
import { RecordSlot } from './slot.js';
import {
  BT_CB,
  decodeString,
  parseOptions,
  BT_CB_NOCOPY,
  BT_EPB,
  BT_IDB,
  BT_SHB,
  BT_SPB,
  BYTE_ORDER_MAGIC,
  EPB_FLAGS,
  IF_DESCRIPTION,
  IF_NAME,
  IF_TSOFFSET,
  IF_TSRESOL,
  OPT_COMMENT,
  SHB_HARDWARE,
  SHB_OS,
  SHB_USERAPPL,
} from './pcapng.js';
import type { CaptureFileInfo, CaptureFormat, InterfaceInfo, PacketRecord, PcapngOption, RawOptions } from './types.js';

/** An interface to declare in the output; `id` is the PacketRecord.interfaceId that refers to it. */
export type WriterInterface = Pick<InterfaceInfo, 'id' | 'linkType' | 'snapLen'> &
  Partial<Pick<InterfaceInfo, 'name' | 'description' | 'tsUnitsPerSecond' | 'tsOffset' | 'options' | 'rawOptions' | 'blockOffset'>>;

export interface WriterOptions {
  format: CaptureFormat;
  /** pcap: nanosecond magic (a1b23c4d). pcapng: if_tsresol 9 on interfaces that declare no resolution. */
  nanosecond?: boolean;
  /** Default true. */
  littleEndian?: boolean;
  interfaces: WriterInterface[];
  sectionComments?: string[];
  hardware?: string;
  os?: string;
  application?: string;
  /** pcap header words, for byte-identical rewrites (defaults 2.4, 0, 0, link type of interface 0). */
  pcap?: { versionMajor?: number; versionMinor?: number; thisZone?: number; sigFigs?: number; linkTypeRaw?: number };
  /** pcapng SHB details, for byte-identical rewrites. */
  pcapng?: {
    /** 0 (default) or 2: wiretap reads 1.0 and 1.2. */
    versionMinor?: number;
    /** Fill in the SHB's Section Length at close (default: -1, "not given"). */
    sectionLength?: boolean;
    /** The source SHB's options area: copied verbatim when it agrees with the fields above. */
    rawOptions?: RawOptions;
  };
  /** Every record through the general encoder, never epbFast() (tests compare the two). */
  generalPathOnly?: boolean;
}

/** Options that rewrite a file read with `info` as faithfully as the format allows. */
export function writerOptionsFromInfo(info: CaptureFileInfo, format: CaptureFormat = info.format): WriterOptions {
  const s0 = info.sections[0];
  const opts: WriterOptions = {
    format,
    nanosecond: info.tsPrecision === 'ns',
    littleEndian: info.littleEndian,
    interfaces: info.interfaces,
  };
  if (s0) {
    opts.sectionComments = s0.comments;
    if (s0.hardware !== undefined) opts.hardware = s0.hardware;
    if (s0.os !== undefined) opts.os = s0.os;
    if (s0.application !== undefined) opts.application = s0.application;
    opts.pcapng = { versionMinor: s0.versionMinor === 2 ? 2 : 0, sectionLength: s0.sectionLength !== -1 };
    if (s0.rawOptions) opts.pcapng.rawOptions = s0.rawOptions;
  }
  if (info.format === 'pcap' && format === 'pcap') {
    opts.pcap = { versionMajor: info.versionMajor, versionMinor: info.versionMinor };
    if (info.thisZone !== undefined) opts.pcap.thisZone = info.thisZone;
    if (info.sigFigs !== undefined) opts.pcap.sigFigs = info.sigFigs;
    if (info.linkTypeRaw !== undefined) opts.pcap.linkTypeRaw = info.linkTypeRaw;
  }
  return opts;
}

const BUFFER_SIZE = 4 << 20;
const HOST_LE = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** The whole words of `b` (Buffer.allocUnsafe of BUFFER_SIZE or more: its own 8-aligned memory). */
function wordsOf(b: Buffer): Uint32Array {
  return new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
}
const NO_COMMENTS: readonly string[] = [];

/**
 * Whether `path` exists and is something other than a regular file (device, FIFO, socket), or
 * lives in /dev or /proc (/dev/stdout is a link to whatever fd 1 is, maybe a regular file: a
 * temp file renamed over it would replace the link).
 */
function isSpecialFile(path: string): boolean {
  if (/^\/(dev|proc)\//.test(path)) return true;
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}
const utf8 = new TextEncoder();

/**
 * IDB options copied through as they are: their values have no byte order (strings, addresses,
 * the filter, if_fcslen). Numeric ones (if_speed, if_tzone, ...) would need the source's byte
 * order and are dropped; name, description, if_tsresol and if_tsoffset are written from the
 * interface's fields.
 */
const BYTE_ORDER_FREE_IF_OPTIONS = new Set([4, 5, 6, 7, 11, 12, 13, 15]);

/**
 * A packet the output format cannot hold (another link type in a pcap file). Bundles each carry
 * their own copy of this class, so the CLI's launcher recognises it by its name.
 */
export class CaptureWriteError extends Error {
  override readonly name = 'CaptureWriteError';
}

export class CaptureWriter {
  private readonly fd: number;
  private readonly tmpPath: string;
  /** The target is a device or pipe: written in place, no temp file, rename or fsync. */
  private readonly direct: boolean;
  /** Writing to fd 1: never closed here (the process may still print to it). */
  private readonly stdout: boolean;
  private out = Buffer.allocUnsafe(BUFFER_SIZE);
  private used = 0;
  private closed = false;
  private readonly le: boolean;
  private readonly format: CaptureFormat;
  private readonly ns: boolean;
  /** Bytes handed to the file so far (flushed or buffered). */
  private written = 0;
  /** pcapng: patch the SHB's Section Length at close. */
  private sectionLength = false;
  /** PacketRecord.interfaceId -> [pcapng interface number, units per second, tsoffset]. */
  private readonly ifMap = new Map<number, { local: number; units: bigint; offset: number; linkType: number; snapLen: number }>();
  /** The interface of the previous packet (nearly always this packet's too). */
  private lastIfc: { local: number; units: bigint; offset: number; linkType: number; snapLen: number } | undefined = undefined;
  private lastIfcId = -1;
  /**
   * pcapng: the PacketRecord.interfaceId whose plain records take epbFast(), NaN (equal to no id)
   * for none. Set by the general path once every IDB is written, for an interface with µs ticks
   * (no if_tsresol, or 6); cleared at close.
   */
  private fastIfcId = NaN;
  private fastLocal = 0;
  private fastOffset = 0;
  private readonly generalOnly: boolean;
  /** WriterOptions.interfaces: the reader's own list, which grows as it meets IDBs (lateInterface). */
  private readonly interfaces: readonly WriterInterface[];
  /** `out` as words, for epbFast(). */
  private out32 = wordsOf(this.out);

  private constructor(
    private readonly path: string,
    opts: WriterOptions,
  ) {
    this.le = opts.littleEndian ?? true;
    this.format = opts.format;
    this.ns = opts.nanosecond ?? false;
    this.generalOnly = opts.generalPathOnly ?? false;
    this.interfaces = opts.interfaces;
    if (opts.format === 'pcap' && opts.interfaces.length === 0) throw new Error('a pcap file needs an interface (its link type and snaplen)');
    this.direct = isSpecialFile(path);
    this.tmpPath = this.direct ? path : join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    // Standard output is written through fd 1 itself: opening /dev/stdout fails when it is a
    // socket (ENXIO), as it is under a parent that pipes through socketpairs.
    this.stdout = path === '/dev/stdout';
    this.fd = this.stdout ? 1 : openSync(this.tmpPath, this.direct ? 'w' : 'wx', 0o644);
    try {
      if (opts.format === 'pcap') this.pcapHeader(opts);
      else this.pcapngHeader(opts);
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  static create(path: string, opts: WriterOptions): CaptureWriter {
    return new CaptureWriter(path, opts);
  }

  write(rec: PacketRecord): void {
    // Nearly every record a filter's -w writes: a packet on the interface of the previous one,
    // with no comments, flags or options and a time in µs ticks.
    if (rec.interfaceId === this.fastIfcId && rec.pen === undefined && rec.comments === undefined &&
        rec.flags === undefined && rec.rawOptions === undefined && rec.tsAbsent !== true && (this.used & 3) === 0) {
      const sec = rec.ts.sec - this.fastOffset, nsec = rec.ts.nsec;
      if (sec >= 0 && sec < 9e9 && nsec >= 0) {
        this.epbFast(rec instanceof RecordSlot ? rec.bytes() : rec.data, rec.origLen, sec * 1e6 + Math.trunc(nsec / 1000));
        return;
      }
    }
    this.writeRecord(rec);
  }

  /**
   * The EPB the general path writes for such a record, in the fewest operations: one reserve,
   * seven 32-bit stores for the 28-byte header, one copy of the data, one store for the padding,
   * one for the trailer. `ticks` < 2^53 µs (exact as a double). The stores are whole words of
   * `out32` (the file's byte order is the machine's, `used` is 4-byte aligned: see write()).
   */
  private epbFast(data: Uint8Array, origLen: number, ticks: number): void {
    const capLen = data.length;
    const len = 32 + ((capLen + 3) & ~3);
    if (this.used + len > this.out.length) this.reserve(len);
    const w = this.out32, i = this.used >> 2, last = i + (len >> 2) - 1;
    const hi = Math.floor(ticks / 4294967296);
    // Zero the word before the trailer (with no data: the Original Packet Length, written next),
    // then the data over its first bytes: what is left of it is the padding.
    w[last - 1] = 0;
    w[i] = BT_EPB;
    w[i + 1] = len;
    w[i + 2] = this.fastLocal;
    w[i + 3] = hi;
    w[i + 4] = ticks - hi * 4294967296;
    w[i + 5] = capLen;
    w[i + 6] = origLen;
    this.out.set(data, this.used + 28);
    w[last] = len;
    this.used += len;
  }

  private writeRecord(rec: PacketRecord): void {
    if (this.closed) throw new Error('writer is closed');
    if (rec.pen !== undefined) {
      // A Custom Block read with ReaderOptions.customBlocks: pcapng keeps it, pcap cannot.
      if (this.format === 'pcapng') {
        if (this.idbsWritten < this.idbs.length) this.idbsBefore(rec.fileOffset, -1);
        this.customBlock(rec);
      }
      return;
    }
    let ifc = this.lastIfc;
    if (!ifc || rec.interfaceId !== this.lastIfcId) {
      ifc = this.ifMap.get(rec.interfaceId);
      this.lastIfc = ifc;
      this.lastIfcId = rec.interfaceId;
    }
    if (!ifc) {
      ifc = this.lateInterface(rec.interfaceId);
      this.lastIfc = ifc;
      if (!ifc && this.format === 'pcap' && this.interfaces.some((i) => i.id === rec.interfaceId)) {
        throw new CaptureWriteError(`packet ${rec.index + 1} has link type ${rec.linkType}, and a pcap file holds one link type (${this.interfaces[0]!.linkType} here): write pcapng`);
      }
      if (!ifc) throw new Error(`packet ${rec.index + 1} is on interface ${rec.interfaceId}, which was not declared to the writer`);
    }
    if (this.idbsWritten < this.idbs.length) this.idbsBefore(rec.fileOffset, ifc.local);
    if (this.format === 'pcapng' && !this.generalOnly) {
      // epbFast() from now on for this interface's plain records: no IDB can be due before them.
      const fast = ifc.units === 1000000n && this.idbsWritten === this.idbs.length && this.le === HOST_LE;
      this.fastIfcId = fast ? rec.interfaceId : NaN;
      this.fastLocal = ifc.local;
      this.fastOffset = ifc.offset;
    }
    const capLen = rec.data.length;
    if (this.format === 'pcap') {
      if (!rec.tsAbsent && (rec.ts.sec < 0 || rec.ts.sec > 0xffffffff)) {
        throw new Error(`packet ${rec.index + 1}: time ${rec.ts.sec} s does not fit pcap's 32-bit seconds (write pcapng)`);
      }
      this.reserve(16 + capLen);
      // wiretap keeps nsec as a C int; writing its unsigned bits back restores the file's value.
      const frac = rec.tsAbsent ? 0 : this.ns ? rec.ts.nsec >>> 0 : Math.floor((rec.ts.nsec >>> 0) / 1000);
      this.u32(rec.tsAbsent ? 0 : rec.ts.sec >>> 0);
      this.u32(frac);
      this.u32(capLen);
      this.u32(rec.origLen);
      this.bytes(rec.data);
      return;
    }
    const comments = rec.comments ?? NO_COMMENTS;
    const pad = (4 - (capLen & 3)) & 3;
    // A timestamp-less SPB stays an SPB when the data is what an SPB would give back.
    if (rec.tsAbsent && ifc.local === 0 && comments.length === 0 && rec.flags === undefined &&
        (capLen === rec.origLen || (ifc.snapLen !== 0 && capLen === ifc.snapLen && rec.origLen > capLen))) {
      const len = 16 + capLen + pad;
      this.reserve(len);
      this.u32(BT_SPB);
      this.u32(len);
      this.u32(rec.origLen);
      this.bytes(rec.data);
      this.zeros(pad);
      this.u32(len);
      return;
    }
    const raw = rec.rawOptions && rec.rawOptions.littleEndian === this.le && epbRawAgrees(rec.rawOptions, rec) ? rec.rawOptions.bytes : null;
    let opts: Array<[number, Uint8Array]> | null = null;
    if (!raw && (comments.length > 0 || rec.flags !== undefined)) {
      opts = [];
      for (const c of comments) opts.push([OPT_COMMENT, utf8.encode(c)]);
      if (rec.flags !== undefined) opts.push([EPB_FLAGS, this.u32Bytes(rec.flags)]);
    }
    const len = 32 + capLen + pad + (raw ? raw.length : opts ? optionsLength(opts) : 0);
    this.reserve(len);
    this.u32(BT_EPB);
    this.u32(len);
    this.u32(ifc.local);
    const sec = rec.ts.sec - ifc.offset, nsec = rec.ts.nsec;
    if (!rec.tsAbsent && ifc.units === 1000000n && sec >= 0 && sec < 9e9 && nsec >= 0) {
      // Microsecond ticks below 2^53 are exact as doubles: no BigInt per packet (a filter's -w
      // writes hundreds of thousands of these).
      const ticks = sec * 1e6 + Math.trunc(nsec / 1000);
      const hi = Math.floor(ticks / 4294967296);
      this.u32(hi);
      this.u32(ticks - hi * 4294967296);
    } else {
      const ticks = rec.tsAbsent ? 0n : BigInt(sec) * ifc.units + (BigInt(nsec) * ifc.units) / 1000000000n;
      this.u32(Number((ticks >> 32n) & 0xffffffffn));
      this.u32(Number(ticks & 0xffffffffn));
    }
    this.u32(capLen);
    this.u32(rec.origLen);
    this.bytes(rec.data);
    this.zeros(pad);
    if (raw) this.bytes(raw);
    else if (opts) this.options(opts);
    this.u32(len);
  }

  /**
   * pcap output only: runs of records already laid out as this file writes them (16-byte headers
   * in its byte order and timestamp resolution, each followed by its data), e.g. runs cut from a
   * pcap file read with the same header words: what write() would produce for each record. They
   * are written before this returns, in one writev straight from the caller's bytes, not copied
   * into the buffer (standard output, maybe a non-blocking pipe, takes the buffered path).
   */
  writePcapRecords(runs: readonly Uint8Array[]): void {
    if (this.closed) throw new Error('writer is closed');
    if (this.format !== 'pcap') throw new Error('writePcapRecords: the output is not pcap');
    if (this.stdout) {
      for (const r of runs) {
        this.reserve(r.length);
        this.bytes(r);
      }
      return;
    }
    this.flush();
    let total = 0;
    for (const r of runs) total += r.length;
    if (total === 0) return;
    const done = writevSync(this.fd, runs as Uint8Array[]);
    if (done < total) {
      // A short write (not seen with files or devices): the rest run by run.
      let skip = done;
      for (const r of runs) {
        if (skip >= r.length) {
          skip -= r.length;
          continue;
        }
        this.writeAll(r.subarray(skip), r.length - skip);
        skip = 0;
      }
    }
    this.written += total;
  }

  /** Flushes, fsyncs and renames the temp file into place. */
  close(): void {
    if (this.closed) return;
    try {
      if (this.format === 'pcapng') this.writeIdbsUpTo(this.idbs.length - 1);
      this.flush();
      if (this.direct) {
        if (!this.stdout) closeSync(this.fd);
        this.closed = true;
        this.fastIfcId = NaN;
        return;
      }
      if (this.sectionLength) {
        // Section Length: the bytes after the SHB (RFC draft: "excluding the SHB itself").
        const b = Buffer.alloc(8);
        const n = BigInt(this.written - this.shbLen);
        if (this.le) b.writeBigInt64LE(n);
        else b.writeBigInt64BE(n);
        writeSync(this.fd, b, 0, 8, 16);
      }
      fsyncSync(this.fd);
    } catch (e) {
      this.abort();
      throw e;
    }
    closeSync(this.fd);
    this.closed = true;
    this.fastIfcId = NaN;
    renameSync(this.tmpPath, this.path);
    try {
      const d = openSync(dirname(this.path), 'r');
      try {
        fsyncSync(d); // make the rename itself durable
      } finally {
        closeSync(d);
      }
    } catch {
      // some file systems cannot fsync a directory
    }
  }

  /** Drops everything written: the temp file is removed, the target is untouched. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.fastIfcId = NaN;
    try {
      if (!this.stdout) closeSync(this.fd);
    } catch {
      // already closed
    }
    if (this.direct) return;
    try {
      unlinkSync(this.tmpPath);
    } catch {
      // already gone
    }
  }

  private pcapHeader(opts: WriterOptions): void {
    const i0 = opts.interfaces[0]!;
    const h = opts.pcap ?? {};
    // pcap holds one link type, the first interface's. Packets of another one are refused when
    // they come (pcapLinkTypeError), as tshark does: a filter may keep none of them.
    for (const i of opts.interfaces) if (i.linkType === i0.linkType) this.ifMap.set(i.id, { local: 0, units: 0n, offset: 0, linkType: i.linkType, snapLen: i.snapLen });
    const raw = h.linkTypeRaw !== undefined && pcapLinkType(h.linkTypeRaw) === i0.linkType ? h.linkTypeRaw : i0.linkType;
    this.u32(this.ns ? PCAP_MAGIC_NS : PCAP_MAGIC_US);
    this.u16(h.versionMajor ?? 2);
    this.u16(h.versionMinor ?? 4);
    this.u32((h.thisZone ?? 0) >>> 0);
    this.u32(h.sigFigs ?? 0);
    this.u32(i0.snapLen);
    this.u32(raw);
  }

  private shbLen = 0;
  /** pcapng: the IDBs to write, in local order, and how many are written. */
  private readonly idbs: Array<{ ifc: WriterInterface; raw: Uint8Array | null; opts: Array<[number, Uint8Array]>; blockOffset: number | undefined }> = [];
  private idbsWritten = 0;

  private pcapngHeader(opts: WriterOptions): void {
    const shbOpts: Array<[number, Uint8Array]> = [];
    const rawShb = opts.pcapng?.rawOptions;
    const raw = rawShb && rawShb.littleEndian === this.le && shbRawAgrees(rawShb, opts) ? rawShb.bytes : null;
    if (!raw) {
      for (const c of opts.sectionComments ?? []) shbOpts.push([OPT_COMMENT, utf8.encode(c)]);
      if (opts.hardware !== undefined) shbOpts.push([SHB_HARDWARE, utf8.encode(opts.hardware)]);
      if (opts.os !== undefined) shbOpts.push([SHB_OS, utf8.encode(opts.os)]);
      if (opts.application !== undefined) shbOpts.push([SHB_USERAPPL, utf8.encode(opts.application)]);
    }
    const shbLen = 28 + (raw ? raw.length : optionsLength(shbOpts));
    this.shbLen = shbLen;
    this.sectionLength = opts.pcapng?.sectionLength ?? false;
    this.reserve(shbLen);
    this.u32(BT_SHB);
    this.u32(shbLen);
    this.u32(BYTE_ORDER_MAGIC);
    this.u16(1);
    this.u16(opts.pcapng?.versionMinor === 2 ? 2 : 0);
    this.u32(0xffffffff); // section length: unknown (-1); patched at close when asked
    this.u32(0xffffffff);
    if (raw) this.bytes(raw);
    else this.options(shbOpts);
    this.u32(shbLen);

    opts.interfaces.forEach((ifc, local) => this.declarePcapngInterface(ifc, local));
    // IDBs go where the source had them when every interface says where that was (an IDB may
    // follow packets of other interfaces); otherwise all of them right after the SHB.
    if (!this.idbs.every((d) => d.blockOffset !== undefined)) this.writeIdbsUpTo(this.idbs.length - 1);
  }

  /** Queues the IDB of interface `ifc` as pcapng interface number `local`. */
  private declarePcapngInterface(ifc: WriterInterface, local: number): void {
    {
      const o: Array<[number, Uint8Array]> = [];
      if (ifc.name !== undefined) o.push([IF_NAME, utf8.encode(ifc.name)]);
      if (ifc.description !== undefined) o.push([IF_DESCRIPTION, utf8.encode(ifc.description)]);
      const raw = ifc.options?.find((x) => x.code === IF_TSRESOL && x.value.length >= 1);
      let units: bigint;
      let resol: number | null;
      if (raw) {
        resol = raw.value[0]!;
        units = resol & 0x80 ? 1n << BigInt(resol & 0x7f) : 10n ** BigInt(resol);
      } else if (ifc.tsUnitsPerSecond !== undefined && ifc.tsUnitsPerSecond !== 1e6) {
        units = BigInt(ifc.tsUnitsPerSecond);
        resol = decimalExponent(ifc.tsUnitsPerSecond);
        if (resol === null) throw new Error(`cannot express ${ifc.tsUnitsPerSecond} units/s as if_tsresol`);
      } else if (ifc.tsUnitsPerSecond === undefined && this.ns) {
        units = 1000000000n;
        resol = 9;
      } else {
        units = 1000000n;
        resol = null;
      }
      if (resol !== null) o.push([IF_TSRESOL, Uint8Array.of(resol)]);
      const offset = ifc.tsOffset ?? 0;
      if (offset !== 0) o.push([IF_TSOFFSET, this.i64Bytes(offset)]);
      for (const x of ifc.options ?? []) {
        if (BYTE_ORDER_FREE_IF_OPTIONS.has(x.code) || x.code === OPT_COMMENT) o.push([x.code, x.value]);
      }
      const r = ifc.rawOptions;
      const rawIdb = r && r.littleEndian === this.le && idbRawAgrees(r, ifc, units, offset) ? r.bytes : null;
      this.idbs.push({ ifc, raw: rawIdb, opts: o, blockOffset: ifc.blockOffset });
      this.ifMap.set(ifc.id, { local, units, offset, linkType: ifc.linkType, snapLen: ifc.snapLen });
    }
  }

  /**
   * The interface of a packet whose interface was not among those the writer was created with:
   * a streaming reader learns a pcapng IDB that follows packets only when it reaches it, and
   * appends it to the interfaces it shares with the writer (WriterOptions.interfaces). pcapng
   * declares every such interface now, in the reader's order, so they keep their numbers (their
   * IDBs go before this packet); pcap takes one whose link type is the file's.
   */
  private lateInterface(id: number): ReturnType<typeof this.ifMap.get> {
    for (const ifc of this.interfaces) {
      if (this.ifMap.has(ifc.id)) continue;
      if (this.format === 'pcapng') this.declarePcapngInterface(ifc, this.idbs.length);
      else if (ifc.linkType === this.interfaces[0]!.linkType) this.ifMap.set(ifc.id, { local: 0, units: 0n, offset: 0, linkType: ifc.linkType, snapLen: ifc.snapLen });
    }
    return this.ifMap.get(id);
  }

  /** Writes the not-yet-written IDBs up to local number `last`. */
  private writeIdbsUpTo(last: number): void {
    for (; this.idbsWritten <= last && this.idbsWritten < this.idbs.length; this.idbsWritten++) {
      const { ifc, raw, opts } = this.idbs[this.idbsWritten]!;
      const len = 20 + (raw ? raw.length : optionsLength(opts));
      this.reserve(len);
      this.u32(BT_IDB);
      this.u32(len);
      this.u16(ifc.linkType);
      this.u16(0);
      this.u32(ifc.snapLen);
      if (raw) this.bytes(raw);
      else this.options(opts);
      this.u32(len);
    }
  }

  /** Before a record from source offset `at` that needs interface `local` (-1: none). */
  private idbsBefore(at: number, local: number): void {
    let last = local;
    while (last + 1 < this.idbs.length && this.idbs[last + 1]!.blockOffset! < at) last++;
    if (last >= this.idbsWritten) this.writeIdbsUpTo(last);
  }

  private customBlock(rec: PacketRecord): void {
    const n = rec.data.length;
    const pad = (4 - (n & 3)) & 3;
    const len = 16 + n + pad;
    this.reserve(len);
    this.u32(rec.blockType === BT_CB_NOCOPY ? BT_CB_NOCOPY : BT_CB);
    this.u32(len);
    this.u32(rec.pen!);
    this.bytes(rec.data);
    this.zeros(pad);
    this.u32(len);
  }

  private options(opts: Array<[number, Uint8Array]>): void {
    if (opts.length === 0) return;
    for (const [code, v] of opts) {
      this.u16(code);
      this.u16(v.length);
      this.bytes(v);
      this.zeros((4 - (v.length & 3)) & 3);
    }
    this.u32(0); // opt_endofopt
  }

  private reserve(n: number): void {
    if (this.used + n > this.out.length) this.flush();
    if (n > this.out.length) {
      this.out = Buffer.allocUnsafe(n); // one huge block: grow rather than split
      this.out32 = wordsOf(this.out);
    }
  }

  /** Hands what is buffered to the file now (a live feed: read -l -w -). */
  flush(): void {
    this.writeAll(this.out, this.used);
    this.written += this.used;
    this.used = 0;
  }

  private writeAll(data: Uint8Array, n: number): void {
    let o = 0;
    while (o < n) {
      try {
        o += writeSync(this.fd, data, o, n - o);
      } catch (e) {
        // A non-blocking pipe that is full (standard output): wait for the reader, retry.
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
  }

  private u16(v: number): void {
    if (this.le) this.out.writeUInt16LE(v, this.used);
    else this.out.writeUInt16BE(v, this.used);
    this.used += 2;
  }

  /** Four bytes in the file's order (reserve() made room): plain stores, the per-packet hot path. */
  private u32(v: number): void {
    const o = this.out, i = this.used;
    if (this.le) {
      o[i] = v;
      o[i + 1] = v >>> 8;
      o[i + 2] = v >>> 16;
      o[i + 3] = v >>> 24;
    } else {
      o[i] = v >>> 24;
      o[i + 1] = v >>> 16;
      o[i + 2] = v >>> 8;
      o[i + 3] = v;
    }
    this.used = i + 4;
  }

  private u32Bytes(v: number): Uint8Array {
    const b = Buffer.alloc(4);
    if (this.le) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    return b;
  }

  private i64Bytes(v: number): Uint8Array {
    const b = Buffer.alloc(8);
    if (this.le) b.writeBigInt64LE(BigInt(v));
    else b.writeBigInt64BE(BigInt(v));
    return b;
  }

  private bytes(v: Uint8Array): void {
    this.out.set(v, this.used);
    this.used += v.length;
  }

  private zeros(n: number): void {
    // Mostly 0-3 bytes of block padding: a loop beats Buffer.fill's argument handling.
    const o = this.out, end = this.used + n;
    for (let i = this.used; i < end; i++) o[i] = 0;
    this.used = end;
  }
}

function optionsLength(opts: Array<[number, Uint8Array]>): number {
  if (opts.length === 0) return 0;
  let n = 4; // opt_endofopt
  for (const [, v] of opts) n += 4 + ((v.length + 3) & ~3);
  return n;
}

// Raw options are copied only while they still say what the parsed fields say (read the same way
// as the reader reads them), so editing a comment or a name is never silently undone.

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

function shbRawAgrees(raw: RawOptions, opts: WriterOptions): boolean {
  const comments: string[] = [];
  let hardware: string | undefined;
  let os: string | undefined;
  let application: string | undefined;
  for (const o of parseOptions(raw.bytes, 0, raw.bytes.length, raw.littleEndian, false)) {
    if (o.code === OPT_COMMENT) comments.push(decodeString(o.value));
    else if (o.code === SHB_HARDWARE) hardware = decodeString(o.value);
    else if (o.code === SHB_OS) os = decodeString(o.value);
    else if (o.code === SHB_USERAPPL) application = decodeString(o.value);
  }
  return sameList(comments, opts.sectionComments ?? []) && hardware === opts.hardware && os === opts.os && application === opts.application;
}

function idbRawAgrees(raw: RawOptions, ifc: WriterInterface, units: bigint, offset: number): boolean {
  let name: string | undefined;
  let description: string | undefined;
  let rawUnits = 1000000n;
  let rawOffset = 0;
  for (const o of parseOptions(raw.bytes, 0, raw.bytes.length, raw.littleEndian, false)) {
    if (o.code === IF_NAME) name = decodeString(o.value);
    else if (o.code === IF_DESCRIPTION) description = decodeString(o.value);
    else if (o.code === IF_TSRESOL && o.value.length >= 1) {
      const v = o.value[0]!;
      rawUnits = v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
    } else if (o.code === IF_TSOFFSET && o.value.length >= 8) {
      rawOffset = Number(new DataView(o.value.buffer, o.value.byteOffset, 8).getBigInt64(0, raw.littleEndian));
    }
  }
  return name === ifc.name && description === ifc.description && rawUnits === units && rawOffset === offset;
}

function epbRawAgrees(raw: RawOptions, rec: PacketRecord): boolean {
  const comments: string[] = [];
  let flags: number | undefined;
  for (const o of parseOptions(raw.bytes, 0, raw.bytes.length, raw.littleEndian, false)) {
    if (o.code === OPT_COMMENT) comments.push(decodeString(o.value));
    else if (o.code === EPB_FLAGS && o.value.length >= 4) {
      const v = o.value;
      flags = raw.littleEndian ? (v[0]! | (v[1]! << 8) | (v[2]! << 16) | (v[3]! << 24)) >>> 0 : ((v[0]! << 24) | (v[1]! << 16) | (v[2]! << 8) | v[3]!) >>> 0;
    }
  }
  return sameList(comments, rec.comments ?? []) && flags === rec.flags;
}

function decimalExponent(units: number): number | null {
  for (let e = 0, p = 1; e <= 19; e++, p *= 10) if (p === units) return e;
  for (let e = 0; e <= 63; e++) if (2 ** e === units) return 0x80 | e;
  return null;
}

export type { PcapngOption };
