// One direction's CRYPTO stream at one encryption level (RFC 9000 19.6), put back in order for
// TLS as tshark 4.0 does it. Clients split their Client Hello into many CRYPTO frames sent out of
// order, across packets (Chromium's "chaos protection"); a frame ahead of a hole waits.
//
// What TLS is handed, and where (the frame whose CRYPTO data made it so), follows what tshark
// shows: once no piece is left waiting, the handshake messages that are whole go to TLS; a frame
// at the point where TLS's data stops hands it what there is of an incomplete message, once per
// message (TLS then waits for the rest: "Client Hello (fragment)"), and the rest of that message
// goes to TLS as its "last fragment" when it is whole. Each delivery made of several pieces
// lists them ("[16 Reassembled QUIC CRYPTO Data Fragments (1913 bytes): #1(8), #1(2), ...]").

/** A piece of the stream and the frame it came in; `offset` is in the stream. */
export interface CryptoPiece {
  frame: number;
  offset: number;
  length: number;
}

/** What one CRYPTO frame hands to TLS. */
export interface CryptoDelivery {
  /** The bytes for TLS: whole messages, the start of one (`fragment`), or the end of one (`fragments` set). */
  bytes: Uint8Array;
  /** Where the bytes start in the stream. */
  offset: number;
  fragment: boolean;
  /** The pieces the bytes were put together from, in stream order (one: they are a frame's own). */
  pieces: CryptoPiece[];
  /**
   * The end of a message TLS got the start of before: all its fragments, this one last (offsets
   * in the message), and the whole message.
   */
  fragments: CryptoPiece[] | null;
  message: Uint8Array | null;
}

/** Where QUIC leaves TLS the `fragments` and `message` of a delivery that ends a message (tls.ts). */
export const TLS_HANDSHAKE_FRAGMENTS_SCRATCH = 'tls.handshake.fragments';
export type HandshakeReassembly = Pick<CryptoDelivery, 'fragments' | 'message'>;

export class CryptoStream {
  /** The bytes from offset 0 that arrived without a hole: data[0, end). */
  private data = new Uint8Array(0);
  private end = 0;
  /** Pieces that arrived ahead of a hole, by offset. */
  private readonly ahead = new Map<number, { bytes: Uint8Array; frame: number }>();
  /** The pieces of data[delivered, end), in the order they joined it. */
  private pieces: CryptoPiece[] = [];
  /** Where the first message not yet whole at TLS starts, and how far TLS has its bytes. */
  private messageStart = 0;
  private delivered = 0;
  /** The fragments of that message TLS got so far. */
  private fragments: CryptoPiece[] = [];

  /** Offsets past this are not kept: no handshake is that long, and a damaged frame must not cost memory. */
  static readonly MAX_OFFSET = 1 << 20;

  /**
   * Adds the bytes of a CRYPTO frame of `frame` at `offset`. `reused`: all of them were seen
   * before (tshark's "reused stream offset" note); `delivery`: what TLS gets at this frame.
   */
  add(frame: number, offset: number, bytes: Uint8Array): { reused: boolean; delivery: CryptoDelivery | null } {
    if (offset + bytes.length <= this.end) return { reused: bytes.length > 0, delivery: null };
    if (offset > this.end) {
      if (offset <= CryptoStream.MAX_OFFSET && (this.ahead.get(offset)?.bytes.length ?? 0) < bytes.length) this.ahead.set(offset, { bytes: bytes.slice(), frame });
      return { reused: false, delivery: null };
    }
    this.extend(frame, offset, bytes);
    for (let moved = true; moved; ) {
      moved = false;
      for (const [at, piece] of this.ahead) {
        if (at > this.end) continue;
        this.ahead.delete(at);
        if (at + piece.bytes.length > this.end) this.extend(piece.frame, at, piece.bytes);
        moved = true;
      }
    }
    // Nothing goes to TLS while a piece still waits for a hole to fill.
    if (this.ahead.size > 0) return { reused: false, delivery: null };
    const whole = this.wholeMessagesEnd();
    if (whole > this.messageStart) {
      const d = this.deliver(frame, whole, false);
      // The start of the next message, when it came too: TLS shows it after them as its "(fragment)".
      if (this.end > whole) {
        d.bytes = this.data.slice(d.offset, this.end);
        this.fragments.push({ frame, offset: 0, length: this.end - whole });
        this.pieces = [];
        this.delivered = this.end;
      }
      return { reused: false, delivery: d };
    }
    if (offset <= this.delivered && this.fragments.length === 0 && this.end > this.delivered) {
      return { reused: false, delivery: this.deliver(frame, this.end, true) };
    }
    return { reused: false, delivery: null };
  }

  /** Appends what of `bytes` (at `offset`, which is at or before `end`) is new. */
  private extend(frame: number, offset: number, bytes: Uint8Array): void {
    const fresh = bytes.subarray(this.end - offset);
    if (this.end + fresh.length > this.data.length) {
      const bigger = new Uint8Array(Math.max(this.end + fresh.length, 2 * this.data.length, 4096));
      bigger.set(this.data.subarray(0, this.end));
      this.data = bigger;
    }
    this.data.set(fresh, this.end);
    this.pieces.push({ frame, offset: this.end, length: fresh.length });
    this.end += fresh.length;
  }

  /** Where the last handshake message that is whole in data[messageStart, end) ends. */
  private wholeMessagesEnd(): number {
    let p = this.messageStart;
    while (p + 4 <= this.end) {
      const len = (this.data[p + 1]! << 16) | (this.data[p + 2]! << 8) | this.data[p + 3]!;
      if (p + 4 + len > this.end) break;
      p += 4 + len;
    }
    return p;
  }

  /** Hands data[delivered, to) to TLS. */
  private deliver(frame: number, to: number, fragment: boolean): CryptoDelivery {
    const from = this.delivered;
    const pieces = this.pieces.filter((p) => p.offset < to).sort((a, b) => a.offset - b.offset);
    this.pieces = this.pieces.filter((p) => p.offset >= to);
    const d: CryptoDelivery = { bytes: this.data.slice(from, to), offset: from, fragment, pieces, fragments: null, message: null };
    const piece = { frame, offset: from - this.messageStart, length: to - from };
    if (fragment) {
      this.fragments.push(piece);
    } else {
      if (this.fragments.length > 0) {
        // The message the fragments began ends here; whole messages may follow it in the same delivery.
        const m = this.messageStart;
        const messageEnd = Math.min(to, m + 4 + ((this.data[m + 1]! << 16) | (this.data[m + 2]! << 8) | this.data[m + 3]!));
        d.fragments = [...this.fragments, { ...piece, length: messageEnd - from }];
        d.message = this.data.slice(m, messageEnd);
        this.fragments = [];
      }
      this.messageStart = to;
    }
    this.delivered = to;
    return d;
  }
}
