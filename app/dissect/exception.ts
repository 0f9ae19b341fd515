// Wireshark's show_exception (epan/show_exception.c): the note a packet gets where a dissector
// ran out of bytes. The driver shows the exception that ends a packet; a dissector that, like
// tshark's, catches its payload's exception and goes on (packet-ethertype.c) shows it itself.
import { isDecodeError } from './dispatch.js';
import { wsFields, type PacketContext } from './packet.js';
import type { FieldNode } from './tree.js';
import { MalformedError, TruncatedError } from './tvb.js';

/**
 * A packet cut short by the snaplen: tshark's tree has no Expert Info for it ("not an error, a
 * choice the user made", show_exception), the packet's note list does (untapped).
 */
export function addTruncationNote(ctx: PacketContext, proto: string): void {
  // Not an expert note in tshark, so no hidden `_ws.malformed` either (PacketContext.addExpert).
  ctx.expert.push({ severity: 'warn', group: 'malformed', message: `Packet size limited during capture: ${proto} truncated`, protocol: ctx.currentProtoName, untapped: true });
}

/** Wireshark's show_exception: what a reader sees when a dissector ran out of bytes. */
export function showException(ctx: PacketContext, e: unknown): void {
  // tshark names the protocol by its short name: "TCP", "IPv6", "Ethernet", "DHCP/BOOTP".
  const proto = ctx.currentProtoName || 'Frame';
  if (e instanceof TruncatedError) {
    ctx.truncated = true;
    ctx.info += '[Packet size limited during capture]';
    // A line of its own after the layers, as tshark's show_exception puts it.
    ctx.addGenerated(null, wsFields['_ws.short'], null, `Packet size limited during capture: ${proto} truncated`);
    addTruncationNote(ctx, proto);
    return;
  }
  ctx.malformed = true;
  ctx.info += '[Malformed Packet]';
  ctx.layers.push('_ws.malformed');
  const why = e instanceof MalformedError ? e.message : `dissector bug: ${e instanceof Error ? e.message : String(e)}`;
  const node = addMalformedItem(ctx, `Malformed Packet: ${proto}`);
  // tshark's message, and what was wrong for the desktop's note.
  ctx.addExpert(node, 'error', 'malformed', 'Malformed Packet (Exception occurred)', false, why);
  if (!isDecodeError(e) && process.env.SYNSCOPE_DEBUG) console.error(e);
}

/**
 * The "[Malformed Packet: ...]" line at the end of a packet's tree (a `_ws.malformed` item, as
 * proto_tree_add_protocol_format writes it): -T fields prints its text, brackets included.
 */
export function addMalformedItem(ctx: PacketContext, text: string): FieldNode {
  const node = ctx.addGenerated(null, wsFields['_ws.malformed'], null, text);
  if (!ctx.isPlaceholder(node)) node.fieldText = `[${text}]`;
  return node;
}
