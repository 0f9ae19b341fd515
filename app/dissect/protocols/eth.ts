// Ethernet II and IEEE 802.3 (packet-eth.c). A type/length field > 1500 is an EtherType and
// goes through the `ethertype` table; ≤ 1500 is an 802.3 length and the payload is LLC.
import { CHECKSUM_STATUS_NAMES } from '../checksum.js';
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, dispatchEthertype, lookup, register } from '../dispatch.js';
import { addEthernetTrailer } from '../ethtrailer.js';
import { showException } from '../exception.js';
import { ETHERTYPE_NAMES } from '../ethertypes.js';
import { formatEther, formatEtherAt } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, type Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

export const ethFields = defineFields([
  { name: 'eth.dst', label: 'Destination', type: 'ether' },
  { name: 'eth.src', label: 'Source', type: 'ether' },
  { name: 'eth.addr', label: 'Address', type: 'ether', description: 'Source or Destination Hardware Address' },
  { name: 'eth.dst.lg', label: 'LG bit', type: 'boolean', mask: 0x20000, tf: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] },
  { name: 'eth.dst.ig', label: 'IG bit', type: 'boolean', mask: 0x10000, tf: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] },
  { name: 'eth.src.lg', label: 'LG bit', type: 'boolean', mask: 0x20000, tf: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] },
  { name: 'eth.src.ig', label: 'IG bit', type: 'boolean', mask: 0x10000, tf: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] },
  { name: 'eth.type', label: 'Type', type: 'uint16', base: 'hex', values: ETHERTYPE_NAMES },
  { name: 'eth.len', label: 'Length', type: 'uint16' },
  { name: 'eth.padding', label: 'Padding', type: 'bytes' },
  { name: 'eth.trailer', label: 'Trailer', type: 'bytes' },
  { name: 'eth.fcs', label: 'Frame check sequence', type: 'uint32', base: 'hex' },
  { name: 'eth.fcs.status', label: 'FCS Status', type: 'uint8', base: 'none', values: CHECKSUM_STATUS_NAMES },
] as const);

const F = ethFields;
const HEADER = 14;

/** The address fields addAddress adds: when none is kept, it adds nothing but the note. */
const ADDRESS_FIELDS = [F['eth.dst'], F['eth.src'], F['eth.addr'], F['eth.dst.lg'], F['eth.dst.ig'], F['eth.src.lg'], F['eth.src.ig']];
const GROUP_SOURCE = 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)';

/** The address's nodes (when one of ADDRESS_FIELDS is kept) and notes; its text for the columns. */
function addAddress(ctx: PacketContext, node: FieldNode, tvb: Tvb, offset: number, which: 'dst' | 'src'): string {
  if (ctx.recordsNone(ADDRESS_FIELDS)) {
    // Read in place: no node keeps the bytes (read's summary lines).
    if (which === 'src' && (tvb.u8(offset) & 0x01) !== 0) ctx.addExpert(null, 'warn', 'protocol', GROUP_SOURCE);
    return formatEtherAt(tvb.bytes, tvb.abs(offset));
  }
  const mac = tvb.slice(offset, 6);
  const text = formatEther(mac);
  const a = ctx.add(node, which === 'dst' ? F['eth.dst'] : F['eth.src'], tvb, offset, 6, mac, ctx.tree ? `${which === 'dst' ? 'Destination' : 'Source'}: ${text}` : undefined);
  const lg = (mac[0]! & 0x02) !== 0, ig = (mac[0]! & 0x01) !== 0;
  // packet-eth.c: a group (multicast) address cannot send a frame; the note comes first under it.
  if (which === 'src' && ig) ctx.addExpert(a, 'warn', 'protocol', GROUP_SOURCE);
  // tshark shows eth.addr under each address (a visible "Address:" line), then the bits.
  ctx.add(a, F['eth.addr'], tvb, offset, 6, mac);
  ctx.add(a, which === 'dst' ? F['eth.dst.lg'] : F['eth.src.lg'], tvb, offset, 3, lg);
  ctx.add(a, which === 'dst' ? F['eth.dst.ig'] : F['eth.src.ig'], tvb, offset, 3, ig);
  return text;
}

function dissectEth(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'Ethernet';
  // Wireshark adds the Ethernet item with the header's 14 bytes: a frame shorter than that has
  // no item at all, only the exception's line.
  if (!tvb.has(0, HEADER)) ctx.removeNode(null, node);
  tvb.check(0, HEADER);
  ctx.dst = addAddress(ctx, node, tvb, 0, 'dst');
  ctx.src = addAddress(ctx, node, tvb, 6, 'src');
  ctx.endpoints = { src: ctx.src, dst: ctx.dst };
  const type = tvb.u16(12);
  if (ctx.tree) ctx.setText(node, `Ethernet II, Src: ${ctx.src}, Dst: ${ctx.dst}`);
  ctx.setLength(node, HEADER);

  if (type <= 1500) {
    // IEEE 802.3: a length, then LLC. Bytes past the length are trailer/padding.
    ctx.add(node, F['eth.len'], tvb, 12, 2, type);
    if (ctx.tree) ctx.setText(node, 'IEEE 802.3 Ethernet '); // sic: tshark 4.0's line, trailing space
    const payload = tvb.sub(HEADER, type, type);
    const llc = lookup('ethertype', ETHERTYPE_LLC_PSEUDO);
    callProtocol(llc ?? dataProtocol, payload, ctx, null);
    addEthernetTrailer(ctx, node, tvb, HEADER + type, F['eth.trailer'], true);
    return;
  }
  ctx.add(node, F['eth.type'], tvb, 12, 2, type);
  const payload = tvb.sub(HEADER);
  // The first network layer above says how much of the payload it used (IPv4 total length,
  // ...); an Ethernet frame tunnelled inside that one keeps its own count and gives ours back.
  const outer = ctx.scratch['eth.payloadUsed'];
  ctx.scratch['eth.payloadUsed'] = undefined;
  // packet-ethertype.c shows a payload's malformed exception where it happens
  // (show_exception) and goes on to the trailer; so do we. Running out of captured bytes is
  // no such "nonfatal" error (CATCH_NONFATAL_ERRORS leaves BoundsError out): it ends the frame.
  try {
    if (!dispatchEthertype(type, payload, ctx, null)) {
      // No protocol for this EtherType: tshark shows the type in hex and the frame kind.
      if (!lookup('ethertype', type)) {
        ctx.protocol = `0x${type.toString(16).padStart(4, '0')}`;
        ctx.info = 'Ethernet II';
      }
      callProtocol(dataProtocol, payload, ctx, null);
    }
  } catch (e) {
    if (!(e instanceof MalformedError)) throw e;
    showException(ctx, e);
  }
  const used = ctx.scratch['eth.payloadUsed'];
  ctx.scratch['eth.payloadUsed'] = outer;
  if (typeof used === 'number') {
    // The trailer is the ethertype dissector's work: an FCS past the captured bytes is
    // "Packet size limited during capture: Ethertype truncated".
    const savedName = ctx.currentProtoName;
    ctx.currentProtoName = 'Ethertype';
    addEthernetTrailer(ctx, node, tvb, HEADER + used, F['eth.trailer'], true);
    ctx.currentProtoName = savedName;
  }
}

/** Key under which LLC registers itself in the ethertype table (not a real EtherType). */
export const ETHERTYPE_LLC_PSEUDO = 0x10000;

export const ethProtocol = defineProtocol('eth', 'Ethernet II', dissectEth, 'Ethernet');
register('linktype', 1, ethProtocol);
