// Floor of `synscope read FILE` in Node: a line per packet with No., Time, Source, Destination,
// Protocol and Length, and for TCP the start of tshark's Info: ports, flags, the relative
// sequence number (each direction's first one found in a table) and the segment length. Written
// byte by byte into one output buffer, addresses formatted once each. It decodes nothing above
// TCP, keeps no acknowledgement numbers, analysis or options: the real command does all that, so
// no `read` in Node can be faster than this on the same file.
//
// With an IPv4 address after the file, the floor of `read -Y 'ip.addr == ADDR'`: lines only for
// the IPv4 packets from or to it, the others passed over (a TCP segment's first sequence number
// still noted, as the Info of a later line needs it).
import { writeSync } from 'node:fs';
import { endpointHash, PairTable, walkPcap } from './floor-kit.mjs';

const out = Buffer.allocUnsafe(1 << 20);
let o = 0;
let no = 0;
let sec0 = -1, usec0 = 0;
const v4 = new Map(), v6 = new Map();
/** The text of the address at p, made once per address (IPv4 keyed by its number). */
function address(b, p, len) {
  const map = len === 4 ? v4 : v6;
  const key = len === 4 ? b.readUInt32BE(p) : b.toString('latin1', p, p + 16);
  let text = map.get(key);
  if (text === undefined) {
    const s = len === 4 ? `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}` : Array.from({ length: 8 }, (_, i) => b.readUInt16BE(p + 2 * i).toString(16)).join(':');
    text = Buffer.from(s);
    map.set(key, text);
  }
  return text;
}
/** Decimal digits of v (< 2^32), right-aligned in `width` (padded with `pad`). */
function number(v, width, pad) {
  let digits = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
  for (let i = digits; i < width; i++) out[o++] = pad;
  let e = (o += digits);
  do {
    out[--e] = 48 + (v % 10);
    v = (v / 10) | 0;
  } while (v > 0);
}
const directions = new PairTable(20);
const firstSeq = new Float64Array(1 << 20);
const SEQ = Buffer.from(' Seq='), LEN = Buffer.from(' Len='), PORT_ARROW = Buffer.from(' → ');
const TCP = Buffer.from(' TCP '), UDP = Buffer.from(' UDP '), OTHER = Buffer.from(' IP '), ARROW = Buffer.from(' → ');
const only = process.argv[3] === undefined ? null : process.argv[3].split('.').reduce((a, x) => a * 256 + Number(x), 0);
/**
 * The table slot of the direction of the TCP segment whose header is at t (its addresses at src,
 * `len` bytes each), its first sequence number noted when the direction is new.
 */
function direction(b, src, len, t) {
  const i = directions.slot(endpointHash(b, src, len, t), endpointHash(b, src + len, len, t + 2));
  if (directions.isNew) firstSeq[i] = b.readUInt32BE(t + 4);
  return i;
}
/** Whether the Ethernet frame at p is IPv4 from or to `only`. */
function involvesOnly(b, p) {
  return b[p + 12] === 0x08 && b[p + 13] === 0 && (b.readUInt32BE(p + 26) === only || b.readUInt32BE(p + 30) === only);
}
walkPcap(process.argv[2], (b, r) => {
  const sec = b.readUInt32LE(r), usec = b.readUInt32LE(r + 4), origLen = b.readUInt32LE(r + 12), p = r + 16;
  if (sec0 < 0) {
    sec0 = sec;
    usec0 = usec;
  }
  if (only !== null && !involvesOnly(b, p)) {
    // Not printed: a TCP segment over IPv4 still notes its direction's first sequence number.
    no++;
    if (b[p + 12] === 0x08 && b[p + 13] === 0 && b[p + 23] === 6) direction(b, p + 26, 4, p + 14 + ((b[p + 14] & 15) << 2));
    return;
  }
  if (o > out.length - 256) {
    writeSync(1, out, 0, o);
    o = 0;
  }
  let ds = sec - sec0, du = usec - usec0;
  if (du < 0) {
    du += 1e6;
    ds--;
  }
  number(++no, 7, 32);
  out[o++] = 32;
  number(ds, 5, 32);
  out[o++] = 46;
  number(du, 6, 48);
  out[o++] = 32;
  const type = (b[p + 12] << 8) | b[p + 13];
  let proto = OTHER;
  if (type === 0x0800 || type === 0x86dd) {
    const v4 = type === 0x0800;
    o += address(b, p + (v4 ? 26 : 22), v4 ? 4 : 16).copy(out, o);
    o += ARROW.copy(out, o);
    o += address(b, p + (v4 ? 30 : 38), v4 ? 4 : 16).copy(out, o);
    const next = b[p + (v4 ? 23 : 20)];
    proto = next === 6 ? TCP : next === 17 ? UDP : OTHER;
    if (next === 6) {
      o += proto.copy(out, o);
      number(origLen, 1, 32);
      const src = p + (v4 ? 26 : 22), len = v4 ? 4 : 16, t = v4 ? p + 14 + ((b[p + 14] & 15) << 2) : p + 54;
      const ipEnd = v4 ? p + 14 + ((b[p + 16] << 8) | b[p + 17]) : p + 54 + ((b[p + 18] << 8) | b[p + 19]);
      out[o++] = 32;
      number((b[t] << 8) | b[t + 1], 1, 32);
      o += PORT_ARROW.copy(out, o);
      number((b[t + 2] << 8) | b[t + 3], 1, 32);
      out[o++] = 32;
      out[o++] = 91;
      number(b[t + 13], 1, 32);
      out[o++] = 93;
      const i = direction(b, src, len, t);
      o += SEQ.copy(out, o);
      number((b.readUInt32BE(t + 4) - firstSeq[i]) >>> 0, 1, 32);
      o += LEN.copy(out, o);
      number(ipEnd - t - ((b[t + 12] >> 4) << 2), 1, 32);
      out[o++] = 10;
      return;
    }
  }
  o += proto.copy(out, o);
  number(origLen, 1, 32);
  out[o++] = 10;
});
writeSync(1, out, 0, o);
