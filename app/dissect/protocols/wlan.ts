// IEEE 802.11 (packet-ieee80211.c), the data-frame path: frame control, addresses by the
// To/From-DS bits, sequence control, QoS control, then LLC. Management and control frames are
// named but their bodies are not decoded yet. Also the radiotap header (LINKTYPE 127) that
// monitor-mode captures put in front (packet-ieee80211-radiotap.c), reduced to what matters
// for reaching the frame: its length and whether an FCS trails the frame.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import { formatEther } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const SUBTYPES: Record<number, string> = {
  0x00: 'Association Request', 0x01: 'Association Response', 0x02: 'Reassociation Request', 0x03: 'Reassociation Response',
  0x04: 'Probe Request', 0x05: 'Probe Response', 0x08: 'Beacon frame', 0x0a: 'Disassociate', 0x0b: 'Authentication',
  0x0c: 'Deauthentication', 0x0d: 'Action', 0x18: 'Block Ack Request', 0x19: 'Block Ack', 0x1a: 'Power-Save poll',
  0x1b: 'Request-to-send', 0x1c: 'Clear-to-send', 0x1d: 'Acknowledgement', 0x20: 'Data', 0x24: 'Null function (No data)',
  0x28: 'QoS Data', 0x2c: 'QoS Null function (No data)',
};

export const wlanFields = defineFields([
  { name: 'wlan.fc.type_subtype', label: 'Type/Subtype', type: 'uint16', base: 'hex', values: SUBTYPES },
  { name: 'wlan.fc', label: 'Frame Control Field', type: 'uint16', base: 'hex' },
  { name: 'wlan.fc.type', label: 'Type', type: 'uint8', values: { 0: 'Management frame', 1: 'Control frame', 2: 'Data frame', 3: 'Extension' } },
  { name: 'wlan.fc.subtype', label: 'Subtype', type: 'uint8' },
  { name: 'wlan.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'wlan.fc.ds', label: 'DS status', type: 'uint8', base: 'hex' },
  { name: 'wlan.fc.protected', label: 'Protected flag', type: 'boolean', mask: 0x40 },
  { name: 'wlan.fc.retry', label: 'Retry', type: 'boolean', mask: 0x08 },
  { name: 'wlan.duration', label: 'Duration', type: 'uint16', unit: ' microseconds' },
  { name: 'wlan.ra', label: 'Receiver address', type: 'ether' },
  { name: 'wlan.ta', label: 'Transmitter address', type: 'ether' },
  { name: 'wlan.da', label: 'Destination address', type: 'ether' },
  { name: 'wlan.sa', label: 'Source address', type: 'ether' },
  { name: 'wlan.bssid', label: 'BSS Id', type: 'ether' },
  { name: 'wlan.staa', label: 'STA address', type: 'ether' },
  { name: 'wlan.addr', label: 'Hardware address', type: 'ether' },
  { name: 'wlan.frag', label: 'Fragment number', type: 'uint16', mask: 0x000f },
  { name: 'wlan.seq', label: 'Sequence number', type: 'uint16', mask: 0xfff0 },
  { name: 'wlan.qos', label: 'Qos Control', type: 'uint16', base: 'hex' },
  { name: 'wlan.fcs', label: 'Frame check sequence', type: 'uint32', base: 'hex' },
  { name: 'radiotap.version', label: 'Header revision', type: 'uint8' },
  { name: 'radiotap.length', label: 'Header length', type: 'uint16' },
  { name: 'radiotap.present.word', label: 'Present flags word', type: 'uint32', base: 'hex' },
  { name: 'radiotap.flags', label: 'Flags', type: 'uint8', base: 'hex' },
] as const);

const F = wlanFields;

function dissectWlan(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = '802.11';
  const fc0 = tvb.u8(0), flags = tvb.u8(1);
  const type = (fc0 >> 2) & 3, subtype = fc0 >> 4;
  const typeSubtype = (type << 4) | subtype;
  const name = SUBTYPES[typeSubtype] ?? `Unknown (0x${typeSubtype.toString(16).padStart(4, '0')})`;
  ctx.addGenerated(node, F['wlan.fc.type_subtype'], typeSubtype);
  const fc = ctx.add(node, F['wlan.fc'], tvb, 0, 2, (fc0 << 8) | flags);
  ctx.add(fc, F['wlan.fc.type'], tvb, 0, 1, type);
  ctx.add(fc, F['wlan.fc.subtype'], tvb, 0, 1, subtype);
  const fl = ctx.add(fc, F['wlan.flags'], tvb, 1, 1, flags);
  ctx.add(fl, F['wlan.fc.ds'], tvb, 1, 1, flags & 3);
  ctx.add(fl, F['wlan.fc.retry'], tvb, 1, 1, (flags & 0x08) !== 0);
  ctx.add(fl, F['wlan.fc.protected'], tvb, 1, 1, (flags & 0x40) !== 0);
  ctx.add(node, F['wlan.duration'], tvb, 2, 2, tvb.u16le(2) & 0x7fff);
  const flagStr = ['.', '.', '.', '.', '.', '.', '.', '.'];
  const marks = 'TFmRPdPO'; // To DS, From DS, More frags, Retry, Power mgmt, more Data, Protected, Order
  for (let i = 0; i < 8; i++) if (flags & (1 << i)) flagStr[7 - i] = marks[i]!;
  if (ctx.tree) ctx.setText(node, `IEEE 802.11 ${name}, Flags: ${flagStr.join('')}`);
  ctx.info = name;

  const addr = (o: number, field: typeof F['wlan.ra']): Uint8Array => {
    const mac = tvb.slice(o, 6);
    ctx.add(node, field, tvb, o, 6, mac);
    ctx.addHidden(node, F['wlan.addr'], tvb, o, 6, mac);
    return mac;
  };
  if (type !== 2) {
    // Management frames: DA, SA, BSSID. Control frames: RA (+ TA); bodies are not decoded yet.
    if (type === 0) {
      const da = addr(4, F['wlan.da']), sa = addr(10, F['wlan.sa']);
      addr(16, F['wlan.bssid']);
      ctx.src = formatEther(sa); ctx.dst = formatEther(da);
    } else if (tvb.has(4, 6)) {
      ctx.dst = formatEther(addr(4, F['wlan.ra']));
    }
    ctx.endpoints = { src: ctx.src, dst: ctx.dst };
    return;
  }
  const ds = flags & 3;
  const a1 = tvb.slice(4, 6), a2 = tvb.slice(10, 6), a3 = tvb.slice(16, 6);
  let da: Uint8Array, sa: Uint8Array;
  addr(4, F['wlan.ra']);
  addr(10, F['wlan.ta']);
  let hdr = 24;
  switch (ds) {
    case 0: da = a1; sa = a2; addr(4, F['wlan.da']); addr(10, F['wlan.sa']); addr(16, F['wlan.bssid']); break;
    case 1: da = a3; sa = a2; addr(16, F['wlan.da']); addr(10, F['wlan.sa']); addr(4, F['wlan.bssid']); addr(10, F['wlan.staa']); break;
    case 2: da = a1; sa = a3; addr(4, F['wlan.da']); addr(16, F['wlan.sa']); addr(10, F['wlan.bssid']); addr(4, F['wlan.staa']); break;
    default: da = a3; sa = tvb.slice(24, 6); addr(16, F['wlan.da']); addr(24, F['wlan.sa']); hdr = 30; break;
  }
  const sc = tvb.u16le(22);
  ctx.add(node, F['wlan.frag'], tvb, 22, 2, sc & 0xf);
  ctx.add(node, F['wlan.seq'], tvb, 22, 2, sc >> 4);
  if (subtype & 0x8) {
    ctx.add(node, F['wlan.qos'], tvb, hdr, 2, tvb.u16le(hdr));
    hdr += 2;
    if (flags & 0x80) hdr += 4; // HT control
  }
  ctx.src = formatEther(sa); ctx.dst = formatEther(da);
  ctx.endpoints = { src: ctx.src, dst: ctx.dst };
  ctx.setLength(node, hdr);
  if (subtype & 0x4) return; // Null function: no body
  const body = tvb.sub(hdr);
  if (flags & 0x40) { callProtocol(dataProtocol, body, ctx, null); return; }
  callProtocol(lookup('ethertype', 0x10000) ?? dataProtocol, body, ctx, null);
}

export const wlanProtocol = defineProtocol('wlan', 'IEEE 802.11 wireless LAN', dissectWlan, '802.11');
register('linktype', 105, wlanProtocol);
register('gre.proto', 0x8200, wlanProtocol); // Aruba's GRE encapsulation of 802.11 frames

function dissectRadiotap(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = '802.11';
  const version = tvb.u8(0), len = tvb.u16le(2);
  ctx.add(node, F['radiotap.version'], tvb, 0, 1, version);
  ctx.add(node, F['radiotap.length'], tvb, 2, 2, len);
  if (ctx.tree) ctx.setText(node, `Radiotap Header v${version}, Length ${len}`);
  // Present words chain while bit 31 is set; the Flags field (bit 1) follows TSFT (bit 0, 8
  // bytes aligned to 8) and says whether the 802.11 frame ends with an FCS (0x10).
  let o = 4;
  const first = tvb.u32le(4);
  for (let w = first; ; ) {
    ctx.add(node, F['radiotap.present.word'], tvb, o, 4, w);
    o += 4;
    if (!(w & 0x80000000) || o + 4 > len) break;
    w = tvb.u32le(o);
  }
  let fcs = false;
  if (first & 0x2) {
    let f = o;
    if (first & 0x1) f = ((f + 7) & ~7) + 8;
    const flags = tvb.u8(f);
    ctx.add(node, F['radiotap.flags'], tvb, f, 1, flags);
    fcs = (flags & 0x10) !== 0;
  }
  ctx.setLength(node, len);
  ctx.layers.push('wlan_radio');
  const frameLen = tvb.reportedLength - len - (fcs ? 4 : 0);
  callProtocol(wlanProtocol, tvb.sub(len, frameLen, frameLen), ctx, null);
  if (fcs && tvb.has(tvb.reportedLength - 4, 4)) ctx.add(node, F['wlan.fcs'], tvb, tvb.reportedLength - 4, 4, tvb.u32le(tvb.reportedLength - 4));
}

export const radiotapProtocol = defineProtocol('radiotap', 'Radiotap Header', dissectRadiotap, '802.11');
register('linktype', 127, radiotapProtocol);
