// BSD loopback (LINKTYPE_NULL 0: a 4-byte address family in the capturing host's byte order)
// and OpenBSD loopback (LINKTYPE_LOOP 108: always big-endian) — packet-null.c.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import { ETHERTYPE_NAMES } from '../ethertypes.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

// AF_INET6 differs per BSD: 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS); 10 is Linux's.
const AF_NAMES = { 2: 'IP', 7: 'OSI', 16: 'Appletalk', 23: 'Netware IPX/SPX', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6' };

export const nullFields = defineFields([
  { name: 'null.family', label: 'Family', type: 'uint32', values: AF_NAMES },
  { name: 'null.type', label: 'Type', type: 'uint16', base: 'hex', values: ETHERTYPE_NAMES },
] as const);

function payloadFor(family: number) {
  if (family === 2) return lookup('ethertype', 0x0800);
  if (family === 24 || family === 28 || family === 30 || family === 10) return lookup('ethertype', 0x86dd);
  return undefined;
}

function dissect(bigEndianOnly: boolean) {
  return (tvb: Tvb, ctx: PacketContext, node: FieldNode): void => {
    ctx.protocol = 'NULL';
    const be = tvb.u32(0);
    // The family is a small number; if it looks huge in big-endian, the writer was little-endian.
    const family = bigEndianOnly || (be & 0xffff0000) === 0 ? be : tvb.u32le(0);
    if (family > 1500) {
      // Some stacks put an EtherType in the upper half instead of an address family
      // (packet-null.c); tshark then shows null.type and no `ethertype` layer.
      const type = tvb.u16(2);
      ctx.add(node, nullFields['null.type'], tvb, 2, 2, type);
      ctx.setLength(node, 4);
      callProtocol(lookup('ethertype', type) ?? dataProtocol, tvb.sub(4), ctx, null);
      return;
    }
    ctx.add(node, nullFields['null.family'], tvb, 0, 4, family);
    if (ctx.tree) ctx.setText(node, `Null/Loopback`);
    ctx.setLength(node, 4);
    callProtocol(payloadFor(family) ?? dataProtocol, tvb.sub(4), ctx, null);
  };
}

export const nullProtocol = defineProtocol('null', 'Null/Loopback', dissect(false));
register('linktype', 0, nullProtocol);
register('linktype', 108, { ...nullProtocol, dissect: dissect(true) });
