// IEEE 802.11 management frame bodies (packet-ieee80211.c's "IEEE 802.11 Wireless Management"):
// the fixed parameters each subtype starts with (IEEE 802.11-2020 9.3.3), then the tagged
// elements. Decoded elements: SSID, Supported and Extended Supported Rates, DS Parameter set,
// TIM, Country, Power Constraint, Challenge text, ERP Information, RSN; any other element shows
// its number, length and bytes (tshark decodes many more: HT and VHT capabilities, vendor
// elements...). Action frames' bodies are not decoded (wlan.ts does not hand them here). The 802.11 header (wlan.ts) sets
// scratch 'wlan.mgt.subtype' and the Info column this appends the beacon interval and SSID to.
import { defineFields } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { AKM_SUITES, AUTH_ALGORITHMS, CIPHER_SUITES, COUNTRY_ENVIRONMENTS, RATES, REASON_CODES, REPLAY_COUNTERS, STATUS_CODES, TAG_NAMES } from './wlan-mgt-names.js';

const IMPLEMENTED: readonly [string, string] = ['Implemented', 'Not Implemented'];
const SET: readonly [string, string] = ['Set', 'Not set'];

export const wlanMgtFields = defineFields([
  { name: 'wlan.fixed.all', label: 'Fixed parameters', type: 'none' },
  { name: 'wlan.fixed.timestamp', label: 'Timestamp', type: 'uint64' },
  { name: 'wlan.fixed.beacon', label: 'Beacon Interval', type: 'uint32' },
  { name: 'wlan.fixed.capabilities', label: 'Capabilities Information', type: 'uint16', base: 'hex' },
  { name: 'wlan.fixed.capabilities.ess', label: 'ESS capabilities', type: 'boolean', mask: 0x0001, tf: ['Transmitter is an AP', 'Transmitter is a STA'] },
  { name: 'wlan.fixed.capabilities.ibss', label: 'IBSS status', type: 'boolean', mask: 0x0002, tf: ['Transmitter belongs to an IBSS', 'Transmitter belongs to a BSS'] },
  { name: 'wlan.fixed.capabilities.reserved1', label: 'Reserved', type: 'uint16', mask: 0x0004 },
  { name: 'wlan.fixed.capabilities.reserved2', label: 'Reserved', type: 'uint16', mask: 0x0008 },
  { name: 'wlan.fixed.capabilities.privacy', label: 'Privacy', type: 'boolean', mask: 0x0010, tf: ['Data confidentiality required', 'Data confidentiality not required'] },
  { name: 'wlan.fixed.capabilities.short_preamble', label: 'Short Preamble', type: 'boolean', mask: 0x0020, tf: ['Allowed', 'Not Allowed'] },
  { name: 'wlan.fixed.capabilities.reserved3', label: 'Reserved', type: 'uint16', mask: 0x0040 },
  { name: 'wlan.fixed.capabilities.reserved4', label: 'Reserved', type: 'uint16', mask: 0x0080 },
  { name: 'wlan.fixed.capabilities.spec_man', label: 'Spectrum Management', type: 'boolean', mask: 0x0100, tf: IMPLEMENTED },
  { name: 'wlan.fixed.capabilities.qos', label: 'QoS', type: 'boolean', mask: 0x0200, tf: IMPLEMENTED },
  { name: 'wlan.fixed.capabilities.short_slot_time', label: 'Short Slot Time', type: 'boolean', mask: 0x0400, tf: ['In use', 'Not in use'] },
  { name: 'wlan.fixed.capabilities.apsd', label: 'Automatic Power Save Delivery', type: 'boolean', mask: 0x0800, tf: IMPLEMENTED },
  { name: 'wlan.fixed.capabilities.radio_measurement', label: 'Radio Measurement', type: 'boolean', mask: 0x1000, tf: IMPLEMENTED },
  { name: 'wlan.fixed.capabilities.epd', label: 'EPD', type: 'boolean', mask: 0x2000, tf: IMPLEMENTED },
  { name: 'wlan.fixed.capabilities.reserved5', label: 'Reserved', type: 'uint16', mask: 0x4000 },
  { name: 'wlan.fixed.capabilities.reserved6', label: 'Reserved', type: 'uint16', mask: 0x8000 },
  { name: 'wlan.fixed.listen_ival', label: 'Listen Interval', type: 'uint16', base: 'hex' },
  { name: 'wlan.fixed.current_ap', label: 'Current AP', type: 'ether' },
  { name: 'wlan.fixed.status_code', label: 'Status code', type: 'uint16', base: 'hex', values: STATUS_CODES },
  { name: 'wlan.fixed.aid', label: 'Association ID', type: 'uint16', base: 'hex', mask: 0x3fff },
  { name: 'wlan.fixed.reason_code', label: 'Reason code', type: 'uint16', base: 'hex', values: REASON_CODES },
  { name: 'wlan.fixed.auth.alg', label: 'Authentication Algorithm', type: 'uint16', values: AUTH_ALGORITHMS },
  { name: 'wlan.fixed.auth_seq', label: 'Authentication SEQ', type: 'uint16', base: 'hex' },
  { name: 'wlan.tagged.all', label: 'Tagged parameters', type: 'none' },
  { name: 'wlan.tag', label: 'Tag', type: 'none' },
  { name: 'wlan.tag.number', label: 'Tag Number', type: 'uint8', values: TAG_NAMES },
  { name: 'wlan.tag.length', label: 'Tag length', type: 'uint32' },
  { name: 'wlan.tag.data', label: 'Tag Data', type: 'bytes' },
  { name: 'wlan.ssid', label: 'SSID', type: 'bytes' },
  { name: 'wlan.supported_rates', label: 'Supported Rates', type: 'uint8', base: 'hex', values: RATES },
  { name: 'wlan.extended_supported_rates', label: 'Extended Supported Rates', type: 'uint8', base: 'hex', values: RATES },
  { name: 'wlan.ds.current_channel', label: 'Current Channel', type: 'uint8' },
  { name: 'wlan.tim.dtim_count', label: 'DTIM count', type: 'uint8' },
  { name: 'wlan.tim.dtim_period', label: 'DTIM period', type: 'uint8' },
  { name: 'wlan.tim.bmapctl', label: 'Bitmap control', type: 'uint8', base: 'hex' },
  { name: 'wlan.tim.bmapctl.multicast', label: 'Multicast', type: 'boolean', mask: 0x01 },
  { name: 'wlan.tim.bmapctl.offset', label: 'Bitmap Offset', type: 'uint8', base: 'hex', mask: 0xfe },
  { name: 'wlan.tim.partial_virtual_bitmap', label: 'Partial Virtual Bitmap', type: 'bytes' },
  { name: 'wlan.tim.aid', label: 'Association ID', type: 'uint8', base: 'hex' },
  { name: 'wlan.tag.challenge_text', label: 'Challenge Text', type: 'bytes' },
  { name: 'wlan.erp_info', label: 'ERP Information', type: 'uint8', base: 'hex' },
  { name: 'wlan.erp_info.erp_present', label: 'Non ERP Present', type: 'boolean', mask: 0x01, tf: SET },
  { name: 'wlan.erp_info.use_protection', label: 'Use Protection', type: 'boolean', mask: 0x02, tf: SET },
  { name: 'wlan.erp_info.barker_preamble_mode', label: 'Barker Preamble Mode', type: 'boolean', mask: 0x04, tf: SET },
  { name: 'wlan.erp_info.reserved', label: 'Reserved', type: 'uint8', base: 'hex', mask: 0xf8 },
  { name: 'wlan.country_info.code', label: 'Code', type: 'string' },
  { name: 'wlan.country_info.environment', label: 'Environment', type: 'uint8', values: COUNTRY_ENVIRONMENTS },
  { name: 'wlan.country_info.fnm', label: 'Country Info', type: 'none' },
  { name: 'wlan.country_info.fnm.fcn', label: 'First Channel Number', type: 'uint8' },
  { name: 'wlan.country_info.fnm.nc', label: 'Number of Channels', type: 'uint8' },
  { name: 'wlan.country_info.fnm.mtpl', label: 'Maximum Transmit Power Level', type: 'int8', unit: ' dBm' },
  { name: 'wlan.country_info.rrc', label: 'Country Info', type: 'none' },
  { name: 'wlan.country_info.rrc.oei', label: 'Operating Extension Identifier', type: 'uint8' },
  { name: 'wlan.country_info.rrc.oc', label: 'Operating Class', type: 'uint8' },
  { name: 'wlan.country_info.rrc.cc', label: 'Coverage Class', type: 'uint8' },
  { name: 'wlan.country_info.padding', label: 'Padding', type: 'bytes' },
  { name: 'wlan.powercon.local', label: 'Local Power Constraint', type: 'uint8' },
  { name: 'wlan.rsn.version', label: 'RSN Version', type: 'uint16' },
  ...suiteFields('wlan.rsn.gcs', 'Group Cipher Suite', CIPHER_SUITES),
  { name: 'wlan.rsn.pcs.count', label: 'Pairwise Cipher Suite Count', type: 'uint16' },
  { name: 'wlan.rsn.pcs.list', label: 'Pairwise Cipher Suite List', type: 'none' },
  ...suiteFields('wlan.rsn.pcs', 'Pairwise Cipher Suite', CIPHER_SUITES),
  { name: 'wlan.rsn.akms.count', label: 'Auth Key Management (AKM) Suite Count', type: 'uint16' },
  { name: 'wlan.rsn.akms.list', label: 'Auth Key Management (AKM) List', type: 'none' },
  ...suiteFields('wlan.rsn.akms', 'Auth Key Management (AKM)', AKM_SUITES, 'Auth Key Management (AKM) Suite'),
  { name: 'wlan.rsn.capabilities', label: 'RSN Capabilities', type: 'uint16', base: 'hex' },
  { name: 'wlan.rsn.capabilities.preauth', label: 'RSN Pre-Auth capabilities', type: 'boolean', mask: 0x0001, tf: ['Transmitter supports pre-authentication', 'Transmitter does not support pre-authentication'] },
  { name: 'wlan.rsn.capabilities.no_pairwise', label: 'RSN No Pairwise capabilities', type: 'boolean', mask: 0x0002, tf: ['Transmitter cannot support WEP default key 0 simultaneously with Pairwise key', 'Transmitter can support WEP default key 0 simultaneously with Pairwise key'] },
  { name: 'wlan.rsn.capabilities.ptksa_replay_counter', label: 'RSN PTKSA Replay Counter capabilities', type: 'uint16', base: 'hex', mask: 0x000c, values: REPLAY_COUNTERS },
  { name: 'wlan.rsn.capabilities.gtksa_replay_counter', label: 'RSN GTKSA Replay Counter capabilities', type: 'uint16', base: 'hex', mask: 0x0030, values: REPLAY_COUNTERS },
  { name: 'wlan.rsn.capabilities.mfpr', label: 'Management Frame Protection Required', type: 'boolean', mask: 0x0040 },
  { name: 'wlan.rsn.capabilities.mfpc', label: 'Management Frame Protection Capable', type: 'boolean', mask: 0x0080 },
  { name: 'wlan.rsn.capabilities.jmr', label: 'Joint Multi-band RSNA', type: 'boolean', mask: 0x0100 },
  { name: 'wlan.rsn.capabilities.peerkey', label: 'PeerKey Enabled', type: 'boolean', mask: 0x0200 },
  { name: 'wlan.rsn.capabilities.extended_key_id_iaf', label: 'Extended Key ID for Individually Addressed Frames', type: 'boolean', mask: 0x2000, tf: ['Supported', 'Not supported'] },
  { name: 'wlan.rsn.pmkid.count', label: 'PMKID Count', type: 'uint16' },
  { name: 'wlan.rsn.pmkid.list', label: 'PMKID List', type: 'none' },
  { name: 'wlan.pmkid.akms', label: 'PMKID', type: 'bytes' },
  ...suiteFields('wlan.rsn.gmcs', 'Group Management Cipher Suite', CIPHER_SUITES),
] as const);

/**
 * A cipher or AKM suite's fields: the suite (OUI and type as one number, shown as text), its OUI
 * and its type (named for the IEEE 802.11 OUI).
 */
function suiteFields<N extends string>(name: N, label: string, types: Readonly<Record<number, string>>, suiteLabel = label) {
  return [
    { name, label: suiteLabel, type: 'uint32' },
    { name: `${name}.oui`, label: `${label} OUI`, type: 'uint24' },
    { name: `${name}.type`, label: `${label} type`, type: 'uint8', values: types },
  ] as const;
}

const F = wlanMgtFields;
type Field = (typeof F)[keyof typeof F];

/** The capability bits, in tshark's order. */
const CAPABILITY_BITS = [
  'ess', 'ibss', 'reserved1', 'reserved2', 'privacy', 'short_preamble', 'reserved3', 'reserved4', 'spec_man', 'qos',
  'short_slot_time', 'apsd', 'radio_measurement', 'epd', 'reserved5', 'reserved6',
] as const;

/** A fixed parameter: how many bytes, and how it shows. */
type Fixed = 'timestamp' | 'interval' | 'capabilities' | 'listen' | 'current_ap' | 'status' | 'aid' | 'reason' | 'auth_alg' | 'auth_seq';
const FIXED_LENGTH: Readonly<Record<Fixed, number>> = {
  timestamp: 8, interval: 2, capabilities: 2, listen: 2, current_ap: 6, status: 2, aid: 2, reason: 2, auth_alg: 2, auth_seq: 2,
};

/** The fixed parameters of each management subtype this decodes (Action, 13, is not). */
const FIXED_BY_SUBTYPE: Readonly<Record<number, readonly Fixed[]>> = {
  0x0: ['capabilities', 'listen'],
  0x1: ['capabilities', 'status', 'aid'],
  0x2: ['capabilities', 'listen', 'current_ap'],
  0x3: ['capabilities', 'status', 'aid'],
  0x4: [],
  0x5: ['timestamp', 'interval', 'capabilities'],
  0x8: ['timestamp', 'interval', 'capabilities'],
  0x9: [],
  0xa: ['reason'],
  0xb: ['auth_alg', 'auth_seq', 'status'],
  0xc: ['reason'],
};

/** The management subtypes whose bodies this decodes (wlan.ts hands them over by subtype). */
export const DECODED_MANAGEMENT_SUBTYPES: readonly number[] = Object.keys(FIXED_BY_SUBTYPE).map(Number);

function dissectManagement(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const subtype = ctx.scratch['wlan.mgt.subtype'] as number;
  const fixed = FIXED_BY_SUBTYPE[subtype] ?? [];
  let o = 0;
  if (fixed.length) {
    const size = fixed.reduce((n, f) => n + FIXED_LENGTH[f], 0);
    const all = ctx.add(node, F['wlan.fixed.all'], tvb, 0, size, null, `Fixed parameters (${size} bytes)`);
    for (const f of fixed) {
      addFixed(tvb, ctx, all, f, o);
      o += FIXED_LENGTH[f];
    }
  }
  const rest = tvb.reportedLength - o;
  if (rest <= 0) return;
  const tagged = ctx.add(node, F['wlan.tagged.all'], tvb, o, rest, null, `Tagged parameters (${rest} bytes)`);
  while (o + 2 <= tvb.reportedLength) {
    const len = tvb.u8(o + 1);
    addTag(tvb, ctx, tagged, o, tvb.u8(o), len);
    o += 2 + len;
  }
}

function addFixed(tvb: Tvb, ctx: PacketContext, parent: FieldNode, f: Fixed, o: number): void {
  switch (f) {
    case 'timestamp':
      ctx.add(parent, F['wlan.fixed.timestamp'], tvb, o, 8, (BigInt(tvb.u32le(o + 4)) << 32n) | BigInt(tvb.u32le(o)));
      return;
    case 'interval': {
      // In time units of 1024 µs.
      const tu = tvb.u16le(o);
      ctx.add(parent, F['wlan.fixed.beacon'], tvb, o, 2, tu, () => `Beacon Interval: ${((tu * 1024) / 1e6).toFixed(6)} [Seconds]`);
      ctx.info += `, BI=${tu}`;
      return;
    }
    case 'capabilities': {
      const v = tvb.u16le(o);
      const caps = ctx.add(parent, F['wlan.fixed.capabilities'], tvb, o, 2, v);
      for (const bit of CAPABILITY_BITS) {
        const field: Field = F[`wlan.fixed.capabilities.${bit}`];
        const set = (v & field.mask!) !== 0;
        ctx.add(caps, field, tvb, o, 2, field.type === 'boolean' ? set : set ? 1 : 0);
      }
      return;
    }
    case 'listen':
      ctx.add(parent, F['wlan.fixed.listen_ival'], tvb, o, 2, tvb.u16le(o));
      return;
    case 'current_ap':
      ctx.add(parent, F['wlan.fixed.current_ap'], tvb, o, 6, tvb.slice(o, 6));
      return;
    case 'status':
      ctx.add(parent, F['wlan.fixed.status_code'], tvb, o, 2, tvb.u16le(o));
      return;
    case 'aid':
      ctx.add(parent, F['wlan.fixed.aid'], tvb, o, 2, tvb.u16le(o) & 0x3fff);
      return;
    case 'reason':
      ctx.add(parent, F['wlan.fixed.reason_code'], tvb, o, 2, tvb.u16le(o));
      return;
    case 'auth_alg':
      ctx.add(parent, F['wlan.fixed.auth.alg'], tvb, o, 2, tvb.u16le(o));
      return;
    case 'auth_seq':
      ctx.add(parent, F['wlan.fixed.auth_seq'], tvb, o, 2, tvb.u16le(o));
      return;
  }
}

/** One tagged element at `o`: its number and length, then what this decodes of it. */
function addTag(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, num: number, len: number): void {
  const name = TAG_NAMES[num] ?? 'Reserved';
  const tag = ctx.add(parent, F['wlan.tag'], tvb, o, 2 + len, null, `Tag: ${name}`);
  const numberNode = ctx.add(tag, F['wlan.tag.number'], tvb, o, 1, num);
  const lengthNode = ctx.add(tag, F['wlan.tag.length'], tvb, o + 1, 1, len);
  const at = o + 2;
  // An element that runs past the frame fails before its body is shown, as in tshark.
  if (!tvb.has(at, len)) tvb.slice(at, len);
  const summary = (s: string): void => {
    if (ctx.tree) ctx.setText(tag, `Tag: ${name}${s}`);
  };
  switch (num) {
    case 0: {
      const bytes = tvb.slice(at, len);
      const text = ssidText(bytes);
      ctx.add(tag, F['wlan.ssid'], tvb, at, len, bytes, () => `SSID: ${len === 0 ? '<MISSING>' : text}`);
      summary(`: ${len === 0 ? 'Wildcard SSID' : text}`);
      ctx.info += `, SSID=${len === 0 ? 'Wildcard (Broadcast)' : text}`;
      return;
    }
    case 1:
    case 50: {
      if (len === 0) {
        // tshark's element dissector gives up, and the element shows as one it has none for.
        ctx.addExpert(lengthNode, 'error', 'Malformed', 'Tag length 0 too short, must be greater than 0');
        summary(': Undecoded');
        ctx.addExpert(numberNode, 'note', 'Undecoded', `Dissector for 802.11 IE Tag (${name}) code not implemented, Contact Wireshark developers if you want this supported`);
        ctx.add(tag, F['wlan.tag.data'], tvb, at, 0, new Uint8Array(0));
        return;
      }
      const field = num === 1 ? F['wlan.supported_rates'] : F['wlan.extended_supported_rates'];
      const names: string[] = [];
      for (let i = 0; i < len; i++) {
        const r = tvb.u8(at + i);
        ctx.add(tag, field, tvb, at + i, 1, r);
        names.push(RATES[r] ?? `Unknown (0x${r.toString(16).padStart(2, '0')})`);
      }
      summary(` ${names.map((n) => `${n}, `).join('')}[Mbit/sec]`);
      return;
    }
    case 3: {
      if (len !== 1) {
        ctx.addExpert(lengthNode, 'error', 'Malformed', `Tag length ${len} wrong, must be = 1`);
        return;
      }
      const ch = tvb.u8(at);
      ctx.add(tag, F['wlan.ds.current_channel'], tvb, at, 1, ch);
      summary(`: Current Channel: ${ch}`);
      return;
    }
    case 5:
      addTim(tvb, ctx, tag, at, len);
      summary(`: DTIM ${tvb.u8(at)} of ${tvb.u8(at + 1)} bitmap`);
      return;
    case 7: {
      const code = String.fromCharCode(tvb.u8(at), tvb.u8(at + 1));
      const env = tvb.u8(at + 2);
      ctx.add(tag, F['wlan.country_info.code'], tvb, at, 2, code);
      ctx.add(tag, F['wlan.country_info.environment'], tvb, at + 2, 1, env);
      addCountryTriplets(tvb, ctx, tag, at + 3, at + len);
      summary(`: Country Code ${code}, Environment ${COUNTRY_ENVIRONMENTS[env] ?? 'Unknown'}`);
      return;
    }
    case 16:
      ctx.add(tag, F['wlan.tag.challenge_text'], tvb, at, len, tvb.slice(at, len));
      return;
    case 32: {
      const v = tvb.u8(at);
      ctx.add(tag, F['wlan.powercon.local'], tvb, at, 1, v);
      summary(`: ${v}`);
      return;
    }
    case 48:
      addRsn(tvb, ctx, tag, at, at + len);
      return;
    case 42:
    case 47: {
      const v = tvb.u8(at);
      const erp = ctx.add(tag, F['wlan.erp_info'], tvb, at, 1, v);
      ctx.add(erp, F['wlan.erp_info.erp_present'], tvb, at, 1, (v & 0x01) !== 0);
      ctx.add(erp, F['wlan.erp_info.use_protection'], tvb, at, 1, (v & 0x02) !== 0);
      ctx.add(erp, F['wlan.erp_info.barker_preamble_mode'], tvb, at, 1, (v & 0x04) !== 0);
      ctx.add(erp, F['wlan.erp_info.reserved'], tvb, at, 1, v >> 3);
      return;
    }
    default:
      if (len > 0) ctx.add(tag, F['wlan.tag.data'], tvb, at, len, tvb.slice(at, len));
  }
}

/** The Traffic Indication Map: DTIM count and period, bitmap control, and the AIDs with buffered frames. */
function addTim(tvb: Tvb, ctx: PacketContext, tag: FieldNode, at: number, len: number): void {
  ctx.add(tag, F['wlan.tim.dtim_count'], tvb, at, 1, tvb.u8(at));
  ctx.add(tag, F['wlan.tim.dtim_period'], tvb, at + 1, 1, tvb.u8(at + 1));
  const ctl = tvb.u8(at + 2);
  const c = ctx.add(tag, F['wlan.tim.bmapctl'], tvb, at + 2, 1, ctl);
  ctx.add(c, F['wlan.tim.bmapctl.multicast'], tvb, at + 2, 1, (ctl & 1) !== 0);
  ctx.add(c, F['wlan.tim.bmapctl.offset'], tvb, at + 2, 1, ctl >> 1);
  const n = len - 3;
  ctx.add(tag, F['wlan.tim.partial_virtual_bitmap'], tvb, at + 3, n, tvb.slice(at + 3, n));
  // Bit b of bitmap byte i is the station whose AID is 8 * (the offset's octet + i) + b.
  const base = (ctl & 0xfe) * 8;
  for (let i = 0; i < n; i++) {
    const byte = tvb.u8(at + 3 + i);
    for (let b = 0; b < 8; b++) if (byte & (1 << b)) ctx.add(tag, F['wlan.tim.aid'], tvb, at + 3 + i, 1, base + i * 8 + b);
  }
}

/**
 * The Country element's triplets: a channel range with its power limit, or (a first byte of 201
 * or more) an operating extension; an odd byte left at the end is padding.
 */
function addCountryTriplets(tvb: Tvb, ctx: PacketContext, tag: FieldNode, o: number, end: number): void {
  for (; o + 3 <= end; o += 3) {
    const a = tvb.u8(o), b = tvb.u8(o + 1), c = tvb.u8(o + 2);
    if (a >= 201) {
      const t = ctx.add(tag, F['wlan.country_info.rrc'], tvb, o, 3, null, `Country Info: Operating Extension Identifier: ${a}, Operating Class: ${b}, Coverage Class: ${c}`);
      ctx.add(t, F['wlan.country_info.rrc.oei'], tvb, o, 1, a);
      ctx.add(t, F['wlan.country_info.rrc.oc'], tvb, o + 1, 1, b);
      ctx.add(t, F['wlan.country_info.rrc.cc'], tvb, o + 2, 1, c);
    } else {
      const power = (c << 24) >> 24;
      const t = ctx.add(tag, F['wlan.country_info.fnm'], tvb, o, 3, null, `Country Info: First Channel Number: ${a}, Number of Channels: ${b}, Maximum Transmit Power Level: ${power} dBm`);
      ctx.add(t, F['wlan.country_info.fnm.fcn'], tvb, o, 1, a);
      ctx.add(t, F['wlan.country_info.fnm.nc'], tvb, o + 1, 1, b);
      ctx.add(t, F['wlan.country_info.fnm.mtpl'], tvb, o + 2, 1, power);
    }
  }
  if (o < end) ctx.add(tag, F['wlan.country_info.padding'], tvb, o, end - o, tvb.slice(o, end - o));
}

/** The RSN bits tshark shows, in its order (bits 10-12 and 14-15 are not shown). */
const RSN_CAPABILITY_BITS = ['preauth', 'no_pairwise', 'ptksa_replay_counter', 'gtksa_replay_counter', 'mfpr', 'mfpc', 'jmr', 'peerkey', 'extended_key_id_iaf'] as const;

/**
 * The RSN element (IEEE 802.11-2020 9.4.2.24): version, group cipher, pairwise ciphers, AKMs,
 * capabilities, PMKIDs and the group management cipher; each part after the version is optional
 * and ends the element where the element ends.
 */
function addRsn(tvb: Tvb, ctx: PacketContext, tag: FieldNode, at: number, end: number): void {
  ctx.add(tag, F['wlan.rsn.version'], tvb, at, 2, tvb.u16le(at));
  let o = at + 2;
  if (o + 4 > end) return;
  addSuite(tvb, ctx, tag, o, 'wlan.rsn.gcs', CIPHER_SUITES);
  o += 4;
  for (const [key, types] of [['wlan.rsn.pcs', CIPHER_SUITES], ['wlan.rsn.akms', AKM_SUITES]] as const) {
    if (o + 2 > end) return;
    const count = tvb.u16le(o);
    ctx.add(tag, F[`${key}.count`], tvb, o, 2, count);
    o += 2;
    const list = ctx.add(tag, F[`${key}.list`], tvb, o, 4 * count, null);
    const texts: string[] = [];
    for (let i = 0; i < count; i++, o += 4) texts.push(addSuite(tvb, ctx, list, o, key, types));
    if (ctx.tree) ctx.setText(list, `${F[`${key}.list`].label} ${texts.join(' ')}`);
  }
  if (o + 2 > end) return;
  const caps = tvb.u16le(o);
  const c = ctx.add(tag, F['wlan.rsn.capabilities'], tvb, o, 2, caps);
  for (const bit of RSN_CAPABILITY_BITS) {
    const field: Field = F[`wlan.rsn.capabilities.${bit}`];
    const shifted = (caps & field.mask!) / (field.mask! & -field.mask!);
    ctx.add(c, field, tvb, o, 2, field.type === 'boolean' ? shifted !== 0 : shifted);
  }
  o += 2;
  if (o + 2 > end) return;
  const pmkids = tvb.u16le(o);
  ctx.add(tag, F['wlan.rsn.pmkid.count'], tvb, o, 2, pmkids);
  o += 2;
  const list = ctx.add(tag, F['wlan.rsn.pmkid.list'], tvb, o, 16 * pmkids, null);
  for (let i = 0; i < pmkids; i++, o += 16) ctx.add(list, F['wlan.pmkid.akms'], tvb, o, 16, tvb.slice(o, 16));
  if (o + 4 > end) return;
  addSuite(tvb, ctx, tag, o, 'wlan.rsn.gmcs', CIPHER_SUITES);
}

/** The OUIs a suite names, as tshark shows them. */
const SUITE_OUIS: Readonly<Record<number, string>> = { 0x000fac: 'Ieee 802.11', 0x0050f2: 'Microsoft Corp.' };

/** One 4-byte suite (OUI, type) with its OUI and type items; returns its text. */
function addSuite(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, key: 'wlan.rsn.gcs' | 'wlan.rsn.pcs' | 'wlan.rsn.akms' | 'wlan.rsn.gmcs', types: Readonly<Record<number, string>>): string {
  const oui = (tvb.u8(o) << 16) | (tvb.u8(o + 1) << 8) | tvb.u8(o + 2);
  const type = tvb.u8(o + 3);
  const ouiHex = Array.from(tvb.slice(o, 3), (x) => x.toString(16).padStart(2, '0')).join(':');
  const ouiText = SUITE_OUIS[oui] ? `${ouiHex} (${SUITE_OUIS[oui]})` : ouiHex;
  // The type names are the IEEE 802.11 OUI's; another OUI's types show as numbers.
  const typeText = oui === 0x000fac ? (types[type] ?? `Unknown (${type})`) : String(type);
  const text = `${ouiText} ${typeText}`;
  const suite = ctx.add(parent, F[key], tvb, o, 4, oui * 256 + type, () => `${F[key].label}: ${text}`);
  ctx.add(suite, F[`${key}.oui`], tvb, o, 3, oui, () => `${F[`${key}.oui`].label}: ${ouiText}`);
  ctx.add(suite, F[`${key}.type`], tvb, o + 3, 1, type, oui === 0x000fac ? undefined : () => `${F[`${key}.type`].label}: ${type}`);
  return text;
}

/** An SSID as tshark shows it: quoted when it is printable text, else its bytes in hex. */
function ssidText(b: Uint8Array): string {
  let printable = true;
  for (const x of b) if (x < 0x20 || x > 0x7e) printable = false;
  if (printable) return `"${String.fromCharCode(...b)}"`;
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export const wlanMgtProtocol = defineProtocol('wlan.mgt', 'IEEE 802.11 Wireless Management', dissectManagement, '802.11');
for (const subtype of DECODED_MANAGEMENT_SUBTYPES) register('wlan.mgt', subtype, wlanMgtProtocol);
