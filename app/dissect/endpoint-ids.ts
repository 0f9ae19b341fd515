// Small integer ids for addresses and (address, port) pairs, so per-packet lookups of
// conversation state use numeric Map keys instead of strings built for every packet (the
// summary pass of a million-packet file looks a conversation up several times per packet).
// One interner lives as long as the state it keys (a capture's TCP state, a tracker): ids are
// only meaningful within it.

/** Interns addresses (bytes or display strings) and unordered endpoint pairs. */
export class EndpointIds {
  private next = 1;
  private readonly v4 = new Map<number, number>();
  private readonly bytes = new Map<string, number>();
  private readonly strings = new Map<string, number>();
  private readonly pairs = new Map<number, Map<number, number>>();
  private nextPair = 0;
  private pairCount = 0;
  /** pairOf's last question and answer (-1: none): a connection's packets tend to come in runs. */
  private readonly lastSrc = new Uint8Array(16);
  private readonly lastDst = new Uint8Array(16);
  private lastSrcLen = -1;
  private lastDstLen = -1;
  private lastSrcPort = -1;
  private lastDstPort = -1;
  private lastPair = -1;
  /**
   * The two IPv6 (or other non-IPv4) addresses looked up last, and their ids (-1: none). Such an
   * address's key is a string made for the lookup; most packets come from a handful of hosts,
   * and a comparison with these spares making it (a million IPv6 keys were ~35 MB of garbage).
   */
  private readonly recent = [new Uint8Array(16), new Uint8Array(16)];
  private readonly recentLen = [-1, -1];
  private readonly recentId = [-1, -1];
  private recentNext = 0;

  /** Id of an address given as bytes (4 for IPv4, 16 for IPv6, any other length). */
  addr(b: Uint8Array): number {
    if (b.length === 4) {
      const k = v4Key(b);
      let id = this.v4.get(k);
      if (id === undefined) this.v4.set(k, (id = this.next++));
      return id;
    }
    for (let i = 0; i < 2; i++) if (this.recentId[i]! >= 0 && same(b, this.recent[i]!, this.recentLen[i]!)) return this.recentId[i]!;
    const s = bytesKey(b);
    let id = this.bytes.get(s);
    if (id === undefined) this.bytes.set(s, (id = this.next++));
    if (b.length <= 16) {
      const i = this.recentNext;
      this.recentNext ^= 1;
      this.recent[i]!.set(b);
      this.recentLen[i] = b.length;
      this.recentId[i] = id;
    }
    return id;
  }

  /** Id of an address known only by its display string (never equal to a bytes id). */
  text(s: string): number {
    let id = this.strings.get(s);
    if (id === undefined) this.strings.set(s, (id = this.next++));
    return id;
  }

  /**
   * Direction-independent id of the pair of endpoints `a` and `b` (each addrId * 65536 + port,
   * see endpoint()). The same two endpoints in either order give the same id.
   */
  pair(a: number, b: number): number {
    const outerA = outerFirst(a, b);
    const outer = outerA ? a : b, other = outerA ? b : a;
    let inner = this.pairs.get(outer);
    if (inner === undefined) this.pairs.set(outer, (inner = new Map()));
    let id = inner.get(other);
    if (id === undefined) {
      inner.set(other, (id = this.nextPair++));
      this.pairCount++;
    }
    return id;
  }

  /**
   * pair(endpoint(addr(src), srcPort), endpoint(addr(dst), dstPort)). The last answer is kept,
   * so the next packet of the same connection, either way, is one comparison of its addresses.
   */
  pairOf(src: Uint8Array, srcPort: number, dst: Uint8Array, dstPort: number): number {
    if (this.lastPair >= 0) {
      if (srcPort === this.lastSrcPort && dstPort === this.lastDstPort && same(src, this.lastSrc, this.lastSrcLen) && same(dst, this.lastDst, this.lastDstLen)) return this.lastPair;
      if (srcPort === this.lastDstPort && dstPort === this.lastSrcPort && same(src, this.lastDst, this.lastDstLen) && same(dst, this.lastSrc, this.lastSrcLen)) return this.lastPair;
    }
    const id = this.pair(endpoint(this.addr(src), srcPort), endpoint(this.addr(dst), dstPort));
    if (src.length <= 16 && dst.length <= 16) {
      this.lastSrc.set(src);
      this.lastDst.set(dst);
      this.lastSrcLen = src.length;
      this.lastDstLen = dst.length;
      this.lastSrcPort = srcPort;
      this.lastDstPort = dstPort;
      this.lastPair = id;
    }
    return id;
  }

  /** The id addr(b) would give, without interning b. */
  findAddr(b: Uint8Array): number | undefined {
    return b.length === 4 ? this.v4.get(v4Key(b)) : this.bytes.get(bytesKey(b));
  }

  /** The id pair(a, b) would give, without interning the pair. */
  findPair(a: number, b: number): number | undefined {
    return outerFirst(a, b) ? this.pairs.get(a)?.get(b) : this.pairs.get(b)?.get(a);
  }

  /** Pairs interned now. */
  get size(): number {
    return this.pairCount;
  }

  /**
   * Forgets every pair `live` rejects and every address no remaining pair uses (a live capture
   * dropped the state they keyed). Ids are never handed out again: a forgotten pair seen later
   * gets a new id, so nothing still keyed by an old one can be confused with it. Walks every
   * entry: call it when about as many pairs died as remain, so the cost per pair stays constant.
   */
  retain(live: (pairId: number) => boolean): void {
    this.lastPair = -1;
    this.recentId.fill(-1);
    const used = new Set<number>();
    for (const [outer, inner] of this.pairs) {
      for (const [other, id] of inner) {
        if (live(id)) {
          used.add(Math.floor(outer / 65536));
          used.add(Math.floor(other / 65536));
        } else {
          inner.delete(other);
          this.pairCount--;
        }
      }
      if (inner.size === 0) this.pairs.delete(outer);
    }
    for (const m of [this.v4, this.bytes, this.strings] as Array<Map<unknown, number>>) {
      for (const [k, id] of m) if (!used.has(id)) m.delete(k);
    }
  }
}

/**
 * Whether endpoint `a` keys the outer map of the pair (a, b): the one with the lower port (on a
 * tie, the lower id). Any fixed order would do; this one puts the server of most connections
 * outside, so its clients share one inner map. Ordering by id made a map for every client port,
 * the client's address usually being seen first (~200 bytes per connection).
 */
function outerFirst(a: number, b: number): boolean {
  const pa = a % 65536, pb = b % 65536;
  return pa < pb || (pa === pb && a < b);
}

/** Whether b is the first `len` bytes of `kept`. */
function same(b: Uint8Array, kept: Uint8Array, len: number): boolean {
  if (b.length !== len) return false;
  for (let i = 0; i < len; i++) if (b[i] !== kept[i]) return false;
  return true;
}

export function v4Key(b: Uint8Array): number {
  return ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
}

/**
 * An address's Map key. An IPv6 address (a third of a dual-stack capture's packets) is one flat
 * 8-character string, two bytes per UTF-16 unit, made in a single call instead of 16
 * concatenations; a ninth unit above 0xff keeps it apart from any 8-byte address's key.
 */
export function bytesKey(b: Uint8Array): string {
  if (b.length === 16) {
    return String.fromCharCode((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!, (b[4]! << 8) | b[5]!, (b[6]! << 8) | b[7]!,
      (b[8]! << 8) | b[9]!, (b[10]! << 8) | b[11]!, (b[12]! << 8) | b[13]!, (b[14]! << 8) | b[15]!, 0x100);
  }
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** One endpoint as a number: an address id and a 16-bit port. */
export function endpoint(addrId: number, port: number): number {
  return addrId * 65536 + (port & 0xffff);
}
