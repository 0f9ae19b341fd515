// The renderer's pure helpers on real data: the field a byte click selects (lib/tree.ts) against
// tshark -T pdml's byte ranges, the filters a packet-list row builds (lib/row-filters.ts) against
// tshark -Y, both over what the real session hands the UI. (In test/, because a renderer file
// may not import the session.)
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../app/session/session.js';
import type { PacketRow } from '../app/session/contract.js';
import { columnFilter, conversationFilter } from '../renderer/lib/row-filters.js';
import { ancestorKeys, deepestNodeAt, keyAt, nodeAt, visibleLines } from '../renderer/lib/tree.js';
import { corpusPath } from './helpers/corpus.js';
import { pdmlFields, tsharkCount } from './e2e/web-app.js';

const FILE = corpusPath('pcapplusplus/many-protocols.pcap');
let session: Session;
let rows: PacketRow[];

beforeAll(async () => {
  session = new Session();
  await session.handle('file.open', { path: FILE });
  await session.whenAnalyzed();
  const { displayed } = await session.handle('session.summary', {});
  rows = await session.handle('packets.rows', { start: 0, end: displayed });
});
afterAll(() => session.dispose());

describe('deepestNodeAt: the field under a clicked byte', () => {
  it.each([1, 2, 10, 50, 120])('frame %i: each byte picks a field covering it, with the byte range tshark gives that field', async (frame) => {
    const detail = await session.handle('packet.detail', { number: frame });
    const pdml = pdmlFields(FILE, frame).filter((f) => f.size > 0);
    const frameLength = Buffer.from(detail.sources[0]!.bytes, 'base64').length;
    let named = 0;
    for (let offset = 0; offset < frameLength; offset++) {
      const path = deepestNodeAt(detail.tree, 0, offset);
      expect(path, `byte ${offset}`).not.toBeNull();
      const node = nodeAt(detail.tree, path!)!;
      expect(offset).toBeGreaterThanOrEqual(node.start);
      expect(offset).toBeLessThan(node.start + node.length);
      const same = pdml.filter((f) => f.name === node.field && offset >= f.pos && offset < f.pos + f.size);
      if (same.length === 0) continue;
      named++;
      expect(same.map((f) => [f.pos, f.size]), `byte ${offset}: ${node.field}`).toContainEqual([node.start, node.length]);
    }
    // The headers at least (Ethernet, VLAN, IP, transport) are picked by field name.
    expect(named).toBeGreaterThanOrEqual(34);
  });

  it('opening the ancestors makes the picked field a visible line', async () => {
    const detail = await session.handle('packet.detail', { number: 2 });
    const ttl = pdmlFields(FILE, 2).find((f) => f.name === 'ip.ttl')!;
    const path = deepestNodeAt(detail.tree, 0, ttl.pos)!;
    expect(nodeAt(detail.tree, path)!.field).toBe('ip.ttl');
    const closed = visibleLines(detail.tree, new Set());
    expect(closed.some((l) => l.path === path)).toBe(false);
    const open = visibleLines(detail.tree, new Set(ancestorKeys(detail.tree, path)));
    const line = open.find((l) => l.path === path)!;
    expect(line.key).toBe(keyAt(detail.tree, path));
    expect(line.level).toBe(2);
  });
});

describe('row filters', () => {
  it('Apply as filter on Source/Destination/Protocol/Length selects what tshark -Y selects', () => {
    const picked = [rows[0]!, rows[42]!, rows[3001]!];
    for (const row of picked) {
      for (const column of ['source', 'destination', 'length', 'number'] as const) {
        const f = columnFilter(row, column);
        const ours = rows.filter((r) =>
          column === 'source' ? r.source === row.source : column === 'destination' ? r.destination === row.destination : column === 'length' ? r.length === row.length : r.number === row.number,
        ).length;
        expect(tsharkCount(FILE, f), f).toBe(ours);
      }
      const proto = columnFilter(row, 'protocol');
      expect(tsharkCount(FILE, proto), proto).toBeGreaterThan(0);
    }
  });

  it('Conversation filter of a TCP row is its stream, as tshark numbers streams', () => {
    const tcp = rows.filter((r) => r.tcpStream !== undefined).slice(0, 3);
    expect(tcp.length).toBeGreaterThan(0);
    for (const row of tcp) {
      const f = conversationFilter(row)!;
      expect(f).toBe(`tcp.stream eq ${row.tcpStream}`);
      const frames = execFileSync('tshark', ['-n', '-r', FILE, '-Y', f, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n').filter(Boolean).map(Number);
      expect(frames).toContain(row.number);
    }
  });
});
