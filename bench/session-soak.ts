// Session soak (not CI): a live capture that runs for minutes, through a real Session, from a
// backend that replays a capture round after round (new hosts every round, timestamps going
// on, so new connections keep appearing) into a small ring. Every SOAK_SAMPLE_S seconds it
// prints the packets captured and analysed, connections seen and kept, and the process's
// memory (RSS, V8 heap used after a GC, external, arrayBuffers). A capture that runs for hours
// must stay at ring budget + a fixed overhead: the columns flatten once the first rounds were
// evicted and went quiet.
//
//   npm run bench:session                    180 s, a 64 MiB ring, /tmp/bench/mixed-1m.pcap
//   SOAK_SECONDS=600 SOAK_RING_MB=64 SOAK_SAMPLE_S=10 npm run bench:session
//   SOAK_FILE=path            the capture to replay (../shared/bench/make-corpus.sh builds the default)
//   SOAK_PACKETS=n            stop after n packets instead
//   SOAK_PPS=n                pace the replay at n packets/s (default 0: as fast as the pass
//                             takes them; what the pass cannot keep up with is counted skipped)
//   SOAK_GAP_S=s              capture time between one round's last packet and the next's first (default 1)
import { existsSync } from 'node:fs';
import { FORGET_QUIET_AFTER_S } from '../app/dissect/packet.js';
import type { Analysis } from '../app/session/analysis.js';
import { newHostsEachRound, ReplayBackend } from '../app/session/backend.js';
import { Session } from '../app/session/session.js';
import { FORGET_CLOSED_AFTER_S } from '../app/tcp/tracker.js';

const file = process.env.SOAK_FILE ?? '/tmp/bench/mixed-1m.pcap';
const seconds = Number(process.env.SOAK_SECONDS ?? 180);
const ringMb = Number(process.env.SOAK_RING_MB ?? 64);
const sampleS = Number(process.env.SOAK_SAMPLE_S ?? 10);
const maxPackets = Number(process.env.SOAK_PACKETS ?? Infinity);
const pps = Number(process.env.SOAK_PPS ?? 0);
const gapS = Number(process.env.SOAK_GAP_S ?? 1);
const BATCH = 256;

if (!existsSync(file)) {
  process.stderr.write(`${file} not found: build it with ../shared/bench/make-corpus.sh or set SOAK_FILE\n`);
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
const MB = 1 << 20;
const mb = (n: number) => (n / MB).toFixed(1);

const backend = new ReplayBackend(file, {
  batchSize: BATCH,
  intervalMs: pps > 0 ? (BATCH / pps) * 1000 : 0,
  rounds: 1_000_000,
  roundGapS: gapS,
  rewrite: newHostsEachRound,
});
const session = new Session({ backend });
await session.handle('capture.start', {
  interface: 'replay', ringBytes: ringMb * MB, ...(Number.isFinite(maxPackets) ? { stopAfter: { packets: maxPackets } } : {}),
});
// The pass's tables, for the "kept" columns (a Session exposes no such counters).
const analysis = (session as unknown as { analysis: Analysis }).analysis;

process.stdout.write(`session soak: ${file} replayed round after round (new hosts each round), ring ${ringMb} MiB, ` +
  `${seconds} s${pps ? `, ${pps} packets/s` : ''}; quiet times: closed TCP ${FORGET_CLOSED_AFTER_S} s, other ${FORGET_QUIET_AFTER_S} s of capture time\n`);
const head = ['t s', 'captured', 'analysed', 'skipped', 'ring MiB', 'capture s', 'tcp.stream', 'conns kept', 'forgotten', 'udp kept',
  'RSS MiB', 'heap MiB', 'external', 'arrayBuf'];
process.stdout.write(head.map((h) => h.padStart(10)).join(' ') + '\n');

const t0 = Date.now();
let firstCaptureSec: number | null = null;
let peakRss = 0;
const rows: number[][] = [];
const sample = async (): Promise<boolean> => {
  const sum = await session.handle('session.summary', {});
  gc?.();
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  const st = analysis.tracker.stats();
  const udp = analysis.capture.peek<{ conversations: Map<number, unknown> }>('udp.conversations')?.conversations.size ?? 0;
  const cap = sum.capture!;
  const lastRow = await session.handle('packets.rows', { start: Math.max(0, sum.displayed - 1), end: sum.displayed, timeFormat: 'epoch' });
  const now = lastRow.length ? Number(lastRow[0]!.time) : null;
  if (now !== null) firstCaptureSec ??= now;
  const t = (Date.now() - t0) / 1000;
  const row = [t, cap.captured, analysis.frontier - analysis.skipped, analysis.skipped, cap.ringBytes / MB, now === null ? 0 : now - firstCaptureSec!, st.streams, st.connections,
    st.forgotten, udp, m.rss / MB, m.heapUsed / MB, m.external / MB, m.arrayBuffers / MB];
  rows.push(row);
  process.stdout.write(row.map((v, i) => (i === 0 || i === 5 ? v.toFixed(0) : i >= 10 || i === 4 ? v.toFixed(1) : String(v)).padStart(10)).join(' ') + '\n');
  return cap.state === 'capturing' && t < seconds;
};

while (await sample()) await new Promise((r) => setTimeout(r, sampleS * 1000));
const sum = await session.handle('capture.stop', {}).catch(() => session.handle('session.summary', {}));
const elapsed = (Date.now() - t0) / 1000;
const analysed = analysis.frontier - analysis.skipped;
process.stdout.write(`\n${sum.capture?.captured ?? 0} packets captured in ${elapsed.toFixed(0)} s (${((sum.capture?.captured ?? 0) / elapsed).toFixed(0)}/s), ` +
  `${analysed} analysed (${(analysed / elapsed).toFixed(0)}/s), ${analysis.skipped} skipped; ${analysis.tracker.stats().streams} TCP connections seen; ` +
  `peak RSS ${mb(peakRss)} MiB (process.resourceUsage maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB) with a ${ringMb} MiB ring\n`);
// The second half against the first: flat means the engine's memory stopped following the capture's length.
const half = rows.slice(Math.floor(rows.length / 2));
if (half.length > 1) {
  const span = (k: number) => `${Math.min(...half.map((r) => r[k]!)).toFixed(1)}..${Math.max(...half.map((r) => r[k]!)).toFixed(1)}`;
  process.stdout.write(`second half: RSS ${span(10)} MiB, heap ${span(11)} MiB, arrayBuffers ${span(13)} MiB, connections kept ${span(7)}\n`);
}
await session.dispose();
