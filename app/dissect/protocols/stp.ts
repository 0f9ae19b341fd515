// Spanning Tree BPDUs (IEEE 802.1D/802.1Q) as tshark 4.0's packet-bpdu.c shows them: STP
// configuration and Topology Change Notification BPDUs, RSTP (version 2) with its port role and
// agreement flags, MSTP (version 3: the MST extension and one record per MSTI), SPB's SPT
// extension (version 4), and Cisco's PVST+ (SNAP PID 0x010b), whose BPDUs end in TLVs naming
// the originating VLAN. LLC hands BPDUs over by SAP 0x42.
//
// packet-bpdu.c reads the BPDU type, the root identifier, the root path cost and the port before
// it adds its item (Info needs them), so a BPDU cut short there shows no STP item at all, only
// the exception. The column protocol is "STP" whatever the version.
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { formatEther, hex4, hexBytes } from '../format.js';
import { cString, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const TYPE_CONF = 0x00, TYPE_RST = 0x02, TYPE_TCN = 0x80;
const VERSION_NAMES: Record<number, string> = { 0: 'Spanning Tree', 2: 'Rapid Spanning Tree', 3: 'Multiple Spanning Tree', 4: 'Shortest Path Tree' };
const TYPE_NAMES: Record<number, string> = { [TYPE_CONF]: 'Configuration', [TYPE_RST]: 'Rapid/Multiple Spanning Tree', [TYPE_TCN]: 'Topology Change Notification' };
const ROLES: Record<number, string> = { 1: 'Alternate or Backup', 2: 'Root', 3: 'Designated' };
const PVST_TLV_ORIGVLAN = 0;

// Offsets in a BPDU (802.1Q 14.4) and the sizes packet-bpdu.c works with.
const ROOT_ID = 5, ROOT_COST = 13, BRIDGE_ID = 17, PORT_ID = 25, VERSION_1_LENGTH = 35, VERSION_3_LENGTH = 36;
const MST_CONFIG = 38, CIST_ROOT_COST = 89, CIST_BRIDGE_ID = 93, CIST_HOPS = 101, MSTI_START = 102;
/** MSTP's fixed part after the Version 3 Length (config identifier to remaining hops). */
const VERSION_3_STATIC_LENGTH = 64;
const MSTI_SIZE = 16, ALT_MSTI_SIZE = 26;
/** Where Cisco's PVST+ TLVs start: after a configuration BPDU and one pad octet, or an RST BPDU. */
const PVST_TLV_START = 36;

const yesNo = ['Yes', 'No'] as const;
export const stpFields = defineFields([
  { name: 'stp.protocol', label: 'Protocol Identifier', type: 'uint16', base: 'hex', values: { 0: 'Spanning Tree Protocol' } },
  { name: 'stp.version', label: 'Protocol Version Identifier', type: 'uint8', values: VERSION_NAMES },
  { name: 'stp.type', label: 'BPDU Type', type: 'uint8', base: 'hex', values: TYPE_NAMES },
  { name: 'stp.flags', label: 'BPDU flags', type: 'uint8', base: 'hex' },
  { name: 'stp.flags.tcack', label: 'Topology Change Acknowledgment', type: 'boolean', mask: 0x80, tf: yesNo },
  { name: 'stp.flags.agreement', label: 'Agreement', type: 'boolean', mask: 0x40, tf: yesNo },
  { name: 'stp.flags.forwarding', label: 'Forwarding', type: 'boolean', mask: 0x20, tf: yesNo },
  { name: 'stp.flags.learning', label: 'Learning', type: 'boolean', mask: 0x10, tf: yesNo },
  { name: 'stp.flags.port_role', label: 'Port Role', type: 'uint8', mask: 0x0c, values: ROLES },
  { name: 'stp.flags.proposal', label: 'Proposal', type: 'boolean', mask: 0x02, tf: yesNo },
  { name: 'stp.flags.tc', label: 'Topology Change', type: 'boolean', mask: 0x01, tf: yesNo },
  { name: 'stp.root.prio', label: 'Root Bridge Priority', type: 'uint16' },
  { name: 'stp.root.ext', label: 'Root Bridge System ID Extension', type: 'uint16' },
  { name: 'stp.root.hw', label: 'Root Bridge System ID', type: 'ether' },
  { name: 'stp.root.cost', label: 'Root Path Cost', type: 'uint32' },
  { name: 'stp.bridge.prio', label: 'Bridge Priority', type: 'uint16' },
  { name: 'stp.bridge.ext', label: 'Bridge System ID Extension', type: 'uint16' },
  { name: 'stp.bridge.hw', label: 'Bridge System ID', type: 'ether' },
  { name: 'stp.port', label: 'Port identifier', type: 'uint16', base: 'hex' },
  { name: 'stp.msg_age', label: 'Message Age', type: 'double' },
  { name: 'stp.max_age', label: 'Max Age', type: 'double' },
  { name: 'stp.hello', label: 'Hello Time', type: 'double' },
  { name: 'stp.forward', label: 'Forward Delay', type: 'double' },
  { name: 'stp.version_1_length', label: 'Version 1 Length', type: 'uint8' },
  { name: 'stp.pvst.tlvtype', label: 'Type', type: 'uint16', base: 'hex', values: { [PVST_TLV_ORIGVLAN]: 'Originating VLAN' } },
  { name: 'stp.pvst.tlvlen', label: 'Length', type: 'uint16' },
  { name: 'stp.pvst.origvlan', label: 'Originating VLAN', type: 'uint16' },
  { name: 'stp.pvst.tlvval', label: 'Value', type: 'bytes' },
  // Expert items packet-bpdu.c adds to the STP tree itself (not to a field's line).
  { name: 'stp.pvst.tlv.truncated', label: 'TLV record is truncated prematurely', type: 'none' },
  { name: 'stp.pvst.origvlan.missing', label: 'Originating (PVID) VLAN TLV is missing or corrupt', type: 'none' },
  { name: 'mstp.version_3_length', label: 'Version 3 Length', type: 'uint16' },
  { name: 'mstp.config_format_selector', label: 'MST Config ID format selector', type: 'uint8' },
  { name: 'mstp.config_name', label: 'MST Config name', type: 'string' },
  { name: 'mstp.config_revision_level', label: 'MST Config revision', type: 'uint16' },
  { name: 'mstp.config_digest', label: 'MST Config digest', type: 'bytes' },
  { name: 'mstp.cist_internal_root_path_cost', label: 'CIST Internal Root Path Cost', type: 'uint32' },
  { name: 'mstp.cist_bridge.prio', label: 'CIST Bridge Priority', type: 'uint16' },
  { name: 'mstp.cist_bridge.ext', label: 'CIST Bridge Identifier System ID Extension', type: 'uint16' },
  { name: 'mstp.cist_bridge.hw', label: 'CIST Bridge Identifier System ID', type: 'ether' },
  { name: 'mstp.cist_remaining_hops', label: 'CIST Remaining hops', type: 'uint8' },
  { name: 'mstp.msti.flags', label: 'MSTI flags', type: 'uint8', base: 'hex' },
  { name: 'mstp.msti.priority', label: 'Priority', type: 'uint8', base: 'hex', mask: 0xf0 },
  // packet-bpdu.c registers this name twice: masked (802.1Q records) and whole (the alternative
  // format's own MSTID field); the alternative's line is written out where it is added.
  { name: 'mstp.msti.msti_id', label: 'MSTID', type: 'uint16', mask: 0x0fff },
  { name: 'mstp.msti.regional_root_id', label: 'MSTI Regional Root Identifier', type: 'uint16' },
  { name: 'mstp.msti.root.hw', label: 'Regional Root', type: 'ether' },
  { name: 'mstp.msti.root_cost', label: 'Internal root path cost', type: 'uint32' },
  { name: 'mstp.msti.bridge_id', label: 'MSTI Bridge Identifier', type: 'uint16', mask: 0x0fff },
  { name: 'mstp.msti.bridge_id_priority', label: 'MSTI Bridge Priority', type: 'uint16', mask: 0xf000 },
  { name: 'mstp.msti.bridge_id_mac', label: 'MSTI Bridge MAC', type: 'ether' },
  { name: 'mstp.msti.bridge_priority', label: 'Bridge Identifier Priority', type: 'uint8' },
  { name: 'mstp.msti.port_priority', label: 'Port identifier priority', type: 'uint8' },
  { name: 'mstp.msti.port', label: 'Port identifier', type: 'uint16', base: 'hex' },
  { name: 'mstp.msti.remaining_hops', label: 'Remaining hops', type: 'uint8' },
  { name: 'mstp.version_4_length', label: 'Version 4 Length', type: 'uint16' },
  { name: 'mstp.agree_flags.agreement_num', label: 'Agreement Number', type: 'uint8', mask: 0x03 },
  { name: 'mstp.agree_flags.dagreement_num', label: 'Disagreement Number', type: 'uint8', mask: 0x0c },
  { name: 'mstp.agree_flags.agreement_valid', label: 'Agreement Valid Flag', type: 'boolean', mask: 0x10, tf: yesNo },
  { name: 'mstp.agree_flags.rest_role', label: 'Restricted Role', type: 'boolean', mask: 0x20, tf: yesNo },
  { name: 'mstp.agreement_digest', label: 'Agreement Digest', type: 'bytes' },
  { name: 'bpdu.agreement_digest_format_id', label: 'Agreement Digest Format Id', type: 'uint8', mask: 0xf0 },
  { name: 'bpdu.agreement_digest_format_capabilities', label: 'Agreement Digest Format Capabilities', type: 'uint8', mask: 0x0f },
  { name: 'bpdu.agreement_digest_convention_id', label: 'Agreement Digest Convention Id', type: 'uint8', mask: 0xf0 },
  { name: 'bpdu.agreement_digest_convention_capabilities', label: 'Agreement Digest Convention Capabilities', type: 'uint8', mask: 0x0f },
  { name: 'bpdu.agreement_digest_edge_count', label: 'Agreement Digest Edge Count', type: 'uint16' },
] as const);
const F = stpFields;

/** STP's flags (802.1D): only the two topology change bits. */
const STP_FLAGS = [F['stp.flags.tcack'], F['stp.flags.tc']];
/** RSTP's and each MSTI's flags (802.1Q 14.2.1). */
const RST_FLAGS = [F['stp.flags.tcack'], F['stp.flags.agreement'], F['stp.flags.forwarding'], F['stp.flags.learning'], F['stp.flags.port_role'], F['stp.flags.proposal'], F['stp.flags.tc']];

/** The three fields of a bridge identifier subtree, and its title. */
interface BridgeIdFields { title: string; prio: FieldDef; ext: FieldDef; hw: FieldDef }
const ROOT_ID_FIELDS: BridgeIdFields = { title: 'Root Identifier', prio: F['stp.root.prio'], ext: F['stp.root.ext'], hw: F['stp.root.hw'] };
const BRIDGE_ID_FIELDS: BridgeIdFields = { title: 'Bridge Identifier', prio: F['stp.bridge.prio'], ext: F['stp.bridge.ext'], hw: F['stp.bridge.hw'] };
const CIST_BRIDGE_ID_FIELDS: BridgeIdFields = { title: 'CIST Bridge Identifier', prio: F['mstp.cist_bridge.prio'], ext: F['mstp.cist_bridge.ext'], hw: F['mstp.cist_bridge.hw'] };

/** The timers, in units of 1/256 second (802.1D 9.2.8), shown as seconds. */
const TIMERS: ReadonlyArray<readonly [FieldDef, number]> = [[F['stp.msg_age'], 27], [F['stp.max_age'], 29], [F['stp.hello'], 31], [F['stp.forward'], 33]];

/**
 * A flags byte as proto_tree_add_bitmask_value_with_flags(BMT_NO_FALSE|BMT_NO_TFS) shows it: the
 * value, then the name of each set flag and "Port Role: <role>" (named even when 0), then a line
 * per bit.
 */
function addFlags(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number, header: FieldDef, bits: readonly FieldDef[], v: number): void {
  const parts: string[] = [];
  for (const b of bits) {
    const x = (v & b.mask!) / (b.mask! & -b.mask!);
    if (b.type !== 'boolean') parts.push(`${b.label}: ${b.values?.[x] ?? 'Unknown'}`);
    else if (x) parts.push(b.label);
  }
  const h = ctx.add(parent, header, tvb, o, 1, v, () => `${header.label}: 0x${v.toString(16).padStart(2, '0')}${parts.map((t) => ', ' + t).join('')}`);
  for (const b of bits) {
    const x = (v & b.mask!) / (b.mask! & -b.mask!);
    ctx.add(h, b, tvb, o, 1, b.type === 'boolean' ? x !== 0 : x);
  }
}

/** A bridge identifier (802.1D 9.2.5): 4-bit priority, 12-bit system ID extension (802.1t), MAC. */
function addBridgeId(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number, f: BridgeIdFields): void {
  const word = tvb.u16(o), mac = tvb.slice(o + 2, 6);
  const prio = word & 0xf000, ext = word & 0x0fff;
  const t = ctx.addText(parent, tvb, o, 8, `${f.title}: ${prio} / ${ext} / ${formatEther(mac)}`);
  // packet-bpdu.c gives the priority one byte and the extension two.
  ctx.add(t, f.prio, tvb, o, 1, prio);
  ctx.add(t, f.ext, tvb, o, 2, ext);
  ctx.add(t, f.hw, tvb, o + 2, 6, mac);
}

/** Info's "Root = prio/ext/mac  Cost = n  Port = 0x..." (cost through %d: a signed 32-bit number). */
function rootSummary(tvb: Tvb): string {
  const word = tvb.u16(ROOT_ID);
  const mac = formatEther(tvb.slice(ROOT_ID + 2, 6));
  const cost = tvb.u32(ROOT_COST) | 0;
  return `Root = ${word & 0xf000}/${word & 0x0fff}/${mac}  Cost = ${cost}  Port = ${hex4(tvb.u16(PORT_ID))}`;
}

function infoFor(type: number, version: number, flags: number, tvb: Tvb): string {
  const tc = flags & 0x01 ? 'TC + ' : '';
  if (type === TYPE_CONF) return `Conf. ${tc}${rootSummary(tvb)}`;
  if (type === TYPE_RST) return `${version === 3 ? 'MS' : version === 4 ? 'SP' : 'RS'}T. ${tc}${rootSummary(tvb)}`;
  if (type === TYPE_TCN) return 'Topology Change Notification';
  return `Unknown BPDU type (${type})`;
}

function dissectBpdu(tvb: Tvb, ctx: PacketContext, node: FieldNode, pvst: boolean): void {
  ctx.protocol = 'STP';
  ctx.info = '';
  // The reads Info needs come before the item: a BPDU too short for them has no item.
  const known = tvb.has(0, 4) && (tvb.u8(3) === TYPE_CONF || tvb.u8(3) === TYPE_RST);
  if (!tvb.has(0, known ? PORT_ID + 2 : 4)) ctx.removeNodeAnywhere(node);
  // packet-bpdu.c writes its item's text itself, the label: -T fields -e stp prints it.
  else if (!ctx.isPlaceholder(node)) node.fieldText = 'Spanning Tree Protocol';
  const type = tvb.u8(3), version = tvb.u8(2);
  const flags = known ? tvb.u8(4) : 0;
  ctx.info = infoFor(type, version, flags, tvb);
  ctx.add(node, F['stp.protocol'], tvb, 0, 2, tvb.u16(0));
  const v = ctx.add(node, F['stp.version'], tvb, 2, 1, version);
  if (!VERSION_NAMES[version]) ctx.addExpert(v, 'warn', 'protocol', 'This version of Wireshark only knows about versions 0, 2, 3 & 4');
  const t = ctx.add(node, F['stp.type'], tvb, 3, 1, type);
  if (type === TYPE_TCN) return;
  if (!known) {
    ctx.addExpert(t, 'warn', 'protocol', 'Unknown BPDU type data');
    return;
  }
  // The bridge identifier is read (for its title) before the flags item is added.
  tvb.check(BRIDGE_ID, 8);
  addFlags(ctx, node, tvb, 4, F['stp.flags'], type === TYPE_RST ? RST_FLAGS : STP_FLAGS, flags);
  addBridgeId(ctx, node, tvb, ROOT_ID, ROOT_ID_FIELDS);
  ctx.add(node, F['stp.root.cost'], tvb, ROOT_COST, 4, tvb.u32(ROOT_COST));
  addBridgeId(ctx, node, tvb, BRIDGE_ID, BRIDGE_ID_FIELDS);
  ctx.add(node, F['stp.port'], tvb, PORT_ID, 2, tvb.u16(PORT_ID));
  for (const [field, o] of TIMERS) ctx.add(node, field, tvb, o, 2, tvb.u16(o) / 256);
  if (type === TYPE_CONF) {
    if (pvst) addPvstTlvs(tvb, ctx, node);
    return;
  }
  const v1 = tvb.u8(VERSION_1_LENGTH);
  ctx.add(node, F['stp.version_1_length'], tvb, VERSION_1_LENGTH, 1, v1);
  // 802.1Q 14.4 d): an MST BPDU is version 3 or more, 102 octets or more, Version 1 Length 0.
  if (version >= 3 && v1 === 0 && tvb.reportedLength >= MSTI_START) addMstExtension(tvb, ctx, node, version);
  else if (pvst) addPvstTlvs(tvb, ctx, node);
}

type MstiFormat = 'ieee' | 'alternative' | 'none';

/**
 * The MSTI records' format and total length. Version 3 Length counts octets, but a length below
 * the fixed part's 64 is taken as a count of records (Cisco's C3550 sent those); a length of 0
 * with the config format selector giving the length is the "alternative" 26-octet format.
 */
function mstiLayout(tvb: Tvb, v3len: number): { format: MstiFormat; total: number } {
  const selector = tvb.u8(MST_CONFIG);
  if (v3len !== 0) return { format: 'ieee', total: v3len >= VERSION_3_STATIC_LENGTH ? v3len - VERSION_3_STATIC_LENGTH : v3len * MSTI_SIZE };
  if (tvb.reportedLength === selector + MST_CONFIG + 1) return { format: 'alternative', total: selector - VERSION_3_STATIC_LENGTH };
  return { format: 'none', total: 0 };
}

function addMstExtension(whole: Tvb, ctx: PacketContext, node: FieldNode, version: number): void {
  const v3len = whole.u16(VERSION_3_LENGTH);
  ctx.add(node, F['mstp.version_3_length'], whole, VERSION_3_LENGTH, 2, v3len);
  const { format, total } = mstiLayout(whole, v3len);
  // set_actual_length: a version 3 BPDU ends after its MSTI records (a record that runs past
  // that end is malformed: the alternative format's length comes out one octet short).
  const tvb = version === 3 ? whole.sub(0, MSTI_START + total) : whole;
  const mst = ctx.addText(node, tvb, VERSION_3_LENGTH, tvb.length - VERSION_3_LENGTH, 'MST Extension');
  ctx.add(mst, F['mstp.config_format_selector'], tvb, MST_CONFIG, 1, tvb.u8(MST_CONFIG));
  ctx.add(mst, F['mstp.config_name'], tvb, MST_CONFIG + 1, 32, tvb.ascii(MST_CONFIG + 1, 32));
  ctx.add(mst, F['mstp.config_revision_level'], tvb, MST_CONFIG + 33, 2, tvb.u16(MST_CONFIG + 33));
  ctx.add(mst, F['mstp.config_digest'], tvb, MST_CONFIG + 35, 16, tvb.slice(MST_CONFIG + 35, 16));
  if (format === 'ieee') {
    ctx.add(mst, F['mstp.cist_internal_root_path_cost'], tvb, CIST_ROOT_COST, 4, tvb.u32(CIST_ROOT_COST));
    addBridgeId(ctx, mst, tvb, CIST_BRIDGE_ID, CIST_BRIDGE_ID_FIELDS);
  } else if (format === 'alternative') {
    // The alternative format swaps the two: bridge identifier at 89, path cost at 97.
    addBridgeId(ctx, mst, tvb, CIST_ROOT_COST, CIST_BRIDGE_ID_FIELDS);
    ctx.add(mst, F['mstp.cist_internal_root_path_cost'], tvb, CIST_ROOT_COST + 8, 4, tvb.u32(CIST_ROOT_COST + 8));
  }
  ctx.add(mst, F['mstp.cist_remaining_hops'], tvb, CIST_HOPS, 1, tvb.u8(CIST_HOPS));
  let o = MSTI_START;
  for (let left = total; left > 0 && format !== 'none';) {
    const size = format === 'ieee' ? addMsti(tvb, ctx, mst, o) : addAlternativeMsti(tvb, ctx, mst, o);
    o += size;
    left -= size;
  }
  if (version >= 4 && tvb.reportedLength >= 106) addSptExtension(tvb, ctx, node, MSTI_START + total);
}

/** The title of an MSTI record: its MSTID and regional root (priority / MAC) from the 8 octets at `o`. */
function mstiTitle(tvb: Tvb, o: number): string {
  const word = tvb.u16(o);
  return `MSTID ${word & 0x0fff}, Regional Root Identifier ${word & 0xf000} / ${formatEther(tvb.slice(o + 2, 6))}`;
}

/** One 802.1Q MSTI configuration message (13.14.5 f), 16 octets; returns its size. */
function addMsti(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number): number {
  const rec = ctx.addText(parent, tvb, o, MSTI_SIZE, mstiTitle(tvb, o + 1));
  addFlags(ctx, rec, tvb, o, F['mstp.msti.flags'], RST_FLAGS, tvb.u8(o));
  ctx.add(rec, F['mstp.msti.priority'], tvb, o + 1, 1, tvb.u8(o + 1) >> 4);
  ctx.add(rec, F['mstp.msti.msti_id'], tvb, o + 1, 2, tvb.u16(o + 1) & 0x0fff);
  ctx.add(rec, F['mstp.msti.root.hw'], tvb, o + 3, 6, tvb.slice(o + 3, 6));
  ctx.add(rec, F['mstp.msti.root_cost'], tvb, o + 9, 4, tvb.u32(o + 9));
  // Only the upper four bits of each priority octet are the priority (13.14.5 g, h).
  ctx.add(rec, F['mstp.msti.bridge_priority'], tvb, o + 13, 1, tvb.u8(o + 13) >> 4);
  ctx.add(rec, F['mstp.msti.port_priority'], tvb, o + 14, 1, tvb.u8(o + 14) >> 4);
  ctx.add(rec, F['mstp.msti.remaining_hops'], tvb, o + 15, 1, tvb.u8(o + 15));
  return MSTI_SIZE;
}

/** One record of the alternative (pre-standard) format, 26 octets, with a whole bridge identifier and port. */
function addAlternativeMsti(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number): number {
  const rec = ctx.addText(parent, tvb, o, MSTI_SIZE, mstiTitle(tvb, o + 3));
  const id = tvb.u16(o);
  ctx.add(rec, F['mstp.msti.msti_id'], tvb, o, 2, id, `MSTID: ${id}`);
  addFlags(ctx, rec, tvb, o + 2, F['mstp.msti.flags'], RST_FLAGS, tvb.u8(o + 2));
  ctx.add(rec, F['mstp.msti.priority'], tvb, o + 3, 1, tvb.u8(o + 3) >> 4);
  ctx.add(rec, F['mstp.msti.regional_root_id'], tvb, o + 3, 2, tvb.u16(o + 3));
  ctx.add(rec, F['mstp.msti.root.hw'], tvb, o + 5, 6, tvb.slice(o + 5, 6));
  ctx.add(rec, F['mstp.msti.root_cost'], tvb, o + 11, 4, tvb.u32(o + 11));
  const bridge = tvb.u16(o + 15);
  ctx.add(rec, F['mstp.msti.bridge_id'], tvb, o + 15, 2, bridge & 0x0fff);
  ctx.add(rec, F['mstp.msti.bridge_id_priority'], tvb, o + 15, 2, bridge >> 12);
  ctx.add(rec, F['mstp.msti.bridge_id_mac'], tvb, o + 17, 6, tvb.slice(o + 17, 6));
  ctx.add(rec, F['mstp.msti.port'], tvb, o + 23, 2, tvb.u16(o + 23));
  ctx.add(rec, F['mstp.msti.remaining_hops'], tvb, o + 25, 1, tvb.u8(o + 25));
  return ALT_MSTI_SIZE;
}

/** SPB's Version 4 Length and, when it is 53 or more, the SPT extension (802.1aq 14.4.1): the auxiliary MCID and the agreement data. */
function addSptExtension(tvb: Tvb, ctx: PacketContext, node: FieldNode, at: number): void {
  const v4len = tvb.u16(at);
  ctx.add(node, F['mstp.version_4_length'], tvb, at, 2, v4len);
  if (v4len < 53) return;
  const spt = ctx.addText(node, tvb, at, tvb.length - at, 'SPT Extension');
  let o = at + 2;
  // The auxiliary MCID has the MST configuration identifier's fields, labelled "SPT".
  const mcid = ctx.addText(spt, tvb, o, 51, 'MCID Data');
  const selector = tvb.u8(o), name = tvb.ascii(o + 1, 32), revision = tvb.u16(o + 33), digest = tvb.slice(o + 35, 16);
  ctx.add(mcid, F['mstp.config_format_selector'], tvb, o, 1, selector, `SPT Config ID format selector: ${selector}`);
  ctx.add(mcid, F['mstp.config_name'], tvb, o + 1, 32, name, () => `SPT Config name: ${cString(name)}`);
  ctx.add(mcid, F['mstp.config_revision_level'], tvb, o + 33, 2, revision, `SPT Config revision: ${revision}`);
  ctx.add(mcid, F['mstp.config_digest'], tvb, o + 35, 16, digest, () => `SPT Config digest: ${hexBytes(digest)}`);
  o += 51;
  const a = tvb.u8(o);
  const agreement = ctx.addText(spt, tvb, o, tvb.length - o, `Agreement Data (AN: ${a & 0x03}, DAN: ${(a & 0x0c) >> 2})`);
  ctx.add(agreement, F['mstp.agree_flags.agreement_num'], tvb, o, 1, a & 0x03);
  ctx.add(agreement, F['mstp.agree_flags.dagreement_num'], tvb, o, 1, (a & 0x0c) >> 2);
  ctx.add(agreement, F['mstp.agree_flags.agreement_valid'], tvb, o, 1, (a & 0x10) !== 0);
  ctx.add(agreement, F['mstp.agree_flags.rest_role'], tvb, o, 1, (a & 0x20) !== 0);
  o += 2;
  ctx.add(agreement, F['bpdu.agreement_digest_format_id'], tvb, o, 1, tvb.u8(o) >> 4);
  ctx.add(agreement, F['bpdu.agreement_digest_format_capabilities'], tvb, o, 1, tvb.u8(o) & 0x0f);
  o += 1;
  ctx.add(agreement, F['bpdu.agreement_digest_convention_id'], tvb, o, 1, tvb.u8(o) >> 4);
  ctx.add(agreement, F['bpdu.agreement_digest_convention_capabilities'], tvb, o, 1, tvb.u8(o) & 0x0f);
  o += 1;
  ctx.add(agreement, F['bpdu.agreement_digest_edge_count'], tvb, o, 2, tvb.u16(o));
  o += 10;
  ctx.add(agreement, F['mstp.agreement_digest'], tvb, o, 20, tvb.slice(o, 20));
}

/**
 * Cisco's PVST+ TLVs after the BPDU: the Originating VLAN TLV must be there (a BPDU without one
 * is flagged), unknown TLVs are shown as bytes. A TLV longer than what is left ends the list.
 */
function addPvstTlvs(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  let o = PVST_TLV_START;
  let origVlan = false;
  if (tvb.reportedRemaining(o) < 4) treeExpert(ctx, node, F['stp.pvst.tlv.truncated']);
  while (tvb.reportedRemaining(o) >= 4) {
    const type = tvb.u16(o), len = tvb.u16(o + 2);
    // The subtree spans the TLV as its length says: past the end it is an exception.
    tvb.check(o, 4 + len);
    const name = type === PVST_TLV_ORIGVLAN ? 'Originating VLAN' : `Unknown TLV type: ${hex4(type)}`;
    const tlv = ctx.addText(node, tvb, o, 4 + len, name);
    ctx.add(tlv, F['stp.pvst.tlvtype'], tvb, o, 2, type);
    const lenItem = ctx.add(tlv, F['stp.pvst.tlvlen'], tvb, o + 2, 2, len);
    if (tvb.reportedRemaining(o + 4) < len) {
      ctx.addExpert(lenItem, 'error', 'malformed', F['stp.pvst.tlv.truncated'].label);
      break;
    }
    o += 4;
    if (type !== PVST_TLV_ORIGVLAN) {
      ctx.add(tlv, F['stp.pvst.tlvval'], tvb, o, len, tvb.slice(o, len));
      ctx.addExpert(tlv, 'comment', 'undecoded', 'TLV type is unknown');
    } else if (len === 2) {
      const vlan = tvb.u16(o);
      ctx.setText(tlv, `${name} (PVID): ${vlan}`);
      ctx.add(tlv, F['stp.pvst.origvlan'], tvb, o, 2, vlan);
      origVlan = true;
    } else ctx.addExpert(lenItem, 'error', 'malformed', 'Indicated length is not valid for this record type');
    o += len;
  }
  if (!origVlan) treeExpert(ctx, node, F['stp.pvst.origvlan.missing']);
}

/** An error expert item of its own under `parent` (expert_add_info on a tree): a node can hold one note, the STP tree may need two. */
function treeExpert(ctx: PacketContext, parent: FieldNode, field: FieldDef): void {
  ctx.addExpert(ctx.addGenerated(parent, field, null), 'error', 'malformed', field.label, true);
}

export const stpProtocol = defineProtocol('stp', 'Spanning Tree Protocol', (tvb, ctx, node) => dissectBpdu(tvb, ctx, node, false));
/** Cisco's PVST+ BPDUs: the same, then the TLVs (packet-bpdu.c's "bpdu_cisco"). */
const pvstProtocol = { ...stpProtocol, dissect: (tvb: Tvb, ctx: PacketContext, node: FieldNode) => dissectBpdu(tvb, ctx, node, true) };

register('llc.dsap', 0x42, stpProtocol);
register('ethertype', 0x8181, stpProtocol);
// Cisco's VLAN-bridge STP is plain STP; PVST+ carries the TLVs.
register('llc.cisco_pid', 0x010c, stpProtocol);
register('llc.cisco_pid', 0x010b, pvstProtocol);
