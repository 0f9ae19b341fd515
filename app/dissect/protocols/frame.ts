// The frame pseudo-protocol: what the capture file says about the packet (times, lengths,
// interface), then the hand-off to the link layer by LINKTYPE through the `linktype` table.
// Mirrors Wireshark's packet-frame.c field names.
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, lookup } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import { secondsBetweenText, type AbsTime, type FieldNode, type FieldValue } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

/**
 * LINKTYPE_* -> Wireshark's encapsulation (WTAP_ENCAP_*), as wiretap maps the link types
 * SynScope reads (tshark -V: "Encapsulation type: Linux cooked-mode capture v1 (25)").
 */
const LINKTYPE_ENCAP: Readonly<Record<number, number>> = {
  0: 15, 1: 1, 12: 7, 14: 7, 101: 7, 104: 28, 105: 20, 113: 25, 127: 23, 228: 129, 229: 130, 239: 141, 253: 158, 276: 210,
};
const ENCAP_NAMES: Readonly<Record<number, string>> = {
  1: 'Ethernet', 7: 'Raw IP', 15: 'NULL/Loopback', 20: 'IEEE 802.11 Wireless LAN', 23: 'IEEE 802.11 plus radiotap radio header',
  25: 'Linux cooked-mode capture v1', 28: 'Cisco HDLC', 129: 'Raw IPv4', 130: 'Raw IPv6', 141: 'NFLOG', 158: 'Linux Netlink',
  210: 'Linux cooked-mode capture v2',
};

export const frameFields = defineFields([
  { name: 'frame.number', label: 'Frame Number', type: 'uint32' },
  { name: 'frame.len', label: 'Frame Length', type: 'uint32', unit: ' bytes' },
  { name: 'frame.cap_len', label: 'Capture Length', type: 'uint32', unit: ' bytes' },
  { name: 'frame.time', label: 'Arrival Time', type: 'abstime', clock: 'local' },
  { name: 'frame.time_epoch', label: 'Epoch Time', type: 'abstime' },
  { name: 'frame.offset_shift', label: 'Time shift for this packet', type: 'reltime' },
  { name: 'frame.time_delta', label: 'Time delta from previous captured frame', type: 'reltime' },
  { name: 'frame.time_delta_displayed', label: 'Time delta from previous displayed frame', type: 'reltime' },
  { name: 'frame.time_relative', label: 'Time since reference or first frame', type: 'reltime' },
  { name: 'frame.section_number', label: 'Section number', type: 'uint32' },
  { name: 'frame.interface_id', label: 'Interface id', type: 'uint32' },
  { name: 'frame.interface_name', label: 'Interface name', type: 'string' },
  { name: 'frame.interface_description', label: 'Interface description', type: 'string' },
  { name: 'frame.comment', label: 'Comment', type: 'string' },
  { name: 'pkt_comment', label: 'Packet comments', type: 'none', description: "The packet's pcapng comments (frame.comment)" },
  { name: 'frame.linktype', label: 'Link type', type: 'uint32', description: 'LINKTYPE_* of the capture interface' },
  { name: 'frame.encap_type', label: 'Encapsulation type', type: 'int16', values: ENCAP_NAMES, description: "Wireshark's WTAP_ENCAP_* for the link type" },
  { name: 'frame.protocols', label: 'Protocols in frame', type: 'string' },
  { name: 'frame.marked', label: 'Frame is marked', type: 'boolean' },
  { name: 'frame.ignored', label: 'Frame is ignored', type: 'boolean' },
] as const);

/** The few IANA Private Enterprise Numbers seen in pcapng Custom Blocks, named as tshark does. */
const PEN_NAMES: Readonly<Record<number, string>> = {
  32473: 'Example Enterprise Number for Documentation Use',
  36724: 'Kaplan Research and Application Prototyping',
};

// Not tree.ts's secondsBetween: the filter's fast path (app/filter/fast-fields.ts) computes these
// fields the same way, and display filters compare them as these floats.
function secondsBetween(a: { sec: number; nsec: number }, b: { sec: number; nsec: number }): number {
  return a.sec - b.sec + (a.nsec - b.nsec) / 1e9;
}


/** A frame time delta: a float for filters and -T fields, exact in the tree. */
function addDelta(ctx: PacketContext, node: FieldNode, field: FieldDef, ts: AbsTime, from: AbsTime | undefined): void {
  ctx.addGenerated(node, field, from ? secondsBetween(ts, from) : 0, ctx.tree ? () => `${field.label}: ${from ? secondsBetweenText(ts, from) : '0.000000000'} seconds` : undefined);
}

function dissectFrame(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const f = ctx.frame;
  const F = frameFields;
  const cb = f.customBlock;
  // A pcapng record names its interface ("unknown" when the IDB has no if_name), as tshark does;
  // a Custom Block is no packet: tshark's line says what it is.
  if (ctx.tree) {
    ctx.setText(node, cb
      ? `PCAPNG Custom Block ${f.number}: ${f.capLen} byte${f.capLen === 1 ? '' : 's'} (${f.capLen * 8} bits) of custom data and options, PEN ${PEN_NAMES[cb.pen] ?? 'Unknown'} (${cb.pen}), copying ${cb.copy ? '' : 'not '}allowed`
      : `Frame ${f.number}: ${f.origLen} bytes on wire (${f.origLen * 8} bits), ${f.capLen} bytes captured (${f.capLen * 8} bits)` +
        (f.interfaceId !== undefined ? ` on interface ${f.interfaceName ?? 'unknown'}, id ${f.interfaceId}` : ''));
  }
  // Frame fields describe the record, not bytes of the packet: no byte range, but tshark does
  // not bracket them as generated either (except the deltas and relative time).
  const recordField = (parent: FieldNode | null, field: FieldDef, value: FieldValue, text?: string): FieldNode => {
    const n = ctx.addGenerated(parent, field, value, text);
    if (!ctx.isPlaceholder(n)) n.generated = false;
    return n;
  };
  if (f.section !== undefined) recordField(node, F['frame.section_number'], f.section);
  if (f.interfaceId !== undefined) {
    const name = f.interfaceName ?? 'unknown';
    const idNode = recordField(node, F['frame.interface_id'], f.interfaceId, ctx.tree ? `Interface id: ${f.interfaceId} (${name})` : undefined);
    recordField(idNode, F['frame.interface_name'], name);
    if (f.interfaceDescription !== undefined) recordField(idNode, F['frame.interface_description'], f.interfaceDescription);
  }
  if (f.comments?.length) {
    // tshark 4.0 shows a packet's comments before the Frame, under "Packet comments", each as
    // its own text with a Comment-level expert note.
    const box = recordField(null, F['pkt_comment'], null);
    for (const c of f.comments) ctx.addExpert(recordField(box, F['frame.comment'], c, ctx.tree ? c : undefined), 'comment', 'comment', c);
    // Added last among the roots: moved in front of the Frame (no tree: nothing to move).
    if (ctx.roots.at(-1) === box) ctx.roots.splice(ctx.roots.indexOf(node), 0, ctx.roots.pop()!);
  }
  // The encapsulation is what tshark shows; the LINKTYPE stays filterable behind it.
  const encap = LINKTYPE_ENCAP[f.linkType];
  if (encap !== undefined && !cb) recordField(node, F['frame.encap_type'], encap);
  const lt = ctx.addGenerated(node, F['frame.linktype'], f.linkType);
  if (!ctx.isPlaceholder(lt)) lt.hidden = true;
  recordField(node, F['frame.time'], f.ts);
  // No time shift is ever applied (tshark's editcap/GUI feature); tshark shows it all the same.
  ctx.addGenerated(node, F['frame.offset_shift'], 0);
  recordField(node, F['frame.time_epoch'], f.ts);
  addDelta(ctx, node, F['frame.time_delta'], f.ts, f.prevTs);
  addDelta(ctx, node, F['frame.time_delta_displayed'], f.ts, f.prevDisplayedTs ?? f.prevTs);
  addDelta(ctx, node, F['frame.time_relative'], f.ts, f.firstTs);
  recordField(node, F['frame.number'], f.number);
  recordField(node, F['frame.len'], f.origLen, ctx.tree ? `Frame Length: ${f.origLen} bytes (${f.origLen * 8} bits)` : undefined);
  recordField(node, F['frame.cap_len'], f.capLen, ctx.tree ? `Capture Length: ${f.capLen} bytes (${f.capLen * 8} bits)` : undefined);
  ctx.addGenerated(node, F['frame.marked'], false);
  ctx.addGenerated(node, F['frame.ignored'], false);
  // frame.protocols is only complete once the whole packet is dissected: the node is added
  // now (tree order as in tshark) and its value is filled in by `finishFrame`.
  const protocols = ctx.addGenerated(node, F['frame.protocols'], '');
  ctx.scratch.protocolsNode = protocols;

  if (f.customBlock) {
    // tshark 4.0 shows a pcapng Custom Block as a frame of data (wiretap's FT_SPECIFIC record).
    try {
      callProtocol(dataProtocol, tvb, ctx, null);
    } finally {
      finishFrame(ctx);
    }
    ctx.protocol = 'PCAPNG';
    ctx.info = `Custom Block: PEN = ${PEN_NAMES[f.customBlock.pen] ?? 'Unknown'} (${f.customBlock.pen}), will ${f.customBlock.copy ? '' : 'not '}be copied`;
    return;
  }
  const link = lookup('linktype', f.linkType);
  try {
    callProtocol(link ?? dataProtocol, tvb, ctx, null);
  } finally {
    finishFrame(ctx);
  }
}

/** Fills in frame.protocols once the layers are known. */
export function finishFrame(ctx: PacketContext): void {
  const node = ctx.scratch.protocolsNode as FieldNode | undefined;
  if (!node || ctx.isPlaceholder(node)) return;
  // show_exception adds its Malformed item to the tree, not to pinfo->layers: tshark never
  // lists _ws.malformed here (a payload's exception caught by packet-ethertype.c is shown
  // before the frame ends), though it stays a layer for filters.
  node.value = ctx.layers.filter((l) => l !== 'frame' && l !== '_ws.malformed').join(':');
}

export const frameProtocol = defineProtocol('frame', 'Frame', dissectFrame);
