// The display-filter grammar against the engine's scanner, on every filter of the engine's
// tshark tables: each scanner token is exactly one Monarch token of a matching class, and words
// the registry knows are coloured as fields / protocols. (Tests may read the engine; the
// grammar itself may not, hence this comparison.)
import { describe, expect, it } from 'vitest';
import '../../app/dissect/driver.js';
import { allFields, fieldByName } from '../../app/dissect/field.js';
import { FilterSyntaxError, lex, type Token, type TokenKind } from '../../app/filter/lexer.js';
import { DISPLAY_LANGUAGE_ID, DISPLAY_TOKEN_CLASSES, displayFilterMonarch } from './display-language.js';
import { engineDisplayFilters } from './engine-filter-tables.js';
import { differencesFromScanner, monarchTokenizer, type MonarchToken } from './monarch-in-node.js';

const PROTOCOLS = allFields().filter((f) => f.type === 'protocol').map((f) => f.name);
const tokenize = monarchTokenizer(DISPLAY_LANGUAGE_ID, displayFilterMonarch(PROTOCOLS));

/** Which grammar classes may stand for each scanner token kind. */
const CLASSES_OF: Record<Exclude<TokenKind, 'eof'>, readonly string[]> = {
  lparen: ['delimiter.parenthesis'], rparen: ['delimiter.parenthesis'],
  lbrace: ['delimiter.curly'], rbrace: ['delimiter.curly'],
  lbracket: ['delimiter.bracket'], rbracket: ['delimiter.bracket'],
  comma: ['delimiter'], dotdot: ['operator.range'],
  cmp: ['operator.comparison', 'keyword.comparison'],
  and: ['operator.logical', 'keyword.logical'], or: ['operator.logical', 'keyword.logical'],
  not: ['operator.logical', 'keyword.logical'], in: ['keyword.logical'],
  arith: ['operator.arith', 'keyword.arith'],
  string: ['string'], char: ['string.char'],
  // (the quantifiers `any` and `all` are words to the scanner, keywords to the eye)
  word: ['field', 'protocol', 'function', 'constant', 'number', 'number.hex', 'number.float', 'address.ipv4', 'address.ipv6', 'bytes', 'keyword.logical'],
  range: ['number.slice'], layer: ['number.slice'],
};

const FILTERS = engineDisplayFilters();

/** Words the registry knows must be coloured as what they are. */
function registryCheck(s: Token, m: MonarchToken): string | undefined {
  if (s.kind !== 'word' || m.type === 'function') return undefined;
  const f = fieldByName(s.value.replace(/^\./, ''));
  if (f && f.type === 'protocol' && m.type !== 'protocol') return `protocol ${s.value} coloured ${m.type}`;
  if (f && f.type !== 'protocol' && m.type !== 'field') return `field ${s.value} coloured ${m.type}`;
  return undefined;
}

describe('display-filter grammar', () => {
  it('reads the engine tables (500+ filters)', () => {
    expect(FILTERS.length).toBeGreaterThan(500);
  });

  it('emits only the classes it declares', () => {
    const seen = new Set(FILTERS.flatMap((f) => tokenize(f).map((t) => t.type)));
    for (const c of seen) expect(DISPLAY_TOKEN_CLASSES).toContain(c);
  });

  it('cuts every filter where the engine scanner cuts it, with a class of the same kind', () => {
    const problems: string[] = [];
    let compared = 0;
    for (const text of FILTERS) {
      let scanned;
      try {
        scanned = lex(text);
      } catch (e) {
        if (!(e instanceof FilterSyntaxError)) throw e;
        continue; // compared in the next test
      }
      compared++;
      const ours = tokenize(text).filter((t) => t.type !== 'white');
      const theirs = scanned.filter((t) => t.kind !== 'eof' && t.end > t.start);
      problems.push(...differencesFromScanner(text, ours, theirs, (k) => CLASSES_OF[k as Exclude<TokenKind, 'eof'>], registryCheck));
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  });

  it('marks what the scanner rejects as invalid at or before the error', () => {
    const problems: string[] = [];
    let rejected = 0;
    for (const text of FILTERS) {
      try {
        lex(text);
        continue;
      } catch (e) {
        if (!(e instanceof FilterSyntaxError)) throw e;
        rejected++;
        const bad = tokenize(text).find((t) => t.type.includes('invalid'));
        if (!bad || bad.start > e.start) problems.push(`${text}: scanner error "${e.message}" at ${e.start}, grammar ${bad ? `invalid at ${bad.start}` : 'all valid'}`);
      }
    }
    expect(problems).toEqual([]);
    expect(rejected).toBeGreaterThan(5);
  });

  it('colours an example the way a reader expects', () => {
    const t = tokenize('ip.src == 10.0.0.0/8 && tcp.port in {80, 443} && !(http.host contains "bro") && len(tcp.payload) > -1')
      .filter((x) => x.type !== 'white').map((x) => `${x.type}:${x.text}`);
    expect(t).toEqual([
      'field:ip.src', 'operator.comparison:==', 'address.ipv4:10.0.0.0/8', 'operator.logical:&&',
      'field:tcp.port', 'keyword.logical:in', 'delimiter.curly:{', 'number:80', 'delimiter:,', 'number:443', 'delimiter.curly:}',
      'operator.logical:&&', 'operator.logical:!', 'delimiter.parenthesis:(', 'field:http.host', 'keyword.comparison:contains',
      'string:"bro"', 'delimiter.parenthesis:)', 'operator.logical:&&', 'function:len', 'delimiter.parenthesis:(',
      'field:tcp.payload', 'delimiter.parenthesis:)', 'operator.comparison:>', 'number:-1',
    ]);
  });
});
