// The contract between a stream transport (TCP) and the protocols it carries for PDUs that span
// segments: Wireshark's pinfo->can_desegment / desegment_offset / desegment_len, as values on
// the PacketContext's scratch so protocols still never import each other.
//
// How a protocol carried over TCP uses it (HTTP, TLS, DNS-over-TCP ...):
//
//   const need = pduLength(tvb, o);              // or "unknown yet" (headers not complete)
//   if (o + need > tvb.reportedLength && canDesegment(ctx)) {
//     requestDesegment(ctx, o, o + need - tvb.reportedLength);   // or DESEGMENT_ONE_MORE_SEGMENT
//     return;                                    // PDUs before `o` stay dissected in this frame
//   }
//
// - Parse PDUs from offset 0 of the tvb you are given. When the PDU starting at offset `o` is
//   not complete, call requestDesegment(ctx, o, missingBytes) and return. `missingBytes` counts
//   bytes needed *beyond the end of the tvb*; use DESEGMENT_ONE_MORE_SEGMENT when you cannot
//   tell yet (e.g. HTTP headers without the blank line), DESEGMENT_UNTIL_FIN for "to the end".
// - TCP then shows that frame as "[TCP segment of a reassembled PDU]" (when o == 0: your tree
//   nodes and layers of that call are dropped unless you ask with keepTree, your Info text is
//   kept, as tshark does), shows the following segments of the PDU without calling you, and
//   calls you again on the segment that completes it, with a tvb holding the whole reassembled
//   PDU. When you gave the length, that tvb holds the PDU alone, and the rest of the completing
//   segment comes in a call of its own after it (another layer, as tshark's
//   another_pdu_follows); with ONE_MORE_SEGMENT it runs to the end of the completing segment
//   (it may hold the start of the next PDU too, and you may ask again), and you are called
//   again on every next segment.
// - Only ask when canDesegment(ctx) is true (TCP sets it when the whole segment was captured).
//   When it is false, dissect what is there (typically truncated / "Continuation").
// - Set the Info column by assignment (`ctx.info = ...`), which is col_clear + col_add: TCP
//   keeps its analysis prefix ("[TCP Retransmission] ") in front of whatever you write. On the
//   rest of a segment after a PDU, the PDU's Info is fenced (col_set_fence): TCP puts it in
//   front of what you write, or, to join the two your own way (TLS: ", "), start from
//   fencedInfo(ctx).
//
// - A protocol that reads PDUs the way tcp_dissect_pdus does calls addPduSize(ctx, n) for each
//   whole PDU it dissects: tshark shows "[PDU Size: n]" in the transport's tree for it.
//
// Known limitations (first pass, in order): a segment that is not the next in sequence for a
// pending PDU (gap, overlap, out of order) abandons that PDU; a retransmission of bytes already
// collected is shown as a segment of the PDU. Node offsets inside a reassembled tvb are offsets
// into that reassembled buffer (see reassembledData()), not into the frame bytes.
import { fieldByName, type FieldDef } from './field.js';
import type { PacketContext } from './packet.js';
import type { FieldNode } from './tree.js';

/** Wireshark's DESEGMENT_ONE_MORE_SEGMENT: "I need more, but I do not know how much". */
export const DESEGMENT_ONE_MORE_SEGMENT = 0x0fffffff;
/**
 * Wireshark's DESEGMENT_UNTIL_FIN: the PDU runs to the end of this direction of the stream
 * (an HTTP/1.0 body without Content-Length). You are called again on the segment carrying
 * the FIN (which may have no payload of its own) with everything collected.
 */
export const DESEGMENT_UNTIL_FIN = 0x0ffffffe;

export interface DesegmentRequest {
  /** Offset in the tvb the protocol was given where the incomplete PDU starts. */
  offset: number;
  /** Bytes needed beyond the end of that tvb, or DESEGMENT_ONE_MORE_SEGMENT. */
  length: number;
  /**
   * Keep the protocol's tree and layer even when nothing before `offset` (0) was dissected:
   * TLS adds its (then empty) item before it looks at a record, HTTP only once the headers are in.
   */
  keepTree: boolean;
}

const CAN = 'desegment.can';
const REQUEST = 'desegment.request';
const REASSEMBLED = 'desegment.reassembled';
const FENCE = 'desegment.fence';
const PREFIX = 'desegment.analysis_prefix';
const FIN = 'desegment.fin';
const PDU_PARENT = 'desegment.pdu_parent';

/** Whether the transport will reassemble if asked (pinfo->can_desegment). */
export function canDesegment(ctx: PacketContext): boolean {
  return ctx.scratch[CAN] === true;
}

/** Asks the transport for `length` more bytes for the PDU starting at `offset`. */
export function requestDesegment(ctx: PacketContext, offset: number, length: number, keepTree = false): void {
  if (!canDesegment(ctx) || length <= 0) return;
  ctx.scratch[REQUEST] = { offset, length, keepTree } satisfies DesegmentRequest;
}

/** For the transport: allow/forbid requests for the next payload call and clear old ones. */
export function beginPayloadCall(ctx: PacketContext, can: boolean, reassembled: Uint8Array | null, fence = '', analysisPrefix = ''): void {
  // Cleared by assigning undefined, not `delete`: deleting would turn the per-packet scratch
  // object into a slow dictionary on every TCP payload.
  ctx.scratch[CAN] = can;
  ctx.scratch[REQUEST] = undefined;
  ctx.scratch[REASSEMBLED] = reassembled ?? undefined;
  ctx.scratch[FENCE] = fence || undefined;
  ctx.scratch[PREFIX] = analysisPrefix || undefined;
}

/**
 * A protocol called inside another protocol's byte stream (TLS's decrypted application data,
 * tls-app-data.ts): `call` runs with a payload call of its own (`can`: the stream reassembles
 * if asked; `reassembled`: the bytes are a reassembled PDU), and the transport's call that the
 * outer protocol is in is put back after. Returns what the inner protocol asked for.
 */
export function nestedPayloadCall(ctx: PacketContext, can: boolean, reassembled: Uint8Array | null, call: () => void): DesegmentRequest | null {
  const s = ctx.scratch;
  const saved = [s[CAN], s[REQUEST], s[REASSEMBLED], s[FENCE], s[PREFIX], s[FIN], s[PDU_PARENT]];
  beginPayloadCall(ctx, can, reassembled);
  // The transport's tree stays where "[PDU Size: n]" goes: tshark's tcp_dissect_pdus adds it
  // there for PDUs inside TLS too.
  s[FIN] = false;
  try {
    call();
    return endPayloadCall(ctx);
  } finally {
    [s[CAN], s[REQUEST], s[REASSEMBLED], s[FENCE], s[PREFIX], s[FIN], s[PDU_PARENT]] = saved;
  }
}

/** For the transport: whether the segment being handed on ends its direction (carries the FIN). */
export function setEndOfStream(ctx: PacketContext, fin: boolean): void {
  ctx.scratch[FIN] = fin;
}

/** Whether the bytes end where the sender closed (TCP FIN in this segment): a PDU that runs "until FIN" is whole. */
export function endOfStream(ctx: PacketContext): boolean {
  return ctx.scratch[FIN] === true;
}

/**
 * The transport's analysis prefix at the start of the Info column ('[TCP Fast Retransmission] ',
 * '' for none), fenced (col_prepend_fence_fstr): a protocol that prepends to the whole column
 * (SSH's "Client: ") puts its text before it, and a separator it appends follows it.
 */
export function analysisPrefix(ctx: PacketContext): string {
  return (ctx.scratch[PREFIX] as string | undefined) ?? '';
}

/** The Info text of the PDUs dissected before this call in the same segment ('' for none). */
export function fencedInfo(ctx: PacketContext): string {
  return (ctx.scratch[FENCE] as string | undefined) ?? '';
}

/**
 * Info for a protocol that appends its text with col_append_sep_str(", "): `mine` after the PDUs
 * dissected before this call in the segment (fencedInfo), with ", " when the column holds any
 * text, theirs or TCP's analysis prefix ("[TCP Fast Retransmission] , Application Data": the
 * transport puts the prefix in front of what the protocol writes). `separate` false: no ", ".
 */
export function separatedInfo(ctx: PacketContext, mine: string, separate = true): string {
  const fenced = fencedInfo(ctx);
  const afterText = fenced !== '' || analysisPrefix(ctx) !== '';
  return fenced + (afterText && separate && mine !== '' ? ', ' : '') + mine;
}

/** What the payload protocol asked for so far in this call (without forgetting it). */
export function pendingRequest(ctx: PacketContext): DesegmentRequest | null {
  return (ctx.scratch[REQUEST] as DesegmentRequest | undefined) ?? null;
}

/** For the transport: what the payload protocol asked for (and forget it). */
export function endPayloadCall(ctx: PacketContext): DesegmentRequest | null {
  const r = (ctx.scratch[REQUEST] as DesegmentRequest | undefined) ?? null;
  ctx.scratch[REQUEST] = undefined;
  ctx.scratch[CAN] = false;
  ctx.scratch[FENCE] = undefined;
  return r;
}

/** The reassembled bytes the current payload tvb is a view of, if it is a reassembled PDU. */
export function reassembledData(ctx: PacketContext): Uint8Array | null {
  return (ctx.scratch[REASSEMBLED] as Uint8Array | undefined) ?? null;
}

/** For the transport: its tree, where the payload's PDU sizes go (packet-tcp.c keeps it per layer). */
export function setPduSizeParent(ctx: PacketContext, node: FieldNode | null): void {
  ctx.scratch[PDU_PARENT] = node ?? undefined;
}

let pduSizeField: FieldDef | null | undefined;

/**
 * tcp_dissect_pdus' "[PDU Size: n]": a generated item in the transport's tree for each whole PDU
 * a protocol dissects there (the field is TCP's, found by name: protocols never import each other).
 */
export function addPduSize(ctx: PacketContext, size: number): void {
  const parent = ctx.scratch[PDU_PARENT] as FieldNode | undefined;
  if (!parent) return;
  if (pduSizeField === undefined) pduSizeField = fieldByName('tcp.pdu.size') ?? null;
  if (pduSizeField) ctx.addGenerated(parent, pduSizeField, size);
}
