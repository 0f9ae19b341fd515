// tcpdump scanner: keywords, numbers in three bases, addresses, names with dashes, `\name`.
import { describe, expect, it } from 'vitest';
import { lexTcpdump, TcpdumpSyntaxError } from './lexer.js';

const toks = (text: string) => lexTcpdump(text).map((t) => [t.kind, t.value]);

describe('lexTcpdump', () => {
  it('tells keywords, numbers, addresses and names apart', () => {
    expect(toks('tcp port 80 and host 10.1.2.3')).toEqual([
      ['kw', 'tcp'], ['kw', 'port'], ['num', '80'], ['kw', 'and'], ['kw', 'host'], ['addr', '10.1.2.3'], ['eof', ''],
    ]);
  });
  it('reads hex and octal numbers', () => {
    const t = lexTcpdump('0x1fff 017 9');
    expect(t.slice(0, 3).map((x) => x.num)).toEqual([0x1fff, 0o17, 9]);
  });
  it('keeps `6:2` inside brackets apart but IPv6 and MAC addresses whole', () => {
    expect(toks('ip[6:2]')).toEqual([['kw', 'ip'], ['op', '['], ['num', '6'], ['op', ':'], ['num', '2'], ['op', ']'], ['eof', '']]);
    expect(toks('host fe80::1')[1]).toEqual(['addr', 'fe80::1']);
    expect(toks('host ::1')[1]).toEqual(['addr', '::1']);
    expect(toks('ether host 00:10:db:88:d2:ef')[2]).toEqual(['addr', '00:10:db:88:d2:ef']);
    expect(toks('net 10.0.0.0/8')[1]).toEqual(['addr', '10.0.0.0/8']);
  });
  it('reads dashed names (named constants, port ranges) and backslash escapes', () => {
    expect(toks('tcp-syn|tcp-ack')).toEqual([['id', 'tcp-syn'], ['op', '|'], ['id', 'tcp-ack'], ['eof', '']]);
    expect(toks('portrange 1-1024')[1]).toEqual(['id', '1-1024']);
    expect(toks('ip proto \\tcp')[2]).toEqual(['id', 'tcp']);
  });
  it('reads two-character operators first', () => {
    expect(toks('a >= 1 && b != 2 || c << 3')
      .filter(([k]) => k === 'op').map(([, v]) => v)).toEqual(['>=', '&&', '!=', '||', '<<']);
  });
  it('gives spans in characters', () => {
    const t = lexTcpdump('  host  1.2.3.4');
    expect([t[0]!.start, t[0]!.end, t[1]!.start, t[1]!.end]).toEqual([2, 6, 8, 15]);
  });
  it('rejects a character it does not know with the position', () => {
    try {
      lexTcpdump('tcp # 1');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TcpdumpSyntaxError);
      expect([(e as TcpdumpSyntaxError).message, (e as TcpdumpSyntaxError).start]).toEqual(['syntax error', 4]);
    }
  });
});
