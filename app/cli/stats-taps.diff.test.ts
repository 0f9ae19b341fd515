// `synscope read -z` against tshark's `-z` text: the endpoint tables of every corpus capture
// with IP and the conversation tables of every one with TCP or UDP, byte for byte (the known
// conversation-table differences of conv-corpus.ts aside), per-table filters, the order of
// several outputs, Protocol Hierarchy Statistics, Follow TCP, UDP and TLS Stream in their three modes, and how -z sits with the packets, -q,
// -Y and standard input.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath, repoRoot } from '../../test/helpers/corpus.js';
import { captures, capturesWith, TIME_EXCEPTIONS, UDP_EXCEPTIONS } from '../../test/helpers/conv-corpus.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { TABLE_TAPS, tsharkTables } from '../../test/helpers/tshark-verbose.js';
import { parseStatTap } from './args.js';
import { StringSink } from './sink.js';
import { runStatTaps } from './stats-taps.js';

/** Our tables for `-z ARG` ... as text (in-process). */
async function ours(path: string, ...args: string[]): Promise<string> {
  const taps = args.map(parseStatTap);
  const out = new StringSink(), err = new StringSink();
  await runStatTaps(path, taps, out, err);
  return out.text();
}

function theirs(path: string, ...args: string[]): string {
  return tsharkRaw(path, ['-q', ...args.flatMap((a) => ['-z', a])]).stdout;
}

/** The text without a table (from its title to the next bar). */
function withoutTable(text: string, title: string): string {
  return text.replace(new RegExp(`={80}\\n${title}\\n[\\s\\S]*?={80}\\n`), '');
}

/** Conversation rows without their Relative Start and Duration columns. */
function withoutTimes(text: string): string {
  return text.replace(/^(.* <-> .*?)\s+-?[\d.]+\s+-?[\d.]+$/gm, '$1');
}

describe('read -z vs tshark -z', () => {
  // One test per capture, every table at once: tshark takes ~0.5 s to start (its run is cached
  // and shared with conv.diff, conversations.diff and endpoints.diff, which read the same).
  const files = capturesWith(['ip', 'ipv6', 'tcp', 'udp']);
  const convFiles = new Set(captures());
  it('covers the corpus', () => {
    expect(files.length).toBeGreaterThan(40);
  });
  for (const rel of files) {
    it(`conv,tcp conv,udp endpoints,ip endpoints,ipv6: ${rel}`, async () => {
      const path = corpusPath(rel);
      let a = await ours(path, ...TABLE_TAPS);
      let b = tsharkTables(path);
      // conversations.diff.test.ts's documented differences are left out here too.
      if (convFiles.has(rel) && UDP_EXCEPTIONS.has(rel)) [a, b] = [withoutTable(a, 'UDP Conversations'), withoutTable(b, 'UDP Conversations')];
      if (convFiles.has(rel) && TIME_EXCEPTIONS.has(rel)) [a, b] = [withoutTimes(a), withoutTimes(b)];
      expect(a).toBe(b);
    });
  }

  it('counts only what a table\'s own filter matches, and prints the tables last to first', async () => {
    const path = corpusPath('pcapplusplus/many-protocols.pcap');
    const args = ['conv,tcp,http', 'endpoints,ip,tcp.port==80', 'conv,udp,dns', 'endpoints,ipv6,udp'];
    const text = await ours(path, ...args);
    expect(text).toBe(theirs(path, ...args));
    expect(text.indexOf('IPv6 Endpoints')).toBeLessThan(text.indexOf('TCP Conversations'));
    expect(text).toContain('Filter:tcp.port==80\n');
  });
});

describe('read -z follow,tcp vs tshark', () => {
  // HTTP over IPv4 and IPv6 (Node lines in brackets), many streams, duplicates and
  // retransmissions, a handshake out of order, a response reassembled from several segments.
  const FILES: Record<string, number[]> = {
    'pcapplusplus/three_http_streams.pcap': [0, 1, 2],
    'pcapplusplus/many-protocols.pcap': [0, 1, 2, 3, 4, 5, 6, 7],
    'gopacket/test_loopback.pcap': [0],
    'zeek/tcp/ssh-dups.pcap': [0],
    'zeek/tcp/handshake-reorder.pcap': [0],
    'zeek/http/get.pcap': [0],
  };
  for (const [rel, streams] of Object.entries(FILES)) {
    it(`prints each stream as ascii, hex and raw as tshark does: ${rel}`, async () => {
      const path = corpusPath(rel);
      const args = ['ascii', 'hex', 'raw'].flatMap((mode) => streams.map((n) => `follow,tcp,${mode},${n}`));
      expect(await ours(path, ...args)).toBe(theirs(path, ...args));
    });
  }

  it('shows a range of records, and empty nodes for a stream that is not there', async () => {
    const path = corpusPath('pcapplusplus/three_http_streams.pcap');
    const args = ['follow,tcp,hex,1,2-3', 'follow,tcp,ascii,0,2', 'follow,tcp,raw,99'];
    const text = await ours(path, ...args);
    expect(text).toBe(theirs(path, ...args));
    expect(text).toContain('Filter: tcp.stream eq 99\nNode 0: :0\nNode 1: :0\n');
  });
});

describe('read -z io,phs vs tshark', () => {
  // Protocol Hierarchy Statistics: link layers of every kind, VLANs, tunnels, TCP reassembly (its
  // segments item after the PDU's protocols as tshark's tap sees it, before them when a FIN
  // completes the PDU), malformed packets, pcapng comments (above Frame), NFLOG (whose header
  // tshark adds only to a tree it shows), QUIC, GQUIC, X11, SMB.
  const FILES = [
    'pcapplusplus/many-protocols.pcap', 'pcapplusplus/pcapng-example.pcapng', 'gopacket/le/test009.pcapng', 'zeek/nflog-http.pcap',
    'pcapplusplus/three_http_streams.pcap', 'zeek/tcp/tcp-fast-open.pcap', 'pcapplusplus/one_http_stream_fin.pcap', 'pcapplusplus/raw_ip.pcap',
    'pcapplusplus/many_interfaces-1.pcapng', 'pcapplusplus/VlanPackets.pcap', 'zeek/linux_dlt_sll2.pcap', 'zeek/radiotap.pcap',
    'zeek/smtp.pcap', 'zeek/tunnels/gre-aruba.pcap', 'tcpdump/ipv4_invalid_hdr_length.pcap',
  ];
  for (const rel of FILES) {
    it(`counts every layer as tshark does: ${rel}`, async () => {
      const path = corpusPath(rel);
      const text = await ours(path, 'io,phs');
      expect(text).toContain('Protocol Hierarchy Statistics');
      expect(text).toBe(theirs(path, 'io,phs'));
    });
  }
  it('with a filter, and beside the other tables (printed last to first)', async () => {
    const path = corpusPath('pcapplusplus/many-protocols.pcap');
    const args = ['io,phs,tcp.port == 443', 'conv,udp', 'io,phs,udp', 'endpoints,ip'];
    const text = await ours(path, ...args);
    expect(text).toContain('Filter: tcp.port == 443\n');
    expect(text).toBe(theirs(path, ...args));
  });
});

describe('read -z follow,udp vs tshark', () => {
  // DNS over IPv4 and IPv6, NTP, many streams, a datagram an ICMP error quotes (not the stream's),
  // one without payload (no record), QUIC and tunnels in many-protocols.
  const FILES: Record<string, number[]> = {
    'tcpdump/dns_udp.pcap': [0],
    'tcpdump/ntp.pcap': [0, 1],
    'gopacket/test_dns.pcap': [0, 1, 2],
    'pcapplusplus/DnsPackets.pcap': [0, 3],
    'zeek/icmp/icmp-destunreach-udp.pcap': [0],
    'tcpdump/ipv6-routing-header.pcap': [0, 1],
    'pcapplusplus/many-protocols.pcap': [0, 5, 17],
  };
  for (const [rel, streams] of Object.entries(FILES)) {
    it(`prints each stream's datagrams as ascii, hex and raw as tshark does: ${rel}`, async () => {
      const path = corpusPath(rel);
      const args = ['ascii', 'hex', 'raw'].flatMap((mode) => streams.map((n) => `follow,udp,${mode},${n}`));
      const text = await ours(path, ...args);
      expect(text).toContain('Filter: udp.stream eq');
      expect(text).toBe(theirs(path, ...args));
    });
  }
  it('a range of records, and a stream that is not there', async () => {
    const path = corpusPath('gopacket/test_dns.pcap');
    const args = ['follow,udp,hex,1,2', 'follow,udp,raw,99'];
    const text = await ours(path, ...args);
    expect(text).toContain('Filter: udp.stream eq 99\nNode 0: :0\nNode 1: :0\n');
    expect(text).toBe(theirs(path, ...args));
  });
});

describe('read -z follow,tls vs tshark', () => {
  // Decrypted with the secrets the captures carry (pcapng DSB), or with a key log file: HTTP/1.1
  // and HTTP/2 over TLS 1.2 and 1.3, resumptions, a HelloRetryRequest, a WebSocket, CONNECT
  // tunnels. tshark 4.0 takes Node 0 from the first decrypted record (of any type: a TLS 1.3
  // server's encrypted handshake comes first) and never sets Node 1 (":0"); SynScope prints the
  // peer there (docs/tshark-differences.md), everything else as tshark.
  const tls = (name: string) => join(repoRoot, 'test', 'fixtures', 'tls-keylog', name);
  const http = (name: string) => join(repoRoot, 'test', 'fixtures', 'http', name);
  const FILES: Array<[string, number[], string[]]> = [
    [tls('tls13-aes128-http1.pcapng'), [0], ['ascii', 'hex', 'raw']],
    [tls('tls12-ecdhe-gcm-http1.pcapng'), [0], ['ascii', 'hex', 'raw']],
    [tls('h2-chromium.pcapng'), [0], ['ascii', 'raw']],
    [tls('tls12-resumption.pcapng'), [0, 1], ['ascii']],
    [tls('tls13-hrr-resumption.pcapng'), [0, 1, 2], ['ascii']],
    [http('websocket-tls.pcapng'), [0], ['hex']],
    [http('connect-tunnel.pcapng'), [0, 1, 2, 3], ['ascii']],
  ];
  /** tshark's text with its Node 1 line as SynScope prints it (the stream's other side). */
  const withPeer = (text: string, ourText: string) => {
    const peers = ourText.split('\n').filter((l) => l.startsWith('Node 1: '));
    let i = 0;
    return text.split('\n').map((l) => (l.startsWith('Node 1: ') ? peers[i++] ?? l : l)).join('\n');
  };
  for (const [path, streams, modes] of FILES) {
    it(`prints each stream's application data as tshark does: ${path.slice(path.lastIndexOf('/') + 1)}`, async () => {
      const args = modes.flatMap((mode) => streams.map((n) => `follow,tls,${mode},${n}`));
      const text = await ours(path, ...args);
      // Something decrypted was shown: a request, as text, hex dump or raw hex.
      expect(text).toMatch(/GET |PRI |47 45 54|474554|505249/);
      expect(text).toBe(withPeer(theirs(path, ...args), text));
    });
  }

  it('with a key log file (-o tls.keylog_file), a range of records; without the secrets, nothing and no sides', async () => {
    const pcap = tls('tls13-aes128-http1.pcap');
    const keys = tls('tls13-aes128-http1.keys');
    const out = new StringSink(), err = new StringSink();
    await runStatTaps(pcap, [parseStatTap('follow,tls,ascii,0,2-3')], out, err, { tlsKeylogFile: keys });
    expect(out.text()).toContain('Node 0: 127.0.0.1:8443\nNode 1: 127.0.0.1:40076\n');
    expect(out.text()).toBe(withPeer(tsharkRaw(pcap, ['-o', `tls.keylog_file:${keys}`, '-q', '-z', 'follow,tls,ascii,0,2-3']).stdout, out.text()));
    const none = await ours(pcap, 'follow,tls,ascii,0');
    expect(none).toContain('Node 0: :0\nNode 1: :0\n');
    expect(none).toBe(theirs(pcap, 'follow,tls,ascii,0'));
  });
});

describe('read -z on the command line', () => {
  const bin = join(repoRoot, 'bin', 'synscope.cjs');
  const synscope = (args: string[], input?: Buffer) => spawnSync(process.execPath, [bin, 'read', ...args], { encoding: 'utf8', maxBuffer: 1 << 26, ...(input ? { input } : {}) });
  const FILE = corpusPath('pcapplusplus/three_http_streams.pcap');
  const tmp = mkdtempSync(join(tmpdir(), 'synscope-z-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints the packets, then the tables; -Y selects the packets, not what the tables count', () => {
    const r = synscope([FILE, '-Y', 'http', '-z', 'conv,tcp']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(tsharkRaw(FILE, ['-Y', 'http', '-z', 'conv,tcp']).stdout);
  });

  it('counts what the packets\' pass read: the first -c packets, the records -f keeps', () => {
    const path = corpusPath('pcapplusplus/many-protocols.pcap');
    const first = synscope([path, '-q', '-c', '300', '-z', 'conv,tcp', '-z', 'endpoints,ip']);
    expect(first.stdout).toBe(tsharkRaw(path, ['-q', '-c', '300', '-z', 'conv,tcp', '-z', 'endpoints,ip']).stdout);
    // -f as if the capture had been taken with it: tshark on the file tcpdump writes with the same expression.
    const kept = join(tmp, 'port80.pcap');
    execFileSync('tcpdump', ['-r', path, '-w', kept, 'tcp port 80'], { stdio: 'ignore' });
    const filtered = synscope([path, '-q', '-f', 'tcp port 80', '-z', 'conv,tcp', '-z', 'endpoints,ip']);
    expect(filtered.stdout).toBe(tsharkRaw(kept, ['-q', '-z', 'conv,tcp', '-z', 'endpoints,ip']).stdout);
    const follow = synscope([path, '-q', '-c', '10', '-z', 'follow,tcp,ascii,0']);
    expect(follow.status).toBe(1);
    expect(follow.stderr).toContain('-z follow,tcp follows the stream in the whole file: it does not go with -c or -f');
  });

  it('reads standard input once with -q, and says why it cannot without', () => {
    const bytes = readFileSync(FILE);
    const quiet = synscope(['-', '-q', '-z', 'endpoints,ip'], bytes);
    expect(quiet.stdout).toBe(theirs(FILE, 'endpoints,ip'));
    const loud = synscope(['-', '-z', 'endpoints,ip'], bytes);
    expect(loud.status).toBe(1);
    expect(loud.stderr).toContain('-z on standard input needs -q and no -w');
    const follow = synscope(['-', '-q', '-z', 'follow,tcp,ascii,1'], bytes);
    expect(follow.status).toBe(1);
    expect(follow.stderr).toContain('-z follow,tcp needs a capture file, not standard input');
  });

  it('refuses a table it does not have, and a table filter that does not compile', () => {
    const bad = synscope([FILE, '-q', '-z', 'io,stat,1']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('invalid -z argument "io,stat,1" (conv,tcp conv,udp endpoints,ip endpoints,ipv6 io,phs');
    const follow = synscope([FILE, '-q', '-z', 'follow,tcp,ascii,1.2.3.4:80,5.6.7.8:90']);
    expect(follow.status).toBe(1);
    expect(follow.stderr).toContain('follow,tcp|udp|tls,ascii|hex|raw,STREAM with tcp.stream\'s or udp.stream\'s number');
    const filter = synscope([FILE, '-q', '-z', 'conv,tcp,tcp.flgs == 1']);
    expect(filter.status).toBe(2);
    // The same message and marker as -Y's (tshark's).
    expect(filter.stderr).toBe('synscope: Left side of "==" expression must be a field or function, not tcp.flgs.\n    tcp.flgs == 1\n    ^~~~~~~~\n');
    expect(filter.stdout).toBe('');
  });
});
