// The timeline's model on real captures: lifecycles from the real engine (reader → dissectors →
// tracker → lifecycle, as the session produces them for tcp.lifecycle), compared with tshark's
// view of the same packets: one bar per tcp.stream, each starting and ending at its first and
// last frame, the closing phase starting at the first FIN, the reset at the first RST; ladder
// arrows carry tshark's frame numbers, flags and relative seq/ack/len.
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { parseFieldsOutput, tsharkRaw } from '../../test/helpers/tshark.js';
import { observeCapture, tcpReport } from '../../app/tcp/report.js';
import type { ConnectionLifecycle } from '../../app/session/contract.js';
import { fitWindow, panBy, tickLabel, ticks, timeAt, visibleRows, xOf, zoomAround } from './axis.js';
import { DEFAULT_MIN_RUN, ladderArrows, ladderSteps } from './ladder-model.js';
import { connectionBar } from './phases.js';

interface TsharkSegment {
  frame: number;
  rel: number;
  stream: number;
  flags: number;
  seq: number;
  ack: number;
  len: number;
}

function tsharkSegments(file: string): TsharkSegment[] {
  const fields = ['frame.number', 'frame.time_relative', 'tcp.stream', 'tcp.flags', 'tcp.seq', 'tcp.ack', 'tcp.len'];
  const { stdout } = tsharkRaw(corpusPath(file), ['-Y', 'tcp && !icmp', '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]);
  return parseFieldsOutput(stdout, fields.length).map((r) => ({
    frame: Number(r[0]), rel: Number(r[1]), stream: Number(r[2]), flags: parseInt(r[3]!, 16), seq: Number(r[4]), ack: Number(r[5] || 0), len: Number(r[6]),
  }));
}

async function lifecycles(file: string): Promise<ConnectionLifecycle[]> {
  return (await tcpReport(observeCapture(corpusPath(file)), { ladder: true })).connections;
}

/** The shared axis' seconds: the capture's first packet is 0 (tshark's frame.time_relative). */
async function firstPacketTime(file: string): Promise<number> {
  for await (const p of observeCapture(corpusPath(file))) return p.time;
  throw new Error('empty capture');
}

const FILES = ['zeek/http/get.pcap', 'zeek/tunnels/gre-aruba.pcap', 'zeek/pop3/pop3.pcap', 'pcapplusplus/many-protocols.pcap', 'zeek/tcp/syn-then-rst.pcap', 'zeek/tcp/option-sack.pcap'];

describe('overview bars from real lifecycles', () => {
  for (const file of FILES) {
    it(`${file}: one bar per tshark tcp.stream, phases where tshark sees the flags`, async () => {
      const segs = tsharkSegments(file);
      const t0 = await firstPacketTime(file);
      const conns = await lifecycles(file);
      const streams = [...new Set(segs.map((s) => s.stream))].sort((a, b) => a - b);
      expect(conns.map((c) => c.stream)).toEqual(streams);
      for (const c of conns) {
        const bar = connectionBar(c, -t0);
        const mine = segs.filter((s) => s.stream === c.stream);
        const near = (a: number, b: number) => expect(Math.abs(a - b), `stream ${c.stream}: ${a} vs ${b}`).toBeLessThan(1e-6);
        near(bar.phases[0]!.start, mine[0]!.rel);
        near(bar.phases[bar.phases.length - 1]!.end, mine[mine.length - 1]!.rel);
        // Phases tile the bar without gaps or overlaps.
        for (let i = 1; i < bar.phases.length; i++) near(bar.phases[i]!.start, bar.phases[i - 1]!.end);
        const fin = mine.find((s) => s.flags & 0x01), rst = mine.find((s) => s.flags & 0x04);
        const phaseAt = (t: number) => bar.phases.find((p) => p.start <= t + 1e-9 && t - 1e-9 <= p.end && p.end > p.start)?.kind ?? bar.phases[bar.phases.length - 1]!.kind;
        if (rst && (!fin || rst.frame < fin.frame)) {
          expect(bar.phases.some((p) => p.kind === 'reset' || p.kind === 'refused'), `stream ${c.stream} reset`).toBe(true);
          const first = bar.phases.find((p) => p.kind === 'reset' || p.kind === 'refused')!;
          if (c.end === 'reset') near(first.start, rst.rel);
        } else if (fin) {
          const closing = bar.phases.find((p) => p.kind === 'half-closed' || p.kind === 'closed')!;
          near(closing.start, fin.rel);
        }
        // Markers: every SYN, FIN and RST tshark shows in the stream.
        for (const [bit, kind] of [[0x01, 'fin'], [0x04, 'rst']] as const) {
          expect(bar.marks.filter((m) => m.kind === kind).map((m) => m.frame)).toEqual(mine.filter((s) => s.flags & bit).map((s) => s.frame));
        }
        expect(bar.marks.filter((m) => m.kind === 'syn' || m.kind === 'syn-ack').map((m) => m.frame))
          .toEqual(mine.filter((s) => s.flags & 0x02).map((s) => s.frame));
        if (c.end === 'half-open') expect(phaseAt(mine[0]!.rel)).toBe('half-open');
        if (c.end === 'refused') expect(bar.phases.every((p) => p.kind === 'refused')).toBe(true);
      }
    });
  }

  it('covers every end state the engine gives on these captures', async () => {
    const ends = new Set<string>();
    const kinds = new Set<string>();
    for (const file of FILES) {
      const t0 = await firstPacketTime(file);
      for (const c of await lifecycles(file)) {
        ends.add(c.end);
        for (const p of connectionBar(c, -t0).phases) kinds.add(p.kind);
      }
    }
    expect([...ends].sort()).toEqual(['closed', 'half-closed', 'half-open', 'refused', 'reset', 'still open']);
    expect([...kinds].sort()).toEqual(['closed', 'established', 'half-closed', 'half-open', 'handshake', 'refused', 'reset']);
  });
});

describe('ladder from a real lifecycle', () => {
  it('has tshark\'s frames, flags and relative seq/ack/len for each arrow', async () => {
    for (const file of ['zeek/http/get.pcap', 'zeek/tcp/ssh-dups.pcap', 'zeek/pop3/pop3.pcap']) {
      const segs = tsharkSegments(file);
      for (const c of await lifecycles(file)) {
        const arrows = ladderArrows(c);
        const mine = segs.filter((s) => s.stream === c.stream);
        expect(arrows.map((a) => a.frame)).toEqual(mine.map((s) => s.frame));
        expect(arrows.map((a) => [a.seq, a.len])).toEqual(mine.map((s) => [s.seq, s.len]));
        expect(arrows.filter((a) => a.hasAck).map((a) => a.ack)).toEqual(mine.filter((s) => s.flags & 0x10).map((s) => s.ack));
        const flagNames = (f: number) => ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'].filter((_, i) => f & (1 << i));
        expect(arrows.map((a) => a.flags)).toEqual(mine.map((s) => `[${flagNames(s.flags).join(', ')}]`));
      }
    }
  });

  it('writes the states where they change, as the engine\'s transitions say', async () => {
    const [c] = await lifecycles('zeek/http/get.pcap');
    const arrows = ladderArrows(c!);
    const changes = arrows.flatMap((a) => [
      ...(a.clientChanged ? [`#${a.frame} client ${a.clientState}`] : []),
      ...(a.serverChanged ? [`#${a.frame} server ${a.serverState}`] : []),
    ]);
    const bySideOrder = (x: string, y: string) => parseInt(x.slice(1), 10) - parseInt(y.slice(1), 10) || (x < y ? -1 : x > y ? 1 : 0);
    expect(changes.sort(bySideOrder)).toEqual(c!.transitions.map((t) => `#${t.frame} ${t.side} ${t.to}`).sort(bySideOrder));
  });

  it('folds runs of plain data segments, opens them on demand or to show the selected frame', async () => {
    const [c] = await lifecycles('zeek/tcp/ssh-dups.pcap');
    const arrows = ladderArrows(c!);
    const folded = ladderSteps(arrows);
    const runs = folded.filter((s) => s.type === 'run');
    expect(runs.length).toBeGreaterThan(0);
    // Nothing is lost: the steps list every frame once, in order.
    expect(folded.flatMap((s) => (s.type === 'run' ? s.arrows.map((a) => a.frame) : [s.frame]))).toEqual(arrows.map((a) => a.frame));
    for (const r of runs) {
      if (r.type !== 'run') continue;
      expect(r.arrows.length).toBeGreaterThanOrEqual(DEFAULT_MIN_RUN);
      expect(r.arrows.every((a) => !/SYN|FIN|RST/.test(a.flags))).toBe(true);
      expect(r.bytes.client + r.bytes.server).toBe(r.arrows.reduce((n, a) => n + a.len, 0));
    }
    const first = runs[0]!;
    if (first.type !== 'run') throw new Error('run expected');
    const opened = ladderSteps(arrows, { expanded: new Set([first.first]) });
    expect(opened.length).toBe(folded.length - 1 + first.arrows.length);
    const revealed = ladderSteps(arrows, { reveal: first.arrows[2]!.frame });
    expect(revealed.some((s) => s.type === 'arrow' && s.frame === first.arrows[2]!.frame)).toBe(true);
  });
});

describe('axis geometry', () => {
  it('zooms around the pointer and pans by the drag', () => {
    const w = fitWindow(0, 10);
    const anchor = timeAt(w, 1000, 250);
    const z = zoomAround(w, 0.5, anchor);
    expect(xOf(z, 1000, anchor)).toBeCloseTo(250, 6);
    expect(z.end - z.start).toBeCloseTo((w.end - w.start) / 2, 9);
    const p = panBy(z, 1000, 100);
    expect(timeAt(p, 1000, 350)).toBeCloseTo(anchor, 9);
  });

  it('puts ticks on round steps', () => {
    expect(ticks({ start: 0, end: 1 }, 5)).toEqual({ step: 0.2, times: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(ticks({ start: 3.3, end: 9.1 }, 3).times).toEqual([4, 6, 8]);
  });

  it('marks long captures in minutes, hours and days', () => {
    // Two hours in about 4 labels: every 30 min.
    const twoHours = ticks({ start: 0, end: 7200 }, 4);
    expect(twoHours.step).toBe(1800);
    expect(twoHours.times.map((t) => tickLabel(t, twoHours.step))).toEqual(['0', '30 min', '1 h', '1 h 30 min', '2 h']);
    // zeek/smtp.pcap's connections span 2009-10-05 to 2015-07-25 (183,109,032 s): every year.
    const years = ticks(fitWindow(0, 183109032.7), 8);
    expect(years.step).toBe(365 * 86400);
    expect(tickLabel(years.times[1]!, years.step)).toBe('365 d');
    expect(tickLabel(3.5 * 86400, 86400)).toBe('3 d 12 h');
    // Under a minute's step, seconds as before.
    expect(ticks({ start: 0, end: 120 }, 5).step).toBe(50);
    expect(tickLabel(100, 50)).toBe('100 s');
  });

  it('draws only the rows on screen (thousands of connections)', () => {
    expect(visibleRows(0, 300, 20, 5000)).toEqual({ first: 0, last: 19 });
    expect(visibleRows(20 * 4000, 300, 20, 5000)).toEqual({ first: 3996, last: 4019 });
    expect(visibleRows(20 * 4990, 300, 20, 5000)).toEqual({ first: 4986, last: 5000 });
  });
});
