// The Frame item and the file-format details behind it, against tshark 4.0 run live: records
// without a time (pcapng Simple Packet Blocks, Custom Blocks: no time lines, an empty Time
// column, and the next packet's deltas count from the time wiretap left them: 0 after an SPB,
// the previous packet's after a Custom Block), a Custom Block's PEN and Copying lines, the EPB
// options (flags with their bits and the direction in the title, drop count, packet id, queue),
// interfaces named by their section-local number in the file's list (tshark 4.0), and a pcap
// fraction >= 10^9 (the note on the Frame, the deltas' wrapped C arithmetic). On the corpus
// captures with these, the whole -V text where the rest matches too, and the frame.* fields on
// all of them; on captures written here, -V, the summary lines and the fields.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile } from './helpers/pcap-build.js';
import { ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

/** Whole -V text identical to tshark's. */
const IDENTICAL = [
  'gopacket/be/test010.pcapng',
  'gopacket/le/test009.pcapng',
  'gopacket/le/test016.pcapng',
  'gopacket/le/test018.pcapng',
  'gopacket/le/test100.pcapng',
  'gopacket/be/test101.pcapng',
  'gopacket/be/test202.pcapng',
];
/**
 * The frame fields match on this one too; its -V text differs in TCP's [Timestamps] and RTTs
 * (no wrap of an invalid fraction), which are no frame lines.
 */
const FIELDS_ONLY = ['tcpdump/timestamp_invalid_nano.pcap'];

const FRAME_FIELDS = [
  'frame.number', 'frame.time', 'frame.time_epoch', 'frame.offset_shift', 'frame.time_delta', 'frame.time_delta_displayed', 'frame.time_relative',
  'frame.section_number', 'frame.interface_id', 'frame.interface_name', 'frame.interface_description', 'frame.interface_queue',
  'frame.packet_flags', 'frame.packet_flags_direction', 'frame.packet_flags_reception_type', 'frame.packet_flags_fcs_length',
  'frame.packet_flags_crc_error', 'frame.packet_flags_symbol_error', 'frame.packet_id', 'frame.drop_count', 'frame.cb_pen', 'frame.cb_copy',
  'frame.encap_type', 'frame.len', 'frame.cap_len', 'frame.comment', 'frame.marked', 'frame.ignored', 'frame.p2p_dir', 'frame.protocols',
];
const FIELDS = [...FIELDS_ARGS, ...FRAME_FIELDS.flatMap((f) => ['-e', f])];
/** The fields a display filter's fast path also gives (it must step aside where they would differ). */
const FAST_FIELDS = [...FIELDS_ARGS, ...['frame.number', 'frame.time', 'frame.time_epoch', 'frame.time_delta', 'frame.time_relative'].flatMap((f) => ['-e', f])];

async function expectFieldsLikeTshark(file: string): Promise<void> {
  expect(await ours(file, FIELDS)).toEqual(tsharkRaw(file, FIELDS).stdout);
  expect(await ours(file, FAST_FIELDS)).toEqual(tsharkRaw(file, FAST_FIELDS).stdout);
  const filtered = ['-Y', 'eth', ...FAST_FIELDS];
  expect(await ours(file, filtered)).toEqual(tsharkRaw(file, filtered).stdout);
}

async function expectAllLikeTshark(file: string): Promise<void> {
  expect(await ours(file, ['-V'])).toEqual(tsharkVerbose(file).stdout);
  expect(await ours(file, [])).toEqual(tsharkRaw(file, []).stdout);
  await expectFieldsLikeTshark(file);
}

describe('read: the Frame item of pcapng records and odd pcap times as tshark shows them', () => {
  for (const rel of IDENTICAL) it(`${rel}: -V and frame fields`, () => expectAllLikeTshark(corpusPath(rel)));
  for (const rel of FIELDS_ONLY) {
    it(`${rel}: frame fields and summary lines`, async () => {
      await expectFieldsLikeTshark(corpusPath(rel));
      expect(await ours(corpusPath(rel), [])).toEqual(tsharkRaw(corpusPath(rel), []).stdout);
    });
  }
});

// --- captures written here -------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'synscope-pcapng-frame-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An Ethernet II frame of an EtherType nobody dissects or names (0x9999): Data. */
function ethData(n: number): Buffer {
  const b = Buffer.alloc(14 + n);
  Buffer.from([0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x99, 0x99]).copy(b);
  for (let i = 0; i < n; i++) b[14 + i] = i;
  return b;
}

const pad4 = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);

/** A little-endian pcapng block: type, total length, body (padded), total length. */
function block(type: number, body: Buffer): Buffer {
  const padded = pad4(body);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(12 + padded.length, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(12 + padded.length, 0);
  return Buffer.concat([head, padded, tail]);
}

/** Options {code, length, value padded}, then opt_endofopt. */
function options(list: ReadonlyArray<[number, Buffer]>): Buffer {
  if (list.length === 0) return Buffer.alloc(0);
  const parts = list.map(([code, v]) => {
    const h = Buffer.alloc(4);
    h.writeUInt16LE(code, 0);
    h.writeUInt16LE(v.length, 2);
    return Buffer.concat([h, pad4(v)]);
  });
  return Buffer.concat([...parts, Buffer.alloc(4)]);
}

const u32le = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0, 0);
  return b;
};
const u64le = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v, 0);
  return b;
};

function shb(): Buffer {
  const body = Buffer.alloc(16);
  body.writeUInt32LE(0x1a2b3c4d, 0);
  body.writeUInt16LE(1, 4);
  body.writeInt32LE(-1, 8);
  body.writeInt32LE(-1, 12);
  return block(0x0a0d0d0a, body);
}

function idb(opts: { name?: string; description?: string; hardware?: string }): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(1, 0);
  const list: Array<[number, Buffer]> = [];
  if (opts.name !== undefined) list.push([2, Buffer.from(opts.name)]);
  if (opts.description !== undefined) list.push([3, Buffer.from(opts.description)]);
  if (opts.hardware !== undefined) list.push([15, Buffer.from(opts.hardware)]);
  return block(1, Buffer.concat([fixed, options(list)]));
}

const T = 1_700_000_000;

/** An EPB at T + `us` microseconds on interface `iface`, with options. */
function epb(iface: number, us: number, data: Buffer, opts: ReadonlyArray<[number, Buffer]> = []): Buffer {
  const ticks = BigInt(T) * 1_000_000n + BigInt(us);
  const fixed = Buffer.alloc(20);
  fixed.writeUInt32LE(iface, 0);
  fixed.writeUInt32LE(Number(ticks >> 32n), 4);
  fixed.writeUInt32LE(Number(ticks & 0xffffffffn), 8);
  fixed.writeUInt32LE(data.length, 12);
  fixed.writeUInt32LE(data.length, 16);
  return block(6, Buffer.concat([fixed, pad4(data), options(opts)]));
}

const spb = (data: Buffer): Buffer => block(3, Buffer.concat([u32le(data.length), data]));
const customBlock = (pen: number, data: Buffer, copy: boolean): Buffer => block(copy ? 0xbad : 0x40000bad, Buffer.concat([u32le(pen), data]));

const EPB_FLAGS = 2, EPB_DROPCOUNT = 4, EPB_PACKETID = 5, EPB_QUEUE = 6;

describe('read: pcapng records written here, against tshark', () => {
  it('Custom Blocks, SPBs, EPB options, interfaces by section-local number', async () => {
    const file = join(dir, 'records.pcapng');
    writeFileSync(file, Buffer.concat([
      shb(),
      idb({ name: 'eth0', description: 'first port' }),
      idb({ description: 'described only' }),
      idb({ hardware: 'hardware only' }),
      idb({}),
      // A Custom Block first: the Time column and every frame.time_relative count from its 0.
      customBlock(32473, Buffer.from('custom data'), true),
      // Inbound, multicast; a drop count, a packet id and a queue. (An FCS length would have
      // Ethernet show the FCS, which SynScope's does not yet.)
      epb(0, 0, ethData(20), [[EPB_FLAGS, u32le(1 | (2 << 2))], [EPB_DROPCOUNT, u64le(7n)], [EPB_PACKETID, u64le(0x1122334455667788n)], [EPB_QUEUE, u32le(3)]]),
      // Outbound, with the CRC and symbol error bits.
      epb(1, 500_000, ethData(21), [[EPB_FLAGS, u32le(2 | 0x01000000 | 0x80000000)]]),
      spb(ethData(22)),
      epb(2, 1_000_000, ethData(23)),
      epb(3, 1_100_000, ethData(23)),
      // An unknown PEN, not to be copied: its time is the packet's before it.
      customBlock(99999, Buffer.from('more'), false),
      epb(0, 1_250_000, ethData(24)),
      shb(),
      idb({ name: 'second section' }),
      // Interface 0 of section 2 is named as the file's interface 0 (tshark 4.0).
      epb(0, 2_000_000, ethData(25)),
      spb(ethData(26)),
      epb(0, 2_000_001, ethData(27)),
    ]));
    await expectAllLikeTshark(file);
  });
});

describe('read: pcap fractions of a second out of range, against tshark', () => {
  const frames = (fracs: ReadonlyArray<[number, number]>) => fracs.map(([sec, frac], i) => ({ sec, frac, data: ethData(10 + i) }));

  it('nanosecond pcap: 10^9, 0xffffffff, 2^31 (a C int), then valid times again', async () => {
    const file = join(dir, 'nano.pcap');
    const b = pcapFile(frames([[T, 999_999_999], [T + 1, 1_000_000_000], [T + 1, 0xffffffff], [T + 1, 0x80000000], [T + 2, 5], [T, 7]]));
    b.writeUInt32LE(0xa1b23c4d, 0);
    writeFileSync(file, b);
    await expectAllLikeTshark(file);
  });

  it('microsecond pcap: 10^6 µs and more (wiretap multiplies by 1000 in a C int)', async () => {
    const file = join(dir, 'micro.pcap');
    writeFileSync(file, pcapFile(frames([[T, 0], [T, 1_000_000], [T, 3_000_000], [T, 0xffffffff], [T + 1, 999_999]])));
    await expectAllLikeTshark(file);
  });
});
