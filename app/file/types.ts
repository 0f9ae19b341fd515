// The shapes every capture-file reader and writer shares. pcap and pcapng differ on disk;
// above this line they are the same stream of records.
import type { AbsTime } from '../dissect/tree.js';

export type CaptureFormat = 'pcap' | 'pcapng';

/** One capture interface (pcap has exactly one; pcapng one per IDB, numbered per section). */
export interface InterfaceInfo {
  /** Index across the whole file (pcapng sections restart numbering; we do not). */
  id: number;
  /** Section the IDB belongs to (0-based). */
  section: number;
  linkType: number;
  snapLen: number;
  name?: string;
  description?: string;
  /** Units per second of the timestamps on this interface (if_tsresol): 1e6, 1e9, 2^-n ... */
  tsUnitsPerSecond: number;
  /** if_tsoffset, seconds added to every timestamp. */
  tsOffset: number;
  /**
   * Bytes of FCS at the end of every packet, when the file says so: pcap's link-type word with
   * the 'f' bit (0x04000000) set carries it in its top 4 bits as 16-bit words. Undefined: unknown.
   */
  fcsLen?: number;
  /** The IDB's options, kept for writing back (raw option code -> values). */
  options?: PcapngOption[];
  /** The IDB's options area as read (a copy). */
  rawOptions?: RawOptions;
  /**
   * pcapng: file offset of the IDB. A writer given it for every interface places each IDB before
   * the first record from a later offset, as the source had it (IDBs may follow packets).
   */
  blockOffset?: number;
}

export interface PcapngOption {
  code: number;
  value: Uint8Array;
}

/**
 * The exact bytes of a pcapng block's options area (everything after the fixed fields, up to the
 * trailing block length), in the byte order it was read in. Writers copy it verbatim when they
 * write the same byte order and the parsed values (comments, flags, name, ...) still agree with
 * it; otherwise they rebuild the options from the parsed values. This is what makes a pcapng ->
 * pcapng rewrite byte-identical (option order, opt_endofopt present or not, unknown options).
 */
export interface RawOptions {
  littleEndian: boolean;
  bytes: Uint8Array;
}

export interface SectionInfo {
  /** File offset of the Section Header Block. */
  offset: number;
  littleEndian: boolean;
  versionMajor: number;
  versionMinor: number;
  comments: string[];
  hardware?: string;
  os?: string;
  application?: string;
  options?: PcapngOption[];
  /** The SHB's options area as read (a copy). */
  rawOptions?: RawOptions;
  /** The SHB's Section Length field: -1 = not given (what most writers put). */
  sectionLength: number;
}

export interface CaptureFileInfo {
  format: CaptureFormat;
  littleEndian: boolean;
  /** pcap only: 'us' or 'ns' magic. pcapng: per interface (see tsUnitsPerSecond). */
  tsPrecision: 'us' | 'ns';
  versionMajor: number;
  versionMinor: number;
  /** pcap's file-wide snaplen / the first interface's. */
  snapLen: number;
  interfaces: InterfaceInfo[];
  sections: SectionInfo[];
  /** How the file was wrapped on disk, if at all (tshark reads these transparently too). */
  compression: 'gzip' | 'zstd' | null;
  /** pcap only: the header's raw link-type word (FCS/reserved bits included). */
  linkTypeRaw?: number;
  /** pcap only: the header's thiszone and sigfigs words (kept so a rewrite is byte-identical). */
  thisZone?: number;
  sigFigs?: number;
  /** pcapng Name Resolution Blocks met so far (IPv4/IPv6 records). */
  nameResolution?: Array<{ address: string; names: string[] }>;
  /** pcapng Decryption Secrets Blocks met so far (secrets type, e.g. 0x544c534b TLS key log). */
  decryptionSecrets?: Array<{ type: number; data: Uint8Array }>;
}

/** One packet as read from a file. */
export interface PacketRecord {
  /** 0-based index of the packet in the file (packet number - 1). */
  index: number;
  /** Byte offset of the record/block in the (uncompressed) file: the random-access key. */
  fileOffset: number;
  interfaceId: number;
  linkType: number;
  ts: AbsTime;
  capLen: number;
  origLen: number;
  /**
   * The captured bytes. For streaming readers this may be a view into a reused buffer:
   * valid until the next record is read. Copy it to keep it.
   */
  data: Uint8Array;
  comments?: string[];
  /** pcapng epb_flags (direction, reception type), when present. */
  flags?: number;
  /**
   * pcapng EPB/OPB only, when the block has an options area: its exact bytes. Like `data`, a view
   * valid until the next record; copy it to keep it. Drop it (or change comments/flags, which the
   * writer notices) when the options are edited.
   */
  rawOptions?: RawOptions;
  /** The pcapng block type the packet came from (6 EPB, 3 SPB, 2 OPB); 0 for pcap. */
  blockType: number;
  /**
   * pcapng only: the interface number as written in the block, i.e. within its section. This is
   * what tshark 4.0 prints as frame.interface_id (pcap: tshark prints no frame.interface_id).
   */
  sectionInterfaceId?: number;
  /** pcapng only: 0-based section (tshark's frame.section_number is this + 1). */
  section?: number;
  /** True when the block carries no timestamp (SPB): tshark prints no frame.time_epoch. ts is 0. */
  tsAbsent?: boolean;
  /**
   * Only with ReaderOptions.customBlocks: a pcapng Custom Block (blockType 0xBAD / 0x40000BAD)
   * delivered as a record, as tshark 4.0 shows it (a "PCAPNG" frame of data). interfaceId and
   * linkType are -1; data is the custom data and options after this Private Enterprise Number.
   */
  pen?: number;
}

/** A damaged file: every complete record before it was delivered; this says where it broke. */
export class CaptureFileError extends Error {
  constructor(
    message: string,
    /** Byte offset in the file where the problem is. */
    readonly offset: number,
    /** 1-based number of the packet being read when it broke, if any. */
    readonly packetNumber?: number,
  ) {
    super(message);
    this.name = 'CaptureFileError';
  }
}
