// The first pass of `read -Y` (stream-needs.ts) against dissecting every packet: on every corpus
// capture, for filters that pick packets in the middle of connections, the printed lines, the
// error and the status are the same with and without it. The lines printed without it are the
// ones corpus.diff.test.ts compares with tshark.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { mutatedEthernetPcap } from '../../test/helpers/mutated-corpus.js';
import { icmpEchoFrame, pcapFile, tcpFrame, udpFrame } from '../../test/helpers/pcap-build.js';
import { tsharkFields } from '../../test/helpers/tshark.js';
import { fastPathCovers } from '../filter/fast-fields.js';
import { parseReadArgs } from './args.js';
import { compileReadFilters } from './filters.js';
import { openForRead } from './open-capture.js';
import { firstPass, runRead } from './read.js';
import { ReadPass } from './read-pass.js';
import { StringSink } from './sink.js';
import { CaptureFileError } from '../file/types.js';
import { DEPEND, SHOW, SKIP, StreamNeeds, TRACK } from './stream-needs.js';

const SYN = 0x02, RST = 0x04, ACK = 0x10, PSH = 0x08;

describe('StreamNeeds: a matching packet needs the earlier packets of its connection only', () => {
  // Two connections from 10.0.0.1:40000, to port 80 (A) and 8080 (B), and a DNS query.
  const frames: Array<[Uint8Array, boolean]> = [
    [tcpFrame(true, 100, 0, SYN, '', 80), false],
    [tcpFrame(true, 500, 0, SYN, '', 8080), false],
    [tcpFrame(false, 900, 101, SYN | ACK, '', 80), false],
    [tcpFrame(false, 700, 501, SYN | ACK, '', 8080), false],
    [udpFrame([10, 0, 0, 1], 5353, [10, 0, 0, 2], 53, new Uint8Array(12)), false],
    [tcpFrame(true, 101, 901, PSH | ACK, 'GET / HTTP/1.1\r\n\r\n', 80), true],
    [tcpFrame(false, 901, 119, ACK, '', 80), false],
    [tcpFrame(true, 501, 701, PSH | ACK, 'GET / HTTP/1.1\r\n\r\n', 8080), false],
  ];

  function plan(extra: Array<[Uint8Array, boolean, number?]> = []): number[] {
    const needs = new StreamNeeds();
    [...frames, ...extra].forEach(([data, matched, capLen], i) => needs.note(i + 1, data, needs.decode(data, 0, capLen ?? data.length, data.length, 1), false, null, matched));
    return [...needs.finish()].slice(1);
  }

  it('keeps the handshake before the match, skips what follows it and the other connections', () => {
    expect(plan()).toEqual([DEPEND, SKIP, DEPEND, SKIP, SKIP, SHOW, SKIP, SKIP]);
  });

  it('gives the tracker alone what comes before a match without payload (a RST) after the last match with one', () => {
    const reset = tcpFrame(true, 119, 0, RST, '', 80);
    expect(plan([[reset, true]])).toEqual([DEPEND, SKIP, DEPEND, SKIP, SKIP, SHOW, TRACK, SKIP, SHOW]);
  });

  it('needs every earlier packet for a match whose connection the headers do not tell (cut short)', () => {
    const cut = tcpFrame(true, 519, 701, ACK, 'x'.repeat(40), 8080);
    expect(plan([[cut, true, 60]])).toEqual([DEPEND, DEPEND, DEPEND, DEPEND, DEPEND, SHOW, DEPEND, DEPEND, SHOW]);
  });

  it('skips pings when no packet without ports matches, and keeps a matching reply\'s request', () => {
    const request = icmpEchoFrame(true, 1), reply = icmpEchoFrame(false, 1);
    // Neither matches, and no line of a connection depends on them: both are skipped.
    expect(plan([[request, false], [reply, false]]).slice(-2)).toEqual([SKIP, SKIP]);
    // A matching reply names its request ("request in 9"): the request is dissected first.
    expect(plan([[request, false], [reply, true]]).slice(-2)).toEqual([DEPEND, SHOW]);
  });

  it('gives up (nearly every packet matches) only a quarter of the file in', () => {
    // 70000 matching packets of 100 bytes each, in a file of 100 MB: the mix may change later.
    const syn = tcpFrame(true, 100, 0, SYN, '');
    const needs = new StreamNeeds(100_000_000);
    const headers = needs.decode(syn, 0, syn.length, syn.length, 1);
    for (let n = 1; n <= 70000; n++) needs.note(n, syn, headers, false, null, true, 24 + 100 * n);
    expect(needs.pointless).toBe(false);
    needs.note(70001, syn, headers, false, null, true, 25_000_000);
    expect(needs.pointless).toBe(true);
    // Without the file's size (a pipe, a file whose size is unknown): from 65536 packets on.
    const unknown = new StreamNeeds();
    for (let n = 1; n <= 65536; n++) unknown.note(n, syn, headers, false, null, true, 24 + 100 * n);
    expect(unknown.pointless).toBe(true);
  });

  it('dissects the packets it cannot place even when nothing after them matches', () => {
    const cut = tcpFrame(true, 519, 701, ACK, 'x'.repeat(40), 8080);
    expect(plan([[cut, false, 60]]).at(-1)).toBe(DEPEND);
  });
});

async function read(args: string[], firstPass: boolean): Promise<{ status: number; out: string; err: string }> {
  const o = { ...parseReadArgs(args), firstPass };
  const out = new StringSink(), err = new StringSink();
  const status = await runRead(o, out, err);
  return { status, out: out.text(), err: err.text() };
}

/**
 * Packets in the middle of connections, their ends, a tcpdump expression in the filter bar,
 * segments without payload or FIN (whose connections' data only goes through the tracker), and
 * replies of packets without ports.
 */
const FILTERS = [
  'tcp.flags.syn == 1', 'tcp.len > 0 && frame.len > 300', 'tcp.flags.fin == 1 || tcp.flags.reset == 1', 'udp.port == 53 || tcp.port == 443',
  'tcp[tcpflags] & tcp-push != 0', 'tcp.len == 0 && tcp.flags.fin == 0',
  // Packets without ports: an echo reply's line names its request, ARP notes duplicates.
  'icmp.type == 0 || icmpv6.type == 129 || arp.opcode == 2',
];

describe('read -Y: dissecting only what the matching packets depend on prints what dissecting all prints', () => {
  let skipped = 0, tracked = 0;
  for (const rel of corpusCaptures()) {
    it(rel, async () => {
      for (const filter of FILTERS) {
        const args = [corpusPath(rel), '-Y', filter];
        const all = await read(args, false);
        const needed = await read(args, true);
        expect(needed.status, filter).toBe(all.status);
        expect(needed.err, filter).toBe(all.err);
        expect(needed.out, filter).toBe(all.out);
        const o = parseReadArgs(args);
        const src = openForRead(o.file, new StringSink());
        if (typeof src === 'number') continue;
        const compiled = compileReadFilters(o.displayFilter, null);
        if (!compiled.ok) throw new Error(compiled.error);
        // Every filter here reads header fields only: read took the first pass above.
        const display = compiled.filters.display;
        expect(display === null || fastPathCovers(display.fields), filter).toBe(true);
        const plan = await firstPass(o, src.info, compiled.filters);
        src.close();
        if (plan) {
          for (const p of plan) {
            if (p === SKIP) skipped++;
            if (p === TRACK) tracked++;
          }
        }
      }
    });
  }
  it('the comparisons skipped packets, and gave some to the tracker alone', () => {
    // Runs after the per-file cases: tens of thousands of corpus packets were not dissected,
    // and the SYN and FIN/RST filters' earlier packets went through the tracker only.
    expect(skipped).toBeGreaterThan(10000);
    expect(tracked).toBeGreaterThan(1000);
  });
});

describe('read -Y: the same on mutated headers (connections the hash places wrongly or not at all)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-stream-needs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const seed = Number(process.env.SYNSCOPE_FUZZ_SEED ?? Date.now() % 0x7fffffff);

  it(`every corpus Ethernet packet, a third mutated (seed ${seed}; replay with SYNSCOPE_FUZZ_SEED=${seed})`, async () => {
    const file = join(dir, 'mutated.pcap');
    writeFileSync(file, await mutatedEthernetPcap(seed));
    for (const filter of FILTERS) {
      const all = await read([file, '-Y', filter], false);
      const needed = await read([file, '-Y', filter], true);
      expect(needed.status, filter).toBe(all.status);
      expect(needed.err, filter).toBe(all.err);
      const a = all.out.split('\n'), b = needed.out.split('\n');
      expect(b.length, filter).toBe(a.length);
      // The first differing line, not a 10 MB diff.
      const i = a.findIndex((line, k) => line !== b[k]);
      expect(i < 0 ? null : { filter, line: i + 1, text: b[i] }).toEqual(i < 0 ? null : { filter, line: i + 1, text: a[i] });
    }
  }, 180_000);
});

describe('read -Y: a pair reused by one connection after another', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-stream-needs-reuse-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const FIN = 0x01;
  /** A whole connection from 10.0.0.1:40000 to 10.0.0.2:80: handshake, a request, its ACK, both FINs. */
  const connection = (isn: number, serverIsn: number): Uint8Array[] => [
    tcpFrame(true, isn, 0, SYN, ''), tcpFrame(false, serverIsn, isn + 1, SYN | ACK, ''), tcpFrame(true, isn + 1, serverIsn + 1, ACK, ''),
    tcpFrame(true, isn + 1, serverIsn + 1, PSH | ACK, 'GET / HTTP/1.1\r\n\r\n'), tcpFrame(false, serverIsn + 1, isn + 19, ACK, ''),
    tcpFrame(true, isn + 19, serverIsn + 1, FIN | ACK, ''), tcpFrame(false, serverIsn + 1, isn + 20, FIN | ACK, ''), tcpFrame(true, isn + 20, serverIsn + 2, ACK, ''),
  ];

  async function planAndLines(frames: Uint8Array[], name: string): Promise<{ plan: number[]; lines: string }> {
    const file = join(dir, `${name}.pcap`);
    writeFileSync(file, pcapFile(frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
    const args = [file, '-Y', 'tcp.flags.syn == 1'];
    const all = await read(args, false);
    const needed = await read(args, true);
    expect(needed).toEqual(all);
    const o = parseReadArgs(args);
    const compiled = compileReadFilters(o.displayFilter, null);
    if (!compiled.ok) throw new Error(compiled.error);
    const src = openForRead(file, new StringSink());
    if (typeof src === 'number') throw new Error('cannot open');
    const plan = await firstPass(o, src.info, compiled.filters);
    src.close();
    // The Info tshark prints for the SYNs (its single pass, as read's).
    const tshark = tsharkFields(file, ['_ws.col.Info'], ['-Y', 'tcp.flags.syn == 1']);
    expect(needed.out.trimEnd().split('\n').map((l) => l.slice(l.indexOf(' TCP ') + 5).replace(/^\d+ /, ''))).toEqual(tshark.rows.map((r) => r[0]));
    return { plan: [...plan!].slice(1), lines: needed.out };
  }

  it('gives the tracker only the SYNs of the earlier connections, each opening a new one with another ISN', async () => {
    // Three connections on one pair; the third's SYN is sent twice (the same ISN: a retransmission).
    const third = connection(100, 300);
    const frames = [...connection(100, 900), ...connection(5000, 7000), third[0]!, ...third];
    const { plan, lines } = await planAndLines(frames, 'reuse');
    const S = SHOW, K = SKIP;
    expect(plan).toEqual([S, S, K, K, K, K, K, K, S, S, K, K, K, K, K, K, S, S, S, K, K, K, K, K, K]);
    expect(lines.split('[TCP Port numbers reused]').length - 1).toBe(2);
    expect(lines).toContain('[TCP Retransmission]');
  });

  it('keeps following the whole pair once its SYNs come from both ends, or its SYN+ACK from the opener', async () => {
    const S = SHOW, T = TRACK, K = SKIP;
    // The server opens the second connection: its SYN meets the server's own base, not followed here.
    const fromServer = [...connection(100, 900), tcpFrame(false, 4000, 0, SYN, ''), tcpFrame(true, 6000, 4001, SYN | ACK, '')];
    expect((await planAndLines(fromServer, 'from-server')).plan).toEqual([S, S, T, T, T, T, T, T, S, S]);
    // A SYN+ACK from the client with another number moves the base the next SYN is compared with.
    const synAckFromOpener = [...connection(100, 900).slice(0, 3), tcpFrame(true, 555, 901, SYN | ACK, ''), ...connection(5000, 7000)];
    expect((await planAndLines(synAckFromOpener, 'syn-ack-from-opener')).plan).toEqual([S, S, T, S, S, S, K, K, K, K, K, K]);
  });
});

describe('read -Y: a file that grew after the first pass', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-stream-needs-grown-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the matches the first pass saw, not later ones, and still reports damage after them', async () => {
    const syn = (port: number) => tcpFrame(true, 100, 0, SYN, '', port);
    const records = [80, 81, 82, 83].map((port, i) => ({ sec: 1_700_000_000 + i, frac: 0, data: syn(port) }));
    const before = join(dir, 'before.pcap'), after = join(dir, 'after.pcap');
    writeFileSync(before, pcapFile(records.slice(0, 2)));
    // Two more packets, then a record header cut short.
    writeFileSync(after, Buffer.concat([pcapFile(records), Buffer.alloc(7)]));
    const o = parseReadArgs([after, '-Y', 'tcp.flags.syn == 1']);
    const compiled = compileReadFilters(o.displayFilter, null);
    if (!compiled.ok) throw new Error(compiled.error);
    const src = openForRead(after, new StringSink());
    if (typeof src === 'number') throw new Error('cannot open');
    const plan = await firstPass({ ...o, file: before }, src.info, compiled.filters);
    const out = new StringSink();
    const pass = new ReadPass(o, src.info, null, compiled.filters, null, out);
    pass.usePlan(plan!);
    let damage = '';
    try {
      while (pass.drain(src) !== null);
    } catch (e) {
      if (!(e instanceof CaptureFileError)) throw e;
      damage = e.message;
    } finally {
      src.close();
    }
    pass.end();
    expect(out.text().split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/)[0])).toEqual(['1', '2']);
    expect(damage).toMatch(/truncated/);
  });
});
