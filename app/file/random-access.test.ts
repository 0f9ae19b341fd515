// Random access by file offset gives back exactly what the sequential pass delivered.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { CaptureRandomAccess, openCaptureFile } from './reader.js';
import { CaptureFileError, type CaptureFileInfo, type PacketRecord } from './types.js';

interface Kept {
  rec: Omit<PacketRecord, 'data'>;
  data: Uint8Array;
}

function sequential(path: string): { info: CaptureFileInfo; packets: Kept[] } {
  const r = openCaptureFile(path);
  const packets: Kept[] = [];
  try {
    for (let p = r.next(); p; p = r.next()) {
      const { data, ...rec } = p;
      packets.push({ rec, data: data.slice() });
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
  }
  r.close();
  return { info: r.info, packets };
}

function check(ra: CaptureRandomAccess, packets: Kept[]): void {
  // backwards, so every read is a real seek
  for (let k = packets.length - 1; k >= 0; k--) {
    const want = packets[k]!;
    const { data, ...rec } = ra.read(want.rec.fileOffset, want.rec.index);
    expect(rec).toEqual(want.rec);
    expect(Buffer.from(data).equals(Buffer.from(want.data))).toBe(true);
  }
}

describe('CaptureRandomAccess on the corpus', () => {
  for (const rel of corpusCaptures()) {
    it(rel, () => {
      const path = corpusPath(rel);
      let seq: ReturnType<typeof sequential>;
      try {
        seq = sequential(path);
      } catch {
        return; // not readable at all (covered by reader.test.ts)
      }
      const withInfo = new CaptureRandomAccess(path, seq.info);
      check(withInfo, seq.packets);
      withInfo.close();
      const lazy = new CaptureRandomAccess(path); // pcapng: learns sections/interfaces by scanning
      check(lazy, seq.packets);
      lazy.close();
    });
  }
});

describe('offsets beyond 4 GiB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-ra-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a packet at offset > 2^32 in a sparse pcapng', () => {
    // SHB, IDB, then 40 unknown blocks of 128 MiB (holes: no disk space), then one EPB.
    const path = join(dir, 'big.pcapng');
    const fd = openSync(path, 'w');
    const u32 = (v: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v);
      return b;
    };
    const shb = Buffer.concat([u32(0x0a0d0d0a), u32(28), u32(0x1a2b3c4d), Buffer.from([1, 0, 0, 0]), Buffer.alloc(8, 0xff), u32(28)]);
    const idb = Buffer.concat([u32(1), u32(20), Buffer.from([1, 0, 0, 0]), u32(0), u32(20)]);
    let off = 0;
    const put = (b: Buffer) => {
      writeSync(fd, b, 0, b.length, off);
      off += b.length;
    };
    put(shb);
    put(idb);
    const big = 128 * 1024 * 1024;
    for (let k = 0; k < 40; k++) {
      writeSync(fd, Buffer.concat([u32(0x7fff0001), u32(big)]), 0, 8, off);
      writeSync(fd, u32(big), 0, 4, off + big - 4);
      off += big;
    }
    const payload = Buffer.from('0123456789abcdef');
    const epbLen = 32 + payload.length;
    const epbAt = off;
    put(Buffer.concat([u32(6), u32(epbLen), u32(0), u32(0x0005e0a1), u32(0x2b3c4d5e), u32(payload.length), u32(payload.length), payload, u32(epbLen)]));
    closeSync(fd);
    expect(epbAt).toBeGreaterThan(2 ** 32);

    const seq = sequential(path);
    expect(seq.packets.length).toBe(1);
    expect(seq.packets[0]!.rec.fileOffset).toBe(epbAt);
    const ra = new CaptureRandomAccess(path);
    const rec = ra.read(epbAt);
    expect(rec.fileOffset).toBe(epbAt);
    expect(Buffer.from(rec.data).toString()).toBe('0123456789abcdef');
    expect(rec.ts).toEqual(seq.packets[0]!.rec.ts);
    ra.close();
  });
});
