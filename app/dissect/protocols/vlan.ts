// IEEE 802.1Q VLAN tags (packet-vlan.c), also as the outer tag of 802.1ad (Q-in-Q, TPID 0x88a8,
// shown by tshark as the `ieee8021ad` layer) and the old 0x9100 Q-in-Q TPID.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, dispatchEthertype, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const PRIORITIES = { 0: 'Best Effort (default)', 1: 'Background', 2: 'Excellent Effort', 3: 'Critical Applications', 4: 'Video, < 100ms latency and jitter', 5: 'Voice, < 10ms latency and jitter', 6: 'Internetwork Control', 7: 'Network Control' };

export const vlanFields = defineFields([
  { name: 'vlan.priority', label: 'Priority', type: 'uint16', mask: 0xe000, values: PRIORITIES },
  { name: 'vlan.dei', label: 'DEI', type: 'uint16', mask: 0x1000, values: { 0: 'Ineligible', 1: 'Eligible' } },
  { name: 'vlan.id', label: 'ID', type: 'uint16', mask: 0x0fff },
  { name: 'vlan.etype', label: 'Type', type: 'uint16', base: 'hex' },
  { name: 'vlan.len', label: 'Length', type: 'uint16' },
  { name: 'ieee8021ad.priority', label: 'Priority', type: 'uint16', mask: 0xe000, values: PRIORITIES },
  { name: 'ieee8021ad.dei', label: 'DEI', type: 'uint16', mask: 0x1000 },
  { name: 'ieee8021ad.id', label: 'ID', type: 'uint16', mask: 0x0fff },
  { name: 'ieee8021ad.etype', label: 'Type', type: 'uint16', base: 'hex' },
] as const);

const F = vlanFields;

function tag(prefix: 'vlan' | 'ieee8021ad') {
  return (tvb: Tvb, ctx: PacketContext, node: FieldNode): void => {
    const tci = tvb.u16(0), type = tvb.u16(2);
    const id = tci & 0x0fff, prio = tci >> 13, dei = (tci >> 12) & 1;
    if (ctx.tree) ctx.setText(node, `${prefix === 'vlan' ? '802.1Q Virtual LAN' : '802.1ad'}, PRI: ${prio}, DEI: ${dei}, ID: ${id}`);
    ctx.add(node, F[`${prefix}.priority`], tvb, 0, 2, prio);
    ctx.add(node, F[`${prefix}.dei`], tvb, 0, 2, dei);
    ctx.add(node, F[`${prefix}.id`], tvb, 0, 2, id);
    ctx.setLength(node, 4);
    if (prefix === 'vlan' && type <= 1500) {
      ctx.add(node, F['vlan.len'], tvb, 2, 2, type);
      callProtocol(dataProtocol, tvb.sub(4), ctx, null);
      return;
    }
    ctx.add(node, F[`${prefix}.etype`], tvb, 2, 2, type);
    const payload = tvb.sub(4);
    ctx.scratch['eth.payloadUsed'] = undefined;
    if (!dispatchEthertype(type, payload, ctx, null)) callProtocol(dataProtocol, payload, ctx, null);
    // Padding is counted from the Ethernet payload: add our 4 bytes to what the inner layer used.
    const used = ctx.scratch['eth.payloadUsed'];
    if (typeof used === 'number') ctx.scratch['eth.payloadUsed'] = used + 4;
  };
}

export const vlanProtocol = defineProtocol('vlan', '802.1Q Virtual LAN', tag('vlan'));
export const qinqProtocol = defineProtocol('ieee8021ad', 'IEEE 802.1ad', tag('ieee8021ad'));
register('ethertype', 0x8100, vlanProtocol);
register('ethertype', 0x9100, vlanProtocol);
register('ethertype', 0x88a8, qinqProtocol);
