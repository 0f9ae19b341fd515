// Where the CLI's output goes. Printing is the hot path of `synscope read FILE > /dev/null`:
// lines are encoded into one buffer as they come and written with fs.writeSync in large
// chunks, never one write per packet. Tests use StringSink to run the CLI in-process.
import { writeSync } from 'node:fs';

export interface Sink {
  write(s: string): void;
  /** Writes out whatever is buffered. */
  flush(): void;
}

/** Collects everything in memory (tests, the differential runner). */
export class StringSink implements Sink {
  private parts: string[] = [];
  write(s: string): void {
    this.parts.push(s);
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

/**
 * Buffered writes to a file descriptor (1 stdout, 2 stderr). Each string is encoded into one
 * preallocated buffer as it arrives: much cheaper than appending to a string and encoding the
 * (two-byte, because of "→") rope at flush time.
 */
export class FdSink implements Sink {
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private len = 0;
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

  flush(): void {
    if (this.len === 0) return;
    const n = this.len;
    this.len = 0;
    this.writeOut(this.buf.subarray(0, n), 0);
  }

  private writeOut(data: Buffer, off: number): void {
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
