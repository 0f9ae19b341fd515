// Linux netlink captures (LINKTYPE_NETLINK 253, the nlmon device) as tshark 4.0's
// packet-netlink.c shows them: a 16-byte cooked header (SLL's layout: the ARPHRD type and the
// netlink family in the protocol field), then netlink messages, each a 16-byte nlmsghdr and its
// payload. A family's dissector (netlink-route for NETLINK_ROUTE) is found in the
// "netlink.protocol" table and handed one message; control messages (type < 16) and families
// nobody registered show as "Netlink message" with their payload as data (NLMSG_ERROR: the
// error code and the header of the message it answers).
//
// Payloads are in the capturing host's byte order, which the file does not record: as
// packet-netlink.c, the first message's length is read both ways and the reading nearer to
// the bytes left wins. The family dissector gets the byte order, the message type, the
// length the header claims, and the header/attribute walkers below (Wireshark's
// packet_netlink_data and the dissect_netlink_* helpers it exports) through ctx.scratch.
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import { wsFields, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';
import { NETLINK_MESSAGE_SCRATCH, type AttributeDecoder, type NetlinkMessage } from '../netlink-message.js';
import { hex4 } from '../format.js';

// netlink_family_vals and linux_negative_errno_vals (tshark -G values for netlink.family / netlink.error).
const NETLINK_FAMILIES: Record<number, string> = {
  0: 'Route', 1: 'Unused', 2: 'User-mode socket protocols', 3: 'Unused (formerly: ip_queue)', 4: 'Socket monitoring',
  5: 'Netfilter ULOG', 6: 'IPsec', 7: 'SELinux events', 8: 'Open-iSCSI', 9: 'Auditing', 10: 'FIB lookup', 11: 'Kernel connector',
  12: 'Netfilter', 13: 'Unused (formerly: ip6_queue)', 14: 'DECnet routing messages', 15: 'Kernel messages to userspace',
  16: 'Generic', 18: 'SCSI Transports', 19: 'ecryptfs', 20: 'RDMA', 21: 'Crypto layer', 22: 'SMC monitoring',
};
const ERRNO_NAMES: Record<number, string> = {
  [-133]: 'Memory page has hardware error (-EHWPOISON)', [-132]: 'Operation not possible due to RF-kill (-ERFKILL)',
  [-131]: 'State not recoverable (-ENOTRECOVERABLE)', [-130]: 'Owner died (-EOWNERDEAD)',
  [-129]: 'Key was rejected by service (-EKEYREJECTED)', [-128]: 'Key has been revoked (-EKEYREVOKED)',
  [-127]: 'Key has expired (-EKEYEXPIRED)', [-126]: 'Required key not available (-ENOKEY)', [-125]: 'Operation Canceled (-ECANCELED)',
  [-124]: 'Wrong medium type (-EMEDIUMTYPE)', [-123]: 'No medium found (-ENOMEDIUM)', [-122]: 'Quota exceeded (-EDQUOT)',
  [-121]: 'Remote I/O error (-EREMOTEIO)', [-120]: 'Is a named type file (-EISNAM)', [-119]: 'No XENIX semaphores available (-ENAVAIL)',
  [-118]: 'Not a XENIX named type file (-ENOTNAM)', [-117]: 'Structure needs cleaning (-EUCLEAN)', [-116]: 'Stale file handle (-ESTALE)',
  [-115]: 'Operation now in progress (-EINPROGRESS)', [-114]: 'Operation already in progress (-EALREADY)',
  [-113]: 'No route to host (-EHOSTUNREACH)', [-112]: 'Host is down (-EHOSTDOWN)', [-111]: 'Connection refused (-ECONNREFUSED)',
  [-110]: 'Connection timed out (-ETIMEDOUT)', [-109]: 'Too many references: cannot splice (-ETOOMANYREFS)',
  [-108]: 'Cannot send after transport endpoint shutdown (-ESHUTDOWN)', [-107]: 'Transport endpoint is not connected (-ENOTCONN)',
  [-106]: 'Transport endpoint is already connected (-EISCONN)', [-105]: 'No buffer space available (-ENOBUFS)',
  [-104]: 'Connection reset by peer (-ECONNRESET)', [-103]: 'Software caused connection abort (-ECONNABORTED)',
  [-102]: 'Network dropped connection because of reset (-ENETRESET)', [-101]: 'Network is unreachable (-ENETUNREACH)',
  [-100]: 'Network is down (-ENETDOWN)', [-99]: 'Cannot assign requested address (-EADDRNOTAVAIL)',
  [-98]: 'Address already in use (-EADDRINUSE)', [-97]: 'Address family not supported by protocol (-EAFNOSUPPORT)',
  [-96]: 'Protocol family not supported (-EPFNOSUPPORT)', [-95]: 'Operation not supported on transport endpoint (-EOPNOTSUPP)',
  [-94]: 'Socket type not supported (-ESOCKTNOSUPPORT)', [-93]: 'Protocol not supported (-EPROTONOSUPPORT)',
  [-92]: 'Protocol not available (-ENOPROTOOPT)', [-91]: 'Protocol wrong type for socket (-EPROTOTYPE)',
  [-90]: 'Message too long (-EMSGSIZE)', [-89]: 'Destination address required (-EDESTADDRREQ)',
  [-88]: 'Socket operation on non-socket (-ENOTSOCK)', [-87]: 'Too many users (-EUSERS)', [-86]: 'Streams pipe error (-ESTRPIPE)',
  [-85]: 'Interrupted system call should be restarted (-ERESTART)', [-84]: 'Illegal byte sequence (-EILSEQ)',
  [-83]: 'Cannot exec a shared library directly (-ELIBEXEC)', [-82]: 'Attempting to link in too many shared libraries (-ELIBMAX)',
  [-81]: '.lib section in a.out corrupted (-ELIBSCN)', [-80]: 'Accessing a corrupted shared library (-ELIBBAD)',
  [-79]: 'Can not access a needed shared library (-ELIBACC)', [-78]: 'Remote address changed (-EREMCHG)',
  [-77]: 'File descriptor in bad state (-EBADFD)', [-76]: 'Name not unique on network (-ENOTUNIQ)',
  [-75]: 'Value too large for defined data type (-EOVERFLOW)', [-74]: 'Not a data message (-EBADMSG)',
  [-73]: 'RFS specific error (-EDOTDOT)', [-72]: 'Multihop attempted (-EMULTIHOP)', [-71]: 'Protocol error (-EPROTO)',
  [-70]: 'Communication error on send (-ECOMM)', [-69]: 'Srmount error (-ESRMNT)', [-68]: 'Advertise error (-EADV)',
  [-67]: 'Link has been severed (-ENOLINK)', [-66]: 'Object is remote (-EREMOTE)', [-65]: 'Package not installed (-ENOPKG)',
  [-64]: 'Machine is not on the network (-ENONET)', [-63]: 'Out of streams resources (-ENOSR)', [-62]: 'Timer expired (-ETIME)',
  [-61]: 'No data available (-ENODATA)', [-60]: 'Device not a stream (-ENOSTR)', [-59]: 'Bad font file format (-EBFONT)',
  [-58]: '(-58 ???)', [-57]: 'Invalid slot (-EBADSLT)', [-56]: 'Invalid request code (-EBADRQC)', [-55]: 'No anode (-ENOANO)',
  [-54]: 'Exchange full (-EXFULL)', [-53]: 'Invalid request descriptor (-EBADR)', [-52]: 'Invalid exchange (-EBADE)',
  [-51]: 'Level 2 halted (-EL2HLT)', [-50]: 'No CSI structure available (-ENOCSI)', [-49]: 'Protocol driver not attached (-EUNATCH)',
  [-48]: 'Link number out of range (-ELNRNG)', [-47]: 'Level 3 reset (-EL3RST)', [-46]: 'Level 3 halted (-EL3HLT)',
  [-45]: 'Level 2 not synchronized (-EL2NSYNC)', [-44]: 'Channel number out of range (-ECHRNG)', [-43]: 'Identifier removed (-EIDRM)',
  [-42]: 'No message of desired type (-ENOMSG)', [-41]: '(-41 ???)', [-40]: 'Too many symbolic links encountered (-ELOOP)',
  [-39]: 'Directory not empty (-ENOTEMPTY)', [-38]: 'Invalid system call number (-ENOSYS)', [-37]: 'No record locks available (-ENOLCK)',
  [-36]: 'File name too long (-ENAMETOOLONG)', [-35]: 'Resource deadlock would occur (-EDEADLK)',
  [-34]: 'Math result not representable (-ERANGE)', [-33]: 'Math argument out of domain of func (-EDOM)', [-32]: 'Broken pipe (-EPIPE)',
  [-31]: 'Too many links (-EMLINK)', [-30]: 'Read-only file system (-EROFS)', [-29]: 'Illegal seek (-ESPIPE)',
  [-28]: 'No space left on device (-ENOSPC)', [-27]: 'File too large (-EFBIG)', [-26]: 'Text file busy (-ETXTBSY)',
  [-25]: 'Not a typewriter (-ENOTTY)', [-24]: 'Too many open files (-EMFILE)', [-23]: 'File table overflow (-ENFILE)',
  [-22]: 'Invalid argument (-EINVAL)', [-21]: 'Is a directory (-EISDIR)', [-20]: 'Not a directory (-ENOTDIR)',
  [-19]: 'No such device (-ENODEV)', [-18]: 'Cross-device link (-EXDEV)', [-17]: 'File exists (-EEXIST)',
  [-16]: 'Device or resource busy (-EBUSY)', [-15]: 'Block device required (-ENOTBLK)', [-14]: 'Bad address (-EFAULT)',
  [-13]: 'Permission denied (-EACCES)', [-12]: 'Out of memory (-ENOMEM)', [-11]: 'Try again (-EAGAIN)',
  [-10]: 'No child processes (-ECHILD)', [-9]: 'Bad file number (-EBADF)', [-8]: 'Exec format error (-ENOEXEC)',
  [-7]: 'Argument list too long (-E2BIG)', [-6]: 'No such device or address (-ENXIO)', [-5]: 'I/O error (-EIO)',
  [-4]: 'Interrupted system call (-EINTR)', [-3]: 'No such process (-ESRCH)', [-2]: 'No such file or directory (-ENOENT)',
  [-1]: 'Operation not permitted (-EPERM)', 0: 'Success',
};
const CONTROL_TYPES: Record<number, string> = { 1: 'Nothing', 2: 'Error', 3: 'End of a dump', 4: 'Data lost' };

const NLMSG_ERROR = 2;
/** Message types below this are netlink's own control messages (NLMSG_MIN_TYPE). */
const NLMSG_MIN_TYPE = 0x10;
const ARPHRD_NETLINK = 824;
const NLM_F_REQUEST = 0x1;
/** More messages than any packet can hold (16 bytes each): ends a walk that would cycle. */
const MAX_MESSAGES = 65536;
const NLA_F_NESTED = 0x8000, NLA_F_NET_BYTEORDER = 0x4000, NLA_TYPE_MASK = 0x3fff;

export const netlinkFields = defineFields([
  { name: 'netlink.hatype', label: 'Link-layer address type', type: 'uint16', values: { [ARPHRD_NETLINK]: 'Netlink' } },
  { name: 'netlink.family', label: 'Family', type: 'uint16', base: 'hex', values: NETLINK_FAMILIES },
  { name: 'netlink.hdr_len', label: 'Length', type: 'uint32', description: 'Length of message including header' },
  { name: 'netlink.hdr_type', label: 'Message type', type: 'uint16', base: 'hex', values: CONTROL_TYPES, description: 'Type of message content' },
  { name: 'netlink.hdr_flags', label: 'Flags', type: 'uint16', base: 'hex', description: 'Additional flags' },
  { name: 'netlink.hdr_flags.request', label: 'Request', type: 'uint16', mask: 0x1, description: 'It is a request message' },
  { name: 'netlink.hdr_flags.multi', label: 'Multipart message', type: 'uint16', mask: 0x2, description: 'Part of multi-part message terminated by NLMSG_DONE' },
  { name: 'netlink.hdr_flags.ack', label: 'Ack', type: 'uint16', mask: 0x4, description: 'Asking for an ack' },
  { name: 'netlink.hdr_flags.echo', label: 'Echo', type: 'uint16', mask: 0x8, description: 'Echo this request' },
  { name: 'netlink.hdr_flags.dump_intr', label: 'Dump inconsistent', type: 'uint16', mask: 0x10, description: 'Dump was inconsistent due to sequence change' },
  { name: 'netlink.hdr_flags.dump_filtered', label: 'Dump filtered', type: 'uint16', mask: 0x20, description: 'Dump was filtered as requested' },
  { name: 'netlink.hdr_flags.root', label: 'Specify tree root', type: 'uint16', mask: 0x100, description: 'Return the complete table instead of a single entry' },
  { name: 'netlink.hdr_flags.match', label: 'Return all matching', type: 'uint16', mask: 0x200, description: 'Return all entries matching criteria in request' },
  { name: 'netlink.hdr_flags.atomic', label: 'Atomic', type: 'uint16', mask: 0x400, description: 'Return an atomic snapshot of the table' },
  { name: 'netlink.hdr_flags.replace', label: 'Replace', type: 'uint16', mask: 0x100, description: 'Replace existing objects' },
  { name: 'netlink.hdr_flags.excl', label: 'Excl', type: 'uint16', mask: 0x200, description: 'Do not replace existing objects' },
  { name: 'netlink.hdr_flags.create', label: 'Create', type: 'uint16', mask: 0x400, description: 'Create objects if it does not already exist' },
  { name: 'netlink.hdr_flags.append', label: 'Append', type: 'uint16', mask: 0x800, description: 'Add to end of object list' },
  { name: 'netlink.hdr_seq', label: 'Sequence', type: 'uint32', description: 'Sequence number' },
  { name: 'netlink.hdr_pid', label: 'Port ID', type: 'uint32', description: 'Sender port ID' },
  { name: 'netlink.attr_len', label: 'Len', type: 'uint16' },
  { name: 'netlink.attr_type', label: 'Type', type: 'uint16', base: 'hex', description: 'Netlink Attribute type' },
  { name: 'netlink.attr_type.nested', label: 'Nested', type: 'boolean', mask: NLA_F_NESTED, description: 'Carries nested attributes' },
  { name: 'netlink.attr_type.net_byteorder', label: 'Network byte order', type: 'boolean', mask: NLA_F_NET_BYTEORDER, description: 'Payload stored in host or network byte order' },
  { name: 'netlink.attr_data', label: 'Data', type: 'bytes' },
  { name: 'netlink.error', label: 'Error code', type: 'int32', values: ERRNO_NAMES, description: 'Negative errno or 0 for acknowledgements' },
] as const);
const F = netlinkFields;

const STANDARD_FLAGS = [
  F['netlink.hdr_flags.request'], F['netlink.hdr_flags.multi'], F['netlink.hdr_flags.ack'], F['netlink.hdr_flags.echo'],
  F['netlink.hdr_flags.dump_intr'], F['netlink.hdr_flags.dump_filtered'],
];
const GET_FLAGS = [...STANDARD_FLAGS, F['netlink.hdr_flags.root'], F['netlink.hdr_flags.match'], F['netlink.hdr_flags.atomic']];
const NEW_FLAGS = [...STANDARD_FLAGS, F['netlink.hdr_flags.replace'], F['netlink.hdr_flags.excl'], F['netlink.hdr_flags.create'], F['netlink.hdr_flags.append']];

function u16(tvb: Tvb, o: number, le: boolean): number {
  return le ? tvb.u16le(o) : tvb.u16(o);
}

function u32(tvb: Tvb, o: number, le: boolean): number {
  return le ? tvb.u32le(o) : tvb.u32(o);
}



/** show_exception's ContainedBoundsError: a read inside a message's claimed length but past the packet. */
const CONTAINED = 'length of contained item exceeds length of containing item';

class ContainedError extends Error {}

/**
 * A message's window as tshark's tvb_new_subset_length makes it: its reported length is the
 * length the header claims, even past the packet; a read past the packet (`contained` bytes
 * of the window) but inside that claim is a ContainedBoundsError, one past the claim a
 * malformed packet, one past the captured bytes inside the packet a capture cut short.
 */
class MessageTvb extends Tvb {
  constructor(bytes: Uint8Array, start: number, length: number, claimed: number, readonly contained: number) {
    super(bytes, start, length, claimed);
  }

  override check(offset: number, n: number): void {
    const end = offset + n;
    if (offset >= 0 && n >= 0 && end > this.contained && end <= this.reportedLength) throw new ContainedError(CONTAINED);
    super.check(offset, n);
  }
}

/** A flags word and a line per bit (proto_tree_add_bitmask: integer bits append nothing to the word's line). */
function addFlags(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, flags: number, bits: readonly FieldDef[]): void {
  const n = ctx.add(parent, F['netlink.hdr_flags'], tvb, o, 2, flags);
  for (const bit of bits) {
    const mask = bit.mask!;
    ctx.add(n, bit, tvb, o, 2, (flags & mask) / (mask & -mask));
  }
}

/** dissect_netlink_header: the nlmsghdr subtree; returns the offset after it. */
function addHeader(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, le: boolean, typeField: FieldDef | null): number {
  // proto_tree_add_subtree throws when its range is not in the packet: nothing of the header shows then.
  tvb.check(o, 16);
  const hdr = ctx.addText(parent, tvb, o, 16, 'Netlink message header');
  ctx.add(hdr, F['netlink.hdr_len'], tvb, o, 4, u32(tvb, o, le));
  const type = u16(tvb, o + 4, le);
  let names: Readonly<Record<number, string>> | undefined;
  if (type < NLMSG_MIN_TYPE) {
    ctx.add(hdr, F['netlink.hdr_type'], tvb, o + 4, 2, type);
    names = CONTROL_TYPES;
  } else if (typeField) {
    ctx.add(hdr, typeField, tvb, o + 4, 2, type);
    names = typeField.values;
  } else {
    ctx.add(hdr, F['netlink.hdr_type'], tvb, o + 4, 2, type, `Message type: Protocol-specific (${hex4(type)})`);
    names = CONTROL_TYPES;
  }
  ctx.setText(hdr, `Netlink message header (type: ${names?.[type] ?? hex4(type)})`);
  const flags = u16(tvb, o + 6, le);
  // packet-netlink.c cannot tell a GET request from a NEW one, so a request with any of the
  // 0x0f00 bits shows the flags word twice: with the GET names, then with the NEW names.
  if (flags & NLM_F_REQUEST && flags & 0x0f00) {
    addFlags(tvb, ctx, hdr, o + 6, flags, GET_FLAGS);
    addFlags(tvb, ctx, hdr, o + 6, flags, NEW_FLAGS);
  } else {
    addFlags(tvb, ctx, hdr, o + 6, flags, STANDARD_FLAGS);
  }
  ctx.add(hdr, F['netlink.hdr_seq'], tvb, o + 8, 4, u32(tvb, o + 8, le));
  ctx.add(hdr, F['netlink.hdr_pid'], tvb, o + 12, 4, u32(tvb, o + 12, le));
  return o + 16;
}

/**
 * dissect_netlink_attributes_to_end: rtattr/nlattr records from `o` (aligned to 4) to the
 * message's end, each an "Attribute" subtree with its Len, its Type (flag bits, then the
 * family's name for the type without them) and the decoder's lines or Data. A length under 4
 * ends the walk; one past the end is cut to what is left, as tshark does.
 */
function addAttributes(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, le: boolean, typeField: FieldDef, decode: AttributeDecoder): number {
  o += (4 - o) & 3;
  // tvb_ensure_reported_length_remaining: an offset past the captured bytes is an exception
  // (which one depends on how far past: the window's check says).
  if (o > tvb.length) tvb.check(o, 0);
  let length = tvb.reportedLength - o;
  while (length >= 4) {
    let len = u16(tvb, o, le);
    if (len < 4) break;
    len = Math.min(len, length);
    tvb.check(o, len);
    const attr = ctx.addText(parent, tvb, o, len, 'Attribute');
    let title = 'Attribute';
    ctx.add(attr, F['netlink.attr_len'], tvb, o, 2, u16(tvb, o, le));
    const raw = u16(tvb, o + 2, le);
    const type = raw & NLA_TYPE_MASK;
    let typeLine = `Type: ${hex4(raw)}`;
    const typeNode = ctx.add(attr, F['netlink.attr_type'], tvb, o + 2, 2, raw);
    ctx.add(typeNode, F['netlink.attr_type.nested'], tvb, o + 2, 2, (raw & NLA_F_NESTED) !== 0);
    ctx.add(typeNode, F['netlink.attr_type.net_byteorder'], tvb, o + 2, 2, (raw & NLA_F_NET_BYTEORDER) !== 0);
    ctx.add(typeNode, typeField, tvb, o + 2, 2, type);
    if (raw & NLA_F_NESTED) typeLine += ', Nested';
    const name = typeField.values?.[type];
    if (name !== undefined) {
      typeLine += `, ${name} (${type})`;
      title += `: ${name}`;
    }
    ctx.setText(typeNode, typeLine);
    ctx.setText(attr, title);
    if (!decode(tvb, ctx, attr, raw, o + 4, len - 4)) ctx.add(attr, F['netlink.attr_data'], tvb, o + 4, len - 4, tvb.slice(o + 4, len - 4));
    const step = Math.min((len + 3) & ~3, length);
    o += step;
    length -= step;
  }
  return o;
}

/** NLMSG_ERROR's payload: the (negative) errno, then the header of the message it answers. */
function addError(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, le: boolean): void {
  const code = u32(tvb, o, le) | 0;
  ctx.add(parent, F['netlink.error'], tvb, o, 4, code);
  // packet-netlink.c does not check that the quoted header is inside the message.
  addHeader(tvb, ctx, parent, o + 4, le, null);
}

/**
 * tvb_reported_length_remaining: what the packet says is left after `o`, but 0 when `o` is past
 * the captured bytes (the offset check fails): a walk whose next message starts past a
 * snaplen cut ends there quietly.
 */
function remaining(tvb: Tvb, o: number): number {
  return o < 0 || o > tvb.length ? 0 : tvb.reportedLength - o;
}

/**
 * show_exception for an exception that ends the packet inside netlink or a family's dissector:
 * the "[Malformed Packet: <protocol>...]" item and its note. Shown here rather than by the
 * driver because tshark adds no "[Packet size limited during capture]" to a malformed netlink
 * packet that the snaplen also cut.
 */
function malformedNote(ctx: PacketContext, line: string, info: string, detail: string): void {
  ctx.malformed = true;
  ctx.info += info;
  const note = ctx.addGenerated(null, wsFields['_ws.malformed'], null, line);
  ctx.addExpert(note, 'error', 'malformed', 'Malformed Packet (Exception occurred)', false, detail);
}

function dissectNetlink(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const saved = ctx.currentProtoName;
  try {
    return walkMessages(tvb, ctx, node);
  } catch (e) {
    if (e instanceof ContainedError) {
      malformedNote(ctx, `Malformed Packet: ${ctx.currentProtoName}: ${CONTAINED}`, `[Malformed Packet: ${CONTAINED}]`, CONTAINED);
    } else if (e instanceof MalformedError) {
      malformedNote(ctx, `Malformed Packet: ${ctx.currentProtoName}`, '[Malformed Packet]', e.message);
    } else {
      throw e;
    }
    ctx.currentProtoName = saved;
    return true;
  }
}

function walkMessages(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  // Too short for the ARPHRD type: tshark's exception comes before its item (the layer stays).
  if (!tvb.has(2, 2)) ctx.removeNode(null, node);
  if (tvb.u16(2) !== ARPHRD_NETLINK) return false;
  ctx.protocol = 'Netlink';
  ctx.info = '';
  if (ctx.tree) ctx.setText(node, 'Linux netlink (cooked header)');
  ctx.setLength(node, 16);
  ctx.add(node, F['netlink.hatype'], tvb, 2, 2, tvb.u16(2));
  const family = tvb.u16(14);
  ctx.add(node, F['netlink.family'], tvb, 14, 2, family);
  let o = 16;
  // The first message's length read both ways: the reading nearer to what is left wins.
  const rest = remaining(tvb, o);
  const lenLe = tvb.u32le(o), lenBe = tvb.u32(o);
  const le = !(Math.abs(lenBe - rest) < Math.abs(lenLe - rest));
  const proto = lookup('netlink.protocol', family);
  // packet-netlink.c's offsets are ints: a length of 0xffffffff steps back a byte and the walk
  // goes on from there. Lengths of 16 or more otherwise, so the guard only stops a cycle.
  for (let guard = 0; remaining(tvb, o) >= 16 && guard < MAX_MESSAGES; guard++) {
    const len = u32(tvb, o, le);
    if (len < 16) {
      // An impossible length: its line alone, and nothing more is read.
      const hdr = ctx.addText(null, tvb, o, 4, 'Netlink message header');
      ctx.add(hdr, F['netlink.hdr_len'], tvb, o, 4, len);
      break;
    }
    const type = u16(tvb, o + 4, le);
    // packet-netlink.c reads the port ID here (for the direction): a header cut short stops here.
    u32(tvb, o + 12, le);
    let dissected = false;
    if (proto && type >= NLMSG_MIN_TYPE && len > 16) {
      // The message's window claims its whole length even past the packet's end (tshark's
      // subset keeps the claimed length as its reported length); as a gint, 0xffffffff is "to
      // the end" of a window that claims no end, and any other length past 2^31 an exception.
      if (len > 0x7fffffff && len !== 0xffffffff) throw new MalformedError('message length past the packet', tvb.abs(o));
      const msg = new MessageTvb(tvb.bytes, tvb.start + o, Math.min(len, tvb.length - o), len, tvb.reportedLength - o);
      const data: NetlinkMessage = {
        le, type, length: len,
        header: (t, c, p, at, field) => addHeader(t, c, p, at, le, field),
        attributes: (t, c, p, at, field, decode) => addAttributes(t, c, p, at, le, field, decode),
        u16: (t, at) => u16(t, at, le),
        u32: (t, at) => u32(t, at, le),
      };
      ctx.scratch[NETLINK_MESSAGE_SCRATCH] = data;
      dissected = callProtocol(proto, msg, ctx, ctx.upperParent) !== null;
      // The family's dissector noted an exception of tshark's itself (a dissector bug): in
      // tshark it ends the packet's dissection.
      if (ctx.malformed) return true;
    }
    if (!dissected) {
      // The subtree's length is a gint in tshark: 0xffffffff is -1, "to the end"; the range must exist.
      const span = len === 0xffffffff ? tvb.reportedLength - o : len;
      tvb.check(o, span);
      const msgNode = ctx.addText(null, tvb, o, span, 'Netlink message');
      const after = addHeader(tvb, ctx, msgNode, o, le, null);
      if (type === NLMSG_ERROR) addError(tvb, ctx, msgNode, after, le);
      else if (len > 16) {
        // A payload length that is negative as a gint is an exception in tvb_new_subset_length.
        if (len - 16 > 0x7fffffff) throw new MalformedError('message length past the packet', tvb.abs(after));
        callProtocol(dataProtocol, tvb.sub(after, len - 16), ctx, msgNode);
      }
    }
    o = (o + len) | 0;
  }
  return true;
}

export const netlinkProtocol = defineProtocol('netlink', 'Linux netlink protocol', dissectNetlink, 'NETLINK');
// wtap_encap WTAP_ENCAP_NETLINK: LINKTYPE_NETLINK 253.
register('linktype', 253, netlinkProtocol);
