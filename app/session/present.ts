// What the UI is shown for one packet: its list row (the summary columns `tshark -n -r`
// prints, built by the same dissection the CLI uses, plus the colouring rule) and its detail
// tree (the lines `tshark -V` prints, via app/cli/output.ts's formatNodeText, with byte ranges
// and an "Apply as filter" expression per node). Only rows someone asked for are formatted.
import type { Dissection } from '../dissect/driver.js';
import { fieldByName, type FieldDef } from '../dissect/field.js';
import { expertDetails, expertLabel, formatFieldValue, formatNodeText, hexBytes } from '../dissect/format.js';
import type { AbsTime, FieldNode } from '../dissect/tree.js';
import type { TimeColumnFormat } from '../cli/args.js';
import { timeColumn } from '../cli/output.js';
import { fieldSourceFromDissection } from '../filter/compile.js';
import { colorRuleFields, matchColorRule } from './colors.js';
import type { PacketDetail, PacketRow, TimeFormat, TreeNode } from './contract.js';

const TCP_STREAM = fieldByName('tcp.stream')!.id;

/** Fields a row's dissection keeps: the colouring rules' and tcp.stream. */
export const ROW_WANTED: ReadonlySet<number> = new Set([...colorRuleFields(), TCP_STREAM]);

/** The UI's time formats as tshark's -t formats (the same text as `tshark -t r|d|e|ad|ud`). */
const TSHARK_TIME_FORMAT: Readonly<Record<TimeFormat, TimeColumnFormat>> = { relative: 'r', delta: 'd', epoch: 'e', absolute: 'ad', utc: 'ud' };

/** The time column in the asked format, with the capture's timestamp precision. */
export function formatTime(fmt: TimeFormat, ts: AbsTime, first: AbsTime, prev: AbsTime | undefined, digits: number): string {
  return timeColumn(TSHARK_TIME_FORMAT[fmt], ts, first, prev, undefined, digits);
}

/** One row of the list from a dissection made with {tree: false, wanted: ROW_WANTED}. */
export function packetRow(d: Dissection, time: string): PacketRow {
  const row: PacketRow = {
    number: d.frame.number,
    time,
    source: d.src,
    destination: d.dst,
    protocol: d.protocol,
    length: d.frame.origLen,
    info: d.info,
  };
  const color = matchColorRule(fieldSourceFromDissection(d));
  if (color !== undefined) row.colorRule = color;
  for (const n of d.flat) {
    if (n.field.id === TCP_STREAM) {
      row.tcpStream = Number(n.value);
      break;
    }
  }
  if (d.malformed) row.malformed = true;
  return row;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/**
 * The filter Wireshark's "Apply as Filter → Selected" builds for a node: the protocol or a
 * presence test for items without a value, `name == value` otherwise (value as -T fields
 * prints it; strings quoted, bytes colon-separated).
 */
export function nodeFilter(n: FieldNode): string | undefined {
  const f: FieldDef = n.field;
  if (f.name.startsWith('_ws.') || f.name === 'text') return undefined;
  if (f.type === 'protocol' || f.type === 'none') return f.name;
  const v = n.value;
  if (v === null || v === undefined) return f.name;
  switch (f.type) {
    case 'string': return `${f.name} == ${quote(v as string)}`;
    case 'bytes': {
      const b = v as Uint8Array;
      return b.length === 0 ? f.name : `${f.name} == ${hexBytes(b, ':')}`;
    }
    case 'abstime': return undefined;
    case 'boolean': return `${f.name} == ${v ? 1 : 0}`;
    default: return `${f.name} == ${formatFieldValue(f, v)}`;
  }
}

function treeNodes(nodes: readonly FieldNode[]): TreeNode[] {
  const out: TreeNode[] = [];
  for (const n of nodes) {
    if (n.hidden) continue;
    const t: TreeNode = { field: n.field.name === '_ws.text' ? '' : n.field.name, label: formatNodeText(n), start: n.start, length: n.length, source: n.source ?? 0 };
    if (n.generated) t.generated = true;
    const filter = nodeFilter(n);
    if (filter !== undefined) t.filter = filter;
    const kids = n.children ? treeNodes(n.children) : [];
    const e = n.expert;
    if (!e) {
      if (kids.length) t.children = kids;
      out.push(t);
      continue;
    }
    const note = { severity: e.severity, message: e.detail ? `${e.message}: ${e.detail}` : e.message };
    t.expert = note;
    // The Expert Info item, as tshark -V and Wireshark's tree show it (format.ts expertLabel):
    // around the node when the node is the note's own field, else among its children.
    const [message, severity, group] = expertDetails(e);
    const item = (field: string, label: string): TreeNode => ({ field, label, start: t.start, length: t.length, source: t.source, generated: true });
    const info: TreeNode = { ...item('_ws.expert', `[${expertLabel(e)}]`), expert: note };
    if (e.own) {
      if (kids.length) t.children = kids;
      info.children = [t, item('_ws.expert.severity', severity), item('_ws.expert.group', group)];
      out.push(info);
      continue;
    }
    info.children = [item('_ws.expert.message', message), item('_ws.expert.severity', severity), item('_ws.expert.group', group)];
    // Where the note came among the children (hidden ones do not count here: count the visible).
    const at = visibleBefore(n.children ?? [], e.at ?? (n.children?.length ?? 0));
    t.children = [...kids.slice(0, at), info, ...kids.slice(at)];
    out.push(t);
  }
  return out;
}

/** How many of nodes[0, end) the tree shows. */
function visibleBefore(nodes: readonly FieldNode[], end: number): number {
  let k = 0;
  for (let i = 0; i < end && i < nodes.length; i++) if (!nodes[i]!.hidden) k++;
  return k;
}

/** The detail pane's content from a dissection made with {tree: true}. */
export function packetDetail(d: Dissection): PacketDetail {
  return {
    number: d.frame.number,
    tree: treeNodes(d.roots),
    sources: d.sources.map((b, i) => ({
      name: d.ctx.sourceName(i),
      bytes: Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'),
    })),
  };
}
