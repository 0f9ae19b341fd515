// The streaming reader against tshark 4.0 on every corpus capture: packet count and, per packet,
// frame.time_epoch, frame.len, frame.cap_len, frame.interface_id and the packet comments (frame.comment).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { tsharkCorpusFields } from '../../test/helpers/corpus-fields.js';
import { formatEpoch } from '../dissect/format.js';
import type { AbsTime } from '../dissect/tree.js';
import { openCaptureFile, type CaptureReader } from './reader.js';
import { CaptureFileError, type PacketRecord } from './types.js';

const FIELDS = ['frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.interface_id', '_ws.col.Protocol', 'frame.comment'];

/**
 * tshark's rendering of a timestamp whose nanosecond part is negative (a ns-pcap fraction >=
 * 2^31 wraps in wiretap's int nsecs): sign first, then magnitudes, e.g. tcpdump/
 * timestamp_invalid_nano.pcap packet 3 prints "-1418145370.2147483648".
 */
function tsharkEpoch(t: AbsTime): string {
  return formatEpoch(t);
}

/** The record as tshark's FIELDS print it (without the Protocol column). */
export function row(p: PacketRecord): string[] {
  return [p.tsAbsent ? '' : tsharkEpoch(p.ts), String(p.origLen), String(p.capLen), p.sectionInterfaceId === undefined ? '' : String(p.sectionInterfaceId),
    (p.comments ?? []).join(',')];
}

export function readAll(r: CaptureReader): { rows: string[][]; error: CaptureFileError | null } {
  const rows: string[][] = [];
  let error: CaptureFileError | null = null;
  try {
    for (let p = r.next(); p; p = r.next()) rows.push(row(p));
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    error = e;
  } finally {
    r.close();
  }
  return { rows, error };
}

/**
 * `capinfos -c -M` packet count, live. capinfos counts packets only (not the Custom Blocks tshark
 * 4.0 shows as frames), which is what our reader returns by default; on a damaged file it says
 * "An error occurred after reading N packets". null when it cannot read the file at all.
 */
function capinfosCount(path: string): number | null {
  const r = spawnSync('capinfos', ['-c', '-M', path], { encoding: 'utf8' });
  const out = `${r.stdout}\n${r.stderr}`;
  const m = /Number of packets:\s+(\d+)/.exec(out) ?? /error occurred after reading (\d+) packets/.exec(out);
  return m ? Number(m[1]) : null;
}

describe('packet count vs capinfos -c -M on the corpus', () => {
  for (const rel of corpusCaptures()) {
    it(rel, () => {
      const path = corpusPath(rel);
      const want = capinfosCount(path);
      let got: number;
      try {
        got = readAll(openCaptureFile(path)).rows.length;
      } catch (e) {
        expect(e).toBeInstanceOf(CaptureFileError);
        expect(want ?? 0).toBe(0);
        return;
      }
      // dsa.pcap: capinfos refuses link type 284 outright; we read it
      if (want === null) expect(rel).toMatch(/dsa\.pcap$/);
      else expect(got).toBe(want);
    });
  }
});

describe('openCaptureFile vs tshark on the corpus', () => {
  for (const rel of corpusCaptures()) {
    it(rel, () => {
      const path = corpusPath(rel);
      const t = tsharkCorpusFields(path, FIELDS);
      // tshark 4.0 shows pcapng Custom Blocks as frames (Protocol "PCAPNG", data = the custom
      // payload); they are not packets and we do not return them (gopacket test018, test202).
      const expected = t.rows.filter((r) => r[4] !== 'PCAPNG').map((r) => [...r.slice(0, 4), r[5]!]);
      let got: { rows: string[][]; error: CaptureFileError | null };
      try {
        got = readAll(openCaptureFile(path));
      } catch (e) {
        // Only a file tshark cannot read either may fail at open.
        expect(e).toBeInstanceOf(CaptureFileError);
        expect(t.status).not.toBe(0);
        expect(expected).toEqual([]);
        return;
      }
      // dsa.pcap: tshark stops at link type 284 before any packet; we read it (test below).
      if (!rel.endsWith('dsa.pcap')) expect(got.rows).toEqual(expected);
      if (t.status === 0) expect(got.error).toBeNull();
      else if (!rel.endsWith('dsa.pcap')) expect(got.error).not.toBeNull();
    });
  }

  for (const rel of ['gopacket/le/test018.pcapng', 'gopacket/be/test202.pcapng']) {
    it(`${rel} with customBlocks: record numbers are tshark's frame numbers`, () => {
      const path = corpusPath(rel);
      const t = tsharkCorpusFields(path, FIELDS);
      const r = openCaptureFile(path, { customBlocks: true });
      const rows: string[][] = [];
      for (let p = r.next(); p; p = r.next()) rows.push([...row(p).slice(0, 4), p.pen !== undefined ? 'PCAPNG' : '']);
      r.close();
      expect(rows.map((x) => x.slice(0, 4))).toEqual(t.rows.map((x) => x.slice(0, 4)));
      expect(rows.map((x) => x[4])).toEqual(t.rows.map((x) => (x[4] === 'PCAPNG' ? 'PCAPNG' : '')));
    });
  }

  it('reuseRecord gives the same records as fresh objects, on every corpus capture', () => {
    const dump = (p: PacketRecord) =>
      JSON.stringify([p.index, p.fileOffset, p.interfaceId, p.linkType, p.ts, p.capLen, p.origLen, p.blockType, p.comments, p.flags,
        p.sectionInterfaceId, p.section, p.tsAbsent, p.pen, Buffer.from(p.data).toString('hex'), p.rawOptions && Buffer.from(p.rawOptions.bytes).toString('hex')]);
    const all = (path: string, reuseRecord: boolean) => {
      const out: string[] = [];
      let r: CaptureReader;
      try {
        r = openCaptureFile(path, { customBlocks: true, reuseRecord });
      } catch (e) {
        return [String(e)];
      }
      let prev: PacketRecord | null = null;
      try {
        for (let p = r.next(); p; p = r.next()) {
          if (reuseRecord && prev) expect(p).toBe(prev);
          prev = p;
          out.push(dump(p));
        }
      } catch (e) {
        out.push(String(e));
      }
      r.close();
      return out;
    };
    for (const rel of corpusCaptures()) expect(all(corpusPath(rel), true)).toEqual(all(corpusPath(rel), false));
  });

  it('tcpdump/dsa.pcap: tshark rejects link type 284, we still read it', () => {
    const { rows, error } = readAll(openCaptureFile(corpusPath('tcpdump/dsa.pcap')));
    expect(error).toBeNull();
    expect(rows.length).toBeGreaterThan(0);
  });

  it('gopacket/le/test901.pcapng: 1 packet, then the SHB version 2.0 error', () => {
    const { rows, error } = readAll(openCaptureFile(corpusPath('gopacket/le/test901.pcapng')));
    expect(rows.length).toBe(1);
    expect(error?.message).toMatch(/unknown SHB version 2\.0/);
  });

  it('bogus-content.txt: not a capture file', () => {
    expect(() => openCaptureFile(corpusPath('pcapplusplus/file_heuristics/bogus-content.txt'))).toThrow(/not a capture file/);
  });

  it('time_2106_overflow.pcapng: a date past 2106 is exact', () => {
    const r = openCaptureFile(corpusPath('tcpdump/time_2106_overflow.pcapng'));
    const p = r.next()!;
    // 2^32 s = 2106-02-07T06:28:16Z; the frame.time_epoch comparison above checks the exact value.
    expect(p.ts.sec).toBeGreaterThanOrEqual(2 ** 32);
    r.close();
  });
});
