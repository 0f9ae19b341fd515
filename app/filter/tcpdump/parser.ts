// tcpdump expression grammar (libpcap grammar.y, pcap-filter(7)): tokens -> AST with spans.
// `and` and `or` have equal precedence and group left to right; `not` binds tightest. A bare
// id after `and`/`or` inherits the qualifiers of the primitive before it (`port 80 or 443`,
// `host a and b`). `(` opens either an arithmetic group or a boolean one: the parser tries a
// relation (`(tcp[13] & 3) != 0`) first and backtracks. Pure function.
import { lexTcpdump, MSG_SYNTAX, PROTOCOL_NAMES, TcpdumpSyntaxError, type TdToken } from './lexer.js';
import { WLAN_SUBTYPE_MASK, WLAN_TYPE_MASK, wlanDir, wlanSubtype, wlanType, wlanTypeSubtype, type WlanDir } from './wlan.js';

export interface TdSpan {
  start: number;
  end: number;
}

export type Dir = 'src' | 'dst' | 'src or dst' | 'src and dst' | WlanDir;

export interface Qualifiers {
  proto?: string;
  dir?: Dir;
  type?: 'host' | 'net' | 'port' | 'portrange' | 'proto' | 'protochain' | 'gateway';
}

export type TdArith =
  | (TdSpan & { k: 'num'; v: number })
  | (TdSpan & { k: 'len' })
  | (TdSpan & { k: 'load'; proto: string; index: TdArith; size: number })
  | (TdSpan & { k: 'bin'; op: string; l: TdArith; r: TdArith })
  | (TdSpan & { k: 'neg'; e: TdArith });

export type TdAst =
  | (TdSpan & { k: 'and' | 'or'; l: TdAst; r: TdAst })
  | (TdSpan & { k: 'not'; e: TdAst })
  | (TdSpan & { k: 'prim'; q: Qualifiers; id: TdToken; mask?: TdToken })
  | (TdSpan & { k: 'proto'; name: string })
  | (TdSpan & { k: 'vlan' | 'mpls'; id?: number })
  | (TdSpan & { k: 'less' | 'greater'; n: number })
  | (TdSpan & { k: 'broadcast' | 'multicast'; proto?: string })
  | (TdSpan & { k: 'rel'; op: string; l: TdArith; r: TdArith })
  /** 802.11 frame control: (byte 0 & mask) == value (`type`, `subtype`), (byte 1 & 3) == value (`dir`). */
  | (TdSpan & { k: 'wlanType'; value: number; mask: number })
  | (TdSpan & { k: 'wlanDir'; value: number })
  /** The direction a Linux cooked capture recorded (`inbound`, `outbound`), or the interface (`ifindex N`). */
  | (TdSpan & { k: 'inbound' | 'outbound' })
  | (TdSpan & { k: 'ifindex'; n: number })
  /** PPPoE session traffic (and its session ID); what follows is PPP's. */
  | (TdSpan & { k: 'pppoes'; id?: number })
  /** An 802.2 frame of a format (`llc i`, `llc s`, `llc u`) or a command (`llc ui`): control byte & mask == value. */
  | (TdSpan & { k: 'llcControl'; mask: number; value: number });

export const PROTO_KW: ReadonlySet<string> = new Set(PROTOCOL_NAMES);
const TYPE_KW = new Set(['host', 'net', 'port', 'portrange', 'proto', 'protochain', 'gateway']);
/** The 802.11 direction qualifiers, with their long spellings. */
const WLAN_DIRS: Readonly<Record<string, WlanDir>> = {
  addr1: 'addr1', addr2: 'addr2', addr3: 'addr3', addr4: 'addr4', address1: 'addr1', address2: 'addr2', address3: 'addr3', address4: 'addr4', ra: 'ra', ta: 'ta',
};
/**
 * `llc NAME`: the control byte's mask and value for each format (I, S, U) and command (grammar.y's
 * llc_s_subtypes and llc_u_subtypes).
 */
const LLC_CONTROLS: Readonly<Record<string, readonly [number, number]>> = {
  i: [0x01, 0x00], s: [0x03, 0x01], u: [0x03, 0x03],
  rr: [0x0f, 0x01], rnr: [0x0f, 0x05], rej: [0x0f, 0x09],
  ui: [0xef, 0x03], ua: [0xef, 0x63], disc: [0xef, 0x43], dm: [0xef, 0x0f], sabme: [0xef, 0x6f], test: [0xef, 0xe3], xid: [0xef, 0xaf], frmr: [0xef, 0x87],
};
const RELOPS = new Set(['>', '<', '>=', '<=', '=', '==', '!=']);

/** Named constants usable in arithmetic (pcap-filter(7)). */
export const NAMED_CONSTANTS: Readonly<Record<string, number>> = {
  tcpflags: 13, 'tcp-fin': 0x01, 'tcp-syn': 0x02, 'tcp-rst': 0x04, 'tcp-push': 0x08, 'tcp-ack': 0x10, 'tcp-urg': 0x20, 'tcp-ece': 0x40, 'tcp-cwr': 0x80,
  icmptype: 0, icmpcode: 1,
  'icmp-echoreply': 0, 'icmp-unreach': 3, 'icmp-sourcequench': 4, 'icmp-redirect': 5, 'icmp-echo': 8, 'icmp-routeradvert': 9,
  'icmp-routersolicit': 10, 'icmp-timxceed': 11, 'icmp-paramprob': 12, 'icmp-tstamp': 13, 'icmp-tstampreply': 14,
  'icmp-ireq': 15, 'icmp-ireqreply': 16, 'icmp-maskreq': 17, 'icmp-maskreply': 18,
  icmp6type: 0, icmp6code: 1,
  'icmp6-destinationunreach': 1, 'icmp6-packettoobig': 2, 'icmp6-timeexceeded': 3, 'icmp6-parameterproblem': 4,
  'icmp6-echo': 128, 'icmp6-echoreply': 129, 'icmp6-multicastlistenerquery': 130, 'icmp6-multicastlistenerreportv1': 131,
  'icmp6-multicastlistenerdone': 132, 'icmp6-routersolicit': 133, 'icmp6-routeradvert': 134, 'icmp6-neighborsolicit': 135,
  'icmp6-neighboradvert': 136, 'icmp6-redirect': 137, 'icmp6-multicastlistenerreportv2': 143,
};

class TdParser {
  private pos = 0;
  /** Qualifiers of the last primitive, inherited by a bare id. */
  private last: Qualifiers = {};
  constructor(private readonly t: TdToken[]) {}

  private peek(k = 0): TdToken {
    return this.t[Math.min(this.pos + k, this.t.length - 1)]!;
  }
  private next(): TdToken {
    return this.t[this.pos++]!;
  }
  private fail(tok: TdToken = this.peek()): never {
    throw new TcpdumpSyntaxError(MSG_SYNTAX, tok.start, tok.end);
  }
  private isOp(v: string, k = 0): boolean {
    const p = this.peek(k);
    return p.kind === 'op' && p.value === v;
  }
  private isKw(v: string, k = 0): boolean {
    const p = this.peek(k);
    return p.kind === 'kw' && p.value === v;
  }

  parse(): TdAst {
    const e = this.expr();
    if (this.peek().kind !== 'eof') this.fail();
    return e;
  }

  private expr(): TdAst {
    let l = this.term();
    for (;;) {
      const p = this.peek();
      let op: 'and' | 'or' | null = null;
      if (this.isKw('and') || this.isOp('&&')) op = 'and';
      else if (this.isKw('or') || this.isOp('||')) op = 'or';
      if (!op) return l;
      this.next();
      const r = this.term();
      l = { k: op, l, r, start: l.start, end: r.end };
      void p;
    }
  }

  private term(): TdAst {
    const t = this.peek();
    if (this.isKw('not') || this.isOp('!')) {
      this.next();
      const e = this.term();
      return { k: 'not', e, start: t.start, end: e.end };
    }
    // A relation, if what follows parses as one.
    const save = this.pos;
    const saveLast = this.last;
    try {
      return this.relation();
    } catch (e) {
      if (!(e instanceof TcpdumpSyntaxError) || e.message !== MSG_SYNTAX) throw e;
      this.pos = save;
      this.last = saveLast;
    }
    if (this.isOp('(')) {
      this.next();
      const e = this.expr();
      if (!this.isOp(')')) this.fail();
      const close = this.next();
      return { ...e, start: t.start, end: close.end };
    }
    return this.primitive();
  }

  private relation(): TdAst {
    const l = this.arith();
    const op = this.peek();
    if (op.kind !== 'op' || !RELOPS.has(op.value)) this.fail(op);
    this.next();
    const r = this.arith();
    return { k: 'rel', op: op.value === '==' ? '=' : op.value, l, r, start: l.start, end: r.end };
  }

  // Precedence (grammar.y): | < & < << >> < + - < * / % < unary -.
  private arith(): TdArith {
    return this.binary(0);
  }
  private static readonly LEVELS: string[][] = [['|', '^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
  private binary(level: number): TdArith {
    if (level >= TdParser.LEVELS.length) return this.unary();
    let l = this.binary(level + 1);
    while (this.peek().kind === 'op' && TdParser.LEVELS[level]!.includes(this.peek().value)) {
      const op = this.next().value;
      const r = this.binary(level + 1);
      l = { k: 'bin', op, l, r, start: l.start, end: r.end };
    }
    return l;
  }
  private unary(): TdArith {
    const t = this.peek();
    if (this.isOp('-')) {
      this.next();
      const e = this.unary();
      return { k: 'neg', e, start: t.start, end: e.end };
    }
    return this.atom();
  }
  private atom(): TdArith {
    const t = this.next();
    if (t.kind === 'num') return { k: 'num', v: t.num!, start: t.start, end: t.end };
    if (t.kind === 'id' && NAMED_CONSTANTS[t.value] !== undefined) return { k: 'num', v: NAMED_CONSTANTS[t.value]!, start: t.start, end: t.end };
    if (t.kind === 'kw' && t.value === 'len') return { k: 'len', start: t.start, end: t.end };
    if (t.kind === 'op' && t.value === '(') {
      const e = this.arith();
      if (!this.isOp(')')) this.fail();
      const close = this.next();
      return { ...e, start: t.start, end: close.end };
    }
    if (t.kind === 'kw' && PROTO_KW.has(t.value) && this.isOp('[')) {
      this.next();
      const index = this.arith();
      let size = 1;
      if (this.isOp(':')) {
        this.next();
        const s = this.next();
        if (s.kind !== 'num') this.fail(s);
        size = s.num!;
        if (size !== 1 && size !== 2 && size !== 4) throw new TcpdumpSyntaxError('data size must be 1, 2, or 4', s.start, s.end);
      }
      if (!this.isOp(']')) this.fail();
      const close = this.next();
      return { k: 'load', proto: t.value, index, size, start: t.start, end: close.end };
    }
    return this.fail(t);
  }

  /** `type T [subtype S]`, `subtype S`, `dir D` (grammar.y's p80211); names are checked here, as libpcap does. */
  private frameControl(first: TdToken): TdAst {
    const kw = this.next().value;
    const operand = (): TdToken => {
      const t = this.next();
      if (t.kind !== 'num' && t.kind !== 'id') this.fail(t);
      return t;
    };
    if (kw === 'dir' || kw === 'direction') {
      const t = operand();
      return { k: 'wlanDir', value: wlanDir(t), start: first.start, end: t.end };
    }
    if (kw === 'subtype') {
      const t = this.next();
      if (t.kind !== 'id') this.fail(t);
      return { k: 'wlanType', value: wlanTypeSubtype(t), mask: WLAN_TYPE_MASK | WLAN_SUBTYPE_MASK, start: first.start, end: t.end };
    }
    const t = operand();
    const type = wlanType(t);
    if (!this.isKw('subtype')) return { k: 'wlanType', value: type, mask: WLAN_TYPE_MASK, start: first.start, end: t.end };
    this.next();
    const st = operand();
    return { k: 'wlanType', value: type | wlanSubtype(type, st), mask: WLAN_TYPE_MASK | WLAN_SUBTYPE_MASK, start: first.start, end: st.end };
  }

  private primitive(): TdAst {
    const first = this.peek();
    const q: Qualifiers = {};
    // Special primitives.
    if (this.isKw('vlan') || this.isKw('mpls')) {
      const k = this.next().value as 'vlan' | 'mpls';
      if (this.peek().kind === 'num') {
        const n = this.next();
        if (k === 'vlan' && n.num! > 4095) throw new TcpdumpSyntaxError(`VLAN tag ${n.num} greater than maximum 4095`, n.start, n.end);
        return { k, id: n.num!, start: first.start, end: n.end };
      }
      return { k, start: first.start, end: first.end };
    }
    if (this.isKw('less') || this.isKw('greater')) {
      const k = this.next().value as 'less' | 'greater';
      const n = this.next();
      if (n.kind !== 'num') this.fail(n);
      return { k, n: n.num!, start: first.start, end: n.end };
    }
    if (this.isKw('broadcast') || this.isKw('multicast')) {
      const k = this.next().value as 'broadcast' | 'multicast';
      return { k, start: first.start, end: first.end };
    }
    if (this.isKw('inbound') || this.isKw('outbound')) {
      const k = this.next().value as 'inbound' | 'outbound';
      return { k, start: first.start, end: first.end };
    }
    if (this.isKw('pppoes')) {
      this.next();
      if (this.peek().kind !== 'num') return { k: 'pppoes', start: first.start, end: first.end };
      const n = this.next();
      if (n.num! > 0xffff) throw new TcpdumpSyntaxError(`PPPoE session number ${n.num} greater than maximum 65535`, n.start, n.end);
      return { k: 'pppoes', id: n.num!, start: first.start, end: n.end };
    }
    if (this.isKw('llc') && this.peek(1).kind === 'id') {
      this.next();
      const t = this.next();
      const control = LLC_CONTROLS[t.value.toLowerCase()];
      if (!control) throw new TcpdumpSyntaxError(`unknown LLC type name "${t.value}"`, t.start, t.end);
      return { k: 'llcControl', mask: control[0], value: control[1], start: first.start, end: t.end };
    }
    if (this.isKw('ifindex')) {
      this.next();
      const n = this.next();
      if (n.kind !== 'num') this.fail(n);
      return { k: 'ifindex', n: n.num!, start: first.start, end: n.end };
    }
    if (this.peek().kind === 'kw' && PROTO_KW.has(this.peek().value)) {
      q.proto = this.next().value;
      if (this.isKw('broadcast') || this.isKw('multicast')) {
        const t = this.next();
        return { k: t.value as 'broadcast' | 'multicast', proto: q.proto, start: first.start, end: t.end };
      }
    }
    // 802.11 frame control, after any protocol qualifier (which it ignores, as libpcap does).
    if (this.isKw('type') || this.isKw('subtype') || this.isKw('dir') || this.isKw('direction')) {
      this.last = {};
      return this.frameControl(first);
    }
    const wlanDirection = this.peek().kind === 'kw' ? WLAN_DIRS[this.peek().value] : undefined;
    if (wlanDirection) {
      this.next();
      q.dir = wlanDirection;
    } else if (this.isKw('src') || this.isKw('dst')) {
      const d = this.next().value as 'src' | 'dst';
      q.dir = d;
      if ((this.isKw('or') || this.isKw('and')) && (this.isKw('src', 1) || this.isKw('dst', 1))) {
        const conj = this.next().value;
        this.next();
        q.dir = conj === 'or' ? 'src or dst' : 'src and dst';
      }
    }
    if (this.peek().kind === 'kw' && TYPE_KW.has(this.peek().value)) {
      // A direction goes with host, net, port and portrange only (grammar.y's dqual aqual).
      if (q.dir && !['host', 'net', 'port', 'portrange'].includes(this.peek().value)) this.fail();
      q.type = this.next().value as Qualifiers['type'];
    }
    const idTok = this.peek();
    const isId = idTok.kind === 'num' || idTok.kind === 'id' || idTok.kind === 'addr'
      || (q.type === 'proto' || q.type === 'protochain') && idTok.kind === 'kw' && PROTO_KW.has(idTok.value);
    if (!isId) {
      // A protocol on its own: `tcp`, `ip6`.
      if (q.proto && !q.dir && !q.type) {
        this.last = {};
        return { k: 'proto', name: q.proto, start: first.start, end: this.t[this.pos - 1]!.end };
      }
      this.fail(idTok);
    }
    this.next();
    let qual: Qualifiers = q;
    if (!q.proto && !q.dir && !q.type) qual = this.last.type ? this.last : { type: 'host' };
    if (!qual.type) qual = { ...qual, type: 'host' };
    this.last = qual;
    let mask: TdToken | undefined;
    if (this.isKw('mask')) {
      this.next();
      mask = this.next();
      if (mask.kind !== 'addr') this.fail(mask);
    }
    return { k: 'prim', q: qual, id: idTok, mask, start: first.start, end: (mask ?? idTok).end };
  }
}

/** Parses a tcpdump expression. Throws TcpdumpSyntaxError. */
export function parseTcpdump(text: string): TdAst {
  return new TdParser(lexTcpdump(text)).parse();
}
