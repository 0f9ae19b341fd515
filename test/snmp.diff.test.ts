// SNMP as tshark 4.0 shows it without MIBs and without keys: v1 and v2c messages (community,
// every PDU, error-status names, every value type a VarBind can hold, the v1 Trap-PDU), v3
// messages (msgGlobalData and its flags, USM parameters with the engine ID decoded, the
// ScopedPDU or the encryptedPDU), request/response matching, the Info column, and BER that
// cannot be read. On the corpus captures with SNMP and on a capture written here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { bothWays } from './helpers/revisit.js';
import { pcapFile, udpFrame, type BuiltRecord } from './helpers/pcap-build.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const SNMP: TextProtocolCheck = {
  titles: ['Simple Network Management Protocol'],
  fields: [
    'snmp.version', 'snmp.community', 'snmp.data', 'snmp.request_id', 'snmp.error_status', 'snmp.error_index', 'snmp.variable_bindings',
    'snmp.name', 'snmp.value.int', 'snmp.value.octets', 'snmp.value.oid', 'snmp.value.ipv4', 'snmp.value.counter', 'snmp.value.g32',
    'snmp.value.timeticks', 'snmp.value.opaque', 'snmp.non_repeaters', 'snmp.max_repetitions',
    'snmp.enterprise', 'snmp.agent_addr', 'snmp.generic_trap', 'snmp.specific_trap', 'snmp.time_stamp', 'snmp.msgVersion', 'snmp.msgID',
    'snmp.msgMaxSize', 'snmp.msgFlags', 'snmp.v3.flags.report', 'snmp.msgSecurityModel', 'snmp.msgAuthoritativeEngineID',
    'snmp.msgAuthoritativeEngineBoots', 'snmp.msgUserName', 'snmp.msgAuthenticationParameters', 'snmp.engineid.enterprise',
    'snmp.engineid.format', 'snmp.engineid.ipv4', 'snmp.engineid.mac', 'snmp.engineid.text', 'snmp.engineid.data', 'snmp.contextName',
    'snmp.encryptedPDU', 'snmp.response_to', 'snmp.time', 'snmp.var-bind_str',
    // SNMP opens a conversation of its own: the response starts a new UDP stream (packet-snmp.c).
    'udp.stream', 'udp.time_relative', 'udp.time_delta',
  ],
  filters: [
    'snmp', 'snmp.community == "public"', 'snmp.name == 1.3.6.1.2.1.1.1.0', 'snmp.error_status != 0', 'snmp.data == 2', 'snmp.version == 1',
    'snmp.msgFlags', 'snmp.value.counter > 100', 'snmp.generic_trap == 3', 'snmp.response_to', 'snmp.noSuchObject', 'snmp.value.null',
  ],
};

// ---- A small BER writer for the messages below ----

type Ber = Uint8Array;
const len = (n: number): number[] => (n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 255]);
const tlv = (tag: number, ...parts: Ber[]): Ber => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag, ...len(body.length)]), body]);
};
const intBytes = (v: number | bigint): number[] => {
  let x = BigInt(v);
  const out: number[] = [];
  do {
    out.unshift(Number(x & 0xffn));
    x >>= 8n;
  } while (x !== 0n && x !== -1n);
  if (v >= 0 && out[0]! & 0x80) out.unshift(0);
  if (v < 0 && !(out[0]! & 0x80)) out.unshift(0xff);
  return out;
};
const int = (v: number | bigint, tag = 0x02): Ber => tlv(tag, Buffer.from(intBytes(v)));
const octets = (s: string | number[], tag = 0x04): Ber => tlv(tag, typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from(s));
const oid = (dotted: string): Ber => {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  for (const a of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const b = [a & 0x7f];
    for (let x = Math.floor(a / 128); x > 0; x = Math.floor(x / 128)) b.unshift((x & 0x7f) | 0x80);
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
};
const NULL = Buffer.from([0x05, 0x00]);
const seq = (...parts: Ber[]): Ber => tlv(0x30, ...parts);
const varbinds = (...vbs: Array<[string, Ber]>): Ber => seq(...vbs.map(([o, v]) => seq(oid(o), v)));
const pdu = (tag: number, id: number, a: number, b: number, vbs: Ber): Ber => tlv(0xa0 | tag, int(id), int(a), int(b), vbs);
const community = (version: number, comm: string, body: Ber): Ber => seq(int(version), octets(comm), body);

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const ENGINE_NET_SNMP = [0x80, 0x00, 0x1f, 0x88, 0x80, 0x11, 0x22, 0x33, 0x44, 0x10, 0x20, 0x30, 0x40];
const v3 = (flags: number, engine: number[], user: string, auth: number[], data: Ber, model = 3): Ber => seq(
  int(3), seq(int(0x1234), int(65507), octets([flags]), int(model)),
  octets([...seq(octets(engine), int(7), int(12345), octets(user), octets(auth), octets([]))]), data,
);
const scoped = (engine: number[], context: string, body: Ber): Ber => seq(octets(engine), octets(context), body);

const MANAGER = [10, 1, 1, 1], AGENT = [10, 1, 1, 2];
/** Messages: [to the agent (161) or from it, payload, or a trap to 162]. */
const MESSAGES: Array<[dir: 'req' | 'resp' | 'trap', payload: Ber]> = [
  ['req', community(1, 'public', pdu(0, 1, 0, 0, varbinds([SYS_DESCR, NULL], ['1.3.6.1.2.1.1.3.0', NULL])))],
  ['resp', community(1, 'public', pdu(2, 1, 0, 0, varbinds(
    [SYS_DESCR, octets('Linux router 5.10 #1 SMP x86_64')], ['1.3.6.1.2.1.1.3.0', int(123456, 0x43)],
  )))],
  ['req', community(1, 'public', tlv(0xa5, int(2), int(1), int(10), varbinds(['1.3.6.1.2.1.1', NULL], ['1.3.6.1.2.1.2.2.1.10', NULL])))],
  ['resp', community(1, 'public', pdu(2, 2, 0, 0, varbinds(
    ['1.3.6.1.2.1.1.2.0', oid('1.3.6.1.4.1.8072.3.2.10')], ['1.3.6.1.2.1.2.2.1.10.1', int(4000000000, 0x41)],
    ['1.3.6.1.2.1.2.2.1.10.2', int(-5)], ['1.3.6.1.2.1.2.2.1.5.1', int(4294967295, 0x42)], ['1.3.6.1.2.1.31.1.1.1.6.1', int(2n ** 63n + 5n, 0x46)],
    ['1.3.6.1.2.1.4.20.1.1.10.1.1.2', octets([10, 1, 1, 2], 0x40)], ['1.3.6.1.2.1.2.2.1.6.1', octets([0, 0x1b, 0x21, 0x3c, 0x4d, 0x5e])],
    ['1.3.6.1.4.1.2021.10.1.6.1', octets([0x9f, 0x78, 0x04, 0x3e, 0x4c, 0xcc, 0xcd], 0x44)], ['1.3.6.1.2.1.1.5.0', octets('')],
    ['1.3.6.1.2.1.99.1', Buffer.from([0x80, 0x00])], ['1.3.6.1.2.1.99.2', Buffer.from([0x81, 0x00])], ['1.3.6.1.2.1.99.3', Buffer.from([0x82, 0x00])],
    ['1.3.6.1.2.1.99.4', int(7, 0x47)], ['1.3.6.1.2.1.1.5.0', octets('agent-7')], ['1.3.6.1.2.1.99.5', octets([1, 2], 0x49)],
  )))],
  ['req', community(1, 'private', pdu(3, 3, 0, 0, varbinds(['1.3.6.1.2.1.1.6.0', octets('Rack 4, row B')], ['1.3.6.1.2.1.1.4.0', int(2)])))],
  ['resp', community(1, 'private', pdu(2, 3, 17, 1, varbinds(['1.3.6.1.2.1.1.6.0', octets('Rack 4, row B')], ['1.3.6.1.2.1.1.4.0', int(2)])))],
  ['req', community(1, 'public', pdu(1, 4, 0, 0, varbinds(['1.3.6.1.2.1.1.9.1.2', NULL])))],
  ['resp', community(1, 'public', pdu(2, 4, 2, 1, varbinds(['1.3.6.1.2.1.1.9.1.2', NULL])))],
  ['trap', community(0, 'public', tlv(0xa4, oid('1.3.6.1.4.1.8072.3.2.10'), octets([10, 1, 1, 2], 0x40), int(3), int(0), int(98765, 0x43),
    varbinds(['1.3.6.1.2.1.2.2.1.1.2', int(2)], ['1.3.6.1.2.1.2.2.1.7.2', int(1)])))],
  ['trap', community(0, 'public', tlv(0xa4, oid('1.3.6.1.4.1.9.9.41.2'), octets([10, 1, 1, 2], 0x40), int(6), int(1), int(0, 0x43), varbinds()))],
  ['trap', community(1, 'public', pdu(7, 77, 0, 0, varbinds(['1.3.6.1.2.1.1.3.0', int(4242, 0x43)], ['1.3.6.1.6.3.1.1.4.1.0', oid('1.3.6.1.6.3.1.1.5.4')])))],
  ['trap', community(1, 'public', pdu(6, 78, 0, 0, varbinds(['1.3.6.1.2.1.1.3.0', int(4243, 0x43)])))],
  ['req', community(1, 'public', pdu(2, 78, 0, 0, varbinds(['1.3.6.1.2.1.1.3.0', int(4243, 0x43)])))],
  // SNMPv3: discovery (no engine ID), the report with engine ID formats, an authenticated request, an encrypted one.
  ['req', v3(4, [], '', [], scoped([], '', pdu(0, 9, 0, 0, varbinds())))],
  ['resp', v3(0, ENGINE_NET_SNMP, '', [], scoped(ENGINE_NET_SNMP, '', pdu(8, 9, 0, 0, varbinds(['1.3.6.1.6.3.15.1.1.4.0', int(1, 0x41)]))))],
  ['req', v3(5, [0x80, 0, 0, 9, 3, 0, 0x1b, 0x21, 0x3c, 0x4d, 0x5e], 'admin', Array(12).fill(0xab),
    scoped([0x80, 0, 0, 9, 1, 10, 1, 1, 2], 'ctx', pdu(0, 10, 0, 0, varbinds([SYS_DESCR, NULL]))))],
  ['resp', v3(1, [0x80, 0, 0x0a, 0x4c, 4, ...Buffer.from('router-7')], 'admin', Array(12).fill(0xcd),
    scoped([0x00, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8], '', pdu(2, 10, 0, 0, varbinds([SYS_DESCR, octets('x'.repeat(150))]))))],
  ['req', v3(7, ENGINE_NET_SNMP, 'secret', Array(12).fill(1), octets([0x5a, 0x31, 0x07, 0x99, 0x00, 0x42, 0x13, 0x37]))],
  // Broken BER: a VarBind whose value runs past its sequence, an INTEGER of 5 octets, trailing bytes, an unknown version.
  ['req', community(1, 'public', pdu(0, 11, 0, 0, varbinds([SYS_DESCR, NULL])))],
  ['resp', community(1, 'public', pdu(2, 11, 0, 0, seq(seq(oid(SYS_DESCR), Buffer.from([0x04, 0x09, 0x41, 0x42]))))) ],
  ['resp', community(1, 'public', pdu(2, 12, 0, 0, varbinds([SYS_DESCR, tlv(0x02, Buffer.from([0x41, 0x42, 0x43, 0x44, 0x45]))])))],
  ['req', Buffer.concat([community(1, 'public', pdu(0, 13, 0, 0, varbinds([SYS_DESCR, NULL]))), Buffer.from([0xde, 0xad])])],
  ['req', community(5, 'public', pdu(0, 14, 0, 0, varbinds([SYS_DESCR, NULL])))],
];

function writtenCapture(): Buffer {
  const records: BuiltRecord[] = MESSAGES.map(([dir, payload], i) => ({
    sec: 1_700_000_000 + i, frac: 1000 * i,
    data: dir === 'resp' ? udpFrame(AGENT, 161, MANAGER, 40001, payload) : dir === 'req' ? udpFrame(MANAGER, 40001, AGENT, 161, payload) : udpFrame(AGENT, 40002, MANAGER, 162, payload),
  }));
  return pcapFile(records);
}

const dir = mkdtempSync(join(tmpdir(), 'synscope-snmp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('read: SNMP as tshark shows it', () => {
  it('zeek/snmp/snmpv1_get.pcap: v1 get-request and get-response, strings, OIDs, integers', () =>
    expectLikeTshark(corpusPath('zeek/snmp/snmpv1_get.pcap'), SNMP, 50));

  it('zeek/snmp/snmpv3_get_next.pcap: v3 discovery, report, get-next with USM parameters, Net-SNMP engine IDs', () =>
    expectLikeTshark(corpusPath('zeek/snmp/snmpv3_get_next.pcap'), SNMP, 4));

  it('written messages: v2c getBulk, set, every value type, v1 and v2 traps, inform, v3 engine ID formats and encryptedPDU, broken BER', () => {
    const file = join(dir, 'snmp-written.pcap');
    writeFileSync(file, writtenCapture());
    return expectLikeTshark(file, SNMP, MESSAGES.length);
  });
});

describe('SNMP frames dissected again show what the first pass showed, and a request its response', () => {
  it('written messages', () => {
    const file = join(dir, 'snmp-again.pcap');
    writeFileSync(file, writtenCapture());
    const [first, again] = bothWays(file);
    // The first get-request (frame 1) learns its response (frame 2) only once that was read.
    expect(first[0]).not.toContain('Response In');
    expect(again[0]).toContain('[Response In: 2]');
    const withoutResponseIn = (t: string) => t.split('\n').filter((l) => !l.includes('[Response In: ')).join('\n');
    expect(again.map(withoutResponseIn)).toEqual(first);
  });
});
