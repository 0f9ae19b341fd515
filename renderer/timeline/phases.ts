// One connection as the overview draws it: coloured phases on the shared time axis and markers
// for the segments worth seeing (SYN, SYN-ACK, the handshake's ACK, FIN, RST, retransmissions,
// zero windows). Computed from the engine's ConnectionLifecycle (tcp.lifecycle, with segments):
// the phase between two segments is what both endpoints' states were after the first of them
// (the tracker's RFC 9293 inference), so the bar says exactly what the ladder says.
import type { ConnectionLifecycle, ConnectionRow } from '../../app/session/contract.js';

type Segment = NonNullable<ConnectionLifecycle['segments']>[number];
type State = Segment['client'];

export type PhaseKind = 'handshake' | 'established' | 'half-closed' | 'closed' | 'reset' | 'refused' | 'half-open';

export interface Phase {
  kind: PhaseKind;
  /** Seconds on the shared axis (since the capture's first packet). */
  start: number;
  end: number;
}

export type MarkKind = 'syn' | 'syn-ack' | 'ack' | 'fin' | 'rst' | 'retransmission' | 'zero-window';

export interface Mark {
  kind: MarkKind;
  time: number;
  frame: number;
  from: 'client' | 'server';
}

export interface ConnectionBar {
  stream: number;
  phases: Phase[];
  marks: Mark[];
  /** How it ended (ConnectionRow.endState). */
  end: string;
}

const TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_ACK = 0x10;

const OPENING: ReadonlySet<State> = new Set(['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RCVD']);
const CLOSING: ReadonlySet<State> = new Set(['FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK']);
const DONE: ReadonlySet<State> = new Set(['CLOSED', 'TIME_WAIT']);

/** The phase both endpoints are in (states after a segment); `sawFin` tells CLOSED apart from "not yet open". */
export function phaseOf(client: State, server: State, sawFin: boolean, sawRst: boolean): PhaseKind {
  if (sawRst) return 'reset';
  if (sawFin && DONE.has(client) && DONE.has(server)) return 'closed';
  if (CLOSING.has(client) || CLOSING.has(server) || sawFin) return 'half-closed';
  if (client === 'ESTABLISHED' && server === 'ESTABLISHED') return 'established';
  if (OPENING.has(client) || OPENING.has(server)) return 'handshake';
  return 'established';
}

/** Markers of one segment (a retransmitted SYN is both). */
export function marksOf(s: Segment, ackFrame: number | undefined): MarkKind[] {
  const out: MarkKind[] = [];
  const syn = (s.flags & TH_SYN) !== 0, ack = (s.flags & TH_ACK) !== 0;
  if (syn && !ack) out.push('syn');
  if (syn && ack) out.push('syn-ack');
  if (s.frame === ackFrame) out.push('ack');
  if (s.flags & TH_FIN) out.push('fin');
  if (s.flags & TH_RST) out.push('rst');
  if (s.analysis.some((a) => a === 'retransmission' || a === 'fast_retransmission' || a === 'spurious_retransmission')) out.push('retransmission');
  if (s.analysis.includes('zero_window')) out.push('zero-window');
  return out;
}

/**
 * The bar of a connection from its lifecycle. `offset` turns the lifecycle's epoch times into
 * the axis' seconds (ConnectionRow.start - lifecycle.startTime).
 */
export function connectionBar(c: ConnectionLifecycle, offset: number): ConnectionBar {
  const segs = c.segments ?? [];
  const phases: Phase[] = [];
  const marks: Mark[] = [];
  const push = (kind: PhaseKind, start: number, end: number) => {
    const last = phases[phases.length - 1];
    if (last && last.kind === kind && last.end >= start) last.end = Math.max(last.end, end);
    else phases.push({ kind, start, end });
  };
  let sawFin = false, sawRst = false;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const t = s.time + offset;
    for (const kind of marksOf(s, c.handshake.ackFrame)) marks.push({ kind, time: t, frame: s.frame, from: s.from });
    if (s.flags & TH_FIN) sawFin = true;
    if (s.flags & TH_RST) sawRst = true;
    const next = segs[i + 1];
    const kind = phaseOf(s.client, s.server, sawFin, sawRst);
    // The span up to the next segment; the last segment ends the bar with a sliver of its phase.
    push(kind, t, next ? next.time + offset : t);
  }
  // How the connection ended colours what the states cannot say: a handshake nobody finished is
  // half-open, a SYN answered by RST was refused.
  if (c.end === 'refused') for (const p of phases) p.kind = p.kind === 'reset' ? 'refused' : p.kind === 'handshake' ? 'refused' : p.kind;
  if (c.end === 'half-open') for (const p of phases) if (p.kind === 'handshake') p.kind = 'half-open';
  return { stream: c.stream, phases, marks, end: c.end };
}

/** A connection whose lifecycle has not been fetched yet: one bar coloured by how it ended. */
export function coarseBar(r: ConnectionRow): ConnectionBar {
  const kind: PhaseKind = r.endState === 'closed' ? 'closed' : r.endState === 'reset' ? 'reset' : r.endState === 'refused' ? 'refused'
    : r.endState === 'half-open' ? 'half-open' : r.endState === 'half-closed' ? 'half-closed' : 'established';
  const phases: Phase[] = [];
  if (r.handshakeRtt !== undefined && kind !== 'refused' && kind !== 'half-open') {
    phases.push({ kind: 'handshake', start: r.start, end: Math.min(r.end, r.start + r.handshakeRtt) });
    phases.push({ kind: kind === 'closed' || kind === 'reset' ? 'established' : kind, start: Math.min(r.end, r.start + r.handshakeRtt), end: r.end });
  } else phases.push({ kind, start: r.start, end: r.end });
  return { stream: r.stream, phases, marks: [], end: r.endState };
}
