// The Internet checksum (RFC 1071) that ICMP and IGMP verify over their whole message, CDP's
// variant of it, and the tree lines of a verified checksum.
import type { FieldDef } from './field.js';
import { hex4 } from './format.js';
import type { PacketContext } from './packet.js';
import type { FieldNode } from './tree.js';
import type { Tvb } from './tvb.js';

/** The names of a checksum status field's values (Wireshark's proto_checksum_vals), for every protocol's. */
export const CHECKSUM_STATUS_NAMES: Readonly<Record<number, string>> = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };

/** RFC 1071 Internet checksum of `b` (0 when a message including its checksum is intact). */
export function internetChecksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < b.length; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (b.length & 1) sum += b[b.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/**
 * The value a message's checksum field should hold, from the field's value `ck` and the
 * checksum `rest` of the whole message with it (ones' complement arithmetic).
 */
export function correctChecksum(ck: number, rest: number): number {
  return internetChecksum(new Uint8Array([(~ck >> 8) & 0xff, ~ck & 0xff, (~rest >> 8) & 0xff, ~rest & 0xff]));
}

/**
 * internetChecksum of `body` behind an IP pseudo-header: source, destination, the upper-layer
 * length and the protocol, laid out as RFC 8200 8.1's (an IPv4 pseudo-header, RFC 768's layout,
 * has the same 16-bit words to sum: the result is the same).
 */
export function pseudoHeaderChecksum(src: Uint8Array, dst: Uint8Array, length: number, protocol: number, body: Uint8Array): number {
  const b = new Uint8Array(src.length + dst.length + 8 + body.length);
  b.set(src, 0);
  b.set(dst, src.length);
  const p = src.length + dst.length;
  b[p + 2] = (length >> 8) & 0xff;
  b[p + 3] = length & 0xff;
  b[p + 7] = protocol;
  b.set(body, p + 8);
  return internetChecksum(b);
}

/**
 * CDP's checksum of `b` (0 when intact): the Internet checksum, except that an odd last byte is
 * taken as the low byte of a word, less one when its top bit is set (packet-cdp.c: Cisco's code
 * sums that last word as a signed number and compensates the off-by-one in the data).
 */
export function cdpChecksum(b: Uint8Array): number {
  if ((b.length & 1) === 0) return internetChecksum(b);
  const padded = new Uint8Array(b.length + 1);
  padded.set(b);
  padded[b.length] = b[b.length - 1]!;
  padded[b.length - 1] = 0;
  if (padded[b.length]! & 0x80) {
    padded[b.length]!--;
    padded[b.length - 1] = 0xff;
  }
  return internetChecksum(padded);
}

/** A checksum field and the status field shown after it (proto_tree_add_checksum's pair). */
export interface ChecksumFields {
  checksum: FieldDef;
  status: FieldDef;
}


/**
 * proto_tree_add_checksum with PROTO_CHECKSUM_VERIFY: "Checksum: 0x1234 [correct]" or "Checksum:
 * 0x1234 incorrect, should be 0xabcd" (in_cksum_shouldbe, from `rest`: the checksum of the
 * message including the field), its generated status (Good 1, Bad 0), and under a bad one the
 * note "Bad checksum [should be 0xabcd]" at the protocol's `severity`.
 */
export function addVerifiedChecksum(ctx: PacketContext, parent: FieldNode, tvb: Tvb, offset: number, fields: ChecksumFields, ck: number, rest: number,
  severity: 'warn' | 'error'): void {
  const good = rest === 0;
  const should = () => hex4(correctChecksum(ck, rest));
  const n = ctx.add(parent, fields.checksum, tvb, offset, 2, ck, () => `Checksum: ${hex4(ck)} ${good ? '[correct]' : `incorrect, should be ${should()}`}`);
  ctx.addGenerated(parent, fields.status, good ? 1 : 0);
  if (!good) ctx.addExpert(n, severity, 'checksum', `Bad checksum [should be ${should()}]`);
}
