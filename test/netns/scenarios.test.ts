// The lifecycle and alerts on REAL captures: each scenario of ./scenarios.ts makes traffic
// between two kernel TCP stacks in network namespaces, and what the lifecycle says about every
// connection must match what the scenario did. The conversation table must also equal tshark's
// on the same captures. Needs root and ip/tcpdump/python3/iptables/hping3 (CI has them);
// skipped elsewhere with the reason printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeScenarioCapture, netnsAvailable, SCENARIOS, type ScenarioCapture, type ScenarioName } from './scenarios.js';
import { convTable } from '../../app/tcp/conv-table.js';
import { observeCapture, tcpReport, type TcpReport } from '../../app/tcp/report.js';
import { asTshark, parseTsharkConv } from '../helpers/tshark-conv.js';
import { tsharkFields, tsharkRaw } from '../helpers/tshark.js';
import { parseReadArgs } from '../../app/cli/args.js';
import { runRead } from '../../app/cli/read.js';
import { StringSink } from '../../app/cli/sink.js';
import type { ConnectionLifecycle } from '../../app/tcp/lifecycle.js';
import type { TcpAlert } from '../../app/tcp/alerts.js';
import { alertFilter } from '../../renderer/panels/panel-logic.js';
import { captureThenQuiet } from '../helpers/quiet-capture.js';

const avail = netnsAvailable();
if (!avail.ok) console.log(`netns scenarios skipped: ${avail.why}`);

const captures = new Map<ScenarioName, ScenarioCapture>();
const reports = new Map<ScenarioName, TcpReport>();

/** Three scenarios at a time: each has its own namespaces, so they do not meet. */
async function makeAll(): Promise<void> {
  const queue = [...SCENARIOS];
  const worker = async () => {
    for (let n = queue.shift(); n; n = queue.shift()) {
      const c = await makeScenarioCapture(n);
      captures.set(n, c);
      reports.set(n, await tcpReport(observeCapture(c.pcap), { ladder: false }));
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}

function find(r: TcpReport, clientAddr: string, clientPort: number, serverPort: number): ConnectionLifecycle | undefined {
  return r.connections.find((c) => c.client.addr === clientAddr && c.client.port === clientPort && c.server.port === serverPort);
}

// In CI (root, packages installed by .ci/run) these must run: a missing tool fails there.
describe.skipIf(!avail.ok && process.env.CI !== 'true')('TCP lifecycle on real captures (network namespaces)', () => {
  beforeAll(async () => {
    const t = Date.now();
    await makeAll();
    console.log(`netns scenarios: ${SCENARIOS.length} captures in ${Date.now() - t} ms`);
  }, 90_000);
  afterAll(() => {
    if (process.env.KEEP_NETNS_CAPTURES) return;
    for (const c of captures.values()) rmSync(dirname(c.pcap), { recursive: true, force: true });
  });

  for (const name of SCENARIOS) {
    it(`${name}: every connection ends as the scenario made it`, () => {
      const cap = captures.get(name)!;
      const r = reports.get(name)!;
      for (const want of cap.expect.connections) {
        const c = find(r, want.clientAddr, want.clientPort, want.serverPort);
        const what = `${name} ${want.clientAddr}:${want.clientPort} -> ${want.serverPort}`;
        expect(c, `${what} is in the report`).toBeDefined();
        expect(c!.roleKnown, what).toBe(true);
        expect(c!.server.addr, what).toBe(want.serverAddr);
        expect(c!.end, what).toBe(want.end);
        if (want.end === 'refused') {
          expect(c!.teardown.kind).toBe('refused');
          expect(c!.handshake.synFrame).toBeDefined();
          expect(c!.handshake.synAckFrame).toBeUndefined();
          expect(c!.server.rstFrame).toBeDefined();
        }
        if (want.resetBy) expect(c!.teardown.resetBy, what).toBe(want.resetBy);
        if (want.end === 'closed' || want.end === 'reset') expect(c!.handshake.complete, what).toBe(true);
        if (want.closedFirstBy) expect(c!.teardown.closedFirstBy, what).toBe(want.closedFirstBy);
        if (want.end === 'closed') {
          expect(['four-way', 'three-way', 'simultaneous']).toContain(c!.teardown.kind);
          expect(c!.client.state === 'CLOSED' || c!.client.state === 'TIME_WAIT').toBe(true);
          expect(c!.server.state === 'CLOSED' || c!.server.state === 'TIME_WAIT').toBe(true);
        }
        if (want.dataAfterFinFrom) {
          // Half-close: the server, in CLOSE_WAIT, kept sending after the client's FIN.
          expect(c!.teardown.halfCloseData?.side, what).toBe(want.dataAfterFinFrom);
          expect(c!.teardown.halfCloseData!.bytes).toBeGreaterThan(0);
          const cw = c!.transitions.find((t) => t.side === 'server' && t.to === 'CLOSE_WAIT');
          const lastAck = c!.transitions.find((t) => t.side === 'server' && t.to === 'LAST_ACK');
          expect(cw && lastAck && cw.frame < lastAck.frame, what).toBe(true);
        }
        for (const note of want.notes ?? []) expect(c!.notes[note], `${what} note ${note}`).toBeGreaterThan(0);
      }
    });
  }

  it('every connection of the captures is one the scenarios made (no invented ones)', () => {
    for (const name of ['http', 'refused', 'reset', 'half-close', 'zero-window', 'keep-alive', 'loss'] as const) {
      const cap = captures.get(name)!;
      const r = reports.get(name)!;
      expect(r.connections.length, name).toBe(cap.expect.connections.length);
    }
  });

  it('the handshake RTT is tshark\'s tcp.analysis.initial_rtt', () => {
    const cap = captures.get('http')!;
    const r = reports.get('http')!;
    const { stdout } = tsharkRaw(cap.pcap, ['-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.analysis.initial_rtt', '-Y', 'tcp.analysis.initial_rtt']);
    const want = new Map<number, number>();
    for (const line of stdout.trim().split('\n')) {
      const [s, rtt] = line.split('\t');
      if (!want.has(Number(s))) want.set(Number(s), Number(rtt));
    }
    expect(want.size).toBe(r.connections.length);
    for (const c of r.connections) expect(c.handshake.rtt!).toBeCloseTo(want.get(c.stream)!, 9);
  });

  it('SYN burst from spoofed sources: a SYN-flood alert naming the service', () => {
    const r = reports.get('syn-flood')!;
    const want = captures.get('syn-flood')!.expect.alerts[0]!;
    const flood = r.alerts.find((a) => a.kind === 'syn-flood');
    expect(flood, JSON.stringify(r.alerts.map((a) => a.message))).toBeDefined();
    expect(flood!.service).toBe(want.service);
    expect(flood!.hosts[0]).toBe(want.service!.split(':')[0]);
    expect(flood!.streams.length).toBeGreaterThanOrEqual(50);
    expect(flood!.frames.length).toBe(flood!.streams.length);
    // No port scan: every source tried one port.
    expect(r.alerts.some((a) => a.kind === 'port-scan')).toBe(false);
  });

  it('SYN burst captured live: its handshakes left in SYN_RCVD are a half-open alert once their SYN-ACK is 3 s unacknowledged', async () => {
    const cap = captures.get('syn-flood')!;
    // tshark: the streams whose SYN-ACK got no ACK or RST back (the spoofed sources never
    // answer), and those whose SYN got no SYN-ACK (the server's queue was full).
    const rows = tsharkFields(cap.pcap, ['tcp.stream', 'tcp.flags.syn', 'tcp.flags.ack', 'tcp.flags.reset', 'tcp.srcport']).rows;
    const all = new Set<number>(), answered = new Set<number>(), synAcked = new Set<number>();
    for (const [stream, syn, ack, rst, port] of rows) {
      all.add(Number(stream));
      if (syn === '1' && ack === '1') synAcked.add(Number(stream));
      else if (port !== '8080' && (ack === '1' || rst === '1')) answered.add(Number(stream));
    }
    const halfOpen = [...synAcked].filter((s) => !answered.has(s)).sort((a, b) => a - b);
    const unanswered = [...all].filter((s) => !synAcked.has(s)).sort((a, b) => a - b);
    expect(halfOpen.length).toBeGreaterThanOrEqual(50);
    const streamsOf = (a: TcpAlert | undefined) => [...(a?.streams ?? [])].sort((x, y) => x - y);
    const quiet = await captureThenQuiet(cap.pcap, rows.length, 4);
    try {
      // The burst lasts about a second: at its last packet the flood is an alert, no half-open yet.
      expect(quiet.atLastPacket.map((a) => a.kind)).toEqual(['syn-flood']);
      const alert = quiet.later.find((a) => a.kind === 'half-open');
      expect(alert, JSON.stringify(quiet.later.map((a) => a.message))).toBeDefined();
      expect(streamsOf(alert)).toEqual(halfOpen);
      expect(streamsOf(quiet.later.find((a) => a.kind === 'unanswered-syn'))).toEqual(unanswered);
      expect(alert!.service).toBe(cap.expect.alerts[0]!.service);
      expect(alert!.message).toMatch(new RegExp(`^half-open: ${halfOpen.length} connections to ${alert!.service} from \\d+ sources in SYN_RCVD \\(SYN-ACK not acknowledged for 3 s\\)$`));
      expect(quiet.announced.map((a) => a.kind).sort()).toEqual(unanswered.length > 0 ? ['half-open', 'unanswered-syn'] : ['half-open']);
    } finally {
      await quiet.session.dispose();
    }
  });

  it('port scan: a port-scan alert naming the scanner and its target', () => {
    const r = reports.get('port-scan')!;
    const want = captures.get('port-scan')!.expect.alerts[0]!;
    const scan = r.alerts.find((a) => a.kind === 'port-scan');
    expect(scan, JSON.stringify(r.alerts.map((a) => a.message))).toBeDefined();
    expect(scan!.source).toBe(want.source);
    expect(scan!.hosts).toEqual([want.source, want.target]);
    // 100 ports probed: 98 refused, 2 open ones reset by the scanner after the SYN-ACK.
    expect(scan!.streams.length).toBe(100);
    const refused = r.connections.filter((c) => c.end === 'refused').length;
    expect(refused).toBe(98);
    expect(r.alerts.some((a) => a.kind === 'syn-flood')).toBe(false);
    // The refused ports are the scan's: no alert of their own for each of them.
    expect(r.alerts.some((a) => a.kind === 'refused')).toBe(false);
  });

  it('refused: one alert per closed service, naming its client, with the RSTs and streams tshark finds', () => {
    const cap = captures.get('refused')!;
    const r = reports.get('refused')!;
    const rsts = tsharkFields(cap.pcap, ['frame.number', 'tcp.stream', 'ip.src', 'ipv6.src', 'tcp.srcport', 'ip.dst', 'ipv6.dst'], ['-Y', 'tcp.flags.reset == 1']).rows
      .map(([frame, stream, src4, src6, port, dst4, dst6]) => ({
        frame: Number(frame), stream: Number(stream), service: src6 ? `[${src6}]:${port}` : `${src4}:${port}`, server: src4 || src6, client: dst4 || dst6,
      }));
    expect(rsts.length).toBe(cap.expect.connections.length);
    const alerts = r.alerts.filter((a) => a.kind === 'refused');
    expect(alerts.map((a) => a.service).sort()).toEqual([...new Set(rsts.map((x) => x.service))].sort());
    for (const a of alerts) {
      const mine = rsts.filter((x) => x.service === a.service);
      expect(a.frames, a.message).toEqual(mine.map((x) => x.frame));
      expect(a.streams, a.message).toEqual(mine.map((x) => x.stream));
      expect(a.hosts, a.message).toEqual([mine[0]!.server, ...new Set(mine.map((x) => x.client))]);
      expect(a.message).toBe(`refused: ${mine.length} connections to ${a.service} from 1 source (SYN answered by RST)`);
    }
  });

  it('an alert\'s filter (a click in the Alerts panel) selects in tshark exactly the connections it names', () => {
    for (const name of ['port-scan', 'refused', 'syn-flood'] as const) {
      for (const a of reports.get(name)!.alerts) {
        const filter = alertFilter(a);
        const streams = tsharkFields(captures.get(name)!.pcap, ['tcp.stream'], ['-Y', filter]).rows.map(([s]) => Number(s));
        expect(new Set(streams), `${name}: ${filter.slice(0, 80)}`).toEqual(new Set(a.streams));
      }
    }
  });

  it('no alerts on the well-behaved scenarios', () => {
    for (const name of ['http', 'half-close', 'keep-alive', 'zero-window'] as const) {
      expect(reports.get(name)!.alerts.map((a) => a.message), name).toEqual([]);
    }
  });

  // The tracker's per-packet verdicts on these real captures, through the whole pipeline,
  // against tshark's (issue: at least 99% of packets per file agree on every field).
  const TRACKER_FIELDS = ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.window_size', 'tcp.analysis.flags',
    'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission',
    'tcp.analysis.out_of_order', 'tcp.analysis.lost_segment', 'tcp.analysis.ack_lost_segment', 'tcp.analysis.duplicate_ack',
    'tcp.analysis.duplicate_ack_num', 'tcp.analysis.zero_window', 'tcp.analysis.zero_window_probe',
    'tcp.analysis.zero_window_probe_ack', 'tcp.analysis.keep_alive', 'tcp.analysis.keep_alive_ack',
    'tcp.analysis.window_update', 'tcp.analysis.window_full', 'tcp.analysis.reused_ports'];
  it('tracker fields equal tshark on at least 99% of packets of every capture', async () => {
    for (const [name, cap] of captures) {
      const want = tsharkFields(cap.pcap, TRACKER_FIELDS).rows;
      const out = new StringSink();
      const opts = parseReadArgs([cap.pcap, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...TRACKER_FIELDS.flatMap((f) => ['-e', f])]);
      expect(await runRead(opts, out, new StringSink()), name).toBe(0);
      const ours = out.text().split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').map((l) => l.split('\t'));
      expect(ours.length, name).toBe(want.length);
      const differing = ours.filter((row, i) => row.join('\t') !== want[i]!.join('\t')).length;
      const agree = 1 - differing / Math.max(1, ours.length);
      console.log(`netns ${name}: tracker fields agree with tshark on ${(100 * agree).toFixed(2)}% of ${ours.length} packets`);
      expect(agree, name).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('conversation tables equal tshark -z conv,tcp on every capture', async () => {
    for (const [name, cap] of captures) {
      const { stdout } = tsharkRaw(cap.pcap, ['-q', '-z', 'conv,tcp']);
      const want = parseTsharkConv(stdout)['TCP'] ?? [];
      const ours = await convTable(observeCapture(cap.pcap));
      expect(ours.tcp.map(asTshark), name).toEqual(want);
    }
  });
});
