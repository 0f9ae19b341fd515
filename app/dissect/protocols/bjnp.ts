// Canon BJNP (UDP ports 8611-8614: printer and scanner discovery and jobs) as tshark 4.0's
// packet-bjnp.c shows it: the 16-octet header (the "BJNP"/"BJNB"/"MFNP" id, device type,
// command code, sequence number, session id, payload length) and the payload as bytes. Info
// and the item's title say the type and the command ("Scanner Command: Discover").
import { defineFields } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const BJNP_PORTS = [8611, 8612, 8613, 8614];
const TYPES: Record<number, string> = { 0x01: 'Printer Command', 0x02: 'Scanner Command', 0x81: 'Printer Response', 0x82: 'Scanner Response' };
const CODES: Record<number, string> = {
  0x01: 'Discover', 0x10: 'Print Job Details', 0x11: 'Request Closure', 0x20: 'Get Printer Status', 0x21: 'Print', 0x30: 'Get Printer Identity',
  0x32: 'Scan Job Details',
};

export const bjnpFields = defineFields([
  { name: 'bjnp.id', label: 'Id', type: 'string' },
  { name: 'bjnp.type', label: 'Type', type: 'uint8', values: TYPES },
  { name: 'bjnp.code', label: 'Code', type: 'uint8', values: CODES },
  { name: 'bjnp.seq_no', label: 'Sequence Number', type: 'uint32' },
  { name: 'bjnp.session_id', label: 'Session Id', type: 'uint16' },
  { name: 'bjnp.payload_len', label: 'Payload Length', type: 'uint32' },
  { name: 'bjnp.payload', label: 'Payload', type: 'bytes' },
] as const);
const F = bjnpFields;

function dissectBjnp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'BJNP';
  ctx.info = '';
  ctx.add(node, F['bjnp.id'], tvb, 0, 4, tvb.ascii(0, 4));
  const type = tvb.u8(4);
  ctx.add(node, F['bjnp.type'], tvb, 4, 1, type);
  const code = tvb.u8(5);
  ctx.add(node, F['bjnp.code'], tvb, 5, 1, code);
  const what = `${TYPES[type] ?? `Unknown type (${type})`}: ${CODES[code] ?? `Unknown code (${code})`}`;
  if (ctx.tree) ctx.setText(node, `Canon BJNP, ${what}`);
  ctx.info = what;
  ctx.add(node, F['bjnp.seq_no'], tvb, 6, 4, tvb.u32(6));
  ctx.add(node, F['bjnp.session_id'], tvb, 10, 2, tvb.u16(10));
  const len = tvb.u32(12);
  ctx.add(node, F['bjnp.payload_len'], tvb, 12, 4, len);
  if (len > 0) ctx.add(node, F['bjnp.payload'], tvb, 16, len, tvb.slice(16, len));
}

export const bjnpProtocol = defineProtocol('bjnp', 'Canon BJNP', dissectBjnp, 'BJNP');
for (const port of BJNP_PORTS) register('udp.port', port, bjnpProtocol);
