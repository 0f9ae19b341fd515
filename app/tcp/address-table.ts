// One shared copy, and one display text, per network address for the records that live as long
// as a connection (the tracker's connections, the lifecycles, the conversation rows). A capture
// of 60k connections between a few hosts otherwise keeps ~300k four- or sixteen-byte copies,
// each its own typed array and ArrayBuffer (~190 bytes of heap), plus 120k equal strings: about
// 1 KB per connection that the young-generation collector copies while the connection is new.
import { bytesKey, v4Key } from '../dissect/endpoint-ids.js';
import { formatIPv6 } from '../dissect/format.js';

interface Entry {
  bytes: Uint8Array;
  text: string | null;
}

/**
 * Above this many distinct addresses the table starts again (a live capture of a scan sees new
 * ones without end): the copies handed out stay valid, later ones are simply not shared with them.
 */
const MAX_ADDRESSES = 1 << 16;

function entryIn<K>(m: Map<K, Entry>, k: K, b: Uint8Array): Entry {
  let e = m.get(k);
  if (e === undefined) {
    if (m.size >= MAX_ADDRESSES) m.clear();
    m.set(k, (e = { bytes: b.slice(), text: null }));
  }
  return e;
}

/** Entries AddressTable remembers as the last ones it handed out. */
const RECENT = 4;

export class AddressTable {
  private readonly v4 = new Map<number, Entry>();
  private readonly other = new Map<string, Entry>();
  /**
   * The last entries handed out, compared byte by byte before a key is made: a new connection
   * asks for its two addresses several times, and most connections are between a few hosts
   * (an IPv6 address's key is a string made for the lookup).
   */
  private readonly recent: Entry[] = [];
  private recentNext = 0;

  /** A copy of `b` that is never modified (shared: do not write to it). */
  bytes(b: Uint8Array): Uint8Array {
    return this.entry(b).bytes;
  }

  /** formatAddr(b), made once per address. */
  text(b: Uint8Array): string {
    const e = this.entry(b);
    return (e.text ??= formatAddr(e.bytes));
  }

  private entry(b: Uint8Array): Entry {
    for (const e of this.recent) if (sameBytes(e.bytes, b)) return e;
    const e = b.length === 4 ? entryIn(this.v4, v4Key(b), b) : entryIn(this.other, bytesKey(b), b);
    this.recent[this.recentNext] = e;
    this.recentNext = (this.recentNext + 1) % RECENT;
    return e;
  }
}

/** Whether two byte arrays hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Formats a 4- or 16-byte network address the way tshark -n prints it (IPv6 as the dissectors
 * show ipv6.src: Wireshark's inet_ntop rules), any other length as colon-separated hex.
 */
export function formatAddr(a: Uint8Array): string {
  if (a.length === 4) return `${a[0]}.${a[1]}.${a[2]}.${a[3]}`;
  if (a.length === 16) return formatIPv6(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join(':');
}
