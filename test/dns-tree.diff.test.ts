// The DNS and mDNS parts of the packet-details tree, line by line as tshark -n -V prints them,
// on every corpus capture with either: the transaction links ("[Request In: 1]", "[Time: …]",
// "[Retransmitted request. Original request in: 164]") after the records, SRV owners split
// into Service / Protocol / Name where the name would be, NSEC type bit maps ("RR type in bit
// map: PTR …"), mDNS's 15-bit class and payload size drawn with their masks, and a query's
// COOKIE option with "Server Cookie: <MISSING>".
import { describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath } from './helpers/corpus.js';
import { tsharkRaw } from './helpers/tshark.js';
import { sectionLines } from './helpers/verbose.js';

const WITH_DNS = [
  'gopacket/test_dns.pcap', 'pcapplusplus/DnsPackets.pcap', 'pcapplusplus/many-protocols.pcap', 'pcapplusplus/many_interfaces-1.pcapng',
  'pcapplusplus/null_loopback.pcap', 'pcapplusplus/raw_ip.pcap', 'pcapplusplus/too_many_interfaces.pcapng', 'tcpdump/LINKTYPE_IPV4.pcap',
  'tcpdump/LINKTYPE_IPV6.pcap', 'tcpdump/LINKTYPE_RAW_ipv4.pcap', 'tcpdump/dns_tcp.pcap', 'tcpdump/dns_udp.pcap',
  'tcpdump/time_2106_overflow.pcapng', 'zeek/dns/dns-invalid-names.pcap', 'zeek/icmp/icmp-destunreach-udp.pcap',
  'zeek/ipv6-fragmented-dns.pcap', 'zeek/ntp/NTP_sync.pcap', 'zeek/pcapng-multi-interface.pcapng', 'zeek/radiotap.pcap',
  'zeek/smtp.pcap', 'zeek/wlanmon.pcap',
];
const WITH_MDNS = [
  'pcapplusplus/DnsPackets.pcap', 'pcapplusplus/ip6_fragments.pcap', 'pcapplusplus/packet_trailer.pcap', 'zeek/dns/mdns.pcap',
  'zeek/radiotap.pcap', 'zeek/wlanmon.pcap',
];

describe('read -V: the DNS and mDNS trees tshark -V prints', () => {
  for (const [title, files] of [['Domain Name System', WITH_DNS], ['Multicast Domain Name System', WITH_MDNS]] as const) {
    for (const rel of files) {
      it(`${rel}: ${title}`, async () => {
        const out = new StringSink(), err = new StringSink();
        await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
        const theirs = sectionLines(tsharkRaw(corpusPath(rel), ['-V']).stdout, title);
        expect(theirs.length).toBeGreaterThan(0);
        expect(sectionLines(out.text(), title)).toEqual(theirs);
      });
    }
  }
});
