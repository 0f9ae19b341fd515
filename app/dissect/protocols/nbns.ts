// NetBIOS Name Service (RFC 1002 4.2, UDP 137) as tshark 4.0's packet-nbns.c shows it: the
// DNS-like header with its flags word (proto_tree_add_bitmask: the word's line names the opcode
// and the set bits), queries and resource records with first-level encoded NetBIOS names,
// NB records (flags and addresses, or a WACK's flags word), NBSTAT records (the node's name
// table, MAC and statistics), and Info as "Name query NB WPAD<00>".
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { formatIPv4, hex4 } from '../format.js';
import { nameTypeDescr, nameWithType, processNetbiosName, readNetbiosName, MAX_NAME_LEN, NETBIOS_NAME_LEN } from '../netbios-name.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const OPCODES: Record<number, string> = {
  0: 'Name query', 5: 'Registration', 6: 'Release', 7: 'Wait for acknowledgment', 8: 'Refresh', 9: 'Refresh (alternate opcode)',
  15: 'Multi-homed registration',
};
const RCODES: Record<number, string> = {
  0: 'No error', 1: 'Request was invalidly formatted', 2: 'Server failure', 3: 'Requested name does not exist',
  4: 'Request is not implemented', 5: 'Request was refused', 6: 'Name is owned by another node', 7: 'Name is in conflict',
};
const RR_TYPES: Record<number, string> = { 32: 'NB', 33: 'NBSTAT' };
const CLASSES: Record<number, string> = { 1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };
// tshark keys the ONT names by the unshifted bits (NB_FLAGS_ONT_P_NODE is 1 << 13) while the
// field's value is shifted down: only B-node (0) finds its name.
const ONT_NAMES: Record<number, string> = { 0: 'B-node', 8192: 'P-node', 16384: 'M-node' };
const NB_ONT_NAMES: Record<number, string> = { ...ONT_NAMES, 24576: 'H-node' };
const GROUP = ['Group name', 'Unique name'] as const;
const YES_NO = ['Yes', 'No'] as const;

export const nbnsFields = defineFields([
  { name: 'nbns.id', label: 'Transaction ID', type: 'uint16', base: 'hex' },
  { name: 'nbns.flags', label: 'Flags', type: 'uint16', base: 'hex' },
  { name: 'nbns.flags.response', label: 'Response', type: 'boolean', mask: 0x8000, tf: ['Message is a response', 'Message is a query'] },
  { name: 'nbns.flags.opcode', label: 'Opcode', type: 'uint16', mask: 0x7800, values: OPCODES },
  { name: 'nbns.flags.authoritative', label: 'Authoritative', type: 'boolean', mask: 0x0400, tf: ['Server is an authority for domain', 'Server is not an authority for domain'] },
  { name: 'nbns.flags.truncated', label: 'Truncated', type: 'boolean', mask: 0x0200, tf: ['Message is truncated', 'Message is not truncated'] },
  { name: 'nbns.flags.recdesired', label: 'Recursion desired', type: 'boolean', mask: 0x0100, tf: ['Do query recursively', "Don't do query recursively"] },
  { name: 'nbns.flags.recavail', label: 'Recursion available', type: 'boolean', mask: 0x0080, tf: ['Server can do recursive queries', "Server can't do recursive queries"] },
  { name: 'nbns.flags.broadcast', label: 'Broadcast', type: 'boolean', mask: 0x0010, tf: ['Broadcast packet', 'Not a broadcast packet'] },
  { name: 'nbns.flags.rcode', label: 'Reply code', type: 'uint16', mask: 0x000f, values: RCODES },
  { name: 'nbns.count.queries', label: 'Questions', type: 'uint16' },
  { name: 'nbns.count.answers', label: 'Answer RRs', type: 'uint16' },
  { name: 'nbns.count.auth_rr', label: 'Authority RRs', type: 'uint16' },
  { name: 'nbns.count.add_rr', label: 'Additional RRs', type: 'uint16' },
  { name: 'nbns.name', label: 'Name', type: 'string' },
  { name: 'nbns.type', label: 'Type', type: 'uint16', values: RR_TYPES },
  { name: 'nbns.class', label: 'Class', type: 'uint16', values: CLASSES },
  { name: 'nbns.ttl', label: 'Time to live', type: 'uint32' },
  { name: 'nbns.data_length', label: 'Data length', type: 'uint16' },
  { name: 'nbns.nb_flags', label: 'Name flags', type: 'uint16', base: 'hex' },
  { name: 'nbns.nb_flags.group', label: 'Name type', type: 'boolean', mask: 0x8000, tf: GROUP },
  { name: 'nbns.nb_flags.ont', label: 'ONT', type: 'uint16', mask: 0x6000, values: NB_ONT_NAMES },
  { name: 'nbns.addr', label: 'Addr', type: 'ipv4' },
  { name: 'nbns.number_of_names', label: 'Number of names', type: 'uint8' },
  { name: 'nbns.netbios_name', label: 'Name', type: 'string' },
  { name: 'nbns.name_flags', label: 'Name flags', type: 'uint16', base: 'hex' },
  { name: 'nbns.name_flags.group', label: 'Name type', type: 'boolean', mask: 0x8000, tf: GROUP },
  { name: 'nbns.name_flags.ont', label: 'ONT', type: 'uint16', mask: 0x6000, values: ONT_NAMES },
  { name: 'nbns.name_flags.drg', label: 'Name is being deregistered', type: 'boolean', mask: 0x1000, tf: YES_NO },
  { name: 'nbns.name_flags.cnf', label: 'Name is in conflict', type: 'boolean', mask: 0x0800, tf: YES_NO },
  { name: 'nbns.name_flags.act', label: 'Name is active', type: 'boolean', mask: 0x0400, tf: YES_NO },
  { name: 'nbns.name_flags.prm', label: 'Permanent node name', type: 'boolean', mask: 0x0200, tf: YES_NO },
  { name: 'nbns.unit_id', label: 'Unit ID', type: 'ether' },
  { name: 'nbns.jumpers', label: 'Jumpers', type: 'uint8', base: 'hex' },
  { name: 'nbns.test_result', label: 'Test result', type: 'uint8', base: 'hex' },
  { name: 'nbns.version_number', label: 'Version number', type: 'uint16', base: 'hex' },
  { name: 'nbns.period_of_statistics', label: 'Period of statistics', type: 'uint16', base: 'hex' },
  { name: 'nbns.num_crcs', label: 'Number of CRCs', type: 'uint16' },
  { name: 'nbns.num_alignment_errors', label: 'Number of alignment errors', type: 'uint16' },
  { name: 'nbns.num_collisions', label: 'Number of collisions', type: 'uint16' },
  { name: 'nbns.num_send_aborts', label: 'Number of send aborts', type: 'uint16' },
  { name: 'nbns.num_good_sends', label: 'Number of good sends', type: 'uint32' },
  { name: 'nbns.num_good_receives', label: 'Number of good receives', type: 'uint32' },
  { name: 'nbns.numretransmits', label: 'Number of retransmits', type: 'uint16' },
  { name: 'nbns.num_no_resource_conditions', label: 'Number of no resource conditions', type: 'uint16' },
  { name: 'nbns.numcommand_blocks', label: 'Number of command blocks', type: 'uint16' },
  { name: 'nbns.numpending_sessions', label: 'Number of pending sessions', type: 'uint16' },
  { name: 'nbns.max_num_pending_sessions', label: 'Max number of pending sessions', type: 'uint16' },
  { name: 'nbns.max_total_sessions_possible', label: 'Max total sessions possible', type: 'uint16' },
  { name: 'nbns.session_data_packet_size', label: 'Session data packet size', type: 'uint16' },
  { name: 'nbns.data', label: 'Data', type: 'bytes' },
  { name: 'nbns.incomplete_entry', label: 'incomplete entry', type: 'none' },
] as const);
const F = nbnsFields;

const F_RESPONSE = 0x8000;
const F_RCODE = 0x000f;
const OPCODE_WACK = 7;

/** What tshark's Info column ends with once its reading for Info threw. */
const MALFORMED_INFO = '[Malformed Packet]';

/** Appends to Info unless a reading for Info already failed (tshark stopped there). */
function say(info: string[], text: string): void {
  if (info[info.length - 1] !== MALFORMED_INFO) info.push(text);
}

/**
 * proto_tree_add_bitmask (BMT_NO_INT | BMT_NO_TFS): the word's line, then ", Name: value" for
 * each bit field with value names and ", Label" for each set boolean; a line per bit under it.
 */
function addBitmask(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number, word: FieldDef, bits: readonly FieldDef[], label = word.label): FieldNode {
  const v = tvb.u16(o);
  const parts: string[] = [];
  for (const bit of bits) {
    const mask = bit.mask!;
    if (bit.type === 'boolean') {
      if (v & mask) parts.push(bit.label);
    } else if (bit.values) {
      const shifted = (v & mask) / (mask & -mask);
      parts.push(`${bit.label}: ${bit.values[shifted] ?? 'Unknown'}`);
    }
  }
  const n = ctx.add(parent, word, tvb, o, 2, v, () => `${label}: ${hex4(v)}${parts.map((p) => `, ${p}`).join('')}`);
  for (const bit of bits) {
    const mask = bit.mask!;
    ctx.add(n, bit, tvb, o, 2, bit.type === 'boolean' ? (v & mask) !== 0 : (v & mask) / (mask & -mask));
  }
  return n;
}

const REQUEST_FLAGS = [F['nbns.flags.response'], F['nbns.flags.opcode'], F['nbns.flags.truncated'], F['nbns.flags.recdesired'], F['nbns.flags.broadcast']];
const WACK_FLAGS = [
  F['nbns.flags.response'], F['nbns.flags.opcode'], F['nbns.flags.authoritative'], F['nbns.flags.truncated'], F['nbns.flags.recdesired'],
  F['nbns.flags.recavail'], F['nbns.flags.broadcast'],
];
const RESPONSE_FLAGS = [...WACK_FLAGS, F['nbns.flags.rcode']];

/** nbns_add_nbns_flags: the flags word (a WACK's record data holds one, without its reply code). */
function addNbnsFlags(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number, wack: boolean, info: string[] | null): void {
  const flags = tvb.u16(o);
  if (info && flags & F_RESPONSE && !wack && flags & F_RCODE) say(info, `, ${RCODES[flags & F_RCODE] ?? 'Unknown error'}`);
  addBitmask(ctx, parent, tvb, o, F['nbns.flags'], flags & F_RESPONSE ? (wack ? WACK_FLAGS : RESPONSE_FLAGS) : REQUEST_FLAGS);
}

/** A question: "WPAD<00>: type NB, class IN" with its Name, Type and Class. */
function addQuery(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, info: string[] | null): number {
  const name = readNetbiosName(tvb, o, 0);
  const type = tvb.u16(o + name.used), cls = tvb.u16(o + name.used + 2);
  const typeName = RR_TYPES[type] ?? 'Unknown';
  if (info) say(info, ` ${typeName} ${name.text}`);
  const q = ctx.addText(parent, tvb, o, name.used + 4, `${name.text}: type ${typeName}, class ${CLASSES[cls] ?? 'Unknown'}`);
  ctx.add(q, F['nbns.name'], tvb, o, name.used, name.text, name.type === -1 ? undefined : () => `Name: ${nameWithType(name)}`);
  ctx.add(q, F['nbns.type'], tvb, o + name.used, 2, type);
  ctx.add(q, F['nbns.class'], tvb, o + name.used + 2, 2, cls);
  return name.used + 4;
}

/** signed_time_secs_to_str / time_secs_to_str: "3 days, 11 hours, 20 minutes", "0 seconds". */
function ttlText(v: number): string {
  const neg = v >= 0x80000000;
  let rest = neg ? 0x100000000 - v : v;
  if (rest === 0) return '0 seconds';
  const parts: string[] = [];
  for (const [n, u] of [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']] as const) {
    const q = Math.floor(rest / n);
    rest -= q * n;
    if (q) parts.push(`${q} ${u}${q === 1 ? '' : 's'}`);
  }
  return (neg ? '-' : '') + parts.join(', ');
}

/** The "incomplete entry" item tshark adds where the record data ends early. */
function incomplete(ctx: PacketContext, rr: FieldNode, tvb: Tvb, o: number, n: number): void {
  const node = ctx.add(rr, F['nbns.incomplete_entry'], tvb, o, Math.max(0, n), null);
  ctx.addExpert(node, 'error', 'malformed', 'incomplete entry');
  // The item's range may run past the packet (NBSTAT's count byte is not taken off the data
  // length): tshark adds it, then the bounds check throws.
  tvb.check(o, Math.max(0, n));
}

/** A resource record; returns its size. `info` collects Info text (answers of a response). */
function addAnswer(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, info: string[] | null, opcode: number): number {
  const name = readNetbiosName(tvb, o, 0);
  let cur = o + name.used;
  const type = tvb.u16(cur), cls = tvb.u16(cur + 2);
  cur += 4;
  const typeName = RR_TYPES[type] ?? 'Unknown', className = CLASSES[cls] ?? 'Unknown';
  const ttl = tvb.u32(cur);
  cur += 4;
  let dataLen = tvb.u16(cur);
  cur += 2;
  const header = (rrName: string): FieldNode => {
    const rr = ctx.addText(parent, tvb, o, cur - o + dataLen, `${name.text}: type ${typeName}, class ${className}`);
    // add_rr_to_tree: the name's item starts a byte into the name.
    ctx.add(rr, F['nbns.name'], tvb, o + 1, name.used - 1, rrName);
    ctx.add(rr, F['nbns.type'], tvb, o + name.used, 2, type);
    ctx.add(rr, F['nbns.class'], tvb, o + name.used + 2, 2, cls);
    ctx.add(rr, F['nbns.ttl'], tvb, o + name.used + 4, 4, ttl, () => `Time to live: ${ttlText(ttl)}`);
    ctx.add(rr, F['nbns.data_length'], tvb, o + name.used + 8, 2, dataLen);
    return rr;
  };
  if (type === 32) {
    const first = cur;
    const rr = header(`${name.text} (${nameTypeDescr(name.type)})`);
    while (dataLen > 0) {
      if (opcode === OPCODE_WACK) {
        if (dataLen < 2) {
          incomplete(ctx, rr, tvb, cur, dataLen);
          break;
        }
        addNbnsFlags(ctx, rr, tvb, cur, true, null);
        cur += 2;
        dataLen -= 2;
        continue;
      }
      if (dataLen < 2) {
        incomplete(ctx, rr, tvb, cur, dataLen);
        break;
      }
      const flags = tvb.u16(cur);
      const fl = addBitmask(ctx, rr, tvb, cur, F['nbns.nb_flags'], [F['nbns.nb_flags.group'], F['nbns.nb_flags.ont']]);
      if (!ctx.isPlaceholder(fl) && fl.text !== undefined) {
        fl.text += ` (${NB_ONT_NAMES[flags & 0x6000] ?? 'Unknown'}, ${flags & 0x8000 ? 'group' : 'unique'})`;
      }
      cur += 2;
      dataLen -= 2;
      if (dataLen < 4) {
        incomplete(ctx, rr, tvb, cur, dataLen);
        break;
      }
      ctx.add(rr, F['nbns.addr'], tvb, cur, 4, tvb.u32(cur));
      cur += 4;
      dataLen -= 4;
    }
    // tshark reads the first address for Info after the tree, wherever the data ended: a
    // record without one (a negative response's) throws there, but only when tshark builds
    // columns (-V alone shows no Malformed item). So Info ends as tshark's column does and the
    // tree goes on as its -V does.
    if (info && opcode !== OPCODE_WACK) say(info, tvb.has(first + 2, 4) ? ` ${typeName} ${formatIPv4(tvb.u32(first + 2))}` : MALFORMED_INFO);
    return cur - o;
  }
  if (type === 33) {
    if (info) say(info, ` ${typeName}`);
    const rr = header(name.text);
    addNodeStatus(tvb, ctx, rr, cur, dataLen, name.used);
    return cur - o + dataLen;
  }
  if (info) say(info, ` ${typeName}`);
  const rr = header(name.text);
  ctx.add(rr, F['nbns.data'], tvb, cur, dataLen, tvb.slice(cur, dataLen));
  return cur - o + dataLen;
}

/** The statistics after the name table, in order, each with its size. */
const STATISTICS: ReadonlyArray<[FieldDef, 1 | 2 | 4]> = [
  [F['nbns.jumpers'], 1], [F['nbns.test_result'], 1], [F['nbns.version_number'], 2], [F['nbns.period_of_statistics'], 2],
  [F['nbns.num_crcs'], 2], [F['nbns.num_alignment_errors'], 2], [F['nbns.num_collisions'], 2], [F['nbns.num_send_aborts'], 2],
  [F['nbns.num_good_sends'], 4], [F['nbns.num_good_receives'], 4], [F['nbns.numretransmits'], 2],
  [F['nbns.num_no_resource_conditions'], 2], [F['nbns.numcommand_blocks'], 2], [F['nbns.numpending_sessions'], 2],
  [F['nbns.max_num_pending_sessions'], 2], [F['nbns.max_total_sessions_possible'], 2], [F['nbns.session_data_packet_size'], 2],
];

/** NBSTAT record data (RFC 1002 4.2.18): the name table, the unit ID and the statistics. */
function addNodeStatus(tvb: Tvb, ctx: PacketContext, rr: FieldNode, o: number, dataLen: number, rrNameLen: number): void {
  let cur = o;
  let left = dataLen;
  if (left < 1) {
    incomplete(ctx, rr, tvb, cur, left);
    return;
  }
  let names = tvb.u8(cur);
  ctx.add(rr, F['nbns.number_of_names'], tvb, cur, 1, names);
  cur += 1;
  // packet-nbns.c does not count the number-of-names byte off the data length.
  while (names !== 0) {
    if (left < NETBIOS_NAME_LEN) {
      incomplete(ctx, rr, tvb, cur, left);
      return;
    }
    // process_netbios_name gets the record name's length as its buffer size (a quirk kept).
    const nb = processNetbiosName(tvb.slice(cur, NETBIOS_NAME_LEN), Math.min(rrNameLen, MAX_NAME_LEN));
    ctx.add(rr, F['nbns.netbios_name'], tvb, cur, NETBIOS_NAME_LEN, nb.text,
      () => `Name: ${nb.text}<${nb.type.toString(16).padStart(2, '0')}> (${nameTypeDescr(nb.type)})`);
    cur += NETBIOS_NAME_LEN;
    left -= NETBIOS_NAME_LEN;
    if (left < 2) {
      incomplete(ctx, rr, tvb, cur, left);
      return;
    }
    addBitmask(ctx, rr, tvb, cur, F['nbns.name_flags'], [
      F['nbns.name_flags.group'], F['nbns.name_flags.ont'], F['nbns.name_flags.drg'], F['nbns.name_flags.cnf'],
      F['nbns.name_flags.act'], F['nbns.name_flags.prm'],
    ]);
    cur += 2;
    left -= 2;
    names--;
  }
  if (left < 6) {
    incomplete(ctx, rr, tvb, cur, left);
    return;
  }
  ctx.add(rr, F['nbns.unit_id'], tvb, cur, 6, tvb.slice(cur, 6));
  cur += 6;
  left -= 6;
  for (const [field, size] of STATISTICS) {
    if (left < size) {
      incomplete(ctx, rr, tvb, cur, left);
      return;
    }
    ctx.add(rr, field, tvb, cur, size, size === 1 ? tvb.u8(cur) : size === 2 ? tvb.u16(cur) : tvb.u32(cur));
    cur += size;
    left -= size;
  }
}

function dissectNbns(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'NBNS';
  ctx.info = '';
  const id = tvb.u16(0);
  const flags = tvb.u16(2);
  const opcode = (flags & 0x7800) >> 11;
  const info: string[] = [`${OPCODES[opcode] ?? `Unknown operation (${opcode})`}${flags & F_RESPONSE ? ' response' : ''}`];
  ctx.info = info[0]!;
  try {
    ctx.add(node, F['nbns.id'], tvb, 0, 2, id);
    addNbnsFlags(ctx, node, tvb, 2, false, info);
    const counts = [F['nbns.count.queries'], F['nbns.count.answers'], F['nbns.count.auth_rr'], F['nbns.count.add_rr']].map((f, i) => {
      const v = tvb.u16(4 + 2 * i);
      ctx.add(node, f, tvb, 4 + 2 * i, 2, v);
      return v;
    });
    const [quest, ans, auth, add] = counts as [number, number, number, number];
    let cur = 12;
    const response = (flags & F_RESPONSE) !== 0;
    if (quest > 0) {
      const start = cur;
      const list = ctx.addText(node, tvb, cur, 0, 'Queries');
      try {
        for (let i = 0; i < quest; i++) cur += addQuery(tvb, ctx, list, cur, response ? null : info);
      } finally {
        ctx.setLength(list, cur - start);
      }
    }
    const records = (count: number, title: string, withInfo: boolean) => {
      const start = cur;
      const list = ctx.addText(node, tvb, cur, 0, title);
      try {
        for (let i = 0; i < count; i++) cur += addAnswer(tvb, ctx, list, cur, withInfo ? info : null, opcode);
      } finally {
        ctx.setLength(list, cur - start);
      }
    };
    if (ans > 0) records(ans, 'Answers', response);
    if (auth > 0) records(auth, 'Authoritative nameservers', false);
    if (add > 0) records(add, 'Additional records', false);
  } finally {
    ctx.info = info.join('');
  }
}

export const nbnsProtocol = defineProtocol('nbns', 'NetBIOS Name Service', dissectNbns);
register('udp.port', 137, nbnsProtocol);
