// IEEE 802.2 LLC and SNAP (packet-llc.c): the payload of an 802.3 frame. SNAP with OUI 0
// carries an EtherType and goes back through the `ethertype` table.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

export const llcFields = defineFields([
  { name: 'llc.dsap', label: 'DSAP', type: 'uint8', base: 'hex', values: { 0x42: 'Spanning Tree BPDU', 0xaa: 'SNAP', 0xe0: 'NetWare', 0xf0: 'NetBIOS', 0xfe: 'ISO Network Layer' } },
  { name: 'llc.ssap', label: 'SSAP', type: 'uint8', base: 'hex', values: { 0x42: 'Spanning Tree BPDU', 0xaa: 'SNAP', 0xe0: 'NetWare', 0xf0: 'NetBIOS', 0xfe: 'ISO Network Layer' } },
  { name: 'llc.control', label: 'Control field', type: 'uint16', base: 'hex' },
  { name: 'llc.oui', label: 'Organization Code', type: 'uint24', base: 'hex' },
  { name: 'llc.type', label: 'Type', type: 'uint16', base: 'hex' },
  { name: 'llc.pid', label: 'PID', type: 'uint16', base: 'hex' },
] as const);

const F = llcFields;

function dissectLlc(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'LLC';
  const dsap = tvb.u8(0), ssap = tvb.u8(1), control = tvb.u8(2);
  ctx.add(node, F['llc.dsap'], tvb, 0, 1, dsap);
  ctx.add(node, F['llc.ssap'], tvb, 1, 1, ssap);
  // Unnumbered frames (low two bits 11) have a one-byte control field.
  const ctlLen = (control & 3) === 3 ? 1 : 2;
  ctx.add(node, F['llc.control'], tvb, 2, ctlLen, ctlLen === 1 ? control : tvb.u16(2));
  ctx.info = `S P, func=${control === 3 ? 'UI' : '0x' + control.toString(16)}; SNAP`;
  const hdr = 2 + ctlLen;
  if (dsap === 0xaa && ssap === 0xaa) {
    const oui = tvb.u24(hdr), type = tvb.u16(hdr + 3);
    ctx.add(node, F['llc.oui'], tvb, hdr, 3, oui);
    ctx.setLength(node, hdr + 5);
    if (oui === 0) {
      ctx.add(node, F['llc.type'], tvb, hdr + 3, 2, type);
      // SNAP goes straight to the EtherType's protocol: tshark lists `llc:ip`, no `ethertype`.
      callProtocol(lookup('ethertype', type) ?? dataProtocol, tvb.sub(hdr + 5), ctx, null);
      return;
    }
    ctx.add(node, F['llc.pid'], tvb, hdr + 3, 2, type);
    callProtocol(dataProtocol, tvb.sub(hdr + 5), ctx, null);
    return;
  }
  ctx.setLength(node, hdr);
  if (tvb.length > hdr) callProtocol(dataProtocol, tvb.sub(hdr), ctx, null);
}

export const llcProtocol = defineProtocol('llc', 'Logical-Link Control', dissectLlc);
// eth.ts looks LLC up under this pseudo key (0x10000, outside the 16-bit EtherType space).
register('ethertype', 0x10000, llcProtocol);
