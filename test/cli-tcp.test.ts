// `synscope conv` and `synscope tcp` as a user runs them (the built command), against tshark.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWithClosedOutput } from './helpers/closed-output.js';
import { corpusPath, repoRoot } from './helpers/corpus.js';

const bin = `${repoRoot}/bin/synscope.cjs`;
const synscope = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const tsharkConvTcp = (file: string) => execFileSync('tshark', ['-n', '-q', '-r', file, '-z', 'conv,tcp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

describe('synscope conv', () => {
  for (const rel of ['zeek/http/get.pcap', 'pcapplusplus/many-protocols.pcap', 'zeek/tcp/ssh-dups.pcap', 'zeek/smtp.pcap', 'pcapplusplus/three_http_streams.pcap']) {
    it(`prints tshark's -z conv,tcp table byte for byte with --tshark-columns (${rel})`, () => {
      const r = synscope('conv', corpusPath(rel), '--tshark-columns', '--no-udp');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(tsharkConvTcp(corpusPath(rel)));
    });
  }

  it('adds handshake RTT, who closed first and the end state (values from tshark where it has them)', () => {
    const file = corpusPath('zeek/http/get.pcap');
    const rtt = execFileSync('tshark', ['-n', '-r', file, '-Y', 'tcp.analysis.initial_rtt', '-T', 'fields', '-e', 'tcp.analysis.initial_rtt', '-c', '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0]!;
    const row = synscope('conv', file, '--no-udp').stdout.split('\n').find((l) => l.includes('<->'))!;
    expect(row).toContain(Number(rtt).toFixed(6));
    expect(row).toMatch(/\bclosed$/);
  });

  it('says plainly when the file is missing', () => {
    const r = synscope('conv', '/nonexistent.pcap');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('synscope: cannot open /nonexistent.pcap: No such file or directory\n');
  });

  it('says plainly when the path is a directory', () => {
    for (const cmd of ['conv', 'tcp']) {
      const r = synscope(cmd, tmpdir());
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`synscope: cannot open ${tmpdir()}: Is a directory\n`);
    }
  });

  it('a file cut in its last packet: the table of the packets before, then the error, status 2 (as tshark)', () => {
    const whole = readFileSync(corpusPath('zeek/http/get.pcap'));
    const dir = mkdtempSync(join(tmpdir(), 'synscope-cut-'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 10));
    try {
      const want = spawnSync('tshark', ['-n', '-q', '-r', cut, '-z', 'conv,tcp'], { encoding: 'utf8' });
      const r = synscope('conv', cut, '--tshark-columns', '--no-udp');
      expect(want.status).toBe(2);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe(want.stdout);
      expect(r.stderr).toMatch(/^synscope: .*cut\.pcap: file truncated in the middle of packet 14 \(offset \d+/);
      const t = synscope('tcp', cut, '--json');
      expect(t.status).toBe(2);
      expect(t.stdout).toContain('"type":"connection"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('synscope tcp', () => {
  it('reports one JSON line per connection tshark numbers, in tcp.stream order', () => {
    const file = corpusPath('pcapplusplus/three_http_streams.pcap');
    const streams = new Set(execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean));
    const lines = synscope('tcp', file, '--json').stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { stream?: number; kind?: string });
    const conns = lines.filter((l) => typeof l.stream === 'number');
    expect(conns.map((c) => String(c.stream))).toEqual([...streams]);
  });

  it('draws the ladder of one stream with each side\'s states', () => {
    const r = synscope('tcp', corpusPath('zeek/http/get.pcap'), '--stream', '0');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('SYN_SENT / LISTEN');
    expect(r.stdout).toContain('TIME_WAIT / CLOSED');
  });

  it('rejects a stream that is not a number', () => {
    const r = synscope('tcp', corpusPath('zeek/http/get.pcap'), '--stream', 'x');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--stream needs a stream number, got x');
  });
});

describe('synscope tcp --stream', () => {
  it('says so when no connection has that stream number (status 0, as tshark prints an empty follow)', () => {
    const file = corpusPath('zeek/http/get.pcap');
    const r = synscope('tcp', file, '--stream', '7', '--json');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('synscope tcp: no TCP connection has tcp.stream 7\n');
    expect(synscope('tcp', file, '--stream', '0', '--json').stderr).toBe('');
  });
});

describe('conv and tcp when the reader of their output goes away (`| head`)', () => {
  for (const cmd of ['conv', 'tcp']) {
    it(`${cmd} stops quietly with status 0`, async () => {
      const { stderr, status } = await runWithClosedOutput([cmd, corpusPath('pcapplusplus/many-protocols.pcap')]);
      expect(stderr).toBe('');
      expect(status).toBe(0);
    });
  }
});

describe('synscope tcp --events', () => {
  const file = corpusPath('pcapplusplus/many-protocols.pcap');
  /** tshark: per tcp.stream its first frame and that frame's frame.time_relative; and the RST frames. */
  function tsharkStreams(path: string): { first: Map<number, [number, string]>; rsts: Set<number> } {
    const out = execFileSync('tshark', ['-n', '-r', path, '-Y', 'tcp', '-T', 'fields', '-e', 'tcp.stream', '-e', 'frame.number', '-e', 'frame.time_relative', '-e', 'tcp.flags.reset'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const first = new Map<number, [number, string]>(), rsts = new Set<number>();
    for (const line of out.trim().split('\n')) {
      const [stream, frame, rel, rst] = line.split('\t');
      const s = Number(stream!.split(',')[0]);
      if (!first.has(s)) first.set(s, [Number(frame), Number(rel).toFixed(6)]);
      if (rst === '1') rsts.add(Number(frame));
    }
    return { first, rsts };
  }

  it('prints an opened line at each connection\'s first packet (tshark\'s frame and time), a reset line at a RST, and the alerts', () => {
    const r = synscope('tcp', file, '--events');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
    const { first, rsts } = tsharkStreams(file);
    // "FRAME TIME opened stream N CLIENT → SERVER"
    const opened = lines.filter((l) => l[2] === 'opened').map((l) => [Number(l[4]), Number(l[0]), l[1]] as const);
    expect(opened.map(([s]) => s)).toEqual([...first.keys()].sort((a, b) => a - b));
    for (const [s, frame, rel] of opened) expect([frame, rel], `stream ${s}`).toEqual(first.get(s));
    const resets = lines.filter((l) => l[2] === 'reset').map((l) => Number(l[0]));
    expect(resets.length).toBeGreaterThan(0);
    for (const f of resets) expect(rsts.has(f), `frame ${f}`).toBe(true);
    // The alerts are the report's (synscope tcp --json), each printed when found.
    const report = synscope('tcp', file, '--json').stdout.trim().split('\n').filter((l) => l.startsWith('{"type":"alert"')).map((l) => (JSON.parse(l) as { severity: string; message: string }));
    expect(report.length).toBeGreaterThan(0);
    const printed = r.stdout.split('\n').filter((l) => / alert /.test(l)).map((l) => l.replace(/^\s*\d+\s+[\d.]+\s+alert /, ''));
    expect(printed).toEqual(report.map((a) => `${a.severity}: ${a.message}`));
  });


  it('reads a capture still being written (FILE -): each packet\'s events come before the next packet', async () => {
    // One HTTP connection (tshark: its handshake's ACK carries initial_rtt; its first FIN).
    const get = corpusPath('zeek/http/get.pcap');
    const tf = (filter: string) => Number(execFileSync('tshark', ['-n', '-r', get, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0]);
    const ackFrame = tf('tcp.analysis.initial_rtt'), finFrame = tf('tcp.flags.fin == 1');
    const data = readFileSync(get);
    // The records up to the handshake's ACK (pcap: 24-byte header, 16-byte record headers).
    let upTo = 24;
    for (let n = 0; n < ackFrame; n++) upTo += 16 + data.readUInt32LE(upTo + 8);
    const child = spawn(process.execPath, [bin, 'tcp', '-', '--events'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const events = () => out.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/)).map((f) => `${f[2]} #${f[0]}`);
    child.stdin.write(data.subarray(0, upTo));
    for (const end = Date.now() + 10_000; events().length < 2 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    // The rest of the capture not written yet: opened and established are out.
    expect(events()).toEqual([`opened #1`, `established #${ackFrame}`]);
    child.stdin.end(data.subarray(upTo));
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(status).toBe(0);
    expect(events().slice(0, 3)).toEqual([`opened #1`, `established #${ackFrame}`, `closing #${finFrame}`]);
    expect(events()[3]).toMatch(/^closed #\d+$/);
  });

  it('prints an alert that silence brings while the feed stays open (a SYN nobody answers)', async () => {
    // One SYN, never answered; the feed goes on 4.5 s with nothing more. Through a shell pipe:
    // what `synscope capture -w - | synscope tcp - --events` reads.
    const syn = corpusPath('pcapplusplus/TcpPacketWithOptions3.pcap');
    const want = synscope('tcp', syn, '--json').stdout.trim().split('\n').filter((l) => l.startsWith('{"type":"alert"'))
      .map((l) => JSON.parse(l) as { kind: string; severity: string; service: string });
    expect(want.map((a) => a.kind)).toEqual(['unanswered-syn']);
    const child = spawn('sh', ['-c', 'cat | exec "$0" "$1" tcp - --events', process.execPath, bin], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines: Array<{ at: number; text: string }> = [];
    child.stdout.on('data', (b: Buffer) => lines.push(...b.toString().split('\n').filter(Boolean).map((text) => ({ at: Date.now(), text }))));
    const sent = Date.now();
    child.stdin.write(readFileSync(syn));
    const alerted = () => lines.find((l) => / alert /.test(l.text));
    for (const end = sent + 8_000; !alerted() && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    const beforeTheEnd = alerted();
    child.stdin.end();
    expect(await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))).toBe(0);
    // Out before the feed ended, after the 3 s the alert waits for; the file's alert (at its end:
    // "never answered") as it holds after 3 s, at the SYN's frame, its time that of the silence;
    // and only once.
    expect(beforeTheEnd).toBeDefined();
    const a = beforeTheEnd!;
    expect(a.at - sent).toBeGreaterThanOrEqual(3000);
    const f = a.text.trim().split(/\s+/);
    expect([f[0], f[2]]).toEqual(['1', 'alert']);
    expect(Number(f[1])).toBeGreaterThanOrEqual(3);
    expect(a.text.replace(/^\s*\d+\s+[\d.]+\s+alert /, '')).toBe(`${want[0]!.severity}: unanswered SYN: 1 connection to ${want[0]!.service} from 1 source not answered for 3 s`);
    expect(lines.filter((l) => / alert /.test(l.text))).toHaveLength(1);
  });
});

describe('synscope tcp on a capture of one direction only', () => {
  it('completes every handshake the two-way capture completes, from either direction alone (tshark splits real captures)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synscope-oneway-'));
    type Conn = { type: string; client: { addr: string; port: number }; server: { addr: string; port: number }; end: string; handshake: { complete: boolean; synAckNotCaptured: boolean; ackNotCaptured: boolean } };
    const connections = (path: string) => synscope('tcp', path, '--json').stdout.trim().split('\n').map((l) => JSON.parse(l) as Conn).filter((c) => c.type === 'connection');
    const key = (c: Conn) => `${c.client.addr}:${c.client.port} ${c.server.addr}:${c.server.port}`;
    try {
      for (const rel of ['zeek/http/get.pcap', 'pcapplusplus/many-protocols.pcap']) {
        const both = new Map(connections(corpusPath(rel)).map((c) => [key(c), c]));
        // Servers on the lower port here: each half is what a tap on one direction records.
        for (const [side, filter] of [['server', 'tcp.srcport < tcp.dstport'], ['client', 'tcp.srcport > tcp.dstport']] as const) {
          const half = join(dir, `${side}.pcap`);
          execFileSync('tshark', ['-n', '-r', corpusPath(rel), '-Y', filter, '-w', half, '-F', 'pcap'], { stdio: 'ignore' });
          let checked = 0;
          for (const c of connections(half)) {
            const whole = both.get(key(c));
            if (!whole?.handshake.complete || whole.handshake.synAckNotCaptured || whole.handshake.ackNotCaptured) continue;
            checked++;
            expect(c.handshake, `${rel} ${side} side ${key(c)}`).toMatchObject(side === 'server' ? { complete: true, ackNotCaptured: true } : { complete: true, synAckNotCaptured: true });
            expect(c.end, `${rel} ${side} side ${key(c)}`).not.toBe('half-open');
          }
          expect(checked, `${rel} ${side}`).toBeGreaterThan(0);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a client\'s ACK after its SYN as the answer to a SYN-ACK the capture missed: no unanswered SYN', () => {
    // A GRE-tunnelled browsing session captured one way: tshark sees no SYN-ACK at all.
    const gre = corpusPath('zeek/tunnels/gre-aruba.pcap');
    const rows = execFileSync('tshark', ['-n', '-r', gre, '-Y', 'tcp', '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.flags.syn', '-e', 'tcp.flags.ack', '-e', 'tcp.flags.reset'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').map((l) => l.split('\t'));
    expect(rows.some(([, syn, ack]) => syn === '1' && ack === '1')).toBe(false);
    // The streams that start with a SYN and go on with an ACK from the same side.
    const withSyn = new Set(rows.filter(([, syn]) => syn === '1').map(([s]) => Number(s)));
    const acked = new Set(rows.filter(([s, syn, ack]) => withSyn.has(Number(s)) && syn === '0' && ack === '1').map(([s]) => Number(s)));
    expect(acked.size).toBeGreaterThan(5);
    const out = synscope('tcp', gre, '--json').stdout.trim().split('\n').map((l) => JSON.parse(l) as {
      type: string; kind?: string; stream?: number; end?: string; handshake?: { synAckNotCaptured: boolean; complete: boolean };
    });
    const conns = out.filter((l) => l.type === 'connection');
    for (const c of conns.filter((x) => acked.has(x.stream!))) {
      expect(c.handshake, `stream ${c.stream}`).toMatchObject({ synAckNotCaptured: true, complete: true });
      expect(c.end, `stream ${c.stream}`).not.toBe('half-open');
    }
    expect(out.filter((l) => l.type === 'alert' && l.kind === 'unanswered-syn')).toEqual([]);
  });
});
