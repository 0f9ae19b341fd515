// A live capture whose network goes quiet: a capture file replayed as a live capture that stays
// open after its last packet, then seconds later by the session's clock (Date.now moved on, not
// waited for). For the alerts that only time makes true: a SYN nobody answers.
import { vi } from 'vitest';
import { ReplayBackend } from '../../app/session/backend.js';
import type { SessionEvent, TcpAlert } from '../../app/session/contract.js';
import { Session } from '../../app/session/session.js';

export interface QuietCapture {
  session: Session;
  /** The alerts while the last packet is fresh. */
  atLastPacket: TcpAlert[];
  /** The alerts `quietS` seconds later, still capturing. */
  later: TcpAlert[];
  /** The 'alert' events that came after the last packet (the quiet time's news). */
  announced: TcpAlert[];
}

/** Polls `cond` every 20 ms until it holds; throws after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Replays `file` (`packets` of them) live, waits for all to be analysed, then lets `quietS` seconds pass. The caller disposes the session. */
export async function captureThenQuiet(file: string, packets: number, quietS: number): Promise<QuietCapture> {
  const session = new Session({ backend: new ReplayBackend(file, { batchSize: 200, keepOpen: true }), eventIntervalMs: 50 });
  const events: SessionEvent[] = [];
  session.subscribe((batch) => events.push(...batch));
  await session.handle('capture.start', { interface: 'replay' });
  await until(async () => (await session.handle('session.summary', {})).packets === packets);
  await session.whenAnalyzed();
  const atLastPacket = await session.handle('tcp.alerts', {});
  // Every event so far is flushed: what comes next is the quiet time's.
  await new Promise((r) => setTimeout(r, 200));
  const before = events.length;
  const realNow = Date.now.bind(Date);
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + quietS * 1000);
  try {
    await new Promise((r) => setTimeout(r, 200));
    const later = await session.handle('tcp.alerts', {});
    const announced = events.slice(before).flatMap((e) => (e.type === 'alert' ? [e.alert] : []));
    return { session, atLastPacket, later, announced };
  } finally {
    spy.mockRestore();
  }
}
