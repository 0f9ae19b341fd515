// One filter bar for both languages (DESIGN.md "Filters"): an expression that compiles as a
// Wireshark display filter is one; otherwise it is tried as a tcpdump expression. When both
// fail, the display filter's error is the one shown (with the tcpdump error beside it).
// `equivalent` translates the simple, common forms between the two languages.
import { compileDisplayFilter, fieldSourceFromDissection, type DisplayFilter, type FieldSource, type FilterError } from './compile.js';
import { FilterSyntaxError } from './lexer.js';
import { parse, type Ast } from './parser.js';
import { compileTcpdump, type TcpdumpError, type TcpdumpFilter } from './tcpdump/compile.js';
import { TcpdumpSyntaxError } from './tcpdump/lexer.js';
import { parseTcpdump, type TdAst } from './tcpdump/parser.js';

export { compileDisplayFilter, fieldSourceFromDissection, compileTcpdump };
export type { DisplayFilter, FieldSource, FilterError, TcpdumpFilter, TcpdumpError };
export { filterFile, createMatcher, type AnyFilter, type PacketMatcher } from './apply.js';

export type FilterResult =
  | { ok: true; language: 'display'; filter: DisplayFilter }
  | { ok: true; language: 'tcpdump'; filter: TcpdumpFilter }
  | { ok: false; error: FilterError; tcpdumpError: TcpdumpError };

/** Display filter first, tcpdump expression second. */
export function compileFilter(text: string): FilterResult {
  const d = compileDisplayFilter(text);
  if (d.ok) return { ok: true, language: 'display', filter: d.filter };
  const t = compileTcpdump(text);
  if (t.ok) return { ok: true, language: 'tcpdump', filter: t.filter };
  return { ok: false, error: d.error, tcpdumpError: t.error };
}

/**
 * The same filter in the other language, where a simple mapping exists (`host 1.2.3.4` ⇄
 * `ip.addr == 1.2.3.4`, `port 53` ⇄ `tcp.port == 53 || udp.port == 53`, `tcp` ⇄ `tcp`, ...);
 * null otherwise. The mapping is approximate where the languages differ (tcpdump's `host`
 * also matches ARP; its `tcp[...]` loads have no display-filter twin).
 */
export function equivalent(text: string): { language: 'display' | 'tcpdump'; text: string } | null {
  const d = compileDisplayFilter(text);
  if (d.ok) {
    try {
      const out = displayToTcpdump(parse(text));
      return out === null ? null : { language: 'tcpdump', text: out };
    } catch (e) {
      if (e instanceof FilterSyntaxError) return null;
      throw e;
    }
  }
  try {
    const out = tcpdumpToDisplay(parseTcpdump(text));
    return out === null ? null : { language: 'display', text: out };
  } catch (e) {
    if (e instanceof TcpdumpSyntaxError) return null;
    throw e;
  }
}

const PROTO_D2T: Readonly<Record<string, string>> = { tcp: 'tcp', udp: 'udp', icmp: 'icmp', ip: 'ip', ipv6: 'ip6', arp: 'arp', icmpv6: 'icmp6', vlan: 'vlan', sctp: 'sctp', igmp: 'igmp' };
const PROTO_T2D: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(PROTO_D2T).map(([k, v]) => [v, k]));

function displayToTcpdump(a: Ast): string | null {
  const bin = (op: string, l: Ast, r: Ast): string | null => {
    const x = displayToTcpdump(l);
    const y = displayToTcpdump(r);
    return x === null || y === null ? null : `(${x} ${op} ${y})`;
  };
  switch (a.kind) {
    case 'and': return bin('and', a.left, a.right);
    case 'or': return bin('or', a.left, a.right);
    case 'not': {
      const x = displayToTcpdump(a.operand);
      return x === null ? null : `not ${x}`;
    }
    case 'group': return displayToTcpdump(a.expr);
    case 'word': return PROTO_D2T[a.text] ?? null;
    case 'cmp': {
      if (a.left.kind !== 'word' || a.right.kind !== 'word') return null;
      const f = a.left.text;
      const v = a.right.text;
      if (a.op === 'le' && f === 'frame.len') return `less ${v}`;
      if (a.op === 'ge' && f === 'frame.len') return `greater ${v}`;
      if (a.op !== 'any_eq') return null;
      const cidr = v.includes('/');
      const hostOrNet = cidr ? 'net' : 'host';
      switch (f) {
        case 'ip.addr': return `ip ${hostOrNet} ${v}`;
        case 'ip.src': return `ip src ${hostOrNet} ${v}`;
        case 'ip.dst': return `ip dst ${hostOrNet} ${v}`;
        case 'ipv6.addr': return `ip6 ${hostOrNet} ${v}`;
        case 'ipv6.src': return `ip6 src ${hostOrNet} ${v}`;
        case 'ipv6.dst': return `ip6 dst ${hostOrNet} ${v}`;
        case 'eth.addr': return `ether host ${v}`;
        case 'eth.src': return `ether src ${v}`;
        case 'eth.dst': return `ether dst ${v}`;
        case 'tcp.port': return `tcp port ${v}`;
        case 'tcp.srcport': return `tcp src port ${v}`;
        case 'tcp.dstport': return `tcp dst port ${v}`;
        case 'udp.port': return `udp port ${v}`;
        case 'udp.srcport': return `udp src port ${v}`;
        case 'udp.dstport': return `udp dst port ${v}`;
        case 'vlan.id': return `vlan ${v}`;
        case 'ip.proto': return `ip proto ${v}`;
        default: {
          const m = /^tcp\.flags\.(fin|syn|reset|push|ack|urg)$/.exec(f);
          if (m && (v === '1' || v === '0')) {
            const flag = { fin: 'tcp-fin', syn: 'tcp-syn', reset: 'tcp-rst', push: 'tcp-push', ack: 'tcp-ack', urg: 'tcp-urg' }[m[1] as 'fin'];
            return `tcp[tcpflags] & ${flag} ${v === '1' ? '!=' : '='} 0`;
          }
          return null;
        }
      }
    }
    default:
      return null;
  }
}

function tcpdumpToDisplay(a: TdAst): string | null {
  const bin = (op: string, l: TdAst, r: TdAst): string | null => {
    const x = tcpdumpToDisplay(l);
    const y = tcpdumpToDisplay(r);
    return x === null || y === null ? null : `(${x} ${op} ${y})`;
  };
  switch (a.k) {
    case 'and': return bin('&&', a.l, a.r);
    case 'or': return bin('||', a.l, a.r);
    case 'not': {
      const x = tcpdumpToDisplay(a.e);
      return x === null ? null : `!${x}`;
    }
    case 'proto': return PROTO_T2D[a.name] ?? null;
    case 'vlan': return a.id === undefined ? 'vlan' : `vlan.id == ${a.id}`;
    case 'less': return `frame.len <= ${a.n}`;
    case 'greater': return `frame.len >= ${a.n}`;
    // 802.11 frame control: Wireshark numbers a type/subtype as type << 4 | subtype.
    case 'wlanType':
      if (a.mask === 0x0c) return `wlan.fc.type == ${a.value >> 2}`;
      return `wlan.fc.type_subtype == 0x${(((a.value & 0x0c) << 2) | (a.value >> 4)).toString(16).padStart(4, '0')}`;
    case 'wlanDir': return `wlan.fc.ds == ${a.value}`;
    case 'prim': {
      const { proto, dir, type } = a.q;
      const v = a.id.kind === 'num' ? String(a.id.num) : a.id.value;
      const sides = (fields: [string, string, string]): string | null => {
        switch (dir ?? 'src or dst') {
          case 'src': return `${fields[0]} == ${v}`;
          case 'dst': return `${fields[1]} == ${v}`;
          case 'src and dst': return `(${fields[0]} == ${v} && ${fields[1]} == ${v})`;
          default: return `${fields[2]} == ${v}`;
        }
      };
      if (dir === 'ra' || dir === 'ta') return type === 'host' && a.id.kind === 'addr' ? `wlan.${dir} == ${v}` : null;
      if (dir?.startsWith('addr')) return null;
      if (type === 'host' || type === 'net') {
        if (a.mask) return null;
        if (proto === 'ether') return sides(['eth.src', 'eth.dst', 'eth.addr']);
        // tcpdump's 802.11 source and destination are Wireshark's SA and DA (wlan.addr is any address).
        if (proto === 'wlan') return a.id.kind !== 'addr' ? null : dir === 'src' ? `wlan.sa == ${v}` : dir === 'dst' ? `wlan.da == ${v}`
          : `(wlan.sa == ${v} ${dir === 'src and dst' ? '&&' : '||'} wlan.da == ${v})`;
        if (v.includes(':')) return sides(['ipv6.src', 'ipv6.dst', 'ipv6.addr']);
        if (type === 'net' && !v.includes('/')) return null;
        if (a.id.kind !== 'addr') return null;
        return sides(['ip.src', 'ip.dst', 'ip.addr']);
      }
      if (type === 'port' && a.id.kind === 'num') {
        const t = sides(['tcp.srcport', 'tcp.dstport', 'tcp.port']);
        const u = sides(['udp.srcport', 'udp.dstport', 'udp.port']);
        if (proto === 'tcp') return t;
        if (proto === 'udp') return u;
        return `(${t} || ${u})`;
      }
      if (type === 'proto' && a.id.kind === 'num' && proto === 'ip') return `ip.proto == ${v}`;
      return null;
    }
    default:
      return null;
  }
}
