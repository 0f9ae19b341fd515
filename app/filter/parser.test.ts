// Display-filter grammar: precedence (not > and > or), grouping, sets, slices, calls, spans.
import { describe, expect, it } from 'vitest';
import { FilterSyntaxError } from './lexer.js';
import { MSG_UNEXPECTED_END, parse, type Ast } from './parser.js';

/** A compact S-expression of the AST, to assert shapes. */
function show(a: Ast): string {
  switch (a.kind) {
    case 'word': case 'string': case 'char': return a.text;
    case 'field': return `.${a.text}`;
    case 'and': case 'or': return `(${a.kind} ${show(a.left)} ${show(a.right)})`;
    case 'not': return `(not ${show(a.operand)})`;
    case 'group': return show(a.expr);
    case 'cmp': return `(${a.op} ${show(a.left)} ${show(a.right)})`;
    case 'arith': return `(${a.op} ${show(a.left)} ${show(a.right)})`;
    case 'neg': return `(- ${show(a.operand)})`;
    case 'slice': return `${show(a.of)}[${a.ranges.map((r) => r.text).join(',')}]`;
    case 'call': return `${a.name}(${a.args.map(show).join(',')})`;
    case 'in': return `(${a.negated ? 'not-in' : 'in'} ${show(a.left)} {${a.items.map((i) => (i.hi ? `${show(i.lo)}..${show(i.hi)}` : show(i.lo))).join(' ')}})`;
  }
}

const p = (text: string) => show(parse(text));

function err(text: string): [string, number, number] | null {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof FilterSyntaxError) return [e.message, e.start, e.end];
    throw e;
  }
  return null;
}

describe('parse', () => {
  it('binds not tighter than and, and tighter than or', () => {
    expect(p('a || b && c')).toBe('(or a (and b c))');
    expect(p('a && b || c')).toBe('(or (and a b) c)');
    expect(p('!a && b')).toBe('(and (not a) b)');
    expect(p('not a == 1 or b')).toBe('(or (not (any_eq a 1)) b)');
    expect(p('a and b and c')).toBe('(and (and a b) c)');
  });

  it('groups with parentheses', () => {
    expect(p('a && (b || c)')).toBe('(and a (or b c))');
    expect(p('!(a || b)')).toBe('(not (or a b))');
    expect(p('((tcp))')).toBe('tcp');
  });

  it('parses comparisons, bitwise and arithmetic below them', () => {
    expect(p('tcp.flags & 0x12 == 0x12')).toBe('(any_eq (& tcp.flags 0x12) 0x12)');
    expect(p('tcp.len + 40 == ip.len - 20')).toBe('(any_eq (+ tcp.len 40) (- ip.len 20))');
    expect(p('a * 2 + 1 > b')).toBe('(gt (+ (* a 2) 1) b)');
    expect(p('a ~= 1')).toBe('(any_ne a 1)');
  });

  it('parses sets, ranges and not in', () => {
    expect(p('tcp.port in {80, 443, 8000..8100}')).toBe('(in tcp.port {80 443 8000..8100})');
    expect(p('tcp.port not in {1..1024}')).toBe('(not-in tcp.port {1..1024})');
  });

  it('parses slices and function calls', () => {
    expect(p('eth.dst[0:3] == 00:e0:81')).toBe('(any_eq eth.dst[0:3] 00:e0:81)');
    expect(p('tcp.payload[-4:] == 0d:0a:0d:0a')).toBe('(any_eq tcp.payload[-4:] 0d:0a:0d:0a)');
    expect(p('frame[0:2,4:2]')).toBe('frame[0:2,4:2]');
    expect(p('len(tcp.payload) > 100')).toBe('(gt len(tcp.payload) 100)');
    expect(p('lower(http.host) contains "bro"')).toBe('(contains lower(http.host) "bro")');
  });

  it('reads `.name` as an explicit field reference', () => {
    expect(p('.tcp.port == 80')).toBe('(any_eq .tcp.port 80)');
    expect(parse('.tcp')).toMatchObject({ kind: 'field', text: 'tcp', start: 0, end: 4 });
  });

  it('records spans', () => {
    const a = parse('tcp && ip.src == 1.2.3.4');
    expect([a.start, a.end]).toEqual([0, 24]);
    if (a.kind !== 'and') throw new Error('shape');
    expect([a.right.start, a.right.end]).toEqual([7, 24]);
    const c = parse('  len(tcp)  ');
    expect(c).toMatchObject({ kind: 'call', start: 2, end: 10, nameSpan: { start: 2, end: 5 } });
  });

  it('reports tshark’s syntax errors with spans', () => {
    expect(err('')).toEqual([MSG_UNEXPECTED_END, 0, 0]);
    expect(err('(tcp')?.[0]).toBe(MSG_UNEXPECTED_END);
    expect(err('tcp ==')?.[0]).toBe(MSG_UNEXPECTED_END);
    expect(err('tcp)')).toEqual(['")" was unexpected in this context.', 3, 4]);
    expect(err('&& tcp')).toEqual(['"&&" was unexpected in this context.', 0, 2]);
    expect(err('frame.number in {1 3 5}')).toEqual(['"3" was unexpected in this context.', 19, 20]);
    expect(err('ip.src == 1.2.3.4 ip.dst == 1.2.3.4')).toEqual(['"ip.dst" was unexpected in this context.', 18, 24]);
  });
});
