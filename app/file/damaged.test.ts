// Damaged and unusual files: cut at every byte of the last record, pcapng with several sections
// and blocks we skip, impossible lengths. Every case ends (every loop advances) with the complete
// records and at most one CaptureFileError that says where, and packet counts match tshark's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { tsharkFields } from '../../test/helpers/tshark.js';
import { formatEpoch } from '../dissect/format.js';
import { openCaptureFile, readCaptureBuffer, type CaptureReader } from './reader.js';
import { CaptureFileError, type PacketRecord } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-damaged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function drain(r: CaptureReader): { packets: PacketRecord[]; errors: CaptureFileError[] } {
  const packets: PacketRecord[] = [];
  const errors: CaptureFileError[] = [];
  for (let guard = 0; guard < 1_000_000; guard++) {
    try {
      const p = r.next();
      if (!p) break;
      packets.push({ ...p, data: p.data.slice() });
    } catch (e) {
      if (!(e instanceof CaptureFileError)) throw e;
      errors.push(e);
      break;
    }
  }
  r.close();
  return { packets, errors };
}

// ---- a small pcapng builder (either byte order) ----
class Blocks {
  private parts: Buffer[] = [];
  constructor(private le: boolean) {}
  u16(v: number): Buffer {
    const b = Buffer.alloc(2);
    if (this.le) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    return b;
  }
  u32(v: number): Buffer {
    const b = Buffer.alloc(4);
    if (this.le) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    return b;
  }
  opts(list: Array<[number, Buffer]>): Buffer {
    if (list.length === 0) return Buffer.alloc(0);
    const out: Buffer[] = [];
    for (const [code, v] of list) out.push(this.u16(code), this.u16(v.length), v, Buffer.alloc((4 - (v.length & 3)) & 3));
    out.push(Buffer.alloc(4));
    return Buffer.concat(out);
  }
  block(type: number, body: Buffer, lenOverride?: { first?: number; second?: number }): this {
    const len = 12 + body.length;
    this.parts.push(Buffer.concat([this.u32(type), this.u32(lenOverride?.first ?? len), body, this.u32(lenOverride?.second ?? len)]));
    return this;
  }
  shb(comments: string[] = [], version: [number, number] = [1, 0]): this {
    const bom = this.u32(0x1a2b3c4d);
    return this.block(0x0a0d0d0a, Buffer.concat([bom, this.u16(version[0]), this.u16(version[1]), Buffer.alloc(8, 0xff), this.opts(comments.map((c) => [1, Buffer.from(c)]))]));
  }
  idb(linkType: number, snapLen: number, opts: Array<[number, Buffer]> = []): this {
    return this.block(1, Buffer.concat([this.u16(linkType), this.u16(0), this.u32(snapLen), this.opts(opts)]));
  }
  epb(ifId: number, ticks: bigint, data: Uint8Array, origLen = data.length, opts: Array<[number, Buffer]> = [], capLen = data.length): this {
    const pad = Buffer.alloc((4 - (data.length & 3)) & 3);
    return this.block(6, Buffer.concat([this.u32(ifId), this.u32(Number(ticks >> 32n)), this.u32(Number(ticks & 0xffffffffn)), this.u32(capLen), this.u32(origLen), Buffer.from(data), pad, this.opts(opts)]));
  }
  opb(ifId: number, ticks: bigint, data: Uint8Array): this {
    const pad = Buffer.alloc((4 - (data.length & 3)) & 3);
    return this.block(2, Buffer.concat([this.u16(ifId), this.u16(0), this.u32(Number(ticks >> 32n)), this.u32(Number(ticks & 0xffffffffn)), this.u32(data.length), this.u32(data.length), Buffer.from(data), pad]));
  }
  spb(data: Uint8Array, origLen = data.length): this {
    const pad = Buffer.alloc((4 - (data.length & 3)) & 3);
    return this.block(3, Buffer.concat([this.u32(origLen), Buffer.from(data), pad]));
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  switchOrder(le: boolean): this {
    this.le = le;
    return this;
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function corpusPackets(rel: string, n: number): PacketRecord[] {
  return drain(openCaptureFile(corpusPath(rel))).packets.slice(0, n);
}

const FIELDS = ['frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.interface_id', '_ws.col.Protocol'];

/** Our rows vs tshark's for a file we built; returns tshark's status. */
function compareWithTshark(path: string): { status: number; ours: ReturnType<typeof drain> } {
  const t = tsharkFields(path, FIELDS);
  const want = t.rows.filter((r) => r[4] !== 'PCAPNG').map((r) => r.slice(0, 4));
  const ours = drain(openCaptureFile(path));
  const got = ours.packets.map((p) => [p.tsAbsent ? '' : formatEpoch(p.ts), String(p.origLen), String(p.capLen), p.sectionInterfaceId === undefined ? '' : String(p.sectionInterfaceId)]);
  expect(got).toEqual(want);
  expect(ours.errors.length > 0).toBe(t.status !== 0);
  return { status: t.status, ours };
}

describe('a file cut at every byte of its last record', () => {
  for (const rel of ['tcpdump/print-flags.pcap', 'pcapplusplus/nanosecs_big_endian.pcap', 'gopacket/be/test202.pcapng', 'pcapplusplus/pcapng-example.pcapng', 'gopacket/le/test100.pcapng']) {
    it(rel, () => {
      const buf = readFileSync(corpusPath(rel));
      const all = drain(readCaptureBuffer(buf)).packets;
      const last = all[all.length - 1]!;
      const start = last.fileOffset;
      // the last packet record/block ends where the next record or block starts
      const isPcapng = buf.readUInt32LE(0) === 0x0a0d0d0a;
      const recLen = isPcapng
        ? (buf.readUInt32LE(8) === 0x1a2b3c4d ? buf.readUInt32LE(start + 4) : buf.readUInt32BE(start + 4))
        : 16 + last.capLen;
      for (let cut = start; cut < start + recLen; cut++) {
        const { packets, errors } = drain(readCaptureBuffer(buf.subarray(0, cut)));
        expect(packets.length).toBe(all.length - 1);
        if (cut === start) {
          expect(errors).toEqual([]);
        } else {
          expect(errors.length).toBe(1);
          expect(errors[0]!.offset).toBe(start);
          if (isPcapng && cut - start < 4) {
            // not even the block type is there: we cannot tell it was a packet
            expect(errors[0]!.message).toMatch(new RegExp(`truncated.*offset ${start}`));
            continue;
          }
          expect(errors[0]!.packetNumber).toBe(all.length);
          expect(errors[0]!.message).toMatch(new RegExp(`packet ${all.length}\\b.*offset ${start}`));
        }
      }
    });
  }

  it('a cut file on disk: tshark agrees on the count', () => {
    const buf = readFileSync(corpusPath('tcpdump/print-flags.pcap'));
    const path = join(dir, 'cut.pcap');
    writeFileSync(path, buf.subarray(0, buf.length - 5));
    const { status } = compareWithTshark(path);
    expect(status).not.toBe(0);
  });
});

describe('pcapng built from corpus packets', () => {
  const eth = corpusPackets('tcpdump/print-flags.pcap', 4);

  it('several sections, both byte orders, blocks to skip, comments', () => {
    const b = new Blocks(true)
      .shb(['first section'])
      .idb(1, 0, [[2, Buffer.from('eth0')], [9, Buffer.from([9])]])
      .block(0x00000bad, Buffer.concat([Buffer.from([0xd9, 0x7e, 0, 0]), Buffer.from('custom!!')])) // custom block
      .idb(1, 96, [[2, Buffer.from('eth1')], [9, Buffer.from([0x88])]]) // 2^8 units/s
      .epb(0, 1_400_000_000_123_456_789n, eth[0]!.data, eth[0]!.origLen, [[1, Buffer.from('hello')], [2, Buffer.from([1, 0, 0, 0])]])
      .block(0x12345678, Buffer.alloc(20)) // unknown block type
      .block(5, Buffer.concat([Buffer.alloc(4), Buffer.alloc(8)])) // ISB
      .epb(1, 359_000_000_000n + 77n, eth[1]!.data.subarray(0, 96), eth[1]!.origLen)
      .opb(1, 1_400_000_001_000_000_000n, eth[2]!.data) // obsolete Packet Block: 16-bit interface id
      .block(4, Buffer.concat([Buffer.from([1, 0, 9, 0, 10, 0, 0, 1]), Buffer.from('host\0\0\0\0'), Buffer.alloc(4)])) // NRB
      .switchOrder(false)
      .shb(['second section', 'big endian'])
      .idb(1, 0, [[14, Buffer.from([0, 0, 0, 0, 0, 0, 0, 100])]]) // if_tsoffset 100 s
      .spb(eth[2]!.data)
      .epb(0, 1_500_000_000_000_001n, eth[3]!.data)
      .switchOrder(true)
      .shb([])
      .idb(1, 0)
      .idb(1, 0)
      .epb(1, 1n, eth[0]!.data);
    const path = join(dir, 'multi.pcapng');
    writeFileSync(path, b.bytes());
    const { ours } = compareWithTshark(path);
    const r = openCaptureFile(path);
    drain(r);
    expect(r.info.sections.map((s) => [s.littleEndian, s.comments])).toEqual([
      [true, ['first section']],
      [false, ['second section', 'big endian']],
      [true, []],
    ]);
    expect(r.info.interfaces.map((i) => [i.id, i.section, i.name ?? null, i.tsUnitsPerSecond, i.tsOffset])).toEqual([
      [0, 0, 'eth0', 1e9, 0],
      [1, 0, 'eth1', 256, 0],
      [2, 1, null, 1e6, 100],
      [3, 2, null, 1e6, 0],
      [4, 2, null, 1e6, 0],
    ]);
    expect(r.info.nameResolution).toEqual([{ address: '10.0.0.1', names: ['host'] }]);
    expect(ours.packets.map((p) => [p.interfaceId, p.sectionInterfaceId, p.section, p.comments ?? null, p.flags ?? null])).toEqual([
      [0, 0, 0, ['hello'], 1],
      [1, 1, 0, null, null],
      [1, 1, 0, null, null],
      [2, 0, 1, null, null],
      [2, 0, 1, null, null],
      [4, 1, 2, null, null],
    ]);
  });

  const damaged: Array<[string, () => Buffer]> = [
    ['EPB captured length beyond its block', () => new Blocks(true).shb().idb(1, 0).epb(0, 1n, eth[0]!.data).epb(0, 2n, eth[1]!.data, eth[1]!.origLen, [], 5000).bytes()],
    ['EPB captured length > original length', () => new Blocks(true).shb().idb(1, 0).epb(0, 1n, eth[0]!.data, 10).epb(0, 2n, eth[1]!.data).bytes()],
    ['block length not a multiple of 4', () => new Blocks(true).shb().idb(1, 0).epb(0, 1n, eth[0]!.data).raw(Buffer.from([6, 0, 0, 0, 0x21, 0, 0, 0, ...Buffer.alloc(29)])).bytes()],
    ['block length below 12', () => new Blocks(true).shb().idb(1, 0).epb(0, 1n, eth[0]!.data).raw(Buffer.from([6, 0, 0, 0, 8, 0, 0, 0, 8, 0, 0, 0])).bytes()],
    ['absurd block length', () => new Blocks(true).shb().idb(1, 0).epb(0, 1n, eth[0]!.data).raw(Buffer.from([6, 0, 0, 0, 0xf0, 0xff, 0xff, 0xff, ...Buffer.alloc(40)])).bytes()],
    ['first and second block lengths differ', () => new Blocks(true).shb().idb(1, 0).epb(0, 1n, eth[0]!.data).block(6, Buffer.alloc(24), { second: 40 }).epb(0, 2n, eth[1]!.data).bytes()],
    ['packet on an undefined interface', () => new Blocks(true).shb().idb(1, 0).epb(0, 1n, eth[0]!.data).epb(3, 2n, eth[1]!.data).bytes()],
    ['SHB version 2.0 in the second section', () => new Blocks(true).shb().idb(1, 0).epb(0, 1n, eth[0]!.data).shb([], [2, 0]).idb(1, 0).epb(0, 2n, eth[1]!.data).bytes()],
    ['unknown byte-order magic', () => Buffer.concat([new Blocks(true).shb().idb(1, 0).epb(0, 1n, eth[0]!.data).bytes(), Buffer.from([0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 1, 2, 3, 4, ...Buffer.alloc(16)])])],
    // The bad record comes after 4 good ones: wiretap guesses the pcap variant (Kuznetsov,
    // Nokia, ...) from the first two record headers, and a bad second header makes tshark read
    // the file as another variant, which we do not emulate.
    ['pcap: incl_len beyond the maximum', () => {
      const orig = readFileSync(corpusPath('tcpdump/print-flags.pcap'));
      const h = Buffer.from(orig.subarray(0, eth[3]!.fileOffset + 16 + eth[3]!.capLen));
      const rec = Buffer.alloc(16 + 64);
      rec.writeUInt32LE(1, 0);
      rec.writeUInt32LE(0x7fffffff, 8);
      rec.writeUInt32LE(64, 12);
      return Buffer.concat([h, rec]);
    }],
    ['pcap: incl_len > orig_len and > snaplen', () => {
      const orig = readFileSync(corpusPath('tcpdump/print-flags.pcap'));
      const h = Buffer.from(orig.subarray(0, 24));
      h.writeUInt32LE(16, 16); // snaplen 16
      const rec = Buffer.from(orig.subarray(24, 24 + 16 + eth[0]!.capLen));
      rec.writeUInt32LE(3, 12); // orig_len 3
      return Buffer.concat([h, rec, rec]);
    }],
  ];
  for (const [name, make] of damaged) {
    it(`${name}: same packets as tshark, error with offset`, () => {
      const path = join(dir, 'damaged.bin');
      writeFileSync(path, make());
      const { status, ours } = compareWithTshark(path);
      if (status !== 0) {
        expect(ours.errors.length).toBe(1);
        expect(ours.errors[0]!.offset).toBeGreaterThan(0);
        expect(ours.errors[0]!.message).toMatch(/offset \d+/);
      }
    });
  }
});

describe('not capture files', () => {
  it('empty, short, text', () => {
    expect(() => readCaptureBuffer(new Uint8Array(0))).toThrow(/not a capture file.*empty/);
    expect(() => readCaptureBuffer(Uint8Array.of(0xd4, 0xc3))).toThrow(/not a capture file/);
    expect(() => readCaptureBuffer(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(/not a capture file/);
    expect(() => readCaptureBuffer(Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 2, 0))).toThrow(CaptureFileError);
  });
});

describe('pcap link-type word', () => {
  it('FCS bits and reserved bits do not change the link type (libpcap LT_LINKTYPE)', () => {
    const orig = readFileSync(corpusPath('tcpdump/print-flags.pcap'));
    const h = Buffer.from(orig);
    h.writeUInt32LE(0x24000001, 20); // 'f' bit, FCS = 2 words (4 bytes), link type 1
    const r = readCaptureBuffer(h);
    expect(r.info.interfaces[0]!.linkType).toBe(1);
    expect(r.info.interfaces[0]!.fcsLen).toBe(4);
    expect(r.info.linkTypeRaw).toBe(0x24000001);
    expect(r.next()!.linkType).toBe(1);
    expect(readCaptureBuffer(orig).info.interfaces[0]!.fcsLen).toBeUndefined();
    // tshark reads it the same way: Ethernet, with a 4-byte FCS at the end of every frame
    const path = join(dir, 'fcs.pcap');
    writeFileSync(path, h);
    const t = tsharkFields(path, ['frame.protocols', 'eth.fcs']);
    expect(t.rows.length).toBe(drain(readCaptureBuffer(h)).packets.length);
    for (const [protocols, fcs] of t.rows) {
      expect(protocols).toMatch(/^eth:/);
      expect(fcs).toMatch(/^0x[0-9a-f]{8}$/);
    }
  });
});
