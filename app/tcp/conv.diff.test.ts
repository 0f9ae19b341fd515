// Differential test: our conversation tables (report.ts convTable over the real pipeline) against
// `tshark -n -q -z conv,tcp -z conv,udp` run live, on every corpus capture with TCP or UDP.
// Compared per conversation: both endpoints (A = first sender), frames and bytes each way,
// relative start and duration (as tshark prints them), and the row order.
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { captures, TIME_EXCEPTIONS, UDP_EXCEPTIONS } from '../../test/helpers/conv-corpus.js';
import { convTable } from './conv-table.js';
import { observeCapture } from './report.js';
import { asTshark, parseTsharkConv } from '../../test/helpers/tshark-conv.js';
import { tsharkTables } from '../../test/helpers/tshark-verbose.js';

describe('conversation tables vs tshark -z conv,tcp / conv,udp', () => {
  const files = captures();
  it('finds the captures', () => {
    expect(files.length).toBeGreaterThan(30);
  });
  for (const rel of files) {
    it(rel, async () => {
      const path = corpusPath(rel);
      const stdout = tsharkTables(path);
      const want = parseTsharkConv(stdout);
      const ours = await convTable(observeCapture(path));
      for (const [proto, rows] of [['TCP', ours.tcp], ['UDP', ours.udp]] as const) {
        if (proto === 'UDP' && UDP_EXCEPTIONS.has(rel)) continue;
        const got = rows.map(asTshark);
        const exp = want[proto] ?? [];
        if (TIME_EXCEPTIONS.has(rel)) {
          for (const r of [...got, ...exp]) r.relStart = r.duration = '';
        }
        expect(got, `${rel} ${proto}`).toEqual(exp);
      }
    });
  }
});
