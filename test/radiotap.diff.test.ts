// The radiotap header (LINKTYPE 127) and tshark's "802.11 radio information" tree, against
// tshark 4.0 run live: zeek/radiotap.pcap's whole -V text and its radiotap/wlan_radio fields with
// -T fields; then headers built here, one per packet: the PHY each field combination implies
// (11b long and assumed-short preamble, 11g turned 11b by a DSSS rate, 11g and 11a OFDM, 11n
// with every MCS bit known, 11ac with users), the extended present words of iwlwifi (radiotap
// namespace again after bit 29, per-antenna signals), the rarer fields (FHSS, dB signal and
// noise, lock quality, attenuation, TX power, RX/TX flags, data retries), an A-MPDU status with
// its delimiter CRC, a vendor namespace skipped by its length, the airtime and IFS between
// frames, a field that runs past the header, a bad version, and a header cut short.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile } from './helpers/pcap-build.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const FIELDS = [
  'radiotap.version', 'radiotap.pad', 'radiotap.length', 'radiotap.present.word', 'radiotap.present.tsft', 'radiotap.present.ext',
  'radiotap.mactime', 'radiotap.flags', 'radiotap.flags.fcs', 'radiotap.flags.preamble', 'radiotap.datarate', 'radiotap.channel.freq',
  'radiotap.channel.flags', 'radiotap.channel.flags.ofdm', 'radiotap.dbm_antsignal', 'radiotap.dbm_antnoise', 'radiotap.antenna',
  'radiotap.xchannel.channel', 'radiotap.xchannel.flags', 'radiotap.mcs.known', 'radiotap.mcs.bw', 'radiotap.mcs.index', 'radiotap.mcs.gi',
  'radiotap.ampdu.reference', 'radiotap.ampdu.flags', 'radiotap.ampdu.flags.last', 'radiotap.vht.bw', 'radiotap.vht.mcs.0', 'radiotap.vht.nss.0',
  'radiotap.vht.datarate.0', 'radiotap.db_antsignal', 'radiotap.txflags', 'radiotap.rxflags',
  'wlan_radio.phy', 'wlan_radio.data_rate', 'wlan_radio.channel', 'wlan_radio.frequency', 'wlan_radio.signal_dbm', 'wlan_radio.noise_dbm',
  'wlan_radio.snr', 'wlan_radio.timestamp', 'wlan_radio.duration', 'wlan_radio.preamble', 'wlan_radio.ifs', 'wlan_radio.start_tsf',
  'wlan_radio.end_tsf', 'wlan_radio.11n.mcs_index', 'wlan_radio.11n.bandwidth', 'wlan_radio.11n.short_gi', 'wlan_radio.11ac.mcs',
  'wlan_radio.11ac.nss', 'wlan_radio.a_mpdu_aggregate_id', 'wlan_radio.last_part_of_an_ampdu', 'wlan_radio.short_preamble',
  '_ws.col.Protocol', 'frame.protocols',
];
const COLUMNS = [...FIELDS_ARGS, ...FIELDS.flatMap((f) => ['-e', f])];

async function ours(file: string, args: string[]): Promise<string> {
  const out = new StringSink(), err = new StringSink();
  await runRead(parseReadArgs([file, ...args]), out, err);
  return out.text();
}

async function expectSameAsTshark(file: string): Promise<void> {
  const theirs = tsharkVerbose(file).stdout;
  expect(theirs).toContain('Radiotap Header');
  expect((await ours(file, ['-V'])).split('\n')).toEqual(theirs.split('\n'));
  expect((await ours(file, COLUMNS)).split('\n')).toEqual(tsharkRaw(file, COLUMNS).stdout.split('\n'));
}

/** One radiotap field: the bit that announces it, its alignment and its bytes. */
type Field = [bit: number, align: number, bytes: number[]];

/** A radiotap header of `words` present words with `fields` laid out in order, each aligned from the header's start. */
function radiotap(words: number[], fields: Field[]): number[] {
  const out = [0, 0, 0, 0];
  for (const w of words) out.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24);
  for (const [, align, bytes] of fields) {
    while (out.length % align) out.push(0);
    out.push(...bytes);
  }
  out[2] = out.length & 0xff;
  out[3] = out.length >> 8;
  return out;
}

const le16 = (v: number): number[] => [v & 0xff, v >> 8];
const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const le64 = (v: number): number[] => [...le32(v % 2 ** 32), ...le32(Math.floor(v / 2 ** 32))];
const bits = (...b: number[]): number => b.reduce((w, x) => w + 2 ** x, 0);

const TSFT = (t: number): Field => [0, 8, le64(t)];
const FLAGS = (f: number): Field => [1, 1, [f]];
const RATE = (r: number): Field => [2, 1, [r]];
const CHANNEL = (freq: number, flags: number): Field => [3, 2, [...le16(freq), ...le16(flags)]];
const SIGNAL = (dbm: number): Field => [5, 1, [dbm & 0xff]];
const NOISE = (dbm: number): Field => [6, 1, [dbm & 0xff]];
const ANTENNA = (a: number): Field => [11, 1, [a]];
const MCS = (known: number, flags: number, mcs: number): Field => [19, 1, [known, flags, mcs]];
const AMPDU = (ref: number, flags: number, crc: number): Field => [20, 4, [...le32(ref), ...le16(flags), crc, 0]];
const VHT = (known: number, flags: number, bw: number, mcsNss: number[], coding: number, gid: number, paid: number): Field =>
  [21, 2, [...le16(known), flags, bw, ...mcsNss, coding, gid, ...le16(paid)]];

/** A radiotap header whose present word is made from its fields' bits. */
const simple = (fields: Field[]): number[] => radiotap([bits(...fields.map(([b]) => b))], fields);

/** An 802.11 QoS Data frame to the AP, LLC/SNAP and 20 bytes of an IPv4 header (no FCS unless `fcs`). */
function wlanFrame(fcs = false): number[] {
  const ip = [0x45, 0, 0, 20, 0, 1, 0, 0, 64, 253, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
  const f = [0x88, 0x01, 0x2c, 0x00, 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 3, 0x10, 0, 0, 0, 0xaa, 0xaa, 3, 0, 0, 0, 8, 0, ...ip];
  return fcs ? [...f, 0xde, 0xad, 0xbe, 0xef] : f;
}

describe('read: radiotap and 802.11 radio information as tshark shows them', () => {
  it('zeek/radiotap.pcap: the whole -V text and the radiotap/wlan_radio fields', () => expectSameAsTshark(corpusPath('zeek/radiotap.pcap')));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-radiotap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('headers built here: PHYs, extended and vendor present words, every field kind, A-MPDU, VHT, IFS, damaged headers', async () => {
    const headers: number[][] = [
      // 11b, long preamble, 1 Mb/s, with an FCS
      simple([TSFT(1_000_000), FLAGS(0x10), RATE(2), CHANNEL(2437, 0x00a0), SIGNAL(-40), NOISE(-95)]),
      // dynamic CCK-OFDM channel at a DSSS rate: 11b, preamble unknown (the assumption note)
      simple([TSFT(1_000_900), RATE(11), CHANNEL(2412, 0x0480), SIGNAL(-41)]),
      // 11g OFDM, 54 Mb/s, short preamble flag (not an 11b property)
      simple([TSFT(1_002_000), FLAGS(0x02), RATE(108), CHANNEL(2462, 0x00c0), SIGNAL(-42), ANTENNA(2)]),
      // no channel: the rate and nothing else (PHY unknown, 11a by rate for the airtime)
      simple([RATE(12)]),
      // iwlwifi's extended present words: radiotap namespace again after bit 29, per-antenna signals
      radiotap([bits(0, 1, 3, 5, 29, 31), bits(5, 11, 29, 31), bits(5, 11)],
        [TSFT(1_010_000), FLAGS(0x00), CHANNEL(5180, 0x0140), SIGNAL(-50), SIGNAL(-51), ANTENNA(0), SIGNAL(-52), ANTENNA(1)]),
      // 11n with every MCS bit known: STBC, extension streams, short GI, greenfield, LDPC, 20 MHz
      simple([TSFT(1_020_000), FLAGS(0x00), CHANNEL(2412, 0x00c0), SIGNAL(-60), MCS(0xff, 0xfc, 15)]),
      // 11n with the guard interval from the Flags field (0x80), 40 MHz, MCS 3
      simple([TSFT(1_030_000), FLAGS(0x80), MCS(0x0b, 0x01, 3)]),
      // 11n: an A-MPDU's last subframe, its delimiter CRC known
      simple([TSFT(1_040_000), MCS(0x07, 0x00, 5), AMPDU(77, 0x2c, 0xab)]),
      // 11ac: everything known, 80 MHz, two users (one with an invalid MCS/NSS pair), and a Rate field too
      simple([TSFT(1_050_000), FLAGS(0x00), RATE(24), CHANNEL(5210, 0x0140), VHT(0x1ff, 0x3f, 4, [0x92, 0x63, 0, 0], 0x01, 5, 0x1234)]),
      // 11ac: 20 MHz, long GI, MCS 9 NSS 1 (a rate 802.11ac does not allow), STBC unknown
      simple([TSFT(1_060_000), VHT(0x044, 0x00, 0, [0x91, 0, 0, 0], 0, 0, 0)]),
      // the rarer fields
      radiotap([bits(4, 7, 8, 9, 10, 12, 13, 14, 15, 17)],
        [[4, 2, [3, 7]], [7, 2, le16(40)], [8, 2, le16(5)], [9, 2, le16(6)], [10, 1, [0xf6]], [12, 1, [30]], [13, 1, [5]],
          [14, 2, le16(0x0002)], [15, 2, le16(0x002d)], [17, 1, [3]]]),
      // a vendor namespace (its data skipped by its length), then the radiotap namespace again
      radiotap([bits(1, 30, 31), bits(0, 1, 29, 31), bits(5)],
        [FLAGS(0x00), [30, 2, [0xfe, 0xdc, 0xba, 7, ...le16(4)]], [0, 1, [1, 2, 3, 4]], SIGNAL(-70)]),
      // a field that runs past the header's length
      [0, 0, 10, 0, ...le32(bits(1, 19)), 0x00, 0x07],
      // version 1: the iterator refuses the header
      [1, 0, 8, 0, ...le32(bits(1))],
    ];
    const records = headers.map((h, i) => ({ sec: 1_700_000_000 + i, frac: 0, data: new Uint8Array([...h, ...wlanFrame(i === 0)]) }));
    // a header cut short by the capture
    const cut = simple([TSFT(1_070_000), FLAGS(0), CHANNEL(2412, 0x00a0), MCS(0x07, 0, 1)]);
    records.push({ sec: 1_700_000_100, frac: 0, data: new Uint8Array(cut.slice(0, 20)), origLen: cut.length + 40 } as typeof records[number]);
    const file = join(dir, 'radiotap-built.pcap');
    writeFileSync(file, pcapFile(records, 127));
    await expectSameAsTshark(file);
  });
});
