// NetBIOS Session Service (RFC 1002 4.3, TCP 139; and 445, SMB's direct hosting, whose
// framing is the same with a 24-bit length) as tshark 4.0's packet-nbns.c shows it: one item
// per message of a segment (type, flags, length; a session request's called and calling
// names, a negative response's error code, a retarget's address and port), messages over
// segments reassembled through TCP (desegment.ts), and a segment that does not start like a
// message shown as "NBSS Continuation Message".
//
// A session message's payload goes to tshark's "netbios" heuristics (SMB, SMB2); SynScope's SMB
// (smb.ts) does not decode the session commands, so it stays `data` (docs/tshark-differences.md).
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, MATCH_PORT_SCRATCH, register } from '../dispatch.js';
import { canDesegment, DESEGMENT_ONE_MORE_SEGMENT, reassembledData, requestDesegment } from '../desegment.js';
import { nameWithType, readNetbiosName } from '../netbios-name.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, type Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const SESSION_MESSAGE = 0x00;
const SESSION_REQUEST = 0x81;
const POSITIVE_RESPONSE = 0x82;
const NEGATIVE_RESPONSE = 0x83;
const RETARGET_RESPONSE = 0x84;
const KEEP_ALIVE = 0x85;
const TCP_PORT_CIFS = 445;
const FLAGS_E = 0x01;

const TYPES: Record<number, string> = {
  [SESSION_MESSAGE]: 'Session message', [SESSION_REQUEST]: 'Session request', [POSITIVE_RESPONSE]: 'Positive session response',
  [NEGATIVE_RESPONSE]: 'Negative session response', [RETARGET_RESPONSE]: 'Retarget session response', [KEEP_ALIVE]: 'Session keep-alive',
};
const ERRORS: Record<number, string> = {
  0x80: 'Not listening on called name', 0x81: 'Not listening for calling name', 0x82: 'Called name not present',
  0x83: 'Called name present, but insufficient resources', 0x8f: 'Unspecified error',
};

export const nbssFields = defineFields([
  { name: 'nbss.type', label: 'Message Type', type: 'uint8', base: 'hex', values: TYPES },
  { name: 'nbss.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'nbss.flags.e', label: 'Extend', type: 'boolean', mask: FLAGS_E, tf: ['Add 65536 to length', 'Add 0 to length'] },
  { name: 'nbss.length', label: 'Length', type: 'uint24' },
  { name: 'nbss.error_code', label: 'Error code', type: 'uint8', base: 'hex', values: ERRORS },
  { name: 'nbss.retarget_ip_address', label: 'Retarget IP address', type: 'ipv4' },
  { name: 'nbss.retarget_port', label: 'Retarget port', type: 'uint16' },
  { name: 'nbss.continuation_data', label: 'Continuation data', type: 'bytes' },
  { name: 'nbss.called_name', label: 'Called name', type: 'string' },
  { name: 'nbss.calling_name', label: 'Calling name', type: 'string' },
] as const);
const F = nbssFields;

const hex2 = (v: number) => v.toString(16).padStart(2, '0');

/** The length a message header at `o` gives (17 bits, or 24 for SMB's direct hosting). */
function messageLength(tvb: Tvb, o: number, cifs: boolean): number {
  if (cifs) return tvb.u24(o + 1);
  return tvb.u16(o + 2) + (tvb.u8(o + 1) & FLAGS_E ? 0x10000 : 0);
}

/** dissect_continuation_packet: the whole segment as continuation data. */
function continuation(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.info = 'NBSS Continuation Message';
  ctx.add(node, F['nbss.continuation_data'], tvb, 0, tvb.length, tvb.slice(0, tvb.length));
}

/** Whether a segment's first bytes do not look like a message (tshark then calls it a continuation). */
function looksLikeContinuation(tvb: Tvb, type: number): { cont: boolean; cifs: boolean } {
  if (tvb.length < 4) return { cont: true, cifs: false };
  // An SMB header after the NBSS one: SMB1's unix extensions and SMB2's multi-credit use 24 bits.
  const cifs = tvb.length >= 8 && type === SESSION_MESSAGE && tvb.u8(5) === 0x53 && tvb.u8(6) === 0x4d && tvb.u8(7) === 0x42;
  const flags = cifs ? 0 : tvb.u8(1);
  const length = messageLength(tvb, 0, cifs);
  if (flags & ~FLAGS_E) return { cont: true, cifs };
  switch (type) {
    case SESSION_MESSAGE: return { cont: length === 0, cifs };
    case SESSION_REQUEST: return { cont: length < 2 || length > 256, cifs };
    case POSITIVE_RESPONSE:
    case KEEP_ALIVE: return { cont: length !== 0, cifs };
    case NEGATIVE_RESPONSE: return { cont: length !== 1, cifs };
    case RETARGET_RESPONSE: return { cont: length !== 6, cifs };
    default: return { cont: true, cifs };
  }
}

/** dissect_nbss_packet: one message (its tvb holds the message alone); returns Info to append. */
function dissectMessage(tvb: Tvb, ctx: PacketContext, item: FieldNode, cifs: boolean): string {
  const type = tvb.u8(0);
  ctx.add(item, F['nbss.type'], tvb, 0, 1, type);
  if (cifs) {
    ctx.add(item, F['nbss.length'], tvb, 1, 3, tvb.u24(1));
  } else {
    const flags = tvb.u8(1);
    const fl = ctx.add(item, F['nbss.flags'], tvb, 1, 1, flags, () => `Flags: 0x${hex2(flags)}${flags & FLAGS_E ? ', Extend' : ''}`);
    ctx.add(fl, F['nbss.flags.e'], tvb, 1, 1, (flags & FLAGS_E) !== 0);
    ctx.add(item, F['nbss.length'], tvb, 1, 3, messageLength(tvb, 0, false));
  }
  let o = 4;
  switch (type) {
    case SESSION_REQUEST: {
      // Pointers in each name are relative to the name itself (packet-nbns.c).
      const called = readNetbiosName(tvb, o, o);
      ctx.add(item, F['nbss.called_name'], tvb, o, called.used, called.text, called.type === -1 ? undefined : () => `Called name: ${nameWithType(called)}`);
      o += called.used;
      let info = `, to ${called.text} `;
      try {
        const calling = readNetbiosName(tvb, o, o);
        ctx.add(item, F['nbss.calling_name'], tvb, o, calling.used, calling.text, calling.type === -1 ? undefined : () => `Calling name: ${nameWithType(calling)}`);
        info += `from ${calling.text}`;
      } catch (e) {
        (e as { nbssInfo?: string }).nbssInfo = info;
        throw e;
      }
      return info;
    }
    case NEGATIVE_RESPONSE: {
      const code = tvb.u8(o);
      ctx.add(item, F['nbss.error_code'], tvb, o, 1, code);
      return `, ${ERRORS[code] ?? `Unknown (${code.toString(16)})`}`;
    }
    case RETARGET_RESPONSE:
      ctx.add(item, F['nbss.retarget_ip_address'], tvb, o, 4, tvb.u32(o));
      ctx.add(item, F['nbss.retarget_port'], tvb, o + 4, 2, tvb.u16(o + 4));
      return '';
    case SESSION_MESSAGE:
      // tshark offers the payload to SMB/SMB2 (netbios heuristics); here it is data.
      if (tvb.reportedLength > o) callProtocol(dataProtocol, tvb.sub(o), ctx, ctx.upperParent);
      return '';
    default:
      return '';
  }
}

function dissectNbss(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'NBSS';
  ctx.info = '';
  const type = tvb.u8(0);
  let cifs = ctx.scratch[MATCH_PORT_SCRATCH] === TCP_PORT_CIFS;
  // Reassembled bytes start with a message; a segment may start inside one.
  if (reassembledData(ctx) === null) {
    const look = looksLikeContinuation(tvb, type);
    if (look.cont) {
      continuation(tvb, ctx, node);
      return;
    }
    cifs = look.cifs;
  }
  let info = TYPES[type] ?? `Unknown (${hex2(type)})`;
  ctx.info = info;
  let o = 0;
  let first = true;
  try {
    while (tvb.reportedRemaining(o) > 0) {
      const remaining = tvb.reportedRemaining(o);
      if (canDesegment(ctx) && remaining < 4) {
        requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT);
        return;
      }
      const plen = messageLength(tvb, o, cifs) + 4;
      if (canDesegment(ctx) && remaining < plen) {
        requestDesegment(ctx, o, plen - remaining);
        return;
      }
      // tvb_new_subset_length: a message longer than the segment's bytes is an error.
      if (plen > remaining) throw new MalformedError('NBSS message runs past the segment', tvb.abs(o));
      const msg = tvb.sub(o, plen, plen);
      let item: FieldNode;
      if (first) {
        item = node;
        ctx.setLength(node, plen);
        first = false;
      } else {
        item = ctx.add(ctx.upperParent, nbssProtocol.field, msg, 0, msg.length, null);
      }
      try {
        info += dissectMessage(msg, ctx, item, cifs);
      } catch (e) {
        const partial = (e as { nbssInfo?: string }).nbssInfo;
        if (partial) info += partial;
        throw e;
      }
      o += plen;
    }
  } finally {
    ctx.info = info;
  }
}

export const nbssProtocol = defineProtocol('nbss', 'NetBIOS Session Service', dissectNbss);
register('tcp.port', 139, nbssProtocol);
register('tcp.port', TCP_PORT_CIFS, nbssProtocol);
