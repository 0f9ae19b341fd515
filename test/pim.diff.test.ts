// PIMv2 as tshark 4.0 shows it: version and type, the checksum verified (the whole message, a
// Register's 8-octet header, over IPv6 behind the pseudo-header; a bad one; unverified when cut
// short), and every message: Hello with each option kind (hold time, goodbye, infinity, LAN
// prune delay, DR priority, generation ID, state refresh, address lists new and old, unknown),
// Register (Null-Register dummy headers over IPv4 and IPv6, a carried IPv4 datagram),
// Register-Stop, Join/Prune with joined and pruned sources and Join Attributes, Graft,
// Graft-Ack, Bootstrap, Assert, Candidate-RP-Advertisement, State-Refresh, DF election, an
// unknown type, PIMv1 on IP, an address family PIM does not know, a Hello cut short. On the
// corpus capture (a truncated Register over IPv6) and on messages built here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { internetChecksum, pseudoHeaderChecksum } from '../app/dissect/checksum.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, type BuiltRecord } from './helpers/pcap-build.js';
import { expectSectionsAsTshark } from './helpers/section-diff.js';
import { FIELDS_ARGS } from './helpers/tshark.js';

const COLUMNS = [...FIELDS_ARGS, '-Y', 'pim', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols', '-e', 'pim.type', '-e', 'pim.cksum.status', '-e', 'pim.group', '-e', 'pim.holdtime', '-e', '_ws.expert.message'];

const expectSameAsTshark = (file: string): Promise<void> => expectSectionsAsTshark(file, ['Protocol Independent Multicast'], COLUMNS);

const u16 = (v: number): number[] => [v >> 8, v & 0xff];
const u32 = (v: number): number[] => [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const SRC6 = [0xfe, 0x80, ...Array<number>(13).fill(0), 1], DST6 = [0xff, 0x02, ...Array<number>(13).fill(0), 0x0d];

/** Sets the checksum of `pim` over its first `covered` octets (`sum` makes the checksum of a message). */
function withChecksum(pim: number[], covered: number, sum: (b: Uint8Array) => number): number[] {
  const m = [...pim];
  const ck = sum(new Uint8Array(m.slice(0, covered)));
  m[2] = ck >> 8;
  m[3] = ck & 0xff;
  return m;
}

/** An Ethernet/IPv4 frame to 224.0.0.13 with `pim` (checksummed over `covered` octets unless `bad`). */
function v4(pim: number[], covered = pim.length, bad = false): Uint8Array {
  const m = bad ? pim : withChecksum(pim, covered, internetChecksum);
  const ip = [0x45, 0, ...u16(20 + m.length), 0, 1, 0, 0, 1, 103, 0, 0, 10, 0, 0, 1, 224, 0, 0, 13];
  const ck = internetChecksum(new Uint8Array(ip));
  ip[10] = ck >> 8;
  ip[11] = ck & 0xff;
  return new Uint8Array([1, 0, 0x5e, 0, 0, 13, 2, 0, 0, 0, 0, 1, 0x08, 0x00, ...ip, ...m]);
}

/** An Ethernet/IPv6 frame from fe80::1 to ff02::d with `pim`, checksummed behind the pseudo-header. */
function v6(pim: number[], covered = pim.length): Uint8Array {
  const m = withChecksum(pim, covered, (b) => pseudoHeaderChecksum(new Uint8Array(SRC6), new Uint8Array(DST6), covered, 103, b));
  return new Uint8Array([0x33, 0x33, 0, 0, 0, 13, 2, 0, 0, 0, 0, 1, 0x86, 0xdd, 0x60, 0, 0, 0, ...u16(m.length), 103, 1, ...SRC6, ...DST6, ...m]);
}

const header = (type: number, second = 0): number[] => [0x20 | type, second, 0, 0];
const option = (type: number, body: number[]): number[] => [...u16(type), ...u16(body.length), ...body];
const unicast4 = (a: number[]): number[] => [1, 0, ...a];
const unicast6 = (a: number[]): number[] => [2, 0, ...a];
const group4 = (a: number[], mask = 32, flags = 0): number[] => [1, 0, flags, mask, ...a];
const source4 = (a: number[], flags = 4): number[] => [1, 0, flags, 32, ...a];

describe('read: PIM as tshark shows it', () => {
  it('tcpdump/pim_header_asan-2.pcap', () => expectSameAsTshark(corpusPath('tcpdump/pim_header_asan-2.pcap')));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-pim-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every message type and Hello option, both address families, checksums good, bad and unverified, a message cut short', async () => {
    const g = [239, 1, 1, 1], s = [10, 1, 1, 1];
    const hello = v4([...header(0), ...option(1, u16(105)), ...option(20, u32(123456))]);
    const frames = [
      v4([
        ...header(0), ...option(1, u16(105)), ...option(1, u16(0)), ...option(1, u16(0xffff)), ...option(2, [0x81, 0xf4, 0x0a, 0x28]), ...option(19, u32(1)),
        ...option(20, u32(123456)), ...option(21, [1, 60, 0, 0]), ...option(24, [...unicast4([10, 0, 0, 9]), ...unicast4([10, 0, 0, 10])]), ...option(22, []), ...option(99, [1, 2]),
      ]),
      v4([...header(0), ...option(65001, unicast4([10, 0, 0, 9]))], 0, true), // a bad checksum
      v6([...header(0), ...option(1, u16(105)), ...option(24, unicast6(SRC6)), ...option(20, u32(7))]),
      v4([...header(1), ...u32(0x40000000), 0x00, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, ...s, ...g], 8), // Null-Register
      v4([...header(1), ...u32(0x80000000), 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0xc4, 0x1b, ...s, ...g, 0x30, 0x39, 0x30, 0x39, 0, 8, 0, 0], 8),
      v4([...header(2), ...group4(g), ...unicast4(s)]),
      v4([
        ...header(3), ...unicast4([10, 0, 0, 2]), 0, 2, ...u16(210), ...group4(g), ...u16(2), ...u16(1), ...source4(s, 4), ...source4([10, 1, 1, 2], 7),
        ...source4([10, 1, 1, 3], 0), ...group4([239, 2, 2, 2], 24, 0x81), ...u16(0), ...u16(0),
      ]),
      // a source with Join Attributes: an RPF vector, then one marked End of Attributes
      v4([...header(3), ...unicast4([10, 0, 0, 2]), 0, 1, ...u16(210), ...group4(g), ...u16(1), ...u16(0), 1, 1, 4, 32, ...s, 0x80, 6, 1, 0, 10, 0, 0, 7, 0x45, 2, 9, 9]),
      v4([...header(6), ...unicast4([10, 0, 0, 2]), 0, 1, ...u16(0xffff), ...group4(g), ...u16(1), ...u16(0), ...source4(s)]),
      v4([...header(7), ...unicast4([10, 0, 0, 2]), 0, 1, ...u16(0), ...group4(g), ...u16(0), ...u16(1), ...source4(s)]),
      v4([...header(4), ...u16(0x1234), 30, 100, ...unicast4([10, 0, 0, 1]), ...group4([224, 0, 0, 0], 4), 1, 1, 0, 0, ...unicast4([10, 0, 0, 5]), ...u16(150), 192, 0]),
      v4([...header(5), ...group4(g), ...unicast4(s), ...u32(0x80000064), ...u32(20)]),
      v4([...header(8), 2, 192, ...u16(150), ...unicast4([10, 0, 0, 5]), ...group4([224, 0, 0, 0], 4), ...group4([239, 0, 0, 0], 8)]),
      v4([...header(9), ...group4(g), ...unicast4(s), ...unicast4([10, 0, 0, 1]), ...u32(0x64), ...u32(20), 32, 16, 0xe0, 60]),
      v4([...header(10, 0x30), ...unicast4([10, 0, 0, 5]), ...u32(100), ...u32(20), ...unicast4([10, 0, 0, 6]), ...u32(1), ...u32(2), ...u16(100)]),
      v4([...header(11), 1, 2, 3, 4]),
      v4([0x10, 0, 0, 0, 1, 2, 3, 4], 0, true), // PIMv1 on IP
      v4([...header(2), 9, 0, 0, 32, 1, 2, 3, 4]), // an address family PIM does not know
      v6([...header(3), ...unicast6(SRC6), 0, 1, ...u16(210), 2, 0, 0, 128, ...DST6, ...u16(1), ...u16(0), 2, 0, 4, 128, ...SRC6]),
      v6([...header(2), 2, 0, 0, 128, ...DST6, ...unicast6(SRC6)]),
      v6([...header(1), ...u32(0x40000000), 0x60, 0, 0, 0, 0, 0, 59, 64, ...SRC6, ...DST6], 8),
    ];
    const records: BuiltRecord[] = frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }));
    records.push({ sec: 1_700_000_100, frac: 0, data: hello.subarray(0, hello.length - 3), origLen: hello.length });
    const file = join(dir, 'pim.pcap');
    writeFileSync(file, pcapFile(records));
    await expectSameAsTshark(file);
  });
});
