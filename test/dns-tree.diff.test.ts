// The DNS and mDNS parts of the packet-details tree, line by line as tshark -n -V prints them,
// on every corpus capture with either: the transaction links ("[Request In: 1]", "[Time: …]",
// "[Retransmitted request. Original request in: 164]") after the records, SRV owners split
// into Service / Protocol / Name where the name would be, NSEC type bit maps ("RR type in bit
// map: PTR …"), mDNS's 15-bit class and payload size drawn with their masks, and a query's
// COOKIE option with "Server Cookie: <MISSING>".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, udpFrame } from './helpers/pcap-build.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
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
        const theirs = sectionLines(tsharkVerbose(corpusPath(rel)).stdout, title);
        expect(theirs.length).toBeGreaterThan(0);
        expect(sectionLines(out.text(), title)).toEqual(theirs);
      });
    }
  }
});

describe('read -V: DNS answers built for the cases the corpus lacks, as tshark shows them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-dns-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A name in wire form. */
  const wire = (name: string) => Buffer.concat([...name.split('.').filter((l) => l !== '').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
  const u16 = (...v: number[]) => Buffer.from(v.flatMap((x) => [x >> 8, x & 0xff]));
  const u32 = (v: number) => Buffer.from([v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
  /** A response with one question and one answer of `type` for `owner`, cut to `keep` bytes of the message if given. */
  const response = (id: number, owner: string, type: number, rdata: Buffer, keep?: number) => {
    const msg = Buffer.concat([u16(id, 0x8180, 1, 1, 0, 0), wire(owner), u16(type, 1), wire(owner), u16(type, 1), u32(60), u16(rdata.length), rdata]);
    return udpFrame([10, 0, 0, 2], 53, [10, 0, 0, 1], 40000, keep === undefined ? msg : msg.subarray(0, keep));
  };
  const srv = Buffer.concat([u16(10, 5, 5060), wire('sip.example.com')]);

  it('SRV owners of one, two and three or more labels and the root; one-character and root names; an answer cut short', async () => {
    // SRV splits its owner into Service, Protocol and Name as far as there are labels; the
    // query's Name Length and Label Count count the name as shown, and only past one character;
    // an answer whose data the message does not hold leaves no half record in the tree.
    const frames = [
      response(1, 'x', 33, srv), response(2, 'a.b', 33, srv), response(3, '_sip._tcp.example.com', 33, srv), response(4, '', 33, srv),
      response(5, 'example.com', 16, Buffer.concat([Buffer.from([200]), Buffer.alloc(200, 0x78)]), 80),
    ];
    const file = join(dir, 'dns-built.pcap');
    writeFileSync(file, pcapFile(frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
    const out = new StringSink(), err = new StringSink();
    await runRead(parseReadArgs([file, '-V']), out, err);
    const theirs = tsharkVerbose(file).stdout;
    expect(theirs).toContain('Service: <Root>');
    expect(sectionLines(out.text(), 'Domain Name System')).toEqual(sectionLines(theirs, 'Domain Name System'));
  });
});
