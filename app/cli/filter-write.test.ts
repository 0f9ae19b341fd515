// The filter-and-write pass (`read [-f EXPR] [-c N] -w OUT`, nothing printed) against the general
// read loop it stands in for: on every corpus capture, the same file byte for byte, the same exit
// status and the same message (damaged files included), for pcap and pcapng output.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { pcapFile } from '../../test/helpers/pcap-build.js';
import { filterWriteOnly, parseReadArgs } from './args.js';
import { runFilterWrite } from './filter-write.js';
import { runRead } from './read.js';
import { StringSink } from './sink.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-filter-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `read` both ways; each side's written file (null when none), status and stderr. */
async function both(args: string[]): Promise<Array<{ file: Buffer | null; status: number | string; err: string }>> {
  const results = [];
  for (const pass of ['general', 'filter-write'] as const) {
    const out = join(dir, `${pass}.out`);
    rmSync(out, { force: true });
    const o = parseReadArgs([...args, '-w', out]);
    expect(filterWriteOnly(o)).toBe(true);
    const err = new StringSink();
    let status: number | string;
    try {
      status = pass === 'general' ? await runRead(o, new StringSink(), err) : runFilterWrite(o, err);
    } catch (e) {
      // e.g. pcap output for a file with several link types: the writer refuses it.
      status = (e as Error).message;
    }
    results.push({ file: existsSync(out) ? readFileSync(out) : null, status, err: err.text() });
  }
  return results;
}

const CASES: Array<[string, string[]]> = [
  ['every record, pcap', ['-F', 'pcap']],
  ['-f tcp, pcap', ['-f', 'tcp', '-F', 'pcap']],
  ['-f "not udp" -c 3, pcap', ['-f', 'not udp', '-c', '3', '-F', 'pcap']],
  ['-f "ip or ip6", pcapng', ['-f', 'ip or ip6']],
];

describe('read -w: the filter-and-write pass writes what the general loop writes', () => {
  for (const rel of corpusCaptures()) {
    it(rel, async () => {
      for (const [, args] of CASES) {
        const [general, fast] = await both([corpusPath(rel), ...args]);
        expect({ args, status: fast!.status, err: fast!.err }).toEqual({ args, status: general!.status, err: general!.err });
        expect(fast!.file?.equals(general!.file!) ?? general!.file === null, args.join(' ')).toBe(true);
      }
    });
  }
});

describe('read -w: records the writer does not copy verbatim', () => {
  it('a µs fraction past 4294967 (wiretap keeps int nanoseconds): written as the general loop writes it', async () => {
    // pcap µs LE, Ethernet; three 60-byte IPv4/TCP frames, the middle one with frac = 5000000.
    const frame = Buffer.alloc(60);
    frame.writeUInt16BE(0x0800, 12);
    frame[14] = 0x45;
    frame[23] = 6;
    const path = join(dir, 'odd-usec.pcap');
    writeFileSync(path, pcapFile([{ sec: 1, frac: 1, data: frame }, { sec: 2, frac: 5000000, data: frame }, { sec: 3, frac: 3, data: frame }], 1, 65535));
    for (const args of [['-F', 'pcap'], ['-f', 'tcp', '-F', 'pcap']]) {
      const [general, fast] = await both([path, ...args]);
      expect(general!.status).toBe(0);
      expect(fast!.file!.equals(general!.file!)).toBe(true);
    }
  });
});

describe('what takes the filter-and-write pass', () => {
  it('only -w with nothing printed and no display filter', () => {
    const yes = (a: string[]) => filterWriteOnly(parseReadArgs(['f.pcap', ...a]));
    expect(yes(['-w', 'o'])).toBe(true);
    expect(yes(['-w', 'o', '-f', 'tcp', '-q'])).toBe(true);
    expect(yes(['-w', 'o', '-Y', ' '])).toBe(true);
    expect(yes(['-f', 'tcp'])).toBe(false);
    expect(yes(['-w', 'o', '-Y', 'tcp'])).toBe(false);
    expect(yes(['-w', 'o', '-P'])).toBe(false);
    expect(yes(['-w', 'o', '-V'])).toBe(false);
    expect(yes(['-w', 'o', '-x'])).toBe(false);
    expect(yes(['-w', 'o', '-T', 'json'])).toBe(false);
    expect(yes(['-w', 'o', '-T', 'json', '-q'])).toBe(true);
  });
});
