// TEMPORARY scratch reader (classic pcap only) until app/file lands. Not to be committed.
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { CaptureFileError, type CaptureFileInfo, type PacketRecord, type CaptureFormat } from '../file/types.js';
import type { CaptureState } from '../dissect/packet.js';

export interface PacketSource {
  info: CaptureFileInfo;
  next(): PacketRecord | null | Promise<PacketRecord | null>;
  close(): void;
}
export interface PacketWriter {
  write(rec: PacketRecord): void;
  close(): Promise<void> | void;
}

export function prepareCapture(_capture: CaptureState): void {}

export async function openWriter(_path: string, _format: CaptureFormat, _info: CaptureFileInfo): Promise<PacketWriter> {
  throw new Error('writer not available yet');
}

export async function openSource(path: string): Promise<PacketSource> {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  const buf = Buffer.alloc(Math.min(size, 1 << 30));
  let got = 0;
  while (got < buf.length) { const r = readSync(fd, buf, got, buf.length - got, got); if (r <= 0) break; got += r; }
  closeSync(fd);
  if (got < 24) throw new CaptureFileError('not a capture file', 0);
  const m = buf.readUInt32LE(0);
  let le: boolean, ns: boolean;
  if (m === 0xa1b2c3d4) { le = true; ns = false; } else if (m === 0xd4c3b2a1) { le = false; ns = false; }
  else if (m === 0xa1b23c4d) { le = true; ns = true; } else if (m === 0x4d3cb2a1) { le = false; ns = true; }
  else throw new CaptureFileError('not a capture file', 0);
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  const info: CaptureFileInfo = { format: 'pcap', littleEndian: le, tsPrecision: ns ? 'ns' : 'us', versionMajor: 2, versionMinor: 4, snapLen: u32(16),
    interfaces: [{ id: 0, section: 0, linkType, snapLen: u32(16), tsUnitsPerSecond: ns ? 1e9 : 1e6, tsOffset: 0 }], sections: [], compression: null };
  let off = 24, index = 0;
  return {
    info,
    next() {
      if (off >= got) return null;
      if (off + 16 > got) throw new CaptureFileError('truncated record header', off, index + 1);
      const sec = u32(off), frac = u32(off + 4), incl = u32(off + 8), orig = u32(off + 12);
      if (off + 16 + incl > got) throw new CaptureFileError('cut short in the middle of a packet', off, index + 1);
      const rec: PacketRecord = { index, fileOffset: off, interfaceId: 0, linkType, ts: { sec, nsec: ns ? frac : frac * 1000 }, capLen: incl, origLen: orig,
        data: buf.subarray(off + 16, off + 16 + incl), blockType: 0 };
      off += 16 + incl; index++;
      return rec;
    },
    close() {},
  };
}
