// NetBIOS names as tshark 4.0 reads them (packet-nbns.c get_nbns_name over packet-dns.c's
// get_dns_name, packet-netbios.c process_netbios_name): a DNS-encoded name whose first label
// is the RFC 1001 14.1 first-level encoding of 16 bytes, the last byte the name's type, shown
// as "NAME<1c>" with the scope ID after it. Shared by NBNS, NBDGM and NBSS, which never import
// each other.
import { MalformedError, type Tvb } from './tvb.js';

/** NETBIOS_NAME_LEN. */
export const NETBIOS_NAME_LEN = 16;

/** MAX_NAME_LEN in packet-nbns.c: (NETBIOS_NAME_LEN - 1) * 4 + MAX_DNAME_LEN + 64. */
export const MAX_NAME_LEN = (NETBIOS_NAME_LEN - 1) * 4 + 255 + 64;

/** nb_name_type_vals (packet-netbios.c; `tshark -G values` for netbios.nb_name_type). */
const NAME_TYPES: Record<number, string> = {
  0x00: 'Workstation/Redirector', 0x01: 'Browser', 0x02: 'Workstation/Redirector', 0x03: 'Messenger service/Main name',
  0x05: 'Forwarded name', 0x06: 'RAS Server service', 0x1b: 'Domain Master Browser', 0x1c: 'Domain Controllers',
  0x1d: 'Local Master Browser', 0x1e: 'Browser Election Service', 0x1f: 'Net DDE Service', 0x20: 'Server service',
  0x21: 'RAS client service', 0x22: 'Exchange Interchange (MSMail Connector)', 0x23: 'Exchange Store', 0x24: 'Exchange Directory',
  0x2b: 'Lotus Notes Server service', 0x30: 'Modem sharing server service', 0x31: 'Modem sharing client service',
  0x43: 'SMS Clients Remote Control', 0x44: 'SMS Administrators Remote Control Tool', 0x45: 'SMS Clients Remote Chat',
  0x46: 'SMS Clients Remote Transfer', 0x4c: 'DEC Pathworks TCP/IP Service on Windows NT', 0x52: 'DEC Pathworks TCP/IP Service on Windows NT',
  0x6a: 'Microsoft Exchange IMC', 0x87: 'Microsoft Exchange MTA', 0xbe: 'Network Monitor Agent', 0xbf: 'Network Monitor Analyzer',
};

/** netbios_name_type_descr: the type's name, "Unknown" for others (and for -1, an illegal name). */
export function nameTypeDescr(type: number): string {
  return NAME_TYPES[type] ?? 'Unknown';
}

const MAX_DNAME_LEN = 255;
const MIN_DNAME_LEN = 2;

/**
 * expand_dns_name + get_dns_name (max_len 0): the name's raw bytes as Latin-1 with '.' between
 * labels, and the bytes it takes where it stands (a pointer counts 2). Pointers are offsets from
 * `base` (packet-nbns.c passes the NBNS header for NBNS, the name's own offset for NBDGM and
 * NBSS). Throws where tshark throws ReportedBoundsError.
 */
export function readDnsName(tvb: Tvb, offset: number, base: number): { name: string; used: number } {
  let o = offset;
  let used = -1;
  let pointers = 0;
  let maxname = MAX_DNAME_LEN;
  let name = '';
  let special: string | null = null;
  for (;;) {
    let len = tvb.u8(o);
    o++;
    if (len === 0) break;
    const kind = len & 0xc0;
    if (kind === 0x00) {
      if (name.length > 0) {
        if (maxname > 0) {
          name += '.';
          maxname--;
        }
      } else maxname--;
      while (len > 0) {
        if (maxname > 0) {
          name += String.fromCharCode(tvb.u8(o));
          maxname--;
        }
        len--;
        o++;
      }
    } else if (kind === 0x40) {
      if ((len & 0x3f) !== 0x01) {
        special = '<Unknown extended label>';
        used = o - offset;
        break;
      }
      // A bitstring label (RFC 2673): "\[x<hex>/<bits>]".
      const bits = tvb.u8(o);
      o++;
      let labelLen = Math.floor((bits - 1) / 8) + 1;
      let piece = '\\[x';
      while (labelLen-- > 0) {
        piece += tvb.u8(o).toString(16).padStart(2, '0');
        o++;
      }
      piece += `/${bits}]`;
      const take = Math.max(0, Math.min(piece.length, maxname));
      name += piece.slice(0, take);
      maxname -= take;
    } else if (kind === 0x80) {
      throw new MalformedError('reserved DNS label type', tvb.abs(o - 1));
    } else {
      const indir = base + (((len & 0x3f) << 8) | tvb.u8(o));
      o++;
      pointers++;
      if (used < 0) used = o - offset;
      if (indir === o + 2 || pointers > MAX_DNAME_LEN) {
        special = '<Name contains a pointer that loops>';
        break;
      }
      o = indir;
    }
  }
  if (special === null && maxname <= 0) special = '<Name too long>';
  if (used < 0) used = o - offset;
  if (special !== null) return { name: special, used };
  if (name === '' && used <= MIN_DNAME_LEN) return { name: '<Root>', used };
  if (used < MIN_DNAME_LEN || (used > MIN_DNAME_LEN && name === '')) throw new MalformedError('bad DNS name', tvb.abs(offset));
  return { name, used };
}

/**
 * process_netbios_name: 15 characters (non-printable ones as <xx>) with trailing spaces cut,
 * written into a buffer of `retLen` bytes (NUL included), and the 16th byte, the type.
 */
export function processNetbiosName(bytes: ArrayLike<number>, retLen: number): { text: string; type: number } {
  let room = retLen;
  let out = '';
  const put = (c: string) => {
    if (--room > 0) out += c;
  };
  for (let i = 0; i < NETBIOS_NAME_LEN - 1; i++) {
    const c = bytes[i]!;
    if (c >= 0x20 && c <= 0x7e) put(String.fromCharCode(c));
    else {
      put('<');
      put('0123456789abcdef'[c >> 4]!);
      put('0123456789abcdef'[c & 0x0f]!);
      put('>');
    }
  }
  // Trailing spaces go, looking back at most 15 characters (a name of spaces only stays).
  for (let i = 0, p = out.length - 1; i < NETBIOS_NAME_LEN - 1 && p >= 0; i++, p--) {
    if (out[p] !== ' ') {
      out = out.slice(0, p + 1);
      break;
    }
  }
  return { text: out, type: bytes[NETBIOS_NAME_LEN - 1]! };
}

export interface NetbiosName {
  /** "WORKGROUP<1c>", with the scope ID after it, or an "Illegal NetBIOS name (...)" text. */
  text: string;
  /** The name's type (its 16th byte), -1 for an illegal name. */
  type: number;
  /** Bytes the encoded name takes where it stands. */
  used: number;
}

/** get_nbns_name: the first-level encoded name at `offset` (pointers from `base`), decoded. */
export function readNetbiosName(tvb: Tvb, offset: number, base: number, retLen = MAX_NAME_LEN): NetbiosName {
  const { name, used } = readDnsName(tvb, offset, base);
  const bad = (why: string): NetbiosName => ({ text: why.slice(0, Math.max(0, retLen - 1)), type: -1, used });
  const decoded: number[] = [];
  let p = 0;
  let scope = false;
  for (;;) {
    if (p >= name.length) break;
    let c = name.charCodeAt(p);
    if (c === 0x2e) {
      scope = true;
      break;
    }
    if (c < 0x41 || c > 0x5a) return bad('Illegal NetBIOS name (1st character not between A and Z in first-level encoding)');
    let v = (c - 0x41) << 4;
    p++;
    if (p >= name.length || name.charCodeAt(p) === 0x2e) return bad('Illegal NetBIOS name (odd number of bytes)');
    c = name.charCodeAt(p);
    if (c < 0x41 || c > 0x5a) return bad('Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)');
    v |= c - 0x41;
    p++;
    // Characters past the 16th are dropped, not counted: a longer name passes as its first 16.
    if (decoded.length < NETBIOS_NAME_LEN) decoded.push(v & 0xff);
  }
  if (decoded.length !== NETBIOS_NAME_LEN) return bad(`Illegal NetBIOS name (${decoded.length} bytes long)`);
  const { text, type } = processNetbiosName(decoded, retLen);
  let out = text + `<${type.toString(16).padStart(2, '0')}>`;
  if (scope) out += name.slice(p);
  return { text: out.slice(0, retLen - 1), type, used };
}

/** add_name_and_type's line value: "NAME<20> (Server service)", or the name alone when illegal. */
export function nameWithType(n: NetbiosName): string {
  return n.type === -1 ? n.text : `${n.text} (${nameTypeDescr(n.type)})`;
}
