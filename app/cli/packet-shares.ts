// Which thread dissects a packet when `synscope read` splits a capture over several (read-parallel.ts).
// Every thread reads the whole file and asks PacketShares about each record; all of them get the
// same answers, because the rule is a function of the records read so far, nothing else. A packet
// goes to the thread that holds the state its dissection reads and changes:
// - a TCP segment to its connection's (the tracker, reassembly, HTTP, TLS: all per connection),
//   so one busy pair of hosts is still spread over the threads connection by connection;
// - any other IP packet (UDP, ICMP, IGMP, tunnels) to its pair of hosts' (DNS and RPC
//   transactions, echo requests, fragments' reassembly: per address pair in tshark too);
// - anything else (ARP, 802.11, records without a link layer we walk) to one group of its own.
// Three things tie state across those lines, and the rule follows them:
// - fragments: the first fragment of a datagram decides (a TCP segment's connection), and the
//   later ones follow it (by addresses, protocol and identification);
// - ICMP errors: the quoted packet is dissected inside the error, so the error goes where that
//   packet's connection or pair goes;
// - FTP: the control connection announces its data connections (conversation.ts's
//   expectations; dispatch.ts's portOpensConversations knows the ports of such protocols), so
//   from its first segment on, the pair's new connections stay with the pair.
// A connection keeps the group its first packet got: a pair that FTP ties later does not move
// connections already under way. A group goes to the thread that has been given the fewest
// packets when its first packet comes: a few large connections do not pile up on one thread, as
// they would by hash (seen: 62% of the packets on one of two threads).

import { portOpensConversations } from '../dissect/dispatch.js';
import { u16, u32 } from '../tcp/fast-observe.js';

const IPPROTO_TCP = 6;
const IPPROTO_ICMP = 1;
const IPPROTO_ICMPV6 = 58;

/** murmur3's 32-bit finaliser: group keys from addresses and ports. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** An IPv6 address folded to 32 bits (two addresses that fold alike only share a thread). */
function fold6(b: Uint8Array, o: number): number {
  return (u32(b, o) ^ u32(b, o + 4) ^ u32(b, o + 8) ^ u32(b, o + 12)) >>> 0;
}

/** The group of packets with no IP header the rule walks. */
const NO_IP = 0;

export class PacketShares {
  /** Each group's thread, given when its first packet came: the one with the fewest packets so far. */
  private readonly shares = new Map<number, number>();
  /** Packets given to each thread so far. */
  private readonly load: Float64Array;
  /** A connection's group, fixed by its first packet (connection hash → group). */
  private readonly connections = new Map<number, number>();
  /** The group of a fragmented datagram, by its first fragment seen. */
  private readonly datagrams = new Map<number, number>();
  /** Pairs of hosts whose new connections stay with the pair (an FTP control connection was seen). */
  private readonly tiedPairs = new Set<number>();
  // The network header the last walk found (walkIp's results).
  private pair = 0;
  private proto = -1;
  private l4 = 0;
  /** The datagram key when the packet is a fragment, else -1. */
  private fragment = -1;
  private firstFragment = false;

  constructor(readonly count: number) {
    this.load = new Float64Array(count);
  }

  /** The thread (0 .. count-1) that dissects the record. */
  of(buf: Uint8Array, start: number, capLen: number, linkType: number): number {
    if (this.count === 1) return 0;
    const group = this.group(buf, start, start + capLen, linkType);
    let share = this.shares.get(group);
    if (share === undefined) {
      share = 0;
      for (let k = 1; k < this.count; k++) if (this.load[k]! < this.load[share]!) share = k;
      this.shares.set(group, share);
    }
    this.load[share]!++;
    return share;
  }

  /** The packet's group: packets of one group go to one thread. */
  group(b: Uint8Array, start: number, end: number, linkType: number): number {
    const ip = networkStart(b, start, end, linkType);
    if (ip < 0 || !this.walkIp(b, ip, end)) return NO_IP;
    return this.groupOfWalk(b, end, true);
  }

  /** The group of the packet walkIp() just read; `outer`: not a packet quoted in an ICMP error. */
  private groupOfWalk(b: Uint8Array, end: number, outer: boolean): number {
    const pair = this.pair;
    if (this.fragment >= 0 && !this.firstFragment) return this.datagrams.get(this.fragment) ?? pair;
    let group = pair;
    const l4 = this.l4;
    if (this.proto === IPPROTO_TCP && l4 + 4 <= end) group = this.connectionGroup(pair, u16(b, l4), u16(b, l4 + 2));
    else if (outer && (this.proto === IPPROTO_ICMP || this.proto === IPPROTO_ICMPV6) && l4 + 8 < end && isIcmpError(this.proto, b[l4]!)) {
      // The quoted packet starts after the 8-byte ICMP header.
      const fragment = this.fragment;
      if (this.walkIp(b, l4 + 8, end)) group = this.groupOfWalk(b, end, false);
      this.fragment = fragment;
    }
    if (this.fragment >= 0 && outer) this.datagrams.set(this.fragment, group);
    return group;
  }

  private connectionGroup(pair: number, srcPort: number, dstPort: number): number {
    const lo = srcPort < dstPort ? srcPort : dstPort, hi = srcPort < dstPort ? dstPort : srcPort;
    const key = mix(pair ^ Math.imul((lo << 16) | hi, 0x9e3779b1));
    let group = this.connections.get(key);
    if (group !== undefined) return group;
    if (portOpensConversations('tcp.port', srcPort, dstPort)) this.tiedPairs.add(pair);
    group = this.tiedPairs.has(pair) ? pair : key;
    this.connections.set(key, group);
    return group;
  }

  /**
   * Reads the IPv4 or IPv6 header at `o`: pair, proto, l4 (where the transport header starts)
   * and fragment. False when there is none to read.
   */
  private walkIp(b: Uint8Array, o: number, end: number): boolean {
    this.fragment = -1;
    this.firstFragment = false;
    if (o + 20 > end) return false;
    const version = b[o]! >> 4;
    if (version === 4) {
      const a = u32(b, o + 12), c = u32(b, o + 16);
      this.pair = pairOf(a, c);
      this.proto = b[o + 9]!;
      this.l4 = o + (b[o]! & 0x0f) * 4;
      const flags = u16(b, o + 6);
      if ((flags & 0x3fff) !== 0) {
        this.fragment = mix(this.pair ^ Math.imul(u16(b, o + 4) | (this.proto << 16), 0x9e3779b1));
        this.firstFragment = (flags & 0x1fff) === 0;
      }
      return true;
    }
    if (version !== 6 || o + 40 > end) return false;
    this.pair = pairOf(fold6(b, o + 8), fold6(b, o + 24));
    let next = b[o + 6]!;
    let at = o + 40;
    // Hop-by-hop, routing and destination options: skipped to the transport; a fragment header
    // makes the packet a fragment.
    for (let hops = 0; hops < 8 && at + 8 <= end; hops++) {
      if (next === 0 || next === 43 || next === 60) {
        next = b[at]!;
        at += (b[at + 1]! + 1) * 8;
      } else if (next === 44) {
        this.fragment = mix(this.pair ^ Math.imul(u32(b, at + 4), 0x9e3779b1));
        this.firstFragment = (u16(b, at + 2) & 0xfff8) === 0;
        next = b[at]!;
        at += 8;
      } else break;
    }
    this.proto = next;
    this.l4 = at;
    return true;
  }
}

/** Both addresses, whatever the direction. */
function pairOf(a: number, c: number): number {
  const lo = a < c ? a : c, hi = a < c ? c : a;
  return mix(Math.imul(lo, 0x9e3779b1) ^ hi);
}

/** ICMP destination unreachable, source quench, redirect, time exceeded, parameter problem; ICMPv6 1-4. */
function isIcmpError(proto: number, type: number): boolean {
  return proto === IPPROTO_ICMP ? type === 3 || type === 4 || type === 5 || type === 11 || type === 12 : type >= 1 && type <= 4;
}

/** Where the IP header starts for the link layers the fast path walks (fast-fields.ts); -1 for none. */
function networkStart(b: Uint8Array, start: number, end: number, linkType: number): number {
  let off: number;
  let type: number;
  switch (linkType) {
    case 1:
      if (start + 14 > end) return -1;
      type = u16(b, start + 12);
      off = start + 14;
      break;
    case 113:
      if (start + 16 > end) return -1;
      type = u16(b, start + 14);
      off = start + 16;
      break;
    case 276:
      if (start + 20 > end) return -1;
      type = u16(b, start);
      off = start + 20;
      break;
    case 101: case 12: case 14: case 228: case 229:
      return start;
    case 0: case 108:
      // BSD loopback: a 4-byte address family in either byte order, then the packet.
      return start + 4;
    default:
      return -1;
  }
  while ((type === 0x8100 || type === 0x88a8 || type === 0x9100) && off + 4 <= end) {
    type = u16(b, off + 2);
    off += 4;
  }
  return type === 0x0800 || type === 0x86dd ? off : -1;
}
