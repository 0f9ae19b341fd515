// The overview: one row per TCP connection (tcp.stream order) on one time axis, drawn on a
// canvas — only the rows on screen, so thousands of connections cost what thirty do. Each row
// shows its phases (handshake, established, half-closed, closed, reset, refused, half-open),
// markers for SYN, SYN-ACK, the handshake's ACK, FIN, RST, retransmissions and zero windows,
// and a badge when an alert names it. The wheel zooms around the pointer, a drag pans, a
// double-click fits the capture; a click or the arrow keys pick a connection.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ConnectionRow } from '../../app/session/contract.js';
import { fitWindow, panBy, tickLabel, ticks, timeAt, visibleRows, xOf, zoomAround, type TimeWindow } from './axis.js';
import { paletteFor, type TimelinePalette } from './colors.js';
import type { ConnectionBar, Mark } from './phases.js';

export const ROW_HEIGHT = 18;
const AXIS_HEIGHT = 22;
const LABEL_WIDTH = 230;

export interface TimelineOverviewProps {
  connections: readonly ConnectionRow[];
  /** The list has not come yet (the header says so instead of "0 connections"). */
  loading?: boolean;
  barOf(row: ConnectionRow): ConnectionBar;
  /** Called with the streams now on screen (their lifecycles get fetched). */
  onVisible(streams: number[]): void;
  /** Redraw trigger: changes whenever a bar changed. */
  version: number;
  alertsByStream: ReadonlyMap<number, number>;
  selectedStream: number | null;
  onSelectStream(stream: number): void;
  theme: 'light' | 'dark';
  /** Reports how long each redraw took (ms), for the smoothness measurement. */
  onFrameTime?(ms: number): void;
}

function drawMark(ctx: CanvasRenderingContext2D, m: Mark, x: number, y: number, h: number, p: TimelinePalette): void {
  ctx.fillStyle = p.mark[m.kind];
  ctx.strokeStyle = p.mark[m.kind];
  const mid = y + h / 2;
  switch (m.kind) {
    case 'syn': // a triangle pointing right: the opening
      ctx.beginPath(); ctx.moveTo(x - 3, mid - 5); ctx.lineTo(x + 3, mid); ctx.lineTo(x - 3, mid + 5); ctx.fill(); break;
    case 'syn-ack': // a triangle pointing left: the answer
      ctx.beginPath(); ctx.moveTo(x + 3, mid - 5); ctx.lineTo(x - 3, mid); ctx.lineTo(x + 3, mid + 5); ctx.fill(); break;
    case 'ack':
      ctx.beginPath(); ctx.arc(x, mid, 2.5, 0, Math.PI * 2); ctx.fill(); break;
    case 'fin':
      ctx.fillRect(x - 1, y + 1, 2, h - 2); break;
    case 'rst': // a cross
      ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(x - 4, mid - 4); ctx.lineTo(x + 4, mid + 4); ctx.moveTo(x + 4, mid - 4); ctx.lineTo(x - 4, mid + 4); ctx.stroke(); break;
    case 'retransmission':
      ctx.beginPath(); ctx.arc(x, y + 3, 2, 0, Math.PI * 2); ctx.fill(); break;
    case 'zero-window':
      ctx.fillRect(x - 2, y + h - 5, 4, 4); break;
  }
}

export function TimelineOverview(props: TimelineOverviewProps) {
  // `version` needs no reading: a new value re-renders, and every render redraws.
  const { connections, loading, barOf, onVisible, alertsByStream, selectedStream, onSelectStream, theme, onFrameTime } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 800, height: 240 });
  const [scrollTop, setScrollTop] = useState(0);
  const extent = useMemo(() => {
    let first = Infinity, last = -Infinity;
    for (const c of connections) {
      if (c.start < first) first = c.start;
      if (c.end > last) last = c.end;
    }
    return Number.isFinite(first) ? { first, last } : { first: 0, last: 1 };
  }, [connections]);
  const [win, setWin] = useState<TimeWindow | null>(null);
  /** The connection under the pointer: its whole description is the canvas's tooltip (the row's label may be cut). */
  const [hovered, setHovered] = useState<ConnectionRow | null>(null);
  // Until the user zooms or pans, the window follows the capture (a live one keeps growing).
  const view = win ?? fitWindow(extent.first, extent.last);
  const drag = useRef<{ x: number; win: TimeWindow; moved: boolean } | null>(null);
  const plotWidth = Math.max(10, size.width - LABEL_WIDTH);
  const rows = visibleRows(scrollTop, size.height - AXIS_HEIGHT, ROW_HEIGHT, connections.length);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const visibleStreams = connections.slice(rows.first, rows.last).map((c) => c.stream);
  const visibleKey = visibleStreams.join(',');
  useEffect(() => {
    // visibleKey stands for visibleStreams (a new array each render).
    if (visibleKey) onVisible(visibleKey.split(',').map(Number));
  }, [visibleKey, onVisible]);

  // Draw.
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const w = size.width, h = size.height;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const p = paletteFor(theme);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = p.background;
    ctx.fillRect(0, 0, w, h);
    ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
    ctx.textBaseline = 'middle';
    // Axis and grid.
    const tk = ticks(view, Math.max(2, Math.floor(plotWidth / 80)));
    ctx.strokeStyle = p.grid;
    ctx.lineWidth = 1;
    for (const t of tk.times) {
      const x = LABEL_WIDTH + Math.round(xOf(view, plotWidth, t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, AXIS_HEIGHT - 4); ctx.lineTo(x, h); ctx.stroke();
      ctx.fillStyle = p.mutedText;
      ctx.fillText(tickLabel(t, tk.step), x + 3, AXIS_HEIGHT / 2);
    }
    ctx.fillStyle = p.mutedText;
    const count = `${connections.length.toLocaleString('en')} connection${connections.length === 1 ? '' : 's'}`;
    ctx.fillText(!loading ? count : connections.length === 0 ? 'finding connections…' : `${count} so far…`, 6, AXIS_HEIGHT / 2);
    // Rows.
    ctx.save();
    ctx.beginPath(); ctx.rect(0, AXIS_HEIGHT, w, h - AXIS_HEIGHT); ctx.clip();
    for (let i = rows.first; i < rows.last; i++) {
      const row = connections[i]!;
      const y = AXIS_HEIGHT + i * ROW_HEIGHT - scrollTop;
      if (row.stream === selectedStream) { ctx.fillStyle = p.selectedRow; ctx.fillRect(0, y, w, ROW_HEIGHT); }
      else if (i % 2 === 1) { ctx.fillStyle = p.rowAlt; ctx.fillRect(0, y, w, ROW_HEIGHT); }
      ctx.fillStyle = p.text;
      const alerts = alertsByStream.get(row.stream) ?? 0;
      // The label stops short of the alert badge.
      const room = LABEL_WIDTH - (alerts > 0 ? 26 : 10);
      let label = `${row.stream}  ${row.client}:${row.clientPort} → ${row.server}:${row.serverPort}`;
      if (ctx.measureText(label).width > room) {
        while (label.length > 4 && ctx.measureText(label + '…').width > room) label = label.slice(0, -1);
        label += '…';
      }
      ctx.fillText(label, 6, y + ROW_HEIGHT / 2);
      if (alerts > 0) {
        ctx.fillStyle = p.badge;
        ctx.beginPath(); ctx.arc(LABEL_WIDTH - 12, y + ROW_HEIGHT / 2, 6, 0, Math.PI * 2); ctx.fill();
        ctx.fillStyle = '#ffffff';
        ctx.textAlign = 'center';
        ctx.fillText(alerts > 9 ? '9+' : String(alerts), LABEL_WIDTH - 12, y + ROW_HEIGHT / 2 + 0.5);
        ctx.textAlign = 'left';
      }
      const bar = barOf(row);
      ctx.save();
      ctx.beginPath(); ctx.rect(LABEL_WIDTH, y, plotWidth, ROW_HEIGHT); ctx.clip();
      for (const ph of bar.phases) {
        const x0 = LABEL_WIDTH + xOf(view, plotWidth, ph.start);
        const x1 = LABEL_WIDTH + xOf(view, plotWidth, ph.end);
        if (x1 < LABEL_WIDTH - 2 || x0 > w + 2) continue;
        ctx.fillStyle = p.phase[ph.kind];
        // A zero-length phase (a lone RST, a closing ACK) still shows: at least 2 px.
        ctx.fillRect(x0, y + 5, Math.max(2, x1 - x0), ROW_HEIGHT - 10);
      }
      let lastX = -10;
      for (const m of bar.marks) {
        const x = LABEL_WIDTH + xOf(view, plotWidth, m.time);
        if (x < LABEL_WIDTH - 5 || x > w + 5) continue;
        // Thousands of segments in a few pixels: one marker per pixel column and kind is enough.
        if (Math.abs(x - lastX) < 1 && m.kind === 'retransmission') continue;
        drawMark(ctx, m, x, y, ROW_HEIGHT, p);
        lastX = x;
      }
      ctx.restore();
    }
    ctx.restore();
    ctx.strokeStyle = p.grid;
    ctx.beginPath(); ctx.moveTo(LABEL_WIDTH - 0.5, 0); ctx.lineTo(LABEL_WIDTH - 0.5, h); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(0, AXIS_HEIGHT - 0.5); ctx.lineTo(w, AXIS_HEIGHT - 0.5); ctx.stroke();
    const ms = performance.now() - t0;
    // The last redraw's cost and the window shown, readable by tests and a curious user (devtools).
    c.dataset.frameMs = ms.toFixed(3);
    c.dataset.viewStart = String(view.start);
    c.dataset.viewEnd = String(view.end);
    c.dataset.plotWidth = String(plotWidth);
    onFrameTime?.(ms);
  });

  // The wheel zooms (or pans, sideways): a native listener, since React's are passive and
  // cannot keep the page from scrolling.
  const wheelState = useRef({ view, plotWidth });
  wheelState.current = { view, plotWidth };
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const onWheel = (e: WheelEvent) => {
      const { view: v, plotWidth: pw } = wheelState.current;
      const x = e.clientX - c.getBoundingClientRect().left - LABEL_WIDTH;
      if (x < 0) return; // over the labels: the wheel scrolls the rows
      e.preventDefault();
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) setWin(panBy(v, pw, -e.deltaX));
      else setWin(zoomAround(v, Math.exp(e.deltaY * 0.0015), timeAt(v, pw, x)));
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  }, []);

  const rowAtY = (clientY: number): ConnectionRow | undefined => {
    const r = canvas.current!.getBoundingClientRect();
    // The element's scroll offset, not the state's: the state follows a scroll event, which
    // comes a frame later, and a click in between picked the row that had been there.
    const y = clientY - r.top - AXIS_HEIGHT + (scroller.current?.scrollTop ?? scrollTop);
    return y >= 0 ? connections[Math.floor(y / ROW_HEIGHT)] : undefined;
  };

  const selectedIndex = connections.findIndex((c) => c.stream === selectedStream);
  const ensureVisible = (index: number) => {
    const el = scroller.current;
    if (!el) return;
    const top = index * ROW_HEIGHT, viewH = size.height - AXIS_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + viewH) el.scrollTop = top + ROW_HEIGHT - viewH;
  };
  // A connection chosen elsewhere (a packet of it selected in the list, the pane laid out
  // again for a smaller window) comes into view; scrolling by hand later leaves it, and so do
  // new rows (a live capture): only the choice or the height brings it back.
  const selectedFound = selectedIndex >= 0;
  useEffect(() => {
    if (selectedFound) ensureVisible(selectedIndex);
  }, [selectedStream, selectedFound, size.height]);

  return (
    <div
      ref={scroller}
      className="timeline-overview"
      tabIndex={0}
      role="listbox"
      aria-label={`Connections overview: ${connections.length} TCP connections`}
      aria-activedescendant={selectedStream !== null ? `timeline-conn-${selectedStream}` : undefined}
      data-connections={connections.length}
      data-loading={loading ? 'true' : 'false'}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={(e) => {
        const next = e.key === 'ArrowDown' ? selectedIndex + 1 : e.key === 'ArrowUp' ? selectedIndex - 1 : null;
        if (next === null || connections.length === 0) return;
        e.preventDefault();
        const i = Math.max(0, Math.min(connections.length - 1, next));
        onSelectStream(connections[i]!.stream);
        ensureVisible(i);
      }}
    >
      <div className="timeline-overview-spacer" style={{ height: AXIS_HEIGHT + connections.length * ROW_HEIGHT }}>
        <canvas
          ref={canvas}
          className="timeline-canvas"
          style={{ width: size.width, height: size.height }}
          onMouseDown={(e) => { drag.current = { x: e.clientX, win: view, moved: false }; }}
          onMouseMove={(e) => {
            const d = drag.current;
            if (!d || e.buttons !== 1) {
              const row = rowAtY(e.clientY) ?? null;
              if (row !== hovered) setHovered(row);
              return;
            }
            if (Math.abs(e.clientX - d.x) > 3) d.moved = true;
            if (d.moved) setWin(panBy(d.win, plotWidth, e.clientX - d.x));
          }}
          onMouseLeave={() => setHovered(null)}
          title={hovered ? connectionWords(hovered, alertsByStream.get(hovered.stream) ?? 0, true).join('\n') : undefined}
          onMouseUp={(e) => {
            const d = drag.current;
            drag.current = null;
            if (d?.moved) return;
            const row = rowAtY(e.clientY);
            if (row) onSelectStream(row.stream);
          }}
          onDoubleClick={() => setWin(null)}
        />
        {/* The rows for assistive technology (and tests): the canvas itself says nothing. */}
        <ul className="timeline-overview-rows">
          {connections.slice(rows.first, rows.last).map((c) => (
            <li key={c.stream} id={`timeline-conn-${c.stream}`} role="option" aria-selected={c.stream === selectedStream} data-stream={c.stream} data-end={c.endState}>
              {connectionWords(c, alertsByStream.get(c.stream) ?? 0, false).join(', ')}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/**
 * A connection in words: its endpoints in full, how it ended and its alerts (the rows read
 * aloud), and with `detail` what it did too (the tooltip, one part per line).
 */
function connectionWords(c: ConnectionRow, alerts: number, detail: boolean): string[] {
  const parts = [`tcp.stream ${c.stream}: ${c.client}:${c.clientPort} → ${c.server}:${c.serverPort}`, c.endState];
  if (detail) parts.push(c.summary, `${c.packets.toLocaleString('en')} packets, ${(c.end - c.start).toFixed(3)} s`);
  if (alerts > 0) parts.push(`${alerts} alert(s)`);
  return parts;
}
