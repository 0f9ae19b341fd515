// Packets per second per interface from successive `capture.traffic` samples (cumulative kernel
// counters), for the start page's sparklines. The rate of a step is the counter's rise over the
// engine's own time between the two readings, so a late poll does not read as a spike.
import type { InterfaceTraffic } from '../../app/session/contract.js';

/** How many rates a sparkline keeps (about a minute at one sample per second). */
export const TRAFFIC_POINTS = 60;

export interface TrafficHistory {
  /** The last reading per interface: the base of its next rate. */
  last: ReadonlyMap<string, { packets: number; time: number }>;
  /** Packets/s per interface with counters, oldest first; absent for the unavailable ones. */
  rates: ReadonlyMap<string, readonly number[]>;
}

export const EMPTY_TRAFFIC: TrafficHistory = { last: new Map(), rates: new Map() };

/** The history with one more sample. Interfaces without counters are dropped, not zeroed. */
export function addTrafficSample(history: TrafficHistory, sample: Record<string, InterfaceTraffic>, keep = TRAFFIC_POINTS): TrafficHistory {
  const last = new Map<string, { packets: number; time: number }>();
  const rates = new Map<string, readonly number[]>();
  for (const [name, t] of Object.entries(sample)) {
    if (!t.available) continue;
    last.set(name, { packets: t.packets, time: t.time });
    const seen = history.rates.get(name) ?? [];
    const prev = history.last.get(name);
    // A counter that went down was reset (the interface was re-created): start again from it.
    if (!prev || t.time <= prev.time || t.packets < prev.packets) {
      rates.set(name, prev && t.packets < prev.packets ? [] : seen);
      continue;
    }
    const rate = ((t.packets - prev.packets) * 1000) / (t.time - prev.time);
    rates.set(name, [...seen, rate].slice(-keep));
  }
  return { last, rates };
}
