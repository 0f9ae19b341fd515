// Display-filter scanner: token kinds, canonical operator names and [start, end) spans.
import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, lex, MSG_MISSING_RBRACKET, MSG_UNTERMINATED_STRING } from './lexer.js';

const kinds = (text: string) => lex(text).map((t) => [t.kind, t.value]);

describe('lex', () => {
  it('splits a comparison into word, operator, word with spans', () => {
    const toks = lex('tcp.port == 80');
    expect(toks.map((t) => [t.kind, t.value, t.start, t.end])).toEqual([
      ['word', 'tcp.port', 0, 8], ['cmp', 'any_eq', 9, 11], ['word', '80', 12, 14], ['eof', '', 14, 14],
    ]);
  });

  it('maps symbol and word operators to one canonical name', () => {
    expect(kinds('a == b eq c != d ne e === f !== g ~= h')).toEqual([
      ['word', 'a'], ['cmp', 'any_eq'], ['word', 'b'], ['cmp', 'any_eq'], ['word', 'c'], ['cmp', 'all_ne'], ['word', 'd'],
      ['cmp', 'all_ne'], ['word', 'e'], ['cmp', 'all_eq'], ['word', 'f'], ['cmp', 'any_ne'], ['word', 'g'], ['cmp', 'any_ne'],
      ['word', 'h'], ['eof', ''],
    ]);
    expect(kinds('a > b gt c >= d ge e < f lt g <= h le i').filter(([k]) => k === 'cmp').map(([, v]) => v))
      .toEqual(['gt', 'gt', 'ge', 'ge', 'lt', 'lt', 'le', 'le']);
    expect(kinds('a contains b matches c ~ d').filter(([k]) => k === 'cmp').map(([, v]) => v)).toEqual(['contains', 'matches', 'matches']);
    expect(kinds('!a && b || not c and d or e').map(([k]) => k)).toEqual(['not', 'word', 'and', 'word', 'or', 'not', 'word', 'and', 'word', 'or', 'word', 'eof']);
  });

  it('keeps addresses, byte strings and CIDR blocks as one word', () => {
    expect(kinds('ip.addr == 10.0.0.0/8')).toEqual([['word', 'ip.addr'], ['cmp', 'any_eq'], ['word', '10.0.0.0/8'], ['eof', '']]);
    expect(kinds('eth.src == 00:11:22:33:44:55')[2]).toEqual(['word', '00:11:22:33:44:55']);
    expect(kinds('ipv6.addr == fe80::1/64')[2]).toEqual(['word', 'fe80::1/64']);
    expect(kinds('tcp.payload contains 47:45:54')[2]).toEqual(['word', '47:45:54']);
  });

  it('scans sets with ranges: `..` ends a word', () => {
    expect(kinds('tcp.port in {80, 1..1024}')).toEqual([
      ['word', 'tcp.port'], ['in', 'in'], ['lbrace', '{'], ['word', '80'], ['comma', ','], ['word', '1'], ['dotdot', '..'],
      ['word', '1024'], ['rbrace', '}'], ['eof', ''],
    ]);
  });

  it('scans the inside of brackets as raw ranges with spans', () => {
    const toks = lex('frame[0:4, -2:]');
    expect(toks.map((t) => [t.kind, t.value, t.start, t.end])).toEqual([
      ['word', 'frame', 0, 5], ['lbracket', '[', 5, 6], ['range', '0:4', 6, 9], ['comma', ',', 9, 10],
      ['range', '-2:', 11, 14], ['rbracket', ']', 14, 15], ['eof', '', 15, 15],
    ]);
  });

  it('decodes string escapes into bytes', () => {
    const [t] = lex('"a\\n\\x41\\101\\"\\\\é"');
    expect(t!.kind).toBe('string');
    expect(Array.from(t!.bytes!)).toEqual([0x61, 0x0a, 0x41, 0x41, 0x22, 0x5c, 0xc3, 0xa9]);
    expect([t!.start, t!.end]).toEqual([0, 18]);
  });

  it('reads character constants', () => {
    expect(lex("'A'")[0]).toMatchObject({ kind: 'char', num: 65 });
    expect(lex("'\\n'")[0]).toMatchObject({ kind: 'char', num: 10 });
    expect(lex("'\\x41'")[0]).toMatchObject({ kind: 'char', num: 0x41 });
  });

  it('tells a minus sign from subtraction', () => {
    expect(kinds('tcp.port == -1')[2]).toEqual(['word', '-1']);
    expect(kinds('tcp.len-1').map(([k]) => k)).toEqual(['word', 'eof']); // `-` is a word character after a value
    expect(kinds('tcp.len - 1').map(([k, v]) => `${k}:${v}`)).toEqual(['word:tcp.len', 'arith:-', 'word:1', 'eof:']);
  });

  it('fails with tshark’s messages and a span just past the end', () => {
    const err = (text: string) => {
      try {
        lex(text);
      } catch (e) {
        if (e instanceof FilterSyntaxError) return [e.message, e.start, e.end];
        throw e;
      }
      return null;
    };
    expect(err('http.host == "abc')).toEqual([MSG_UNTERMINATED_STRING, 17, 18]);
    expect(err('frame[0:2')).toEqual([MSG_MISSING_RBRACKET, 9, 10]);
    expect(err('tcp.port = 80')).toEqual(['"=" was unexpected in this context.', 9, 10]);
    expect(err('"\\q"')).toEqual(['\\q is not a valid character escape sequence', 1, 3]);
  });
});
