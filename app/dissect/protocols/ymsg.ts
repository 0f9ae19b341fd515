// Yahoo Messenger (YMSG) over TCP, taken by its "YMSG" magic as tshark's heuristic takes it: a
// 20-byte header (version, vendor, length, service, status, session) and the content, key/value
// pairs each ended by 0xC0 0x80. Info is the service and status ("Keep Alive (status=Default)").
import { defineFields } from '../field.js';
import { defineProtocol, registerHeuristic } from '../dispatch.js';
import { addPduSize, canDesegment, DESEGMENT_ONE_MORE_SEGMENT, requestDesegment } from '../desegment.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

/** packet-ymsg.c's service names. */
const SERVICES: Record<number, string> = {
  1: 'Pager Logon', 2: 'Pager Logoff', 3: 'Is Away', 4: 'Is Back', 5: 'Idle', 6: 'Message', 7: 'Activate Identity', 8: 'Deactivate Identity',
  9: 'Mail Status', 10: 'User Status', 11: 'New Mail', 12: 'Chat Invitation', 13: 'Calendar Reminder', 14: 'New Personals Mail', 15: 'New Friend',
  16: 'Add Identity', 17: 'Add Ignore', 18: 'Ping', 19: 'Got Group Rename', 20: 'System Message', 21: 'Skinname', 22: 'Passthrough 2',
  24: 'Conference Invitation', 25: 'Conference Logon', 26: 'Conference Decline', 27: 'Conference Logoff', 28: 'Conference Additional Invitation',
  29: 'Conference Message', 30: 'Chat Logon', 31: 'Chat Logoff', 32: 'Chat Message', 40: 'Game Logon', 41: 'Game Logoff', 42: 'Game Message',
  70: 'File Transfer', 74: 'Voice Chat', 75: 'Notify', 76: 'Verify', 77: 'P2P File Transfer', 79: 'Peer To Peer', 80: 'WebCam',
  84: 'Authentication Response', 85: 'List', 87: 'Authentication', 109: 'Authorize Buddy', 131: 'Add Buddy', 132: 'Remove Buddy',
  133: 'Ignore Contact', 134: 'Reject Contact', 137: 'Group Rename', 138: 'Keep Alive', 150: 'Chat Online', 151: 'Chat Goto', 152: 'Chat Join',
  153: 'Chat Leave', 155: 'Chat Exit', 157: 'Chat Invite', 160: 'Chat Logout', 161: 'Chat Ping', 168: 'Comment', 183: 'Game Invite',
  185: 'Stealth Permanent', 186: 'Stealth Session', 188: 'Avatar', 189: 'Picture Checksum', 190: 'Picture', 193: 'Picture Update',
  194: 'Picture Upload', 196: 'Yahoo Address Book Update', 197: 'Y6 Visibility Toggle', 198: 'Y6 Status Update', 199: 'Picture Sharing Status',
  200: 'Verify ID Exists', 208: 'Audible', 211: 'Y7 Contact Details', 212: 'Y7 Chat Session', 214: 'Y7 Buddy Authorization',
  220: 'Y7 File Transfer', 221: 'Y7 File Transfer Information', 222: 'Y7 File Transfer Accept', 231: 'Y7 Change Group', 240: 'Status V15',
  241: 'List V15', 550: 'WebLogin', 746: 'SMS Message',
};

const STATUSES: Record<number, string> = {
  0xffffffff: 'Disconnected', 0: 'Default', 1: 'Server Ack', 2: 'Playing Game', 4: 'Away', 5: 'More Packets??', 22: 'Notify',
  1515563605: 'Web Login', 1515563606: 'Offline',
};

export const ymsgFields = defineFields([
  { name: 'ymsg.version', label: 'Version', type: 'uint16', base: 'dec' },
  { name: 'ymsg.vendor', label: 'Vendor ID', type: 'uint16', base: 'dec' },
  { name: 'ymsg.len', label: 'Packet Length', type: 'uint16', base: 'dec' },
  { name: 'ymsg.service', label: 'Service', type: 'uint16', base: 'dec', values: SERVICES },
  { name: 'ymsg.status', label: 'Status', type: 'uint32', base: 'dec', values: STATUSES },
  { name: 'ymsg.session_id', label: 'Session ID', type: 'uint32', base: 'hex' },
  { name: 'ymsg.content', label: 'Content', type: 'bytes' },
  { name: 'ymsg.content-line', label: 'Content-line', type: 'string' },
  { name: 'ymsg.content-line.key', label: 'Key', type: 'string' },
  { name: 'ymsg.content-line.value', label: 'Value', type: 'string' },
] as const);

const F = ymsgFields;

const HEADER = 20;

function looksLikeYmsg(tvb: Tvb): boolean {
  return tvb.length >= 4 && tvb.u8(0) === 0x59 && tvb.u8(1) === 0x4d && tvb.u8(2) === 0x53 && tvb.u8(3) === 0x47;
}

/** Where the 0xC0 0x80 separator at or after `o` (before `end`) starts, or `end`. */
function separator(tvb: Tvb, o: number, end: number): number {
  for (let p = o; p + 1 < end; p++) if (tvb.u8(p) === 0xc0 && tvb.u8(p + 1) === 0x80) return p;
  return end;
}

function dissectYmsg(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  if (!looksLikeYmsg(tvb)) return false;
  // As tcp_dissect_pdus: a header cut by the segment's end asks for one more segment, and the
  // columns are YMSG's only once a message is whole.
  for (let o = 0; o < tvb.length; ) {
    if (o + HEADER > tvb.reportedLength || !looksLikeYmsg(tvb.sub(o))) {
      if (o + HEADER > tvb.reportedLength && canDesegment(ctx)) requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT);
      break;
    }
    const len = tvb.u16(o + 8);
    if (o + HEADER + len > tvb.reportedLength && canDesegment(ctx)) {
      requestDesegment(ctx, o, o + HEADER + len - tvb.reportedLength);
      break;
    }
    if (o === 0) {
      ctx.protocol = 'YMSG';
      ctx.info = '';
    }
    // Read as tcp_dissect_pdus reads PDUs: TCP's tree gets each one's size.
    addPduSize(ctx, HEADER + len);
    const service = tvb.u16(o + 10), status = tvb.u32(o + 12);
    const serviceName = SERVICES[service] ?? 'Unknown Service', statusName = STATUSES[status] ?? 'Unknown Status';
    ctx.info += `${serviceName} (status=${statusName})   `;
    const item = o === 0 ? node : ctx.add(ctx.upperParent, ymsgProtocol.field, tvb, o, HEADER + len, null);
    ctx.setLength(item, HEADER + len);
    ctx.setText(item, `Yahoo YMSG Messenger Protocol (${serviceName})`);
    ctx.add(item, F['ymsg.version'], tvb, o + 4, 2, tvb.u16(o + 4));
    ctx.add(item, F['ymsg.vendor'], tvb, o + 6, 2, tvb.u16(o + 6));
    ctx.add(item, F['ymsg.len'], tvb, o + 8, 2, len);
    ctx.add(item, F['ymsg.service'], tvb, o + 10, 2, service);
    ctx.add(item, F['ymsg.status'], tvb, o + 12, 4, status);
    // (The session ID is little-endian in packet-ymsg.c, unlike the rest of the header.)
    ctx.add(item, F['ymsg.session_id'], tvb, o + 16, 4, tvb.u32le(o + 16));
    const start = o + HEADER, end = Math.min(start + len, tvb.length);
    if (len > 0) {
      const content = ctx.add(item, F['ymsg.content'], tvb, start, end - start, tvb.slice(start, end - start));
      // Key, separator, value, separator: one content line per pair.
      for (let p = start; p < end; ) {
        const keyEnd = separator(tvb, p, end);
        const valueAt = Math.min(keyEnd + 2, end);
        const valueEnd = separator(tvb, valueAt, end);
        const key = tvb.ascii(p, keyEnd - p), value = tvb.ascii(valueAt, valueEnd - valueAt);
        const line = ctx.add(content, F['ymsg.content-line'], tvb, p, Math.min(valueEnd + 2, end) - p, '', `${key}:${value}`);
        ctx.add(line, F['ymsg.content-line.key'], tvb, p, keyEnd - p, key);
        ctx.add(line, F['ymsg.content-line.value'], tvb, valueAt, valueEnd - valueAt, value);
        p = Math.min(valueEnd + 2, end);
      }
    }
    o += HEADER + len;
  }
  return true;
}

export const ymsgProtocol = defineProtocol('ymsg', 'Yahoo YMSG Messenger Protocol', dissectYmsg);
registerHeuristic('tcp', ymsgProtocol, looksLikeYmsg);
