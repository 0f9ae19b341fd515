// Display filters vs tshark 4.0, run live (a second table beside display.diff.test.ts, written
// by another engineer): for each (file, filter) the matching frame numbers must equal
// `tshark -n -r FILE -Y FILTER -T fields -e frame.number`; for each invalid filter our message
// and span must equal what tshark prints on stderr (the message line and the `^~~~` caret
// under the filter text, which is indented by four spaces).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { TsharkFilterOracle } from '../../test/helpers/tshark-selections.js';
import { filterFile } from './apply.js';
import { compileDisplayFilter } from './compile.js';

const GET = 'zeek/http/get.pcap';
const RADIOTAP = 'zeek/radiotap.pcap';
const ARUBA = 'zeek/tunnels/gre-aruba.pcap';
const VLANS = 'pcapplusplus/VlanPackets.pcap';
const MANY = 'pcapplusplus/many-protocols.pcap';
const DNS = 'pcapplusplus/DnsPackets.pcap';
const ICMP6 = 'tcpdump/icmpv6.pcap';
const SACK = 'zeek/tcp/option-sack.pcap';
const RETX = 'zeek/tcp/retransmit-fast009.pcap';
const TLS = 'zeek/tls/tls1.2.pcap';
const ARP = 'zeek/linuxsll-arp.pcap';
const PING = 'zeek/icmp/5-pings.pcap';
const DHCP = 'zeek/dhcp/dhcp.pcap';
const VLAN = 'zeek/http-vlan-0.pcap';
const FRAG = 'zeek/ipv4/fragmented-1.pcap';

/** [file, filter] pairs; the expected matches come from tshark. */
export const VALID: Array<[string, string]> = [
  // existence
  [GET, 'tcp'], [GET, 'http'], [GET, 'udp'], [GET, 'ip'], [GET, 'eth'], [GET, 'frame'],
  [GET, 'http.request'], [GET, 'http.response'], [GET, 'tcp.options.sack_perm'], [GET, 'tcp.options.timestamp.tsval'],
  [GET, 'tcp.payload'], [GET, '!tcp.payload'], [SACK, 'tcp.options.sack_le'], [MANY, 'dns'], [MANY, 'arp'], [MANY, 'icmp'],
  [MANY, 'vlan'], [MANY, 'ipv6'], [DNS, 'dns.qry.name'], [ICMP6, 'icmpv6'], [ARP, 'arp'], [DHCP, 'dhcp'],
  // integers, word forms, bases
  [GET, 'tcp.port == 80'], [GET, 'tcp.port eq 80'], [GET, 'tcp.srcport == 80'], [GET, 'tcp.dstport == 80'],
  [GET, 'tcp.port == 0x50'], [GET, 'tcp.port == 0120'], [GET, 'tcp.len > 0'], [GET, 'tcp.len gt 0'],
  [GET, 'tcp.len >= 100'], [GET, 'tcp.len ge 100'], [GET, 'tcp.len < 1'], [GET, 'tcp.len lt 1'],
  [GET, 'tcp.len <= 0'], [GET, 'tcp.len le 0'], [GET, 'frame.len > 100'], [GET, 'frame.number == 5'],
  [GET, 'frame.number <= 3'], [GET, 'frame.number in {1, 3, 5}'],
  [GET, 'frame.number in {2..6}'], [GET, 'frame.number in {1, 4..6, 10}'], [GET, 'frame.number not in {1, 2}'],
  [GET, 'tcp.window_size_value > 1000'], [GET, 'ip.ttl == 64'], [GET, 'ip.ttl != 64'], [GET, 'ip.ttl ne 64'],
  [GET, 'ip.id == 0'], [GET, 'ip.proto == 6'], [GET, 'ip.len > 500'], [GET, 'ip.hdr_len == 20'],
  [GET, 'eth.type == 0x0800'], [GET, 'tcp.hdr_len == 32'], [GET, 'tcp.hdr_len > 20 && tcp.len == 0'],
  [GET, 'tcp.seq == 0'], [GET, 'tcp.ack == 1'], [GET, 'tcp.stream == 0'], [GET, 'tcp.nxtseq > 1'],
  // flags and booleans
  [GET, 'tcp.flags.syn == 1'], [GET, 'tcp.flags.syn == 1 && tcp.flags.ack == 0'], [GET, 'tcp.flags.syn == True'],
  [GET, 'tcp.flags.fin == 1'], [GET, 'tcp.flags.fin == 0'], [GET, 'tcp.flags.push == 1'], [GET, 'tcp.flags.reset == 1'],
  [GET, 'tcp.flags.ack == 1 and not tcp.flags.push == 1'], [GET, 'tcp.flags == 0x002'], [GET, 'tcp.flags == 0x012'],
  [GET, 'tcp.flags & 0x02'], [GET, 'tcp.flags & 0x12 == 0x12'], [GET, 'tcp.flags & 0x01 != 0'], [GET, 'tcp.flags.syn'],
  [GET, 'ip.flags.df == 1'], [GET, 'ip.flags.mf == 0'], [FRAG, 'ip.flags.mf == 1'], [FRAG, 'ip.frag_offset > 0'],
  [RETX, 'tcp.analysis.retransmission'], [RETX, 'tcp.analysis.fast_retransmission'], [RETX, 'tcp.analysis.duplicate_ack'],
  [RETX, 'tcp.analysis.flags'], [RETX, '!tcp.analysis.flags'], [RETX, 'tcp.analysis.ack_rtt > 0.01'],
  // addresses
  [GET, 'ip.addr == 141.142.228.5'], [GET, 'ip.src == 141.142.228.5'], [GET, 'ip.dst == 141.142.228.5'],
  [GET, 'ip.addr == 141.142.0.0/16'], [GET, 'ip.addr == 10.0.0.0/8'], [GET, 'ip.src == 141.142.228.0/24'],
  [GET, 'ip.addr != 141.142.228.5'], [GET, 'ip.src != 141.142.228.5'], [GET, 'ip.addr !== 141.142.228.5'],
  [GET, 'ip.addr === 141.142.228.5'], [GET, 'ip.src > 141.142.228.5'], [GET, 'ip.src in {141.142.228.5, 1.2.3.4}'],
  [GET, 'ip.src in {141.142.0.0/16}'], [GET, 'ip.dst == 192.150.187.43'], [MANY, 'ip.addr == 10.0.0.1'],
  [MANY, 'ip.src == 10.0.0.0/8'], [MANY, 'ip.dst == 192.168.0.0/16 && tcp'],
  [GET, 'eth.addr == 00:e0:81:b8:4b:d8'], [GET, 'eth.src == 00:e0:81:b8:4b:d8'], [GET, 'eth.dst[0:3] == 00:e0:81'],
  [GET, 'eth.src == 00-e0-81-b8-4b-d8'], [GET, 'eth.src == 00e0.81b8.4bd8'], [GET, 'eth.dst[0] & 1'],
  [MANY, 'eth.dst == ff:ff:ff:ff:ff:ff'], [MANY, 'eth.dst[0] & 1'], [MANY, 'eth.addr[0:3] == 00:0c:29'],
  [ICMP6, 'ipv6.addr == fe80::/10'], [ICMP6, 'ipv6.src == fe80::/16'], [ICMP6, 'ipv6.dst == ff02::1'],
  [ICMP6, 'ipv6.dst == ff02::/16'], [ICMP6, 'icmpv6.type == 135'], [ICMP6, 'icmpv6.type in {128..136}'],
  [MANY, 'ipv6.addr == ff02::c'], [MANY, 'ipv6.src == fe80::/64'],
  [ARP, 'arp.opcode == 1'], [ARP, 'arp.opcode == 2'], [ARP, 'arp.src.proto_ipv4 == 10.0.0.0/8'],
  // strings, contains, matches (case-insensitive by default in 4.0; `(?-i)` turns that off)
  [GET, 'http.request.method == "GET"'], [GET, 'http.request.method == GET'], [GET, 'http.request.method != "GET"'],
  [GET, 'http.request.uri contains "download"'], [GET, 'http.host contains "bro"'], [GET, 'http.host matches "^www"'],
  [GET, 'http.host matches "(?i)BRO"'], [GET, 'http.host matches "BRO"'], [GET, 'http.host matches "(?-i)BRO"'],
  [GET, 'http.user_agent contains "Wget"'], [GET, 'http.request.uri matches "\\\\.tar\\\\.gz$"'],
  [GET, 'lower(http.host) == "www.bro.org"'], [GET, 'upper(http.request.method) == "GET"'], [GET, 'http.host ~ "bro"'],
  [GET, 'tcp.payload contains 47:45:54'], [GET, 'tcp.payload contains "GET"'],
  [GET, 'frame contains "HTTP/1.1"'], [GET, 'frame matches "(?i)content-type"'], [GET, 'tcp.payload[0:4] == "HTTP"'],
  [GET, 'tcp.payload[0:3] == 47:45:54'], [GET, 'tcp.payload[-4:] == 0d:0a:0d:0a'], [GET, 'tcp.payload[0] == 0x47'],
  [GET, 'frame[0:6] == 00:e0:81:b8:4b:d8'], [GET, 'frame[12:2] == 08:00'], [GET, 'ip[9:1] == 06'],
  [GET, 'tcp[13:1] == 02'], [GET, 'tcp[13] & 0x02'], [GET, 'frame[0:2,4:2] == 00:e0:81:b8'],
  [GET, 'len(tcp.payload) > 100'], [GET, 'len(http.host) == 11'],
  [GET, 'count(tcp.options.timestamp.tsval) == 1'], [GET, 'count(ip.addr) == 2'],
  [DNS, 'dns.qry.name == "www.google.com"'], [DNS, 'dns.qry.name contains "google"'], [DNS, 'dns.qry.name matches "\\\\.com$"'],
  [DNS, 'dns.flags.response == 1'], [DNS, 'dns.flags.response == 0'], [DNS, 'dns.qry.type == 1'], [DNS, 'dns.qry.type == 28'],
  [DNS, 'dns.count.answers > 2'], [DNS, 'dns.a == 74.125.0.0/16'], [DNS, 'dns.resp.ttl > 300'],
  [DNS, 'udp.port == 53'], [DNS, 'udp.srcport == 53 && dns.count.answers == 0'], [DNS, 'dns.id == 0x1234'],
  [MANY, 'dns.qry.name contains "google"'], [MANY, 'http.request.method == "POST"'], [MANY, 'http.response.code == 200'],
  [MANY, 'http.response.code in {301, 302, 304}'], [MANY, 'tls.handshake.type == 1'],
  [MANY, 'tls.handshake.extensions_server_name contains "google"'], [MANY, 'tcp.port in {80, 443}'],
  [MANY, 'tcp.port in {1..1024}'], [MANY, 'udp.port in {1..1024}'], [MANY, 'tcp.flags.reset == 1'],
  [MANY, 'icmp.type == 8'], [MANY, 'icmp.type == 0'], [MANY, 'tcp.len > 1000 && tcp.port == 443'],
  [TLS, 'tls.record.content_type == 22'], [TLS, 'tls.handshake.type == 2'], [TLS, 'tls.record.version == 0x0303'],
  [PING, 'icmp.type == 8'], [PING, 'icmp.seq > 2'], [PING, 'icmp.ident == 0'], [PING, 'icmp'],
  [DHCP, 'dhcp.option.dhcp == 1'], [DHCP, 'udp.dstport == 67'], [VLAN, 'vlan.id == 0'], [VLAN, 'vlan'],
  // logic, precedence, parentheses
  [GET, 'tcp.port == 80 || udp.port == 53'], [GET, 'tcp.port == 80 or udp'], [GET, 'not tcp.port == 80'],
  [GET, '!(tcp.len == 0)'], [GET, 'tcp.len == 0 && tcp.flags.syn == 1 || tcp.flags.fin == 1'],
  [GET, 'tcp.len == 0 && (tcp.flags.syn == 1 || tcp.flags.fin == 1)'], [GET, 'not tcp.flags.syn == 1 and tcp.len == 0'],
  [GET, '!tcp.flags.syn == 1 && !tcp.flags.fin == 1'], [GET, '((tcp))'], [GET, 'tcp && !http'],
  [GET, 'tcp.srcport == 80 and tcp.len > 0 or tcp.dstport == 80 and tcp.len > 0'],
  // arithmetic and time
  [GET, 'tcp.len + 40 == ip.len - 20'], [GET, 'tcp.srcport > tcp.dstport'], [GET, 'ip.len - tcp.len == 52'],
  [GET, 'frame.time_delta > 0.1'], [GET, 'frame.time_relative >= 1'], [GET, 'frame.time_relative < 0.5'],
  [GET, 'tcp.port == -1'], [GET, 'tcp.port != -1'], [GET, 'tcp.port > -1'], [GET, 'tcp.flags.syn == 2'], [GET, '{tcp.port}'],
  [DNS, 'count(tcp.port) == 0'], [GET, 'tcp.payload[1000:2] != 00:00'], [GET, 'tcp.payload[1000:2] == 00:00'],
  [GET, 'tcp.payload[135:2] == ""'], [GET, 'tcp.payload[135:] == 0a'], [GET, 'tcp.payload[0:1,1000:1] == 47'],
  [GET, 'tcp.payload[-200:] == ""'], [GET, 'count(tcp.port) == 2'],
  [GET, 'frame.cap_len == frame.len'],
  // value names, arithmetic, layers, odd corners
  [GET, 'ip.proto == TCP'], [GET, 'eth.type == IPv4'], [GET, 'tcp.flags.syn == Set'], [GET, 'tcp.len * 2 > 100'],
  [GET, 'tcp.len / 0 == 1'], [GET, '-tcp.len < -100'], [GET, 'tcp.srcport % 2 == 0'], [GET, 'http.host contains 62:72:6f'],
  [GET, 'ip.src[0:2] == 8d:8e'], [GET, 'http.host[0:3] == "www"'], [GET, '.tcp'],
  [GET, '.tcp.port == 80'],
  // zeek/tcp/*: handshakes, options, analysis flags
  ...['handshake-reorder', 'option-sack', 'window-scale-range', 'timestamp', 'syn-then-rst', 'tcp-fast-open', 'ssh-dups', 'ctu-64702-888']
    .flatMap((name): Array<[string, string]> => [
      [`zeek/tcp/${name}.pcap`, 'tcp.flags.syn == 1 && tcp.flags.ack == 0'],
      [`zeek/tcp/${name}.pcap`, 'tcp.flags.reset == 1 || tcp.flags.fin == 1'],
      [`zeek/tcp/${name}.pcap`, 'tcp.len > 0 && tcp.srcport > tcp.dstport'],
      [`zeek/tcp/${name}.pcap`, 'tcp.options.wscale.shift >= 2 || tcp.options.mss_val < 1460'],
      [`zeek/tcp/${name}.pcap`, 'tcp.analysis.flags && !tcp.analysis.window_update'],
      [`zeek/tcp/${name}.pcap`, 'tcp.stream in {0, 2..4}'],
    ]),
  // tcpdump test captures: odd link types, bad headers, IPv6 extension headers
  ...['tcpdump/LINKTYPE_IPV4.pcap', 'tcpdump/LINKTYPE_IPV6.pcap', 'tcpdump/LINKTYPE_RAW_ipv4.pcap', 'tcpdump/ipv6-routing-header.pcap',
    'tcpdump/ipv4_invalid_hdr_length.pcap', 'tcpdump/tcp_rst_data.pcap', 'tcpdump/dns_udp.pcap', 'tcpdump/print-flags.pcap']
    .flatMap((file): Array<[string, string]> => [
      [file, 'ip || ipv6'], [file, 'tcp.flags.reset == 1'], [file, 'udp.port == 53 || tcp.port == 53'],
      [file, 'ip.hdr_len > 20 || ipv6.nxt != 6'], [file, 'frame.len != frame.cap_len'],
    ]),
  // absolute times (local time, as tshark takes them)
  [GET, 'frame.time >= "Mar  7, 2013 21:42:06.939"'], [GET, 'frame.time < "2013-03-07 21:42:07"'],
  [GET, 'frame.time > "2013-03-07 21:42:06.939084"'], [GET, 'frame.time == "Mar 7, 2013 21:42:06.869344"'],
  [GET, 'frame.time >= "2013-03-07"'], [GET, 'frame.time_relative > 0.07 && frame.time_relative < 0.5'],
  // more of what people type
  [GET, "tcp.payload[0] == 'G'"], [GET, 'eth.src[0:3] == eth.dst[0:3]'], [GET, 'http.request.method in {"GET", "HEAD"}'],
  [GET, 'http.request.uri == "/download/CHANGES.bro-aux.txt"'], [GET, 'ip.version == 4'], [GET, 'frame.len in {60..100}'],
  [GET, 'tcp.srcport in {80} || tcp.dstport in {80}'], [GET, '!ip'], [GET, 'not arp'], [GET, 'frame[-1] == 0a'],
  [GET, 'tcp.payload contains "GET" && tcp.payload contains "HTTP/1.1"'], [GET, 'tcp.options.mss_val == 1460'],
  [GET, 'tcp.window_size > 5000'], [GET, 'tcp.analysis.bytes_in_flight > 1000'],
 
  [GET, 'ip.dsfield.dscp == 0'], [GET, 'ip.addr == 141.142.228.5 and tcp.port == 80 and tcp.flags.push == 1'],
  [GET, 'tcp.seq > 100 && tcp.seq < 1000'], [GET, 'tcp.ack_raw > 0'], [GET, 'tcp.seq_raw == 0'],
  [GET, 'http.request.method == "get"'], [GET, 'http.request.method matches "get"'], [GET, 'http.host == "www.bro.org"'],
  [GET, 'tcp.checksum == 0'], [GET, 'ip.checksum > 0'], [GET, 'tcp.urgent_pointer == 0'],
  [GET, 'tcp.flags.cwr == 0'], [GET, 'ip.frag_offset == 0'],
  [GET, 'tcp.time_delta > 0.05'], [GET, 'tcp.time_relative > 1'],
  [DNS, 'dns.aaaa'], [DNS, 'dns.aaaa == 2a00::/8'], [DNS, 'dns.resp.name contains "google"'], [DNS, 'dns.flags.rcode == 3'],
  [DNS, 'dns.flags.rcode != 0'], [DNS, 'dns.qry.name in {"www.google.com", "www.facebook.com"}'], [DNS, 'udp.length > 100'],
  [DNS, 'dns.cname'], [DNS, 'dns.count.queries == 1 && dns.count.answers >= 1'], [DNS, 'ip.ttl < 64 || ipv6.hlim < 64'],
  [DNS, 'dns.qry.name matches "^[a-z]+\\\\.(com|net)$"'], [DNS, 'len(dns.qry.name) > 20'], [DNS, 'dns.a === 0.0.0.0/0'],
  [ICMP6, 'ipv6.nxt == 58'], [ICMP6, 'ipv6.hlim == 255'], [ICMP6, 'icmpv6.nd.ns.target_address'], [ICMP6, 'ipv6.plen > 30'],
  [ARP, 'arp.dst.hw_mac == 00:00:00:00:00:00'], [ARP, 'arp.src.hw_mac[0:3] == arp.dst.hw_mac[0:3]'], [ARP, 'sll'],
  [MANY, 'ip.src == 10.0.0.1 && tcp.flags.syn == 1 && tcp.flags.ack == 0'], [MANY, 'udp && !dns'], [MANY, 'ip.ttl in {1..10}'],
  [MANY, 'tcp.window_size_value == 0'], [MANY, 'frame.len > 1500'], [MANY, 'eth.type == 0x86dd'], [MANY, 'tcp.payload[0:2] == 16:03'],
  [MANY, 'http.request.uri matches "\\\\.(jpg|png|gif)$"'], [MANY, 'http.user_agent contains "Mozilla" && http.request.method == "GET"'],
  [MANY, 'icmp.type == 8 && vlan'], [MANY, 'vlan.id == 10 || vlan.id == 20'], [MANY, 'http.content_type contains "image"'],
 [GET, 'ip.src == ip.dst'], [GET, 'tcp.srcport == tcp.dstport'],
  // tshark 4.0's string(), max(), min() and abs()
  [MANY, 'max(tcp.srcport, tcp.dstport) > 1024'], [MANY, 'min(tcp.srcport, tcp.dstport) == 80'], [MANY, 'abs(tcp.len - 1000) < 100'],
  [MANY, 'string(tcp.srcport) == "80"'], [MANY, 'max(ip.len) > 1000'], [MANY, 'string(ip.src) contains "10.0"'], [MANY, 'ip.len > max(100, 200)'],
  [MANY, 'min(tcp.len) == 0'], [MANY, 'max(tcp.srcport, 5) > 5'], [MANY, 'max(frame.time_delta) > 0.5'], [MANY, 'max(ip.src) == 10.0.0.1'],
  [MANY, 'string(eth.src) contains ":"'], [MANY, 'string(ip.proto) == "6"'], [MANY, 'abs(tcp.srcport - 443) < 10'], [MANY, 'string(ip.id) == "25704"'],
  [MANY, 'max(len(tcp.payload), 10) > 1000'], [MANY, 'ip.ttl < abs(-100)'], [MANY, 'ip.src == max(ip.dst)'], [MANY, 'tcp.len > max(5, tcp.len)'],
  [MANY, 'max(tcp.srcport) == max(tcp.dstport)'], [MANY, 'abs(tcp.srcport) == tcp.srcport'], [DNS, 'string(ipv6.src) == "fe80::5a1f:aaff:fe4f:3f9d"'],
  [DNS, 'max(dns.resp.ttl) > 100'], [DNS, 'max(ipv6.src) == ff02::fb'], [RADIOTAP, 'string(wlan_radio.signal_dbm) == "-74"'],
  [RADIOTAP, 'min(wlan_radio.signal_dbm) < -60'], [RADIOTAP, 'string(wlan_radio.data_rate) == "135"'],
  // the quantifiers: `all` (every value), `any` (the default)
  [MANY, 'all tcp.port > 10'], [MANY, 'all tcp.port > 1000'], [MANY, 'all tcp.port != 80'], [MANY, 'any tcp.port != 80'], [MANY, 'all tcp.port == 80'],
  [MANY, 'not all tcp.port > 1000'], [MANY, 'all http.host contains "a"'], [MANY, 'all len(ip.addr) == 4'], [MANY, 'tcp and all tcp.port < 50000'],
  [MANY, 'all tcp.port in {80, 443}'], [MANY, 'all tcp.port not in {80}'], [MANY, 'any tcp.port not in {80}'], [DNS, 'all ip.addr in {10.0.0.0/8}'],
  [DNS, 'all dns.qry.name matches "google"'], [DNS, 'any dns.qry.name matches "google"'], [DNS, 'all dns.a == 173.194.116.113'],
  // the layer operator: a field's values from the Nth occurrence of its protocol (the tunnel's inner IP)
  [ARUBA, 'ip.src#2 == 10.37.36.92'], [ARUBA, 'ip.src#1 == 10.3.34.171'], [ARUBA, 'ip.src#1 == 10.37.36.92'], [ARUBA, 'ip#2'], [ARUBA, 'ip.len#2 > 100'],
  [ARUBA, 'ip.addr#[1-2] == 10.3.34.171'], [ARUBA, 'ip.addr#[2] == 10.3.34.171'], [ARUBA, 'ip.addr#[1:2] == 10.37.36.92'], [ARUBA, 'ip.src#3'],
  [ARUBA, 'count(ip.src#2) == 1'], [ARUBA, 'len(ip.src#2) == 4'], [ARUBA, 'ip.src#2[0] == 10'], [ARUBA, '.ip#2'], [ARUBA, 'ip.src#1 != ip.src#2'],
  [MANY, 'ip.flags.df == "Set"'], [MANY, 'ip.flags.df == "not set"'], [MANY, 'tcp.flags.syn == "Set"'],
  [ARUBA, 'tcp.port#1 == 80'], [ARUBA, 'string(ip.src#2) == "10.37.36.92"'], [ARUBA, 'max(ip.len#1, ip.len#2) > 100'], [VLANS, 'vlan.id#2 == 10'], [VLANS, 'vlan.id#1 == 118'], [VLANS, 'count(vlan.id#1) == 1'],
];

// One tshark run per file answers all of that file's filters.
const tshark = new TsharkFilterOracle(VALID.map(([file, filter]) => [corpusPath(file), filter] as const));

describe('display filters match tshark -Y (second table)', () => {
  it.each(VALID)('%s: %s', (file, text) => {
    const c = compileDisplayFilter(text);
    if (!c.ok) throw new Error(`${text}: ${c.error.message}`);
    expect(filterFile(corpusPath(file), c.filter)).toEqual(tshark.select(corpusPath(file), text).frames);
  });
});

/** tshark's error for an invalid filter: message, and the caret's span when it prints one. */
function tsharkError(filter: string): { message: string; start?: number; end?: number } {
  const r = spawnSync('tshark', ['-n', '-r', corpusPath(GET), '-Y', filter], { encoding: 'utf8' });
  const lines = r.stderr.split('\n').filter((l) => !l.startsWith('Running as user'));
  const i = lines.findIndex((l) => l.startsWith('tshark: '));
  if (i < 0) throw new Error(`tshark accepted ${filter}`);
  const message = lines[i]!.slice('tshark: '.length);
  const caret = lines[i + 2];
  if (caret === undefined || !/^ {4}\s*\^~*$/.test(caret)) return { message };
  const start = caret.indexOf('^') - 4;
  return { message, start, end: start + caret.trim().length };
}

export const INVALID: string[] = [
  'tcp.flgs', 'ip.src == x', 'ip.src == 1.2.3.4/40', 'tcp.port == 70000', 'tcp)', 'eth.src == 00:11',
  'foo(tcp)', '"abc"', 'len(1)', 'tcp.flags.syn == maybe', 'ip.src contains 1', 'ip.src == 1.2.3',
  'ip.src == 300.1.1.1', 'ipv6.src == ::1/200', 'eth.src == 00:11:22:33:44:55:66',
  'eth.src == xyz', 'tcp.port == abc', 'tcp.port == "80"', 'ip.ttl == 256', 'tcp.len == 1.5',
  'http.host == 80 80', 'tcp.port ==', '(tcp', 'tcp &&', '&& tcp', 'tcp.port == 80 ||', '!', 'tcp.port in {80',
  'tcp.port in {}', 'frame[0:2', 'tcp.port[0:1] == 00', 'tcp.payload matches "("', '80 == tcp.port',
  'ip.src == 1.2.3.4 && tcp.portt == 80', 'len(tcp.port, tcp.len) == 2', 'count(1) == 1', 'upper(tcp.port) == "A"',
  'http.host == "abc', 'tcp.port == 80 80', 'ip.addr == ::1', 'ipv6.addr == 1.2.3.4', 'tcp contains', 'tcp.port > ',
  'frame.time_delta > abc', 'ip.proto == tcpp', 'tcp.payload contains "\\q"', 'tcp.port = 80',
  'eth.dst[1-0] == 00', 'tcp.port == 80 and (ip.src == 1.2.3.4', 'tcp..port', 'ip.addr == 10.0.0.0/',
  'dns.qry.name matches 3', 'dns.qry.name matches abc', 'count() == 2', 'lower(tcp.port, tcp.len) == 2', 'foo(1)',
  'tcp.payload matches "[a"', 'tcp.payload matches "a{2,1}"', 'tcp.payload matches "*"', 'tcp.stream == 0x', 'ip.src == 1.2.3.4 ip.dst == 1.2.3.4',
  'frame.number in {1 3 5}', 'ip.src == eth.src', 'tcp.port == "http"', 'tcp.port == http', 'ip.proto == tcp',
  'ip.src == localhost', "http.request.method == 'GET'", "tcp.len == '\\777'", "tcp.len == 'ab'", 'ip.addr == 10.0.0.0/8/8',
  'ip.addr == 1.2.3.4/x', 'ipv6.addr == ::1/8/8', 'ipv6.addr == ::1/x', 'ip.addr == 10.0.0.1 or', 'ip.addr eq 10.0.0.1 and not',
  'host 1.2.3.4', 'port 80', 'tcp port 80', 'tcp.port == 80,443', 'tcp.port in 80', 'tcp.port in {80,}', 'not', '()', 'tcp.len > 0x',
  'ip.ttl > 1.5', 'frame.len == 1e3', 'ip.src == 1.1.1.1 || ip.dst == 1.1.1.1)', 'frame.time > "yesterday"', 'frame.time > "Foo 7, 2013 21:42:06"', '.tcp.portt == 80', '.tcp.portt', 'tcp.port == 80 xor udp', 'tcp.flags.syn == true', 'tcp.flags.syn == false', 'dns.qry.name matches "\\.com"',
  'frame.time > 1000000000', 'frame.time_delta > "1"', 'frame.time_relative > 1s', 'tcp.port in {80 443}',
  'eth.type in {0x0800 0x86dd}', 'http.request.method in {GET HEAD}', 'tcp.port in {80..}', 'tcp.port in {..80}',
  'ip.addr == 1.2.3.4/33', 'ipv6.addr == fe80::/129', 'tcp.flags.syn == 1 &&& 1', 'tcp.port >== 80',
  'len(tcp.port) == 2 ||', 'upper(http.host, http.host)', 'lower()', 'http.host[0:2] == "ab" && foo', 'frame[0:2] == "abc" bar',
  'string(http.host) == "x"', 'string(tcp) == "x"', 'string(5) == "5"', 'string()', 'string(tcp.srcport, tcp.dstport) == "80"', 'max()',
  'max(tcp.srcport, ip.src) > 5', 'max(5, 6) == 6', 'abs(tcp.srcport, tcp.dstport) == 1', 'abs(ip.src) == 1', 'abs() == 1', 'abs(5) == 5',
  'string(frame.time) contains "2014"', 'max(tcp.srcport)', 'string(tcp.flags.syn) == "1"', 'max(tcp.len, udp.length) > 100',
  'len(string(tcp.srcport)) == 2', 'lower(string(ip.src)) == "10.0.0.1"', 'string(tcp.srcport) in {"80", "443"}', 'max(tcp.srcport, tcp.dstport) in {80, 443}',
  'ip.flags.df == "1"', 'ip.flags.df == "True"', 'tcp.port ~ "80"', 'ip.src ~ "10"', 'icmp.type == echo-request', 'icmp.type == "Echo (ping) request"', 'all', 'any', 'all tcp.port', 'ip.addr#-1 == 1.1.1.1', 'ip.addr#x == 1', 'ip.addr#[2-] == 1.1.1.1', '"x"#1', 'tcp.srcport + 1 in {81}', 'tcp.srcport > max(5, tcp.len)', 'len(tcp.payload) in {10}', 'tcp.payload[0] in {0x47}', 'count(ip.addr) in {2}', 'lower(http.host) in {"a"}',
];

describe('invalid display filters: tshark message and span', () => {
  it.each(INVALID)('%s', (text) => {
    const want = tsharkError(text);
    const c = compileDisplayFilter(text);
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.error.message).toBe(want.message);
    if (want.start !== undefined) expect([c.error.start, c.error.end]).toEqual([want.start, want.end]);
  });
});
