// ONC-RPC, NFSv3 and NFSv2 as tshark 4.0 shows them: the RPC subtree (XID, call header, AUTH_UNIX and
// AUTH_NULL credentials, verifier, the reply's matched call and time, the TCP record mark) and
// the NFS subtree of every procedure's call and reply (file handles and their CRC-32, fattr3,
// wcc_data, post_op_attr, sattr3, directory entries, status), the Protocol/Info columns and
// frame.protocols, RPC's and NFS's fields with -T fields, and display filters' packet sets. On
// the corpus capture with NFS WRITE calls over fragmented UDP, and on frames written here: every
// NFSv3 procedure's call and reply over UDP, NFSv2's basic ones, calls and replies over TCP (two records in a segment, a
// record over two segments), a reply without a call, an unknown program and an unknown version,
// a retransmitted call and a duplicate reply, denied and mismatch replies, NFS errors, a
// truncated WRITE and a malformed LOOKUP; the portmapper (version 2) on port 111 over UDP and TCP,
// and a datagram there that is no RPC message (a continuation).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureState, dissect, type FrameInput } from '../app/dissect/driver.js';
import '../app/dissect/protocols/index.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, tcpFrame, udpFrame, type BuiltRecord } from './helpers/pcap-build.js';
import { bothWays } from './helpers/revisit.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const RPC: TextProtocolCheck = {
  titles: ['Remote Procedure Call', 'Network File System', 'Portmap'],
  fields: [
    'rpc.xid', 'rpc.msgtyp', 'rpc.version', 'rpc.program', 'rpc.programversion', 'rpc.procedure', 'rpc.auth.flavor', 'rpc.auth.length',
    'rpc.auth.stamp', 'rpc.auth.machinename', 'rpc.auth.uid', 'rpc.auth.gid', 'rpc.replystat', 'rpc.state_accept', 'rpc.state_reject',
    'rpc.state_auth', 'rpc.repframe', 'rpc.time', 'rpc.lastfrag', 'rpc.fraglen', 'rpc.call.dup', 'rpc.reply.dup', 'rpc.opaque_length',
    'rpc.fill_bytes', 'rpc.value_follows', 'rpc.programversion.min', 'rpc.version.max',
    'nfs.procedure_v3', 'nfs.status3', 'nfs.status', 'nfs.fh.length', 'nfs.fh.hash', 'nfs.fhandle', 'nfs.fattr3.type', 'nfs.mode3',
    'nfs.mode3.rusr', 'nfs.mode3.xoth', 'nfs.fattr3.size', 'nfs.fattr3.fsid', 'nfs.fattr3.fileid', 'nfs.atime', 'nfs.mtime.nsec', 'nfs.ctime',
    'nfs.set_it', 'nfs.uid3', 'nfs.set_size', 'nfs.sattrguard3', 'nfs.attributes_follow', 'nfs.handle_follow', 'nfs.wcc_attr.size', 'nfs.name',
    'nfs.readlink.data', 'nfs.offset3', 'nfs.count3', 'nfs.read.eof', 'nfs.data', 'nfs.write.stable', 'nfs.write.committed', 'nfs.verifier',
    'nfs.createmode', 'nfs.cookie3', 'nfs.count3_maxcount', 'nfs.readdir.entry', 'nfs.readdir.entry3.name', 'nfs.readdirplus.entry.fileid',
    'nfs.readdir.eof', 'nfs.fsstat3_resok.tbytes', 'nfs.fsinfo.maxfilesize', 'nfs.dtime', 'nfs.fsinfo.properties',
    'nfs.fsinfo.properties.pathconf', 'nfs.pathconf.name_max', 'nfs.pathconf.case_insensitive', 'nfs.access_check', 'nfs.access_rights',
    'nfs.access_delete', 'portmap.procedure_v2', 'portmap.prog', 'portmap.version', 'portmap.proto', 'portmap.port', 'portmap.answer',
    'rpc.continuation_data', 'nfs.procedure_v2', 'nfs.status2', 'nfs.ftype', 'nfs.mode', 'nfs.mode.name', 'nfs.mode.read_owner', 'nfs.fattr.fsid',
    'nfs.fattr.uid', 'nfs.atime.usec', 'nfs.read.offset', 'nfs.read.totalcount', 'nfs.write.beginoffset', 'nfs.readdir.cookie',
    'nfs.readdir.entry.name', 'nfs.statfs.bavail', 'nfs.symlink.to', 'nfs.type', 'nfs.specdata1', 'data.data',
  ],
  filters: [
    'rpc', 'nfs', 'rpc.msgtyp == 1', 'nfs.procedure_v3 == 7', 'rpc.xid == 0xa13928f7', 'nfs.fh.hash == 0x89686ab3', 'nfs.status3 != 0',
    'rpc.auth.flavor == 0', 'rpc.auth.machinename == "client7"', 'rpc.repframe', 'rpc.time > 0.0005', 'nfs.name contains "txt"',
    'rpc.lastfrag', 'rpc.call.dup', 'nfs.access_delete == 0', 'portmap.port == 2049', 'portmap',
    'nfs.procedure_v2 == 4', 'nfs.status2 == 0',
  ],
};

// ---- XDR for the messages below ----

const u32 = (...v: number[]): Buffer => {
  const b = Buffer.alloc(4 * v.length);
  v.forEach((x, i) => b.writeUInt32BE(x >>> 0, 4 * i));
  return b;
};
const u64 = (v: number | bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(v));
  return b;
};
const cat = (...p: Buffer[]): Buffer => Buffer.concat(p);
const opaque = (d: Buffer | string): Buffer => {
  const b = typeof d === 'string' ? Buffer.from(d, 'latin1') : d;
  return cat(u32(b.length), b, Buffer.alloc((4 - (b.length % 4)) % 4));
};
const EMPTY = Buffer.alloc(0);
const AUTH_NULL = u32(0, 0);
const authUnix = (stamp: number, machine: string, uid: number, gid: number, gids: number[]): Buffer => {
  const body = cat(u32(stamp), opaque(machine), u32(uid, gid, gids.length), u32(...gids));
  return cat(u32(1, body.length), body);
};
const UNIX = authUnix(0x0032f2bc, 'client7', 1000, 100, [100, 4, 27]);
const NFS = 100003;
const call = (xid: number, vers: number, proc: number, args: Buffer, cred = UNIX, prog = NFS): Buffer => cat(u32(xid, 0, 2, prog, vers, proc), cred, AUTH_NULL, args);
/** An accepted reply (accept state 0 unless told). */
const reply = (xid: number, res: Buffer, accept = 0): Buffer => cat(u32(xid, 1, 0), AUTH_NULL, u32(accept), res);

const FH = Buffer.from('01000002000800080200000028c00800958486d926c00800', 'hex');
const FH2 = Buffer.from('0100000200080008020000002ac00800958486d926c00801', 'hex');
const fh = (h = FH): Buffer => opaque(h);
const time = (s: number, ns: number): Buffer => u32(s, ns);
const fattr = (type: number, mode: number, size: number, fileid: number): Buffer =>
  cat(u32(type, mode, 1, 1000, 100), u64(size), u64(8192), u32(0, 0), u64(0x1234), u64(fileid), time(1700000000, 1), time(1700000100, 2), time(1700000200, 3));
const FILE = fattr(1, 0o100644, 4096, 77), DIR = fattr(2, 0o40755, 4096, 2);
const postAttr = (a = FILE): Buffer => cat(u32(1), a);
const NO_ATTR = u32(0);
const wcc = (pre = true, post = true): Buffer => cat(pre ? cat(u32(1), u64(4096), time(1700000100, 2), time(1700000200, 3)) : u32(0), post ? postAttr() : NO_ATTR);
/** sattr3: mode and uid set, gid not, size 0, atime to the server's time, mtime to the client's. */
const SATTR = cat(u32(1, 0o644), u32(1, 1000), u32(0), u32(1), u64(0), u32(1), u32(2), time(1700000300, 4));
/** sattr3 changing nothing. */
const SATTR_NONE = u32(0, 0, 0, 0, 0, 0);
const dirop = (name: string, h = FH): Buffer => cat(fh(h), opaque(name));
const VERF = Buffer.from('0011223344556677', 'hex');

/** [procedure, call arguments, reply results (null: no reply)] of NFSv3, every procedure SynScope reads. */
const EXCHANGES: Array<[number, Buffer, Buffer | null]> = [
  [0, EMPTY, EMPTY],
  [1, fh(), cat(u32(0), fattr(1, 0o104755, 12345, 99))],
  [2, cat(fh(), SATTR, u32(1), time(1700000200, 3)), cat(u32(0), wcc())],
  [2, cat(fh(), SATTR_NONE, u32(0)), cat(u32(1), wcc(false, true))],
  [3, dirop('file.txt'), cat(u32(0), fh(FH2), postAttr(), postAttr(DIR))],
  [3, dirop('missing'), cat(u32(2), postAttr(DIR))],
  [4, cat(fh(), u32(0x1f)), cat(u32(0), postAttr(), u32(0x0f))],
  [4, cat(fh(), u32(0x03)), cat(u32(0), NO_ATTR, u32(0x03))],
  [5, fh(), cat(u32(0), postAttr(fattr(5, 0o120777, 12, 5)), opaque('/target/path'))],
  [6, cat(fh(), u64(4096), u32(100)), cat(u32(0), postAttr(), u32(10, 1), opaque('0123456789'))],
  [7, cat(fh(), u64(73728), u32(10), u32(2), opaque('abcdefghij')), cat(u32(0), wcc(), u32(10, 2), VERF)],
  [7, cat(fh(), u64(0), u32(3), u32(0), opaque('abc')), cat(u32(28), wcc(true, false))],
  [8, cat(dirop('new.txt'), u32(1), SATTR), cat(u32(0), u32(1), fh(FH2), postAttr(), wcc())],
  [8, cat(dirop('excl.txt'), u32(2), VERF), cat(u32(17), wcc())],
  [9, cat(dirop('subdir'), SATTR), cat(u32(0), u32(1), fh(FH2), postAttr(DIR), wcc())],
  [10, cat(dirop('lnk'), SATTR_NONE, opaque('/target')), cat(u32(0), u32(1), fh(FH2), postAttr(fattr(5, 0o120777, 7, 8)), wcc())],
  [10, cat(dirop('lnk'), SATTR, opaque('/target')), cat(u32(17), wcc())],
  [11, cat(dirop('dev'), u32(3), SATTR, u32(8, 1)), cat(u32(0), u32(1), fh(FH2), postAttr(), wcc())],
  [11, cat(dirop('fifo'), u32(7), SATTR_NONE), cat(u32(0), u32(0), NO_ATTR, wcc(false, true))],
  [11, cat(dirop('reg'), u32(1)), cat(u32(10007), wcc(false, false))],
  [15, cat(fh(), dirop('hard', FH2)), cat(u32(0), postAttr(), wcc())],
  [15, cat(fh(), dirop('hard')), cat(u32(18), NO_ATTR, wcc())],
  [12, dirop('old.txt'), cat(u32(0), wcc())],
  [13, dirop('subdir'), cat(u32(66), wcc(false, false))],
  [14, cat(dirop('a'), dirop('b', FH2)), cat(u32(0), wcc(), wcc())],
  [16, cat(fh(), u64(0), VERF, u32(4096)), cat(u32(0), postAttr(DIR), VERF, u32(1), u64(11), opaque('.'), u64(1), u32(1), u64(12), opaque('..'), u64(2), u32(0), u32(1))],
  [16, cat(fh(), u64(99), VERF, u32(4096)), cat(u32(10003), postAttr(DIR))],
  [17, cat(fh(), u64(0), VERF, u32(1024, 8192)), cat(u32(0), postAttr(DIR), VERF, u32(1), u64(11), opaque('f'), u64(1), postAttr(), u32(1), fh(FH2), u32(1), u64(12), opaque('g'), u64(2), NO_ATTR, u32(0), u32(0), u32(1))],
  [18, fh(), cat(u32(0), postAttr(DIR), u64(1e9), u64(5e8), u64(4e8), u64(1000), u64(500), u64(400), u32(0))],
  [19, fh(), cat(u32(0), postAttr(DIR), u32(65536, 65536, 4096, 65536, 65536, 4096, 8192), u64(2n ** 63n - 1n), time(0, 1), u32(0x1b))],
  [20, fh(), cat(u32(0), postAttr(DIR), u32(32000, 255, 1, 1, 0, 1))],
  [21, cat(fh(), u64(0), u32(0)), cat(u32(0), wcc(), VERF)],
  [1, fh(), cat(u32(70), NO_ATTR)],
];

// ---- NFS version 2 (RFC 1094): 32-byte handles, fattr with timevals, sattr with "no value" ----

const FH_V2 = Buffer.from('0100000200080008020000002ac00800958486d926c0080112345678aabbccdd', 'hex');
const fattr2 = (type: number, mode: number): Buffer => u32(type, mode, 1, 1000, 100, 4096, 4096, 0, 8, 0x1234, 77, 1700000000, 1, 1700000100, 2, 1700000200, 3);
/** mode, uid set; gid "no value"; size 0; atime set; mtime "no value". */
const SATTR_V2 = u32(0o644, 1000, 0xffffffff, 0, 1700000300, 4, 0xffffffff, 0xffffffff);
const V2_EXCHANGES: Array<[number, Buffer, Buffer]> = [
  [0, EMPTY, EMPTY],
  [1, FH_V2, cat(u32(0), fattr2(1, 0o100644))],
  [2, cat(FH_V2, SATTR_V2), cat(u32(0), fattr2(1, 0o100644))],
  [2, cat(FH_V2, u32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 1, 2, 3, 4)), u32(30)],
  [4, cat(FH_V2, opaque('file.txt')), cat(u32(0), FH_V2, fattr2(2, 0o40755))],
  [4, cat(FH_V2, opaque('nope')), u32(2)],
  [5, FH_V2, cat(u32(0), opaque('/x/y'))],
  [6, cat(FH_V2, u32(4096, 100, 0)), cat(u32(0), fattr2(1, 0o100644), opaque('hello'))],
  [8, cat(FH_V2, u32(0, 8192, 0), opaque('data!')), cat(u32(0), fattr2(1, 0o100644))],
  [9, cat(FH_V2, opaque('new'), SATTR_V2), cat(u32(0), FH_V2, fattr2(1, 0o100600))],
  [10, cat(FH_V2, opaque('old')), u32(0)],
  [11, cat(FH_V2, opaque('a'), FH_V2, opaque('b')), u32(0)],
  [14, cat(FH_V2, opaque('d'), SATTR_V2), cat(u32(0), FH_V2, fattr2(2, 0o40755))],
  [15, cat(FH_V2, opaque('d')), u32(66)],
  [16, cat(FH_V2, u32(0, 4096)), cat(u32(0), u32(1, 11), opaque('.'), u32(1), u32(1, 12), opaque('..'), u32(2), u32(0), u32(1))],
  [17, FH_V2, cat(u32(0), u32(8192, 4096, 1000, 500, 400))],
  [1, FH_V2, u32(70)],
];

const CLIENT = [10, 0, 0, 1], SERVER = [10, 0, 0, 2];

function writtenCapture(): Buffer {
  const records: BuiltRecord[] = [];
  let t = 0;
  const add = (data: Uint8Array, origLen?: number) => {
    records.push({ sec: 1_700_000_000 + (t >> 4), frac: (t & 15) * 1000, data, origLen });
    t++;
  };
  const toServer = (port: number, m: Buffer) => add(udpFrame(CLIENT, port, SERVER, 2049, m));
  const toClient = (port: number, m: Buffer) => add(udpFrame(SERVER, 2049, CLIENT, port, m));
  let xid = 0x1000;
  for (const [proc, args, res] of EXCHANGES) {
    xid++;
    toServer(800, call(xid, 3, proc, args));
    if (res) toClient(800, reply(xid, res));
  }
  for (const [proc, args, res] of V2_EXCHANGES) {
    xid++;
    toServer(900, call(xid, 2, proc, args));
    toClient(900, reply(xid, res));
  }
  // AUTH_NULL credentials; a reply no call was seen for; a call to a program nobody registered.
  toServer(801, call(0x2000, 3, 0, EMPTY, AUTH_NULL));
  toClient(801, reply(0x2000, EMPTY));
  toClient(801, reply(0x2999, u32(0)));
  add(udpFrame(CLIENT, 802, SERVER, 3333, call(0x3000, 1, 4, u32(1, 2, 3), UNIX, 200999)));
  // A version of NFS SynScope (and this tshark) does not list; a call sent twice and its reply twice.
  toServer(803, call(0x5001, 5, 1, fh()));
  toClient(803, reply(0x5001, u32(1, 2)));
  const empty = authUnix(7, '', 0, 0, []);
  toServer(803, call(0x5002, 3, 1, fh(), empty));
  toServer(803, call(0x5002, 3, 1, fh(), empty));
  toClient(803, reply(0x5002, cat(u32(0), fattr(7, 0o10600, 0, 1))));
  toClient(803, reply(0x5002, cat(u32(0), fattr(7, 0o10600, 0, 1))));
  // Denied (RPC_MISMATCH, AUTH_ERROR) and accepted with PROG_MISMATCH.
  toServer(803, call(0x5003, 3, 2, cat(fh(), SATTR_NONE, u32(0))));
  toClient(803, u32(0x5003, 1, 1, 0, 2, 3));
  toServer(803, call(0x5004, 3, 1, fh()));
  toClient(803, u32(0x5004, 1, 1, 1, 3));
  toServer(803, call(0x5005, 3, 1, fh()));
  toClient(803, reply(0x5005, u32(3, 5), 2));
  // A WRITE the capture cut short, a LOOKUP without its name.
  const write = udpFrame(CLIENT, 803, SERVER, 2049, call(0x5006, 3, 7, cat(fh(), u64(0), u32(2000, 0), opaque(Buffer.alloc(2000, 0x41)))));
  add(write.subarray(0, 200), write.length);
  toServer(803, call(0x5007, 3, 3, fh()));

  // The portmapper on its port (version 2), and what is not RPC there (a continuation).
  const pmCall = (x: number, proc: number, args: Buffer) => add(udpFrame(CLIENT, 700, SERVER, 111, call(x, 2, proc, args, AUTH_NULL, 100000)));
  const pmReply = (x: number, res: Buffer) => add(udpFrame(SERVER, 111, CLIENT, 700, reply(x, res)));
  pmCall(0x6001, 3, u32(NFS, 3, 17, 0));
  pmReply(0x6001, u32(2049));
  pmCall(0x6002, 3, u32(100021, 4, 6, 0));
  pmReply(0x6002, u32(0));
  pmCall(0x6003, 4, EMPTY);
  pmReply(0x6003, u32(1, 100000, 2, 6, 111, 1, NFS, 3, 17, 2049, 1, 999999, 1, 17, 4000, 0));
  pmCall(0x6004, 0, EMPTY);
  pmReply(0x6004, EMPTY);
  pmCall(0x6005, 1, u32(NFS, 3, 17, 2049));
  pmReply(0x6005, u32(1));
  pmCall(0x6006, 2, u32(NFS, 3, 17, 2049));
  pmReply(0x6006, u32(0));
  add(udpFrame(CLIENT, 700, SERVER, 111, Buffer.from('not an RPC message')));
  add(tcpFrame(true, 1, 1, 0x18, cat(u32(0x80000038), call(0x6007, 2, 3, u32(NFS, 3, 6, 0), AUTH_NULL, 100000)), 111));
  add(tcpFrame(false, 1, 61, 0x18, cat(u32(0x8000001c), reply(0x6007, u32(2049))), 111));

  // Over TCP (port 2049 by the heuristic): one record per segment, two records in one, one record over two segments.
  let cs = 1000, ss = 5000;
  const record = (m: Buffer) => cat(u32(0x80000000 | m.length), m);
  const fromClient = (b: Buffer) => { add(tcpFrame(true, cs, ss, 0x18, b, 2049)); cs += b.length; };
  const fromServer = (b: Buffer) => { add(tcpFrame(false, ss, cs, 0x18, b, 2049)); ss += b.length; };
  fromClient(record(call(0x4001, 3, 1, fh())));
  fromServer(record(reply(0x4001, cat(u32(0), fattr(1, 0o100600, 5, 6)))));
  fromClient(record(call(0x4002, 3, 4, cat(fh(), u32(0x3f)))));
  fromServer(record(reply(0x4002, cat(u32(13), postAttr()))));
  fromClient(cat(record(call(0x4003, 3, 0, EMPTY)), record(call(0x4004, 3, 1, fh()))));
  fromServer(cat(record(reply(0x4003, EMPTY)), record(reply(0x4004, cat(u32(0), DIR)))));
  fromClient(cat(record(call(0x4006, 3, 21, cat(fh(), u64(0), u32(0)))), record(call(0x4007, 3, 18, fh(FH2)))));
  const big = record(call(0x4005, 3, 7, cat(fh(), u64(0), u32(100, 1), opaque(Buffer.alloc(100, 0x42)))));
  fromClient(big.subarray(0, 60));
  fromClient(big.subarray(60));
  fromServer(record(reply(0x4005, cat(u32(0), wcc(false, false), u32(100, 1), VERF))));
  return pcapFile(records);
}

const dir = mkdtempSync(join(tmpdir(), 'synscope-rpc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('read: ONC-RPC and NFS as tshark shows them', () => {
  it('pcapplusplus/ip4_fragments.pcap: NFS V3 WRITE calls over fragmented UDP, replies without their calls', () =>
    expectLikeTshark(corpusPath('pcapplusplus/ip4_fragments.pcap'), RPC, 6));

  it('written frames: every NFSv3 procedure called and answered over UDP and TCP, errors, unknown program and version, duplicates, truncated', () => {
    const file = join(dir, 'rpc-written.pcap');
    writeFileSync(file, writtenCapture());
    return expectLikeTshark(file, RPC, 130);
  });
});

describe('RPC frames dissected again show what the first pass showed, and a call its reply', () => {
  it('written frames', () => {
    const file = join(dir, 'rpc-again.pcap');
    writeFileSync(file, writtenCapture());
    const [first, again] = bothWays(file);
    // The first call (frame 1) learns its reply (frame 2) only once that was read.
    expect(first[0]).not.toContain('The reply to this request is in frame');
    expect(again[0]).toContain('[The reply to this request is in frame 2]');
    expect(again[0]).toContain('V3 NULL Call (Reply In 2)');
    const withoutReplyIn = (t: string) => t.split('\n').filter((l) => !l.includes('[The reply to this request is in frame ')).join('\n').replace(/ \(Reply In \d+\)/g, '');
    expect(again.map(withoutReplyIn)).toEqual(first.map(withoutReplyIn));
  });
});

describe('RPC in a live capture whose ring evicts frames', () => {
  it('forgets the calls the ring evicted once they have been quiet five minutes: a late reply is no longer matched', () => {
    const capture = new CaptureState({ revisits: true });
    const T = 1_700_000_000;
    const at = (number: number, sec: number, data: Uint8Array): FrameInput => ({ number, ts: { sec, nsec: 0 }, capLen: data.length, origLen: data.length, linkType: 1, data });
    const layers = (f: FrameInput) => dissect(f, capture, { tree: false, wanted: new Set() }).layers;
    const toServer = (m: Buffer) => udpFrame(CLIENT, 800, SERVER, 2049, m);
    const toClient = (m: Buffer) => udpFrame(SERVER, 2049, CLIENT, 800, m);
    expect(layers(at(1, T, toServer(call(7, 3, 1, fh()))))).toContain('rpc');
    expect(layers(at(5000, T + 400, toServer(call(8, 3, 1, fh()))))).toContain('rpc');
    // The ring now starts at frame 5000: call 7 (frame 1, 400 s ago) goes, call 8 stays.
    capture.forgetBefore(5000);
    expect(layers(at(5001, T + 401, toClient(reply(8, cat(u32(0), FILE)))))).toContain('rpc');
    expect(layers(at(5002, T + 402, toClient(reply(7, cat(u32(0), FILE)))))).not.toContain('rpc');
  });
});
