// Lines of ASCII text laid out in columns, written character by character into one buffer and
// handed out as a string per block. The conversation table's rows (tens of thousands, a dozen
// padded columns each) made ~30 short-lived strings per row with padStart/padEnd and template
// pieces: ~0.1 s for 60k rows and most of the table's garbage. Writing the characters straight
// into bytes takes about half that. Only for text known to be ASCII (addresses, numbers, fixed
// words): any other character is written as '?'.
import { Buffer } from 'node:buffer';

const SPACE = 0x20, NEWLINE = 0x0a, QUESTION = 0x3f, ZERO = 0x30;

export class AsciiBlock {
  private buf = Buffer.allocUnsafe(1 << 16);
  private len = 0;
  /** Lines since the last take(). */
  lines = 0;

  /** Appends `s`. */
  text(s: string): this {
    this.room(s.length);
    const b = this.buf;
    let n = this.len;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      b[n++] = c < 0x80 ? c : QUESTION;
    }
    this.len = n;
    return this;
  }

  /** `s` left-aligned in `width` columns (longer text is not cut, as padEnd). */
  left(s: string, width: number): this {
    return this.text(s).spaces(width - s.length);
  }

  /** `s` right-aligned in `width` columns (as padStart). */
  right(s: string, width: number): this {
    return this.spaces(width - s.length).text(s);
  }

  /** A non-negative integer right-aligned in `width` columns, without making its string. */
  int(v: number, width = 0): this {
    if (!Number.isSafeInteger(v) || v < 0) return this.right(String(v), width);
    let digits = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
    this.spaces(width - digits);
    this.room(digits);
    const b = this.buf;
    let n = this.len + digits;
    this.len = n;
    let t = v;
    do {
      b[--n] = ZERO + (t % 10);
      t = Math.floor(t / 10);
    } while (t > 0);
    return this;
  }

  /** The position to pass to padTo (where a column that is built in pieces starts). */
  get mark(): number {
    return this.len;
  }

  /** Pads what was written since `mark` to `width` columns (a left-aligned column made of pieces). */
  padTo(mark: number, width: number): this {
    return this.spaces(width - (this.len - mark));
  }

  spaces(count: number): this {
    if (count <= 0) return this;
    this.room(count);
    // A loop, not Buffer.fill: a fill is a call into C++ for a few bytes (~25 ms of 60k rows).
    const b = this.buf;
    let n = this.len;
    for (let i = 0; i < count; i++) b[n++] = SPACE;
    this.len = n;
    return this;
  }

  newline(): this {
    this.room(1);
    this.buf[this.len++] = NEWLINE;
    this.lines++;
    return this;
  }

  /** Everything written since the last take(), as one string; the block starts empty again. */
  take(): string {
    const s = this.buf.toString('latin1', 0, this.len);
    this.len = 0;
    this.lines = 0;
    return s;
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }
}
