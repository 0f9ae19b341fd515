// The dissection driver: one packet in, one Dissection out. It catches everything per packet
// (STYLE rule 6): a truncated or malformed packet keeps the layers decoded so far and gets
// Wireshark's note; any other exception is a bug in a dissector, reported on that packet as
// malformed rather than stopping a file, a capture or the process.
import { callProtocol } from './dispatch.js';
import { wantsExpertFields } from './expert-fields.js';
import { showException } from './exception.js';
import { cutUtf8 } from './format.js';
import { CaptureState, PacketContext, type DissectOptions, type FrameInput } from './packet.js';
import { frameProtocol } from './protocols/frame.js';
import { Tvb } from './tvb.js';
import type { ExpertNote, FieldNode } from './tree.js';
import './protocols/index.js';

/** Wireshark's COL_MAX_INFO_LEN: the Info column's buffer, NUL included. */
const COL_MAX_INFO_LEN = 4096;

export interface Dissection {
  frame: FrameInput;
  /** Top-level nodes (frame, link layer, ...) when the tree was built. */
  roots: FieldNode[];
  /** Wanted nodes when the tree was not built. */
  flat: FieldNode[];
  layers: string[];
  protocol: string;
  info: string;
  src: string;
  dst: string;
  truncated: boolean;
  malformed: boolean;
  expert: ExpertNote[];
  /** Bytes nodes point into: [0] the frame, then reassembled buffers (FieldNode.source). */
  sources: Uint8Array[];
  ctx: PacketContext;
}

export { CaptureState };
export type { FrameInput, DissectOptions };

export function dissect(frame: FrameInput, capture: CaptureState, options: DissectOptions = { tree: true }): Dissection {
  // The expert fields are the notes in the order the tree shows them (expert-fields.ts): a
  // filter or field list that reads them gets the tree.
  if (!options.tree && options.wanted && wantsExpertFields(options.wanted)) options = { tree: true, owners: options.owners === true };
  const ctx = new PacketContext(frame, capture, options);
  const tvb = Tvb.of(frame.data, frame.origLen);
  try {
    callProtocol(frameProtocol, tvb, ctx, null);
  } catch (e) {
    showException(ctx, e);
  }
  return {
    frame,
    roots: ctx.roots,
    flat: ctx.flat,
    layers: ctx.layers,
    protocol: ctx.protocol,
    info: infoColumn(ctx.info),
    src: ctx.src,
    dst: ctx.dst,
    truncated: ctx.truncated,
    malformed: ctx.malformed,
    expert: ctx.expert,
    sources: ctx.sources,
    ctx,
  };
}

/**
 * The Info column of a dissection's Info text: Wireshark's holds COL_MAX_INFO_LEN (4096) bytes
 * with the NUL. A UTF-16 unit is at most 3 bytes of UTF-8, so shorter strings need no count.
 */
export function infoColumn(info: string): string {
  return info.length * 3 > COL_MAX_INFO_LEN - 1 ? cutUtf8(info, COL_MAX_INFO_LEN - 1) : info;
}
