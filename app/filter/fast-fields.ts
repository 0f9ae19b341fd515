// The filter's fast path: the common link/network/transport fields decoded straight from the
// packet bytes, without running the dissectors (which cost ~20 µs a packet with every layer,
// column and tracker). A FieldSource like a dissection's, for the fields in COVERED only.
//
// Its values must equal what full dissection gives (fast-fields.diff.test.ts checks every covered
// field on every corpus packet), so it only answers for packets it understands completely:
// Ethernet or Linux cooked capture (with 802.1Q tags) or raw IP, then IPv4 without options or fragments / IPv6 without
// extension headers / ARP for IPv4 over Ethernet, then TCP, UDP, ICMP echo or ICMPv6 echo and
// neighbour discovery, all captured in full. Anything else (a fragment that may be reassembled,
// a tunnel or ICMP error that carries a second ip.src, a snaplen-cut or impossible length, an
// EtherType some dissector would take further) makes decode() return false, and the caller
// dissects that packet in full. None of the covered fields depends on other packets (relative
// sequence numbers, stream indexes and analysis flags are deliberately not here), so deciding
// packet by packet is sound: every packet the fast path refuses is dissected, in order.
import { fieldByName } from '../dissect/field.js';
// The field definitions live with their dissectors: load them all before looking names up.
import '../dissect/protocols/index.js';
import { f5TrailerTlvAt } from '../dissect/protocols/f5ethtrailer.js';
import type { FieldValue } from '../dissect/tree.js';
import type { FieldSource } from './compile.js';

/** The fields the fast path decodes, each with the slot its values are computed in. */
const COVERED = [
  'frame', 'frame.number', 'frame.len', 'frame.cap_len', 'frame.time', 'frame.time_epoch', 'frame.time_delta',
  'frame.time_relative', 'frame.marked', 'frame.ignored', 'frame.linktype',
  'eth', 'eth.dst', 'eth.src', 'eth.addr', 'eth.dst.lg', 'eth.dst.ig', 'eth.src.lg', 'eth.src.ig', 'eth.type',
  'vlan', 'vlan.priority', 'vlan.dei', 'vlan.id', 'vlan.etype',
  'ip', 'ip.version', 'ip.hdr_len', 'ip.dsfield', 'ip.dsfield.dscp', 'ip.dsfield.ecn', 'ip.len', 'ip.id', 'ip.flags',
  'ip.flags.rb', 'ip.flags.df', 'ip.flags.mf', 'ip.frag_offset', 'ip.ttl', 'ip.proto', 'ip.checksum', 'ip.checksum.status',
  'ip.src', 'ip.dst', 'ip.addr',
  'ipv6', 'ipv6.version', 'ipv6.tclass', 'ipv6.tclass.dscp', 'ipv6.tclass.ecn', 'ipv6.flow', 'ipv6.plen', 'ipv6.nxt',
  'ipv6.hlim', 'ipv6.src', 'ipv6.dst', 'ipv6.addr',
  'arp', 'arp.hw.type', 'arp.proto.type', 'arp.hw.size', 'arp.proto.size', 'arp.opcode', 'arp.src.hw_mac',
  'arp.src.proto_ipv4', 'arp.dst.hw_mac', 'arp.dst.proto_ipv4',
  // Not tcp.flags.ae, .cwr and .ece: a connection that uses Accurate ECN has tcp.flags.ace in their place.
  'tcp', 'tcp.srcport', 'tcp.dstport', 'tcp.port', 'tcp.len', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.flags',
  'tcp.flags.res', 'tcp.flags.urg', 'tcp.flags.ack', 'tcp.flags.push',
  'tcp.flags.reset', 'tcp.flags.syn', 'tcp.flags.fin', 'tcp.window_size_value', 'tcp.checksum', 'tcp.checksum.status',
  'tcp.urgent_pointer', 'tcp.payload',
  'udp', 'udp.srcport', 'udp.dstport', 'udp.port', 'udp.length', 'udp.checksum', 'udp.checksum.status', 'udp.payload',
  'icmp', 'icmp.type', 'icmp.code', 'icmp.checksum',
  'icmpv6', 'icmpv6.type', 'icmpv6.code', 'icmpv6.checksum',
] as const;
type CoveredName = (typeof COVERED)[number];

/** Field id -> slot (index in COVERED), -1 when not covered. */
const slotOf: Int16Array = (() => {
  let max = 0;
  const ids = COVERED.map((name) => {
    const def = fieldByName(name);
    if (!def) throw new Error(`fast-fields: no field ${name} in the registry`);
    max = Math.max(max, def.id);
    return def.id;
  });
  const t = new Int16Array(max + 1).fill(-1);
  ids.forEach((id, slot) => (t[id] = slot));
  return t;
})();

/** The names of the fields the fast path decodes (documentation and tests). */
export const FAST_FIELD_NAMES: readonly string[] = COVERED;

/** Whether the fast path can answer for every one of these field ids. */
export function fastPathCovers(ids: Iterable<number>): boolean {
  for (const id of ids) if (!fastPathCoversField(id)) return false;
  return true;
}

/** Whether the fast path decodes this field (a FastFieldSource answers it for the packets it takes). */
export function fastPathCoversField(id: number): boolean {
  return id < slotOf.length && slotOf[id]! >= 0;
}

const NONE: readonly never[] = [];
const L3_NONE = 0, L3_IPV4 = 4, L3_IPV6 = 6, L3_ARP = 8;
const MAX_VLAN = 4;

/** ICMP types with no quoted packet and nothing the ICMP dissector hands further. */
const ICMP_PLAIN = new Uint8Array(256);
ICMP_PLAIN[0] = 1;
ICMP_PLAIN[8] = 1;
const ICMPV6_PLAIN = new Uint8Array(256);
for (const t of [128, 129, 133, 134, 135, 136]) ICMPV6_PLAIN[t] = 1;

export class FastFieldSource implements FieldSource {
  // What the record says (set by the caller before decode()).
  number = 0;
  tsSec = 0;
  tsNsec = 0;
  /** Time of the first record; of the previous one (hasPrev false: this is the first). */
  firstSec = 0;
  firstNsec = 0;
  prevSec = 0;
  prevNsec = 0;
  hasPrev = false;

  // The packet as decoded (read by the extractors below; not for callers).
  /** @internal */ buf: Uint8Array = new Uint8Array(0);
  /** @internal */ base = 0;
  /** @internal */ capLen = 0;
  /** @internal */ origLen = 0;
  /** @internal */ linkType = 0;
  /** @internal */ eth = false;
  /** @internal */ vlans = 0;
  /** @internal */ readonly vlanOff = new Int32Array(MAX_VLAN);
  /** @internal */ l3 = L3_NONE;
  /** @internal */ l3Off = 0;
  /** @internal IPv4 header length, or 40 for IPv6. */ l3HdrLen = 0;
  /** @internal */ l4 = 0;
  /** @internal */ l4Off = 0;
  /** @internal Bytes of the transport layer as the network layer reports them (IP payload length). */ l4Len = 0;
  /** @internal */ tcpHdrLen = 0;
  /**
   * The bytes after the datagram start like an F5 BIG-IP trailer (f5ethtrailer.ts), which puts
   * the packet's direction in front of Info: its header fields are as decoded, but a summary line
   * written from them would miss that (summary-fast.ts dissects such a packet).
   */
  f5Trailer = false;

  // An extractor's result: 1 or 2 values in `a`, `b`; more in `many`.
  /** @internal */ a: FieldValue = null;
  /** @internal */ b: FieldValue = null;
  /** @internal */ many: FieldValue[] = [];
  /** Per slot, reused result arrays of length 1 and 2 (no allocation per packet). */
  private readonly ones: FieldValue[][] = COVERED.map(() => [null]);
  private readonly twos: FieldValue[][] = COVERED.map(() => [null, null]);

  /**
   * Decodes one packet's headers from buf[start, start + capLen). Returns false when the
   * packet is anything the fast path does not understand completely: dissect it instead.
   */
  decode(buf: Uint8Array, start: number, capLen: number, origLen: number, linkType: number): boolean {
    this.buf = buf;
    this.base = start;
    this.capLen = capLen;
    this.origLen = origLen;
    this.linkType = linkType;
    this.eth = false;
    this.vlans = 0;
    this.l3 = L3_NONE;
    this.l4 = 0;
    this.f5Trailer = false;
    // A packet cut by the snaplen: the dissectors' truncation rules decide what is left.
    if (capLen !== origLen) return false;
    const b = buf;
    const end = start + capLen;
    let off: number;
    let type: number;
    switch (linkType) {
      case 1:
        if (capLen < 14) return false;
        this.eth = true;
        type = (b[start + 12]! << 8) | b[start + 13]!;
        off = start + 14;
        break;
      case 113: case 276: {
        // Linux cooked capture v1/v2: an EtherType unless it is a LINUX_SLL_P_* pseudo
        // protocol (<= 1500) or the payload of a netlink socket (ARPHRD_NETLINK 824).
        const v2 = linkType === 276;
        if (capLen < (v2 ? 20 : 16)) return false;
        const hatype = v2 ? (b[start + 8]! << 8) | b[start + 9]! : (b[start + 2]! << 8) | b[start + 3]!;
        type = v2 ? (b[start]! << 8) | b[start + 1]! : (b[start + 14]! << 8) | b[start + 15]!;
        if (type <= 1500 || hatype === 824) return false;
        off = start + (v2 ? 20 : 16);
        break;
      }
      case 101: case 12: case 14: case 228: case 229: {
        if (capLen < 1) return false;
        const v = b[start]! >> 4;
        if (linkType === 228 && v !== 4) return false;
        if (linkType === 229 && v !== 6) return false;
        type = v === 4 ? 0x0800 : v === 6 ? 0x86dd : -1;
        off = start;
        break;
      }
      default:
        return false;
    }
    while (type === 0x8100 || type === 0x9100) {
      if (this.vlans === MAX_VLAN || off + 4 > end) return false;
      this.vlanOff[this.vlans++] = off - start;
      type = (b[off + 2]! << 8) | b[off + 3]!;
      off += 4;
    }
    this.l3Off = off - start;
    switch (type) {
      case 0x0800: return this.ipv4(off, end);
      case 0x86dd: return this.ipv6(off, end);
      case 0x0806: return this.arp(off, end);
      default: return false;
    }
  }

  /** Whether decode() found an IPv4 or IPv6 header (not ARP). */
  get isIp(): boolean {
    return this.l3 === L3_IPV4 || this.l3 === L3_IPV6;
  }

  private ipv4(off: number, end: number): boolean {
    const b = this.buf;
    if (off + 20 > end) return false;
    const b0 = b[off]!;
    if (b0 !== 0x45) return false; // version 4, no options (a source route changes ip.dst)
    const total = (b[off + 2]! << 8) | b[off + 3]!;
    if (total < 20 || off + total > end) return false; // TSO zero, impossible or cut short
    if (((b[off + 6]! << 8) | b[off + 7]!) & 0x3fff) return false; // MF or an offset: reassembly
    this.f5Trailer = f5TrailerTlvAt(b, off + total, end) > 0;
    this.l3 = L3_IPV4;
    this.l3HdrLen = 20;
    return this.transport(b[off + 9]!, off + 20, total - 20, ICMP_PLAIN);
  }

  private ipv6(off: number, end: number): boolean {
    const b = this.buf;
    if (off + 40 > end || b[off]! >> 4 !== 6) return false;
    const plen = (b[off + 4]! << 8) | b[off + 5]!;
    if (plen === 0 || off + 40 + plen > end) return false;
    const nxt = b[off + 6]!;
    if (nxt !== 6 && nxt !== 17 && nxt !== 58) return false; // extension headers, tunnels
    this.f5Trailer = f5TrailerTlvAt(b, off + 40 + plen, end) > 0;
    this.l3 = L3_IPV6;
    this.l3HdrLen = 40;
    return this.transport(nxt, off + 40, plen, ICMPV6_PLAIN);
  }

  private arp(off: number, end: number): boolean {
    const b = this.buf;
    if (off + 28 > end) return false;
    // Ethernet/IPv4 ARP (hardware 1, size 6; protocol 0x0800, size 4), request or reply.
    if (b[off]! !== 0 || b[off + 1]! !== 1 || b[off + 2]! !== 8 || b[off + 3]! !== 0 || b[off + 4]! !== 6 || b[off + 5]! !== 4) return false;
    const op = (b[off + 6]! << 8) | b[off + 7]!;
    if (op !== 1 && op !== 2) return false;
    this.l3 = L3_ARP;
    return true;
  }

  private transport(proto: number, off: number, len: number, plainIcmp: Uint8Array): boolean {
    const b = this.buf;
    this.l4Off = off - this.base;
    this.l4Len = len;
    switch (proto) {
      case 6: {
        if (len < 20) return false;
        const hlen = (b[off + 12]! >> 4) * 4;
        if (hlen < 20 || hlen > len) return false;
        this.tcpHdrLen = hlen;
        this.l4 = 6;
        return true;
      }
      case 17: {
        if (len < 8) return false;
        const ulen = (b[off + 4]! << 8) | b[off + 5]!;
        if (ulen < 8 || ulen > len) return false;
        this.l4 = 17;
        return true;
      }
      case 1:
        if (this.l3 !== L3_IPV4 || len < 8 || !plainIcmp[b[off]!]) return false;
        this.l4 = 1;
        return true;
      case 58:
        if (this.l3 !== L3_IPV6 || len < 8 || !plainIcmp[b[off]!]) return false;
        this.l4 = 58;
        return true;
      default:
        return false;
    }
  }

  // ---- FieldSource ------------------------------------------------------------------------

  values(fieldId: number): readonly FieldValue[] {
    const slot = fieldId < slotOf.length ? slotOf[fieldId]! : -1;
    if (slot < 0) return NONE;
    // The arrays are reused: a filter reads them before asking for the next packet.
    switch (EXTRACT[slot]!(this)) {
      case 0: return NONE;
      case 1: {
        const out = this.ones[slot]!;
        out[0] = this.a;
        return out;
      }
      case 2: {
        const out = this.twos[slot]!;
        out[0] = this.a;
        out[1] = this.b;
        return out;
      }
      default: return this.many;
    }
  }

  ranges(fieldId: number): readonly Uint8Array[] {
    const slot = fieldId < slotOf.length ? slotOf[fieldId]! : -1;
    // A protocol's bytes run from its first byte to the end of the captured data (see
    // fieldSourceFromDissection); only protocols are asked for as ranges (check.ts).
    const start = slot < 0 ? null : PROTOCOL_START[slot];
    if (!start) return NONE;
    const out: Uint8Array[] = [];
    for (const rel of start(this)) out.push(this.buf.subarray(this.base + rel, this.base + this.capLen));
    return out;
  }

  /** @internal */ u8(rel: number): number {
    return this.buf[this.base + rel]!;
  }
  /** @internal */ u16(rel: number): number {
    const i = this.base + rel;
    return (this.buf[i]! << 8) | this.buf[i + 1]!;
  }
  /** @internal */ u32(rel: number): number {
    const i = this.base + rel;
    const b = this.buf;
    return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }
  /** @internal */ bytes(rel: number, n: number): Uint8Array {
    return this.buf.subarray(this.base + rel, this.base + rel + n);
  }
  /** @internal */ one(v: FieldValue): number {
    this.a = v;
    return 1;
  }
  /** @internal */ two(v: FieldValue, w: FieldValue): number {
    this.a = v;
    this.b = w;
    return 2;
  }
  /** @internal */ perVlan(f: (tagOffset: number) => FieldValue): number {
    const n = this.vlans;
    if (n === 0) return 0;
    if (n === 1) return this.one(f(this.vlanOff[0]!));
    if (n === 2) return this.two(f(this.vlanOff[0]!), f(this.vlanOff[1]!));
    this.many = [];
    for (let i = 0; i < n; i++) this.many.push(f(this.vlanOff[i]!));
    return n;
  }
}

type Extract = (p: FastFieldSource) => number;
const v4 = (p: FastFieldSource): boolean => p.l3 === L3_IPV4;
const v6 = (p: FastFieldSource): boolean => p.l3 === L3_IPV6;
const isArp = (p: FastFieldSource): boolean => p.l3 === L3_ARP;
const tcp = (p: FastFieldSource): boolean => p.l4 === 6;
const udp = (p: FastFieldSource): boolean => p.l4 === 17;
const icmp = (p: FastFieldSource): boolean => p.l4 === 1;
const icmp6 = (p: FastFieldSource): boolean => p.l4 === 58;
/** TCP flag bit `mask` of the 12-bit flags word, as the boolean tcp.flags.* fields. */
const tcpFlag = (mask: number): Extract => (p) => (tcp(p) ? p.one((p.u16(p.l4Off + 12) & mask) !== 0) : 0);

/** Per covered field: its values for the decoded packet, in the order full dissection adds them. */
const EXTRACTORS: Record<CoveredName, Extract> = {
  // frame (frame.ts: what the record says)
  'frame': (p) => p.one(null),
  'frame.number': (p) => p.one(p.number),
  'frame.len': (p) => p.one(p.origLen),
  'frame.cap_len': (p) => p.one(p.capLen),
  'frame.time': (p) => p.one({ sec: p.tsSec, nsec: p.tsNsec }),
  'frame.time_epoch': (p) => p.one({ sec: p.tsSec, nsec: p.tsNsec }),
  // The same expression as frame.ts's secondsBetween, so the doubles are identical.
  'frame.time_delta': (p) => p.one(p.hasPrev ? p.tsSec - p.prevSec + (p.tsNsec - p.prevNsec) / 1e9 : 0),
  'frame.time_relative': (p) => p.one(p.tsSec - p.firstSec + (p.tsNsec - p.firstNsec) / 1e9),
  'frame.marked': (p) => p.one(false),
  'frame.ignored': (p) => p.one(false),
  'frame.linktype': (p) => p.one(p.linkType),
  // Ethernet: eth.addr under each address, destination first (eth.ts)
  'eth': (p) => (p.eth ? p.one(null) : 0),
  'eth.dst': (p) => (p.eth ? p.one(p.bytes(0, 6)) : 0),
  'eth.src': (p) => (p.eth ? p.one(p.bytes(6, 6)) : 0),
  'eth.addr': (p) => (p.eth ? p.two(p.bytes(0, 6), p.bytes(6, 6)) : 0),
  'eth.dst.lg': (p) => (p.eth ? p.one((p.u8(0) & 2) !== 0) : 0),
  'eth.dst.ig': (p) => (p.eth ? p.one((p.u8(0) & 1) !== 0) : 0),
  'eth.src.lg': (p) => (p.eth ? p.one((p.u8(6) & 2) !== 0) : 0),
  'eth.src.ig': (p) => (p.eth ? p.one((p.u8(6) & 1) !== 0) : 0),
  'eth.type': (p) => (p.eth ? p.one(p.u16(12)) : 0),
  // 802.1Q tags, outermost first
  'vlan': (p) => p.perVlan(() => null),
  'vlan.priority': (p) => p.perVlan((o) => p.u16(o) >> 13),
  'vlan.dei': (p) => p.perVlan((o) => ((p.u16(o) >> 12) & 1) === 1),
  'vlan.id': (p) => p.perVlan((o) => p.u16(o) & 0xfff),
  'vlan.etype': (p) => p.perVlan((o) => p.u16(o + 2)),
  // IPv4 (ip.version is also IPv6's hidden copy, as packet-ipv6.c adds it)
  'ip': (p) => (v4(p) ? p.one(null) : 0),
  'ip.version': (p) => (v4(p) || v6(p) ? p.one(p.u8(p.l3Off) >> 4) : 0),
  'ip.hdr_len': (p) => (v4(p) ? p.one(p.l3HdrLen) : 0),
  'ip.dsfield': (p) => (v4(p) ? p.one(p.u8(p.l3Off + 1)) : 0),
  'ip.dsfield.dscp': (p) => (v4(p) ? p.one(p.u8(p.l3Off + 1) >> 2) : 0),
  'ip.dsfield.ecn': (p) => (v4(p) ? p.one(p.u8(p.l3Off + 1) & 3) : 0),
  'ip.len': (p) => (v4(p) ? p.one(p.u16(p.l3Off + 2)) : 0),
  'ip.id': (p) => (v4(p) ? p.one(p.u16(p.l3Off + 4)) : 0),
  'ip.flags': (p) => (v4(p) ? p.one(p.u8(p.l3Off + 6) >> 5) : 0),
  'ip.flags.rb': (p) => (v4(p) ? p.one((p.u8(p.l3Off + 6) & 0x80) !== 0) : 0),
  'ip.flags.df': (p) => (v4(p) ? p.one((p.u8(p.l3Off + 6) & 0x40) !== 0) : 0),
  'ip.flags.mf': (p) => (v4(p) ? p.one((p.u8(p.l3Off + 6) & 0x20) !== 0) : 0),
  'ip.frag_offset': (p) => (v4(p) ? p.one(p.u16(p.l3Off + 6) & 0x1fff) : 0),
  'ip.ttl': (p) => (v4(p) ? p.one(p.u8(p.l3Off + 8)) : 0),
  'ip.proto': (p) => (v4(p) ? p.one(p.u8(p.l3Off + 9)) : 0),
  'ip.checksum': (p) => (v4(p) ? p.one(p.u16(p.l3Off + 10)) : 0),
  'ip.checksum.status': (p) => (v4(p) ? p.one(2) : 0),
  'ip.src': (p) => (v4(p) ? p.one(p.u32(p.l3Off + 12)) : 0),
  'ip.dst': (p) => (v4(p) ? p.one(p.u32(p.l3Off + 16)) : 0),
  'ip.addr': (p) => (v4(p) ? p.two(p.u32(p.l3Off + 12), p.u32(p.l3Off + 16)) : 0),
  // IPv6
  'ipv6': (p) => (v6(p) ? p.one(null) : 0),
  'ipv6.version': (p) => (v6(p) ? p.one(6) : 0),
  'ipv6.tclass': (p) => (v6(p) ? p.one((p.u32(p.l3Off) >>> 20) & 0xff) : 0),
  'ipv6.tclass.dscp': (p) => (v6(p) ? p.one(((p.u32(p.l3Off) >>> 20) & 0xff) >> 2) : 0),
  'ipv6.tclass.ecn': (p) => (v6(p) ? p.one((p.u32(p.l3Off) >>> 20) & 3) : 0),
  'ipv6.flow': (p) => (v6(p) ? p.one(p.u32(p.l3Off) & 0xfffff) : 0),
  'ipv6.plen': (p) => (v6(p) ? p.one(p.u16(p.l3Off + 4)) : 0),
  'ipv6.nxt': (p) => (v6(p) ? p.one(p.u8(p.l3Off + 6)) : 0),
  'ipv6.hlim': (p) => (v6(p) ? p.one(p.u8(p.l3Off + 7)) : 0),
  'ipv6.src': (p) => (v6(p) ? p.one(p.bytes(p.l3Off + 8, 16)) : 0),
  'ipv6.dst': (p) => (v6(p) ? p.one(p.bytes(p.l3Off + 24, 16)) : 0),
  'ipv6.addr': (p) => (v6(p) ? p.two(p.bytes(p.l3Off + 8, 16), p.bytes(p.l3Off + 24, 16)) : 0),
  // ARP (Ethernet/IPv4 only)
  'arp': (p) => (isArp(p) ? p.one(null) : 0),
  'arp.hw.type': (p) => (isArp(p) ? p.one(p.u16(p.l3Off)) : 0),
  'arp.proto.type': (p) => (isArp(p) ? p.one(p.u16(p.l3Off + 2)) : 0),
  'arp.hw.size': (p) => (isArp(p) ? p.one(p.u8(p.l3Off + 4)) : 0),
  'arp.proto.size': (p) => (isArp(p) ? p.one(p.u8(p.l3Off + 5)) : 0),
  'arp.opcode': (p) => (isArp(p) ? p.one(p.u16(p.l3Off + 6)) : 0),
  'arp.src.hw_mac': (p) => (isArp(p) ? p.one(p.bytes(p.l3Off + 8, 6)) : 0),
  'arp.src.proto_ipv4': (p) => (isArp(p) ? p.one(p.u32(p.l3Off + 14)) : 0),
  'arp.dst.hw_mac': (p) => (isArp(p) ? p.one(p.bytes(p.l3Off + 18, 6)) : 0),
  'arp.dst.proto_ipv4': (p) => (isArp(p) ? p.one(p.u32(p.l3Off + 24)) : 0),
  // TCP (header fields only: nothing that needs the connection tracker)
  'tcp': (p) => (tcp(p) ? p.one(null) : 0),
  'tcp.srcport': (p) => (tcp(p) ? p.one(p.u16(p.l4Off)) : 0),
  'tcp.dstport': (p) => (tcp(p) ? p.one(p.u16(p.l4Off + 2)) : 0),
  'tcp.port': (p) => (tcp(p) ? p.two(p.u16(p.l4Off), p.u16(p.l4Off + 2)) : 0),
  'tcp.len': (p) => (tcp(p) ? p.one(p.l4Len - p.tcpHdrLen) : 0),
  'tcp.seq_raw': (p) => (tcp(p) ? p.one(p.u32(p.l4Off + 4)) : 0),
  'tcp.ack_raw': (p) => (tcp(p) ? p.one(p.u32(p.l4Off + 8)) : 0),
  'tcp.hdr_len': (p) => (tcp(p) ? p.one(p.tcpHdrLen) : 0),
  'tcp.flags': (p) => (tcp(p) ? p.one(p.u16(p.l4Off + 12) & 0xfff) : 0),
  'tcp.flags.res': tcpFlag(0xe00),
  'tcp.flags.urg': tcpFlag(0x20),
  'tcp.flags.ack': tcpFlag(0x10),
  'tcp.flags.push': tcpFlag(0x08),
  'tcp.flags.reset': tcpFlag(0x04),
  'tcp.flags.syn': tcpFlag(0x02),
  'tcp.flags.fin': tcpFlag(0x01),
  'tcp.window_size_value': (p) => (tcp(p) ? p.one(p.u16(p.l4Off + 14)) : 0),
  'tcp.checksum': (p) => (tcp(p) ? p.one(p.u16(p.l4Off + 16)) : 0),
  'tcp.checksum.status': (p) => (tcp(p) ? p.one(2) : 0),
  'tcp.urgent_pointer': (p) => (tcp(p) ? p.one(p.u16(p.l4Off + 18)) : 0),
  // A RST's data is its reset cause, not a payload (tcp.ts).
  'tcp.payload': (p) => (tcp(p) && p.l4Len > p.tcpHdrLen && (p.u8(p.l4Off + 13) & 0x04) === 0 ? p.one(p.bytes(p.l4Off + p.tcpHdrLen, p.l4Len - p.tcpHdrLen)) : 0),
  // UDP
  'udp': (p) => (udp(p) ? p.one(null) : 0),
  'udp.srcport': (p) => (udp(p) ? p.one(p.u16(p.l4Off)) : 0),
  'udp.dstport': (p) => (udp(p) ? p.one(p.u16(p.l4Off + 2)) : 0),
  'udp.port': (p) => (udp(p) ? p.two(p.u16(p.l4Off), p.u16(p.l4Off + 2)) : 0),
  'udp.length': (p) => (udp(p) ? p.one(p.u16(p.l4Off + 4)) : 0),
  'udp.checksum': (p) => (udp(p) ? p.one(p.u16(p.l4Off + 6)) : 0),
  // udp.ts: a zero checksum is "Illegal" over IPv6 (RFC 8200 8.1), "Not present" over IPv4.
  'udp.checksum.status': (p) => (udp(p) ? p.one(p.u16(p.l4Off + 6) !== 0 ? 2 : v6(p) ? 4 : 3) : 0),
  // tshark shows every byte of the IP payload after the header, even past a short UDP length.
  'udp.payload': (p) => (udp(p) && p.u16(p.l4Off + 4) > 8 ? p.one(p.bytes(p.l4Off + 8, p.l4Len - 8)) : 0),
  // ICMP / ICMPv6
  'icmp': (p) => (icmp(p) ? p.one(null) : 0),
  'icmp.type': (p) => (icmp(p) ? p.one(p.u8(p.l4Off)) : 0),
  'icmp.code': (p) => (icmp(p) ? p.one(p.u8(p.l4Off + 1)) : 0),
  'icmp.checksum': (p) => (icmp(p) ? p.one(p.u16(p.l4Off + 2)) : 0),
  'icmpv6': (p) => (icmp6(p) ? p.one(null) : 0),
  'icmpv6.type': (p) => (icmp6(p) ? p.one(p.u8(p.l4Off)) : 0),
  'icmpv6.code': (p) => (icmp6(p) ? p.one(p.u8(p.l4Off + 1)) : 0),
  'icmpv6.checksum': (p) => (icmp6(p) ? p.one(p.u16(p.l4Off + 2)) : 0),
};
const EXTRACT: readonly Extract[] = COVERED.map((n) => EXTRACTORS[n]);

/** Where each protocol layer starts (bytes from the packet's start), for its ranges. */
const PROTOCOL_STARTS: Partial<Record<CoveredName, (p: FastFieldSource) => number[]>> = {
  'frame': () => [0],
  'eth': (p) => (p.eth ? [0] : []),
  'vlan': (p) => Array.from(p.vlanOff.subarray(0, p.vlans)),
  'ip': (p) => (v4(p) ? [p.l3Off] : []),
  'ipv6': (p) => (v6(p) ? [p.l3Off] : []),
  'arp': (p) => (isArp(p) ? [p.l3Off] : []),
  'tcp': (p) => (tcp(p) ? [p.l4Off] : []),
  'udp': (p) => (udp(p) ? [p.l4Off] : []),
  'icmp': (p) => (icmp(p) ? [p.l4Off] : []),
  'icmpv6': (p) => (icmp6(p) ? [p.l4Off] : []),
};
const PROTOCOL_START: ReadonlyArray<((p: FastFieldSource) => number[]) | undefined> = COVERED.map((n) => PROTOCOL_STARTS[n]);
