// Follow UDP Stream's records, as tshark 4.0's follow_tvb_tap_listener makes them: every datagram
// of the stream is one record, its payload as captured (up to the UDP length), in capture order;
// Node 0 is the sender of the first and Node 1 its receiver; a datagram is the client's when it
// comes from Node 0's address and port. Datagrams without payload and those an ICMP error quotes
// are no records (nor Node 0). Fed with dissections (no tree) that kept UDP_FOLLOW_FIELDS: the
// command line's pass over a file (app/cli/follow-udp.ts) and the session's over its frames.
import type { Dissection } from '../dissect/driver.js';
import { fieldByName, type FieldDef } from '../dissect/field.js';
import { formatFieldValue } from '../dissect/format.js';
import type { FieldNode } from '../dissect/tree.js';
import type { FollowedStream } from '../session/contract.js';

const field = (name: string): FieldDef => fieldByName(name)!;

let fields: Record<'stream' | 'srcPort' | 'dstPort' | 'length' | 'payload' | 'ipSrc' | 'ipDst' | 'ip6Src' | 'ip6Dst', FieldDef> | null = null;

function F() {
  return (fields ??= {
    stream: field('udp.stream'), srcPort: field('udp.srcport'), dstPort: field('udp.dstport'), length: field('udp.length'),
    payload: field('udp.payload'), ipSrc: field('ip.src'), ipDst: field('ip.dst'), ip6Src: field('ipv6.src'), ip6Dst: field('ipv6.dst'),
  });
}

/** The field ids a dissection must keep for the follower (DissectOptions.wanted). */
export function udpFollowFieldIds(): Set<number> {
  return new Set(Object.values(F()).map((f) => f.id));
}

/** The udp.stream numbers of a dissection's UDP headers, in order. */
export function udpStreamsOf(d: Dissection): number[] {
  const stream = F().stream;
  return d.flat.filter((x) => x.field === stream).map((x) => x.value as number);
}

/** The followed UDP streams of the dissections pushed, by udp.stream. */
export class UdpFollower {
  readonly streams = new Map<number, FollowedStream>();

  constructor(private readonly wanted: ReadonlySet<number>) {}

  /** Frame `frame`'s dissection: a record if it carries a datagram of a wanted stream. */
  push(d: Dissection, frame: number): void {
    const f = F();
    const of = (def: FieldDef) => d.flat.filter((x) => x.field === def);
    const stream = udpStreamsOf(d).find((s) => this.wanted.has(s));
    if (stream === undefined) return;
    // A datagram an ICMP error quotes is not the stream's (tshark's tap does not see it).
    const udpAt = d.layers.indexOf('udp');
    if (d.layers.slice(0, udpAt).some((l) => l === 'icmp' || l === 'icmpv6')) return;
    // The tap runs after the whole packet: its addresses and ports are the last ones set.
    const last = (nodes: FieldNode[]) => nodes[nodes.length - 1];
    const src = last([...of(f.ipSrc), ...of(f.ip6Src)].sort((a, b) => a.start - b.start));
    const dst = last([...of(f.ipDst), ...of(f.ip6Dst)].sort((a, b) => a.start - b.start));
    if (!src || !dst) return;
    const from = `${formatFieldValue(src.field, src.value)}:${last(of(f.srcPort))!.value as number}`;
    const to = `${formatFieldValue(dst.field, dst.value)}:${last(of(f.dstPort))!.value as number}`;
    // One record for each UDP header (the tap is queued by each): its payload up to its length;
    // a datagram without payload is none (packet-udp.c hands on nothing).
    const records: Array<{ length: number; bytes: Uint8Array }> = [];
    for (const x of d.flat) {
      if (x.field === f.length) records.push({ length: Math.max(0, (x.value as number) - 8), bytes: new Uint8Array(0) });
      else if (x.field === f.payload && records.length > 0) records[records.length - 1]!.bytes = x.value as Uint8Array;
    }
    const shown = records.filter((r) => r.length > 0);
    if (shown.length === 0) return;
    let s = this.streams.get(stream);
    if (!s) this.streams.set(stream, (s = { stream, client: from, server: to, chunks: [] }));
    const side = from === s.client ? 'client' : 'server';
    for (const r of shown) s.chunks.push({ from: side, frame, bytes: Buffer.from(r.bytes.subarray(0, r.length)).toString('base64') });
  }
}
