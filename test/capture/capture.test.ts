// Live capture on `lo` compared with tcpdump capturing the same traffic at the same time with
// the same filter: same packets, same bytes, same kernel timestamps (these tests run as root).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import {
  epochNs,
  interrupt,
  randomPort,
  sleep,
  startCapturer,
  startSynscope,
  startTcpdump,
  tcpExchange,
  tsharkFrames,
  tsharkHex,
  udpBurst,
  SYNSCOPE,
} from './live-traffic.js';
import { readCaptureBuffer } from '../../app/file/reader.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-capture-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs tcpdump and `synscope capture` side by side over the same traffic; returns both files. */
async function sideBySide(name: string, filter: string, traffic: () => Promise<void>, extra: { ours?: string[]; tcpdump?: string[] } = {}) {
  const ours = join(tmp, `${name}.pcapng`);
  const theirs = join(tmp, `${name}-tcpdump.pcap`);
  const td = await startTcpdump(theirs, filter, extra.tcpdump);
  const ss = await startSynscope(ours, filter, extra.ours);
  try {
    await traffic();
    // tcpdump reads with a 1 s timeout (TPACKET_V3 blocks): let the last block reach both.
    await sleep(1500);
  } finally {
    await Promise.all([interrupt(td), interrupt(ss)]);
  }
  return { ours, theirs, oursStderr: ss.stderr(), tcpdumpStderr: td.stderr(), oursStatus: await ss.exited };
}

describe('synscope capture on lo, side by side with tcpdump', () => {
  it('captures the same UDP and TCP packets as tcpdump: counts, bytes and timestamps', async () => {
    const udp = randomPort();
    const tcp = udp + 1;
    const off = udp + 2;
    const filter = `udp port ${udp} or tcp port ${tcp}`;
    const r = await sideBySide('udp-tcp', filter, async () => {
      await udpBurst(udp, 2000);
      await udpBurst(off, 200); // not in the filter: in neither file
      await tcpExchange(tcp);
    });
    expect(r.oursStatus).toBe(0);
    const ours = tsharkFrames(r.ours);
    const theirs = tsharkFrames(r.theirs);
    // 2000 datagrams + the TCP connection (handshake, data, acks, FINs).
    expect(theirs.length).toBeGreaterThan(2000 + 6);
    expect(ours.length).toBe(theirs.length);
    expect(tsharkHex(r.ours)).toBe(tsharkHex(r.theirs));
    let prev = 0n;
    let maxSkew = 0n;
    for (let i = 0; i < ours.length; i++) {
      const t = epochNs(ours[i]!.time);
      expect(t >= prev, `packet ${i + 1} goes back in time`).toBe(true);
      prev = t;
      const skew = t - epochNs(theirs[i]!.time);
      maxSkew = skew < 0n ? (-skew > maxSkew ? -skew : maxSkew) : skew > maxSkew ? skew : maxSkew;
      expect(ours[i]!.capLen).toBe(theirs[i]!.capLen);
      expect(ours[i]!.len).toBe(theirs[i]!.len);
    }
    expect(maxSkew).toBeLessThanOrEqual(1_000_000n);
    // The closing lines as tcpdump prints them, with its count of the same packets.
    expect(r.oursStderr).toContain(`${ours.length} packets captured\n`);
    expect(r.oursStderr).toMatch(/\d+ packets received by filter\n\d+ packets dropped by kernel\n/);
    expect(r.tcpdumpStderr).toContain(`${theirs.length} packets captured`);
    // pcap_stats of two sockets with the same filter over the same traffic agree too.
    const received = (s: string): string => /(\d+) packets received by filter/.exec(s)![1]!;
    expect(received(r.oursStderr)).toBe(received(r.tcpdumpStderr));
  });

  it('applies the capture filter in the kernel: only matching packets, the same as tcpdump keeps', async () => {
    const port = randomPort();
    const r = await sideBySide('filter', `udp dst port ${port} and greater 600`, async () => {
      await udpBurst(port, 300);
      await udpBurst(port + 1, 100);
    });
    const ours = tsharkFrames(r.ours);
    const theirs = tsharkFrames(r.theirs);
    expect(ours.length).toBe(theirs.length);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.length).toBeLessThan(300);
    for (const p of ours) expect(p.len).toBeGreaterThanOrEqual(600);
    expect(tsharkHex(r.ours)).toBe(tsharkHex(r.theirs));
  });

  it('cuts packets at the snapshot length and keeps the original length, as tcpdump -s does', async () => {
    const port = randomPort();
    const r = await sideBySide('snaplen', `udp port ${port}`, () => udpBurst(port, 200), { ours: ['-s', '96', '-F', 'pcap'], tcpdump: ['-s', '96'] });
    const ours = tsharkFrames(r.ours);
    const theirs = tsharkFrames(r.theirs);
    expect(ours).toHaveLength(200);
    expect(ours.map((p) => [p.capLen, p.len])).toEqual(theirs.map((p) => [p.capLen, p.len]));
    expect(ours.some((p) => p.len > 96 && p.capLen === 96)).toBe(true);
    expect(tsharkHex(r.ours)).toBe(tsharkHex(r.theirs));
  });

  it('-w - writes to standard output as packets come (tcpdump -U -w -): a reader sees them before the capture ends', async () => {
    const port = randomPort();
    const filter = `udp port ${port}`;
    const theirs = join(tmp, 'stdout-tcpdump.pcap');
    const td = await startTcpdump(theirs, filter);
    const ss = await startCapturer(process.execPath, [SYNSCOPE, 'capture', '-i', 'lo', '-w', '-', '-f', filter], /Capturing on 'lo'/);
    const parts: Buffer[] = [];
    ss.child.stdout!.on('data', (b: Buffer) => parts.push(b));
    try {
      await udpBurst(port, 300);
      // Still capturing: the packets are on standard output already.
      for (let waited = 0; countRecords(Buffer.concat(parts)) < 300 && waited < 5000; waited += 50) await sleep(50);
      expect(countRecords(Buffer.concat(parts))).toBe(300);
      await sleep(1500);
    } finally {
      await Promise.all([interrupt(td), interrupt(ss)]);
    }
    const ours = join(tmp, 'stdout.pcapng');
    writeFileSync(ours, Buffer.concat(parts));
    expect(tsharkFrames(ours)).toHaveLength(300);
    expect(tsharkHex(ours)).toBe(tsharkHex(theirs));
    expect(ss.stderr()).toContain('300 packets captured\n');
  });

  it('-w -: a reader that goes away (| head -c) stops the capture, status 0, no error', async () => {
    const port = randomPort();
    const ss = await startCapturer(process.execPath, [SYNSCOPE, 'capture', '-i', 'lo', '-w', '-', '-f', `udp port ${port}`], /Capturing on 'lo'/);
    ss.child.stdout!.once('data', () => ss.child.stdout!.destroy());
    let status = -1;
    void ss.exited.then((s) => (status = s));
    // Traffic until the capture stops: the first batch after the reader left meets the closed pipe.
    for (let waited = 0; status === -1 && waited < 10_000; waited += 200) {
      await udpBurst(port, 20);
      await sleep(150);
    }
    if (status === -1) await interrupt(ss);
    expect(status).toBe(0);
    expect(ss.stderr()).not.toMatch(/cannot write|Broken pipe/);
    expect(ss.stderr()).toMatch(/\d+ packets captured\n/);
  });
});

/** Complete packet records in a pcapng stream's first bytes (a cut last block is not counted). */
function countRecords(bytes: Uint8Array): number {
  let n = 0;
  try {
    const r = readCaptureBuffer(bytes);
    while (r.next()) n++;
  } catch {
    // the header or the block still being written
  }
  return n;
}
