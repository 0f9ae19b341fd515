// Where a session's packets come from, one interface for both kinds: an opened file (index in
// memory, bytes read from the file on demand) and a live capture (bytes in the ring). Frames
// come out as the dissector's FrameInput, numbered as tshark numbers them.
import type { FrameInput } from '../dissect/packet.js';
import { frameFromRecord } from '../filter/record-frame.js';
import type { AbsTime } from '../dissect/tree.js';
import { CaptureRandomAccess } from '../file/reader.js';
import { CaptureFileError, type CaptureFileInfo, type CaptureFormat, type PacketRecord } from '../file/types.js';
import { writerOptionsFromInfo, type WriterOptions } from '../file/writer.js';
import type { PacketIndex } from './packet-index.js';
import type { PacketRing } from './ring.js';

export interface FrameStore {
  /** The newest frame number. */
  count(): number;
  /** The oldest frame number still readable (1 for a file). */
  firstAvailable(): number;
  /** Frame n for the dissector; `data` is valid until the next call. */
  frame(n: number): FrameInput;
  /** Frame n as a record for a writer; `data` is valid until the next call. */
  record(n: number): PacketRecord;
  /** Frame length on the wire (frame.len), without reading the packet. */
  origLen(n: number): number;
  time(n: number): AbsTime;
  /** Decimals of the time column (the timestamp resolution of the frame's interface). */
  timeDigits(n: number): number;
  /** Writer options for saving these frames as `format`. */
  writerOptions(format: CaptureFormat): WriterOptions;
  close(): void;
}

/** Decimal digits of a timestamp resolution (1e6 -> 6, 1e9 -> 9). */
function digitsOf(unitsPerSecond: number): number {
  if (!(unitsPerSecond > 1)) return 0;
  return Math.min(9, Math.ceil(Math.log10(unitsPerSecond) - 1e-9));
}

export class FileFrameStore implements FrameStore {
  private readonly ra: CaptureRandomAccess;
  /** bytesReader's own reader: frame() of the frame being dissected stays valid while it reads others. */
  private rereader: CaptureRandomAccess | null = null;
  private readonly pcapng: boolean;
  private readonly digits: number[];
  private readonly defaultDigits: number;

  constructor(readonly path: string, private index: PacketIndex, readonly info: CaptureFileInfo) {
    this.ra = new CaptureRandomAccess(path, info, { customBlocks: true });
    this.pcapng = info.format === 'pcapng';
    this.digits = info.interfaces.map((i) => digitsOf(i.tsUnitsPerSecond));
    this.defaultDigits = info.tsPrecision === 'ns' ? 9 : 6;
  }

  /** The full index replaces the early head-only one. */
  setIndex(index: PacketIndex, info: CaptureFileInfo): void {
    this.index = index;
    for (let i = this.digits.length; i < info.interfaces.length; i++) this.digits.push(digitsOf(info.interfaces[i]!.tsUnitsPerSecond));
  }

  count(): number {
    return this.index.count;
  }

  firstAvailable(): number {
    return 1;
  }

  record(n: number): PacketRecord {
    return this.ra.read(this.index.fileOffsetOf(n - 1), n - 1);
  }

  frame(n: number): FrameInput {
    const rec = this.record(n);
    return frameFromRecord(rec, n, this.index.timeOf(0), n > 1 ? this.index.timeOf(n - 2) : undefined, this.ra.info);
  }

  /**
   * A function giving frame n's captured bytes (valid until its next call) from a reader of its
   * own, so that frame() of the frame being dissected stays valid: for a dissector rebuilding
   * what it did not keep (CaptureState.frameBytes). Null for a compressed file, which is in
   * memory anyway (a second reader would inflate it a second time).
   */
  bytesReader(): ((n: number) => Uint8Array | null) | null {
    if (this.ra.info.compression) return null;
    return (n) => {
      if (!(n >= 1 && n <= this.index.count)) return null;
      try {
        // Its 64 KB reads often hold the next segments of the PDU too: the 129,663 segments of the
        // 1M-packet capture's 9,150 PDUs are read again in ~0.1 s (~0.3 s with 4 KB reads).
        this.rereader ??= new CaptureRandomAccess(this.path, this.ra.info, { customBlocks: true });
        return this.rereader.read(this.index.fileOffsetOf(n - 1), n - 1).data;
      } catch (e) {
        if (e instanceof CaptureFileError || (e as NodeJS.ErrnoException).code !== undefined) return null;
        throw e;
      }
    };
  }

  origLen(n: number): number {
    return this.index.origLenOf(n - 1);
  }

  time(n: number): AbsTime {
    return this.index.timeOf(n - 1);
  }

  timeDigits(n: number): number {
    if (!this.pcapng) return this.defaultDigits;
    return this.digits[this.index.entry(n - 1).interfaceId] ?? 6;
  }

  writerOptions(format: CaptureFormat): WriterOptions {
    return writerOptionsFromInfo(this.ra.info, format);
  }

  close(): void {
    this.ra.close();
    this.rereader?.close();
  }
}

export class RingFrameStore implements FrameStore {
  constructor(
    readonly ring: PacketRing,
    readonly linkType: number,
    readonly snapLen: number,
    readonly interfaceName: string,
  ) {}

  count(): number {
    return this.ring.count;
  }

  firstAvailable(): number {
    return this.ring.firstAvailable;
  }

  frame(n: number): FrameInput {
    const p = this.ring.read(n);
    const frame: FrameInput = { number: n, ts: p.ts, capLen: p.capLen, origLen: p.origLen, linkType: p.linkType, data: p.data };
    const first = this.ring.firstTime;
    if (first) frame.firstTs = first;
    const prev = this.ring.timeOf(n - 1);
    if (prev) frame.prevTs = prev;
    return frame;
  }

  record(n: number): PacketRecord {
    const p = this.ring.read(n);
    return { index: n - 1, fileOffset: 0, interfaceId: 0, linkType: p.linkType, ts: p.ts, capLen: p.capLen, origLen: p.origLen, data: p.data, blockType: 6 };
  }

  origLen(n: number): number {
    return this.ring.origLenOf(n);
  }

  time(n: number): AbsTime {
    return this.ring.timeOf(n) ?? { sec: 0, nsec: 0 };
  }

  timeDigits(): number {
    return 9;
  }

  writerOptions(format: CaptureFormat): WriterOptions {
    return {
      format,
      nanosecond: true,
      interfaces: [{ id: 0, linkType: this.linkType, snapLen: this.snapLen, tsUnitsPerSecond: 1e9, name: this.interfaceName }],
    };
  }

  close(): void {}
}
