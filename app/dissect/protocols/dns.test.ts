// DNS / mDNS on payloads cut from corpus packets; expected values are what tshark 4.0.17
// printed for the same frames (`tshark -n -r FILE -T fields -E occurrence=a -E aggregator=,`).
import { describe, expect, it } from 'vitest';
import { CaptureState } from '../packet.js';
import { hex, runPayload } from '../../../test/helpers/payload.js';
import { dnsProtocol, mdnsProtocol, secsText } from './dns.js';

// tcpdump/dns_udp.pcap frames 1 and 2 (UDP payloads).
const QUERY = '593401200001000000000001037777770774637064756d70036f72670000010001000029100000000000000c000a000842f5d00996f90b13';
const RESPONSE = '593485000001000200020005037777770774637064756d70036f72670000010001c00c000100010000003c0004c08b2e42c00c000100010000003c0004c6c75868c0100002000100015180001203736e7308636f6f7065726978036e657400c01000020001000151800012036e69630973616e64656c6d616e02636100c06b000100010000012c0004d157f912c06b001c00010000012c00102607f0b0000f000000000000babef00dc04d0001000100001c200004616b850fc04d001c000100001c20001026003c0300000000f03c91fffe96e8ef0000291000000000000000';

describe('dns', () => {
  it('decodes a query with EDNS (dns_udp.pcap #1)', () => {
    const r = runPayload(dnsProtocol, hex(QUERY));
    expect(r.error).toBeNull();
    expect(r.ctx.protocol).toBe('DNS');
    expect(r.ctx.info).toBe('Standard query 0x5934 A www.tcpdump.org OPT');
    expect(r.field('dns.id')).toBe('0x5934');
    expect(r.field('dns.flags')).toBe('0x0120');
    expect(r.field('dns.qry.name')).toBe('www.tcpdump.org');
    expect(r.field('dns.qry.name.len')).toBe('15');
    expect(r.field('dns.count.labels')).toBe('3');
    expect(r.field('dns.qry.class')).toBe('0x0001');
    expect(r.field('dns.rr.udp_payload_size')).toBe('4096');
    expect(r.field('dns.opt.code')).toBe('10');
  });

  it('decodes a compressed response and pairs it with its query (dns_udp.pcap #2)', () => {
    const capture = new CaptureState();
    const q = { src: '192.168.1.1', dst: '192.168.1.2', srcPort: 40000, dstPort: 53 };
    const a = { src: '192.168.1.2', dst: '192.168.1.1', srcPort: 53, dstPort: 40000 };
    runPayload(dnsProtocol, hex(QUERY), { capture, endpoints: q, number: 1, time: 100 });
    const r = runPayload(dnsProtocol, hex(RESPONSE), { capture, endpoints: a, number: 2, time: 100.25 });
    expect(r.ctx.info).toBe('Standard query response 0x5934 A www.tcpdump.org A 192.139.46.66 A 198.199.88.104 NS sns.cooperix.net NS nic.sandelman.ca A 209.87.249.18 AAAA 2607:f0b0:f::babe:f00d A 97.107.133.15 AAAA 2600:3c03::f03c:91ff:fe96:e8ef OPT');
    expect(r.field('dns.a')).toBe('192.139.46.66,198.199.88.104,209.87.249.18,97.107.133.15');
    expect(r.field('dns.aaaa')).toBe('2607:f0b0:f::babe:f00d,2600:3c03::f03c:91ff:fe96:e8ef');
    expect(r.field('dns.ns')).toBe('sns.cooperix.net,nic.sandelman.ca');
    expect(r.field('dns.count.answers')).toBe('2');
    expect(r.field('dns.resp.ttl')).toBe('60,60,86400,86400,300,300,7200,7200');
    expect(r.field('dns.response_to')).toBe('1');
    expect(r.field('dns.time')).toBe('0.250000000');
    // Dissected again later (random access), the query knows its response.
    const again = runPayload(dnsProtocol, hex(QUERY), { capture, endpoints: q, number: 1, time: 100 });
    expect(again.field('dns.response_in')).toBe('2');
  });

  it('stops on a self-pointing name instead of looping (zeek dns-invalid-names.pcap #2)', () => {
    const r = runPayload(dnsProtocol, hex('222301000001000000000000c00c00010001'));
    expect(r.error).toBeNull();
    expect(r.ctx.info).toBe('Standard query 0x2223 A <Name contains a pointer that loops>');
    expect(r.field('dns.qry.name.len')).toBe('36');
    expect(r.field('dns.count.labels')).toBe('1');
  });

  it('marks a label running past the datagram malformed (dns-invalid-names.pcap #1, #3)', () => {
    for (const p of ['2222010000010000000000000361', '22240100000100000000000003616263']) {
      const r = runPayload(dnsProtocol, hex(p));
      expect(r.error).toBe('malformed');
      expect(r.ctx.info).toMatch(/^Standard query 0x222[24]$/);
    }
  });

  it('decodes mDNS QU questions and cache-flush answers (DnsPackets.pcap #418, #421)', () => {
    const q = runPayload(mdnsProtocol, hex('0000000000010000000100010c5961656c732d6950686f6e65056c6f63616c0000ff8001c00c000100010000007800040a00000200002905a000001194000c0004000800df581faa4f3f9d'));
    expect(q.ctx.protocol).toBe('MDNS');
    expect(q.ctx.info).toBe('Standard query 0x0000 ANY Yaels-iPhone.local, "QU" question A 10.0.0.2 OPT');
    expect(q.field('dns.qry.qu')).toBe('1');
    expect(q.field('dns.qry.class')).toBe('0x0001');
    const a = runPayload(mdnsProtocol, hex('00008400000000020000000301320130013002313007696e2d61646472046172706100000c80010000007800140c5961656c732d6950686f6e65056c6f63616c00c02d000180010000007800040a000002c00c002f8001000000780006c00c00020008c02d002f8001000000780005c02d00014000002905a000001194000c0004000800df581faa4f3f9d'));
    expect(a.ctx.info).toBe('Standard query response 0x0000 PTR, cache flush Yaels-iPhone.local A, cache flush 10.0.0.2 NSEC, cache flush 2.0.0.10.in-addr.arpa NSEC, cache flush Yaels-iPhone.local OPT');
    expect(a.field('dns.resp.cache_flush')).toBe('1,1,1,1,0');
  });

  it('decodes DNS over TCP with its length prefix (dns_tcp.pcap #4)', () => {
    const r = runPayload(dnsProtocol, hex('0038' + QUERY), { transport: 'tcp' });
    expect(r.field('dns.length')).toBe('56');
    expect(r.ctx.info).toBe('Standard query 0x5934 A www.tcpdump.org OPT');
  });

  it('words TTLs like tshark', () => {
    expect(secsText(2598)).toBe('43 minutes, 18 seconds');
    expect(secsText(86400)).toBe('1 day');
    expect(secsText(0)).toBe('0 seconds');
  });
});
