// Real TCP captures for the lifecycle tests: a kernel TCP stack on each side, in two network
// namespaces this module creates (needs root, as CI has), joined by a veth pair:
//
//   ns "<tag>-s" (server)  veth "<tag>s"  10.200.0.1/24  fd20::1/64
//   ns "<tag>-c" (client)  veth "<tag>c"  10.200.0.2/24  fd20::2/64
//
// tcpdump captures on the server's veth (`-U` so the file is complete when it stops). The
// endpoints are test/netns/peer.py run with `ip netns exec`; hping3 makes the SYN burst and
// the port scan. Addresses exist only inside these namespaces (no route leaves them). Every
// scenario is bounded in packets and time, and its namespaces and processes are removed even
// when it fails.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER4 = '10.200.0.1';
export const CLIENT4 = '10.200.0.2';
export const SERVER6 = 'fd20::1';
export const CLIENT6 = 'fd20::2';

export type ScenarioName =
  | 'http' | 'refused' | 'reset' | 'half-close' | 'zero-window' | 'keep-alive' | 'loss' | 'syn-flood' | 'port-scan';
export const SCENARIOS: readonly ScenarioName[] = ['http', 'refused', 'reset', 'half-close', 'zero-window', 'keep-alive', 'loss', 'syn-flood', 'port-scan'];

/** What one connection of a scenario did, as its client saw it. */
export interface ExpectedConnection {
  family: 4 | 6;
  clientAddr: string;
  clientPort: number;
  serverAddr: string;
  serverPort: number;
  /** The lifecycle end state it must have. */
  end: 'closed' | 'refused' | 'reset' | 'half-closed' | 'still open';
  resetBy?: 'client' | 'server';
  closedFirstBy?: 'client' | 'server';
  /** The server keeps sending after the client's FIN (shutdown(SHUT_WR)). */
  dataAfterFinFrom?: 'server';
  /** Notes the lifecycle must show (LifecycleNotes keys with a count > 0). */
  notes?: Array<'zeroWindow' | 'keepAlive' | 'retransmissions'>;
}

export interface ExpectedAlert {
  kind: 'syn-flood' | 'port-scan';
  /** syn-flood: the service attacked. */
  service?: string;
  /** port-scan: the scanner. */
  source?: string;
  /** port-scan: the host scanned. */
  target?: string;
}

export interface ScenarioExpect {
  name: ScenarioName;
  connections: ExpectedConnection[];
  alerts: ExpectedAlert[];
  /** Free-form facts (ports scanned, packets sent ...). */
  info: Record<string, unknown>;
}

export interface ScenarioCapture {
  pcap: string;
  expect: ScenarioExpect;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const PEER = join(HERE, 'peer.py');
/** No scenario may take longer than this (the processes are killed). */
export const SCENARIO_TIMEOUT_MS = 20_000;

let counter = 0;

/** Whether this machine can run the scenarios (root, ip, tcpdump, python3). */
export function netnsAvailable(): { ok: boolean; why?: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'not root' };
  for (const tool of ['ip', 'tcpdump', 'python3', 'iptables', 'hping3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return { ok: false, why: `${tool} is not installed` };
  }
  return { ok: true };
}

function run(cmd: string, args: string[], allowFail = false): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  if (!allowFail && r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
  return r.stdout ?? '';
}

class Lab {
  readonly tag: string;
  readonly nsS: string;
  readonly nsC: string;
  readonly vethS: string;
  readonly vethC: string;
  readonly dir: string;
  private readonly procs: ChildProcess[] = [];

  constructor() {
    // Interface names are at most 15 bytes.
    this.tag = `ss${process.pid % 100000}x${counter++}`;
    this.nsS = `${this.tag}-s`;
    this.nsC = `${this.tag}-c`;
    this.vethS = `${this.tag}s`;
    this.vethC = `${this.tag}c`;
    this.dir = mkdtempSync(join(tmpdir(), 'synscope-netns-'));
  }

  setup(): void {
    run('ip', ['netns', 'add', this.nsS]);
    run('ip', ['netns', 'add', this.nsC]);
    run('ip', ['link', 'add', this.vethS, 'netns', this.nsS, 'type', 'veth', 'peer', 'name', this.vethC, 'netns', this.nsC]);
    for (const [ns, dev, v4, v6] of [[this.nsS, this.vethS, SERVER4, SERVER6], [this.nsC, this.vethC, CLIENT4, CLIENT6]] as const) {
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      run('ip', ['-n', ns, 'addr', 'add', `${v4}/24`, 'dev', dev]);
      run('ip', ['-n', ns, '-6', 'addr', 'add', `${v6}/64`, 'dev', dev, 'nodad']);
      run('ip', ['-n', ns, 'link', 'set', dev, 'up']);
      // Segments as the stacks send them, not 64 KB offload super-segments (when ethtool exists).
      run('ip', ['netns', 'exec', ns, 'ethtool', '-K', dev, 'tso', 'off', 'gso', 'off', 'gro', 'off'], true);
    }
  }

  /** Starts a process in a namespace; killed at teardown. */
  start(ns: string, cmd: string[]): ChildProcess & { out: string[] } {
    const p = spawn('ip', ['netns', 'exec', ns, ...cmd], { stdio: ['ignore', 'pipe', 'pipe'] }) as ChildProcess & { out: string[] };
    p.out = [];
    let buf = '';
    p.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      p.out.push(...lines);
    });
    p.stderr!.on('data', (d: Buffer) => {
      (p as unknown as { err: string }).err = ((p as unknown as { err?: string }).err ?? '') + d.toString();
    });
    this.procs.push(p);
    return p;
  }

  async waitLine(p: ChildProcess & { out: string[] }, pred: (l: string) => boolean, ms = 5000, stream: 'out' | 'err' = 'out'): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (stream === 'out' ? p.out.some(pred) : pred((p as unknown as { err?: string }).err ?? '')) return;
      if (p.exitCode !== null) throw new Error(`process exited early: ${(p as unknown as { err?: string }).err ?? ''}`);
      await sleep(20);
    }
    throw new Error('timed out waiting for a process');
  }

  async exit(p: ChildProcess, ms = SCENARIO_TIMEOUT_MS): Promise<number> {
    if (p.exitCode !== null) return p.exitCode;
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        p.kill('SIGKILL');
      }, ms);
      p.once('exit', (code) => {
        clearTimeout(t);
        resolve(code ?? -1);
      });
    });
  }

  async capture(file: string): Promise<ChildProcess & { out: string[] }> {
    const p = this.start(this.nsS, ['tcpdump', '-i', this.vethS, '-n', '-U', '--immediate-mode', '-s', '0', '-w', file, 'tcp']);
    await this.waitLine(p, (e) => e.includes('listening on'), 5000, 'err');
    return p;
  }

  async stopCapture(p: ChildProcess): Promise<void> {
    await sleep(150);
    p.kill('SIGINT');
    await this.exit(p, 3000);
    if (process.env.NETNS_DEBUG) console.error('tcpdump:', (p as unknown as { err?: string }).err);
  }

  async teardown(): Promise<void> {
    for (const p of this.procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    await Promise.all(this.procs.map((p) => (p.exitCode === null && p.signalCode === null ? this.exit(p, 2000) : Promise.resolve(0))));
    for (const ns of [this.nsS, this.nsC]) {
      // Anything still running in our namespaces (by pid, only there).
      const pids = run('ip', ['netns', 'pids', ns], true).split('\n').filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
      run('ip', ['netns', 'del', ns], true);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

interface ClientLine {
  port: number;
  family: 4 | 6;
  outcome: string;
}

function clientLines(p: { out: string[] }): ClientLine[] {
  return p.out.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ClientLine);
}

function conn(c: ClientLine, serverPort: number, rest: Partial<ExpectedConnection> & Pick<ExpectedConnection, 'end'>): ExpectedConnection {
  return {
    family: c.family,
    clientAddr: c.family === 6 ? CLIENT6 : CLIENT4,
    clientPort: c.port,
    serverAddr: c.family === 6 ? SERVER6 : SERVER4,
    serverPort,
    ...rest,
  };
}

/** Runs a server mode and a client mode against it (both families when `v6`), returns the client lines. */
async function serverClient(lab: Lab, mode: string, port: number, count: number, opts: { v6?: boolean; serverExtra?: string; clientExtra?: string; clientMode?: string } = {}): Promise<ClientLine[]> {
  const addrs = opts.v6 ? [SERVER4, SERVER6] : [SERVER4];
  const total = count * addrs.length;
  const srv = lab.start(lab.nsS, ['python3', PEER, 'server', mode, addrs.join(','), String(port), String(total), ...(opts.serverExtra ? [opts.serverExtra] : [])]);
  await lab.waitLine(srv, (l) => l === 'ready');
  const lines: ClientLine[] = [];
  for (const a of addrs) {
    const cli = lab.start(lab.nsC, ['python3', PEER, 'client', opts.clientMode ?? mode, a, String(port), String(count), ...(opts.clientExtra ? [opts.clientExtra] : [])]);
    await lab.exit(cli);
    lines.push(...clientLines(cli));
  }
  await lab.exit(srv, 5000);
  return lines;
}

async function scenario(lab: Lab, name: ScenarioName): Promise<ScenarioExpect> {
  const ex: ScenarioExpect = { name, connections: [], alerts: [], info: {} };
  switch (name) {
    case 'http': {
      // Request/response with Connection: close: the server closes first.
      for (const c of await serverClient(lab, 'http', 8080, 3, { v6: true })) ex.connections.push(conn(c, 8080, { end: 'closed', closedFirstBy: 'server' }));
      break;
    }
    case 'refused': {
      // Nothing listens on port 9: every SYN is answered by a RST.
      for (const fam of [SERVER4, SERVER6]) {
        const cli = lab.start(lab.nsC, ['python3', PEER, 'client', 'refused', fam, '9', '3']);
        await lab.exit(cli);
        for (const c of clientLines(cli)) ex.connections.push(conn(c, 9, { end: 'refused', resetBy: 'server' }));
      }
      break;
    }
    case 'reset': {
      // SO_LINGER 0 on close(): the client aborts two connections, the server two others.
      for (const c of await serverClient(lab, 'sink', 8081, 2, { clientMode: 'resetclient' })) ex.connections.push(conn(c, 8081, { end: 'reset', resetBy: 'client' }));
      for (const c of await serverClient(lab, 'resetserver', 8082, 2)) ex.connections.push(conn(c, 8082, { end: 'reset', resetBy: 'server' }));
      break;
    }
    case 'half-close': {
      for (const c of await serverClient(lab, 'halfclose', 8083, 2, { v6: true })) {
        ex.connections.push(conn(c, 8083, { end: 'closed', closedFirstBy: 'client', dataAfterFinFrom: 'server' }));
      }
      break;
    }
    case 'zero-window': {
      // A 4 KB receive buffer and a receiver that sleeps while 300 KB arrive.
      for (const c of await serverClient(lab, 'zerowin', 8084, 1, { serverExtra: '4096', clientExtra: '300000' })) {
        ex.connections.push(conn(c, 8084, { end: 'closed', notes: ['zeroWindow'] }));
      }
      break;
    }
    case 'keep-alive': {
      // TCP_KEEPIDLE=1 s, TCP_KEEPINTVL=1 s, idle 3.5 s: about three probes, each answered.
      for (const c of await serverClient(lab, 'idle', 8085, 1, { clientMode: 'keepalive', clientExtra: '3.5' })) {
        ex.connections.push(conn(c, 8085, { end: 'closed', closedFirstBy: 'client', notes: ['keepAlive'] }));
      }
      break;
    }
    case 'loss': {
      // 5 % of the segments arriving at the server are dropped after tcpdump saw them: the
      // client retransmits them.
      run('ip', ['netns', 'exec', lab.nsS, 'iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '8086', '-m', 'statistic', '--mode', 'random', '--probability', '0.05', '-j', 'DROP']);
      for (const c of await serverClient(lab, 'echo', 8086, 2, { clientMode: 'bulk', clientExtra: '400000' })) {
        ex.connections.push(conn(c, 8086, { end: 'closed', notes: ['retransmissions'] }));
      }
      break;
    }
    case 'syn-flood': {
      // 200 SYNs from random spoofed sources, 1 ms apart, to a listening service. The server's
      // SYN-ACKs go back over the veth (a default route inside its namespace) and die there.
      run('ip', ['-n', lab.nsS, 'route', 'add', 'default', 'via', CLIENT4]);
      const srv = lab.start(lab.nsS, ['python3', PEER, 'server', 'idle', SERVER4, '8080', '1']);
      await lab.waitLine(srv, (l) => l === 'ready');
      const h = lab.start(lab.nsC, ['hping3', '-q', '-S', '--rand-source', '-c', '200', '-i', 'u1000', '-p', '8080', SERVER4]);
      await lab.exit(h, 10_000);
      await sleep(300);
      ex.alerts.push({ kind: 'syn-flood', service: `${SERVER4}:8080` });
      ex.info['syns'] = 200;
      break;
    }
    case 'port-scan': {
      // One source, SYNs to ports 20000..20099; 20010 and 20050 listen (SYN-ACK, then the
      // scanner's kernel resets), the rest answer RST.
      const open = [20010, 20050];
      const servers = open.map((p) => lab.start(lab.nsS, ['python3', PEER, 'server', 'idle', SERVER4, String(p), '1']));
      for (const s of servers) await lab.waitLine(s, (l) => l === 'ready');
      const h = lab.start(lab.nsC, ['hping3', '-q', '-S', '-c', '100', '-i', 'u2000', '-p', '++20000', SERVER4]);
      await lab.exit(h, 10_000);
      await sleep(200);
      ex.alerts.push({ kind: 'port-scan', source: CLIENT4, target: SERVER4 });
      ex.info['ports'] = [20000, 20099];
      ex.info['open'] = open;
      break;
    }
  }
  return ex;
}

/**
 * Makes one scenario's capture: creates the namespaces, captures while the scenario runs,
 * removes everything. The pcap is left in a fresh temporary directory.
 */
export async function makeScenarioCapture(name: ScenarioName): Promise<ScenarioCapture> {
  const lab = new Lab();
  const pcap = join(lab.dir, `${name}.pcap`);
  let timer: NodeJS.Timeout | null = null;
  try {
    lab.setup();
    const cap = await lab.capture(pcap);
    const work = scenario(lab, name);
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`scenario ${name} took more than ${SCENARIO_TIMEOUT_MS} ms`)), SCENARIO_TIMEOUT_MS);
    });
    const expect = await Promise.race([work, limit]);
    await lab.stopCapture(cap);
    if (!existsSync(pcap)) throw new Error(`tcpdump wrote no ${pcap}`);
    return { pcap, expect };
  } finally {
    if (timer) clearTimeout(timer);
    await lab.teardown();
  }
}
