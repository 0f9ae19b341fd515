// The TCP connection tracker (see tracker.ts). The session/CLI attaches it to a capture with
// attachTcpAnalyzer(capture, createTcpTracker()) from ../dissect/tcp-hook.js.
export { createTcpTracker, TcpTracker, Connection, Flow, COMPLETENESS } from './tracker.js';
export type { TcpTrackerStats } from './tracker.js';
export { TCP_A, infoPrefix } from './verdict-store.js';
export { gtSeq, ltSeq, geSeq, leSeq, seqDiff, u32 } from './seq.js';
