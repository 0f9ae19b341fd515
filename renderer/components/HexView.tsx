// The bytes pane: offset, 16 bytes in hex, the same 16 as ASCII, like tshark -x and Wireshark's
// bytes view. The selected field's bytes are highlighted (from the tree node's start/length,
// never by re-parsing); clicking a byte asks for the deepest field covering it. A packet with
// reassembled data has one tab per data source. Large buffers render only the lines in view.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PacketDetail, TreeNode } from '../../app/session/contract.js';
import { asciiChar, base64ToBytes, hexByte } from '../lib/bytes.js';

const BYTES_PER_LINE = 16;
const LINE_HEIGHT = 18;
/** Up to this many lines everything is in the DOM; beyond, only what is on screen. */
const FULL_RENDER_LINES = 512;

export interface HexViewProps {
  detail: PacketDetail | null;
  selected: TreeNode | null;
  onPickByte(source: number, offset: number): void;
}

export function HexView({ detail, selected, onPickByte }: HexViewProps) {
  const sources = useMemo(() => detail?.sources.map((s) => ({ name: s.name, bytes: base64ToBytes(s.bytes) })) ?? [], [detail]);
  const [source, setSource] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);

  useEffect(() => {
    if (selected && selected.length > 0 && selected.source < sources.length) setSource(selected.source);
  }, [selected, sources.length]);
  useEffect(() => {
    if (source >= sources.length) setSource(0);
  }, [source, sources.length]);

  useEffect(() => {
    const el = box.current!;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const bytes = sources[source]?.bytes ?? new Uint8Array(0);
  const hl = selected && selected.source === source && selected.length > 0 ? { start: selected.start, end: selected.start + selected.length } : null;
  const lineCount = Math.ceil(bytes.length / BYTES_PER_LINE);
  const offsetDigits = bytes.length > 0xffff ? 8 : 4;
  const virtual = lineCount > FULL_RENDER_LINES;

  // Bring the highlighted bytes into view.
  const hlStart = hl?.start ?? -1;
  useEffect(() => {
    const el = box.current;
    if (!el || hlStart < 0) return;
    const top = Math.floor(hlStart / BYTES_PER_LINE) * LINE_HEIGHT;
    if (top < el.scrollTop || top > el.scrollTop + el.clientHeight - LINE_HEIGHT * 2) el.scrollTop = Math.max(0, top - LINE_HEIGHT * 2);
  }, [hlStart, source]);

  const firstLine = virtual ? Math.max(0, Math.floor(scrollTop / LINE_HEIGHT) - 10) : 0;
  const lastLine = virtual ? Math.min(lineCount, Math.ceil((scrollTop + height) / LINE_HEIGHT) + 10) : lineCount;

  const lines: JSX.Element[] = [];
  for (let line = firstLine; line < lastLine; line++) {
    const base = line * BYTES_PER_LINE;
    const hex: JSX.Element[] = [];
    const ascii: JSX.Element[] = [];
    for (let i = 0; i < BYTES_PER_LINE; i++) {
      const o = base + i;
      if (o >= bytes.length) break;
      const b = bytes[o]!;
      const on = hl !== null && o >= hl.start && o < hl.end;
      const cls = on ? 'hb sel' : 'hb';
      hex.push(
        <span key={o} className={i === 7 ? cls + ' mid' : cls} data-o={o}>
          {hexByte(b)}
        </span>,
      );
      ascii.push(
        <span key={o} className={on ? 'ab sel' : 'ab'} data-o={o}>
          {asciiChar(b)}
        </span>,
      );
    }
    lines.push(
      <div key={line} className="hex-line" style={virtual ? { top: line * LINE_HEIGHT } : undefined}>
        <span className="hex-offset">{base.toString(16).padStart(offsetDigits, '0')}</span>
        <span className="hex-bytes">{hex}</span>
        <span className="hex-ascii">{ascii}</span>
      </div>,
    );
  }

  return (
    <div className="hex-pane" role="region" aria-label="Packet bytes">
      {sources.length > 1 && (
        <div className="hex-tabs" role="tablist" aria-label="Data sources">
          {sources.map((s, i) => (
            <button key={i} type="button" role="tab" aria-selected={i === source} className={i === source ? 'hex-tab active' : 'hex-tab'} onClick={() => setSource(i)}>
              {s.name} ({s.bytes.length} bytes)
            </button>
          ))}
        </div>
      )}
      <div
        ref={box}
        className="hex-view"
        onScroll={virtual ? (e) => setScrollTop(e.currentTarget.scrollTop) : undefined}
        onMouseDown={(e) => {
          if (e.button !== 0) return;
          const t = (e.target as HTMLElement).closest<HTMLElement>('[data-o]');
          if (t) onPickByte(source, Number(t.dataset.o));
        }}
      >
        {!detail && <div className="pane-empty">No packet selected.</div>}
        {virtual ? <div className="hex-virtual" style={{ height: lineCount * LINE_HEIGHT }}>{lines}</div> : lines}
      </div>
    </div>
  );
}
