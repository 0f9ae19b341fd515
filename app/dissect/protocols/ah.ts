// IP Authentication Header (IP protocol 51, RFC 4302), as tshark 4.0's packet-ipsec.c shows it:
// the header's fields, "AH (SPI=0x...)" in Info, then the protected payload by its next header.
// Under IPv6 AH is one more extension header: it sits under the IPv6 item and hands on the way
// IPv6 does ("IPv6 no next header", "Unknown IP Protocol: ..."), through the function IPv6
// leaves in scratch['ipv6.handOff']; under IPv4 a payload nothing dissects is data.
import { IP_PROTOCOL_NAMES } from '../ipproto.js';
import { callProtocol, defineProtocol, dispatch, register } from '../dispatch.js';
import { defineFields } from '../field.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

export const ahFields = defineFields([
  { name: 'ah.next_header', label: 'Next header', type: 'uint8', values: IP_PROTOCOL_NAMES },
  { name: 'ah.length', label: 'Length', type: 'uint8' },
  { name: 'ah.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'ah.spi', label: 'AH SPI', type: 'uint32', base: 'hex' },
  { name: 'ah.sequence', label: 'AH Sequence', type: 'uint32' },
  { name: 'ah.icv', label: 'AH ICV', type: 'bytes' },
] as const);

const F = ahFields;

/** What IPv6 leaves in scratch['ipv6.handOff']: its next-header hand-off. */
type NextHeader = (nxt: number, payload: Tvb, ctx: PacketContext) => void;

function dissectAh(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'AH';
  ctx.info = '';
  const nxt = tvb.u8(0);
  ctx.add(node, F['ah.next_header'], tvb, 0, 1, nxt);
  // The length counts 32-bit words, minus 2.
  const len = tvb.u8(1);
  const hdrLen = (len + 2) * 4;
  ctx.add(node, F['ah.length'], tvb, 1, 1, len, () => `Length: ${len} (${hdrLen} bytes)`);
  ctx.add(node, F['ah.reserved'], tvb, 2, 2, tvb.slice(2, 2));
  const spi = tvb.u32(4);
  ctx.add(node, F['ah.spi'], tvb, 4, 4, spi);
  ctx.info = `AH (SPI=0x${spi.toString(16).padStart(8, '0')})`;
  ctx.add(node, F['ah.sequence'], tvb, 8, 4, tvb.u32(8));
  const icvLen = Math.max(0, hdrLen - 12);
  ctx.add(node, F['ah.icv'], tvb, 12, icvLen, tvb.slice(12, icvLen));
  ctx.setLength(node, Math.max(12, hdrLen));
  const payload = tvb.sub(Math.max(12, hdrLen));
  const ipv6Next = ctx.endpoints.netDst?.length === 16 ? ctx.scratch['ipv6.handOff'] as NextHeader | undefined : undefined;
  if (ipv6Next) {
    ipv6Next(nxt, payload, ctx);
    return;
  }
  const parent = ctx.upperParent;
  if (!dispatch('ip.proto', nxt, payload, ctx, parent) && payload.reportedLength > 0) callProtocol(dataProtocol, payload, ctx, parent);
}

register('ip.proto', 51, defineProtocol('ah', 'Authentication Header', dissectAh, 'AH'));
