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
