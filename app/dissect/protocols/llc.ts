// IEEE 802.2 LLC and SNAP (packet-llc.c): the payload of an 802.3 frame. SNAP with OUI 0
// carries an EtherType and goes back through the `ethertype` table; other SAPs go to the
// `llc.dsap` table (Spanning Tree BPDUs at 0x42).
import { defineFields } from '../field.js';
import { ETHERTYPE_NAMES } from '../ethertypes.js';
import { bitPicture, formatEther } from '../format.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

// SAP names as tshark 4.0 (sap_vals; tshark -G values for llc.dsap).
const SAP_NAMES: Record<number, string> = { 0x00: 'NULL LSAP', 0x01: 'NULL LSAP', 0x02: 'LLC Sub-Layer Management', 0x04: 'SNA Path Control', 0x06: 'TCP/IP', 0x08: 'SNA', 0x0c: 'SNA', 0x0e: 'PROWAY (IEC955) Network Management and Initialization', 0x10: 'NetWare (unofficial?)', 0x14: 'ISO Network Layer (OSLAN 1)', 0x18: 'Texas Instruments', 0x20: 'ISO Network Layer (unofficial?)', 0x34: 'ISO Network Layer (unofficial?)', 0x42: 'Spanning Tree BPDU', 0x4e: 'EIA RS-511 Manufacturing Message Service', 0x54: 'ISO Network Layer (OSLAN 2)', 0x7e: 'ISO 8208 (X.25 over 802.2)', 0x7f: 'ISO 802.2', 0x80: 'XNS', 0x82: 'BACnet', 0x86: 'Nestar', 0x8e: 'PROWAY (IEC955) Active Station List Maintenance', 0x98: 'ARP', 0xb4: 'HP JetDirect Printer', 0xaa: 'SNAP', 0xba: 'Banyan Vines', 0xbc: 'Banyan Vines', 0xe0: 'NetWare', 0xf0: 'NetBIOS', 0xf4: 'IBM Net Management', 0xf8: 'HP Extended LLC', 0xfa: 'Ungermann-Bass', 0xfc: 'Remote Program Load', 0xfe: 'ISO Network Layer', 0xff: 'Global LSAP' };
// The SNAP header's OUI line, as tshark 4.0 prints it (its manuf entry for 00:00:00 is cut
// after "but", closing parenthesis included).
const OUI_LINES: Record<number, string> = { 0x000000: '00:00:00 (Officially Xerox, but', 0x00000c: '00:00:0c (Cisco Systems, Inc)' };
const CISCO_PIDS: Record<number, string> = { 0x0102: 'DRIP', 0x0104: 'PAgP', 0x0105: 'MLS Hello', 0x0108: 'RLQ BPDUs (request)', 0x0109: 'RLQ BPDUs (response)', 0x010b: 'PVSTP+', 0x010c: 'VLAN Bridge', 0x0111: 'UDLD', 0x0139: 'MCP', 0x2000: 'CDP', 0x2001: 'CGMP', 0x2003: 'VTP', 0x2004: 'DTP', 0x200a: 'STP Uplink Fast' };
// Unnumbered-frame modifiers (packet-llc.c / xdlc.c modifier_vals_cmd).
/** The modifier bits of a U command (control & 0xec, shifted right 2), as tshark names them. */
const U_COMMANDS: Record<number, string> = {
  0x00: 'Unnumbered Information', 0x01: 'Set Initialization Mode', 0x03: 'Set Asynchronous Response Mode',
  0x08: 'Unnumbered Poll', 0x0b: 'Set Asynchronous Balanced Mode', 0x10: 'Disconnect',
  0x13: 'Set Asynchronous Response Mode Extended', 0x18: 'Unnumbered Acknowledge',
  0x1b: 'Set Asynchronous Balanced Mode Extended', 0x20: 'Set Normal Response Mode', 0x21: 'Frame reject',
  0x23: 'Reset', 0x2b: 'Exchange identification', 0x31: 'Configure', 0x33: 'Set Normal Response Mode Extended',
  0x38: 'Test', 0x3b: 'Beacon',
};
const U_SHORT: Record<number, string> = { 0x00: 'UI', 0x20: 'UP', 0x04: 'RD', 0x40: 'DISC', 0x0c: 'UA', 0xac: 'XID', 0xe0: 'TEST', 0x6c: 'SABME', 0x2c: 'SABM' };

export const llcFields = defineFields([
  { name: 'llc.dsap', label: 'DSAP', type: 'uint8', base: 'hex', values: SAP_NAMES },
  { name: 'llc.dsap.sap', label: 'SAP', type: 'uint8', mask: 0xfe },
  { name: 'llc.dsap.ig', label: 'IG Bit', type: 'boolean', mask: 0x01, tf: ['Group', 'Individual'] },
  { name: 'llc.ssap', label: 'SSAP', type: 'uint8', base: 'hex', values: SAP_NAMES },
  { name: 'llc.ssap.sap', label: 'SAP', type: 'uint8', mask: 0xfe },
  { name: 'llc.ssap.cr', label: 'CR Bit', type: 'boolean', mask: 0x01, tf: ['Response', 'Command'] },
  { name: 'llc.control', label: 'Control field', type: 'uint16', base: 'hex' },
  { name: 'llc.control.u_modifier_cmd', label: 'Command', type: 'uint8', base: 'hex', mask: 0xec, values: U_COMMANDS },
  { name: 'llc.control.ftype', label: 'Frame type', type: 'uint8', base: 'hex', mask: 0x03 },
  // tshark prints BASE_OUI values in decimal with -T fields (12 for 00:00:0c).
  { name: 'llc.oui', label: 'Organization Code', type: 'uint24' },
  { name: 'llc.type', label: 'Type', type: 'uint16', base: 'hex', values: ETHERTYPE_NAMES },
  { name: 'llc.pid', label: 'Protocol ID', type: 'uint16', base: 'hex' },
  { name: 'llc.cisco_pid', label: 'PID', type: 'uint16', base: 'hex', values: CISCO_PIDS },
] as const);

const F = llcFields;

function dissectLlc(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'LLC';
  const dsap = tvb.u8(0), ssap = tvb.u8(1), control = tvb.u8(2);
  const sapName = (v: number) => SAP_NAMES[v & 0xfe] ?? 'Unknown';
  const d = ctx.add(node, F['llc.dsap'], tvb, 0, 1, dsap);
  ctx.add(d, F['llc.dsap.sap'], tvb, 0, 1, dsap >> 1, () => `${bitPicture(dsap, 0xfe, 8)} = SAP: ${sapName(dsap)}`);
  ctx.add(d, F['llc.dsap.ig'], tvb, 0, 1, (dsap & 1) === 1);
  const ss = ctx.add(node, F['llc.ssap'], tvb, 1, 1, ssap);
  ctx.add(ss, F['llc.ssap.sap'], tvb, 1, 1, ssap >> 1, () => `${bitPicture(ssap, 0xfe, 8)} = SAP: ${sapName(ssap)}`);
  ctx.add(ss, F['llc.ssap.cr'], tvb, 1, 1, (ssap & 1) === 1);
  // Unnumbered frames (low two bits 11) have a one-byte control field.
  const ctlLen = (control & 3) === 3 ? 1 : 2;
  if (ctlLen === 1) {
    const mod = control & 0xec;
    const c = ctx.add(node, F['llc.control'], tvb, 2, 1, control, () => `Control field: U, func=${U_SHORT[mod] ?? 'Unknown'} (0x${control.toString(16).padStart(2, '0')})`);
    ctx.add(c, F['llc.control.u_modifier_cmd'], tvb, 2, 1, mod >> 2, () => `${bitPicture(control, 0xec, 8)} = Command: ${U_COMMANDS[mod >> 2] ?? 'Unknown'} (0x${(mod >> 2).toString(16).padStart(2, '0')})`);
    ctx.add(c, F['llc.control.ftype'], tvb, 2, 1, 3, () => `${bitPicture(control, 0x03, 8)} = Frame type: Unnumbered frame (0x3)`);
  } else {
    ctx.add(node, F['llc.control'], tvb, 2, 2, tvb.u16(2));
  }
  ctx.info = `S P, func=${control === 3 ? 'UI' : '0x' + control.toString(16)}; SNAP`;
  const hdr = 2 + ctlLen;
  if (dsap === 0xaa && ssap === 0xaa) {
    const oui = tvb.u24(hdr), type = tvb.u16(hdr + 3);
    ctx.add(node, F['llc.oui'], tvb, hdr, 3, oui, () => `Organization Code: ${OUI_LINES[oui] ?? `${formatEther(tvb.slice(hdr, 3))} (Unknown)`}`);
    ctx.setLength(node, hdr + 5);
    if (oui === 0) {
      ctx.add(node, F['llc.type'], tvb, hdr + 3, 2, type);
      // SNAP goes straight to the EtherType's protocol: tshark lists `llc:ip`, no `ethertype`.
      callProtocol(lookup('ethertype', type) ?? dataProtocol, tvb.sub(hdr + 5), ctx, null);
      return;
    }
    ctx.add(node, oui === 0x00000c ? F['llc.cisco_pid'] : F['llc.pid'], tvb, hdr + 3, 2, type);
    // Cisco's OUI has a PID table of its own (CDP is 0x2000); other OUIs' payloads are data.
    const cisco = oui === 0x00000c ? lookup('llc.cisco_pid', type) : undefined;
    callProtocol(cisco ?? dataProtocol, tvb.sub(hdr + 5), ctx, null);
    return;
  }
  ctx.setLength(node, hdr);
  if (tvb.length <= hdr) return;
  // Only information frames (I, or UI 0x03) go to the DSAP's protocol (XDLC_IS_INFORMATION in
  // packet-llc.c): STP by SAP 0x42.
  const information = ctlLen === 2 ? (control & 1) === 0 : control === 0x03;
  callProtocol((information ? lookup('llc.dsap', dsap) : undefined) ?? dataProtocol, tvb.sub(hdr), ctx, null);
}

export const llcProtocol = defineProtocol('llc', 'Logical-Link Control', dissectLlc);
// eth.ts looks LLC up under this pseudo key (0x10000, outside the 16-bit EtherType space).
register('ethertype', 0x10000, llcProtocol);
