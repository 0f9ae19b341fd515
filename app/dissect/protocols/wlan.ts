// IEEE 802.11 (packet-ieee80211.c): frame control, the addresses (by the To/From-DS bits in a
// data frame, by subtype in a control frame), sequence control, QoS control, then LLC for data
// and wlan-mgt.ts for management bodies; of control frames' bodies, basic and compressed Block
// Ack (Request)s. The radiotap header in front of monitor-mode frames is radiotap.ts, which
// says through scratch 'wlan.fcs' whether an FCS ends the frame and through 'wlan.datapad'
// whether the driver padded the header.
import { CHECKSUM_STATUS_NAMES } from '../checksum.js';
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import { bitPicture, formatEther } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const SUBTYPES: Record<number, string> = {
  0x00: 'Association Request', 0x01: 'Association Response', 0x02: 'Reassociation Request',
  0x03: 'Reassociation Response', 0x04: 'Probe Request', 0x05: 'Probe Response', 0x06: 'Measurement Pilot',
  0x08: 'Beacon frame', 0x09: 'ATIM', 0x0a: 'Disassociate', 0x0b: 'Authentication', 0x0c: 'Deauthentication',
  0x0d: 'Action', 0x0e: 'Action No Ack', 0x0f: 'Aruba Management', 0x12: 'Trigger', 0x14: 'Beamforming Report Poll',
  0x15: 'VHT/HE NDP Announcement', 0x17: 'Control Wrapper', 0x18: '802.11 Block Ack Req', 0x19: '802.11 Block Ack',
  0x1a: 'Power-Save poll', 0x1b: 'Request-to-send', 0x1c: 'Clear-to-send', 0x1d: 'Acknowledgement',
  0x1e: 'CF-End (Control-frame)', 0x1f: 'CF-End + CF-Ack (Control-frame)', 0x20: 'Data', 0x21: 'Data + CF-Ack',
  0x22: 'Data + CF-Poll', 0x23: 'Data + CF-Ack + CF-Poll', 0x24: 'Null function (No data)',
  0x25: 'Acknowledgement (No data)', 0x26: 'CF-Poll (No data)', 0x27: 'CF-Ack/Poll (No data)', 0x28: 'QoS Data',
  0x29: 'QoS Data + CF-Acknowledgment', 0x2a: 'QoS Data + CF-Poll', 0x2b: 'QoS Data + CF-Ack + CF-Poll',
  0x2c: 'QoS Null function (No data)', 0x2e: 'QoS CF-Poll (No Data)', 0x2f: 'QoS CF-Ack + CF-Poll (No data)',
  0x30: 'DMG Beacon', 0x31: 'S1G Beacon', 0x162: 'Poll', 0x163: 'Service Period Request', 0x164: 'Grant',
  0x165: 'DMG Clear-to-send', 0x166: 'DMG Denial-to-send', 0x167: 'Grant Acknowledgment', 0x168: 'Sector Sweep',
  0x169: 'Sector Sweep Feedback', 0x16a: 'Sector Sweep Acknowledgment',
};

/** Block Ack variants (the BA Type of a Block Ack (Request)'s control field). */
const BLOCK_ACK_TYPES: Record<number, string> = {
  0x0: 'Basic BlockAck', 0x1: 'Extended Compressed BlockAck', 0x2: 'Compressed BlockAck', 0x3: 'Multi-TID BlockAck',
  0x6: 'GCR BlockAck', 0xa: 'GLK-GCR BlockAck', 0xb: 'Multi-STA BlockAck',
};

const DS_STATUS: Record<number, string> = {
  0: 'Not leaving DS or network is operating in AD-HOC mode (To DS: 0 From DS: 0)',
  1: 'Frame from STA to DS via an AP (To DS: 1 From DS: 0)',
  2: 'Frame from DS to a STA via AP(To DS: 0 From DS: 1)',
  3: 'WDS (AP to AP) or Mesh (MP to MP) Frame (To DS: 1 From DS: 1)',
};
/** 802.1D user priorities with their access categories (packet-ieee80211.c ieee802_1d_pri). */
const PRIORITIES: Record<number, string> = {
  0: 'Best Effort (Best Effort)', 1: 'Background (Background)', 2: 'Spare (Background)', 3: 'Excellent Effort (Best Effort)',
  4: 'Controlled Load (Video)', 5: 'Video (Video)', 6: 'Voice (Voice)', 7: 'Network Control (Voice)',
};

export const wlanFields = defineFields([
  { name: 'wlan.fc.type_subtype', label: 'Type/Subtype', type: 'uint16', base: 'hex', values: SUBTYPES },
  { name: 'wlan.fc', label: 'Frame Control Field', type: 'uint16', base: 'hex' },
  { name: 'wlan.fc.version', label: 'Version', type: 'uint8', mask: 0x03 },
  { name: 'wlan.fc.type', label: 'Type', type: 'uint8', mask: 0x0c, values: { 0: 'Management frame', 1: 'Control frame', 2: 'Data frame', 3: 'Extension frame' } },
  { name: 'wlan.fc.subtype', label: 'Subtype', type: 'uint8', mask: 0xf0 },
  { name: 'wlan.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'wlan.fc.ds', label: 'DS status', type: 'uint8', base: 'hex', mask: 0x03, values: DS_STATUS },
  { name: 'wlan.fc.frag', label: 'More Fragments', type: 'boolean', mask: 0x04, tf: ['More fragments follow', 'This is the last fragment'] },
  { name: 'wlan.fc.retry', label: 'Retry', type: 'boolean', mask: 0x08, tf: ['Frame is being retransmitted', 'Frame is not being retransmitted'] },
  { name: 'wlan.fc.pwrmgt', label: 'PWR MGT', type: 'boolean', mask: 0x10, tf: ['STA will go to sleep', 'STA will stay up'] },
  { name: 'wlan.fc.moredata', label: 'More Data', type: 'boolean', mask: 0x20, tf: ['Data is buffered for STA at AP', 'No data buffered'] },
  { name: 'wlan.fc.protected', label: 'Protected flag', type: 'boolean', mask: 0x40, tf: ['Data is protected', 'Data is not protected'] },
  { name: 'wlan.fc.order', label: '+HTC/Order flag', type: 'boolean', mask: 0x80, tf: ['Strictly ordered', 'Not strictly ordered'] },
  { name: 'wlan.duration', label: 'Duration', type: 'uint16', mask: 0x7fff, unit: ' microseconds' },
  { name: 'wlan.aid', label: 'Association ID', type: 'uint16', mask: 0x3fff },
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
  { name: 'wlan.qos.tid', label: 'TID', type: 'uint16', mask: 0x000f },
  { name: 'wlan.qos.priority', label: 'Priority', type: 'uint16', mask: 0x0007, values: PRIORITIES },
  { name: 'wlan.qos.bit4', label: 'QoS bit 4', type: 'boolean', mask: 0x0010, tf: ['Bits 8-15 of QoS Control field are Queue Size', 'Bits 8-15 of QoS Control field are TXOP Duration Requested'] },
  { name: 'wlan.qos.eosp', label: 'EOSP', type: 'boolean', mask: 0x0010, tf: ['End of service period', 'Service period'] },
  { name: 'wlan.qos.ack', label: 'Ack Policy', type: 'uint16', base: 'hex', mask: 0x0060, values: { 0: 'Normal Ack', 1: 'No Ack', 2: 'No explicit acknowledgment', 3: 'Block Ack' } },
  { name: 'wlan.qos.amsdupresent', label: 'Payload Type', type: 'boolean', mask: 0x0080, tf: ['A-MSDU', 'MSDU'] },
  { name: 'wlan.qos.txop_dur_req', label: 'TXOP Duration Requested', type: 'uint16', mask: 0xff00 },
  { name: 'wlan.qos.queue_size', label: 'Queue Size', type: 'uint16', mask: 0xff00 },
  { name: 'wlan.qos.ps_buf_state', label: 'QAP PS Buffer State', type: 'uint16', base: 'hex', mask: 0xff00 },
  { name: 'wlan.qos.buf_state_indicated', label: 'Buffer State Indicated', type: 'boolean', mask: 0x0200, tf: ['Yes', 'No'] },
  { name: 'wlan.fcs', label: 'Frame check sequence', type: 'uint32', base: 'hex' },
  { name: 'wlan.fcs.status', label: 'FCS Status', type: 'uint8', values: CHECKSUM_STATUS_NAMES, base: 'none' },
  { name: 'wlan.ba.control', label: 'Block Ack Control', type: 'uint16', base: 'hex' },
  { name: 'wlan.ba.control.ackpolicy', label: 'BA Ack Policy', type: 'boolean', mask: 0x0001, tf: ['Sender Does Not Require Immediate Acknowledgement', 'Immediate Acknowledgement Required'] },
  { name: 'wlan.ba.control.ba_type', label: 'BA Type', type: 'uint16', base: 'hex', mask: 0x001e, values: BLOCK_ACK_TYPES },
  { name: 'wlan.ba.control.reserved', label: 'Reserved', type: 'uint16', base: 'hex', mask: 0x0fe0 },
  { name: 'wlan.ba.basic.tidinfo', label: 'TID for which a Basic BlockAck frame is requested', type: 'uint16', base: 'hex', mask: 0xf000 },
  { name: 'wlan.fixed.ssc', label: 'Block Ack Starting Sequence Control (SSC)', type: 'uint16', base: 'hex' },
  { name: 'wlan.fixed.ssc.fragment', label: 'Fragment', type: 'uint16', mask: 0x000f },
  { name: 'wlan.fixed.ssc.sequence', label: 'Starting Sequence Number', type: 'uint16', mask: 0xfff0 },
  { name: 'wlan.ba.bm', label: 'Block Ack Bitmap', type: 'bytes' },
  { name: 'wlan.ba.bm.missing_frame', label: 'Missing frame', type: 'uint32' },
] as const);

const F = wlanFields;

function dissectWlan(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = '802.11';
  const fc0 = tvb.u8(0), flags = tvb.u8(1);
  const type = (fc0 >> 2) & 3, subtype = fc0 >> 4;
  const typeSubtype = (type << 4) | subtype;
  const name = SUBTYPES[typeSubtype] ?? `Unknown (0x${typeSubtype.toString(16).padStart(4, '0')})`;
  ctx.info = name;
  // tshark reads a QoS data frame's QoS control first: cut short before it, there is no 802.11 item.
  const qosAt = (flags & 3) === 3 ? 30 : 24;
  if (type === 2 && subtype & 0x8 && !tvb.has(qosAt, 2)) ctx.failBeforeItem(node, tvb, qosAt, 2);
  ctx.add(node, F['wlan.fc.type_subtype'], tvb, 0, 2, typeSubtype);
  const fc = ctx.add(node, F['wlan.fc'], tvb, 0, 2, (fc0 << 8) | flags);
  ctx.add(fc, F['wlan.fc.version'], tvb, 0, 1, fc0 & 3);
  ctx.add(fc, F['wlan.fc.type'], tvb, 0, 1, type);
  ctx.add(fc, F['wlan.fc.subtype'], tvb, 0, 1, subtype);
  const fl = ctx.add(fc, F['wlan.flags'], tvb, 1, 1, flags);
  ctx.add(fl, F['wlan.fc.ds'], tvb, 1, 1, flags & 3);
  for (const [f, mask] of FLAG_BITS) {
    const bit = ctx.add(fl, F[f], tvb, 1, 1, (flags & mask) !== 0);
    if (mask === 0x08 && flags & mask) ctx.addExpert(bit, 'note', 'sequence', 'Retransmission (retry)');
  }
  // A PS-Poll carries the station's association ID where others have the duration.
  if (typeSubtype === PS_POLL) ctx.add(node, F['wlan.aid'], tvb, 2, 2, tvb.u16le(2) & 0x3fff);
  else ctx.add(node, F['wlan.duration'], tvb, 2, 2, tvb.u16le(2) & 0x7fff);
  // The flags as one character each, bit 7 first; C: the frame ends in an FCS (radiotap said so).
  let flagStr = '';
  const marks = 'opmPRMFT'; // +HTC/order, protected, more data, Power mgmt, Retry, More frags, From DS, To DS
  for (let i = 0; i < 8; i++) flagStr += flags & (0x80 >> i) ? marks[i] : '.';
  const withFcs = ctx.scratch[WLAN_FCS_SCRATCH] === true;
  // The item names the flags once the header is read (a frame cut short is "IEEE 802.11 Data").
  if (ctx.tree) ctx.setText(node, `IEEE 802.11 ${name}`);
  const headerRead = (): void => {
    if (ctx.tree) ctx.setText(node, `IEEE 802.11 ${name}, Flags: ${flagStr}${withFcs ? 'C' : ''}`);
  };

  // wlan.addr once per address in the header (tshark's hidden item per address field), however
  // many roles (RA, DA, BSS Id...) that address plays.
  const addressed = new Set<number>();
  const addr = (o: number, field: typeof F['wlan.ra']): Uint8Array => {
    const mac = tvb.slice(o, 6);
    ctx.add(node, field, tvb, o, 6, mac);
    if (!addressed.has(o)) ctx.addHidden(node, F['wlan.addr'], tvb, o, 6, mac);
    addressed.add(o);
    return mac;
  };
  // What tshark appends to the Info column once the header is read.
  const seqInfo = (): string => {
    const sc = tvb.u16le(22);
    return `, SN=${sc >> 4}, FN=${sc & 0xf}, Flags=${flagStr}`;
  };
  if (type === 0) {
    // Management: receiver and destination (addr1), transmitter and source (addr2), BSS Id.
    const ra = addr(4, F['wlan.ra']);
    // tshark reads the other addresses before it shows them: a frame cut short shows RA alone
    // (and the columns of the addresses it has).
    ctx.dst = formatEther(ra);
    if (tvb.has(10, 6)) ctx.src = formatEther(tvb.slice(10, 6));
    tvb.slice(10, 12);
    addr(4, F['wlan.da']);
    addr(10, F['wlan.ta']);
    addr(10, F['wlan.sa']);
    addr(16, F['wlan.bssid']);
    const sc = tvb.u16le(22);
    ctx.add(node, F['wlan.frag'], tvb, 22, 2, sc & 0xf);
    ctx.add(node, F['wlan.seq'], tvb, 22, 2, sc >> 4);
    ctx.endpoints = { src: ctx.src, dst: ctx.dst };
    ctx.setLength(node, 24);
    headerRead();
    ctx.info = name + seqInfo();
    // The body (wlan-mgt.ts, for the subtypes it decodes), up to the FCS.
    // Not a layer of its own: tshark's frame.protocols says `wlan` for a beacon.
    const proto = lookup('wlan.mgt', subtype);
    if (proto) {
      ctx.scratch['wlan.mgt.subtype'] = subtype;
      const body = withFcs ? tvb.sub(24, tvb.reportedLength - 28) : tvb.sub(24);
      proto.dissect(body, ctx, ctx.add(null, proto.field, body, 0, body.length, null));
    }
    return;
  }
  if (type === 1) {
    // Control: the receiver, and for most subtypes the transmitter (a CF-End's is the BSS Id).
    const ra = addr(4, F['wlan.ra']);
    const second = CONTROL_SECOND[typeSubtype];
    let raRole = 'RA';
    if (second) {
      if (typeSubtype === PS_POLL) {
        raRole = 'BSSID';
        addr(4, F['wlan.bssid']);
      }
      const other = addr(10, second === 'BSSID' ? F['wlan.bssid'] : F['wlan.ta']);
      ctx.src = `${formatEther(other)} (${second})`;
    }
    ctx.dst = `${formatEther(ra)} (${raRole})`;
    ctx.endpoints = { src: second ? formatEther(tvb.slice(10, 6)) : '', dst: formatEther(ra) };
    headerRead();
    // A Block Ack (Request)'s body is inside the 802.11 item; other control frames end here.
    if (!(typeSubtype === BLOCK_ACK_REQ || typeSubtype === BLOCK_ACK) || !addBlockAck(tvb, ctx, node, typeSubtype === BLOCK_ACK)) ctx.setLength(node, second ? 16 : 10);
    // Subtypes whose bodies tshark names further (Trigger, NDP Announcement, ...) keep the bare name.
    if (!CONTROL_BODY_NAMED.has(typeSubtype)) ctx.info = `${name}, Flags=${flagStr}`;
    return;
  }
  if (type !== 2) return;
  const ds = flags & 3;
  addr(4, F['wlan.ra']);
  // As for management frames, a frame cut short shows RA alone, and the source and destination
  // columns of the addresses it has.
  // Source and destination by the To DS / From DS bits: addr2 or 3 or 4, addr1 or 3.
  const saAt = [10, 10, 16, 24][ds]!, daAt = [4, 16, 4, 16][ds]!;
  if (tvb.has(saAt, 6)) ctx.src = formatEther(tvb.slice(saAt, 6));
  if (tvb.has(daAt, 6)) ctx.dst = formatEther(tvb.slice(daAt, 6));
  tvb.slice(4, 18);
  addr(10, F['wlan.ta']);
  let hdr = 24;
  switch (ds) {
    case 0: addr(4, F['wlan.da']); addr(10, F['wlan.sa']); addr(16, F['wlan.bssid']); break;
    case 1: addr(16, F['wlan.da']); addr(10, F['wlan.sa']); addr(4, F['wlan.bssid']); addr(10, F['wlan.staa']); break;
    case 2: addr(4, F['wlan.da']); addr(16, F['wlan.sa']); addr(10, F['wlan.bssid']); addr(4, F['wlan.staa']); break;
    default:
      // tshark's hidden wlan.addr items list the fourth address before the third.
      ctx.addHidden(node, F['wlan.addr'], tvb, 24, 6, tvb.slice(24, 6));
      addressed.add(24);
      addr(16, F['wlan.da']); addr(24, F['wlan.sa']); hdr = 30; break;
  }
  const sc = tvb.u16le(22);
  ctx.add(node, F['wlan.frag'], tvb, 22, 2, sc & 0xf);
  ctx.add(node, F['wlan.seq'], tvb, 22, 2, sc >> 4);
  // tshark adds the FCS (its last 4 bytes) here, before the QoS control.
  if (withFcs && tvb.has(tvb.reportedLength - 4, 4)) {
    ctx.add(node, F['wlan.fcs'], tvb, tvb.reportedLength - 4, 4, tvb.u32le(tvb.reportedLength - 4), () => `Frame check sequence: 0x${tvb.u32le(tvb.reportedLength - 4).toString(16).padStart(8, '0')} [unverified]`);
    ctx.addGenerated(node, F['wlan.fcs.status'], 2);
  }
  if (subtype & 0x8) {
    // From DS (an AP's frame, or a WDS one) reads bit 4 and the upper byte as the AP's.
    addQosControl(tvb, ctx, node, hdr, (ds & 2) !== 0, (subtype & 0x4) !== 0);
    hdr += 2;
    if (flags & 0x80) hdr += 4; // HT control
  }
  // Radiotap says the driver padded the header to a multiple of 4 bytes: the body starts after.
  if (ctx.scratch[WLAN_DATAPAD_SCRATCH] === true) hdr = (hdr + 3) & ~3;
  ctx.endpoints = { src: ctx.src, dst: ctx.dst };
  ctx.setLength(node, hdr);
  // The payload's protocols write their own Info; what they leave (null data, protected or
  // unknown payloads) reads as tshark's.
  headerRead();
  ctx.info = name + seqInfo();
  if (subtype & 0x4) return; // Null function: no body
  const body = withFcs ? tvb.sub(hdr, tvb.reportedLength - hdr - 4) : tvb.sub(hdr);
  if (flags & 0x40) { callProtocol(dataProtocol, body, ctx, null); return; }
  callProtocol(lookup('ethertype', 0x10000) ?? dataProtocol, body, ctx, null);
}

const PS_POLL = 0x1a, BLOCK_ACK_REQ = 0x18, BLOCK_ACK = 0x19;

/**
 * A Basic or Compressed Block Ack Request or Block Ack after the addresses: control field,
 * starting sequence, and a Block Ack's bitmap, whose clear bits (of a compressed one) name the
 * sequence numbers missing. Returns false for the other variants (Multi-TID, GCR, ...), which
 * are not decoded.
 */
function addBlockAck(tvb: Tvb, ctx: PacketContext, node: FieldNode, response: boolean): boolean {
  const control = tvb.u16le(16);
  const type = (control >> 1) & 0xf;
  if (type !== 0 && type !== 2) return false;
  const bitmapLength = !response ? 0 : type === 0 ? 128 : 8;
  const body = ctx.addText(node, tvb, 16, 4 + bitmapLength, `${BLOCK_ACK_TYPES[type]} ${response ? 'Response' : 'Request'}`);
  const c = ctx.add(body, F['wlan.ba.control'], tvb, 16, 2, control);
  ctx.add(c, F['wlan.ba.control.ackpolicy'], tvb, 16, 2, (control & 1) !== 0);
  ctx.add(c, F['wlan.ba.control.ba_type'], tvb, 16, 2, type);
  ctx.add(c, F['wlan.ba.control.reserved'], tvb, 16, 2, (control >> 5) & 0x7f);
  ctx.add(c, F['wlan.ba.basic.tidinfo'], tvb, 16, 2, control >> 12);
  const ssc = tvb.u16le(18);
  const sc = ctx.add(body, F['wlan.fixed.ssc'], tvb, 18, 2, ssc);
  ctx.add(sc, F['wlan.fixed.ssc.fragment'], tvb, 18, 2, ssc & 0xf);
  ctx.add(sc, F['wlan.fixed.ssc.sequence'], tvb, 18, 2, ssc >> 4);
  if (!bitmapLength) return true;
  const bm = ctx.add(body, F['wlan.ba.bm'], tvb, 20, bitmapLength, tvb.slice(20, bitmapLength));
  if (type === 2) {
    // Bit i of the compressed bitmap acknowledges starting sequence number + i (modulo 4096).
    for (let i = 0; i < 64; i++) {
      if (!(tvb.u8(20 + (i >> 3)) & (1 << (i & 7)))) ctx.add(bm, F['wlan.ba.bm.missing_frame'], tvb, 20 + (i >> 3), 1, ((ssc >> 4) + i) & 0xfff);
    }
  }
  return true;
}

/**
 * Control subtypes with a second address after the receiver's, and what tshark calls it: the
 * transmitter, or a CF-End's BSS Id (a PS-Poll's first address is the BSS Id too).
 */
const CONTROL_SECOND: Readonly<Record<number, 'TA' | 'BSSID'>> = {
  0x12: 'TA', 0x14: 'TA', 0x15: 'TA', 0x18: 'TA', 0x19: 'TA', 0x1a: 'TA', 0x1b: 'TA', 0x1e: 'BSSID', 0x1f: 'TA',
};
/** Control subtypes whose Info tshark builds from their bodies (not decoded here). */
const CONTROL_BODY_NAMED = new Set([0x12, 0x14, 0x15]);

const FLAG_BITS = [
  ['wlan.fc.frag', 0x04], ['wlan.fc.retry', 0x08], ['wlan.fc.pwrmgt', 0x10], ['wlan.fc.moredata', 0x20], ['wlan.fc.protected', 0x40], ['wlan.fc.order', 0x80],
] as const;

/** Set by radiotap.ts when the 802.11 frame it carries ends in an FCS. */
const WLAN_FCS_SCRATCH = 'wlan.fcs';
/** Set by radiotap.ts when the driver padded the 802.11 header to a multiple of 4 bytes. */
const WLAN_DATAPAD_SCRATCH = 'wlan.datapad';

/**
 * The QoS Control field's subtree. Bit 4 and the upper byte read differently in a frame from the
 * AP (From DS): end of service period and the AP's buffer state, instead of what the station
 * asks for (a TXOP duration, or its queue size).
 */
function addQosControl(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, fromAp: boolean, noData: boolean): void {
  const q = tvb.u16le(o);
  const qos = ctx.add(node, F['wlan.qos'], tvb, o, 2, q);
  ctx.add(qos, F['wlan.qos.tid'], tvb, o, 2, q & 0xf);
  ctx.addGenerated(qos, F['wlan.qos.priority'], q & 7, () => `${bitPicture(q, 0x0007, 16)} = Priority: ${PRIORITIES[q & 7]} (${q & 7})`);
  const bit4 = (q & 0x10) !== 0;
  ctx.add(qos, fromAp ? F['wlan.qos.eosp'] : F['wlan.qos.bit4'], tvb, o, 2, bit4);
  ctx.add(qos, F['wlan.qos.ack'], tvb, o, 2, (q >> 5) & 3);
  // A QoS Null frame carries no payload, so no payload type.
  if (!noData) ctx.add(qos, F['wlan.qos.amsdupresent'], tvb, o, 2, (q & 0x80) !== 0);
  const upper = q >> 8;
  if (fromAp) {
    const ps = ctx.add(qos, F['wlan.qos.ps_buf_state'], tvb, o, 2, upper, () => `${bitPicture(q, 0xff00, 16)} = QAP PS Buffer State: 0x${upper.toString(16).padStart(2, '0')}`);
    ctx.add(ps, F['wlan.qos.buf_state_indicated'], tvb, o, 2, (q & 0x0200) !== 0);
  } else if (bit4) {
    ctx.add(qos, F['wlan.qos.queue_size'], tvb, o, 2, upper);
  } else {
    ctx.add(qos, F['wlan.qos.txop_dur_req'], tvb, o, 2, upper, upper === 0 ? () => `${bitPicture(q, 0xff00, 16)} = TXOP Duration Requested: 0 (no TXOP requested)` : undefined);
  }
}

export const wlanProtocol = defineProtocol('wlan', 'IEEE 802.11 wireless LAN', dissectWlan, 'IEEE 802.11');
register('linktype', 105, wlanProtocol);
register('gre.proto', 0x8200, wlanProtocol); // Aruba's GRE encapsulation of 802.11 frames
