// Indexing a capture file: one sequential pass over its records, no dissection, building the
// PacketIndex columns. Runs inside the index worker (index-worker.ts) and, when no worker can
// be started, in-process; either way the same function does the work.
import { openCaptureFile } from '../file/reader.js';
import { CaptureFileError, type CaptureFileInfo } from '../file/types.js';
import { PacketIndex, type IndexColumns } from './packet-index.js';

/** Packets in the first, early message: enough for the first screens of the list. */
export const HEAD_PACKETS = 5000;

export type IndexMessage =
  | { type: 'head'; columns: IndexColumns; info: CaptureFileInfo }
  | { type: 'progress'; packets: number; fraction: number }
  | { type: 'done'; columns: IndexColumns; info: CaptureFileInfo; warning?: string }
  | { type: 'failed'; message: string; notCapture: boolean };

export interface IndexCallbacks {
  /** Called once with a copy of the first HEAD_PACKETS rows (or all of them, if fewer). */
  head?(columns: IndexColumns, info: CaptureFileInfo): void;
  progress?(packets: number, fraction: number): void;
}

export interface BuiltIndex {
  index: PacketIndex;
  info: CaptureFileInfo;
  /** Set when the file is damaged: the reader's message; every complete record is indexed. */
  warning?: string;
}

/** The file's records as index columns. Throws only when the file is not a capture at all. */
export function buildIndex(path: string, size: number, cb: IndexCallbacks = {}): BuiltIndex {
  // Custom blocks count as frames (tshark 4.0 lists them), so numbers equal tshark's.
  const reader = openCaptureFile(path, { customBlocks: true, reuseRecord: true });
  const index = new PacketIndex();
  let warning: string | undefined;
  let headSent = false;
  let lastReport = Date.now();
  try {
    for (let rec = reader.next(); rec !== null; rec = reader.next()) {
      index.push(rec);
      const n = index.count;
      if (!headSent && n === HEAD_PACKETS) {
        headSent = true;
        cb.head?.(copyColumns(index), reader.info);
      }
      if ((n & 0x3fff) === 0 && cb.progress) {
        const now = Date.now();
        if (now - lastReport >= 100) {
          lastReport = now;
          cb.progress(n, size > 0 ? Math.min(1, rec.fileOffset / size) : 0);
        }
      }
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    const where = e.packetNumber !== undefined ? ` (packet ${e.packetNumber}, offset ${e.offset})` : ` (offset ${e.offset})`;
    warning = `the file is damaged: ${e.message}${where}; ${index.count} packets before it were read`;
  } finally {
    reader.close();
  }
  index.trim();
  const out: BuiltIndex = { index, info: reader.info };
  if (warning !== undefined) out.warning = warning;
  return out;
}

function copyColumns(index: PacketIndex): IndexColumns {
  const c = index.columns();
  const n = c.count;
  return {
    count: n,
    fileOffset: c.fileOffset.slice(0, n),
    tsSec: c.tsSec.slice(0, n),
    tsNsec: c.tsNsec.slice(0, n),
    capLen: c.capLen.slice(0, n),
    origLen: c.origLen.slice(0, n),
    iface: c.iface.slice(0, n),
  };
}

/** The typed arrays of a column set, for a zero-copy postMessage transfer. */
export function transferList(c: IndexColumns): ArrayBuffer[] {
  return [c.fileOffset, c.tsSec, c.tsNsec, c.capLen, c.origLen, c.iface].map((a) => a.buffer as ArrayBuffer);
}
