// Which packets `synscope read FILE -Y FILTER` must dissect to print the summary lines of the
// packets the filter selects, when the filter reads only header fields (fastPathCovers).
//
// A matching packet's Info column depends on earlier packets, but only on those of its own
// connection: the TCP tracker's verdicts ("[TCP Retransmission]", relative Seq/Ack), reassembly
// (TLS records and HTTP messages cut across segments), and the request/response pairing of the
// protocols on top, which all keep their state per connection or per address/port pair (TCP's
// reassembly keys its state by the pair, whichever connection: the key here is the pair). A
// packet of a connection that has no matching packet at or after it changes nothing that is
// printed. So a first pass over
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
//
// Nor does the tracker need a pair's earlier connections for a later one's header-only lines,
// once that later one certainly began anew: a SYN from the endpoint that opened the pair's
// current connection, with another initial sequence number, opens a new connection (the
// tracker's TCP_A_REUSED_PORTS) whose verdicts depend on its own segments alone, and on nothing
// of the old connection but that opening SYN's sequence number. So such SYNs split a pair into
// epochs: before a header-only match, only the packets of its own epoch go through the tracker,
// and of the earlier epochs only their opening SYNs (each new connection is told from the one
// before it). A pair's epochs are known only while nothing could have changed what the tracker
// compares a SYN with: its first packet is a SYN (no ACK); the SYNs that follow come from the
// same endpoint; no SYN+ACK comes from that endpoint; no packet of the pair escaped the header
// walk; no other pair shares its slot (both endpoints' hashes are kept per slot to tell). Past
// any of those, the pair has no further epochs. On the benchmark capture's SYN filter the
// tracker went over 162k packets of earlier connections for nothing, 14k now (0.71 -> 0.67 s).
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
 * its connection's; it is a TCP segment whose line needs the tracker only (no payload, no FIN);
 * it is a SYN that opens a new epoch of its pair (see the top).
 */
const MATCHED = 1 << 21, ALWAYS = 1 << 22, HAS_SLOT = 1 << 23, HEADER_LINE = 1 << 24, EPOCH_START = 1 << 25;

/** What a slot's epochs are known to be: no packet yet; its pair's epochs are known; none from now on. */
const FRESH = 0, EPOCHS = 1, NO_EPOCHS = 2;

const TH_SYN = 0x02, TH_ACK = 0x10;

export class StreamNeeds {
  private readonly headers = new FastFieldSource();
  /** Per connection slot, the last match whose line needs more than the tracker (0: none). */
  private readonly lastFullMatch = new Int32Array(SLOTS);
  /** Per slot: FRESH, EPOCHS or NO_EPOCHS. */
  private readonly epochState = new Uint8Array(SLOTS);
  /** Per slot with EPOCHS: its pair's endpoint hashes (the lower, the higher), the hash of the endpoint whose SYN opened the current epoch, and that SYN's sequence number. */
  private readonly pairLo = new Int32Array(SLOTS);
  private readonly pairHi = new Int32Array(SLOTS);
  private readonly epochOpener = new Int32Array(SLOTS);
  private readonly epochIsn = new Int32Array(SLOTS);
  /** A TCP packet escaped the header walk and its connection is unknown: no epoch begins from then on. */
  private epochsOff = false;
  /** Per frame (index = frame number): slot | HAS_SLOT | MATCHED | ALWAYS | HEADER_LINE | EPOCH_START. */
  private frames = new Int32Array(1 << 16);
  private count = 0;
  /** Every frame up to this one is needed (a match whose connection is unknown). */
  private allBefore = 0;
  private matches = 0;
  /** The file offset of the last record noted. */
  private offset = 0;
  /** The endpoint hashes (source, destination) headerSlot found for the record being noted: opensEpoch reads them. */
  private srcHash = 0;
  private dstHash = 0;

  /**
   * `fileSize`: the capture file's size in bytes, against which `pointless` measures how far the
   * pass has gone (0: unknown, no wait; a compressed file's offsets run past its size early).
   */
  constructor(private readonly fileSize = 0) {}

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
   * pass made of it (when the filter needed one), whether it matched, and where in the file
   * its record is.
   */
  note(n: number, buf: Uint8Array, headers: FastFieldSource | null, custom: boolean, d: Dissection | null, matched: boolean, fileOffset = 0): void {
    this.offset = fileOffset;
    if (n >= this.frames.length) {
      const grown = new Int32Array(this.frames.length * 2);
      grown.set(this.frames);
      this.frames = grown;
    }
    this.count = n;
    let word = custom ? ALWAYS : headers ? this.headerSlot(headers, buf) : dissectionSlot(d);
    if (word < 0) {
      word = ALWAYS;
      if (matched) this.allBefore = n;
      // A segment of a pair nobody can name may open a connection the epochs do not know.
      this.epochsOff = true;
    } else if (headers && headers.l4 === 6 && (word & ALWAYS) === 0) {
      if (this.opensEpoch(word & (SLOTS - 1), headers, buf)) word |= EPOCH_START;
    } else if ((word & HAS_SLOT) !== 0) {
      // Dissected (a fragment, a tunnel, an ICMP error quoting a segment) or not TCP: its slot's
      // pair may have met the tracker where the epochs cannot see.
      this.epochState[word & (SLOTS - 1)] = NO_EPOCHS;
    }
    if (matched) {
      this.matches++;
      word |= MATCHED;
      if ((word & HAS_SLOT) !== 0 && (word & HEADER_LINE) === 0) this.lastFullMatch[word & (SLOTS - 1)] = n;
    }
    this.frames[n] = word;
  }

  /**
   * Whether the TCP segment `h` decoded in `buf`, in `slot`, opens a new epoch of its pair (see
   * the top), keeping the slot's epoch state up to date.
   */
  private opensEpoch(slot: number, h: FastFieldSource, buf: Uint8Array): boolean {
    const state = this.epochState[slot]!;
    if (state === NO_EPOCHS) return false;
    const a = this.srcHash | 0, b = this.dstHash | 0;
    const lo = this.srcHash < this.dstHash ? a : b, hi = this.srcHash < this.dstHash ? b : a;
    const l4 = h.base + h.l4Off;
    const syn = (buf[l4 + 13]! & (TH_SYN | TH_ACK));
    const seq = ((buf[l4 + 4]! << 24) | (buf[l4 + 5]! << 16) | (buf[l4 + 6]! << 8) | buf[l4 + 7]!) | 0;
    if (state === FRESH) {
      // The pair's first packet: a SYN whose sender is told from its peer opens the first epoch.
      if (syn !== TH_SYN || a === b || this.epochsOff) {
        this.epochState[slot] = NO_EPOCHS;
        return false;
      }
      this.epochState[slot] = EPOCHS;
      this.pairLo[slot] = lo;
      this.pairHi[slot] = hi;
      this.epochOpener[slot] = a;
      this.epochIsn[slot] = seq;
      return true;
    }
    if (this.pairLo[slot] !== lo || this.pairHi[slot] !== hi || this.epochsOff) {
      // Another pair in the slot, or epochs no longer trusted.
      this.epochState[slot] = NO_EPOCHS;
      return false;
    }
    if (syn === TH_SYN) {
      // From the peer: compared with the peer's base, which the walk does not follow.
      if (a !== this.epochOpener[slot]) {
        this.epochState[slot] = NO_EPOCHS;
        return false;
      }
      // The same initial sequence number: a retransmission, in the same connection.
      if (seq === this.epochIsn[slot]) return false;
      this.epochIsn[slot] = seq;
      return true;
    }
    // A SYN+ACK from the opener with another number would move the base the next SYN meets.
    if (syn === (TH_SYN | TH_ACK) && a === this.epochOpener[slot]) this.epochState[slot] = NO_EPOCHS;
    return false;
  }

  /**
   * The connection slot of a TCP or UDP packet whose headers `h` decoded in `buf` (ALWAYS added
   * when its ports announce other connections); PORTLESS for ARP, ICMP echo and the like.
   */
  private headerSlot(h: FastFieldSource, buf: Uint8Array): number {
    if (h.l4 !== 6 && h.l4 !== 17) return PORTLESS;
    const l3 = h.base + h.l3Off, l4 = h.base + h.l4Off;
    const srcPort = (buf[l4]! << 8) | buf[l4 + 1]!, dstPort = (buf[l4 + 2]! << 8) | buf[l4 + 3]!;
    const v6 = h.l3HdrLen === 40;
    const a = (this.srcHash = endpointHash(buf, v6 ? l3 + 8 : l3 + 12, v6 ? 16 : 4, srcPort));
    const b = (this.dstHash = endpointHash(buf, v6 ? l3 + 24 : l3 + 16, v6 ? 16 : 4, dstPort));
    const slot = pairSlot(a, b) | HAS_SLOT;
    if (portOpensConversations(h.l4 === 6 ? 'tcp.port' : 'udp.port', srcPort, dstPort)) return slot | ALWAYS;
    const headerLine = h.l4 === 6 && h.l4Len === h.tcpHdrLen && (buf[l4 + 13]! & TH_FIN) === 0;
    return headerLine ? slot | HEADER_LINE : slot;
  }

  /**
   * Nearly every packet matches so far, a quarter of the file in: the printing pass would
   * dissect nearly all of them anyway, and this pass costs ~8% of it (a filter matching
   * everything: 5.2 s became 5.6 s). Not sooner: a capture's mix of traffic changes as it goes
   * (on the benchmark capture, `ip.addr == 10.99.0.1` matched more than 90% of the first 65536
   * packets and 67% of all; with the pass run to its end, the printing pass skips 320k packets:
   * 2.44 -> 2.02 s).
   */
  get pointless(): boolean {
    return this.count >= 65536 && this.matches > 0.9 * this.count && this.offset >= this.fileSize / 4;
  }

  /**
   * Per frame (index = frame number; 0 unused): SKIP, DEPEND, SHOW or TRACK. From the last frame
   * back, so that each packet knows whether a match follows it in its epoch, or at all.
   */
  finish(): Uint8Array {
    const plan = new Uint8Array(this.count + 1);
    const frames = this.frames, lastFullMatch = this.lastFullMatch;
    // Per slot: a match follows in the epoch being walked back through; one follows at all.
    const inEpoch = new Uint8Array(SLOTS), ahead = new Uint8Array(SLOTS);
    for (let n = this.count; n >= 1; n--) {
      const w = frames[n]!;
      const slot = w & (SLOTS - 1);
      const opens = (w & EPOCH_START) !== 0;
      plan[n] = (w & MATCHED) !== 0 ? SHOW
        : (w & ALWAYS) !== 0 || n < this.allBefore || lastFullMatch[slot]! > n ? DEPEND
        : (w & HAS_SLOT) !== 0 && (inEpoch[slot] === 1 || (opens && ahead[slot] === 1)) ? TRACK : SKIP;
      if ((w & HAS_SLOT) === 0) continue;
      if ((w & MATCHED) !== 0) inEpoch[slot] = ahead[slot] = 1;
      // What comes before it is an earlier epoch's.
      if (opens) inEpoch[slot] = 0;
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
