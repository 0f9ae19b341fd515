// tcpdump code generation on hand-made packets: offsets per link type, the vlan shift, BPF's
// reject-on-out-of-bounds, 32-bit arithmetic, constant folding into libpcap's errors.
import { describe, expect, it } from 'vitest';
import { compileTcpdump, MSG_NOT_ETHER, MSG_REJECTS_ALL } from './compile.js';

/** An IPv4/TCP packet: 20-byte IP header, 20-byte TCP header with `flags`. */
function ipTcp(src: number[], dst: number[], sport: number, dport: number, flags: number): number[] {
  const ip = [0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, ...src, ...dst];
  const tcp = [sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0];
  return [...ip, ...tcp];
}
const ETH_HDR = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
const VLAN_HDR = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x81, 0x00, 0x00, 0x64, 0x08, 0x00];
const pkt = ipTcp([10, 0, 0, 1], [10, 0, 0, 2], 1234, 80, 0x02);

function run(expr: string, bytes: number[], lt = 1): boolean {
  const c = compileTcpdump(expr);
  if (!c.ok) throw new Error(c.error.message);
  return c.filter.test(Uint8Array.from(bytes), lt);
}

describe('compileTcpdump', () => {
  it('finds IP after Ethernet, SLL, SLL2, raw and null headers', () => {
    expect(run('tcp port 80', [...ETH_HDR, ...pkt], 1)).toBe(true);
    expect(run('tcp port 80', [...new Array(14).fill(0), 0x08, 0x00, ...pkt], 113)).toBe(true);
    expect(run('tcp port 80', [0x08, 0x00, ...new Array(18).fill(0), ...pkt], 276)).toBe(true);
    expect(run('tcp port 80', pkt, 101)).toBe(true);
    expect(run('tcp port 80', [2, 0, 0, 0, ...pkt], 0)).toBe(true);
    expect(run('tcp port 80', [0, 0, 0, 2, ...pkt], 0)).toBe(true);
  });
  it('needs `vlan` to look past a tag, and shifts what follows it', () => {
    const tagged = [...VLAN_HDR, ...pkt];
    expect(run('ip', tagged)).toBe(false);
    expect(run('vlan and ip', tagged)).toBe(true);
    expect(run('vlan 100 and host 10.0.0.2', tagged)).toBe(true);
    expect(run('vlan 101', tagged)).toBe(false);
  });
  it('reads directions and masks', () => {
    const b = [...ETH_HDR, ...pkt];
    expect(run('src host 10.0.0.1', b)).toBe(true);
    expect(run('dst host 10.0.0.1', b)).toBe(false);
    expect(run('src and dst net 10.0.0.0/24', b)).toBe(true);
    expect(run('net 10', b)).toBe(true);
    expect(run('dst port 1234', b)).toBe(false);
    expect(run('portrange 79-81', b)).toBe(true);
  });
  it('evaluates loads and unsigned 32-bit arithmetic', () => {
    const b = [...ETH_HDR, ...pkt];
    expect(run('tcp[tcpflags] & tcp-syn != 0', b)).toBe(true);
    expect(run('tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn|tcp-ack', b)).toBe(false);
    expect(run('ip[2:2] - 41 > 0', b)).toBe(true); // 40 - 41 wraps to 0xffffffff
    expect(run('ip[8] * 0x4000000 = 0', b)).toBe(true); // 64 * 2^26 = 2^32 wraps to 0
  });
  it('rejects the packet when a load runs past the captured bytes, even under `not`', () => {
    const b = [...ETH_HDR, ...pkt];
    expect(run('tcp[500] = 0', b)).toBe(false);
    expect(run('not tcp[500] = 0', b)).toBe(false);
    expect(run('tcp or tcp[500] = 0', b)).toBe(true); // short-circuit: the load never runs
  });
  it('compares `less`/`greater` with the wire length', () => {
    const c = compileTcpdump('greater 1000');
    if (!c.ok) throw new Error('compile');
    expect(c.filter.test(Uint8Array.from([...ETH_HDR, ...pkt]), 1, 1514)).toBe(true);
    expect(c.filter.test(Uint8Array.from([...ETH_HDR, ...pkt]), 1)).toBe(false);
  });
  it('walks 802.11 behind radiotap: QoS header, driver padding, addresses by To DS / From DS', () => {
    const sa = [2, 0, 0, 0, 0, 0xaa];
    const bssid = [2, 0, 0, 0, 0, 0xbb];
    const da = [2, 0, 0, 0, 0, 0xdd];
    const frame = (datapad: boolean): Uint8Array => Uint8Array.from([
      // radiotap: version, pad, length 12 (LE), present = flags; flags (0x20: header padded to 4)
      0, 0, 12, 0, 0x02, 0, 0, 0, datapad ? 0x20 : 0, 0, 0, 0,
      // QoS data to the DS: addr1 BSSID, addr2 source, addr3 destination, sequence, QoS control, 2 bytes of padding
      0x88, 0x01, 0, 0, ...bssid, ...sa, ...da, 0, 0, 0, 0, 0, 0,
      // LLC/SNAP with EtherType IPv4, then an IPv4 header (UDP, 10.0.0.1 -> 10.0.0.2)
      0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00,
      0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x30, 0x39, 0, 53, 0, 8, 0, 0,
    ]);
    const test = (text: string, bytes: Uint8Array): boolean => {
      const c = compileTcpdump(text);
      if (!c.ok) throw new Error(c.error.message);
      expect(c.filter.errorFor(127)).toBeNull();
      return c.filter.test(bytes, 127);
    };
    expect(test('udp port 53 and host 10.0.0.2', frame(true))).toBe(true);
    // Without the padding flag the LLC header is looked for two bytes early: no IPv4 there.
    expect(test('ip', frame(false))).toBe(false);
    expect(test('ether src 02:00:00:00:00:aa and ether dst 02:00:00:00:00:dd', frame(true))).toBe(true);
    expect(test('wlan ra 02:00:00:00:00:bb and type data subtype qos-data and dir tods', frame(true))).toBe(true);
  });

  it('reports what libpcap refuses for a link type', () => {
    const c = compileTcpdump('ether host 00:11:22:33:44:55');
    if (!c.ok) throw new Error('compile');
    expect(c.filter.errorFor(1)).toBeNull();
    expect(c.filter.errorFor(113)).toBe(MSG_NOT_ETHER);
    const arp = compileTcpdump('arp');
    if (!arp.ok) throw new Error('compile');
    expect(arp.filter.errorFor(101)).toBe(MSG_REJECTS_ALL);
    expect(arp.filter.test(Uint8Array.from(pkt), 101)).toBe(false);
  });
  it('reports link-independent errors at compile time', () => {
    const err = (e: string) => {
      const c = compileTcpdump(e);
      return c.ok ? null : c.error.message;
    };
    expect(err('port 99999')).toBe('illegal port number 99999 > 65535');
    expect(err('net 10.0.0.1/8')).toBe('non-network bits set in "10.0.0.1/8"');
    expect(err('1 / 0 = 1')).toBe('division by zero');
    expect(err("ip6 host 1.2.3.4")).toBe("'ip6' modifier applied to ip host");
    expect(err('tcp port 80')).toBeNull();
  });
});
