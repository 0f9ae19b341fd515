// The Protocols tab: Wireshark's Protocol Hierarchy of the packets on display (stats.hierarchy),
// each protocol indented under the one that carried it, with its share of the packets and bytes
// and the packets in which it is the last layer. Asked for when the tab is shown, and again
// when the capture or the display filter changes: it dissects every packet on display (about
// 13 µs each), so it is not kept up to date in the background. A click on a row applies the
// protocol as a filter.
import { useEffect, useMemo, useState } from 'react';
import type { Hierarchy, HierarchyRow, SessionApi } from '../../app/session/contract.js';
import { DataTable, type Column } from './DataTable.js';
import { sizeText } from './panel-logic.js';

export interface ProtocolHierarchyTableProps {
  api: SessionApi;
  /** The session's file or capture (App's sourceKey). */
  source?: string;
  /** The display filter applied (the table counts the packets it shows). */
  filter: string;
  onApplyFilter(text: string): void;
}

/** Three no-break spaces a level: the cell's text keeps them (white-space: nowrap collapses plain ones). */
const INDENT = '\u00a0\u00a0\u00a0';

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '–';
}

/** A row and its place in the tree (two branches may hold the same protocol with the same counts). */
type Row = HierarchyRow & { at: number };

function columnsFor(total: { packets: number; bytes: number }): readonly Column<Row>[] {
  return [
    { key: 'name', title: 'Protocol', value: (r) => r.name, text: (r) => INDENT.repeat(r.depth) + r.name },
    { key: 'ppct', title: '% Packets', description: 'Share of the packets on display that carry it', value: (r) => r.packets, text: (r) => percent(r.packets, total.packets), numeric: true },
    { key: 'packets', title: 'Packets', value: (r) => r.packets, numeric: true },
    { key: 'bpct', title: '% Bytes', description: 'Share of the bytes on display in the packets that carry it', value: (r) => r.bytes, text: (r) => percent(r.bytes, total.bytes), numeric: true },
    { key: 'bytes', title: 'Bytes', value: (r) => r.bytes, text: (r) => sizeText(r.bytes), numeric: true },
    { key: 'endp', title: 'End Packets', description: 'Packets in which it is the last layer', value: (r) => r.endPackets, numeric: true },
    { key: 'endb', title: 'End Bytes', description: 'Bytes of the packets in which it is the last layer', value: (r) => r.endBytes, text: (r) => sizeText(r.endBytes), numeric: true },
  ];
}

export function ProtocolHierarchyTable({ api, source, filter, onApplyFilter }: ProtocolHierarchyTableProps) {
  const [table, setTable] = useState<(Hierarchy & { filter: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setTable(null);
    setError(null);
    api.call('stats.hierarchy', {}).then((h) => live && setTable(h), (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [api, source, filter]);
  const rows = useMemo<Row[]>(() => table?.rows.map((r, at) => ({ ...r, at })) ?? [], [table]);
  const waiting = filter ? `Counting the protocols of the packets "${filter}" shows…` : 'Counting the protocols of every packet… (once the analysis has read them all)';
  return (
    <DataTable label="Protocol hierarchy" columns={columnsFor(table ?? { packets: 0, bytes: 0 })} rows={rows} fixedOrder
      rowKey={(r) => String(r.at)} rowTitle={(r) => r.filter} onActivate={(r) => onApplyFilter(r.filter)}
      empty={error ? `No hierarchy: ${error}` : table ? 'No packets on display.' : waiting} />
  );
}
