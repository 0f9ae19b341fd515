// The packet list: a virtual grid that holds millions of rows by asking the session only for
// the rows on screen (packets.rows). Past a few million pixels the scrollbar is scaled (browsers
// cap element heights), while the wheel and keys still move row by row. Rows keep Wireshark's
// colouring; the selected row uses the selection colour. Keyboard: Up/Down, PageUp/PageDown,
// Home/End move the selection; the grid is one tab stop with aria-activedescendant.
// Clicking a column header sorts by it (packets.sort) as Wireshark does: ascending, then
// descending, then back to capture order; the selected packet stays selected.
import { memo, useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import type { PacketRow, SessionApi, TimeFormat } from '../../app/session/contract.js';
import { colorRuleClass } from '../lib/color-rules.js';
import type { ColumnId } from '../lib/row-filters.js';
import { RowCache } from '../state/row-cache.js';
import { fitWidth, textMeasure, type FitRule } from './column-fit.js';

export const ROW_HEIGHT = 22;
/** Tallest scroll area we create; beyond it the scrollbar maps proportionally. */
const MAX_SCROLL_PX = 8_000_000;
const OVERSCAN = 8;
/** Pixels a fitted column keeps beyond its widest text and padding (the header's border, rounding). */
const FIT_SLACK_PX = 3;

export interface ViewChange {
  /** Increases on every change; the kind says what to refetch. */
  seq: number;
  kind: 'all' | 'append';
  /** For 'append': rows from this index on are new. */
  from: number;
}

interface Column {
  id: ColumnId;
  title: string;
  width: number;
  align?: 'right';
  /** Fitted to the rows on screen when a capture opens and when the time format changes, widened for later rows (column-fit.ts). */
  fit?: FitRule;
  value(r: PacketRow): string;
}

const COLUMNS: Column[] = [
  { id: 'number', title: 'No.', width: 72, align: 'right', value: (r) => String(r.number) },
  { id: 'time', title: 'Time', width: 120, fit: { floor: 120, ceiling: 280 }, value: (r) => r.time },
  { id: 'source', title: 'Source', width: 170, fit: { floor: '255.255.255.255', ceiling: 300 }, value: (r) => r.source },
  { id: 'destination', title: 'Destination', width: 170, fit: { floor: '255.255.255.255', ceiling: 300 }, value: (r) => r.destination },
  { id: 'protocol', title: 'Protocol', width: 82, fit: { floor: 82, ceiling: 160 }, value: (r) => r.protocol },
  { id: 'length', title: 'Length', width: 80, align: 'right', value: (r) => String(r.length) },
  { id: 'info', title: 'Info', width: 0, value: (r) => r.info },
];

export interface PacketListProps {
  api: SessionApi;
  /** Rows in the current view. */
  total: number;
  viewChange: ViewChange;
  timeFormat: TimeFormat;
  selectedIndex: number | null;
  /** The user moved the selection; `row` is undefined only while it is still loading. */
  onSelect(index: number, row: PacketRow): void;
  /** Keep the last row in view as rows arrive (live capture). */
  follow: boolean;
  /** Bring this row into view when `seq` changes. */
  reveal: { index: number; seq: number } | null;
  onRowMenu(e: React.MouseEvent, row: PacketRow, column: ColumnId): void;
  /** Identifies the open file or capture: a new one starts in capture order. */
  source?: string;
  /** How far the file's analysis got (progress events): pending rows before it are asked for again. */
  analysed?: number;
}

interface SortState {
  column: ColumnId;
  descending: boolean;
}

/** Header clicks cycle: unsorted → ascending → descending → unsorted. */
function nextSort(cur: SortState | null, column: ColumnId): SortState | null {
  if (!cur || cur.column !== column) return { column, descending: false };
  return cur.descending ? null : { column, descending: true };
}

export function PacketList(props: PacketListProps) {
  const { api, total, viewChange, timeFormat, selectedIndex, onSelect, follow, reveal, onRowMenu, source, analysed } = props;
  const [, repaint] = useReducer((n: number) => n + 1, 0);
  const viewport = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(400);
  /** Fractional index of the first visible row (kept apart from scrollTop, which is scaled). */
  const [first, setFirst] = useState(0);
  const firstRef = useRef(0);
  const lastScrollTop = useRef(0);
  const pendingSelect = useRef<number | null>(null);
  const [widths, setWidths] = useState(() => COLUMNS.map((c) => c.width));
  const [sort, setSort] = useState<SortState | null>(null);
  /** A sort the session is still making (text columns of a big capture take seconds). */
  const [sorting, setSorting] = useState(false);
  /** The latest sort request: answers to older ones are ignored. */
  const sortSeq = useRef(0);

  const timeFormatRef = useRef(timeFormat);
  timeFormatRef.current = timeFormat;
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  const cacheRef = useRef<RowCache | null>(null);
  if (!cacheRef.current) {
    let scheduled = false;
    cacheRef.current = new RowCache(
      (start, end) => api.call('packets.rows', { start, end, timeFormat: timeFormatRef.current }),
      () => {
        // Resolve a selection made by key before its row was loaded (End on a million rows).
        const want = pendingSelect.current;
        if (want !== null && cacheRef.current!.isFresh(want)) {
          pendingSelect.current = null;
          onSelectRef.current(want, cacheRef.current!.row(want)!);
        }
        if (scheduled) return;
        scheduled = true;
        requestAnimationFrame(() => {
          scheduled = false;
          repaint();
        });
      },
    );
  }
  const cache = cacheRef.current;

  // Geometry: the visible row count and the (possibly scaled) scroll range.
  const visibleRows = Math.max(1, height / ROW_HEIGHT);
  const contentPx = Math.min(total * ROW_HEIGHT, MAX_SCROLL_PX);
  const maxScroll = Math.max(0, contentPx - height);
  const maxFirst = Math.max(0, total - visibleRows);
  const scrollFor = useCallback((f: number) => (maxFirst > 0 ? (f / maxFirst) * maxScroll : 0), [maxFirst, maxScroll]);

  const moveTo = useCallback(
    (f: number) => {
      const clamped = Math.min(Math.max(0, f), maxFirst);
      firstRef.current = clamped;
      setFirst(clamped);
      const el = viewport.current;
      if (el) {
        const top = scrollFor(clamped);
        lastScrollTop.current = top;
        el.scrollTop = top;
      }
    },
    [maxFirst, scrollFor],
  );

  useLayoutEffect(() => {
    const el = viewport.current!;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Invalidate what the session says changed; the time format changes every row.
  useEffect(() => {
    if (viewChange.kind === 'all') cache.invalidateAll();
    else cache.invalidateFrom(viewChange.from);
    repaint();
  }, [cache, viewChange]);
  useEffect(() => {
    if (analysed !== undefined && cache.analysedUpTo(analysed)) repaint();
  }, [cache, analysed]);
  const lastTimeFormat = useRef(timeFormat);
  useEffect(() => {
    if (lastTimeFormat.current === timeFormat) return;
    lastTimeFormat.current = timeFormat;
    cache.invalidateAll();
    repaint();
  }, [cache, timeFormat]);

  // Keep the first row within range when the view shrinks, and follow the end when asked.
  useLayoutEffect(() => {
    if (follow && total > 0) moveTo(maxFirst);
    else if (firstRef.current > maxFirst) moveTo(maxFirst);
  }, [follow, total, maxFirst, moveTo]);

  const revealRow = useCallback(
    (index: number) => {
      const f = firstRef.current;
      const fullRows = Math.floor(visibleRows);
      if (index < f) moveTo(index);
      else if (index >= f + fullRows) moveTo(index - fullRows + 1);
    },
    [moveTo, visibleRows],
  );

  useEffect(() => {
    if (reveal && reveal.index >= 0) {
      const f = firstRef.current;
      if (reveal.index < f || reveal.index >= f + Math.floor(visibleRows)) moveTo(reveal.index - Math.floor(visibleRows / 2));
    }
    // Only a new reveal request moves the view, not a resize or new rows.
  }, [reveal?.seq]);

  const firstRow = Math.floor(first);
  const lastRow = Math.min(total - 1, Math.ceil(first + visibleRows));
  useEffect(() => {
    cache.ensure(firstRow - OVERSCAN, lastRow + OVERSCAN, total);
  });

  // Fit the columns to the rows on screen once they are all loaded, for each capture and time
  // format; then widen them (never narrow) when rows brought on screen later need more room: a
  // filter or a scroll to packets far into the capture showed "142449802.44…" in a Time column
  // fitted to the first rows' "8.573300". A column the user resized keeps the user's width.
  const fittedFor = useRef('');
  const checkedRows = useRef('');
  const userResized = useRef(new Set<number>());
  const measureFor = useRef<{ font: string; measure: (text: string) => number } | null>(null);
  useEffect(() => {
    const key = `${source ?? ''}\n${timeFormat}`;
    if (total === 0) return;
    const onScreen: PacketRow[] = [];
    for (let i = Math.max(0, firstRow); i <= lastRow; i++) {
      const row = cache.row(i);
      if (!row || !cache.isFresh(i)) return;
      onScreen.push(row);
    }
    const fresh = fittedFor.current !== key;
    // The rows on screen, by the packets they show (a filter changes them in place).
    const rowsKey = `${key}\n${onScreen[0]?.number}\n${onScreen[onScreen.length - 1]?.number}\n${onScreen.length}`;
    if (!fresh && checkedRows.current === rowsKey) return;
    const cell = viewport.current?.querySelector('.packet-row .cell');
    if (!cell) return;
    fittedFor.current = key;
    checkedRows.current = rowsKey;
    const style = getComputedStyle(cell);
    // The parts, not style.font: its line height ("12.5px / 22px") is not a canvas font.
    const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    if (measureFor.current?.font !== font) measureFor.current = { font, measure: textMeasure(font) };
    const measure = measureFor.current.measure;
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + FIT_SLACK_PX;
    setWidths((w) => {
      const next = w.map((v, i) => {
        const c = COLUMNS[i]!;
        if (!c.fit || userResized.current.has(i)) return v;
        const fit = fitWidth(onScreen.map((r) => c.value(r)), c.title, c.fit, measure, padding);
        return fresh ? fit : Math.max(v, fit);
      });
      return next.some((v, i) => v !== w[i]) ? next : w;
    });
  });

  const onScroll = () => {
    const el = viewport.current!;
    // Our own scrollTop writes come back as scroll events: ignore those.
    if (Math.abs(el.scrollTop - lastScrollTop.current) < 1) return;
    lastScrollTop.current = el.scrollTop;
    const f = maxScroll > 0 ? (el.scrollTop / maxScroll) * maxFirst : 0;
    firstRef.current = f;
    setFirst(f);
  };

  // With a scaled scrollbar, the wheel still moves by rows, not by scaled pixels.
  useEffect(() => {
    const el = viewport.current!;
    const scaled = total * ROW_HEIGHT > MAX_SCROLL_PX;
    if (!scaled) return;
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const unit = e.deltaMode === 1 ? ROW_HEIGHT : e.deltaMode === 2 ? height : 1;
      moveTo(firstRef.current + (e.deltaY * unit) / ROW_HEIGHT);
    };
    el.addEventListener('wheel', wheel, { passive: false });
    return () => el.removeEventListener('wheel', wheel);
  }, [total, height, moveTo]);

  // The session starts every new source in capture order; so does the header.
  useEffect(() => {
    sortSeq.current++;
    setSort(null);
    setSorting(false);
  }, [source]);

  const sortBy = (column: ColumnId) => {
    const prev = sort;
    const next = nextSort(prev, column);
    const seq = ++sortSeq.current;
    const selectedRow = selectedIndex !== null ? cache.row(selectedIndex) : undefined;
    setSort(next);
    setSorting(true);
    const args = next ? { column: next.column, descending: next.descending } : { column: null };
    api.call('packets.sort', args).then(
      async () => {
        if (seq !== sortSeq.current) return;
        setSorting(false);
        cache.invalidateAll();
        repaint();
        if (!selectedRow) return;
        // Keep the selected packet selected, now at its sorted row, and in view.
        const index = await api.call('packets.find', { number: selectedRow.number });
        if (seq !== sortSeq.current || index < 0) return;
        onSelectRef.current(index, selectedRow);
        moveTo(index - Math.floor(visibleRows / 2));
      },
      () => {
        if (seq !== sortSeq.current) return;
        setSorting(false);
        setSort(prev);
      },
    );
  };

  const select = (index: number) => {
    if (total === 0) return;
    const i = Math.min(Math.max(0, index), total - 1);
    revealRow(i);
    const row = cache.row(i);
    if (row && cache.isFresh(i)) {
      pendingSelect.current = null;
      onSelect(i, row);
    } else {
      pendingSelect.current = i;
      cache.ensure(i, i, total);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const cur = selectedIndex ?? -1;
    const page = Math.max(1, Math.floor(visibleRows) - 1);
    switch (e.key) {
      case 'ArrowDown':
        select(cur + 1);
        break;
      case 'ArrowUp':
        select(cur < 0 ? 0 : cur - 1);
        break;
      case 'PageDown':
        select(cur + page);
        break;
      case 'PageUp':
        select(cur - page);
        break;
      case 'Home':
        select(0);
        break;
      case 'End':
        select(total - 1);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const startResize = (col: number, e: React.PointerEvent<HTMLSpanElement>) => {
    e.preventDefault();
    e.stopPropagation();
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    const x0 = e.clientX;
    const w0 = widths[col]!;
    userResized.current.add(col);
    const move = (ev: PointerEvent) => setWidths((w) => w.map((v, i) => (i === col ? Math.max(36, w0 + ev.clientX - x0) : v)));
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  };

  // Rows are memoised: give them callbacks that stay the same object across renders, so a
  // scroll step re-renders only the rows that came into view.
  const selectRef = useRef(select);
  selectRef.current = select;
  const menuRef = useRef(onRowMenu);
  menuRef.current = onRowMenu;
  const pick = useCallback((i: number) => selectRef.current(i), []);
  const menu = useCallback((e: React.MouseEvent, r: PacketRow, c: ColumnId) => menuRef.current(e, r, c), []);

  const template = widths.map((w, i) => (COLUMNS[i]!.id === 'info' ? 'minmax(200px, 1fr)' : `${w}px`)).join(' ');
  const rows: JSX.Element[] = [];
  for (let i = Math.max(0, firstRow); i <= lastRow; i++) {
    const row = cache.row(i);
    rows.push(<Row key={i} index={i} row={row} selected={i === selectedIndex} onPick={pick} onMenu={menu} />);
  }
  // The rows sit in a window that moves with the scroll position, offset by the fraction of
  // the first row that is scrolled off.
  const windowTop = scrollFor(first) - (first - firstRow) * ROW_HEIGHT;
  const activeId = selectedIndex !== null && selectedIndex >= firstRow && selectedIndex <= lastRow ? `packet-row-${selectedIndex}` : undefined;

  return (
    <div
      className="packet-list"
      role="grid"
      aria-label="Packets"
      aria-rowcount={total + 1}
      aria-colcount={COLUMNS.length}
      aria-activedescendant={activeId}
      aria-multiselectable={false}
      tabIndex={0}
      onKeyDown={onKeyDown}
      style={{ '--packet-columns': template } as React.CSSProperties}
    >
      <div className="packet-header" role="row" aria-rowindex={1}>
        {COLUMNS.map((c, i) => {
          const sorted = sort?.column === c.id ? sort : null;
          return (
            <div
              key={c.id}
              role="columnheader"
              className={c.align === 'right' ? 'cell right' : 'cell'}
              aria-sort={sorted ? (sorted.descending ? 'descending' : 'ascending') : 'none'}
              aria-busy={sorted && sorting ? true : undefined}
              title={`Sort by ${c.title}`}
              tabIndex={0}
              style={{ cursor: 'pointer' }}
              onClick={(e) => {
                // The end of a column resize is not a click on the header.
                if ((e.target as HTMLElement).closest('.col-resize')) return;
                sortBy(c.id);
              }}
              onKeyDown={(e) => {
                if (e.key !== 'Enter' && e.key !== ' ') return;
                e.preventDefault();
                e.stopPropagation();
                sortBy(c.id);
              }}
            >
              <span className="header-title">{c.title}</span>
              {sorted && <span className="sort-arrow" aria-hidden="true">{sorted.descending ? ' ▼' : ' ▲'}</span>}
              {c.id !== 'info' && <span className="col-resize" aria-hidden="true" onPointerDown={(e) => startResize(i, e)} />}
            </div>
          );
        })}
      </div>
      <div ref={viewport} className="packet-viewport" onScroll={onScroll}>
        <div className="packet-spacer" style={{ height: contentPx }}>
          <div className="packet-window" style={{ transform: `translateY(${windowTop}px)` }} role="rowgroup">
            {rows}
          </div>
        </div>
        {total === 0 && <div className="packet-empty">No packets</div>}
      </div>
      {sorting && sort && (
        <div className="sort-busy" aria-live="polite">
          Sorting by {COLUMNS.find((c) => c.id === sort.column)?.title ?? sort.column}…
        </div>
      )}
    </div>
  );
}

interface RowProps {
  index: number;
  row: PacketRow | undefined;
  selected: boolean;
  onPick(index: number): void;
  onMenu(e: React.MouseEvent, row: PacketRow, column: ColumnId): void;
}

const Row = memo(function Row({ index, row, selected, onPick, onMenu }: RowProps) {
  const cls = ['packet-row', row ? (row.pending ? 'pending' : colorRuleClass(row.colorRule)) : 'loading', selected ? 'selected' : '', row?.malformed ? 'malformed' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      id={`packet-row-${index}`}
      className={cls}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-coloring-rule={row?.colorRule}
      onMouseDown={(e) => {
        if (e.button === 0 || e.button === 2) onPick(index);
      }}
      onContextMenu={(e) => {
        e.preventDefault();
        if (!row) return;
        const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-col]');
        onMenu(e, row, (cell?.dataset.col as ColumnId | undefined) ?? 'info');
      }}
    >
      {COLUMNS.map((c) => (
        <div key={c.id} role="gridcell" data-col={c.id} className={c.align === 'right' ? 'cell right' : 'cell'}>
          {row?.pending && c.id === 'info' ? <span className="pending-note">analysing…</span> : row ? c.value(row) : ''}
        </div>
      ))}
    </div>
  );
});
