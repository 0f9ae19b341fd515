// Floor of `synscope conv FILE` in Node: find each TCP packet's conversation (both directions of
// an address and port pair) and count its frames and bytes. No stream numbers for reused ports,
// no handshake, no state: the real command does all that on top, so no conversation table in
// Node can be faster than this on the same file.
import { endpointHash, PairTable, walkPcap } from './floor-kit.mjs';

const table = new PairTable(20);
const frames = new Float64Array(1 << 20), bytes = new Float64Array(1 << 20);
let segments = 0;
walkPcap(process.argv[2], (b, r) => {
  const p = r + 16;
  const type = (b[p + 12] << 8) | b[p + 13];
  const v4 = type === 0x0800 && b[p + 23] === 6;
  if (!v4 && !(type === 0x86dd && b[p + 20] === 6)) return;
  const src = p + (v4 ? 26 : 22), len = v4 ? 4 : 16, tcp = v4 ? p + 14 + ((b[p + 14] & 15) << 2) : p + 54;
  segments++;
  const hs = endpointHash(b, src, len, tcp), hd = endpointHash(b, src + len, len, tcp + 2);
  // Symmetric in the two endpoints: both directions land on the same entry.
  const i = table.slot(hs ^ hd, (hs + hd) | 0);
  frames[i]++;
  bytes[i] += b.readUInt32LE(r + 12);
});
process.stdout.write(`${segments} TCP segments, ${table.size} address/port pairs\n`);
