// The session against the real peers, on real captures: packet counts from capinfos, filter
// counts from tshark -Y and tcpdump, list rows from `tshark -n -r`, detail lines from
// `tshark -V`, byte ranges from `tshark -T pdml`, colouring rule names from `tshark --color`,
// saved files read back by tshark.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../cli/args.js';
import { summaryLine } from '../cli/output.js';
import { runRead } from '../cli/read.js';
import { StringSink } from '../cli/sink.js';
import { corpusPath } from '../../test/helpers/corpus.js';
import { tsharkCorpusFields } from '../../test/helpers/corpus-fields.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { parseTsharkEndpoints } from '../../test/helpers/tshark-conv.js';
import { sectionLines } from '../../test/helpers/verbose.js';
import type { PacketRow, SessionEvent, TreeNode } from './contract.js';
import { openCaptureFile } from '../file/reader.js';
import { CaptureWriter, writerOptionsFromInfo } from '../file/writer.js';
import { Session } from './session.js';
import { observeCapture, tcpReport } from '../tcp/report.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-session-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

async function open(rel: string, inProcess = false): Promise<Session> {
  session = new Session({ indexInProcess: inProcess });
  await session.handle('file.open', { path: corpusPath(rel) });
  await session.whenIndexed();
  return session;
}

function capinfosCount(path: string): number {
  const out = execFileSync('capinfos', ['-c', '-M', path], { encoding: 'utf8' });
  return Number(/Number of packets:\s+(\d+)/.exec(out)![1]);
}

function tsharkLines(path: string, args: string[]): string[] {
  const out = tsharkRaw(path, args).stdout.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** Frame numbers tshark -Y keeps. */
function tsharkFilter(path: string, filter: string): number[] {
  return tsharkLines(path, ['-Y', filter, '-T', 'fields', '-e', 'frame.number']).map(Number);
}

/** 3 x many-protocols.pcap = 14127 packets, more than the head indexed on the spot (written once). */
function bigCapture(): string {
  const big = join(tmp, 'big.pcap');
  if (existsSync(big)) return big;
  const r = openCaptureFile(corpusPath('pcapplusplus/many-protocols.pcap'));
  const w = CaptureWriter.create(big, writerOptionsFromInfo(r.info));
  const recs = [];
  for (let rec = r.next(); rec; rec = r.next()) recs.push({ ...rec, data: rec.data.slice() });
  r.close();
  for (let i = 0; i < 3; i++) for (const rec of recs) w.write(rec);
  w.close();
  return big;
}

/** 30 x many-protocols.pcap: ~140,000 frames rich in HTTP, DNS and TLS, far more than the pass gets through at once (written once). */
function protocolsMany(): string {
  const file = join(tmp, 'protocols-many.pcap');
  if (!existsSync(file)) execFileSync('mergecap', ['-a', '-F', 'pcap', '-w', file, ...Array.from({ length: 30 }, () => corpusPath('pcapplusplus/many-protocols.pcap'))]);
  return file;
}

describe('file.open', () => {
  it.each([
    'pcapplusplus/three_http_streams.pcap',
    'pcapplusplus/many-protocols.pcap',
    'pcapplusplus/many_interfaces-1.pcapng',
    'pcapplusplus/file_heuristics/pcapng-example.pcapng.zst',
    'zeek/tcp/timestamp.pcap',
    'tcpdump/empty.pcapng',
  ])('%s: as many packets as capinfos counts', async (rel) => {
    const s = await open(rel);
    const sum = await s.handle('session.summary', {});
    expect(sum.packets).toBe(capinfosCount(corpusPath(rel)));
    expect(sum.displayed).toBe(sum.packets);
    expect(sum.firstAvailable).toBe(1);
    expect(sum.source).toMatchObject({ kind: 'file' });
  });

  it('a file larger than the first screens: indexed in the worker, rows everywhere as in-process', async () => {
    const big = bigCapture();
    const count = capinfosCount(big);
    const rows: PacketRow[][] = [];
    for (const inProcess of [false, true]) {
      session = new Session({ indexInProcess: inProcess });
      await session.handle('file.open', { path: big });
      // The first rows are there before the whole file is indexed.
      expect((await session.handle('packets.rows', { start: 0, end: 20 })).length).toBe(20);
      await session.whenIndexed();
      expect((await session.handle('session.summary', {})).packets).toBe(count);
      // Their final rows (the pass may still be far from the end: those would come pending).
      await session.whenAnalyzed();
      rows.push(await session.handle('packets.rows', { start: count - 300, end: count }));
      await session.dispose();
      session = null;
    }
    expect(rows[0]!.map((x) => x.number)).toEqual(Array.from({ length: 300 }, (_, i) => count - 299 + i));
    expect(rows[0]).toEqual(rows[1]);

    // Opening another file before the worker finished: the worker is stopped, the new file wins.
    session = new Session();
    const errors: SessionEvent[] = [];
    session.subscribe((b) => errors.push(...b.filter((e) => e.type === 'error')));
    await session.handle('file.open', { path: big });
    await session.handle('file.open', { path: corpusPath('pcapplusplus/three_http_streams.pcap') });
    await session.whenAnalyzed();
    expect((await session.handle('session.summary', {})).packets).toBe(28);
    await new Promise((r) => setTimeout(r, 300));
    expect(errors).toEqual([]);
  });

  it('says how far the pass is while it runs, then once that it is over (the status bar\'s progress item)', async () => {
    session = new Session({ eventIntervalMs: 5 });
    const progress: Array<{ task: string; fraction: number }> = [];
    session.subscribe((b) => {
      for (const e of b) if (e.type === 'progress' && e.task !== 'index') progress.push({ task: e.task, fraction: e.fraction });
    });
    await session.handle('file.open', { path: bigCapture() });
    await session.whenAnalyzed();
    await new Promise((r) => setTimeout(r, 100));
    const running = progress.filter((p) => p.fraction < 1);
    expect(running.length).toBeGreaterThan(1);
    expect(running.map((p) => p.task)).toContain('analyze');
    // The last event, and the only one of its kind: the pass is over.
    expect(progress.filter((p) => p.fraction >= 1)).toEqual([{ task: 'analyze', fraction: 1 }]);
    expect(progress[progress.length - 1]).toEqual({ task: 'analyze', fraction: 1 });
  });

  it('a file cut short on disk while it is being analysed: the work stops with an error event, nothing hangs or crashes', async () => {
    const big = join(tmp, 'shrinking.pcap');
    const whole = readFileSync(corpusPath('pcapplusplus/many-protocols.pcap'));
    writeFileSync(big, whole);
    const events: SessionEvent[] = [];
    session = new Session({ eventIntervalMs: 20 });
    session.subscribe((b) => events.push(...b));
    await session.handle('file.open', { path: big });
    await session.whenIndexed();
    truncateSync(big, 100_000);
    await session.whenAnalyzed();
    await new Promise((r) => setTimeout(r, 100));
    expect(events.find((e) => e.type === 'error')).toMatchObject({ message: expect.stringMatching(/^analysis stopped: /) });
    // What was analysed is still served.
    expect((await session.handle('packets.rows', { start: 0, end: 5 })).length).toBe(5);
  });

  it('a file cut in the middle of a record opens as far as it is readable, with a warning', async () => {
    const whole = readFileSync(corpusPath('pcapplusplus/three_http_streams.pcap'));
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 5));
    session = new Session();
    await session.handle('file.open', { path: cut });
    await session.whenIndexed();
    const sum = await session.handle('session.summary', {});
    // tshark reads the complete records and then reports the cut one.
    const t = spawnSync('tshark', ['-n', '-r', cut, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
    expect(t.status).not.toBe(0);
    expect(sum.packets).toBe(t.stdout.trim().split('\n').length);
    expect(sum.warning).toMatch(/damaged/);
    const rows = await session.handle('packets.rows', { start: 0, end: 100 });
    expect(rows.length).toBe(sum.packets);
  });

  it('a damaged corpus file (a second section of an unknown pcapng version) opens with what tshark reads', async () => {
    const rel = 'gopacket/le/test901.pcapng';
    const s = await open(rel);
    const sum = await s.handle('session.summary', {});
    const t = spawnSync('tshark', ['-n', '-r', corpusPath(rel), '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
    expect(t.status).toBe(2);
    expect(sum.packets).toBe(t.stdout.trim().split('\n').length);
    expect(sum.warning).toMatch(/unknown SHB version 2\.0/);
    expect((await s.handle('packet.detail', { number: 1 })).tree[0]!.label).toMatch(/^Frame 1:/);
  });

  it('says plainly what is wrong with a path that is not a capture', async () => {
    session = new Session();
    await expect(session.handle('file.open', { path: join(tmp, 'missing.pcap') })).rejects.toThrow(/No such file or directory/);
    await expect(session.handle('file.open', { path: tmp })).rejects.toThrow(/Is a directory/);
    await expect(session.handle('file.open', { path: corpusPath('pcapplusplus/file_heuristics/bogus-content.txt') })).rejects.toThrow(/isn't a capture file/);
    expect((await session.handle('session.summary', {})).source).toEqual({ kind: 'none' });
  });
});

describe('packets.rows', () => {
  it.each([
    'pcapplusplus/three_http_streams.pcap',
    'pcapplusplus/DnsPackets.pcap',
    'pcapplusplus/IcmpPackets.pcap',
    'tcpdump/tcp-handshake-nano.pcap',
    'tcpdump/icmpv6.pcap',
    'pcapplusplus/one_http_stream_fin.pcap',
  ])('%s: the summary columns of tshark -n -r for the first 200 rows', async (rel) => {
    const s = await open(rel);
    const rows = await s.handle('packets.rows', { start: 0, end: 200 });
    const ours = rows.map((r) => summaryLine({ no: r.number, time: r.time, src: r.source, dst: r.destination, protocol: r.protocol, length: r.length, info: r.info }).trimEnd());
    const theirs = tsharkLines(corpusPath(rel), []).slice(0, 200).map((l) => l.trimEnd());
    expect(ours).toEqual(theirs);
  });

  it.each([
    'pcapplusplus/many-protocols.pcap',
    'pcapplusplus/many_interfaces-1.pcapng',
    'zeek/tcp/ssh-dups.pcap',
  ])('%s: every row equals the line `synscope read` prints (the same dissection)', async (rel) => {
    const s = await open(rel);
    // Rows the pass has not reached yet would come pending.
    await s.whenAnalyzed();
    const sum = await s.handle('session.summary', {});
    const rows = [];
    for (let i = 0; i < sum.packets; i += 10_000) rows.push(...(await s.handle('packets.rows', { start: i, end: i + 10_000 })));
    const out = new StringSink();
    expect(await runRead(parseReadArgs([corpusPath(rel)]), out, new StringSink())).toBe(0);
    expect(rows.map((r) => summaryLine({ no: r.number, time: r.time, src: r.source, dst: r.destination, protocol: r.protocol, length: r.length, info: r.info })).join('')).toBe(out.text());
  });

  it('answers rows far beyond the pass at once, pending, and their final rows once progress says the pass got there', async () => {
    const file = protocolsMany();
    session = new Session({ eventIntervalMs: 20 });
    const analysed: number[] = [];
    let connectionsFound = false;
    session.subscribe((batch) => {
      for (const e of batch) if (e.type === 'progress' && e.task !== 'index') analysed.push(e.analysed);
      for (const e of batch) if (e.type === 'progress' && e.task === 'analyze') connectionsFound = true;
    });
    await session.handle('file.open', { path: file });
    await session.whenIndexed();
    const total = (await session.handle('session.summary', {})).packets;
    const asked = { start: total - 40, end: total };
    // End pressed right after opening: the last rows at once, with what needs no earlier packet.
    const early = await session.handle('packets.rows', asked);
    // Once the pre-pass found the connections in the whole file (the full pass still far away),
    // they have their tcp.stream.
    connectionsFound = false;
    while (!connectionsFound) await new Promise((r) => setTimeout(r, 10));
    const streams = await session.handle('packets.rows', asked);

    // (tshark only now: reading the file takes it seconds, in which the pass goes on.)
    const lines = (rows: PacketRow[]) => rows.map((r) => summaryLine({ no: r.number, time: r.time, src: r.source, dst: r.destination, protocol: r.protocol, length: r.length, info: r.info }).trimEnd());
    const theirs = tsharkLines(file, []).slice(-40).map((l) => l.trimEnd());
    expect(early.map((r) => r.pending)).toEqual(early.map(() => true));
    expect(early.map((r) => r.info)).toEqual(early.map(() => ''));
    expect(early.map((r) => r.colorRule)).toEqual(early.map(() => undefined));
    const blankInfo = (l: string) => l.replace(/^(\s*\d+\s+\S+\s+\S+ → \S+\s+)\S+ (\d+).*$/, '$1$2');
    expect(lines(early).map(blankInfo)).toEqual(theirs.map(blankInfo));
    expect(streams.every((r) => r.pending)).toBe(true);
    const tcpStreams = tsharkLines(file, ['-T', 'fields', '-e', 'tcp.stream']).slice(-40).map((t) => (t === '' ? undefined : Number(t)));
    expect(tcpStreams.some((t) => t !== undefined)).toBe(true);
    expect(streams.map((r) => r.tcpStream)).toEqual(tcpStreams);

    await session.whenAnalyzed();
    await new Promise((r) => setTimeout(r, 100));
    // The progress events said how far the pass got, up to the last frame.
    expect(analysed).toEqual([...analysed].sort((a, b) => a - b));
    expect(analysed[analysed.length - 1]).toBe(total);
    const final = await session.handle('packets.rows', asked);
    expect(final.some((r) => r.pending)).toBe(false);
    expect(lines(final)).toEqual(theirs);
  });

  it('rows of a filtered view are the frames tshark -Y keeps, in order', async () => {
    const rel = 'zeek/tcp/ssh-dups.pcap';
    const s = await open(rel);
    await s.handle('filter.apply', { text: 'tcp.analysis.flags' });
    const rows = await s.handle('packets.rows', { start: 0, end: 10_000 });
    expect(rows.map((r) => r.number)).toEqual(tsharkFilter(corpusPath(rel), 'tcp.analysis.flags'));
    expect(await s.handle('packets.find', { number: rows[1]!.number })).toBe(1);
    expect(await s.handle('packets.find', { number: 1 })).toBe(-1);
  });

  it.each([
    'pcapplusplus/three_http_streams.pcap',
    'pcapplusplus/DnsPackets.pcap',
    'pcapplusplus/IcmpPackets.pcap',
    'zeek/tcp/ssh-dups.pcap',
    'tcpdump/tcp_rst_data.pcap',
    'pcapplusplus/EthDot3.pcap',
  ])('%s: the colouring rule of every row is the one tshark --color names', async (rel) => {
    const s = await open(rel);
    const sum = await s.handle('session.summary', {});
    const rows = await s.handle('packets.rows', { start: 0, end: sum.packets });
    const theirs = tsharkLines(corpusPath(rel), ['--color', '-T', 'fields', '-e', 'frame.coloring_rule.name']);
    expect(rows.map((r) => r.colorRule ?? '')).toEqual(theirs);
  });

  it('formats the time column as asked', async () => {
    const rel = 'tcpdump/tcp-handshake-nano.pcap';
    const s = await open(rel);
    for (const [fmt, t] of [['delta', 'd'], ['epoch', 'e'], ['utc', 'ud']] as const) {
      const rows = await s.handle('packets.rows', { start: 0, end: 10, timeFormat: fmt });
      const theirs = tsharkLines(corpusPath(rel), ['-t', t, '-T', 'fields', '-e', '_ws.col.Time']).slice(0, 10);
      expect(rows.map((r) => r.time)).toEqual(theirs);
    }
  });

  it('formats absolute times as tshark -t ad does, a stamp in the year 586524 included', async () => {
    const rel = 'pcapplusplus/pcapng-example.pcapng';
    const s = await open(rel);
    const sum = await s.handle('session.summary', {});
    const rows = await s.handle('packets.rows', { start: 0, end: sum.packets, timeFormat: 'absolute' });
    const theirs = tsharkLines(corpusPath(rel), ['-t', 'ad', '-T', 'fields', '-e', '_ws.col.Time']);
    expect(theirs.some((t) => t.startsWith('586524-'))).toBe(true);
    expect(rows.map((r) => r.time)).toEqual(theirs);
  });

  it('carries tcp.stream for "Follow TCP stream"', async () => {
    const rel = 'pcapplusplus/three_http_streams.pcap';
    const s = await open(rel);
    const rows = await s.handle('packets.rows', { start: 0, end: 100 });
    const theirs = tsharkLines(corpusPath(rel), ['-T', 'fields', '-e', 'tcp.stream']);
    expect(rows.map((r) => (r.tcpStream === undefined ? '' : String(r.tcpStream)))).toEqual(theirs);
  });
});

/**
 * Opens `file` in a new session (left in `session`) and applies `filter` at once: answered
 * before the in-order pass is over, with the frames tshark -Y keeps. Returns the `filtering`
 * of each rows event until then (undefined: the event said the filter was done).
 */
async function expectFilterBeforePass(file: string, filter: string): Promise<Array<number | undefined>> {
  session = new Session({ eventIntervalMs: 20 });
  const filtering: Array<number | undefined> = [];
  session.subscribe((batch) => {
    for (const e of batch) if (e.type === 'rows') filtering.push(e.filtering);
  });
  await session.handle('file.open', { path: file });
  let analyzed = false;
  // Disposed later, maybe before the pass ends: that rejects this wait (ClosedError).
  void session.whenAnalyzed().then(() => (analyzed = true), () => {});
  const r = await session.handle('filter.apply', { text: filter });
  expect(analyzed, 'answered before the pass was done').toBe(false);
  const rows = await session.handle('packets.rows', { start: 0, end: 1_000_000 });
  expect(r.ok && r.displayed).toBe(rows.length);
  expect(rows.map((row) => row.number)).toEqual(tsharkFilter(file, filter));
  await new Promise((r) => setTimeout(r, 100));
  return filtering;
}

describe('filter.apply', () => {
  const cases: Array<[string, string]> = [
    ['pcapplusplus/many-protocols.pcap', 'tcp'],
    ['pcapplusplus/many-protocols.pcap', 'udp.port == 53 || icmp'],
    ['pcapplusplus/many-protocols.pcap', 'ip.ttl < 64 && !tcp'],
    ['zeek/tcp/ssh-dups.pcap', 'tcp.analysis.retransmission'],
    ['pcapplusplus/three_http_streams.pcap', 'http.request.method == "GET"'],
    ['pcapplusplus/DnsPackets.pcap', 'dns.flags.response == 1'],
    // Fragments: the fast path refuses them; the datagram's last fragment shows the transport.
    ['pcapplusplus/ip4_fragments.pcap', 'udp || tcp || icmp'],
    ['pcapplusplus/ip6_fragments.pcap', 'udp || tcp || icmpv6'],
    ['pcapplusplus/frag_with_padding.pcap', 'udp.port > 0 || tcp.port > 0'],
  ];
  it.each(cases)('%s: %s displays what tshark -Y displays', async (rel, filter) => {
    const s = await open(rel);
    const r = await s.handle('filter.apply', { text: filter });
    expect(r).toMatchObject({ ok: true, language: 'display' });
    const want = tsharkFilter(corpusPath(rel), filter);
    expect(r.ok && r.displayed).toBe(want.length);
    expect((await s.handle('session.summary', {})).displayed).toBe(want.length);
  });

  it('answers ahead of the in-order pass, fragments included, with the frames tshark keeps', async () => {
    // Many copies of the fragment captures one after the other: far more frames than the pass
    // gets through before the filter is applied, with datagrams completing all along the file.
    const parts = ['pcapplusplus/ip4_fragments.pcap', 'pcapplusplus/ip6_fragments.pcap', 'pcapplusplus/frag_with_padding.pcap'].map(corpusPath);
    const file = join(tmp, 'fragments-many.pcapng');
    execFileSync('mergecap', ['-a', '-w', file, ...Array.from({ length: 150 }, () => parts).flat()]);
    for (const filter of ['udp || tcp || icmp || icmpv6', 'udp.port == 2049']) {
      await expectFilterBeforePass(file, filter);
      await session!.dispose();
      session = null;
    }
  });

  it('takes a filter worker\'s verdicts on a large file, ahead of the pass, with the frames tshark keeps', async () => {
    // A filter on fields only a dissection gives, applied as soon as the file opens.
    const filtering = await expectFilterBeforePass(protocolsMany(), 'http.request.method == "GET" || dns.qry.name contains "a" || tls.handshake.type == 1');
    expect(session!.workerVerdicts).toBeGreaterThan(0);
    // The filter bar's "Filtering… n%": rising while the filter runs, then gone.
    const during = filtering.filter((f) => f !== undefined);
    expect(during.length).toBeGreaterThan(1);
    expect(during).toEqual([...during].sort((a, b) => a - b));
    expect(Math.max(...during)).toBeLessThan(1);
    expect(filtering[filtering.length - 1]).toBeUndefined();
  });

  it('reads a tcpdump expression as one and counts what tcpdump counts', async () => {
    const rel = 'pcapplusplus/many-protocols.pcap';
    const s = await open(rel);
    const expr = 'tcp[tcpflags] & tcp-syn != 0 or udp port 53';
    const r = await s.handle('filter.apply', { text: expr });
    const tcpdump = execFileSync('tcpdump', ['-n', '-r', corpusPath(rel), expr], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(r).toMatchObject({ ok: true, language: 'tcpdump' });
    expect(r.ok && r.displayed).toBe(tcpdump.trim().split('\n').length);
  });

  it('reports an error with its span and keeps the previous view', async () => {
    const s = await open('pcapplusplus/three_http_streams.pcap');
    await s.handle('filter.apply', { text: 'tcp.flags.syn == 1' });
    const bad = await s.handle('filter.apply', { text: 'tcp.port == ' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ message: 'Unexpected end of filter expression.', start: 12 });
    const sum = await s.handle('session.summary', {});
    expect(sum.filter).toBe('tcp.flags.syn == 1');
    expect(sum.displayed).toBe(tsharkFilter(corpusPath('pcapplusplus/three_http_streams.pcap'), 'tcp.flags.syn == 1').length);
    const check = await s.handle('filter.check', { text: 'port 80' });
    expect(check).toMatchObject({ ok: true, language: 'tcpdump', equivalent: { language: 'display' } });
    const cleared = await s.handle('filter.apply', { text: '' });
    expect(cleared).toMatchObject({ ok: true, language: 'none', displayed: sum.packets });
  });

  it('completes field names from the registry and values seen in the capture', async () => {
    const s = await open('pcapplusplus/three_http_streams.pcap');
    const fields = await s.handle('filter.fields', { prefix: 'tcp.flags.', limit: 100 });
    expect(fields.map((f) => f.name)).toContain('tcp.flags.syn');
    expect(fields.find((f) => f.name === 'tcp.flags.syn')!.type).toBe('FT_BOOLEAN');
    // Values are the ones the pass has seen so far: all of them once it has ended.
    await s.whenAnalyzed();
    const addrs = await s.handle('filter.values', { field: 'ip.src', prefix: '' });
    const theirs = new Set(tsharkLines(corpusPath('pcapplusplus/three_http_streams.pcap'), ['-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst']).flatMap((l) => l.split('\t')));
    expect(new Set(addrs)).toEqual(theirs);
    expect(await s.handle('filter.values', { field: 'tcp.stream', prefix: '' })).toEqual(['0', '1', '2']);
  });
});

/** The tree as `tshark -V` prints it: 4 spaces per level; `collapsed` roots print one line (-O). */
function treeLines(nodes: TreeNode[], collapsed: Set<string> = new Set(), depth = 0, out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(' '.repeat(depth * 4) + n.label);
    if (n.children && !(depth === 0 && collapsed.has(n.field))) treeLines(n.children, collapsed, depth + 1, out);
  }
  return out;
}

/** tshark -V output cut into its top-level blocks (a line without indentation starts one). */
function blocks(lines: string[]): string[][] {
  const out: string[][] = [];
  for (const l of lines) {
    if (!l.startsWith(' ') || out.length === 0) out.push([l]);
    else out[out.length - 1]!.push(l);
  }
  return out;
}

function findNode(nodes: TreeNode[], field: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.field === field) return n;
    const c = n.children ? findNode(n.children, field) : undefined;
    if (c) return c;
  }
  return undefined;
}

describe('packet.detail', () => {
  // tshark -2 -V (two passes, as a GUI shows a packet after the whole file was read: a DNS query
  // knows its response): the top-level blocks of the protocols compared, line for line.
  it.each([
    ['pcapplusplus/three_http_streams.pcap', 12, ['eth', 'ip']],
    ['pcapplusplus/DnsPackets.pcap', 3, ['eth', 'ip']],
    ['tcpdump/icmpv6.pcap', 5, ['eth', 'icmpv6']],
    ['pcapplusplus/IcmpPackets.pcap', 1, ['eth', 'icmp']],
    ['zeek/dhcp/dhcp.pcap', 2, ['dhcp']],
  ] as const)('%s frame %i: the lines of tshark -2 -V for %j', async (rel, n, protos) => {
    const s = await open(rel);
    const d = await s.handle('packet.detail', { number: n });
    const theirs = blocks(tsharkLines(corpusPath(rel), ['-2', '-V', '-Y', `frame.number == ${n}`]).filter((l) => l !== ''));
    const ours = d.tree.map((root) => treeLines([root]));
    expect(ours.map((b) => b[0])).toEqual(theirs.map((b) => b[0]));
    for (const p of protos) {
      const i = d.tree.findIndex((r) => r.field === p);
      expect(i, p).toBeGreaterThanOrEqual(0);
      expect(ours[i]).toEqual(theirs[i]);
    }
    expect(Buffer.from(d.sources[0]!.bytes, 'base64').length).toBe(Number(/(\d+) bytes captured/.exec(theirs[0]![0]!)![1]));
  });

  it('shows Expert Info items where tshark -V does: a retransmission\'s inside TCP Analysis Flags, a duplicate ACK\'s under its frame, a SYN\'s under the flag', async () => {
    const rel = 'tcpdump/pptp.pcap';
    const s = await open(rel);
    for (const n of [1, 2, 3, 7]) {
      const d = await s.handle('packet.detail', { number: n });
      const theirs = sectionLines(tsharkRaw(corpusPath(rel), ['-V', '-Y', `frame.number == ${n}`]).stdout, '[Expert Info (');
      expect(theirs.length, `frame ${n}`).toBeGreaterThan(0);
      expect(sectionLines(treeLines(d.tree).join('\n'), '[Expert Info (')).toEqual(theirs);
    }
  });

  it('numbers an HTTP request out of all the connection\'s requests, as tshark -2 -V does', async () => {
    const rel = 'zeek/http/pipelined-requests.pcap';
    const numbering = /^ {4}\[HTTP (request|response) \d+\/\d+\]$/;
    const s = await open(rel);
    for (const n of [4, 6]) {
      const d = await s.handle('packet.detail', { number: n });
      const theirs = tsharkLines(corpusPath(rel), ['-2', '-V', '-Y', `frame.number == ${n}`]).filter((l) => numbering.test(l));
      expect(theirs).toHaveLength(1);
      expect(treeLines(d.tree).filter((l) => numbering.test(l))).toEqual(theirs);
    }
  });

  it('shows a reassembled PDU with the bytes tshark reassembled, read again from the file', async () => {
    const rel = 'pcapplusplus/tls.pcap';
    const s = await open(rel);
    await s.whenAnalyzed();
    const theirs = tsharkLines(corpusPath(rel), ['-Y', 'tcp.reassembled.data', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.reassembled.data']);
    expect(theirs.length).toBeGreaterThan(0);
    for (const line of theirs) {
      const [n, data] = line.split('\t');
      const d = await s.handle('packet.detail', { number: Number(n) });
      const reassembled = d.sources.find((x) => x.name === 'Reassembled TCP');
      expect(reassembled, `frame ${n}`).toBeDefined();
      expect(Buffer.from(reassembled!.bytes, 'base64').toString('hex'), `frame ${n}`).toBe(data);
    }
  });

  it('byte ranges equal tshark -T pdml pos/size', async () => {
    const rel = 'pcapplusplus/three_http_streams.pcap';
    const n = 12;
    const s = await open(rel);
    const d = await s.handle('packet.detail', { number: n });
    const pdml = tsharkRaw(corpusPath(rel), ['-T', 'pdml', '-Y', `frame.number == ${n}`]).stdout;
    const fields = ['eth.src', 'ip.src', 'ip.ttl', 'ip.flags.df', 'tcp.srcport', 'tcp.flags', 'tcp.flags.push', 'tcp.window_size_value', 'tcp.seq_raw', 'tcp.hdr_len', 'tcp.checksum', 'tcp.payload', 'http.request.method', 'http.request.uri'];
    for (const f of fields) {
      const m = new RegExp(`<field name="${f.replace(/\./g, '\\.')}"[^>]*? size="(\\d+)" pos="(\\d+)"`).exec(pdml);
      expect(m, f).not.toBeNull();
      const node = findNode(d.tree, f);
      expect(node, f).toBeDefined();
      expect([f, node!.start, node!.length]).toEqual([f, Number(m![2]), Number(m![1])]);
    }
  });

  it('gives each node a filter that selects the packet', async () => {
    const rel = 'pcapplusplus/three_http_streams.pcap';
    const s = await open(rel);
    const d = await s.handle('packet.detail', { number: 12 });
    for (const f of ['ip.src', 'tcp.srcport', 'http.host', 'tcp.flags', 'eth.dst']) {
      const filter = findNode(d.tree, f)!.filter!;
      expect(tsharkFilter(corpusPath(rel), filter), filter).toContain(12);
      const ours = await s.handle('filter.apply', { text: filter });
      expect(ours.ok && ours.displayed, filter).toBe(tsharkFilter(corpusPath(rel), filter).length);
    }
  });
});

describe('file.save', () => {
  const rel = 'zeek/tcp/ssh-dups.pcap';
  const frameFields = ['-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'tcp.seq_raw'];

  it.each(['pcap', 'pcapng'] as const)('displayed packets as %s: tshark reads the same packets', async (format) => {
    const s = await open(rel);
    const filter = 'tcp.len > 0';
    await s.handle('filter.apply', { text: filter });
    const out = join(tmp, `displayed.${format}`);
    const r = await s.handle('file.save', { path: out, format, which: 'displayed' });
    const want = tsharkLines(corpusPath(rel), ['-Y', filter, ...frameFields]);
    expect(r.packets).toBe(want.length);
    const got = spawnSync('tshark', ['-n', '-r', out, ...frameFields], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(got).toEqual(want);
  });

  it('says why a save cannot be written, and leaves nothing behind', async () => {
    const s = await open(rel);
    await expect(s.handle('file.save', { path: join(tmp, 'no-such-dir', 'x.pcap'), format: 'pcap', which: 'all' })).rejects.toThrow(/^cannot save to .*x\.pcap: No such file or directory$/);
    await expect(s.handle('file.save', { path: join(tmp, 'r.pcap'), format: 'pcap', which: 'range', range: { first: 1, last: 10_000 } })).rejects.toThrow(/not within the available frames 1\.\.\d+/);
  });

  it('a range and selected frames', async () => {
    const s = await open(rel);
    const out = join(tmp, 'range.pcapng');
    expect(await s.handle('file.save', { path: out, format: 'pcapng', which: 'range', range: { first: 10, last: 19 } })).toEqual({ path: out, packets: 10 });
    const all = tsharkLines(corpusPath(rel), frameFields);
    expect(spawnSync('tshark', ['-n', '-r', out, ...frameFields], { encoding: 'utf8' }).stdout.trim().split('\n')).toEqual(all.slice(9, 19));
    const sel = join(tmp, 'selected.pcap');
    expect((await s.handle('file.save', { path: sel, format: 'pcap', which: 'selected', frames: [5, 2, 40] })).packets).toBe(3);
    expect(spawnSync('tshark', ['-n', '-r', sel, ...frameFields], { encoding: 'utf8' }).stdout.trim().split('\n')).toEqual([all[1], all[4], all[39]]);
  });
});

describe('TCP and statistics', () => {
  it('connections, conversations and endpoints of a whole capture', async () => {
    const rel = 'pcapplusplus/three_http_streams.pcap';
    const s = await open(rel);
    const conns = await s.handle('tcp.connections', {});
    expect(conns.map((c) => c.stream)).toEqual([0, 1, 2]);
    expect(conns.every((c) => c.endState === 'closed')).toBe(true);
    // tshark -z conv,tcp: frames per conversation.
    const conv = await s.handle('stats.conversations', { proto: 'TCP' });
    const zconv = tsharkRaw(corpusPath(rel), ['-q', '-z', 'conv,tcp']).stdout;
    for (const c of conv) {
      const line = zconv.split('\n').find((l) => l.startsWith(`${c.addressA}:${c.portA} `))!;
      const nums = line.replace(/\s+/g, ' ').split(' <-> ')[1]!.split(' ');
      expect([c.framesBtoA, c.framesAtoB, c.framesAtoB + c.framesBtoA]).toEqual([Number(nums[1]), Number(nums[4]), Number(nums[7])]);
    }
    const eps = await s.handle('stats.endpoints', {});
    const zeps = tsharkRaw(corpusPath(rel), ['-q', '-z', 'endpoints,ip']).stdout;
    for (const e of eps) {
      const line = zeps.split('\n').find((l) => l.startsWith(e.address + ' '))!.trim().split(/\s+/);
      expect([e.packets, e.bytes, e.txPackets, e.txBytes, e.rxPackets, e.rxBytes]).toEqual(line.slice(1, 7).map(Number));
    }
  });

  it('the connections found so far, answered before the whole list', async () => {
    const rel = 'pcapplusplus/many-protocols.pcap';
    const s = await open(rel);
    const answered: string[] = [];
    const whole = s.handle('tcp.connections', {}).then((rows) => (answered.push('whole'), rows));
    const soFar = s.handle('tcp.connections', { soFar: true }).then((rows) => (answered.push('so far'), rows));
    const [all, some] = await Promise.all([whole, soFar]);
    // The whole list waits for the first pass; what was found so far does not.
    expect(answered).toEqual(['so far', 'whole']);
    expect(all.length).toBe(new Set(tsharkCorpusFields(corpusPath(rel), ['tcp.stream']).rows.flatMap((r) => r[0]!.split(',')).filter(Boolean)).size);
    expect(some.length).toBeLessThanOrEqual(all.length);
    expect(some.map((r) => [r.stream, r.client, r.clientPort, r.server, r.serverPort])).toEqual(all.slice(0, some.length).map((r) => [r.stream, r.client, r.clientPort, r.server, r.serverPort]));
    // Once the pass is over, so far is everything.
    expect(await s.handle('tcp.connections', { soFar: true })).toEqual(all);
  });

  it('the endpoints come with the first pass, before every frame is dissected', async () => {
    const rel = 'pcapplusplus/many-protocols.pcap';
    const s = await open(rel);
    const answered: string[] = [];
    // Asked second, answered first: the first pass counts them from the headers.
    const analysed = s.whenAnalyzed().then(() => answered.push('every frame dissected'));
    const endpoints = s.handle('stats.endpoints', {}).then((rows) => (answered.push('endpoints'), rows));
    const [rows] = await Promise.all([endpoints, analysed]);
    expect(answered).toEqual(['endpoints', 'every frame dissected']);
    // tshark's counts, also once the full pass went over the frames the first pass counted.
    const byAddress = (list: typeof rows) => [...list].sort((a, b) => (a.address < b.address ? -1 : 1)).map((r) => ({ ...r }));
    const tshark = byAddress(parseTsharkEndpoints(tsharkRaw(corpusPath(rel), ['-q', '-z', 'endpoints,ip', '-z', 'endpoints,ipv6']).stdout));
    expect(byAddress(rows)).toEqual(tshark);
    expect(byAddress(await s.handle('stats.endpoints', {}))).toEqual(tshark);
  });

  it.each([
    'zeek/tcp/ssh-dups.pcap',
    'zeek/tcp/retransmit-fast009.pcap',
    'zeek/tcp/truncated-header.pcap',
    'pcapplusplus/many-protocols.pcap',
    'pcapplusplus/ip4_fragments.pcap',
    'tcpdump/pptp.pcap',
    'zeek/ftp',
  ])('%s: every connection\'s ladder is the one a dissection of each of its frames gives', async (rel) => {
    const path = corpusPath(rel);
    const files = statSync(path).isDirectory() ? readdirSync(path).filter((f) => /\.p?cap(ng)?$/.test(f)).map((f) => join(path, f)) : [path];
    for (const file of files) {
      // The reference: `synscope tcp`'s report with every packet dissected in order.
      const want = (await tcpReport(observeCapture(file, { fast: false }))).connections;
      session = new Session();
      await session.handle('file.open', { path: file });
      for (const c of want) expect(await session.handle('tcp.lifecycle', { stream: c.stream }), `${file} tcp.stream ${c.stream}`).toEqual(c);
      // The same after the list's rows were read (dissections of the same frames, which must
      // leave nothing behind for the next ladder).
      await session.whenAnalyzed();
      await session.handle('packets.rows', { start: 0, end: 1_000_000 });
      for (const c of want) expect(await session.handle('tcp.lifecycle', { stream: c.stream }), `${file} tcp.stream ${c.stream} after the rows`).toEqual(c);
      await session.dispose();
      session = null;
    }
  });

  it.each([
    ['zeek/tcp/ssh-dups.pcap', 0],
    ['zeek/tcp/handshake-reorder.pcap', 0],
    ['zeek/tcp/tcp-fast-open.pcap', 0],
    ['zeek/ftp/ipv4.pcap', 1],
    ['pcapplusplus/tls.pcap', 0],
    ['pcapplusplus/many-protocols.pcap', 3],
    ['tcpdump/dns_tcp.pcap', 0],
  ])('%s: following tcp.stream %i gives what tshark -z follow,tcp,raw gives', async (rel, stream) => {
    const s = await open(rel);
    const followed = await s.handle('tcp.follow', { stream });
    const raw = tsharkRaw(corpusPath(rel), ['-q', '-z', `follow,tcp,raw,${stream}`]).stdout;
    const runs = raw.split('\n').filter((l) => /^\t?[0-9a-f]+$/.test(l));
    expect(runs.length).toBeGreaterThan(0);
    expect(followed.chunks.map((c) => (c.from === 'server' ? '\t' : '') + Buffer.from(c.bytes, 'base64').toString('hex'))).toEqual(runs);
  });

  it('a ladder comes from the pre-pass, before the full pass reached its connection\'s last frame', async () => {
    const file = protocolsMany();
    session = new Session();
    await session.handle('file.open', { path: file });
    const conns = await session.handle('tcp.connections', { soFar: false });
    const last = conns[conns.length - 1]!;
    let analysed = false;
    void session.whenAnalyzed().then(() => (analysed = true), () => {});
    const early = await session.handle('tcp.lifecycle', { stream: last.stream });
    expect(analysed, 'answered before the pass was done').toBe(false);
    await session.whenAnalyzed();
    expect(early).toEqual(await session.handle('tcp.lifecycle', { stream: last.stream }));
    expect(early.segments!.map((x) => x.frame)).toEqual(tsharkFilter(file, `tcp.stream == ${last.stream}`));
  });

  it('a lifecycle with its segments and a followed stream', async () => {
    const rel = 'pcapplusplus/three_http_streams.pcap';
    const s = await open(rel);
    const life = await s.handle('tcp.lifecycle', { stream: 1 });
    const frames = tsharkFilter(corpusPath(rel), 'tcp.stream == 1');
    expect(life.segments!.map((x) => x.frame)).toEqual(frames);
    const followed = await s.handle('tcp.follow', { stream: 1 });
    const raw = tsharkRaw(corpusPath(rel), ['-q', '-z', 'follow,tcp,raw,1']).stdout;
    // tshark prints each run as hex, server runs indented by a tab.
    const runs = raw.split('\n').filter((l) => /^\t?[0-9a-f]+$/.test(l));
    expect(followed.chunks.map((c) => (c.from === 'server' ? '\t' : '') + Buffer.from(c.bytes, 'base64').toString('hex'))).toEqual(runs);
    await expect(s.handle('tcp.lifecycle', { stream: 99 })).rejects.toThrow(/no TCP stream 99/);
  });
});
