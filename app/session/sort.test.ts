// packets.sort against tshark: the frame order of a sorted list equals tshark's own column
// values (`tshark -n -r F -T fields -e frame.number -e frame.len ...`) sorted the same way,
// stable by frame number as Wireshark's list is. Addresses are sorted by value through
// addressSortKey applied to tshark's Source strings, so the test checks that our rows' strings
// and the session's ordering agree with tshark's column, not the address parser against itself
// (that one has its own examples below).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { ReplayBackend } from './backend.js';
import { tsharkFields } from '../../test/helpers/tshark.js';
import type { SortColumn } from './contract.js';
import { Session } from './session.js';
import { addressSortKey, compareText } from './sort.js';
import { validateArgs } from './validate.js';

let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

async function open(rel: string): Promise<Session> {
  session = new Session();
  await session.handle('file.open', { path: corpusPath(rel) });
  await session.whenIndexed();
  return session;
}

async function order(s: Session): Promise<number[]> {
  const { displayed } = await s.handle('session.summary', {});
  const out: number[] = [];
  for (let i = 0; i < displayed; i += 10_000) out.push(...(await s.handle('packets.rows', { start: i, end: i + 10_000 })).map((r) => r.number));
  return out;
}

interface TsharkRow {
  number: number;
  len: number;
  /** frame.time_epoch as nanoseconds (exact: tshark prints 9 decimals). */
  ns: bigint;
  source: string;
  destination: string;
  protocol: string;
  info: string;
}

function tsharkRows(rel: string): TsharkRow[] {
  const r = tsharkFields(corpusPath(rel), ['frame.number', 'frame.len', 'frame.time_epoch', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Info']);
  return r.rows.map(([number, len, epoch, source, destination, protocol, info]) => {
    const [sec, frac = ''] = epoch!.split('.');
    return { number: Number(number), len: Number(len), ns: BigInt(sec!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0')), source: source!, destination: destination!, protocol: protocol!, info: info! };
  });
}

/** tshark's rows sorted by `cmp`, ties by frame number, descending reversing only `cmp`. */
function sortedNumbers(rows: TsharkRow[], cmp: (a: TsharkRow, b: TsharkRow) => number, descending = false): number[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => sign * cmp(a, b) || a.number - b.number).map((r) => r.number);
}

const BY: Partial<Record<SortColumn, (a: TsharkRow, b: TsharkRow) => number>> = {
  length: (a, b) => a.len - b.len,
  time: (a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0),
  source: (a, b) => compareText(addressSortKey(a.source), addressSortKey(b.source)),
  destination: (a, b) => compareText(addressSortKey(a.destination), addressSortKey(b.destination)),
  protocol: (a, b) => compareText(a.protocol, b.protocol),
  info: (a, b) => compareText(a.info, b.info),
};

/** Captures whose list rows equal tshark's (session.test.ts checks them column by column). */
const FILES = [
  'pcapplusplus/three_http_streams.pcap',
  'pcapplusplus/DnsPackets.pcap',
  'pcapplusplus/IcmpPackets.pcap',
  'tcpdump/icmpv6.pcap',
  'tcpdump/tcp-handshake-nano.pcap',
  'pcapplusplus/one_http_stream_fin.pcap',
  'pcapplusplus/many-protocols.pcap',
  'zeek/tunnels/gre-aruba.pcap',
  'zeek/linuxsll-arp.pcap',
];

describe('packets.sort', () => {
  for (const rel of FILES) {
    for (const column of ['length', 'time', 'source', 'destination', 'protocol', 'info'] as const) {
      it(`${rel}: by ${column}, ascending and descending, is tshark's ${column} order`, async () => {
        const s = await open(rel);
        const theirs = tsharkRows(rel);
        expect(await s.handle('packets.sort', { column })).toEqual({ displayed: theirs.length });
        expect(await order(s)).toEqual(sortedNumbers(theirs, BY[column]!));
        await s.handle('packets.sort', { column, descending: true });
        expect(await order(s)).toEqual(sortedNumbers(theirs, BY[column]!, true));
      });
    }
  }

  it('by length or time, without a filter, does not wait for the first pass (the index has both)', async () => {
    // 30 copies of a capture rich in HTTP, DNS and TLS: ~140,000 frames, sorted right after opening.
    const dir = mkdtempSync(join(tmpdir(), 'synscope-sort-'));
    try {
      const file = join(dir, 'many.pcap');
      execFileSync('mergecap', ['-a', '-F', 'pcap', '-w', file, ...Array.from({ length: 30 }, () => corpusPath('pcapplusplus/many-protocols.pcap'))]);
      session = new Session();
      await session.handle('file.open', { path: file });
      await session.whenIndexed();
      let analysed = false;
      void session.whenAnalyzed().then(() => (analysed = true), () => {});
      await session.handle('packets.sort', { column: 'length', descending: true });
      expect(analysed, 'sorted before the pass was done').toBe(false);
      const lengths = tsharkFields(file, ['frame.number', 'frame.len']).rows.map(([n, len]) => ({ number: Number(n), len: Number(len) }));
      const want = [...lengths].sort((a, b) => b.len - a.len || a.number - b.number).map((r) => r.number);
      // The longest and the shortest frames (the rows between are the same sort).
      const rows = async (start: number, end: number) => (await session!.handle('packets.rows', { start, end })).map((r) => r.number);
      expect(await rows(0, 1000)).toEqual(want.slice(0, 1000));
      expect(await rows(want.length - 1000, want.length)).toEqual(want.slice(-1000));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('null goes back to capture order', async () => {
    const rel = 'pcapplusplus/three_http_streams.pcap';
    const s = await open(rel);
    await s.handle('packets.sort', { column: 'length', descending: true });
    await s.handle('packets.sort', { column: null });
    expect(await order(s)).toEqual(tsharkRows(rel).map((r) => r.number));
  });

  it('a sort survives a new filter, and packets.find answers rows of the sorted view', async () => {
    const rel = 'zeek/tcp/ssh-dups.pcap';
    const s = await open(rel);
    await s.handle('packets.sort', { column: 'length', descending: true });
    await s.handle('filter.apply', { text: 'tcp.len > 0' });
    const kept = new Set(tsharkFields(corpusPath(rel), ['frame.number'], ['-Y', 'tcp.len > 0']).rows.map(([n]) => Number(n)));
    const expected = sortedNumbers(tsharkRows(rel).filter((r) => kept.has(r.number)), BY.length!, true);
    const ours = await order(s);
    expect(ours).toEqual(expected);
    for (const row of [0, 1, Math.floor(ours.length / 2), ours.length - 1]) {
      expect(await s.handle('packets.find', { number: ours[row]! })).toBe(row);
    }
    const dropped = tsharkRows(rel).find((r) => !kept.has(r.number))!.number;
    expect(await s.handle('packets.find', { number: dropped })).toBe(-1);
  });

  it('a live capture sorted while packets arrive: the sorted rows first, later packets appended in frame order', async () => {
    const rel = 'pcapplusplus/many-protocols.pcap';
    session = new Session({ backend: new ReplayBackend(corpusPath(rel), { batchSize: 200, intervalMs: 20 }) });
    const s = session;
    await s.handle('capture.start', { interface: 'replay' });
    while ((await s.handle('capture.stats', {})).captured < 1000) await new Promise((r) => setTimeout(r, 10));
    await s.handle('packets.sort', { column: 'length' });
    while ((await s.handle('capture.stats', {})).state !== 'stopped') await new Promise((r) => setTimeout(r, 20));
    await s.whenAnalyzed();
    const theirs = tsharkRows(rel);
    const ours = await order(s);
    expect(ours).toHaveLength(theirs.length);
    // k = how many frames the sort saw: those in length order, then the later ones in capture order
    // (the largest k that fits: the sorted part may itself end in a run of consecutive frames).
    const same = (x: number[], y: number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
    let k = ours.length;
    while (k >= 0 && !(same(ours.slice(k), theirs.slice(k).map((r) => r.number)) && same(ours.slice(0, k), sortedNumbers(theirs.slice(0, k), BY.length!)))) k--;
    const sortedPart = sortedNumbers(theirs.slice(0, k), BY.length!);
    expect(k).toBeGreaterThanOrEqual(1000);
    expect(ours).toEqual([...sortedPart, ...theirs.slice(k).map((r) => r.number)]);
    for (const row of [0, k - 1, k, ours.length - 1].filter((r) => r >= 0 && r < ours.length)) {
      expect(await s.handle('packets.find', { number: ours[row]! })).toBe(row);
    }
  });

  it('sorts by No. descending as the reverse of capture order', async () => {
    const rel = 'tcpdump/icmpv6.pcap';
    const s = await open(rel);
    await s.handle('packets.sort', { column: 'number', descending: true });
    expect(await order(s)).toEqual(tsharkRows(rel).map((r) => r.number).reverse());
  });
});

describe('addressSortKey', () => {
  it('orders IPv4 by value, not by text', () => {
    const list = ['10.0.0.2', '9.0.0.1', '192.168.1.10', '192.168.1.9'];
    expect([...list].sort((a, b) => compareText(addressSortKey(a), addressSortKey(b)))).toEqual(['9.0.0.1', '10.0.0.2', '192.168.1.9', '192.168.1.10']);
  });

  it('orders IPv6 by value, with :: and a dotted tail expanded', () => {
    const list = ['fe80::1', '2001:db8::10', '::ffff:10.0.0.1', '2001:db8::9', '::1'];
    expect([...list].sort((a, b) => compareText(addressSortKey(a), addressSortKey(b)))).toEqual(['::1', '::ffff:10.0.0.1', '2001:db8::9', '2001:db8::10', 'fe80::1']);
  });

  it('puts IPv4 before IPv6 before other text (MAC addresses), which sorts as text', () => {
    const list = ['00:1b:21:3a:4f:01', 'fe80::1', '10.0.0.1', 'Broadcast'];
    expect([...list].sort((a, b) => compareText(addressSortKey(a), addressSortKey(b)))).toEqual(['10.0.0.1', 'fe80::1', '00:1b:21:3a:4f:01', 'Broadcast']);
  });
});

describe('packets.sort arguments', () => {
  it('accepts a column with an optional direction, or null for capture order', () => {
    expect(validateArgs('packets.sort', { column: 'info', descending: true })).toEqual({ column: 'info', descending: true });
    expect(validateArgs('packets.sort', { column: null })).toEqual({ column: null });
  });

  it('refuses unknown columns and a direction without a column', () => {
    expect(() => validateArgs('packets.sort', { column: 'colour' })).toThrow('packets.sort.column must be one of');
    expect(() => validateArgs('packets.sort', { column: null, descending: true })).toThrow('packets.sort.descending is meaningless without a column');
    expect(() => validateArgs('packets.sort', {})).toThrow('packets.sort.column is required');
  });
});
