// startLiveCapture as the session uses it: batches with libpcap's timestamps, statistics,
// stop conditions, stop(); and the command's ring files (-b) read back by tshark.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLiveCapture } from '../../app/capture/live.js';
import type { CaptureBatch, CaptureStats, CaptureSink } from '../../app/capture/types.js';
import { randomPort, sleep, startSynscope, interrupt, tsharkFrames, udpBurst } from './live-traffic.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-capture-api-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function recorder() {
  const batches: CaptureBatch[] = [];
  const stats: CaptureStats[] = [];
  const ends: Parameters<CaptureSink['onEnd']>[0][] = [];
  let ended!: () => void;
  const done = new Promise<void>((r) => (ended = r));
  const sink: CaptureSink = {
    onBatch: (b) => batches.push(b),
    onStats: (s) => stats.push(s),
    onEnd: (r) => {
      ends.push(r);
      ended();
    },
  };
  return { sink, batches, stats, ends, done };
}

describe('startLiveCapture', () => {
  it('delivers the burst in batches with monotonic libpcap timestamps, and final pcap_stats on stop', async () => {
    const port = randomPort();
    const rec = recorder();
    const before = Date.now();
    const cap = await startLiveCapture({ interface: 'lo', filter: `udp port ${port}`, snaplen: 200 }, rec.sink);
    expect(cap).toMatchObject({ interface: 'lo', linkType: 1, snaplen: 200 });
    await udpBurst(port, 1000);
    await sleep(300);
    const final = await cap.stop();
    const after = Date.now();
    const packets = rec.batches.flatMap((b) => b.packets);
    expect(packets).toHaveLength(1000);
    // Fewer calls than packets: batched delivery.
    expect(rec.batches.length).toBeLessThan(1000);
    let prev = 0;
    for (const p of packets) {
      const t = p.ts.sec * 1e9 + p.ts.nsec;
      expect(t).toBeGreaterThanOrEqual(prev);
      prev = t;
      expect(p.ts.nsec).toBeLessThan(1e9);
      expect(p.data.length).toBe(p.capLen);
      expect(p.capLen).toBe(Math.min(p.origLen, 200));
    }
    // Stamped by the kernel while we watched (the wall clock only brackets them).
    expect(packets[0]!.ts.sec * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(packets.at(-1)!.ts.sec * 1000).toBeLessThanOrEqual(after);
    expect(final).toMatchObject({ state: 'stopped', interface: 'lo', captured: 1000, dropped: 0 });
    expect(final.received).toBeGreaterThanOrEqual(1000);
    expect(rec.ends).toEqual([{ kind: 'stopped' }]);
  });

  it('in immediate mode delivers the same packets, and stop() needs no wait for a kernel block', async () => {
    const port = randomPort();
    const rec = recorder();
    // Immediate mode makes libpcap use TPACKET_V2, one buffer slot of snaplen bytes per packet:
    // with the default 256 KiB snaplen a 16 MiB buffer holds 64 packets (the kernel drops the
    // rest of a burst), so a small snaplen as a user would.
    const cap = await startLiveCapture({ interface: 'lo', filter: `udp port ${port}`, snaplen: 2048 }, rec.sink, { immediate: true });
    await udpBurst(port, 200);
    const t0 = Date.now();
    const final = await cap.stop();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(rec.batches.flatMap((b) => b.packets)).toHaveLength(200);
    expect(final).toMatchObject({ captured: 200, dropped: 0 });
  });

  it('in immediate mode with the default snaplen, every datagram is captured or counted as dropped', async () => {
    const port = randomPort();
    const rec = recorder();
    const cap = await startLiveCapture({ interface: 'lo', filter: `udp port ${port}` }, rec.sink, { immediate: true });
    await udpBurst(port, 400);
    const final = await cap.stop();
    const got = rec.batches.flatMap((b) => b.packets).length;
    expect(final.captured).toBe(got);
    // Only 64 slots of 256 KiB fit the 16 MiB buffer, so whether the kernel drops part of the
    // burst depends on how fast the helper reads. Either way nothing goes missing unaccounted:
    // lo hands each datagram to the socket twice (out and in; libpcap keeps the incoming one),
    // and every datagram missing from the batches had a copy dropped, which pcap_stats counted.
    expect(final.received).toBe(2 * 400);
    expect(got).toBeLessThanOrEqual(400);
    expect(got + final.dropped).toBeGreaterThanOrEqual(400);
  });

  it('stops by itself after stopAfter.packets, exactly', async () => {
    const port = randomPort();
    const rec = recorder();
    await startLiveCapture({ interface: 'lo', filter: `udp port ${port}`, stopAfter: { packets: 250 } }, rec.sink);
    await udpBurst(port, 400);
    await rec.done;
    expect(rec.batches.flatMap((b) => b.packets)).toHaveLength(250);
    expect(rec.ends).toEqual([{ kind: 'limit' }]);
    expect(rec.stats.at(-1)).toMatchObject({ state: 'stopped', captured: 250 });
  });

  it('stops by itself after stopAfter.bytes: the packet that reaches the budget is the last', async () => {
    const port = randomPort();
    const rec = recorder();
    await startLiveCapture({ interface: 'lo', filter: `udp port ${port}`, stopAfter: { bytes: 100_000 } }, rec.sink);
    await udpBurst(port, 1000);
    await rec.done;
    const lens = rec.batches.flatMap((b) => b.packets).map((p) => p.capLen);
    const total = lens.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(100_000);
    expect(total - lens.at(-1)!).toBeLessThan(100_000);
    expect(rec.ends).toEqual([{ kind: 'limit' }]);
  });

  it('stops by itself after stopAfter.seconds', async () => {
    const rec = recorder();
    const t0 = Date.now();
    await startLiveCapture({ interface: 'lo', filter: 'udp port 9', stopAfter: { seconds: 1 } }, rec.sink);
    await rec.done;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(rec.ends).toEqual([{ kind: 'limit' }]);
  });
});

describe('synscope capture stop conditions and ring files', () => {
  it('-c N writes exactly N packets', async () => {
    const port = randomPort();
    const file = join(tmp, 'count.pcapng');
    const ss = await startSynscope(file, `udp port ${port}`, ['-c', '100']);
    await udpBurst(port, 300);
    expect(await ss.exited).toBe(0);
    expect(tsharkFrames(file)).toHaveLength(100);
    expect(ss.stderr()).toContain('100 packets captured\n');
  });

  it('-a filesize:KB stops once the file holds that many kB', async () => {
    const port = randomPort();
    const file = join(tmp, 'size.pcap');
    const ss = await startSynscope(file, `udp port ${port}`, ['-F', 'pcap', '-a', 'filesize:50']);
    await udpBurst(port, 1000);
    expect(await ss.exited).toBe(0);
    const size = statSync(file).size;
    const frames = tsharkFrames(file);
    // Stopped at the first packet that took the file to 50 kB (pcap: 24-byte header, 16 per record).
    expect(size).toBeGreaterThanOrEqual(50_000);
    expect(size - 16 - frames.at(-1)!.capLen).toBeLessThan(50_000 + 24);
    expect(frames.length).toBeLessThan(1000);
  });

  it('-b filesize:KB -b files:N keeps the newest N complete files', async () => {
    const port = randomPort();
    const base = join(tmp, 'ring.pcapng');
    const ss = await startSynscope(base, `udp port ${port}`, ['-b', 'filesize:100', '-b', 'files:3']);
    await udpBurst(port, 1000);
    await sleep(400);
    expect(await interrupt(ss)).toBe(0);
    const files = readdirSync(tmp).filter((f) => /^ring_\d{5}_\d{14}\.pcapng$/.test(f)).sort();
    expect(files).toHaveLength(3);
    let total = 0;
    for (const f of files) {
      const frames = tsharkFrames(join(tmp, f));
      total += frames.length;
      expect(frames.length).toBeGreaterThan(0);
      const info = spawnSync('capinfos', ['-M', '-c', join(tmp, f)], { encoding: 'utf8' });
      expect(info.status).toBe(0);
    }
    // The first files were rotated away: the kept ones hold the newest packets only.
    expect(total).toBeLessThan(1000);
    expect(Number(/_(\d{5})_/.exec(files[0]!)![1])).toBeGreaterThan(1);
  });
});
