// Live packet counters per interface, read without capturing and without capture privileges:
// the start page draws a packets/s sparkline for every interface from successive samples, as
// Wireshark's welcome page does (it asks dumpcap for per-interface statistics; Linux keeps
// them in sysfs for any user to read).
//
// Which counter equals "what a capture on the interface sees":
// - A normal interface: libpcap's PF_PACKET socket sees every frame received and every frame
//   sent, so rx_packets + tx_packets (e.g. 20 pings on eth0: rx +21, tx +21, tcpdump 42).
// - Loopback: a packet sent on lo is received on lo, and the kernel counts it once in each
//   direction (drivers/net/loopback.c reports the same per-CPU counter as rx and tx), while
//   tcpdump -i lo sees it once. So rx_packets alone (200 UDP datagrams to a closed port on
//   127.0.0.1, plus their 200 ICMP port-unreachables: rx +400, tx +400, tcpdump 400).
// - Anything sysfs does not list is not a kernel network device: libpcap's pseudo-devices
//   ("any", nflog, nfqueue, dbus-system, bluetooth-monitor, usbmon) keep no such counter, and
//   other operating systems have no sysfs. Those are reported unavailable, never as zero: a
//   flat line would claim "no traffic" where nothing was measured.
import { readFile } from 'node:fs/promises';
import type { InterfaceInfo, InterfaceTraffic } from '../session/contract.js';

/** IFF_LOOPBACK in <linux/if.h>; /sys/class/net/IF/flags holds the flags in hex. */
const IFF_LOOPBACK = 0x8;
/** How long a list of interface names is reused before asking libpcap again (ms). */
export const NAMES_TTL_MS = 10_000;
const SYSFS = '/sys/class/net';

export interface InterfaceLister {
  listInterfaces(): Promise<InterfaceInfo[]> | InterfaceInfo[];
}

async function readNumber(path: string): Promise<number> {
  const text = await readFile(path, 'utf8');
  const n = Number(text.trim());
  if (!Number.isFinite(n)) throw new Error(`${path}: not a number: ${JSON.stringify(text)}`);
  return n;
}

/** The packets a capture on `name` would have seen so far, from sysfs (Linux). */
export async function readInterfaceTraffic(name: string, now: () => number = () => performance.now()): Promise<InterfaceTraffic> {
  if (process.platform !== 'linux') return { available: false, reason: `no per-interface packet counters on ${process.platform}` };
  // Kernel interface names never hold '/', and '.' or '..' would leave the directory.
  if (name === '' || name.includes('/') || name === '.' || name === '..') return { available: false, reason: 'not a network device name' };
  const dir = `${SYSFS}/${name}`;
  try {
    const flags = await readNumber(`${dir}/flags`);
    const rx = await readNumber(`${dir}/statistics/rx_packets`);
    const packets = flags & IFF_LOOPBACK ? rx : rx + (await readNumber(`${dir}/statistics/tx_packets`));
    return { available: true, packets, time: now() };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { available: false, reason: 'no kernel packet counters (not a network device)' };
    return { available: false, reason: (e as Error).message };
  }
}

const names = new WeakMap<InterfaceLister, { at: number; names: Promise<string[]> }>();

/**
 * One sample of every interface `lister` lists. Listing runs libpcap's pcap_findalldevs in a
 * helper process, too heavy for once a second, so the names (or the failure to list them) are
 * reused for NAMES_TTL_MS.
 */
export async function sampleTraffic(lister: InterfaceLister, now: () => number = () => performance.now()): Promise<Record<string, InterfaceTraffic>> {
  let cached = names.get(lister);
  if (!cached || now() - cached.at > NAMES_TTL_MS) {
    // new Promise catches a lister that throws instead of rejecting, so that is kept too.
    const listed = new Promise<InterfaceInfo[]>((resolve) => resolve(lister.listInterfaces()));
    cached = { at: now(), names: listed.then((list) => list.map((i) => i.name)) };
    names.set(lister, cached);
  }
  const list = await cached.names;
  const samples = await Promise.all(list.map((n) => readInterfaceTraffic(n, now)));
  return Object.fromEntries(list.map((n, i) => [n, samples[i]!]));
}
