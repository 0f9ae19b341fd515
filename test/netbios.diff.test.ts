// NetBIOS over TCP/IP as tshark 4.0 shows it (packet-nbns.c): the Name Service (UDP 137), the
// Datagram Service (UDP 138) and the Session Service (TCP 139): the NBNS/NBDS/NBSS part of
// every packet's -V tree, Protocol/Info and frame.protocols, fields with -T fields and display
// filters' packet sets. On the corpus captures with NetBIOS and on frames written here for what
// the corpus lacks: every NBNS opcode, positive, negative (each rcode) and WACK responses, a
// node status response with its name table, an unknown record type, illegal and scoped names,
// records cut short; every NBDS message type; NBSS requests, responses, retargets, keep-alives,
// several messages in a segment, a message over two segments, continuations, and truncation.
// Payloads tshark hands to SMB are left out: datagrams carry bytes that are not SMB, and the
// SMB datagram in smtp.pcap is compared up to the SMB layer only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, tcpFrame, udpFrame, type BuiltRecord } from './helpers/pcap-build.js';
import { expectLikeTshark, expectSameFilterSets, ours, type TextProtocolCheck } from './helpers/text-protocol-diff.js';
import { tsharkRaw } from './helpers/tshark.js';

const FILTERS = [
  'nbns', 'nbdgm', 'nbss', 'nbns.flags.opcode == 0', 'nbns.name contains "WORK"', 'nbns.flags.rcode == 3', 'nbns.type == 33',
  'nbns.nb_flags.group', 'nbdgm.type == 0x11', 'nbss.type == 0x81', 'nbss.error_code == 0x82', 'nbns.addr == 192.168.1.1',
  'nbdgm.source_name contains "CLIENT"', 'nbss.called_name matches "^SERVER"', 'data',
];
const NETBIOS: TextProtocolCheck = {
  titles: ['NetBIOS Name Service', 'NetBIOS Datagram Service', 'NetBIOS Session Service'],
  fields: [
    'nbns.id', 'nbns.flags', 'nbns.flags.response', 'nbns.flags.opcode', 'nbns.flags.authoritative', 'nbns.flags.truncated',
    'nbns.flags.recdesired', 'nbns.flags.recavail', 'nbns.flags.broadcast', 'nbns.flags.rcode', 'nbns.count.queries',
    'nbns.count.answers', 'nbns.count.auth_rr', 'nbns.count.add_rr', 'nbns.name', 'nbns.type', 'nbns.class', 'nbns.ttl',
    'nbns.data_length', 'nbns.nb_flags', 'nbns.nb_flags.group', 'nbns.nb_flags.ont', 'nbns.addr', 'nbns.number_of_names',
    'nbns.netbios_name', 'nbns.name_flags', 'nbns.name_flags.group', 'nbns.name_flags.ont', 'nbns.name_flags.act',
    'nbns.name_flags.prm', 'nbns.unit_id', 'nbns.version_number', 'nbns.num_good_sends', 'nbns.session_data_packet_size',
    'nbns.data', 'nbdgm.type', 'nbdgm.flags', 'nbdgm.next', 'nbdgm.first', 'nbdgm.node_type', 'nbdgm.dgram_id', 'nbdgm.src.ip',
    'nbdgm.src.port', 'nbdgm.dgram_len', 'nbdgm.pkt_offset', 'nbdgm.error_code', 'nbdgm.source_name', 'nbdgm.destination_name',
    'nbss.type', 'nbss.flags', 'nbss.flags.e', 'nbss.length', 'nbss.error_code', 'nbss.retarget_ip_address', 'nbss.retarget_port',
    'nbss.continuation_data', 'nbss.called_name', 'nbss.calling_name', 'data.data',
  ],
  filters: FILTERS,
};

const dir = mkdtempSync(join(tmpdir(), 'synscope-netbios-'));

// ---- names ----

/** The first-level encoding (RFC 1001 14.1) of a 15-character name padded with spaces and its type, as a DNS label. */
function nbName(name: string, type: number, scope = ''): Buffer {
  const raw = Buffer.alloc(16, 0x20);
  Buffer.from(name, 'latin1').copy(raw);
  raw[15] = type;
  return encodedName(raw, scope);
}

/** The encoding of 16 raw bytes, with an optional scope ID ("corp.example"). */
function encodedName(raw: Buffer, scope = ''): Buffer {
  const enc = Buffer.alloc(32);
  for (let i = 0; i < 16; i++) {
    enc[2 * i] = 0x41 + (raw[i]! >> 4);
    enc[2 * i + 1] = 0x41 + (raw[i]! & 0x0f);
  }
  const labels = scope ? scope.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])) : [];
  return Buffer.concat([Buffer.from([32]), enc, ...labels, Buffer.from([0])]);
}

const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const u32 = (v: number) => Buffer.from([v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
const cat = (...p: Buffer[]) => Buffer.concat(p);

// ---- NBNS ----

function nbns(id: number, flags: number, counts: [number, number, number, number], body: Buffer): Buffer {
  return cat(u16(id), u16(flags), ...counts.map(u16), body);
}
const question = (name: Buffer, type = 32) => cat(name, u16(type), u16(1));
const rr = (name: Buffer, type: number, ttl: number, data: Buffer) => cat(name, u16(type), u16(1), u32(ttl), u16(data.length), data);
const nbData = (...entries: Array<[number, number]>) => cat(...entries.map(([flags, ip]) => cat(u16(flags), u32(ip))));
const ip = (a: number, b: number, c: number, d: number) => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

/** A node status answer's data: names with their flags, the MAC, then the statistics (46 bytes). */
function nodeStatus(names: Array<[string, number, number]>, statistics = true): Buffer {
  const table = names.map(([n, type, flags]) => {
    const raw = Buffer.alloc(16, 0x20);
    Buffer.from(n, 'latin1').copy(raw);
    raw[15] = type;
    return cat(raw, u16(flags));
  });
  const stats = statistics ? cat(Buffer.from([0x00, 0x11, 0x22, 0x33, 0x44, 0x55]), Buffer.from([0x01, 0x02]), u16(0x0300), u16(0x0400), Buffer.alloc(8, 1), u32(100), u32(200), Buffer.alloc(12, 2)) : Buffer.alloc(0);
  return cat(Buffer.from([names.length]), ...table, stats);
}

const WORKGROUP = nbName('WORKGROUP', 0x1c);
const SERVER = nbName('SERVER', 0x20);
const NBNS_PAYLOADS: Buffer[] = [
  // Queries: broadcast name query, node status (the "*" name), with a scope ID.
  nbns(0x1001, 0x0110, [1, 0, 0, 0], question(WORKGROUP)),
  nbns(0x1002, 0x0000, [1, 0, 0, 0], question(encodedName(Buffer.from('*\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0', 'latin1')), 33)),
  nbns(0x1003, 0x0100, [1, 0, 0, 0], question(nbName('HOST', 0x00, 'corp.example'))),
  // Registration, release, refresh (both opcodes), multi-homed registration: a question and an additional record.
  ...[5, 6, 8, 9, 15].map((op, i) => nbns(0x1010 + i, (op << 11) | 0x0110, [1, 0, 0, 1], cat(question(SERVER), rr(Buffer.from([0xc0, 0x0c]), 32, 300000, nbData([0x6000, ip(192, 168, 1, 1)]))))),
  // Positive query response (group name, two addresses), and a registration response.
  nbns(0x1001, 0x8500, [0, 1, 0, 0], rr(WORKGROUP, 32, 0, nbData([0x8000, ip(192, 168, 1, 1)], [0xa000, ip(10, 0, 0, 2)]))),
  nbns(0x1010, 0xad80, [0, 1, 0, 0], rr(SERVER, 32, 259200, nbData([0x4000, ip(192, 168, 1, 1)]))),
  // Negative responses: every rcode, and an unknown one.
  ...[1, 2, 3, 4, 5, 6, 7, 9].map((rcode, i) => nbns(0x1100 + i, 0x8580 | rcode, [0, 1, 0, 0], rr(SERVER, 32, 0, Buffer.alloc(0)))),
  // WACK: opcode 7, its data the request's flags word.
  nbns(0x1010, 0xbc00, [0, 1, 0, 0], rr(SERVER, 32, 2, u16(0x2910))),
  // Node status response with a name table, MAC and statistics.
  nbns(0x1002, 0x8400, [0, 1, 0, 0], rr(encodedName(Buffer.from('*\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0', 'latin1')), 33, 0, nodeStatus([
    ['SERVER', 0x00, 0x0400], ['SERVER', 0x20, 0x0400], ['WORKGROUP', 0x00, 0x8400], ['WORKGROUP', 0x1e, 0x8600], ['\x01\x02__MSBROWSE__\x02', 0x01, 0xc400],
  ]))),
  // A node status answer cut short inside its statistics, and one whose name table runs out.
  nbns(0x1004, 0x8400, [0, 1, 0, 0], rr(SERVER, 33, 0, nodeStatus([['A', 0x00, 0x0400]], false))),
  nbns(0x1005, 0x8400, [0, 1, 0, 0], rr(SERVER, 33, 0, Buffer.from([3, 0x41, 0x42]))),
  // An NB record whose data stops inside an entry, an unknown record type, authority records.
  nbns(0x1006, 0x8500, [0, 1, 0, 0], rr(SERVER, 32, 60, Buffer.from([0x60, 0x00, 10, 0]))),
  nbns(0x1007, 0x8500, [0, 1, 1, 0], cat(rr(SERVER, 0x0a, 60, Buffer.from([1, 2, 3])), rr(WORKGROUP, 32, 60, nbData([0, ip(1, 2, 3, 4)])))),
  // Illegal names: a lower-case encoding, an odd length, a short name, a long one.
  nbns(0x1008, 0x0000, [1, 0, 0, 0], question(Buffer.concat([Buffer.from([32]), Buffer.from('fhfaebeeaaaaaaaaaaaaaaaaaaaaaaaa'), Buffer.from([0])]))),
  nbns(0x1009, 0x0000, [1, 0, 0, 0], question(Buffer.concat([Buffer.from([3]), Buffer.from('ABC'), Buffer.from([0])]))),
  nbns(0x100a, 0x0000, [1, 0, 0, 0], question(Buffer.concat([Buffer.from([4]), Buffer.from('EBEC'), Buffer.from([0])]))),
  nbns(0x100b, 0x0000, [1, 0, 0, 0], question(Buffer.concat([Buffer.from([34]), Buffer.from('FHFAEBEECACACACACACACACACACACAAAEB'), Buffer.from([0])]))),
  // A node status answer whose name points at the question's (tshark sizes the table's names by it), a TTL past 2^31, a scoped answer.
  nbns(0x100e, 0x8400, [1, 1, 0, 0], cat(question(SERVER, 33), rr(Buffer.from([0xc0, 0x0c]), 33, 0x80000001, nodeStatus([['PRINTER\x05', 0x20, 0x0400], ['   ', 0x00, 0x6400]])))),
  nbns(0x100f, 0x8500, [0, 1, 0, 0], rr(nbName('HOST', 0x03, 'corp.example'), 32, 3661, nbData([0x2000, ip(10, 9, 8, 7)]))),
  // An unknown opcode, and a query whose name runs past the end (malformed).
  nbns(0x100c, 0x1000, [1, 0, 0, 0], question(WORKGROUP)),
  nbns(0x100d, 0x0110, [1, 0, 0, 0], WORKGROUP.subarray(0, 20)),
];

// ---- NBDGM ----

function datagram(type: number, flags: number, body: Buffer): Buffer {
  return cat(Buffer.from([type, flags]), u16(0x4242), u32(ip(192, 168, 1, 20)), u16(138), body);
}
const NOT_SMB = Buffer.from('not an SMB header, just bytes', 'latin1');
const withNames = (src: Buffer, dst: Buffer, payload: Buffer) => cat(u16(src.length + dst.length + payload.length), u16(0), src, dst, payload);
const CLIENT = nbName('CLIENT', 0x00);
const NBDGM_PAYLOADS: Buffer[] = [
  datagram(0x10, 0x02, withNames(CLIENT, SERVER, NOT_SMB)),
  datagram(0x11, 0x0e, withNames(CLIENT, WORKGROUP, NOT_SMB)),
  datagram(0x12, 0x07, withNames(CLIENT, nbName('*', 0x00), Buffer.alloc(0))),
  datagram(0x13, 0x02, Buffer.from([0x82])),
  datagram(0x13, 0x02, Buffer.from([0x90])),
  datagram(0x14, 0x02, SERVER),
  datagram(0x15, 0x02, SERVER),
  datagram(0x16, 0x06, SERVER),
  datagram(0x20, 0x02, Buffer.from([1, 2, 3])),
  // Names cut short: the destination name runs past the end.
  datagram(0x11, 0x02, cat(u16(100), u16(0), CLIENT, WORKGROUP.subarray(0, 10))),
];

// ---- NBSS ----

const nbssMsg = (type: number, body: Buffer, flags = 0) => cat(Buffer.from([type, flags]), u16(body.length & 0xffff), body);
const SESSION_REQUEST = nbssMsg(0x81, cat(nbName('SERVER', 0x20), nbName('CLIENT', 0x00)));
const SESSION_DATA = nbssMsg(0x00, Buffer.from('a NetBIOS session payload that is not SMB', 'latin1'));

function nbssSession(): BuiltRecord[] {
  const records: BuiltRecord[] = [];
  let t = 0;
  const add = (data: Uint8Array, origLen?: number) => records.push({ sec: 1_700_000_000, frac: (t += 1000), data, ...(origLen ? { origLen } : {}) });
  let c = 1000, s = 5000;
  const client = (p: Buffer) => {
    add(tcpFrame(true, c, s, 0x18, p, 139));
    c += p.length;
  };
  const server = (p: Buffer) => {
    add(tcpFrame(false, s, c, 0x18, p, 139));
    s += p.length;
  };
  add(tcpFrame(true, c, 0, 0x02, '', 139));
  add(tcpFrame(false, s, c + 1, 0x12, '', 139));
  c++;
  s++;
  add(tcpFrame(true, c, s, 0x10, '', 139));
  client(SESSION_REQUEST);
  server(nbssMsg(0x83, Buffer.from([0x82])));
  client(SESSION_REQUEST);
  server(nbssMsg(0x83, Buffer.from([0x8f])));
  client(SESSION_REQUEST);
  server(nbssMsg(0x84, cat(u32(ip(10, 1, 2, 3)), u16(1139))));
  client(SESSION_REQUEST);
  server(nbssMsg(0x82, Buffer.alloc(0)));
  client(nbssMsg(0x85, Buffer.alloc(0)));
  client(SESSION_DATA);
  // Several messages in one segment: a keep-alive, a session message, a keep-alive.
  client(cat(nbssMsg(0x85, Buffer.alloc(0)), SESSION_DATA, nbssMsg(0x85, Buffer.alloc(0))));
  // A session message over two segments, then one whose header is split.
  const long = nbssMsg(0x00, Buffer.alloc(300, 0x61));
  client(long.subarray(0, 100));
  client(long.subarray(100));
  client(SESSION_DATA.subarray(0, 2));
  client(SESSION_DATA.subarray(2));
  // Segments that do not start like a message: continuations.
  server(Buffer.from([0x00, 0x02, 0x00, 0x05, 1, 2, 3, 4, 5]));
  server(Buffer.from([0x77, 0x00, 0x00, 0x00, 1]));
  server(Buffer.from([0x82, 0x00, 0x00, 0x01, 1]));
  // A negative response with an unknown error code; a message with the extend flag (length past the segment: not reassembled when cut short).
  server(nbssMsg(0x83, Buffer.from([0x99])));
  // A session message whose segment the capture cut short (snaplen): no reassembly, data as far as captured.
  const cut = tcpFrame(true, c, s, 0x18, SESSION_DATA, 139);
  add(cut.subarray(0, cut.length - 10), cut.length);
  return records;
}

describe('read: NetBIOS (NBNS, NBDS, NBSS) as tshark shows it', () => {
  it('pcapplusplus/IgmpPackets.pcap: the name queries and the NBSS continuation on port 445', async () => {
    await expectLikeTshark(corpusPath('pcapplusplus/IgmpPackets.pcap'), { ...NETBIOS, fields: NETBIOS.fields.filter((f) => f !== 'data.data') }, 9);
  });

  it('zeek/smtp.pcap: the datagram up to the SMB it carries, and the filters', async () => {
    const file = corpusPath('zeek/smtp.pcap');
    const upToSmb = (text: string) => {
      const lines = text.split('\n');
      const start = lines.findIndex((l) => l.startsWith('NetBIOS Datagram Service'));
      const end = lines.findIndex((l, i) => i > start && !l.startsWith(' '));
      return lines.slice(start, end);
    };
    const args = ['-V', '-Y', 'nbdgm'];
    expect(upToSmb(await ours(file, args))).toEqual(upToSmb(tsharkRaw(file, args).stdout));
    const fields = ['-Y', 'nbdgm', '-T', 'fields', ...NETBIOS.fields.filter((f) => f.startsWith('nbdgm')).flatMap((f) => ['-e', f])];
    expect(await ours(file, fields)).toEqual(tsharkRaw(file, fields).stdout);
    await expectSameFilterSets(file, FILTERS.filter((f) => f !== 'data'));
  });

  it('NBNS frames written here: every opcode, responses with each rcode, WACK, node status, illegal names, records cut short', async () => {
    const file = join(dir, 'nbns.pcap');
    writeFileSync(file, pcapFile(NBNS_PAYLOADS.map((p, i) => ({ sec: i, frac: 0, data: udpFrame([192, 168, 1, 20], 137, [192, 168, 1, 255], 137, p) }))));
    await expectLikeTshark(file, NETBIOS, NBNS_PAYLOADS.length);
  });

  it('NBDS frames written here: direct unique/group, broadcast, error, query request and responses, an unknown type, a name cut short', async () => {
    const file = join(dir, 'nbdgm.pcap');
    writeFileSync(file, pcapFile(NBDGM_PAYLOADS.map((p, i) => ({ sec: i, frac: 0, data: udpFrame([192, 168, 1, 20], 138, [192, 168, 1, 255], 138, p) }))));
    await expectLikeTshark(file, NETBIOS, NBDGM_PAYLOADS.length);
  });

  it('NBSS frames written here: request, positive/negative/retarget responses, keep-alive, messages per segment and over segments, continuations, truncation', async () => {
    const file = join(dir, 'nbss.pcap');
    writeFileSync(file, pcapFile(nbssSession()));
    await expectLikeTshark(file, NETBIOS, 15);
  });
});
