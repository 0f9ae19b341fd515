// `read` split over threads prints what one thread prints. The threads' work is run here in
// process: each share of every corpus capture (read-share.ts, as a read thread runs it), their
// messages handed to LineMerger in a shuffled interleaving, against the single pass's output
// (the one corpus.diff.test.ts compares with tshark's columns). The worker threads themselves
// run in cli-threads.test.ts.
import { describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { pcapFile, tcpFrame } from '../../test/helpers/pcap-build.js';
import { prng } from '../../test/helpers/prng.js';
import { parseReadArgs, type ReadOptions } from './args.js';
import { compileReadFilters, EXIT_FILTER } from './filters.js';
import { LineMerger, readThreads } from './read-parallel.js';
import { runShare, type ShareMessage } from './read-share.js';
import { runRead } from './read.js';
import { StringSink } from './sink.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** -Y on header fields: each thread's first pass plans its own packets' dissections (stream-needs.ts). */
const HEADERS = 'tcp.flags.syn == 1 || tcp.flags.reset == 1 || tcp.len > 100 || udp.port == 53 || ip.ttl < 64';
/** -Y on application fields and the TCP analysis: the packets a thread dissects. */
const APPLICATION = 'http.request.method == "GET" || dns.flags.response == 0 || tls.handshake.type == 1 || tcp.analysis.flags || icmp';

async function readOnce(o: ReadOptions): Promise<{ out: string; err: string; status: number }> {
  const out = new StringSink(), err = new StringSink();
  const status = await runRead({ ...o, threads: 1 }, out, err);
  return { out: out.text(), err: err.text(), status };
}

/** Every share's messages, as the read threads would post them (each consumed at once). */
async function shareMessages(o: ReadOptions, count: number): Promise<ShareMessage[][]> {
  const all: ShareMessage[][] = [];
  for (let index = 0; index < count; index++) {
    const consumed = new Int32Array(new SharedArrayBuffer(4 * count));
    const messages: ShareMessage[] = [];
    await runShare({ options: o, index, count, consumed }, {
      postMessage(m: ShareMessage) {
        messages.push(m);
        Atomics.add(consumed, index, 1);
      },
    });
    all.push(messages);
  }
  return all;
}

/** The shares' messages through a LineMerger, interleaved at random (each share's in its order). */
function merged(shares: ShareMessage[][], seed: number): { out: string; error: string | null; done: boolean } {
  const out = new StringSink();
  const merger = new LineMerger(shares.length, new Int32Array(new SharedArrayBuffer(4 * shares.length)), out);
  const next = shares.map(() => 0);
  const random = prng(seed);
  for (let left = shares.reduce((n, s) => n + s.length, 0); left > 0; left--) {
    const open = shares.map((s, k) => k).filter((k) => next[k]! < shares[k]!.length);
    const k = open[Math.floor(random() * open.length)]!;
    merger.add(k, shares[k]![next[k]!++]!);
  }
  return { out: out.text(), error: merger.error, done: merger.done };
}

/** What runParallelRead writes to standard error for a share's damage. */
function errText(error: string | null): string {
  return error === null ? '' : `synscope: ${error}\n`;
}

describe('read on several threads prints the lines of one', () => {
  let lines = 0;
  for (const rel of corpusCaptures()) {
    it(rel, async () => {
      const file = corpusPath(rel);
      for (const args of [[file], [file, '-t', 'd', '-T', 'tabs'], [file, '-f', 'tcp or udp', '-t', 'dd'], [file, '-c', '9'], [file, '-Y', HEADERS], [file, '-Y', APPLICATION], [file, '-Y', 'tcp port 80 or udp']]) {
        const o = parseReadArgs(args);
        const once = await readOnce(o);
        // -f on a link type it cannot read ("expression rejects all packets"): read stops before
        // it would start any thread.
        if (once.status === EXIT_FILTER) continue;
        for (const count of [2, 3, 4]) {
          const result = merged(await shareMessages(o, count), count * 7919 + lines);
          expect(result.done).toBe(true);
          expect(result.out, `${args.join(' ')} on ${count} threads`).toBe(once.out);
          expect(errText(result.error)).toBe(once.err);
          expect(result.error === null ? 0 : 2).toBe(once.status);
        }
        lines += once.out.split('\n').length - 1;
      }
    });
  }
  it('the corpus gave thousands of lines to compare', () => {
    expect(lines).toBeGreaterThan(10_000);
  });
});

describe('read on several threads, damaged input', () => {
  it('a file cut in the middle of a packet: every thread stops at the damage, which is said once after the lines', async () => {
    // Eight connections (server ports 8000-8007), so both threads have lines before the damage.
    const frames = Array.from({ length: 40 }, (_, i) => ({ sec: 1_700_000_000 + i, frac: 0, data: tcpFrame(true, 1000 + i, 1, 0x18, `x${i}`, 8000 + (i % 8)) }));
    const whole = pcapFile(frames);
    const dir = mkdtempSync(join(tmpdir(), 'synscope-threads-'));
    const file = join(dir, 'cut.pcap');
    writeFileSync(file, whole.subarray(0, whole.length - 5));
    const o = parseReadArgs([file]);
    const once = await readOnce(o);
    expect(once.status).toBe(2);
    expect(once.err).toMatch(/truncated/);
    const result = merged(await shareMessages(o, 2), 1);
    expect(result.out).toBe(once.out);
    expect(errText(result.error)).toBe(once.err);
  });
});

describe('which reads go over threads', () => {
  /** The threads `read FILE ARGS --threads 3` runs on. */
  function threads(...args: string[]): number {
    const o = parseReadArgs([corpusPath('zeek/smtp.pcap'), ...args, '--threads', '3']);
    const c = compileReadFilters(o.displayFilter, o.captureFilter);
    if (!c.ok) throw new Error(c.error);
    return readThreads(o, c.filters);
  }

  it('summary lines, with or without a filter, in any time format', () => {
    expect(threads()).toBe(3);
    expect(threads('-T', 'tabs', '-t', 'dd')).toBe(3);
    expect(threads('-Y', 'tcp.port == 25 && tcp.analysis.flags')).toBe(3);
    expect(threads('-Y', 'host 10.0.0.1 and tcp')).toBe(3);
    expect(threads('-f', 'tcp', '-c', '5')).toBe(3);
  });

  it('one thread for what counts over the whole capture: stream numbers, the time since the previous packet shown', () => {
    expect(threads('-Y', 'tcp.stream == 1')).toBe(1);
    expect(threads('-Y', 'udp.stream in {0, 1}')).toBe(1);
    expect(threads('-Y', 'frame.time_delta_displayed > 0.1')).toBe(1);
    expect(threads('-Y', 'smtp', '-t', 'dd')).toBe(1);
  });

  it('one thread for trees, fields, bytes, writing, live feeds and standard input', () => {
    for (const args of [['-V'], ['-T', 'json'], ['-T', 'fields', '-e', 'ip.src'], ['-x'], ['-w', '/dev/null'], ['-l'], ['-q']]) expect(threads(...args), args.join(' ')).toBe(1);
    const stdin = parseReadArgs(['-', '--threads', '3']);
    expect(readThreads(stdin, { display: null, tcpdump: null, capture: null })).toBe(1);
  });
});
