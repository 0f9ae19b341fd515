// The corpus's Ethernet packets as one capture, a third of them with header bytes flipped: the
// input for tests that compare two ways of printing the same packets (a fast path against the
// dissections it stands in for) on headers the captures never had.
import { corpusRecords } from './corpus-records.js';
import { pcapFile, type BuiltRecord } from './pcap-build.js';
import { prng } from './prng.js';

/**
 * The corpus's Ethernet packets as one pcap, a third of them with bytes of their first 100
 * flipped (rate 0.03): header lengths, flags, option lists and IP lengths the captures never
 * had, in connections the tracker follows.
 */
export async function mutatedEthernetPcap(seed: number): Promise<Buffer> {
  const rand = prng(seed);
  const records: BuiltRecord[] = [];
  let sec = 1_700_000_000, last = '';
  for await (const { file, rec } of corpusRecords()) {
    // Each capture a second after the one before: their connections do not mix.
    if (file !== last) sec++;
    last = file;
    if (rec.linkType !== 1 || rec.capLen > 262144) continue;
    const data = Buffer.from(rec.data);
    if (rand() < 1 / 3) {
      for (let i = 14; i < Math.min(100, data.length); i++) if (rand() < 0.03) data[i] = data[i]! ^ (1 + Math.floor(rand() * 255));
    }
    records.push({ sec, frac: Math.floor(rec.ts.nsec / 1000), data, origLen: Math.max(rec.origLen, data.length) });
  }
  return pcapFile(records);
}

/**
 * The corpus's TCP segments and UDP datagrams with a payload, over Ethernet and IPv4/IPv6 (no
 * options, no extension headers), in order: each as it is, then with payload bytes flipped (rate
 * 0.05; a datagram three times, and once more cut after half its payload, IP and UDP lengths
 * cut with it). DNS names that point anywhere, HTTP lines broken mid-header, TLS records of the
 * wrong length, a segment's bytes sent again different: every way an application's dissection
 * throws or stops, on packets whose headers are sound. Counts what it took (DNS, mDNS and
 * LLMNR datagrams apart).
 */
export async function mutatedPayloadsPcap(seed: number): Promise<{ pcap: Buffer; segments: number; datagrams: number; nameService: number }> {
  const rand = prng(seed);
  const records: BuiltRecord[] = [];
  let sec = 1_700_000_000, segments = 0, datagrams = 0, nameService = 0;
  const mutated = (whole: Buffer, from: number): Buffer => {
    const m = Buffer.from(whole);
    for (let i = from; i < m.length; i++) if (rand() < 0.05) m[i] = m[i]! ^ (1 + Math.floor(rand() * 255));
    return m;
  };
  for await (const { rec } of corpusRecords()) {
    if (rec.linkType !== 1 || rec.capLen !== rec.origLen || rec.capLen < 14) continue;
    const data = rec.data;
    const type = (data[12]! << 8) | data[13]!;
    const ipLen = type === 0x0800 && data[14] === 0x45 ? 20 : type === 0x86dd ? 40 : 0;
    if (ipLen === 0) continue;
    const proto = data[ipLen === 20 ? 23 : 20];
    const total = ipLen === 20 ? (data[16]! << 8) | data[17]! : 40 + ((data[18]! << 8) | data[19]!);
    const u = 14 + ipLen;
    if (total > data.length - 14 || total < ipLen + 20) continue;
    const whole = Buffer.from(data.subarray(0, 14 + total));
    if (proto === 6) {
      const payloadAt = u + ((data[u + 12]! >> 4) * 4);
      if (payloadAt >= whole.length) continue;
      segments++;
      for (const v of [whole, mutated(whole, payloadAt)]) records.push({ sec: sec++, frac: 0, data: v });
      continue;
    }
    const ulen = (data[u + 4]! << 8) | data[u + 5]!;
    if (proto !== 17 || ulen <= 8 || ulen !== total - ipLen) continue;
    datagrams++;
    const srcPort = (data[u]! << 8) | data[u + 1]!, dstPort = (data[u + 2]! << 8) | data[u + 3]!;
    if (NAME_SERVICE_PORTS.has(srcPort) || NAME_SERVICE_PORTS.has(dstPort)) nameService++;
    const cut = Buffer.from(whole.subarray(0, u + 8 + Math.floor((ulen - 8) / 2)));
    const cutUdp = cut.length - u;
    cut.writeUInt16BE(cutUdp, u + 4);
    if (ipLen === 20) cut.writeUInt16BE(20 + cutUdp, 16);
    else cut.writeUInt16BE(cutUdp, 18);
    for (const v of [whole, mutated(whole, u + 8), mutated(whole, u + 8), mutated(whole, u + 8), cut]) records.push({ sec: sec++, frac: 0, data: v });
  }
  return { pcap: pcapFile(records), segments, datagrams, nameService };
}

/** The UDP ports of DNS, mDNS and LLMNR. */
const NAME_SERVICE_PORTS = new Set([53, 5353, 5355]);
