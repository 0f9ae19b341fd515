// The F5 Ethernet trailer: what an F5 BIG-IP appends to each frame its tcpdump captures (`tcpdump
// -i 0.0:n`, noise levels n, nn, nnn), after the datagram, as a list of TLVs: a type (1 low,
// 2 medium, 3 high details), a length, a version. tshark's f5ethtrailer heuristic takes such an
// Ethernet trailer; the low details (direction, slot, TMM, virtual server) also go in front of
// the Info column: "OUT s1/tmm1 : 50343 → 80 [SYN] ...", "IN  s1/tmm1 : Continuation".
//
// Shown as tshark 4.0 shows it for the low details of version 0 (zeek/mixed-vlan-mpls.pcap);
// the other types and versions are shown as their header and their bytes.
import { defineFields } from '../field.js';
import { defineProtocol, registerHeuristic } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

export const f5EthTrailerFields = defineFields([
  { name: 'f5ethtrailer.low', label: 'Low Details', type: 'none' },
  { name: 'f5ethtrailer.medium', label: 'Medium Details', type: 'none' },
  { name: 'f5ethtrailer.high', label: 'High Details', type: 'none' },
  { name: 'f5ethtrailer.header', label: 'F5 Trailer Header', type: 'none' },
  { name: 'f5ethtrailer.type', label: 'Type', type: 'uint16', base: 'dec' },
  { name: 'f5ethtrailer.length', label: 'Trailer length', type: 'uint16', base: 'dec' },
  { name: 'f5ethtrailer.version', label: 'Version', type: 'uint16', base: 'dec' },
  { name: 'f5ethtrailer.data', label: 'Data', type: 'bytes' },
  { name: 'f5ethtrailer.ingress', label: 'Ingress', type: 'boolean' },
  { name: 'f5ethtrailer.slot', label: 'Slot (0-based)', type: 'uint8', base: 'dec' },
  { name: 'f5ethtrailer.tmm', label: 'TMM (0-based)', type: 'uint8', base: 'dec' },
  { name: 'f5ethtrailer.vip', label: 'Name', type: 'string' },
] as const);

const F = f5EthTrailerFields;

const DETAILS = { 1: F['f5ethtrailer.low'], 2: F['f5ethtrailer.medium'], 3: F['f5ethtrailer.high'] } as const;

/** The low details of version 0: a 3-byte header, then direction, slot, TMM and a 16-byte virtual server name. */
const LOW_V0_LENGTH = 20;

/** The lengths packet-f5ethtrailer.c finds sane in a TLV (F5_MIN_SANE, F5_MAX_SANE): a low trailer without VIP name to a high one. */
const MIN_SANE = 7, MAX_SANE = 140;

/**
 * The length of the F5 trailer TLV at b[at] (before `end`): a known type and a sane length it has
 * the bytes for; 0 when there is none. (Six stray bytes after a short datagram, "02 04 05 ac 00
 * 00", are no F5 trailer.)
 */
export function f5TrailerTlvAt(b: Uint8Array, at: number, end: number): number {
  if (end - at < 2) return 0;
  const type = b[at]!, len = b[at + 1]!;
  return type >= 1 && type <= 3 && len >= MIN_SANE && len <= MAX_SANE && at + 2 + len <= end ? 2 + len : 0;
}

/**
 * Whether `tvb` is a list of F5 trailer TLVs filling it (a trailer ends there, or 4 bytes before
 * it, where a frame check sequence follows).
 */
function looksLikeF5Trailer(tvb: Tvb): boolean {
  const b = tvb.bytes, end = tvb.start + tvb.length;
  let o = tvb.start;
  for (let n; (n = f5TrailerTlvAt(b, o, end)) > 0; ) o += n;
  return o > tvb.start && (o === end || o + 4 === end);
}

function dissectF5EthTrailer(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  if (!looksLikeF5Trailer(tvb)) return false;
  let o = 0;
  let prefix = '';
  while (o + 3 <= tvb.length) {
    const type = tvb.u8(o), len = tvb.u8(o + 1), version = tvb.u8(o + 2);
    if (type < 1 || type > 3 || o + 2 + len > tvb.length) break;
    const details = ctx.add(node, DETAILS[type as 1 | 2 | 3], tvb, o, 2 + len, null);
    const header = ctx.add(details, F['f5ethtrailer.header'], tvb, o, 3, null, `F5 Trailer Header, Type: ${type}`);
    ctx.add(header, F['f5ethtrailer.type'], tvb, o, 1, type);
    ctx.add(header, F['f5ethtrailer.length'], tvb, o + 1, 1, len);
    ctx.add(header, F['f5ethtrailer.version'], tvb, o + 2, 1, version);
    if (type === 1 && version === 0 && len === LOW_V0_LENGTH) {
      const ingress = tvb.u8(o + 3) !== 0;
      const slot = tvb.u8(o + 4) + 1, tmm = tvb.u8(o + 5);
      ctx.add(details, F['f5ethtrailer.ingress'], tvb, o + 3, 1, ingress, `Ingress: ${ingress ? 'True (IN)' : 'False (OUT)'}`);
      ctx.add(details, F['f5ethtrailer.slot'], tvb, o + 4, 1, slot, `Slot (1-based): ${slot}`);
      ctx.add(details, F['f5ethtrailer.tmm'], tvb, o + 5, 1, tmm);
      const raw = tvb.ascii(o + 6, 16);
      const nul = raw.indexOf('\0');
      const vip = nul < 0 ? raw : raw.slice(0, nul);
      ctx.add(details, F['f5ethtrailer.vip'], tvb, o + 6, 16, vip, `VIP Name: ${vip}`);
      // tshark's default Info prefix: the direction (padded to 3), the slot and the TMM.
      prefix = `${ingress ? 'IN ' : 'OUT'} s${slot}/tmm${String(tmm).padEnd(2)}: `;
    } else if (len > 1) {
      ctx.add(details, F['f5ethtrailer.data'], tvb, o + 3, len - 1, tvb.slice(o + 3, len - 1));
    }
    o += 2 + len;
  }
  if (prefix) ctx.info = prefix + ctx.info;
  return true;
}

export const f5EthTrailerProtocol = defineProtocol('f5ethtrailer', 'F5 Ethernet Trailer Protocol', dissectF5EthTrailer);
registerHeuristic('eth.trailer', f5EthTrailerProtocol, looksLikeF5Trailer);
