// What a live capture hands to the rest of the engine. The capture process (which alone owns
// the libpcap handle and needs capture privileges) sends packets in batches; the session stores
// them in the ring and feeds the tracker. Timestamps are libpcap's, never JavaScript's clock.
import type { CaptureOptions, CaptureStats, InterfaceInfo } from '../session/contract.js';

export type { CaptureOptions, CaptureStats, InterfaceInfo };

export interface CapturedPacket {
  /** libpcap's timestamp (nanosecond precision where the platform gives it). */
  ts: { sec: number; nsec: number };
  capLen: number;
  origLen: number;
  /** Exactly capLen bytes; owned by the receiver (not a view into a reused buffer). */
  data: Uint8Array;
}

export interface CaptureBatch {
  /** LINKTYPE of the handle (pcap_datalink). */
  linkType: number;
  packets: CapturedPacket[];
}

/** Callbacks of one running capture. Called on the session's thread, in order. */
export interface CaptureSink {
  onBatch(batch: CaptureBatch): void;
  /** Periodic pcap_stats (a few times per second) and once at the end. */
  onStats(stats: CaptureStats): void;
  /** The capture ended: stopped, a stop condition hit, or an error (a sentence to show). */
  onEnd(reason: { kind: 'stopped' | 'limit' } | { kind: 'error'; message: string }): void;
}

export interface LiveCapture {
  readonly interface: string;
  readonly linkType: number;
  readonly snaplen: number;
  /** Stops the capture; resolves with the final statistics after the last batch was delivered. */
  stop(): Promise<CaptureStats>;
}

/**
 * Errors that happen before any packet: no privileges, unknown interface, invalid filter.
 * `message` names the interface and the fix; for a filter, `span` points into the filter text.
 */
export class CaptureStartError extends Error {
  constructor(
    message: string,
    readonly kind: 'permission' | 'no-such-interface' | 'bad-filter' | 'other',
    readonly span?: { start: number; end: number },
  ) {
    super(message);
    this.name = 'CaptureStartError';
  }
}
