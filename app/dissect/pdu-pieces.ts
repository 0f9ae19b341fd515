// Where a reassembled PDU's bytes lie in the frames that carried them, so that a dissector need
// not keep the bytes for a revisit: a session over a file (CaptureState.frameBytes) reads them
// again from the file when the frame that completed the PDU is dissected again. Packet bytes
// stay on disk; what stays in memory is a few numbers per segment.
//
// Only bytes that are a frame's own captured bytes have a piece: a payload inside a buffer a
// dissector built (an IP datagram reassembled from fragments) has none, and a PDU with such
// bytes keeps its bytes as before.
import type { CaptureState, PacketContext } from './packet.js';
import { MalformedError, type Tvb } from './tvb.js';

/** `length` bytes of frame `frame`'s captured bytes from offset `at`. */
export interface PduPiece {
  frame: number;
  at: number;
  length: number;
}

/**
 * The piece for `length` bytes of `tvb` from `offset`, or null when they are not the frame's
 * own bytes or nothing would read them again (no CaptureState.frameBytes).
 */
export function framePiece(ctx: PacketContext, tvb: Tvb, offset: number, length: number): PduPiece | null {
  if (ctx.capture.frameBytes === null || tvb.bytes !== ctx.frame.data) return null;
  return { frame: ctx.frame.number, at: tvb.abs(offset), length };
}

/** The pieces of the bytes from `offset` on of the run `pieces` describes. */
export function piecesFrom(pieces: readonly PduPiece[], offset: number): PduPiece[] {
  const out: PduPiece[] = [];
  let skip = offset;
  for (const p of pieces) {
    if (skip >= p.length) {
      skip -= p.length;
      continue;
    }
    out.push(skip === 0 ? p : { frame: p.frame, at: p.at + skip, length: p.length - skip });
    skip = 0;
  }
  return out;
}

/** The bytes `pieces` describe, read again from their frames. */
export function readPieces(capture: CaptureState, pieces: readonly PduPiece[]): Uint8Array {
  let total = 0;
  for (const p of pieces) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) {
    const bytes = capture.frameBytes?.(p.frame) ?? null;
    // The file changed under the session, or was cut: the packet says so (the driver shows it).
    if (bytes === null || bytes.length < p.at + p.length) throw new MalformedError(`frame ${p.frame} can no longer be read from the file for the PDU it carries`, 0);
    out.set(bytes.subarray(p.at, p.at + p.length), at);
    at += p.length;
  }
  return out;
}
