// `npm run bench`: SynScope against tshark and tcpdump on the same capture, in the same run
// (machines are noisy: compare ratios, not absolute numbers). Each command's stdout goes to
// /dev/null; wall time, CPU (user+sys) and peak RSS come from GNU time -v.
//
//   BENCH_FILE=path        the capture (default /tmp/bench/mixed-1m.pcap, built by
//                          ../shared/bench/make-corpus.sh)
//   BENCH_REPEAT=n         runs per command, the median is reported (default 1)
//   BENCH_ONLY=a,b         only the named commands (a filter row brings its reference along);
//                          `filters` names every filter row (-Y and -f with tshark and tcpdump),
//                          `conv` both conversation rows (tshark's name has a comma in it)
//                          `floors` the floor rows with their references (see FLOORS) and
//                          Node's start-up (see BENCH_ENV), `open` the opened-file row and tshark -2
//   npm run bench -- --only a,b   the same as BENCH_ONLY
//   npm run bench -- --make   build a small capture first (SCALE=0.05 TARGET=50000; needs root)
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { existsSync, mkdirSync, openSync, closeSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAKE_SCRIPT = resolve(repo, '..', 'shared', 'bench', 'make-corpus.sh');
const DEFAULT_FILE = '/tmp/bench/mixed-1m.pcap';
const SMALL_DIR = '/tmp/bench-small';

interface Measure {
  wall: number;
  user: number;
  sys: number;
  maxRssKb: number;
  status: number;
}

interface Row {
  name: string;
  cmd: string[];
  /** The row this one is compared with ("x faster" columns). */
  ref: string | undefined;
  runs: Measure[];
  median: Measure;
}

/**
 * Filters on the bench capture (mixed-1m: iperf/HTTP/DNS between 10.99.0.1-2 and fd99::1-2):
 * an address, a port, a flag, a payload search and a compound, each as a display filter and as
 * the closest tcpdump expression (tcpdump has no `contains`: the payload's first 4 bytes).
 */
const FILTERS: Array<{ kind: string; display: string; tcpdump: string }> = [
  { kind: 'address', display: 'ip.addr == 10.99.0.1', tcpdump: 'host 10.99.0.1' },
  { kind: 'port', display: 'tcp.port == 80', tcpdump: 'tcp port 80' },
  { kind: 'flag', display: 'tcp.flags.syn == 1', tcpdump: 'tcp[tcpflags] & tcp-syn != 0' },
  { kind: 'contains', display: 'tcp.payload contains "GET"', tcpdump: 'tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420' },
  {
    kind: 'compound',
    display: 'ip.src == 10.99.0.2 && tcp.dstport == 80 && tcp.len > 0',
    tcpdump: 'src host 10.99.0.2 and tcp dst port 80 and (ip[2:2] - ((ip[0] & 0xf) << 2) - ((tcp[12] & 0xf0) >> 2)) != 0',
  },
];

/**
 * Floors: the cheapest Node programs that do a strict part of a command's work on the same file
 * (bench/floors/*.mjs, little-endian pcap only). A command cannot beat its floor, so a floor
 * slower than a target (10x tshark, 20x tshark -Y, 1x tcpdump) shows the target is out of Node's
 * reach on this machine, whatever SynScope does: `read` against tshark's summary, `-Y` printing
 * the address filter's lines against tshark's, `-f` against tcpdump's fastest filter, `conv`
 * against tshark's conversation table.
 */
const FLOORS: Array<{ name: string; script: string; args?: string[]; ref: string }> = [
  { name: 'floor: read (columns, TCP Info start)', script: 'summary-lines.mjs', ref: 'tshark -n -r' },
  // The address filter's printing: the lines of the packets from or to 10.99.0.1 (FILTERS[0]).
  { name: 'floor: -Y address (its lines)', script: 'summary-lines.mjs', args: ['10.99.0.1'], ref: 'tshark -Y (address)' },
  { name: 'floor: -f (Node start + read file)', script: 'read-file.mjs', ref: 'tcpdump (flag)' },
  { name: 'floor: conv (pair lookup + counts)', script: 'conversations.mjs', ref: 'tshark -z conv,tcp -q' },
];

/** Whether the floors can read the file: a little-endian pcap (µs or ns). */
function floorsCanRead(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    readSync(fd, magic, 0, 4, 0);
    return [0xa1b2c3d4, 0xa1b23c4d].includes(magic.readUInt32LE(0));
  } finally {
    closeSync(fd);
  }
}

function log(s: string): void {
  process.stderr.write(s + '\n');
}

/**
 * The environment every command runs in: ours without NODE_EXTRA_CA_CERTS. Node reads that file
 * of certificates while it starts, before any of our code: on the bench VM, whose environment
 * sets it for its package proxy, `node -e 0` takes ~0.056 s with it and ~0.020 s without, a
 * third of a `-f` run. A user's machine does not set it and no command here makes a TLS
 * connection, so it is left out for every command alike (tshark and tcpdump ignore it); the
 * `node -e 0` rows show what it costs where it is set.
 */
const BENCH_ENV: NodeJS.ProcessEnv = { ...process.env };
delete BENCH_ENV.NODE_EXTRA_CA_CERTS;

/**
 * tcpdump printing the same lines with TZ set. Without TZ in the environment (the bench's, and a
 * desktop's where the zone is /etc/localtime) glibc's localtime() checks /etc/localtime again
 * for every packet tcpdump prints: a million packets are a million newfstatat calls, more than
 * half of tcpdump's wall time (1.4 of 2.6 s on the bench VM). TZ=:/etc/localtime names the same
 * zone, so the lines are the same, read once: its work alone (0.9 s there). `synscope read` is
 * compared with both.
 */
const TCPDUMP_TZ = 'tcpdump -n -r (TZ=:/etc/localtime)';

/** The row that starts Node in the environment as it was given (NODE_EXTRA_CA_CERTS set). */
const NODE_WITH_CA = 'node -e 0 (NODE_EXTRA_CA_CERTS set)';

function timeIt(cmd: string[], env: NodeJS.ProcessEnv = BENCH_ENV): Measure {
  const devnull = openSync('/dev/null', 'w');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-v', ...cmd], { stdio: ['ignore', devnull, 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26, env });
    // GNU time prints wall time in hundredths, too coarse for the ~0.1 s rows: the wall time is
    // our own clock around the whole spawn (GNU time's own start included, alike for every row).
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const err = r.stderr ?? '';
    const get = (label: string): string => {
      const m = new RegExp(`^\\s*${label.replace(/[()]/g, '\\$&')}: (.*)$`, 'm').exec(err);
      return m ? m[1]! : '';
    };
    const status = Number(get('Exit status') || r.status);
    return {
      wall,
      user: Number(get('User time (seconds)')),
      sys: Number(get('System time (seconds)')),
      maxRssKb: Number(get('Maximum resident set size (kbytes)')),
      status,
    };
  } finally {
    closeSync(devnull);
  }
}

function median(ms: Measure[]): Measure {
  const sorted = [...ms].sort((a, b) => a.wall - b.wall);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function packetCount(file: string): number {
  const r = spawnSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' });
  const m = /Number of packets:\s*(\d+)/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : NaN;
}

function makeSmall(): string {
  log(`building a small capture in ${SMALL_DIR} with ${MAKE_SCRIPT} (SCALE=0.05 TARGET=50000 COPIES=0) ...`);
  const r = spawnSync('bash', [MAKE_SCRIPT], { stdio: 'inherit', env: { ...process.env, SCALE: '0.05', TARGET: '50000', COPIES: '0', OUT: SMALL_DIR } });
  if (r.status !== 0) {
    log(`make-corpus.sh failed (status ${r.status}); it needs root, tcpdump, tshark, iperf3, hping3, curl, dnsutils, ethtool`);
    process.exit(1);
  }
  return join(SMALL_DIR, 'mixed-1m.pcap');
}

function main(): void {
  let file = process.env.BENCH_FILE ?? DEFAULT_FILE;
  if (process.argv.includes('--make')) file = process.env.BENCH_FILE ?? makeSmall();
  if (!existsSync(file)) {
    log(`bench: capture ${file} not found.
Build the 1M-packet capture (10-15 min, needs root):
  sudo OUT=/tmp/bench bash ${MAKE_SCRIPT}
or a small one (~1 min):  npm run bench -- --make
or point BENCH_FILE at any pcap/pcapng file.`);
    process.exit(0);
  }
  const bundle = join(repo, 'dist', 'synscope.cjs');
  log('building dist/synscope.cjs ...');
  spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: repo });
  if (!existsSync(bundle)) {
    log('bench: build failed');
    process.exit(1);
  }
  // The open row's script, next to the workers a Session starts.
  const openScript = join(repo, 'dist', 'bench-open-session.mjs');
  buildSync({ entryPoints: [join(repo, 'bench', 'open-session.ts')], outfile: openScript, bundle: true, platform: 'node', format: 'esm', external: ['cap'], logLevel: 'error' });
  const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
  const node = process.execPath;
  const fieldArgs = ['-T', 'fields', '-e', 'frame.number', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.flags', '-e', '_ws.col.Protocol'];
  const all: Array<[string, string[], string?]> = [
    ['cat', ['cat', file]],
    // Node's own start-up, under every synscope row (see BENCH_ENV).
    ['node -e 0', [node, '-e', '0']],
    ...(process.env.NODE_EXTRA_CA_CERTS ? [[NODE_WITH_CA, [node, '-e', '0']] as [string, string[]]] : []),
    ['synscope info (reader only)', [node, bundle, 'info', file]],
    ['capinfos -c', ['capinfos', '-c', '-M', file]],
    // An opened file, as the desktop keeps it: what it costs per packet (memory), against
    // tshark's two passes (the first keeps what Wireshark keeps for an opened file).
    ['synscope open (analysed)', [node, openScript, file], 'tshark -2 -n -r'],
    ['tshark -2 -n -r', ['tshark', '-2', '-n', '-r', file]],
    ['synscope read', [node, bundle, 'read', file], TCPDUMP_TZ],
    // The same lines from two threads (read-parallel.ts; the default uses them from 4 CPUs on).
    ['synscope read --threads 2', [node, bundle, 'read', file, '--threads', '2']],
    ['tshark -n -r', ['tshark', '-n', '-r', file]],
    ['tcpdump -n -r', ['tcpdump', '-n', '-r', file]],
    [TCPDUMP_TZ, ['env', 'TZ=:/etc/localtime', 'tcpdump', '-n', '-r', file]],
    ['synscope read -T fields', [node, bundle, 'read', file, ...fieldArgs]],
    ['tshark -T fields', ['tshark', '-n', '-r', file, ...fieldArgs]],
    // TCP tracking: the conversation table needs every segment through the tracker.
    ['synscope conv', [node, bundle, 'conv', file]],
    ['tshark -z conv,tcp -q', ['tshark', '-n', '-q', '-r', file, '-z', 'conv,tcp']],
    // The expert information summary: every packet dissected in full for its notes.
    ['synscope read -q -z expert', [node, bundle, 'read', file, '-q', '-z', 'expert'], 'tshark -q -z expert'],
    ['tshark -q -z expert', ['tshark', '-n', '-q', '-r', file, '-z', 'expert']],
    // Filters, each side doing the same work: `-Y F` printing the matching packets' summary
    // lines against tshark printing them (every packet's state must be kept: a matching line's
    // Info depends on the packets before it), `-Y F -w` writing the matching packets (pcapng,
    // tshark's default) against tshark writing them; tcpdump expressions through -f, written as
    // pcap like tcpdump's -w, against tcpdump.
    ...FILTERS.flatMap(({ kind, display, tcpdump }): Array<[string, string[], string?]> => [
      [`tshark -Y (${kind})`, ['tshark', '-n', '-r', file, '-Y', display]],
      [`synscope -Y (${kind})`, [node, bundle, 'read', file, '-Y', display], `tshark -Y (${kind})`],
      [`tshark -Y -w (${kind})`, ['tshark', '-n', '-r', file, '-Y', display, '-w', '/dev/null']],
      [`synscope -Y -w (${kind})`, [node, bundle, 'read', file, '-Y', display, '-w', '/dev/null'], `tshark -Y -w (${kind})`],
      [`tcpdump (${kind})`, ['tcpdump', '-r', file, '-w', '/dev/null', tcpdump]],
      [`synscope -f (${kind})`, [node, bundle, 'read', file, '-f', tcpdump, '-w', '/dev/null', '-F', 'pcap'], `tcpdump (${kind})`],
    ]),
    ...(floorsCanRead(file) ? FLOORS.map(({ name, script, args = [], ref }): [string, string[], string] => [name, [node, join(repo, 'bench', 'floors', script), file, ...args], ref]) : []),
  ];
  const onlyArg = process.argv.indexOf('--only');
  const only = (onlyArg >= 0 ? process.argv[onlyArg + 1] : process.env.BENCH_ONLY)?.split(',').map((s) => s.trim());
  const isFilterRow = (n: string) => FILTERS.some(({ kind }) => n.endsWith(`(${kind})`));
  const picked = ([n]: [string, string[], string?]) =>
    only!.includes(n) || (only!.includes('filters') && isFilterRow(n)) || (only!.includes('conv') && n.includes('conv')) ||
    (only!.includes('floors') && (n.startsWith('floor:') || n.startsWith('node -e 0'))) || (only!.includes('open') && n.startsWith('synscope open'));
  const wanted = only ? new Set(all.filter(picked).flatMap(([n, , ref]) => (ref ? [n, ref] : [n]))) : null;
  const chosen = wanted ? all.filter(([n]) => wanted.has(n)) : all;
  const packets = packetCount(file);
  log(`bench: ${file}, ${packets} packets, ${repeat} run(s) per command`);
  const rows: Row[] = [];
  for (const [name, cmd, ref] of chosen) {
    const runs: Measure[] = [];
    for (let i = 0; i < repeat; i++) {
      const m = timeIt(cmd, name === NODE_WITH_CA ? process.env : BENCH_ENV);
      log(`  ${name.padEnd(26)} run ${i + 1}: ${m.wall.toFixed(3)} s wall, ${(m.user + m.sys).toFixed(2)} s cpu, ${(m.maxRssKb / 1024).toFixed(0)} MB, status ${m.status}`);
      runs.push(m);
    }
    rows.push({ name, cmd, ref, runs, median: median(runs) });
  }
  const wallOf = (n: string) => rows.find((r) => r.name === n)?.median.wall;
  const tshark = wallOf('tshark -n -r');
  const tcpdump = wallOf('tcpdump -n -r');
  const tsharkFields = wallOf('tshark -T fields');
  const tsharkConv = wallOf('tshark -z conv,tcp -q');
  const tsharkExpert = wallOf('tshark -q -z expert');
  const fmtRatio = (ref: number | undefined, w: number) => (ref && w ? `${(ref / w).toFixed(2)}x` : '-');
  const cpuOf = (n: string) => {
    const m = rows.find((r) => r.name === n)?.median;
    return m ? m.user + m.sys : undefined;
  };
  const header = ['command', 'wall s', 'cpu s', 'peak RSS MB', 'packets/s', 'vs tshark', 'vs tcpdump', 'vs its reference (wall / cpu)', 'status'];
  const table = rows.map((r) => {
    const m = r.median;
    const filterRow = r.name.includes('(');
    const ref = r.name.includes('fields') ? tsharkFields : r.name.includes('conv') ? tsharkConv : r.name.includes('expert') ? tsharkExpert : tshark;
    const own = r.ref ? `${fmtRatio(wallOf(r.ref), m.wall)} / ${fmtRatio(cpuOf(r.ref), m.user + m.sys)} (${r.ref})` : '-';
    return [r.name, m.wall.toFixed(3), (m.user + m.sys).toFixed(2), (m.maxRssKb / 1024).toFixed(0), m.wall ? Math.round(packets / m.wall).toLocaleString('en-US') : '-',
      filterRow ? '-' : fmtRatio(ref, m.wall), filterRow ? '-' : fmtRatio(tcpdump, m.wall), own, String(m.status)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const text = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...table.map(line)].join('\n');
  process.stdout.write(`\n${file} (${packets} packets)\n${text}\n("vs" columns: how many times faster than the reference; >1 is faster. Fields rows compare with tshark -T fields, conv rows with tshark -z conv,tcp, the expert row with tshark -z expert; filter rows with the same filter in tshark -Y / tcpdump, by wall and by CPU time. Floor rows: the least a Node program must do of that command's work, against the command's reference.)\n`);
  const convRow = rows.find((r) => r.name === 'synscope conv');
  const tsharkConvRow = rows.find((r) => r.name === 'tshark -z conv,tcp -q');
  if (convRow) {
    // Memory per connection: each tool's peak RSS over the file's TCP conversations (the whole
    // process, so it includes the start-up and the reader; both sides alike).
    const conv = spawnSync(node, [bundle, 'conv', file, '--tshark-columns'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const connections = conv.stdout.split('\n').filter((l) => l.includes('<->')).length;
    const perConn = (r: Row | undefined) => (r && connections ? `${((r.median.maxRssKb * 1024) / connections / 1024).toFixed(1)} KB` : '-');
    process.stdout.write(`conv: ${connections} TCP conversations; peak RSS per conversation: synscope ${perConn(convRow)}, tshark ${perConn(tsharkConvRow)}\n`);
  }
  const openRow = rows.find((r) => r.name === 'synscope open (analysed)');
  if (openRow) {
    // The whole process over the packets: start-up, code and the reader included, both sides alike.
    const perPacket = (r: Row | undefined) => (r ? `${((r.median.maxRssKb * 1024) / packets).toFixed(0)} bytes` : '-');
    process.stdout.write(`open: peak RSS per packet: synscope ${perPacket(openRow)}, tshark -2 ${perPacket(rows.find((r) => r.name === 'tshark -2 -n -r'))}\n`);
  }
  const dir = join(repo, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, JSON.stringify({ file, packets, repeat, node: process.version, date: new Date().toISOString(), rows }, null, 2) + '\n');
  process.stdout.write(`results: ${out}\n`);
}

main();
