// Colours of the timeline's phases and markers, light and dark. Canvas drawing needs the values
// in script (CSS variables would need a style read per frame), so both palettes live here.
import type { MarkKind, PhaseKind } from './phases.js';

export interface TimelinePalette {
  background: string;
  rowAlt: string;
  selectedRow: string;
  grid: string;
  text: string;
  mutedText: string;
  phase: Record<PhaseKind, string>;
  mark: Record<MarkKind, string>;
  badge: string;
}

export const LIGHT_PALETTE: TimelinePalette = {
  background: '#ffffff', rowAlt: '#f5f7fa', selectedRow: '#d6e6ff', grid: '#dde2ea', text: '#1f2328', mutedText: '#6a737d',
  phase: {
    handshake: '#e3a21a', established: '#3fa34d', 'half-closed': '#4a90c8', closed: '#9aa4ae',
    reset: '#d73a49', refused: '#8b1e3f', 'half-open': '#f08c2e',
  },
  mark: {
    syn: '#1f5fbf', 'syn-ack': '#7b3fbf', ack: '#1e7a34', fin: '#24292e', rst: '#d73a49', retransmission: '#e36209', 'zero-window': '#b31d28',
  },
  badge: '#d73a49',
};

export const DARK_PALETTE: TimelinePalette = {
  background: '#1e1f22', rowAlt: '#25272b', selectedRow: '#23395d', grid: '#3a3d42', text: '#e6e6e6', mutedText: '#9da5b0',
  phase: {
    handshake: '#d7a02a', established: '#4cae5a', 'half-closed': '#5aa3dc', closed: '#7c858f',
    reset: '#f06a76', refused: '#c2476b', 'half-open': '#f59d4a',
  },
  mark: {
    syn: '#79b8ff', 'syn-ack': '#c69cff', ack: '#85e89d', fin: '#f0f0f0', rst: '#ff7b86', retransmission: '#ffab70', 'zero-window': '#ff5c6c',
  },
  badge: '#f06a76',
};

export function paletteFor(theme: 'light' | 'dark'): TimelinePalette {
  return theme === 'dark' ? DARK_PALETTE : LIGHT_PALETTE;
}

/** Words for the legend and tooltips. */
export const PHASE_WORDS: Record<PhaseKind, string> = {
  handshake: 'handshake', established: 'established / data', 'half-closed': 'half-closed (one FIN)', closed: 'closed',
  reset: 'reset', refused: 'refused', 'half-open': 'half-open (handshake never finished)',
};

export const MARK_WORDS: Record<MarkKind, string> = {
  syn: 'SYN', 'syn-ack': 'SYN-ACK', ack: 'handshake ACK', fin: 'FIN', rst: 'RST', retransmission: 'retransmission', 'zero-window': 'zero window',
};
