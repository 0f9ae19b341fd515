// The header-only summary path (summary-fast.ts) against the dissections it stands in for: on
// every corpus capture, `read FILE` (summary lines, or -T fields with columns, or the lines a
// display filter on header fields or on application fields lets through, or -x) prints the same
// lines, the same error and the same status whether the packets it takes (header-only TCP
// packets from their headers, the others from their transport up) take it or are dissected.
// The dissected lines are the ones corpus.diff.test.ts compares with tshark's columns.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { mutatedEthernetPcap, mutatedPayloadsPcap } from '../../test/helpers/mutated-corpus.js';
import { pcapFile, tcpFrame } from '../../test/helpers/pcap-build.js';
import { tsharkFields } from '../../test/helpers/tshark.js';
import { parseReadArgs } from './args.js';
import { runRead } from './read.js';
import { StringSink } from './sink.js';

async function read(args: string[], fastSummary: boolean): Promise<{ status: number; out: string; err: string }> {
  const o = { ...parseReadArgs(args), fastSummary };
  const out = new StringSink(), err = new StringSink();
  const status = await runRead(o, out, err);
  return { status, out: out.text(), err: err.text() };
}

/** -T fields with columns and fields the headers give (the fast path prints them from its decode). */
const FIELDS = ['-T', 'fields', '-E', 'header=y', ...['frame.number', 'frame.time_relative', 'frame.time_delta', 'eth.src', 'vlan.id', 'ip.src', 'ipv6.dst',
  'tcp.srcport', 'tcp.flags', 'tcp.len', 'tcp.window_size_value', '_ws.col.Protocol', '_ws.col.Info', '_ws.col.Source'].flatMap((f) => ['-e', f])];

/** -T fields with some columns but not Time or Info, whose text the header-only path then does not make. */
const SOME_COLUMNS = ['-T', 'fields', ...['frame.number', '_ws.col.Protocol', '_ws.col.Destination', 'tcp.flags', '_ws.col.Source', 'udp.length'].flatMap((f) => ['-e', f])];

/** A display filter on fields the headers give: header-only packets are tested on their decode. */
const DISPLAY = 'tcp.flags.syn == 1 || tcp.flags.reset == 1 || tcp.len > 100 || udp.port == 53 || ip.ttl < 64';

/**
 * A display filter on application fields (and their absence): header-only packets are tested on
 * their headers, where those fields are absent (headersDecide), the others dissected.
 */
const APPLICATION = 'http.request.method == "GET" || dns.flags.response == 0 || tls.handshake.type == 1 || (!(http || dns || tls) && tcp.len > 0)';

/** Lines whose Info starts like a header-only TCP packet's (the ones the fast path may take). */
function tcpHeaderLines(text: string): number {
  return text.split('\n').filter((l) => / TCP \d+ .*\bLen=0\b/.test(l)).length;
}

describe('read: the packets the header path takes print the lines their dissection prints', () => {
  let covered = 0;
  for (const rel of corpusCaptures()) {
    it(rel, async () => {
      for (const args of [[corpusPath(rel)], [corpusPath(rel), '-T', 'tabs', '-f', 'tcp'], [corpusPath(rel), '-P', '-x'], [corpusPath(rel), ...FIELDS], [corpusPath(rel), '-Y', DISPLAY], [corpusPath(rel), '-Y', APPLICATION], [corpusPath(rel), ...FIELDS, '-Y', APPLICATION], [corpusPath(rel), ...SOME_COLUMNS]]) {
        const dissected = await read(args, false);
        const fast = await read(args, true);
        expect(fast.status, args.join(' ')).toBe(dissected.status);
        expect(fast.err).toBe(dissected.err);
        expect(fast.out).toBe(dissected.out);
        covered += tcpHeaderLines(fast.out);
      }
    });
  }
  it('the corpus has header-only TCP packets to compare', () => {
    // Runs after the per-file cases: they saw thousands of such lines.
    expect(covered).toBeGreaterThan(1000);
  });
});

/** `read ARGS` prints the same with and without the header-only path (on failure: the first differing line, not a 10 MB diff). */
async function expectSameLines(args: string[]): Promise<void> {
  const dissected = await read(args, false);
  const fast = await read(args, true);
  expect(fast.status).toBe(dissected.status);
  expect(fast.err).toBe(dissected.err);
  const a = dissected.out.split('\n'), b = fast.out.split('\n');
  expect(b.length).toBe(a.length);
  const i = a.findIndex((line, k) => line !== b[k]);
  expect(i < 0 ? null : { line: i + 1, fast: b[i] }).toEqual(i < 0 ? null : { line: i + 1, fast: a[i] });
}

describe('read: header-only TCP packets with mutated headers print the lines their dissection prints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-summary-fast-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const seed = Number(process.env.SYNSCOPE_FUZZ_SEED ?? Date.now() % 0x7fffffff);

  it(`every corpus Ethernet packet, a third mutated (seed ${seed}; replay with SYNSCOPE_FUZZ_SEED=${seed})`, async () => {
    const file = join(dir, 'mutated.pcap');
    writeFileSync(file, await mutatedEthernetPcap(seed));
    for (const args of [[file], [file, ...FIELDS]]) await expectSameLines(args);
  }, 120_000);
});

describe('read: segments and datagrams with a payload, whole, mutated and cut short, print the lines their dissection prints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-summary-fast-payloads-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const seed = Number(process.env.SYNSCOPE_FUZZ_SEED ?? Date.now() % 0x7fffffff);

  it(`every corpus TCP segment and UDP datagram with a payload (seed ${seed}; replay with SYNSCOPE_FUZZ_SEED=${seed})`, async () => {
    const file = join(dir, 'payloads.pcap');
    const { pcap, segments, datagrams, nameService } = await mutatedPayloadsPcap(seed);
    writeFileSync(file, pcap);
    expect(segments).toBeGreaterThan(3000);
    expect(nameService).toBeGreaterThan(500);
    expect(datagrams).toBeGreaterThan(nameService);
    // A filter on application fields has those packets dissected: the lines it lets through are the same too.
    for (const args of [[file], [file, ...FIELDS], [file, '-Y', DISPLAY], [file, '-Y', APPLICATION]]) await expectSameLines(args);
    // The mutations reach the dissectors' error paths.
    const lines = (await read([file], true)).out;
    expect(lines).toContain('[Malformed Packet]');
    expect(lines).toMatch(/\bDNS \d+ Standard query 0x/);
    expect(lines).toMatch(/\bHTTP \d+ GET /);
  }, 240_000);
});

/** An Ethernet frame: IPv6 (or IPv4) carrying UDP from port 40000 to 40001 with `payload` bytes and checksum `ck`. */
function udpFrame(v6: boolean, ck: number, payload: number): Uint8Array {
  const ipLen = v6 ? 40 : 20, udpLen = 8 + payload;
  const b = new Uint8Array(14 + ipLen + udpLen);
  const dv = new DataView(b.buffer);
  b.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1], 0);
  dv.setUint16(12, v6 ? 0x86dd : 0x0800);
  if (v6) {
    b[14] = 0x60;
    dv.setUint16(18, udpLen);
    b[20] = 17;
    b[21] = 64;
    b.set([0xfd, 0x99], 22);
    b[37] = 1;
    b.set([0xfd, 0x99], 38);
    b[53] = 2;
  } else {
    b[14] = 0x45;
    dv.setUint16(16, 20 + udpLen);
    b[22] = 64;
    b[23] = 17;
    b.set([10, 0, 0, 1, 10, 0, 0, 2], 26);
  }
  const u = 14 + ipLen;
  dv.setUint16(u, 40000);
  dv.setUint16(u + 2, 40001);
  dv.setUint16(u + 4, udpLen);
  dv.setUint16(u + 6, ck);
  return b;
}

describe('read: UDP datagrams no protocol takes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-summary-fast-udp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('print the Info tshark prints, a zero IPv6 checksum included, with and without the header-only path', async () => {
    const file = join(dir, 'udp.pcap');
    const frames = [udpFrame(true, 0, 4), udpFrame(true, 0x1234, 4), udpFrame(false, 0, 4), udpFrame(true, 0, 0), udpFrame(false, 0x1234, 0)];
    writeFileSync(file, pcapFile(frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
    const args = [file, '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'udp.stream'];
    const fast = await read(args, true);
    expect(fast).toEqual(await read(args, false));
    const tshark = tsharkFields(file, ['_ws.col.Protocol', '_ws.col.Info', 'udp.stream']);
    expect(fast.out.trimEnd().split('\n').map((l) => l.split('\t'))).toEqual(tshark.rows);
  });
});

describe('read: segments in the middle of a PDU being reassembled', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-summary-fast-pdu-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an HTTP response body in three segments, one retransmitted, prints tshark\'s columns with and without the header-only path', async () => {
    const SYN = 0x02, ACK = 0x10, PSH = 0x08, FIN = 0x01;
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3000\r\n\r\n';
    const part = (c: string) => c.repeat(1000);
    const s0 = 5001, b0 = s0 + head.length, c1 = 1001 + 18;
    const frames = [
      tcpFrame(true, 1000, 0, SYN, ''),
      tcpFrame(false, 5000, 1001, SYN | ACK, ''),
      tcpFrame(true, 1001, 5001, ACK, ''),
      tcpFrame(true, 1001, 5001, PSH | ACK, 'GET / HTTP/1.1\r\n\r\n'),
      tcpFrame(false, s0, c1, ACK, head),
      tcpFrame(false, b0, c1, ACK, part('a')),
      // The same bytes again: a retransmission, kept at TCP, not collected twice.
      tcpFrame(false, b0, c1, ACK, part('a')),
      tcpFrame(true, c1, b0 + 1000, ACK, ''),
      tcpFrame(false, b0 + 1000, c1, ACK, part('b')),
      tcpFrame(false, b0 + 2000, c1, PSH | ACK, part('c')),
      tcpFrame(true, c1, b0 + 3000, FIN | ACK, ''),
      tcpFrame(false, b0 + 3000, c1 + 1, FIN | ACK, ''),
      tcpFrame(true, c1 + 1, b0 + 3001, ACK, ''),
    ];
    const file = join(dir, 'pdu.pcap');
    writeFileSync(file, pcapFile(frames.map((data, i) => ({ sec: 1_700_000_000, frac: 1000 * i, data }))));
    expect(await read([file], true)).toEqual(await read([file], false));
    // Columns only: the header-only path prints them.
    const args = [file, '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'];
    const fast = await read(args, true);
    expect(fast).toEqual(await read(args, false));
    const tshark = tsharkFields(file, ['_ws.col.Protocol', '_ws.col.Info']);
    expect(fast.out.replace(/\n$/, '').split('\n').map((l) => l.split('\t'))).toEqual(tshark.rows);
    expect(fast.out).toContain('[TCP Retransmission]');
    expect(fast.out.split('[TCP segment of a reassembled PDU]').length - 1).toBe(3);
  });
});
