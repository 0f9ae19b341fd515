// forkOpenDatagrams: a filter that runs ahead of the in-order pass forks the pass's open IP
// datagrams and dissects the later fragments with the fork. Cut the pass at every frame of the
// fragment captures: what the fork then dissects must be what tshark shows for those frames
// (the protocols the completing fragment carries, where each datagram was reassembled).
import { describe, expect, it } from 'vitest';
import { CaptureState, dissect } from './driver.js';
import { fieldByName } from './field.js';
import { forkOpenDatagrams } from './reassembly.js';
import { corpusPath } from '../../test/helpers/corpus.js';
import { readCapture, type MiniPacket } from '../../test/helpers/mini-reader.js';
import { tsharkFields } from '../../test/helpers/tshark.js';

const REASSEMBLED_LENGTH = new Set([fieldByName('ip.reassembled.length')!.id, fieldByName('ipv6.reassembled.length')!.id].filter((id) => id !== undefined));

/** The layers up to the transport (frame.protocols; tshark knows more applications than we do). */
function throughTransport(protocols: string): string {
  const layers = protocols.split(':').filter((l) => l !== 'frame');
  const t = layers.findIndex((l) => l === 'udp' || l === 'tcp' || l === 'icmp' || l === 'icmpv6');
  return (t < 0 ? layers : layers.slice(0, t + 1)).join(':');
}

function layersOf(p: MiniPacket, capture: CaptureState): { protocols: string; reassembledLength: string } {
  const d = dissect({ number: p.number, ts: { sec: p.sec, nsec: p.nsec }, capLen: p.data.length, origLen: p.origLen, linkType: p.linkType, data: p.data },
    capture, { tree: false, wanted: REASSEMBLED_LENGTH });
  const lengths = d.flat.filter((n) => REASSEMBLED_LENGTH.has(n.field.id)).map((n) => String(n.value));
  return { protocols: throughTransport(d.layers.join(':')), reassembledLength: lengths.join(',') };
}

describe.each(['pcapplusplus/ip4_fragments.pcap', 'pcapplusplus/ip6_fragments.pcap', 'pcapplusplus/frag_with_padding.pcap'])('forkOpenDatagrams on %s', (rel) => {
  const packets = readCapture(corpusPath(rel))!;
  const theirs = tsharkFields(corpusPath(rel), ['frame.protocols', 'ip.reassembled.length', 'ipv6.reassembled.length']).rows
    .map(([protocols, ip, ipv6]) => [throughTransport(protocols!), ip || ipv6]);

  it('tshark and one in-order pass agree (the baseline the forks are held to)', () => {
    const capture = new CaptureState();
    expect(packets.map((p) => layersOf(p, capture).protocols)).toEqual(theirs.map((r) => r[0]));
  });

  it('a fork taken after any frame dissects the rest as tshark does', () => {
    for (let cut = 0; cut < packets.length; cut++) {
      const pass = new CaptureState();
      for (const p of packets.slice(0, cut)) layersOf(p, pass);
      const fork = new CaptureState();
      forkOpenDatagrams(pass, fork);
      const rest = packets.slice(cut).map((p) => layersOf(p, fork));
      expect(rest.map((r) => r.protocols), `cut after frame ${cut}`).toEqual(theirs.slice(cut).map((r) => r[0]));
      expect(rest.map((r) => r.reassembledLength), `cut after frame ${cut}`).toEqual(theirs.slice(cut).map((r) => r[1]));
    }
  });

  it('leaves the pass untouched: the pass goes on as if there were no fork', () => {
    const cut = Math.floor(packets.length / 2);
    const pass = new CaptureState();
    for (const p of packets.slice(0, cut)) layersOf(p, pass);
    const fork = new CaptureState();
    forkOpenDatagrams(pass, fork);
    for (const p of packets.slice(cut)) layersOf(p, fork);
    expect(packets.slice(cut).map((p) => layersOf(p, pass).protocols)).toEqual(theirs.slice(cut).map((r) => r[0]));
  });
});
