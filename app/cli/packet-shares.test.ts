// How PacketShares groups packets (read-parallel.test.ts shows that the groups keep every corpus
// capture's lines as they are; this shows the rules on packets made for them).
import { describe, expect, it } from 'vitest';
import { tcpFrame } from '../../test/helpers/pcap-build.js';
import { PacketShares } from './packet-shares.js';

/** The group of an Ethernet frame. */
function groupOf(s: PacketShares, frame: Uint8Array): number {
  return s.group(frame, 0, frame.length, 1);
}

describe('PacketShares', () => {
  it('puts both directions of a TCP connection in one group, and another connection of the same hosts in another', () => {
    const s = new PacketShares(2);
    const http = groupOf(s, tcpFrame(true, 1, 0, 0x02, '', 80));
    expect(groupOf(s, tcpFrame(false, 9, 2, 0x12, '', 80))).toBe(http);
    expect(groupOf(s, tcpFrame(true, 1, 0, 0x02, '', 443))).not.toBe(http);
  });

  it('keeps the connections FTP announces with its control connection, and a connection already under way where it was', () => {
    const s = new PacketShares(2);
    const before = groupOf(s, tcpFrame(true, 1, 0, 0x02, '', 8080));
    const control = groupOf(s, tcpFrame(true, 1, 0, 0x02, '', 21));
    // A data connection (passive mode: a port the 227 reply named) after the control's first segment.
    expect(groupOf(s, tcpFrame(true, 1, 0, 0x02, '', 50123))).toBe(control);
    expect(groupOf(s, tcpFrame(false, 5, 2, 0x18, 'HTTP/1.1 200 OK\r\n', 8080))).toBe(before);
    expect(before).not.toBe(control);
  });

  it('sends a connection\'s packets to one thread, and spreads many connections evenly', () => {
    const s = new PacketShares(3);
    const counts = [0, 0, 0];
    for (let port = 1000; port < 1300; port++) {
      const first = s.of(tcpFrame(true, 1, 0, 0x02, '', port), 0, 54, 1);
      // Connections of different sizes: the next ones go to the threads with fewer packets.
      for (let i = 0; i < port % 7; i++) expect(s.of(tcpFrame(false, 1, 2, 0x10, '', port), 0, 54, 1)).toBe(first);
      counts[first]! += 1 + (port % 7);
    }
    const total = counts[0]! + counts[1]! + counts[2]!;
    for (const c of counts) expect(Math.abs(c - total / 3)).toBeLessThan(10);
  });

  it('gives every packet to thread 0 when there is one thread, and packets without IP to one group', () => {
    expect(new PacketShares(1).of(tcpFrame(true, 1, 0, 0x02, '', 80), 0, 54, 1)).toBe(0);
    const s = new PacketShares(2);
    const arp = new Uint8Array(42);
    arp[12] = 0x08;
    arp[13] = 0x06;
    expect(s.group(arp, 0, 42, 1)).toBe(s.group(new Uint8Array(20), 0, 20, 127));
  });
});
