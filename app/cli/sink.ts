// Where the CLI's output goes. Printing is the hot path of `synscope read FILE > /dev/null`:
// lines are appended to one string (V8 ropes make that cheap) and written with fs.writeSync
// in large chunks, never one write per packet. Tests use StringSink to run the CLI in-process.
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

const CHUNK = 1 << 16;

/** Buffered writes to a file descriptor (1 stdout, 2 stderr). */
export class FdSink implements Sink {
  private buf = '';
  constructor(private readonly fd: number) {}

  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    const data = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    let off = 0;
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
