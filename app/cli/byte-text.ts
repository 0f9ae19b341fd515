// A column's text built as UTF-8 bytes in one reused buffer. The header-only summary
// (summary-fast.ts) writes a TCP or UDP segment's Info here and FdSink copies the bytes into its
// output: built as a string, the same Info was a dozen concatenated pieces, a number turned into
// a string for each port and sequence number, and a flattening copy when it was encoded — on
// 1M packets about a second of `read` went to those strings and their garbage.

/** Bytes of room a text starts with; a longer one grows the buffer. */
const INITIAL = 512;

export class ByteText {
  buf = new Uint8Array(INITIAL);
  len = 0;
  /** text()'s string for the bytes as they are now (null: not made yet). */
  private decoded: string | null = null;

  reset(): void {
    this.len = 0;
    this.decoded = null;
  }

  /** Drops what was written after the first `len` bytes. */
  truncate(len: number): void {
    this.len = len;
    this.decoded = null;
  }

  /** `s` as UTF-8 (ASCII copied a character at a time). */
  str(s: string): void {
    this.room(s.length * 3);
    const b = this.buf;
    let len = this.len;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      if (ch >= 0x80) {
        len += Buffer.from(b.buffer, b.byteOffset, b.length).write(s.slice(i), len, 'utf8');
        break;
      }
      b[len++] = ch;
    }
    this.len = len;
    this.decoded = null;
  }

  /** A number as String(v) writes it: the digits of a non-negative integer here, anything else through String. */
  num(v: number): void {
    // Ports, lengths, relative sequence numbers, timestamps: unsigned 32-bit integers, written
    // with integer division (a float division per digit cost more than the rest of the Info).
    if (!(v >= 0 && v <= 0xffffffff && (v >>> 0) === v)) {
      this.str(String(v));
      return;
    }
    this.room(10);
    const digits = decimalDigits(v);
    const b = this.buf;
    let end = (this.len += digits);
    let x = v >>> 0;
    do {
      const q = (x / 10) >>> 0;
      b[--end] = 0x30 + x - q * 10;
      x = q;
    } while (x > 0);
    this.decoded = null;
  }

  /** A non-negative integer's digits with zeros in front up to `width` (String(v).padStart(width, '0')). */
  zeroPadded(v: number, width: number): void {
    if (!(v >= 0 && v <= 0xffffffff && (v >>> 0) === v)) {
      this.str(String(v).padStart(width, '0'));
      return;
    }
    const zeros = width - decimalDigits(v);
    if (zeros > 0) {
      this.room(zeros);
      for (let n = zeros; n > 0; n--) this.buf[this.len++] = 0x30;
    }
    this.num(v);
  }

  /** " → " (between the ports of an Info). */
  arrow(): void {
    this.room(5);
    const b = this.buf;
    const len = this.len;
    b[len] = 0x20;
    b[len + 1] = 0xe2;
    b[len + 2] = 0x86;
    b[len + 3] = 0x92;
    b[len + 4] = 0x20;
    this.len = len + 5;
    this.decoded = null;
  }

  /** The text as a string (made once until the text changes). */
  text(): string {
    return (this.decoded ??= Buffer.from(this.buf.buffer, this.buf.byteOffset, this.len).toString('utf8'));
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    bigger.set(this.buf.subarray(0, this.len));
    this.buf = bigger;
  }
}

/** How many decimal digits an unsigned 32-bit integer has. */
function decimalDigits(v: number): number {
  return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
}
