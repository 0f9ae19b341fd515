// Display filters built from a packet-list row, as Wireshark's "Apply as Filter" (the clicked
// column's value), "Conversation Filter" and "Follow TCP Stream" build them.
import type { PacketRow } from '../../app/session/contract.js';

export type ColumnId = 'number' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const IPV6 = /^[0-9a-f:.]*:[0-9a-f:.]*$/i;

/** The address field family of a Source/Destination text: ip, ipv6, eth, or null. */
export function addressField(text: string): 'ip' | 'ipv6' | 'eth' | null {
  if (IPV4.test(text)) return 'ip';
  if (MAC.test(text)) return 'eth';
  if (IPV6.test(text) && text.includes(':')) return 'ipv6';
  return null;
}

/** A protocol column text as a filter name: "TLSv1.2" → "tls", "HTTP/XML" → "http". */
export function protocolFilterName(protocol: string): string {
  const p = protocol.toLowerCase();
  if (/^tlsv|^sslv/.test(p)) return 'tls';
  return p.split('/')[0]!.replace(/[^a-z0-9_.-]/g, '');
}

export function columnFilter(row: PacketRow, column: ColumnId): string {
  switch (column) {
    case 'source':
    case 'destination': {
      const text = column === 'source' ? row.source : row.destination;
      const fam = addressField(text);
      if (fam) return `${fam}.${column === 'source' ? 'src' : 'dst'} == ${text}`;
      return `frame.number == ${row.number}`;
    }
    case 'protocol':
      return protocolFilterName(row.protocol) || `frame.number == ${row.number}`;
    case 'length':
      return `frame.len == ${row.length}`;
    default:
      return `frame.number == ${row.number}`;
  }
}

/** Wireshark's Conversation Filter: the TCP stream when there is one, else the address pair. */
export function conversationFilter(row: PacketRow): string | null {
  if (row.tcpStream !== undefined) return `tcp.stream eq ${row.tcpStream}`;
  const a = addressField(row.source);
  const b = addressField(row.destination);
  if (a && a === b) return `${a}.addr eq ${row.source} and ${a}.addr eq ${row.destination}`;
  return null;
}
