// `synscope read -Y / -f` against the references on corpus captures: the packets a display
// filter picks equal `tshark -Y`'s (frame numbers of the file, TCP analysis over every packet),
// the packets a tcpdump expression picks equal tcpdump's (compared by time and length), -w
// writes a file tshark and tcpdump read back exactly like tshark's own `-Y -w` output, and an
// invalid filter gets tshark's message, the filter, the `^~~~` marker and status 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../app/cli/run.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath, repoRoot } from './helpers/corpus.js';
import { tsharkRaw } from './helpers/tshark.js';
import { framesText, TsharkFilterOracle } from './helpers/tshark-selections.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-cli-filter-'));

/** The command in-process (the same code as bin/synscope.cjs, without a process per case). */
async function read(...args: string[]): Promise<{ stdout: string; stderr: string; status: number }> {
  const out = new StringSink();
  const err = new StringSink();
  const status = await run(['read', ...args], out, err);
  return { stdout: out.text(), stderr: err.text(), status };
}

/** The built command as a user runs it. */
function synscope(...args: string[]): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'synscope.cjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

/** tshark's stderr without the root warning. */
function tsharkStderr(args: string[]): { stderr: string; status: number } {
  const r = spawnSync('tshark', args, { encoding: 'utf8' });
  return { stderr: r.stderr.split('\n').filter((l) => !l.startsWith('Running as user')).join('\n'), status: r.status ?? -1 };
}

/** Time and length of every packet in a file, as tshark prints them. */
function timesAndLengths(file: string): string {
  return tsharkRaw(file, ['-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len']).stdout;
}

/** tcpdump's output file per (file, expression): the -Y and -f cases compare with the same one (and tshark reads it once). */
const tcpdumpRuns = new Map<string, string>();
/** The packets tcpdump's filter keeps, written to a pcap file by tcpdump itself. */
function tcpdumpFiltered(file: string, expr: string): string {
  const key = `${file}\0${expr}`;
  const done = tcpdumpRuns.get(key);
  if (done) return done;
  const out = join(tmp, `tcpdump-${tcpdumpRuns.size}.pcap`);
  const r = spawnSync('tcpdump', ['-r', file, '-w', out, expr], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tcpdump ${expr}: ${r.stderr}`);
  tcpdumpRuns.set(key, out);
  return out;
}

const GET = 'zeek/http/get.pcap';
const MANY = 'pcapplusplus/many-protocols.pcap';
const RETX = 'zeek/tcp/retransmit-fast009.pcap';
const VLAN = 'pcapplusplus/VlanPackets.pcap';
const FRAG = 'zeek/ipv4/fragmented-1.pcap';
const ICMP6 = 'tcpdump/icmpv6.pcap';
const DNS = 'pcapplusplus/DnsPackets.pcap';
const V6FRAG = 'zeek/ipv6-fragmented-dns.pcap';
const FILES = [GET, MANY, RETX, VLAN, FRAG, ICMP6, DNS, V6FRAG];

/** Display filters: some take the fast path (header fields), some need full dissection. */
const DISPLAY_FILTERS = [
  'ip.addr == 10.0.0.0/8', 'ip.src == 141.142.228.5', 'tcp.port == 80', 'tcp.dstport == 80 || udp.srcport == 53',
  'tcp.flags.syn == 1 && tcp.flags.ack == 0', 'tcp.flags.reset == 1 or tcp.flags.fin == 1', 'tcp.payload contains "HTTP"',
  'udp contains 00:01', 'frame.len > 1000', 'frame.len <= 64 && !arp', 'vlan.id == 20', 'ipv6.addr == fe80::/10',
  'icmpv6.type == 135', 'ip.flags.mf == 1 || ip.frag_offset > 0', 'udp.port == 53 && ip.ttl > 50', 'eth.dst[0] & 1',
  'tcp.analysis.retransmission', 'tcp.analysis.flags && !tcp.analysis.window_update', 'tcp.stream == 1', 'dns.qry.name contains "google"',
  'dns.flags.response == 1', 'frame.time_delta > 0.1', 'tcp.len > 0 && tcp.seq > 1000', 'ip.proto == 17 && !dns',
];

describe('read -Y FILTER picks the packets tshark -Y picks', () => {
  const tshark = new TsharkFilterOracle(FILES.flatMap((file) => DISPLAY_FILTERS.map((f) => [corpusPath(file), f] as const)));
  it.each(FILES)('%s', async (file) => {
    const path = corpusPath(file);
    for (const f of DISPLAY_FILTERS) {
      const ours = await read(path, '-Y', f, '-T', 'fields', '-e', 'frame.number');
      const want = tshark.select(path, f);
      expect([f, ours.status, ours.stdout]).toEqual([f, want.status, framesText(want.frames)]);
    }
  });

  it('prints the matching packets with the fields asked for (fast path and full)', async () => {
    const fields = ['-e', 'frame.number', '-e', 'ip.src', '-e', 'tcp.srcport', '-e', 'tcp.flags', '-e', 'udp.length', '-e', 'vlan.id'];
    for (const file of [MANY, VLAN, GET]) {
      for (const f of ['tcp.port == 80', 'udp', 'tcp.flags.push == 1 && ip.ttl < 128', 'dns || arp']) {
        const ours = await read(corpusPath(file), '-Y', f, '-T', 'fields', ...fields);
        expect([file, f, ours.stdout]).toEqual([file, f, tsharkRaw(corpusPath(file), ['-Y', f, '-T', 'fields', ...fields]).stdout]);
      }
    }
  });

  it('summary lines keep the file numbering and the TCP analysis of every packet', async () => {
    for (const f of ['tcp.analysis.retransmission || tcp.analysis.duplicate_ack', 'tcp.len > 1000']) {
      const ours = await read(corpusPath(RETX), '-Y', f);
      expect(ours.stdout).toBe(tsharkRaw(corpusPath(RETX), ['-Y', f]).stdout);
    }
  });

  it('-c counts the records read, not the matches (tshark -c with -Y)', async () => {
    for (const [f, c] of [['tcp.len > 0', '3'], ['tcp.len > 0', '8'], ['udp', '40']] as const) {
      const ours = await read(corpusPath(GET), '-Y', f, '-c', c, '-T', 'fields', '-e', 'frame.number');
      expect(ours.stdout).toBe(tsharkRaw(corpusPath(GET), ['-Y', f, '-c', c, '-T', 'fields', '-e', 'frame.number']).stdout);
    }
  });
});

/** tcpdump expressions on classic pcap files (tcpdump -w writes pcap). */
const TCPDUMP_CASES: Array<[string, string]> = [
  [GET, 'host 141.142.228.5 and tcp[tcpflags] & tcp-push != 0'], [GET, 'tcp port 80 and greater 100'],
  [MANY, 'udp port 53'], [MANY, 'net 10.0.0.0/8 and not tcp'], [MANY, 'icmp or arp or udp port 123'], [MANY, 'ip6'],
  [VLAN, 'vlan 20'], [VLAN, 'vlan and tcp'], [FRAG, 'ip[6:2] & 0x3fff != 0'], [RETX, 'tcp[13] & 0x10 != 0 and less 100'],
  [DNS, 'src port 53'], [ICMP6, 'icmp6 and ip6[40] == 135'],
];

describe('tcpdump expressions pick the packets tcpdump picks', () => {
  it.each(TCPDUMP_CASES)('-Y on %s: %s', async (file, expr) => {
    const path = corpusPath(file);
    const ours = await read(path, '-Y', expr, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len');
    expect(ours.status).toBe(0);
    expect(ours.stdout).toBe(timesAndLengths(tcpdumpFiltered(path, expr)));
  });

  it.each(TCPDUMP_CASES)('-f on %s: %s', async (file, expr) => {
    const path = corpusPath(file);
    const ours = await read(path, '-f', expr, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len');
    expect(ours.stdout).toBe(timesAndLengths(tcpdumpFiltered(path, expr)));
  });

  it('-f is a capture filter: the output is what tshark shows for the file tcpdump filtered', async () => {
    for (const [file, expr] of [[RETX, 'tcp[13] & 0x10 != 0 and greater 100'], [GET, 'src host 192.150.187.43'], [MANY, 'icmp or arp or udp port 53']] as const) {
      const ours = await read(corpusPath(file), '-f', expr);
      expect(ours.stdout).toBe(tsharkRaw(tcpdumpFiltered(corpusPath(file), expr), []).stdout);
    }
  });

  it('-f and -Y together: the display filter runs on what the capture filter kept', async () => {
    const path = corpusPath(MANY);
    const ours = await read(path, '-f', 'tcp', '-Y', 'tcp.analysis.flags', '-T', 'fields', '-e', 'frame.number');
    const want = tsharkRaw(tcpdumpFiltered(path, 'tcp'), ['-Y', 'tcp.analysis.flags', '-T', 'fields', '-e', 'frame.number']);
    expect(ours.stdout).toBe(want.stdout);
  });
});

describe('-w writes only the matching packets, readable as tshark -Y -w output is', () => {
  const cases: Array<[string, string]> = [
    [GET, 'tcp.len > 0'], [MANY, 'ip.addr == 10.0.0.0/8 && tcp'], [RETX, 'tcp.analysis.retransmission'], [VLAN, 'vlan.id == 10'],
    [MANY, 'udp port 53'], // a tcpdump expression
  ];
  it.each(cases)('%s: %s', (file, f) => {
    const path = corpusPath(file);
    const ours = join(tmp, `ours-${cases.findIndex((c) => c[1] === f && c[0] === file)}.pcapng`);
    const theirs = ours.replace('ours-', 'tshark-');
    const r = synscope('read', path, '-Y', f, '-w', ours);
    expect([r.status, r.stderr, r.stdout]).toEqual([0, '', '']);
    // tshark cannot take a tcpdump expression with -Y: its twin is a read through tcpdump.
    const isTcpdump = f === 'udp port 53';
    if (isTcpdump) {
      expect(timesAndLengths(ours)).toBe(timesAndLengths(tcpdumpFiltered(path, f)));
      return;
    }
    const t = spawnSync('tshark', ['-n', '-r', path, '-Y', f, '-w', theirs], { encoding: 'utf8' });
    expect(t.status).toBe(0);
    expect(timesAndLengths(ours)).toBe(timesAndLengths(theirs));
    const dump = (p: string) => spawnSync('tcpdump', ['-n', '-tt', '-r', p], { encoding: 'utf8' }).stdout;
    expect(dump(ours)).toBe(dump(theirs));
  });

  it('-w /dev/null writes to the device (never replaces it)', () => {
    const r = synscope('read', corpusPath(GET), '-Y', 'tcp', '-w', '/dev/null');
    expect(r.status).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('-w - writes the capture to standard output', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'synscope.cjs'), 'read', corpusPath(GET), '-Y', 'tcp.len > 0', '-w', '-'], { maxBuffer: 1 << 26 });
    expect(r.status).toBe(0);
    const out = join(tmp, 'stdout.pcapng');
    writeFileSync(out, r.stdout);
    expect(timesAndLengths(out)).toBe(tsharkRaw(corpusPath(GET), ['-Y', 'tcp.len > 0', '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len']).stdout);
  });

  it('-q prints nothing, with -w it only writes', async () => {
    const out = join(tmp, 'quiet.pcapng');
    const r = await read(corpusPath(GET), '-Y', 'tcp.len > 0', '-q', '-w', out);
    expect([r.status, r.stdout]).toEqual([0, '']);
    expect(timesAndLengths(out)).toBe(tsharkRaw(corpusPath(GET), ['-Y', 'tcp.len > 0', '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len']).stdout);
  });
});

describe('invalid filters: tshark 4.0 message, filter, marker, status 2', () => {
  const INVALID = ['tcp.flgs == 1', 'ip.src == 1.2.3', 'tcp.port == 80 80', 'ip.addr = 1.2.3.4', 'tcp.port == 80 &&', '(tcp',
    'http.host == "abc', 'frame[0:2', 'tcp.port in {80', 'eth.src == 00:11', 'host 1.2.3.4 andd'];
  it.each(INVALID)('read -Y %s', (f) => {
    const want = tsharkStderr(['-n', '-r', corpusPath(GET), '-Y', f]);
    const ours = synscope('read', corpusPath(GET), '-Y', f);
    expect(ours.stdout).toBe('');
    expect(ours.stderr.replace(/^synscope: /, 'tshark: ')).toBe(want.stderr);
    expect(ours.status).toBe(want.status);
  });

  it('conv and tcp report -Y errors the same way', () => {
    const want = tsharkStderr(['-n', '-r', corpusPath(GET), '-Y', 'tcp.port = 80']);
    for (const cmd of ['conv', 'tcp']) {
      const ours = synscope(cmd, corpusPath(GET), '-Y', 'tcp.port = 80');
      expect([cmd, ours.stderr.replace(/^synscope: /, 'tshark: '), ours.status]).toEqual([cmd, want.stderr, want.status]);
    }
  });

  it('-f gives tcpdump\'s reason, the expression and a marker, status 2', () => {
    const t = spawnSync('tcpdump', ['-r', corpusPath(GET), 'tcp port 80 andd'], { encoding: 'utf8' });
    expect(t.stderr).toContain("can't parse filter expression: syntax error");
    const ours = synscope('read', corpusPath(GET), '-f', 'tcp port 80 andd');
    expect(ours.status).toBe(2);
    expect(ours.stderr).toMatch(/^synscope: syntax error\n {4}tcp port 80 andd\n {4} *\^~*\n$/);
  });

  it('a tcpdump expression libpcap refuses for the link type is an error too', () => {
    // Linux cooked capture has no Ethernet addresses (tcpdump: "ethernet addresses supported only on ...").
    const file = corpusPath('zeek/linuxsll-arp.pcap');
    const t = spawnSync('tcpdump', ['-r', file, 'ether host 00:11:22:33:44:55'], { encoding: 'utf8' });
    const ours = synscope('read', file, '-Y', 'ether host 00:11:22:33:44:55');
    expect(ours.status).toBe(2);
    expect(t.stderr).toContain(ours.stderr.replace(/^synscope: /, '').replace(/ \(filter .*$/s, ''));
  });
});
