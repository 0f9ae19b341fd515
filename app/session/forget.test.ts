// A live capture that runs for hours: the ring keeps the newest packets, and the engine forgets
// what only the evicted ones needed — TCP connections and their lifecycle, UDP conversations,
// the dissectors' reassembly and request/response tables — once they are quiet. The same
// traffic replayed round after round (new hosts each round, rounds FORGET_IDLE_AFTER_S apart)
// must leave those tables no bigger than a few rounds' worth, while tcp.stream keeps counting
// exactly as tshark numbers the whole capture and the packets the ring holds read exactly as a
// file session (which forgets nothing) reads them.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import type { CaptureState } from '../dissect/packet.js';
import { FORGET_IDLE_AFTER_S } from '../tcp/tracker.js';
import type { Analysis } from './analysis.js';
import { newHostsEachRound, Replay, ReplayBackend } from './backend.js';
import { Session } from './session.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-forget-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The source played `rounds` times as ReplayBackend would, written as a nanosecond pcap (for tshark). */
function writeRounds(source: string, rounds: number, out: string): number {
  const replay = new Replay(source, { rounds, roundGapS: FORGET_IDLE_AFTER_S + 60, rewrite: newHostsEachRound });
  const fd = openSync(out, 'w');
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b23c4d, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(0x40000, 16);
  head.writeUInt32LE(replay.linkType, 20);
  writeSync(fd, head);
  let n = 0;
  for (let r = replay.next(); r; r = replay.next()) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(r.ts.sec, 0);
    h.writeUInt32LE(r.ts.nsec, 4);
    h.writeUInt32LE(r.capLen, 8);
    h.writeUInt32LE(r.origLen, 12);
    writeSync(fd, h);
    writeSync(fd, r.data);
    n++;
  }
  replay.close();
  closeSync(fd);
  return n;
}

function tsharkStreams(path: string): number[] {
  const r = spawnSync('tshark', ['-n', '-r', path, '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return r.stdout.trimEnd().split('\n').map((l) => (l === '' ? -1 : Number(l.split(',')[0])));
}

async function until(cond: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Sizes {
  connections: number;
  lifecycle: number;
  convRows: number;
  tcpDissector: number;
  udp: number;
  http: number;
  dns: number;
  tls: number;
}

/** HTTP's conversations, over TCP and over anything else. */
function httpConversations(st: { conversations: Map<number, unknown>; overTcp: Map<number, unknown> } | undefined): number {
  return st ? st.conversations.size + st.overTcp.size : 0;
}

/** What the engine keeps per connection / conversation now (reached through the session's privates). */
function sizes(a: Analysis): Sizes {
  const c: CaptureState = a.capture;
  const tcp = c.peek<{ serverPort: Map<number, number>; frames: { size: number } }>('tcp.dissector');
  const rows = a.conv.size;
  return {
    connections: a.tracker.stats().connections,
    lifecycle: a.conv.health.lifecycle.size,
    convRows: rows.tcp + rows.udp,
    tcpDissector: (tcp?.serverPort.size ?? 0) + (tcp?.frames.size ?? 0),
    udp: c.peek<{ conversations: Map<number, unknown> }>('udp.conversations')?.conversations.size ?? 0,
    http: httpConversations(c.peek<{ conversations: Map<number, unknown>; overTcp: Map<number, unknown> }>('http.conversations')),
    dns: c.peek<{ transactions: Map<number, unknown> }>('dns.transactions')?.transactions.size ?? 0,
    tls: c.peek<{ sessions: Map<string, unknown> }>('tls.state')?.sessions.size ?? 0,
  };
}

describe('a long live capture forgets what the ring evicted', () => {
  it('keeps its tables bounded over many rounds while tcp.stream counts on as tshark does', async () => {
    const source = corpusPath('pcapplusplus/many-protocols.pcap');
    const rounds = 8;
    const path = join(tmp, 'rounds.pcap');
    const total = writeRounds(source, rounds, path);
    const perRound = total / rounds;
    const want = tsharkStreams(path);
    expect(want.length).toBe(total);
    const perRoundStreams = Math.max(...want.slice(0, perRound)) + 1;
    // New hosts every round: tshark numbers each round's connections after the previous round's.
    expect(Math.max(...want) + 1).toBe(rounds * perRoundStreams);

    const session = new Session({ backend: new ReplayBackend(path, { batchSize: 64, intervalMs: 1 }) });
    try {
      // A ring of about half a round: every round is evicted during the next.
      await session.handle('capture.start', { interface: 'replay', ringBytes: 1 << 20 });
      const analysis = (session as unknown as { analysis: Analysis }).analysis;
      const atRound: Sizes[] = [];
      await until(() => {
        while (atRound.length < rounds && analysis.frontier >= (atRound.length + 1) * perRound) atRound.push(sizes(analysis));
        return atRound.length === rounds;
      });
      await session.whenAnalyzed();
      const sum = await session.handle('session.summary', {});
      expect(sum.capture!.ringEvicted).toBeGreaterThan(total - 2 * perRound);
      expect(analysis.skipped).toBe(0);

      // Stream numbers kept counting: every connection of every round got its own, never reused.
      expect(analysis.tracker.stats().streams).toBe(rounds * perRoundStreams);
      expect(analysis.tracker.stats().forgotten).toBeGreaterThan((rounds - 3) * perRoundStreams);
      // The tables stopped growing after the first rounds (without forgetting they grow by a
      // round's worth every round).
      // The tables stopped growing: after any later round they hold at most two rounds' worth
      // (the current one and the one not yet quiet long enough), where without forgetting they
      // would hold every round so far.
      for (const k of Object.keys(atRound[0]!) as Array<keyof Sizes>) {
        const bound = 2 * Math.max(atRound[0]![k], atRound[1]![k]);
        for (let r = 3; r < rounds; r++) expect(atRound[r]![k], `${k} after round ${r + 1}`).toBeLessThanOrEqual(bound);
      }
      expect(atRound[rounds - 1]!.connections).toBeLessThan(3 * perRoundStreams);

      // The frames the ring holds: tshark's tcp.stream, and rows exactly as a file session of
      // the same capture (which forgets nothing) shows them.
      const first = sum.firstAvailable;
      const rows = await session.handle('packets.rows', { start: 0, end: total });
      expect(rows.length).toBe(total - first + 1);
      expect(rows.map((r) => r.tcpStream ?? -1)).toEqual(want.slice(first - 1));
      const file = new Session();
      try {
        await file.handle('file.open', { path });
        await file.whenAnalyzed();
        const fileRows = await file.handle('packets.rows', { start: first - 1, end: total });
        const strip = (r: { time: string }) => ({ ...r, time: '' });
        expect(rows.map(strip)).toEqual(fileRows.map(strip));
        // The connection list keeps a (bounded) summary of the forgotten connections.
        const live = await session.handle('tcp.connections', {});
        expect(live.length).toBe((await file.handle('tcp.connections', {})).length);
        expect(sum.droppedRows).toBeUndefined();
      } finally {
        await file.dispose();
      }
    } finally {
      await session.dispose();
    }
  }, 60_000);
});
