// Helpers for the live-capture tests: a peer capturer (tcpdump) and SynScope's `capture`
// command started side by side on `lo`, and bounded bursts of real traffic to 127.0.0.1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../helpers/corpus.js';

export const SYNSCOPE = join(repoRoot, 'bin', 'synscope.cjs');

export interface Running {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves with the exit status once the process ended. */
  exited: Promise<number>;
}

/** Starts a capturer and resolves when its stderr says it is listening. */
export function startCapturer(cmd: string, args: string[], ready: RegExp): Promise<Running> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const exited = new Promise<number>((r) => child.on('close', (code, signal) => r(code ?? (signal ? 128 : -1))));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start: ${err}`)), 15_000);
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      err += s;
      if (ready.test(err)) {
        clearTimeout(timer);
        resolve({ child, stderr: () => err, exited });
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited before listening: ${err}`));
    });
  });
}

export function startTcpdump(file: string, filter: string, extra: string[] = []): Promise<Running> {
  // The kernel buffer synscope capture takes by default (live.ts, 16 MiB): with libpcap's 2 MiB
  // the reference itself dropped a third of a 2000-datagram burst while the test suite loaded
  // both cores.
  return startCapturer('tcpdump', ['-i', 'lo', '-n', '--time-stamp-precision=nano', '-B', '16384', '-w', file, ...extra, filter], /listening on lo/);
}

export function startSynscope(file: string, filter: string, extra: string[] = []): Promise<Running> {
  return startCapturer(process.execPath, [SYNSCOPE, 'capture', '-i', 'lo', '-w', file, ...extra, '-f', filter], /Capturing on 'lo'/);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends `count` UDP datagrams of varying sizes to 127.0.0.1:port (a receiver is bound there). */
export async function udpBurst(port: number, count: number): Promise<void> {
  const rx = createSocket('udp4');
  await new Promise<void>((r) => rx.bind(port, '127.0.0.1', r));
  const tx = createSocket('udp4');
  for (let i = 0; i < count; i++) {
    const size = 1 + ((i * 37) % 1400);
    await new Promise<void>((r, j) => tx.send(Buffer.alloc(size, i & 0xff), port, '127.0.0.1', (e) => (e ? j(e) : r())));
  }
  await sleep(50);
  tx.close();
  rx.close();
}

/** One TCP connection to 127.0.0.1:port: handshake, some data both ways, close. */
export async function tcpExchange(port: number): Promise<void> {
  const server = createServer((s) => {
    s.on('data', (d) => s.write(d));
    s.on('end', () => s.end());
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  await new Promise<void>((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => {
      c.write(Buffer.alloc(3000, 0x61));
    });
    let got = 0;
    c.on('data', (d) => {
      got += d.length;
      if (got >= 3000) c.end();
    });
    c.on('close', () => resolve());
    c.on('error', reject);
  });
  await new Promise<void>((r) => server.close(() => r()));
}

/** Stops a capturer as a user would (Ctrl-C) and waits for it. */
export async function interrupt(r: Running): Promise<number> {
  r.child.kill('SIGINT');
  return r.exited;
}

/** Per packet: epoch time (ns text), captured length, original length, via tshark. */
export function tsharkFrames(file: string): { time: string; capLen: number; len: number }[] {
  const r = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.cap_len', '-e', 'frame.len'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tshark -r ${file} failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [time, cap, len] = l.split('\t');
      return { time: time!, capLen: Number(cap), len: Number(len) };
    });
}

/** tshark's hex dump of every packet (the bytes, nothing else). */
export function tsharkHex(file: string): string {
  const r = spawnSync('tshark', ['-n', '-r', file, '-x'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tshark -r ${file} -x failed: ${r.stderr}`);
  return r.stdout;
}

/** Nanoseconds since the epoch from tshark's "1764590000.123456789". */
export function epochNs(t: string): bigint {
  const [s, f = ''] = t.split('.');
  return BigInt(s!) * 1_000_000_000n + BigInt(f.padEnd(9, '0').slice(0, 9));
}

/** A port pair unlikely to be in use by another test running at the same time. */
export function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 40000);
}
