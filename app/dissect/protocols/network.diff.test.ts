// Differential test of the link- and network-layer dissectors (eth, llc, vlan, sll, raw, null,
// ipv4, ipv6, arp, icmp, icmpv6) against tshark 4.0 run live, over every corpus capture whose
// MANIFEST notes list one of those protocols. SynScope runs the real pipeline (app/file reader
// -> driver -> `-T fields` printer, in process, as `synscope read`); tshark runs with its
// defaults (IP reassembly on: where that changes a value, docs/tshark-differences.md says so).
//
// Per file at least 99.5% of the compared (packet, field) values must equal tshark's, after the
// (file, field) pairs excused in docs/tshark-differences.md. The Protocol and Info columns are
// compared only on packets whose top layer is ours (tshark's frame.protocols, ignoring a
// trailing `data`, ends in one of NETWORK_LAYERS, or it has icmp/icmpv6 at all: their Info
// stays theirs even when a quoted packet follows); frame.protocols up to the first layer above
// ours (networkPrefix). Every difference goes to
// test-results/network-diff.txt; the summary is printed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../../cli/args.js';
import { runRead } from '../../cli/read.js';
import { StringSink } from '../../cli/sink.js';
import { corpusDir, corpusPath, repoRoot } from '../../../test/helpers/corpus.js';
import { excuse, loadExceptions } from '../../../test/helpers/tshark-differences.js';
import { tsharkCorpusFields } from '../../../test/helpers/corpus-fields.js';
import { FIELDS_ARGS, parseFieldsOutput } from '../../../test/helpers/tshark.js';

const FIELDS = [
  'frame.protocols', 'eth.src', 'eth.dst', 'eth.type', 'vlan.id', 'arp.opcode', 'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4', 'ip.src', 'ip.dst', 'ip.ttl', 'ip.id', 'ip.flags', 'ip.frag_offset', 'ip.proto',
  'ip.len', 'ip.hdr_len', 'ip.dsfield', 'ip.checksum', 'ipv6.src', 'ipv6.dst', 'ipv6.nxt', 'ipv6.hlim',
  'ipv6.plen', 'ipv6.flow', 'icmp.type', 'icmp.code', 'icmp.seq', 'icmp.ident', 'icmpv6.type',
  'icmpv6.code',
  // Beyond the brief's list: more of each layer, so a regression anywhere in a header shows.
  'arp.src.hw_mac', 'arp.dst.hw_mac', 'vlan.priority', 'vlan.dei', 'vlan.etype', 'eth.padding', 'eth.trailer', 'eth.fcs',
  'ip.flags.df', 'ip.flags.mf', 'ip.checksum.status', 'ipv6.tclass', 'ipv6.fraghdr.offset', 'ipv6.fraghdr.ident',
  'ipv6.routing.type', 'icmp.checksum.status', 'icmp.resp_to', 'icmpv6.checksum.status',
  'icmpv6.nd.ns.target_address', 'icmpv6.opt.type', 'sll.pkttype', 'sll.ltype', 'sll.etype', 'null.family',
] as const;
const COLUMNS = ['_ws.col.Protocol', '_ws.col.Info'] as const;
const ALL = [...FIELDS, ...COLUMNS];
const PROTOCOLS = 0;

/** Layers this area dissects (frame.protocols names). */
const NETWORK_LAYERS = new Set([
  'eth', 'ethertype', 'llc', 'vlan', 'ieee8021ad', 'sll', 'raw', 'null', 'ip', 'ipv6', 'ipv6.hopopts',
  'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts', 'arp', 'icmp', 'icmpv6',
]);

const MAX_MISMATCH_RATE = 0.005;
const MANIFEST_PROTOCOLS = /tshark protocols:.*\b(eth|sll|ip|ipv6|arp|icmp|icmpv6|vlan)\b/;

function networkFiles(): string[] {
  const manifest = readFileSync(join(corpusDir(), 'MANIFEST.tsv'), 'utf8').split('\n').slice(1);
  return manifest
    .map((l) => l.split('\t'))
    .filter((c) => c.length >= 8 && MANIFEST_PROTOCOLS.test(c[7]!))
    .map((c) => c[0]!)
    .filter((f) => f !== 'tcpdump/dsa.pcap') // tshark cannot read it (corpus README)
    .sort();
}

async function synscopeFields(file: string): Promise<{ rows: string[][]; status: number }> {
  const o = parseReadArgs([file, ...FIELDS_ARGS, ...ALL.flatMap((f) => ['-e', f])]);
  const out = new StringSink();
  const status = await runRead(o, out, new StringSink());
  return { rows: parseFieldsOutput(out.text(), ALL.length), status };
}

/**
 * frame.protocols up to and including the first layer above ours (`eth:ethertype:ip:udp`), so
 * that a protocol SynScope does not dissect above UDP/TCP is not counted here, while the
 * hand-off from the network layer (which table entry, `data` for fragments) still is.
 */
function networkPrefix(protocols: string): string {
  const layers = protocols.split(':');
  const i = layers.findIndex((l) => !NETWORK_LAYERS.has(l));
  return (i < 0 ? layers : layers.slice(0, i + 1)).join(':');
}

/** Whether the Protocol/Info columns of this packet are the network layers' to set. */
function topLayerIsOurs(protocols: string): boolean {
  const layers = protocols.split(':').filter((l) => l !== 'data' && l !== '_ws.malformed' && l !== '_ws.short');
  if (layers.includes('icmp') || layers.includes('icmpv6')) return true;
  return layers.length > 0 && NETWORK_LAYERS.has(layers[layers.length - 1]!);
}

interface FileResult { file: string; compared: number; differ: number; excused: number; lines: string[] }
const results: FileResult[] = [];
const perField = new Map<string, { compared: number; differ: number }>();

describe('link and network layers against tshark -T fields', () => {
  const exceptions = loadExceptions();
  it.each(networkFiles())('%s', async (rel) => {
    const path = corpusPath(rel);
    const ts = tsharkCorpusFields(path, ALL);
    const ours = await synscopeFields(path);
    const r: FileResult = { file: rel, compared: 0, differ: 0, excused: 0, lines: [] };
    const n = Math.max(ts.rows.length, ours.rows.length);
    for (let i = 0; i < n; i++) {
      const a = ours.rows[i], b = ts.rows[i];
      const columnsToo = b ? topLayerIsOurs(b[PROTOCOLS]!) : true;
      ALL.forEach((field, j) => {
        if (j >= FIELDS.length && !columnsToo) return;
        let va = a ? a[j]! : '<no packet>', vb = b ? b[j]! : '<no packet>';
        if (j === PROTOCOLS) { va = networkPrefix(va); vb = networkPrefix(vb); }
        r.compared++;
        let pf = perField.get(field);
        if (!pf) perField.set(field, (pf = { compared: 0, differ: 0 }));
        pf.compared++;
        if (va === vb) return;
        pf.differ++;
        const excused = excuse(exceptions, rel, field, b ? b[PROTOCOLS]! : '') !== undefined;
        if (excused) r.excused++;
        else r.differ++;
        r.lines.push(`${rel}\tframe ${i + 1}\t${field}\t${excused ? 'excused' : 'MISMATCH'}\tours=${JSON.stringify(va)}\ttshark=${JSON.stringify(vb)}`);
      });
    }
    results.push(r);
    const rate = r.compared ? r.differ / r.compared : 0;
    if (rate > MAX_MISMATCH_RATE) {
      expect.fail(`${rel}: ${r.differ}/${r.compared} values differ from tshark (${(rate * 100).toFixed(2)}%):\n` +
        r.lines.filter((l) => l.includes('\tMISMATCH\t')).slice(0, 12).join('\n'));
    }
  });

  afterAll(() => {
    results.sort((a, b) => a.file.localeCompare(b.file));
    const total = results.reduce((s, r) => s + r.compared, 0);
    const bad = results.reduce((s, r) => s + r.differ, 0);
    const exc = results.reduce((s, r) => s + r.excused, 0);
    const summary = results.map((r) => `${(r.compared ? (100 * (r.compared - r.differ)) / r.compared : 100).toFixed(2).padStart(6)}%  ${String(r.differ).padStart(4)} differ  ${String(r.excused).padStart(4)} excused  ${String(r.compared).padStart(6)} values  ${r.file}`);
    const fields = [...perField].map(([f, t]) => `${f}: ${t.compared - t.differ}/${t.compared} equal`);
    const dir = join(repoRoot, 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'network-diff.txt'), [...summary, '', ...fields, '', ...results.flatMap((r) => r.lines)].join('\n') + '\n');
    const printed = [`network diff: ${results.length} files, ${total} values, ${bad} differ, ${exc} excused (${((100 * (total - bad)) / Math.max(1, total)).toFixed(3)}% equal); list in test-results/network-diff.txt`];
    for (const r of results) {
      if (r.lines.length === 0) continue;
      printed.push(summary[results.indexOf(r)]!);
      for (const l of r.lines.slice(0, 3)) printed.push('    ' + l);
    }
    printed.push(...fields.map((f) => '  ' + f));
    console.log(printed.join('\n'));
  });
});
