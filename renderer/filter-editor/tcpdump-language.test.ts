// The tcpdump grammar against the engine's tcpdump scanner, on every expression of the engine's
// tcpdump table: same token boundaries, a class of the same kind, keywords split the way
// pcap-filter(7) groups them.
import { describe, expect, it } from 'vitest';
import { KEYWORDS, lexTcpdump, TcpdumpSyntaxError, type TdKind } from '../../app/filter/tcpdump/lexer.js';
import { engineTcpdumpFilters } from './engine-filter-tables.js';
import { differencesFromScanner, monarchTokenizer } from './monarch-in-node.js';
import {
  TCPDUMP_LANGUAGE_ID, TCPDUMP_LOGICAL, TCPDUMP_PRIMITIVES, TCPDUMP_PROTOCOLS, TCPDUMP_QUALIFIERS, TCPDUMP_TOKEN_CLASSES, tcpdumpMonarch,
} from './tcpdump-language.js';

const tokenize = monarchTokenizer(TCPDUMP_LANGUAGE_ID, tcpdumpMonarch());

const CLASSES_OF: Record<Exclude<TdKind, 'eof'>, readonly string[]> = {
  kw: ['keyword.qualifier', 'keyword.protocol', 'keyword.primitive', 'keyword.logical'],
  id: ['constant', 'identifier', 'identifier.escaped'],
  num: ['number', 'number.hex'],
  addr: ['address.ipv4', 'address.ipv6', 'address.mac'],
  op: ['operator', 'operator.logical', 'delimiter.parenthesis', 'delimiter.bracket'],
};

const FILTERS = engineTcpdumpFilters();

describe('tcpdump grammar', () => {
  it('knows every keyword of the engine scanner, each in one group', () => {
    const groups = [...TCPDUMP_QUALIFIERS, ...TCPDUMP_PROTOCOLS, ...TCPDUMP_PRIMITIVES, ...TCPDUMP_LOGICAL];
    expect([...groups].sort()).toEqual([...KEYWORDS].sort());
  });

  it('cuts every expression of the tcpdump table where the engine scanner does', () => {
    expect(FILTERS.length).toBeGreaterThan(200);
    const problems: string[] = [];
    for (const text of FILTERS) {
      let scanned;
      try {
        scanned = lexTcpdump(text);
      } catch (e) {
        if (!(e instanceof TcpdumpSyntaxError)) throw e;
        const bad = tokenize(text).find((t) => t.type === 'invalid');
        if (!bad || bad.start > e.start) problems.push(`${text}: scanner error at ${e.start}, grammar ${bad ? `invalid at ${bad.start}` : 'all valid'}`);
        continue;
      }
      const ours = tokenize(text).filter((t) => t.type !== 'white');
      problems.push(...differencesFromScanner(text, ours, scanned.filter((t) => t.kind !== 'eof'), (k) => CLASSES_OF[k as Exclude<TdKind, 'eof'>]));
      for (const t of ours) if (!(TCPDUMP_TOKEN_CLASSES as readonly string[]).includes(t.type)) problems.push(`${text}: undeclared class ${t.type}`);
    }
    expect(problems).toEqual([]);
  });

  it('tells qualifiers, primitives, named constants, numbers and addresses apart', () => {
    const t = tokenize('src host 10.0.0.1 and not tcp port http or tcp[tcpflags] & tcp-syn != 0 or ether host 00:10:db:88:d2:ef or net fe80::/10 or less 0x40 or ip proto \\tcp')
      .filter((x) => x.type !== 'white').map((x) => `${x.type}:${x.text}`);
    expect(t).toEqual([
      'keyword.qualifier:src', 'keyword.qualifier:host', 'address.ipv4:10.0.0.1', 'keyword.logical:and', 'keyword.logical:not',
      'keyword.protocol:tcp', 'keyword.qualifier:port', 'identifier:http', 'keyword.logical:or', 'keyword.protocol:tcp',
      'delimiter.bracket:[', 'constant:tcpflags', 'delimiter.bracket:]', 'operator:&', 'constant:tcp-syn', 'operator:!=', 'number:0',
      'keyword.logical:or', 'keyword.protocol:ether', 'keyword.qualifier:host', 'address.mac:00:10:db:88:d2:ef', 'keyword.logical:or',
      'keyword.qualifier:net', 'address.ipv6:fe80::/10', 'keyword.logical:or', 'keyword.primitive:less', 'number.hex:0x40',
      'keyword.logical:or', 'keyword.protocol:ip', 'keyword.qualifier:proto', 'identifier.escaped:\\tcp',
    ]);
  });
});
