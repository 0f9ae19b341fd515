// Two panes with a draggable divider (mouse, touch, or arrow keys on the focused divider). The
// first pane's share is remembered per `storageKey`.
import { useRef, useState, type ReactNode } from 'react';
import { loadNumber, savePreference } from '../lib/preferences.js';

export interface SplitPaneProps {
  direction: 'vertical' | 'horizontal';
  storageKey: string;
  /** Share of the first pane, 0..1. */
  initial: number;
  label: string;
  children: [ReactNode, ReactNode];
}

const MIN_SHARE = 0.1;
const MAX_SHARE = 0.9;
const KEY_STEP = 0.02;

export function SplitPane({ direction, storageKey, initial, label, children }: SplitPaneProps) {
  const [share, setShare] = useState(() => clamp(loadNumber(storageKey, initial)));
  const box = useRef<HTMLDivElement>(null);
  const vertical = direction === 'vertical';

  const update = (s: number) => {
    const v = clamp(s);
    setShare(v);
    savePreference(storageKey, v);
  };

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => {
      const r = box.current!.getBoundingClientRect();
      update(vertical ? (ev.clientY - r.top) / r.height : (ev.clientX - r.left) / r.width);
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const back = vertical ? 'ArrowUp' : 'ArrowLeft';
    const fwd = vertical ? 'ArrowDown' : 'ArrowRight';
    if (e.key === back) update(share - KEY_STEP);
    else if (e.key === fwd) update(share + KEY_STEP);
    else return;
    e.preventDefault();
  };

  return (
    <div ref={box} className={`split split-${direction}`}>
      <div className="split-pane" style={{ flexBasis: `${share * 100}%` }}>
        {children[0]}
      </div>
      <div
        className="split-handle"
        role="separator"
        aria-label={label}
        aria-orientation={vertical ? 'horizontal' : 'vertical'}
        aria-valuenow={Math.round(share * 100)}
        aria-valuemin={MIN_SHARE * 100}
        aria-valuemax={MAX_SHARE * 100}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onKeyDown={onKeyDown}
      />
      <div className="split-pane split-pane-rest">{children[1]}</div>
    </div>
  );
}

function clamp(s: number): number {
  return Math.min(MAX_SHARE, Math.max(MIN_SHARE, s));
}
