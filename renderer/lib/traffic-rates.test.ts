import { describe, expect, it } from 'vitest';
import type { InterfaceTraffic } from '../../app/session/contract.js';
import { addTrafficSample, EMPTY_TRAFFIC, TRAFFIC_POINTS } from './traffic-rates.js';

const on = (packets: number, time: number): InterfaceTraffic => ({ available: true, packets, time });
const off: InterfaceTraffic = { available: false, reason: 'no kernel packet counters (not a network device)' };

describe('packets/s from cumulative counters', () => {
  it('divides the rise by the time between the readings, and shows nothing for an interface without counters', () => {
    let h = addTrafficSample(EMPTY_TRAFFIC, { lo: on(1000, 5000), any: off });
    expect(h.rates.get('lo')).toEqual([]);
    h = addTrafficSample(h, { lo: on(1600, 6500), any: off });
    expect(h.rates.get('lo')).toEqual([(1600 - 1000) / 1.5]);
    expect(h.rates.has('any')).toBe(false);
  });

  it('starts again after a counter reset, and keeps the last TRAFFIC_POINTS rates', () => {
    let h = addTrafficSample(EMPTY_TRAFFIC, { eth0: on(10, 0) });
    h = addTrafficSample(h, { eth0: on(20, 1000) });
    h = addTrafficSample(h, { eth0: on(5, 2000) });
    expect(h.rates.get('eth0')).toEqual([]);
    for (let i = 1; i <= TRAFFIC_POINTS + 5; i++) h = addTrafficSample(h, { eth0: on(5 + i * i, 2000 + i * 1000) });
    const rates = h.rates.get('eth0')!;
    expect(rates).toHaveLength(TRAFFIC_POINTS);
    const i = TRAFFIC_POINTS + 5;
    expect(rates[rates.length - 1]).toBe(i * i - (i - 1) * (i - 1));
  });
});
