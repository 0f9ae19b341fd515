// Point-to-Point Tunnelling Protocol (RFC 2637) control connections on TCP port 1723, as tshark
// 4.0's packet-pptp.c shows them: a 12-octet header (length, message type, magic cookie, control
// message type), then the fields of that control message in a fixed layout. The tunnelled PPP
// itself travels in enhanced GRE (gre.ts), not here.
//
// Each message's layout is data (MESSAGE_LAYOUTS): the fields in order with their sizes, which
// is all packet-pptp.c's fifteen dissect_* functions do. tshark adds every field whether or not
// the segment holds it, so a short message ends in an exception at the first missing field.
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const PPTP_PORT = 1723;
const MAGIC_COOKIE = 0x1a2b3c4d;
const HEADER = 12;

const CONTROL_MESSAGE_TYPES: Record<number, string> = {
  1: 'Start-Control-Connection-Request', 2: 'Start-Control-Connection-Reply', 3: 'Stop-Control-Connection-Request', 4: 'Stop-Control-Connection-Reply',
  5: 'Echo-Request', 6: 'Echo-Reply', 7: 'Outgoing-Call-Request', 8: 'Outgoing-Call-Reply', 9: 'Incoming-Call-Request', 10: 'Incoming-Call-Reply',
  11: 'Incoming-Call-Connected', 12: 'Call-Clear-Request', 13: 'Call-Disconnect-Notify', 14: 'WAN-Error-Notify', 15: 'Set-Link-Info',
};
const FRAMING = { 1: 'Asynchronous Framing supported', 2: 'Synchronous Framing supported', 3: 'Either Framing supported' };
const BEARER = { 1: 'Analog access supported', 2: 'Digital access supported', 3: 'Either access supported' };
const GENERAL_RESULT = { 1: 'OK', 2: 'General error' };

export const pptpFields = defineFields([
  { name: 'pptp.length', label: 'Length', type: 'uint16' },
  { name: 'pptp.type', label: 'Message type', type: 'uint16', values: { 1: 'Control Message', 2: 'Management Message' } },
  { name: 'pptp.magic_cookie', label: 'Magic Cookie', type: 'uint32', base: 'hex' },
  { name: 'pptp.control_message_type', label: 'Control Message Type', type: 'uint16', values: CONTROL_MESSAGE_TYPES },
  { name: 'pptp.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'pptp.protocol_version', label: 'Protocol version', type: 'uint16' },
  { name: 'pptp.framing_capabilities', label: 'Framing Capabilities', type: 'uint32', values: FRAMING },
  { name: 'pptp.bearer_capabilities', label: 'Bearer Capabilities', type: 'uint32', values: BEARER },
  { name: 'pptp.maximum_channels', label: 'Maximum Channels', type: 'uint16' },
  { name: 'pptp.firmware_revision', label: 'Firmware Revision', type: 'uint16' },
  { name: 'pptp.host_name', label: 'Host Name', type: 'string' },
  { name: 'pptp.vendor_name', label: 'Vendor Name', type: 'string' },
  { name: 'pptp.control_result', label: 'Result Code', type: 'uint8', values: { 1: 'Successful channel establishment', 2: 'General error', 3: 'Command channel already exists', 4: 'Requester not authorized', 5: 'Protocol version not supported' } },
  { name: 'pptp.error', label: 'Error Code', type: 'uint8', values: { 0: 'None', 1: 'Not-Connected', 2: 'Bad-Format', 3: 'Bad-Value', 4: 'No-Resource', 5: 'Bad-Call ID', 6: 'PAC-Error' } },
  { name: 'pptp.reason', label: 'Reason', type: 'uint8', values: { 1: 'None', 2: 'Stop-Protocol', 3: 'Stop-Local-Shutdown' } },
  { name: 'pptp.stop_result', label: 'Result Code', type: 'uint8', values: GENERAL_RESULT },
  { name: 'pptp.identifier', label: 'Identifier', type: 'uint32' },
  { name: 'pptp.echo_result', label: 'Result Code', type: 'uint8', values: GENERAL_RESULT },
  { name: 'pptp.call_id', label: 'Call ID', type: 'uint16' },
  { name: 'pptp.call_serial_number', label: 'Call Serial Number', type: 'uint16' },
  { name: 'pptp.minimum_bps', label: 'Minimum BPS', type: 'uint32' },
  { name: 'pptp.maximum_bps', label: 'Maximum BPS', type: 'uint32' },
  { name: 'pptp.bearer_type', label: 'Bearer Type', type: 'uint32', values: BEARER },
  { name: 'pptp.framing_type', label: 'Framing Type', type: 'uint32', values: FRAMING },
  { name: 'pptp.packet_receive_window_size', label: 'Packet Receive Window Size', type: 'uint16' },
  { name: 'pptp.packet_processing_delay', label: 'Packet Processing Delay', type: 'uint16' },
  { name: 'pptp.phone_number_length', label: 'Phone Number Length', type: 'uint16' },
  { name: 'pptp.phone_number', label: 'Phone Number', type: 'string' },
  { name: 'pptp.subaddress', label: 'Subaddress', type: 'string' },
  { name: 'pptp.peer_call_id', label: 'Peer Call ID', type: 'uint16' },
  { name: 'pptp.out_result', label: 'Result Code', type: 'uint8', values: { 1: 'Connected', 2: 'General Error', 3: 'No Carrier', 4: 'Busy', 5: 'No Dial Tone', 6: 'Time-out', 7: 'Do Not Accept' } },
  { name: 'pptp.cause', label: 'Cause Code', type: 'uint16' },
  { name: 'pptp.connect_speed', label: 'Connect Speed', type: 'uint32' },
  { name: 'pptp.physical_channel_id', label: 'Physical Channel ID', type: 'uint32' },
  { name: 'pptp.dialed_number_length', label: 'Dialed Number Length', type: 'uint16' },
  { name: 'pptp.dialed_number', label: 'Dialed Number', type: 'string' },
  { name: 'pptp.dialing_number_length', label: 'Dialing Number Length', type: 'uint16' },
  { name: 'pptp.dialing_number', label: 'Dialing Number', type: 'string' },
  { name: 'pptp.in_result', label: 'Result Code', type: 'uint8', values: { 1: 'Connect', 2: 'General error', 3: 'Do Not Accept' } },
  { name: 'pptp.disc_result', label: 'Result Code', type: 'uint8', values: { 1: 'Lost Carrier', 2: 'General Error', 3: 'Admin Shutdown', 4: 'Request' } },
  { name: 'pptp.call_Statistics', label: 'Call Statistics', type: 'string' },
  { name: 'pptp.crc_errors', label: 'CRC Errors', type: 'uint32' },
  { name: 'pptp.framing_errors', label: 'Framing Errors', type: 'uint32' },
  { name: 'pptp.hardware_overruns', label: 'Hardware overruns', type: 'uint32' },
  { name: 'pptp.buffer_overruns', label: 'Buffer overruns', type: 'uint32' },
  { name: 'pptp.timeout_errors', label: 'Time-out Errors', type: 'uint32' },
  { name: 'pptp.alignment_errors', label: 'Alignment Errors', type: 'uint32' },
  { name: 'pptp.send_accm', label: 'Send ACCM', type: 'uint32', base: 'hex' },
  { name: 'pptp.receive_accm', label: 'Receive ACCM', type: 'uint32', base: 'hex' },
] as const);
const F = pptpFields;
type PptpField = keyof typeof pptpFields;

/** One field of a message body and its size in octets (strings are fixed 64-octet fields). */
type Step = readonly [PptpField, number];

const VERSION: Step = ['pptp.protocol_version', 2];
const RESERVED_2: Step = ['pptp.reserved', 2];
const WINDOW_AND_DELAY: readonly Step[] = [['pptp.packet_receive_window_size', 2], ['pptp.packet_processing_delay', 2]];
const CAPABILITIES: readonly Step[] = [
  ['pptp.framing_capabilities', 4], ['pptp.bearer_capabilities', 4], ['pptp.maximum_channels', 2], ['pptp.firmware_revision', 2],
  ['pptp.host_name', 64], ['pptp.vendor_name', 64],
];

/** RFC 2637 section 2: each control message's fields after the 12-octet header, by type. */
const MESSAGE_LAYOUTS: Record<number, readonly Step[]> = {
  1: [VERSION, RESERVED_2, ...CAPABILITIES],
  2: [VERSION, ['pptp.control_result', 1], ['pptp.error', 1], ...CAPABILITIES],
  3: [['pptp.reason', 1], ['pptp.reserved', 1], RESERVED_2],
  4: [['pptp.stop_result', 1], ['pptp.error', 1], RESERVED_2],
  5: [['pptp.identifier', 4]],
  6: [['pptp.identifier', 4], ['pptp.echo_result', 1], ['pptp.error', 1], RESERVED_2],
  7: [
    ['pptp.call_id', 2], ['pptp.call_serial_number', 2], ['pptp.minimum_bps', 4], ['pptp.maximum_bps', 4], ['pptp.bearer_type', 4], ['pptp.framing_type', 4],
    ...WINDOW_AND_DELAY, ['pptp.phone_number_length', 2], RESERVED_2, ['pptp.phone_number', 64], ['pptp.subaddress', 64],
  ],
  8: [
    ['pptp.call_id', 2], ['pptp.peer_call_id', 2], ['pptp.out_result', 1], ['pptp.error', 1], ['pptp.cause', 2], ['pptp.connect_speed', 4],
    ...WINDOW_AND_DELAY, ['pptp.physical_channel_id', 4],
  ],
  9: [
    ['pptp.call_id', 2], ['pptp.call_serial_number', 2], ['pptp.bearer_type', 4], ['pptp.physical_channel_id', 4], ['pptp.dialed_number_length', 2],
    ['pptp.dialing_number_length', 2], ['pptp.dialed_number', 64], ['pptp.dialing_number', 64], ['pptp.subaddress', 64],
  ],
  10: [['pptp.call_id', 2], ['pptp.peer_call_id', 2], ['pptp.in_result', 1], ['pptp.error', 1], ...WINDOW_AND_DELAY, RESERVED_2],
  11: [['pptp.peer_call_id', 2], RESERVED_2, ['pptp.connect_speed', 4], ...WINDOW_AND_DELAY, ['pptp.framing_type', 4]],
  12: [['pptp.call_id', 2], RESERVED_2],
  13: [['pptp.call_id', 2], ['pptp.disc_result', 1], ['pptp.error', 1], ['pptp.cause', 2], RESERVED_2, ['pptp.call_Statistics', 64]],
  14: [
    ['pptp.peer_call_id', 2], RESERVED_2, ['pptp.crc_errors', 4], ['pptp.framing_errors', 4], ['pptp.hardware_overruns', 4], ['pptp.buffer_overruns', 4],
    ['pptp.timeout_errors', 4], ['pptp.alignment_errors', 4],
  ],
  15: [['pptp.peer_call_id', 2], RESERVED_2, ['pptp.send_accm', 4], ['pptp.receive_accm', 4]],
};

function dissectPptp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'PPTP';
  // packet-pptp.c reads the length and the message type before it adds its item.
  if (!tvb.has(0, 10)) ctx.failBeforeItem(node, tvb, 0, 10);
  const length = tvb.u16(0), type = tvb.u16(8);
  ctx.info = CONTROL_MESSAGE_TYPES[type] ?? `Unknown control type (${type})`;
  // The item covers the message's own length, whatever the segment holds.
  ctx.setLength(node, Math.min(length, tvb.length));
  ctx.add(node, F['pptp.length'], tvb, 0, 2, length);
  ctx.add(node, F['pptp.type'], tvb, 2, 2, tvb.u16(2));
  const cookie = tvb.u32(4);
  const correct = cookie === MAGIC_COOKIE;
  const item = ctx.add(node, F['pptp.magic_cookie'], tvb, 4, 4, cookie, `Magic Cookie: 0x${cookie.toString(16).padStart(8, '0')} (${correct ? 'correct' : 'incorrect'})`);
  if (!correct) ctx.addExpert(item, 'warn', 'protocol', 'Incorrect Magic Cookie');
  ctx.add(node, F['pptp.control_message_type'], tvb, 8, 2, type);
  ctx.add(node, F['pptp.reserved'], tvb, 10, 2, tvb.slice(10, 2));
  const layout = MESSAGE_LAYOUTS[type];
  if (!layout) {
    if (tvb.length > HEADER) callProtocol(dataProtocol, tvb.sub(HEADER), ctx, node);
    return;
  }
  let o = HEADER;
  for (const [name, size] of layout) {
    addStep(tvb, ctx, node, F[name], o, size);
    o += size;
  }
}

/** One field of a message body (an exception past the captured bytes ends the message, as in tshark). */
function addStep(tvb: Tvb, ctx: PacketContext, node: FieldNode, f: FieldDef, o: number, size: number): void {
  if (f === F['pptp.protocol_version']) {
    const v = tvb.u16(o);
    ctx.add(node, f, tvb, o, 2, v, `Protocol version: ${v >> 8}.${v & 0xff}`);
  } else if (f.type === 'bytes') {
    ctx.add(node, f, tvb, o, size, tvb.slice(o, size));
  } else if (f.type === 'string') {
    ctx.add(node, f, tvb, o, size, tvb.ascii(o, size));
  } else {
    ctx.add(node, f, tvb, o, size, size === 1 ? tvb.u8(o) : size === 2 ? tvb.u16(o) : tvb.u32(o));
  }
}

export const pptpProtocol = defineProtocol('pptp', 'Point-to-Point Tunnelling Protocol', dissectPptp);
register('tcp.port', PPTP_PORT, pptpProtocol);
