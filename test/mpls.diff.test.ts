// MPLS label stacks as tshark 4.0 shows them, on packets written here: one item per stack entry
// ("MultiProtocol Label Switching Header, Label: 29, Exp: 6, S: 1, TTL: 255"), the reserved
// labels by name (explicit nulls, router alert, implicit null, entropy label indicator, an
// unassigned one), the largest label, stacks of two and three. Each against tshark.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { internetChecksum } from '../app/dissect/checksum.js';
import { pcapFile } from './helpers/pcap-build.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-mpls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const ETH_MPLS = Buffer.from('000102030405060708090a0b8847', 'hex');

/** IPv4/UDP from 10.0.0.1:1000 to 10.0.0.2:2000 with 4 bytes. */
function datagram(): Buffer {
  const udp = Buffer.concat([u16(1000), u16(2000), u16(12), u16(0), Buffer.from('abcd')]);
  const ip = Buffer.concat([Buffer.from([0x45, 0]), u16(20 + udp.length), u16(1), u16(0), Buffer.from([64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2])]);
  ip.writeUInt16BE(~internetChecksum(ip) & 0xffff, 10);
  return Buffer.concat([ip, udp]);
}

/** A label stack entry. */
function entry(label: number, exp: number, bottom: boolean, ttl: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(((label << 12) | (exp << 9) | (bottom ? 0x100 : 0) | ttl) >>> 0);
  return b;
}

const stacks: Buffer[][] = [
  [entry(29, 6, true, 255)],
  [entry(1000, 0, false, 64), entry(16, 5, true, 63)],
  ...[0, 1, 2, 3, 7, 15].map((label) => [entry(label, 0, true, 1)]),
  [entry(0xfffff, 7, true, 0)],
  [entry(100, 0, false, 9), entry(7, 0, false, 9), entry(200, 0, true, 9)],
];
const packets = stacks.map((stack) => Buffer.concat([ETH_MPLS, ...stack, datagram()]));
const file = join(dir, 'mpls.pcap');
writeFileSync(file, pcapFile(packets.map((data, i) => ({ sec: 1700000000 + i, frac: 0, data }))));

const MPLS: TextProtocolCheck = {
  titles: ['MultiProtocol Label Switching Header'],
  fields: ['mpls.label', 'mpls.exp', 'mpls.bottom', 'mpls.ttl', 'frame.protocols', 'udp.dstport'],
  filters: ['mpls', 'mpls.label == 16', 'mpls.label < 16', 'mpls.exp == 5', 'mpls.bottom == 0', 'mpls.ttl == 0', 'count(mpls.label) == 3'],
};

describe('read: MPLS label stacks as tshark shows them', () => {
  it('one item per entry, reserved labels by name, stacks of one to three', () => expectLikeTshark(file, MPLS, packets.length));
});
