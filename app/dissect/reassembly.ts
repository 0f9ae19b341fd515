// Fragment reassembly for IPv4 and IPv6 (Wireshark's reassemble.c, fragment_add_check in
// spirit): fragments are collected on the first pass, keyed by the caller (addresses, ID,
// protocol); the frame that completes the datagram dissects the whole payload, earlier ones
// show "Fragmented IP protocol". The outcome is remembered per frame, so dissecting a frame
// again (random access, the UI) gives the same answer as the first pass.
// listFragments and assembleFragments are reassemble.c's defragmentation, shared with TCP for a
// PDU whose segments overlap (protocols/tcp.ts).
import type { FieldDef } from './field.js';
import { ITEM_LABEL_MAX } from './format.js';
import { forgetFramesBefore, type CaptureState, type PacketContext } from './packet.js';
import type { FieldNode } from './tree.js';

/** A fragment with its bytes, at its offset in the whole. */
export interface FragmentBytes {
  offset: number;
  data: Uint8Array;
  frame: number;
}

interface Datagram {
  parts: FragmentBytes[];
  /** Total payload length, known once the last fragment (MF=0) arrived. */
  total: number;
  completedBy: number;
  data: Uint8Array | null;
  /** The fragments as tshark lists them, once the datagram is complete. */
  listed: FragmentPart[];
}

/** What a fragment turned out to be, per frame. */
export interface FragmentOutcome {
  /** The reassembled payload when this frame completes the datagram, else null. */
  reassembled: Uint8Array | null;
  /** Frame that completed (or will complete) the datagram; 0 while incomplete. */
  completedBy: number;
  /** The fragments in offset order (known once complete), for tshark's "[Frame: 1, payload: 0-1479 (1480 bytes)]". */
  parts: FragmentPart[];
}

/** A fragment of a completed datagram as tshark lists it. */
export interface FragmentPart {
  frame: number;
  offset: number;
  length: number;
  overlap?: boolean;
  conflict?: boolean;
  tooLong?: boolean;
}

interface ReassemblyState {
  open: Map<string, Datagram>;
  byFrame: Map<number, { datagram: Datagram }>;
}

/** Bytes of a datagram we buffer at most (larger claims are treated as never completing). */
const MAX_DATAGRAM = 0x10000 + 0x10000;

export function addFragment(ctx: PacketContext, table: string, key: string, offset: number, data: Uint8Array, more: boolean): FragmentOutcome {
  const capture = ctx.capture;
  const state = capture.get<ReassemblyState>(`reassembly.${table}`, () => {
    const st: ReassemblyState = { open: new Map(), byFrame: new Map() };
    capture.onForget((first) => forgetBefore(st, first));
    return st;
  });
  const frame = ctx.frame.number;
  const seen = state.byFrame.get(frame);
  if (seen) return outcome(seen.datagram, frame);

  let d = state.open.get(key);
  // A datagram already completed earlier means this is a new one reusing the ID.
  if (!d || d.completedBy !== 0) {
    d = { parts: [], total: -1, completedBy: 0, data: null, listed: [] };
    state.open.set(key, d);
  }
  d.parts.push({ offset, data: data.slice(), frame });
  if (!more) d.total = offset + data.length;
  state.byFrame.set(frame, { datagram: d });

  if (d.total >= 0 && d.total <= MAX_DATAGRAM) {
    const buf = assembleFragments(d.parts, d.total);
    if (buf) {
      d.data = buf;
      d.completedBy = frame;
      d.listed = listFragments(d.parts, d.total);
      state.open.delete(key);
    }
  }
  return outcome(d, frame);
}

/**
 * A live ring evicted the frames before `first`: forget their outcomes, and the datagrams still
 * open whose every fragment was evicted (a fragment arriving later starts a new datagram;
 * Linux gives up on a datagram after ipfrag_time, 30 s, anyway).
 */
function forgetBefore(st: ReassemblyState, first: number): void {
  forgetFramesBefore(st.byFrame, first, (f) => f);
  for (const [key, d] of st.open) if (d.parts.every((p) => p.frame < first)) st.open.delete(key);
}

function outcome(d: Datagram, frame: number): FragmentOutcome {
  return { reassembled: d.completedBy === frame ? d.data : null, completedBy: d.completedBy, parts: d.listed };
}

/**
 * The parts in offset order (arrival order among equal offsets), each flagged as Wireshark's
 * defragmentation flags it: `overlap` when it starts before the bytes the parts before it
 * cover end, `conflict` when it gives any of those bytes another value (FD_OVERLAP,
 * FD_OVERLAPCONFLICT), `tooLong` when it runs past the datagram's end (FD_TOOLONGFRAGMENT).
 */
export function listFragments(parts: readonly FragmentBytes[], total: number): FragmentPart[] {
  const sorted = [...parts].sort((a, b) => a.offset - b.offset);
  const end = sorted.reduce((m, p) => Math.max(m, p.offset + p.data.length), 0);
  const seen = new Uint8Array(end);
  let covered = 0;
  return sorted.map((p) => {
    const part: FragmentPart = { frame: p.frame, offset: p.offset, length: p.data.length };
    if (p.offset < covered) {
      part.overlap = true;
      const to = Math.min(covered, p.offset + p.data.length);
      for (let i = p.offset; i < to; i++) if (seen[i] !== p.data[i - p.offset]) { part.conflict = true; break; }
    }
    if (p.offset + p.data.length > total) part.tooLong = true;
    // The bytes past what was covered are this part's; those before keep the earlier parts' values.
    if (p.offset + p.data.length > covered) seen.set(p.data.subarray(Math.max(0, covered - p.offset)), Math.max(covered, p.offset));
    covered = Math.max(covered, p.offset + p.data.length);
    return part;
  });
}

/**
 * Joins the parts if they cover [0, total) without a gap, as fragment_add_work does: in offset
 * order (arrival order among equal offsets), each part gives only the bytes the parts before it
 * have not covered, and nothing past `total`. So where fragments overlap, the one that sorts
 * first wins, not the one that came last.
 */
export function assembleFragments(parts: readonly FragmentBytes[], total: number): Uint8Array | null {
  const sorted = [...parts].sort((a, b) => a.offset - b.offset);
  let covered = 0;
  for (const p of sorted) {
    if (p.offset > covered) break;
    covered = Math.max(covered, p.offset + p.data.length);
  }
  if (covered < total) return null;
  const out = new Uint8Array(total);
  let filled = 0;
  for (const p of sorted) {
    const to = Math.min(total, p.offset + p.data.length);
    if (to <= filled) continue;
    out.set(p.data.subarray(filled - p.offset, to - p.offset), filled);
    filled = to;
  }
  return out;
}

/**
 * Copies the datagrams still open in `from` (fragments seen, datagram not yet complete) into
 * `to`, so that `to` continues reassembly exactly as `from` would from here on: a filter that
 * runs ahead of the in-order pass dissects the fragments it meets with such a fork, in order.
 * Outcomes of frames already seen are not copied (they belong to `from`'s frames).
 */
export function forkOpenDatagrams(from: CaptureState, to: CaptureState): void {
  for (const table of ['ip', 'ipv6']) {
    const src = from.peek<ReassemblyState>(`reassembly.${table}`);
    if (!src || src.open.size === 0) continue;
    const open = new Map<string, Datagram>();
    for (const [key, d] of src.open) open.set(key, { ...d, parts: [...d.parts] });
    to.get<ReassemblyState>(`reassembly.${table}`, () => ({ open, byFrame: new Map() }));
  }
}

/** The fields of a protocol's fragment list (Wireshark's fragment_items). */
export interface FragmentFields {
  /** The list itself ("IPv4 Fragments", "DATA fragments"): its label names the parts. */
  list: FieldDef;
  item: FieldDef;
  count: FieldDef;
  /** The reassembled length's item (QUIC's and TLS's handshake lists have none). */
  length?: FieldDef;
  /** The reassembled bytes, shown when a filter or -T fields asks for them. */
  data?: FieldDef;
  /** Show `data` in the tree too (IPv6's list does, IPv4's not). */
  showData?: boolean;
  /** The flags a fragment that overlaps earlier ones gets. */
  overlap?: FieldDef;
  conflict?: FieldDef;
  tooLong?: FieldDef;
  /** The field of a part whose data conflicts or runs too long, instead of `item` (reassemble.c's hf_fragment_error). */
  error?: FieldDef;
}

/** reassemble.c's show_fragment line for one part: "Frame: 5, payload: 0-199 (200 bytes)", "Frame: 6 (no data)". */
export function fragmentText(frame: number, offset: number, length: number): string {
  if (length === 0) return `Frame: ${frame} (no data)`;
  return `Frame: ${frame}, payload: ${offset}-${offset + length - 1} (${length} byte${length === 1 ? '' : 's'})`;
}

/**
 * tshark's fragment list on the frame that completes a reassembly (show_fragment_tree):
 * "[6 IPv4 Fragments (8320 bytes): #1(1480), #2(1480), ...]" (the list field's name, the item
 * field's for a single part: "1 DATA fragment (24 bytes)") with a "[Frame: 1, payload: 0-1479
 * (1480 bytes)]" line per part, the count and the length. Generated, with no bytes of its own:
 * the reassembled bytes are the next layer's source. The label is cut where Wireshark's buffer
 * ends, silently (it is appended to piece by piece).
 */
export function addFragmentTree(ctx: PacketContext, node: FieldNode | null, fields: FragmentFields,
  parts: readonly FragmentPart[], data: Uint8Array): FieldNode {
  const noun = parts.length === 1 ? fields.item.label : fields.list.label;
  const list = ctx.addGenerated(node, fields.list, fields.list.type === 'bytes' ? data : null,
    () => `${parts.length} ${noun} (${data.length} byte${data.length === 1 ? '' : 's'}): ${parts.map((p) => `#${p.frame}(${p.length})`).join(', ')}`.slice(0, ITEM_LABEL_MAX));
  for (const p of parts) {
    const item = ctx.addGenerated(list, (p.conflict || p.tooLong) && fields.error ? fields.error : fields.item, p.frame, () => fragmentText(p.frame, p.offset, p.length));
    if (p.overlap && fields.overlap) ctx.addGenerated(item, fields.overlap, true);
    if (p.conflict && fields.conflict) ctx.addGenerated(item, fields.conflict, true);
    if (p.tooLong && fields.tooLong) ctx.addGenerated(item, fields.tooLong, true);
  }
  ctx.addGenerated(list, fields.count, parts.length);
  if (fields.length) ctx.addGenerated(list, fields.length, data.length);
  if (fields.data && (fields.showData || ctx.wants(fields.data))) ctx.addGenerated(list, fields.data, data);
  return list;
}
