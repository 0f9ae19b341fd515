// What the floors (lower bounds of SynScope's commands in Node, see npm run bench) share: the
// record walk and a table of connections. Not the product's code (app/file, app/tcp): only what
// a lower bound needs, no checks.
import { openSync, readSync } from 'node:fs';

const CHUNK = 1 << 20;

/** Calls onRecord(buf, offset of the record's 16-byte header) for every record of a little-endian pcap file. */
export function walkPcap(path, onRecord) {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK + 262144 + 16);
  let have = readSync(fd, buf, 0, CHUNK, null);
  if (have < 24 || ![0xa1b2c3d4, 0xa1b23c4d].includes(buf.readUInt32LE(0))) throw new Error(`${path}: not a little-endian pcap file`);
  let off = 24;
  for (;;) {
    if (have - off < 16 || have - off < 16 + buf.readUInt32LE(off + 8)) {
      buf.copy(buf, 0, off, have);
      have -= off;
      off = 0;
      const n = readSync(fd, buf, have, CHUNK, null);
      if (n === 0) return;
      have += n;
      continue;
    }
    onRecord(buf, off);
    off += 16 + buf.readUInt32LE(off + 8);
  }
}

/** FNV-1a of the len address bytes at p, then of the 16-bit port at q: one endpoint's hash. */
export function endpointHash(b, p, len, q) {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ b[p + i], 16777619);
  h = Math.imul(h ^ b[q], 16777619);
  return Math.imul(h ^ b[q + 1], 16777619);
}

/**
 * An open-addressing table of typed arrays from a pair of 32-bit keys to a slot number (no
 * objects per entry; collisions of the two hashes are ignored, as a floor may).
 */
export class PairTable {
  constructor(bits) {
    this.mask = (1 << bits) - 1;
    this.a = new Int32Array(1 << bits);
    this.b = new Int32Array(1 << bits);
    this.used = new Uint8Array(1 << bits);
    this.size = 0;
  }

  /** The slot of (a, b); `isNew` tells whether this call added it. */
  slot(a, b) {
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
    while (this.used[i] && (this.a[i] !== a || this.b[i] !== b)) i = (i + 1) & this.mask;
    this.isNew = !this.used[i];
    if (this.isNew) {
      this.used[i] = 1;
      this.a[i] = a;
      this.b[i] = b;
      this.size++;
    }
    return i;
  }
}

