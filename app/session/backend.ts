// How the session reaches live capture: an injectable backend, so the session does not care
// whether packets come from libpcap (app/capture's startLiveCapture/listInterfaces) or from a
// capture file replayed as batches (tests, demos).
import { openCaptureFile } from '../file/reader.js';
import type { CaptureBatch, CaptureOptions, CaptureSink, CaptureStats, InterfaceInfo, LiveCapture } from '../capture/types.js';

export interface CaptureBackend {
  listInterfaces(): Promise<InterfaceInfo[]> | InterfaceInfo[];
  /** Resolves once capturing (batches then flow to the sink); rejects with CaptureStartError. */
  startLiveCapture(opts: CaptureOptions, sink: CaptureSink): Promise<LiveCapture>;
}

export interface ReplayOptions {
  /** Packets per batch (default 256). */
  batchSize?: number;
  /** Milliseconds between batches (default 0: as fast as the event loop turns). */
  intervalMs?: number;
}

/**
 * A backend that "captures" by replaying a capture file as batches (its one interface is the
 * file). Timestamps, lengths and bytes are the file's; stop conditions (stopAfter.packets,
 * stopAfter.bytes) are honoured like dumpcap -a.
 */
export class ReplayBackend implements CaptureBackend {
  constructor(private readonly path: string, private readonly o: ReplayOptions = {}) {}

  listInterfaces(): InterfaceInfo[] {
    return [{ name: 'replay', description: `replay of ${this.path}`, addresses: [], up: true, running: true, loopback: false }];
  }

  async startLiveCapture(opts: CaptureOptions, sink: CaptureSink): Promise<LiveCapture> {
    const reader = openCaptureFile(this.path);
    const linkType = reader.info.interfaces[0]?.linkType ?? 1;
    const snaplen = opts.snaplen ?? reader.info.snapLen;
    const batchSize = this.o.batchSize ?? 256;
    const limitPackets = opts.stopAfter?.packets ?? Infinity;
    const limitBytes = opts.stopAfter?.bytes ?? Infinity;
    let captured = 0;
    let bytes = 0;
    let stopped = false;
    let done: () => void = () => {};
    const finished = new Promise<void>((r) => (done = r));
    const stats = (): CaptureStats => ({
      state: stopped ? 'stopped' : 'capturing', interface: opts.interface, captured, received: captured, dropped: 0, ifDropped: 0, ringEvicted: 0, ringBytes: 0,
    });
    const end = (kind: 'stopped' | 'limit') => {
      if (stopped) return;
      stopped = true;
      reader.close();
      sink.onStats(stats());
      sink.onEnd({ kind });
      done();
    };
    const tick = () => {
      if (stopped) return;
      const batch: CaptureBatch = { linkType, packets: [] };
      let limit = false;
      while (batch.packets.length < batchSize) {
        if (captured >= limitPackets || bytes >= limitBytes) {
          limit = true;
          break;
        }
        const rec = reader.next();
        if (rec === null) break;
        const capLen = Math.min(rec.capLen, snaplen);
        batch.packets.push({ ts: { sec: rec.ts.sec, nsec: rec.ts.nsec }, capLen, origLen: rec.origLen, data: rec.data.slice(0, capLen) });
        captured++;
        bytes += capLen;
      }
      if (batch.packets.length) sink.onBatch(batch);
      if (limit) return end('limit');
      if (batch.packets.length < batchSize) return end('stopped');
      sink.onStats(stats());
      setTimeout(tick, this.o.intervalMs ?? 0);
    };
    setTimeout(tick, 0);
    return {
      interface: opts.interface,
      linkType,
      snaplen,
      stop: async () => {
        end('stopped');
        await finished;
        return stats();
      },
    };
  }
}

/**
 * Live capture through libpcap (app/capture: a helper process owns the handle). Loaded on first
 * use, so a session that only opens files never loads the native module.
 */
export function libpcapBackend(): CaptureBackend {
  const live = () => import('../capture/live.js');
  return {
    listInterfaces: async () => (await live()).listInterfaces(),
    startLiveCapture: async (opts, sink) => (await live()).startLiveCapture(opts, sink),
  };
}
