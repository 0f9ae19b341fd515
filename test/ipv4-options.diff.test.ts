// IPv4 options as tshark 4.0 shows them, on packets written here: source routes under way (the
// header's destination is the current hop, "Via:", the route's last address is ip.dst and the
// Destination column), finished and empty ones; record route with its next slot; time stamps
// with addresses not filled in; the Commercial Security option's tags (bitmap, enumerated,
// ranged, permissive, free form, unknown, malformed, one read past the option). Each against tshark.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { internetChecksum } from '../app/dissect/checksum.js';
import { pcapFile } from './helpers/pcap-build.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-ipv4-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ETH = Buffer.from('000102030405060708090a0b0800', 'hex');
const ECHO = (() => {
  const b = Buffer.from([8, 0, 0, 0, 0, 1, 0, 1]);
  b.writeUInt16BE(~internetChecksum(b) & 0xffff, 2);
  return b;
})();

/** Ethernet + IPv4 from 10.0.0.6 to `dst` with `options` (padded with EOL) + an echo request. */
function packet(options: number[], dst = [10, 0, 0, 138]): Buffer {
  const opts = Buffer.from(options);
  const padded = Buffer.concat([opts, Buffer.alloc((4 - (opts.length % 4)) % 4)]);
  const hl = 5 + padded.length / 4;
  const ip = Buffer.concat([Buffer.from([0x40 | hl, 0, 0, 0, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 6, ...dst]), padded]);
  ip.writeUInt16BE(ip.length + ECHO.length, 2);
  ip.writeUInt16BE(~internetChecksum(ip) & 0xffff, 10);
  return Buffer.concat([ETH, ip, ECHO]);
}
const cipso = (tags: number[]) => [134, 6 + tags.length, 0, 0, 0, 3, ...tags];

const packets = [
  // Source routes: loose, three addresses, the second next; strict, two; one already done; none.
  packet([131, 15, 8, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]),
  packet([1, 137, 11, 4, 1, 1, 1, 1, 2, 2, 2, 2]),
  packet([131, 11, 12, 1, 1, 1, 1, 2, 2, 2, 2]),
  packet([131, 3, 4]),
  // Record route with two slots filled; time stamps with addresses, the last not filled in.
  packet([7, 19, 12, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0]),
  packet([68, 20, 13, 1, 10, 0, 0, 6, 0, 0, 0, 9, 10, 0, 0, 7, 0, 0, 0, 7, 0, 0, 0, 0]),
  // Commercial Security: every tag type, an unknown one, a malformed one, one read past the option.
  packet(cipso([1, 7, 0, 5, 0xa0, 0x01, 0x80])),
  packet(cipso([2, 8, 0, 3, 0, 1, 0, 7])),
  packet(cipso([5, 12, 0, 4, 0, 9, 0, 3, 0, 20, 0, 20])),
  packet(cipso([5, 10, 0, 4, 0, 9, 0, 3, 0, 20])),
  packet(cipso([6, 5, 1, 2, 3])),
  packet(cipso([7, 4, 0xaa, 0xbb])),
  packet(cipso([9, 6, 1, 2, 3, 4])),
  packet(cipso([2, 3, 0])),
  packet(cipso([0, 0, 2, 4, 0, 1])),
  packet(cipso([2, 9, 0, 3, 0, 1, 0, 7, 9])),
];
const file = join(dir, 'ipv4-options.pcap');
writeFileSync(file, pcapFile(packets.map((data, i) => ({ sec: 1700000000 + i, frac: 0, data }))));

const OPTIONS: TextProtocolCheck = {
  titles: ['Internet Protocol Version 4'],
  fields: [
    'ip.dst', 'ip.addr', 'ip.cur_rt', 'ip.src_rt', 'ip.rec_rt', 'ip.empty_rt', 'ip.opt.time_stamp_addr', '_ws.col.Destination',
    'ip.cipso.doi', 'ip.cipso.tag_type', 'ip.cipso.sensitivity_level', 'ip.cipso.categories', 'ip.cipso.tag_data', '_ws.expert.message',
  ],
  filters: ['ip.dst == 3.3.3.3', 'ip.addr == 10.0.0.138', 'ip.cur_rt', 'ip.src_rt == 1.1.1.1', 'ip.cipso.categories contains "20"', 'ip.cipso.tag_type == 2', '_ws.malformed', 'icmp'],
};

describe('read: IPv4 options as tshark shows them', () => {
  it('source routes, record route, time stamps, Commercial Security tags', () => expectLikeTshark(file, OPTIONS, packets.length));
});
