// SMB (version 1), its mailslot protocol and the Windows Browser protocol over NBDS (UDP 138)
// against tshark 4.0: the whole -V text, the Protocol/Info columns and frame.protocols, every
// smb/mailslot/browser field SynScope defines with -T fields, and display filters' packet sets.
// On zeek/smtp.pcap (frame 60, a host announcement to \MAILSLOT\BROWSE) and on datagrams built
// here: every Browser command on \MAILSLOT\BROWSE and the LANMAN announcements, the server type
// bits, times and versions tshark words, SMB headers with NT statuses and DOS errors of each
// class, Unicode names, a transaction to another mailslot (data) and to a name that is no
// mailslot (setup words, parameters, data), padding, commands tshark leaves undecoded, and
// messages cut short by the snaplen or by their own counts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserFields } from '../app/dissect/protocols/browser.js';
import { mailslotFields } from '../app/dissect/protocols/smb-mailslot.js';
import { smbFields } from '../app/dissect/protocols/smb.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, udpFrame, type BuiltRecord } from './helpers/pcap-build.js';
import { expectSameFilterSets, ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const COLUMNS = [...FIELDS_ARGS, '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols'];
const FIELDS = [...Object.keys(smbFields), ...Object.keys(mailslotFields), ...Object.keys(browserFields)];
const FILTERS = [
  'smb', 'mailslot', 'browser', 'data', '_ws.malformed', 'browser.command == 0x01', 'browser.command == 0x0c', 'smb.cmd == 0x25',
  'mailslot.name contains "BROWSE"', 'mailslot.name == "\\\\MAILSLOT\\\\LANMAN"', 'smb.flags2.nt_error', 'smb.nt_status == 0xc0000022',
  'smb.error_class == 2', 'browser.server_type.browser.master', 'browser.server == "NAME1"', 'browser.windows_version == "Windows XP"',
  'smb.trans_name contains "FOO"', 'smb.padding', 'browser.election.desire.domain_master', 'browser.period > 60000',
];

/** tshark's and SynScope's -V, columns and fields of a file are the same, and so are the filters' packet sets. */
async function expectSameAsTshark(file: string): Promise<void> {
  expect((await ours(file, ['-V'])).split('\n')).toEqual(tsharkVerbose(file).stdout.split('\n'));
  expect(await ours(file, COLUMNS)).toEqual(tsharkRaw(file, COLUMNS).stdout);
  const fields = [...FIELDS_ARGS, '-e', 'frame.number', ...FIELDS.flatMap((f) => ['-e', f])];
  expect(await ours(file, fields)).toEqual(tsharkRaw(file, fields).stdout);
  await expectSameFilterSets(file, FILTERS);
}

// ---- building datagrams ----

const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
const z = (s: string) => Buffer.from(`${s}\0`, 'latin1');

/** A NetBIOS name's first-level encoding (RFC 1001 14.1) as a label. */
function nbName(name: string, type: number): Buffer {
  const raw = Buffer.alloc(16, 0x20);
  Buffer.from(name, 'latin1').copy(raw);
  raw[15] = type;
  const out = Buffer.alloc(34);
  out[0] = 32;
  for (let i = 0; i < 16; i++) {
    out[1 + 2 * i] = 0x41 + (raw[i]! >> 4);
    out[2 + 2 * i] = 0x41 + (raw[i]! & 0x0f);
  }
  return out;
}

/** A Direct_group datagram from CLIENT to WORKGROUP<1d> carrying `payload`. */
function nbds(payload: Buffer): Buffer {
  const names = Buffer.concat([nbName('CLIENT', 0x00), nbName('WORKGROUP', 0x1d)]);
  const h = Buffer.alloc(14);
  h[0] = 0x11;
  h[1] = 0x02;
  h.writeUInt16BE(0x1234, 2);
  Buffer.from([192, 168, 1, 20]).copy(h, 4);
  h.writeUInt16BE(138, 8);
  h.writeUInt16BE(names.length + payload.length, 10);
  return Buffer.concat([h, names, payload]);
}

interface Header { cmd?: number; status?: number; flags?: number; flags2?: number; tid?: number; pid?: number; uid?: number; mid?: number }

function smbHeader(h: Header): Buffer {
  const b = Buffer.alloc(32);
  b.write('\xffSMB', 0, 'latin1');
  b[4] = h.cmd ?? 0x25;
  b.writeUInt32LE(h.status ?? 0, 5);
  b[9] = h.flags ?? 0;
  b.writeUInt16LE(h.flags2 ?? 0, 10);
  b.writeUInt16LE(h.tid ?? 0, 24);
  b.writeUInt16LE(h.pid ?? 0, 26);
  b.writeUInt16LE(h.uid ?? 0, 28);
  b.writeUInt16LE(h.mid ?? 0, 30);
  return b;
}

interface Trans extends Header { name?: string; setup?: number[]; params?: Buffer; data?: Buffer; timeout?: number; transFlags?: number; pad?: number }

/** An SMB Trans request (words, byte count, name, padding, parameters, data), offsets from the header. */
function trans(t: Trans): Buffer {
  const setup = t.setup ?? [1, 0, 2];
  const unicode = ((t.flags2 ?? 0) & 0x8000) !== 0;
  const name = t.name ?? '\\MAILSLOT\\BROWSE';
  const nameBytes = unicode ? Buffer.concat([Buffer.alloc(1), Buffer.from(`${name}\0`, 'utf16le')]) : z(name);
  const params = t.params ?? Buffer.alloc(0), data = t.data ?? Buffer.alloc(0), pad = Buffer.alloc(t.pad ?? 0);
  const wordsLength = 1 + (14 + setup.length) * 2 + 2;
  const po = 32 + wordsLength + nameBytes.length + pad.length;
  const words = Buffer.concat([
    Buffer.from([14 + setup.length]), u16(params.length), u16(data.length), u16(0), u16(0), Buffer.from([0, 0]), u16(t.transFlags ?? 0),
    u32(t.timeout ?? 1000), u16(0), u16(params.length), u16(params.length ? po : 0), u16(data.length), u16(data.length ? po + params.length : 0),
    Buffer.from([setup.length, 0]), ...setup.map(u16), u16(nameBytes.length + pad.length + params.length + data.length),
  ]);
  return Buffer.concat([smbHeader(t), words, nameBytes, pad, params, data]);
}

/** Another command: its parameter words and bytes as they are. */
function command(h: Header, words: number[], bytes: Buffer): Buffer {
  return Buffer.concat([smbHeader(h), Buffer.from([words.length]), ...words.map(u16), u16(bytes.length), bytes]);
}

const name16 = (s: string) => { const b = Buffer.alloc(16); b.write(s, 'latin1'); return b; };
const versionAndSignature = Buffer.concat([Buffer.from([15, 1]), u16(0xaa55)]);
/** A \MAILSLOT\BROWSE announcement (host, domain, local master). */
function announcement(cmd: number, period: number, os: [number, number], type: number, tail: Buffer, name = `NAME${cmd}`): Buffer {
  return Buffer.concat([Buffer.from([cmd, 1]), u32(period), name16(name), Buffer.from(os), u32(type), tail]);
}

const BROWSE = [
  announcement(1, 720000, [5, 1], 0x00031003, Buffer.concat([versionAndSignature, z('a comment')]), 'NAME1'),
  announcement(1, 0, [5, 0], 0x4000, Buffer.concat([versionAndSignature, z('')])),
  announcement(1, 90061001, [5, 2], 0x3f000000, Buffer.concat([versionAndSignature, z('x')])),
  announcement(1, 0xffffffff, [6, 0], 0, Buffer.concat([versionAndSignature, z('y')])),
  announcement(1, 0x80000000, [6, 1], 0xffffffff, Buffer.concat([versionAndSignature, z('all')]), 'H\u00e9\u00ff'),
  announcement(15, 1500, [4, 0], 0x00040000, Buffer.concat([versionAndSignature, z('lmb')])),
  announcement(12, 60000, [6, 1], 0x80001000, Buffer.concat([u32(0x12345678), z('MASTER')])),
  announcement(12, 0xfa8f3b17, [6, 1], 0x80001000, Buffer.concat([versionAndSignature, z('MASTER2')])),
  Buffer.concat([Buffer.from([2, 0x19]), z('REPLYTO')]),
  Buffer.concat([Buffer.from([8, 1]), u32(0x20011f0a), u32(3723004), u32(0), z('ELECTOR')]),
  Buffer.concat([Buffer.from([8, 1]), u32(0x01a5ff31), u32(0xfffffc18), u32(0), z('ELECTOR2')]),
  Buffer.concat([Buffer.from([9, 4]), u32(77)]),
  Buffer.concat([Buffer.from([10, 2]), u32(77), z('BACKUP1'), z('BACKUP2')]),
  Buffer.concat([Buffer.from([10, 0]), u32(78)]),
  Buffer.concat([Buffer.from([11]), z('PROMOTE')]),
  Buffer.concat([Buffer.from([13]), z('MASTERB')]),
  Buffer.from([14, 0x01]), Buffer.from([14, 0x02]), Buffer.from([14, 0x04]), Buffer.from([14, 0x07]),
  Buffer.from([0x20, 1, 2]),
  // Cut short by its own data count: the periodicity, the server name without its NUL, the count of backups.
  Buffer.from([1, 2, 3]),
  Buffer.concat([Buffer.from([13]), Buffer.from('NO-NUL')]),
  Buffer.concat([Buffer.from([10, 3]), u32(1), z('ONLY-ONE')]),
];
const LANMAN = [
  Buffer.concat([Buffer.from([1, 2]), u32(0x1003), Buffer.from([4, 0]), u16(60), z('LMHOST'), z('lm comment')]),
  Buffer.concat([Buffer.from([12, 2]), u32(0x80001000), Buffer.from([4, 0]), u16(60), z('LMDOM'), z('LMMASTER')]),
  Buffer.concat([Buffer.from([15, 2]), u32(0x40000), Buffer.from([6, 1]), u16(720), z('LMLMB'), z('')]),
  Buffer.from([2, 0, 1]),
];

function datagrams(): BuiltRecord[] {
  const frames: BuiltRecord[] = [];
  const add = (smb: Buffer, keep?: number) => {
    const data = udpFrame([192, 168, 1, 20], 138, [192, 168, 1, 255], 138, nbds(smb));
    frames.push({ sec: 1_700_000_000 + frames.length, frac: 0, data: keep === undefined ? data : data.subarray(0, keep), origLen: data.length });
  };
  for (const data of BROWSE) add(trans({ data }));
  for (const data of LANMAN) add(trans({ data, name: '\\MAILSLOT\\LANMAN' }));
  const host = BROWSE[0]!;
  // Headers: IDs, flags, NT statuses and DOS errors of every class, Unicode names and their pad byte.
  add(trans({ data: host, tid: 5, pid: 7, uid: 9, mid: 11, flags: 0x18 }));
  add(trans({ data: host, flags2: 0xc001, status: 0xc0000022 }));
  add(trans({ data: host, flags2: 0x4000, status: 0x12345678 }));
  for (const status of [0x00020001, 0x00fa0001, 0x00050002, 0x00160002, 0x00f00002, 0x00210003, 0x00990003, 0x00010004, 0x00010009]) add(trans({ data: host, status }));
  add(trans({ data: host, flags2: 0x8000 }));
  add(trans({ data: host, flags2: 0x8000, name: '\\MAILSLOT\\LANMAN' }));
  // Timeouts and transaction flags as tshark words them.
  for (const timeout of [0, 0xffffffff, 1500, 90061001]) add(trans({ data: host, timeout, transFlags: 3 }));
  // Another mailslot (its message is data), a name that is no mailslot, padding, an interim reply.
  add(trans({ data: host, name: '\\MAILSLOT\\FOO' }));
  add(trans({ data: Buffer.from('hello'), params: Buffer.from([1, 2, 3, 4]), name: '\\FOO', setup: [7, 8] }));
  add(trans({ data: Buffer.from('x'), params: Buffer.from([9]), name: '\\FOO', setup: [], pad: 2 }));
  add(trans({ data: host, pad: 3 }));
  add(trans({ data: Buffer.alloc(0) }));
  add(trans({ data: host, setup: [] }));
  add(trans({ data: host, setup: [5, 0, 1] }));
  // Commands tshark itself leaves undecoded (dissect_unknown), and one without a command.
  add(command({ cmd: 0x40 }, [1, 2], Buffer.from('xyz')));
  add(command({ cmd: 0x15, flags: 0x80, status: 0x00020001 }, [], Buffer.alloc(0)));
  add(command({ cmd: 0xfe }, [3], Buffer.alloc(0)));
  for (const status of [0xc0000022, 0x80000005, 0xc0ffee00]) add(command({ cmd: 0x40, flags: 0x80, flags2: 0x4000, status }, [], Buffer.from('r')));
  add(command({ cmd: 0xff }, [], Buffer.alloc(0)));
  // Cut short by the snaplen (in the announcement, in the words, in the header), by the counts
  // (a data count past the byte count, a byte count past the message, two setup words), by the end
  // of the message (the header, the words, a name without its NUL); and payloads that are not SMB.
  const full = trans({ data: host });
  add(full, 42 + 82 + full.length - 30);
  add(full, 42 + 82 + 60);
  add(full, 42 + 82 + 20);
  const bigData = Buffer.from(full);
  bigData.writeUInt16LE(200, 32 + 1 + 22);
  add(bigData);
  const bigBcc = Buffer.from(full);
  bigBcc.writeUInt16LE(300, 32 + 1 + 34);
  add(bigBcc);
  add(trans({ data: host, setup: [1, 0] }));
  const extra = Buffer.concat([full, Buffer.from('zz')]);
  extra.writeUInt16LE(full.readUInt16LE(32 + 1 + 34) + 2, 32 + 1 + 34);
  add(extra);
  const shortBytes = command({ cmd: 0x40 }, [], Buffer.from('abc'));
  shortBytes.writeUInt16LE(10, 33);
  add(shortBytes);
  add(full.subarray(0, 20));
  add(full.subarray(0, 50));
  add(full.subarray(0, 32 + 37 + 5));
  add(Buffer.from([0xff, 0x53, 0x4d]));
  add(Buffer.from('not an SMB header'));
  return frames;
}

describe('read: SMB, its mailslots and the Browser protocol as tshark shows them', () => {
  it('zeek/smtp.pcap: frame 60, a host announcement', async () => {
    const file = corpusPath('zeek/smtp.pcap');
    const theirs = tsharkVerbose(file).stdout;
    expect(sectionLines(theirs, 'Microsoft Windows Browser Protocol', true).length).toBeGreaterThan(10);
    const mine = await ours(file, ['-V']);
    for (const title of ['SMB (Server Message Block Protocol)', 'SMB MailSlot Protocol', 'Microsoft Windows Browser Protocol']) {
      expect(sectionLines(mine, title, true)).toEqual(sectionLines(theirs, title, true));
    }
    expect(await ours(file, COLUMNS)).toEqual(tsharkRaw(file, COLUMNS).stdout);
    const fields = [...FIELDS_ARGS, '-e', 'frame.number', ...FIELDS.flatMap((f) => ['-e', f])];
    expect(await ours(file, fields)).toEqual(tsharkRaw(file, fields).stdout);
    await expectSameFilterSets(file, FILTERS);
  });

  const dir = mkdtempSync(join(tmpdir(), 'synscope-smb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('datagrams written here: every Browser command, SMB headers, other mailslots and names, messages cut short', async () => {
    const file = join(dir, 'smb-browser.pcap');
    const frames = datagrams();
    writeFileSync(file, pcapFile(frames));
    expect(tsharkRaw(file, ['-Y', 'browser']).stdout.trim().split('\n').length).toBeGreaterThanOrEqual(BROWSE.length + LANMAN.length);
    await expectSameAsTshark(file);
  });
});
