// The echo request table ICMP and ICMPv6 keep per capture to pair an echo reply with its
// request (tshark's icmp.resp_to / icmp.resptime): requests by addresses, id and sequence
// number, and the answer decided per reply frame so re-dissection agrees with the first pass.
import { FORGET_QUIET_AFTER_S, forgetFramesBefore, pickForgotten, type CaptureState } from './packet.js';

export interface EchoState {
  requests: Map<string, { frame: number; time: { sec: number; nsec: number } }>;
  answers: Map<number, { frame: number; ms: number }>;
}

/**
 * The echo table under `key` (each protocol has its own). A live ring's eviction forgets the
 * answers of evicted frames, and the requests evicted and FORGET_QUIET_AFTER_S older than the
 * newest one (see pickForgotten).
 */
export function echoState(capture: CaptureState, key: string): EchoState {
  return capture.get<EchoState>(key, () => {
    const st: EchoState = { requests: new Map(), answers: new Map() };
    capture.onForget((first) => {
      forgetFramesBefore(st.answers, first, (f) => f);
      let newest = -Infinity;
      for (const r of st.requests.values()) newest = Math.max(newest, r.time.sec);
      for (const [k] of pickForgotten(st.requests, first, newest, ([, r]) => r.frame, ([, r]) => r.time.sec, () => FORGET_QUIET_AFTER_S)) st.requests.delete(k);
    });
    return st;
  });
}

