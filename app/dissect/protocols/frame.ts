// The frame pseudo-protocol: what the capture file says about the packet (times, lengths,
// interface), then the hand-off to the link layer by LINKTYPE through the `linktype` table.
// Mirrors Wireshark's packet-frame.c field names.
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, lookup } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import { bitPicture, formatDisplayValue } from '../format.js';
import { nstimeDelta, type AbsTime, type FieldNode, type FieldValue } from '../tree.js';
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
  0: 'Unknown', 1: 'Ethernet', 2: 'Token Ring', 3: 'SLIP', 4: 'PPP', 5: 'FDDI',
  6: 'FDDI with bit-swapped MAC addresses', 7: 'Raw IP', 8: 'ARCNET', 9: 'Linux ARCNET', 10: 'RFC 1483 ATM',
  11: 'Linux ATM CLIP', 12: 'LAPB', 13: 'ATM PDUs', 14: 'ATM PDUs - untruncated', 15: 'NULL/Loopback',
  16: 'Lucent/Ascend access equipment', 17: 'ISDN', 18: 'RFC 2625 IP-over-Fibre Channel',
  19: 'PPP with Directional Info', 20: 'IEEE 802.11 Wireless LAN',
  21: 'IEEE 802.11 plus Prism II monitor mode radio header', 22: 'IEEE 802.11 Wireless LAN with radio information',
  23: 'IEEE 802.11 plus radiotap radio header', 24: 'IEEE 802.11 plus AVS radio header',
  25: 'Linux cooked-mode capture v1', 26: 'Frame Relay', 27: 'Frame Relay with Directional Info', 28: 'Cisco HDLC',
  29: 'Cisco IOS internal', 30: 'Localtalk', 31: 'OpenBSD PF Firewall logs, pre-3.4', 32: 'HiPath HDLC',
  33: 'Data Over Cable Service Interface Specification', 34: 'CoSine L2 debug log', 35: 'Wellfleet HDLC', 36: 'SDLC',
  37: 'Tazmen sniffer protocol', 38: 'OpenBSD enc(4) encapsulating interface', 39: 'OpenBSD PF Firewall logs',
  40: 'Cisco HDLC with Directional Info', 41: 'Bluetooth H4', 42: 'SS7 MTP2', 43: 'SS7 MTP3', 44: 'IrDA',
  45: 'USER 0', 46: 'USER 1', 47: 'USER 2', 48: 'USER 3', 49: 'USER 4', 50: 'USER 5', 51: 'USER 6', 52: 'USER 7',
  53: 'USER 8', 54: 'USER 9', 55: 'USER 10', 56: 'USER 11', 57: 'USER 12', 58: 'USER 13', 59: 'USER 14',
  60: 'USER 15', 61: 'Symantec Enterprise Firewall', 62: 'Apple IP-over-IEEE 1394', 63: 'BACnet MS/TP',
  64: 'Raw ICMP with nettl headers', 65: 'Raw ICMPv6 with nettl headers', 66: 'GPRS LLC', 67: 'Juniper ATM1',
  68: 'Juniper ATM2', 69: 'Redback SmartEdge', 70: 'Raw IP with nettl headers', 71: 'Ethernet with nettl headers',
  72: 'Token Ring with nettl headers', 73: 'FDDI with nettl headers',
  74: 'Unknown link-layer type with nettl headers', 75: 'MTP2 with pseudoheader', 76: 'Juniper PPPoE',
  77: 'GCOM TIE1', 78: 'GCOM Serial', 79: 'X.25 with nettl headers', 80: 'K12 protocol analyzer',
  81: 'Juniper MLPPP', 82: 'Juniper MLFR', 83: 'Juniper Ethernet', 84: 'Juniper PPP', 85: 'Juniper Frame-Relay',
  86: 'Juniper C-HDLC', 87: 'Juniper GGSN', 88: 'LAPD with Linux pseudo-header', 89: 'Catapult DCT2000',
  90: 'ASN.1 Basic Encoding Rules', 91: 'Juniper Voice PIC', 92: 'USB packets with FreeBSD header',
  93: 'IEEE 802.16 MAC Common Part Sublayer', 94: 'Raw telnet with nettl headers',
  95: 'USB packets with Linux header', 96: 'MPEG', 97: 'Per-Packet Information header',
  98: 'Extensible Record Format', 99: 'Bluetooth H4 with linux header', 100: 'SITA WAN packets', 101: 'SS7 SCCP',
  102: 'Bluetooth without transport layer', 103: 'Intelligent Platform Management Bus with Kontron pseudo-header',
  104: 'IEEE 802.15.4 Wireless PAN', 105: 'X2E Xoraya', 106: 'FlexRay', 107: 'Local Interconnect Network',
  108: 'Media Oriented Systems Transport', 109: 'Controller Area Network 2.0B', 110: 'EyeSDN Layer 1 event',
  111: 'X2E serial line capture', 112: 'I2C with Linux-specific pseudo-header',
  113: 'IEEE 802.15.4 Wireless PAN non-ASK PHY', 114: 'Transport-Neutral Encapsulation Format',
  115: 'USB packets with Linux header and padding', 116: 'GSM Um Interface',
  117: 'Digital Private Signalling System No 1 Link Layer', 118: 'Apple Bluetooth PacketLogger',
  119: 'NetScaler Encapsulation 1.0 of Ethernet', 120: 'NetScaler Encapsulation 2.0 of Ethernet',
  121: 'Fibre Channel FC-2', 122: 'Fibre Channel FC-2 With Frame Delimiter', 123: 'JPEG/JFIF', 124: 'Solaris IPNET',
  125: 'SocketCAN', 126: 'IEEE 802.11 plus Network Monitor radio header',
  127: 'IEEE 802.15.4 Wireless PAN with FCS not present', 128: 'RFC 5655/RFC 5101 IPFIX', 129: 'Raw IPv4',
  130: 'Raw IPv6', 131: 'LAPD', 132: 'DVB-CI (Common Interface)', 133: 'MUX27010', 134: 'MIME',
  135: 'Hilscher netANALYZER', 136: 'Hilscher netANALYZER-Transparent', 137: 'IP over InfiniBand',
  138: 'ISO/IEC 13818-1 MPEG2-TS', 139: 'PPP-over-Ethernet session', 140: 'NFC LLCP', 141: 'NFLOG',
  142: 'V5 Envelope Function', 143: 'BACnet MS/TP with Directional Info', 144: 'IxVeriWave header and stats block',
  145: 'SDH', 146: 'D-Bus', 147: 'AX.25 with KISS header', 148: 'Amateur Radio AX.25', 149: 'SCTP',
  150: 'InfiniBand', 151: 'Juniper Services', 152: 'USB packets with USBPcap header', 153: 'RTAC serial-line',
  154: 'Bluetooth Low Energy Link Layer', 155: 'Wireshark Upper PDU export', 156: 'STANAG 4607',
  157: 'STANAG 5066 Data Transfer Sublayer PDUs(D_PDU)', 158: 'Linux Netlink', 159: 'Bluetooth Linux Monitor',
  160: 'Bluetooth BR/EDR Baseband RF', 161: 'Bluetooth Low Energy Link Layer RF',
  162: 'NetScaler Encapsulation 3.0 of Ethernet', 163: 'Android Logcat Binary format',
  164: 'Android Logcat Brief text format', 165: 'Android Logcat Process text format',
  166: 'Android Logcat Tag text format', 167: 'Android Logcat Thread text format',
  168: 'Android Logcat Time text format', 169: 'Android Logcat Threadtime text format',
  170: 'Android Logcat Long text format', 171: 'Apple PKTAP', 172: 'Ethernet Passive Optical Network',
  173: 'IPMI Trace Data Collection', 174: 'OpenBSD loopback', 175: 'JavaScript Object Notation',
  176: 'NetScaler Encapsulation 3.5 of Ethernet', 177: 'ISO 14443 contactless smartcard standards',
  178: 'ITU-T G.7041/Y.1303 Generic Framing Procedure Transparent mode',
  179: 'ITU-T G.7041/Y.1303 Generic Framing Procedure Frame-mapped mode', 180: 'IP over IB', 181: 'Juniper VN',
  182: 'USB packets with Darwin (macOS, etc.) headers', 183: 'LoRaTap', 184: 'Xerox 3MB Ethernet',
  185: 'Linux vsock', 186: 'nRF Sniffer for Bluetooth LE', 187: 'Network Monitor Network Event',
  188: 'Network Monitor Header', 189: 'Network Monitor Filter', 190: 'Network Monitor Network Info',
  191: 'Message Analyzer WFP Capture v4', 192: 'Message Analyzer WFP Capture v6',
  193: 'Message Analyzer WFP Capture2 v4', 194: 'Message Analyzer WFP Capture2 v6',
  195: 'Message Analyzer WFP Capture Auth v4', 196: 'Message Analyzer WFP Capture Auth v6',
  197: 'Juniper Secure Tunnel Information', 198: 'IEEE 802.3br mPackets',
  199: 'DOCSIS with Excentis XRA pseudo-header', 200: 'DisplayPort AUX channel with Unigraf pseudo-header',
  201: 'Ruby marshal object', 202: 'RFC 7468 file', 203: 'systemd journal',
  204: 'Elektrobit High Speed Capture and Replay', 205: 'Vector Packet Processing graph dispatch trace',
  206: 'IEEE 802.15.4 Wireless with TAP pseudo-header', 207: '3GPP Phone Log', 208: 'USB 2.0/1.1/1.0 packets',
  209: 'MP4 files', 210: 'Linux cooked-mode capture v2', 211: 'Z-Wave Serial API packets',
  212: 'Event Tracing for Windows messages', 213: 'Ericsson eNode-B raw log', 214: 'ZBOSS NCP',
  215: 'Low-Speed USB 2.0/1.1/1.0 packets', 216: 'Full-Speed USB 2.0/1.1/1.0 packets',
  217: 'High-Speed USB 2.0 packets',
};

const SET_NOTSET = ['Set', 'Not set'] as const;

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
  { name: 'frame.interface_queue', label: 'Interface queue', type: 'uint32' },
  { name: 'frame.packet_flags', label: 'Packet flags', type: 'uint32', base: 'hex' },
  { name: 'frame.packet_flags_direction', label: 'Direction', type: 'uint32', base: 'hex', mask: 0x3, values: { 0: 'Unknown', 1: 'Inbound', 2: 'Outbound' } },
  { name: 'frame.packet_flags_reception_type', label: 'Reception type', type: 'uint32', mask: 0x1c, values: { 0: 'Not specified', 1: 'Unicast', 2: 'Multicast', 3: 'Broadcast', 4: 'Promiscuous' } },
  { name: 'frame.packet_flags_fcs_length', label: 'FCS length', type: 'uint32', mask: 0x1e0 },
  { name: 'frame.packet_flags_reserved', label: 'Reserved', type: 'uint32', mask: 0xfe00 },
  { name: 'frame.packet_flags_crc_error', label: 'CRC error', type: 'boolean', mask: 0x1000000, tf: SET_NOTSET },
  // (sic) tshark 4.0's name for the packet-too-long bit.
  { name: 'frame.packet_flags_packet_too_error', label: 'Packet too long error', type: 'boolean', mask: 0x2000000, tf: SET_NOTSET },
  { name: 'frame.packet_flags_packet_too_short_error', label: 'Packet too short error', type: 'boolean', mask: 0x4000000, tf: SET_NOTSET },
  { name: 'frame.packet_flags_wrong_inter_frame_gap_error', label: 'Wrong interframe gap error', type: 'boolean', mask: 0x8000000, tf: SET_NOTSET },
  { name: 'frame.packet_flags_unaligned_frame_error', label: 'Unaligned frame error', type: 'boolean', mask: 0x10000000, tf: SET_NOTSET },
  { name: 'frame.packet_flags_start_frame_delimiter_error', label: 'Start frame delimiter error', type: 'boolean', mask: 0x20000000, tf: SET_NOTSET },
  { name: 'frame.packet_flags_preamble_error', label: 'Preamble error', type: 'boolean', mask: 0x40000000, tf: SET_NOTSET },
  { name: 'frame.packet_flags_symbol_error', label: 'Symbol error', type: 'boolean', mask: 0x80000000, tf: SET_NOTSET },
  { name: 'frame.packet_id', label: 'Packet id', type: 'uint64' },
  { name: 'frame.drop_count', label: 'Drop Count', type: 'uint64' },
  { name: 'frame.p2p_dir', label: 'Point-to-Point Direction', type: 'int8', values: { [-1]: 'Unknown', 0: 'Sent', 1: 'Received' } },
  { name: 'frame.cb_pen', label: 'Private Enterprise Number', type: 'uint32' },
  { name: 'frame.cb_copy', label: 'Copying', type: 'boolean', tf: ['Allowed', 'Not Allowed'] },
  { name: 'frame.comment', label: 'Comment', type: 'string' },
  { name: 'pkt_comment', label: 'Packet comments', type: 'none', description: "The packet's pcapng comments (frame.comment)" },
  { name: 'frame.linktype', label: 'Link type', type: 'uint32', description: 'LINKTYPE_* of the capture interface' },
  { name: 'frame.encap_type', label: 'Encapsulation type', type: 'int16', values: ENCAP_NAMES, description: "Wireshark's WTAP_ENCAP_* for the link type" },
  { name: 'frame.protocols', label: 'Protocols in frame', type: 'string' },
  { name: 'frame.marked', label: 'Frame is marked', type: 'boolean' },
  { name: 'frame.ignored', label: 'Frame is ignored', type: 'boolean' },
] as const);

const PACKET_FLAG_BITS: readonly FieldDef[] = [
  frameFields['frame.packet_flags_direction'], frameFields['frame.packet_flags_reception_type'], frameFields['frame.packet_flags_fcs_length'],
  frameFields['frame.packet_flags_reserved'], frameFields['frame.packet_flags_crc_error'], frameFields['frame.packet_flags_packet_too_error'],
  frameFields['frame.packet_flags_packet_too_short_error'], frameFields['frame.packet_flags_wrong_inter_frame_gap_error'],
  frameFields['frame.packet_flags_unaligned_frame_error'], frameFields['frame.packet_flags_start_frame_delimiter_error'],
  frameFields['frame.packet_flags_preamble_error'], frameFields['frame.packet_flags_symbol_error'],
];

/** The few IANA Private Enterprise Numbers seen in pcapng Custom Blocks, named as tshark does. */
const PEN_NAMES: Readonly<Record<number, string>> = {
  32473: 'Example Enterprise Number for Documentation Use',
  36724: 'Kaplan Research and Application Prototyping',
};

/**
 * A frame time delta (b - a) as tshark makes it: nstime_delta's seconds and nanoseconds (an
 * invalid fraction wraps as in C) shown exactly, in the tree and for -T fields; the value is a
 * float for filters, sec + nsec / 1e9 as the filter's fast path (app/filter/fast-fields.ts)
 * computes it for valid times.
 */
function addDelta(ctx: PacketContext, node: FieldNode, field: FieldDef, ts: AbsTime, from: AbsTime | undefined): void {
  if (!ctx.wants(field)) return;
  const d = from ? nstimeDelta(ts, from) : { sec: 0, nsec: 0 };
  ctx.addRelTime(node, field, d, from ? ts.sec - from.sec + ((ts.nsec - from.nsec) | 0) / 1e9 : 0);
}

/**
 * Whether the times of a packet, the first and the previous one have valid fractions
 * (0..999999999). Only then are the float deltas of the filter's fast path
 * (app/filter/fast-fields.ts) the frame's values: with an invalid one, tshark's arithmetic wraps
 * (nstimeDelta) and the packet is dissected.
 */
export function fractionsValid(ts: AbsTime, first: AbsTime, prev: AbsTime | undefined): boolean {
  return validFraction(ts) && validFraction(first) && (prev === undefined || validFraction(prev));
}

function validFraction(t: AbsTime): boolean {
  return t.nsec >= 0 && t.nsec < 1e9;
}

/** printf's %09ld, which tshark's note on an invalid fraction uses: the sign counts in the nine. */
function pad09(n: number): string {
  return n < 0 ? `-${String(-n).padStart(8, '0')}` : String(n).padStart(9, '0');
}

/** The pcapng packet flags word and its bits, each line with its 32-bit picture (proto_tree_add_bitmask_list_value). */
function addPacketFlags(ctx: PacketContext, node: FieldNode, flags: number, recordField: (parent: FieldNode | null, field: FieldDef, value: FieldValue, text?: string) => FieldNode): void {
  const F = frameFields;
  const box = recordField(node, F['frame.packet_flags'], flags);
  for (const field of PACKET_FLAG_BITS) {
    const mask = field.mask!;
    let unit = 1;
    while ((mask & unit) === 0) unit *= 2;
    const value: FieldValue = field.type === 'boolean' ? (flags & mask) !== 0 : ((flags & mask) >>> 0) / unit;
    recordField(box, field, value, ctx.tree ? `${bitPicture((flags & mask) >>> 0, mask, 32)} = ${field.label}: ${formatDisplayValue(field, value)}` : undefined);
  }
}

/** The notes a record's frame carries whether or not its fields are kept. */
const FRACTION_OUT_OF_RANGE = 'Arrival Time: Fractional second out of range (0-1000000000)';
const LEN_LESS_THAN_CAPLEN = 'Frame length is less than captured length';

/** Every field the Frame layer adds (the layer's own item included): none kept, none added. */
let frameRecordFields: FieldDef[] | null = null;

function dissectFrame(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const f = ctx.frame;
  const F = frameFields;
  const cb = f.customBlock;
  // Nobody keeps a frame field (read's summary lines: no tree, no field asked for): the record's
  // notes, in the order the fields below would carry them, then the link layer.
  frameRecordFields ??= [frameProtocol.field, ...Object.values(frameFields)];
  if (!cb && ctx.recordsNone(frameRecordFields)) {
    for (const c of f.comments ?? []) ctx.addExpert(null, 'comment', 'comment', c);
    if (!f.tsAbsent && (f.ts.nsec < 0 || f.ts.nsec >= 1e9)) ctx.addExpert(null, 'note', 'sequence', FRACTION_OUT_OF_RANGE);
    if (f.origLen < f.capLen) ctx.addExpert(null, 'error', 'malformed', LEN_LESS_THAN_CAPLEN);
    callLinkLayer(tvb, ctx);
    return;
  }
  // A pcapng record names its interface ("unknown" when the IDB has no if_name), as tshark does;
  // a Custom Block is no packet: tshark's line says what it is.
  if (ctx.tree) {
    ctx.setText(node, cb
      ? `PCAPNG Custom Block ${f.number}: ${f.capLen} byte${f.capLen === 1 ? '' : 's'} (${f.capLen * 8} bits) of custom data and options, PEN ${PEN_NAMES[cb.pen] ?? 'Unknown'} (${cb.pen}), copying ${cb.copy ? '' : 'not '}allowed`
      : `Frame ${f.number}: ${f.origLen} bytes on wire (${f.origLen * 8} bits), ${f.capLen} bytes captured (${f.capLen * 8} bits)` +
        (f.interfaceId !== undefined ? ` on interface ${f.interfaceName ?? 'unknown'}, id ${f.interfaceId}` : '') +
        // The direction bits of epb_flags, as packet-frame.c appends them.
        (f.packetFlags !== undefined && (f.packetFlags & 3) !== 0 && (f.packetFlags & 3) !== 3 ? ((f.packetFlags & 3) === 1 ? ' (inbound)' : ' (outbound)') : ''));
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
  // The EPB options, in packet-frame.c's order.
  if (f.queue !== undefined) recordField(node, F['frame.interface_queue'], f.queue);
  if (f.packetFlags !== undefined) addPacketFlags(ctx, node, f.packetFlags, recordField);
  if (f.packetId !== undefined) recordField(node, F['frame.packet_id'], f.packetId);
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
  // A record without a time (a pcapng Simple Packet Block or Custom Block) gets no time lines
  // (packet-frame.c: PINFO_HAS_TS); the records after it count from its time of 0 all the same.
  if (!f.tsAbsent) {
    recordField(node, F['frame.time'], f.ts);
    if (f.ts.nsec < 0 || f.ts.nsec >= 1e9) {
      // A pcap record's fraction is any 32-bit value (shown as a C int): tshark prints it as
      // it is and notes it on the Frame, after the Arrival Time line; when the frame is neither
      // drawn nor referenced (proto_field_is_referenced), in its note's default words.
      const referenced = ctx.wants(frameProtocol.field);
      const msg = referenced ? `Arrival Time: Fractional second ${pad09(f.ts.nsec)} is invalid, the valid range is 0-1000000000` : FRACTION_OUT_OF_RANGE;
      ctx.addExpert(referenced ? node : null, 'note', 'sequence', msg);
    }
    // No time shift is ever applied (tshark's editcap/GUI feature); tshark shows it all the same.
    ctx.addGenerated(node, F['frame.offset_shift'], 0);
    recordField(node, F['frame.time_epoch'], f.ts);
    addDelta(ctx, node, F['frame.time_delta'], f.ts, f.prevTs);
    addDelta(ctx, node, F['frame.time_delta_displayed'], f.ts, f.prevDisplayedTs ?? f.prevTs);
    addDelta(ctx, node, F['frame.time_relative'], f.ts, f.firstTs);
  }
  recordField(node, F['frame.number'], f.number);
  const lenNode = recordField(node, F['frame.len'], f.origLen, ctx.tree ? `Frame Length: ${f.origLen} bytes (${f.origLen * 8} bits)` : undefined);
  // A record claiming fewer bytes on the wire than it holds (packet-frame.c's ei_len_lt_caplen).
  if (f.origLen < f.capLen) ctx.addExpert(lenNode, 'error', 'malformed', LEN_LESS_THAN_CAPLEN);
  recordField(node, F['frame.cap_len'], f.capLen, ctx.tree ? `Capture Length: ${f.capLen} bytes (${f.capLen * 8} bits)` : undefined);
  if (f.dropCount !== undefined) recordField(node, F['frame.drop_count'], f.dropCount);
  ctx.addGenerated(node, F['frame.marked'], false);
  ctx.addGenerated(node, F['frame.ignored'], false);
  // packet-frame.c takes the point-to-point direction from the flags' direction bits.
  const dir = f.packetFlags === undefined || cb ? 0 : f.packetFlags & 3;
  if (dir === 1 || dir === 2) recordField(node, F['frame.p2p_dir'], dir === 1 ? 1 : 0);
  if (cb) {
    recordField(node, F['frame.cb_pen'], cb.pen, ctx.tree ? `Private Enterprise Number: ${PEN_NAMES[cb.pen] ?? 'Unknown'} (${cb.pen})` : undefined);
    recordField(node, F['frame.cb_copy'], cb.copy);
  }
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
  callLinkLayer(tvb, ctx);
}

/** The record's bytes to its link layer's protocol (data when none is registered), then frame.protocols. */
function callLinkLayer(tvb: Tvb, ctx: PacketContext): void {
  const link = lookup('linktype', ctx.frame.linkType);
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

export const frameProtocol = defineProtocol('frame', 'Frame', dissectFrame, 'Frame');
