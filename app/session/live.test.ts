// A live capture through the session, with a backend that replays a real capture file as
// batches (the libpcap backend is tested in app/capture against tcpdump): packets go into the
// ring, events arrive in batches, the oldest packets are evicted beyond the ring's budget and
// the rest are still dissected, filtered and saved exactly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { captureThenQuiet, until } from '../../test/helpers/quiet-capture.js';
import { ReplayBackend } from './backend.js';
import type { SessionEvent, TcpAlert } from './contract.js';
import { Session } from './session.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-live-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

const FIELDS = ['-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'ip.src', '-e', 'tcp.seq_raw'];

function tsharkLines(path: string, args: string[]): string[] {
  const r = spawnSync('tshark', ['-n', '-r', path, ...args], { encoding: 'utf8' });
  return r.stdout.trim().split('\n');
}

/**
 * `file` captured live (replayed; the session is `session`) until its end, and the alerts of
 * the same file opened in a session of its own.
 */
async function replayedAndOpened(file: string): Promise<TcpAlert[]> {
  session = new Session({ backend: new ReplayBackend(file, { batchSize: 200, intervalMs: 5 }) });
  await session.handle('capture.start', { interface: 'replay' });
  await until(async () => (await session!.handle('capture.stats', {})).state === 'stopped');
  await session.whenAnalyzed();
  const opened = new Session();
  try {
    await opened.handle('file.open', { path: file });
    await opened.whenAnalyzed();
    return await opened.handle('tcp.alerts', {});
  } finally {
    await opened.dispose();
  }
}

function unansweredStreams(alerts: readonly TcpAlert[]): number[] {
  return alerts.filter((a) => a.kind === 'unanswered-syn').flatMap((a) => a.streams).sort((a, b) => a - b);
}

describe('live capture', () => {
  const rel = 'pcapplusplus/many-protocols.pcap';
  const source = corpusPath(rel);

  it('stores every packet, streams batched events, and saves what tshark reads as the source', async () => {
    session = new Session({ backend: new ReplayBackend(source, { batchSize: 200, intervalMs: 5 }), eventIntervalMs: 100 });
    const batches: SessionEvent[][] = [];
    session.subscribe((events) => batches.push(events));
    const started = await session.handle('capture.start', { interface: 'replay' });
    expect(started.source).toEqual({ kind: 'live', interface: 'replay' });
    expect(started.unsaved).toBe(true);
    await until(async () => (await session!.handle('capture.stats', {})).state === 'stopped');
    await session.handle('capture.stop', {}).catch(() => undefined);
    await session.whenAnalyzed();
    const sum = await session.handle('session.summary', {});
    const all = tsharkLines(source, FIELDS);
    expect(sum.packets).toBe(all.length);
    expect(sum.capture).toMatchObject({ captured: all.length, ringEvicted: 0 });
    await until(() => batches.flat().some((e) => e.type === 'rows' && e.packets === all.length));
    // Batches, not one event per packet: a handful of deliveries for 4709 packets.
    expect(batches.length).toBeLessThan(200);
    const events = batches.flat();
    expect(events.filter((e) => e.type === 'rows').length).toBeLessThan(200);
    expect(events.some((e) => e.type === 'stats')).toBe(true);
    // One 'opened' per connection, delivered by the flushes after the pass reached it.
    const conns = (await session.handle('tcp.connections', {})).length;
    const opened = () => batches.flat().filter((e) => e.type === 'connection' && e.event === 'opened').length;
    await until(() => opened() >= conns);
    expect(opened()).toBe(conns);

    // Rows of a live capture are the same dissection as the file's (times have the capture's
    // nanosecond precision instead of the file's microseconds).
    const fileSession = new Session();
    await fileSession.handle('file.open', { path: source });
    await fileSession.whenAnalyzed();
    const strip = (r: { time: string }) => ({ ...r, time: Number(r.time).toFixed(6) });
    const liveRows = await session.handle('packets.rows', { start: 0, end: 5000 });
    const fileRows = await fileSession.handle('packets.rows', { start: 0, end: 5000 });
    await fileSession.dispose();
    expect(liveRows.length).toBe(all.length);
    expect(liveRows.map(strip)).toEqual(fileRows.map(strip));

    const out = join(tmp, 'all.pcapng');
    expect((await session.handle('file.save', { path: out, format: 'pcapng', which: 'all' })).packets).toBe(all.length);
    expect(tsharkLines(out, FIELDS)).toEqual(all);
    expect((await session.handle('session.summary', {})).unsaved).toBe(false);
  });

  it('lists the refused and reset connections as alerts, as the same packets opened as a file do', async () => {
    const fileAlerts = await replayedAndOpened(source);
    const settled = (alerts: Array<{ kind: string; message: string; streams: number[] }>) =>
      alerts.filter((a) => a.kind === 'refused' || a.kind === 'reset').map((a) => ({ kind: a.kind, message: a.message, streams: a.streams }));
    const fromFile = settled(fileAlerts);
    expect(fromFile.length).toBeGreaterThan(0);
    expect(settled(await session!.handle('tcp.alerts', {}))).toEqual(fromFile);
  });

  it('lists a SYN not answered for 3 s of capture time while capturing', async () => {
    // One client's SYN and its three retransmissions over 12 s, never answered (tshark: every
    // packet of tcp.stream 0 a bare SYN).
    const file = corpusPath('zeek/tcp/option-sack.pcap');
    const syns = tsharkLines(file, ['-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.flags.syn', '-e', 'tcp.flags.ack', '-e', 'frame.time_relative']);
    expect(syns.every((l) => /^0\t1\t0\t/.test(l))).toBe(true);
    expect(Number(syns[syns.length - 1]!.split('\t')[3])).toBeGreaterThanOrEqual(3);
    const fileAlerts = await replayedAndOpened(file);
    expect(unansweredStreams(fileAlerts)).toEqual([0]);
    expect(unansweredStreams(await session!.handle('tcp.alerts', {}))).toEqual([0]);
  });

  it('on a network gone quiet, lists a SYN not answered 3 s after it was sent, and says so in an event', async () => {
    // A capture of one bare SYN (tshark: one packet, SYN without ACK).
    const file = corpusPath('pcapplusplus/TcpPacketWithOptions3.pcap');
    expect(tsharkLines(file, ['-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.flags.syn', '-e', 'tcp.flags.ack'])).toEqual(['0\t1\t0']);
    const quiet = await captureThenQuiet(file, 1, 3.5);
    session = quiet.session;
    // At its packet the SYN is too young; 3.5 s later it is one.
    expect(unansweredStreams(quiet.atLastPacket)).toEqual([]);
    expect(unansweredStreams(quiet.later)).toEqual([0]);
    expect(quiet.announced.map((a) => a.kind)).toEqual(['unanswered-syn']);
  });

  it('beyond the ring budget keeps the newest packets, counts the evicted, and filters what is left', async () => {
    session = new Session({ backend: new ReplayBackend(source, { batchSize: 500 }) });
    await session.handle('capture.start', { interface: 'replay', ringBytes: 1 << 20 });
    await until(async () => (await session!.handle('capture.stats', {})).state === 'stopped');
    await session.whenAnalyzed();
    const sum = await session.handle('session.summary', {});
    const all = tsharkLines(source, FIELDS);
    expect(sum.firstAvailable).toBeGreaterThan(1);
    expect(sum.capture!.ringEvicted).toBe(sum.firstAvailable - 1);
    expect(sum.packets).toBe(all.length - sum.capture!.ringEvicted);
    expect(sum.capture!.ringBytes).toBeLessThanOrEqual(1 << 20);
    const rows = await session.handle('packets.rows', { start: 0, end: 3 });
    expect(rows[0]!.number).toBe(sum.firstAvailable);
    expect(await session.handle('packets.find', { number: 1 })).toBe(-1);

    // A connection still in the ring: its ladder lists only frames the ring holds.
    const conns = await session.handle('tcp.connections', {});
    const last = conns[conns.length - 1]!;
    const life = await session.handle('tcp.lifecycle', { stream: last.stream });
    expect(life.segments!.length).toBeGreaterThan(0);
    expect(life.segments!.every((x) => x.frame >= sum.firstAvailable)).toBe(true);

    const out = join(tmp, 'kept.pcap');
    await session.handle('file.save', { path: out, format: 'pcap', which: 'all' });
    expect(tsharkLines(out, FIELDS)).toEqual(all.slice(sum.firstAvailable - 1));

    // A filter over what the ring holds: the frames tshark -Y finds among the same packets.
    const f = await session.handle('filter.apply', { text: 'udp' });
    const want = tsharkLines(out, ['-Y', 'udp', '-T', 'fields', '-e', 'frame.number']).map((n) => Number(n) + sum.firstAvailable - 1);
    expect(f.ok && f.displayed).toBe(want.length);
    const shown = await session.handle('packets.rows', { start: 0, end: 10_000 });
    expect(shown.map((r) => r.number)).toEqual(want);
  });

  it('a display filter applied during the capture keeps up with new packets', async () => {
    session = new Session({ backend: new ReplayBackend(source, { batchSize: 100, intervalMs: 2 }) });
    await session.handle('capture.start', { interface: 'replay' });
    const applied = await session.handle('filter.apply', { text: 'dns' });
    expect(applied.ok).toBe(true);
    await until(async () => (await session!.handle('capture.stats', {})).state === 'stopped');
    await session.whenAnalyzed();
    const want = tsharkLines(source, ['-Y', 'dns', '-T', 'fields', '-e', 'frame.number']).map(Number);
    const rows = await session.handle('packets.rows', { start: 0, end: 10_000 });
    expect(rows.map((r) => r.number)).toEqual(want);
  });

  it('when the capture outruns the analysis, the pass skips ahead and says so', async () => {
    session = new Session({ backend: new ReplayBackend(source, { batchSize: 5000 }), maxLiveLag: 1000 });
    await session.handle('capture.start', { interface: 'replay' });
    await until(async () => (await session!.handle('capture.stats', {})).state === 'stopped');
    await session.whenAnalyzed();
    const sum = await session.handle('session.summary', {});
    const all = tsharkLines(source, FIELDS);
    expect(sum.packets).toBe(all.length);
    expect(sum.warning).toMatch(new RegExp(`^${all.length - 1000} packets were not analysed`));
    // Every row is still there; the analysed tail has its TCP analysis as in the file.
    const rows = await session.handle('packets.rows', { start: 0, end: all.length });
    expect(rows.map((r) => r.number)).toEqual(all.map((_, i) => i + 1));
    const conns = await session.handle('tcp.connections', {});
    expect(conns.every((c) => c.start >= 0)).toBe(true);
  });

  it('writes dumpcap-style ring files while capturing', async () => {
    const dir = mkdtempSync(join(tmp, 'ring-'));
    session = new Session({ backend: new ReplayBackend(source, { batchSize: 500 }) });
    await session.handle('capture.start', { interface: 'replay', rotate: { path: join(dir, 'live.pcapng'), filesizeKB: 1000, files: 2 } });
    await until(async () => (await session!.handle('capture.stats', {})).state === 'stopped');
    const files = readdirSync(dir).sort();
    expect(files.length).toBe(2);
    const got = files.flatMap((f) => tsharkLines(join(dir, f), FIELDS));
    const all = tsharkLines(source, FIELDS);
    expect(got).toEqual(all.slice(all.length - got.length));
  });

  it('refuses ring files in a directory that does not exist, before capturing', async () => {
    session = new Session({ backend: new ReplayBackend(source) });
    await expect(session.handle('capture.start', { interface: 'replay', rotate: { path: join(tmp, 'nowhere', 'x.pcapng'), filesizeKB: 10 } }))
      .rejects.toThrow(/^cannot write ring files to .*x\.pcapng: No such file or directory$/);
    expect((await session.handle('capture.stats', {})).state).toBe('idle');
  });

  it('a backend that cannot start leaves the session usable and says why', async () => {
    session = new Session({
      backend: {
        listInterfaces: () => [],
        startLiveCapture: () => Promise.reject(new Error("You don't have permission to capture on eth9: run with cap_net_raw,cap_net_admin")),
      },
    });
    await expect(session.handle('capture.start', { interface: 'eth9' })).rejects.toThrow(/permission to capture on eth9/);
    const stats = await session.handle('capture.stats', {});
    expect(stats).toMatchObject({ state: 'error', error: expect.stringMatching(/permission/) });
    await session.handle('file.open', { path: corpusPath('pcapplusplus/three_http_streams.pcap') });
    expect((await session.handle('session.summary', {})).packets).toBe(28);
  });
});
