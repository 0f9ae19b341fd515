// pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks {type u32, total length u32, body,
// total length u32}, grouped into sections by Section Header Blocks that fix the byte order.
// InterfaceInfo.id / PacketRecord.interfaceId number interfaces across the whole file (section
// 2's interface 0 follows section 1's last one); tshark 4.0's frame.interface_id is the number
// within the section, kept as PacketRecord.sectionInterfaceId.
// Limits and error cases follow wiretap's pcapng.c (SHB version 1.0/1.2 only, if_tsresol
// exponent limits, first/second block length must agree) so we stop where tshark stops.
import type { AbsTime } from '../dissect/tree.js';
import type { ByteSource } from './bytes.js';
import { RecordSlot } from './slot.js';
import {
  CaptureFileError,
  type CaptureFileInfo,
  type InterfaceInfo,
  type PacketRecord,
  type PcapngOption,
  type RawOptions,
  type SectionInfo,
} from './types.js';

export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 0x00000001;
export const BT_OPB = 0x00000002;
export const BT_SPB = 0x00000003;
export const BT_NRB = 0x00000004;
export const BT_ISB = 0x00000005;
export const BT_EPB = 0x00000006;
export const BT_DSB = 0x0000000a;
/** Custom Blocks: copy allowed / must not be copied. */
export const BT_CB = 0x00000bad;
export const BT_CB_NOCOPY = 0x40000bad;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
export const SHB_HARDWARE = 2;
export const SHB_OS = 3;
export const SHB_USERAPPL = 4;
export const IF_NAME = 2;
export const IF_DESCRIPTION = 3;
export const IF_TSRESOL = 9;
export const IF_TSOFFSET = 14;
export const IF_HARDWARE = 15;
export const EPB_FLAGS = 2;
export const EPB_DROPCOUNT = 4;
export const EPB_PACKETID = 5;
export const EPB_QUEUE = 6;

const MIN_BLOCK = 12;
const MIN_SHB = 28;
const MIN_IDB = 20;
const MIN_EPB = 32;
const MIN_OPB = 32;
const MIN_SPB = 16;
/** wiretap MAX_BLOCK_SIZE: the largest packet any link type may have plus room for options. */
const MAX_BLOCK = MIN_EPB + 128 * 1024 * 1024 + 131072;

// Local on purpose: a call into another module goes through a live-binding getter under tsx.
function readU32(b: Uint8Array, i: number, le: boolean): number {
  return le
    ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
    : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

function readU16(b: Uint8Array, i: number, le: boolean): number {
  return le ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!;
}

const PARSED_BLOCKS = new Set([BT_SHB, BT_IDB, BT_OPB, BT_SPB, BT_NRB, BT_EPB, BT_DSB]);

const utf8 = new TextDecoder('utf-8');

/**
 * An option's UTF-8 string. Some writers NUL-terminate (the spec says not to) and some leave
 * bytes after the NUL (pcapplusplus/pcapng-example.pcapng: "Packet #80\0M\x8da\x0e"): the
 * string ends at the first NUL, as tshark reads it.
 */
export function decodeString(v: Uint8Array): string {
  const nul = v.indexOf(0);
  return utf8.decode(nul < 0 ? v : v.subarray(0, nul));
}

/**
 * Options in [start, end): {code u16, length u16, value, pad to 4}. Stops at opt_endofopt or at
 * the end of the space; an option running past the end is dropped (no NUL or endofopt assumed).
 * `copy` keeps values beyond the next read (the chunk buffer is reused).
 */
export function parseOptions(b: Uint8Array, start: number, end: number, le: boolean, copy: boolean): PcapngOption[] {
  const out: PcapngOption[] = [];
  let o = start;
  while (o + 4 <= end) {
    const code = readU16(b, o, le);
    const len = readU16(b, o + 2, le);
    if (code === OPT_ENDOFOPT) break;
    if (o + 4 + len > end) break;
    const v = b.subarray(o + 4, o + 4 + len);
    out.push({ code, value: copy ? v.slice() : v });
    o += 4 + ((len + 3) & ~3);
  }
  return out;
}

/**
 * The EPB options tshark's Frame shows besides comments and flags: epb_dropcount, epb_packetid
 * (64-bit) and epb_queue (32-bit), the first of each with its exact length (wiretap ignores
 * one of another length).
 */
export function packetOptionExtras(raw: RawOptions): { dropCount?: bigint; packetId?: bigint; queue?: number } {
  const out: { dropCount?: bigint; packetId?: bigint; queue?: number } = {};
  const le = raw.littleEndian;
  for (const o of parseOptions(raw.bytes, 0, raw.bytes.length, le, false)) {
    const v = o.value;
    if (o.code === EPB_QUEUE && v.length === 4) out.queue ??= readU32(v, 0, le);
    else if ((o.code === EPB_DROPCOUNT || o.code === EPB_PACKETID) && v.length === 8) {
      const hi = BigInt(readU32(v, le ? 4 : 0, le)), lo = BigInt(readU32(v, le ? 0 : 4, le));
      if (o.code === EPB_DROPCOUNT) out.dropCount ??= (hi << 32n) | lo;
      else out.packetId ??= (hi << 32n) | lo;
    }
  }
  return out;
}

/** if_tsresol byte -> units per second (bit 7 set: power of 2, else power of 10). */
export function tsresolUnits(v: number): bigint {
  return v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
}

interface IfaceState {
  info: InterfaceInfo;
  units: bigint;
  /** units as a Number when exact and small enough for the fast path, else 0. */
  unitsNum: number;
  /** 1e9 / units when that is an integer (1, 10, ..., 1e9 units/s), else 0. */
  nsPerUnit: number;
  offsetSec: number;
}

function ifaceState(info: InterfaceInfo, units: bigint, offsetSec: number): IfaceState {
  const unitsNum = units <= 1n << 37n ? Number(units) : 0;
  const nsPerUnit = unitsNum !== 0 && 1000000000 % unitsNum === 0 ? 1000000000 / unitsNum : 0;
  return { info, units, unitsNum, nsPerUnit, offsetSec };
}

const U64 = (1n << 64n) - 1n;

/**
 * Ticks (64-bit) -> {sec, nsec} exactly as wiretap: sec = ts / units, nsec = (ts % units) * 1e9 / units
 * in uint64 arithmetic (so its overflow for units > ~1.8e10 is reproduced), then + if_tsoffset.
 */
function ticksToTime(hi: number, lo: number, ifc: IfaceState, out: AbsTime): AbsTime {
  const d = ifc.unitsNum;
  if (d !== 0 && ifc.nsPerUnit !== 0 && hi < 0x200000) {
    // hi:lo < 2^53 (µs ticks until year 2255): one exact float division, corrected by one if
    // the quotient was rounded up to the next integer.
    const ts = hi * 4294967296 + lo;
    let q = Math.floor(ts / d);
    let r = ts - q * d;
    if (r < 0) {
      q--;
      r += d;
    }
    out.sec = q + ifc.offsetSec;
    out.nsec = r * ifc.nsPerUnit;
    return out;
  }
  if (d !== 0 && ifc.nsPerUnit !== 0) {
    // Long division of hi:lo by d in 16-bit limbs: every intermediate stays below 2^53.
    let cur = hi >>> 16;
    let qd = Math.floor(cur / d);
    let r = cur - qd * d;
    let q = qd;
    cur = r * 65536 + (hi & 0xffff);
    qd = Math.floor(cur / d);
    r = cur - qd * d;
    q = q * 65536 + qd;
    cur = r * 65536 + (lo >>> 16);
    qd = Math.floor(cur / d);
    r = cur - qd * d;
    q = q * 65536 + qd;
    cur = r * 65536 + (lo & 0xffff);
    qd = Math.floor(cur / d);
    r = cur - qd * d;
    q = q * 65536 + qd;
    out.sec = q + ifc.offsetSec;
    out.nsec = r * ifc.nsPerUnit;
    return out;
  }
  const ts = (BigInt(hi) << 32n) | BigInt(lo);
  const units = ifc.units;
  const sec = ts / units;
  const nsec = (((ts % units) * 1000000000n) & U64) / units;
  out.sec = Number(sec) + ifc.offsetSec;
  out.nsec = Number(nsec);
  return out;
}

export class PcapngReader {
  readonly info: CaptureFileInfo;
  private off = 0;
  private index = 0;
  private le = true;
  private ifaces: IfaceState[] = [];
  /** Global id of interface 0 of the current section. */
  private sectionBase = 0;
  private sectionIfaceCount = 0;
  private curSection = -1;
  private adopted = false;
  private failed: CaptureFileError | null = null;
  /** A packet block met while pre-reading the header blocks, handed out by the first next(). */
  private pending: PacketRecord | null = null;
  /** ReaderOptions.reuseRecord: the one record every next() fills. */
  private readonly slot: RecordSlot | null;
  /** The time of the last packet block read (a Custom Block's, see readCb). */
  private lastTs: AbsTime = { sec: 0, nsec: 0 };

  constructor(
    private readonly src: ByteSource,
    compression: CaptureFileInfo['compression'],
    /** Return Custom Blocks as records, numbered like tshark 4.0 numbers them (see ReaderOptions). */
    private readonly customBlocks = false,
    reuseRecord = false,
  ) {
    this.slot = reuseRecord ? new RecordSlot() : null;
    this.info = {
      format: 'pcapng',
      littleEndian: true,
      tsPrecision: 'us',
      versionMajor: 1,
      versionMinor: 0,
      snapLen: 0,
      interfaces: [],
      sections: [],
      compression,
    };
    // Read the first SHB (must be there) and every block up to the first packet, so info lists
    // the sections and interfaces known before the first packet.
    try {
      this.pending = this.nextBlock(true);
    } catch (e) {
      // Damage after a valid SHB is reported by next(), like damage anywhere later.
      if (!(e instanceof CaptureFileError) || this.info.sections.length === 0) throw e;
    }
  }

  next(): PacketRecord | null {
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      return p;
    }
    if (this.failed) throw this.failed;
    return this.nextBlock(false);
  }

  /** Reads the packet block at `off` (random access); the section state must be known (sequential pass done). */
  readAt(off: number, index: number, section: number): PacketRecord {
    const save = { off: this.off, index: this.index, le: this.le, base: this.sectionBase, count: this.sectionIfaceCount, failed: this.failed, cur: this.curSection };
    const sec = this.info.sections[section];
    if (!sec) throw new CaptureFileError(`unknown section ${section}`, off);
    this.off = off;
    this.index = index;
    this.le = sec.littleEndian;
    this.curSection = section;
    this.sectionBase = this.info.interfaces.findIndex((i) => i.section === section);
    this.sectionIfaceCount = this.info.interfaces.filter((i) => i.section === section).length;
    if (this.sectionBase < 0) this.sectionBase = this.info.interfaces.length;
    this.failed = null;
    try {
      const r = this.readOneBlock(false);
      if (!r) throw new CaptureFileError(`no packet block at offset ${off}`, off);
      return r;
    } finally {
      this.off = save.off;
      this.index = save.index;
      this.le = save.le;
      this.sectionBase = save.base;
      this.sectionIfaceCount = save.count;
      this.failed = save.failed;
      this.curSection = save.cur;
    }
  }

  /**
   * Random access: takes the sections and interfaces of a finished sequential pass, so no scan
   * is needed. Without it, scanPast() learns them lazily.
   */
  adopt(info: CaptureFileInfo): void {
    this.info.sections.length = 0;
    this.info.sections.push(...info.sections);
    this.info.interfaces.length = 0;
    this.ifaces = [];
    for (const ifc of info.interfaces) {
      const res = ifc.options?.find((o) => o.code === IF_TSRESOL && o.value.length >= 1);
      const units = res ? tsresolUnits(res.value[0]!) : BigInt(ifc.tsUnitsPerSecond);
      this.ifaces.push(ifaceState(ifc, units, ifc.tsOffset));
      this.info.interfaces.push(ifc);
    }
    this.adopted = true;
  }

  /** Reads blocks sequentially until the scan has passed `target` (or the end). */
  scanPast(target: number): void {
    if (this.adopted) return;
    while (this.off <= target && this.failed === null && this.src.remaining(this.off) > 0) this.readOneBlock(false);
  }

  /** Section index a file offset belongs to (for random access). */
  sectionAt(off: number): number {
    const s = this.info.sections;
    let k = 0;
    while (k + 1 < s.length && s[k + 1]!.offset <= off) k++;
    return k;
  }

  private nextBlock(header: boolean): PacketRecord | null {
    for (;;) {
      if (this.src.remaining(this.off) === 0) return null;
      const r = this.readOneBlock(header);
      if (r) return r;
    }
  }

  private fail(message: string, offset: number, packet?: number): never {
    this.failed = new CaptureFileError(message, offset, packet);
    throw this.failed;
  }

  /** Reads one block at this.off and advances past it; returns a packet or null for other blocks. */
  private readOneBlock(header: boolean): PacketRecord | null {
    const src = this.src;
    const off = this.off;
    let i = src.ensure(off, 8);
    if (i < 0) {
      const t = src.remaining(off) >= 4 ? src.ensure(off, 4) : -1;
      const ty = t < 0 ? -1 : readU32(src.buf, t, this.le);
      if (ty === BT_EPB || ty === BT_SPB || ty === BT_OPB) this.fail(`file truncated in the middle of packet ${this.index + 1} (offset ${off})`, off, this.index + 1);
      this.fail(`file truncated in the middle of a block header (offset ${off})`, off);
    }
    let b = src.buf;
    let type = readU32(b, i, this.le);
    const isShb = type === BT_SHB; // palindromic: the same in both byte orders
    if (header && this.info.sections.length === 0 && !isShb) {
      throw new CaptureFileError('not a pcapng file (no Section Header Block at the start)', 0);
    }
    let le = this.le;
    if (isShb) {
      type = BT_SHB;
      i = src.ensure(off, 12);
      if (i < 0) this.fail(`file truncated in the middle of a Section Header Block (offset ${off})`, off);
      b = src.buf;
      const bom = readU32(b, i + 8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else this.fail(`pcapng: unknown byte-order magic number 0x${bom.toString(16).padStart(8, '0')} (offset ${off})`, off);
    }
    const len = readU32(b, i + 4, le);
    const isPacket = type === BT_EPB || type === BT_SPB || type === BT_OPB || (this.customBlocks && (type === BT_CB || type === BT_CB_NOCOPY));
    const pkt = isPacket ? this.index + 1 : undefined;
    const what = isPacket ? -1 : type;
    if (len < MIN_BLOCK) this.fail(`pcapng: total block length ${len} of ${this.blockName(what)} is less than the minimum of ${MIN_BLOCK} (offset ${off})`, off, pkt);
    if (len % 4 !== 0) this.fail(`pcapng: total block length ${len} of ${this.blockName(what)} is not a multiple of 4 (offset ${off})`, off, pkt);
    if (len > MAX_BLOCK) this.fail(`pcapng: total block length ${len} of ${this.blockName(what)} is too large (> ${MAX_BLOCK}) (offset ${off})`, off, pkt);
    if (type !== BT_EPB && !PARSED_BLOCKS.has(type) && !(this.customBlocks && (type === BT_CB || type === BT_CB_NOCOPY))) {
      // Skipped block (ISB, custom, unknown): check its trailer without loading its body, so a
      // huge block costs neither memory nor reading.
      const t = src.ensure(off + len - 4, 4);
      if (t < 0) this.fail(`file truncated in the middle of ${this.blockName(what)} (offset ${off})`, off, pkt);
      const trailer = readU32(src.buf, t, le);
      if (trailer !== len) this.fail(`pcapng: total block lengths (first ${len} and second ${trailer}) of ${this.blockName(what)} don't match (offset ${off})`, off, pkt);
      this.off = off + len;
      return null;
    }
    i = src.ensure(off, len);
    if (i < 0) this.fail(`file truncated in the middle of ${this.blockName(what)} (offset ${off})`, off, pkt);
    b = src.buf;
    const trailer = readU32(b, i + len - 4, le);
    if (trailer !== len) this.fail(`pcapng: total block lengths (first ${len} and second ${trailer}) of ${this.blockName(what)} don't match (offset ${off})`, off, pkt);
    const body = i + 8;
    const end = i + len - 4;
    let rec: PacketRecord | null = null;
    switch (type) {
      case BT_SHB:
        this.readShb(b, body, end, off, len, le);
        break;
      case BT_IDB:
        this.readIdb(b, body, end, off, len);
        break;
      case BT_EPB:
      case BT_OPB:
        rec = this.readEpb(b, body, end, off, len, type);
        break;
      case BT_SPB:
        rec = this.readSpb(b, body, end, off, len);
        break;
      case BT_NRB:
        this.readNrb(b, body, end);
        break;
      case BT_CB:
      case BT_CB_NOCOPY:
        rec = this.readCb(b, body, end, off, type);
        break;
      case BT_DSB:
        if (end - body >= 8) {
          const secretsLen = readU32(b, body + 4, le);
          const data = b.slice(body + 8, Math.min(end, body + 8 + secretsLen));
          (this.info.decryptionSecrets ??= []).push({ type: readU32(b, body, le), data });
        }
        break;
      default:
        // ISB, custom blocks (0x00000BAD / 0x40000BAD), systemd journal, unknown: skipped by length.
        break;
    }
    this.off = off + len;
    if (rec) this.index++;
    return rec;
  }

  /** For messages: "packet N" or "a block of type 0x...". -1 = the current packet. */
  private blockName(type: number): string {
    return type === -1 ? `packet ${this.index + 1}` : `a block of type 0x${type.toString(16).padStart(8, '0')}`;
  }

  private readShb(b: Uint8Array, body: number, end: number, off: number, len: number, le: boolean): void {
    if (len < MIN_SHB) this.fail(`pcapng: total block length ${len} of an SHB is less than the minimum SHB size ${MIN_SHB} (offset ${off})`, off);
    const major = readU16(b, body + 4, le);
    const minor = readU16(b, body + 6, le);
    // wiretap accepts 1.0 and 1.2 (written by some tools), nothing else.
    if (!(major === 1 && (minor === 0 || minor === 2))) {
      this.fail(`pcapng: unknown SHB version ${major}.${minor} (offset ${off})`, off, this.index + 1);
    }
    this.le = le;
    const options = parseOptions(b, body + 16, end, le, true);
    // Section Length: signed 64-bit, -1 when not given; exact as a Number up to 2^53.
    const lenHi = readU32(b, body + 8 + (le ? 4 : 0), le) | 0;
    const lenLo = readU32(b, body + 8 + (le ? 0 : 4), le);
    const section: SectionInfo = {
      offset: off,
      littleEndian: le,
      versionMajor: major,
      versionMinor: minor,
      comments: [],
      options,
      sectionLength: lenHi * 4294967296 + lenLo,
      ...(body + 16 < end ? { rawOptions: { littleEndian: le, bytes: b.slice(body + 16, end) } } : {}),
    };
    for (const o of options) {
      if (o.code === OPT_COMMENT) section.comments.push(decodeString(o.value));
      else if (o.code === SHB_HARDWARE) section.hardware = decodeString(o.value);
      else if (o.code === SHB_OS) section.os = decodeString(o.value);
      else if (o.code === SHB_USERAPPL) section.application = decodeString(o.value);
    }
    if (this.info.sections.length === 0) {
      this.info.littleEndian = le;
      this.info.versionMajor = major;
      this.info.versionMinor = minor;
    }
    this.info.sections.push(section);
    this.sectionBase = this.ifaces.length;
    this.sectionIfaceCount = 0;
    this.curSection = this.info.sections.length - 1;
  }

  private readIdb(b: Uint8Array, body: number, end: number, off: number, len: number): void {
    const le = this.le;
    if (len < MIN_IDB) this.fail(`pcapng: total block length ${len} of an IDB is less than the minimum IDB size ${MIN_IDB} (offset ${off})`, off);
    const linkType = readU16(b, body, le);
    const snapLen = readU32(b, body + 4, le);
    const options = parseOptions(b, body + 8, end, le, true);
    let units = 1000000n;
    let offsetSec = 0;
    let name: string | undefined;
    let description: string | undefined;
    for (const o of options) {
      if (o.code === IF_TSRESOL && o.value.length >= 1) {
        const v = o.value[0]!;
        if (v & 0x80 && (v & 0x7f) > 63) this.fail(`pcapng: IDB power-of-2 time stamp resolution ${v & 0x7f} > 63 (offset ${off})`, off);
        if (!(v & 0x80) && v > 19) this.fail(`pcapng: IDB power-of-10 time stamp resolution ${v} > 19 (offset ${off})`, off);
        units = tsresolUnits(v);
      } else if (o.code === IF_TSOFFSET && o.value.length >= 8) {
        const dv = new DataView(o.value.buffer, o.value.byteOffset, 8);
        offsetSec = Number(dv.getBigInt64(0, le));
      } else if (o.code === IF_NAME) {
        name = decodeString(o.value);
      } else if (o.code === IF_DESCRIPTION) {
        description = decodeString(o.value);
      }
    }
    const id = this.ifaces.length;
    const section = this.info.sections.length - 1;
    const info: InterfaceInfo = {
      id,
      section,
      linkType,
      snapLen,
      tsUnitsPerSecond: Number(units),
      tsOffset: offsetSec,
      options,
      blockOffset: off,
      ...(body + 8 < end ? { rawOptions: { littleEndian: le, bytes: b.slice(body + 8, end) } } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
    };
    this.ifaces.push(ifaceState(info, units, offsetSec));
    this.info.interfaces.push(info);
    this.sectionIfaceCount++;
    if (id === 0) {
      this.info.snapLen = snapLen;
      this.info.tsPrecision = units > 1000000n ? 'ns' : 'us';
    }
  }

  private iface(localId: number, off: number): IfaceState {
    if (localId >= this.sectionIfaceCount) {
      this.fail(`pcapng: packet ${this.index + 1} refers to interface ID ${localId}, but the section has only ${this.sectionIfaceCount} interface(s) (offset ${off})`, off, this.index + 1);
    }
    return this.ifaces[this.sectionBase + localId]!;
  }

  private readEpb(b: Uint8Array, body: number, end: number, off: number, len: number, type: number): PacketRecord {
    const le = this.le;
    if (len < MIN_EPB) {
      this.fail(`pcapng: total block length ${len} of ${type === BT_EPB ? 'an EPB' : 'a PB'} is less than the minimum of ${type === BT_EPB ? MIN_EPB : MIN_OPB} (offset ${off})`, off, this.index + 1);
    }
    const localId = type === BT_EPB ? readU32(b, body, le) : readU16(b, body, le);
    const ifc = this.iface(localId, off);
    const hi = readU32(b, body + 4, le);
    const lo = readU32(b, body + 8, le);
    const capLen = readU32(b, body + 12, le);
    const origLen = readU32(b, body + 16, le);
    const dataAt = body + 20;
    if (capLen > end - dataAt) {
      this.fail(`pcapng: packet ${this.index + 1} has captured length ${capLen}, more than the ${end - dataAt} bytes its block holds (offset ${off})`, off, this.index + 1);
    }
    let rec: PacketRecord;
    const slot = this.slot;
    if (slot) {
      slot.index = this.index;
      slot.fileOffset = off;
      slot.interfaceId = ifc.info.id;
      slot.linkType = ifc.info.linkType;
      ticksToTime(hi, lo, ifc, slot.ts);
      slot.capLen = capLen;
      slot.origLen = origLen;
      slot.at(b, dataAt);
      slot.blockType = type;
      slot.sectionInterfaceId = localId;
      slot.section = this.curSection;
      slot.comments = undefined;
      slot.flags = undefined;
      slot.rawOptions = undefined;
      slot.tsAbsent = undefined;
      slot.pen = undefined;
      rec = slot;
    } else {
      rec = {
        index: this.index,
        fileOffset: off,
        interfaceId: ifc.info.id,
        linkType: ifc.info.linkType,
        ts: ticksToTime(hi, lo, ifc, { sec: 0, nsec: 0 }),
        capLen,
        origLen,
        data: b.subarray(dataAt, dataAt + capLen),
        blockType: type,
        sectionInterfaceId: localId,
        section: this.curSection,
      };
    }
    this.lastTs = rec.ts;
    const optAt = dataAt + ((capLen + 3) & ~3);
    if (optAt < end) rec.rawOptions = { littleEndian: le, bytes: b.subarray(optAt, end) };
    if (optAt + 4 <= end) {
      for (const o of parseOptions(b, optAt, end, le, false)) {
        if (o.code === OPT_COMMENT) (rec.comments ??= []).push(decodeString(o.value));
        else if (o.code === EPB_FLAGS && o.value.length >= 4) rec.flags = readU32(o.value, 0, le);
      }
    }
    return rec;
  }

  private readSpb(b: Uint8Array, body: number, end: number, off: number, len: number): PacketRecord {
    const le = this.le;
    if (len < MIN_SPB) this.fail(`pcapng: total block length ${len} of an SPB is less than the minimum of ${MIN_SPB} (offset ${off})`, off, this.index + 1);
    const ifc = this.iface(0, off);
    const origLen = readU32(b, body, le);
    const dataAt = body + 4;
    // An SPB has no captured length: the interface's snaplen (0 = none) and the block bound it.
    let capLen = origLen;
    if (ifc.info.snapLen !== 0 && capLen > ifc.info.snapLen) capLen = ifc.info.snapLen;
    if (capLen > end - dataAt) capLen = end - dataAt;
    // wiretap sets an SPB's time to 0: the packets after it count their deltas from 0.
    this.lastTs = { sec: 0, nsec: 0 };
    return this.toSlot({
      index: this.index,
      fileOffset: off,
      interfaceId: ifc.info.id,
      linkType: ifc.info.linkType,
      ts: { sec: 0, nsec: 0 },
      capLen,
      origLen,
      data: b.subarray(dataAt, dataAt + capLen),
      blockType: BT_SPB,
      sectionInterfaceId: 0,
      section: this.curSection,
      tsAbsent: true,
    });
  }

  /**
   * A Custom Block as tshark 4.0 shows it: a frame whose bytes are everything after the Private
   * Enterprise Number (custom data and options), no interface, no time. wiretap leaves the
   * record's time as the packet before it had it (tshark 4.0 reuses one wtap_rec), and the next
   * packet's delta counts from that: ts is the last packet block's time (0 before any; after a
   * random-access readAt, whatever was read last).
   */
  private readCb(b: Uint8Array, body: number, end: number, off: number, type: number): PacketRecord {
    if (end - body < 4) this.fail(`pcapng: Custom Block ${this.index + 1} is too short for its Private Enterprise Number (offset ${off})`, off, this.index + 1);
    const len = end - body - 4;
    return this.toSlot({
      index: this.index,
      fileOffset: off,
      interfaceId: -1,
      linkType: -1,
      ts: { sec: this.lastTs.sec, nsec: this.lastTs.nsec },
      capLen: len,
      origLen: len,
      data: b.subarray(body + 4, end),
      blockType: type,
      section: this.curSection,
      tsAbsent: true,
      pen: readU32(b, body, this.le),
    });
  }

  /** A rare record (SPB, Custom Block) copied into the reused slot when there is one. */
  private toSlot(rec: PacketRecord): PacketRecord {
    const s = this.slot;
    if (!s) return rec;
    s.index = rec.index;
    s.fileOffset = rec.fileOffset;
    s.interfaceId = rec.interfaceId;
    s.linkType = rec.linkType;
    s.ts.sec = rec.ts.sec;
    s.ts.nsec = rec.ts.nsec;
    s.capLen = rec.capLen;
    s.origLen = rec.origLen;
    s.data = rec.data;
    s.blockType = rec.blockType;
    s.sectionInterfaceId = rec.sectionInterfaceId;
    s.section = rec.section;
    s.comments = rec.comments;
    s.flags = rec.flags;
    s.rawOptions = rec.rawOptions;
    s.tsAbsent = rec.tsAbsent;
    s.pen = rec.pen;
    return s;
  }

  private readNrb(b: Uint8Array, body: number, end: number): void {
    const le = this.le;
    const out = (this.info.nameResolution ??= []);
    let o = body;
    while (o + 4 <= end) {
      const type = readU16(b, o, le);
      const len = readU16(b, o + 2, le);
      if (type === 0 || o + 4 + len > end) break;
      const v = b.subarray(o + 4, o + 4 + len);
      const addrLen = type === 1 ? 4 : type === 2 ? 16 : -1;
      if (addrLen > 0 && len > addrLen) {
        const addr = type === 1 ? Array.from(v.subarray(0, 4)).join('.') : ipv6ToString(v.subarray(0, 16));
        const names = decodeString(v.subarray(addrLen)).split('\0').filter((s) => s.length > 0);
        out.push({ address: addr, names });
      }
      o += 4 + ((len + 3) & ~3);
    }
  }
}

function ipv6ToString(v: Uint8Array): string {
  const parts: string[] = [];
  for (let k = 0; k < 16; k += 2) parts.push(((v[k]! << 8) | v[k + 1]!).toString(16));
  return parts.join(':');
}
