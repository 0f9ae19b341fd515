// IP datagrams whose payload is empty or too short for the protocol it names, as tshark 4.0
// shows them: IPv4 hands on no empty payload (the packet ends at IPv4, Info empty); IPv6 does,
// and UDP and TCP read their ports before they add an item or set the columns, so a payload
// shorter than the ports shows only the exception, under IPv6's columns. Built here, compared
// with tshark (whole -V text and summary lines).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { internetChecksum } from '../app/dissect/checksum.js';
import { pcapFile } from './helpers/pcap-build.js';
import { ours } from './helpers/text-protocol-diff.js';
import { tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const ETH_V4 = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
const ETH_V6 = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd];

/** An IPv4 datagram 10.0.0.1 -> 10.0.0.2 of protocol `proto` carrying `payload`. */
function ipv4(proto: number, payload: number[]): Uint8Array {
  const h = new Uint8Array(20);
  const dv = new DataView(h.buffer);
  h[0] = 0x45;
  dv.setUint16(2, 20 + payload.length);
  h[8] = 64;
  h[9] = proto;
  h.set([10, 0, 0, 1, 10, 0, 0, 2], 12);
  dv.setUint16(10, internetChecksum(h));
  return new Uint8Array([...ETH_V4, ...h, ...payload]);
}

/** An IPv6 packet fd00::1 -> fd00::2 with next header `nxt` carrying `payload`. */
function ipv6(nxt: number, payload: number[]): Uint8Array {
  const h = new Uint8Array(40);
  new DataView(h.buffer).setUint16(4, payload.length);
  h[0] = 0x60;
  h[6] = nxt;
  h[7] = 64;
  h.set([0xfd], 8);
  h[23] = 1;
  h.set([0xfd], 24);
  h[39] = 2;
  return new Uint8Array([...ETH_V6, ...h, ...payload]);
}

describe('read: IP payloads that are empty or shorter than their protocol\'s ports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-ip-edges-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('IPv4 and IPv6 with UDP, TCP, ICMP, ICMPv6, PIM, no next header and an unknown protocol', async () => {
    const frames = [
      ...[17, 6, 1, 58, 103, 253].map((p) => ipv4(p, [])),
      ...[17, 6, 58, 59, 0, 253].map((p) => ipv6(p, [])),
      ipv4(17, [0x12]), ipv4(6, [0x12, 0x34, 0x56]), ipv6(17, [0x12, 0x34]), ipv6(6, [0x12, 0x34, 0x56]),
      ipv6(17, [0x12, 0x34, 0x00, 0x35]), ipv6(6, [0x12, 0x34, 0x00, 0x50, 0, 0]),
    ];
    const file = join(dir, 'edges.pcap');
    writeFileSync(file, pcapFile(frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
    expect(await ours(file, ['-V'])).toEqual(tsharkVerbose(file).stdout);
    expect(await ours(file, [])).toEqual(tsharkRaw(file, []).stdout);
  });
});
