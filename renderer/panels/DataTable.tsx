// A small sortable table for the statistics panels: a click on a header sorts by it (again:
// the other way), a click or Enter on a row applies that row's filter.
import { useMemo, useState } from 'react';
import { sortRows, type SortDir } from './panel-logic.js';

export interface Column<T> {
  key: string;
  title: string;
  value(r: T): number | string;
  /** How the cell reads (defaults to the value). */
  text?(r: T): string;
  numeric?: boolean;
}

export interface DataTableProps<T> {
  label: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey(r: T): string;
  onActivate(r: T): void;
  /** Tooltip of a row (the filter it applies). */
  rowTitle?(r: T): string;
  initialSort?: { key: string; dir: SortDir };
  empty: string;
}

export function DataTable<T>({ label, columns, rows, rowKey, onActivate, rowTitle, initialSort, empty }: DataTableProps<T>) {
  const [sort, setSort] = useState<{ key: string; dir: SortDir } | null>(initialSort ?? null);
  const sorted = useMemo(() => {
    const col = sort && columns.find((c) => c.key === sort.key);
    return col ? sortRows(rows, col.value, sort!.dir) : [...rows];
  }, [rows, sort, columns]);
  return (
    <div className="panel-table-wrap">
      <table className="panel-table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : ''} aria-sort={sort?.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button type="button" onClick={() => setSort((s) => ({ key: c.key, dir: s?.key === c.key && s.dir === 'desc' ? 'asc' : s?.key === c.key ? 'desc' : c.numeric ? 'desc' : 'asc' }))}>
                  {c.title}{sort?.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.length === 0 && (
            <tr><td colSpan={columns.length} className="panel-empty">{empty}</td></tr>
          )}
          {sorted.map((r) => (
            <tr key={rowKey(r)} tabIndex={0} title={rowTitle?.(r)} onClick={() => onActivate(r)} onKeyDown={(e) => e.key === 'Enter' && onActivate(r)}>
              {columns.map((c) => <td key={c.key} className={c.numeric ? 'num' : ''}>{c.text ? c.text(r) : String(c.value(r))}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
