// Spanning Tree BPDUs as tshark 4.0 shows them (packet-bpdu.c): the whole -V text, the columns
// and the stp/mstp fields, on the corpus's one BPDU and on BPDUs built here as 802.3 + LLC
// frames to 01:80:c2:00:00:00: STP configuration with the TC/TCA flags, TCN, RSTP with each
// port role, MSTP with 0, 1 and 3 MSTI records (and a Version 3 Length counting records, and
// the alternative record format), SPB's SPT extension, a BPDU of an unknown version and of an
// unknown type, BPDUs cut short by the snaplen, and Cisco PVST+ over
// SNAP with its Originating VLAN TLV (missing, of a bad length, unknown TLVs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, type BuiltRecord } from './helpers/pcap-build.js';
import { ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const FIELDS = [
  '_ws.col.Protocol', '_ws.col.Info', 'frame.protocols', 'stp.version', 'stp.type', 'stp.flags', 'stp.flags.tc', 'stp.flags.tcack', 'stp.flags.port_role',
  'stp.root.prio', 'stp.root.ext', 'stp.root.hw', 'stp.root.cost', 'stp.bridge.prio', 'stp.bridge.ext', 'stp.bridge.hw', 'stp.port', 'stp.msg_age',
  'stp.max_age', 'stp.hello', 'stp.forward', 'stp.version_1_length', 'mstp.version_3_length', 'mstp.config_name', 'mstp.config_digest',
  'mstp.cist_internal_root_path_cost', 'mstp.cist_bridge.hw', 'mstp.cist_remaining_hops', 'mstp.msti.msti_id', 'mstp.msti.root.hw', 'mstp.msti.root_cost',
  'mstp.msti.bridge_priority', 'mstp.msti.port_priority', 'mstp.msti.remaining_hops', 'stp.pvst.tlvtype', 'stp.pvst.origvlan', '_ws.expert.message',
];
const COLUMNS = [...FIELDS_ARGS, ...FIELDS.flatMap((f) => ['-e', f])];

async function expectSameAsTshark(file: string): Promise<void> {
  const theirs = tsharkVerbose(file).stdout;
  expect(theirs).toContain('Spanning Tree Protocol');
  expect(await ours(file, ['-V'])).toEqual(theirs);
  expect(await ours(file, COLUMNS)).toEqual(tsharkRaw(file, COLUMNS).stdout);
}

const mac = (s: string): number[] => s.split(':').map((h) => parseInt(h, 16));
const u16 = (v: number): number[] => [v >> 8, v & 0xff];
const u32 = (v: number): number[] => [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
/** A bridge identifier: priority and system ID extension in one word, then the MAC. */
const bridgeId = (word: number, m: string): number[] => [...u16(word), ...mac(m)];

/** The 35 octets of a configuration BPDU (and the start of an RST one): timers in 1/256 s. */
function bpdu(version: number, type: number, flags: number): number[] {
  return [
    0, 0, version, type, flags, ...bridgeId(0x8001, '00:13:f7:1e:df:f0'), ...u32(20000), ...bridgeId(0x9002, '00:13:f7:11:5e:c0'), ...u16(0x801b),
    ...u16(0x0180), ...u16(20 * 256), ...u16(2 * 256), ...u16(15 * 256),
  ];
}
const rst = (flags: number, version = 2): number[] => [...bpdu(version, 2, flags), 0];

/** An 802.1Q MSTI configuration message for MSTID `i`. */
function msti(i: number): number[] {
  return [0x7c | (i & 1), ...bridgeId(0x8000 | i, `00:11:22:33:44:${(0x50 + i).toString(16)}`), ...u32(1000 * i), 0x80, 0x90, 20 - i];
}

/** The MST configuration identifier, CIST path cost, CIST bridge and hops (the 64 fixed octets). */
function mstFixed(): number[] {
  const name = [...Buffer.from('region-one'.padEnd(32, '\0'), 'latin1')];
  return [0, ...name, ...u16(7), ...Array.from({ length: 16 }, (_, i) => i * 17), ...u32(2000), ...bridgeId(0x7005, '00:aa:bb:cc:dd:ee'), 19];
}

/** An MST BPDU with `n` MSTI records; `v3len` overrides the Version 3 Length. */
function mst(n: number, v3len = 64 + 16 * n, version = 3): number[] {
  return [...rst(0x7e, version), ...u16(v3len), ...mstFixed(), ...Array.from({ length: n }, (_, i) => msti(i + 1)).flat()];
}

/** The alternative MSTI format: Version 3 Length 0, the format selector holding the length, 26-octet records. */
function alternativeMst(n: number): number[] {
  const fixed = mstFixed();
  // packet-bpdu.c takes this format when the BPDU is selector + 39 octets long.
  fixed[0] = 63 + 26 * n;
  // Bridge identifier at 89, path cost at 97.
  fixed.splice(51, 12, ...bridgeId(0x6003, '00:aa:bb:cc:dd:ef'), ...u32(3000));
  const rec = (i: number) => [...u16(i), 0x3c, ...bridgeId(0x9000 | i, '00:11:22:33:44:66'), ...u32(500 * i), ...bridgeId(0xa000 | i, '00:11:22:33:44:77'), ...u16(0x8002), 15];
  return [...rst(0x7c, 3), ...u16(0), ...fixed, ...Array.from({ length: n }, (_, i) => rec(i + 1)).flat()];
}

/** SPB (version 4): an MST BPDU, then Version 4 Length and the SPT extension (MCID, agreement data). */
function spb(): number[] {
  const mcid = [1, ...Buffer.from('spt-region'.padEnd(32, '\0'), 'latin1'), ...u16(3), ...Array.from({ length: 16 }, (_, i) => 255 - i)];
  const agreement = [0x3b, 0, 0x12, 0x34, ...u16(5), 0, 0, 0, 0, 0, 0, 0, 0, ...Array.from({ length: 20 }, (_, i) => i)];
  const ext = [...mcid, ...agreement];
  return [...mst(1, 80, 4), ...u16(ext.length), ...ext];
}

/** An 802.3 frame to the bridge group address with an LLC UI header for SAP 0x42, padded to 60 octets. */
function dot3(payload: number[], length = payload.length + 3): Uint8Array {
  const f = [...mac('01:80:c2:00:00:00'), ...mac('00:13:f7:11:5e:db'), ...u16(length), 0x42, 0x42, 0x03, ...payload];
  while (f.length < 60) f.push(0);
  return Uint8Array.from(f);
}

/** A Cisco PVST+ frame: SNAP with OUI 00:00:0c, PID 0x010b, the BPDU, then `tlvs`. */
function pvst(payload: number[], tlvs: number[]): Uint8Array {
  const body = [0xaa, 0xaa, 0x03, 0, 0, 0x0c, 0x01, 0x0b, ...payload, ...tlvs];
  const f = [...mac('01:00:0c:cc:cc:cd'), ...mac('00:13:f7:11:5e:db'), ...u16(body.length), ...body];
  while (f.length < 60) f.push(0);
  return Uint8Array.from(f);
}
const vlanTlv = (vlan: number): number[] => [...u16(0), ...u16(2), ...u16(vlan)];

describe('read: Spanning Tree BPDUs as tshark shows them', () => {
  it('pcapplusplus/EthDot3.pcap', () => expectSameAsTshark(corpusPath('pcapplusplus/EthDot3.pcap')));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-stp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('STP, TCN, RSTP roles, MSTP records, SPB, unknown version and type, cut BPDUs, PVST+', async () => {
    const cut = dot3(rst(0x3c));
    const frames: Array<Uint8Array | { data: Uint8Array; origLen: number }> = [
      dot3(bpdu(0, 0, 0x81)),
      dot3(bpdu(0, 0, 0x01)),
      dot3(bpdu(0, 0, 0x80)),
      dot3([0, 0, 0, 0x80]),
      ...[0, 1, 2, 3].map((role) => dot3(rst(0x70 | (role << 2) | (role & 1 ? 0x82 : 0)))),
      dot3(rst(0x3d)),
      dot3(mst(0)),
      dot3(mst(1)),
      dot3(mst(3)),
      dot3(mst(2, 2)),
      dot3([...rst(0x7c, 3), ...u16(0), ...mstFixed()]),
      dot3(alternativeMst(2)),
      dot3(spb()),
      dot3(rst(0x0c, 7)),
      dot3(bpdu(0, 0x33, 0)),
      // Cut by the snaplen inside the timers, and before the port identifier.
      { data: cut.subarray(0, 14 + 3 + 30), origLen: cut.length },
      { data: cut.subarray(0, 14 + 3 + 20), origLen: cut.length },
      { data: cut.subarray(0, 14 + 3 + 2), origLen: cut.length },
      pvst([...bpdu(0, 0, 0), 0], vlanTlv(10)),
      pvst(rst(0x3c), vlanTlv(20)),
      pvst(rst(0x2e), [...u16(7), ...u16(3), 1, 2, 3, ...vlanTlv(30)]),
      pvst([...bpdu(0, 0, 0), 0], [...u16(0), ...u16(3), 0, 10, 0]),
      pvst([...bpdu(0, 0, 0), 0], [...u16(0), ...u16(2)]),
      pvst(bpdu(0, 0, 0), []),
    ];
    const records: BuiltRecord[] = frames.map((f, i) => ({ sec: 1_700_000_000 + i, frac: 0, ...(f instanceof Uint8Array ? { data: f } : f) }));
    const file = join(dir, 'stp.pcap');
    writeFileSync(file, pcapFile(records));
    await expectSameAsTshark(file);
  });
});
