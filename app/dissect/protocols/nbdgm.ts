// NetBIOS Datagram Service (RFC 1002 4.4, UDP 138) as tshark 4.0's packet-nbns.c shows it:
// message type, flags, datagram ID, source IP and port, then by type the datagram length,
// packet offset and source/destination names (and the payload after them), an error code, or
// a destination name. Protocol column "NBDS".
//
// The payload of a datagram goes to the "netbios" heuristics (SMB, smb.ts, whose mailslots carry
// the Browser protocol), and is data when none takes it.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, register, tryHeuristics } from '../dispatch.js';
import { nameWithType, readNetbiosName } from '../netbios-name.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const TYPES: Record<number, string> = {
  0x10: 'Direct_unique datagram', 0x11: 'Direct_group datagram', 0x12: 'Broadcast datagram', 0x13: 'Datagram error',
  0x14: 'Datagram query request', 0x15: 'Datagram positive query response', 0x16: 'Datagram negative query response',
};
const YES_NO = ['Yes', 'No'] as const;

export const nbdgmFields = defineFields([
  { name: 'nbdgm.type', label: 'Message Type', type: 'uint8', values: TYPES },
  { name: 'nbdgm.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'nbdgm.next', label: 'More fragments follow', type: 'boolean', mask: 0x01, tf: YES_NO },
  { name: 'nbdgm.first', label: 'This is first fragment', type: 'boolean', mask: 0x02, tf: YES_NO },
  { name: 'nbdgm.node_type', label: 'Node Type', type: 'uint8', mask: 0x0c, values: { 0: 'B node', 1: 'P node', 2: 'M node', 3: 'NBDD' } },
  { name: 'nbdgm.dgram_id', label: 'Datagram ID', type: 'uint16', base: 'hex' },
  { name: 'nbdgm.src.ip', label: 'Source IP', type: 'ipv4' },
  { name: 'nbdgm.src.port', label: 'Source Port', type: 'uint16' },
  { name: 'nbdgm.dgram_len', label: 'Datagram length', type: 'uint16' },
  { name: 'nbdgm.pkt_offset', label: 'Packet offset', type: 'uint16' },
  { name: 'nbdgm.error_code', label: 'Error code', type: 'uint8', base: 'hex', values: { 0x82: 'Destination name not present', 0x83: 'Invalid source name format', 0x84: 'Invalid destination name format' } },
  { name: 'nbdgm.source_name', label: 'Source name', type: 'string' },
  { name: 'nbdgm.destination_name', label: 'Destination name', type: 'string' },
] as const);
const F = nbdgmFields;

/** BASE_UNIT_STRING with units_byte_bytes: "1 byte", "201 bytes". */
const bytesText = (label: string, v: number) => `${label}: ${v} byte${v === 1 ? '' : 's'}`;

function addName(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, field: typeof F['nbdgm.source_name']): number {
  // packet-nbns.c reads each name with pointers relative to the name itself.
  const n = readNetbiosName(tvb, o, o);
  ctx.add(node, field, tvb, o, n.used, n.text, n.type === -1 ? undefined : () => `${field.label}: ${nameWithType(n)}`);
  return n.used;
}

function dissectNbdgm(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'NBDS';
  ctx.info = '';
  const type = tvb.u8(0);
  ctx.add(node, F['nbdgm.type'], tvb, 0, 1, type);
  ctx.info = TYPES[type] ?? `Unknown message type (0x${type.toString(16).toUpperCase().padStart(2, '0')})`;
  const flags = tvb.u8(1);
  const nodeType = (flags & 0x0c) >> 2;
  const parts = [flags & 0x01 ? 'More fragments follow' : '', flags & 0x02 ? 'This is first fragment' : '', `Node Type: ${['B node', 'P node', 'M node', 'NBDD'][nodeType]}`].filter(Boolean);
  const fl = ctx.add(node, F['nbdgm.flags'], tvb, 1, 1, flags, () => `Flags: 0x${flags.toString(16).padStart(2, '0')}${parts.map((p) => `, ${p}`).join('')}`);
  ctx.add(fl, F['nbdgm.next'], tvb, 1, 1, (flags & 0x01) !== 0);
  ctx.add(fl, F['nbdgm.first'], tvb, 1, 1, (flags & 0x02) !== 0);
  ctx.add(fl, F['nbdgm.node_type'], tvb, 1, 1, nodeType);
  ctx.add(node, F['nbdgm.dgram_id'], tvb, 2, 2, tvb.u16(2));
  ctx.add(node, F['nbdgm.src.ip'], tvb, 4, 4, tvb.u32(4));
  ctx.add(node, F['nbdgm.src.port'], tvb, 8, 2, tvb.u16(8));
  let o = 10;
  switch (type) {
    case 0x10:
    case 0x11:
    case 0x12: {
      const len = tvb.u16(o);
      ctx.add(node, F['nbdgm.dgram_len'], tvb, o, 2, len, () => bytesText('Datagram length', len));
      const off = tvb.u16(o + 2);
      ctx.add(node, F['nbdgm.pkt_offset'], tvb, o + 2, 2, off, () => bytesText('Packet offset', off));
      o += 4;
      o += addName(tvb, ctx, node, o, F['nbdgm.source_name']);
      o += addName(tvb, ctx, node, o, F['nbdgm.destination_name']);
      ctx.setLength(node, o);
      // The rest to the "netbios" heuristics (dissector_try_heuristic), else data.
      if (o < tvb.reportedLength) {
        const payload = tvb.sub(o);
        callProtocol(tryHeuristics('netbios', payload, ctx) ?? dataProtocol, payload, ctx, ctx.upperParent);
      }
      break;
    }
    case 0x13:
      ctx.add(node, F['nbdgm.error_code'], tvb, o, 1, tvb.u8(o));
      ctx.setLength(node, o + 1);
      break;
    case 0x14:
    case 0x15:
    case 0x16:
      o += addName(tvb, ctx, node, o, F['nbdgm.destination_name']);
      ctx.setLength(node, o);
      break;
    default:
      break;
  }
}

export const nbdgmProtocol = defineProtocol('nbdgm', 'NetBIOS Datagram Service', dissectNbdgm, 'NBDS');
register('udp.port', 138, nbdgmProtocol);
