// `-T fields`: which fields were asked for, and one output line per packet, byte-identical
// with `tshark -T fields` for the same options (values as format.ts prints them, several
// occurrences joined by the aggregator, hidden fields included, columns as _ws.col.*).
import { fieldByName, type FieldDef } from '../dissect/field.js';
import { formatFieldValue, hexBytes } from '../dissect/format.js';
import type { FieldNode } from '../dissect/tree.js';
import type { FieldsOptions } from './args.js';
import { escapeFieldText, type SummaryColumns } from './output.js';

/** Column pseudo-fields tshark accepts with -e (its default column titles). */
export const COLUMN_FIELDS = ['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'] as const;
export type ColumnName = (typeof COLUMN_FIELDS)[number];

export class InvalidFieldsError extends Error {
  constructor(readonly names: string[]) {
    super(`Some fields aren't valid:\n${names.map((n) => `\t${n}`).join('\n')}`);
  }
}

export class FieldsPlan {
  /** Field id -> the output columns that print it. */
  private readonly byId = new Map<number, number[]>();
  private readonly columnOf: Array<ColumnName | null> = [];
  /** Ids to pass as DissectOptions.wanted. */
  readonly wanted = new Set<number>();
  readonly needsColumns: boolean;
  private readonly defs: Array<FieldDef | null> = [];

  constructor(readonly names: readonly string[], readonly opts: FieldsOptions) {
    const invalid: string[] = [];
    names.forEach((name, i) => {
      if ((COLUMN_FIELDS as readonly string[]).includes(name)) {
        this.columnOf.push(name as ColumnName);
        this.defs.push(null);
        return;
      }
      this.columnOf.push(null);
      const def = fieldByName(name);
      this.defs.push(def ?? null);
      if (!def) {
        invalid.push(name);
        return;
      }
      this.wanted.add(def.id);
      const cols = this.byId.get(def.id);
      if (cols) cols.push(i);
      else this.byId.set(def.id, [i]);
    });
    if (invalid.length) throw new InvalidFieldsError([...new Set(invalid)].sort());
    this.needsColumns = this.columnOf.some((c) => c !== null);
  }

  /** Whether a -e names the column (its text is made only then: a Time or an Info string per packet is not free). */
  printsColumn(col: ColumnName): boolean {
    return this.columnOf.includes(col);
  }

  header(): string {
    return this.names.join(this.opts.separator) + '\n';
  }

  /**
   * Whether a protocol's own field is printed whose value is its tree item's label (`-e ip`,
   * `-e dns`: protocolFieldText): the label is made only with a tree.
   */
  get printsProtocolLabels(): boolean {
    return this.defs.some((def) => def !== null && isProtocolLabel(def));
  }

  /** Values per output column for one packet, from the flat list or the whole tree; `sources`: the bytes the nodes point into. */
  collect(nodes: readonly FieldNode[], isTree: boolean, sources: readonly Uint8Array[] = []): string[][] {
    const vals: string[][] = this.names.map(() => []);
    const visit = (list: readonly FieldNode[]) => {
      for (const node of list) {
        const cols = this.byId.get(node.field.id);
        if (cols) {
          let v = node.field.type === 'protocol' && node.field.proto !== '_ws' ? protocolFieldText(node, sources) : node.fieldText ?? formatFieldValue(node.field, node.value);
          if (node.field.type === 'string') v = escapeFieldText(v);
          for (const c of cols) vals[c]!.push(v);
        }
        if (isTree && node.children) visit(node.children);
      }
    };
    visit(nodes);
    return vals;
  }

  line(nodes: readonly FieldNode[], isTree: boolean, columns: SummaryColumns | null, sources: readonly Uint8Array[] = []): string {
    const vals = this.collect(nodes, isTree, sources);
    const { separator, occurrence, aggregator, quote } = this.opts;
    let out = '';
    for (let i = 0; i < vals.length; i++) {
      if (i) out += separator;
      const col = this.columnOf[i];
      let v: string;
      if (col !== null && col !== undefined) {
        v = columns ? columnValue(columns, col) : '';
        if (v === '') continue;
      } else {
        const list = vals[i]!;
        if (list.length === 0) continue;
        v = occurrence === 'a' ? list.join(aggregator) : occurrence === 'f' ? list[0]! : list[list.length - 1]!;
      }
      if (quote) out += quote + v + quote;
      else out += v;
    }
    return out + '\n';
  }
}

/** A protocol's own field whose -T fields value is its item's label (protocolFieldText): `ip`, `dns`, not `data` or TCP's options. */
export function isProtocolLabel(def: FieldDef): boolean {
  return def.type === 'protocol' && def.proto !== '_ws' && def.name !== 'data' && def.protocolBytes !== true;
}

/**
 * A protocol's field as tshark -T fields prints it (epan/print.c, get_node_field_value): Data (a
 * payload no protocol took: `-e data`) and the protocols registered with FT_BYTES (TCP's
 * options) as the hex of their bytes; any other as the text its dissector wrote for its item
 * ("Internet Protocol Version 4, Src: ..., Dst: ..."), else its name (`smtp`, `tls`: an item
 * added without text has no label outside a shown tree; a text that is just the label is what
 * the tree shows for such an item, not one the dissector wrote). `fieldText` overrides. Not
 * for `_ws.expert` and `_ws.malformed`, whose value is their text.
 */
function protocolFieldText(node: FieldNode, sources: readonly Uint8Array[]): string {
  const def = node.field;
  if (node.fieldText !== undefined) return node.fieldText;
  if (def.name === 'data' || def.protocolBytes === true) {
    const bytes = sources[node.source ?? 0];
    return bytes ? hexBytes(bytes.subarray(node.start, node.start + node.length)) : '';
  }
  return node.text !== undefined && node.text !== def.label ? node.text : def.name;
}

function columnValue(c: SummaryColumns, col: ColumnName): string {
  switch (col) {
    case '_ws.col.No.': return String(c.no);
    case '_ws.col.Time': return c.time;
    case '_ws.col.Source': return c.src;
    case '_ws.col.Destination': return c.dst;
    case '_ws.col.Protocol': return c.protocol;
    case '_ws.col.Length': return String(c.length);
    case '_ws.col.Info': return c.info;
  }
}
