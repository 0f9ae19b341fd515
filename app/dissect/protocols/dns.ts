// DNS (RFC 1035) on udp/tcp port 53, and the two protocols Wireshark decodes with the same
// code and the same dns.* fields: mDNS (RFC 6762, udp 5353, column `MDNS`) and LLMNR
// (RFC 4795, udp/tcp 5355, column `LLMNR`). Field names, value names and the Info wording
// follow tshark 4.0's packet-dns.c as observed on the corpus:
//   "Standard query 0x4319 A www.tcpdump.org OPT"
//   "Standard query response 0x0b61 No such name A wpad.HOME SOA a.root-servers.net"
//   mDNS: `PTR _ipp._tcp.local, "QM" question` and `A, cache flush 10.0.0.2`.
// DNS over TCP carries a 2-byte length before each message (RFC 1035 4.2.2).
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, register, type Protocol } from '../dispatch.js';
import { addPduSize, canDesegment, DESEGMENT_ONE_MORE_SEGMENT, requestDesegment } from '../desegment.js';
import { endpoint, EndpointIds } from '../endpoint-ids.js';
import { bitPicture, formatDisplayValue, formatIPv4, formatIPv6 } from '../format.js';
import { FORGET_QUIET_AFTER_S, forgetFramesBefore, pickForgotten, type CaptureState, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, Tvb } from '../tvb.js';

const OPCODES: Record<number, string> = {
  0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification',
  5: 'Dynamic update', 6: 'DNS Stateful operations (DSO)',
};

const RCODES: Record<number, string> = {
  0: 'No error', 1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented',
  5: 'Refused', 6: 'Name exists', 7: 'RRset exists', 8: 'RRset does not exist', 9: 'Not authoritative',
  10: 'Name out of zone', 11: 'DSO-Type not implemented', 16: 'Bad OPT Version or TSIG Signature Failure',
  17: 'Key not recognized', 18: 'Signature out of time window', 19: 'Bad TKEY Mode', 20: 'Duplicate key name',
  21: 'Algorithm not supported', 22: 'Bad Truncation', 23: 'Bad/missing Server Cookie',
};

/** Type descriptions as the tree shows them (Wireshark's dns_types_description_vals). */
const TYPES: Record<number, string> = {
  0: 'Unused', 1: 'A (Host Address)', 2: 'NS (authoritative Name Server)', 3: 'MD (Mail Destination)',
  4: 'MF (Mail Forwarder)', 5: 'CNAME (Canonical NAME for an alias)', 6: 'SOA (Start Of a zone of Authority)',
  7: 'MB (MailBox domain name)', 8: 'MG (Mail Group member)', 9: 'MR (Mail Rename domain)', 10: 'NULL RR',
  11: 'WKS (Well Known Service)', 12: 'PTR (domain name PoinTeR)', 13: 'HINFO (host information)',
  14: 'MINFO (Mailbox or mail list information)', 15: 'MX (Mail eXchange)', 16: 'TXT (Text strings)',
  17: 'RP (Responsible Person)', 18: 'AFSDB (AFS Data Base location)', 19: 'X25 (XX.25 PSDN address)',
  20: 'ISDN (ISDN address)', 21: 'RT (Route Through)', 22: 'NSAP (NSAP address)',
  23: 'NSAP-PTR (NSAP domain name pointer)', 24: 'SIG (security signature)', 25: 'KEY (security key)',
  26: 'PX (X.400 mail mapping information)', 27: 'GPOS (Geographical Position)', 28: 'AAAA (IPv6 Address)',
  29: 'LOC (Location Information)', 30: 'NXT (Next Domain)', 31: 'EID (Endpoint Identifier)',
  32: 'NIMLOC (Nimrod Locator)', 33: 'SRV (Server Selection)', 34: 'ATMA (ATM Address)',
  35: 'NAPTR (Naming Authority Pointer)', 36: 'KX (Key Exchanger)', 37: 'CERT', 38: 'A6 (OBSOLETE - use AAAA)',
  39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL', 43: 'DS (Delegation Signer)', 44: 'SSHFP (SSH Key Fingerprint)',
  45: 'IPSECKEY', 46: 'RRSIG (Resource Record Signature)', 47: 'NSEC (Next Secure)', 48: 'DNSKEY (DNS Public Key)',
  49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 55: 'HIP (Host Identity Protocol)', 57: 'RKEY',
  58: 'TALINK (Trust Anchor LINK)', 59: 'CDS (Child DS)', 60: 'CDNSKEY (DNSKEY(s) the Child wants reflected in DS)',
  61: 'OPENPGPKEY (OpenPGP Key)', 62: 'CSYNC (Child-to-Parent Synchronization)', 63: 'ZONEMD',
  64: 'SVCB (General Purpose Service Endpoints)', 65: 'HTTPS (HTTPS Specific Service Endpoints)', 99: 'SPF',
  100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID (NodeID)', 105: 'L32 (Locator32)',
  106: 'L64 (Locator64)', 107: 'LP (Locator FQDN)', 108: 'EUI48', 109: 'EUI64', 249: 'TKEY (Transaction Key)',
  250: 'TSIG (Transaction Signature)', 251: 'IXFR (incremental transfer)', 252: 'AXFR (transfer of an entire zone)',
  253: 'MAILB (mailbox-related RRs)', 254: 'MAILA (mail agent RRs)',
  255: '* (A request for all records the server/cache has available)', 256: 'URI',
  257: 'CAA (Certification Authority Restriction)', 32768: 'TA (DNSSEC Trust Authorities)',
  32769: 'DLV (DNSSEC Lookaside Validation)', 65281: 'WINS', 65282: 'WINS-R', 65422: 'XPF',
};

/** The short type name the Info column and the RR summary use ("A", "ANY", "NULL"). */
function typeShort(t: number): string {
  if (t === 255) return 'ANY';
  const d = TYPES[t];
  if (d === undefined) return `Unknown (${t})`;
  const sp = d.indexOf(' ');
  return sp < 0 ? d : d.slice(0, sp);
}

const CLASSES: Record<number, string> = { 1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS', 0xfe: 'NONE', 0xff: 'ANY' };
const className = (c: number) => CLASSES[c] ?? `Unknown (0x${c.toString(16).padStart(4, '0')})`;

const OPT_CODES: Record<number, string> = {
  0: 'Reserved', 1: 'LLQ - Long-lived query', 2: 'UL - Update lease', 3: 'NSID - Name Server Identifier',
  4: 'Owner (reserved)', 5: 'DAU - DNSSEC Algorithm Understood (RFC6975)', 6: 'DHU - DS Hash Understood (RFC6975)',
  7: 'N3U - NSEC3 Hash Understood (RFC6975)', 8: 'CSUBNET - Client subnet', 9: 'EDNS EXPIRE (RFC7314)',
  10: 'COOKIE', 11: 'EDNS TCP Keepalive', 12: 'PADDING', 13: 'CHAIN', 15: 'Extended DNS Error',
  20730: 'Experimental - CSUBNET - Client subnet',
};

export const dnsFields = defineFields([
  { name: 'dns.length', label: 'Length', type: 'uint16', base: 'dec', description: 'Length of DNS-over-TCP request or response' },
  { name: 'dns.id', label: 'Transaction ID', type: 'uint16', base: 'hex', description: 'Identification of transaction' },
  { name: 'dns.flags', label: 'Flags', type: 'uint16', base: 'hex' },
  { name: 'dns.flags.response', label: 'Response', type: 'boolean', mask: 0x8000, tf: ['Message is a response', 'Message is a query'] },
  { name: 'dns.flags.opcode', label: 'Opcode', type: 'uint16', base: 'dec', mask: 0x7800, values: OPCODES },
  { name: 'dns.flags.authoritative', label: 'Authoritative', type: 'boolean', mask: 0x0400, tf: ['Server is an authority for domain', 'Server is not an authority for domain'] },
  { name: 'dns.flags.conflict', label: 'Conflict', type: 'boolean', mask: 0x0400, tf: ['The sender received multiple responses', 'None'] },
  { name: 'dns.flags.truncated', label: 'Truncated', type: 'boolean', mask: 0x0200, tf: ['Message is truncated', 'Message is not truncated'] },
  { name: 'dns.flags.recdesired', label: 'Recursion desired', type: 'boolean', mask: 0x0100, tf: ['Do query recursively', "Don't do query recursively"] },
  { name: 'dns.flags.tentative', label: 'Tentative', type: 'boolean', mask: 0x0100, tf: ['Tentative', 'Not tentative'] },
  { name: 'dns.flags.recavail', label: 'Recursion available', type: 'boolean', mask: 0x0080, tf: ['Server can do recursive queries', "Server can't do recursive queries"] },
  { name: 'dns.flags.z', label: 'Z', type: 'boolean', mask: 0x0040, tf: ['reserved (1)', 'reserved (0)'] },
  { name: 'dns.flags.authenticated', label: 'Answer authenticated', type: 'boolean', mask: 0x0020, tf: ['Answer/authority portion was authenticated by the server', 'Answer/authority portion was not authenticated by the server'] },
  { name: 'dns.flags.checkdisable', label: 'Non-authenticated data', type: 'boolean', mask: 0x0010, tf: ['Acceptable', 'Unacceptable'] },
  { name: 'dns.flags.rcode', label: 'Reply code', type: 'uint16', base: 'dec', mask: 0x000f, values: RCODES },
  { name: 'dns.count.queries', label: 'Questions', type: 'uint16', base: 'dec' },
  { name: 'dns.count.zones', label: 'Zones', type: 'uint16', base: 'dec' },
  { name: 'dns.count.answers', label: 'Answer RRs', type: 'uint16', base: 'dec' },
  { name: 'dns.count.prerequisites', label: 'Prerequisites', type: 'uint16', base: 'dec' },
  { name: 'dns.count.auth_rr', label: 'Authority RRs', type: 'uint16', base: 'dec' },
  { name: 'dns.count.updates', label: 'Updates', type: 'uint16', base: 'dec' },
  { name: 'dns.count.add_rr', label: 'Additional RRs', type: 'uint16', base: 'dec' },
  { name: 'dns.qry.name', label: 'Name', type: 'string' },
  { name: 'dns.qry.name.len', label: 'Name Length', type: 'uint16', base: 'dec' },
  { name: 'dns.count.labels', label: 'Label Count', type: 'uint16', base: 'dec' },
  { name: 'dns.qry.type', label: 'Type', type: 'uint16', base: 'dec', values: TYPES },
  { name: 'dns.qry.class', label: 'Class', type: 'uint16', base: 'hex', values: CLASSES },
  { name: 'dns.qry.qu', label: '"QU" question', type: 'boolean', mask: 0x8000 },
  { name: 'dns.resp.name', label: 'Name', type: 'string' },
  { name: 'dns.resp.type', label: 'Type', type: 'uint16', base: 'dec', values: TYPES },
  { name: 'dns.resp.class', label: 'Class', type: 'uint16', base: 'hex', values: CLASSES },
  { name: 'dns.resp.cache_flush', label: 'Cache flush', type: 'boolean', mask: 0x8000 },
  { name: 'dns.resp.ttl', label: 'Time to live', type: 'uint32', base: 'dec' },
  { name: 'dns.resp.len', label: 'Data length', type: 'uint16', base: 'dec' },
  { name: 'dns.rr.udp_payload_size', label: 'UDP payload size', type: 'uint16', base: 'dec' },
  { name: 'dns.resp.ext_rcode', label: 'Higher bits in extended RCODE', type: 'uint8', base: 'hex' },
  { name: 'dns.resp.edns0_version', label: 'EDNS0 version', type: 'uint8', base: 'dec' },
  { name: 'dns.resp.z', label: 'Z', type: 'uint16', base: 'hex' },
  { name: 'dns.resp.z.do', label: 'DO bit', type: 'boolean', mask: 0x8000, tf: ['Accepts DNSSEC security RRs', 'Cannot handle DNSSEC security RRs'] },
  { name: 'dns.resp.z.reserved', label: 'Reserved', type: 'uint16', base: 'hex', mask: 0x7fff },
  { name: 'dns.opt', label: 'Option', type: 'none' },
  { name: 'dns.opt.code', label: 'Option Code', type: 'uint16', base: 'dec', values: OPT_CODES },
  { name: 'dns.opt.len', label: 'Option Length', type: 'uint16', base: 'dec' },
  { name: 'dns.opt.data', label: 'Option Data', type: 'bytes' },
  { name: 'dns.opt.cookie.client', label: 'Client Cookie', type: 'bytes' },
  { name: 'dns.opt.cookie.server', label: 'Server Cookie', type: 'bytes' },
  { name: 'dns.opt.padding', label: 'Padding', type: 'bytes' },
  { name: 'dns.a', label: 'Address', type: 'ipv4', description: 'Response Address' },
  { name: 'dns.aaaa', label: 'AAAA Address', type: 'ipv6', description: 'AAAA Response Address' },
  { name: 'dns.ns', label: 'Name Server', type: 'string' },
  { name: 'dns.cname', label: 'CNAME', type: 'string', description: 'Response Primary Name' },
  { name: 'dns.ptr.domain_name', label: 'Domain Name', type: 'string' },
  { name: 'dns.mx.preference', label: 'Preference', type: 'uint16', base: 'dec' },
  { name: 'dns.mx.mail_exchange', label: 'Mail Exchange', type: 'string' },
  { name: 'dns.txt.length', label: 'TXT Length', type: 'uint8', base: 'dec' },
  { name: 'dns.txt', label: 'TXT', type: 'string' },
  { name: 'dns.soa.mname', label: 'Primary name server', type: 'string' },
  { name: 'dns.soa.rname', label: "Responsible authority's mailbox", type: 'string' },
  { name: 'dns.soa.serial_number', label: 'Serial Number', type: 'uint32', base: 'dec' },
  { name: 'dns.soa.refresh_interval', label: 'Refresh Interval', type: 'uint32', base: 'dec' },
  { name: 'dns.soa.retry_interval', label: 'Retry Interval', type: 'uint32', base: 'dec' },
  { name: 'dns.soa.expire_limit', label: 'Expire limit', type: 'uint32', base: 'dec' },
  { name: 'dns.soa.minimum_ttl', label: 'Minimum TTL', type: 'uint32', base: 'dec' },
  { name: 'dns.srv.service', label: 'Service', type: 'string' },
  { name: 'dns.srv.proto', label: 'Protocol', type: 'string' },
  { name: 'dns.srv.name', label: 'Name', type: 'string' },
  { name: 'dns.srv.priority', label: 'Priority', type: 'uint16', base: 'dec' },
  { name: 'dns.srv.weight', label: 'Weight', type: 'uint16', base: 'dec' },
  { name: 'dns.srv.port', label: 'Port', type: 'uint16', base: 'dec' },
  { name: 'dns.srv.target', label: 'Target', type: 'string' },
  { name: 'dns.hinfo.cpu_length', label: 'CPU Length', type: 'uint8', base: 'dec' },
  { name: 'dns.hinfo.cpu', label: 'CPU', type: 'string' },
  { name: 'dns.hinfo.os_length', label: 'OS Length', type: 'uint8', base: 'dec' },
  { name: 'dns.hinfo.os', label: 'OS', type: 'string' },
  { name: 'dns.nsec.next_domain_name', label: 'Next Domain Name', type: 'string' },
  { name: 'dns.data', label: 'Data', type: 'bytes' },
  { name: 'dns.response_in', label: 'Response In', type: 'framenum', description: 'The response to this DNS query is in this frame' },
  { name: 'dns.response_to', label: 'Request In', type: 'framenum', description: 'This is a response to the DNS query in this frame' },
  { name: 'dns.time', label: 'Time', type: 'reltime', description: 'The time between the Query and the Response' },
  { name: 'dns.retransmission', label: 'Retransmission', type: 'boolean', description: 'This is a retransmission' },
  { name: 'dns.retransmit_request_in', label: 'Retransmitted request. Original request in', type: 'framenum' },
  { name: 'dns.retransmit_response_in', label: 'Retransmitted response. Original response in', type: 'framenum' },
  { name: 'dns.unsolicited', label: 'Unsolicited', type: 'boolean', description: 'This is an unsolicited response' },
] as const);

const F = dnsFields;

type Flavor = 'dns' | 'mdns' | 'llmnr';

const LOOP_NAME = '<Name contains a pointer that loops>';

interface Name {
  /** The dotted name as Wireshark prints it (`<Root>` for the empty name). */
  text: string;
  /** Bytes the name occupies at its own position (pointers count 2, not what they point at). */
  used: number;
  labels: number;
}

/** Characters Wireshark escapes inside a label (format_text-like: printable ASCII as is). */
function labelText(tvb: Tvb, o: number, n: number): string {
  // Read in place (a subarray per label was most of what a DNS message allocated).
  tvb.check(o, n);
  const b = tvb.bytes, from = tvb.abs(o), to = from + n;
  let printable = true;
  for (let i = from; i < to && printable; i++) printable = b[i]! >= 0x20 && b[i]! < 0x7f;
  if (printable) return tvb.ascii(o, n);
  let s = '';
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\' + c.toString(8).padStart(3, '0');
  }
  return s;
}

/**
 * Reads a possibly compressed name (RFC 1035 4.1.4). `msg` is the DNS message (pointers are
 * offsets into it). Loop-safe: following pointers is bounded by the message length, as
 * Wireshark's get_dns_name does ("<Name contains a pointer that loops>").
 */
function readName(msg: Tvb, offset: number): Name {
  let o = offset;
  let used = -1;
  let labels = 0;
  const parts: string[] = [];
  let processed = 0;
  const limit = msg.reportedLength;
  for (;;) {
    const len = msg.u8(o);
    o++;
    if (len === 0) break;
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      const ptr = ((len & 0x3f) << 8) | msg.u8(o);
      o++;
      if (used < 0) used = o - offset;
      processed += 2;
      if (processed >= limit || ptr >= limit) {
        return { text: LOOP_NAME, used, labels: 1 };
      }
      o = ptr;
      continue;
    }
    if (kind === 0x00) {
      parts.push(labelText(msg, o, len));
      labels++;
      o += len;
      processed += len + 1;
      if (processed >= limit) return { text: LOOP_NAME, used: used < 0 ? o - offset : used, labels: 1 };
      continue;
    }
    // 0x40 (extended, RFC 2671/6891 made it obsolete) and 0x80 (reserved) label types.
    parts.push(kind === 0x40 ? '<Unknown extended label>' : '<Unknown label type>');
    labels++;
    break;
  }
  if (used < 0) used = o - offset;
  return { text: parts.length ? parts.join('.') : '<Root>', used, labels };
}

/** "1 day", "43 minutes, 18 seconds", "0 seconds" (Wireshark's unsigned_time_secs_to_str). */
export function secsText(v: number): string {
  if (v === 0) return '0 seconds';
  const parts: string[] = [];
  const units: Array<[number, string]> = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  let rest = v;
  for (const [n, u] of units) {
    const q = Math.floor(rest / n);
    rest -= q * n;
    if (q) parts.push(`${q} ${u}${q === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

interface Pending {
  frame: number;
  sec: number;
  nsec: number;
  response?: number;
}

/** What the tracker decided for one frame, kept so re-dissection (random access) agrees. */
type Verdict =
  | { kind: 'request'; tx: Pending }
  | { kind: 'retransmitted-request'; original: number }
  | { kind: 'response'; tx: Pending }
  | { kind: 'retransmitted-response'; original: number }
  | { kind: 'unsolicited' };

interface DnsState {
  /** Numeric ids of the endpoint pairs (by column address and port) conversations are keyed by. */
  ids: EndpointIds;
  /** Transactions by conversation + id, in frame order (see convKey). */
  transactions: Map<number, Pending[]>;
  /** By frame number * 65536 + message index in the frame. */
  verdicts: Map<number, Verdict>;
  /** Newest second seen: "now" for the forgetting. */
  latest: number;
  /** Transaction keys forgotten since ids last dropped their pairs. */
  dead: number;
}

function dnsState(capture: CaptureState): DnsState {
  return capture.get('dns.transactions', newDnsState);
}

function newDnsState(capture: CaptureState): DnsState {
  const st: DnsState = { ids: new EndpointIds(), transactions: new Map(), verdicts: new Map(), latest: -Infinity, dead: 0 };
  capture.onForget((first) => forgetBefore(st, first));
  return st;
}

/**
 * A live ring evicted the frames before `first`: forget their verdicts, and the transactions
 * whose query was evicted and is FORGET_QUIET_AFTER_S old (an answer arriving later is
 * unsolicited, where tshark would still pair it; see pickForgotten).
 */
function forgetBefore(st: DnsState, first: number): void {
  forgetFramesBefore(st.verdicts, first, (k) => Math.floor(k / 65536));
  const newest = (list: Pending[]) => list[list.length - 1]!;
  for (const [key] of pickForgotten(st.transactions, first, st.latest, ([, l]) => newest(l).frame, ([, l]) => newest(l).sec, () => FORGET_QUIET_AFTER_S)) {
    st.transactions.delete(key);
    st.dead++;
  }
  // The same conversation and id used again and again: its old transactions go the same way.
  for (const list of st.transactions.values()) {
    let n = 0;
    while (n < list.length && list[n]!.frame < first && st.latest - list[n]!.sec >= FORGET_QUIET_AFTER_S) n++;
    if (n > 0) list.splice(0, n);
  }
  if (st.dead > 1024 && st.dead > st.transactions.size) {
    const live = new Set<number>();
    for (const key of st.transactions.keys()) live.add(Math.floor(key / 131072));
    st.ids.retain((id) => live.has(id));
    st.dead = 0;
  }
}

/** dns.retransmission_timer's default: a repeated query within 5 s is a retransmission. */
const RETRANSMISSION_TIMER_S = 5;

/** Transport, both endpoints (column addresses and ports, either direction) and the DNS id. */
function convKey(ctx: PacketContext, ids: EndpointIds, id: number, tcp: boolean): number {
  const e = ctx.endpoints;
  const pair = ids.pair(endpoint(ids.text(e.src), e.srcPort ?? 0), endpoint(ids.text(e.dst), e.dstPort ?? 0));
  return pair * 131072 + id * 2 + (tcp ? 1 : 0);
}

/**
 * Request/response matching like packet-dns.c: transactions per conversation and id; a query
 * repeated before its answer (within the retransmission timer) is a retransmission, a second
 * answer is a retransmitted response. A single pass knows only the past, so dns.response_in
 * appears on a query only when it is dissected again after its answer (as in Wireshark's GUI).
 */
function trackTransaction(ctx: PacketContext, id: number, isResponse: boolean, tcp: boolean, msgIndex: number): Verdict {
  const st = dnsState(ctx.capture);
  const key = convKey(ctx, st.ids, id, tcp);
  const f = ctx.frame;
  if (f.ts.sec > st.latest) st.latest = f.ts.sec;
  const vkey = f.number * 65536 + msgIndex;
  let v = st.verdicts.get(vkey);
  if (!v) {
    let list = st.transactions.get(key);
    if (!list) st.transactions.set(key, (list = []));
    let prev: Pending | undefined;
    for (const p of list) if (p.frame < f.number) prev = p;
    if (!isResponse) {
      const age = prev ? f.ts.sec - prev.sec + (f.ts.nsec - prev.nsec) / 1e9 : Infinity;
      if (prev && (prev.response === undefined || prev.response > f.number) && age < RETRANSMISSION_TIMER_S) {
        v = { kind: 'retransmitted-request', original: prev.frame };
      } else {
        const tx: Pending = { frame: f.number, sec: f.ts.sec, nsec: f.ts.nsec };
        list.push(tx);
        list.sort((x, y) => x.frame - y.frame);
        v = { kind: 'request', tx };
      }
    } else if (!prev) {
      v = { kind: 'unsolicited' };
    } else if (prev.response === undefined || prev.response >= f.number) {
      prev.response = f.number;
      v = { kind: 'response', tx: prev };
    } else {
      v = { kind: 'retransmitted-response', original: prev.response };
    }
    if (ctx.capture.revisits) st.verdicts.set(vkey, v);
  }
  return v;
}

/**
 * What the tracking says, as items at the end of the message's tree (after its records, where
 * tshark puts them); a retransmission's note goes on `idNode`, the Transaction ID.
 */
function addTransactionItems(ctx: PacketContext, node: FieldNode, idNode: FieldNode, v: Verdict): void {
  const f = ctx.frame;
  switch (v.kind) {
    case 'request':
      if (v.tx.response !== undefined) ctx.addGenerated(node, F['dns.response_in'], v.tx.response);
      break;
    case 'retransmitted-request': {
      ctx.addGenerated(node, F['dns.retransmit_request_in'], v.original);
      ctx.addGenerated(node, F['dns.retransmission'], true);
      ctx.addExpert(idNode, 'warn', 'protocol', `DNS query retransmission. Original request in frame ${v.original}`);
      break;
    }
    case 'response': {
      ctx.addGenerated(node, F['dns.response_to'], v.tx.frame);
      ctx.addGenerated(node, F['dns.time'], f.ts.sec - v.tx.sec + (f.ts.nsec - v.tx.nsec) / 1e9);
      break;
    }
    case 'retransmitted-response': {
      ctx.addGenerated(node, F['dns.retransmit_response_in'], v.original);
      ctx.addGenerated(node, F['dns.retransmission'], true);
      ctx.addExpert(idNode, 'warn', 'protocol', `DNS response retransmission. Original response in frame ${v.original}`);
      break;
    }
    case 'unsolicited':
      ctx.addGenerated(node, F['dns.unsolicited'], true);
      break;
  }
}

function protoLabel(flavor: Flavor): string {
  return flavor === 'mdns' ? 'Multicast Domain Name System' : flavor === 'llmnr' ? 'Link-local Multicast Name Resolution' : 'Domain Name System';
}

/** The fields of the header's flags and section counts: no note is ever put on them. */
const HEADER_FIELDS = [
  F['dns.flags'], F['dns.flags.response'], F['dns.flags.opcode'], F['dns.flags.conflict'], F['dns.flags.truncated'], F['dns.flags.tentative'],
  F['dns.flags.rcode'], F['dns.flags.authoritative'], F['dns.flags.recdesired'], F['dns.flags.recavail'], F['dns.flags.z'],
  F['dns.flags.authenticated'], F['dns.flags.checkdisable'], F['dns.count.zones'], F['dns.count.queries'], F['dns.count.prerequisites'],
  F['dns.count.answers'], F['dns.count.updates'], F['dns.count.auth_rr'], F['dns.count.add_rr'],
];

/** The header's flags and section counts (dissectMessage: only when one of HEADER_FIELDS is kept). */
function addFlagsAndCounts(msg: Tvb, ctx: PacketContext, node: FieldNode, flavor: Flavor, flags: number, update: boolean): void {
  const isResponse = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  const opName = OPCODES[opcode] ?? `Unknown operation (${opcode})`;
  const flagText = () => `Flags: 0x${flags.toString(16).padStart(4, '0')} ${opName}${isResponse ? ` response, ${RCODES[rcode] ?? `Unknown error (${rcode})`}` : ''}`;
  const fl = ctx.add(node, F['dns.flags'], msg, 2, 2, flags, flagText);
  const bit = (def: FieldDef) => ctx.add(fl, def, msg, 2, 2, (flags & def.mask!) !== 0);
  bit(F['dns.flags.response']);
  ctx.add(fl, F['dns.flags.opcode'], msg, 2, 2, opcode);
  if (flavor === 'llmnr') {
    // packet-dns.c: the same field, its own words in a response (hf_dns_flags_conflict_response).
    if (isResponse) {
      const c = (flags & 0x0400) !== 0;
      ctx.add(fl, F['dns.flags.conflict'], msg, 2, 2, c, () => `${bitPicture(flags, 0x0400, 16)} = Conflict: The name is ${c ? 'not ' : ''}considered unique`);
    } else bit(F['dns.flags.conflict']);
    bit(F['dns.flags.truncated']);
    bit(F['dns.flags.tentative']);
    if (isResponse) ctx.add(fl, F['dns.flags.rcode'], msg, 2, 2, rcode);
  } else {
    if (isResponse) bit(F['dns.flags.authoritative']);
    bit(F['dns.flags.truncated']);
    bit(F['dns.flags.recdesired']);
    if (isResponse) bit(F['dns.flags.recavail']);
    bit(F['dns.flags.z']);
    if (isResponse) bit(F['dns.flags.authenticated']);
    else if (flags & 0x20) ctx.add(fl, F['dns.flags.authenticated'], msg, 2, 2, true, '.... .... ..1. .... = AD bit: Set');
    bit(F['dns.flags.checkdisable']);
    if (isResponse) ctx.add(fl, F['dns.flags.rcode'], msg, 2, 2, rcode);
  }
  const qd = msg.u16(4), an = msg.u16(6), ns = msg.u16(8), ar = msg.u16(10);
  ctx.add(node, update ? F['dns.count.zones'] : F['dns.count.queries'], msg, 4, 2, qd);
  ctx.add(node, update ? F['dns.count.prerequisites'] : F['dns.count.answers'], msg, 6, 2, an);
  ctx.add(node, update ? F['dns.count.updates'] : F['dns.count.auth_rr'], msg, 8, 2, ns);
  ctx.add(node, F['dns.count.add_rr'], msg, 10, 2, ar);
}

/** Dissects one DNS message occupying all of `msg`. */
function dissectMessage(msg: Tvb, ctx: PacketContext, node: FieldNode, flavor: Flavor, tcp: boolean, msgIndex: number): void {
  const id = msg.u16(0);
  const flags = msg.u16(2);
  const isResponse = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  if (ctx.tree) ctx.setText(node, `${protoLabel(flavor)} (${isResponse ? 'response' : 'query'})`);

  const opName = OPCODES[opcode] ?? `Unknown operation (${opcode})`;
  let info = `${opName}${isResponse ? ' response' : ''} 0x${id.toString(16).padStart(4, '0')}`;
  if (isResponse && rcode !== 0) info += ` ${RCODES[rcode] ?? `Unknown error (${rcode})`}`;
  ctx.info = info;

  const idNode = ctx.add(node, F['dns.id'], msg, 0, 2, id);
  const update = opcode === 5;
  // The flags and counts carry no note: when none of their fields is kept (read's summary
  // lines) they are not added (each add would give back the placeholder). Added before the
  // counts are read here, as before: a message cut inside them keeps its flags in the tree.
  if (!ctx.recordsNone(HEADER_FIELDS)) addFlagsAndCounts(msg, ctx, node, flavor, flags, update);
  const qd = msg.u16(4), an = msg.u16(6), ns = msg.u16(8), ar = msg.u16(10);

  // Tracked before the records are read (a malformed one still counts), shown after them.
  const verdict = trackTransaction(ctx, id, isResponse, tcp, msgIndex);

  let o = 12;
  if (qd > 0) {
    const qs = ctx.addText(node, msg, o, 0, update ? 'Zone' : 'Queries');
    const start = o;
    for (let i = 0; i < qd; i++) o = dissectQuestion(msg, o, ctx, qs, flavor);
    ctx.setLength(qs, o - start);
  }
  const sections: Array<[number, string]> = [
    [an, update ? 'Prerequisites' : 'Answers'],
    [ns, update ? 'Updates' : 'Authoritative nameservers'],
    [ar, 'Additional records'],
  ];
  for (const [count, title] of sections) {
    if (count === 0) continue;
    const sec = ctx.addText(node, msg, o, 0, title);
    const start = o;
    for (let i = 0; i < count; i++) o = dissectRR(msg, o, ctx, sec, flavor);
    ctx.setLength(sec, o - start);
  }
  addTransactionItems(ctx, node, idNode, verdict);
}

function dissectQuestion(msg: Tvb, o: number, ctx: PacketContext, parent: FieldNode, flavor: Flavor): number {
  const name = readName(msg, o);
  const type = msg.u16(o + name.used);
  const rawClass = msg.u16(o + name.used + 2);
  const mdns = flavor === 'mdns';
  const cls = mdns ? rawClass & 0x7fff : rawClass;
  const qu = mdns && (rawClass & 0x8000) !== 0;
  ctx.info += ` ${typeShort(type)} ${name.text}`;
  if (mdns) ctx.info += qu ? ', "QU" question' : ', "QM" question';
  const q = ctx.tree
    ? ctx.addText(parent, msg, o, name.used + 4, `${name.text}: type ${typeShort(type)}, class ${className(cls)}${mdns ? (qu ? ', "QU" question' : ', "QM" question') : ''}`)
    : parent;
  ctx.add(q, F['dns.qry.name'], msg, o, name.used, name.text);
  // packet-dns.c counts the name as shown, and only past one character: "<Root>" is 6 long with
  // one label, a one-character name ("x") 0 with none.
  const shownLength = name.text.length > 1 ? name.text.length : 0;
  ctx.addGenerated(q, F['dns.qry.name.len'], shownLength);
  if (ctx.wants(F['dns.count.labels'])) ctx.addGenerated(q, F['dns.count.labels'], shownLength > 0 ? name.text.split('.').length : 0);
  ctx.add(q, F['dns.qry.type'], msg, o + name.used, 2, type);
  ctx.add(q, F['dns.qry.class'], msg, o + name.used + 2, 2, cls, mdns && ctx.tree ? mdnsClassText(F['dns.qry.class'], rawClass) : undefined);
  if (mdns) ctx.add(q, F['dns.qry.qu'], msg, o + name.used + 2, 2, qu);
  return o + name.used + 4;
}

/** mDNS's class is the low 15 bits (the top one is QU / cache flush): tshark draws the mask. */
function mdnsClassText(def: FieldDef, rawClass: number): string {
  return `${bitPicture(rawClass, 0x7fff, 16)} = Class: ${formatDisplayValue(def, rawClass & 0x7fff)}`;
}

function dissectRR(msg: Tvb, o: number, ctx: PacketContext, parent: FieldNode, flavor: Flavor): number {
  const name = readName(msg, o);
  let p = o + name.used;
  const type = msg.u16(p);
  const rawClass = msg.u16(p + 2);
  const ttl = msg.u32(p + 4);
  const rdlen = msg.u16(p + 8);
  const mdns = flavor === 'mdns';
  const flush = mdns && type !== 41 && (rawClass & 0x8000) !== 0;
  const cls = mdns && type !== 41 ? rawClass & 0x7fff : rawClass;
  const short = typeShort(type);
  ctx.info += ` ${short}${flush ? ', cache flush' : ''}`;
  // The record's item spans its data: one cut short throws before it is added (tshark's
  // proto_tree_add_subtree over the record's bytes), so the tree has no half record.
  msg.check(o, name.used + 10 + rdlen);
  const rr = ctx.addText(parent, msg, o, name.used + 10 + rdlen, '');
  // The record's tree line (what follows its name and type is added case by case below).
  let summary = !ctx.tree ? '' : type === 41 ? `${name.text}: type OPT` : `${name.text}: type ${short}, class ${className(cls)}${flush ? ', cache flush' : ''}`;
  // tshark gives an SRV owner name as service/proto/name instead of dns.resp.name.
  // The owner name is _Service._Proto.Name (RFC 2782); tshark splits at the first two dots,
  // showing what there is ("x": a Service only, "<Root>" too).
  if (type === 33) {
    const srvParts = name.text.split('.');
    ctx.add(rr, F['dns.srv.service'], msg, o, name.used, srvParts[0]!);
    if (srvParts.length >= 2) ctx.add(rr, F['dns.srv.proto'], msg, o, name.used, srvParts[1]!);
    if (srvParts.length >= 3) ctx.add(rr, F['dns.srv.name'], msg, o, name.used, srvParts.slice(2).join('.'));
  } else {
    ctx.add(rr, F['dns.resp.name'], msg, o, name.used, name.text);
  }
  ctx.add(rr, F['dns.resp.type'], msg, p, 2, type);
  if (type === 41) {
    // mDNS's own field of this name is hex under a 0x7fff mask: its tree line shows so.
    const size = mdns ? rawClass & 0x7fff : rawClass;
    const sizeNode = ctx.add(rr, F['dns.rr.udp_payload_size'], msg, p + 2, 2, size, mdns && ctx.tree ? `${bitPicture(rawClass, 0x7fff, 16)} = UDP payload size: 0x${size.toString(16).padStart(4, '0')}` : undefined);
    // ... and -T fields prints it in hex (the registry has one field of this name, decimal).
    if (mdns && !ctx.isPlaceholder(sizeNode)) sizeNode.fieldText = `0x${size.toString(16).padStart(4, '0')}`;
    if (mdns) ctx.add(rr, F['dns.resp.cache_flush'], msg, p + 2, 2, (rawClass & 0x8000) !== 0);
    ctx.add(rr, F['dns.resp.ext_rcode'], msg, p + 4, 1, msg.u8(p + 4));
    ctx.add(rr, F['dns.resp.edns0_version'], msg, p + 5, 1, msg.u8(p + 5));
    const z = msg.u16(p + 6);
    const zn = ctx.add(rr, F['dns.resp.z'], msg, p + 6, 2, z);
    ctx.add(zn, F['dns.resp.z.do'], msg, p + 6, 2, (z & 0x8000) !== 0);
    ctx.add(zn, F['dns.resp.z.reserved'], msg, p + 6, 2, z & 0x7fff);
  } else {
    ctx.add(rr, F['dns.resp.class'], msg, p + 2, 2, cls, mdns && ctx.tree ? mdnsClassText(F['dns.resp.class'], rawClass) : undefined);
    if (mdns) ctx.add(rr, F['dns.resp.cache_flush'], msg, p + 2, 2, flush);
    ctx.add(rr, F['dns.resp.ttl'], msg, p + 4, 4, ttl, () => `Time to live: ${ttl} (${secsText(ttl)})`);
  }
  ctx.add(rr, F['dns.resp.len'], msg, p + 8, 2, rdlen);
  p += 10;
  // RDATA is bounded by its length; a name inside it may still point anywhere in the message.
  msg.check(p, rdlen);
  const end = p + rdlen;
  const nameAt = (def: FieldDef, at: number): Name => {
    const n = readName(msg, at);
    ctx.add(rr, def, msg, at, n.used, n.text);
    return n;
  };
  switch (type) {
    case 1: {
      if (rdlen < 4) break;
      const a = msg.u32(p);
      ctx.add(rr, F['dns.a'], msg, p, 4, a);
      const text = formatIPv4(a);
      ctx.info += ` ${text}`;
      summary += `, addr ${text}`;
      break;
    }
    case 28: {
      if (rdlen < 16) break;
      const a = msg.slice(p, 16);
      ctx.add(rr, F['dns.aaaa'], msg, p, 16, a);
      const text = formatIPv6(a);
      ctx.info += ` ${text}`;
      summary += `, addr ${text}`;
      break;
    }
    case 2: {
      const n = nameAt(F['dns.ns'], p);
      ctx.info += ` ${n.text}`;
      summary += `, ns ${n.text}`;
      break;
    }
    case 5: {
      const n = nameAt(F['dns.cname'], p);
      ctx.info += ` ${n.text}`;
      summary += `, cname ${n.text}`;
      break;
    }
    case 12: {
      const n = nameAt(F['dns.ptr.domain_name'], p);
      ctx.info += ` ${n.text}`;
      summary += `, ${n.text}`;
      break;
    }
    case 15: {
      const pref = msg.u16(p);
      ctx.add(rr, F['dns.mx.preference'], msg, p, 2, pref);
      const n = nameAt(F['dns.mx.mail_exchange'], p + 2);
      ctx.info += ` ${pref} ${n.text}`;
      summary += `, preference ${pref}, mx ${n.text}`;
      break;
    }
    case 6: {
      const m = nameAt(F['dns.soa.mname'], p);
      const r = nameAt(F['dns.soa.rname'], p + m.used);
      let q = p + m.used + r.used;
      ctx.add(rr, F['dns.soa.serial_number'], msg, q, 4, msg.u32(q));
      q += 4;
      for (const def of [F['dns.soa.refresh_interval'], F['dns.soa.retry_interval'], F['dns.soa.expire_limit'], F['dns.soa.minimum_ttl']]) {
        const v = msg.u32(q);
        ctx.add(rr, def, msg, q, 4, v, `${def.label}: ${v} (${secsText(v)})`);
        q += 4;
      }
      ctx.info += ` ${m.text}`;
      summary += `, mname ${m.text}`;
      break;
    }
    case 16: {
      let q = p;
      while (q < end) {
        const l = msg.u8(q);
        ctx.add(rr, F['dns.txt.length'], msg, q, 1, l);
        ctx.add(rr, F['dns.txt'], msg, q + 1, l, msg.ascii(q + 1, l));
        q += 1 + l;
      }
      break;
    }
    case 13: {
      const cl = msg.u8(p);
      ctx.add(rr, F['dns.hinfo.cpu_length'], msg, p, 1, cl);
      ctx.add(rr, F['dns.hinfo.cpu'], msg, p + 1, cl, msg.ascii(p + 1, cl));
      const ol = msg.u8(p + 1 + cl);
      ctx.add(rr, F['dns.hinfo.os_length'], msg, p + 1 + cl, 1, ol);
      ctx.add(rr, F['dns.hinfo.os'], msg, p + 2 + cl, ol, msg.ascii(p + 2 + cl, ol));
      break;
    }
    case 33: {
      const prio = msg.u16(p), weight = msg.u16(p + 2), port = msg.u16(p + 4);
      ctx.add(rr, F['dns.srv.priority'], msg, p, 2, prio);
      ctx.add(rr, F['dns.srv.weight'], msg, p + 2, 2, weight);
      ctx.add(rr, F['dns.srv.port'], msg, p + 4, 2, port);
      const t = nameAt(F['dns.srv.target'], p + 6);
      ctx.info += ` ${prio} ${weight} ${port} ${t.text}`;
      summary += `, priority ${prio}, weight ${weight}, port ${port}, target ${t.text}`;
      break;
    }
    case 47: {
      const n = nameAt(F['dns.nsec.next_domain_name'], p);
      ctx.info += ` ${n.text}`;
      summary += `, next domain name ${n.text}`;
      // The type bit maps (RFC 4034 4.1.2): window, length, bits; each set bit names a type.
      for (let q = p + n.used; q + 2 <= end;) {
        const window = msg.u8(q), len = msg.u8(q + 1);
        q += 2;
        for (let i = 0; i < len && q + i < end; i++) {
          const bits = msg.u8(q + i);
          for (let bit = 0; bit < 8; bit++) {
            if ((bits & (0x80 >> bit)) === 0) continue;
            const t = window * 256 + i * 8 + bit;
            ctx.add(rr, F['dns.resp.type'], msg, q + i, 1, t, ctx.tree ? `RR type in bit map: ${TYPES[t] ?? `Unknown (${t})`}` : undefined);
          }
        }
        q += len;
      }
      break;
    }
    case 41: {
      let q = p;
      while (q + 4 <= end) {
        const code = msg.u16(q), len = msg.u16(q + 2);
        const opt = ctx.add(rr, F['dns.opt'], msg, q, 4 + len, null, `Option: ${(OPT_CODES[code] ?? 'Unknown').replace(/ - .*/, '')}`);
        ctx.add(opt, F['dns.opt.code'], msg, q, 2, code);
        ctx.add(opt, F['dns.opt.len'], msg, q + 2, 2, len);
        if (len > 0) {
          ctx.add(opt, F['dns.opt.data'], msg, q + 4, len, msg.slice(q + 4, len));
          if (code === 10 && len >= 8) {
            ctx.add(opt, F['dns.opt.cookie.client'], msg, q + 4, 8, msg.slice(q + 4, 8));
            // A query's COOKIE carries no server cookie yet: tshark shows an empty one.
            ctx.add(opt, F['dns.opt.cookie.server'], msg, q + 12, Math.max(0, len - 8), msg.slice(q + 12, Math.max(0, len - 8)), len > 8 ? undefined : 'Server Cookie: <MISSING>');
          } else if (code === 12) {
            ctx.add(opt, F['dns.opt.padding'], msg, q + 4, len, msg.slice(q + 4, len));
          }
        }
        q += 4 + len;
      }
      break;
    }
    default:
      if (rdlen > 0) ctx.add(rr, F['dns.data'], msg, p, rdlen, msg.slice(p, rdlen));
  }
  if (ctx.tree) ctx.setText(rr, summary);
  return end;
}

function makeDissector(flavor: Flavor) {
  const column = flavor === 'dns' ? 'DNS' : flavor.toUpperCase();
  return (tvb: Tvb, ctx: PacketContext, node: FieldNode): void => {
    const tcp = ctx.scratch['transport'] === 'tcp' || ctx.layers.includes('tcp');
    if (!tcp) {
      ctx.protocol = column;
      ctx.info = '';
      dissectMessage(tvb, ctx, node, flavor, false, 0);
      return;
    }
    // DNS over TCP: a 2-byte length, then the message (RFC 1035 4.2.2 / RFC 7766). Several
    // messages may share a segment; each gets its own length prefix. As tshark's
    // tcp_dissect_pdus, a message is asked for whole before DNS touches the columns.
    let o = 0;
    let first = true;
    let index = 0;
    while (o < tvb.reportedLength) {
      // A message (or its length prefix) continuing in the next segments: ask TCP for the rest.
      if (o + 2 > tvb.reportedLength) {
        if (canDesegment(ctx)) requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT);
        break;
      }
      const len = tvb.u16(o);
      if (o + 2 + len > tvb.reportedLength && canDesegment(ctx)) {
        requestDesegment(ctx, o, o + 2 + len - tvb.reportedLength);
        break;
      }
      if (first) {
        ctx.protocol = column;
        ctx.info = '';
      }
      const infoBefore = ctx.info;
      if (!first) {
        // Wireshark adds a second `dns` layer for each further message in the segment.
        ctx.layers.push(flavor);
      }
      addPduSize(ctx, 2 + len); // DNS over TCP is read with tcp_dissect_pdus
      ctx.add(node, F['dns.length'], tvb, o, 2, len);
      if (len < 12) throw new MalformedError('DNS message shorter than its header', tvb.abs(o));
      const msg = tvb.sub(o + 2, len, len);
      dissectMessage(msg, ctx, node, flavor, true, index++);
      if (!first) ctx.info = `${infoBefore}, ${ctx.info}`;
      first = false;
      o += 2 + len;
    }
    ctx.setLength(node, Math.min(o, tvb.length));
  };
}

export const dnsProtocol: Protocol = defineProtocol('dns', 'Domain Name System', makeDissector('dns'));
export const mdnsProtocol: Protocol = defineProtocol('mdns', 'Multicast Domain Name System', makeDissector('mdns'), 'mDNS');
export const llmnrProtocol: Protocol = defineProtocol('llmnr', 'Link-local Multicast Name Resolution', makeDissector('llmnr'));

register('udp.port', 53, dnsProtocol);
register('tcp.port', 53, dnsProtocol);
register('udp.port', 5353, mdnsProtocol);
register('udp.port', 5355, llmnrProtocol);
// tshark 4.0 registers DNS (not mDNS) on tcp 5353 and LLMNR on udp only.
register('tcp.port', 5353, dnsProtocol);
