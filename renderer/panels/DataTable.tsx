// A sortable table for the statistics panels: a click on a header sorts by it (again: the other
// way), a click or Enter on a row applies that row's filter. Only the rows in view are in the
// document (a capture of a million packets has tens of thousands of conversations: as DOM rows
// they kept the page busy for tens of seconds); spacer rows stand for the others.
import { useEffect, useMemo, useRef, useState } from 'react';
import { sortRows, type SortDir } from './panel-logic.js';

export interface Column<T> {
  key: string;
  title: string;
  /** The header's tooltip (what a short title stands for). */
  description?: string;
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
  /** A class for a row (panels.css colours Expert info's rows by severity). */
  rowClass?(r: T): string;
  initialSort?: { key: string; dir: SortDir };
  /** Rows keep their order (a tree's, as the Protocols tab's): the headers do not sort. */
  fixedOrder?: boolean;
  empty: string;
}

/** Height of a body row in px (panels.css gives rows exactly this). */
export const ROW_HEIGHT = 22;
/** Rows drawn beyond each edge of the view, so a small scroll shows no gap. */
const OVERSCAN = 10;

/** The rows [first, last) to draw for a scroll position (header height included in scrollTop). */
export function rowWindow(scrollTop: number, viewHeight: number, headerHeight: number, count: number): { first: number; last: number } {
  const top = Math.max(0, scrollTop - headerHeight);
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((top + viewHeight) / ROW_HEIGHT) + OVERSCAN);
  return { first, last: Math.max(first, last) };
}

export function DataTable<T>({ label, columns, rows, rowKey, onActivate, rowTitle, rowClass, initialSort, fixedOrder, empty }: DataTableProps<T>) {
  const [sort, setSort] = useState<{ key: string; dir: SortDir } | null>(initialSort ?? null);
  const sorted = useMemo(() => {
    const col = sort && columns.find((c) => c.key === sort.key);
    return col ? sortRows(rows, col.value, sort!.dir) : [...rows];
  }, [rows, sort, columns]);
  const wrap = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLTableSectionElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const { first, last } = rowWindow(view.top, view.height, head.current?.offsetHeight ?? 0, sorted.length);
  return (
    <div className="panel-table-wrap" ref={wrap} onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}>
      <table className="panel-table" aria-label={label}>
        <thead ref={head}>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : ''} title={c.description} aria-sort={sort?.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                {fixedOrder ? <span className="panel-th">{c.title}</span> : (
                  <button type="button" onClick={() => setSort((s) => ({ key: c.key, dir: s?.key === c.key && s.dir === 'desc' ? 'asc' : s?.key === c.key ? 'desc' : c.numeric ? 'desc' : 'asc' }))}>
                    {c.title}{sort?.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.length === 0 && (
            <tr><td colSpan={columns.length} className="panel-empty">{empty}</td></tr>
          )}
          {first > 0 && <tr className="panel-spacer" aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />}
          {sorted.slice(first, last).map((r) => (
            <tr key={rowKey(r)} tabIndex={0} title={rowTitle?.(r)} className={rowClass?.(r)} onClick={() => onActivate(r)} onKeyDown={(e) => e.key === 'Enter' && onActivate(r)}>
              {columns.map((c) => <td key={c.key} className={c.numeric ? 'num' : ''}>{c.text ? c.text(r) : String(c.value(r))}</td>)}
            </tr>
          ))}
          {last < sorted.length && <tr className="panel-spacer" aria-hidden="true" style={{ height: (sorted.length - last) * ROW_HEIGHT }} />}
        </tbody>
      </table>
    </div>
  );
}
