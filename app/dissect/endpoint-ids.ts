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
  private readonly pairs = new PairTable();
  private nextPair = 0;
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
    const id = this.pairs.find(outer, other);
    if (id >= 0) return id;
    this.pairs.add(outer, other, this.nextPair);
    return this.nextPair++;
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
    const id = outerFirst(a, b) ? this.pairs.find(a, b) : this.pairs.find(b, a);
    return id >= 0 ? id : undefined;
  }

  /** Pairs interned now. */
  get size(): number {
    return this.pairs.size;
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
    this.pairs.retain((outer, other, id) => {
      if (!live(id)) return false;
      used.add(Math.floor(outer / 65536));
      used.add(Math.floor(other / 65536));
      return true;
    });
    for (const m of [this.v4, this.bytes, this.strings] as Array<Map<unknown, number>>) {
      for (const [k, id] of m) if (!used.has(id)) m.delete(k);
    }
  }
}

/**
 * Pair ids by their two endpoints: a hash table with open addressing in typed arrays. Nested
 * Maps (one per outer endpoint) made the id lookup the hottest line of the conversation table's
 * pass, and a Map for every server endpoint.
 */
class PairTable {
  private outer = new Float64Array(1024);
  private other = new Float64Array(1024);
  /** -1: an empty slot. */
  private ids = new Int32Array(1024).fill(-1);
  private mask = 1023;
  size = 0;

  /** The id of (outer, other), or -1. */
  find(outer: number, other: number): number {
    let i = slotOf(outer, other) & this.mask;
    for (;;) {
      const id = this.ids[i]!;
      if (id < 0 || (this.outer[i] === outer && this.other[i] === other)) return id;
      i = (i + 1) & this.mask;
    }
  }

  /** Adds a pair find() did not know. */
  add(outer: number, other: number, id: number): void {
    if ((this.size + 1) * 2 > this.ids.length) this.rebuild(this.ids.length * 2, () => true);
    this.put(outer, other, id);
    this.size++;
  }

  /** Keeps the pairs `keep` accepts. */
  retain(keep: (outer: number, other: number, id: number) => boolean): void {
    let n = 1024;
    while (n < this.size * 4) n *= 2;
    this.rebuild(n, keep);
  }

  private put(outer: number, other: number, id: number): void {
    let i = slotOf(outer, other) & this.mask;
    while (this.ids[i]! >= 0) i = (i + 1) & this.mask;
    this.outer[i] = outer;
    this.other[i] = other;
    this.ids[i] = id;
  }

  private rebuild(capacity: number, keep: (outer: number, other: number, id: number) => boolean): void {
    const { outer, other, ids } = this;
    this.outer = new Float64Array(capacity);
    this.other = new Float64Array(capacity);
    this.ids = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i]! < 0 || !keep(outer[i]!, other[i]!, ids[i]!)) continue;
      this.put(outer[i]!, other[i]!, ids[i]!);
      this.size++;
    }
  }
}

/** A slot hash of two endpoints (their low 32 bits hold the port and the address id's low bits). */
function slotOf(outer: number, other: number): number {
  const h = Math.imul((outer | 0) ^ Math.imul(other | 0, 0x85ebca77), 0x9e3779b1);
  return (h ^ (h >>> 16)) >>> 0;
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

/** An endpoint's address id in `ids`: its network address, or its display string when there is none. */
export function addrIdOf(ids: EndpointIds, b: Uint8Array | undefined, fallback: string): number {
  return b ? ids.addr(b) : ids.text(fallback);
}

/** One endpoint as a number: an address id and a 16-bit port. */
export function endpoint(addrId: number, port: number): number {
  return addrId * 65536 + (port & 0xffff);
}
