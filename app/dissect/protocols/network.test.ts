// Unit tests for the network-layer dissectors on whole corpus frames run through the driver.
// Expected values are tshark 4.0.17's output for the same frames (quoted per test); the
// checksum tests also corrupt a byte, where the expectation follows from RFC 1071 itself.
import { describe, expect, it } from 'vitest';
import { fieldByName } from '../field.js';
import { CaptureState, dissect, type Dissection } from '../driver.js';
import { formatFieldValue } from '../format.js';
import { findAll } from '../tree.js';
import { corpusPath } from '../../../test/helpers/corpus.js';
import { readCapture, type MiniPacket } from '../../../test/helpers/mini-reader.js';

function frames(rel: string): MiniPacket[] {
  const packets = readCapture(corpusPath(rel));
  if (!packets) throw new Error(`cannot read ${rel}`);
  return packets;
}

function run(p: MiniPacket, capture = new CaptureState(), data = p.data, tree = true, wanted?: string[]): Dissection {
  const ids = wanted ? new Set(wanted.map((n) => fieldByName(n)!.id)) : null;
  return dissect({ number: p.number, ts: { sec: p.sec, nsec: p.nsec }, capLen: data.length, origLen: p.origLen, linkType: p.linkType, data },
    capture, { tree, wanted: ids });
}

/** A field's values as `tshark -T fields -E occurrence=a -E aggregator=,` prints them. */
function field(d: Dissection, name: string): string {
  const nodes = d.roots.length ? findAll(d.roots, name) : d.flat.filter((n) => n.field.name === name);
  return nodes.map((n) => formatFieldValue(n.field, n.value)).join(',');
}

describe('icmp', () => {
  it('verifies the checksum and pairs echo replies (zeek/icmp/5-pings.pcap)', () => {
    const [req, rep] = frames('zeek/icmp/5-pings.pcap');
    const capture = new CaptureState();
    const a = run(req!, capture);
    const b = run(rep!, capture);
    // tshark: icmp.checksum.status 1 on both; "Echo (ping) reply    id=0x04ca, seq=1/256, ttl=113 (request in 1)"
    expect(field(a, 'icmp.checksum.status')).toBe('1');
    expect(b.info).toBe('Echo (ping) reply    id=0x04ca, seq=1/256, ttl=113 (request in 1)');
    expect(field(b, 'icmp.resp_to')).toBe('1');
    expect(field(b, 'icmp.resptime')).toBe('26.299');
  });
  it('marks a corrupted message as a bad checksum', () => {
    const [req] = frames('zeek/icmp/5-pings.pcap');
    const bytes = req!.data.slice();
    bytes[bytes.length - 1] ^= 0x01; // last byte of the echo data
    const d = run(req!, new CaptureState(), bytes);
    expect(field(d, 'icmp.checksum.status')).toBe('0');
    expect(d.expert.some((e) => e.group === 'checksum')).toBe(true);
  });
  it('shows no ICMP fields when byte 5 is missing (tcpdump/icmp-icmp_print-oobr-1.pcap)', () => {
    const [p] = frames('tcpdump/icmp-icmp_print-oobr-1.pcap');
    const d = run(p!);
    // tshark: icmp.type and icmp.code empty, "[Malformed Packet: ICMP]"
    expect(field(d, 'icmp.type')).toBe('');
    expect(d.malformed).toBe(true);
  });
});

describe('ipv4', () => {
  it('records flag and DS bits without a tree (filters, -T fields)', () => {
    const [p] = frames('zeek/icmp/5-pings.pcap');
    const d = run(p!, new CaptureState(), p!.data, false, ['ip.flags.df', 'ip.flags.mf', 'ip.dsfield.dscp']);
    const t = run(p!);
    for (const name of ['ip.flags.df', 'ip.flags.mf', 'ip.dsfield.dscp']) expect(field(d, name)).toBe(field(t, name));
    expect(field(d, 'ip.flags.mf')).toBe('0');
  });
  it('lists the fragments on the completing frame (pcapplusplus/ip4_fragments.pcap)', () => {
    const packets = frames('pcapplusplus/ip4_fragments.pcap');
    const capture = new CaptureState();
    let last: Dissection | null = null;
    for (const p of packets.slice(0, 6)) last = run(p, capture);
    // tshark frame 6: ip.fragment "1,2,3,4,5,6", ip.fragment.count 6, ip.reassembled.length 8320
    expect(field(last!, 'ip.fragment')).toBe('1,2,3,4,5,6');
    expect(field(last!, 'ip.fragment.count')).toBe('6');
    expect(field(last!, 'ip.reassembled.length')).toBe('8320');
  });
});

describe('ipv6', () => {
  it('checks ICMPv6 over the routing header final destination (tcpdump/ipv6-routing-header.pcap)', () => {
    const [p] = frames('tcpdump/ipv6-routing-header.pcap');
    const d = run(p!);
    // tshark: ipv6.routing.type 0, segleft 1, ipv6.routing.src.addr 2200::210:2:0:0:4, icmpv6.checksum.status 1
    expect(field(d, 'ipv6.routing.src.addr')).toBe('2200::210:2:0:0:4');
    expect(field(d, 'icmpv6.checksum.status')).toBe('1');
    expect(field(d, 'ip.version')).toBe('6');
  });
  it('takes a zero payload length at its word without a hop-by-hop header (tcpdump/ipv6_frag6_negative_len.pcap)', () => {
    const [p] = frames('tcpdump/ipv6_frag6_negative_len.pcap');
    const d = run(p!);
    // tshark: frame.protocols eth:ethertype:ipv6:ipv6.fraghdr, "[Malformed Packet: IPv6 Fragment]",
    // eth.trailer 021305008000007480570f78ff020004
    expect(field(d, 'frame.protocols')).toBe('eth:ethertype:ipv6:ipv6.fraghdr');
    expect(d.malformed).toBe(true);
    expect(field(d, 'eth.trailer')).toBe('021305008000007480570f78ff020004');
  });
});
