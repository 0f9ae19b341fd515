// The sampler against the kernel's own reports of the same counters: /proc/net/dev and
// `ip -s link`, read just before and just after ours (other traffic may move them in between,
// so ours must lie between the two readings).
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InterfaceInfo } from '../session/contract.js';
import { NAMES_TTL_MS, readInterfaceTraffic, sampleTraffic } from './traffic.js';

interface DevCounters { rx: number; tx: number }

/** /proc/net/dev: per interface, received packets are the 2nd number, sent the 10th. */
function procNetDev(): Map<string, DevCounters> {
  const out = new Map<string, DevCounters>();
  for (const line of readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2)) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const n = m[2]!.trim().split(/\s+/).map(Number);
    out.set(m[1]!, { rx: n[1]!, tx: n[9]! });
  }
  return out;
}

/** `ip -s -j link show NAME`: iproute2's view of the same counters. */
function ipLink(name: string): DevCounters {
  const [link] = JSON.parse(execFileSync('ip', ['-s', '-j', 'link', 'show', name], { encoding: 'utf8' })) as Array<{ stats64: { rx: { packets: number }; tx: { packets: number } } }>;
  return { rx: link!.stats64.rx.packets, tx: link!.stats64.tx.packets };
}

function packetsOf(t: Awaited<ReturnType<typeof readInterfaceTraffic>>): number {
  if (!t.available) throw new Error(`unavailable: ${t.reason}`);
  return t.packets;
}

/**
 * Sends `count` UDP datagrams to a socket of our own on 127.0.0.1 (an open port: no ICMP
 * answers). Each is counted on lo when sent, whether or not the socket keeps up reading.
 */
async function udpOnLoopback(count: number): Promise<void> {
  const rx = createSocket('udp4');
  await new Promise<void>((done) => rx.bind(0, '127.0.0.1', done));
  const tx = createSocket('udp4');
  for (let i = 0; i < count; i++) await new Promise<void>((done) => tx.send(`d${i}`, rx.address().port, '127.0.0.1', () => done()));
  tx.close();
  rx.close();
}

const nonLoopback = [...procNetDev().keys()].find((n) => n !== 'lo' && (Number(readFileSync(`/sys/class/net/${n}/flags`, 'utf8')) & 0x8) === 0);

describe('interface traffic counters (Linux sysfs)', () => {
  it('loopback counts each packet in rx and in tx alike, so lo reads rx alone', async () => {
    const before = ipLink('lo');
    const ours = packetsOf(await readInterfaceTraffic('lo'));
    const after = ipLink('lo');
    // The kernel's loopback driver reports one counter as both directions.
    expect(after.rx).toBe(after.tx);
    expect(ours).toBeGreaterThanOrEqual(before.rx);
    expect(ours).toBeLessThanOrEqual(after.rx);
  });

  it('lo rises by at least the datagrams we send through it, by one per packet and not two', async () => {
    const before = procNetDev().get('lo')!;
    const ours0 = packetsOf(await readInterfaceTraffic('lo'));
    await udpOnLoopback(500);
    const ours1 = packetsOf(await readInterfaceTraffic('lo'));
    const after = procNetDev().get('lo')!;
    expect(ours1 - ours0).toBeGreaterThanOrEqual(500);
    // rx+tx would have risen by twice the packets on lo; ours rises as rx does.
    expect(ours1 - ours0).toBeLessThanOrEqual(after.rx - before.rx);
    expect(after.rx + after.tx - before.rx - before.tx).toBeGreaterThanOrEqual(2 * (ours1 - ours0));
  });

  it.runIf(nonLoopback !== undefined)('a normal interface reads rx + tx, as /proc/net/dev gives them', async () => {
    const name = nonLoopback!;
    const before = procNetDev().get(name)!;
    const ours = packetsOf(await readInterfaceTraffic(name));
    const after = procNetDev().get(name)!;
    expect(ours).toBeGreaterThanOrEqual(before.rx + before.tx);
    expect(ours).toBeLessThanOrEqual(after.rx + after.tx);
  });

  it('reports libpcap pseudo-devices and bad names as unavailable, never as zero', async () => {
    for (const name of ['any', 'nflog', 'dbus-system', 'bluetooth-monitor', '..', 'lo/../eth0', '']) {
      const t = await readInterfaceTraffic(name);
      expect(t.available, name).toBe(false);
      expect(t).not.toHaveProperty('packets');
    }
  });

  it('samples every listed interface by name, stamps each with the clock, and lists names at most once per NAMES_TTL_MS', async () => {
    const listed: InterfaceInfo[] = [
      { name: 'lo', addresses: [], up: true, running: true, loopback: true },
      { name: 'any', addresses: [], up: true, running: true, loopback: false },
    ];
    let listings = 0;
    const lister = { listInterfaces: () => (listings++, listed) };
    let clock = 1000;
    const first = await sampleTraffic(lister, () => clock);
    expect(Object.keys(first).sort()).toEqual(['any', 'lo']);
    expect(first.lo).toMatchObject({ available: true, time: 1000 });
    expect(first.any!.available).toBe(false);
    clock += NAMES_TTL_MS;
    await sampleTraffic(lister, () => clock);
    expect(listings).toBe(1);
    clock += 1;
    const later = await sampleTraffic(lister, () => clock);
    expect(listings).toBe(2);
    expect(packetsOf(later.lo!)).toBeGreaterThanOrEqual(packetsOf(first.lo!));
  });

  it('keeps a failed listing for NAMES_TTL_MS too, so a missing capture helper is not spawned every second', async () => {
    let listings = 0;
    const lister = {
      listInterfaces: (): InterfaceInfo[] => {
        listings++;
        throw new Error('the capture helper exited with status 1');
      },
    };
    let clock = 0;
    await expect(sampleTraffic(lister, () => clock)).rejects.toThrow('capture helper');
    clock += NAMES_TTL_MS;
    await expect(sampleTraffic(lister, () => clock)).rejects.toThrow('capture helper');
    expect(listings).toBe(1);
  });
});
