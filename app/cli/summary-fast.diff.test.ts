// The header-only summary path (summary-fast.ts) against the dissections it stands in for: on
// every corpus capture, `read FILE` (summary lines, or -T fields with columns) prints the same
// lines, the same error and the same status whether header-only TCP packets take it or are
// dissected. The dissected lines are the ones
// corpus.diff.test.ts compares with tshark's columns.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { corpusRecords } from '../../test/helpers/corpus-records.js';
import { pcapFile, type BuiltRecord } from '../../test/helpers/pcap-build.js';
import { prng } from '../../test/helpers/prng.js';
import { parseReadArgs } from './args.js';
import { runRead } from './read.js';
import { StringSink } from './sink.js';

async function read(args: string[], fastSummary: boolean): Promise<{ status: number; out: string; err: string }> {
  const o = { ...parseReadArgs(args), fastSummary };
  const out = new StringSink(), err = new StringSink();
  const status = await runRead(o, out, err);
  return { status, out: out.text(), err: err.text() };
}

/** -T fields with columns and fields the headers give (the fast path prints them from its decode). */
const FIELDS = ['-T', 'fields', '-E', 'header=y', ...['frame.number', 'frame.time_relative', 'frame.time_delta', 'eth.src', 'vlan.id', 'ip.src', 'ipv6.dst',
  'tcp.srcport', 'tcp.flags', 'tcp.len', 'tcp.window_size_value', '_ws.col.Protocol', '_ws.col.Info', '_ws.col.Source'].flatMap((f) => ['-e', f])];

/** Lines whose Info starts like a header-only TCP packet's (the ones the fast path may take). */
function tcpHeaderLines(text: string): number {
  return text.split('\n').filter((l) => / TCP \d+ .*\bLen=0\b/.test(l)).length;
}

describe('read: header-only TCP packets print the lines their dissection prints', () => {
  let covered = 0;
  for (const rel of corpusCaptures()) {
    it(rel, async () => {
      for (const args of [[corpusPath(rel)], [corpusPath(rel), '-T', 'tabs', '-f', 'tcp'], [corpusPath(rel), ...FIELDS]]) {
        const dissected = await read(args, false);
        const fast = await read(args, true);
        expect(fast.status, args.join(' ')).toBe(dissected.status);
        expect(fast.err).toBe(dissected.err);
        expect(fast.out).toBe(dissected.out);
        covered += tcpHeaderLines(fast.out);
      }
    });
  }
  it('the corpus has header-only TCP packets to compare', () => {
    // Runs after the per-file cases: they saw thousands of such lines.
    expect(covered).toBeGreaterThan(1000);
  });
});

/**
 * The corpus's Ethernet packets as one pcap, a third of them with bytes of their first 100
 * flipped (rate 0.03): header lengths, flags, option lists and IP lengths the captures never
 * had, in connections the tracker follows.
 */
async function mutatedEthernetPcap(seed: number): Promise<Buffer> {
  const rand = prng(seed);
  const records: BuiltRecord[] = [];
  let sec = 1_700_000_000, last = '';
  for await (const { file, rec } of corpusRecords()) {
    // Each capture a second after the one before: their connections do not mix.
    if (file !== last) sec++;
    last = file;
    if (rec.linkType !== 1 || rec.capLen > 262144) continue;
    const data = Buffer.from(rec.data);
    if (rand() < 1 / 3) {
      for (let i = 14; i < Math.min(100, data.length); i++) if (rand() < 0.03) data[i] = data[i]! ^ (1 + Math.floor(rand() * 255));
    }
    records.push({ sec, frac: Math.floor(rec.ts.nsec / 1000), data, origLen: Math.max(rec.origLen, data.length) });
  }
  return pcapFile(records);
}

describe('read: header-only TCP packets with mutated headers print the lines their dissection prints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-summary-fast-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const seed = Number(process.env.SYNSCOPE_FUZZ_SEED ?? Date.now() % 0x7fffffff);

  it(`every corpus Ethernet packet, a third mutated (seed ${seed}; replay with SYNSCOPE_FUZZ_SEED=${seed})`, async () => {
    const file = join(dir, 'mutated.pcap');
    writeFileSync(file, await mutatedEthernetPcap(seed));
    for (const args of [[file], [file, ...FIELDS]]) {
      const dissected = await read(args, false);
      const fast = await read(args, true);
      expect(fast.status).toBe(dissected.status);
      expect(fast.err).toBe(dissected.err);
      const a = dissected.out.split('\n'), b = fast.out.split('\n');
      expect(b.length).toBe(a.length);
      // The first differing line, not a 10 MB diff.
      const i = a.findIndex((line, k) => line !== b[k]);
      expect(i < 0 ? null : { line: i + 1, fast: b[i] }).toEqual(i < 0 ? null : { line: i + 1, fast: a[i] });
    }
  }, 120_000);
});
