// Where a reader's bytes come from: a file read in large chunks with positioned reads, or a
// buffer already in memory (decompressed .gz/.zst, or a caller's buffer). Readers ask for
// "n bytes at file offset o" and get an index into `buf`; the bytes stay valid until the next
// request (a refill may move or replace the buffer).
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import { concatBytes } from './concat.js';
import { CaptureFileError } from './types.js';

/**
 * Chunk size for streaming reads: big enough that syscalls do not show in a profile, small
 * enough to stay in cache between the kernel's copy and our header reads. Measured on a 400 MB
 * pcap (warm page cache): 1-2 MiB chunks ~1.5x faster than 8 MiB; on the 2-core bench VM (1 MiB
 * of L2 per core) 512 KiB takes another ~0.01 s of CPU off `info` and `read -Y ... -q` (0.36 ->
 * 0.35 s, medians of 11 interleaved runs).
 */
export const CHUNK_SIZE = 512 << 10;
// Reading ahead in a worker thread (a ring of chunks in a SharedArrayBuffer, the reader taking
// them in order) was measured on the same file and dropped: `-f` unchanged (0.128 -> 0.127 s),
// `-Y` and `conv` slower (0.32 -> 0.37 s, 1.09 -> 1.13 s). The chunk a read(2) on this core
// copies is still in this core's cache when the reader walks it; one copied on the other core is
// not, and those passes already use the other core for V8's garbage collector.
/** Refill size for random access: one record plus some neighbours, not megabytes per lookup. */
export const RANDOM_CHUNK_SIZE = 64 << 10;

export class ByteSource {
  buf: Uint8Array;
  /** File offset of buf[0]. */
  private start = 0;
  /** Valid bytes in buf. */
  private len = 0;
  /** Known size of the (uncompressed) input; re-checked on a short read (growing files). */
  size: number;
  private fd: number | null;
  /**
   * A pipe (standard input): read front to back with plain reads, its size known only once it
   * ends (Infinity until then). Readers only ever ask for what follows what they had.
   */
  private readonly stream: boolean;
  /**
   * A pipe opened non-blocking (openByteSource's onWait): called every few milliseconds while it
   * has no bytes, so the reader of a live feed can act on the silence (tcp --events' alerts).
   */
  private onWait: (() => void) | null = null;

  private constructor(fd: number | null, mem: Uint8Array | null, size: number, chunk: number, stream = false) {
    this.fd = fd;
    this.size = size;
    this.stream = stream;
    if (mem) {
      this.buf = mem;
      this.len = mem.length;
    } else {
      this.buf = new Uint8Array(Math.min(chunk, Math.max(size, 64 * 1024)));
    }
  }

  static fromBuffer(buf: Uint8Array): ByteSource {
    return new ByteSource(null, buf, buf.length, 0);
  }

  /** `chunk`: bytes per refill (CHUNK_SIZE streaming, RANDOM_CHUNK_SIZE random access). */
  static fromFd(fd: number, chunk = CHUNK_SIZE): ByteSource {
    return new ByteSource(fd, null, fstatSync(fd).size, chunk);
  }

  /** A pipe whose first bytes were already read (`head`, to sniff the format). */
  static fromStream(fd: number, head: Uint8Array, onWait: (() => void) | null = null): ByteSource {
    const src = new ByteSource(fd, null, Infinity, CHUNK_SIZE, true);
    src.buf.set(head);
    src.len = head.length;
    src.onWait = onWait;
    return src;
  }

  get inMemory(): boolean {
    return this.fd === null;
  }

  /** Valid bytes in `buf`: buf[0, filled) holds file offsets [start, start + filled). */
  get filled(): number {
    return this.len;
  }

  /**
   * Makes [off, off+n) readable and returns the index of `off` in `buf`, or -1 when the input
   * ends before off+n.
   */
  ensure(off: number, n: number): number {
    if (off >= this.start && off + n <= this.start + this.len) return off - this.start;
    if (this.fd === null) return -1;
    if (this.stream && off < this.start) throw new Error(`a pipe cannot go back to offset ${off}`);
    const end = this.start + this.len;
    if (off + n > this.size) {
      if (this.stream) return -1;
      this.size = fstatSync(this.fd).size;
      if (off + n > this.size) return -1;
    }
    if (n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(n, this.buf.length * 2));
      if (off >= this.start && off < this.start + this.len) {
        bigger.set(this.buf.subarray(off - this.start, this.len));
        this.len = this.start + this.len - off;
      } else {
        this.len = 0;
      }
      this.buf = bigger;
    } else if (off >= this.start && off < this.start + this.len) {
      // keep the tail we already have
      this.buf.copyWithin(0, off - this.start, this.len);
      this.len = this.start + this.len - off;
    } else {
      this.len = 0;
    }
    // A pipe ahead of what was read: read past the bytes in between.
    if (this.stream && off > end && !this.skipPipe(end, off - end)) return -1;
    this.start = off;
    while (this.len < n) {
      const r = this.stream ? readPipe(this.fd, this.buf, this.len, this.onWait) : readSync(this.fd, this.buf, this.len, this.buf.length - this.len, this.start + this.len);
      if (r <= 0) {
        if (this.stream) this.size = this.start + this.len;
        break;
      }
      this.len += r;
    }
    return this.len >= n ? 0 : -1;
  }

  /** Reads and drops `count` bytes of the pipe from `from` on; false when it ends first. */
  private skipPipe(from: number, count: number): boolean {
    for (let left = count; left > 0; ) {
      const r = readPipe(this.fd!, this.buf.subarray(0, Math.min(left, this.buf.length)), 0, this.onWait);
      if (r <= 0) {
        this.size = from + count - left;
        return false;
      }
      left -= r;
    }
    return true;
  }

  /** Bytes left in the input from `off` (0 at the end). */
  remaining(off: number): number {
    // A pipe tells its end only by being read: read on (at least one byte) to see.
    if (this.stream && this.size === Infinity && this.ensure(off, 1) < 0) return 0;
    if (this.fd !== null && !this.stream && off >= this.size) this.size = fstatSync(this.fd).size;
    return Math.max(0, this.size - off);
  }

  close(): void {
    if (this.fd !== null) {
      // Standard input stays open: it is the process's, not ours.
      if (this.fd !== 0) closeSync(this.fd);
      this.fd = null;
      this.buf = new Uint8Array(0);
      this.len = 0;
    }
  }
}

/**
 * A read from a pipe into buf[at..]: 0 at its end. Waits when the pipe is non-blocking and
 * empty, calling `onWait` between looks.
 */
function readPipe(fd: number, buf: Uint8Array, at: number, onWait: (() => void) | null = null): number {
  for (;;) {
    try {
      return readSync(fd, buf, at, buf.length - at, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      onWait?.();
      Atomics.wait(PAUSE, 0, 0, 5);
    }
  }
}
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Standard input, when it is a pipe, opened again without blocking (its own open file
 * description on the same pipe: fd 0's flags, which the shell's other processes share, stay as
 * they are); 0 (blocking reads) for anything else: a regular file would be opened again at its
 * start, a socket cannot be opened by path.
 */
function nonBlockingStdin(): number {
  try {
    if (!fstatSync(0).isFIFO()) return 0;
    return openSync('/proc/self/fd/0', fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch {
    return 0;
  }
}

/** All of a pipe, front to back. */
function readAllPipe(fd: number, head: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [head];
  // One read buffer; each read keeps a copy of just its bytes (a pipe gives 64 KiB at a time).
  const chunk = new Uint8Array(CHUNK_SIZE);
  for (;;) {
    const r = readPipe(fd, chunk, 0);
    if (r <= 0) break;
    parts.push(chunk.slice(0, r));
  }
  return concatBytes(parts);
}

/** `-` names standard input, as in tshark -r - and tcpdump -r -. */
export const STDIN_PATH = '-';

export type Compression = 'gzip' | 'zstd' | null;

export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return null;
}

/**
 * Decompresses a whole .gz/.zst into memory. A truncated compressed stream yields what could be
 * decoded (the capture reader then reports the cut-off record), like tshark does.
 */
export function decompress(data: Uint8Array, kind: 'gzip' | 'zstd'): Uint8Array {
  if (kind === 'gzip') {
    try {
      return gunzipSync(data);
    } catch {
      try {
        // Z_SYNC_FLUSH returns the bytes decoded so far instead of failing on a cut stream.
        return gunzipSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      } catch (e) {
        throw new CaptureFileError(`cannot decompress gzip data: ${(e as Error).message}`, 0);
      }
    }
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  const stream = new ZstdStream((chunk) => {
    parts.push(chunk);
    total += chunk.length;
  });
  try {
    stream.push(data, true);
  } catch (e) {
    if (total === 0) throw new CaptureFileError(`cannot decompress zstd data: ${(e as Error).message}`, 0);
  }
  return concatBytes(parts);
}

/** Opens a path as a ByteSource: plain files stream from disk, compressed ones are inflated. */
export function openByteSource(path: string, chunk = CHUNK_SIZE, onWait: (() => void) | null = null): { src: ByteSource; compression: Compression } {
  if (path === STDIN_PATH) {
    const fd = onWait ? nonBlockingStdin() : 0;
    const wait = fd === 0 ? null : onWait;
    // The first bytes tell a compressed stream, which is inflated whole, as a file is.
    const head = new Uint8Array(4);
    let got = 0;
    while (got < 4) {
      const r = readPipe(fd, head.subarray(got), 0, wait);
      if (r <= 0) break;
      got += r;
    }
    const kind = detectCompression(head.subarray(0, got));
    if (kind === null) return { src: ByteSource.fromStream(fd, head.subarray(0, got), wait), compression: null };
    const all = readAllPipe(fd, head.subarray(0, got));
    if (fd !== 0) closeSync(fd);
    return { src: ByteSource.fromBuffer(decompress(all, kind)), compression: kind };
  }
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(4);
    const got = readSync(fd, head, 0, 4, 0);
    const kind = detectCompression(head.subarray(0, got));
    if (kind === null) return { src: ByteSource.fromFd(fd, chunk), compression: null };
    const size = fstatSync(fd).size;
    const all = new Uint8Array(size);
    let o = 0;
    while (o < size) {
      const r = readSync(fd, all, o, size - o, o);
      if (r <= 0) break;
      o += r;
    }
    closeSync(fd);
    return { src: ByteSource.fromBuffer(decompress(all.subarray(0, o), kind)), compression: kind };
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    throw e;
  }
}
