// IEEE 802.1Q VLAN tags (packet-vlan.c), also as the outer tag of 802.1ad (Q-in-Q, TPID 0x88a8,
// shown by tshark as the `ieee8021ad` layer) and the old 0x9100 Q-in-Q TPID.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, dispatchEthertype, isDecodeError, lookup, register } from '../dispatch.js';
import { addEthernetTrailer } from '../ethtrailer.js';
import { ETHERTYPE_NAMES } from '../ethertypes.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const PRIORITIES = { 0: 'Best Effort (default)', 1: 'Background', 2: 'Excellent Effort', 3: 'Critical Applications', 4: 'Video, < 100ms latency and jitter', 5: 'Voice, < 10ms latency and jitter', 6: 'Internetwork Control', 7: 'Network Control' };

export const vlanFields = defineFields([
  { name: 'vlan.priority', label: 'Priority', type: 'uint16', mask: 0xe000, values: PRIORITIES },
  { name: 'vlan.dei', label: 'DEI', type: 'boolean', mask: 0x1000, tf: ['Eligible', 'Ineligible'] },
  { name: 'vlan.id', label: 'ID', type: 'uint16', mask: 0x0fff },
  { name: 'vlan.etype', label: 'Type', type: 'uint16', base: 'hex', values: ETHERTYPE_NAMES },
  { name: 'vlan.len', label: 'Length', type: 'uint16' },
  { name: 'vlan.trailer', label: 'Trailer', type: 'bytes' },
  // packet-ieee8021ah.c: plain numbers for the 802.1ad tag's priority and DEI.
  { name: 'ieee8021ad.priority', label: 'Priority', type: 'uint16', mask: 0xe000 },
  { name: 'ieee8021ad.dei', label: 'DEI', type: 'uint16', mask: 0x1000 },
  { name: 'ieee8021ad.id', label: 'ID', type: 'uint16', mask: 0x0fff },
  { name: 'ieee8021ad.etype', label: 'Type', type: 'uint16', base: 'hex', values: ETHERTYPE_NAMES },
  // The 802.1ad dissector's trailer field keeps its 802.1ah name in Wireshark.
  { name: 'ieee8021ah.trailer', label: 'Trailer', type: 'bytes' },
] as const);

const F = vlanFields;

function tag(prefix: 'vlan' | 'ieee8021ad') {
  return (tvb: Tvb, ctx: PacketContext, node: FieldNode): void => {
    const tci = tvb.u16(0), type = tvb.u16(2);
    const id = tci & 0x0fff, prio = tci >> 13, dei = (tci >> 12) & 1;
    if (ctx.tree) ctx.setText(node, prefix === 'vlan' ? `802.1Q Virtual LAN, PRI: ${prio}, DEI: ${dei}, ID: ${id}` : `IEEE 802.1ad, ID: ${id}`);
    const trailerField = prefix === 'vlan' ? F['vlan.trailer'] : F['ieee8021ah.trailer'];
    ctx.add(node, F[`${prefix}.priority`], tvb, 0, 2, prio);
    if (prefix === 'vlan') ctx.add(node, F['vlan.dei'], tvb, 0, 2, dei === 1);
    else ctx.add(node, F['ieee8021ad.dei'], tvb, 0, 2, dei);
    ctx.add(node, F[`${prefix}.id`], tvb, 0, 2, id);
    ctx.setLength(node, 4);
    if (prefix === 'vlan' && type <= 1500) {
      // An 802.3 length after the tag: the payload is LLC, as on untagged 802.3 (packet-vlan.c).
      ctx.add(node, F['vlan.len'], tvb, 2, 2, type);
      const llc = lookup('ethertype', 0x10000);
      callProtocol(llc ?? dataProtocol, tvb.sub(4, type, type), ctx, null);
      addEthernetTrailer(ctx, node, tvb, 4 + type, F['vlan.trailer'], false);
      ctx.scratch['eth.payloadUsed'] = tvb.reportedLength;
      return;
    }
    ctx.add(node, F[`${prefix}.etype`], tvb, 2, 2, type);
    const payload = tvb.sub(4);
    ctx.scratch['eth.payloadUsed'] = undefined;
    let failure: unknown = null;
    try {
      if (!dispatchEthertype(type, payload, ctx, null)) callProtocol(dataProtocol, payload, ctx, null);
    } catch (e) {
      // As packet-ethertype.c: the trailer is still shown, then the exception goes on.
      if (!isDecodeError(e)) throw e;
      failure = e;
    }
    // packet-vlan.c hands its payload to the ethertype dissector with its own trailer field and
    // no FCS: padding and trailer of a tagged frame belong to the innermost tag, and the
    // Ethernet header underneath sees nothing left over.
    const used = ctx.scratch['eth.payloadUsed'];
    if (typeof used === 'number') {
      addEthernetTrailer(ctx, node, tvb, 4 + used, trailerField, false);
      ctx.scratch['eth.payloadUsed'] = tvb.reportedLength;
    }
    if (failure) throw failure;
  };
}

export const vlanProtocol = defineProtocol('vlan', '802.1Q Virtual LAN', tag('vlan'));
export const qinqProtocol = defineProtocol('ieee8021ad', 'IEEE 802.1ad', tag('ieee8021ad'));
register('ethertype', 0x8100, vlanProtocol);
register('ethertype', 0x9100, vlanProtocol);
register('ethertype', 0x88a8, qinqProtocol);
