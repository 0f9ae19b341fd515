// The session over real libpcap capture on `lo` (the default backend, app/capture), side by
// side with tcpdump on the same traffic: the same packets, a TCP connection seen through its
// whole lifecycle, and a saved file tshark reads as tcpdump's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { epochNs, interrupt, randomPort, sleep, startTcpdump, tcpExchange, tsharkFrames, udpBurst } from '../../test/capture/live-traffic.js';
import type { SessionEvent } from './contract.js';
import { Session } from './session.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-session-lo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('live capture on lo through libpcap', () => {
  it('captures what tcpdump captures, follows the connection, and saves it', async () => {
    const port = randomPort();
    const filter = `port ${port} or port ${port + 1}`;
    const theirs = join(tmp, 'tcpdump.pcap');
    const tcpdump = await startTcpdump(theirs, filter);
    const session = new Session({ eventIntervalMs: 100 });
    const events: SessionEvent[] = [];
    session.subscribe((batch) => events.push(...batch));
    try {
      const started = await session.handle('capture.start', { interface: 'lo', filter });
      expect(started.source).toEqual({ kind: 'live', interface: 'lo' });
      await tcpExchange(port);
      await udpBurst(port + 1, 200);
      // tcpdump reads with a 1 s timeout (TPACKET_V3 blocks): let the last block reach both.
      await sleep(1500);
      const stopped = await session.handle('capture.stop', {});
      await interrupt(tcpdump);
      const want = tsharkFrames(theirs);
      expect(stopped.packets).toBe(want.length);
      expect(stopped.capture).toMatchObject({ state: 'stopped', captured: want.length, dropped: 0 });
      await session.whenAnalyzed();

      const conns = await session.handle('tcp.connections', {});
      expect(conns).toHaveLength(1);
      expect(conns[0]).toMatchObject({ server: '127.0.0.1', serverPort: port, endState: 'closed' });
      const follow = await session.handle('tcp.follow', { stream: conns[0]!.stream });
      const sent = follow.chunks.filter((c) => c.from === 'client').reduce((n, c) => n + Buffer.from(c.bytes, 'base64').length, 0);
      const echoed = follow.chunks.filter((c) => c.from === 'server').reduce((n, c) => n + Buffer.from(c.bytes, 'base64').length, 0);
      expect([sent, echoed]).toEqual([3000, 3000]);
      expect((await session.handle('filter.apply', { text: 'udp' })).ok && (await session.handle('session.summary', {})).displayed).toBe(200);

      const ours = join(tmp, 'session.pcapng');
      await session.handle('file.save', { path: ours, format: 'pcapng', which: 'all' });
      // Same packets and lengths; each handle stamps its own copy, so times agree within 1 ms.
      const got = tsharkFrames(ours);
      expect(got.map((f) => [f.capLen, f.len])).toEqual(want.map((f) => [f.capLen, f.len]));
      got.forEach((f, i) => expect(Math.abs(Number(epochNs(f.time) - epochNs(want[i]!.time)))).toBeLessThan(1_000_000));
      await sleep(250);
      expect(events.some((e) => e.type === 'connection' && e.event === 'established')).toBe(true);
      expect(events.some((e) => e.type === 'stats')).toBe(true);
    } finally {
      await session.dispose();
      if (tcpdump.child.exitCode === null) await interrupt(tcpdump);
    }
  });
});
