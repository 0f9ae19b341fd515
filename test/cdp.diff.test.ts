// Cisco Discovery Protocol as tshark 4.0 shows it: the CDP subtree of every packet's -V tree
// (header, checksum and its status, each TLV's type/length lines and value), Protocol/Info and
// frame.protocols, CDP's fields with -T fields, and display filters' packet sets. On the corpus
// captures with CDP (over 802.3/LLC/SNAP, some inside 802.1Q) and on frames written here for
// TLVs the corpus lacks: an IPv6 address, power, trust bitmap, spare-pair PoE, VoIP VLANs, an
// unknown type, a bad checksum, an odd length (CDP's own checksum padding), a TLV length past
// the end and one under 4.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { cdpChecksum } from '../app/dissect/checksum.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile } from './helpers/pcap-build.js';
import { expectLikeTshark, expectSameFilterSets, onlyPackets, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const FILTERS = [
  'cdp', 'cdp.deviceid contains "R"', 'cdp.portid == "FastEthernet0/13"', 'cdp.capabilities.router', 'cdp.checksum.status == 0',
  'cdp.nrgyz.ip_address == 10.118.10.1', 'cdp.native_vlan == 1', 'cdp.tlv.type == 0x0016', 'cdp.platform matches "^Cisco"',
];
const CDP: TextProtocolCheck = {
  titles: ['Cisco Discovery Protocol'],
  fields: [
    'cdp.version', 'cdp.ttl', 'cdp.checksum', 'cdp.checksum.status', 'cdp.tlv.type', 'cdp.tlv.len', 'cdp.deviceid', 'cdp.portid', 'cdp.platform',
    'cdp.software_version', 'cdp.number_of_addresses', 'cdp.protocol_type', 'cdp.protocol_length', 'cdp.protocol', 'cdp.address_length',
    'cdp.nrgyz.ip_address', 'cdp.nrgyz.ipv6_address', 'cdp.address', 'cdp.capabilities', 'cdp.capabilities.router', 'cdp.capabilities.switch',
    'cdp.capabilities.igmp_capable', 'cdp.capabilities.mac_relay', 'cdp.ip_prefix', 'cdp.odr_default_gateway', 'cdp.oui', 'cdp.protocol_id',
    'cdp.cluster.master_ip', 'cdp.cluster.switch_mac', 'cdp.cluster.management_vlan', 'cdp.vtp_management_domain', 'cdp.native_vlan',
    'cdp.duplex', 'cdp.power_consumption', 'cdp.mtu', 'cdp.trust_bitmap', 'cdp.untrusted_port_cos', 'cdp.system_name', 'cdp.location',
    'cdp.location.unknown', 'cdp.data', 'cdp.voice_vlan', 'cdp.request_id', 'cdp.power_available', 'cdp.power_requested',
    'cdp.system_object_identifier', 'cdp.spare_poe_tlv', 'cdp.spare_poe_tlv.pse_spare_pair_poe', 'data.data',
  ],
  filters: FILTERS,
};

const dir = mkdtempSync(join(tmpdir(), 'synscope-cdp-'));

/** The corpus captures with CDP; their other packets go to protocols compared elsewhere. */
const CORPUS = ['pcapplusplus/VlanPackets.pcap', 'pcapplusplus/many-protocols.pcap'];

// ---- frames written here ----

const tlv = (type: number, value: string | number[] | Buffer): Buffer => {
  const v = typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(value);
  const b = Buffer.alloc(4 + v.length);
  b.writeUInt16BE(type);
  b.writeUInt16BE(4 + v.length, 2);
  v.copy(b, 4);
  return b;
};
const u16 = (v: number) => [v >> 8, v & 0xff];
const u32 = (v: number) => [...u16(v >>> 16), ...u16(v & 0xffff)];

/** A CDPv2 message (TTL 180) of `tlvs`, its checksum right unless `badSum`. */
function cdp(tlvs: readonly Buffer[], badSum = false): Buffer {
  const body = Buffer.concat([Buffer.from([2, 180, 0, 0]), ...tlvs]);
  const sum = cdpChecksum(body);
  body.writeUInt16BE(badSum ? sum ^ 0x1234 : sum, 2);
  return body;
}

/** An 802.3 frame to CDP's multicast address with LLC/SNAP (OUI 00:00:0c, PID 0x2000) around `payload`. */
function frame(payload: Buffer): Uint8Array {
  const llc = Buffer.from([0xaa, 0xaa, 0x03, 0, 0, 0x0c, 0x20, 0x00]);
  const h = Buffer.from([1, 0, 0x0c, 0xcc, 0xcc, 0xcc, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0]);
  h.writeUInt16BE(llc.length + payload.length, 12);
  return Buffer.concat([h, llc, payload]);
}

// An IPv6 address (802.2 protocol aaaa0300000086dd) and two IPv4 ones (NLPID 0xcc).
const IPV6_ADDRESSES = [0, 0, 0, 1, 2, 8, 0xaa, 0xaa, 3, 0, 0, 0, 0x86, 0xdd, 0, 16, 0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), 1];
const IPV4_ADDRESSES = [0, 0, 0, 2, 1, 1, 0xcc, 0, 4, 192, 0, 2, 1, 1, 1, 0xcc, 0, 4, 192, 0, 2, 2];

const WRITTEN = [
  // Every TLV type SynScope decodes that the corpus lacks, an unknown one (0x00ff) and named ones tshark shows as bytes (0x1b, 0x18).
  cdp([
    tlv(1, 'sw1'), tlv(2, IPV6_ADDRESSES), tlv(3, 'GigabitEthernet0/1'), tlv(4, u32(0x4ff)), tlv(5, 'Line one\nLine two\n'),
    tlv(6, 'cisco WS-C2960'), tlv(0x0a, u16(10)), tlv(0x0b, [0]), tlv(0x10, u16(15400)), tlv(0x11, u32(1500)), tlv(0x12, [0x01]),
    tlv(0x13, [0x05]), tlv(0x14, 'sysname'), tlv(0x16, IPV4_ADDRESSES), tlv(0x17, [0, ...Buffer.from('Building 1')]), tlv(0x07, u32(0x0a000001)),
    tlv(0x00ff, [1, 2, 3]), tlv(0x0e, [1, 0, 20]), tlv(0x1a, [0, 1, 0, 2, ...u32(15000), ...u32(15000)]), tlv(0x15, [1, 2, 3]),
    tlv(0x1f, [0x0f]), tlv(0x0f, [1, 0, 20]), tlv(0x1b, [1]), tlv(0x18, 'x'),
  ]),
  // Odd length ending in a byte with its top bit set: the checksum's padding quirk.
  cdp([tlv(1, 'odd'), tlv(0x1f, [0]), tlv(0x19, [0, 1, 0, 2, ...u32(15000)]), tlv(0x12, [0x81])]),
  cdp([tlv(1, 'bad'), tlv(3, 'Gi0/2')], true),
  // A Port ID whose length runs past the end: Malformed Packet after the Device ID.
  cdp([tlv(1, 'past'), Buffer.from([0, 3, 0, 40, 0x47, 0x69])]),
  // A TLV length under 4: tshark stops there and shows the rest as data.
  cdp([tlv(1, 'short'), Buffer.from([0, 6, 0, 2]), tlv(6, 'x')]),
  // NUL padding after a Device ID, an empty VTP domain.
  cdp([tlv(1, 'pad\0\0'), tlv(3, 'Fa0/1'), tlv(9, '')]),
];

describe('read: CDP as tshark shows it', () => {
  for (const rel of CORPUS) {
    it(`${rel}: every CDP packet's tree, columns, fields and filters`, async () => {
      await expectLikeTshark(onlyPackets(corpusPath(rel), 'cdp', join(dir, rel.replace(/\W/g, '_'))), CDP, 6);
    });

    it(`${rel}: the display filters select the same packets in the whole capture`, () => expectSameFilterSets(corpusPath(rel), FILTERS));
  }

  it('frames written here: IPv6 address, power, trust bitmap, unknown TLV, bad checksum, odd length, TLV lengths past the end and under 4', async () => {
    const file = join(dir, 'written.pcap');
    writeFileSync(file, pcapFile(WRITTEN.map((p, i) => ({ sec: i, frac: 0, data: frame(p) }))));
    await expectLikeTshark(file, { ...CDP, filters: [...FILTERS, 'data', 'cdp.nrgyz.ipv6_address == 2001:db8::1', 'cdp.power_consumption == 15400', 'cdp.trust_bitmap == 1', 'cdp.tlv.type == 0xff', 'cdp.checksum.status == "Bad"', '_ws.malformed'] }, WRITTEN.length);
  });
});
