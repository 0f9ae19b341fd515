// A capture read from a pipe (`synscope read -` < file, `ssh host tcpdump -w - | synscope read -`):
// ByteSource.fromStream reads front to back with plain reads and learns the size at the end. Here
// a FIFO is fed by `cat` in another process, so reads come back in the pipe's own pieces.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { ByteSource } from './bytes.js';
import { openCaptureFile, readerFor } from './reader.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fifos = 0;

/** A ByteSource on a FIFO that `cat` fills with `file`. */
function piped(file: string): ByteSource {
  const fifo = join(dir, `p${fifos++}`);
  execFileSync('mkfifo', [fifo]);
  spawn('sh', ['-c', 'cat "$0" > "$1"', file, fifo], { stdio: 'ignore' });
  return ByteSource.fromStream(openSync(fifo, 'r'), new Uint8Array(0));
}

describe('a capture read from a pipe', () => {
  const FILE = corpusPath('pcapplusplus/many-protocols.pcap');
  const bytes = readFileSync(FILE);

  it('gives the bytes asked for, front to back, also past a stretch it was not asked for', () => {
    const src = piped(FILE);
    let i = src.ensure(0, 24);
    expect(Buffer.from(src.buf.subarray(i, i + 24))).toEqual(bytes.subarray(0, 24));
    // 1.5 MB on: three read chunks skipped.
    const far = 1_500_000;
    i = src.ensure(far, 100);
    expect(Buffer.from(src.buf.subarray(i, i + 100))).toEqual(bytes.subarray(far, far + 100));
    expect(src.remaining(far)).toBeGreaterThan(0);
    expect(src.ensure(bytes.length - 10, 20)).toBe(-1);
    expect(src.remaining(bytes.length - 10)).toBe(10);
    expect(() => src.ensure(0, 4)).toThrow(/cannot go back/);
    src.close();
  });

  it('yields the same records as the file', () => {
    for (const rel of ['pcapplusplus/many-protocols.pcap', 'gopacket/be/test202.pcapng', 'pcapplusplus/pcapng-example.pcapng']) {
      const fromFile = openCaptureFile(corpusPath(rel), { customBlocks: true });
      const fromPipe = readerFor(piped(corpusPath(rel)), null, { customBlocks: true });
      let n = 0;
      for (let a = fromFile.next(); a; a = fromFile.next(), n++) {
        const b = fromPipe.next();
        expect(b, `${rel} record ${n + 1}`).not.toBeNull();
        expect({ ...b!, data: Array.from(b!.data) }, `${rel} record ${n + 1}`).toEqual({ ...a, data: Array.from(a.data) });
      }
      expect(fromPipe.next(), rel).toBeNull();
      expect(n).toBeGreaterThan(10);
      fromFile.close();
    }
  });

  it('read without blocking, calls onWait while the pipe is quiet and still yields every record', () => {
    const rel = 'pcapplusplus/many-protocols.pcap';
    const fifo = join(dir, `p${fifos++}`);
    execFileSync('mkfifo', [fifo]);
    // Half the file, 0.3 s of nothing, the rest (a capture that pauses).
    const half = Math.floor(bytes.length / 2);
    // Opened for reading first (a non-blocking open does not wait for a writer), then for writing
    // (no wait either, with a reader there): a read before the writer came would see the end.
    const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const w = openSync(fifo, 'w');
    spawn('sh', ['-c', 'head -c "$1" "$0"; sleep 0.3; tail -c +"$(($1 + 1))" "$0"', FILE, String(half)], { stdio: ['ignore', w, 'ignore'] });
    closeSync(w);
    let waits = 0;
    const fromPipe = readerFor(ByteSource.fromStream(fd, new Uint8Array(0), () => waits++), null, {});
    const fromFile = openCaptureFile(corpusPath(rel));
    let n = 0;
    for (let a = fromFile.next(); a; a = fromFile.next(), n++) expect(Array.from(fromPipe.next()!.data), `record ${n + 1}`).toEqual(Array.from(a.data));
    expect(fromPipe.next()).toBeNull();
    // Every 5 ms of the 0.3 s pause, give or take the scheduler.
    expect(waits).toBeGreaterThan(10);
    fromFile.close();
  });
});
