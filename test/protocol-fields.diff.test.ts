// `-T fields -e PROTOCOL` against tshark on every corpus capture: a protocol's own field prints
// what tshark's epan/print.c prints for it. Data (`-e data`, the classic way to dump payloads)
// and the protocols registered with FT_BYTES (TCP's options) print their bytes in hex; any other
// protocol prints the text its dissector wrote for its item ("Internet Protocol Version 4, Src:
// 10.10.1.4, Dst: 10.10.1.1", "Domain Name System (query)") or, where it wrote none, its name
// (`smtp`, `tls`). Every cell must equal tshark's, but where docs/tshark-differences.md excuses
// it (a protocol SynScope does not dissect leaves its bytes to Data).
import { describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from './helpers/corpus.js';
import { PROTOCOL_FIELDS, tsharkCorpusFields } from './helpers/corpus-fields.js';
import { loadExceptions, unexcusedCells } from './helpers/tshark-differences.js';
import { isProtocolLabel } from '../app/cli/fields.js';
import { fieldByName } from '../app/dissect/field.js';
import { synscopeFields } from './helpers/synscope-fields.js';

/** tshark cannot read it (see the corpus README). */
const TSHARK_UNREADABLE = new Set(['tcpdump/dsa.pcap']);
/** The fields printed without a tree: their value is their bytes, which the flat mode records too. */
const BYTES_FIELDS = PROTOCOL_FIELDS.filter((name) => !isProtocolLabel(fieldByName(name)!));

describe('protocol fields print as tshark -T fields prints them', () => {
  const exceptions = loadExceptions();

  it('covers every protocol SynScope dissects', () => {
    expect(PROTOCOL_FIELDS).toEqual(expect.arrayContaining(['eth', 'ip', 'ipv6', 'tcp', 'udp', 'dns', 'http', 'tls', 'data', 'tcp.options.mss']));
  });

  it.each(corpusCaptures().filter((f) => !TSHARK_UNREADABLE.has(f)))('%s', async (rel) => {
    const path = corpusPath(rel);
    const protocols = tsharkCorpusFields(path, ['frame.protocols']);
    const ts = tsharkCorpusFields(path, PROTOCOL_FIELDS);
    const ours = await synscopeFields(path, PROTOCOL_FIELDS);
    const bytesOnly = await synscopeFields(path, BYTES_FIELDS);
    const differ = unexcusedCells(exceptions, rel, PROTOCOL_FIELDS, ours.rows, ts.rows, (i) => protocols.rows[i]?.[0] ?? '');
    for (let i = 0; i < Math.max(ts.rows.length, ours.rows.length); i++) {
      // The same bytes without a tree (a run that asks for no protocol's label builds none).
      BYTES_FIELDS.forEach((field, j) => {
        const mine = bytesOnly.rows[i]?.[j] ?? '<no packet>';
        const withTree = ours.rows[i]?.[PROTOCOL_FIELDS.indexOf(field)] ?? '<no packet>';
        if (mine !== withTree) differ.push(`frame ${i + 1} ${field} without a tree: ${JSON.stringify(mine.slice(0, 80))}, with: ${JSON.stringify(withTree.slice(0, 80))}`);
      });
    }
    expect(differ.slice(0, 10)).toEqual([]);
  });
});
