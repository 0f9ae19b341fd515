// Differential test of the application-layer dissectors (dns/mdns/llmnr, http, tls, dhcp, ntp)
// against tshark 4.0 run live, over every corpus file whose MANIFEST notes list one of them.
// Fields are compared on every packet; the Protocol and Info columns only on packets whose top
// protocol (tshark's column) is one of ours. Per file at least 99.5% of the compared values must
// be equal, except (file, field) pairs that docs/tshark-differences.md lists with a reason
// (section "Application protocols"). Mismatches are printed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../../cli/args.js';
import { runRead } from '../../cli/read.js';
import { StringSink } from '../../cli/sink.js';
import { corpusDir, corpusPath, repoRoot } from '../../../test/helpers/corpus.js';
import { tsharkCorpusFields } from '../../../test/helpers/corpus-fields.js';
import { FIELDS_ARGS, parseFieldsOutput } from '../../../test/helpers/tshark.js';

const FIELDS = [
  'dns.id', 'dns.qry.name', 'dns.qry.type', 'dns.a', 'dns.aaaa', 'dns.flags.rcode', 'dns.count.answers',
  'http.request.method', 'http.request.uri', 'http.host', 'http.response.code',
  'tls.handshake.type', 'tls.handshake.extensions_server_name', 'tls.record.content_type',
  'dhcp.option.dhcp', 'ntp.stratum', 'ntp.flags.mode',
] as const;
const COLUMNS = ['_ws.col.Protocol', '_ws.col.Info'] as const;
const ALL = [...FIELDS, ...COLUMNS];

const OUR_PROTOCOLS = /^(dns|mdns|llmnr|http|tls|dhcp|ntp)$/;
/** tshark Protocol column values that mean "the top protocol is one of ours". */
const OUR_COLUMNS = /^(DNS|MDNS|LLMNR|HTTP|HTTP\/JSON|HTTP\/XML|TLSv1(\.[123])?|SSLv[23]|DHCP|BOOTP|NTP)$/;
const MIN_EQUAL = 0.995;
/** tshark fails part way through these (see the corpus README): compare what both read. */
const TSHARK_PARTIAL = new Set(['gopacket/le/test901.pcapng']);

function applicationFiles(): string[] {
  const manifest = readFileSync(join(corpusDir(), 'MANIFEST.tsv'), 'utf8').split('\n').slice(1);
  const out: string[] = [];
  for (const line of manifest) {
    const cols = line.split('\t');
    const list = (/tshark protocols: ([^|\s]+)/.exec(cols[7] ?? '')?.[1] ?? '').split(',');
    if (list.some((p) => OUR_PROTOCOLS.test(p))) out.push(cols[0]!);
  }
  return out.filter((f) => /\.(pcap|pcapng|cap)(\.gz|\.zst)?$/.test(f));
}

interface Exception {
  file: RegExp;
  field: string;
}

/** File rows of docs/tshark-differences.md: | `file glob` | `field[,field]` | reason | */
function loadExceptions(): Exception[] {
  let text = '';
  try {
    text = readFileSync(join(repoRoot, 'docs', 'tshark-differences.md'), 'utf8');
  } catch {
    return [];
  }
  const out: Exception[] = [];
  for (const line of text.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|/.exec(line);
    if (!m) continue;
    const re = new RegExp('^' + m[1]!.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    for (const field of m[2]!.split(',')) out.push({ file: re, field: field.trim() });
  }
  return out;
}

async function synscopeFields(file: string): Promise<string[][]> {
  const o = parseReadArgs([file, ...FIELDS_ARGS, ...ALL.flatMap((f) => ['-e', f])]);
  const out = new StringSink();
  const err = new StringSink();
  await runRead(o, out, err);
  return parseFieldsOutput(out.text(), ALL.length);
}

const summary: string[] = [];

describe('application protocols against tshark', () => {
  const exceptions = loadExceptions();
  it.each(applicationFiles())('%s', async (rel) => {
    const path = corpusPath(rel);
    const ts = tsharkCorpusFields(path, ALL).rows;
    const ours = await synscopeFields(path);
    const n = TSHARK_PARTIAL.has(rel) ? Math.min(ts.length, ours.length) : Math.max(ts.length, ours.length);
    let cells = 0, bad = 0, excused = 0;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = ours[i], b = ts[i];
      const top = b ? OUR_COLUMNS.test(b[FIELDS.length]!) : false;
      ALL.forEach((field, j) => {
        if (j >= FIELDS.length && !top) return;
        cells++;
        const va = a ? a[j]! : '<no packet>';
        const vb = b ? b[j]! : '<no packet>';
        if (va === vb) return;
        if (exceptions.some((e) => e.field === field && e.file.test(rel))) {
          excused++;
          return;
        }
        bad++;
        if (lines.length < 8) lines.push(`  frame ${i + 1} ${field}: ours=${JSON.stringify(va)} tshark=${JSON.stringify(vb)}`);
      });
    }
    const equal = cells ? (cells - bad) / cells : 1;
    summary.push(`${(100 * equal).toFixed(2).padStart(6)}%  ${String(bad).padStart(4)} differ ${String(excused).padStart(4)} excused ${String(cells).padStart(6)} values  ${rel}`);
    if (lines.length) console.log(`${rel}:\n${lines.join('\n')}`);
    expect(equal, `${rel}: ${bad}/${cells} values differ\n${lines.join('\n')}`).toBeGreaterThanOrEqual(MIN_EQUAL);
  });

  afterAll(() => {
    console.log(['application protocols vs tshark (% equal, differing, excused, values, file):', ...summary.sort((x, y) => x.slice(40).localeCompare(y.slice(40)))].join('\n'));
  });
});
