// Display filters against the oracle: for each (file, filter) our matching packet numbers must
// equal `tshark -n -r FILE -Y FILTER -T fields -e frame.number`, run live (one tshark run per
// file for all its filters, cached). The filters are what people type on the protocols SynScope dissects.
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { TsharkFilterOracle } from '../../test/helpers/tshark-selections.js';
import { compileDisplayFilter } from './compile.js';
import { filterFile } from './apply.js';

const HTTP = 'zeek/http/get.pcap';
const PIPE = 'zeek/http/pipelined-requests.pcap';
const DNS = 'pcapplusplus/DnsPackets.pcap';
const TLS = 'zeek/tls/tls1.2.pcap';
const DHCP = 'zeek/dhcp/dhcp.pcap';
const NTP = 'zeek/ntp/NTP_sync.pcap';
const PING = 'zeek/icmp/5-pings.pcap';
const ND = 'zeek/icmp/icmp6-nd-options.pcap';
const ARP = 'zeek/linuxsll-arp.pcap';
const VLAN = 'pcapplusplus/VlanPackets.pcap';
const SSH = 'zeek/tcp/ssh-dups.pcap';
const V6 = 'zeek/ipv6-http-atomic-frag.pcap';
const MANY = 'pcapplusplus/many-protocols.pcap';
const FRAG = 'pcapplusplus/ip4_fragments.pcap';
const MDNS = 'zeek/dns/mdns.pcap';
const LOOP = 'gopacket/test_loopback.pcap';
const SMTP = 'zeek/smtp.pcap';

export const DISPLAY_CASES: ReadonlyArray<[string, string]> = [
  // existence, protocols
  [HTTP, 'tcp'], [HTTP, 'http'], [HTTP, 'udp'], [HTTP, 'ip'], [HTTP, 'eth'], [HTTP, 'frame'], [DNS, 'dns'], [DNS, 'ipv6'],
  [TLS, 'tcp.port == 443 && tls.record'], [HTTP, 'http'], [MANY, 'dns'], [MANY, 'arp'], [MANY, 'icmp'], [MANY, 'udp && !dns'], [VLAN, 'vlan'],
  [ND, 'icmpv6'], [ARP, 'arp'], [DHCP, 'dhcp'], [NTP, 'ntp'], [PING, 'icmp'], [SSH, 'tcp.analysis.retransmission'],
  [SSH, 'tcp.analysis.duplicate_ack'], [SSH, 'tcp.analysis.fast_retransmission'], [SSH, 'tcp.analysis.flags'], [SSH, '!tcp.analysis.flags'],
  [SSH, 'tcp.analysis.ack_rtt'], [HTTP, 'http.request'], [HTTP, 'http.response'], [PIPE, 'http.request && !http.response'],
  // addresses
  [HTTP, 'ip.addr == 141.142.228.5'], [HTTP, 'ip.src == 141.142.228.5'], [HTTP, 'ip.dst == 141.142.228.5'], [HTTP, 'ip.addr != 141.142.228.5'],
  [HTTP, 'ip.addr == 192.150.187.0/24'], [HTTP, 'ip.src == 141.142.0.0/16'], [HTTP, 'ip.dst eq 192.150.187.43'], [HTTP, 'ip.src ne 192.150.187.43'],
  [MANY, 'ip.addr == 10.0.0.0/8'], [MANY, 'ip.src == 10.0.0.1 && ip.dst == 173.194.78.104'], [MANY, 'ip.addr in {173.194.78.104, 64.233.166.94}'],
  [MANY, 'ip.dst > 100.0.0.0'], [MANY, 'ip.src <= 10.0.0.1'], [DNS, 'ip.dst == 224.0.0.251'], [DNS, 'ipv6.addr == fe80::5a1f:aaff:fe4f:3f9d'],
  [DNS, 'ipv6.dst == ff02::fb'], [DNS, 'ipv6.src == fe80::/10'], [ND, 'ipv6.dst == ff02::1'], [ND, 'ipv6.src == ::'], [ND, 'ipv6.addr == fe80::c000:54ff:fef5:0'],
  [V6, 'ipv6.src == 2001:470:1f05:17a6:d69a:20ff:fefd:6b88'], [V6, 'ipv6.addr == 2001:470::/32'], [ARP, 'arp.src.proto_ipv4 == 10.0.0.0/8'],
  [ARP, 'arp.dst.proto_ipv4 == 10.0.0.1'], [HTTP, 'eth.addr == 00:10:db:88:d2:ef'], [HTTP, 'eth.src == 00-10-db-88-d2-ef'], [HTTP, 'eth.dst == 0010.db88.d2ef'],
  [DNS, 'eth.dst == 01:00:5e:00:00:fb'], [VLAN, 'eth.dst == ff:ff:ff:ff:ff:ff'], [MANY, 'eth.dst[0] & 1'], [DNS, 'eth.dst[0] & 1 == 1'],
  // ports, flags
  [HTTP, 'tcp.port == 80'], [HTTP, 'tcp.srcport == 80'], [HTTP, 'tcp.dstport == 80'], [HTTP, 'tcp.port != 80'], [HTTP, 'tcp.port ~= 80'],
  [HTTP, 'tcp.port !== 80'], [HTTP, 'tcp.port === 80'], [HTTP, 'tcp.port all_eq 80'], [HTTP, 'tcp.port any_ne 59856'], [MANY, 'tcp.port == 443'],
  [MANY, 'tcp.port in {80, 443}'], [MANY, 'udp.port == 53'], [MANY, 'udp.port in {1..1024}'], [MANY, 'tcp.dstport in {1..1024} && tcp.flags.syn == 1'],
  [MANY, 'tcp.port > 1024 && tcp.port < 60000'], [MANY, 'tcp.srcport >= 443'], [MANY, 'tcp.srcport le 80'], [MANY, 'udp.port not in {53, 5353}'],
  [HTTP, 'tcp.flags.syn == 1'], [HTTP, 'tcp.flags.syn'], [HTTP, 'tcp.flags.syn == True'], [HTTP, 'tcp.flags.fin == 1'], [HTTP, 'tcp.flags.syn == 1 && tcp.flags.ack == 0'],
  [HTTP, 'tcp.flags == 0x012'], [HTTP, 'tcp.flags == 0x02'], [HTTP, 'tcp.flags & 0x02'], [HTTP, 'tcp.flags & 0x12 == 0x12'], [HTTP, 'tcp.flags.push == 1 or tcp.flags.fin == 1'],
  [HTTP, 'tcp.flags.ack == 0'], [MANY, 'tcp.flags.reset == 1'], [MANY, 'tcp.window_size == 0'], [HTTP, 'tcp.len > 0'], [HTTP, 'tcp.len == 0'],
  [HTTP, 'tcp.seq == 1'], [HTTP, 'tcp.ack == 1'], [HTTP, 'tcp.stream == 0'], [MANY, 'tcp.stream == 3'], [MANY, 'tcp.stream in {0, 1, 2}'],
  [HTTP, 'tcp.hdr_len == 32'], [HTTP, 'tcp.window_size_value > 1000'], [HTTP, 'tcp.options.mss_val == 1460'], [SSH, 'tcp.analysis.retransmission && tcp.srcport == 22'],
  [SSH, 'tcp.analysis.ack_rtt > 0.001'], [SSH, 'tcp.time_delta > 0.5'], [SSH, 'tcp.nxtseq > 3000'],
  // ip header
  [HTTP, 'ip.ttl == 64'], [HTTP, 'ip.ttl < 64'], [HTTP, 'ip.ttl >= 0x30'], [HTTP, 'ip.len > 100'], [HTTP, 'ip.flags.df == 1'], [HTTP, 'ip.flags.df'],
  [FRAG, 'ip.flags.mf == 1'], [FRAG, 'ip.frag_offset > 0'], [FRAG, 'ip.flags.mf == 0 && ip.frag_offset == 0'], [HTTP, 'ip.proto == 6'],
  [HTTP, 'ip.proto == TCP'], [MANY, 'ip.proto == 17'], [MANY, 'ip.proto in {1, 17}'], [HTTP, 'ip.id == 0x0000'], [HTTP, 'ip.version == 4'],
  [ND, 'ipv6.hlim == 255'], [ND, 'ipv6.nxt == 58'], [ND, 'ipv6.plen > 30'], [VLAN, 'vlan.id == 118'], [VLAN, 'vlan.id == 10'], [VLAN, 'vlan.id in {10, 118}'],
  [VLAN, 'vlan.priority == 0'], [VLAN, 'eth.type == 0x8100'], [HTTP, 'eth.type == 0x0800'], [HTTP, 'eth.type == IPv4'],
  // dns
  [DNS, 'dns.flags.response == 0'], [DNS, 'dns.flags.response == 1'], [DNS, 'dns.qry.name == "www.hugovictor.com"'], [DNS, 'dns.qry.name contains "hugo"'],
  [DNS, 'dns.qry.name matches "^www\\\\."'], [DNS, 'dns.qry.name matches "(?i)YAELS"'], [DNS, 'dns.qry.type == 1'], [DNS, 'dns.qry.type == 28'],
  [DNS, 'dns.qry.type in {1, 28}'], [DNS, 'dns.a == 10.0.0.2'], [DNS, 'dns.count.answers > 0'], [DNS, 'dns.count.answers >= 3'], [DNS, 'dns.id == 0x224d'],
  [DNS, 'dns.flags.rcode != 0'], [DNS, 'dns.qry.name ~ "local$"'], [DNS, 'lower(dns.qry.name) contains "iphone"'], [DNS, 'upper(dns.qry.name) contains "IPHONE"'],
  [DNS, 'len(dns.qry.name) > 20'], [DNS, 'count(dns.qry.name) > 1'], [DNS, 'count(dns.a) == 1'], [DNS, 'dns.resp.name == "Yaels-iPhone.local"'],
  [DNS, 'dns.qry.name == "Yaels-iPhone.local" && dns.flags.response == 0'], [DNS, 'dns && !(dns.qry.type == 12)'], [MDNS, 'dns.qry.name contains "_tcp"'],
  [MDNS, 'udp.port == 5353'], [MDNS, 'ip || icmpv6'], [MDNS, 'igmp'], [MDNS, 'igmp.type == 0x22 && igmp.record_type == 4'],
  // http
  [HTTP, 'http.request.method == "GET"'], [HTTP, 'http.request.method == GET'], [HTTP, 'http.request.method != "POST"'], [HTTP, 'http.request.uri contains "CHANGES"'],
  [HTTP, 'http.request.uri matches "bro-aux\\\\.txt$"'], [HTTP, 'http.request.uri matches "(?i)changes"'], [HTTP, 'http.host == "www.bro-ids.org"'], [HTTP, 'http.host contains "bro"'],
  [HTTP, 'http.response.code == 200'], [HTTP, 'http.response.code >= 400'], [HTTP, 'http.user_agent contains "Mozilla"'], [HTTP, 'http contains "bro"'],
  [HTTP, 'frame contains "GET"'], [HTTP, 'frame contains 47:45:54'], [HTTP, 'tcp contains "HTTP/1.1"'], [HTTP, 'tcp.payload[0:3] == "GET"'], [HTTP, 'tcp.payload[0:3] == 47:45:54'],
  [HTTP, 'tcp.payload[0] == 0x47'], [HTTP, 'tcp.payload[0:4] == "HTTP"'], [HTTP, 'tcp.payload[-2:] == 0d:0a'], [HTTP, 'len(tcp.payload) > 100'],
  [PIPE, 'http.request.method in {"GET", "POST"}'], [PIPE, 'http.response.code in {200, 304}'], [PIPE, 'http.content_type contains "image"'],
  [PIPE, 'http.request.uri matches "[.](gif|png)$"'], [PIPE, 'count(http.request) == 1'], [PIPE, 'http.request || http.response'],
  [MANY, 'http.response.code == 200 && http.content_type contains "jpeg"'],
  // tls, dhcp, ntp, icmp, arp
  [TLS, 'tls.handshake.type == 1'], [TLS, 'tls.handshake.type == 2'], [TLS, 'tls.handshake.type in {11, 14}'], [TLS, 'tls.record.content_type == 23'],
  [TLS, 'tls.record.content_type == 22'], [TLS, 'tls.handshake.type'], [TLS, 'tls.record.version == 0x0303'], [MANY, 'tls.handshake.type == 1'],
  [MANY, 'tls.handshake.extensions_server_name contains "google"'], [DHCP, 'dhcp.option.dhcp == 1'], [DHCP, 'dhcp.option.dhcp == 3'], [DHCP, 'dhcp.option.dhcp in {2, 5}'],
  [DHCP, 'dhcp.hw.mac_addr == 00:0b:82:01:fc:42'], [DHCP, 'ip.src == 0.0.0.0'], [DHCP, 'dhcp.option.type == 53'], [NTP, 'ntp.stratum == 2'], [NTP, 'ntp.flags.mode == 3'],
  [NTP, 'ntp.stratum > 1 && ip.src == 192.168.50.50'], [PING, 'icmp.type == 8'], [PING, 'icmp.type == 0'], [PING, 'icmp.seq == 3'], [PING, 'icmp.ident == 0x04ca'],
  [ND, 'icmpv6.type == 134'], [ND, 'icmpv6.type in {135, 136}'], [ND, 'icmpv6.type >= 133 && icmpv6.type <= 137'], [ARP, 'arp.opcode == 1'], [ARP, 'arp.opcode == 2'],
  [ARP, 'arp.opcode == request'],
  // frame, slices, arithmetic
  [HTTP, 'frame.len > 100'], [HTTP, 'frame.len in {60..70}'], [HTTP, 'frame.len == 66 && frame[60:6]'], [HTTP, 'frame.len == 66 && frame[65:]'], [HTTP, 'frame.len == 66 && frame[66:]'],
  [HTTP, 'frame[12:2] == 08:00'], [HTTP, 'frame[0:6] == 00:10:db:88:d2:ef'], [HTTP, 'frame[-4:] == 00:00:00:00'], [HTTP, 'frame[6-11] == 00:10:db:88:d2:ef'],
  [HTTP, 'frame[12:2,23] == 08:00:06'], [HTTP, 'tcp[0:2] == 00:50'], [HTTP, 'tcp[13] & 0x02'], [HTTP, 'ip[9] == 6'], [HTTP, 'eth.src[0:3] == 00:10:db'],
  [HTTP, 'frame.number <= 5'], [HTTP, 'frame.number in {1, 3, 5..7}'], [HTTP, 'frame.time_relative > 0.5'], [HTTP, 'frame.time_delta < 0.0001'],
  [HTTP, 'frame.time_epoch > 1362692527'], [HTTP, 'frame.time_epoch <= 1362692526.9'], [HTTP, 'eth.src contains 10:db'], [HTTP, 'eth.addr contains d2:ef'],
  [HTTP, 'frame.time > "2009-11-11 00:00:00"'], [HTTP, 'frame.time < "Nov 11, 2009 00:00:00"'], [HTTP, 'tcp.len + 1 == 1'], [HTTP, 'ip.len - 20 == 32'],
  [HTTP, 'tcp.len * 2 > 1000'], [HTTP, 'frame.len % 2 == 0'], [HTTP, '{frame.len - 14} == ip.len'], [HTTP, 'ip.len == frame.len - 14'], [HTTP, 'tcp.srcport == tcp.dstport'],
  [HTTP, 'tcp.srcport > tcp.dstport'], [HTTP, "tcp.payload[0] == 'G'"], [HTTP, 'tcp.port == 0x50'], [HTTP, 'tcp.port == 0120'], [HTTP, 'tcp.port == -1'],
  [LOOP, 'null'], [LOOP, 'ipv6 && tcp'],
  // compound, negation, precedence
  [HTTP, 'tcp.flags.fin == 1 or tcp.flags.syn == 1 and tcp.srcport == 80'], [HTTP, 'tcp.srcport == 80 and tcp.flags.syn == 1 or tcp.flags.fin == 1'],
  [HTTP, '!(tcp.len == 0)'], [HTTP, 'not tcp.port == 80'], [HTTP, '!tcp.flags.syn'], [HTTP, 'frame.len > 100 && !(tcp.len == 0)'], [HTTP, 'tcp.port in {80}'],
  [HTTP, 'tcp.port not in {80}'], [HTTP, 'not tcp.port in {80}'], [MANY, '(tcp.port == 80 || tcp.port == 443) && ip.src == 10.0.0.1'],
  [MANY, 'ip.src == 10.0.0.1 && (tcp.flags.syn == 1 || udp)'], [MANY, '!(arp || dns || tcp)'], [SMTP, 'tcp.port == 25 || dns'], [SMTP, 'tcp.port == 25 && tcp.len > 0 && !icmp'],
  [SMTP, 'frame contains "MAIL FROM"'], [SMTP, 'icmp'],
  // TLS on the first segment of a record TCP reassembles (an empty TLS item, as tshark's)
  [MANY, 'tls'], [TLS, 'tls'],
  // keep-alive bytes: data, or a reassembly error where they contradict a reassembled PDU
  [MANY, 'tcp.analysis.keep_alive && data'], [MANY, 'tcp.analysis.keep_alive && _ws.malformed'],
  // a TCP header quoted in an ICMP error has no tcp.len
  [SMTP, 'tcp.port == 25 && tcp.len > 0'],
  // bytes on an HTTP port that HTTP will not show (TCP alone), and HTTP continuations (Data inside HTTP)
  [MANY, 'tcp.port == 80 && data'], [MANY, 'http && data'],
  // an HTTP/1.0 response without a length whose segment carries the FIN (frames 1348, 1350)
  [MANY, 'http.request || http.response'],
  // an encrypted Finished is a tls.handshake item of its own (frame 11)
  [TLS, 'tls.handshake'],
  // only a PDU the reassembly completes has its segments: not one that turns out to need more
  // (an HTTP header block completed by frame 216 whose body comes in frame 218)
  [MANY, 'tcp.segments'], [MANY, 'tcp.reassembled.length > 1000'], [MANY, 'tcp.segment == 215'],
  // a field an OID hands to another protocol inside a TLS certificate (frame 1601: OCSP's nocheck extension)
  [MANY, 'ocsp.NULL_element'],
];

/**
 * Filters whose verdicts differ from tshark because a dissector differs, not the filter (the
 * filter's own semantics are covered above). `it.fails` keeps them honest: when the dissector
 * is fixed, the case starts passing and must move up.
 */
export const DISSECTOR_GAPS: ReadonlyArray<[string, string, string]> = [];

// One tshark run per file answers all of that file's filters.
const tshark = new TsharkFilterOracle(
  [...DISPLAY_CASES, ...DISSECTOR_GAPS].map(([file, filter]) => [corpusPath(file), filter] as const),
);

// Only while a dissector still differs: vitest takes an empty describe for an error.
if (DISSECTOR_GAPS.length > 0) {
  describe('display filters where a dissector still differs from tshark', () => {
    for (const [file, filter, why] of DISSECTOR_GAPS) {
      it.fails(`${file}: ${filter} (${why})`, () => {
        const path = corpusPath(file);
        const c = compileDisplayFilter(filter);
        if (!c.ok) throw new Error(c.error.message);
        expect(filterFile(path, c.filter)).toEqual(tshark.select(path, filter).frames);
      });
    }
  });
}

describe('display filters match tshark -Y', () => {
  for (const [file, filter] of DISPLAY_CASES) {
    it(`${file}: ${filter}`, () => {
      const path = corpusPath(file);
      const c = compileDisplayFilter(filter);
      const { frames, status } = tshark.select(path, filter);
      expect(status, 'tshark accepts the filter').toBe(0);
      if (!c.ok) throw new Error(`we reject it: ${c.error.message} at [${c.error.start},${c.error.end})`);
      expect(filterFile(path, c.filter)).toEqual(frames);
    });
  }
});
