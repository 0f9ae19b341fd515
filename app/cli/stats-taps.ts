// `synscope read -z ...`: tshark's statistics, in tshark's text, after the packets (alone with
// -q). The tables (conversations, endpoints) come from the pass `synscope conv` makes
// (countTables), one per distinct table filter, counting every packet whatever -Y shows, as
// tshark's taps do. Follow TCP and TLS Stream come from the session's followers (app/session/follow.ts,
// the ones the UI shows), Follow UDP Stream from a pass of its own (follow-udp.ts). tshark prints
// its -z outputs last to first; so does this.
import type { EndpointRow, FollowedStream } from '../session/contract.js';
import { Session } from '../session/session.js';
import { writeEndpointTable } from '../stats/endpoint-table.js';
import { ExpertTable, expertTapFieldIds, writeExpertTable } from '../stats/expert-table.js';
import type { DissectOptions } from '../dissect/driver.js';
import { writeConvTable } from '../tcp/conv-table.js';
import type { TcpdumpFilter } from '../filter/tcpdump/compile.js';
import { countTables, type CountedTables, type ObserveOptions } from '../tcp/report.js';
import type { ExpertTap, FollowTap, PhsTap, StatTap } from './args.js';
import { ProtocolHierarchy } from '../stats/protocol-hierarchy.js';
import { EXIT_FILTER } from './filters.js';
import { EXIT_OK } from './open-capture.js';
import { ASCII } from './output.js';
import type { Sink } from './sink.js';
import { guarded, observeFilter } from './tcp-commands.js';
import { dissectEach } from './dissect-each.js';
import { followUdpStreams } from './follow-udp.js';

type TableTap = Exclude<StatTap, FollowTap | ExpertTap | PhsTap>;
/** The taps that read each packet's dissection (one pass serves them all). */
type DissectionTap = ExpertTap | PhsTap;

/** What of the file the outputs see: the first `count` packets, those `capture` keeps (read's -c and -f). */
export interface TapScope {
  count?: number;
  capture?: TcpdumpFilter;
  /** read's -o tls.keylog_file: the expert notes of decrypted TLS count too. */
  tlsKeylogFile?: string;
}

/** Writes the outputs of `taps` for `file`. Returns the exit status (2: a bad filter, an unreadable or damaged file). */
export async function runStatTaps(file: string, taps: readonly StatTap[], out: Sink, err: Sink, scope: TapScope = {}): Promise<number> {
  const tables = taps.filter((t): t is TableTap => !isFollow(t) && t.table !== 'expert' && t.table !== 'io,phs');
  const dissecting = taps.filter((t): t is DissectionTap => t.table === 'expert' || t.table === 'io,phs');
  // Every filter compiled before any pass: a bad one is an error before any output.
  const passes = new Map<string | null, ObserveOptions>();
  for (const t of [...tables, ...dissecting]) {
    if (passes.has(t.filter)) continue;
    const f = observeFilter(t.filter ?? undefined);
    if (!f.ok) {
      err.write(f.error);
      return EXIT_FILTER;
    }
    passes.set(t.filter, f.opts);
  }
  return guarded(file, err, async (onError) => {
    const counted = new Map<string | null, CountedTables>();
    for (const [filter, opts] of passes) {
      if (!tables.some((t) => t.filter === filter)) continue;
      const endpoints = tables.some((t) => t.filter === filter && t.table.startsWith('endpoints'));
      counted.set(filter, await countTables(file, { ...opts, ...scope, onError }, endpoints));
    }
    const follows = taps.filter(isFollow);
    const followed = follows.some((t) => t.table !== 'follow,udp') ? await followStreams(file, follows, scope.tlsKeylogFile) : new Map<string, FollowedStream>();
    const udp = new Set(follows.filter((t) => t.table === 'follow,udp').map((t) => t.stream));
    if (udp.size > 0) for (const [n, f] of followUdpStreams(file, udp, onError)) followed.set(`follow,udp,${n}`, f);
    const dissected = dissecting.length > 0 ? dissectingPass(file, dissecting, passes, { ...scope, onError }) : [];
    const write = (s: string) => out.write(s);
    for (const t of [...taps].reverse()) {
      if (isFollow(t)) {
        writeFollow(t, followed.get(`${t.table},${t.stream}`) ?? null, write);
        continue;
      }
      if (t.table === 'expert' || t.table === 'io,phs') {
        const table = dissected[dissecting.indexOf(t)]!;
        if (table instanceof ProtocolHierarchy) write(table.text(t.filter));
        else writeExpertTable(table, write);
        continue;
      }
      const c = counted.get(t.filter)!;
      switch (t.table) {
        case 'conv,tcp': writeConvTable(c.conv.tcp, 'TCP', write, t.filter, false); break;
        case 'conv,udp': writeConvTable(c.conv.udp, 'UDP', write, t.filter, false); break;
        case 'endpoints,ip': writeEndpointTable(c.endpoints.filter((r) => !isIPv6(r)), 'IPv4', write, t.filter); break;
        case 'endpoints,ipv6': writeEndpointTable(c.endpoints.filter(isIPv6), 'IPv6', write, t.filter); break;
      }
    }
    return EXIT_OK;
  });
}

/**
 * What the expert and protocol hierarchy taps count, from one pass that dissects every packet in
 * frame order (as tshark's taps see them); a tap with a filter counts the packets it matches.
 */
function dissectingPass(file: string, taps: readonly DissectionTap[], filters: ReadonlyMap<string | null, ObserveOptions>, o: ObserveOptions & { tlsKeylogFile?: string }): Array<ExpertTable | ProtocolHierarchy> {
  const tables = taps.map((t) => (t.table === 'expert' ? new ExpertTable(t.lowest) : new ProtocolHierarchy()));
  const matchers = taps.map((t) => filters.get(t.filter)?.match ?? null);
  // The hierarchy is made of the tree's top-level items. The notes need no tree (a third of the
  // time), only the fields whose notes tshark's tap counts: they come as they do with the tree
  // (expert-tap.diff holds them to tshark's on the corpus).
  const wanted = new Set<number>(expertTapFieldIds());
  for (const t of taps) for (const id of filters.get(t.filter)?.wanted ?? []) wanted.add(id);
  const opts: DissectOptions = taps.some((t) => t.table === 'io,phs') ? { tree: true } : { tree: false, wanted };
  dissectEach(file, opts, o, (d, rec) => {
    tables.forEach((table, i) => {
      const match = matchers[i];
      if (match && !match(d)) return;
      if (table instanceof ProtocolHierarchy) table.count(d.roots, rec.origLen);
      else for (const note of d.expert) table.count(note, d.frame.number);
    });
  });
  return tables;
}

function isIPv6(r: EndpointRow): boolean {
  return r.address.includes(':');
}

function isFollow(t: StatTap): t is FollowTap {
  return t.table === 'follow,tcp' || t.table === 'follow,udp' || t.table === 'follow,tls';
}

/** The followed streams by "follow,tcp,N" (absent: no such tcp.stream), through a session of the file. */
async function followStreams(file: string, follows: readonly FollowTap[], tlsKeylogFile: string | undefined): Promise<Map<string, FollowedStream>> {
  const session = new Session();
  const out = new Map<string, FollowedStream>();
  try {
    await session.handle('file.open', { path: file });
    if (tlsKeylogFile && follows.some((t) => t.table === 'follow,tls')) await session.handle('tls.keylog', { path: tlsKeylogFile });
    for (const t of follows) {
      const key = `${t.table},${t.stream}`;
      if (out.has(key) || t.table === 'follow,udp') continue;
      try {
        out.set(key, await session.handle(t.table === 'follow,tls' ? 'tls.follow' : 'tcp.follow', { stream: t.stream }));
      } catch {
        // No such stream: tshark prints the header with empty nodes.
      }
    }
  } finally {
    await session.dispose();
  }
  return out;
}

const SEPARATOR = '='.repeat(67);

/**
 * One Follow TCP (or TLS) Stream as `tshark -q -z follow,tcp,MODE,N[,RANGE]` prints it. For TLS,
 * Node 0 is the side of the first record decrypted (tshark's tap takes its address from there)
 * and the other side's records are the indented ones; Node 1 is the peer, where tshark 4.0
 * prints ":0" (docs/tshark-differences.md).
 */
export function writeFollow(t: FollowTap, f: FollowedStream | null, write: (s: string) => void): void {
  const node0 = f?.firstDecrypted ?? 'client';
  // Nothing decrypted: no sides (tshark's tap never saw a packet), as for a stream not there.
  const [first, second] = t.table === 'follow,tls' && !f?.firstDecrypted ? [undefined, undefined]
    : node0 === 'client' ? [f?.client, f?.server] : [f?.server, f?.client];
  const proto = t.table.slice('follow,'.length);
  let out = `\n${SEPARATOR}\nFollow: ${proto},${t.mode}\nFilter: ${proto === 'udp' ? 'udp' : 'tcp'}.stream eq ${t.stream}\nNode 0: ${nodeText(first)}\nNode 1: ${nodeText(second)}\n`;
  // The hex dump's offsets count each side's bytes, shown or not.
  const pos = { client: 0, server: 0 };
  (f?.chunks ?? []).forEach((c, i) => {
    const bytes = Buffer.from(c.bytes, 'base64');
    const server = c.from !== node0;
    const chunk = i + 1;
    if (chunk >= t.firstChunk && chunk <= t.lastChunk) {
      const tab = server ? '\t' : '';
      if (t.mode === 'ascii') out += `${tab}${bytes.length}\n${asciiText(bytes)}\n`;
      else if (t.mode === 'raw') out += `${tab}${bytes.toString('hex')}\n`;
      else out += hexLines(bytes, pos[c.from], tab);
    }
    pos[c.from] += bytes.length;
  });
  write(`${out}${SEPARATOR}\n`);
}

/** "addr:port", an IPv6 address in brackets; ":0" when there is no such stream (as tshark). */
function nodeText(node: string | undefined): string {
  if (node === undefined) return ':0';
  const at = node.lastIndexOf(':');
  const addr = node.slice(0, at);
  return addr.includes(':') ? `[${addr}]${node.slice(at)}` : node;
}

/** Printable ASCII, CR and LF as they are; any other byte as '.'. */
function asciiText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b === 0x0a || b === 0x0d ? String.fromCharCode(b) : ASCII[b];
  return s;
}

/** 16 bytes a line: an 8-digit offset, the hex in two groups of 8, the ASCII in two groups. */
function hexLines(bytes: Uint8Array, offset: number, prefix: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 16) {
    const line = bytes.subarray(i, i + 16);
    let hex = '', ascii = '';
    line.forEach((b, k) => {
      hex += `${b.toString(16).padStart(2, '0')} ${k === 7 ? ' ' : ''}`;
      ascii += ASCII[b]! + (k === 7 ? ' ' : '');
    });
    // tshark drops one space at the end of the line, the group's or the data's own.
    if (ascii.endsWith(' ')) ascii = ascii.slice(0, -1);
    out += `${prefix}${(offset + i).toString(16).toUpperCase().padStart(8, '0')}  ${hex.padEnd(50)}${ascii}\n`;
  }
  return out;
}
