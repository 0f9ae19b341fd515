// tcpdump expressions against the oracle, run live on corpus captures: the packets libpcap's
// filter accepts (timestamp, lengths) must be the ones ours accepts; where tcpdump refuses the
// expression (syntax, or not for this link type), our error must be its message.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/helpers/corpus.js';
import { pcapFile } from '../../../test/helpers/pcap-build.js';
import { ourTcpdumpOutcome, tcpdumpOutcome } from '../../../test/helpers/tcpdump-oracle.js';
import { ethernetPackets } from '../../../test/helpers/wlan-captures.js';

const ETH = 'zeek/http/get.pcap';
const MANY = 'pcapplusplus/many-protocols.pcap';
const DNS = 'pcapplusplus/DnsPackets.pcap';
const VLAN = 'pcapplusplus/VlanPackets.pcap';
const QINQ = 'zeek/vlan-qinqinq.pcap';
const VLAN0 = 'zeek/http-vlan-0.pcap';
const AD = 'tcpdump/802.1ad_QinQ.pcap';
const SLL = 'zeek/linuxsll-arp.pcap';
const SLLTCP = 'tcpdump/tcp-handshake-nano.pcap';
const SLL2 = 'zeek/linux_dlt_sll2.pcap';
const RAW = 'pcapplusplus/raw_ip.pcap';
const V4 = 'tcpdump/LINKTYPE_IPV4.pcap';
const V6LINK = 'tcpdump/LINKTYPE_IPV6.pcap';
const NULL = 'pcapplusplus/null_loopback.pcap';
const LOOP = 'gopacket/test_loopback.pcap';
const PING = 'zeek/icmp/5-pings.pcap';
const ICMP6 = 'tcpdump/icmpv6.pcap';
const ND = 'zeek/icmp/icmp6-nd-options.pcap';
const FRAG = 'pcapplusplus/ip4_fragments.pcap';
const V6FRAG = 'pcapplusplus/ip6_fragments.pcap';
const SSH = 'zeek/tcp/ssh-dups.pcap';
const V6HTTP = 'zeek/ipv6-http-atomic-frag.pcap';
const HDLC = 'tcpdump/hdlc_slarp.pcapng';
const DHCP = 'zeek/dhcp/dhcp.pcap';
const MPLS = 'zeek/mixed-vlan-mpls.pcap';
const DOT3 = 'pcapplusplus/EthDot3.pcap';
const WLAN = 'zeek/wlanmon.pcap';
const RADIOTAP = 'zeek/radiotap.pcap';

export const TCPDUMP_CASES: ReadonlyArray<[string, string]> = [
  // protocols
  [ETH, 'tcp'], [ETH, 'udp'], [ETH, 'ip'], [ETH, 'ip6'], [MANY, 'arp'], [MANY, 'udp or icmp'], [MANY, 'ip6 and tcp'], [MANY, 'icmp6'],
  [MANY, 'not ip'], [DNS, 'ip6'], [DNS, 'ip6 and udp'], [PING, 'icmp'], [ND, 'icmp6'], [ICMP6, 'icmp6'], [ICMP6, 'ip6 proto 58'],
  [MANY, 'ip proto \\tcp'], [MANY, 'ip proto 17'], [MANY, 'proto 6'], [MANY, 'ether proto 0x0806'], [MANY, 'ether proto \\ip6'], [MANY, 'rarp'],
  // hosts and nets
  [ETH, 'host 141.142.228.5'], [ETH, 'src host 141.142.228.5'], [ETH, 'dst host 141.142.228.5'], [ETH, 'src and dst host 141.142.228.5'],
  [ETH, 'src or dst host 192.150.187.43'], [ETH, 'host 141.142.228.5 and host 192.150.187.43'], [ETH, 'ip host 141.142.228.5'],
  [MANY, 'net 10.0.0.0/8'], [MANY, 'net 10'], [MANY, 'dst net 173.194'], [MANY, 'src net 64.233.166.0/24'], [MANY, 'net 10.0.0.0 mask 255.0.0.0'],
  [MANY, 'host 10.0.0.1 and not port 443'], [MANY, 'arp host 10.0.0.138'], [MANY, 'host 10.0.0.138'], [DNS, 'host fe80::5a1f:aaff:fe4f:3f9d'],
  [DNS, 'ip6 dst host ff02::fb'], [DNS, 'net fe80::/10'], [DNS, 'dst host 224.0.0.251 or dst host ff02::fb'],
  [ETH, 'ether host 00:10:db:88:d2:ef'], [ETH, 'ether src 00:10:db:88:d2:ef'], [ETH, 'ether dst 00:10:db:88:d2:ef'], [MANY, 'ether broadcast'],
  [MANY, 'ether multicast'], [DNS, 'ether dst 01:00:5e:00:00:fb'], [MANY, 'ip multicast'], [DNS, 'ip6 multicast'],
  // ports
  [ETH, 'port 80'], [ETH, 'tcp port 80'], [ETH, 'src port 80'], [ETH, 'dst port 80'], [ETH, 'tcp dst port 80 or 59856'], [MANY, 'port 53'], [MANY, 'udp port 53'],
  [MANY, 'tcp port 443 or udp port 53'], [MANY, 'port http'], [MANY, 'tcp port https'], [MANY, 'udp port domain'], [MANY, 'portrange 1-1024'],
  [MANY, 'tcp portrange 440-450'], [MANY, 'src portrange 50000-60000'], [MANY, 'port 80 or 443 or 53'], [DNS, 'port 5353'], [FRAG, 'udp port 53'],
  [FRAG, 'port 80'], [V6FRAG, 'udp'], [V6FRAG, 'port 53'], [V6FRAG, 'ip6 protochain 17'], [V6FRAG, 'ip6 protochain 44'], [ICMP6, 'ip6 protochain 58'],
  [V6HTTP, 'ip6 protochain 6'], [V6HTTP, 'protochain 6'], [V6HTTP, 'ip6 protochain 58'], [V6HTTP, 'ip6 protochain 44'], [V6HTTP, 'ip6 proto 6'], [V6HTTP, 'tcp'],
  [MANY, 'ip protochain 6'],
  // loads, arithmetic, named constants
  [ETH, 'tcp[13] & 2 != 0'], [ETH, 'tcp[tcpflags] & tcp-syn != 0'], [ETH, 'tcp[tcpflags] & (tcp-syn|tcp-ack) != 0'], [ETH, 'tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn|tcp-ack'],
  [ETH, 'tcp[tcpflags] & tcp-fin != 0'], [ETH, 'tcp[tcpflags] == tcp-ack'], [MANY, 'tcp[tcpflags] & tcp-rst != 0'], [MANY, 'tcp[tcpflags] & tcp-push != 0'],
  [ETH, 'ip[6:2] & 0x1fff = 0'], [FRAG, 'ip[6:2] & 0x1fff != 0'], [FRAG, 'ip[6] & 0x20 != 0'], [ETH, 'ether[0] & 1 = 0'], [MANY, 'ether[0] & 1 != 0'],
  [ETH, 'ip[8] = 64'], [ETH, 'ip[2:2] > 100'], [ETH, 'ip[0] & 0xf > 5'], [ETH, 'tcp[0:2] = 80'], [ETH, 'tcp[2:2] = 80 and tcp[13] & 0x10 != 0'],
  [ETH, '(tcp[12] >> 4) * 4 = 32'], [ETH, 'tcp[12] >> 4 = 8'], [ETH, 'ip[2:2] - ((ip[0] & 0xf) << 2) - ((tcp[12] & 0xf0) >> 2) > 0'],
  [ETH, 'len > 100'], [ETH, 'len <= 66'], [ETH, 'less 100'], [ETH, 'greater 1000'], [ETH, 'len % 2 = 0'], [ETH, 'len - 14 = ip[2:2]'],
  [PING, 'icmp[icmptype] = icmp-echo'], [PING, 'icmp[icmptype] == icmp-echoreply'], [PING, 'icmp[0] = 8 and icmp[6:2] = 3'], [PING, 'icmp[icmpcode] = 0'],
  [ND, 'icmp6[icmp6type] = icmp6-routeradvert'], [ND, 'icmp6[0] = 135'], [ETH, 'tcp[100000:4] = 1'], [ETH, 'not tcp[100000:4] = 1'], [ETH, 'udp[0] = 0'],
  [ETH, 'ether[12:2] = 0x0800'], [ETH, 'link[12:2] = 0x0800'], [ETH, 'tcp[13] = 0x12'], [ETH, '(tcp[13] & 3) != 0'], [ETH, 'ip[9] = 6 && tcp[13] & 1 = 1'],
  [SSH, 'tcp[tcpflags] & tcp-push != 0 and src port 22'], [SSH, 'greater 200 and tcp'],
  // boolean structure: and/or left to right with equal precedence, not, parentheses
  [ETH, 'tcp and not port 80'], [ETH, 'not tcp'], [ETH, '! tcp'], [ETH, 'tcp && !(port 80)'], [ETH, 'udp or tcp and port 80'], [ETH, 'tcp or udp and port 80'],
  [ETH, 'port 80 and (tcp[13] & 2 != 0 or tcp[13] & 1 != 0)'], [MANY, '(udp or arp) and not port 53'], [MANY, 'host 10.0.0.1 and (port 80 or port 443)'],
  // VLAN: `vlan` shifts what follows
  [VLAN, 'vlan'], [VLAN, 'vlan 118'], [VLAN, 'vlan 10'], [VLAN, 'vlan and vlan'], [VLAN, 'vlan 118 and vlan 10 and icmp'], [VLAN, 'vlan and ip'],
  [VLAN, 'not vlan'], [VLAN, 'icmp'], [VLAN, 'vlan and not vlan 118'], [QINQ, 'vlan and vlan and vlan and tcp port 80'], [QINQ, 'tcp'], [QINQ, 'vlan and tcp'],
  [VLAN0, 'vlan 0 and tcp port 80'], [VLAN0, 'vlan and host 141.142.228.5'], [VLAN0, 'tcp'], [AD, 'vlan and vlan and arp'], [AD, 'arp'], [AD, 'vlan'],
  // other link types
  [SLL, 'arp'], [SLL, 'ip'], [SLL, 'arp host 10.0.0.1'], [SLL, 'less 60'], [SLL, 'ether[0] = 0'], [SLLTCP, 'tcp'], [SLLTCP, 'tcp[13] & 2 != 0'], [SLLTCP, 'port 80'],
  [SLLTCP, 'host 127.0.0.1'], [SLL2, 'ip'], [SLL2, 'ip6'], [SLL2, 'arp'], [SLL2, 'icmp or icmp6'], [SLL2, 'link[0] = 0'],
  [RAW, 'ip'], [RAW, 'ip6'], [RAW, 'tcp'], [RAW, 'udp port 53'], [RAW, 'tcp[13] & 2 != 0'], [RAW, 'host 10.0.0.1'], [RAW, 'ip6 and tcp'], [RAW, 'ether proto 0x0800'],
  [V4, 'ip'], [V4, 'udp port 53'], [V4, 'ip6'], [V6LINK, 'ip6'], [V6LINK, 'udp port 53'], [V6LINK, 'ip'], [V6LINK, 'tcp[13] & 2 != 0'],
  [NULL, 'ip'], [NULL, 'ip6'], [NULL, 'tcp'], [NULL, 'udp'], [LOOP, 'ip6 and tcp'], [LOOP, 'tcp port 8080'], [LOOP, 'less 100'], [LOOP, 'ip'],
  // Cisco HDLC: the EtherType after address and control
  [HDLC, 'ip'], [HDLC, 'not ip'], [HDLC, 'not ip6 and not arp'],
  // 802.2 LLC and the other link-layer protocols; the direction and interface of cooked captures
  [DOT3, 'llc'], [DOT3, 'stp'], [DOT3, 'not llc'], [MANY, 'llc'], [MANY, 'stp or ipx'], [MANY, 'iso or netbeui'], [MANY, 'clnp'], [MANY, 'decnet'],
  [MANY, 'atalk or aarp'], [MANY, 'pppoed'], [MANY, 'ether proto 0x42'], [HDLC, 'stp'], [RAW, 'ipx'], [WLAN, 'llc'], [SLL, 'llc'],
  [SLL, 'inbound'], [SLL, 'outbound and arp'], [SLL2, 'outbound'], [SLL2, 'ifindex 1'], [ETH, 'inbound'], [ETH, 'ifindex 1'],
  [DOT3, 'llc u'], [DOT3, 'llc ui'], [DOT3, 'llc i'], [MANY, 'llc s or llc rr'], [ETH, 'llc sabme'], [ETH, 'llc foo'], [RAW, 'pppoes'], [SLL, 'pppoes and arp'],
  [ETH, 'gateway foo'], [ETH, 'gateway 1.2.3.4'],
  // MPLS: what follows the labels is IP (the version nibble after the bottom-of-stack label)
  [MPLS, 'mpls'], [MPLS, 'not mpls'], [MPLS, 'mpls and ip'], [MPLS, 'mpls 29 and tcp port 23'], [MPLS, 'mpls 30'], [MPLS, 'mpls and host 10.34.0.1'],
  [MPLS, 'mpls and tcp[13] & 2 != 0'], [MPLS, 'mpls and mpls'], [MPLS, 'mpls and ip6'], [MPLS, 'mpls and arp'], [MPLS, 'mpls and vlan'], [SLL, 'mpls and arp'],
  // 802.11, bare and behind radiotap (more in wlan.diff.test.ts)
  [WLAN, 'ip'], [WLAN, 'ip6 and udp port 5353'], [WLAN, 'type data subtype qos-data'], [WLAN, 'ether src 90:72:40:97:b6:f5'], [WLAN, 'dir fromds'],
  [RADIOTAP, 'udp port 53'], [RADIOTAP, 'ether dst 90:72:40:97:b6:f5'], [RADIOTAP, 'wlan addr2 8a:15:14:9b:5a:e0'], [RADIOTAP, 'radio[4] & 1 = 1'],
  // tcpdump -r knows no netmask for a file (0): a destination of all ones or all zeros
  [DHCP, 'ip broadcast'], [DHCP, 'not ip broadcast and udp'], [MANY, 'ip broadcast'],
  // refused for the link type, as tcpdump does
  [SLL, 'ether host 00:11:22:33:44:55'], [SLL, 'vlan'], [SLL, 'ether broadcast'], [SLL2, 'vlan'], [RAW, 'vlan'], [RAW, 'arp'], [RAW, 'ether src 00:11:22:33:44:55'],
  [V4, 'ip6'], [V4, 'rarp'], [NULL, 'arp'], [NULL, 'vlan'], [HDLC, 'vlan'], [HDLC, 'ether host 00:11:22:33:44:55'], [HDLC, 'ether broadcast'],
  // refused everywhere
  [ETH, 'host'], [ETH, 'port 99999'], [ETH, 'net 10.0.0.1/8'], [ETH, 'net 10.0.0.0/33'], [ETH, 'ip6 host 1.2.3.4'], [ETH, 'ip host ::1'], [ETH, 'udp host 1.2.3.4'],
  [ETH, 'host 00:10:db:88:d2:ef'], [ETH, 'ether net 00:10:db:88:d2:ef'], [ETH, 'ether'], [ETH, 'src proto 6'], [ETH, 'type mgt'], [ETH, 'dir 1'],
  [ETH, 'wlan addr1 00:10:db:88:d2:ef'], [ETH, 'ta 1.2.3.4'], [ETH, 'addr2 port 80'], [ETH, 'radio[0] = 0'], [SLL, 'wlan ra 00:11:22:33:44:55'],
  [ETH, 'ip[0:3] = 1'], [ETH, '1 / 0 = 1'], [ETH, 'vlan 5000'], [ETH, 'tcp and ('], [ETH, 'tcp[13] & 2 !='], [ETH, 'portrange 1-'], [ETH, 'ether host 1.2.3.4'],
];

describe('tcpdump expressions match tcpdump -r FILE EXPR', () => {
  for (const [file, expr] of TCPDUMP_CASES) {
    it(`${file}: ${expr}`, () => {
      const path = corpusPath(file);
      expect(ourTcpdumpOutcome(path, expr)).toEqual(tcpdumpOutcome(path, expr));
    });
  }
});

/**
 * PPPoE sessions, which the corpus lacks: the packets of get.pcap, DnsPackets.pcap and icmpv6.pcap
 * (IPv4 and IPv6) put into PPPoE session frames (sessions 3 and 7), between plain ones and a
 * discovery frame.
 */
describe('tcpdump expressions on PPPoE session traffic match tcpdump -r FILE EXPR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-pppoe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'pppoe.pcap');
  const packets = [...ethernetPackets(corpusPath(ETH), 14), ...ethernetPackets(corpusPath(DNS), 10), ...ethernetPackets(corpusPath(ICMP6), 5)];
  const records = packets.map((p, i) => {
    const type = (p.payload[0]! << 8) | p.payload[1]!;
    const inner = p.payload.subarray(2);
    let frame: number[];
    if (i % 4 === 3) frame = [...p.dst, ...p.src, ...p.payload];
    else if (i === 5) frame = [...p.dst, ...p.src, 0x88, 0x63, 0x11, 0x09, 0, 0, 0, 0];
    else {
      const session = i % 2 ? 3 : 7;
      const length = inner.length + 2;
      frame = [...p.dst, ...p.src, 0x88, 0x64, 0x11, 0x00, session >> 8, session & 0xff, length >> 8, length & 0xff, ...(type === 0x86dd ? [0x00, 0x57] : [0x00, 0x21]), ...inner];
    }
    return { sec: 1_700_000_000 + i, frac: 0, data: Uint8Array.from(frame) };
  });
  writeFileSync(file, pcapFile(records, 1));
  for (const expr of ['pppoes', 'pppoes 3', 'pppoes 7 and tcp', 'pppoes and ip', 'pppoes and ip6', 'pppoes and udp port 53', 'pppoes and host 141.142.228.5',
    'pppoes and tcp[tcpflags] & tcp-syn != 0', 'not pppoes', 'pppoed', 'pppoes or ip', 'pppoes and not ip']) {
    it(expr, () => {
      expect(ourTcpdumpOutcome(file, expr)).toEqual(tcpdumpOutcome(file, expr));
    });
  }
});
