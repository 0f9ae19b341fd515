// The tracker on tiny synthetic conversations. Each expectation follows from the packet-tcp.c
// rule named beside it (tshark 4.0); the corpus comparison is tracker.diff.test.ts.
import { describe, expect, it } from 'vitest';
import type { PacketContext } from '../dissect/packet.js';
import type { TcpSegmentFacts, TcpSegmentVerdict } from '../dissect/tcp-hook.js';
import { createTcpTracker, type TcpTracker } from './tracker.js';
import { infoPrefix, TCP_A } from './verdict-store.js';

const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
const C = Uint8Array.of(10, 0, 0, 1), S = Uint8Array.of(10, 0, 0, 2);

interface Seg {
  from: 'c' | 's';
  seq: number;
  ack?: number;
  flags: number;
  len?: number;
  win?: number;
  /** Milliseconds since the start. */
  t?: number;
  ws?: number;
  sack?: Array<[number, number]>;
  cport?: number;
}

/** Feeds segments in order (frame = index + 1) and returns the verdicts. */
class Conv {
  readonly tracker: TcpTracker = createTcpTracker();
  frame = 0;
  send(s: Seg): TcpSegmentVerdict {
    this.frame++;
    return this.tracker.analyze(facts(this.frame, s), ctxAt(this.frame, s.t ?? this.frame));
  }
}

function facts(frame: number, s: Seg): TcpSegmentFacts {
  const c = s.from === 'c';
  const cport = s.cport ?? 40000;
  const options: TcpSegmentFacts['options'] = {};
  if (s.ws !== undefined) options.wscale = s.ws;
  if (s.sack) options.sack = s.sack;
  return {
    frame, time: (s.t ?? frame) / 1000,
    netSrc: c ? C : S, netDst: c ? S : C,
    srcPort: c ? cport : 80, dstPort: c ? 80 : cport,
    seq: s.seq >>> 0, ack: (s.ack ?? 0) >>> 0, flags: s.flags, window: s.win ?? 1000,
    len: s.len ?? 0, hdrLen: 20, urgentPointer: 0, options,
  };
}

function ctxAt(frame: number, ms: number): PacketContext {
  const sec = 1_700_000_000 + Math.floor(ms / 1000);
  const nsec = Math.round((ms % 1000) * 1e6);
  return { frame: { number: frame, ts: { sec, nsec } } } as unknown as PacketContext;
}

const CI = 1000, SI = 5000; // client and server ISNs

/** SYN, SYN/ACK, ACK at t = 0, 10, 20 ms. */
function handshake(c: Conv, o: { cws?: number; sws?: number; ci?: number; si?: number } = {}): TcpSegmentVerdict[] {
  const ci = o.ci ?? CI, si = o.si ?? SI;
  return [
    c.send({ from: 'c', seq: ci, flags: SYN, t: 0, ws: o.cws }),
    c.send({ from: 's', seq: si, ack: ci + 1, flags: SYN | ACK, t: 10, ws: o.sws }),
    c.send({ from: 'c', seq: ci + 1, ack: si + 1, flags: ACK, t: 20 }),
  ];
}

describe('tcp tracker: stream, relative numbers, timestamps', () => {
  it('numbers the handshake from the ISNs and reports iRTT and acks_frame', () => {
    const c = new Conv();
    const [syn, synack, ack] = handshake(c);
    expect([syn.stream, synack.stream, ack.stream]).toEqual([0, 0, 0]);
    expect([syn.seq, syn.nxtseq, synack.seq, synack.ack, synack.nxtseq, ack.seq, ack.ack, ack.nxtseq]).toEqual([0, 1, 0, 1, 1, 1, 1, 1]);
    // tcp.completeness is shown before the segment's own contribution: 0, SYN, SYN|SYN-ACK.
    expect([syn.completeness, synack.completeness, ack.completeness]).toEqual([0, 1, 3]);
    expect(synack.acksFrame).toBe(1);
    expect(synack.ackRtt).toBeCloseTo(0.010, 9);
    // iRTT = first pure ACK after the SYN (packet-tcp.c ts_first_rtt); shown with the analysis.
    expect(ack.initialRtt).toBeCloseTo(0.020, 9);
    expect(ack.acksFrame).toBe(2);
    expect([syn.timeRelative, synack.timeDelta, ack.timeRelative]).toEqual([0, 0.01, 0.02]);
  });

  it('starts mid-connection at relative 1 (base = seq - 1, peer base = ack - 1)', () => {
    const c = new Conv();
    const v = c.send({ from: 'c', seq: 777, ack: 999, flags: ACK | PSH, len: 10 });
    expect([v.seq, v.ack, v.nxtseq]).toEqual([1, 1, 11]);
    expect(v.windowScaleFactor).toBe(-1); // no SYN seen: unknown
    expect(v.windowSize).toBe(1000);
  });

  it('keeps relative numbers and ordering across the 2^32 wrap', () => {
    const c = new Conv();
    handshake(c, { ci: 0xfffffff0 });
    const d1 = c.send({ from: 'c', seq: 0xfffffff1, ack: SI + 1, flags: ACK, len: 32, t: 30 });
    const d2 = c.send({ from: 'c', seq: 0x11, ack: SI + 1, flags: ACK, len: 32, t: 40 });
    expect([d1.seq, d1.nxtseq, d2.seq, d2.nxtseq]).toEqual([1, 33, 33, 65]);
    expect(d2.flags).toEqual({});
    const a = c.send({ from: 's', seq: SI + 1, ack: 0x31, flags: ACK, t: 50 });
    expect(a.ack).toBe(65);
    expect(a.acksFrame).toBe(5);
  });

  it('scales windows only when both SYNs carried the option', () => {
    const both = new Conv();
    handshake(both, { cws: 7, sws: 2 });
    const v = both.send({ from: 'c', seq: CI + 1, ack: SI + 1, flags: ACK, win: 100, t: 30 });
    expect([v.windowSize, v.windowScaleFactor]).toEqual([12800, 128]);
    const w = both.send({ from: 's', seq: SI + 1, ack: CI + 1, flags: ACK, win: 100, t: 40 });
    expect([w.windowSize, w.windowScaleFactor]).toEqual([400, 4]);

    // verify_tcp_window_scaling: a SYN/ACK without the option turns scaling off both ways (-2).
    const one = new Conv();
    handshake(one, { cws: 7 });
    const x = one.send({ from: 'c', seq: CI + 1, ack: SI + 1, flags: ACK, win: 100, t: 30 });
    expect([x.windowSize, x.windowScaleFactor]).toEqual([100, -2]);

    // A shift above 14 is used as 14 (RFC 7323 §2.3).
    const big = new Conv();
    handshake(big, { cws: 20, sws: 20 });
    expect(big.send({ from: 'c', seq: CI + 1, ack: SI + 1, flags: ACK, win: 1, t: 30 }).windowScaleFactor).toBe(16384);
  });

  it('starts a new stream when a SYN with a new ISN reuses the ports', () => {
    const c = new Conv();
    handshake(c);
    c.send({ from: 'c', seq: CI + 1, ack: SI + 1, flags: FIN | ACK, t: 30 });
    const again = c.send({ from: 'c', seq: 9000, flags: SYN, t: 40 });
    expect(again.stream).toBe(1);
    expect(again.flags.reused_ports).toBe(true);
    expect(again.infoPrefix).toBe('[TCP Port numbers reused] ');
    expect(again.seq).toBe(0);
    // A SYN with the same ISN again is a retransmission in the same stream.
    const rexmit = c.send({ from: 'c', seq: 9000, flags: SYN, t: 4000 });
    expect(rexmit.stream).toBe(1);
    expect(rexmit.flags).toEqual({ retransmission: true });
    expect(c.tracker.streamCount).toBe(2);
  });

  it('gives every connection its own stream in order of first appearance', () => {
    const c = new Conv();
    const a = c.send({ from: 'c', seq: 1, flags: SYN, cport: 1111 });
    const b = c.send({ from: 'c', seq: 1, flags: SYN, cport: 2222 });
    const a2 = c.send({ from: 's', seq: 7, ack: 2, flags: SYN | ACK, cport: 1111 });
    expect([a.stream, b.stream, a2.stream]).toEqual([0, 1, 0]);
  });
});

describe('tcp tracker: analysis flags (tcp_analyze_sequence_number)', () => {
  it('flags a gap as "previous segment not captured" and the ACK beyond seen data as "ACKed unseen"', () => {
    const c = new Conv();
    handshake(c);
    // LOST PACKET: seq beyond the highest nextseq seen.
    const gap = c.send({ from: 'c', seq: CI + 101, ack: SI + 1, flags: ACK, len: 100, t: 30 });
    expect(gap.flags).toEqual({ lost_segment: true });
    expect(gap.infoPrefix).toBe('[TCP Previous segment not captured] ');
    // ACKED LOST PACKET: the server acknowledges data of the client never captured.
    const c2 = new Conv();
    handshake(c2);
    const unseen = c2.send({ from: 's', seq: SI + 1, ack: CI + 501, flags: ACK, t: 30 });
    expect(unseen.flags).toEqual({ ack_lost_segment: true });
    expect(unseen.infoPrefix).toBe('[TCP ACKed unseen segment] ');
    // The same ACK again is not reported twice.
    expect(c2.send({ from: 's', seq: SI + 1, ack: CI + 501, flags: ACK, t: 40, win: 2000 }).flags.ack_lost_segment).toBeUndefined();
  });

  it('tells retransmission, fast retransmission, spurious retransmission and out-of-order apart', () => {
    const c = new Conv();
    handshake(c);
    c.send({ from: 'c', seq: CI + 1, ack: SI + 1, flags: ACK, len: 100, t: 100 });
    c.send({ from: 'c', seq: CI + 101, ack: SI + 1, flags: ACK, len: 100, t: 101 });
    // OUT-OF-ORDER: not advancing, within 3 ms... but here the iRTT (20 ms) is known: within 20 ms.
    const ooo = c.send({ from: 'c', seq: CI + 51, ack: SI + 1, flags: ACK, len: 10, t: 110 });
    expect(ooo.flags).toEqual({ out_of_order: true });
    expect(ooo.infoPrefix).toBe('[TCP Out-Of-Order] ');
    // RETRANSMISSION: not advancing, long after the highest segment.
    const rt = c.send({ from: 'c', seq: CI + 1, ack: SI + 1, flags: ACK, len: 100, t: 500 });
    expect(rt.flags).toEqual({ retransmission: true });
    expect(rt.infoPrefix).toBe('[TCP Retransmission] ');

    // FAST: ≥ 2 duplicate ACKs for this seq, within 20 ms of the last one.
    c.send({ from: 's', seq: SI + 1, ack: CI + 101, flags: ACK, t: 600 });
    const d1 = c.send({ from: 's', seq: SI + 1, ack: CI + 101, flags: ACK, t: 601 });
    const d2 = c.send({ from: 's', seq: SI + 1, ack: CI + 101, flags: ACK, t: 602 });
    expect(d1.infoPrefix).toBe(`[TCP Dup ACK ${c.frame - 2}#1] `);
    expect([d2.duplicateAckNum, d2.duplicateAckFrame]).toEqual([2, c.frame - 2]);
    const fast = c.send({ from: 'c', seq: CI + 101, ack: SI + 1, flags: ACK, len: 100, t: 610 });
    expect(fast.flags).toEqual({ fast_retransmission: true });
    expect(fast.infoPrefix).toBe('[TCP Fast Retransmission] ');

    // SPURIOUS: all of it was already acknowledged by the peer.
    c.send({ from: 's', seq: SI + 1, ack: CI + 201, flags: ACK, t: 700 });
    const sp = c.send({ from: 'c', seq: CI + 101, ack: SI + 1, flags: ACK, len: 100, t: 900 });
    expect(sp.flags).toEqual({ spurious_retransmission: true });
    expect(sp.infoPrefix).toBe('[TCP Spurious Retransmission] ');
  });

  it('recognises keep-alives and their ACKs', () => {
    const c = new Conv();
    handshake(c);
    c.send({ from: 'c', seq: CI + 1, ack: SI + 1, flags: ACK, len: 10, t: 30 });
    c.send({ from: 's', seq: SI + 1, ack: CI + 11, flags: ACK, t: 40 });
    // KEEP ALIVE: 0/1 byte at nextseq - 1.
    const ka = c.send({ from: 'c', seq: CI + 10, ack: SI + 1, flags: ACK, len: 1, t: 5000 });
    expect(ka.flags).toEqual({ keep_alive: true });
    expect(ka.infoPrefix).toBe('[TCP Keep-Alive] ');
    // KEEP ALIVE ACK: repeats the previous ACK right after a keep-alive (not a dup ACK).
    const kaa = c.send({ from: 's', seq: SI + 1, ack: CI + 11, flags: ACK, t: 5001 });
    expect(kaa.flags).toEqual({ keep_alive_ack: true });
    expect(kaa.infoPrefix).toBe('[TCP Keep-Alive ACK] ');
  });

  it('recognises zero window, zero-window probe and probe ACK, window update and window full', () => {
    const c = new Conv();
    handshake(c);
    c.send({ from: 'c', seq: CI + 1, ack: SI + 1, flags: ACK, len: 100, t: 30 });
    // ZERO WINDOW: window 0 without SYN/FIN/RST.
    const zw = c.send({ from: 's', seq: SI + 1, ack: CI + 101, flags: ACK, win: 0, t: 40 });
    expect(zw.flags).toEqual({ zero_window: true });
    expect(zw.infoPrefix).toBe('[TCP ZeroWindow] ');
    // ZERO WINDOW PROBE: 1 byte at nextseq while the peer's window is 0.
    const zwp = c.send({ from: 'c', seq: CI + 101, ack: SI + 1, flags: ACK, len: 1, t: 300 });
    expect(zwp.flags).toEqual({ zero_window_probe: true });
    expect(zwp.infoPrefix).toBe('[TCP ZeroWindowProbe] ');
    // ZERO WINDOW PROBE ACK: same ACK, still window 0, after a probe (also a zero window).
    const zwpa = c.send({ from: 's', seq: SI + 1, ack: CI + 101, flags: ACK, win: 0, t: 301 });
    expect(zwpa.flags).toEqual({ zero_window: true, zero_window_probe_ack: true });
    expect(zwpa.infoPrefix).toBe('[TCP ZeroWindowProbeAck] [TCP ZeroWindow] ');
    // WINDOW UPDATE: empty, same seq/ack, a new non-zero window.
    const wu = c.send({ from: 's', seq: SI + 1, ack: CI + 101, flags: ACK, win: 300, t: 400 });
    expect(wu.flags).toEqual({ window_update: true });
    expect(wu.infoPrefix).toBe('[TCP Window Update] ');
    // WINDOW FULL: data ending exactly at lastack + window of the peer.
    const wf = c.send({ from: 'c', seq: CI + 101, ack: SI + 1, flags: ACK, len: 300, t: 401 });
    expect(wf.flags).toEqual({ window_full: true });
    expect(wf.infoPrefix).toBe('[TCP Window Full] ');
  });

  it('does not flag RST-ended or SYN segments as zero window / dup ack', () => {
    const c = new Conv();
    handshake(c);
    const rst = c.send({ from: 's', seq: SI + 1, ack: CI + 1, flags: RST | ACK, win: 0, t: 30 });
    expect(rst.flags).toEqual({});
  });

  it('reports bytes in flight and bytes since the last PSH', () => {
    const c = new Conv();
    handshake(c);
    const a = c.send({ from: 'c', seq: CI + 1, ack: SI + 1, flags: ACK, len: 100, t: 30 });
    const b = c.send({ from: 'c', seq: CI + 101, ack: SI + 1, flags: ACK | PSH, len: 50, t: 31 });
    expect([a.bytesInFlight, a.pushBytesSent]).toEqual([100, 100]);
    expect([b.bytesInFlight, b.pushBytesSent]).toEqual([150, 150]);
    c.send({ from: 's', seq: SI + 1, ack: CI + 101, flags: ACK, t: 40 });
    const d = c.send({ from: 'c', seq: CI + 151, ack: SI + 1, flags: ACK, len: 10, t: 41 });
    // 50 bytes of frame 5 still unacked + 10 new; PSH was set last time, so the count restarts.
    expect([d.bytesInFlight, d.pushBytesSent]).toEqual([60, 10]);
    // SACKed blocks of the peer's last segment are subtracted.
    c.send({ from: 's', seq: SI + 1, ack: CI + 101, flags: ACK, t: 50, sack: [[CI + 151, CI + 161]], win: 999 });
    const e = c.send({ from: 'c', seq: CI + 161, ack: SI + 1, flags: ACK, len: 10, t: 51 });
    expect(e.bytesInFlight).toBe(60);
  });
});

describe('tcp tracker: determinism', () => {
  it('answers a re-dissected frame exactly as on the first pass', () => {
    const c = new Conv();
    const first = handshake(c);
    c.send({ from: 'c', seq: CI + 1, ack: SI + 1, flags: ACK, len: 100, t: 30 });
    // Re-dissect frame 2 with a fresh context after later frames changed the state.
    const again = c.tracker.analyze(facts(2, { from: 's', seq: SI, ack: CI + 1, flags: SYN | ACK, t: 10 }), ctxAt(2, 10));
    expect(again).toEqual(first[1]);
    expect(c.tracker.verdictOf(3)).toEqual(first[2]);
  });

  it('starts a connection afresh on the flow numbers a forgotten connection left (a live capture)', () => {
    // Connection 1, window scaling and data both ways, closed by FINs: every flow number moves.
    const live = new Conv();
    handshake(live, { cws: 7, sws: 9 });
    live.send({ from: 'c', seq: CI + 1, ack: SI + 1, flags: ACK | PSH, len: 300, t: 30 });
    live.send({ from: 's', seq: SI + 1, ack: CI + 301, flags: ACK | PSH, len: 900, t: 40 });
    live.send({ from: 'c', seq: CI + 301, ack: SI + 901, flags: FIN | ACK, t: 50 });
    live.send({ from: 's', seq: SI + 901, ack: CI + 302, flags: FIN | ACK, t: 60 });
    live.send({ from: 'c', seq: CI + 302, ack: SI + 902, flags: ACK, t: 70 });
    // Five minutes and thousands of frames later the ring evicted it: the tracker forgets it.
    live.frame = 6000;
    live.send({ from: 'c', seq: 1, flags: SYN, t: 300_000, cport: 50000 });
    expect(live.tracker.forgetBefore(6000).map((c) => c.stream)).toEqual([0]);
    // Connection 2 takes the freed flow rows; it must see what a fresh tracker sees.
    const fresh = new Conv();
    fresh.frame = live.frame;
    const second = (c: Conv) => [
      c.send({ from: 'c', seq: 7000, flags: SYN, t: 300_010, cport: 41000 }),
      c.send({ from: 's', seq: 9000, ack: 7001, flags: SYN | ACK, t: 300_020, cport: 41000 }),
      c.send({ from: 'c', seq: 7001, ack: 9001, flags: ACK, t: 300_030, cport: 41000 }),
      c.send({ from: 'c', seq: 7001, ack: 9001, flags: ACK | PSH, len: 50, t: 300_040, cport: 41000 }),
      c.send({ from: 's', seq: 9001, ack: 7051, flags: ACK, t: 300_050, cport: 41000 }),
    ].map(({ stream: _, ...rest }) => rest);
    expect(second(live)).toEqual(second(fresh));
  });

  it('keeps per-connection state small', () => {
    const c = new Conv();
    for (let i = 0; i < 100; i++) {
      c.send({ from: 'c', seq: 1, flags: SYN, cport: 10000 + i });
      c.send({ from: 's', seq: 1, ack: 2, flags: SYN | ACK, cport: 10000 + i });
    }
    const st = c.tracker.stats();
    expect(st.connections).toBe(100);
    expect(st.connectionBytes / st.connections).toBeLessThan(2048);
  });
});

describe('info prefix order', () => {
  it('prints the groups in reverse of packet-tcp.c print order (col_prepend_fence_fstr)', () => {
    expect(infoPrefix(TCP_A.ZERO_WINDOW | TCP_A.KEEP_ALIVE, 0, 0)).toBe('[TCP ZeroWindow] [TCP Keep-Alive] ');
    expect(infoPrefix(TCP_A.LOST_PACKET | TCP_A.WINDOW_UPDATE, 0, 0)).toBe('[TCP Window Update] [TCP Previous segment not captured] ');
    expect(infoPrefix(TCP_A.DUPLICATE_ACK | TCP_A.ACK_LOST_PACKET, 7, 3)).toBe('[TCP Dup ACK 7#3] [TCP ACKed unseen segment] ');
    expect(infoPrefix(TCP_A.REUSED_PORTS | TCP_A.RETRANSMISSION, 0, 0)).toBe('[TCP Retransmission] [TCP Port numbers reused] ');
  });
});
