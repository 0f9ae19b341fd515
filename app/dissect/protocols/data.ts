// The `data` pseudo-protocol: bytes no dissector claimed (Wireshark's packet-data.c).
import { defineFields } from '../field.js';
import { defineProtocol } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

export const dataFields = defineFields([
  { name: 'data.data', label: 'Data', type: 'bytes' },
  { name: 'data.len', label: 'Length', type: 'uint32' },
] as const);

function dissectData(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  // The bytes there are: a packet cut short by the snap length shows what was captured.
  const n = tvb.length;
  ctx.setText(node, `Data (${n} byte${n === 1 ? '' : 's'})`);
  ctx.add(node, dataFields['data.data'], tvb, 0, n, tvb.slice(0, n));
  ctx.addGenerated(node, dataFields['data.len'], n, `Length: ${n}`);
  if (!ctx.protocol) ctx.protocol = 'DATA';
}

export const dataProtocol = defineProtocol('data', 'Data', dissectData);
