// The filter worker decides as `synscope read -Y` does: on corpus captures its verdicts are the
// packets filterFile keeps (every packet dissected in order, the reference the display filter
// suites hold to tshark -Y), one filter also straight against tshark; a damaged file gives the
// verdicts of the packets before the damage, then says so.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { filterFile } from './apply.js';
import { compileDisplayFilter } from './compile.js';
import { FilterAhead } from './filter-ahead.js';

/** Runs a worker to its end: the matches it sent and how far it got. */
function runWorker(path: string, text: string): Promise<{ matches: number[]; upTo: number }> {
  return new Promise((resolve) => {
    const matches: number[] = [];
    const run = new FilterAhead(path, text, () => {
      run.take(matches.length > 0 ? matches[matches.length - 1]! : 0, run.upTo, (n) => matches.push(n));
      if (run.ended) resolve({ matches, upTo: run.upTo });
    });
  });
}

function display(text: string) {
  const c = compileDisplayFilter(text);
  if (!c.ok) throw new Error(`${text}: ${c.error.message}`);
  return c.filter;
}

const CASES: Array<[string, string]> = [
  ['pcapplusplus/many-protocols.pcap', 'http.request.method == "GET" || dns.qry.name contains "a" || tls.handshake.type == 1'],
  ['pcapplusplus/many-protocols.pcap', '!(http || dns) && tcp.len > 0'],
  ['zeek/tcp/ssh-dups.pcap', 'tcp.analysis.retransmission || tcp.analysis.duplicate_ack'],
  ['zeek/http/get-gzip.pcap', 'http.response.code == 200 || tcp.stream == 0 && tcp.len == 0'],
  ['pcapplusplus/ip4_fragments.pcap', 'icmp.type == 8 || udp.length > 1000'],
  ['pcapplusplus/pcapng-example.pcapng', 'dns || http.host contains "."'],
];

describe('FilterAhead', () => {
  it.each(CASES)('%s: %s keeps the packets a full dissection keeps', async (rel, text) => {
    const got = await runWorker(corpusPath(rel), text);
    const expected = filterFile(corpusPath(rel), display(text));
    expect(got.matches).toEqual(expected);
    expect(got.upTo).toBe(filterFile(corpusPath(rel), display('frame')).length);
  });

  it('keeps the packets tshark -Y keeps', async () => {
    const file = corpusPath('pcapplusplus/many-protocols.pcap');
    const text = 'dns.flags.response == 1 && !(dns.qry.name contains "google")';
    const { stdout } = tsharkRaw(file, ['-Y', text, '-T', 'fields', '-e', 'frame.number']);
    expect((await runWorker(file, text)).matches).toEqual(stdout.split('\n').filter(Boolean).map(Number));
  });

  describe('a damaged file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synscope-ahead-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    it('gives the verdicts before the damage and ends', async () => {
      const whole = join(dir, 'whole.pcap'), cut = join(dir, 'cut.pcap');
      copyFileSync(corpusPath('pcapplusplus/many-protocols.pcap'), whole);
      const bytes = readFileSync(whole);
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const got = await runWorker(cut, 'dns || http');
      const all = filterFile(whole, display('dns || http'));
      expect(got.upTo).toBeGreaterThan(0);
      expect(got.matches).toEqual(all.filter((n) => n <= got.upTo));
      // Every whole record before the cut was decided.
      expect(() => filterFile(cut, display('frame'))).toThrow(/truncated/);
    });
  });
});
