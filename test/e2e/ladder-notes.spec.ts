// A ladder arrow's analysis notes stay between the two lanes. In the default window the
// analysis pane is ~550 px wide and "[ACK] seq=12871 ack=475 len=1430 win=6432 [fast
// retransmission]" ran over the client's lane into the frame numbers; the notes now take a
// line of their own above the label when both do not fit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';
import { tsharkFields } from '../helpers/tshark.js';
import { goToPacket, openWorkstation, shot, type Workstation } from './web-app.js';
import { poll } from './poll.js';

// One HTTP download with a fast retransmission and two retransmissions (tshark's words).
const FILE = corpusPath('zeek/tcp/retransmit-fast009.pcap');

let ws: Workstation;
beforeAll(async () => void (ws = await openWorkstation([FILE])));
afterAll(() => ws?.close());

interface Box { x: number; y: number; width: number; height: number }
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('ladder notes', () => {
  it('stay between the lanes, clear of the label, for every retransmission tshark flags', async () => {
    const flagged = tsharkFields(FILE, ['frame.number'], ['-Y', 'tcp.analysis.retransmission || tcp.analysis.fast_retransmission']).rows.map(([n]) => Number(n));
    expect(flagged.length).toBeGreaterThan(0);
    const page = ws.page;
    const ladder = page.getByRole('group', { name: 'Ladder of tcp.stream 0' });
    await poll(() => ladder.count()).toBe(1);
    const lanes = await ladder.locator('line.ladder-lane').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
    const [left, right] = [Math.min(...lanes), Math.max(...lanes)];
    for (const frame of flagged) {
      // Selecting the packet opens the folded run it may be in and scrolls its arrow into view.
      await goToPacket(ws.page, frame);
      const arrow = ladder.locator(`[data-frame="${frame}"]`);
      await poll(() => arrow.getAttribute('aria-pressed')).toBe('true');
      const note = arrow.locator('tspan.ladder-note');
      expect(await note.textContent(), `frame ${frame}`).toMatch(/retransmission/);
      const texts = await arrow.locator('text.ladder-label').evaluateAll((els) => els.map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height, note: e.querySelector('.ladder-note') !== null };
      }));
      for (const t of texts) {
        expect(t.x, `frame ${frame}`).toBeGreaterThanOrEqual(left);
        expect(t.x + t.width, `frame ${frame}`).toBeLessThanOrEqual(right);
      }
      if (texts.length === 2) expect(overlap(texts[0]!, texts[1]!), `frame ${frame}`).toBe(false);
    }
    await goToPacket(ws.page, flagged[0]!);
    await shot(page, '62-ladder-notes');
  });
});
