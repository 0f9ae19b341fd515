// Follow UDP Stream (`read -z follow,udp,MODE,N`) as tshark 4.0's follow_tvb_tap_listener
// builds it: every datagram of udp.stream N is one record, its payload as captured (up to the UDP
// length), in capture order; Node 0 is the sender of the first one and Node 1 its receiver; a
// datagram is the client's when it comes from Node 0's address and port. Datagrams without payload
// and those an ICMP error quotes are not records (nor Node 0). The records are shown
// by the same printer as Follow TCP Stream (stats-taps.ts's writeFollow).
import { CaptureState, dissect, type DissectOptions } from '../dissect/driver.js';
import { fieldByName, type FieldDef } from '../dissect/field.js';
import { formatFieldValue } from '../dissect/format.js';
import type { AbsTime, FieldNode } from '../dissect/tree.js';
import { nextOrDamage, openCaptureFile } from '../file/reader.js';
import { frameFromRecord } from '../filter/record-frame.js';
import type { FollowedStream } from '../session/contract.js';
import { READ_PASS } from './open-capture.js';
import { prepareCapture } from './source.js';

const field = (name: string): FieldDef => fieldByName(name)!;

/** The followed UDP streams by number (absent: no datagram of that stream). */
export function followUdpStreams(file: string, streams: ReadonlySet<number>, onError: (e: unknown) => void): Map<number, FollowedStream> {
  const F = {
    stream: field('udp.stream'), srcPort: field('udp.srcport'), dstPort: field('udp.dstport'), length: field('udp.length'),
    payload: field('udp.payload'), ipSrc: field('ip.src'), ipDst: field('ip.dst'), ip6Src: field('ipv6.src'), ip6Dst: field('ipv6.dst'),
  };
  const opts: DissectOptions = { tree: false, wanted: new Set(Object.values(F).map((f) => f.id)) };
  const reader = openCaptureFile(file, READ_PASS);
  const capture = new CaptureState({ revisits: false });
  prepareCapture(capture);
  const out = new Map<number, FollowedStream>();
  let n = 0;
  let firstTs: AbsTime | undefined;
  let prevTs: AbsTime | undefined;
  try {
    for (;;) {
      const rec = nextOrDamage(reader, onError);
      if (rec === null) break;
      n++;
      firstTs ??= { sec: rec.ts.sec, nsec: rec.ts.nsec };
      const d = dissect(frameFromRecord(rec, n, firstTs, prevTs, reader.info), capture, opts);
      prevTs = { sec: rec.ts.sec, nsec: rec.ts.nsec };
      const of = (f: FieldDef) => d.flat.filter((x) => x.field === f);
      const stream = of(F.stream).map((x) => x.value as number).find((s) => streams.has(s));
      if (stream === undefined) continue;
      // A datagram an ICMP error quotes is not the stream's (tshark's tap does not see it).
      const udpAt = d.layers.indexOf('udp');
      if (d.layers.slice(0, udpAt).some((l) => l === 'icmp' || l === 'icmpv6')) continue;
      // The tap runs after the whole packet: its addresses and ports are the last ones set.
      const last = (nodes: FieldNode[]) => nodes[nodes.length - 1];
      const src = last([...of(F.ipSrc), ...of(F.ip6Src)].sort((a, b) => a.start - b.start));
      const dst = last([...of(F.ipDst), ...of(F.ip6Dst)].sort((a, b) => a.start - b.start));
      if (!src || !dst) continue;
      const from = `${formatFieldValue(src.field, src.value)}:${last(of(F.srcPort))!.value as number}`;
      const to = `${formatFieldValue(dst.field, dst.value)}:${last(of(F.dstPort))!.value as number}`;
      // One record for each UDP header (the tap is queued by each): its payload up to its length;
      // a datagram without payload is none (packet-udp.c hands on nothing).
      const records: Array<{ length: number; bytes: Uint8Array }> = [];
      for (const x of d.flat) {
        if (x.field === F.length) records.push({ length: Math.max(0, (x.value as number) - 8), bytes: new Uint8Array(0) });
        else if (x.field === F.payload && records.length > 0) records[records.length - 1]!.bytes = x.value as Uint8Array;
      }
      const shown = records.filter((r) => r.length > 0);
      if (shown.length === 0) continue;
      let f = out.get(stream);
      if (!f) out.set(stream, (f = { stream, client: from, server: to, chunks: [] }));
      const side = from === f.client ? 'client' : 'server';
      for (const r of shown) f.chunks.push({ from: side, frame: n, bytes: Buffer.from(r.bytes.subarray(0, r.length)).toString('base64') });
    }
  } finally {
    reader.close();
  }
  return out;
}
