// CaptureWriter: byte-identical pcap rewrites, the same packets through pcap µs/ns and pcapng
// LE/BE, tshark reading what we write, atomic close/abort.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { tsharkFields } from '../../test/helpers/tshark.js';
import { decompress, detectCompression } from './bytes.js';
import { openCaptureFile } from './reader.js';
import { CaptureFileError, type CaptureFileInfo, type PacketRecord } from './types.js';
import { CaptureWriter, writerOptionsFromInfo, type WriterOptions } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readAll(path: string): { info: CaptureFileInfo; packets: PacketRecord[]; error: CaptureFileError | null } {
  const r = openCaptureFile(path);
  const packets: PacketRecord[] = [];
  let error: CaptureFileError | null = null;
  try {
    for (let p = r.next(); p; p = r.next()) packets.push({ ...p, data: p.data.slice() });
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    error = e;
  }
  r.close();
  return { info: r.info, packets, error };
}

function writeAll(path: string, opts: WriterOptions, packets: PacketRecord[]): void {
  const w = CaptureWriter.create(path, opts);
  for (const p of packets) w.write(p);
  w.close();
}

/** What must survive any format: time (to the format's precision), lengths, bytes, link type. */
function essence(p: PacketRecord, usOnly: boolean) {
  return {
    sec: p.tsAbsent ? 0 : p.ts.sec,
    nsec: p.tsAbsent ? 0 : usOnly ? Math.floor(p.ts.nsec / 1000) * 1000 : p.ts.nsec,
    capLen: p.capLen,
    origLen: p.origLen,
    linkType: p.linkType,
    data: Buffer.from(p.data).toString('hex'),
  };
}

const readable = corpusCaptures().filter((rel) => {
  try {
    const { error, packets } = readAll(corpusPath(rel));
    return error === null && packets.length > 0;
  } catch {
    return false;
  }
});

describe('pcap -> pcap is byte-identical', () => {
  for (const rel of readable) {
    it(rel, () => {
      const src = corpusPath(rel);
      const { info, packets } = readAll(src);
      if (info.format !== 'pcap') return; // some corpus .pcap files are pcapng inside
      const out = join(dir, 'same.pcap');
      writeAll(out, writerOptionsFromInfo(info), packets);
      let orig: Uint8Array = readFileSync(src);
      const kind = detectCompression(orig);
      if (kind) orig = decompress(orig, kind);
      expect(readFileSync(out).equals(orig)).toBe(true);
    });
  }
});

/** Block types of a pcapng (byte order per section) and its number of sections. */
function pcapngCensus(buf: Uint8Array): { types: Set<number>; sections: number } {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const types = new Set<number>();
  let sections = 0;
  let le = true;
  for (let o = 0; o + 12 <= buf.length; ) {
    if (dv.getUint32(o, true) === 0x0a0d0d0a) {
      le = dv.getUint32(o + 8, true) === 0x1a2b3c4d;
      sections++;
    }
    types.add(dv.getUint32(o, le));
    const len = dv.getUint32(o + 4, le);
    if (len < 12) break;
    o += len;
  }
  return { types, sections };
}

function readWithCustom(path: string): { info: CaptureFileInfo; packets: PacketRecord[] } {
  const r = openCaptureFile(path, { customBlocks: true });
  const packets: PacketRecord[] = [];
  for (let p = r.next(); p; p = r.next()) {
    packets.push({ ...p, data: p.data.slice(), ...(p.rawOptions ? { rawOptions: { ...p.rawOptions, bytes: p.rawOptions.bytes.slice() } } : {}) });
  }
  r.close();
  return { info: r.info, packets };
}

describe('pcapng -> pcapng is byte-identical where the format allows', () => {
  // Achievable: one section of SHB, IDB, EPB, SPB and Custom Blocks (what the reader hands out
  // and the writer writes). NRB, ISB, DSB, obsolete PBs and unknown blocks are not records and
  // are dropped; several sections are written as one (see writer.ts).
  const WRITTEN = new Set([0x0a0d0d0a, 1, 6, 3, 0xbad, 0x40000bad]);
  const files = readable.filter((r) => readAll(corpusPath(r)).info.format === 'pcapng');
  let identical = 0;
  for (const rel of files) {
    it(rel, () => {
      const src = corpusPath(rel);
      const { info, packets } = readWithCustom(src);
      let orig: Uint8Array = readFileSync(src);
      const kind = detectCompression(orig);
      if (kind) orig = decompress(orig, kind);
      const { types, sections } = pcapngCensus(orig);
      const out = join(dir, 'same.pcapng');
      writeAll(out, writerOptionsFromInfo(info), packets);
      const same = readFileSync(out).equals(orig);
      if (sections === 1 && [...types].every((t) => WRITTEN.has(t))) {
        expect(same).toBe(true);
        identical++;
      } else {
        // not byte-identical, but the packets are all there
        expect(readWithCustom(out).packets.map((p) => essence(p, false))).toEqual(packets.map((p) => essence(p, false)));
      }
    });
  }
  it('covers most pcapng files of the corpus', () => {
    expect(identical).toBeGreaterThanOrEqual(15);
  });

  it('edited comments and flags are written, not the stale raw options', () => {
    const { info, packets } = readWithCustom(corpusPath('pcapplusplus/pcapng-example.pcapng'));
    const withOpts = packets.findIndex((p) => p.rawOptions !== undefined);
    expect(withOpts).toBeGreaterThanOrEqual(0);
    packets[withOpts] = { ...packets[withOpts]!, comments: ['edited'], flags: 2 };
    const opts = writerOptionsFromInfo(info);
    opts.sectionComments = ['new section comment'];
    opts.interfaces = info.interfaces.map((i, k) => (k === 0 ? { ...i, name: 'renamed0' } : i));
    const out = join(dir, 'edited.pcapng');
    writeAll(out, opts, packets);
    const back = readWithCustom(out);
    expect(back.packets[withOpts]!.comments).toEqual(['edited']);
    expect(back.packets[withOpts]!.flags).toBe(2);
    expect(back.info.sections[0]!.comments).toEqual(['new section comment']);
    expect(back.info.interfaces[0]!.name).toBe('renamed0');
    expect(back.info.interfaces.slice(1).map((i) => i.name)).toEqual(info.interfaces.slice(1).map((i) => i.name));
    expect(tsharkFields(out, ['frame.comment']).rows[withOpts]).toEqual(['edited']);
  });

  it('Section Length is recomputed when the source gave one', () => {
    const { info, packets } = readWithCustom(corpusPath('tcpdump/print-flags.pcap'));
    const out = join(dir, 'seclen.pcapng');
    writeAll(out, { ...writerOptionsFromInfo(info, 'pcapng'), pcapng: { sectionLength: true } }, packets);
    const buf = readFileSync(out);
    const shbLen = buf.readUInt32LE(4);
    expect(Number(buf.readBigInt64LE(16))).toBe(buf.length - shbLen);
    expect(readWithCustom(out).info.sections[0]!.sectionLength).toBe(buf.length - shbLen);
    expect(tsharkFields(out, ['frame.number']).status).toBe(0);
  });
});

describe('the same packets as pcap µs, pcap ns, pcapng LE, pcapng BE', () => {
  for (const rel of readable) {
    it(rel, () => {
      const { info, packets } = readAll(corpusPath(rel));
      const base = writerOptionsFromInfo(info, 'pcapng');
      const oneLink = info.interfaces.every((i) => i.linkType === info.interfaces[0]!.linkType);
      const fitsPcap = packets.every((p) => p.tsAbsent || (p.ts.sec >= 0 && p.ts.sec <= 0xffffffff && p.ts.nsec >= 0));
      // pcapng ticks cannot hold an un-normalised fraction (ns pcap fraction >= 1e9 or wrapped
      // negative, as in tcpdump/timestamp_invalid_nano.pcap): only pcap ns keeps those.
      const normal = packets.every((p) => p.ts.nsec >= 0 && p.ts.nsec < 1e9);
      const variants: Array<[string, WriterOptions, boolean]> = normal
        ? [
            ['le.pcapng', { ...base, littleEndian: true }, false],
            ['be.pcapng', { ...base, littleEndian: false }, false],
          ]
        : [];
      if (oneLink && fitsPcap) {
        variants.push(['us.pcap', { ...base, format: 'pcap', nanosecond: false }, true]);
        variants.push(['ns.pcap', { ...base, format: 'pcap', nanosecond: true }, false]);
      }
      for (const [name, opts, usOnly] of variants) {
        const out = join(dir, name);
        writeAll(out, opts, packets);
        const back = readAll(out);
        expect(back.error).toBeNull();
        expect(back.packets.map((p) => essence(p, usOnly))).toEqual(packets.map((p) => essence(p, usOnly)));
        if (opts.format === 'pcapng') {
          expect(back.packets.map((p) => [p.comments, p.flags, p.interfaceId])).toEqual(packets.map((p) => [p.comments, p.flags, p.interfaceId]));
          expect(back.info.sections[0]!.comments).toEqual(info.sections[0]?.comments ?? []);
          expect(back.info.interfaces.map((i) => [i.linkType, i.snapLen, i.name, i.description, i.tsUnitsPerSecond, i.tsOffset])).toEqual(
            info.interfaces.map((i) => [i.linkType, i.snapLen, i.name, i.description, i.tsUnitsPerSecond, i.tsOffset]),
          );
        }
      }
    });
  }
});

describe('tshark reads what we write', () => {
  const FIELDS = ['frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.protocols', 'frame.comment'];
  const files = [
    // (multi-section test202 is not here: we write one section, where an SPB can only be on
    // interface 0, so its section-2 SPBs become EPBs with time 0)
    'gopacket/be/test010.pcapng',
    'gopacket/le/test016.pcapng',
    'gopacket/be/test902.pcapng',
    'pcapplusplus/pcapng-example.pcapng',
    'pcapplusplus/many_interfaces-1.pcapng',
    'tcpdump/time_2106_overflow.pcapng',
    'pcapplusplus/nanosecs_big_endian.pcap',
    'tcpdump/print-flags.pcap',
  ];
  for (const rel of files) {
    it(rel, () => {
      const src = corpusPath(rel);
      const { info, packets } = readAll(src);
      // tshark shows pcapng custom blocks as frames; we neither read nor write them
      const want = tsharkFields(src, [...FIELDS, '_ws.col.Protocol']).rows.filter((r) => r[5] !== 'PCAPNG').map((r) => r.slice(0, 5));
      for (const le of [true, false]) {
        const out = join(dir, `tshark-${le ? 'le' : 'be'}.pcapng`);
        writeAll(out, { ...writerOptionsFromInfo(info, 'pcapng'), littleEndian: le }, packets);
        const got = tsharkFields(out, FIELDS);
        expect(got.status).toBe(0);
        expect(got.rows).toEqual(want);
      }
    });
  }
});

describe('custom blocks survive a rewrite', () => {
  it('gopacket/le/test018.pcapng read with customBlocks, written as pcapng: tshark sees the same frames', () => {
    const src = corpusPath('gopacket/le/test018.pcapng');
    const r = openCaptureFile(src, { customBlocks: true });
    const packets: PacketRecord[] = [];
    for (let p = r.next(); p; p = r.next()) packets.push({ ...p, data: p.data.slice() });
    r.close();
    const out = join(dir, 'cb.pcapng');
    writeAll(out, writerOptionsFromInfo(r.info), packets);
    const F = ['frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.protocols', '_ws.col.Protocol', 'frame.cb_pen', 'frame.cb_copy'];
    const want = tsharkFields(src, F).rows;
    // The source's custom blocks as tshark shows them: the same enterprise numbers as the reader's.
    expect(want.filter((row) => row[4] === 'PCAPNG').map((row) => row[5])).toEqual(packets.filter((p) => p.pen !== undefined).map((p) => String(p.pen)));
    expect(tsharkFields(out, F).rows).toEqual(want);
    // and pcap drops them
    const out2 = join(dir, 'cb.pcap');
    writeAll(out2, writerOptionsFromInfo(r.info, 'pcap'), packets);
    expect(readAll(out2).packets.length).toBe(packets.filter((p) => p.pen === undefined).length);
  });
});

describe('atomic close and abort', () => {
  it('the target appears only at close; abort leaves nothing', () => {
    const { info, packets } = readAll(corpusPath('tcpdump/print-flags.pcap'));
    const target = join(dir, 'atomic.pcap');
    const w = CaptureWriter.create(target, writerOptionsFromInfo(info));
    for (const p of packets) w.write(p);
    expect(existsSync(target)).toBe(false);
    w.close();
    expect(readAll(target).packets.length).toBe(packets.length);

    const target2 = join(dir, 'aborted.pcap');
    const w2 = CaptureWriter.create(target2, writerOptionsFromInfo(info));
    for (const p of packets) w2.write(p);
    w2.abort();
    expect(existsSync(target2)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses, in pcap, a packet of another link type than the first interface\'s, and undeclared interfaces', () => {
    const mixed = CaptureWriter.create(join(dir, 'mixed.pcap'), {
      format: 'pcap',
      interfaces: [
        { id: 0, linkType: 1, snapLen: 65535 },
        { id: 1, linkType: 113, snapLen: 65535 },
      ],
    });
    const onIface = (interfaceId: number, linkType: number): PacketRecord =>
      ({ index: 0, fileOffset: 0, interfaceId, linkType, ts: { sec: 1, nsec: 0 }, capLen: 1, origLen: 1, data: Uint8Array.of(0), blockType: 6 });
    // A filter that keeps only Ethernet packets writes a valid pcap file (tshark -F pcap does too).
    mixed.write(onIface(0, 1));
    expect(() => mixed.write(onIface(1, 113))).toThrow(/has link type 113, and a pcap file holds one link type \(1 here\)/);
    mixed.abort();
    const w = CaptureWriter.create(join(dir, 'undeclared.pcapng'), { format: 'pcapng', interfaces: [{ id: 0, linkType: 1, snapLen: 0 }] });
    const rec: PacketRecord = { index: 0, fileOffset: 0, interfaceId: 7, linkType: 1, ts: { sec: 1, nsec: 0 }, capLen: 1, origLen: 1, data: Uint8Array.of(0), blockType: 6 };
    expect(() => w.write(rec)).toThrow(/interface 7/);
    w.abort();
  });
});
