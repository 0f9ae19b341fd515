// Cisco HDLC and SLARP as tshark 4.0 shows them (packet-chdlc.c): the whole -V text, the
// columns and the chdlc/slarp fields, on the corpus's SLARP capture and on frames built here
// (LINKTYPE_C_HDLC): IPv4 with a TCP SYN, IPv6, every SLARP message type (a keepalive with a bad
// reliability, an unknown type, one cut short), a BPDU and a protocol code nobody dissects.
// (OSI frames are left out: tshark hands them to its OSI dissectors, which SynScope lacks.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { internetChecksum } from '../app/dissect/checksum.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile } from './helpers/pcap-build.js';
import { ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const LINKTYPE_C_HDLC = 104;
const FIELDS = [
  '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Info', 'frame.protocols', 'chdlc.address', 'chdlc.control', 'chdlc.protocol',
  'chdlc.clns_padding', 'slarp.ptype', 'slarp.address', 'slarp.netmask', 'slarp.mysequence', 'slarp.yoursequence', 'slarp.reliability', '_ws.expert.message',
];
const COLUMNS = [...FIELDS_ARGS, ...FIELDS.flatMap((f) => ['-e', f])];

async function expectSameAsTshark(file: string): Promise<void> {
  const theirs = tsharkVerbose(file).stdout;
  expect(theirs).toContain('Cisco HDLC');
  expect(await ours(file, ['-V'])).toEqual(theirs);
  expect(await ours(file, [])).toEqual(tsharkRaw(file, []).stdout);
  expect(await ours(file, COLUMNS)).toEqual(tsharkRaw(file, COLUMNS).stdout);
}

const u16 = (v: number): number[] => [v >> 8, v & 0xff];
const u32 = (v: number): number[] => [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

/** A CHDLC frame: `address`, control 0, the protocol `code`, then `payload`. */
const chdlc = (code: number, payload: number[], address = 0x0f): number[] => [address, 0, ...u16(code), ...payload];

/** An IPv4 header (checksum filled in) with a TCP SYN from 10.1.1.1:40000 to 10.1.1.2:80. */
function ipv4TcpSyn(): number[] {
  const ip = [0x45, 0, ...u16(40), 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 1, 1, 1, 10, 1, 1, 2];
  const ck = internetChecksum(Uint8Array.from(ip));
  ip[10] = ck >> 8;
  ip[11] = ck & 0xff;
  return [...ip, ...u16(40000), ...u16(80), ...u32(1000), ...u32(0), 0x50, 0x02, ...u16(65535), 0, 0, 0, 0];
}

/** An IPv6 header with no payload (next header 59) from 2001:db8::1 to 2001:db8::2. */
function ipv6Empty(): number[] {
  const addr = (last: number) => [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), last];
  return [0x60, 0, 0, 0, ...u16(0), 59, 64, ...addr(1), ...addr(2)];
}

/** A SLARP packet: its type, two words, the reliability, and the 4 octets Cisco sends after them. */
const slarp = (type: number, a: number, b: number, reliability = 0xffff): number[] => [...u32(type), ...u32(a), ...u32(b), ...u16(reliability), 0x05, 0x27, 0xc5, 0xb9];

/** A configuration BPDU (root 32768/0/00:13:f7:1e:df:f0). */
const bpdu = [0, 0, 0, 0, 0, 0x80, 0, 0, 0x13, 0xf7, 0x1e, 0xdf, 0xf0, ...u32(4), 0x80, 0, 0, 0x13, 0xf7, 0x11, 0x5e, 0xc0, ...u16(0x8001), 0, 0, ...u16(0x1400), ...u16(0x200), ...u16(0xf00)];

describe('read: Cisco HDLC and SLARP as tshark shows them', () => {
  it('tcpdump/hdlc_slarp.pcapng', () => expectSameAsTshark(corpusPath('tcpdump/hdlc_slarp.pcapng')));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-chdlc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('IPv4 with a TCP SYN, IPv6, each SLARP type, a BPDU, an unknown protocol code', async () => {
    const frames = [
      chdlc(0x0800, ipv4TcpSyn()),
      chdlc(0x86dd, ipv6Empty()),
      chdlc(0x8035, slarp(0, 0, 0), 0x8f),
      chdlc(0x8035, slarp(1, 0x0a000001, 0xfffffffc), 0x8f),
      chdlc(0x8035, slarp(2, 7, 6), 0x8f),
      chdlc(0x8035, slarp(2, 8, 7, 0x1234), 0x8f),
      chdlc(0x8035, slarp(9, 1, 2), 0x8f),
      chdlc(0x8035, slarp(2, 1, 0).slice(0, 10), 0x8f),
      chdlc(0x8035, slarp(1, 0x0a000001, 0xffffff00).slice(0, 14), 0x8f),
      chdlc(0x4242, bpdu, 0x8f),
      chdlc(0x1234, [1, 2, 3, 4]),
    ];
    const file = join(dir, 'chdlc.pcap');
    writeFileSync(file, pcapFile(frames.map((f, i) => ({ sec: 1_700_000_000 + i, frac: 0, data: Uint8Array.from(f) })), LINKTYPE_C_HDLC));
    await expectSameAsTshark(file);
  });
});
