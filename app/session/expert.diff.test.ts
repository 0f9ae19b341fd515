// The session's expert information summary (stats.expert, the Statistics panel's Expert info
// tab) against `tshark -q -z expert`, on every corpus capture: the same rows in the same order
// with the same counts (the documented gaps of tshark-expert.ts aside), each row's first frame
// one whose notes hold it, and no answer before the full pass has read every packet.
import { afterEach, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { expectedExpertText, expertCaptures } from '../../test/helpers/tshark-expert.js';
import { expertText } from '../stats/expert-table.js';
import { Session } from './session.js';

let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

describe('the session\'s expert information vs tshark -z expert', () => {
  const files = expertCaptures();
  it('covers the corpus', () => {
    expect(files.length).toBeGreaterThan(100);
  });
  for (const rel of files) {
    it(rel, async () => {
      session = new Session({ indexInProcess: true });
      await session.handle('file.open', { path: corpusPath(rel) });
      expect(expertText(await session.handle('stats.expert', {}))).toBe(expectedExpertText(rel));
    });
  }

  it('answers with the notes found so far at once, a part of the whole table', async () => {
    session = new Session({ indexInProcess: true });
    await session.handle('file.open', { path: corpusPath('pcapplusplus/many-protocols.pcap') });
    const soFar = await session.handle('stats.expert', { soFar: true });
    const whole = await session.handle('stats.expert', {});
    const key = (r: { severity: string; protocol: string; summary: string }) => `${r.severity}|${r.protocol}|${r.summary}`;
    const counts = new Map(whole.map((r) => [key(r), r.count]));
    for (const r of soFar) expect(r.count, key(r)).toBeLessThanOrEqual(counts.get(key(r)) ?? 0);
    expect(whole.reduce((n, r) => n + r.count, 0)).toBeGreaterThan(1000);
    // Once the pass is over, so far is the whole table.
    expect(await session.handle('stats.expert', { soFar: true })).toEqual(whole);
  });

  it('names for each row a first packet that carries the note', async () => {
    session = new Session({ indexInProcess: true });
    await session.handle('file.open', { path: corpusPath('pcapplusplus/many-protocols.pcap') });
    const rows = await session.handle('stats.expert', {});
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows.filter((x) => x.severity !== 'chat').slice(0, 30)) {
      const detail = await session.handle('packet.detail', { number: r.firstFrame });
      expect(JSON.stringify(detail.tree), `${r.summary} in frame ${r.firstFrame}`).toContain(JSON.stringify(r.summary).slice(1, -1));
    }
  });
});
