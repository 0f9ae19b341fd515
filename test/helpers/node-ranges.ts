// What the fuzz tests require of every dissection: each node's byte range lies inside the bytes
// it points into (the frame, or a decrypted or reassembled source), and generated nodes have
// no bytes.
import { dissect, type CaptureState, type FrameInput } from '../../app/dissect/driver.js';
import type { DissectOptions } from '../../app/dissect/packet.js';
import type { FieldNode } from '../../app/dissect/tree.js';

/** Throws, naming `where`, at the first node outside its source. */
export function checkNodes(roots: readonly FieldNode[], sources: readonly Uint8Array[], where: string): void {
  const visit = (nodes: readonly FieldNode[]) => {
    for (const n of nodes) {
      if (n.generated && n.length !== 0) throw new Error(`${where}: generated node ${n.field.name} has length ${n.length}`);
      const capLen = sources[n.source ?? 0]?.length ?? -1;
      if (!(n.start >= 0 && n.length >= 0 && n.start + n.length <= capLen)) {
        throw new Error(`${where}: node ${n.field.name} [${n.start}, ${n.start + n.length}) outside the ${capLen} bytes of source ${n.source ?? 0}`);
      }
      if (n.children) visit(n.children);
    }
  };
  visit(roots);
}

/**
 * Dissects a (damaged) frame as the fuzz tests do: null when all went well, else the failure —
 * an exception that escaped dissect(), a node outside its bytes, a reported dissector bug.
 */
export function fuzzDissect(frame: FrameInput, capture: CaptureState, options: DissectOptions, where: string): string | null {
  try {
    const d = dissect(frame, capture, options);
    checkNodes(options.tree ? d.roots : d.flat, d.sources, where);
    const bug = d.expert.find((e) => e.message.includes('dissector bug'));
    if (bug) throw new Error(`${where}: ${bug.message}`);
    return null;
  } catch (e) {
    return e instanceof Error && e.message.startsWith('seed') ? e.message : `${where}: threw ${String(e)}`;
  }
}
