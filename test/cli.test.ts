// The `synscope` command as a user runs it (bin/synscope.cjs, built by the global setup),
// compared with tshark where tshark has the same option.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath, repoRoot } from './helpers/corpus.js';
import { tsharkRaw } from './helpers/tshark.js';

function synscope(...args: string[]): { stdout: string; stderr: string; status: number } {
  return synscopeWithInput(undefined, ...args);
}

/** `synscope ARGS < input` */
function synscopeWithInput(input: Buffer | undefined, ...args: string[]): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'synscope.cjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...(input ? { input } : {}) });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

const tmp = mkdtempSync(join(tmpdir(), 'synscope-cli-'));
const PRINT_FLAGS = corpusPath('tcpdump/print-flags.pcap');

describe('synscope command', () => {
  it('prints help for the command and for read', () => {
    const main = synscope('--help');
    expect(main.status).toBe(0);
    expect(main.stdout).toContain('Usage: synscope COMMAND');
    const read = synscope('read', '--help');
    expect(read.status).toBe(0);
    expect(read.stdout).toContain('-T fields');
    expect(read.stdout).toContain('"offset"');
  });

  it('names a missing file with strerror wording and exits 2', () => {
    const r = synscope('read', join(tmp, 'nope.pcap'));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`synscope: cannot open ${join(tmp, 'nope.pcap')}: No such file or directory\n`);
  });

  it('says in one line when the -w file cannot be created, status 2', () => {
    const dir = join(tmp, 'no-such-dir');
    for (const args of [['-Y', 'tcp'], ['-f', 'tcp', '-F', 'pcap'], []]) {
      const r = synscope('read', PRINT_FLAGS, ...args, '-w', join(dir, 'out.pcapng'));
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`synscope: cannot write ${join(dir, 'out.pcapng')}: No such file or directory\n`);
    }
  });

  it('-w keeps every packet of pcapng files that declare an interface after packets (tshark reads the same frames)', () => {
    const frames = (file: string) => tsharkRaw(file, ['-T', 'fields', '-e', 'frame.interface_id', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len']).stdout;
    // (gopacket's test202 does too, across three sections: -w writes them as one section, so
    // its interface numbers change.)
    for (const rel of ['pcapplusplus/pcapng-example.pcapng', 'gopacket/le/test008.pcapng', 'gopacket/le/test100.pcapng', 'gopacket/be/test101.pcapng']) {
      const out = join(tmp, rel.replace(/\//g, '-'));
      const r = synscope('read', corpusPath(rel), '-w', out);
      expect(r.stderr, rel).toBe('');
      expect(r.status, rel).toBe(0);
      expect(frames(out), rel).toBe(frames(corpusPath(rel)));
    }
  });

  it('info gives the packet count and the first and last times capinfos gives', () => {
    for (const rel of ['zeek/http/get.pcap', 'tcpdump/print-flags.pcap', 'pcapplusplus/many-protocols.pcap']) {
      const [, count, start, end] = spawnSync('capinfos', ['-c', '-a', '-e', '-S', '-T', '-r', corpusPath(rel)], { encoding: 'utf8' }).stdout.trim().split('\t');
      const r = synscope('info', corpusPath(rel));
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Packets:          ${count}\n`);
      expect(r.stdout).toContain(`First packet:     ${start}000\n`);
      expect(r.stdout).toContain(`Last packet:      ${end}000\n`);
    }
    // Custom Blocks and Simple Packet Blocks carry no time: the first time is a packet's.
    expect(synscope('info', corpusPath('gopacket/be/test202.pcapng')).stdout).toContain('First packet:     1340954905.298858000\n');
  });

  it('-F pcap from a pcapng with two link types: the packets of one are written, a packet of the other is refused (as tshark)', () => {
    const mixed = corpusPath('gopacket/be/test202.pcapng');
    const out = join(tmp, 'eth-only.pcap');
    const ok = synscope('read', mixed, '-Y', 'eth', '-F', 'pcap', '-w', out);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const frames = (file: string, filter: string) => tsharkRaw(file, ['-Y', filter, '-T', 'fields', '-e', 'frame.len']).stdout;
    expect(frames(out, 'frame')).toBe(frames(mixed, 'eth'));
    const refused = synscope('read', mixed, '-F', 'pcap', '-w', join(tmp, 'all.pcap'));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('synscope: packet 4 has link type 0, and a pcap file holds one link type (1 here): write pcapng\n');
  });

  it('reads the capture from standard input when the file is - (tshark -r -, tcpdump -r -)', () => {
    const cut = join(tmp, 'cut-for-stdin.pcap');
    const whole = readFileSync(corpusPath('zeek/http/get.pcap'));
    writeFileSync(cut, whole.subarray(0, whole.length - 10));
    const gz = join(tmp, 'get.pcap.gz');
    writeFileSync(gz, gzipSync(whole));
    const cases: string[][] = [
      ['read', corpusPath('pcapplusplus/many-protocols.pcap')],
      ['read', corpusPath('gopacket/be/test202.pcapng')],
      ['read', gz],
      ['read', cut],
      ['read', corpusPath('zeek/http/get.pcap'), '-f', 'tcp', '-w', '-'],
      ['conv', corpusPath('pcapplusplus/many-protocols.pcap')],
      ['tcp', corpusPath('zeek/http/get.pcap'), '--json'],
      ['info', corpusPath('gopacket/be/test202.pcapng')],
    ];
    for (const [cmd, file, ...rest] of cases) {
      const fromFile = synscope(cmd!, file!, ...rest);
      const fromStdin = synscopeWithInput(readFileSync(file!), cmd!, '-', ...rest);
      expect(fromStdin.status, `${cmd} ${file}`).toBe(fromFile.status);
      expect(fromStdin.stdout, `${cmd} ${file}`).toBe(fromFile.stdout.replaceAll(file!, '-'));
      expect(fromStdin.stderr, `${cmd} ${file}`).toBe(fromFile.stderr.replaceAll(file!, '-'));
    }
  });

  it('-l passes each packet of a live feed on standard input on as it arrives: lines, or -w -', async () => {
    const file = corpusPath('zeek/http/get.pcap');
    const whole = readFileSync(file);
    // The file header and the first three packets (78 + 74 + 66 bytes, each after a 16-byte header).
    const firstPart = whole.subarray(0, 24 + 16 + 78 + 16 + 74 + 16 + 66);
    const cases: Array<{ args: string[]; shown: (out: Buffer) => boolean }> = [
      { args: [], shown: (out) => out.toString().split('\n').filter(Boolean).length === 3 },
      // pcap out of pcap in: the same bytes, so the first three packets are exactly firstPart.
      { args: ['-f', 'tcp', '-w', '-', '-F', 'pcap'], shown: (out) => out.equals(firstPart) },
      { args: ['-Y', 'tcp', '-w', '-', '-F', 'pcap'], shown: (out) => out.equals(firstPart) },
    ];
    for (const { args, shown } of cases) {
      const child = spawn(process.execPath, [join(repoRoot, 'bin', 'synscope.cjs'), 'read', '-', '-l', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      const parts: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => parts.push(b));
      child.stdin.write(firstPart);
      // The feed stays open: the three packets must come out before it ends.
      for (let waited = 0; !shown(Buffer.concat(parts)) && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(shown(Buffer.concat(parts)), args.join(' ')).toBe(true);
      child.stdin.end(whole.subarray(firstPart.length));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(status).toBe(0);
      const fromFile = spawnSync(process.execPath, [join(repoRoot, 'bin', 'synscope.cjs'), 'read', file, ...args]);
      expect(Buffer.concat(parts).equals(fromFile.stdout), args.join(' ')).toBe(true);
    }
  });

  it('rejects a file that is not a capture with status 2', () => {
    const r = synscope('read', corpusPath('pcapplusplus/file_heuristics/bogus-content.txt'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^synscope: .*isn't a capture file/);
    expect(r.stdout).toBe('');
  });

  it('lists invalid field names like tshark and exits 1', () => {
    const r = synscope('read', PRINT_FLAGS, '-T', 'fields', '-e', 'tcp.flgs', '-e', 'frame.number', '-e', 'ip.foo');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("synscope: Some fields aren't valid:\n\tip.foo\n\ttcp.flgs\n");
  });

  it('prints every packet of a cut-off file, then the error, status 2 (as tshark)', () => {
    const bytes = readFileSync(PRINT_FLAGS);
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 5));
    const ts = tsharkRaw(cut, ['-T', 'fields', '-e', 'frame.number']);
    const r = synscope('read', cut, '-T', 'fields', '-e', 'frame.number');
    expect(ts.status).toBe(2);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(ts.stdout);
    expect(r.stderr).toMatch(/^synscope: /);
  });

  it('-c stops after N packets', () => {
    const r = synscope('read', PRINT_FLAGS, '-c', '3');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('-x prints the same hex/ASCII dump as tshark -x, with the reassembled, de-chunked and uncompressed bytes under their names', () => {
    for (const f of ['tcpdump/print-flags.pcap', 'tcpdump/ipv6_jumbogram_1.pcap', 'zeek/pcapng-multi-interface.pcapng', 'zeek/http/pipelined-requests.pcap',
      'gopacket/test_loopback.pcap', 'pcapplusplus/ip4_fragments.pcap', 'pcapplusplus/ip6_fragments.pcap']) {
      const ts = tsharkRaw(corpusPath(f), ['-x']);
      expect(synscope('read', corpusPath(f), '-x').stdout).toBe(ts.stdout);
    }
  });

  it('-E header/separator/quote/occurrence/aggregator behave like tshark', () => {
    const f = corpusPath('zeek/pcapng-multi-interface.pcapng');
    const variants = [
      ['-E', 'header=y', '-E', 'separator=,', '-E', 'quote=d'],
      ['-E', 'separator=/s', '-E', 'occurrence=f', '-E', 'quote=s'],
      ['-E', 'occurrence=l'],
      ['-E', 'aggregator=/s', '-E', 'header=y'],
    ];
    const fields = ['-e', 'frame.number', '-e', 'frame.len', '-e', 'frame.time_relative', '-e', 'frame.time_delta', '-e', 'frame.time_epoch', '-e', '_ws.col.No.', '-e', '_ws.col.Time', '-e', '_ws.col.Length'];
    for (const v of variants) {
      const ts = tsharkRaw(f, ['-T', 'fields', ...v, ...fields]);
      expect(synscope('read', f, '-T', 'fields', ...v, ...fields).stdout, v.join(' ')).toBe(ts.stdout);
    }
  });

  it('-T json is a JSON array with offsets and lengths on every node', () => {
    const r = synscope('read', PRINT_FLAGS, '-T', 'json', '-c', '2');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as Array<{ _source: { layers: Record<string, { offset: number; length: number; fields?: object }> } }>;
    expect(doc).toHaveLength(2);
    const frame = doc[0]!._source.layers.frame!;
    expect(frame.offset).toBe(0);
    expect(frame.length).toBeTypeOf('number');
  });

  it('-V prints the tree with 4-space indentation', () => {
    const r = synscope('read', PRINT_FLAGS, '-V', '-c', '1');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Frame 1: 74 bytes on wire \(592 bits\), 74 bytes captured \(592 bits\)/);
    expect(lines.some((l) => l.startsWith('    ') && !l.startsWith('     '))).toBe(true);
  });
});
