// Protocol Hierarchy Statistics (`read -z io,phs[,FILTER]`) as tshark 4.0's tap-protohierstat.c
// counts and prints them: each packet's top-level tree items in order (Frame, then Ethernet,
// IP, TCP, what TCP carried, a "[Reassembled TCP Segments]" item, a "[Malformed Packet]"...,
// as tshark builds the tree when it is not shown: see inTapOrder and NOT_IN_TAP_TREE)
// make a path from the root, each item a child of the one before it, found by its field (its
// filter name) among the children there or added after them; every item on the path counts the
// packet and its length. The table shows the tree below Frame, two spaces a level.
import type { FieldNode } from '../dissect/tree.js';

interface PhsNode {
  /** The item's filter name ("eth", "tcp.segments", "_ws.malformed"). */
  name: string;
  /** Its field's label ("Transmission Control Protocol", "Reassembled TCP Segments"). */
  label: string;
  frames: number;
  bytes: number;
  /** In the order they were first seen. */
  children: PhsNode[];
}

/** One item of the hierarchy (Wireshark's Protocol Hierarchy window: one row per protocol on a path). */
export interface HierarchyRow {
  /** Levels below the top (Ethernet 0, IP 1, TCP 2, ...). */
  depth: number;
  /** The item's filter name ("tcp", "tcp.segments", "_ws.malformed"). */
  filter: string;
  /** Its name in the packet details ("Transmission Control Protocol"). */
  name: string;
  packets: number;
  bytes: number;
  /** The packets (and their bytes) in which it is the last item. */
  endPackets: number;
  endBytes: number;
}

export interface Hierarchy {
  rows: HierarchyRow[];
  /** The packets counted and their bytes (Frame's). */
  packets: number;
  bytes: number;
}

export class ProtocolHierarchy {
  private readonly root: PhsNode = { name: '', label: '', frames: 0, bytes: 0, children: [] };

  /** Counts one packet: its top-level items (a dissection with a tree) and frame.len. */
  count(roots: readonly FieldNode[], frameLength: number): void {
    let level = this.root;
    for (const node of inTapOrder(roots)) {
      const name = node.field.name;
      if (NOT_IN_TAP_TREE.has(name)) continue;
      let child = level.children.find((c) => c.name === name);
      if (!child) level.children.push((child = { name, label: node.field.label, frames: 0, bytes: 0, children: [] }));
      child.frames++;
      child.bytes += frameLength;
      level = child;
    }
  }

  /**
   * The table as Wireshark's Protocol Hierarchy window lists it: every item in tree order, Frame
   * left out as in the text (what lies below it is the top), with the packets and bytes in
   * which it is the last item (Wireshark's "End Packets" and "End Bytes").
   */
  table(): Hierarchy {
    const rows: HierarchyRow[] = [];
    const walk = (nodes: readonly PhsNode[], depth: number): void => {
      for (const n of nodes) {
        if (n.name === 'frame') {
          walk(n.children, depth);
          continue;
        }
        const below = n.children.reduce((sum, c) => ({ frames: sum.frames + c.frames, bytes: sum.bytes + c.bytes }), { frames: 0, bytes: 0 });
        rows.push({ depth, filter: n.name, name: n.label, packets: n.frames, bytes: n.bytes, endPackets: n.frames - below.frames, endBytes: n.bytes - below.bytes });
        walk(n.children, depth + 1);
      }
    };
    walk(this.root.children, 0);
    const frame = this.root.children.find((c) => c.name === 'frame');
    return { rows, packets: frame?.frames ?? 0, bytes: frame?.bytes ?? 0 };
  }

  /** The table as `tshark -q -z io,phs[,FILTER]` prints it. */
  text(filter: string | null): string {
    return hierarchyText(this.table(), filter);
  }
}

/** A hierarchy (ProtocolHierarchy.table, or a session's answer) as `tshark -q -z io,phs[,FILTER]` prints it. */
export function hierarchyText(h: Hierarchy, filter: string | null): string {
  const rule = '='.repeat(67);
  let out = `\n${rule}\nProtocol Hierarchy Statistics\nFilter: ${filter ?? ''}\n\n`;
  for (const r of h.rows) {
    // tap-protohierstat.c's phs_draw: two spaces a level, "..." past 16, an 80-byte buffer.
    const indent = r.depth > 16 ? '  '.repeat(16) + '...' : '  '.repeat(r.depth);
    const label = `${indent}${r.filter}`.slice(0, 79);
    out += `${label.padEnd(40)} frames:${r.packets} bytes:${r.bytes}\n`;
  }
  return `${out}${rule}\n`;
}

/**
 * Items tshark 4.0 adds only to a tree that is shown (proto_field_is_referenced), which the tap's
 * is not: NFLOG's header.
 */
const NOT_IN_TAP_TREE = new Set(['nflog']);

/**
 * The top-level items in the order tshark's tap sees them. TCP adds "[N Reassembled TCP
 * Segments]" after the protocols of the PDU it put together, and moves it in front of them for
 * the tree (proto_tree_move_item) only when the tree is shown: the tap sees it after them. A PDU
 * that a FIN without data completes has its segments shown first on any tree (its last
 * segment is that FIN's, "#18(0)").
 */
function inTapOrder(roots: readonly FieldNode[]): readonly FieldNode[] {
  const at = roots.findIndex((n) => n.field.name === 'tcp.segments');
  if (at < 0 || /\(0\)$/.test(roots[at]!.text ?? '')) return roots;
  // The PDU's items read the reassembled bytes (a source other than the frame's).
  let end = at + 1;
  while (end < roots.length && (roots[end]!.source ?? 0) !== 0) end++;
  return [...roots.slice(0, at), ...roots.slice(at + 1, end), roots[at]!, ...roots.slice(end)];
}
