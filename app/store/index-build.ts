// Indexing a capture file: one sequential pass over its records, no dissection, building the
// PacketIndex columns. The session runs it in-process for the first HEAD_PACKETS (rows at
// once), then for the whole file inside the index worker (index-worker.ts), or in-process when
// no worker can be started; either way the same function does the work.
import { openCaptureFile } from '../file/reader.js';
import { CaptureFileError, type CaptureFileInfo } from '../file/types.js';
import { PacketIndex, type IndexColumns } from './packet-index.js';

/** Packets indexed on the spot when a file is opened: the first screens of the list. */
export const HEAD_PACKETS = 5000;

export type IndexMessage =
  | { type: 'progress'; packets: number; fraction: number }
  | { type: 'done'; columns: IndexColumns; info: CaptureFileInfo; warning?: string }
  | { type: 'failed'; message: string; notCapture: boolean };

export interface IndexCallbacks {
  progress?(packets: number, fraction: number): void;
}

export interface BuiltIndex {
  index: PacketIndex;
  info: CaptureFileInfo;
  /** Set when the file is damaged: the reader's message; every complete record is indexed. */
  warning?: string;
}

/**
 * The file's records as index columns (the first `limit` only, when given). Throws only when
 * the file is not a capture at all.
 */
export function buildIndex(path: string, size: number, cb: IndexCallbacks = {}, limit = Infinity): BuiltIndex {
  // Custom blocks count as frames (tshark 4.0 lists them), so numbers equal tshark's.
  const reader = openCaptureFile(path, { customBlocks: true, reuseRecord: true });
  const index = new PacketIndex();
  let warning: string | undefined;
  let lastReport = Date.now();
  try {
    for (let rec = reader.next(); rec !== null; rec = reader.next()) {
      index.push(rec);
      const n = index.count;
      if (n >= limit) break;
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

/** The typed arrays of a column set, for a zero-copy postMessage transfer. */
export function transferList(c: IndexColumns): ArrayBuffer[] {
  return [c.fileOffset, c.tsSec, c.tsNsec, c.capLen, c.origLen, c.iface].map((a) => a.buffer as ArrayBuffer);
}
