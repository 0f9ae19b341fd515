// A bounds-checked window on a packet's bytes (Wireshark calls it a tvbuff). Dissectors read
// only through it, with offsets relative to the window; nodes are added with absolute offsets
// (`abs()`), so the hex view can highlight without re-parsing.
//
// Two lengths, as in Wireshark and gopacket: the *captured* bytes (what the snaplen kept) and
// the *reported* length (what was on the wire, as far as the headers say). Reading past the
// captured bytes but inside the reported length means the capture was cut short: truncated.
// Reading past the reported length means a length field lies: malformed.

export class TruncatedError extends Error {
  constructor(readonly absOffset: number) {
    super(`packet size limited during capture (needed byte ${absOffset})`);
  }
}

export class MalformedError extends Error {
  constructor(message: string, readonly absOffset: number) {
    super(message);
  }
}

export class Tvb {
  /** Bytes actually present in this window (≤ reportedLength). */
  readonly length: number;

  constructor(
    /** The whole packet's captured bytes. */
    readonly bytes: Uint8Array,
    /** Absolute offset of this window's first byte within `bytes`. */
    readonly start: number,
    length: number,
    /** Length this window should have according to the wire/headers. */
    readonly reportedLength: number,
  ) {
    this.length = Math.max(0, Math.min(length, bytes.length - start));
  }

  static of(bytes: Uint8Array, reportedLength = bytes.length): Tvb {
    return new Tvb(bytes, 0, bytes.length, Math.max(reportedLength, bytes.length));
  }

  /** Absolute offset of a window offset. */
  abs(offset: number): number {
    return this.start + offset;
  }

  /** Throws TruncatedError / MalformedError unless [offset, offset+n) is readable. */
  check(offset: number, n: number): void {
    if (offset < 0 || n < 0) throw new MalformedError('negative offset or length', this.start + offset);
    const end = offset + n;
    if (end <= this.length) return;
    if (end <= this.reportedLength) throw new TruncatedError(this.start + this.length);
    throw new MalformedError('field extends past the end of the packet', this.start + offset);
  }

  has(offset: number, n: number): boolean {
    return offset >= 0 && offset + n <= this.length;
  }

  remaining(offset: number): number {
    return Math.max(0, this.length - offset);
  }

  reportedRemaining(offset: number): number {
    return Math.max(0, this.reportedLength - offset);
  }

  u8(o: number): number {
    this.check(o, 1);
    return this.bytes[this.start + o]!;
  }

  u16(o: number): number {
    this.check(o, 2);
    const b = this.bytes, p = this.start + o;
    return (b[p]! << 8) | b[p + 1]!;
  }

  u16le(o: number): number {
    this.check(o, 2);
    const b = this.bytes, p = this.start + o;
    return b[p]! | (b[p + 1]! << 8);
  }

  u24(o: number): number {
    this.check(o, 3);
    const b = this.bytes, p = this.start + o;
    return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  }

  u32(o: number): number {
    this.check(o, 4);
    const b = this.bytes, p = this.start + o;
    return ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  u32le(o: number): number {
    this.check(o, 4);
    const b = this.bytes, p = this.start + o;
    return ((b[p + 3]! << 24) >>> 0) + ((b[p + 2]! << 16) | (b[p + 1]! << 8) | b[p]!);
  }

  u64(o: number): bigint {
    return (BigInt(this.u32(o)) << 32n) | BigInt(this.u32(o + 4));
  }

  /** A zero-copy view of n bytes (n defaults to the rest of the captured window). */
  slice(o: number, n = this.length - o): Uint8Array {
    this.check(o, n);
    return this.bytes.subarray(this.start + o, this.start + o + n);
  }

  /** A sub-window. Its reported length is clipped to ours; `reported` narrows it further. */
  sub(o: number, n = this.reportedLength - o, reported = n): Tvb {
    if (o > this.reportedLength) throw new MalformedError('sub-window starts past the packet', this.start + o);
    const rep = Math.min(reported, this.reportedLength - o);
    return new Tvb(this.bytes, this.start + o, Math.min(n, this.length - o), rep);
  }

  /**
   * n bytes as ASCII text, as tshark's ENC_ASCII reads them: a byte with the high bit set is
   * U+FFFD (one character per byte still, so offsets into the text are offsets into the bytes).
   */
  ascii(o: number, n: number): string {
    this.check(o, n);
    const s = latin1(this.bytes, this.start + o, this.start + o + n);
    return HIGH_BYTE.test(s) ? s.replace(HIGH_BYTES, '\ufffd') : s;
  }

  /**
   * n bytes as UTF-8 text, as tshark's ENC_UTF_8 reads them: an invalid sequence is U+FFFD. The
   * text's length is not the bytes' length: keep offsets from ascii().
   */
  utf8(o: number, n: number): string {
    this.check(o, n);
    const from = this.start + o;
    // ASCII (most protocol text) needs no decoder.
    for (let p = from; p < from + n; p++) if (this.bytes[p]! >= 0x80) return UTF8.decode(this.bytes.subarray(from, from + n));
    return latin1(this.bytes, from, from + n);
  }

  /** Offset of the first occurrence of byte `v` at or after `o`, or -1. */
  indexOf(v: number, o = 0): number {
    const end = this.start + this.length;
    for (let p = this.start + o; p < end; p++) if (this.bytes[p] === v) return p - this.start;
    return -1;
  }
}

const UTF8 = new TextDecoder('utf-8');
const HIGH_BYTE = /[\x80-\xff]/;
const HIGH_BYTES = /[\x80-\xff]/g;
/**
 * Node's own Latin-1 decoder (Buffer's, which takes any Uint8Array as `this`): one copy into a
 * one-byte string, ~45 ns whatever the length, where building the string in JS costs ~35 ns
 * for 4 bytes and ~390 for 100 (HTTP header lines, DNS labels). Absent outside Node.
 */
const nativeLatin1 = typeof Buffer === 'function'
  ? (Buffer.prototype as unknown as { latin1Slice?: (this: Uint8Array, start: number, end: number) => string }).latin1Slice
  : undefined;
/** Shorter than this, a JS loop beats the call into Node. */
const NATIVE_MIN = 6;
/** fromCharCode's arguments per call (well below engines' argument limits). */
const LATIN1_PIECE = 4096;

/** bytes[from, to) as a Latin-1 string (each byte one UTF-16 unit, as String.fromCharCode makes it). */
export function latin1(bytes: Uint8Array, from = 0, to = bytes.length): string {
  if (to - from < NATIVE_MIN) {
    let s = '';
    for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  if (nativeLatin1) return nativeLatin1.call(bytes, from, to);
  let s = '';
  for (let p = from; p < to; p += LATIN1_PIECE) {
    s += String.fromCharCode.apply(null, bytes.subarray(p, Math.min(to, p + LATIN1_PIECE)) as unknown as number[]);
  }
  return s;
}
