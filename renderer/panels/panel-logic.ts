// What the statistics panels do with a click and how they order and show their numbers:
// a conversation filters to its stream, an endpoint to its address, an alert to its streams,
// an expert note to the packets that carry it; byte counts read like Wireshark's; tables sort
// by any column.
import type { ConversationRow, EndpointRow, ExpertRow, TcpAlert } from '../../app/session/contract.js';

export function conversationFilter(r: ConversationRow): string {
  return `${r.proto === 'TCP' ? 'tcp' : 'udp'}.stream == ${r.stream}`;
}

/** One end of a conversation, "addr:port", an IPv6 address in brackets (as `synscope tcp` writes a service). */
export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function endpointFilter(r: EndpointRow): string {
  return addressFilter(r.address);
}

/** The packets to or from an address: IPv4, IPv6 or MAC. */
function addressFilter(address: string): string {
  if (/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(address)) return `eth.addr == ${address}`;
  return `${address.includes(':') ? 'ipv6' : 'ip'}.addr == ${address}`;
}

/** A set of at most this many items and ranges; an alert with more stands for its service. */
const MAX_SET_ITEMS = 500;

/**
 * The packets of the connections an alert names: `tcp.stream in {3..2002, 2010}` (runs of
 * consecutive streams as ranges, items separated by commas as tshark 4.0 wants them). Listing
 * at most 50 streams, as this did, showed 50 of a refused alert's 2000 connections. An alert
 * whose streams do not fit in MAX_SET_ITEMS items shows its service's packets (or its hosts').
 */
export function alertFilter(a: TcpAlert): string {
  const streams = [...new Set(a.streams)].sort((x, y) => x - y);
  if (streams.length === 1) return `tcp.stream == ${streams[0]}`;
  const items: string[] = [];
  for (let i = 0; i < streams.length && items.length <= MAX_SET_ITEMS;) {
    let j = i;
    while (j + 1 < streams.length && streams[j + 1] === streams[j]! + 1) j++;
    items.push(j > i ? `${streams[i]}..${streams[j]}` : String(streams[i]));
    i = j + 1;
  }
  if (items.length > 0 && items.length <= MAX_SET_ITEMS) return `tcp.stream in {${items.join(', ')}}`;
  const svc = a.service ? /^\[?(.+?)\]?:(\d+)$/.exec(a.service) : null;
  if (svc) return `${addressFilter(svc[1]!)} && tcp.port == ${svc[2]}`;
  return a.hosts.map(addressFilter).join(' || ');
}

/** The packets with an expert note of this message (Wireshark's "Apply as Filter" in Expert Information). */
export function expertFilter(r: ExpertRow): string {
  return `_ws.expert.message == "${r.summary.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The severities most severe first, as Wireshark's Expert Information sorts them. */
export const EXPERT_SEVERITY_RANK: Readonly<Record<ExpertRow['severity'], number>> = { error: 0, warn: 1, note: 2, chat: 3, comment: 4 };
/** Their names as Wireshark's Expert Information shows them. */
export const EXPERT_SEVERITY_NAMES: Readonly<Record<ExpertRow['severity'], string>> = { error: 'Error', warn: 'Warning', note: 'Note', chat: 'Chat', comment: 'Comment' };

/** Wireshark's format_size (SI): "9156 bytes", "10 kB", "517 kB", "12 MB". */
export function sizeText(n: number): string {
  const units: Array<[number, string]> = [[1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  for (const [p, u] of units) if (n / p >= 10) return `${Math.floor(n / p)} ${u}`;
  return `${n} bytes`;
}

export type SortDir = 'asc' | 'desc';

/** A stable sort by one key (numbers numerically, text as text), ties kept in the given order. */
export function sortRows<T>(rows: readonly T[], key: (r: T) => number | string, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows.map((r, i) => [r, i] as const).sort((a, b) => {
    const x = key(a[0]), y = key(b[0]);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    return c !== 0 ? sign * c : a[1] - b[1];
  }).map(([r]) => r);
}

/** Top talkers: most packets first (the `tcpdump -nn | awk | sort | uniq -c | sort -rn` habit). */
export function topTalkers(rows: readonly EndpointRow[], by: 'packets' | 'bytes' = 'packets'): EndpointRow[] {
  return sortRows(rows, (r) => r[by], 'desc');
}
