// The ladder of one connection (SVG): the client's lane on the left, the server's on the right,
// an arrow per segment with its flags, relative seq/ack/len and the time since the previous
// segment, each side's state written on its lane where it changes, and long runs of plain data
// folded into one step that opens on a click. Above it: the completeness verdict in words, the
// handshake RTT and each side's SYN options. Clicking an arrow selects that packet; the selected
// packet's arrow is highlighted (and its folded run opened).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ConnectionLifecycle, ConnectionRow } from '../../app/session/contract.js';
import { ladderArrows, ladderSteps, millis, optionsText, initialStates, type LadderArrow, type LadderRun } from './ladder-model.js';

const STEP = 38;
const RUN_STEP = 44;
/** Advance of one character of the ladder's 11 px monospace text (.ladder-svg), a little over. */
const MONO_CHAR_WIDTH = 6.8;
const TOP = 58;
const MARGIN = 130;

export interface LadderDiagramProps {
  lifecycle: ConnectionLifecycle;
  row?: ConnectionRow;
  selectedFrame: number | null;
  onSelectPacket(frame: number): void;
}

function seqText(a: LadderArrow): string {
  return `seq=${a.seq}${a.hasAck ? ` ack=${a.ack}` : ''} len=${a.len} win=${a.window}`;
}

function deltaText(s: number): string {
  if (s === 0) return '+0';
  if (s < 1e-3) return `+${(s * 1e6).toFixed(0)} µs`;
  if (s < 1) return `+${(s * 1e3).toFixed(3)} ms`;
  return `+${s.toFixed(3)} s`;
}

export function LadderDiagram({ lifecycle: c, row, selectedFrame, onSelectPacket }: LadderDiagramProps) {
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(720);
  useEffect(() => setExpanded(new Set()), [c.stream]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(480, el.clientWidth - 4)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const arrows = useMemo(() => ladderArrows(c), [c]);
  const inConnection = selectedFrame !== null && arrows.some((a) => a.frame === selectedFrame);
  const steps = useMemo(() => ladderSteps(arrows, { expanded, reveal: inConnection ? selectedFrame! : undefined }), [arrows, expanded, inConnection, selectedFrame]);
  const start = initialStates(c);
  const left = MARGIN, right = width - MARGIN;
  let y = TOP;
  const placed = steps.map((s) => {
    const at = y;
    y += s.type === 'run' ? RUN_STEP : STEP;
    return { s, y: at };
  });
  const height = y + 16;

  // Bring the selected arrow into view.
  useEffect(() => {
    if (!inConnection) return;
    // Scroll only the ladder's own box (scrollIntoView would scroll every ancestor, panes included).
    const el = box.current, arrow = el?.querySelector(`[data-frame="${selectedFrame}"]`);
    if (!el || !arrow) return;
    const top = arrow.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop;
    if (top < el.scrollTop + 10 || top > el.scrollTop + el.clientHeight - STEP) el.scrollTop = Math.max(0, top - el.clientHeight / 3);
  }, [selectedFrame, inConnection, steps]);

  const H = c.handshake, N = c.negotiated;
  return (
    <div className="ladder">
      <div className="ladder-facts">
        <div className="ladder-verdict" data-testid="ladder-verdict">{row?.summary ?? `${c.end}`}</div>
        <div className="ladder-details">
          <span>tcp.stream {c.stream}</span>
          <span>end: {c.end}{c.teardown.kind ? ` (${c.teardown.kind})` : ''}</span>
          {H.rtt !== undefined && <span>handshake RTT {millis(H.rtt)}{H.synAckRtt !== undefined ? ` (SYN-ACK ${millis(H.synAckRtt)})` : ''}</span>}
          <span>client options: {optionsText(c.client.options)}</span>
          <span>server options: {optionsText(c.server.options)}</span>
          {(N.windowScale || N.sack || N.timestamps) && (
            <span>negotiated: {[N.windowScale ? `window scale ${N.windowScale.client}/${N.windowScale.server}` : '', N.sack ? 'SACK' : '', N.timestamps ? 'timestamps' : ''].filter(Boolean).join(', ')}</span>
          )}
          {!c.roleKnown && <span className="ladder-warning">capture starts mid-connection: client is the first sender</span>}
        </div>
      </div>
      <div className="ladder-scroll" ref={box}>
        <svg className="ladder-svg" width={width} height={height} role="group" aria-label={`Ladder of tcp.stream ${c.stream}`}>
          <defs>
            <marker id="ladder-head" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" className="ladder-head" />
            </marker>
            <marker id="ladder-head-selected" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" className="ladder-head-selected" />
            </marker>
          </defs>
          <text x={left} y={16} textAnchor="middle" className="ladder-endpoint">client {c.client.addr}:{c.client.port}</text>
          <text x={right} y={16} textAnchor="middle" className="ladder-endpoint">server {c.server.addr}:{c.server.port}</text>
          <text x={left - 8} y={36} textAnchor="end" className="ladder-state">{start.client}</text>
          <text x={right + 8} y={36} className="ladder-state">{start.server}</text>
          <line x1={left} x2={left} y1={24} y2={height} className="ladder-lane" />
          <line x1={right} x2={right} y1={24} y2={height} className="ladder-lane" />
          {placed.map(({ s, y: at }) => (s.type === 'run'
            ? <RunStep key={`run-${s.first}`} run={s} y={at} left={left} right={right} onOpen={() => setExpanded(new Set([...expanded, s.first]))} />
            : <ArrowStep key={s.frame} a={s} y={at} left={left} right={right} selected={s.frame === selectedFrame} onSelect={() => onSelectPacket(s.frame)} />))}
        </svg>
      </div>
    </div>
  );
}

function ArrowStep({ a, y, left, right, selected, onSelect }: { a: LadderArrow; y: number; left: number; right: number; selected: boolean; onSelect(): void }) {
  const fromX = a.from === 'client' ? left : right, toX = a.from === 'client' ? right : left;
  const y1 = y, y2 = y + STEP - 12;
  const mid = (left + right) / 2;
  const label = `${a.flags} ${seqText(a)}`;
  const notes = a.analysis.filter((x) => x !== 'window_update').map((x) => x.replace(/_/g, ' '));
  const noteText = notes.length > 0 ? `[${notes.join(', ')}]` : '';
  // The notes go on a line of their own above the label when both would not fit between the
  // lanes: at 550 px "[ACK] seq=52129 ... win=64512 [fast retransmission]" ran over the client
  // lane into the frame numbers. Above, they sit clear of both arrows (the previous one ends
  // 12 px higher at a lane, this one starts at the other); a line of 11 px text is 13 px tall.
  const labelY = (y1 + y2) / 2 - 5;
  const oneLine = (label.length + 1 + noteText.length) * MONO_CHAR_WIDTH <= right - left - 16;
  const cls = ['ladder-arrow', selected ? 'selected' : '', /RST/.test(a.flags) ? 'rst' : '', /SYN/.test(a.flags) ? 'syn' : '', /FIN/.test(a.flags) ? 'fin' : '', notes.length ? 'noted' : ''].filter(Boolean).join(' ');
  return (
    <g
      className={cls}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={`Frame ${a.frame}: ${a.from} to ${a.from === 'client' ? 'server' : 'client'} ${label}${notes.length ? `, ${notes.join(', ')}` : ''}`}
      data-frame={a.frame}
      data-from={a.from}
      data-client-state={a.clientState}
      data-server-state={a.serverState}
      onClick={onSelect}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onSelect())}
    >
      <rect x={left} y={y - 12} width={right - left} height={STEP} className="ladder-hit" />
      <text x={8} y={y + 4} className="ladder-frame">#{a.frame}</text>
      <text x={8} y={y + 17} className="ladder-time">{deltaText(a.delta)}</text>
      <line x1={fromX} y1={y1} x2={toX} y2={y2} markerEnd={selected ? 'url(#ladder-head-selected)' : 'url(#ladder-head)'} className="ladder-line" />
      <text x={mid} y={labelY} textAnchor="middle" className="ladder-label">
        {label}
        {noteText && oneLine && <tspan className="ladder-note"> {noteText}</tspan>}
      </text>
      {noteText && !oneLine && <text x={mid} y={labelY - 13} textAnchor="middle" className="ladder-label"><tspan className="ladder-note">{noteText}</tspan></text>}
      {a.clientChanged && <text x={left - 8} y={a.from === 'client' ? y1 + 4 : y2 + 4} textAnchor="end" className="ladder-state changed">{a.clientState}</text>}
      {a.serverChanged && <text x={right + 8} y={a.from === 'server' ? y1 + 4 : y2 + 4} className="ladder-state changed">{a.serverState}</text>}
    </g>
  );
}

function RunStep({ run, y, left, right, onOpen }: { run: LadderRun; y: number; left: number; right: number; onOpen(): void }) {
  const n = run.arrows.length;
  const head = `▸ ${n} data segments #${run.first}–#${run.last}, ${run.duration.toFixed(3)} s`;
  const tail = `client ${run.bytes.client} B in ${run.segments.client} · server ${run.bytes.server} B in ${run.segments.server}${run.retransmissions ? ` · ${run.retransmissions} retransmitted` : ''}`;
  // Between the lanes, or wider than them when its text is (a narrow pane): the text stays inside.
  const box = Math.max(right - left - 8, Math.max(head.length, tail.length) * MONO_CHAR_WIDTH + 16);
  return (
    <g className="ladder-run" role="button" tabIndex={0} aria-expanded={false} aria-label={`Show ${head.slice(2)}: ${tail}`} data-run-first={run.first}
      onClick={onOpen} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onOpen())}>
      <rect x={(left + right - box) / 2} y={y - 12} width={box} height={RUN_STEP - 8} rx={5} className="ladder-run-box" />
      <text x={(left + right) / 2} y={y + 2} textAnchor="middle" className="ladder-run-text">{head}</text>
      <text x={(left + right) / 2} y={y + 16} textAnchor="middle" className="ladder-run-text ladder-run-detail">{tail}</text>
      <text x={8} y={y + 4} className="ladder-frame">#{run.first}</text>
      <text x={8} y={y + 17} className="ladder-time">…#{run.last}</text>
    </g>
  );
}
