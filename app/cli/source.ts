// Where `synscope` gets packets from. STOPGAP: app/file's openCaptureFile has not landed yet,
// so this holds a minimal whole-file reader (classic pcap; pcapng SHB/IDB/EPB/SPB with
// if_tsresol; gzip/zstd). Replace openSource's body with openCaptureFile once it exists; the
// rest of the CLI only sees PacketSource.
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { CaptureFileError, type CaptureFileInfo, type PacketRecord, type CaptureFormat } from '../file/types.js';
import type { CaptureState } from '../dissect/packet.js';
import { attachTcpAnalyzer } from '../dissect/tcp-hook.js';
import { createTcpTracker } from '../tcp/index.js';

export interface PacketSource {
  info: CaptureFileInfo;
  next(): PacketRecord | null | Promise<PacketRecord | null>;
  close(): void;
}
export interface PacketWriter {
  write(rec: PacketRecord): void;
  close(): Promise<void> | void;
}

/** Everything a capture needs before its first packet: the TCP connection tracker. */
export function prepareCapture(capture: CaptureState): void {
  attachTcpAnalyzer(capture, createTcpTracker());
}

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
  let compression: 'gzip' | 'zstd' | null = null;
  let data: Buffer = buf.subarray(0, got);
  try {
    if (got >= 2 && data[0] === 0x1f && data[1] === 0x8b) { data = gunzipSync(data); compression = 'gzip'; }
    else if (got >= 4 && data.readUInt32LE(0) === 0xfd2fb528) { data = Buffer.from(zstdDecompress(data)); compression = 'zstd'; }
  } catch (e) {
    throw new CaptureFileError(`cannot decompress: ${(e as Error).message}`, 0);
  }
  return fromBuffer(data, compression);
}

function fromBuffer(buf: Buffer, compression: 'gzip' | 'zstd' | null): PacketSource {
  const got = buf.length;
  if (got < 24) throw new CaptureFileError('not a capture file', 0);
  const m = buf.readUInt32LE(0);
  if (m === 0x0a0d0d0a) return pcapng(buf, compression);
  let le: boolean, ns: boolean;
  if (m === 0xa1b2c3d4) { le = true; ns = false; } else if (m === 0xd4c3b2a1) { le = false; ns = false; }
  else if (m === 0xa1b23c4d) { le = true; ns = true; } else if (m === 0x4d3cb2a1) { le = false; ns = true; }
  else throw new CaptureFileError('not a capture file', 0);
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  const info: CaptureFileInfo = { format: 'pcap', littleEndian: le, tsPrecision: ns ? 'ns' : 'us', versionMajor: 2, versionMinor: 4, snapLen: u32(16),
    interfaces: [{ id: 0, section: 0, linkType, snapLen: u32(16), tsUnitsPerSecond: ns ? 1e9 : 1e6, tsOffset: 0 }], sections: [], compression };
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

function pcapng(buf: Buffer, compression: 'gzip' | 'zstd' | null): PacketSource {
  let le = true;
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const info: CaptureFileInfo = { format: 'pcapng', littleEndian: true, tsPrecision: 'us', versionMajor: 1, versionMinor: 0, snapLen: 0, interfaces: [], sections: [], compression };
  let sectionBase = 0;
  let off = 0, index = 0;
  const parseIdb = (body: number, end: number) => {
    const linkType = u16(body);
    const snapLen = u32(body + 4);
    let units = 1e6, name: string | undefined;
    for (let o = body + 8; o + 4 <= end; ) {
      const code = u16(o), len = u16(o + 2);
      if (code === 0) break;
      if (o + 4 + len > end) break;
      if (code === 9 && len >= 1) { const r = buf[o + 4]!; units = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r; }
      if (code === 2) name = buf.toString('utf8', o + 4, o + 4 + len);
      o += 4 + ((len + 3) & ~3);
    }
    const iface = { id: info.interfaces.length, section: info.sections.length - 1, linkType, snapLen, tsUnitsPerSecond: units, tsOffset: 0, ...(name !== undefined ? { name } : {}) };
    info.interfaces.push(iface);
    if (info.interfaces.length === 1) info.snapLen = snapLen;
  };
  const readShb = (o: number) => {
    const bom = buf.readUInt32LE(o + 8);
    if (bom === 0x1a2b3c4d) le = true; else if (bom === 0x4d3c2b1a) le = false; else throw new CaptureFileError('bad byte-order magic', o);
    const major = u16(o + 12);
    if (major !== 1) throw new CaptureFileError(`unknown SHB version ${major}.${u16(o + 14)}`, o, index + 1);
    if (info.sections.length === 0) { info.littleEndian = le; info.versionMajor = major; info.versionMinor = u16(o + 14); }
    info.sections.push({ offset: o, littleEndian: le, versionMajor: major, versionMinor: u16(o + 14), comments: [] });
    sectionBase = info.interfaces.length;
  };
  const next = (): PacketRecord | null => {
    for (;;) {
      if (off >= buf.length) return null;
      if (off + 12 > buf.length) throw new CaptureFileError('cut short in the middle of a block', off, index + 1);
      const type = buf.readUInt32LE(off) === 0x0a0d0d0a ? 0x0a0d0d0a : u32(off);
      if (type === 0x0a0d0d0a) readShb(off);
      const len = u32(off + 4);
      if (len < 12 || len % 4 !== 0) throw new CaptureFileError(`bad block length ${len}`, off, index + 1);
      if (off + len > buf.length) throw new CaptureFileError('cut short in the middle of a block', off, index + 1);
      const at = off;
      off += len;
      if (type === 1) { parseIdb(at + 8, at + len - 4); continue; }
      if (type === 6 || type === 3) {
        let ifId = 0, sec = 0, nsec = 0, capLen: number, origLen: number, dataAt: number;
        if (type === 6) {
          ifId = sectionBase + u32(at + 8);
          const iface = info.interfaces[ifId];
          if (!iface) throw new CaptureFileError(`packet on undefined interface ${ifId}`, at, index + 1);
          const ticks = (BigInt(u32(at + 12)) << 32n) | BigInt(u32(at + 16));
          const units = BigInt(iface.tsUnitsPerSecond);
          sec = Number(ticks / units);
          nsec = Number(((ticks % units) * 1000000000n) / units);
          capLen = u32(at + 20); origLen = u32(at + 24); dataAt = at + 28;
        } else {
          ifId = sectionBase;
          origLen = u32(at + 8); capLen = Math.min(origLen, len - 16); dataAt = at + 12;
        }
        if (dataAt + capLen > at + len - 4) throw new CaptureFileError('packet data runs past its block', at, index + 1);
        const iface = info.interfaces[ifId];
        if (!iface) throw new CaptureFileError('packet before any interface', at, index + 1);
        const rec: PacketRecord = { index, fileOffset: at, interfaceId: ifId, linkType: iface.linkType, ts: { sec, nsec }, capLen, origLen, data: buf.subarray(dataAt, dataAt + capLen), blockType: type };
        index++;
        return rec;
      }
    }
  };
  // Pre-scan the blocks before the first packet, so info lists the interfaces up front.
  while (off + 12 <= buf.length) {
    const type = buf.readUInt32LE(off) === 0x0a0d0d0a ? 0x0a0d0d0a : u32(off);
    const len = u32(off + 4);
    if (type === 6 || type === 3 || len < 12 || off + len > buf.length) break;
    if (type === 0x0a0d0d0a) readShb(off);
    if (type === 1) parseIdb(off + 8, off + len - 4);
    off += len;
  }
  return { info, next, close() {} };
}
