// Which packets `synscope read FILE -Y FILTER` must dissect to print the summary lines of the
// packets the filter selects, when the filter reads only header fields (fastPathCovers).
//
// A matching packet's Info column depends on earlier packets, but only on those of its own
// connection: the TCP tracker's verdicts ("[TCP Retransmission]", relative Seq/Ack), reassembly
// (TLS records and HTTP messages cut across segments), and the request/response pairing of the
// protocols on top, which all keep their state per connection or per address/port pair (HTTP's
// request numbering goes on across connections that reuse a pair: the key here is the pair). A packet of a connection that
// has no matching packet at or after it changes nothing that is printed. So a first pass over
// the headers alone (the cost of `read -Y F -w`) notes, per packet, whether it matches and
// which connection it belongs to; the second pass dissects the matching packets and, before
// each, the earlier packets of its connection, and skips the rest (a SYN filter on a capture of
// long connections dissects their first packets only).
//
// Connections are told apart by a hash of both endpoints (addresses and ports, either
// direction) into a fixed table: two connections that share a slot are both kept, which costs
// dissections but never changes the output. What the hash cannot see is always dissected:
// packets the fast path does not decode (tunnels, fragments, IP options, cut packets), and
// connections on a port whose protocol announces others (FTP's data connections: dispatch.ts's
// opensConversations). A matching packet whose connection is unknown (the fast path could not
// decode it and no dissection was made) needs every packet before it. Packets without ports
// (ICMP echo pairs requests and replies across the capture, ARP) share one slot of their own.
//
// A match that is a TCP segment without payload or FIN (a SYN, a RST, a pure ACK) has a line
// that depends on the tracker's verdict alone: no payload goes to a protocol, no reassembly
// waits for it (summary-fast.ts prints it from the headers). Before such matches, and after
// the last match of its connection that needs more, a packet only goes through the tracker
// (TRACK): a SYN filter on a capture of HTTP connections that reuse their port pairs
// dissected the pairs' earlier connections in full for nothing but their sequence numbers.
// stream-needs.diff.test.ts checks on every corpus capture that read prints the same lines
// with and without the first pass.
import type { Dissection } from '../dissect/driver.js';
import { portOpensConversations } from '../dissect/dispatch.js';
import { TH_FIN } from '../dissect/protocols/tcp.js';
import { FastFieldSource } from '../filter/fast-fields.js';

/** What the second pass does with a packet (TRACK: the TCP tracker sees its header, nothing else). */
export const SKIP = 0, DEPEND = 1, SHOW = 2, TRACK = 3;

const SLOT_BITS = 20;
const SLOTS = 1 << SLOT_BITS;
/**
 * Per packet, beside its slot: it matched; it is dissected whatever the table says; the slot is
 * its connection's; it is a TCP segment whose line needs the tracker only (no payload, no FIN).
 */
const MATCHED = 1 << 21, ALWAYS = 1 << 22, HAS_SLOT = 1 << 23, HEADER_LINE = 1 << 24;

export class StreamNeeds {
  private readonly headers = new FastFieldSource();
  /** Per connection slot, the last frame that matched (0: none). */
  private readonly lastMatch = new Int32Array(SLOTS);
  /** Per connection slot, the last match whose line needs more than the tracker (0: none). */
  private readonly lastFullMatch = new Int32Array(SLOTS);
  /** Per frame (index = frame number): slot | HAS_SLOT | MATCHED | ALWAYS. */
  private frames = new Int32Array(1 << 16);
  private count = 0;
  /** Every frame up to this one is needed (a match whose connection is unknown). */
  private allBefore = 0;
  private matches = 0;

  /**
   * The headers of a record, decoded by this class's own FastFieldSource (for a pass whose
   * filter decoded none: a tcpdump expression), or null when the fast path cannot decode them.
   */
  decode(buf: Uint8Array, start: number, capLen: number, origLen: number, linkType: number): FastFieldSource | null {
    return this.headers.decode(buf, start, capLen, origLen, linkType) ? this.headers : null;
  }

  /**
   * Notes frame `n` (numbered from 1, in order): its record's headers as the fast path decoded
   * them from `buf` (null: it could not), whether it is a custom block, the dissection the first
   * pass made of it (when the filter needed one), and whether it matched.
   */
  note(n: number, buf: Uint8Array, headers: FastFieldSource | null, custom: boolean, d: Dissection | null, matched: boolean): void {
    if (n >= this.frames.length) {
      const grown = new Int32Array(this.frames.length * 2);
      grown.set(this.frames);
      this.frames = grown;
    }
    this.count = n;
    let word = custom ? ALWAYS : headers ? headerSlot(headers, buf) : dissectionSlot(d);
    if (word < 0) {
      word = ALWAYS;
      if (matched) this.allBefore = n;
    }
    if (matched) {
      this.matches++;
      word |= MATCHED;
      if ((word & HAS_SLOT) !== 0) {
        this.lastMatch[word & (SLOTS - 1)] = n;
        if ((word & HEADER_LINE) === 0) this.lastFullMatch[word & (SLOTS - 1)] = n;
      }
    }
    this.frames[n] = word;
  }

  /**
   * Nearly every packet matches so far: the printing pass would dissect nearly all of them
   * anyway, and this pass costs ~8% of it (a filter matching everything: 5.2 s became 5.6 s).
   */
  get pointless(): boolean {
    return this.count >= 65536 && this.matches > 0.9 * this.count;
  }

  /** Per frame (index = frame number; 0 unused): SKIP, DEPEND, SHOW or TRACK. */
  finish(): Uint8Array {
    const plan = new Uint8Array(this.count + 1);
    const frames = this.frames, lastMatch = this.lastMatch, lastFullMatch = this.lastFullMatch;
    for (let n = 1; n <= this.count; n++) {
      const w = frames[n]!;
      const slot = w & (SLOTS - 1);
      plan[n] = (w & MATCHED) !== 0 ? SHOW
        : (w & ALWAYS) !== 0 || n < this.allBefore || lastFullMatch[slot]! > n ? DEPEND
        : lastMatch[slot]! > n ? TRACK : SKIP;
    }
    return plan;
  }
}

/**
 * The slot shared by the packets without ports (ICMP echo, ARP, neighbour discovery): their
 * lines depend on one another (an echo reply names its request, ARP notes a duplicate address),
 * never on a connection's packets, nor these on them. A capture's pings cost no dissection when
 * no packet without ports matches (~30k of the 1M-packet benchmark capture's were dissected for a
 * SYN filter). A connection that hashes here too keeps them all, as any shared slot does.
 */
const PORTLESS = 0 | HAS_SLOT;

/**
 * The connection slot of a TCP or UDP packet whose headers `h` decoded in `buf` (ALWAYS added
 * when its ports announce other connections); PORTLESS for ARP, ICMP echo and the like.
 */
function headerSlot(h: FastFieldSource, buf: Uint8Array): number {
  if (h.l4 !== 6 && h.l4 !== 17) return PORTLESS;
  const l3 = h.base + h.l3Off, l4 = h.base + h.l4Off;
  const srcPort = (buf[l4]! << 8) | buf[l4 + 1]!, dstPort = (buf[l4 + 2]! << 8) | buf[l4 + 3]!;
  const v6 = h.l3HdrLen === 40;
  const a = endpointHash(buf, v6 ? l3 + 8 : l3 + 12, v6 ? 16 : 4, srcPort);
  const b = endpointHash(buf, v6 ? l3 + 24 : l3 + 16, v6 ? 16 : 4, dstPort);
  const slot = pairSlot(a, b) | HAS_SLOT;
  if (portOpensConversations(h.l4 === 6 ? 'tcp.port' : 'udp.port', srcPort, dstPort)) return slot | ALWAYS;
  const headerLine = h.l4 === 6 && h.l4Len === h.tcpHdrLen && (buf[l4 + 13]! & TH_FIN) === 0;
  return headerLine ? slot | HEADER_LINE : slot;
}

/**
 * The slot of the innermost TCP or UDP endpoints a dissection found (always dissected), PORTLESS
 * without ports (an ICMP error may name an echo request), -1 without a dissection.
 */
function dissectionSlot(d: Dissection | null): number {
  if (d === null) return -1;
  const e = d.ctx.endpoints;
  if (!e.netSrc || !e.netDst || e.srcPort === undefined || e.dstPort === undefined) return PORTLESS | ALWAYS;
  return pairSlot(endpointHash(e.netSrc, 0, e.netSrc.length, e.srcPort), endpointHash(e.netDst, 0, e.netDst.length, e.dstPort)) | HAS_SLOT | ALWAYS;
}

/**
 * A hash of an address's bytes and a port, four bytes at a time (a byte at a time, FNV-1a, it was
 * a quarter of the first pass's own time on IPv6 packets). A collision only costs dissections.
 */
function endpointHash(buf: Uint8Array, o: number, len: number, port: number): number {
  let h = Math.imul(port ^ 0x811c9dc5, 0x01000193);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const w = (buf[o + i]! << 24) | (buf[o + i + 1]! << 16) | (buf[o + i + 2]! << 8) | buf[o + i + 3]!;
    h = Math.imul(h ^ w, 0x9e3779b1);
    h ^= h >>> 16;
  }
  for (; i < len; i++) h = Math.imul(h ^ buf[o + i]!, 0x01000193);
  return h >>> 0;
}

/** Both endpoints' hashes, either direction, as a table slot. */
function pairSlot(a: number, b: number): number {
  const lo = a < b ? a : b, hi = a < b ? b : a;
  const h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) & (SLOTS - 1);
}
