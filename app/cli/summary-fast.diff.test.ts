// The header-only summary path (summary-fast.ts) against the dissections it stands in for: on
// every corpus capture, `read FILE` (summary lines, or -T fields with columns) prints the same
// lines, the same error and the same status whether header-only TCP packets take it or are
// dissected. The dissected lines are the ones
// corpus.diff.test.ts compares with tshark's columns.
import { describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
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
