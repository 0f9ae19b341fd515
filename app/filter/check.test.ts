// Semantic check: names resolve against the registry; literals are parsed as the type of the
// field they meet; errors carry tshark 4.0's wording (copied from tshark's stderr) and a span.
import { describe, expect, it } from 'vitest';
import '../dissect/protocols/index.js';
import { check, parseAbsTime, parseByteString, parseIPv4, parseIPv6, type TestIR } from './check.js';
import { FilterSyntaxError } from './lexer.js';
import { parse } from './parser.js';

const ir = (text: string): TestIR => check(parse(text), text);

function err(text: string): [string, number, number] | null {
  try {
    ir(text);
  } catch (e) {
    if (e instanceof FilterSyntaxError) return [e.message, e.start, e.end];
    throw e;
  }
  return null;
}

/** The constant on the right of a comparison. */
function rhs(text: string): unknown {
  const t = ir(text);
  if (t.k !== 'cmp' || t.r.k !== 'const') throw new Error(`not a comparison with a constant: ${text}`);
  return t.r.c;
}

describe('literal parsers', () => {
  it('IPv4', () => {
    expect(parseIPv4('10.0.0.1')).toBe(0x0a000001);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIPv4('256.0.0.1')).toBeNull();
    expect(parseIPv4('1.2.3')).toBeNull();
  });
  it('IPv6', () => {
    expect(Array.from(parseIPv6('::1')!)).toEqual([...new Array(15).fill(0), 1]);
    expect(Array.from(parseIPv6('fe80::1:2')!.subarray(0, 2))).toEqual([0xfe, 0x80]);
    expect(Array.from(parseIPv6('::ffff:1.2.3.4')!.subarray(10))).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIPv6('1::2::3')).toBeNull();
    expect(parseIPv6('12345::')).toBeNull();
  });
  it('byte strings', () => {
    expect(Array.from(parseByteString('47:45:54')!)).toEqual([0x47, 0x45, 0x54]);
    expect(Array.from(parseByteString('47-45-54')!)).toEqual([0x47, 0x45, 0x54]);
    expect(Array.from(parseByteString('474554')!)).toEqual([0x47, 0x45, 0x54]);
    expect(Array.from(parseByteString('0x0a')!)).toEqual([0x0a]);
    expect(parseByteString('47:45-54')).toBeNull();
    expect(parseByteString('xyz')).toBeNull();
  });
  it('absolute times (UTC with Z)', () => {
    expect(parseAbsTime('2011-07-04 12:34:56.5Z')).toEqual({ sec: 1309782896, nsec: 500000000 });
    expect(parseAbsTime('yesterday')).toBeNull();
  });
});

describe('check', () => {
  it('resolves fields and protocols into existence tests', () => {
    expect(ir('tcp')).toMatchObject({ k: 'exists', def: { name: 'tcp', type: 'protocol' } });
    expect(ir('tcp.flags.syn')).toMatchObject({ k: 'exists', def: { name: 'tcp.flags.syn' } });
  });

  it('parses integers in decimal, hex and octal, sized by the field', () => {
    expect(rhs('tcp.port == 80')).toEqual({ cls: 'int', v: 80 });
    expect(rhs('tcp.port == 0x50')).toEqual({ cls: 'int', v: 80 });
    expect(rhs('tcp.port == 0120')).toEqual({ cls: 'int', v: 80 });
    expect(rhs('tcp.port == -1')).toEqual({ cls: 'int', v: (1n << 64n) - 1n });
    expect(err('tcp.port == 70000')).toEqual(['"70000" too big for this field, maximum 65535.', 12, 17]);
    expect(err('ip.ttl == 256')).toEqual(['"256" too big for this field, maximum 255.', 10, 13]);
    expect(err('tcp.port == abc')).toEqual(['"abc" is not a valid number.', 12, 15]);
  });

  it('parses booleans and value names', () => {
    expect(rhs('tcp.flags.syn == 1')).toEqual({ cls: 'bool', v: true });
    expect(rhs('tcp.flags.syn == True')).toEqual({ cls: 'bool', v: true });
    expect(rhs('tcp.flags.syn == 0')).toEqual({ cls: 'bool', v: false });
    expect(err('tcp.flags.syn == maybe')).toEqual(['"maybe" cannot be found among the possible values for tcp.flags.syn.', 17, 22]);
  });

  it('parses addresses and CIDR blocks', () => {
    expect(rhs('ip.addr == 10.0.0.0/8')).toEqual({ cls: 'ipv4', v: 0x0a000000, mask: 0xff000000 });
    expect(rhs('ip.addr == 10.0.0.1')).toEqual({ cls: 'ipv4', v: 0x0a000001, mask: 0xffffffff });
    expect(rhs('ipv6.addr == fe80::/10')).toMatchObject({ cls: 'ipv6', prefix: 10 });
    expect(rhs('eth.addr == 00:11:22:33:44:55')).toEqual({ cls: 'ether', v: Uint8Array.of(0, 0x11, 0x22, 0x33, 0x44, 0x55) });
    expect(rhs('eth.addr == 0011.2233.4455')).toEqual({ cls: 'ether', v: Uint8Array.of(0, 0x11, 0x22, 0x33, 0x44, 0x55) });
    expect(err('ip.src == x')).toEqual(['"x" is not a valid hostname or IPv4 address.', 10, 11]);
    expect(err('ip.src == 1.2.3.4/40')).toEqual(['Netmask bits in a CIDR IPv4 address should be <= 32, not 40', 10, 20]);
    expect(err('eth.src == 00:11')).toEqual(['"00:11" contains too few bytes to be a valid Ethernet address.', 11, 16]);
    expect(err('eth.src == 00:11:22:33:44:55:66')?.[0]).toBe('"00:11:22:33:44:55:66" contains too many bytes to be a valid Ethernet address.');
  });

  it('parses strings and byte strings', () => {
    expect(rhs('http.host == "a\\tb"')).toEqual({ cls: 'string', v: 'a\tb' });
    expect(rhs('http.host == bro')).toEqual({ cls: 'string', v: 'bro' });
    expect(rhs('tcp.payload contains 47:45:54')).toEqual({ cls: 'bytes', v: Uint8Array.of(0x47, 0x45, 0x54) });
    expect(rhs('tcp.payload contains "GET"')).toEqual({ cls: 'bytes', v: Uint8Array.of(0x47, 0x45, 0x54) });
  });

  it('compiles matches case-insensitively unless (?-i)', () => {
    const re = (text: string) => {
      const t = ir(text);
      if (t.k !== 'matches') throw new Error('shape');
      return t.re.flags;
    };
    expect(re('http.host matches "bro"')).toContain('i');
    expect(re('http.host matches "(?i)bro"')).toContain('i');
    expect(re('http.host matches "(?-i)bro"')).not.toContain('i');
    expect(err('http.host matches bro')).toEqual(['Matches requires a double quoted string on the right side.', 18, 21]);
    expect(err('tcp.payload matches "("')?.[0]).toBe('Regex compilation error: missing closing parenthesis.');
  });

  it('types sets, slices and functions', () => {
    expect(ir('tcp.port in {80, 1..1024}')).toMatchObject({ k: 'in', cls: 'int', items: [{ lo: { c: { v: 80 } } }, { lo: { c: { v: 1 } }, hi: { c: { v: 1024 } } }] });
    expect(ir('eth.dst[0:3] == 00:e0:81')).toMatchObject({ k: 'cmp', l: { k: 'slice', ranges: [{ start: 0, length: 3 }] } });
    expect(ir('tcp.payload[-4:] == 0d:0a:0d:0a')).toMatchObject({ l: { k: 'slice', ranges: [{ start: -4, length: null }] } });
    expect(ir('eth.dst[1-2] == 00:00')).toMatchObject({ l: { k: 'slice', ranges: [{ start: 1, length: 2 }] } });
    expect(ir('len(tcp.payload) > 1')).toMatchObject({ k: 'cmp', l: { k: 'len' } });
    expect(ir('count(ip.addr) == 2')).toMatchObject({ k: 'cmp', l: { k: 'count' } });
  });

  it('rejects what tshark rejects, with its wording and span', () => {
    expect(err('tcp.flgs')).toEqual(['tcp.flgs is neither a field nor a protocol name.', 0, 8]);
    expect(err('ip.src == 1.2.3.4 && tcp.portt == 80')).toEqual(['Left side of "==" expression must be a field or function, not tcp.portt.', 21, 30]);
    expect(err('ip.src contains 1')).toEqual(['ip.src (type=IPv4 address) cannot participate in contains comparison.', 0, 6]);
    expect(err('foo(tcp)')).toEqual(["Function 'foo' does not exist", 0, 3]);
    expect(err('len(1)')).toEqual(['You cannot test whether a function is present.', 0, 3]);
    expect(err('len(tcp.port, tcp.len) == 2')).toEqual(['Function len can only accept 1 arguments.', 0, 3]);
    expect(err('count() == 2')).toEqual(['Function count needs at least 1 arguments.', 0, 5]);
    expect(err('tcp.port[0:1] == 00')).toEqual(['"tcp.port" is a Unsigned integer (2 bytes) and cannot be sliced into a sequence of bytes.', 0, 8]);
    expect(err('eth.dst[1-0] == 00')).toEqual(["Range 1-0 isn't valid because 1 is greater or equal than 0", 8, 11]);
    expect(err('"abc"')).toEqual(['"abc" is neither a field nor a protocol name.', 0, 5]);
  });
});
