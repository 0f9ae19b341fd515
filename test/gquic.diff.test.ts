// Google QUIC (gQUIC) against tshark 4.0: the corpus capture with a Q025 handshake (two Client
// Hellos, then encrypted packets both ways) must read exactly as tshark reads it, and packets
// built here cover the rest of packet-gquic.c: every frame type (the ACK layouts before and after
// Q034), the tags it decodes and those it does not, a server's packets (a Rejection with a
// nested server config, a diversification nonce, Version Negotiation, a Public Reset), big-endian
// integers from Q039, Q046's long and short headers, a server on a port other than 443, an
// invalid version, tag lists that run past the packet or hold nothing, and packets cut short by
// the snaplen. Trees, columns, gquic fields, expert notes and display filters are compared, and
// the frames dissected again in reverse must read the same.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, udpFrame, type BuiltRecord } from './helpers/pcap-build.js';
import { CaptureState } from '../app/dissect/driver.js';
import { fuzzDissect } from './helpers/node-ranges.js';
import { prng } from './helpers/prng.js';
import { bothWays, framesOf } from './helpers/revisit.js';
import { expectSameFilterSets, ours, protocolTail } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const CORPUS = 'pcapplusplus/many_interfaces-1.pcapng';
const COLUMNS = [...FIELDS_ARGS, '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols'];
const FIELDS = [
  'gquic.puflags', 'gquic.puflags.cid.old', 'gquic.puflags.nonce', 'gquic.cid', 'gquic.version', 'gquic.packet_number', 'gquic.diversification_nonce',
  'gquic.prflags', 'gquic.message_authentication_hash', 'gquic.frame_type', 'gquic.stream_id', 'gquic.offset', 'gquic.data_len', 'gquic.tag',
  'gquic.tag_number', 'gquic.tag_type', 'gquic.tag_offset_end', 'gquic.tag_offset_length', 'gquic.tag_value', 'gquic.tag.sni', 'gquic.tag.version',
  'gquic.tag.ccs', 'gquic.tag.pubs', 'gquic.tag.aead', 'gquic.tag.kexs', 'gquic.tag.ctim', 'gquic.tag.rrej', 'gquic.tag.caddr.addr.ipv4',
  'gquic.tag.caddr.port', 'gquic.frame_type.ack.largest_observed', 'gquic.frame_type.ack.largest_acked', 'gquic.frame_type.cc.error_code',
  'gquic.frame_type.cc.reason_phrase', 'gquic.frame_type.padding.length', 'gquic.payload', 'gquic.header_form', 'gquic.dcil', 'gquic.stream_data',
  'gquic.crypto.offset', 'gquic.crypto.length', 'gquic.tag.undecoded', 'gquic.tag.length.truncated', 'gquic.version.invalid', 'gquic.invalid.parameter',
  'gquic.tag.unknown.data', 'gquic.length.invalid', '_ws.expert', '_ws.expert.message', '_ws.malformed',
];
const FILTERS = [
  'gquic', 'gquic.tag == "CHLO"', 'gquic.tag == "REJ"', 'gquic.packet_number == 2', 'gquic.cid == 1426860172352768584', 'gquic.tag.sni contains "google"',
  'gquic.payload', 'gquic.puflags.version', 'gquic.frame_type == 0x01', 'gquic.version == "Q039"', 'gquic.tag_offset_length > 100', 'gquic.stream_id == 5',
  'gquic.tag.undecoded', 'gquic.version.invalid', '_ws.malformed', 'gquic.frame_type.ack.num_timestamp > 1', 'gquic.header_form == 1',
];

async function expectSameAsTshark(file: string, minPackets: number): Promise<void> {
  const theirs = protocolTail(tsharkVerbose(file).stdout, ['GQUIC', '[Malformed Packet', '[Packet size limited']);
  expect(theirs.filter((l) => l.startsWith('Frame ')).length).toBeGreaterThanOrEqual(minPackets);
  expect(protocolTail(await ours(file, ['-V']), ['GQUIC', '[Malformed Packet', '[Packet size limited'])).toEqual(theirs);
  expect(await ours(file, COLUMNS)).toEqual(tsharkRaw(file, COLUMNS).stdout);
  const fields = [...FIELDS_ARGS, '-E', 'occurrence=a', '-e', 'frame.number', ...FIELDS.flatMap((f) => ['-e', f])];
  expect(await ours(file, fields)).toEqual(tsharkRaw(file, fields).stdout);
}

describe('read: Google QUIC as tshark shows it', () => {
  it(`${CORPUS}, the whole file`, async () => {
    const file = corpusPath(CORPUS);
    expect(await ours(file, ['-V'])).toEqual(tsharkVerbose(file).stdout);
    await expectSameAsTshark(file, 8);
    await expectSameFilterSets(file, FILTERS);
  });

  const dir = mkdtempSync(join(tmpdir(), 'synscope-gquic-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('frames, tags, servers, versions and headers built here', async () => {
    const file = join(dir, 'gquic.pcap');
    writeFileSync(file, pcapFile(builtPackets()));
    await expectSameAsTshark(file, 20);
    await expectSameFilterSets(file, FILTERS);
    // Dissected again in reverse (random access), each frame reads as it did the first time: the
    // conversation's version, byte order and server port as that frame found them.
    const [first, again] = bothWays(file);
    expect(again).toEqual(first);
  });

  // Seeded mutation fuzzing of the built packets (app-streams-fuzz.test.ts's way): the UDP
  // payload of one frame in two damaged at a rate of 0.05. Nothing may escape dissect(), no
  // dissector bug may be reported but tshark's own (the CRYPTO frame's assertion), every node
  // lies inside its bytes. SYNSCOPE_FUZZ_ITER / SYNSCOPE_FUZZ_SEED as in fuzz.test.ts.
  const rounds = Math.max(20, Math.floor(Number(process.env.SYNSCOPE_FUZZ_ITER ?? 3000) / 60));
  const seed = Number(process.env.SYNSCOPE_FUZZ_SEED ?? Date.now() % 0x7fffffff);
  it(`survives damaged packets (seed ${seed}, ${rounds} rounds; replay with SYNSCOPE_FUZZ_SEED=${seed})`, () => {
    const file = join(dir, 'gquic-fuzz.pcap');
    writeFileSync(file, pcapFile(builtPackets()));
    const frames = framesOf(file);
    const rand = prng(seed);
    for (let round = 0; round < rounds; round++) {
      const capture = new CaptureState({ revisits: round % 2 === 0 });
      for (const f of frames) {
        const data = f.data.slice();
        if (rand() < 1 / 2) for (let j = UDP_PAYLOAD_AT; j < data.length; j++) if (rand() < 0.05) data[j] = Math.floor(rand() * 256);
        const problem = fuzzDissect({ ...f, data }, capture, { tree: round % 2 === 0 }, `seed ${seed} round ${round} frame ${f.number}`);
        expect(problem).toBeNull();
      }
    }
  });
});

/** Ethernet and IPv4 headers (no options) and the UDP header: where the built frames' payload starts. */
const UDP_PAYLOAD_AT = 14 + 20 + 8;

// ---- Packet building --------------------------------------------------------------------------

const CLIENT = [10, 0, 0, 1], SERVER = [10, 0, 0, 2];
const CID = [0x48, 0x4a, 0x3d, 0x55, 0xc4, 0x39, 0xcd, 0x13];

const bytes = (...parts: Array<Uint8Array | number[] | string>): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** An unsigned number of `n` bytes, little or big endian. */
function uint(v: number | bigint, n: number, le: boolean): number[] {
  const out: number[] = [];
  let x = BigInt(v);
  for (let i = 0; i < n; i++, x >>= 8n) out.push(Number(x & 0xffn));
  return le ? out : out.reverse();
}

/** A handshake message: its tag, the tag count and padding, the tag headers (tag, end offset) and the values. */
function message(tag: string, tags: ReadonlyArray<readonly [string, Uint8Array | number[] | string]>, ends?: readonly number[]): Uint8Array {
  let end = 0;
  const heads: Uint8Array[] = [], values: Uint8Array[] = [];
  tags.forEach(([t, v], i) => {
    const value = bytes(v);
    end += value.length;
    heads.push(bytes(t, uint(ends?.[i] ?? end, 4, true)));
    values.push(value);
  });
  return bytes(tag, uint(tags.length, 2, true), [0, 0], ...heads, ...values);
}

/** A STREAM frame (type 0x80 | FIN | data length | offset length | stream ID length) with its data. */
function stream(id: number, data: Uint8Array, le: boolean, offsetLen = 0, idLen = 1, fin = false): Uint8Array {
  const ooo = [0, 0, 1, 2, 3, 4, 5, 6, 7][offsetLen]!;
  const type = 0x80 | (fin ? 0x40 : 0) | 0x20 | (ooo << 2) | (idLen - 1);
  return bytes([type], uint(id, idLen, le), uint(0x1234, offsetLen, le), uint(data.length, 2, le), data);
}

interface Header {
  flags: number;
  cid?: boolean;
  version?: string;
  pkn: number;
  le: boolean;
  nonce?: boolean;
}

/** The public header before Q046, then the hash and (before Q034) the private flags when `clear`. */
function packet(h: Header, payload: Uint8Array, clear = true, privateFlags = true): Uint8Array {
  const pknLen = [1, 2, 4, 6][(h.flags & 0x30) >> 4]!;
  return bytes([h.flags], h.cid ? (h.le ? CID : [...CID].reverse()) : [], h.version ?? '', h.nonce ? new Array(32).fill(0x4e) : [],
    uint(h.pkn, pknLen, h.le), clear ? new Array(12).fill(0x0b) : [], clear && privateFlags ? [0x01] : [], payload);
}

const rec = (data: Uint8Array, i: number, origLen?: number): BuiltRecord => ({ sec: 1_700_000_000 + i, frac: 0, data, origLen });
const fromClient = (port: number, payload: Uint8Array, server = 443) => udpFrame(CLIENT, port, SERVER, server, payload);
const fromServer = (port: number, payload: Uint8Array, server = 443) => udpFrame(SERVER, server, CLIENT, port, payload);

/** Every built packet, in capture order (frame numbers in the comments). */
function builtPackets(): BuiltRecord[] {
  const frames: Array<{ data: Uint8Array; origLen?: number }> = [];
  const add = (data: Uint8Array, origLen?: number) => frames.push({ data, origLen });
  const le = true;
  const v25 = { cid: true, version: 'Q025', le };

  // Conversation 1 (Q025, little endian, private flags): a Client Hello with every simple tag and
  // every frame type after it.
  const chlo = message('CHLO', [
    ['SNI\0', 'www.example.com'], ['VER\0', 'Q025Q024'], ['CCS\0', uint(0x0102030405060708n, 8, false).concat(uint(9, 8, false))],
    ['PDMD', 'X509'], ['AEAD', 'AESGCC12S20Pxxxx'], ['KEXS', 'C255P256'], ['COPT', 'NSTPTBBR'], ['MSPC', uint(100, 4, true)],
    ['TCID', uint(0, 4, true)], ['SRBF', uint(1 << 20, 4, true)], ['ICSL', uint(30, 4, true)], ['SCLS', uint(1, 4, true)],
    ['IRTT', uint(57631, 4, true)], ['CFCW', uint(10485760, 4, true)], ['SFCW', uint(6291456, 4, true)], ['UAID', 'Chrome/44.0'],
    ['CTIM', bytes(uint(1_439_753_725, 4, true), uint(123456789, 4, true))], ['XLCT', 'leafhash'], ['NONP', new Array(32).fill(7)],
    ['CSCT', ''], ['MIDS', uint(200, 4, true)], ['FHOL', uint(1, 4, true)], ['STTL', uint(86400, 8, true)], ['SMHL', uint(16384, 4, true)],
    ['TBKP', 'P256'], ['MAD\0', uint(25, 4, true)], ['SRST', 'reset-token-0123'], ['CGST', 'QBIC'], ['EPID', 'endpoint'],
    ['ZZZZ', 'unknown'], ['NONC', new Array(40).fill(1)], ['PUBS', bytes([0x20, 0], new Array(32).fill(5))], ['CETV', 'cetv'], ['CCRT', 'ccrt'],
    ['PAD\0', '--------'],
  ]);
  const ackOld = bytes([0x40 | 0x20 | 0x10 | 0x04 | 0x01], [0x11], uint(0x0203, 2, le), uint(300, 2, le), [2], [1], uint(1000, 4, le), [2], uint(77, 2, le),
    [2], uint(5, 2, le), [0], uint(9, 2, le), [3], [1], uint(0x0102, 2, le));
  add(fromClient(50000, packet({ flags: 0x0d, pkn: 1, ...v25 }, bytes(
    stream(1, chlo, le),
    ackOld,
    [0x06, 0x07, 0x01], // STOP_WAITING: entropy, least unacked delta (1 byte)
    [0x07], // PING
    [0x05], uint(3, 4, le), // BLOCKED
    [0x04], uint(5, 4, le), uint(70000, 8, le), // WINDOW_UPDATE
    [0x01], uint(5, 4, le), uint(4096, 8, le), uint(6, 4, le), // RST_STREAM
    [0x03], uint(16, 4, le), uint(7, 4, le), uint(4, 2, le), 'bye!', // GOAWAY
    [0x01], uint(9, 4, le), uint(1, 8, le), uint(99, 4, le), // RST_STREAM with an unknown code
    [0x24], // CONGESTION_FEEDBACK
    stream(5, bytes('stream five data'), le, 3, 2, true),
  ))));
  // 2: the server's Rejection (no CID, no version): a server config with its own tag list, the
  // reasons, a certificate chain, client addresses of both families and of another type.
  const scfg = message('SCFG', [['AEAD', 'AESG'], ['KEXS', 'C255'], ['PUBS', bytes([3, 0], [1, 2, 3])], ['OBIT', '12345678'], ['EXPY', uint(1_500_000_000, 8, true)]]);
  add(fromServer(50000, packet({ flags: 0x00, pkn: 1, le }, bytes(stream(1, message('REJ\0', [
    ['SCFG', scfg], ['STK\0', 'source-token'], ['SNO\0', 'server-nonce'], ['PROF', 'signature'], ['CRT\xff', 'certs'], ['RREJ', bytes(uint(1, 4, true), uint(13, 4, true), uint(99, 4, true))],
    ['CADR', bytes(uint(2, 2, true), [192, 0, 2, 1], uint(50000, 2, true))], ['CADR', bytes(uint(10, 2, true), new Array(16).fill(0x20), uint(443, 2, true))],
    ['CADR', bytes(uint(7, 2, true), [1, 2, 3, 4, 5, 6], uint(1, 2, true))], ['SCID', new Array(16).fill(0x5c)],
  ]), le), [0x00, 0x00, 0x00]))));
  // 3: an encrypted client packet with a 2-byte packet number; 4: one from the server.
  add(fromClient(50000, packet({ flags: 0x1c, pkn: 0x0203, cid: true, le }, bytes(new Array(40).fill(0x99)), false)));
  add(fromServer(50000, packet({ flags: 0x20, pkn: 0x01020304, le }, bytes(new Array(30).fill(0x98)), false)));
  // 5: a CONNECTION_CLOSE whose reason fills the packet (in the clear), then one with a shorter reason.
  add(fromClient(50000, packet({ flags: 0x0c, pkn: 7, cid: true, le }, bytes([0x02], uint(25, 4, le), uint(11, 2, le), 'going away!'))));
  add(fromClient(50000, packet({ flags: 0x0c, pkn: 8, cid: true, le }, bytes([0x02], uint(500, 4, le), uint(2, 2, le), 'ok', [0x07, 0x00]))));
  // 7: a Public Reset from the server.
  add(fromServer(50000, bytes([0x0a], CID, message('PRST', [['RNON', uint(12345, 8, true)], ['RSEQ', uint(77, 8, true)], ['CADR', bytes(uint(2, 2, true), [10, 0, 0, 1], uint(50000, 2, true))]]))));
  // 8: Version Negotiation from the server (the version flag in a server's packet).
  add(fromServer(50000, bytes([0x09], CID, 'Q025Q024Q023')));
  // 9, 10: a Client Hello cut short by the snaplen, inside a tag's value and inside the tag headers.
  const cut = fromClient(50000, packet({ flags: 0x0d, pkn: 9, ...v25 }, stream(1, chlo, le)));
  add(cut.subarray(0, 200), cut.length);
  add(cut.subarray(0, 100), cut.length);
  // 11: tag end offsets past the packet ("Truncated Tag Length..."); 12: a message without tags.
  add(fromClient(50000, packet({ flags: 0x0d, pkn: 11, ...v25 }, stream(1, message('CHLO', [['SNI\0', 'a.example'], ['PAD\0', 'xx']], [9, 400]), le))));
  add(fromClient(50000, packet({ flags: 0x0d, pkn: 12, ...v25 }, bytes(stream(1, message('CHLO', []), le), [0x07, 0x00]))));
  // 13: a NONC shorter than 32 bytes, read past the packet's end.
  add(fromClient(50000, packet({ flags: 0x0d, pkn: 13, ...v25 }, stream(1, message('CHLO', [['NONC', new Array(10).fill(1)]]), le))));

  // Conversation 2 (Q039: big endian, no private flags, the ACK layout after Q034), client port 50001.
  const be = false;
  const v39 = { cid: true, version: 'Q039', le: be };
  const ackNew = bytes([0x40 | 0x20 | 0x08 | 0x01], uint(0x010203, 4, be), uint(0x0506, 2, be), [2], uint(10, 2, be), [1], uint(3, 2, be), [4], uint(5, 2, be),
    [2], [1], uint(123456, 4, be), [3], uint(99, 2, be));
  add(fromClient(50001, packet({ flags: 0x19, pkn: 0x0102, ...v39 }, bytes(stream(1, message('CHLO', [['SNI\0', 'big.example'], ['VER\0', 'Q039']]), be),
    ackNew, [0x06], uint(0x0001, 2, be), [0x40], [1], uint(2, 2, be), uint(3, 1, be), [0], [0x00, 0x00]), true, false)));
  // 15: the server's SHLO with a diversification nonce (Q033 on, from the server only).
  add(fromServer(50001, packet({ flags: 0x04, pkn: 1, le: be, nonce: true }, stream(1, message('SHLO', [['ICSL', uint(30, 4, true)]]), be), true, false)));
  // 16: an encrypted server packet with the nonce flag, 17: a client's with a 6-byte packet number.
  add(fromServer(50001, packet({ flags: 0x04, pkn: 2, le: be, nonce: true }, bytes(new Array(20).fill(0x77)), false)));
  add(fromClient(50001, packet({ flags: 0x38, pkn: 0x010203040506, cid: true, le: be }, bytes(new Array(20).fill(0x66)), false)));

  // Conversation 3 (Q046): a long header from the client, short headers both ways, client port 50002.
  add(fromClient(50002, bytes([0xc0 | 0x10 | 0x03], 'Q046', [0x50], CID, uint(1, 4, be), new Array(12).fill(0x0b),
    stream(1, message('CHLO', [['SNI\0', 'q046.example']]), be), [0x00, 0x00])));
  add(fromServer(50002, bytes([0x41], uint(0x0102, 2, be), new Array(30).fill(0x55))));
  add(fromClient(50002, bytes([0x42], CID, uint(0x010203, 3, be), new Array(30).fill(0x44))));
  // 21: a long header whose CID length is not 8 ("Invalid Parameter").
  add(fromClient(50002, bytes([0xc0], 'Q046', [0x30], CID, [5], new Array(30).fill(0x33))));

  // Conversation 4: a server on port 8443 (a Client Hello from another port than 443 names it),
  // then its Version Negotiation; client port 443 to show the server is not told by 443.
  add(fromClient(50003, packet({ flags: 0x0d, pkn: 1, ...v25 }, stream(1, message('CHLO', [['SNI\0', 'alt.example']]), le)), 8443));
  add(fromServer(50003, bytes([0x09], CID, 'Q025'), 8443));
  add(fromServer(50003, packet({ flags: 0x00, pkn: 2, le }, bytes(new Array(20).fill(0x22)), false), 8443));

  // Conversation 5: an invalid version ("Q02a": no private flags, no CID length bits).
  add(fromClient(50004, packet({ flags: 0x0d, pkn: 1, cid: true, version: 'Q02a', le }, stream(1, message('CHLO', [['SNI\0', 'bad.example']]), le))));
  // 26: a CRYPTO frame before version 50 (tshark's failed assertion); 27: in a packet naming Q050.
  add(fromClient(50004, packet({ flags: 0x0d, pkn: 2, ...v25 }, bytes(stream(1, message('CHLO', [['SNI\0', 'c.example']]), le), [0x08, 0x01, 0x02, 0x03]))));
  add(fromClient(50004, packet({ flags: 0x0d, pkn: 3, cid: true, version: 'Q050', le: be }, bytes(stream(1, message('CHLO', [['SNI\0', 'd.example']]), be),
    [0x08, 0x00, 0x14], message('CHLO', [['SNI\0', 'crypto.example']]), [0x07, 0x00]), true, false)));
  // 28: a datagram on port 443 that is no GQUIC packet: UDP's data.
  add(fromClient(50005, bytes('not gquic at all, just bytes')));
  return frames.map((f, i) => rec(f.data, i, f.origLen));
}
