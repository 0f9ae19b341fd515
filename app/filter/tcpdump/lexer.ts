// tcpdump (pcap-filter(7)) scanner, after libpcap's scanner.l: keywords, numbers (decimal,
// 0x hex, 0 octal), addresses (IPv4 and its short forms, IPv6, MAC in `:`, `-`, `.` forms, with
// an optional /len), names (hosts, ports, `tcp-syn`, `1-1024` port ranges), `\name` escapes,
// and the arithmetic / relational operators. Spans are [start, end) characters. Pure function.

export type TdKind = 'kw' | 'num' | 'id' | 'addr' | 'op' | 'eof';

export interface TdToken {
  kind: TdKind;
  /** Keyword/op text, id text (without a leading backslash), or address text. */
  value: string;
  start: number;
  end: number;
  num?: number;
}

export class TcpdumpSyntaxError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
    this.name = 'TcpdumpSyntaxError';
  }
}

/** libpcap's message for anything its grammar rejects. */
export const MSG_SYNTAX = 'syntax error';

/**
 * The protocol names: qualifiers (`ip host`, `ether src`), loads (`tcp[13]`) and primitives of
 * their own (`stp`, `llc`); the link-layer ones from `decnet` on are compile.ts's protoAbbrev.
 */
export const PROTOCOL_NAMES: readonly string[] = [
  'link', 'ether', 'fddi', 'tr', 'wlan', 'ppp', 'slip', 'arp', 'rarp', 'ip', 'ip6', 'sctp', 'tcp', 'udp', 'icmp', 'icmp6', 'igmp', 'igrp',
  'pim', 'vrrp', 'carp', 'ah', 'esp', 'radio',
  'iso', 'netbeui', 'ipx', 'stp', 'clnp', 'esis', 'isis', 'llc', 'decnet', 'lat', 'sca', 'moprc', 'mopdl', 'atalk', 'aarp', 'pppoed',
];

export const KEYWORDS = new Set([
  'dst', 'src', 'host', 'gateway', 'net', 'mask', 'port', 'portrange', 'less', 'greater', 'proto', 'protochain',
  'broadcast', 'multicast', 'vlan', 'mpls', 'len', 'and', 'or', 'not', 'inbound', 'outbound', 'ifindex', 'pppoes',
  // 802.11 (wlan.ts)
  'type', 'subtype', 'dir', 'direction', 'addr1', 'addr2', 'addr3', 'addr4', 'address1', 'address2', 'address3', 'address4', 'ra', 'ta',
  ...PROTOCOL_NAMES,
]);

const OPS = ['&&', '||', '<<', '>>', '<=', '>=', '==', '!=', '(', ')', '[', ']', ':', '+', '-', '*', '/', '%', '&', '|', '^', '<', '>', '=', '!'];

export function lexTcpdump(text: string): TdToken[] {
  const out: TdToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '\\') {
      // `\tcp`: the name, not the keyword (pcap-filter(7): "ip proto \tcp").
      i++;
      while (i < n && /[A-Za-z0-9_.\-]/.test(text[i]!)) i++;
      out.push({ kind: 'id', value: text.slice(start + 1, i), start, end: i });
      continue;
    }
    if (/[A-Za-z0-9_]/.test(c) || (c === ':' && text[i + 1] === ':')) {
      // The longest run of word characters; classify it like scanner.l does.
      while (i < n && /[A-Za-z0-9_.:\-/]/.test(text[i]!)) i++;
      // A name cannot end in '-' or '/'; leave those to the operators.
      while (i > start + 1 && /[-/]/.test(text[i - 1]!)) i--;
      let w = text.slice(start, i);
      // ':' belongs to IPv6 and MAC addresses only (`ip[6:2]` is a slice).
      if (w.includes(':') && !/^([0-9A-Fa-f]{1,2}:){5}[0-9A-Fa-f]{1,2}$/.test(w) && !isIPv6Text(w)) {
        i = start;
        while (i < n && /[A-Za-z0-9_.\-/]/.test(text[i]!)) i++;
        while (i > start + 1 && /[-/]/.test(text[i - 1]!)) i--;
        if (i === start) throw new TcpdumpSyntaxError(MSG_SYNTAX, start, start + 1);
        w = text.slice(start, i);
      }
      if (/^(0x[0-9A-Fa-f]+|[0-9]+)$/.test(w)) {
        const v = /^0x/i.test(w) ? parseInt(w, 16) : /^0[0-7]+$/.test(w) ? parseInt(w, 8) : parseInt(w, 10);
        out.push({ kind: 'num', value: w, start, end: i, num: v });
        continue;
      }
      if (/^[0-9]+(\.[0-9]+){1,3}(\/[0-9]+)?$/.test(w) || w.includes(':') || /^([0-9A-Fa-f]{1,2}[-.]){5}[0-9A-Fa-f]{1,2}$/.test(w) || /^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/.test(w)) {
        out.push({ kind: 'addr', value: w, start, end: i });
        continue;
      }
      // A name: `tcp-syn`, `www.example.com`, `1-1024`. A trailing `.` is not part of it.
      while (w.endsWith('.')) {
        w = w.slice(0, -1);
        i--;
      }
      out.push({ kind: KEYWORDS.has(w) ? 'kw' : 'id', value: w, start, end: i });
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new TcpdumpSyntaxError(MSG_SYNTAX, i, i + 1);
    out.push({ kind: 'op', value: op, start: i, end: i + op.length });
    i += op.length;
  }
  out.push({ kind: 'eof', value: '', start: n, end: n });
  return out;
}

/** Whether a word is an IPv6 address (optionally with /len), as scanner.l's V6 patterns. */
function isIPv6Text(w: string): boolean {
  const [a, len] = w.split('/', 2) as [string, string | undefined];
  if (len !== undefined && !/^\d+$/.test(len)) return false;
  const halves = a.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string): number | null => {
    if (h === '') return 0;
    const parts = h.split(':');
    let count = 0;
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k]!;
      if (k === parts.length - 1 && /^\d+\.\d+\.\d+\.\d+$/.test(p)) count += 2;
      else if (/^[0-9A-Fa-f]{1,4}$/.test(p)) count += 1;
      else return null;
    }
    return count;
  };
  const x = groups(halves[0]!);
  const y = halves.length === 2 ? groups(halves[1]!) : 0;
  if (x === null || y === null) return false;
  return halves.length === 2 ? x + y <= 7 : x === 8;
}
