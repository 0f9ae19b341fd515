// The patched `cap` addon (patches/cap+0.2.1.patch), typed. Only the capture helper process
// loads it: it needs capture privileges, and a native addon built for Node would not load in
// Electron's main process anyway.
import { createRequire } from 'node:module';

export interface NativeOpenOptions {
  device: string;
  filter: string;
  snaplen: number;
  promisc: boolean;
  /** Kernel buffer in bytes; 0 keeps libpcap's default (2 MiB). */
  bufferSize: number;
  immediate: boolean;
  /** Read timeout; with TPACKET_V3 also the longest a partly filled block waits. */
  timeoutMs: number;
  /** Ask for nanosecond timestamps (PCAP_TSTAMP_PRECISION_NANO). */
  nano: boolean;
}

export interface NativeOpened {
  linkType: number;
  snaplen: number;
  nano: boolean;
  /** pcap_activate's warning (e.g. promiscuous mode not supported), if any. */
  warning?: string;
}

export interface NativePcapStats {
  received: number;
  dropped: number;
  ifDropped: number;
}

/** What openLive throws: the step that failed and pcap_activate's status code. */
export interface NativeOpenError extends Error {
  stage?: 'create' | 'activate' | 'filter' | string;
  pcapStatus?: number;
}

export interface NativeCap {
  /** Records land in `buffer` as [u32 sec, u32 nsec, u32 caplen, u32 origlen, bytes] (host order). */
  openLive(opts: NativeOpenOptions, buffer: Buffer): NativeOpened;
  stats(): NativePcapStats;
  /** Reads what the kernel holds now and emits it as 'batch' events before returning. */
  drain(): void;
  pause(): void;
  resume(): void;
  close(): boolean;
  on(event: 'batch', fn: (bytes: number, count: number) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
}

export interface NativeDevice {
  name: string;
  description?: string;
  addresses: { addr?: string; netmask?: string; broadaddr?: string; dstaddr?: string }[];
  /** pcap_if_t.flags: PCAP_IF_LOOPBACK 1, PCAP_IF_UP 2, PCAP_IF_RUNNING 4, PCAP_IF_WIRELESS 8. */
  flagBits: number;
}

interface CapModule {
  Cap: new () => NativeCap;
  deviceList(): NativeDevice[];
  libVersion?: () => string;
}

// libpcap's status codes (pcap/pcap.h).
export const PCAP_ERROR = -1;
export const PCAP_ERROR_NO_SUCH_DEVICE = -5;
export const PCAP_ERROR_RFMON_NOTSUP = -6;
export const PCAP_ERROR_PERM_DENIED = -8;
export const PCAP_ERROR_IFACE_NOT_UP = -9;
export const PCAP_ERROR_PROMISC_PERM_DENIED = -11;

export const PCAP_IF_LOOPBACK = 1;
export const PCAP_IF_UP = 2;
export const PCAP_IF_RUNNING = 4;

/** Loads the addon; throws a plain sentence when it is missing or unpatched. */
export function loadCap(): CapModule {
  const require = createRequire(import.meta.url);
  let mod: CapModule;
  try {
    mod = require('cap') as CapModule;
  } catch (e) {
    throw new Error(`the packet capture module (cap) is not installed or not built: ${(e as Error).message}; run \`npm ci\``);
  }
  if (typeof (mod.Cap.prototype as Partial<NativeCap>).openLive !== 'function') {
    throw new Error('the packet capture module (cap) is not patched; run `npm ci` (postinstall applies patches/cap+0.2.1.patch)');
  }
  return mod;
}
