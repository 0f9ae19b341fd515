// Frames dissected again, as the desktop does: every frame in order, then again in reverse with
// the same capture state (random access), for the tests that check a protocol's per-frame
// decisions are remembered.
import { treeText } from '../../app/cli/output.js';
import { CaptureState, dissect, type Dissection, type FrameInput } from '../../app/dissect/driver.js';
import { openCaptureFile } from '../../app/file/reader.js';
import type { KeyLog } from '../../app/dissect/tls-keylog.js';
import { tsharkRaw } from './tshark.js';
import { Session } from '../../app/session/session.js';
import type { TreeNode } from '../../app/session/contract.js';

/** The frames of a capture file, their bytes copied, numbered from 1. */
export function framesOf(file: string): FrameInput[] {
  const reader = openCaptureFile(file);
  const frames: FrameInput[] = [];
  for (let rec = reader.next(), n = 1; rec !== null; rec = reader.next(), n++) {
    if (rec instanceof Promise) throw new Error('synchronous reader expected');
    frames.push({ number: n, ts: rec.ts, capLen: rec.capLen, origLen: rec.origLen, linkType: rec.linkType, data: rec.data.slice() });
  }
  reader.close();
  return frames;
}

/** Every frame's Protocol, Info and -V text, dissected in order and then again in reverse. */
export function bothWays(file: string, keyLog?: KeyLog): [string[], string[]] {
  const frames = framesOf(file);
  const capture = new CaptureState({ revisits: true, keyLog });
  // As a session over a file: what can be read again from the frames is not kept (pdu-pieces.ts).
  capture.frameBytes = (n) => frames[n - 1]?.data ?? null;
  const text = (f: FrameInput) => dissectionText(dissect(f, capture, { tree: true }));
  const first = frames.map(text);
  const again = [...frames].reverse().map(text).reverse();
  return [first, again];
}

/** A frame as the revisit tests compare it: Protocol, Info, the -V text and its byte sources (the desktop's tabs). */
export function dissectionText(d: Dissection): string {
  const sources = d.sources.map((_, i) => `${d.ctx.sourceName(i)} (${d.sources[i]!.length})`).join(', ');
  return `${d.protocol} ${d.info}\n${treeText(d.roots, d.sources)}\nsources: ${sources}`;
}

/**
 * What a second look at a capture adds to its HTTP requests, which only later frames told:
 * "[Response in frame: N]" (tshark -2 adds it too). Returns the texts without those lines, and
 * per frame that had one, "frame<TAB>N", as `tshark -2 -T fields -e frame.number -e
 * http.response_in` prints the frames that have one.
 */
export function responsesFoundLater(texts: readonly string[]): { texts: string[]; found: string[] } {
  const found: string[] = [];
  const line = /\n\s+\[Response in frame: (\d+)\]/g;
  return {
    texts: texts.map((text, i) => text.replace(line, (_, n: string) => {
      found.push(`${i + 1}\t${n}`);
      return '';
    })),
    found,
  };
}

/** The frames `tshark -2` shows a "[Response in frame: N]" for, as responsesFoundLater lists them. */
export function tsharkResponsesFoundLater(file: string): string[] {
  const rows = tsharkRaw(file, ['-2', '-T', 'fields', '-e', 'frame.number', '-e', 'http.response_in']).stdout.split('\n');
  return rows.filter((row) => /^\d+\t\d+$/.test(row));
}

/**
 * Every frame's tree items as the desktop shows them (a Session's packet.detail, flattened in
 * order), the frames asked for last to first after the analysis: random access, as the
 * desktop's details are asked for. Index n - 1 holds frame n's.
 */
export async function desktopItems(file: string): Promise<TreeNode[][]> {
  const session = new Session({ indexInProcess: true });
  try {
    const { packets } = await session.handle('file.open', { path: file });
    await session.whenAnalyzed();
    const out: TreeNode[][] = [];
    for (let n = packets; n >= 1; n--) {
      const items: TreeNode[] = [];
      const walk = (nodes: readonly TreeNode[]) => nodes.forEach((node) => {
        items.push(node);
        if (node.children) walk(node.children);
      });
      walk((await session.handle('packet.detail', { number: n })).tree);
      out[n - 1] = items;
    }
    return out;
  } finally {
    await session.dispose();
  }
}
