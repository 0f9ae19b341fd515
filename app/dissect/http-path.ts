// The parts of a request path as tshark's http_add_path_components_to_tree shows them under
// HTTP/2's ":path" header (RFC 3986 2.2): "Path segment: /big.txt" up to a general delimiter,
// then "Path sub segment: 1" for what the sub-delimiters split after it. Written as tshark's
// function runs, its way of carrying on past the second delimiter included, so the items match.
import { defineFields } from './field.js';
import type { PacketContext } from './packet.js';
import type { FieldNode } from './tree.js';
import type { Tvb } from './tvb.js';

export const httpPathFields = defineFields([
  { name: 'http.path_segment', label: 'Path segment', type: 'string' },
  { name: 'http.path_sub_segment', label: 'Path sub segment', type: 'string' },
] as const);

// tshark's sets (its sub-delimiters leave out RFC 3986's "=").
const GEN_DELIMS = ':?#[]@';
const SUB_DELIMS = "!$&'()*+,;";

/** The first of `set`'s characters in tvb[from, to), or -1. */
function find(tvb: Tvb, from: number, to: number, set: string): number {
  for (let i = from; i < to; i++) if (set.includes(String.fromCharCode(tvb.u8(i)))) return i;
  return -1;
}

/** The path at tvb[offset, offset + length) split below `item`, when it has a general delimiter. */
export function addPathComponents(ctx: PacketContext, tvb: Tvb, item: FieldNode, offset: number, length: number): void {
  const end = offset + length;
  const gen = find(tvb, offset, end, GEN_DELIMS);
  if (gen < 0) return;
  const compLen = gen - offset;
  while (end > offset) {
    const next = find(tvb, gen + 1, Math.min(end, gen + 1 + length - compLen), GEN_DELIMS);
    const subEnd = next < 0 ? end : next - 1;
    const segLen = Math.min(compLen, end - offset);
    ctx.add(item, httpPathFields['http.path_segment'], tvb, offset, segLen, tvb.ascii(offset, segLen));
    offset += compLen + 1;
    while (subEnd > offset) {
      const d = find(tvb, offset, subEnd, SUB_DELIMS);
      const to = d < 0 ? subEnd : d;
      ctx.add(item, httpPathFields['http.path_sub_segment'], tvb, offset, to - offset, tvb.ascii(offset, to - offset));
      offset = d < 0 ? subEnd : d + 1;
    }
  }
}
