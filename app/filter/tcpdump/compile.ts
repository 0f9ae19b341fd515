// tcpdump expression code generation: AST -> the source of one JavaScript function over the
// packet's bytes, compiled with `new Function`, one per link type, built on first use — as libpcap
// compiles a filter against a handle's DLT (gencode.c) and the kernel JITs the BPF. One flat
// function instead of a tree of closures: V8 inlines the loads and the whole test costs a few
// nanoseconds per packet (tcpdump -r runs at ~5 M packets/s, Node's start-up included).
// Semantics follow libpcap 1.10 on a savefile:
// - protocol tests read the link layer's type field (Ethernet 12, SLL 14, SLL2 0, BSD/null
//   family word, raw IP version nibble); `vlan` checks for an 802.1Q/802.1ad/QinQ tag and
//   shifts every later offset by 4, in the order the expression is written;
// - `tcp[...]` & co. are relative to the IPv4 header length (4 * (ip[0] & 15)) and require the
//   first fragment (ip[6:2] & 0x1fff = 0), exactly as libpcap does (so never IPv6);
// - a load beyond the captured bytes rejects the packet (BPF returns 0);
// - errors libpcap reports at compile time for a link type (`ether host` on Linux cooked,
//   `vlan` on raw IP, a filter that folds to "reject everything") are reported likewise.
import { MSG_SYNTAX, TcpdumpSyntaxError, type TdToken } from './lexer.js';
import { parseTcpdump, type Dir, type Qualifiers, type TdArith, type TdAst } from './parser.js';
import { parseIPv6 } from '../addresses.js';
import { wlanAddressTest, wlanDirMisusedMessage, wlanDirOnlyMessage, type WlanDir } from './wlan.js';

export interface TcpdumpFilter {
  readonly language: 'tcpdump';
  readonly text: string;
  /**
   * Whether the packet matches. `linkType` is the LINKTYPE_* of its interface; `wireLen` (the
   * original length, for `less`/`greater`/`len`) defaults to the captured length. A filter that
   * libpcap refuses for this link type matches nothing (see errorFor).
   */
  test(bytes: Uint8Array, linkType: number, wireLen?: number): boolean;
  /** The same on the packet buf[start, start + capLen), without cutting a view of it. */
  testAt(buf: Uint8Array, start: number, capLen: number, linkType: number, wireLen: number): boolean;
  /** testAt's test for one link type, to call on many records (matches nothing when errorFor is not null). */
  matcher(linkType: number): PacketMatcher;
  /**
   * matcher()'s test as source, for a caller that compiles it into its own loop over records (a
   * call per packet costs more than the test: filter-write.ts).
   */
  matcherSource(linkType: number): MatcherSource;
  /** The error libpcap gives when compiling this expression for `linkType`, or null. */
  errorFor(linkType: number): string | null;
}

export interface TcpdumpError {
  message: string;
  start: number;
  end: number;
}

export type TcpdumpResult = { ok: true; filter: TcpdumpFilter } | { ok: false; error: TcpdumpError };

/**
 * Generated code is an expression over `b` (the bytes), `s` (where the packet starts in b), `n`
 * (captured length) and `w` (wire length). A Code is such an expression of a boolean, or a
 * constant when the answer is known at compile time; a Num likewise for a number.
 */
type Code = string | boolean;
type Num = string | number;

/**
 * `rejected` is set by a load past the captured bytes (or a division by zero): BPF rejects the
 * whole packet, whatever the rest of the expression says. The load returns 0 and evaluation goes
 * on (up to that load it went exactly as BPF's did, so the verdict is the same); the generated
 * function then rejects. A flag, not an exception: short packets are common (`tcp[20]` on every
 * bare ACK) and a throw costs V8 about a microsecond. One object the helpers and the generated
 * functions share (a property store V8 inlines).
 */
const state = { rejected: false, h: 0, p: 0 };

// The run-time helpers generated code calls (the `new Function` parameters of the same names).
function u8(b: Uint8Array, s: number, n: number, o: number): number {
  if (o < 0 || o >= n) return reject();
  return b[s + o]!;
}
function reject(): 0 {
  state.rejected = true;
  return 0;
}
function u16(b: Uint8Array, s: number, n: number, o: number): number {
  if (o < 0 || o + 2 > n) return reject();
  const i = s + o;
  return (b[i]! << 8) | b[i + 1]!;
}
function u32(b: Uint8Array, s: number, n: number, o: number): number {
  if (o < 0 || o + 4 > n) return reject();
  const i = s + o;
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}
/** The first `bits` bits of b[s + o ...] equal those of `addr` (addresses, prefixes). */
function prefix(b: Uint8Array, s: number, n: number, o: number, addr: Uint8Array, bits: number): boolean {
  const full = bits >> 3;
  if (o + addr.length > n) {
    reject();
    return false;
  }
  for (let i = 0; i < full; i++) if (b[s + o + i] !== addr[i]) return false;
  const rem = bits & 7;
  if (rem === 0) return true;
  const m = (0xff << (8 - rem)) & 0xff;
  return (b[s + o + full]! & m) === (addr[full]! & m);
}
function div(a: number, d: number): number {
  if (d === 0) return reject();
  return Math.floor(a / d) >>> 0;
}
function mod(a: number, d: number): number {
  if (d === 0) return reject();
  return a % d >>> 0;
}
const shl = (a: number, c: number): number => (c > 31 ? 0 : (a << c) >>> 0);
const shr = (a: number, c: number): number => (c > 31 ? 0 : a >>> c);
/** IPv6 next header at nl + 6 is `v`, or a fragment header (44) whose next header is (gen_proto). */
function ip6nh(b: Uint8Array, s: number, n: number, nl: number, v: number): boolean {
  const h = u8(b, s, n, nl + 6);
  return h === v || (h === 44 && u8(b, s, n, nl + 40) === v);
}
/** The length of the radio header before an 802.11 frame (libpcap's off_linkhdr, per packet). */
function radioLength(b: Uint8Array, s: number, n: number, radio: 'radiotap' | 'ppi' | 'avs' | 'prism'): number {
  switch (radio) {
    case 'radiotap':
    case 'ppi':
      return u8(b, s, n, 2) | (u8(b, s, n, 3) << 8);
    case 'avs':
      return u32(b, s, n, 4);
    case 'prism':
      // Some drivers label AVS headers as Prism: an AVS header starts 0x80211xxx and says its length.
      return ((u32(b, s, n, 0) & 0xfffff000) >>> 0) === 0x80211000 ? u32(b, s, n, 4) : 144;
  }
}
/**
 * Where the payload of the 802.11 frame at `h` starts (libpcap's off_linkpl): after 24 bytes of
 * header, 26 for a QoS data frame (libpcap does not count a 4-address frame's fourth address), and
 * on radiotap rounded up to 4 when the flags say the driver padded it (DATAPAD, 0x20).
 */
function wlanPayloadOffset(b: Uint8Array, s: number, n: number, h: number, radiotap: boolean): number {
  let p = h + 24;
  const fc0 = u8(b, s, n, h);
  if ((fc0 & 0x0c) === 0x08 && fc0 & 0x80) p += 2;
  if (radiotap) {
    // The flags field is there when the first present word has bit 1 and no extension bit (31);
    // it follows the 8-byte TSFT field when bit 0 says there is one.
    const present = u32(b, s, n, 4);
    if (present & 0x02000000 && !(present & 0x80)) {
      const flags = present & 0x01000000 ? u8(b, s, n, 16) : u8(b, s, n, 8);
      if (flags & 0x20) p = ((p + 3) & ~3) >>> 0;
    }
  }
  return p;
}
const HELPERS = { u8, u16, u32, prefix, div, mod, shl, shr, ip6nh, radioLength, wlanPayloadOffset };

/** Offset `o` plus `k`: a number when o is one, else code (an offset known per packet). */
function plus(o: Num, k: number): Num {
  if (typeof o === 'number') return o + k;
  return k === 0 ? o : `${o} + ${k}`;
}

const L8 = (o: Num): string => `u8(b, s, n, ${o})`;
const L16 = (o: Num): string => `u16(b, s, n, ${o})`;
const L32 = (o: Num): string => `u32(b, s, n, ${o})`;
function load(o: Num, size: number): string {
  return size === 1 ? L8(o) : size === 2 ? L16(o) : L32(o);
}
/** `x` is one of `values` (x evaluated once). */
function oneOf(x: string, values: readonly number[]): string {
  return values.length === 1 ? `(${x} === ${values[0]})` : `((v) => ${values.map((v) => `v === ${v}`).join(' || ')})(${x})`;
}

const and = (a: Code, b: Code): Code => {
  if (a === false || b === false) return false;
  if (a === true || a === b) return b;
  if (b === true) return a;
  return `(${a} && ${b})`;
};
const or = (a: Code, b: Code): Code => {
  if (a === true || b === true) return true;
  if (a === false || a === b) return b;
  if (b === false) return a;
  return `(${a} || ${b})`;
};
const not = (a: Code): Code => (typeof a === 'boolean' ? !a : `!${a}`);

// ---- names --------------------------------------------------------------------------------

const IP_PROTOS: Readonly<Record<string, number>> = {
  icmp: 1, igmp: 2, ipip: 4, tcp: 6, egp: 8, igrp: 9, udp: 17, ip6: 41, rsvp: 46, gre: 47, esp: 50, ah: 51, icmp6: 58,
  ospf: 89, pim: 103, vrrp: 112, carp: 112, sctp: 132,
};
const ETHER_PROTOS: Readonly<Record<string, number>> = {
  ip: 0x0800, ip6: 0x86dd, arp: 0x0806, rarp: 0x8035, atalk: 0x809b, aarp: 0x80f3, ipx: 0x8137, decnet: 0x6003, lat: 0x6004,
  sca: 0x6007, moprc: 0x6002, mopdl: 0x6001, loopback: 0x9000, vlan: 0x8100, mpls: 0x8847,
};
/** A few /etc/services names (the ones tcpdump users type). */
const PORTS: Readonly<Record<string, number>> = {
  echo: 7, discard: 9, daytime: 13, 'ftp-data': 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25, time: 37, domain: 53, bootps: 67,
  bootpc: 68, tftp: 69, gopher: 70, finger: 79, http: 80, www: 80, kerberos: 88, pop3: 110, sunrpc: 111, ident: 113, auth: 113,
  nntp: 119, ntp: 123, 'netbios-ns': 137, 'netbios-dgm': 138, 'netbios-ssn': 139, imap: 143, imap2: 143, snmp: 161,
  'snmp-trap': 162, bgp: 179, ldap: 389, https: 443, 'microsoft-ds': 445, syslog: 514, submission: 587, ldaps: 636,
  imaps: 993, pop3s: 995, mysql: 3306, 'ms-wbt-server': 3389, postgresql: 5432, mdns: 5353, 'http-alt': 8080,
};

const VLAN_TYPES = [0x8100, 0x88a8, 0x9100];

/** PPP protocol numbers of the link-layer types libpcap maps to PPP's (ethertype_to_ppptype). */
const PPP_TYPES: Readonly<Record<number, number>> = {
  0x0800: 0x0021, 0x86dd: 0x0057, 0x6003: 0x0027, 0x809b: 0x0029, 0x0600: 0x0025, 0xfe: 0x0023, 0x42: 0x0031, 0xe0: 0x002b,
};

/** 802.2 LLC SAPs libpcap's protocol names stand for (llc.h). */
const LLC_ISO = 0xfe, LLC_NETBEUI = 0xf0, LLC_IPX = 0xe0, LLC_IP = 0x06;

/** The link-layer protocol names: libpcap's scanner makes each of them the one token LINK. */
const LINK_PROTOS: ReadonlySet<string> = new Set(['link', 'ether', 'fddi', 'tr', 'wlan', 'ppp', 'slip']);
const BROADCAST = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
const WLAN_DIRS: ReadonlySet<Dir> = new Set<Dir>(['addr1', 'addr2', 'addr3', 'addr4', 'ra', 'ta']);
const isWlanDir = (d: Dir): d is WlanDir => WLAN_DIRS.has(d);

type LinkKind = 'eth' | 'sll' | 'sll2' | 'raw' | 'ipv4' | 'ipv6' | 'null' | 'loop' | 'chdlc' | 'wlan' | 'other';

/**
 * What comes before an 802.11 frame, by link type: nothing (105), or a radio header whose length
 * each packet gives (radiotap 127 and PPI 192: 16 bits little-endian at 2; AVS 163: 32 bits at
 * 4; Prism 119: 144 bytes, unless it is an AVS header after all).
 */
type RadioHeader = 'none' | 'radiotap' | 'ppi' | 'avs' | 'prism';
const RADIO_HEADERS: ReadonlyMap<number, RadioHeader> = new Map([[105, 'none'], [127, 'radiotap'], [192, 'ppi'], [163, 'avs'], [119, 'prism']]);

function linkKind(lt: number): LinkKind {
  switch (lt) {
    case 1: return 'eth';
    case 113: return 'sll';
    case 276: return 'sll2';
    case 101: case 12: case 14: return 'raw';
    case 228: return 'ipv4';
    case 229: return 'ipv6';
    case 0: return 'null';
    case 108: return 'loop';
    case 104: return 'chdlc';
    case 105: case 127: case 192: case 163: case 119: return 'wlan';
    default: return 'other';
  }
}

function linkName(lt: number): string {
  switch (lt) {
    case 1: return 'Ethernet';
    case 113: return 'Linux cooked v1';
    case 276: return 'Linux cooked v2';
    case 101: case 12: case 14: return 'Raw IP';
    case 228: return 'Raw IPv4';
    case 229: return 'Raw IPv6';
    case 0: return 'BSD loopback';
    case 108: return 'OpenBSD loopback';
    case 104: return 'Cisco HDLC';
    case 105: return '802.11';
    case 127: return '802.11 plus radiotap header';
    case 119: return '802.11 plus Prism header';
    case 163: return '802.11 plus AVS radio information header';
    case 192: return 'Per-Packet Information';
    default: return `link type ${lt}`;
  }
}

export const MSG_REJECTS_ALL = 'expression rejects all packets';
export const MSG_NOT_ETHER = 'ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel';
export const MSG_NOT_BROADCAST = 'not a broadcast link';

/** Compile-time errors that depend on the link type. */
class LinkError extends Error {}

// ---- addresses ----------------------------------------------------------------------------

/** IPv4 text (`10`, `10.1`, `10.1.2`, `10.1.2.3`) -> value and number of bits given (libpcap __pcap_atoin). */
function atoin(s: string): { v: number; bits: number } | null {
  const parts = s.split('.');
  if (parts.length > 4 || parts.some((x) => !/^\d+$/.test(x) || Number(x) > 255)) return null;
  let v = 0;
  for (const x of parts) v = v * 256 + Number(x);
  return { v: v >>> 0, bits: parts.length * 8 };
}

function parseMac(s: string): Uint8Array | null {
  let hex: string[];
  if (/^([0-9A-Fa-f]{1,2}[:.-]){5}[0-9A-Fa-f]{1,2}$/.test(s)) hex = s.split(/[:.-]/);
  else if (/^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/.test(s)) hex = s.replace(/\./g, '').match(/../g)!;
  else return null;
  return Uint8Array.from(hex, (h) => parseInt(h, 16));
}

// ---- the per-link-type code generator -------------------------------------------------------

class Gen {
  private readonly kind: LinkKind;
  private readonly radio: RadioHeader | undefined;
  /** Bytes added by `vlan`/`mpls` so far (libpcap's off_linktype/off_linkpl adjustments). */
  private shift = 0;
  /** MPLS labels the expression has walked past (`mpls and mpls and ip`), and the bytes they take. */
  private mplsDepth = 0;
  private mplsShift = 0;
  /**
   * After `pppoes`: where the PPP protocol field is (the link-layer type libpcap compares from
   * then on) and the network header 2 bytes after it.
   */
  private pppAt: Num | null = null;
  /** Whether the code reads the 802.11 header's offset (state.h) / its payload's (state.p): see wrap(). */
  private usesHeader = false;
  private usesPayload = false;
  constructor(private readonly lt: number) {
    this.kind = linkKind(lt);
    this.radio = RADIO_HEADERS.get(lt);
  }

  /**
   * Where the 802.11 header starts (libpcap's off_linkhdr): after the radio header, whose length
   * each packet gives, so code (`state.h`) unless there is none.
   */
  private wlanHeader(): Num {
    if (this.radio === 'none') return 0;
    this.usesHeader = true;
    return 'state.h';
  }
  /** Where the 802.11 payload (its LLC header) starts (off_linkpl): per packet (`state.p`). */
  private wlanPayload(): Num {
    this.usesPayload = true;
    return 'state.p';
  }
  /** Frame-control byte `i` of the 802.11 header. */
  private fc(i: 0 | 1): string {
    return L8(plus(this.wlanHeader(), i));
  }

  /**
   * What the generated test evaluates first, for 802.11: the offsets the test reads, computed once
   * per packet as libpcap's insert_compute_vloffsets does (its loads reject a packet too short for
   * them, whatever the test), and on PPI the check that the PPI header is followed by 802.11.
   */
  wrap(code: Code): Code {
    if (this.kind !== 'wlan') return code;
    const steps: string[] = [];
    if (this.usesHeader || (this.usesPayload && this.radio !== 'none')) steps.push(`state.h = radioLength(b, s, n, ${JSON.stringify(this.radio)})`);
    if (this.usesPayload) steps.push(`state.p = wlanPayloadOffset(b, s, n, ${this.radio === 'none' ? 0 : 'state.h'}, ${this.radio === 'radiotap'})`);
    let c: Code = code;
    if (steps.length && c !== false) c = `(${steps.join(', ')}, ${c})`;
    // PPI's DLT field (32 bits little-endian at 4) must say 802.11 (libpcap gen_ppi_dlt_check).
    if (this.radio === 'ppi') c = and(`(${L32(4)} === 0x69000000)`, c);
    return c;
  }

  private get offType(): Num {
    if (this.kind === 'wlan') return plus(this.wlanPayload(), 6 + this.shift);
    return (this.kind === 'eth' ? 12 : this.kind === 'sll' ? 14 : this.kind === 'chdlc' ? 2 : 0) + this.shift;
  }
  private get offNl(): Num {
    if (this.pppAt !== null) return plus(this.pppAt, 2);
    switch (this.kind) {
      // After the LLC/SNAP header (libpcap's off_nl 8).
      case 'wlan': return plus(this.wlanPayload(), 8 + this.shift);
      case 'eth': return 14 + this.shift + this.mplsShift;
      case 'sll': return 16 + this.shift;
      case 'sll2': return 20 + this.shift;
      case 'null': case 'loop': case 'chdlc': return 4 + this.shift + this.mplsShift;
      default: return this.shift;
    }
  }

  /** The link layer says the payload is `etype` (libpcap gen_linktype). */
  linktype(etype: number): Code {
    if (this.mplsDepth > 0) return this.afterMpls(etype);
    if (this.pppAt !== null) {
      // libpcap's ethertype_to_ppptype; what has no PPP number is compared as it is.
      const ppp = PPP_TYPES[etype] ?? etype;
      return `(${L16(this.pppAt)} === ${ppp})`;
    }
    const off = this.offType;
    switch (this.kind) {
      case 'eth':
      case 'sll':
        return this.ieee8023(etype, off as number);
      case 'sll2':
      case 'chdlc':
        // Cisco HDLC: address, control, then the EtherType of the payload (libpcap's off_linktype 2).
        return `(${L16(off)} === ${etype})`;
      case 'wlan': {
        // A data frame whose SNAP header gives the EtherType, or whose LLC header gives the SAP
        // (libpcap gen_check_802_11_data_frame, gen_llc_linktype).
        const llc = plus(off, -6);
        const sapPair = etype === LLC_ISO || etype === LLC_NETBEUI || etype === LLC_IP;
        return and(this.wlanData(), sapPair ? `(${L16(llc)} === ${etype * 0x101})` : etype <= 1500 ? `(${L8(llc)} === ${etype})` : `(${L16(off)} === ${etype})`);
      }
      case 'raw': {
        if (etype === 0x0800) return `((${L8(off)} & 0xf0) === 0x40)`;
        if (etype === 0x86dd) return `((${L8(off)} & 0xf0) === 0x60)`;
        return false;
      }
      case 'ipv4':
        return etype === 0x0800;
      case 'ipv6':
        return etype === 0x86dd;
      case 'null':
      case 'loop': {
        const fams = etype === 0x0800 ? [2] : etype === 0x86dd ? [24, 28, 30] : [];
        if (!fams.length) return false;
        const swapped = fams.map((f) => ((f & 0xff) << 24) >>> 0);
        // The family word is in the capturing host's byte order (null) or network order (loop).
        if (this.kind === 'loop') return oneOf(L32(off), fams);
        return oneOf(L32(off), [...fams, ...swapped]);
      }
      default:
        return false;
    }
  }

  /**
   * libpcap gen_ether_linktype / gen_linux_sll_linktype: an EtherType, or an 802.2 LLC SAP (a
   * value up to 1500) after an 802.3 length field (Ethernet) or the cooked header's 802.2
   * protocol (4); IPX, AppleTalk and AARP in their 802.3 / SNAP forms too. `off` is the type field.
   */
  private ieee8023(etype: number, off: number): Code {
    const sll = this.kind === 'sll';
    const type = L16(off);
    // Ethernet: an 802.3 length; Linux cooked: the 802.2 protocol.
    const llc = sll ? `(${type} === 4)` : `(${type} <= 1500)`;
    const snap = (oui: number, t: number): string => `(${L32(off + 6)} === ${((oui << 16) | t) >>> 0} && ${L32(off + 2)} === ${(0xaaaa0300 | (oui >>> 16)) >>> 0})`;
    switch (etype) {
      case LLC_ISO:
      case LLC_NETBEUI:
      case LLC_IP:
        // DSAP and SSAP both the SAP.
        return `(${llc} && ${L16(off + 2)} === ${etype * 0x101})`;
      case LLC_IPX:
        // The IPX EtherType, Novell's raw 802.3 (0xffff; Linux's 802.3 protocol, 1), the IPX SAP, or SNAP.
        return sll
          ? `(${type} === 0x8137 || ${type} === 1 || (${llc} && (${L8(off + 2)} === 0xe0 || ${snap(0, 0x8137)})))`
          : `(${type} === 0x8137 || (${llc} && (${snap(0, 0x8137)} || ${L8(off + 2)} === 0xe0 || ${L16(off + 2)} === 0xffff)))`;
      case 0x809b:
        return `(${type} === 0x809b || (${llc} && ${snap(0x080007, 0x809b)}))`;
      case 0x80f3:
        return `(${type} === 0x80f3 || (${llc} && ${snap(0, 0x80f3)}))`;
      default:
        return etype <= 1500 ? `(${llc} && ${L8(off + 2)} === ${etype})` : `(${type} === ${etype})`;
    }
  }

  /** ISO protocols: CLNS's SAP, then the network layer protocol ID (after the 3-byte LLC header; none on Cisco HDLC). */
  private isoNlpid(nlpid: number): Code {
    const at = this.kind === 'wlan' ? plus(this.wlanPayload(), 3 + this.shift) : this.kind === 'chdlc' ? this.offNl : plus(this.offType, 5);
    return and(this.linktype(LLC_ISO), `(${L8(at)} === ${nlpid})`);
  }

  /** `llc`: an 802.2 frame (not Novell's raw 802.3), or an 802.11 data frame. */
  private llc(): Code {
    if (this.kind === 'wlan') return this.wlanData();
    if (this.kind !== 'eth') throw new LinkError(`'llc' not supported for ${linkName(this.lt)}`);
    const off = this.offType as number;
    return `(${L16(off)} <= 1500 && ${L16(off + 2)} !== 0xffff)`;
  }

  /** An 802.11 data frame: type 2 in frame-control byte 0. */
  private wlanData(): string {
    return `((${this.fc(0)} & 0x0c) === 0x08)`;
  }

  private ipfrag(): Code {
    const nl = this.offNl;
    return `((${L16(plus(nl, 6))} & 0x1fff) === 0)`;
  }

  /** libpcap gen_proto: IPv4 protocol field / IPv6 next header (or after a fragment header). */
  ipProto(v: number, which: 'ip' | 'ip6' | 'both'): Code {
    const nl = this.offNl;
    const v4 = which === 'ip6' ? false : and(this.linktype(0x0800), `(${L8(plus(nl, 9))} === ${v})`);
    const v6 = which === 'ip' ? false : and(this.linktype(0x86dd), `ip6nh(b, s, n, ${nl}, ${v})`);
    return or(v4, v6);
  }

  /** The abbreviations `tcp`, `udp`, `icmp`, ... (gen_proto_abbrev). */
  protoAbbrev(name: string): Code {
    switch (name) {
      case 'ip': return this.linktype(0x0800);
      case 'ip6': return this.linktype(0x86dd);
      case 'arp': return this.linktype(0x0806);
      case 'rarp': return this.linktype(0x8035);
      case 'tcp': return this.ipProto(6, 'both');
      case 'udp': return this.ipProto(17, 'both');
      case 'sctp': return this.ipProto(132, 'both');
      case 'icmp': return this.ipProto(1, 'ip');
      case 'igmp': return this.ipProto(2, 'ip');
      case 'igrp': return this.ipProto(9, 'ip');
      case 'vrrp': case 'carp': return this.ipProto(112, 'ip');
      case 'pim': return this.ipProto(103, 'both');
      case 'ah': return this.ipProto(51, 'both');
      case 'esp': return this.ipProto(50, 'both');
      case 'icmp6': return this.ipProto(58, 'ip6');
      case 'radio': throw new TcpdumpSyntaxError("'radio' is not a valid protocol type", 0, 0);
      // 802.2 LLC protocols, by SAP; the ISO ones by the network layer protocol ID after CLNS's SAP.
      case 'iso': return this.linktype(LLC_ISO);
      case 'netbeui': return this.linktype(LLC_NETBEUI);
      case 'ipx': return this.linktype(LLC_IPX);
      case 'stp': return this.linktype(0x42);
      case 'clnp': return this.isoNlpid(0x81);
      case 'esis': return this.isoNlpid(0x82);
      case 'isis': return this.isoNlpid(0x83);
      case 'llc': return this.llc();
      case 'pppoed': return this.linktype(0x8863);
      case 'decnet': case 'lat': case 'sca': case 'moprc': case 'mopdl': case 'atalk': case 'aarp':
        return this.linktype(ETHER_PROTOS[name]!);
      default:
        // `ether`, `link`, `wlan` & co. alone.
        if (LINK_PROTOS.has(name)) throw new TcpdumpSyntaxError('link layer applied in wrong context', 0, 0);
        throw new TcpdumpSyntaxError(MSG_SYNTAX, 0, 0);
    }
  }

  test(a: TdAst): Code {
    switch (a.k) {
      case 'and': {
        const l = this.test(a.l);
        return and(l, this.test(a.r));
      }
      case 'or': {
        const l = this.test(a.l);
        return or(l, this.test(a.r));
      }
      case 'not':
        return not(this.test(a.e));
      case 'proto':
        return this.protoAbbrev(a.name);
      case 'less':
        return `(w <= ${a.n})`;
      case 'greater':
        return `(w >= ${a.n})`;
      case 'vlan':
      case 'mpls':
        return this.vlan(a.k, a.id);
      case 'broadcast':
      case 'multicast':
        return this.cast(a.k, a.proto);
      case 'rel':
        return this.rel(a);
      case 'prim':
        return this.prim(a.q, a.id, a.mask, a);
      // libpcap 1.10 takes these on 802.11 with or without radiotap, Prism and AVS headers, not PPI.
      case 'wlanType':
        if (this.kind !== 'wlan' || this.radio === 'ppi') throw new LinkError('802.11 link-layer types supported only on 802.11');
        return `((${this.fc(0)} & ${a.mask}) === ${a.value})`;
      case 'wlanDir':
        if (this.kind !== 'wlan' || this.radio === 'ppi') throw new LinkError('frame direction supported only with 802.11 headers');
        return `((${this.fc(1)} & 0x03) === ${a.value})`;
      // A file has no direction or interface but what a Linux cooked header recorded (4: outgoing).
      case 'inbound':
      case 'outbound': {
        if (this.kind !== 'sll' && this.kind !== 'sll2') throw new LinkError(`inbound/outbound not supported on ${linkName(this.lt)} when reading savefiles`);
        const outgoing = `(${this.kind === 'sll' ? L16(0) : L8(10)} === 4)`;
        return a.k === 'outbound' ? outgoing : not(outgoing);
      }
      case 'pppoes':
        return this.pppoes(a.id);
      case 'llcControl': {
        // The control byte after DSAP and SSAP.
        const llc = this.llc();
        const at = this.kind === 'wlan' ? plus(this.wlanPayload(), 2 + this.shift) : (this.offType as number) + 4;
        return and(llc, `((${L8(at)} & ${a.mask}) === ${a.value})`);
      }
      case 'ifindex':
        if (this.kind !== 'sll2') throw new LinkError(`ifindex not supported on ${linkName(this.lt)} when reading savefiles`);
        return `(${L32(4)} === ${a.n >>> 0})`;
    }
  }

  private vlan(k: 'vlan' | 'mpls', id?: number): Code {
    if (k === 'mpls') return this.mpls(id);
    if (this.mplsDepth > 0) throw new LinkError('no VLAN match after MPLS');
    // 802.11 carries a VLAN tag as the EtherType of its SNAP header; libpcap 1.10 does not look
    // for it behind PPI (gen_vlan).
    if (this.kind !== 'eth' && !(this.kind === 'wlan' && this.radio !== 'ppi')) throw new LinkError(`no VLAN support for ${linkName(this.lt)}`);
    const off = this.offType;
    let c: Code = oneOf(L16(off), VLAN_TYPES);
    if (this.kind === 'wlan') c = and(this.wlanData(), c);
    if (id !== undefined) c = and(c, `((${L16(plus(off, 2))} & 0x0fff) === ${id})`);
    this.shift += 4;
    return c;
  }

  /**
   * libpcap gen_mpls: the first label follows the MPLS EtherType (Ethernet, Cisco HDLC); a further
   * one follows a label without the bottom-of-stack bit. Each moves the network header 4 bytes on.
   */
  private mpls(id?: number): Code {
    if (this.kind !== 'eth' && this.kind !== 'chdlc') throw new LinkError(`no MPLS support for ${linkName(this.lt)}`);
    // Ethernet and Cisco HDLC: offsets known while compiling.
    const nl = this.offNl as number;
    let c: Code = this.mplsDepth === 0 ? `(${L16(this.offType)} === 0x8847)` : `((${L8(nl - 2)} & 1) === 0)`;
    if (id !== undefined) c = and(c, `((${L32(nl)} >>> 12) === ${id})`);
    this.mplsDepth++;
    this.mplsShift += 4;
    return c;
  }

  /**
   * libpcap gen_pppoes: the PPPoE session EtherType (and session ID); from then on the link-layer
   * type is the PPP protocol field after the 6-byte PPPoE header.
   */
  private pppoes(id?: number): Code {
    let c = this.linktype(0x8864);
    const pppoe = this.offNl;
    if (id !== undefined) c = and(c, `(${L16(plus(pppoe, 2))} === ${id})`);
    this.pppAt = plus(pppoe, 6);
    return c;
  }

  /**
   * A protocol under MPLS labels (libpcap gen_mpls_linktype): the last label has the
   * bottom-of-stack bit and the IP version nibble follows; libpcap knows no other payload there.
   */
  private afterMpls(etype: number): Code {
    if (etype !== 0x0800 && etype !== 0x86dd) throw new LinkError('unsupported protocol over mpls');
    const nl = this.offNl as number;
    return `((${L8(nl - 2)} & 1) === 1 && (${L8(nl)} & 0xf0) === ${etype === 0x0800 ? 0x40 : 0x60})`;
  }

  private cast(k: 'broadcast' | 'multicast', proto?: string): Code {
    const nl = this.offNl;
    if (proto === 'ip') {
      // tcpdump -r compiles with a netmask of 0 (it knows no network for a file), so 'ip
      // broadcast' is a destination whose host part (all 32 bits) is all ones or all zeros.
      if (k === 'broadcast') return and(this.linktype(0x0800), or(`(${L32(plus(nl, 16))} === 0)`, `(${L32(plus(nl, 16))} === 0xffffffff)`));
      return and(this.linktype(0x0800), `(${L8(plus(nl, 16))} >= 224)`);
    }
    if (proto === 'ip6') {
      if (k === 'broadcast') throw new TcpdumpSyntaxError(MSG_SYNTAX, 0, 0);
      return and(this.linktype(0x86dd), `(${L8(plus(nl, 24))} === 0xff)`);
    }
    if (this.kind === 'wlan') {
      // The destination address (libpcap gen_wlanhostop with Q_DST).
      const h = this.wlanHeader();
      const test = (o: number): string => k === 'broadcast' ? `prefix(b, s, n, ${plus(h, o)}, K[${this.constant(BROADCAST)}], 48)` : `((${L8(plus(h, o))} & 1) === 1)`;
      return wlanAddressTest('dst', this.fc(0), this.fc(1), test);
    }
    if (this.kind !== 'eth') throw new LinkError(k === 'broadcast' ? MSG_NOT_BROADCAST : 'no multicast support for this link type');
    if (k === 'broadcast') return `(${L16(0)} === 0xffff && ${L32(2)} === 0xffffffff)`;
    return `((${L8(0)} & 1) === 1)`;
  }

  private arith(e: TdArith): Num {
    switch (e.k) {
      case 'num':
        return e.v >>> 0;
      case 'len':
        return 'w';
      case 'neg': {
        const x = this.arith(e.e);
        return typeof x === 'number' ? -x >>> 0 : `(-${x} >>> 0)`;
      }
      case 'bin': {
        const l = this.arith(e.l);
        const r = this.arith(e.r);
        if (typeof l === 'number' && typeof r === 'number') {
          if ((e.op === '/' || e.op === '%') && r === 0) throw new TcpdumpSyntaxError(e.op === '/' ? 'division by zero' : 'modulus by zero', e.start, e.end);
          return binop(e.op)(l, r);
        }
        return binopCode(e.op, l, r);
      }
      case 'load':
        return this.load(e);
    }
  }

  /** Guards the loads of a relation must pass first (gen_load: protocol present, first fragment). */
  private guards: Code[] = [];

  private load(e: Extract<TdArith, { k: 'load' }>): string {
    const I = this.arith(e.index);
    const size = e.size;
    const nl = this.offNl;
    switch (e.proto) {
      case 'link':
      case 'ether':
      case 'fddi':
      case 'tr':
      case 'wlan':
      case 'ppp':
      case 'slip':
        // From the link-layer header: the 802.11 header, after any radio header.
        return load(this.kind === 'wlan' ? (typeof I === 'number' ? plus(this.wlanHeader(), I) : `${this.wlanHeader()} + ${I}`) : I, size);
      case 'radio':
        // From the radio header itself (libpcap Q_RADIO), where there is one.
        if (this.radio !== 'radiotap' && this.radio !== 'avs' && this.radio !== 'prism') throw new LinkError('radio information not present in capture');
        return load(I, size);
      case 'ip':
      case 'ip6':
      case 'arp':
      case 'rarp':
        this.guards.push(this.protoAbbrev(e.proto));
        return load(`${nl} + ${I}`, size);
      case 'icmp6':
        this.guards.push(this.protoAbbrev('icmp6'));
        return load(`${plus(nl, 40)} + ${I}`, size);
      default:
        // Transport: relative to the IPv4 header length, first fragment only (gencode.c). On an
        // IPv6-only link libpcap folds this to "rejects all packets".
        if (this.kind === 'ipv6') this.guards.push(false);
        this.guards.push(and(this.protoAbbrev(e.proto), this.ipfrag()));
        return load(`${nl} + 4 * (${L8(nl)} & 0x0f) + ${I}`, size);
    }
  }

  private rel(a: Extract<TdAst, { k: 'rel' }>): Code {
    const saved = this.guards;
    this.guards = [];
    const l = this.arith(a.l);
    const r = this.arith(a.r);
    const guards = this.guards;
    this.guards = saved;
    const c: Code = typeof l === 'number' && typeof r === 'number' ? relop(a.op)(l, r) : `(${l} ${a.op === '=' || a.op === '==' ? '===' : a.op === '!=' ? '!==' : a.op} ${r})`;
    let g: Code = true;
    for (const x of guards) g = and(g, x);
    return and(g, c);
  }

  private prim(q: Qualifiers, id: TdToken, mask: TdToken | undefined, span: TdAst): Code {
    const dir: Dir = q.dir ?? 'src or dst';
    const type = q.type ?? 'host';
    const proto = q.proto;
    const err = (m: string): never => {
      throw new TcpdumpSyntaxError(m, span.start, span.end);
    };
    switch (type) {
      case 'host':
      case 'net':
      case 'gateway': {
        // libpcap resolves a gateway's name to its addresses, which tcpdump -r does not do.
        if (type === 'gateway') err(id.kind === 'id' ? "'gateway' not supported in this configuration" : "'gateway' requires a name");
        const text = id.value;
        const isLink = proto !== undefined && LINK_PROTOS.has(proto);
        // A MAC address literal (scanner.l's EID) goes with `ether host` (or `link`, `wlan`, ...) only.
        const mac = id.kind === 'addr' ? parseMac(text) : null;
        if (mac && !(isLink && type === 'host')) err('ethernet address used in non-ether expression');
        if (isLink) {
          if (!mac) err(id.kind === 'addr' && /\d+\.\d+/.test(text) ? 'illegal link layer address' : `unknown ${isWlanDir(dir) ? '802.11' : 'ether'} host '${text}'`);
          return this.linkHost(dir, mac!);
        }
        if (id.kind === 'id') err(`unknown host '${text}'`);
        if (isWlanDir(dir)) err(wlanDirMisusedMessage(dir, 'addresses other than 802.11 MAC addresses'));
        if (text.includes(':')) return this.host6(text, type, dir, proto, err);
        let v: number;
        let m: number;
        const slash = text.indexOf('/');
        if (slash >= 0 || mask) {
          if (type !== 'net') err(MSG_SYNTAX);
          const a = atoin(slash >= 0 ? text.slice(0, slash) : text);
          if (!a) err(MSG_SYNTAX);
          v = (a!.v << (32 - a!.bits)) >>> 0;
          if (a!.bits === 32) v = a!.v;
          if (mask) {
            const mm = atoin(mask.value);
            if (!mm || mm.bits !== 32) err(MSG_SYNTAX);
            m = mm!.v;
          } else {
            const bits = Number(text.slice(slash + 1));
            if (bits > 32) err('mask length must be <= 32');
            m = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
          }
          if ((v & ~m) >>> 0 !== 0) err(`non-network bits set in "${mask ? `${text} mask ${mask.value}` : text}"`);
        } else {
          const a = atoin(id.kind === 'num' ? String(id.num) : text);
          if (!a) err(MSG_SYNTAX);
          if (type === 'net') {
            // Promote a short net number: `net 10.1` = 10.1.0.0/16.
            v = a!.bits === 32 ? a!.v : (a!.v << (32 - a!.bits)) >>> 0;
            m = a!.bits === 32 ? 0xffffffff : (0xffffffff << (32 - a!.bits)) >>> 0;
          } else {
            v = a!.bits === 32 ? a!.v : (a!.v << (32 - a!.bits)) >>> 0;
            m = a!.bits === 32 ? 0xffffffff : (0xffffffff << (32 - a!.bits)) >>> 0;
          }
        }
        if (proto === 'ip6') err("'ip6' modifier applied to ip host");
        if (proto && !['ip', 'arp', 'rarp'].includes(proto)) err(`'${proto}' modifier applied to ${type}`);
        const nl = this.offNl;
        const match = (srcOff: number, dstOff: number): Code => {
          const at = (o: number): string => m === 0xffffffff ? `(${L32(plus(nl, o))} === ${v})` : `(((${L32(plus(nl, o))} & ${m}) >>> 0) === ${v})`;
          switch (dir) {
            case 'src': return at(srcOff);
            case 'dst': return at(dstOff);
            case 'src and dst': return and(at(srcOff), at(dstOff));
            default: return or(at(srcOff), at(dstOff));
          }
        };
        const ip = proto === undefined || proto === 'ip' ? and(this.linktype(0x0800), match(12, 16)) : false;
        // Under MPLS labels an unqualified host is IPv4's only (libpcap gen_host).
        const arpToo = proto === undefined && this.mplsDepth === 0;
        const arp = arpToo || proto === 'arp' ? and(this.linktype(0x0806), match(14, 24)) : false;
        const rarp = arpToo || proto === 'rarp' ? and(this.linktype(0x8035), match(14, 24)) : false;
        return or(or(ip, arp), rarp);
      }
      case 'port':
      case 'portrange': {
        let lo: number;
        let hi: number;
        if (type === 'port') {
          lo = hi = this.portNumber(id, err);
        } else {
          const m = /^([A-Za-z0-9_]+)-([A-Za-z0-9_]+)$/.exec(id.value);
          if (!m) lo = hi = this.portNumber(id, err);
          else {
            lo = this.portNumber({ ...id, kind: /^\d+$/.test(m[1]!) ? 'num' : 'id', value: m[1]!, num: Number(m[1]) }, err);
            hi = this.portNumber({ ...id, kind: /^\d+$/.test(m[2]!) ? 'num' : 'id', value: m[2]!, num: Number(m[2]) }, err);
            if (lo > hi) [lo, hi] = [hi, lo];
          }
        }
        const protos = proto === undefined || proto === 'ip' || proto === 'ip6' ? [6, 17, 132]
          : proto === 'tcp' ? [6] : proto === 'udp' ? [17] : proto === 'sctp' ? [132] : err(`'${proto}' modifier applied to ${type}`);
        if (isWlanDir(dir)) err(wlanDirMisusedMessage(dir, type === 'port' ? 'ports' : 'port ranges'));
        const inRange = (x: string): string => (lo === hi ? `(${x} === ${lo})` : `((x) => x >= ${lo} && x <= ${hi})(${x})`);
        const portAt = (base: string): Code => {
          const s = inRange(L16(base));
          const d = inRange(L16(`${base} + 2`));
          switch (dir) {
            case 'src': return s;
            case 'dst': return d;
            case 'src and dst': return `(${s} && ${d})`;
            default: return `(${s} || ${d})`;
          }
        };
        const nl = this.offNl;
        const v4 = proto === 'ip6' ? false : and(and(and(this.linktype(0x0800), oneOf(L8(plus(nl, 9)), protos)), this.ipfrag()),
          portAt(`${nl} + 4 * (${L8(nl)} & 0x0f)`));
        const v6 = proto === 'ip' ? false : and(and(this.linktype(0x86dd), oneOf(L8(plus(nl, 6)), protos)), portAt(String(plus(nl, 40))));
        return or(v4, v6);
      }
      case 'proto':
      case 'protochain': {
        const name = id.value;
        if (proto !== undefined && LINK_PROTOS.has(proto)) {
          const v = id.kind === 'num' ? id.num! : ETHER_PROTOS[name];
          if (v === undefined) err(`unknown ether proto '${name}'`);
          return this.linktype(v!);
        }
        const v = id.kind === 'num' ? id.num! : IP_PROTOS[name];
        if (v === undefined) err(`unknown ip proto '${name}'`);
        if (type === 'protochain') {
          if (proto !== undefined && proto !== 'ip' && proto !== 'ip6') err(`'${proto}' modifier applied to ${type}`);
          const v4 = proto === 'ip6' ? false : and(this.linktype(0x0800), this.chain(v!, 4));
          const v6 = proto === 'ip' ? false : and(this.linktype(0x86dd), this.chain(v!, 6));
          return or(v4, v6);
        }
        if (proto === 'ip') return this.ipProto(v!, 'ip');
        if (proto === 'ip6') return this.ipProto(v!, 'ip6');
        if (proto === undefined) return this.ipProto(v!, 'both');
        return err(`'${proto}' modifier applied to ${type}`);
      }
    }
  }

  /** libpcap gen_protochain (the run-time walk: chain()). */
  private chain(proto: number, version: 4 | 6): string {
    if (this.kind === 'wlan') throw new LinkError("'protochain' not supported with variable length headers");
    return `chain(b, s, n, ${this.offNl}, ${proto}, ${version})`;
  }

  private portNumber(id: TdToken, err: (m: string) => never): number {
    let v: number | undefined;
    if (id.kind === 'num') v = id.num!;
    else if (id.kind === 'id') v = PORTS[id.value];
    if (v === undefined) return err(`unknown port '${id.value}'`);
    if (v > 65535) return err(`illegal port number ${v} > 65535`);
    return v;
  }

  /** `ether host MAC` & co.: Ethernet's two addresses, or where 802.11 puts them. */
  private linkHost(dir: Dir, mac: Uint8Array): Code {
    if (this.kind === 'wlan') {
      const h = this.wlanHeader();
      const k = this.constant(mac);
      return wlanAddressTest(dir, this.fc(0), this.fc(1), (o) => `prefix(b, s, n, ${plus(h, o)}, K[${k}], 48)`);
    }
    if (this.kind !== 'eth') throw new LinkError(MSG_NOT_ETHER);
    if (isWlanDir(dir)) throw new LinkError(wlanDirOnlyMessage(dir));
    return this.bytesDir(dir, mac);
  }

  private bytesDir(dir: Dir, addr: Uint8Array): Code {
    const at = (o: number): string => `prefix(b, s, n, ${o}, K[${this.constant(addr)}], ${addr.length * 8})`;
    const src = at(6);
    const dst = at(0);
    switch (dir) {
      case 'src': return src;
      case 'dst': return dst;
      case 'src and dst': return and(src, dst);
      default: return or(src, dst);
    }
  }

  /** Constants the generated code reads as K[i] (addresses). */
  readonly constants: Uint8Array[] = [];
  private constant(v: Uint8Array): number {
    this.constants.push(v);
    return this.constants.length - 1;
  }

  private host6(text: string, type: string, dir: Dir, proto: string | undefined, err: (m: string) => never): Code {
    const [a, len] = text.split('/', 2) as [string, string | undefined];
    const addr = parseIPv6(a);
    if (!addr) return err(MSG_SYNTAX);
    if (proto === 'ip') err("'ip' modifier applied to ip6 host");
    if (proto && proto !== 'ip6') err(`'${proto}' modifier applied to ${type}`);
    let bits = 128;
    if (len !== undefined) {
      if (type !== 'net') err(MSG_SYNTAX);
      bits = Number(len);
      if (bits > 128) err('mask length must be <= 128');
    }
    const nl = this.offNl;
    const k = this.constant(addr);
    const at = (o: number): string => `prefix(b, s, n, ${plus(nl, o)}, K[${k}], ${bits})`;
    const m = dir === 'src' ? at(8) : dir === 'dst' ? at(24) : dir === 'src and dst' ? and(at(8), at(24)) : or(at(8), at(24));
    return and(this.linktype(0x86dd), m);
  }
}

function binop(op: string): (a: number, b: number) => number {
  switch (op) {
    case '+': return (a, b) => (a + b) >>> 0;
    case '-': return (a, b) => (a - b) >>> 0;
    case '*': return (a, b) => Math.imul(a, b) >>> 0;
    case '/': return div;
    case '%': return mod;
    case '&': return (a, b) => (a & b) >>> 0;
    case '|': return (a, b) => (a | b) >>> 0;
    case '^': return (a, b) => (a ^ b) >>> 0;
    case '<<': return shl;
    default: return shr;
  }
}

/** binop as generated code (each operand evaluated once). */
function binopCode(op: string, a: Num, b: Num): string {
  switch (op) {
    case '+': case '-': case '&': case '|': case '^': return `((${a} ${op} ${b}) >>> 0)`;
    case '*': return `(Math.imul(${a}, ${b}) >>> 0)`;
    case '/': return `div(${a}, ${b})`;
    case '%': return `mod(${a}, ${b})`;
    case '<<': return `shl(${a}, ${b})`;
    default: return `shr(${a}, ${b})`;
  }
}

function relop(op: string): (a: number, b: number) => boolean {
  switch (op) {
    case '>': return (a, b) => a > b;
    case '<': return (a, b) => a < b;
    case '>=': return (a, b) => a >= b;
    case '<=': return (a, b) => a <= b;
    case '!=': return (a, b) => a !== b;
    default: return (a, b) => a === b;
  }
}

/**
 * A compiled test of the packet b[s, s + n) whose original length is w. Loops over many records
 * (filter-write.ts) call one directly: a single monomorphic call V8 can inline.
 */
export type PacketMatcher = (b: Uint8Array, s: number, n: number, w: number) => boolean;
const NEVER: PacketMatcher = () => false;
const ALWAYS: PacketMatcher = () => true;
type Program = { ok: true; test: PacketMatcher; source: MatcherSource } | { ok: false; message: string };

/**
 * A PacketMatcher as JavaScript source: `test` is an expression over the packet `b[s, s + n)`
 * (wire length `w`) and the bindings in `names`/`values` (the run-time helpers). Its value is
 * the verdict once `state.rejected` is cleared before it and checked after it (verdictExpression).
 */
export interface MatcherSource {
  test: string;
  names: string[];
  values: unknown[];
}

/** The bindings every generated test uses. */
function sourceOf(test: string, constants: unknown[]): MatcherSource {
  return { test, names: [...Object.keys(HELPERS), 'chain', 'K', 'state'], values: [...Object.values(HELPERS), chain, constants, state] };
}

/**
 * The verdict of a test as one expression: the rejected flag cleared before it and checked after
 * it (a load past the captured bytes rejects the packet, whatever the test says).
 */
export function verdictExpression(src: MatcherSource): string {
  return `(state.rejected = false, (${src.test}) && !state.rejected)`;
}

/** A test as a function: the matcher matcher() returns. */
export function wrapMatcherSource(src: MatcherSource): PacketMatcher {
  const body = `'use strict'; return (b, s, n, w) => ${verdictExpression(src)};`;
  // The source is ours alone: numbers and helper calls generated here, no text of the filter.
  return (new Function(...src.names, body) as (...a: unknown[]) => PacketMatcher)(...src.values);
}

const ALWAYS_SOURCE = sourceOf('true', []);
const NEVER_SOURCE = sourceOf('false', []);

function build(ast: TdAst, lt: number): Program {
  try {
    const gen = new Gen(lt);
    const code = gen.wrap(gen.test(ast));
    if (code === false) return { ok: false, message: MSG_REJECTS_ALL };
    if (code === true) return { ok: true, test: ALWAYS, source: ALWAYS_SOURCE };
    const source = sourceOf(code, gen.constants);
    return { ok: true, test: wrapMatcherSource(source), source };
  } catch (e) {
    if (e instanceof LinkError) return { ok: false, message: e.message };
    if (e instanceof TcpdumpSyntaxError) return { ok: false, message: e.message };
    throw e;
  }
}

/**
 * libpcap gen_protochain: walk the header chain from the network header at `nl` (IPv6
 * hop-by-hop, routing, destination options, fragment and AH headers; IPv4 AH) until `proto` is
 * met or an unknown header ends it.
 */
function chain(b: Uint8Array, s: number, n: number, nl: number, proto: number, version: 4 | 6): boolean {
  let nh = version === 4 ? u8(b, s, n, nl + 9) : u8(b, s, n, nl + 6);
  let off = version === 4 ? nl + 4 * (u8(b, s, n, nl) & 0x0f) : nl + 40;
  for (let hops = 0; hops < 64; hops++) {
    if (nh === proto) return true;
    if (version === 6 && (nh === 0 || nh === 43 || nh === 60)) {
      const next = u8(b, s, n, off);
      off += (u8(b, s, n, off + 1) + 1) * 8;
      nh = next;
    } else if (version === 6 && nh === 44) {
      nh = u8(b, s, n, off);
      off += 8;
    } else if (nh === 51) {
      const next = u8(b, s, n, off);
      off += (u8(b, s, n, off + 1) + 2) * 4;
      nh = next;
    } else {
      return false;
    }
  }
  return false;
}

/**
 * Compiles a tcpdump expression. Syntax errors and link-independent semantic errors (bad port
 * number, non-network bits, division by zero) are reported here, checked against Ethernet.
 */
export function compileTcpdump(text: string): TcpdumpResult {
  let ast: TdAst;
  try {
    ast = parseTcpdump(text);
    // Semantic errors that do not depend on the link type surface now.
    new Gen(1).test(ast);
  } catch (e) {
    if (e instanceof TcpdumpSyntaxError) return { ok: false, error: { message: e.message, start: e.start, end: e.end } };
    if (e instanceof LinkError) {
      /* link-specific: reported by errorFor */
    } else throw e;
  }
  const programs = new Map<number, Program>();
  // Files have one link type, or a few: remember the last one asked for.
  let lastLt = -1;
  let last: Program | null = null;
  const program = (lt: number): Program => {
    if (lt === lastLt && last) return last;
    let p = programs.get(lt);
    if (!p) programs.set(lt, (p = build(ast, lt)));
    lastLt = lt;
    return (last = p);
  };
  const matcher = (lt: number): PacketMatcher => {
    const p = program(lt);
    return p.ok ? p.test : NEVER;
  };
  const matcherSource = (lt: number): MatcherSource => {
    const p = program(lt);
    return p.ok ? p.source : NEVER_SOURCE;
  };
  const testAt = (buf: Uint8Array, start: number, capLen: number, lt: number, wireLen: number): boolean => matcher(lt)(buf, start, capLen, wireLen);
  return {
    ok: true,
    filter: {
      language: 'tcpdump',
      text,
      errorFor(lt) {
        const p = program(lt);
        return p.ok ? null : p.message;
      },
      test: (bytes, lt, wireLen) => testAt(bytes, 0, bytes.length, lt, wireLen ?? bytes.length),
      testAt,
      matcher,
      matcherSource,
    },
  };
}
