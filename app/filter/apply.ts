// Runs a compiled filter over a capture file: the packet numbers that match (1-based, as tshark
// numbers frames). Display filters dissect every packet in order with {tree: false, wanted:
// filter.fields} (the fast path: only the nodes the filter reads are kept); the TCP tracker is
// attached when the filter reads anything it decides, and then every frame still goes through
// it in order, so verdicts equal a full pass. tcpdump filters run on the raw bytes and the link
// type, as libpcap does, without dissecting at all.
import { CaptureState, dissect, type FrameInput } from '../dissect/driver.js';
import { attachTcpAnalyzer, tcpAnalyzerOf } from '../dissect/tcp-hook.js';
import { openCaptureFile } from '../file/reader.js';
import { frameFromRecord } from './record-frame.js';
import type { AbsTime } from '../dissect/tree.js';
import { createTcpTracker } from '../tcp/index.js';
import { fieldSourceFromDissection, type DisplayFilter } from './compile.js';
import type { TcpdumpFilter } from './tcpdump/compile.js';

export type AnyFilter = DisplayFilter | TcpdumpFilter;

/** A per-packet matcher for a stream of records (the session and the CLI feed it in order). */
export interface PacketMatcher {
  /** Whether the packet matches. Call for every packet, in file order. */
  match(frame: FrameInput): boolean;
}

/**
 * A matcher for one pass over a capture. `capture` is the pass's CaptureState (made if absent);
 * a tracker already attached to it (the CLI's, the session's) is kept, not replaced.
 * This dissects on its own: a caller that dissects anyway (to print) should instead add
 * `filter.fields` to its `wanted` set and call `filter.test(fieldSourceFromDissection(d))`.
 */
export function createMatcher(filter: AnyFilter, capture: CaptureState = new CaptureState()): PacketMatcher {
  if (filter.language === 'tcpdump') {
    return { match: (frame) => filter.test(frame.data, frame.linkType, frame.origLen) };
  }
  if (filter.needsTcpAnalysis && tcpAnalyzerOf(capture) === null) attachTcpAnalyzer(capture, createTcpTracker({ revisits: capture.revisits }));
  const opts = { tree: false, wanted: filter.fields } as const;
  return {
    match(frame) {
      const d = dissect(frame, capture, opts);
      return filter.test(fieldSourceFromDissection(d));
    },
  };
}

/** The numbers of the packets in `path` that match `filter`. */
export function filterFile(path: string, filter: AnyFilter): number[] {
  // One record at a time (its buffers reused for the next: the dissectors copy what they keep).
  const reader = openCaptureFile(path, { customBlocks: true, reuseRecord: true });
  // One pass in frame order: no protocol keeps per-frame answers for a dissection again.
  const matcher = createMatcher(filter, new CaptureState({ revisits: false }));
  const out: number[] = [];
  let n = 0;
  let firstTs: AbsTime | undefined;
  let prevTs: AbsTime | undefined;
  let prevShown: AbsTime | undefined;
  try {
    for (let rec = reader.next(); rec !== null; rec = reader.next()) {
      n++;
      const ts: AbsTime = { sec: rec.ts.sec, nsec: rec.ts.nsec };
      firstTs ??= ts;
      // Nothing shown yet: tshark's delta from the previous displayed frame is 0.
      const frame = frameFromRecord(rec, n, firstTs, prevTs, reader.info, prevShown ?? ts);
      prevTs = ts;
      if (rec.pen !== undefined && filter.language === 'tcpdump') continue; // not a packet for libpcap
      if (matcher.match(frame)) {
        out.push(n);
        prevShown = ts;
      }
    }
  } finally {
    reader.close();
  }
  return out;
}
