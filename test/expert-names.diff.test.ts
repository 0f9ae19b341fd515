// The expert notes' Wireshark names (app/dissect/expert-names.ts) against tshark on every corpus
// capture: `-T fields -e tcp.connection.syn -e tcp.connection.rst -e http.chat ...` (each note's
// own item under its Expert Info item, "1" per occurrence) prints what tshark prints, and `-Y`
// on the name selects the packets tshark selects. A difference must be excused by
// docs/tshark-differences.md (a note SynScope does not make: expert-info.diff.test.ts lists them).
import { describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusCaptures, corpusPath } from './helpers/corpus.js';
import { synscopeFields } from './helpers/synscope-fields.js';
import { EXPERT_NAME_FIELDS, tsharkCorpusFields } from './helpers/corpus-fields.js';
import { tsharkRaw } from './helpers/tshark.js';
import { loadExceptions, unexcusedCells } from './helpers/tshark-differences.js';

/** tshark cannot read it (see the corpus README). */
const TSHARK_UNREADABLE = new Set(['tcpdump/dsa.pcap']);
const FIELDS = ['frame.protocols', ...EXPERT_NAME_FIELDS];

describe('expert notes carry their Wireshark names, as tshark -T fields and -Y read them', () => {
  const exceptions = loadExceptions();

  it.each(corpusCaptures().filter((f) => !TSHARK_UNREADABLE.has(f)))('%s', async (rel) => {
    const path = corpusPath(rel);
    // Read from the corpus tests' one tshark run per file (helpers/corpus-fields.ts).
    const theirs = tsharkCorpusFields(path, FIELDS).rows;
    const ours = await synscopeFields(path, FIELDS);
    // Column 0 is frame.protocols, for the excuses.
    const differ = unexcusedCells(exceptions, rel, EXPERT_NAME_FIELDS, ours.rows.map((r) => r.slice(1)), theirs.map((r) => r.slice(1)), (i) => theirs[i]?.[0] ?? '');
    expect(differ.slice(0, 12).join('\n')).toBe('');
  });

  it('a name filters: tcp.connection.rst finds the resets tshark finds', async () => {
    const path = corpusPath('pcapplusplus/many-protocols.pcap');
    const frames = (filter: string) => tsharkRaw(path, ['-Y', filter, '-T', 'fields', '-e', 'frame.number']).stdout;
    for (const filter of ['tcp.connection.rst', 'tcp.connection.syn && !tcp.connection.synack', 'http.chat && tcp.port == 80', 'dns.retransmit_request || tls.resumed']) {
      const out = new StringSink();
      await runRead(parseReadArgs([path, '-Y', filter, '-T', 'fields', '-e', 'frame.number']), out, new StringSink());
      expect(out.text(), filter).toBe(frames(filter));
      expect(out.text().length, filter).toBeGreaterThan(0);
    }
  });
});
