// JXTA's TCP heuristic as tshark 4.0 runs it (packet-jxta.c dissect_jxta_TCP_heur): every TCP
// payload no port claims is read as JXTA message framing headers (a name length byte, the name,
// a value length, the value, until a name of length 0) to see whether it carries a content-type
// and a content-length. The walk checks each length against the *reported* bytes, and rejects a
// payload that runs past them; but it reads the lengths from the *captured* bytes, so on a
// segment the snaplen cut, random bytes can send it past the capture inside the reported
// length. That exception ends the packet as "[Packet size limited during capture: JXTA
// truncated]", which is what tshark shows for such segments (zeek/tcp/timestamp.pcap). Only a
// read that starts inside the captured bytes (or right at their end) can run out: past the
// end, tvb_reported_length_remaining answers 0 (its compute_offset fails), and the walk asks
// for more bytes, which a heuristic takes as a rejection.
//
// SynScope claims exactly those payloads. A real JXTA stream (a "JXTAHELLO " welcome, or framing
// headers that name a content type and length in captured bytes) is not dissected: it stays
// TCP payload, where tshark would show JXTA messages.
import { defineProtocol, registerHeuristic } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { TruncatedError, type Tvb } from '../tvb.js';

const WELCOME = 'JXTAHELLO ';

/**
 * The framing walk of dissect_jxta_message_framing's first pass, reading through `tvb` (so a
 * read past the captured bytes throws TruncatedError). 'reject' when the walk ends inside the
 * reported bytes or runs past them (a heuristic rejection either way, for random bytes: no
 * content type), 'framing' when it found a content type and a content length.
 */
function walkFraming(tvb: Tvb): 'reject' | 'framing' {
  const remaining = (o: number) => (o <= tvb.length ? tvb.reportedRemaining(o) : 0);
  let off = 0;
  let type = false, length = false;
  for (;;) {
    if (remaining(off) < 1) return 'reject';
    const nameLen = tvb.u8(off);
    off += 1;
    const nameOff = off;
    if (remaining(off) < nameLen) return 'reject';
    if (nameLen === 0) break;
    off += nameLen;
    if (remaining(off) < 2) return 'reject';
    const valueLen = tvb.u16(off);
    off += 2;
    const valueOff = off;
    if (remaining(off) < valueLen) return 'reject';
    off += valueLen;
    // tvb_strncaseeql answers "different" when the name is not all captured; the value is then read.
    if (nameLen === 12 && bytesAre(tvb, nameOff, 'content-type', true)) {
      tvb.check(valueOff, valueLen);
      type = true;
    }
    if (valueLen === 8 && nameLen === 14 && bytesAre(tvb, nameOff, 'content-length', true)) {
      tvb.check(valueOff, 8);
      length = true;
    }
  }
  return type && length ? 'framing' : 'reject';
}

/**
 * Whether the captured bytes at `off` are `text` (ASCII); with `anyCase`, `text` is lower case
 * and the bytes may be in any case. Compared in place: the heuristic looks at every TCP payload
 * no port claims, mostly random bytes.
 */
function bytesAre(tvb: Tvb, off: number, text: string, anyCase = false): boolean {
  if (!tvb.has(off, text.length)) return false;
  const b = tvb.bytes, at = tvb.abs(off);
  for (let i = 0; i < text.length; i++) {
    const c = b[at + i]!;
    if ((anyCase && c >= 0x41 && c <= 0x5a ? c + 0x20 : c) !== text.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether tshark's JXTA heuristic ends this payload with a truncation exception. */
function cutShortInFraming(tvb: Tvb): boolean {
  if (tvb.reportedLength < WELCOME.length) return false;
  if (bytesAre(tvb, 0, WELCOME)) return false;
  try {
    walkFraming(tvb);
    return false;
  } catch (e) {
    if (e instanceof TruncatedError) return true;
    throw e;
  }
}

/** Runs the walk again to throw its exception, before JXTA has added anything to the tree. */
function dissectJxta(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.removeNodeAnywhere(node);
  walkFraming(tvb);
}

export const jxtaProtocol = defineProtocol('jxta', 'JXTA P2P', dissectJxta, 'JXTA');
registerHeuristic('tcp', jxtaProtocol, cutShortInFraming);
