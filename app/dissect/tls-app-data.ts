// Decrypted TLS application data handed to the protocol inside (HTTP ...), with PDUs that span
// records put back together, as tshark's desegment_ssl does it: each direction's plaintext is
// a byte stream of its own; a protocol that asks for more (desegment.ts's contract, as over TCP)
// gets the bytes of the next records added until its PDU is whole. A record that only carries
// part of a PDU shows "TLS segment data (n bytes)" and "[TLS segment of a reassembled PDU]";
// the record that completes it shows the fragment list ("[3 Reassembled TLS segments (8383
// bytes): #13(2372), #14(1724), #16(4287)]") before the protocol's tree, over the reassembled
// bytes ("Reassembled TLS").
//
// Decryption runs once, in frame order; what each record did (the steps below) is remembered
// for the frames dissected again (the desktop), which replay them instead of the stream state.
import { DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN, type DesegmentRequest } from './desegment.js';
import type { PacketContext } from './packet.js';
import { addFragmentTree, type FragmentFields, type FragmentPart } from './reassembly.js';
import type { FieldDef } from './field.js';
import type { FieldNode } from './tree.js';
import { Tvb } from './tvb.js';

/** A PDU being collected (tshark's multisegment PDU): stream offsets `seq` up to `next`. */
interface PendingPdu {
  seq: number;
  next: number;
  /** The protocol asked for "one more record" (DESEGMENT_ONE_MORE_SEGMENT): the next one is taken whole. */
  entire: boolean;
  parts: Array<FragmentPart & { data: Uint8Array }>;
}

/** One direction of a session's decrypted application data. */
export interface AppDataFlow {
  /** Stream offset of the next record's first byte. */
  seq: number;
  pending: PendingPdu | null;
}

export function newAppDataFlow(): AppDataFlow {
  return { seq: 0, pending: null };
}

const NO_BYTES = new Uint8Array(0);

/** Where a dissection leaves the records it decrypted, in order (Follow TLS Stream reads it). */
export const TLS_FOLLOW_SCRATCH = 'tls.follow';
export interface TlsFollowChunk {
  fromServer: boolean;
  /** Application data (what Follow TLS Stream shows); the other records only tell who was first. */
  appData: boolean;
  bytes: Uint8Array;
}

/** What one record's application data did, in order: replayed on a re-dissection. */
export type AppDataStep =
  /** The protocol called on the record's bytes from `offset`, or on `bytes`, a reassembled PDU with its parts. */
  | { kind: 'call'; bytes: Uint8Array; parts: FragmentPart[] | null; offset: number; segment: number }
  /** Bytes of the record that are part of a PDU not complete here: "TLS segment data"; `info`: the column says so. */
  | { kind: 'segment'; offset: number; length: number; info: boolean };

export interface AppDataFields {
  segmentData: FieldDef;
  fragments: FragmentFields;
}

export interface AppDataCall {
  ctx: PacketContext;
  /** TLS's tree item, where "TLS segment data" goes. */
  tls: FieldNode;
  fields: AppDataFields;
  /** Hands bytes to the protocol inside; returns what it asked for (null: nothing more). */
  call: (tvb: Tvb, reassembled: Uint8Array | null) => DesegmentRequest | null;
  /** Marks the frame a segment of a PDU (Protocol TLS's version, Info "[TLS segment of a reassembled PDU]"). */
  markSegment: () => void;
}

/** The stream offset where a PDU asked for with `request`, starting at `at`, whose bytes run to `end`, is whole. */
function nextPduAt(request: DesegmentRequest, end: number): { next: number; entire: boolean } {
  if (request.length === DESEGMENT_ONE_MORE_SEGMENT) return { next: end + 1, entire: true };
  // Until the sender closes: TLS never completes it (a close_notify is no FIN), as in tshark.
  if (request.length === DESEGMENT_UNTIL_FIN) return { next: end + 0x40000000, entire: false };
  return { next: end + request.length, entire: false };
}

function concat(parts: ReadonlyArray<{ data: Uint8Array }>): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.data.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p.data, o);
    o += p.data.length;
  }
  return out;
}

/**
 * The first pass over one record's plaintext `plain` (its own tvb, "Decrypted TLS"): hands it
 * on, collects it into a pending PDU, or both; returns the steps taken, to replay later.
 */
export function feedAppData(flow: AppDataFlow, plain: Tvb, c: AppDataCall): AppDataStep[] {
  const steps: AppDataStep[] = [];
  const frame = c.ctx.frame.number;
  let offset = 0;
  let seq = flow.seq;
  const end = flow.seq + plain.length;
  flow.seq = end;
  // An empty record (a TLS 1.3 record of padding alone) hands nothing on, as in tshark.
  while (offset < plain.length) {
    let follows = 0;
    const msp = flow.pending;
    if (msp && msp.seq <= seq && seq < msp.next) {
      const len = msp.entire ? plain.length - offset : Math.min(end, msp.next) - seq;
      msp.parts.push({ frame, offset: seq - msp.seq, length: len, data: plain.bytes.slice(plain.abs(offset), plain.abs(offset) + len) });
      if (msp.entire) {
        msp.entire = false;
        msp.next = end;
      }
      if (msp.next < end && len > 0) follows = msp.next - seq;
      if (end < msp.next) {
        // The middle of a PDU: nothing to dissect yet.
        steps.push({ kind: 'segment', offset, length: plain.length - offset, info: true });
        segmentStep(c, plain, offset, plain.length - offset, true);
        return steps;
      }
      // The record completes the PDU: its parts go to the protocol as one.
      const whole = concat(msp.parts);
      const before = whole.length - (plain.length - offset);
      const segment = follows || plain.length - offset;
      const parts = msp.parts.map(({ frame: f, offset: o, length: l }) => ({ frame: f, offset: o, length: l }));
      const request = callReassembled(c, plain, offset, segment, whole, parts);
      if (request && request.offset <= before) {
        // Still not whole (a header block that goes on): keep collecting.
        const at = nextPduAt(request, end);
        msp.next = at.next;
        msp.entire = at.entire;
        steps.push({ kind: 'segment', offset, length: plain.length - offset, info: request.offset === 0 });
        return steps;
      }
      steps.push({ kind: 'call', bytes: whole, parts, offset, segment });
      flow.pending = null;
      if (request) {
        // The end of this record starts the next PDU.
        const from = plain.length - (whole.length - request.offset);
        flow.pending = startPending(plain, from, seq + (from - offset), end, request, frame);
        steps.push({ kind: 'segment', offset: from, length: plain.length - from, info: false });
        segmentStep(c, plain, from, plain.length - from, false);
        return steps;
      }
    } else {
      const tvb = offset === 0 ? plain : plain.sub(offset, plain.length - offset);
      const request = c.call(tvb, null);
      // (The record's own bytes: a re-dissection has them from the record, nothing to keep.)
      steps.push({ kind: 'call', bytes: NO_BYTES, parts: null, offset, segment: 0 });
      if (request) {
        const from = offset + Math.max(0, request.offset);
        flow.pending = startPending(plain, from, seq + (from - offset), end, request, frame);
        steps.push({ kind: 'segment', offset: from, length: plain.length - from, info: request.offset <= 0 });
        segmentStep(c, plain, from, plain.length - from, request.offset <= 0);
      }
      return steps;
    }
    if (!follows) return steps;
    offset += follows;
    seq += follows;
  }
  return steps;
}

function startPending(plain: Tvb, from: number, seq: number, end: number, request: DesegmentRequest, frame: number): PendingPdu {
  const data = plain.bytes.slice(plain.abs(from), plain.abs(plain.length));
  const at = nextPduAt(request, end);
  return { seq, next: at.next, entire: at.entire, parts: [{ frame, offset: 0, length: data.length, data }] };
}

/** "TLS segment data (n bytes)" in TLS's tree, for the record's bytes [offset, offset + length). */
function addSegmentData(c: AppDataCall, plain: Tvb, offset: number, length: number): FieldNode | null {
  if (length <= 0 || !c.ctx.wants(c.fields.segmentData)) return null;
  return c.ctx.add(c.tls, c.fields.segmentData, plain, offset, length, plain.slice(offset, length), `TLS segment data (${length} bytes)`);
}

/** The segment data; `info`: the frame shows as a segment of a PDU. */
function segmentStep(c: AppDataCall, plain: Tvb, offset: number, length: number, info: boolean): void {
  addSegmentData(c, plain, offset, length);
  if (info) c.markSegment();
}

/**
 * The record's part of a reassembled PDU ("TLS segment data"), the fragment list, then the PDU
 * to the protocol; when the protocol still wants more from its start, the list and the
 * reassembled source are taken back (tshark shows them only for a whole PDU). A re-dissection
 * shows a PDU the first pass completed the same way.
 */
function callReassembled(c: AppDataCall, plain: Tvb, offset: number, segment: number, whole: Uint8Array, parts: FragmentPart[]): DesegmentRequest | null {
  const ctx = c.ctx;
  const seg = addSegmentData(c, plain, offset, segment);
  const tvb = new Tvb(whole, 0, whole.length, whole.length);
  ctx.nameSource(tvb, 'Reassembled TLS');
  const flatFrom = ctx.flat.length;
  const rootsFrom = ctx.roots.length;
  const list = addFragmentTree(ctx, null, c.fields.fragments, parts, whole);
  const flatTo = ctx.flat.length;
  const request = c.call(tvb, whole);
  if (request && request.offset <= whole.length - (plain.length - offset)) {
    const at = ctx.roots.indexOf(list);
    if (at >= rootsFrom) ctx.roots.splice(at, 1);
    ctx.flat.splice(flatFrom, flatTo - flatFrom);
    if (seg) ctx.removeNode(c.tls, seg);
    if (request.offset === 0) ctx.dropSource(tvb, request.keepTree);
    segmentStep(c, plain, offset, plain.length - offset, request.offset === 0);
  }
  return request;
}

/** A re-dissection: the steps the first pass took for this record, done again. */
export function replayAppData(steps: readonly AppDataStep[], plain: Tvb, c: AppDataCall): void {
  for (const s of steps) {
    if (s.kind === 'segment') {
      segmentStep(c, plain, s.offset, s.length, s.info);
      continue;
    }
    if (!s.parts) {
      // The record's own bytes, from where the first pass called: the same source ("Decrypted TLS").
      c.call(s.offset === 0 ? plain : plain.sub(s.offset, plain.length - s.offset), null);
      continue;
    }
    callReassembled(c, plain, s.offset, s.segment, s.bytes, s.parts);
  }
}
