// Small pcap files built in tests: the classic little-endian µs format, one link type.

export interface BuiltRecord {
  sec: number;
  /** The fraction field as stored (µs, or anything a test wants to put there). */
  frac: number;
  data: Uint8Array;
  /** Original length (default: the captured length). */
  origLen?: number;
}

/** A pcap (magic a1b2c3d4 LE, version 2.4) of `records`. */
export function pcapFile(records: readonly BuiltRecord[], linkType = 1, snapLen = 262144): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(snapLen, 16);
  header.writeUInt32LE(linkType, 20);
  const parts: Uint8Array[] = [header];
  for (const r of records) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(r.sec, 0);
    h.writeUInt32LE(r.frac, 4);
    h.writeUInt32LE(r.data.length, 8);
    h.writeUInt32LE(r.origLen ?? r.data.length, 12);
    parts.push(h, r.data);
  }
  return Buffer.concat(parts);
}
