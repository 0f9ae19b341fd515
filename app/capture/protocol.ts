// The framed byte stream from the capture helper to its parent (one socket, so batches,
// statistics and the end arrive in the order they were sent). A frame is
// [u32 LE payload length, u8 type, payload]. Batches carry the addon's packed records as they
// are ([u32 sec, u32 nsec, u32 caplen, u32 origlen, bytes], little-endian on every platform we
// build for); everything else is a small JSON object.
import type { NativeOpenOptions } from './native.js';
import type { CapturedPacket } from './types.js';

export const FRAME_HELLO = 1;
export const FRAME_BATCH = 2;
export const FRAME_STATS = 3;
export const FRAME_ERROR = 4;
export const FRAME_END = 5;

export const RECORD_HEADER = 16;

/** Sent once after the handle is open. */
export interface HelloMessage {
  linkType: number;
  snaplen: number;
  nano: boolean;
  warning?: string;
}

export interface StatsMessage {
  captured: number;
  received: number;
  dropped: number;
  ifDropped: number;
}

/** A failure: before the first packet (start) or while capturing. */
export interface ErrorMessage {
  kind: 'permission' | 'no-such-interface' | 'bad-filter' | 'other';
  message: string;
  /** libpcap's own text, for the bad-filter span lookup. */
  detail?: string;
}

export interface EndMessage {
  reason: 'stopped' | 'limit';
}

/** How the parent asks the helper to start (argv[2], JSON). */
export interface HelperRequest extends Omit<NativeOpenOptions, 'nano'> {
  statsIntervalMs: number;
  stopAfter: { packets?: number; seconds?: number; bytes?: number };
}

export function frame(type: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out[4] = type;
  out.set(payload, 5);
  return out;
}

export function jsonFrame(type: number, value: unknown): Buffer {
  return frame(type, Buffer.from(JSON.stringify(value)));
}

/**
 * Reassembles frames from stream chunks. A frame inside one chunk is handed out as a view of it
 * (no copy); only frames that straddle chunks are concatenated. Node gives every read its own
 * buffer, so views stay valid.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly onFrame: (type: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.buffered < 5) return;
      const head = this.peek(5);
      const len = head.readUInt32LE(0);
      if (this.buffered < 5 + len) return;
      const all = this.take(5 + len);
      this.onFrame(all[4]!, all.subarray(5));
    }
  }

  /** Bytes received that do not yet make a whole frame. */
  get pending(): number {
    return this.buffered;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first;
    return Buffer.concat(this.chunks, Math.min(this.buffered, Math.max(n, 64)));
  }

  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0]!;
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - o);
      out.set(k === c.length ? c : c.subarray(0, k), o);
      o += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    return out;
  }
}

/** The packets of a batch payload ([u32 count, records...]); `data` are views of `payload`. */
export function decodeBatch(payload: Buffer): CapturedPacket[] {
  const count = payload.readUInt32LE(0);
  const out: CapturedPacket[] = new Array<CapturedPacket>(count);
  let o = 4;
  for (let i = 0; i < count; i++) {
    const capLen = payload.readUInt32LE(o + 8);
    out[i] = {
      ts: { sec: payload.readUInt32LE(o), nsec: payload.readUInt32LE(o + 4) },
      capLen,
      origLen: payload.readUInt32LE(o + 12),
      data: payload.subarray(o + RECORD_HEADER, o + RECORD_HEADER + capLen),
    };
    o += RECORD_HEADER + capLen;
  }
  if (o !== payload.length) throw new Error(`capture helper sent a damaged batch (${o} of ${payload.length} bytes used)`);
  return out;
}
