// The parent side of a live capture: starts the capture helper (helper.ts, bundled as
// dist/capture-helper.mjs), reads its framed stream and calls the session's sink in order.
// Packets carry libpcap's timestamps exactly as the kernel stamped them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PCAP_IF_LOOPBACK, PCAP_IF_RUNNING, PCAP_IF_UP, type NativeDevice } from './native.js';
import {
  FRAME_BATCH,
  FRAME_END,
  FRAME_ERROR,
  FRAME_HELLO,
  FRAME_STATS,
  FrameReader,
  decodeBatch,
  type EndMessage,
  type ErrorMessage,
  type HelloMessage,
  type HelperRequest,
  type StatsMessage,
} from './protocol.js';
import type { InterfaceAddress } from '../session/contract.js';
import { compileTcpdump } from '../filter/tcpdump/compile.js';
import {
  CaptureStartError,
  type CaptureOptions,
  type CaptureSink,
  type CaptureStats,
  type InterfaceInfo,
  type LiveCapture,
} from './types.js';

/** tcpdump's default snapshot length. */
export const DEFAULT_SNAPLEN = 262144;
/**
 * Kernel buffer when the caller names none. libpcap's 2 MiB holds only ~50 ms of a busy
 * loopback at 260k packets/s; 16 MiB rides out a scheduling hiccup of the helper on a loaded
 * machine at a fixed cost.
 */
export const DEFAULT_BUFFER_BYTES = 16 << 20;
/** Read timeout = how long a partly filled kernel block may wait (the live view's latency). */
export const DEFAULT_TIMEOUT_MS = 100;
const STATS_INTERVAL_MS = 250;

/** How to run the helper: the bundled script next to this bundle, else the source under tsx. */
function helperCommand(): { file: string; execArgv: string[] } {
  const bundled = fileURLToPath(new URL('./capture-helper.mjs', import.meta.url));
  if (existsSync(bundled)) return { file: bundled, execArgv: [] };
  const source = fileURLToPath(new URL('./helper.ts', import.meta.url));
  // Running from source (tests): the helper is TypeScript, loaded through tsx.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { file: source, execArgv: ['--import', tsx] };
}

/**
 * The Node that runs the helper: this one, except inside Electron, whose binary is not a plain
 * Node and whose ABI differs from the one `cap` was built for by node-gyp (the system Node's):
 * there, `node` from PATH. SYNSCOPE_CAPTURE_NODE overrides both (e.g. a copy of node that was
 * given cap_net_raw,cap_net_admin with setcap).
 */
function helperNode(): string {
  const fromEnv = process.env.SYNSCOPE_CAPTURE_NODE;
  if (fromEnv) return fromEnv;
  return process.versions.electron ? 'node' : process.execPath;
}

export interface LiveCaptureTuning {
  /** Immediate mode: every packet at once (TPACKET_V2 on Linux; needs a bigger buffer). */
  immediate?: boolean;
  timeoutMs?: number;
}

/**
 * Starts a capture. Resolves once the handle is open (HELLO), or rejects with a
 * CaptureStartError (no privileges, unknown interface, invalid filter, ...).
 */
export function startLiveCapture(opts: CaptureOptions, sink: CaptureSink, tuning: LiveCaptureTuning = {}): Promise<LiveCapture> {
  const filter = opts.filter ?? '';
  const req: HelperRequest = {
    device: opts.interface,
    filter,
    snaplen: opts.snaplen ?? DEFAULT_SNAPLEN,
    promisc: opts.promiscuous ?? true,
    bufferSize: opts.bufferSize ?? DEFAULT_BUFFER_BYTES,
    immediate: tuning.immediate ?? false,
    timeoutMs: tuning.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    statsIntervalMs: STATS_INTERVAL_MS,
    stopAfter: opts.stopAfter ?? {},
  };
  if (!(req.snaplen > 0 && req.snaplen <= DEFAULT_SNAPLEN)) {
    return Promise.reject(new CaptureStartError(`snaplen must be between 1 and ${DEFAULT_SNAPLEN}, got ${req.snaplen}`, 'other'));
  }
  const { file, execArgv } = helperCommand();
  const child = spawn(helperNode(), [...execArgv, file, JSON.stringify(req)], {
    stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
  });
  return new Promise<LiveCapture>((resolve, reject) => {
    let started = false;
    let ended = false;
    let hello: HelloMessage | null = null;
    let stderr = '';
    let lastStats: CaptureStats = {
      state: 'starting',
      interface: opts.interface,
      captured: 0,
      received: 0,
      dropped: 0,
      ifDropped: 0,
      ringEvicted: 0,
      ringBytes: 0,
    };
    let stopWaiters: Array<(s: CaptureStats) => void> = [];
    let endReason: Parameters<CaptureSink['onEnd']>[0] | null = null;
    let runtimeError: string | null = null;

    const toStats = (m: StatsMessage, state: CaptureStats['state']): CaptureStats => ({
      ...lastStats,
      state,
      captured: m.captured,
      received: m.received,
      dropped: m.dropped,
      ifDropped: m.ifDropped,
    });

    const onFrame = (type: number, payload: Buffer): void => {
      switch (type) {
        case FRAME_HELLO: {
          hello = JSON.parse(payload.toString()) as HelloMessage;
          started = true;
          lastStats = { ...lastStats, state: 'capturing' };
          resolve(live(child, hello, opts.interface, () => lastStats, (w) => stopWaiters.push(w)));
          return;
        }
        case FRAME_BATCH:
          sink.onBatch({ linkType: hello!.linkType, packets: decodeBatch(payload) });
          return;
        case FRAME_STATS:
          lastStats = toStats(JSON.parse(payload.toString()) as StatsMessage, lastStats.state);
          sink.onStats(lastStats);
          return;
        case FRAME_ERROR: {
          const e = JSON.parse(payload.toString()) as ErrorMessage;
          if (!started) {
            const span = e.kind === 'bad-filter' ? filterErrorSpan(filter) : undefined;
            reject(new CaptureStartError(e.message, e.kind, span));
            started = true;
            ended = true;
          } else runtimeError = e.message;
          return;
        }
        case FRAME_END: {
          const m = JSON.parse(payload.toString()) as EndMessage;
          endReason = runtimeError !== null ? { kind: 'error', message: runtimeError } : { kind: m.reason };
          return;
        }
      }
    };

    const reader = new FrameReader(onFrame);
    (child.stdio[3] as Readable).on('data', (chunk: Buffer) => reader.push(chunk));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      if (stderr.length < 8192) stderr += s;
    });
    // A stdin write after the helper exited must not throw in the parent.
    child.stdin!.on('error', () => {});

    child.on('error', (e) => {
      if (!started) {
        started = true;
        ended = true;
        reject(new CaptureStartError(`Cannot start the capture helper: ${e.message}`, 'other'));
      }
    });
    (child.stdio[3] as Readable).on('end', () => {
      // The stream ends before 'close'; wait for both so the exit code is known.
    });
    child.on('close', (code, signal) => {
      if (!started) {
        started = true;
        reject(new CaptureStartError(helperDiedMessage(code, signal, stderr), 'other'));
        return;
      }
      if (ended) return;
      ended = true;
      if (!endReason) {
        endReason = { kind: 'error', message: runtimeError ?? helperDiedMessage(code, signal, stderr) };
      }
      const state: CaptureStats['state'] = endReason.kind === 'error' ? 'error' : 'stopped';
      lastStats = { ...lastStats, state };
      if (endReason.kind === 'error') lastStats.error = endReason.message;
      sink.onStats(lastStats);
      sink.onEnd(endReason);
      const waiters = stopWaiters;
      stopWaiters = [];
      for (const w of waiters) w(lastStats);
    });
  });
}

/**
 * Where in the filter text the mistake is. libpcap says only "syntax error"; our own tcpdump
 * compiler (same grammar) knows the span. The whole text when it accepts what libpcap refused
 * (a semantic error it does not model), so the editor still marks something.
 */
export function filterErrorSpan(filter: string): { start: number; end: number } {
  const r = compileTcpdump(filter);
  if (!r.ok) return { start: r.error.start, end: r.error.end };
  return { start: 0, end: filter.length };
}

function helperDiedMessage(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
  const why = stderr.trim().split('\n').filter(Boolean).pop();
  return `The capture helper ${how}${why ? `: ${why}` : ''}`;
}

function live(
  child: ChildProcess,
  hello: HelloMessage,
  iface: string,
  stats: () => CaptureStats,
  onClosed: (w: (s: CaptureStats) => void) => void,
): LiveCapture {
  let closed = false;
  let final: Promise<CaptureStats> | null = null;
  child.once('close', () => {
    closed = true;
  });
  return {
    interface: iface,
    linkType: hello.linkType,
    snaplen: hello.snaplen,
    stop(): Promise<CaptureStats> {
      if (final) return final;
      if (closed) return (final = Promise.resolve(stats()));
      final = new Promise<CaptureStats>((resolve) => onClosed(resolve));
      // One byte on stdin asks the helper to stop; it then drains, reports and exits.
      child.stdin!.end('s');
      return final;
    },
  };
}

/** Lists the capture interfaces (pcap_findalldevs, through the helper: no privileges needed). */
export async function listInterfaces(): Promise<InterfaceInfo[]> {
  return (await listDevices()).map(toInterfaceInfo);
}

/** pcap_findalldevs as libpcap gives it (flag bits included), for `synscope interfaces`. */
export function listDevices(): Promise<NativeDevice[]> {
  const { file, execArgv } = helperCommand();
  const child = spawn(helperNode(), [...execArgv, file, '--interfaces'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(err.trim() || `the capture helper exited with status ${code}`));
        return;
      }
      resolve(JSON.parse(out) as NativeDevice[]);
    });
  });
}

export function toInterfaceInfo(d: NativeDevice): InterfaceInfo {
  const addresses: InterfaceAddress[] = [];
  for (const a of d.addresses) {
    if (a.addr === undefined) continue;
    const x: InterfaceAddress = { family: a.addr.includes(':') ? 'ipv6' : 'ipv4', address: a.addr };
    if (a.netmask !== undefined) x.netmask = a.netmask;
    addresses.push(x);
  }
  const info: InterfaceInfo = {
    name: d.name,
    addresses,
    up: (d.flagBits & PCAP_IF_UP) !== 0,
    running: (d.flagBits & PCAP_IF_RUNNING) !== 0,
    loopback: (d.flagBits & PCAP_IF_LOOPBACK) !== 0,
  };
  if (d.description !== undefined) info.description = d.description;
  return info;
}
