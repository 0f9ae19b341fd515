// RIP as tshark 4.0 shows it (packet-rip.c): "RIPv1"/"RIPv2" in the Protocol column, the
// command in Info, each route entry (IP, or Unspecified for a whole-table request) with
// RIPv2's route tag, netmask and next hop, the authentication entry (a simple password, or a
// keyed MD5 header with its trailer at the end) and entries of an unknown family. On the
// corpus capture with RIP and on datagrams built here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, udpFrame } from './helpers/pcap-build.js';
import { expectSectionsAsTshark } from './helpers/section-diff.js';
import { FIELDS_ARGS } from './helpers/tshark.js';

const TITLE = 'Routing Information Protocol';
const COLUMNS = [
  ...FIELDS_ARGS, '-Y', 'rip', ...[
    'frame.number', '_ws.col.Protocol', '_ws.col.Info', 'frame.protocols', 'rip.command', 'rip.version', 'rip.ip', 'rip.netmask',
    'rip.next_hop', 'rip.metric', 'rip.auth.type', 'rip.auth.passwd', 'rip.family', 'rip.route_tag', 'rip.zero_padding',
    'rip.digest_offset', 'rip.key_id', 'rip.auth_data_len', 'rip.seq_num', 'rip.authentication_data', '_ws.expert.message',
  ].flatMap((f) => ['-e', f]),
];

describe('read: RIP as tshark shows it', () => {
  it('pcapplusplus/many-protocols.pcap', () => expectSectionsAsTshark(corpusPath('pcapplusplus/many-protocols.pcap'), [TITLE], COLUMNS));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-rip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const u16 = (n: number) => [(n >> 8) & 255, n & 255];
  const u32 = (n: number) => [(n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
  const entry = (family: number, tag: number, ip: number[], mask: number[], hop: number[], metric: number) =>
    [...u16(family), ...u16(tag), ...ip, ...mask, ...hop, ...u32(metric)];
  const z = [0, 0, 0, 0];
  const password = (s: string) => [...Buffer.from(s.padEnd(16, '\0'), 'latin1')];
  const digest = (first: number) => Array.from({ length: 16 }, (_, i) => (first + i * 17) & 255);

  it('v1 and v2 requests and responses, routes, authentication, unknown families and commands', async () => {
    const messages: number[][] = [
      [1, 1, 0, 0, ...entry(0, 0, z, z, z, 16)], // v1 whole-table request
      [2, 1, 0, 0, ...entry(2, 0, [10, 1, 0, 0], z, z, 1), ...entry(2, 0, [192, 168, 5, 0], z, z, 3), ...entry(2, 0, [172, 16, 0, 0], z, z, 16)],
      [1, 2, 0, 0, ...entry(0, 0, z, z, z, 16)],
      [2, 2, 0, 0, ...entry(2, 7, [10, 1, 0, 0], [255, 255, 0, 0], [10, 0, 0, 254], 2), ...entry(2, 65535, [10, 2, 0, 0], [255, 255, 255, 0], z, 15)],
      [2, 2, 0, 0, 0xff, 0xff, ...u16(2), ...password('secret'), ...entry(2, 0, [10, 3, 0, 0], [255, 0, 0, 0], z, 1)],
      [2, 2, 0, 0, 0xff, 0xff, ...u16(2), ...password('sixteen-chars-pw'), ...entry(2, 0, [10, 3, 0, 0], [255, 0, 0, 0], z, 1)],
      // keyed MD5 (RFC 2082): digest at offset 44, after the header, the auth entry and one route
      [2, 2, 0, 0, 0xff, 0xff, ...u16(3), ...u16(44), 1, 20, ...u32(123456), ...z, ...z, ...entry(2, 0, [10, 4, 0, 0], [255, 255, 0, 0], z, 4), 0xff, 0xff, 0, 1, ...digest(0)],
      // a data length of 16 leaves the trailer to the loop, which skips it as the last 20 bytes
      [2, 2, 0, 0, 0xff, 0xff, ...u16(3), ...u16(44), 1, 16, ...u32(7), ...z, ...z, ...entry(2, 0, [10, 4, 0, 0], [255, 255, 0, 0], z, 4), 0xff, 0xff, 0, 1, ...digest(255)],
      [2, 2, 0, 0, 0xff, 0xff, ...u16(9), ...password('x'), ...entry(2, 0, [10, 5, 0, 0], z, z, 1)],
      [2, 2, 0, 0, ...entry(2, 0, [10, 6, 0, 0], z, z, 1), ...entry(0xffff, 2, z, z, z, 0), ...entry(7, 0, z, z, z, 1)],
      [9, 1, 0, 0, ...entry(2, 0, [10, 7, 0, 0], z, z, 70000)], // unknown command, a metric past 16 bits
      [2, 3, 0, 0, ...entry(2, 0, [10, 8, 0, 0], z, z, 1)], // unknown version: "RIP"
      [2, 2, 0x12, 0x34, ...entry(2, 0, [10, 9, 0, 0], z, z, 1)], // a routing domain (not shown by default)
      [2, 1, 0, 0], // no entries
      [2, 2, 0, 0, 0xff, 0xff, ...u16(2), ...password('caf\xe9\x01')],
    ];
    const file = join(dir, 'rip.pcap');
    writeFileSync(file, pcapFile(messages.map((m, i) => ({ sec: 1_700_000_000 + i, frac: 0, data: udpFrame([10, 0, 0, 1], 520, [224, 0, 0, 9], 520, new Uint8Array(m)) }))));
    await expectSectionsAsTshark(file, [TITLE], COLUMNS);
  });
});
