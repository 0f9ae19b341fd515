// CaptureWriter's EPB fast path (write() -> epbFast(): one interface, no comments, flags or
// options, µs ticks) against its general encoder (WriterOptions.generalPathOnly): the same bytes
// for every corpus capture, damaged ones up to their damage, read as `synscope read` reads them
// (one reused RecordSlot, custom blocks kept) and as fresh records, written in both byte orders;
// tshark and capinfos read what the fast path wrote.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { tsharkFields } from '../../test/helpers/tshark.js';
import { openCaptureFile, type CaptureReader, type ReaderOptions } from './reader.js';
import { CaptureFileError, type CaptureFileInfo } from './types.js';
import { CaptureWriter, writerOptionsFromInfo } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-writer-fast-'));
// A test that failed midway leaves the writer spied on: the worker's next test file shares this module.
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How `synscope read` reads (READ_PASS in app/cli/open-capture.ts). */
const READ_PASS: ReaderOptions = { customBlocks: true, reuseRecord: true };

function open(rel: string, reuseRecord: boolean): CaptureReader | null {
  try {
    return openCaptureFile(corpusPath(rel), { ...READ_PASS, reuseRecord });
  } catch {
    return null; // not a capture file we read at all
  }
}

/** The file's interfaces, all of them: an IDB may come after packets, the reader learns it there. */
function infoOf(rel: string): CaptureFileInfo {
  const src = open(rel, true)!;
  try {
    while (src.next());
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
  } finally {
    src.close();
  }
  return src.info;
}

/**
 * Every record of `rel` (up to any damage) written as pcapng, as each record arrives, by the
 * writer as it is and by one held to its general path: the two files' bytes and how many EPBs
 * the fast path wrote.
 */
function writeBothWays(rel: string, reuseRecord: boolean, littleEndian: boolean): { fast: Buffer; general: Buffer; fastEpbs: number } | null {
  const src = open(rel, reuseRecord);
  if (!src) return null;
  const opts = { ...writerOptionsFromInfo(infoOf(rel), 'pcapng'), littleEndian };
  const fastPath = join(dir, 'fast.pcapng'), generalPath = join(dir, 'general.pcapng');
  const spy = vi.spyOn(CaptureWriter.prototype as unknown as { epbFast(): void }, 'epbFast');
  const fast = CaptureWriter.create(fastPath, opts);
  const general = CaptureWriter.create(generalPath, { ...opts, generalPathOnly: true });
  try {
    for (let rec = src.next(); rec; rec = src.next()) {
      fast.write(rec);
      general.write(rec);
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
  } finally {
    src.close();
  }
  fast.close();
  general.close();
  const fastEpbs = spy.mock.calls.length;
  spy.mockRestore();
  return { fast: readFileSync(fastPath), general: readFileSync(generalPath), fastEpbs };
}

describe('the fast path writes what the general path writes', () => {
  let fastEpbs = 0;
  for (const rel of corpusCaptures()) {
    it(rel, () => {
      for (const reuseRecord of [true, false]) {
        for (const le of [true, false]) {
          const r = writeBothWays(rel, reuseRecord, le);
          if (!r) return;
          expect(r.fast.equals(r.general)).toBe(true);
          fastEpbs += r.fastEpbs;
        }
      }
    });
  }
  it('and takes it for most packets of the corpus', () => {
    expect(fastEpbs).toBeGreaterThan(10000);
  });
});

describe('which records take it', () => {
  it('a pcap file: every packet after the first (the general path writes it and the IDB)', () => {
    const r = writeBothWays('tcpdump/print-flags.pcap', true, true)!;
    const packets = tsharkFields(corpusPath('tcpdump/print-flags.pcap'), ['frame.number']).rows.length;
    expect(r.fastEpbs).toBe(packets - 1);
  });

  it('interfaces with ns ticks never do; a packet after one of another interface does not', () => {
    // zeek/pcapng-multi-interface.pcapng: interface 0 has if_tsresol 9, interface 1 µs.
    const src = open('zeek/pcapng-multi-interface.pcapng', true)!;
    const ifaces: number[] = [];
    for (let rec = src.next(); rec; rec = src.next()) ifaces.push(rec.interfaceId);
    src.close();
    const viaFast = ifaces.filter((id, k) => id === 1 && ifaces[k - 1] === 1).length;
    expect(writeBothWays('zeek/pcapng-multi-interface.pcapng', true, true)!.fastEpbs).toBe(viaFast);
  });

  it('packets with comments or flags take the general path (their options are written)', () => {
    const src = open('pcapplusplus/pcapng-example.pcapng', false)!;
    let plain = 0, withOptions = 0;
    for (let rec = src.next(); rec; rec = src.next()) {
      if (rec.rawOptions) withOptions++;
      else plain++;
    }
    src.close();
    expect(withOptions).toBeGreaterThan(0);
    expect(writeBothWays('pcapplusplus/pcapng-example.pcapng', true, true)!.fastEpbs).toBeLessThan(plain);
  });
});

describe('tshark and capinfos read what the fast path writes', () => {
  const files = [
    'tcpdump/print-flags.pcap',
    'pcapplusplus/nanosecs_big_endian.pcap',
    'zeek/pcapng-multi-interface.pcapng',
    'pcapplusplus/many_interfaces-1.pcapng',
    'pcapplusplus/pcapng-example.pcapng',
    'gopacket/le/test100.pcapng',
  ];
  for (const rel of files) {
    it(rel, () => {
      const fields = ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.interface_id', 'frame.protocols'];
      // A pcap has no interface ids: written as pcapng, its packets are on interface 0.
      const want = tsharkFields(corpusPath(rel), fields).rows.map(([no, t, len, ifc, protos]) => [no, t, len, ifc || '0', protos]);
      for (const le of [true, false]) {
        const out = join(dir, `read-back-${le ? 'le' : 'be'}.pcapng`);
        const src = open(rel, true)!;
        const w = CaptureWriter.create(out, { ...writerOptionsFromInfo(infoOf(rel), 'pcapng'), littleEndian: le });
        for (let rec = src.next(); rec; rec = src.next()) w.write(rec);
        src.close();
        w.close();
        const capinfos = spawnSync('capinfos', ['-c', '-M', out], { encoding: 'utf8' });
        expect(capinfos.status).toBe(0);
        expect(capinfos.stdout).toMatch(new RegExp(`Number of packets:\\s+${want.length}\\n`));
        const got = tsharkFields(out, fields);
        expect(got.status).toBe(0);
        expect(got.rows).toEqual(want);
      }
    });
  }
});
