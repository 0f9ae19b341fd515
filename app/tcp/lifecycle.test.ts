// Lifecycle unit tests: hand-made segments through the real tracker (createTcpTracker) for the
// cases the netns scenarios cannot make on demand (simultaneous open and close, a capture that
// starts mid-connection, SYN retransmission), batch invariance, and a pass over the corpus.
// The real-traffic checks are in test/netns/scenarios.test.ts.
import { describe, expect, it } from 'vitest';
import { CaptureState, PacketContext } from '../dissect/packet.js';
import type { TcpSegmentFacts, TcpSegmentVerdict } from '../dissect/tcp-hook.js';
import { corpusPath } from '../../test/helpers/corpus.js';
import { tsharkFields } from '../../test/helpers/tshark.js';
import { completenessSentence, LifecycleTracker, MAX_FORGOTTEN_SUMMARIES, type LifecycleEvent } from './lifecycle.js';
import { TcpHealth } from './alerts.js';
import { createTcpTracker } from './tracker.js';
import { observeCapture } from './report.js';

const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
const A = new Uint8Array([10, 0, 0, 1]), B = new Uint8Array([10, 0, 0, 2]);

/** A conversation script: [from 'a'|'b', flags, seq, ack, len]; raw ISNs a=1000, b=5000. */
function run(script: Array<['a' | 'b', number, number, number, number]>): Array<[TcpSegmentFacts, TcpSegmentVerdict]> {
  const tracker = createTcpTracker();
  const capture = new CaptureState();
  return script.map(([who, flags, seq, ack, len], i) => {
    const fromA = who === 'a';
    const facts: TcpSegmentFacts = {
      frame: i + 1, time: 1_700_000_000 + i * 0.001,
      netSrc: fromA ? A : B, netDst: fromA ? B : A, srcPort: fromA ? 40000 : 80, dstPort: fromA ? 80 : 40000,
      seq: (fromA ? 1000 : 5000) + seq, ack: (fromA ? 5000 : 1000) + ack, flags, window: 65535, len,
      hdrLen: 20, urgentPointer: 0,
      options: flags & SYN ? { mss: 1460, wscale: 7, sackPerm: true } : {},
    };
    const ctx = new PacketContext({ number: i + 1, ts: { sec: 1_700_000_000, nsec: i * 1_000_000 }, capLen: 60, origLen: 60, linkType: 1, data: new Uint8Array(60) }, capture, { tree: false });
    return [facts, tracker.analyze(facts, ctx)];
  });
}

function life(pairs: Array<[TcpSegmentFacts, TcpSegmentVerdict]>) {
  const t = new LifecycleTracker({ keepSegments: true });
  const events: LifecycleEvent[] = [];
  for (const [f, v] of pairs) events.push(...t.push(f, v));
  return { c: t.connection(0)!, events };
}

const HANDSHAKE: Array<['a' | 'b', number, number, number, number]> = [['a', SYN, 0, 0, 0], ['b', SYN | ACK, 0, 1, 0], ['a', ACK, 1, 1, 0]];

describe('connection lifecycle', () => {
  it('four-way close with the states of RFC 9293 figure 13', () => {
    const { c, events } = life(run([...HANDSHAKE, ['a', PSH | ACK, 1, 1, 10], ['b', ACK, 1, 11, 0], ['a', FIN | ACK, 11, 1, 0], ['b', ACK, 1, 12, 0], ['b', FIN | ACK, 1, 12, 0], ['a', ACK, 12, 2, 0]]));
    expect(c.end).toBe('closed');
    expect(c.teardown).toMatchObject({ kind: 'four-way', closedFirstBy: 'client' });
    expect(c.segments!.map((s) => `${s.client}/${s.server}`)).toEqual([
      'SYN_SENT/LISTEN', 'ESTABLISHED/SYN_RCVD', 'ESTABLISHED/ESTABLISHED', 'ESTABLISHED/ESTABLISHED', 'ESTABLISHED/ESTABLISHED',
      'FIN_WAIT_1/CLOSE_WAIT', 'FIN_WAIT_2/CLOSE_WAIT', 'TIME_WAIT/LAST_ACK', 'TIME_WAIT/CLOSED',
    ]);
    expect(events.map((e) => e.type)).toEqual(['opened', 'established', 'closing', 'closed']);
    expect(c.handshake).toMatchObject({ synFrame: 1, synAckFrame: 2, ackFrame: 3, complete: true });
    expect(c.negotiated).toMatchObject({ windowScale: { client: 7, server: 7 }, sack: true, timestamps: false });
    expect(completenessSentence(c)).toBe('handshake complete, data from client only, closed by client with a four-way FIN/ACK');
  });

  it('three-packet FIN/ACK merge', () => {
    const { c } = life(run([...HANDSHAKE, ['b', FIN | ACK, 1, 1, 0], ['a', FIN | ACK, 1, 2, 0], ['b', ACK, 2, 2, 0]]));
    expect(c.teardown).toMatchObject({ kind: 'three-way', closedFirstBy: 'server' });
    expect([c.client.state, c.server.state]).toEqual(['CLOSED', 'TIME_WAIT']);
  });

  it('simultaneous close: both CLOSING, then TIME_WAIT', () => {
    const { c } = life(run([...HANDSHAKE, ['a', FIN | ACK, 1, 1, 0], ['b', FIN | ACK, 1, 1, 0], ['a', ACK, 2, 2, 0], ['b', ACK, 2, 2, 0]]));
    expect(c.teardown.kind).toBe('simultaneous');
    expect(c.segments![4]).toMatchObject({ client: 'CLOSING', server: 'CLOSING' });
    expect([c.client.state, c.server.state]).toEqual(['TIME_WAIT', 'TIME_WAIT']);
    expect(c.end).toBe('closed');
  });

  it('simultaneous open', () => {
    const { c } = life(run([['a', SYN, 0, 0, 0], ['b', SYN, 0, 0, 0], ['a', SYN | ACK, 0, 1, 0], ['b', SYN | ACK, 0, 1, 0]]));
    expect(c.handshake.simultaneousOpen).toBe(true);
    expect([c.client.state, c.server.state]).toEqual(['ESTABLISHED', 'ESTABLISHED']);
  });

  it('refused: SYN answered by RST', () => {
    const { c, events } = life(run([['a', SYN, 0, 0, 0], ['b', RST | ACK, 0, 1, 0]]));
    expect(c.end).toBe('refused');
    expect(events.map((e) => e.type)).toEqual(['opened', 'refused']);
  });

  it('SYN retransmitted, then answered', () => {
    const { c } = life(run([['a', SYN, 0, 0, 0], ['a', SYN, 0, 0, 0], ['b', SYN | ACK, 0, 1, 0], ['a', ACK, 1, 1, 0]]));
    expect(c.handshake).toMatchObject({ synFrame: 1, synRetransmissions: 1, synAckFrame: 3, complete: true });
  });

  it('a capture that starts mid-connection invents no handshake', () => {
    const { c, events } = life(run([['a', PSH | ACK, 1, 1, 10], ['b', ACK, 1, 11, 0]]));
    expect(c.roleKnown).toBe(false);
    expect(c.handshake.synFrame).toBeUndefined();
    expect(c.end).toBe('still open');
    expect(c.transitions).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['opened']);
  });

  it('half-close: the server sends in CLOSE_WAIT', () => {
    const { c } = life(run([...HANDSHAKE, ['a', FIN | ACK, 1, 1, 0], ['b', PSH | ACK, 1, 2, 100], ['a', ACK, 2, 101, 0], ['b', FIN | ACK, 101, 2, 0], ['a', ACK, 2, 102, 0]]));
    expect(c.segments![4]).toMatchObject({ from: 'server', server: 'CLOSE_WAIT', len: 100 });
    expect(c.teardown.halfCloseData).toEqual({ side: 'server', bytes: 100, frames: 1 });
  });

  it('one batch or many: the same events and records', async () => {
    const pairs: Array<[TcpSegmentFacts, TcpSegmentVerdict]> = [];
    for await (const p of observeCapture(corpusPath('pcapplusplus/many-protocols.pcap'))) for (const t of p.tcp) pairs.push([t.facts, t.verdict]);
    const one = new TcpHealth();
    const evOne = pairs.flatMap(([f, v]) => one.push(f, v));
    const many = new TcpHealth();
    const evMany = [];
    for (let i = 0; i < pairs.length; i += 37) for (const [f, v] of pairs.slice(i, i + 37)) evMany.push(...many.push(f, v));
    expect(evMany).toEqual(evOne);
    expect(many.finish()).toEqual(one.finish());
    expect(JSON.stringify(many.lifecycle.connections())).toBe(JSON.stringify(one.lifecycle.connections()));
  });

  it('on a corpus capture, handshakes agree with tshark\'s tcp.completeness', async () => {
    const path = corpusPath('pcapplusplus/many-protocols.pcap');
    const pairs: Array<[TcpSegmentFacts, TcpSegmentVerdict]> = [];
    // The facts' address bytes are views into the reader's buffer: copy them to keep them.
    for await (const p of observeCapture(path)) for (const t of p.tcp) pairs.push([{ ...t.facts, netSrc: t.facts.netSrc.slice(), netDst: t.facts.netDst.slice() }, t.verdict]);
    const t = new LifecycleTracker();
    for (const [f, v] of pairs) t.push(f, v);
    const { rows } = tsharkFields(path, ['tcp.stream', 'tcp.completeness']);
    const last = new Map<number, number>();
    for (const r of rows) if (r[0]) last.set(Number(r[0]), Number(r[1]));
    expect(last.size).toBe(t.connections().length);
    for (const c of t.connections()) {
      const bits = last.get(c.stream)!;
      expect(c.completeness, `stream ${c.stream}`).toBe(bits);
      // SYN, SYN-ACK and ACK bits all set <=> our handshake is complete.
      if ((bits & 7) === 7) expect(c.handshake.complete, `stream ${c.stream}`).toBe(true);
      if (bits & 32) expect(c.client.rstFrame !== undefined || c.server.rstFrame !== undefined).toBe(true);
      if (bits & 16) expect(c.client.finFrame !== undefined || c.server.finFrame !== undefined).toBe(true);
    }
  });
});

describe('LifecycleTracker.forget (a live ring evicted the connection)', () => {
  it('keeps a summary of the newest MAX_FORGOTTEN_SUMMARIES forgotten connections and counts the rest', () => {
    const tracker = createTcpTracker();
    const t = new LifecycleTracker();
    const n = MAX_FORGOTTEN_SUMMARIES + 3;
    for (let i = 0; i < n; i++) {
      const facts: TcpSegmentFacts = {
        frame: i + 1, time: 1_700_000_000 + i * 0.001, netSrc: A, netDst: B, srcPort: 1024 + (i % 60000), dstPort: 80 + Math.floor(i / 60000),
        seq: 1000, ack: 0, flags: SYN, window: 65535, len: 0, hdrLen: 20, urgentPointer: 0, options: {},
      };
      t.push(facts, tracker.analyzeAt(facts, 1_700_000_000, i * 1_000_000));
    }
    expect(t.size).toBe(n);
    for (let s = 0; s < n; s++) t.forget(s);
    expect(t.size).toBe(0);
    expect(t.droppedSummaries).toBe(3);
    const kept = t.connections();
    expect(kept.length).toBe(MAX_FORGOTTEN_SUMMARIES);
    expect(kept[0]!.stream).toBe(3);
    expect(t.connection(2)).toBeUndefined();
    expect(t.connection(n - 1)).toMatchObject({ stream: n - 1, end: 'half-open', transitions: [] });
  });
});
