// UDP's checksum lines as tshark 4.0 shows them (checksums are not verified, as tshark's default):
// a zero checksum over IPv4 (none sent: "zero-value ignored") and over IPv6 (not allowed, RFC
// 8200 8.1: "zero-value illegal" with its error note), and a non-zero one ("unverified").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { pcapFile, udpFrame } from './helpers/pcap-build.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const UDP: TextProtocolCheck = {
  titles: ['User Datagram Protocol'],
  fields: ['udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum', 'udp.checksum.status', 'udp.stream', 'data.data'],
  filters: ['udp.checksum == 0', 'udp.checksum.status == 4', 'udp.checksum.status == 3', 'udp.checksum.status == 2'],
};

/** Ethernet, IPv6 from fd00::1 to fd00::2, UDP with the given checksum field. */
function udp6(sport: number, dport: number, checksum: number, payload: Uint8Array): Uint8Array {
  const udp = new Uint8Array(8 + payload.length);
  const len = udp.length;
  udp.set([sport >> 8, sport & 255, dport >> 8, dport & 255, len >> 8, len & 255, checksum >> 8, checksum & 255]);
  udp.set(payload, 8);
  const ip = new Uint8Array(40);
  ip.set([0x60, 0, 0, 0, len >> 8, len & 255, 17, 64]);
  ip[8] = 0xfd;
  ip[23] = 1;
  ip[24] = 0xfd;
  ip[39] = 2;
  return Uint8Array.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd, ...ip, ...udp]);
}

const dir = mkdtempSync(join(tmpdir(), 'synscope-udp-checksum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('read: UDP checksum lines as tshark shows them', () => {
  it('zero over IPv4 and IPv6, non-zero over both', () => {
    const payload = new TextEncoder().encode('not a protocol');
    const v4 = udpFrame([10, 0, 0, 1], 40000, [10, 0, 0, 2], 40001, payload);
    const frames = [v4, udp6(40000, 40001, 0, payload), udp6(40000, 40001, 0x1234, payload)];
    const file = join(dir, 'udp.pcap');
    writeFileSync(file, pcapFile(frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
    return expectLikeTshark(file, UDP, 3);
  });
});
