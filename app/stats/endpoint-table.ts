// The endpoint table (tshark's `-z endpoints,ip` and `-z endpoints,ipv6`, Wireshark's
// Statistics → Endpoints): per network address, the packets and bytes it sent and received.
// Each IP header tshark's ip/ipv6 taps see counts once for its source (tx) and once for its
// destination (rx); which headers those are is the dissectors' business (PacketContext.ipTaps)
// or, for a plain packet read in place, its one IP header.
import type { EndpointRow } from '../session/contract.js';
import { AddressTable } from '../tcp/address-table.js';

export class EndpointTable {
  /** Rows kept at most (a live capture bounds it); later addresses are counted in `dropped`. */
  maxRows = Infinity;
  /** Packets' addresses not counted because maxRows rows were already kept. */
  dropped = 0;
  /** By address text, in the order the addresses first appeared (tshark's order for ties). */
  private readonly rows = new Map<string, EndpointRow>();
  /** Text for addresses read as bytes, made once per address. */
  private readonly text = new AddressTable();

  /** One IP header: `len` (the frame's length) sent by `src` and received by `dst`. */
  count(src: string, dst: string, len: number): void {
    const a = this.row(src);
    if (a) { a.packets++; a.bytes += len; a.txPackets++; a.txBytes += len; }
    const b = this.row(dst);
    if (b) { b.packets++; b.bytes += len; b.rxPackets++; b.rxBytes += len; }
  }

  /** count() for addresses as 4 or 16 bytes (read now, not kept). */
  countAddresses(src: Uint8Array, dst: Uint8Array, len: number): void {
    this.count(this.text.text(src), this.text.text(dst), len);
  }

  /** A dissection's IP headers (PacketContext.ipTaps: source, destination pairs). */
  countTaps(taps: readonly string[] | null | undefined, len: number): void {
    if (taps) for (let i = 0; i + 1 < taps.length; i += 2) this.count(taps[i]!, taps[i + 1]!, len);
  }

  /** tshark's order: the most packets first, equal counts in the order the addresses appeared. */
  list(): EndpointRow[] {
    return [...this.rows.values()].sort((a, b) => b.packets - a.packets);
  }

  private row(address: string): EndpointRow | null {
    let e = this.rows.get(address);
    if (!e) {
      if (this.rows.size >= this.maxRows) {
        this.dropped++;
        return null;
      }
      this.rows.set(address, (e = { address, packets: 0, bytes: 0, txPackets: 0, txBytes: 0, rxPackets: 0, rxBytes: 0 }));
    }
    return e;
  }
}

/**
 * Writes rows as `tshark -q -z endpoints,ip` (`family` IPv4) or `endpoints,ipv6` prints its
 * table: the address left in 20 columns, then the six counts right-aligned.
 */
export function writeEndpointTable(rows: readonly EndpointRow[], family: 'IPv4' | 'IPv6', write: (s: string) => void, filter: string | null = null): void {
  const bar = '='.repeat(80);
  let out = `${bar}\n${family} Endpoints\nFilter:${filter ?? '<No Filter>'}\n`
    + '                       |  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n';
  const n = (v: number, width: number) => String(v).padStart(width);
  for (const r of rows) {
    out += `${r.address.padEnd(20)}      ${n(r.packets, 6)}     ${n(r.bytes, 9)}     ${n(r.txPackets, 6)}       ${n(r.txBytes, 9)}      ${n(r.rxPackets, 6)}       ${n(r.rxBytes, 9)}   \n`;
  }
  write(`${out}${bar}\n`);
}
