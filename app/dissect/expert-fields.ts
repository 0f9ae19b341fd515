// The expert notes of a packet as the fields tshark gives them: `_ws.expert` (the item, its text
// "Expert Info (Warning/Undecoded): ..."), `_ws.expert.message`, `_ws.expert.severity` and
// `_ws.expert.group` (epan/proto.h's PI_* codes) and the note's Wireshark name where it has one
// (expert-names.ts: `tcp.connection.rst`), one set per Expert Info item, in the order
// the tree shows the items (where format.ts/present.ts draw them: in place of a note's own
// node, else among its node's children). A note tied to no node (a packet cut by the snaplen)
// has no item in tshark's tree and no fields. Filters (`_ws.expert.severity >= warning`) and
// `-T fields` read them; a pass that wants them builds the tree (driver.ts).
import { GROUP_CODES, SEVERITY_CODES } from './expert-codes.js';
import { expertNameField, expertNameIds } from './expert-names.js';
import { expertLabel } from './format.js';
import { wsFields } from './packet.js';
import type { ExpertNote, FieldNode } from './tree.js';

const F = wsFields;
const EXPERT_IDS = [F['_ws.expert'].id, F['_ws.expert.message'].id, F['_ws.expert.severity'].id, F['_ws.expert.group'].id];

/** A byte per field id: 1 for the expert fields and the notes' names (made on first use, once every field is registered). */
let expertMask: Uint8Array | null = null;

/**
 * Whether any of the expert fields (or of the notes' Wireshark names) is among `ids` (a filter's
 * or a field list's needs). Asked of every dissection: a walk of the few ids against a mask.
 */
export function wantsExpertFields(ids: ReadonlySet<number>): boolean {
  if (!expertMask) {
    const all = [...EXPERT_IDS, ...expertNameIds()];
    expertMask = new Uint8Array(Math.max(...all) + 1);
    for (const id of all) expertMask[id] = 1;
  }
  for (const id of ids) if (expertMask[id] === 1) return true;
  return false;
}

/** The notes of a tree in tree order (hidden nodes' notes too: tshark's fields include them). */
export function notesInTreeOrder(roots: readonly FieldNode[]): ExpertNote[] {
  const out: ExpertNote[] = [];
  const visit = (nodes: readonly FieldNode[]): void => {
    for (const n of nodes) {
      const e = n.expert;
      const kids = n.children ?? [];
      if (!e) visit(kids);
      else if (e.own) {
        out.push(e);
        visit(kids);
      } else {
        const at = Math.min(e.at ?? kids.length, kids.length);
        visit(kids.slice(0, at));
        out.push(e);
        visit(kids.slice(at));
      }
    }
  };
  visit(roots);
  return out;
}

/** The expert fields of a built tree, generated nodes without bytes. */
export function expertFieldNodes(roots: readonly FieldNode[]): FieldNode[] {
  const out: FieldNode[] = [];
  for (const e of notesInTreeOrder(roots)) {
    out.push(node(F['_ws.expert'], expertLabel(e)), node(F['_ws.expert.message'], e.message), node(F['_ws.expert.severity'], SEVERITY_CODES[e.severity]));
    const group = GROUP_CODES[e.group];
    if (group !== undefined) out.push(node(F['_ws.expert.group'], group));
    // The note's own item under it in tshark's tree (`tcp.connection.rst`), FT_NONE.
    const named = expertNameField(e);
    if (named) out.push(node(named, null));
  }
  return out;
}

function node(field: FieldNode['field'], value: string | number | null): FieldNode {
  return { field, start: 0, length: 0, value, generated: true };
}
