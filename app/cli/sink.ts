// Where the CLI's output goes. Printing is the hot path of `synscope read FILE > /dev/null`:
// lines are encoded into one buffer as they come and written with fs.writeSync in large
// chunks, never one write per packet. Tests use StringSink to run the CLI in-process.
import { writeSync } from 'node:fs';
import type { ByteText } from './byte-text.js';
import { summaryLine, summaryLineTabs, type SummaryColumns } from './output.js';

export interface Sink {
  write(s: string): void;
  /**
   * A packet's summary line: summaryLine(c), or summaryLineTabs(c) with `tabs`. With `info`,
   * the Info column is those bytes (c.info is not read); with `time`, the Time column (c.time).
   */
  summary(c: SummaryColumns, tabs: boolean, info?: ByteText, time?: ByteText): void;
  /** Bytes [start, end) of `b`: whole lines of UTF-8 text another sink encoded (read-parallel.ts). */
  bytes(b: Buffer, start: number, end: number): void;
  /** Writes out whatever is buffered. */
  flush(): void;
}

/** Collects everything in memory (tests, the differential runner). */
export class StringSink implements Sink {
  private parts: string[] = [];
  write(s: string): void {
    this.parts.push(s);
  }
  summary(c: SummaryColumns, tabs: boolean, info?: ByteText, time?: ByteText): void {
    if (info) c = { ...c, info: info.text() };
    if (time) c = { ...c, time: time.text() };
    this.parts.push(tabs ? summaryLineTabs(c) : summaryLine(c));
  }
  bytes(b: Buffer, start: number, end: number): void {
    this.parts.push(b.toString('utf8', start, end));
  }
  flush(): void {}
  text(): string {
    const s = this.parts.join('');
    this.parts = [s];
    return s;
  }
}

/** Thrown when the reader of our output went away (`synscope read F | head`). */
export class BrokenPipeError extends Error {}

/** Bytes buffered before a write (UTF-8 encoded as lines arrive). */
const CHUNK = 1 << 18;
/** The longest summary line summary() encodes in place (UTF-8 bytes); a longer one is built as a string. */
const LINE_MAX = 4096;
/** " → " in UTF-8. */
const ARROW = [0xe2, 0x86, 0x92];

/**
 * Buffered writes to a file descriptor (1 stdout, 2 stderr). Each string is encoded into one
 * preallocated buffer as it arrives: much cheaper than appending to a string and encoding the
 * (two-byte, because of "→") rope at flush time.
 */
export class FdSink implements Sink {
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  /** Bytes buffered (ShareSink reads it: where the line just written ends). */
  protected len = 0;
  constructor(private readonly fd: number) {}

  write(s: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair 4 for 2 units).
    if (s.length * 3 > CHUNK - this.len) {
      this.flush();
      if (s.length * 3 > CHUNK) {
        this.writeOut(Buffer.from(s, 'utf8'), 0);
        return;
      }
    }
    this.len += this.buf.write(s, this.len, 'utf8');
  }

  /**
   * The summary line, encoded straight into the buffer: building it as a string first (a
   * two-byte string because of "→", flattened, then transcoded) was a tenth of `read`'s time.
   * Columns are ASCII but for Info (UTF-8 text of a URI, a name): put() encodes any string.
   */
  summary(c: SummaryColumns, tabs: boolean, infoBytes?: ByteText, timeBytes?: ByteText): void {
    const infoLength = infoBytes ? infoBytes.len : 3 * c.info.length;
    const timeLength = timeBytes ? timeBytes.len : c.time.length;
    if (c.src.length + c.dst.length + c.protocol.length + timeLength + infoLength + 64 > LINE_MAX) {
      const whole = { ...c, info: infoBytes ? infoBytes.text() : c.info, time: timeBytes ? timeBytes.text() : c.time };
      this.write(tabs ? summaryLineTabs(whole) : summaryLine(whole));
      return;
    }
    if (this.len + LINE_MAX > CHUNK) this.flush();
    const sep = tabs ? 0x09 : 0x20;
    this.padNumber(c.no, 5);
    this.byte(sep);
    if (timeBytes) {
      // ASCII: one byte per character, as pad() counts them.
      for (let n = 10 - timeBytes.len; n > 0; n--) this.buf[this.len++] = 0x20;
      this.copy(timeBytes);
    } else {
      this.pad(c.time, 10);
      this.put(c.time);
    }
    this.byte(sep);
    this.pad(c.src, 12);
    this.put(c.src);
    this.byte(sep);
    const b = this.buf;
    b[this.len++] = ARROW[0]!;
    b[this.len++] = ARROW[1]!;
    b[this.len++] = ARROW[2]!;
    this.byte(sep);
    this.put(c.dst);
    this.pad(c.dst, 12);
    this.byte(sep);
    this.put(c.protocol);
    this.byte(sep);
    this.padNumber(c.length, 0);
    this.byte(sep);
    if (infoBytes) this.copy(infoBytes);
    else this.put(c.info);
    this.byte(0x0a);
  }

  bytes(b: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n > CHUNK - this.len) {
      this.flush();
      if (n > CHUNK) {
        this.writeOut(b.subarray(start, end), 0);
        return;
      }
    }
    this.len += b.copy(this.buf, this.len, start, end);
  }

  /** A column's bytes into the line. */
  private copy(t: ByteText): void {
    const from = t.buf;
    if (from.length <= CHUNK - this.len) {
      // The whole scratch buffer (512 bytes) in one memcpy, of which the line keeps the text's
      // bytes and the rest is overwritten: ~5x cheaper than a byte loop or a subarray view.
      this.buf.set(from, this.len);
      this.len += t.len;
    } else {
      const b = this.buf;
      let len = this.len;
      for (let i = 0; i < t.len; i++) b[len++] = from[i]!;
      this.len = len;
    }
  }

  private byte(v: number): void {
    this.buf[this.len++] = v;
  }

  /** Spaces that pad `s` to `width` characters (padLeft/padRight's count). */
  private pad(s: string, width: number): void {
    for (let n = width - s.length; n > 0; n--) this.buf[this.len++] = 0x20;
  }

  /** A non-negative integer's digits, right-aligned in `width` (String(n) for anything else). */
  private padNumber(n: number, width: number): void {
    if (!Number.isInteger(n) || n < 0 || n > Number.MAX_SAFE_INTEGER) {
      const s = String(n);
      this.pad(s, width);
      this.put(s);
      return;
    }
    let digits = 1;
    for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
    for (let k = width - digits; k > 0; k--) this.buf[this.len++] = 0x20;
    let end = this.len + digits;
    this.len = end;
    let v = n;
    do {
      this.buf[--end] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
  }

  /**
   * `s` as UTF-8. A short one (addresses, Protocol) is copied a character at a time, cheaper
   * than a call into Buffer.write; a longer one (Info) or any non-ASCII text goes through it.
   */
  private put(s: string): void {
    const b = this.buf;
    if (s.length >= 24) {
      this.len += b.write(s, this.len, 'utf8');
      return;
    }
    let len = this.len;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      if (ch >= 0x80) {
        this.len = len + b.write(i === 0 ? s : s.slice(i), len, 'utf8');
        return;
      }
      b[len++] = ch;
    }
    this.len = len;
  }

  flush(): void {
    if (this.len === 0) return;
    const n = this.len;
    this.len = 0;
    this.writeOut(this.buf.subarray(0, n), 0);
  }

  /** Writes `data` from `off` to the file descriptor (ShareSink hands it to another thread instead). */
  protected writeOut(data: Buffer, off: number): void {
    while (off < data.length) {
      try {
        off += writeSync(this.fd, data, off, data.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A non-blocking pipe that is full: wait for the reader and retry.
        if (code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          continue;
        }
        if (code === 'EPIPE') throw new BrokenPipeError('broken pipe');
        throw e;
      }
    }
  }
}
