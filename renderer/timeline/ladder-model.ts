// The ladder diagram's content for one connection: an arrow per segment (flags as tshark lists
// them, relative seq/ack/len, time since the previous segment), each side's state where it
// changes, and long runs of plain data segments folded into one step that opens on demand.
// Pure: LadderDiagram.tsx only lays these steps out.
import type { ConnectionLifecycle } from '../../app/session/contract.js';

type Segment = NonNullable<ConnectionLifecycle['segments']>[number];
export type TcpState = Segment['client'];

export interface LadderArrow {
  type: 'arrow';
  frame: number;
  from: 'client' | 'server';
  /** Seconds since the connection's first segment, and since the previous segment. */
  time: number;
  delta: number;
  flags: string;
  seq: number;
  ack: number;
  hasAck: boolean;
  len: number;
  window: number;
  analysis: string[];
  /** Both states after this segment, and which of them changed here. */
  clientState: TcpState;
  serverState: TcpState;
  clientChanged: boolean;
  serverChanged: boolean;
}

export interface LadderRun {
  type: 'run';
  /** First frame of the run: the key that expands it. */
  first: number;
  last: number;
  arrows: LadderArrow[];
  bytes: { client: number; server: number };
  segments: { client: number; server: number };
  time: number;
  duration: number;
  retransmissions: number;
}

export type LadderStep = LadderArrow | LadderRun;

const FLAG_NAMES: ReadonlyArray<[number, string]> = [
  [0x01, 'FIN'], [0x02, 'SYN'], [0x04, 'RST'], [0x08, 'PSH'], [0x10, 'ACK'], [0x20, 'URG'], [0x40, 'ECE'], [0x80, 'CWR'], [0x100, 'AE'],
];

/**
 * Flags as tshark's Info column lists them: "[SYN, ACK]" (its order: FIN, SYN, RST, PSH, ACK ...);
 * with `ace` (a connection that uses Accurate ECN), AE, CWR and ECE as the counter: "[ACK, ACE=4]".
 */
export function flagsText(flags: number, ace = false): string {
  const names = FLAG_NAMES.filter(([b]) => flags & b && !(ace && b & 0x1c0)).map(([, n]) => n);
  if (ace) names.push(`ACE=${(flags & 0x1c0) >> 6}`);
  return `[${names.join(', ')}]`;
}

/** States before the first segment: as the tracker assumes them (lifecycle.ts). */
export function initialStates(c: ConnectionLifecycle): { client: TcpState; server: TcpState } {
  const first = c.segments?.[0];
  if (!c.roleKnown) return { client: 'ESTABLISHED', server: 'ESTABLISHED' };
  // First seen at the SYN-ACK: the client has sent its (unseen) SYN.
  if (first && first.from === 'server' && (first.flags & 0x12) === 0x12) return { client: 'SYN_SENT', server: 'LISTEN' };
  return { client: 'CLOSED', server: 'LISTEN' };
}

export function ladderArrows(c: ConnectionLifecycle): LadderArrow[] {
  const segs = c.segments ?? [];
  let { client, server } = initialStates(c);
  const t0 = segs[0]?.time ?? c.startTime;
  let prev = t0;
  return segs.map((s) => {
    const a: LadderArrow = {
      type: 'arrow', frame: s.frame, from: s.from, time: s.time - t0, delta: s.time - prev,
      flags: flagsText(s.flags, s.ace), seq: s.seq, ack: s.ack, hasAck: s.hasAck, len: s.len, window: s.window, analysis: s.analysis,
      clientState: s.client, serverState: s.server, clientChanged: s.client !== client, serverChanged: s.server !== server,
    };
    client = s.client;
    server = s.server;
    prev = s.time;
    return a;
  });
}

/** A segment that may fold into a run: no SYN/FIN/RST, no state change. */
function foldable(a: LadderArrow): boolean {
  return !/SYN|FIN|RST/.test(a.flags) && !a.clientChanged && !a.serverChanged;
}

function isRetransmission(a: LadderArrow): boolean {
  return a.analysis.some((x) => x === 'retransmission' || x === 'fast_retransmission' || x === 'spurious_retransmission');
}

export interface LadderOptions {
  /** Runs shorter than this stay open. */
  minRun?: number;
  /** First frames of the runs the user opened. */
  expanded?: ReadonlySet<number>;
  /** A frame that must stay visible (the selected packet): its run opens. */
  reveal?: number;
}

export const DEFAULT_MIN_RUN = 6;

export function ladderSteps(arrows: readonly LadderArrow[], o: LadderOptions = {}): LadderStep[] {
  const minRun = o.minRun ?? DEFAULT_MIN_RUN;
  const out: LadderStep[] = [];
  let i = 0;
  while (i < arrows.length) {
    if (!foldable(arrows[i]!)) {
      out.push(arrows[i]!);
      i++;
      continue;
    }
    let j = i;
    while (j < arrows.length && foldable(arrows[j]!)) j++;
    const run = arrows.slice(i, j);
    const first = run[0]!.frame, last = run[run.length - 1]!.frame;
    const open = run.length < minRun || o.expanded?.has(first) || (o.reveal !== undefined && run.some((a) => a.frame === o.reveal));
    if (open) out.push(...run);
    else {
      const bytes = { client: 0, server: 0 }, segments = { client: 0, server: 0 };
      for (const a of run) {
        bytes[a.from] += a.len;
        segments[a.from]++;
      }
      out.push({
        type: 'run', first, last, arrows: run, bytes, segments, time: run[0]!.time,
        duration: run[run.length - 1]!.time - run[0]!.time, retransmissions: run.filter(isRetransmission).length,
      });
    }
    i = j;
  }
  return out;
}

/** "MSS 1460, window scale 7, SACK, timestamps" for one side's SYN options. */
export function optionsText(o: ConnectionLifecycle['client']['options']): string {
  const parts: string[] = [];
  if (o.mss !== undefined) parts.push(`MSS ${o.mss}`);
  if (o.wscale !== undefined) parts.push(`window scale ${o.wscale}`);
  if (o.sackPerm) parts.push('SACK');
  if (o.timestamps) parts.push('timestamps');
  return parts.length ? parts.join(', ') : 'no options';
}

/** Milliseconds with three decimals, as `synscope tcp` prints RTTs. */
export function millis(seconds: number): string {
  return `${(seconds * 1000).toFixed(3)} ms`;
}
