// The packet-details tree as a Wireshark user reads it first: the line of each layer. On every
// corpus capture, SynScope's `read -V` and `tshark -n -V` print the same Packet comments (before
// the Frame), Frame (or pcapng Custom Block), TCP, UDP and ARP lines — "Transmission Control
// Protocol, Src Port: 80, Dst Port: 59856, Seq: 1, Ack: 1, Len: 0", "Frame 5: … on interface
// eth0, id 0", "Address Resolution Protocol (ARP Announcement)" — and the same Frame lines for
// the record: Arrival Time, Encapsulation type, pcapng's Section number and Interface id (with
// its name, "unknown" when the file gives none), the time shift and both time deltas; UDP's
// per-conversation times (exact to the nanosecond, not epoch floats subtracted) and the MAC an
// IPv6 address was built from ("[Source SLAAC MAC: a4:67:06:f7:ec:54]").
import { describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusCaptures, corpusPath } from './helpers/corpus.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const LAYER_LINE = new RegExp('^(Packet comments$|Frame \\d|PCAPNG Custom Block|Ethernet II|Transmission Control Protocol|User Datagram Protocol|Address Resolution Protocol' +
  '|\\[\\d+ Reassembled TCP Segments|Transport Layer Security|Hypertext Transfer Protocol|Simple Service Discovery Protocol)' +
  '|^ {4}(Arrival Time|Encapsulation type|Section number|Interface id|\\[Time shift for this packet|\\[Time delta from previous (captured|displayed) frame): |^ {8}Interface name: ' +
  '|^ {4}\\[(Source|Destination) SLAAC MAC: |^ {8}\\[Time since (first|previous) frame: ');

/** Files left out, and why. */
const LEFT_OUT: Record<string, string> = {
  'tcpdump/dsa.pcap': 'tshark cannot read it',
};

/**
 * A capture whose fractional seconds are past a second (invalid): tshark's deltas print its raw
 * arithmetic ("0.1147483648"), SynScope's a normalised time. Its delta lines are not compared.
 */
const RAW_FRACTIONS = /^tcpdump\/timestamp_invalid_nano\.pcap$/;

function layerLines(text: string, deltas: boolean): string[] {
  return text.split('\n').filter((l) => LAYER_LINE.test(l) && (deltas || !/^ {4}( {4})?\[Time /.test(l)));
}

describe('read -V: the layer lines tshark -V prints', () => {
  let compared = 0;
  for (const rel of corpusCaptures().filter((f) => !(f in LEFT_OUT))) {
    it(rel, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
      const deltas = !RAW_FRACTIONS.test(rel);
      const ours = layerLines(out.text(), deltas);
      expect(ours).toEqual(layerLines(tsharkVerbose(corpusPath(rel)).stdout, deltas));
      compared += ours.length;
    });
  }
  // The line an exception leaves names the protocol by Wireshark's short name; a frame too short
  // for its Ethernet header has no Ethernet item.
  for (const rel of ['zeek/trunc/trunc-hdr.pcap', 'tcpdump/pim_header_asan-2.pcap', 'tcpdump/ipv6_frag6_negative_len.pcap', 'zeek/trunc/ip6-ext-trunc.pcap']) {
    it(`${rel}: the "[Packet size limited …]" and "[Malformed Packet: …]" lines`, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
      const notes = (text: string) => text.split('\n').filter((l) => /^\[(Packet size limited during capture|Malformed Packet): /.test(l));
      const theirs = notes(tsharkVerbose(corpusPath(rel)).stdout);
      expect(notes(out.text())).toEqual(theirs);
    });
  }
  // A long byte string shows its first 36 bytes, then "…", as Wireshark's tree does.
  for (const rel of ['pcapplusplus/ip6_fragments.pcap', 'zeek/icmp/5-pings.pcap', 'pcapplusplus/frag_with_padding.pcap', 'pcapplusplus/IcmpPackets.pcap', 'zeek/http/docker-http-upgrade.pcap']) {
    it(`${rel}: long byte strings cut at 36 bytes`, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
      const cut = (text: string) => text.split('\n').filter((l) => /: [0-9a-f]{72}\u2026$/.test(l));
      const theirs = cut(tsharkVerbose(corpusPath(rel)).stdout);
      expect(theirs.length).toBeGreaterThan(0);
      expect(cut(out.text())).toEqual(theirs);
    });
  }
  it('compared thousands of lines', () => {
    // Runs after the per-file cases (empty captures have none).
    expect(compared).toBeGreaterThan(10000);
  });
});
