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

/** The UDP ports of the protocols the header-only summary dissects on their own (DNS, mDNS, LLMNR). */
const NAME_SERVICE_PORTS = new Set([53, 5353, 5355]);

/**
 * The corpus's DNS, mDNS and LLMNR datagrams over Ethernet and IPv4/IPv6 (no options, no
 * extension headers), each as it is, then three times with message bytes flipped (rate 0.05)
 * and once cut after half its message (IP and UDP lengths cut with it): names that point
 * anywhere, counts the message does not hold, records cut short — every way a DNS dissection
 * throws or stops, on datagrams whose headers are sound.
 */
export async function mutatedDnsPcap(seed: number): Promise<{ pcap: Buffer; datagrams: number }> {
  const rand = prng(seed);
  const records: BuiltRecord[] = [];
  let sec = 1_700_000_000, datagrams = 0;
  for await (const { rec } of corpusRecords()) {
    if (rec.linkType !== 1 || rec.capLen !== rec.origLen || rec.capLen < 14) continue;
    const data = rec.data;
    const type = (data[12]! << 8) | data[13]!;
    const ipLen = type === 0x0800 && data[14] === 0x45 ? 20 : type === 0x86dd ? 40 : 0;
    if (ipLen === 0 || data[ipLen === 20 ? 23 : 20] !== 17 || data.length < 14 + ipLen + 8) continue;
    const u = 14 + ipLen;
    const srcPort = (data[u]! << 8) | data[u + 1]!, dstPort = (data[u + 2]! << 8) | data[u + 3]!;
    const ulen = (data[u + 4]! << 8) | data[u + 5]!;
    if (!NAME_SERVICE_PORTS.has(srcPort) && !NAME_SERVICE_PORTS.has(dstPort) || ulen < 8 || u + ulen > data.length) continue;
    datagrams++;
    const whole = Buffer.from(data.subarray(0, u + ulen));
    const variants: Buffer[] = [whole];
    for (let k = 0; k < 3; k++) {
      const m = Buffer.from(whole);
      for (let i = u + 8; i < m.length; i++) if (rand() < 0.05) m[i] = m[i]! ^ (1 + Math.floor(rand() * 255));
      variants.push(m);
    }
    const cut = Buffer.from(whole.subarray(0, u + 8 + Math.floor((ulen - 8) / 2)));
    const cutUdp = cut.length - u;
    cut.writeUInt16BE(cutUdp, u + 4);
    if (ipLen === 20) cut.writeUInt16BE(20 + cutUdp, 16);
    else cut.writeUInt16BE(cutUdp, 18);
    variants.push(cut);
    for (const v of variants) records.push({ sec: sec++, frac: 0, data: v });
  }
  return { pcap: pcapFile(records), datagrams };
}
