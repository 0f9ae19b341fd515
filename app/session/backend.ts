// How the session reaches live capture: an injectable backend, so the session does not care
// whether packets come from libpcap (app/capture's startLiveCapture/listInterfaces) or from a
// capture file replayed as batches (tests, demos).
import { openCaptureFile, type CaptureReader } from '../file/reader.js';
import type { AbsTime } from '../dissect/tree.js';
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
  /**
   * Play the file this many times (default 1: once), the way a capture that runs for hours
   * sees traffic go on: each round's timestamps start `roundGapS` seconds (default 1) after the
   * previous round's last packet, rounded up to a whole second.
   */
  rounds?: number;
  roundGapS?: number;
  /** Rewrites a packet's bytes in place in round r >= 1, e.g. newHostsEachRound. */
  rewrite?: (data: Uint8Array, linkType: number, round: number) => void;
  /** After the last packet, go on capturing nothing until stopped (a network gone quiet). */
  keepOpen?: boolean;
}

/**
 * A ReplayOptions.rewrite that gives every round its own hosts, so the same traffic replayed
 * opens new connections and conversations instead of continuing the old ones: the second byte
 * of each IPv4 address (the fourth of each IPv6 address) is moved on by the round number, the
 * same for every packet, so both directions of a connection still match; the IPv4 header
 * checksum is recomputed (the TCP/UDP checksums, which tshark does not verify by default, are
 * left as they are). Handles Ethernet (with 802.1Q/802.1ad tags) and raw IP; anything else, or
 * a tunnel's inner header, is left alone.
 */
export function newHostsEachRound(data: Uint8Array, linkType: number, round: number): void {
  let o = 0;
  let type = 0;
  if (linkType === 1) {
    o = 12;
    if (data.length < o + 2) return;
    type = (data[o]! << 8) | data[o + 1]!;
    while ((type === 0x8100 || type === 0x88a8) && data.length >= o + 6) {
      o += 4;
      type = (data[o]! << 8) | data[o + 1]!;
    }
    o += 2;
  } else if (linkType === 101 && data.length > 0) {
    type = data[0]! >> 4 === 6 ? 0x86dd : 0x0800;
  } else return;
  if (type === 0x0800 && data.length >= o + 20 && data[o]! >> 4 === 4) {
    data[o + 13] = (data[o + 13]! + round) & 0xff;
    data[o + 17] = (data[o + 17]! + round) & 0xff;
    const hl = (data[o]! & 0x0f) * 4;
    if (data.length < o + hl) return;
    data[o + 10] = 0;
    data[o + 11] = 0;
    let sum = 0;
    for (let i = 0; i < hl; i += 2) sum += (data[o + i]! << 8) | data[o + i + 1]!;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    const ck = ~sum & 0xffff;
    data[o + 10] = ck >> 8;
    data[o + 11] = ck & 0xff;
  } else if (type === 0x86dd && data.length >= o + 40) {
    data[o + 11] = (data[o + 11]! + round) & 0xff;
    data[o + 27] = (data[o + 27]! + round) & 0xff;
  }
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
    const replay = new Replay(this.path, this.o);
    const linkType = replay.linkType;
    const snaplen = opts.snaplen ?? replay.snapLen;
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
      replay.close();
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
        const rec = replay.next();
        if (rec === null) break;
        const capLen = Math.min(rec.capLen, snaplen);
        batch.packets.push({ ts: rec.ts, capLen, origLen: rec.origLen, data: rec.data.subarray(0, capLen) });
        captured++;
        bytes += capLen;
      }
      if (batch.packets.length) sink.onBatch(batch);
      if (limit) return end('limit');
      if (batch.packets.length < batchSize) {
        if (this.o.keepOpen) {
          sink.onStats(stats());
          return;
        }
        return end('stopped');
      }
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
 * The records of a capture file as ReplayBackend plays them: the file's, `rounds` times over
 * with shifted timestamps and rewritten bytes (see ReplayOptions). Each record's bytes are its
 * own copy.
 */
export class Replay {
  private reader: CaptureReader;
  readonly linkType: number;
  readonly snapLen: number;
  private round = 0;
  /** Whole seconds added to this round's timestamps; the file's first second; the last played time. */
  private shift = 0;
  private firstSec: number | null = null;
  private lastTime = 0;

  constructor(private readonly path: string, private readonly o: Pick<ReplayOptions, 'rounds' | 'roundGapS' | 'rewrite'> = {}) {
    this.reader = openCaptureFile(path);
    this.linkType = this.reader.info.interfaces[0]?.linkType ?? 1;
    this.snapLen = this.reader.info.snapLen;
  }

  next(): { ts: AbsTime; capLen: number; origLen: number; data: Uint8Array; round: number } | null {
    let rec = this.reader.next();
    if (rec === null && this.round + 1 < (this.o.rounds ?? 1) && this.firstSec !== null) {
      this.round++;
      this.shift = Math.ceil(this.lastTime + (this.o.roundGapS ?? 1)) - this.firstSec;
      this.reader.close();
      this.reader = openCaptureFile(this.path);
      rec = this.reader.next();
    }
    if (rec === null) return null;
    this.firstSec ??= rec.ts.sec;
    const ts = { sec: rec.ts.sec + this.shift, nsec: rec.ts.nsec };
    this.lastTime = ts.sec + ts.nsec / 1e9;
    const data = rec.data.slice();
    if (this.round > 0 && this.o.rewrite) this.o.rewrite(data, this.linkType, this.round);
    return { ts, capLen: rec.capLen, origLen: rec.origLen, data, round: this.round };
  }

  close(): void {
    this.reader.close();
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
