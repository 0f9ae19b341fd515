// Code generation over a hand-made FieldSource: occurrence semantics (tshark 4.0 dfvm.c:
// `==` any, `!=` all-not-equal, `===` all, `!==` any-not-equal, absent field = false), sets,
// slices, bitwise and, len/count, and the set of fields a filter asks the dissector for.
import { describe, expect, it } from 'vitest';
import '../dissect/protocols/index.js';
import { fieldByName } from '../dissect/field.js';
import type { FieldValue } from '../dissect/tree.js';
import { compileDisplayFilter, type FieldSource } from './compile.js';

type Packet = Record<string, FieldValue[]>;

/** A packet as field name -> occurrences; `ranges` are the bytes of bytes-typed values. */
function source(pkt: Packet, ranges: Record<string, Uint8Array[]> = {}): FieldSource {
  const byId = new Map<number, FieldValue[]>();
  const rangeById = new Map<number, Uint8Array[]>();
  for (const [name, vals] of Object.entries(pkt)) byId.set(fieldByName(name)!.id, vals);
  for (const [name, r] of Object.entries(ranges)) rangeById.set(fieldByName(name)!.id, r);
  return { values: (id) => byId.get(id) ?? [], ranges: (id) => rangeById.get(id) ?? [] };
}

function run(text: string, pkt: Packet, ranges?: Record<string, Uint8Array[]>): boolean {
  const c = compileDisplayFilter(text);
  if (!c.ok) throw new Error(`${text}: ${c.error.message}`);
  return c.filter.test(source(pkt, ranges));
}

const ip = (s: string) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const both = { 'ip.addr': [ip('10.0.0.1'), ip('10.0.0.2')], 'ip.src': [ip('10.0.0.1')], 'ip.dst': [ip('10.0.0.2')] };

describe('compileDisplayFilter', () => {
  it('returns an error with message and span instead of throwing', () => {
    expect(compileDisplayFilter('tcp.flgs')).toEqual({ ok: false, error: { message: 'tcp.flgs is neither a field nor a protocol name.', start: 0, end: 8 } });
  });

  it('lists the fields the filter reads', () => {
    const c = compileDisplayFilter('tcp.port == 80 && ip.addr == 10.0.0.1 || http');
    if (!c.ok) throw new Error('compile');
    expect(new Set([...c.filter.fields].map((id) => id))).toEqual(new Set(['tcp.port', 'ip.addr', 'http'].map((n) => fieldByName(n)!.id)));
  });

  it('== is any occurrence, != all occurrences differ (tshark 4.0)', () => {
    expect(run('ip.addr == 10.0.0.2', both)).toBe(true);
    expect(run('ip.addr != 10.0.0.2', both)).toBe(false);
    expect(run('ip.addr != 10.0.0.3', both)).toBe(true);
    expect(run('ip.addr === 10.0.0.2', both)).toBe(false);
    expect(run('ip.addr !== 10.0.0.2', both)).toBe(true);
    expect(run('ip.addr ~= 10.0.0.2', both)).toBe(true);
    expect(run('ip.addr === 10.0.0.1', { 'ip.addr': [ip('10.0.0.1'), ip('10.0.0.1')] })).toBe(true);
  });

  it('a test on an absent field is false, whatever the operator', () => {
    for (const f of ['tcp.port == 80', 'tcp.port != 80', 'tcp.port === 80', 'tcp.port !== 80', 'tcp.port > 1', 'tcp.port in {80}']) {
      expect(run(f, {}), f).toBe(false);
    }
    expect(run('!(tcp.port == 80)', {})).toBe(true);
  });

  it('matches CIDR blocks and IPv6 prefixes', () => {
    expect(run('ip.addr == 10.0.0.0/8', both)).toBe(true);
    expect(run('ip.src == 10.0.0.2/32', both)).toBe(false);
    expect(run('ip.dst in {192.168.0.0/16, 10.0.0.0/30}', both)).toBe(true);
    const v6 = { 'ipv6.addr': [Uint8Array.of(0xfe, 0x80, ...new Array(13).fill(0), 1)] };
    expect(run('ipv6.addr == fe80::/10', v6)).toBe(true);
    expect(run('ipv6.addr == fe80::/10', { 'ipv6.addr': [Uint8Array.of(0xfe, 0xc0, ...new Array(14).fill(0))] })).toBe(false);
  });

  it('compares integers, sets and ranges, bitwise and', () => {
    const p = { 'tcp.port': [51234, 80], 'tcp.flags': [0x012], 'tcp.len': [0] };
    expect(run('tcp.port > 50000', p)).toBe(true);
    expect(run('tcp.port in {1..1024}', p)).toBe(true);
    expect(run('tcp.port in {443, 8080}', p)).toBe(false);
    expect(run('tcp.port not in {443, 8080}', p)).toBe(true);
    expect(run('tcp.flags & 0x02', p)).toBe(true);
    expect(run('tcp.flags & 0x01', p)).toBe(false);
    expect(run('tcp.flags & 0x12 == 0x12', p)).toBe(true);
    expect(run('tcp.len + 1 == 1', p)).toBe(true);
    expect(run('tcp.port == -1', p)).toBe(false);
    expect(run('tcp.port > -1', p)).toBe(false);
  });

  it('booleans compare as true/false', () => {
    expect(run('tcp.flags.syn == 1', { 'tcp.flags.syn': [true] })).toBe(true);
    expect(run('tcp.flags.syn == 0', { 'tcp.flags.syn': [true] })).toBe(false);
    expect(run('tcp.flags.syn', { 'tcp.flags.syn': [false] })).toBe(true); // existence, not truth
  });

  it('strings: equality, contains, caseless matches, lower/upper, len', () => {
    const p = { 'http.host': ['www.Bro.org'] };
    expect(run('http.host == "www.Bro.org"', p)).toBe(true);
    expect(run('http.host == "www.bro.org"', p)).toBe(false);
    expect(run('http.host contains "Bro"', p)).toBe(true);
    expect(run('http.host matches "bro\\\\.ORG$"', p)).toBe(true);
    expect(run('http.host matches "(?-i)bro"', p)).toBe(false);
    expect(run('lower(http.host) == "www.bro.org"', p)).toBe(true);
    expect(run('upper(http.host) contains "BRO"', p)).toBe(true);
    expect(run('len(http.host) == 11', p)).toBe(true);
  });

  it('bytes: contains, slices from either end, out-of-range slices are empty', () => {
    const payload = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
    const p = { 'tcp.payload': [payload] };
    expect(run('tcp.payload contains 47:45:54', p)).toBe(true);
    expect(run('tcp.payload contains "HTTP"', p)).toBe(true);
    expect(run('tcp.payload[0:3] == "GET"', p)).toBe(true);
    expect(run('tcp.payload[-4:] == 0d:0a:0d:0a', p)).toBe(true);
    expect(run('tcp.payload[0] == 0x47', p)).toBe(true);
    expect(run('tcp.payload[100:2] == 00:00', p)).toBe(false);
    expect(run('tcp.payload[100:2] != 00:00', p)).toBe(true); // an empty slice, as tshark 4.0
    expect(run('tcp.payload[100:2] == ""', p)).toBe(true);
    expect(run('len(tcp.payload) == 18', p)).toBe(true);
  });

  it('protocols compare as the bytes they cover', () => {
    const frame = Uint8Array.of(0, 0xe0, 0x81, 0xb8, 0x4b, 0xd8, 1, 2, 3, 4, 5, 6, 8, 0);
    const p = { frame: [null] };
    expect(run('frame[0:3] == 00:e0:81', p, { frame: [frame] })).toBe(true);
    expect(run('frame[12:2] == 08:00', p, { frame: [frame] })).toBe(true);
    expect(run('frame contains b8:4b', p, { frame: [frame] })).toBe(true);
    expect(run('eth.dst[0] & 1', { 'eth.dst': [frame.subarray(0, 6)] })).toBe(false);
    expect(run('eth.dst[0] & 1', { 'eth.dst': [Uint8Array.of(1, 0, 0x5e, 0, 0, 1)] })).toBe(true);
  });

  it('count() counts occurrences', () => {
    expect(run('count(ip.addr) == 2', both)).toBe(true);
    expect(run('count(tcp.port) == 0', {})).toBe(false); // absent: no value (tshark 4.0)
  });
});
