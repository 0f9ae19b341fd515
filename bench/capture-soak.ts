// Capture soak (not CI): loopback UDP at a fixed high rate for a while, captured at the same
// time by `synscope capture -w` and `tcpdump -w` with the same filter. Reports, side by side,
// packets/s written, pcap_stats (received / dropped by kernel) and peak RSS (VmHWM; for
// SynScope the CLI process plus its capture helper).
//
//   npm run bench:capture                        60 s at 200k packets/s
//   SOAK_SECONDS=20 SOAK_PPS=250000 npm run bench:capture
//   SOAK_DIR=/tmp/soak (files, removed afterwards unless SOAK_KEEP=1)
//   SOAK_ARGS="-B 32768"  extra options for synscope capture; TCPDUMP_ARGS likewise
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const pps = Number(process.env.SOAK_PPS ?? 200_000);
const dir = process.env.SOAK_DIR ?? '/tmp/synscope-soak';
const port = 30000 + Math.floor(Math.random() * 20000);
const filter = `udp dst port ${port}`;

// Paced sender in C (Python's sendto tops out far below what the capturers must keep up with):
// 100-byte payloads (142-byte frames on lo) sent with sendmmsg in bursts of up to 64, catching
// up to the schedule every 100 µs. A bound, never-read receiver keeps the kernel from answering
// with ICMP port unreachable.
const SENDER_C = `
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
  double pps = atof(argv[1]), dur = atof(argv[2]); int port = atoi(argv[3]);
  struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(port) };
  inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
  int rx = socket(AF_INET, SOCK_DGRAM, 0); bind(rx, (struct sockaddr *)&dst, sizeof dst);
  int tx = socket(AF_INET, SOCK_DGRAM, 0);
  static char data[100]; memset(data, 'x', sizeof data);
  struct iovec iov = { data, sizeof data };
  struct mmsghdr msgs[64]; memset(msgs, 0, sizeof msgs);
  for (int i = 0; i < 64; i++) { msgs[i].msg_hdr.msg_name = &dst; msgs[i].msg_hdr.msg_namelen = sizeof dst; msgs[i].msg_hdr.msg_iov = &iov; msgs[i].msg_hdr.msg_iovlen = 1; }
  long long sent = 0; double t0 = now(), t;
  while ((t = now() - t0) < dur) {
    long long due = (long long)(t * pps) - sent;
    if (due <= 0) { usleep(100); continue; }
    int n = sendmmsg(tx, msgs, due > 64 ? 64 : (int)due, 0);
    if (n > 0) sent += n;
  }
  printf("%lld %f\\n", sent, now() - t0);
  close(rx);
  return 0;
}
`;

function buildSender(): string {
  const src = join(dir, 'udp-sender.c');
  const bin = join(dir, 'udp-sender');
  writeFileSync(src, SENDER_C);
  const r = spawnSync('cc', ['-O2', '-o', bin, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot build the UDP sender: ${r.stderr}`);
  return bin;
}

function log(s: string): void {
  process.stderr.write(s + '\n');
}

function startAndWait(cmd: string, args: string[], ready: RegExp): Promise<{ child: ChildProcess; stderr: () => string; exited: Promise<void> }> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  return new Promise((resolveStart, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      err += s;
      if (ready.test(err)) resolveStart({ child, stderr: () => err, exited });
    });
    child.on('close', () => reject(new Error(`${cmd} exited: ${err}`)));
  });
}

/** VmHWM (peak resident set) of a process, in KiB. */
function peakRssKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Private (anonymous + shmem) resident memory in KiB: RSS without the shared binary's pages. */
function privateRssKb(pid: number): number {
  try {
    const st = readFileSync(`/proc/${pid}/status`, 'utf8');
    const anon = Number(/RssAnon:\s+(\d+) kB/.exec(st)?.[1] ?? 0);
    const shmem = Number(/RssShmem:\s+(\d+) kB/.exec(st)?.[1] ?? 0);
    return anon + shmem;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process used so far. */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.push(...readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    } catch {
      // thread gone
    }
  }
  return out;
}

function counts(stderr: string): { captured: number; received: number; dropped: number } {
  const n = (re: RegExp): number => Number(re.exec(stderr)?.[1] ?? NaN);
  return {
    captured: n(/(\d+) packets? captured/),
    received: n(/(\d+) packets? received by filter/),
    dropped: n(/(\d+) packets? dropped by kernel/),
  };
}

async function main(): Promise<void> {
  spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ours = join(dir, 'synscope.pcapng');
  const theirs = join(dir, 'tcpdump.pcap');
  const senderBin = buildSender();
  const extraOurs = (process.env.SOAK_ARGS ?? '').split(' ').filter(Boolean);
  const extraTd = (process.env.TCPDUMP_ARGS ?? '').split(' ').filter(Boolean);
  log(`capture soak: ${seconds} s of UDP to 127.0.0.1:${port} at ${pps} packets/s (142-byte frames), filter "${filter}"`);
  const td = await startAndWait('tcpdump', ['-i', 'lo', '-n', '-w', theirs, ...extraTd, filter], /listening on lo/);
  const ss = await startAndWait(process.execPath, [join(repo, 'bin', 'synscope.cjs'), 'capture', '-q', '-i', 'lo', '-w', ours, ...extraOurs, '-f', filter], /Capturing on/);
  const helpers = childrenOf(ss.child.pid!);
  // Peak private memory, sampled while the sender runs (VmHWM also counts the binaries' pages).
  const peakPrivate = { tcpdump: 0, synscope: 0, helper: 0 };
  const sample = setInterval(() => {
    peakPrivate.tcpdump = Math.max(peakPrivate.tcpdump, privateRssKb(td.child.pid!));
    peakPrivate.synscope = Math.max(peakPrivate.synscope, privateRssKb(ss.child.pid!));
    peakPrivate.helper = Math.max(peakPrivate.helper, helpers.reduce((a, p) => a + privateRssKb(p), 0));
  }, 250);
  const senderRun = spawn(senderBin, [String(pps), String(seconds), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let senderOut = '';
  senderRun.stdout.setEncoding('utf8').on('data', (d: string) => (senderOut += d));
  await new Promise((r) => senderRun.on('close', r));
  clearInterval(sample);
  const [sentText, tookText] = senderOut.trim().split(' ');
  const sent = Number(sentText);
  const took = Number(tookText);
  await new Promise((r) => setTimeout(r, 1500)); // tcpdump's 1 s block timeout
  const rss = {
    tcpdump: peakRssKb(td.child.pid!),
    synscope: peakRssKb(ss.child.pid!),
    helper: helpers.reduce((a, p) => a + peakRssKb(p), 0),
  };
  const cpu = {
    tcpdump: cpuSeconds(td.child.pid!),
    synscope: cpuSeconds(ss.child.pid!),
    helper: helpers.reduce((a, p) => a + cpuSeconds(p), 0),
  };
  td.child.kill('SIGINT');
  ss.child.kill('SIGINT');
  await Promise.all([td.exited, ss.exited]);
  const a = counts(ss.stderr());
  const b = counts(td.stderr());
  const sizes = { ours: existsSync(ours) ? statSync(ours).size : 0, theirs: existsSync(theirs) ? statSync(theirs).size : 0 };
  const mib = (kb: number): string => (kb / 1024).toFixed(0);
  const rate = (n: number): string => `${Math.round(n / took).toLocaleString('en-US')}/s`;
  const lines = [
    `sent ${sent.toLocaleString('en-US')} datagrams in ${took.toFixed(1)} s (${rate(sent)})`,
    `                captured     packets/s   received     dropped   drop %   peak RSS (private)        CPU s    file`,
    `synscope  ${String(a.captured).padStart(12)}  ${rate(a.captured).padStart(12)} ${String(a.received).padStart(10)}  ${String(a.dropped).padStart(10)}  ${((100 * a.dropped) / Math.max(1, a.received)).toFixed(2).padStart(6)}  ${mib(rss.synscope)}+${mib(rss.helper)} MiB (${mib(peakPrivate.synscope)}+${mib(peakPrivate.helper)})  ${cpu.synscope.toFixed(1)}+${cpu.helper.toFixed(1)}  ${(sizes.ours / 1e6).toFixed(0)} MB`,
    `tcpdump   ${String(b.captured).padStart(12)}  ${rate(b.captured).padStart(12)} ${String(b.received).padStart(10)}  ${String(b.dropped).padStart(10)}  ${((100 * b.dropped) / Math.max(1, b.received)).toFixed(2).padStart(6)}  ${mib(rss.tcpdump)} MiB (${mib(peakPrivate.tcpdump)})  ${cpu.tcpdump.toFixed(1)}  ${(sizes.theirs / 1e6).toFixed(0)} MB`,
    `(synscope = the CLI process + its capture helper; received/dropped are pcap_stats, which on lo count each packet twice)`,
  ];
  for (const l of lines) log(l);
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(
    join(repo, 'bench', 'results', `capture-soak-${stamp}.json`),
    JSON.stringify({ seconds, pps, sent, took, synscope: { ...a, rssKb: rss.synscope, helperRssKb: rss.helper, privateKb: peakPrivate.synscope, helperPrivateKb: peakPrivate.helper, cpu: cpu.synscope, helperCpu: cpu.helper, args: extraOurs }, tcpdump: { ...b, rssKb: rss.tcpdump, privateKb: peakPrivate.tcpdump, cpu: cpu.tcpdump, args: extraTd } }, null, 2) + '\n',
  );
  if (process.env.SOAK_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
}

await main();
