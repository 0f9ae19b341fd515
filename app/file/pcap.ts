// Classic libpcap files: a 24-byte file header, then records of a 16-byte header + data.
// Magic a1b2c3d4 = microsecond, a1b23c4d = nanosecond timestamps, either byte order.
// Values are taken as wiretap (libpcap.c) takes them, so frame.* fields match tshark 4.0:
// ts_sec unsigned, the fraction kept even when >= 1 s (tshark prints it un-normalised),
// incl_len > orig_len accepted, incl_len > snaplen accepted; only an incl_len beyond the
// per-link-type maximum is a damaged record.
import type { ByteSource } from './bytes.js';
import { RecordSlot } from './slot.js';
import { CaptureFileError, type CaptureFileInfo, type PacketRecord } from './types.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_FILE_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;

/** libpcap pcap-common.h LT_LINKTYPE(): the link type is the low 16 bits; 0x03ff0000 reserved, 0xf4000000 FCS info. */
export function pcapLinkType(network: number): number {
  return network & 0xffff;
}

/** LT_FCS_LENGTH_PRESENT / LT_FCS_LENGTH: FCS bytes per packet (the field counts 16-bit words), or undefined. */
export function pcapFcsLen(network: number): number | undefined {
  return network & 0x04000000 ? ((network >>> 28) & 0xf) * 2 : undefined;
}

/** wiretap's WTAP_MAX_PACKET_SIZE_STANDARD; larger for the few link types that need it (wtap_max_snaplen_for_encap). */
const MAX_STANDARD = 262144;
const MAX_LARGE = 128 * 1024 * 1024;
const LARGE_LINKTYPES = new Set([189 /* USB_LINUX */, 220 /* USB_LINUX_MMAPPED */, 249 /* USBPCAP */, 231 /* DBUS */, 281 /* EBHSCR */]);
export function maxPacketSize(linkType: number): number {
  return LARGE_LINKTYPES.has(linkType) ? MAX_LARGE : MAX_STANDARD;
}

export interface PcapHeader {
  littleEndian: boolean;
  nanosecond: boolean;
}

/** Recognises the pcap magic in the first 4 bytes. */
export function pcapMagic(b: Uint8Array, i: number): PcapHeader | null {
  const le = (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
  const be = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  if (le === PCAP_MAGIC_US) return { littleEndian: true, nanosecond: false };
  if (le === PCAP_MAGIC_NS) return { littleEndian: true, nanosecond: true };
  if (be === PCAP_MAGIC_US) return { littleEndian: false, nanosecond: false };
  if (be === PCAP_MAGIC_NS) return { littleEndian: false, nanosecond: true };
  return null;
}

export class PcapReader {
  readonly info: CaptureFileInfo;
  private off = PCAP_FILE_HEADER_LEN;
  private index = 0;
  private readonly le: boolean;
  private readonly ns: boolean;
  private readonly linkType: number;
  private readonly maxLen: number;
  private failed: CaptureFileError | null = null;
  /** ReaderOptions.reuseRecord: the one record every next() fills. */
  private readonly slot: RecordSlot | null;

  constructor(
    private readonly src: ByteSource,
    compression: CaptureFileInfo['compression'],
    reuseRecord = false,
  ) {
    this.slot = reuseRecord ? new RecordSlot() : null;
    const i = src.ensure(0, PCAP_FILE_HEADER_LEN);
    if (i < 0) throw new CaptureFileError(`file truncated in the pcap file header (${src.remaining(0)} of 24 bytes)`, 0);
    const b = src.buf;
    const h = pcapMagic(b, i);
    if (!h) throw new CaptureFileError('not a pcap file', 0);
    this.le = h.littleEndian;
    this.ns = h.nanosecond;
    const u16 = (o: number) => (this.le ? b[i + o]! | (b[i + o + 1]! << 8) : (b[i + o]! << 8) | b[i + o + 1]!);
    const u32 = (o: number) => readU32(b, i + o, this.le);
    const snapLen = u32(16);
    this.linkType = pcapLinkType(u32(20));
    this.maxLen = maxPacketSize(this.linkType);
    this.info = {
      format: 'pcap',
      littleEndian: this.le,
      tsPrecision: this.ns ? 'ns' : 'us',
      versionMajor: u16(4),
      versionMinor: u16(6),
      snapLen,
      interfaces: [{
        id: 0,
        section: 0,
        linkType: this.linkType,
        snapLen,
        tsUnitsPerSecond: this.ns ? 1e9 : 1e6,
        tsOffset: 0,
        ...(pcapFcsLen(u32(20)) !== undefined ? { fcsLen: pcapFcsLen(u32(20)) } : {}),
      }],
      sections: [],
      compression,
      linkTypeRaw: u32(20),
      thisZone: u32(8) | 0,
      sigFigs: u32(12),
    };
  }

  next(): PacketRecord | null {
    if (this.failed) throw this.failed;
    const src = this.src;
    const off = this.off;
    let i = src.ensure(off, PCAP_RECORD_HEADER_LEN);
    if (i < 0) {
      const left = src.remaining(off);
      if (left === 0) return null;
      return this.fail(`file truncated in the middle of the header of packet ${this.index + 1} (offset ${off}, ${left} of 16 bytes)`, off);
    }
    let b = src.buf;
    const le = this.le;
    const sec = readU32(b, i, le);
    const frac = readU32(b, i + 4, le);
    const incl = readU32(b, i + 8, le);
    const orig = readU32(b, i + 12, le);
    if (incl > this.maxLen) {
      return this.fail(`packet ${this.index + 1} (offset ${off}) has a captured length of ${incl} bytes, bigger than the maximum of ${this.maxLen}`, off);
    }
    i = src.ensure(off, PCAP_RECORD_HEADER_LEN + incl);
    if (i < 0) {
      return this.fail(`file truncated in the middle of packet ${this.index + 1} (offset ${off}: ${src.remaining(off + PCAP_RECORD_HEADER_LEN)} of ${incl} data bytes)`, off);
    }
    b = src.buf;
    const nsec = pcapNsec(frac, this.ns);
    const slot = this.slot;
    if (slot) {
      slot.index = this.index;
      slot.fileOffset = off;
      slot.linkType = this.linkType;
      slot.ts.sec = sec;
      slot.ts.nsec = nsec;
      slot.capLen = incl;
      slot.origLen = orig;
      slot.at(b, i + PCAP_RECORD_HEADER_LEN);
      this.off = off + PCAP_RECORD_HEADER_LEN + incl;
      this.index++;
      return slot;
    }
    const rec: PacketRecord = {
      index: this.index,
      fileOffset: off,
      interfaceId: 0,
      linkType: this.linkType,
      ts: { sec, nsec },
      capLen: incl,
      origLen: orig,
      data: b.subarray(i + PCAP_RECORD_HEADER_LEN, i + PCAP_RECORD_HEADER_LEN + incl),
      blockType: 0,
    };
    this.off = off + PCAP_RECORD_HEADER_LEN + incl;
    this.index++;
    return rec;
  }

  /**
   * Bulk pass for work on raw bytes (filtering and copying records). Makes the next record
   * readable (reading on when needed) and returns the index of its 16-byte header in `chunk`, or
   * -1 at the end of the file. The records after it that lie whole in chunk[.., chunkEnd) may be
   * walked too: a record whose captured length exceeds maxCapLen or that crosses chunkEnd ends the
   * walk, for the next bulkStart to read on or report. The caller reads the header words itself
   * (in `littleEndian` order) and says how far it went with skip(). Valid until skip(). Damage is
   * reported like next() does: the complete records before it come first, then the error.
   */
  bulkStart(): number {
    const off = this.off;
    // The record goes through next(), which refills the chunk and reports damage; then back.
    if (this.next() === null) return -1;
    this.off = off;
    this.index--;
    return this.src.ensure(off, PCAP_RECORD_HEADER_LEN);
  }

  /** The end of the bytes bulkStart made readable in `chunk`. */
  get chunkEnd(): number {
    return this.src.filled;
  }

  /** The captured length above which a record is damaged (next() reports it). */
  get maxCapLen(): number {
    return this.maxLen;
  }

  /** After bulkStart: the caller walked `records` whole records, `bytes` bytes from its index. */
  skip(bytes: number, records: number): void {
    this.off += bytes;
    this.index += records;
  }

  /** The buffer bulkStart() indexes into. */
  get chunk(): Uint8Array {
    return this.src.buf;
  }

  get littleEndian(): boolean {
    return this.le;
  }

  /** Reads the record at `off` (random access); does not move the stream position. */
  readAt(off: number, index: number): PacketRecord {
    const saveOff = this.off;
    const saveIndex = this.index;
    const saveFailed = this.failed;
    this.off = off;
    this.index = index;
    this.failed = null;
    try {
      const r = this.next();
      if (!r) throw new CaptureFileError(`no packet at offset ${off} (end of file)`, off);
      return r;
    } finally {
      this.off = saveOff;
      this.index = saveIndex;
      this.failed = saveFailed;
    }
  }

  private fail(message: string, offset: number): never {
    this.failed = new CaptureFileError(message, offset, this.index + 1);
    throw this.failed;
  }
}

/** A record's nanoseconds from its fraction word. wiretap: nsecs is a C int; usec*1000 and a ns fraction >= 2^31 wrap like it does. */
export function pcapNsec(frac: number, nanosecond: boolean): number {
  return nanosecond ? frac | 0 : (frac * 1000) | 0;
}

export function readU32(b: Uint8Array, i: number, le: boolean): number {
  return le
    ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
    : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

export function readU16(b: Uint8Array, i: number, le: boolean): number {
  return le ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!;
}
