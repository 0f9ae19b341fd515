// ICMP for IPv4 (RFC 792; Wireshark's packet-icmp.c). Error messages quote the offending IP
// header + 8 bytes: that quote is dissected as IP again (tshark shows `icmp:ip:udp`) with
// inErrorPacket set, and the outer packet keeps its columns. Echo replies name their request.
import { addVerifiedChecksum, CHECKSUM_STATUS_NAMES, internetChecksum } from '../checksum.js';
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, isDecodeError, lookup, register } from '../dispatch.js';
import { echoState } from '../echo.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';
import { dissectIcmpExtensions, dissectMobileIpExtensions } from './icmp-extensions.js';
import { hex4 } from '../format.js';

const TYPES: Record<number, string> = {
  0: 'Echo (ping) reply', 3: 'Destination unreachable', 4: 'Source quench (flow control)', 5: 'Redirect',
  8: 'Echo (ping) request', 9: 'Router advertisement', 10: 'Router solicitation', 11: 'Time-to-live exceeded',
  12: 'Parameter problem', 13: 'Timestamp request', 14: 'Timestamp reply', 15: 'Information request',
  16: 'Information reply', 17: 'Address mask request', 18: 'Address mask reply',
};
const CODES: Record<number, Record<number, string>> = {
  3: { 0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable', 4: 'Fragmentation needed', 5: 'Source route failed', 6: 'Destination network unknown', 7: 'Destination host unknown', 8: 'Source host isolated', 9: 'Network administratively prohibited', 10: 'Host administratively prohibited', 11: 'Network unreachable for TOS', 12: 'Host unreachable for TOS', 13: 'Communication administratively filtered', 14: 'Host precedence violation', 15: 'Precedence cutoff in effect' },
  5: { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' },
  9: { 0: 'Normal router advertisement', 16: 'Does not route common traffic' },
  11: { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' },
  12: { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' },
};
const ERROR_TYPES = new Set([3, 4, 5, 11, 12]);
const ID_SEQ_TYPES = new Set([0, 8, 13, 14, 15, 16, 17, 18]);
// Only echo replies are paired with their requests in tshark's Info.
const REPLY_OF: Record<number, number> = { 0: 8 };

export const icmpFields = defineFields([
  // The type's name is the dissector's text, as in tshark (whose item has no value names, so a
  // filter takes a number: `icmp.type == echo-request` is not a valid number).
  { name: 'icmp.type', label: 'Type', type: 'uint8' },
  { name: 'icmp.code', label: 'Code', type: 'uint8' },
  { name: 'icmp.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'icmp.checksum.status', label: 'Checksum Status', type: 'uint8', base: 'none', values: CHECKSUM_STATUS_NAMES },
  { name: 'icmp.ident', label: 'Identifier (BE)', type: 'uint16', base: 'dec_hex' },
  { name: 'icmp.ident_le', label: 'Identifier (LE)', type: 'uint16', base: 'dec_hex' },
  { name: 'icmp.seq', label: 'Sequence Number (BE)', type: 'uint16', base: 'dec_hex' },
  { name: 'icmp.seq_le', label: 'Sequence Number (LE)', type: 'uint16', base: 'dec_hex' },
  { name: 'icmp.resp_to', label: 'Request frame', type: 'framenum' },
  { name: 'icmp.resptime', label: 'Response time', type: 'double', unit: ' ms' },
  { name: 'icmp.data_time', label: 'Timestamp from icmp data', type: 'abstime', clock: 'local' },
  { name: 'icmp.data_time_relative', label: 'Timestamp from icmp data (relative)', type: 'reltime' },
  { name: 'icmp.redir_gw', label: 'Gateway Address', type: 'ipv4' },
  { name: 'icmp.mtu', label: 'MTU of next hop', type: 'uint16' },
  { name: 'icmp.pointer', label: 'Pointer', type: 'uint32' },
  { name: 'icmp.unused', label: 'Unused', type: 'bytes' },
  { name: 'icmp.length', label: 'Length', type: 'uint8', description: 'The length of the original datagram' },
  { name: 'icmp.length.original_datagram', label: 'Length of original datagram', type: 'uint8' },
  { name: 'icmp.num_addrs', label: 'Number of addresses', type: 'uint8' },
  { name: 'icmp.addr_entry_size', label: 'Address entry size', type: 'uint8' },
  { name: 'icmp.lifetime', label: 'Lifetime', type: 'uint16' },
  { name: 'icmp.router_address', label: 'Router address', type: 'ipv4' },
  { name: 'icmp.pref_level', label: 'Preference level', type: 'int32' },
  { name: 'icmp.originate_timestamp', label: 'Originate Timestamp', type: 'uint32' },
  { name: 'icmp.receive_timestamp', label: 'Receive Timestamp', type: 'uint32' },
  { name: 'icmp.transmit_timestamp', label: 'Transmit Timestamp', type: 'uint32' },
  { name: 'icmp.address_mask', label: 'Address Mask', type: 'ipv4' },
] as const);

const F = icmpFields;

function dissectIcmp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'ICMP';
  const type = tvb.u8(0), code = tvb.u8(1);
  // packet-icmp.c reads byte 5 (the RFC 4884 length) before adding anything, so a message
  // shorter than 6 bytes shows no ICMP fields at all, only the exception.
  // ...nor its own item: packet-icmp.c adds that after the read.
  if (!tvb.has(0, 6)) ctx.failBeforeItem(node, tvb, 0, 6);
  // packet-icmp.c names unknown codes of the types it has a code table for.
  const codeName = CODES[type] ? CODES[type]![code] ?? `Unknown code: ${code}` : undefined;
  // Router advertisements with code 0 or 16 are named for Mobile IP (RFC 5944) in packet-icmp.c.
  const typeName = type === 9 && (code === 0 || code === 16) ? 'Mobile IP Advertisement' : TYPES[type] ?? 'Unknown ICMP (obsolete or malformed?)';
  ctx.add(node, F['icmp.type'], tvb, 0, 1, type, () => `Type: ${type} (${typeName})`);
  ctx.add(node, F['icmp.code'], tvb, 1, 1, code, ctx.tree && codeName ? `Code: ${code} (${codeName})` : undefined);
  const ck = tvb.u16(2);
  const inError = ctx.scratch['inErrorPacket'] === true;
  // packet-icmp.c verifies the checksum when the whole message was captured, outside quoted
  // packets; "Checksum: 0x1234 [correct]" / "incorrect, should be 0x..." (proto_tree_add_checksum).
  if (!inError && tvb.length >= tvb.reportedLength) {
    addVerifiedChecksum(ctx, node, tvb, 2, { checksum: F['icmp.checksum'], status: F['icmp.checksum.status'] }, ck, internetChecksum(tvb.slice(0, tvb.reportedLength)), 'warn');
  } else {
    ctx.add(node, F['icmp.checksum'], tvb, 2, 2, ck, () => `Checksum: ${hex4(ck)} [unverified] [${inError ? 'in ICMP error packet' : 'fragmented datagram'}]`);
    ctx.addGenerated(node, F['icmp.checksum.status'], 2);
  }
  // packet-icmp.c: "%-20s" for the type, then " (code)" when the code has a name.
  let info = typeName.padEnd(20) + (codeName ? ` (${codeName})` : '');
  const ttl = ctx.scratch['ip.ttl'];

  if (ID_SEQ_TYPES.has(type)) {
    const id = tvb.u16(4), seq = tvb.u16(6);
    ctx.add(node, F['icmp.ident'], tvb, 4, 2, id);
    ctx.add(node, F['icmp.ident_le'], tvb, 4, 2, tvb.u16le(4));
    ctx.add(node, F['icmp.seq'], tvb, 6, 2, seq);
    ctx.add(node, F['icmp.seq_le'], tvb, 6, 2, tvb.u16le(6));
    info = `${typeName.padEnd(20)} id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}/${tvb.u16le(6)}, ttl=${ttl ?? ''}`;
    const match = matchEcho(ctx, type, id, seq);
    if (match) {
      ctx.addGenerated(node, F['icmp.resp_to'], match.frame);
      ctx.addGenerated(node, F['icmp.resptime'], match.ms, () => `Response time: ${match.ms.toFixed(3)} ms`);
      info += ` (request in ${match.frame})`;
    }
    ctx.info = info;
    ctx.setLength(node, tvb.length); // the whole message, as packet-icmp(v6).c's item
    if (type === 13 || type === 14) {
      // Milliseconds since midnight UTC, in either byte order (see msOfDay): the frame's own
      // time of day tells which.
      const ts = ctx.frame.ts;
      const frameMs = (ts.sec * 1000 + Math.floor(ts.nsec / 1e6)) % MS_PER_DAY;
      const stamp = (field: FieldDef, o: number, label: string) => {
        const v = tvb.u32(o);
        ctx.add(node, field, tvb, o, 4, v, () => `${label}: ${v} (${msecsText(msOfDay(tvb, o, frameMs))} after midnight UTC)`);
      };
      stamp(F['icmp.originate_timestamp'], 8, 'Originate Timestamp');
      stamp(F['icmp.receive_timestamp'], 12, 'Receive Timestamp');
      stamp(F['icmp.transmit_timestamp'], 16, 'Transmit Timestamp');
    } else if (type === 17 || type === 18) {
      ctx.add(node, F['icmp.address_mask'], tvb, 8, 4, tvb.u32(8));
    }
    if (type === 0 || type === 8) echoData(tvb, ctx, node);
    return;
  }
  // RFC 4884: byte 5 of Destination Unreachable, Time Exceeded and Parameter Problem is the
  // length of the quoted datagram in 32-bit words (0: not given).
  const origLen = type === 3 || type === 11 || type === 12 ? tvb.u8(5) : 0;
  const addOrigLen = () => {
    if (origLen === 0) return;
    ctx.add(node, F['icmp.length'], tvb, 5, 1, origLen);
    ctx.addGenerated(node, F['icmp.length.original_datagram'], origLen * 4);
  };
  const unused = (o: number, n: number) => ctx.add(node, F['icmp.unused'], tvb, o, n, tvb.slice(o, n));
  if (type === 3) {
    if (origLen > 0) {
      unused(4, 1);
      addOrigLen();
      if (code === 4) ctx.add(node, F['icmp.mtu'], tvb, 6, 2, tvb.u16(6));
      else unused(6, 2);
    } else if (code === 4) {
      unused(4, 2);
      ctx.add(node, F['icmp.mtu'], tvb, 6, 2, tvb.u16(6));
    } else {
      unused(4, 4);
    }
  } else if (type === 5) {
    ctx.add(node, F['icmp.redir_gw'], tvb, 4, 4, tvb.u32(4));
  } else if (type === 12) {
    ctx.add(node, F['icmp.pointer'], tvb, 4, 1, tvb.u8(4));
    if (origLen > 0) {
      addOrigLen();
      unused(6, 2);
    } else {
      unused(5, 3);
    }
  } else if (type === 11) {
    if (origLen > 0) {
      unused(4, 1);
      addOrigLen();
      unused(6, 2);
    } else {
      unused(4, 4);
    }
  } else if (type === 9) {
    const num = tvb.u8(4), size = tvb.u8(5), life = tvb.u16(6);
    ctx.add(node, F['icmp.num_addrs'], tvb, 4, 1, num);
    ctx.add(node, F['icmp.addr_entry_size'], tvb, 5, 1, size);
    ctx.add(node, F['icmp.lifetime'], tvb, 6, 2, life, () => `Lifetime: ${life} (${secondsText(life)})`);
    if (size === 2) {
      for (let i = 0; i < num; i++) {
        ctx.add(node, F['icmp.router_address'], tvb, 8 + i * 8, 4, tvb.u32(8 + i * 8));
        ctx.add(node, F['icmp.pref_level'], tvb, 12 + i * 8, 4, tvb.u32(12 + i * 8) | 0);
      }
      // A Mobile IP agent advertisement (RFC 5944): its extensions follow the entries.
      if (code === 0 || code === 16) dissectMobileIpExtensions(tvb, ctx, node, 8 + num * 8);
    }
  }
  ctx.setLength(node, tvb.length); // the whole message, as packet-icmp(v6).c's item
  ctx.info = info;
  if (!ERROR_TYPES.has(type) || tvb.reportedLength <= 8) return;
  quoteInner(quoteOf(tvb, type, origLen), ctx, info, node);
  // RFC 4884 extensions follow a payload of more than 128 bytes whose quoted datagram is not
  // longer than 128 (packet-icmp.c without its "favor MPLS extensions" preference): after the
  // datagram's given length, or at 128 (the form before RFC 4884, draft-ietf-mpls-icmp).
  if (tvb.reportedLength > 8 + 128 && tvb.u16(8 + 2) <= 128) {
    dissectIcmpExtensions(tvb.sub(origLen ? 8 + origLen * 4 : 8 + 128), ctx, node);
  }
}

/**
 * The quoted datagram as packet-icmp.c hands it to IP: a redirect's is the IP header and 8
 * bytes; with an RFC 4884 length and more bytes after it, the IP header and that length
 * (its formula: (IHL + length) * 4 bytes); otherwise all that follows the ICMP header.
 */
function quoteOf(tvb: Tvb, type: number, origLen: number): Tvb {
  let cut = -1;
  if (type === 5) cut = (tvb.u8(8) & 0x0f) * 4 + 8;
  else if (origLen && tvb.reportedLength > 8 + origLen * 4 && tvb.u16(8 + 2) > origLen * 4) cut = ((tvb.u8(8) & 0x0f) + origLen) * 4;
  const inner = tvb.sub(8);
  // set_actual_length: only ever shortens.
  return cut >= 0 && cut < inner.reportedLength ? inner.sub(0, Math.min(cut, inner.length), cut) : inner;
}

/**
 * Echo data: packet-icmp.c takes its first 8 bytes as a struct timeval (ping's send time, big
 * or little endian) when that is within a day of the frame and the microseconds are < 1e6;
 * the data then starts after it. Data is shown inside the ICMP tree, as tshark does.
 */
function echoData(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  if (tvb.reportedLength <= 8) return;
  if (tvb.remaining(8) >= 8) {
    const frame = ctx.frame.ts;
    const near = (sec: number, usec: number) => Math.abs(sec - frame.sec) < 86400 && usec < 1000000;
    let sec = tvb.u32(8), usec = tvb.u32(12);
    if (!near(sec, usec)) { sec = tvb.u32le(8); usec = tvb.u32le(12); }
    if (near(sec, usec)) {
      ctx.add(node, F['icmp.data_time'], tvb, 8, 8, { sec, nsec: usec * 1000 });
      ctx.addGenerated(node, F['icmp.data_time_relative'], frame.sec - sec + (frame.nsec - usec * 1000) / 1e9);
      if (tvb.reportedLength > 16) callProtocol(dataProtocol, tvb.sub(16), ctx, node);
      return;
    }
  }
  callProtocol(dataProtocol, tvb.sub(8), ctx, node);
}

/** Wireshark's time_secs_to_str: "3 minutes, 20 seconds", "1 hour, 1 second". */
const MS_PER_DAY = 86400000;

/**
 * packet-icmp.c's get_best_guess_mstimeofday: a timestamp's milliseconds of the day (RFC 792;
 * the top bit, "not standard", cleared), big or little endian, whichever is a time of day, or
 * of two, the one nearer after the frame's own (`frameMs`), with a day's rollover allowed for.
 */
function msOfDay(tvb: Tvb, o: number, frameMs: number): number {
  const be = tvb.u32(o) & 0x7fffffff, le = tvb.u32le(o) & 0x7fffffff;
  // guint32 differences: a time before the frame's counts as far after it.
  const after = (t: number) => (t - frameMs) >>> 0;
  if (be < MS_PER_DAY && le >= MS_PER_DAY) return be;
  if (le < MS_PER_DAY && be >= MS_PER_DAY) return le;
  if (be < MS_PER_DAY && le < MS_PER_DAY) {
    const rolled = (t: number) => (t < frameMs && t <= MS_PER_DAY / 4 && frameMs >= MS_PER_DAY - MS_PER_DAY / 4 ? t + MS_PER_DAY : t);
    return after(rolled(be)) < after(rolled(le)) ? be : le;
  }
  return after(be) < after(le) ? be : le;
}

/** Wireshark's time_msecs_to_str: "4 hours, 28 minutes, 51.171 seconds", "0 seconds". */
function msecsText(ms: number): string {
  if (ms === 0) return '0 seconds';
  const frac = ms % 1000, whole = Math.floor(ms / 1000);
  if (frac === 0) return secondsText(whole);
  const minutes = secondsText(whole - (whole % 60));
  const seconds = `${whole % 60}.${String(frac).padStart(3, '0')} seconds`;
  return whole >= 60 ? `${minutes}, ${seconds}` : seconds;
}

function secondsText(t: number): string {
  if (t === 0) return '0 seconds';
  const parts: string[] = [];
  const unit = (n: number, name: string) => { if (n) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`); };
  unit(Math.floor(t / 86400), 'day');
  unit(Math.floor((t % 86400) / 3600), 'hour');
  unit(Math.floor((t % 3600) / 60), 'minute');
  unit(t % 60, 'second');
  return parts.join(', ');
}

/** Dissects the quoted datagram as IP, keeping this packet's own columns. */
function quoteInner(inner: Tvb, ctx: PacketContext, info: string, parent: FieldNode): void {
  const ip = lookup('ethertype', 0x0800);
  const saved = { src: ctx.src, dst: ctx.dst, endpoints: ctx.endpoints };
  ctx.scratch['inErrorPacket'] = true;
  try {
    ctx.scratch['quoteParent'] = parent;
    callProtocol(ip ?? dataProtocol, inner, ctx, parent);
  } catch (e) {
    // The quote is only the first 8 bytes past the IP header: running out of them is expected
    // and not a malformed packet (tshark shows the partial transport header quietly).
    if (!isDecodeError(e)) throw e;
  } finally {
    ctx.scratch['inErrorPacket'] = false;
    ctx.scratch['quoteParent'] = undefined;
    Object.assign(ctx, saved);
    ctx.protocol = 'ICMP';
    ctx.info = info;
  }
}

/** First-pass request/reply pairing keyed by addresses, id and sequence (tshark single pass). */
function matchEcho(ctx: PacketContext, type: number, id: number, seq: number): { frame: number; ms: number } | null {
  const st = echoState(ctx.capture, 'icmp.echo');
  const frame = ctx.frame.number;
  if (st.answers.has(frame)) return st.answers.get(frame)!;
  const now = { sec: ctx.frame.ts.sec, nsec: ctx.frame.ts.nsec };
  const a = ctx.src, b = ctx.dst;
  const reqType = REPLY_OF[type];
  if (reqType === undefined) {
    if (type !== 8) return null;
    st.requests.set(`${type}|${a}|${b}|${id}|${seq}`, { frame, time: now });
    return null;
  }
  const req = st.requests.get(`${reqType}|${b}|${a}|${id}|${seq}`);
  if (!req || req.frame >= frame) return null;
  // Whole seconds and nanoseconds apart, so 26.299 ms prints as tshark's 26.299.
  const ans = { frame: req.frame, ms: ((now.sec - req.time.sec) * 1e9 + (now.nsec - req.time.nsec)) / 1e6 };
  st.answers.set(frame, ans);
  return ans;
}

export const icmpProtocol = defineProtocol('icmp', 'Internet Control Message Protocol', dissectIcmp, 'ICMP');
register('ip.proto', 1, icmpProtocol);
