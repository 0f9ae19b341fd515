// The radiotap header (LINKTYPE_IEEE802_11_RADIOTAP 127) as tshark 4.0 shows it
// (packet-ieee80211-radiotap.c with the radiotap iterator), then the "802.11 radio information"
// tree tshark puts between it and the 802.11 frame (packet-ieee80211-radio.c: PHY type, rates,
// signal, and the frame's airtime computed from the PHY data with its Assumption notes).
//
// Fields follow the radiotap.org rules: present words chain while bit 31 is set; bit 29 starts
// the next word in the radiotap namespace again, bit 30 in a vendor namespace (an OUI, a sub
// namespace and a length to skip); every field is aligned to its natural size from the start
// of the header.
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import { bitPicture } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const PRESENT: ReadonlyArray<readonly [bit: number, name: string, label: string]> = [
  [0, 'tsft', 'TSFT'], [1, 'flags', 'Flags'], [2, 'rate', 'Rate'], [3, 'channel', 'Channel'], [4, 'fhss', 'FHSS'],
  [5, 'dbm_antsignal', 'dBm Antenna Signal'], [6, 'dbm_antnoise', 'dBm Antenna Noise'], [7, 'lock_quality', 'Lock Quality'],
  [8, 'tx_attenuation', 'TX Attenuation'], [9, 'db_tx_attenuation', 'dB TX Attenuation'], [10, 'dbm_tx_power', 'dBm TX Power'],
  [11, 'antenna', 'Antenna'], [12, 'db_antsignal', 'dB Antenna Signal'], [13, 'db_antnoise', 'dB Antenna Noise'],
  [14, 'rxflags', 'RX flags'], [15, 'txflags', 'TX flags'], [17, 'data_retries', 'data retries'], [18, 'xchannel', 'Channel+'],
  [19, 'mcs', 'MCS information'], [20, 'ampdu', 'A-MPDU Status'], [21, 'vht', 'VHT information'], [22, 'timestamp', 'frame timestamp'],
  [23, 'he', 'HE information'], [24, 'he_mu', 'HE-MU information'], [26, '0_length.psdu', '0 Length PSDU'], [27, 'l_sig', 'L-SIG'],
  [28, 'tlv', 'TLVs'],
];
const PRESENT_ABSENT = ['Present', 'Absent'] as const;

const CHANNEL_FLAGS: ReadonlyArray<readonly [mask: number, name: string, label: string]> = [
  [0x0001, '700mhz', '700 MHz spectrum'], [0x0002, '800mhz', '800 MHz spectrum'], [0x0004, '900mhz', '900 MHz spectrum'],
  [0x0010, 'turbo', 'Turbo'], [0x0020, 'cck', 'Complementary Code Keying (CCK)'], [0x0040, 'ofdm', 'Orthogonal Frequency-Division Multiplexing (OFDM)'],
  [0x0080, '2ghz', '2 GHz spectrum'], [0x0100, '5ghz', '5 GHz spectrum'], [0x0200, 'passive', 'Passive'], [0x0400, 'dynamic', 'Dynamic CCK-OFDM'],
  [0x0800, 'gfsk', 'Gaussian Frequency Shift Keying (GFSK)'], [0x1000, 'gsm', 'GSM (900MHz)'], [0x2000, 'sturbo', 'Static Turbo'],
  [0x4000, 'half', 'Half Rate Channel (10MHz Channel Width)'], [0x8000, 'quarter', 'Quarter Rate Channel (5MHz Channel Width)'],
];
/** Channel+ has the same flags from Turbo on (Passive named radiotap.channel.xtype.passive there), then the HT ones. */
const XCHANNEL_FLAGS: ReadonlyArray<readonly [mask: number, name: string, label: string]> = [
  ...CHANNEL_FLAGS.slice(3).map(([m, n, l]) => [m, n === 'passive' ? 'radiotap.channel.xtype.passive' : `radiotap.xchannel.flags.${n}`, l] as const),
  [0x10000, 'radiotap.xchannel.flags.ht20', 'HT Channel (20MHz Channel Width)'],
  [0x20000, 'radiotap.xchannel.flags.ht40u', 'HT Channel (40MHz Channel Width with Extension channel above)'],
  [0x40000, 'radiotap.xchannel.flags.ht40d', 'HT Channel (40MHz Channel Width with Extension channel below)'],
];
const FLAG_BITS: ReadonlyArray<readonly [mask: number, name: string, label: string]> = [
  [0x01, 'cfp', 'CFP'], [0x02, 'preamble', 'Preamble'], [0x04, 'wep', 'WEP'], [0x08, 'frag', 'Fragmentation'],
  [0x10, 'fcs', 'FCS at end'], [0x20, 'datapad', 'Data Pad'], [0x40, 'badfcs', 'Bad FCS'], [0x80, 'shortgi', 'Short GI'],
];
const MCS_KNOWN: ReadonlyArray<readonly [mask: number, name: string, label: string]> = [
  [0x01, 'have_bw', 'Bandwidth'], [0x02, 'have_index', 'MCS index'], [0x04, 'have_gi', 'Guard interval'], [0x08, 'have_format', 'Format'],
  [0x10, 'have_fec', 'FEC type'], [0x20, 'have_stbc', 'STBC streams'], [0x40, 'have_ness', 'Number of extension spatial streams'],
];
const AMPDU_FLAGS: ReadonlyArray<readonly [mask: number, name: string, label: string]> = [
  [0x01, 'report_zerolen', 'Driver reports 0-length subframes in this A-MPDU'], [0x02, 'is_zerolen', 'This is a 0-length subframe'],
  [0x04, 'lastknown', 'Last subframe of this A-MPDU is known'], [0x08, 'last', 'This is the last subframe of this A-MPDU'],
  [0x10, 'delim_crc_error', 'Delimiter CRC error on this subframe'], [0x40, 'eof', 'EOF on this subframe'], [0x80, 'eof_known', 'EOF of this A-MPDU is known'],
];
/** VHT "known" bits. tshark 4.0 names the last three radiotap.mcs.have_bw/have_gid/have_paid, which the MCS field's bits also are (have_bw): here they are radiotap.vht.have_*, names being unique. */
const VHT_KNOWN: ReadonlyArray<readonly [mask: number, name: string, label: string, tf: readonly [string, string] | undefined]> = [
  [0x001, 'vht.have_stbc', 'STBC', PRESENT_ABSENT], [0x002, 'vht.have_txop_ps', 'TXOP_PS_NOT_ALLOWED', PRESENT_ABSENT],
  [0x004, 'vht.have_gi', 'Guard interval', PRESENT_ABSENT], [0x008, 'vht.have_sgi_nsym_da', 'SGI Nsym disambiguation', PRESENT_ABSENT],
  [0x010, 'vht.ldpc_extra', 'LDPC extra OFDM symbol', PRESENT_ABSENT], [0x020, 'vht.have_beamformed', 'Beamformed', PRESENT_ABSENT],
  [0x040, 'vht.have_bw', 'Bandwidth', PRESENT_ABSENT], [0x080, 'vht.have_gid', 'Group ID', PRESENT_ABSENT], [0x100, 'vht.have_paid', 'Partial AID', PRESENT_ABSENT],
];
const TX_FLAGS: ReadonlyArray<readonly [mask: number, name: string, label: string]> = [
  [0x01, 'fail', 'Fail'], [0x02, 'cts', 'CTS'], [0x04, 'rts', 'RTS/CTS'], [0x08, 'noack', 'No ACK'], [0x10, 'noseqno', 'Has Seqnum'], [0x20, 'order', 'Order'],
];

const VHT_BW: Record<number, string> = {
  0: '20 MHz', 1: '40 MHz', 2: '20 MHz lower', 3: '20 MHz upper', 4: '80 MHz', 5: '40 MHz lower', 6: '40 MHz upper', 7: '20 MHz, channel 1/4',
  8: '20 MHz, channel 2/4', 9: '20 MHz, channel 3/4', 10: '20 MHz, channel 4/4', 11: '160 MHz', 12: '80 MHz lower', 13: '80 MHz upper',
  14: '40 MHz, channel 1/4', 15: '40 MHz, channel 2/4', 16: '40 MHz, channel 3/4', 17: '40 MHz, channel 4/4', 18: '20 MHz, channel 1/8',
  19: '20 MHz, channel 2/8', 20: '20 MHz, channel 3/8', 21: '20 MHz, channel 4/8', 22: '20 MHz, channel 5/8', 23: '20 MHz, channel 6/8',
  24: '20 MHz, channel 7/8', 25: '20 MHz, channel 8/8',
};
/** packet-ieee80211-radio.c bandwidth_vals (the PHDR_802_11_BANDWIDTH_* codes, which radiotap's MCS and VHT values are). */
const RADIO_BW: Record<number, string> = {
  0: '20 MHz', 1: '40 MHz', 2: '20 MHz + 20 MHz lower', 3: '20 MHz + 20 MHz upper', 4: '80 MHz', 5: '40 MHz + 40 MHz lower',
  6: '40 MHz + 40 MHz upper', 7: '20 MHz, channel 1/4', 8: '20 MHz, channel 2/4', 9: '20 MHz, channel 3/4', 10: '20 MHz, channel 4/4',
  11: '160 MHz', 12: '80 MHz + 80 MHz lower', 13: '80 MHz + 80 MHz upper', 14: '40 MHz, channel 1/4', 15: '40 MHz, channel 2/4',
  16: '40 MHz, channel 3/4', 17: '40 MHz, channel 4/4', 18: '20 MHz, channel 1/8', 19: '20 MHz, channel 2/8', 20: '20 MHz, channel 3/8',
  21: '20 MHz, channel 4/8', 22: '20 MHz, channel 5/8', 23: '20 MHz, channel 6/8', 24: '20 MHz, channel 7/8', 25: '20 MHz, channel 8/8',
};
const PHY: Record<number, string> = {
  1: '802.11 FHSS', 2: '802.11 IR', 3: '802.11 DSSS', 4: '802.11b (HR/DSSS)', 5: '802.11a (OFDM)', 6: '802.11g (ERP)', 7: '802.11n (HT)',
  8: '802.11ac (VHT)', 9: '802.11ad (DMG)', 10: '802.11ah (S1G)', 11: '802.11ax (HE)',
};
/** The Assumption notes on the duration, each its own expert field (ei_wlan_radio_assumed_*). */
const ASSUMED: ReadonlyArray<readonly [name: string, message: string]> = [
  ['short_preamble', 'No preamble length information was available, assuming short preamble.'],
  ['non_greenfield', 'No plcp type information was available, assuming non greenfield.'],
  ['no_stbc', 'No stbc information was available, assuming no stbc.'],
  ['no_extension_streams', 'No extension stream information was available, assuming no extension streams.'],
  ['bcc_fec', 'No fec type information was available, assuming bcc fec.'],
];
const PHY_FHSS = 1, PHY_DSSS = 3, PHY_11B = 4, PHY_11A = 5, PHY_11G = 6, PHY_11N = 7, PHY_11AC = 8, PHY_11AD = 9;

export const radiotapFields = defineFields([
  { name: 'radiotap.version', label: 'Header revision', type: 'uint8' },
  { name: 'radiotap.pad', label: 'Header pad', type: 'uint8' },
  { name: 'radiotap.length', label: 'Header length', type: 'uint16' },
  { name: 'radiotap.present', label: 'Present flags', type: 'none' },
  { name: 'radiotap.present.word', label: 'Present flags word', type: 'uint32', base: 'hex' },
  ...PRESENT.map(([bit, name, label]) => ({
    name: `radiotap.present.${name}`, label, type: 'boolean' as const, mask: 2 ** bit, tf: PRESENT_ABSENT,
  })),
  { name: 'radiotap.present.rtap_ns', label: 'Radiotap NS next', type: 'boolean', mask: 0x20000000 },
  { name: 'radiotap.present.vendor_ns', label: 'Vendor NS next', type: 'boolean', mask: 0x40000000 },
  { name: 'radiotap.present.ext', label: 'Ext', type: 'boolean', mask: 0x80000000, tf: PRESENT_ABSENT },
  { name: 'radiotap.mactime', label: 'MAC timestamp', type: 'uint64' },
  { name: 'radiotap.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  ...FLAG_BITS.map(([mask, name, label]) => ({
    name: `radiotap.flags.${name}`, label, type: 'boolean' as const, mask, tf: name === 'preamble' ? ['Short', 'Long'] as const : undefined,
  })),
  { name: 'radiotap.datarate', label: 'Data rate (Mb/s)', type: 'float' },
  { name: 'radiotap.channel.freq', label: 'Channel frequency', type: 'uint32' },
  { name: 'radiotap.channel.flags', label: 'Channel flags', type: 'uint16', base: 'hex' },
  ...CHANNEL_FLAGS.map(([mask, name, label]) => ({ name: `radiotap.channel.flags.${name}`, label, type: 'boolean' as const, mask })),
  { name: 'radiotap.fhss.hopset', label: 'FHSS Hop Set', type: 'uint8' },
  { name: 'radiotap.fhss.pattern', label: 'FHSS Pattern', type: 'uint8' },
  { name: 'radiotap.dbm_antsignal', label: 'Antenna signal', type: 'int8', unit: ' dBm' },
  { name: 'radiotap.dbm_antnoise', label: 'Antenna noise', type: 'int8', unit: ' dBm' },
  { name: 'radiotap.quality', label: 'Signal Quality', type: 'uint16' },
  { name: 'radiotap.txattenuation', label: 'TX attenuation', type: 'uint16' },
  { name: 'radiotap.db_txattenuation', label: 'dB TX attenuation', type: 'uint16', unit: ' dB' },
  { name: 'radiotap.txpower', label: 'Transmit power', type: 'int8', unit: ' dBm' },
  { name: 'radiotap.antenna', label: 'Antenna', type: 'uint32' },
  { name: 'radiotap.db_antsignal', label: 'dB antenna signal', type: 'uint8', unit: ' dB' },
  { name: 'radiotap.db_antnoise', label: 'dB antenna noise', type: 'uint8', unit: ' dB' },
  { name: 'radiotap.rxflags', label: 'RX flags', type: 'uint16', base: 'hex' },
  { name: 'radiotap.rxflags.badplcp', label: 'Bad PLCP', type: 'boolean', mask: 0x0002 },
  { name: 'radiotap.txflags', label: 'TX flags', type: 'uint16', base: 'hex' },
  // tshark 4.0 names the TX flag bits radiotap.rxflags.* (sic).
  ...TX_FLAGS.map(([mask, name, label]) => ({ name: `radiotap.rxflags.${name}`, label, type: 'boolean' as const, mask })),
  { name: 'radiotap.data_retries', label: 'data retries', type: 'uint8' },
  { name: 'radiotap.xchannel.channel', label: 'Channel number', type: 'uint32' },
  { name: 'radiotap.xchannel.freq', label: 'Channel frequency', type: 'uint32' },
  { name: 'radiotap.xchannel.flags', label: 'Channel flags', type: 'uint32', base: 'hex' },
  ...XCHANNEL_FLAGS.map(([mask, name, label]) => ({ name, label, type: 'boolean' as const, mask })),
  { name: 'radiotap.mcs', label: 'MCS information', type: 'none' },
  { name: 'radiotap.mcs.known', label: 'Known MCS information', type: 'uint8', base: 'hex' },
  ...MCS_KNOWN.map(([mask, name, label]) => ({ name: `radiotap.mcs.${name}`, label, type: 'boolean' as const, mask, tf: PRESENT_ABSENT })),
  { name: 'radiotap.mcs.ness_bit1', label: 'Number of extension spatial streams bit 1', type: 'uint8', mask: 0x80 },
  { name: 'radiotap.mcs.bw', label: 'Bandwidth', type: 'uint8', mask: 0x03, values: { 0: '20 MHz', 1: '40 MHz', 2: '20 MHz lower', 3: '20 MHz upper' } },
  { name: 'radiotap.mcs.gi', label: 'Guard interval', type: 'uint8', mask: 0x04, values: { 0: 'long', 1: 'short' } },
  { name: 'radiotap.mcs.format', label: 'Format', type: 'uint8', mask: 0x08, values: { 0: 'mixed', 1: 'greenfield' } },
  { name: 'radiotap.mcs.fec', label: 'FEC type', type: 'uint8', mask: 0x10, values: { 0: 'BCC', 1: 'LDPC' } },
  { name: 'radiotap.mcs.stbc', label: 'STBC streams', type: 'uint8', mask: 0x60 },
  { name: 'radiotap.mcs.ness_bit0', label: 'Number of extension spatial streams bit 0', type: 'uint8', mask: 0x80 },
  { name: 'radiotap.mcs.index', label: 'MCS index', type: 'uint8' },
  { name: 'radiotap.ampdu', label: 'A-MPDU status', type: 'none' },
  { name: 'radiotap.ampdu.reference', label: 'A-MPDU reference number', type: 'uint32' },
  { name: 'radiotap.ampdu.flags', label: 'A-MPDU flags', type: 'uint16', base: 'hex' },
  ...AMPDU_FLAGS.map(([mask, name, label]) => ({ name: `radiotap.ampdu.flags.${name}`, label, type: 'boolean' as const, mask })),
  { name: 'radiotap.ampdu.delim_crc', label: 'A-MPDU subframe delimiter CRC', type: 'uint8', base: 'hex' },
  { name: 'radiotap.vht', label: 'VHT information', type: 'none' },
  { name: 'radiotap.vht.known', label: 'Known VHT information', type: 'uint8', base: 'hex' },
  ...VHT_KNOWN.map(([mask, name, label, tf]) => ({ name: `radiotap.${name}`, label, type: 'boolean' as const, mask, tf })),
  { name: 'radiotap.vht.stbc', label: 'STBC', type: 'boolean', mask: 0x01, tf: ['On', 'Off'] },
  { name: 'radiotap.vht.txop_ps', label: 'TXOP_PS_NOT_ALLOWED', type: 'boolean', mask: 0x02 },
  { name: 'radiotap.vht.gi', label: 'Guard interval', type: 'uint8', mask: 0x04, values: { 0: 'long', 1: 'short' } },
  { name: 'radiotap.vht.sgi_nsym_da', label: 'SGI Nsym disambiguation', type: 'boolean', mask: 0x08 },
  { name: 'radiotap.vht.beamformed', label: 'Beamformed', type: 'boolean', mask: 0x20 },
  { name: 'radiotap.vht.bw', label: 'Bandwidth', type: 'uint8', values: VHT_BW },
  { name: 'radiotap.vht.user', label: 'User', type: 'none' },
  ...[0, 1, 2, 3].flatMap((u) => [
    { name: `radiotap.vht.mcs.${u}`, label: `MCS index ${u}`, type: 'uint8' as const, mask: 0xf0 },
    { name: `radiotap.vht.nss.${u}`, label: `Spatial streams ${u}`, type: 'uint8' as const, mask: 0x0f },
    { name: `radiotap.vht.nsts.${u}`, label: `Space-time streams ${u}`, type: 'uint8' as const },
    { name: `radiotap.vht.coding.${u}`, label: `Coding ${u}`, type: 'uint8' as const, mask: 1 << u, values: { 0: 'BCC', 1: 'LDPC' } },
    { name: `radiotap.vht.datarate.${u}`, label: `Data rate (Mb/s) ${u}`, type: 'float' as const },
  ]),
  { name: 'radiotap.vht.gid', label: 'Group Id', type: 'uint8' },
  { name: 'radiotap.vht.paid', label: 'Partial AID', type: 'uint16' },
  { name: 'radiotap.vendor_namespace', label: 'Vendor namespace', type: 'bytes' },
  { name: 'radiotap.vendor_oui', label: 'Vendor OUI', type: 'uint24' },
  { name: 'radiotap.vendor_subns', label: 'Vendor sub namespace', type: 'uint8' },
  { name: 'radiotap.vendor_data_len', label: 'Vendor data length', type: 'uint16' },
  { name: 'radiotap.vendor_data', label: 'Vendor data', type: 'none' },
  { name: 'radiotap.tlv.unknown_data', label: 'unknown TLV data', type: 'bytes' },
] as const);

export const wlanRadioFields = defineFields([
  { name: 'wlan_radio.phy', label: 'PHY type', type: 'uint32', values: PHY },
  { name: 'wlan_radio.fhss.hop_set', label: 'Hop set', type: 'uint8', base: 'hex' },
  { name: 'wlan_radio.fhss.hop_pattern', label: 'Hop pattern', type: 'uint8', base: 'hex' },
  { name: 'wlan_radio.11a.turbo_type', label: 'Turbo type', type: 'uint32', values: { 0: 'Non-turbo', 1: 'Turbo', 2: 'Dynamic turbo', 3: 'Static turbo' } },
  { name: 'wlan_radio.11g.mode', label: 'Proprietary mode', type: 'uint32', values: { 0: 'None', 1: 'Super G' } },
  { name: 'wlan_radio.11n.mcs_index', label: 'MCS index', type: 'uint32' },
  { name: 'wlan_radio.11n.bandwidth', label: 'Bandwidth', type: 'uint32', values: RADIO_BW },
  { name: 'wlan_radio.11n.short_gi', label: 'Short GI', type: 'boolean' },
  { name: 'wlan_radio.11n.greenfield', label: 'Greenfield', type: 'boolean' },
  { name: 'wlan_radio.11n.fec', label: 'FEC', type: 'uint32', values: { 0: 'BEC', 1: 'LDPC' } },
  { name: 'wlan_radio.11n.stbc_streams', label: 'Number of STBC streams', type: 'uint32' },
  { name: 'wlan_radio.11n.ness', label: 'Number of extension spatial streams', type: 'uint32' },
  { name: 'wlan_radio.11ac.stbc', label: 'STBC', type: 'boolean', tf: ['On', 'Off'] },
  { name: 'wlan_radio.11ac.txop_ps_not_allowed', label: 'TXOP_PS_NOT_ALLOWED', type: 'boolean' },
  { name: 'wlan_radio.11ac.short_gi', label: 'Short GI', type: 'boolean' },
  { name: 'wlan_radio.11ac.short_gi_nsym_disambig', label: 'Short GI Nsym disambiguation', type: 'boolean' },
  { name: 'wlan_radio.11ac.ldpc_extra_ofdm_symbol', label: 'LDPC extra OFDM symbol', type: 'boolean' },
  { name: 'wlan_radio.11ac.beamformed', label: 'Beamformed', type: 'boolean' },
  { name: 'wlan_radio.11ac.bandwidth', label: 'Bandwidth', type: 'uint32', values: RADIO_BW },
  { name: 'wlan_radio.11ac.user', label: 'User', type: 'none' },
  { name: 'wlan_radio.11ac.nsts', label: 'Space-time streams', type: 'uint32' },
  { name: 'wlan_radio.11ac.mcs', label: 'MCS index', type: 'uint32' },
  { name: 'wlan_radio.11ac.nss', label: 'Spatial streams', type: 'uint32' },
  { name: 'wlan_radio.11ac.fec', label: 'FEC', type: 'uint32', values: { 0: 'BEC', 1: 'LDPC' } },
  { name: 'wlan_radio.11ac.gid', label: 'Group Id', type: 'uint32' },
  { name: 'wlan_radio.11ac.paid', label: 'Partial AID', type: 'uint16' },
  { name: 'wlan_radio.data_rate', label: 'Data rate', type: 'float' },
  { name: 'wlan_radio.channel', label: 'Channel', type: 'uint32' },
  { name: 'wlan_radio.frequency', label: 'Frequency', type: 'uint16', unit: 'MHz' },
  { name: 'wlan_radio.short_preamble', label: 'Short preamble', type: 'boolean' },
  { name: 'wlan_radio.signal_db', label: 'Signal strength (dB)', type: 'uint8', unit: ' dB' },
  { name: 'wlan_radio.signal_dbm', label: 'Signal strength (dBm)', type: 'int8', unit: ' dBm' },
  { name: 'wlan_radio.noise_db', label: 'Noise level (dB)', type: 'uint8', unit: ' dB' },
  { name: 'wlan_radio.noise_dbm', label: 'Noise level (dBm)', type: 'int8', unit: ' dBm' },
  { name: 'wlan_radio.snr', label: 'Signal/noise ratio (dB)', type: 'int32', unit: ' dB' },
  { name: 'wlan_radio.timestamp', label: 'TSF timestamp', type: 'uint64' },
  { name: 'wlan_radio.last_part_of_an_ampdu', label: 'Last part of an A-MPDU', type: 'boolean', mask: 0x1 },
  { name: 'wlan_radio.a_mpdu_delim_crc_error', label: 'A-MPDU delimiter CRC error', type: 'boolean', mask: 0x2 },
  { name: 'wlan_radio.a_mpdu_aggregate_id', label: 'A-MPDU aggregate ID', type: 'uint32' },
  { name: 'wlan_radio.duration', label: 'Duration', type: 'uint32', unit: 'µs' },
  { name: 'wlan_radio.preamble', label: 'Preamble', type: 'uint32', unit: 'µs' },
  { name: 'wlan_radio.ifs', label: 'IFS', type: 'int64', unit: 'µs' },
  { name: 'wlan_radio.start_tsf', label: 'Start', type: 'uint64', unit: 'µs' },
  { name: 'wlan_radio.end_tsf', label: 'End', type: 'uint64', unit: 'µs' },
  ...ASSUMED.map(([name, label]) => ({ name: `wlan_radio.assumed.${name}`, label, type: 'none' as const })),
] as const);

const F = radiotapFields as Record<string, FieldDef>;
const R = wlanRadioFields;

/** Alignment and size of each radiotap-namespace field by bit (0: unknown; bit 18 is Channel+, 8 bytes as tshark reads it). */
const ALIGN_SIZE: ReadonlyArray<readonly [number, number]> = [
  [8, 8], [1, 1], [1, 1], [2, 4], [2, 2], [1, 1], [1, 1], [2, 2], [2, 2], [2, 2], [1, 1], [1, 1], [1, 1], [1, 1], [2, 2], [2, 2],
  [1, 1], [1, 1], [4, 8], [1, 3], [4, 8], [2, 12], [8, 12], [2, 12], [2, 6], [0, 0], [1, 1], [2, 4],
];

/** What the radiotap header says about the PHY (Wireshark's ieee_802_11_phdr). */
interface Phdr {
  phy: number;
  fcs?: boolean;
  /** The driver padded the 802.11 header to a multiple of 4 bytes (Flags: Data Pad). */
  datapad?: boolean;
  rate?: number; // in 500 kb/s
  freq?: number;
  channel?: number;
  signalDbm?: number; noiseDbm?: number; signalDb?: number; noiseDb?: number;
  tsf?: bigint;
  ampdu?: { id: number; flags: number };
  turbo?: number; gMode?: number; shortPreamble?: boolean;
  fhss?: [number, number];
  n: { mcs?: number; bw?: number; sgi?: boolean; gf?: boolean; fec?: number; stbc?: number; ness?: number };
  ac: { stbc?: boolean; txop?: boolean; sgi?: boolean; nsymDa?: boolean; ldpcExtra?: boolean; bf?: boolean; bw?: number; fec: number; mcs: number[]; nss: number[]; gid?: number; paid?: number };
}

/** Wireshark's ieee80211_mhz_to_chan (wsutil/802_11-utils.c). */
function mhzToChan(f: number): number {
  if (f >= 2412 && f <= 2472) return (f - 2412) / 5 + 1 | 0;
  if (f === 2484) return 14;
  if (f >= 5000 && f <= 5925) return (f - 5000) / 5 | 0;
  if (f >= 5950 && f <= 7125) return (f - 5950) / 5 | 0;
  if (f >= 4910 && f <= 4980) return (f - 4910) / 5 + 182 | 0;
  return -1;
}

function mhzToStr(f: number): string {
  const ch = mhzToChan(f);
  return ch < 0 ? String(f) : `${f} [${f <= 2484 ? 'BG' : 'A'} ${ch}]`;
}

/** %.1f of a C float, as tshark prints rates. */
function rate1(v: number): string {
  return Math.fround(v).toFixed(1);
}

/** A float field's value as -T fields prints it (%g with FLT_DIG digits). */
function floatValue(v: number): number {
  return Number(Math.fround(v).toPrecision(6));
}

/** A bit line: `....1... = Label: value` over `width` bits, for fields whose display width differs from their bytes. */
function bitLine(field: FieldDef, raw: number, width: number, shown: string): string {
  return `${bitPicture(raw, field.mask!, width)} = ${field.label}: ${shown}`;
}

function tfText(field: FieldDef, on: boolean): string {
  const [t, f] = field.tf ?? ['True', 'False'];
  return on ? t : f;
}

/** proto_tree_add_bitmask's header: the value, then the labels of the set booleans. */
function bitmaskHeader(label: string, hex: string, bits: ReadonlyArray<readonly [number, string, string]>, v: number): string {
  const set = bits.filter(([m]) => Math.floor(v / m) % 2 === 1).map(([, , l]) => l);
  return `${label}: ${hex}${set.length ? ', ' + set.join(', ') : ''}`;
}

const hexN = (v: number, digits: number): string => `0x${v.toString(16).padStart(digits, '0')}`;

/** 802.11n data bits per symbol (20 MHz) by MCS index (packet-ieee80211-radio.c). */
const HT_DBPS = [
  26, 52, 78, 104, 156, 208, 234, 260, 52, 104, 156, 208, 312, 416, 468, 520, 78, 156, 234, 312, 468, 624, 702, 780,
  104, 208, 312, 416, 624, 832, 936, 1040, 12, 156, 208, 260, 234, 312, 390, 208, 260, 260, 312, 364, 364, 416, 312, 390,
  390, 468, 546, 546, 624, 260, 312, 364, 312, 364, 416, 468, 416, 468, 520, 520, 572, 390, 468, 546, 468, 546, 624, 702,
  624, 702, 780, 780, 858,
];
const HT_STREAMS = [
  1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4,
  1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
];
const HT_NES = [
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2,
];
const htRate = (mcs: number, bw40: boolean, sgi: boolean): number => Math.fround(HT_DBPS[mcs]! * (bw40 ? 108 : 52) / 52.0 / (sgi ? 3.6 : 4.0));

/** VHT rates the radiotap tree shows, by MCS, bandwidth (20/40/80/160) and guard interval (packet-ieee80211-radiotap.c). */
const VHT_RATES: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [[6.5, 7.2], [13.5, 15.0], [29.3, 32.5], [58.5, 65.0]],
  [[13.0, 14.4], [27.0, 30.0], [58.5, 65.0], [117.0, 130.0]],
  [[19.5, 21.7], [40.5, 45.0], [87.8, 97.5], [175.5, 195.0]],
  [[26.0, 28.9], [54.0, 60.0], [117.0, 130.0], [234.0, 260.0]],
  [[39.0, 43.3], [81.0, 90.0], [175.5, 195.0], [351.0, 390.0]],
  [[52.0, 57.8], [108.0, 120.0], [234.0, 260.0], [468.0, 520.0]],
  [[58.5, 65.0], [121.5, 135.0], [263.3, 292.5], [526.5, 585.0]],
  [[65.0, 72.2], [135.0, 150.0], [292.5, 325.0], [585.0, 650.0]],
  [[78.0, 86.7], [162.0, 180.0], [351.0, 390.0], [702.0, 780.0]],
  [[86.7, 96.3], [180.0, 200.0], [390.0, 433.3], [780.0, 866.7]],
];
/** VHT data bits per symbol per 20 MHz (packet-ieee80211-radio.c), and data subcarriers per bandwidth. */
const VHT_DBPS = [26, 52, 78, 104, 156, 208, 234, 260, 312, Math.fround(1040 / 3.0)];
const VHT_SUBCARRIERS = [52, 108, 234, 468];
const VHT_MODULATION: ReadonlyArray<readonly [string, string]> = [
  ['BPSK', '1/2'], ['QPSK', '1/2'], ['QPSK', '3/4'], ['16-QAM', '1/2'], ['16-QAM', '3/4'], ['64-QAM', '2/3'], ['64-QAM', '3/4'], ['64-QAM', '5/6'], ['256-QAM', '3/4'], ['256-QAM', '5/6'],
];
const VHT_BW_INDEX = [0, 1, 0, 0, 2, 1, 1, 0, 0, 0, 0, 3, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
/** VHT MCS/bandwidth/NSS combinations 802.11ac does not allow: [mcs, bandwidth index, nss]. */
const VHT_INVALID = new Set(['6,2,3', '6,2,7', '9,0,1', '9,0,2', '9,0,4', '9,0,5', '9,0,7', '9,0,8', '9,2,6', '9,3,3']);

const AIRTIME_KEY = 'wlan_radio.airtime';
/** Per capture: the previous radio frame's end of transmission (for the IFS), and each frame's answer when frames are revisited. */
interface Airtime { prevEnd: bigint | null; seenAny: boolean; byFrame: Map<number, { ifs: bigint; start: bigint; end: bigint } | null> }

function dissectRadiotap(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'WLAN';
  const version = tvb.u8(0), len = tvb.u16le(2);
  if (ctx.tree) ctx.setText(node, `Radiotap Header v${version}, Length ${len}`);
  ctx.info = `Radiotap Capture v${version}, Length ${len}`;
  ctx.add(node, F['radiotap.version']!, tvb, 0, 1, version);
  ctx.add(node, F['radiotap.pad']!, tvb, 1, 1, tvb.u8(1));
  const lenNode = ctx.add(node, F['radiotap.length']!, tvb, 2, 2, len);
  ctx.setLength(node, len);
  if (len < 8) {
    ctx.addExpert(lenNode, 'error', 'malformed', 'The radiotap header length is less than 8 bytes');
    return;
  }
  tvb.check(0, len); // tshark copies the header out first: a cut header ends here
  const phdr: Phdr = { phy: 0, n: {}, ac: { fec: 0, mcs: [0, 0, 0, 0], nss: [0, 0, 0, 0] } };
  // The iterator's checks: version 0, and the present words inside the header.
  let words = 1;
  while (tvb.u32le(4 * words) & 0x80000000) {
    if (4 * words + 4 + 4 > len) { words = -1; break; }
    words++;
  }
  let rflags: number | undefined;
  if (version !== 0 || words < 0) {
    if (ctx.tree) ctx.setText(node, `Radiotap Header v${version}, Length ${len} (invalid)`);
  } else {
    rflags = dissectFields(tvb, ctx, node, phdr, len, words);
  }
  settlePhy(phdr, rflags);
  const body = tvb.sub(len);
  addRadioInfo(body, ctx, phdr);
  // The 802.11 layer shows the FCS that ends the frame when the Flags field says it is there.
  ctx.scratch['wlan.fcs'] = phdr.fcs === true;
  ctx.scratch['wlan.datapad'] = phdr.datapad === true;
  callProtocol(lookup('linktype', 105) ?? dataProtocol, body, ctx, null);
}

/** The present words' tree, then every field they announce; returns the Flags field's value when there is one. */
function dissectFields(tvb: Tvb, ctx: PacketContext, node: FieldNode, phdr: Phdr, len: number, words: number): number | undefined {
  const present = ctx.add(node, F['radiotap.present']!, tvb, 4, words * 4, null);
  let nsNext = true, offNext = 0;
  const wordNs: Array<{ rtap: boolean; base: number; vendorNext: boolean }> = [];
  for (let i = 0; i < words; i++) {
    const o = 4 + 4 * i, bmap = tvb.u32le(o);
    const rtap = nsNext, base = offNext;
    offNext += 32;
    const wn = ctx.add(present, F['radiotap.present.word']!, tvb, o, 4, bmap);
    if (bmap & 0x20000000) { nsNext = true; offNext = 0; }
    if (bmap & 0x40000000) nsNext = false;
    wordNs.push({ rtap, base, vendorNext: (bmap & 0x40000000) !== 0 });
    if ((bmap & 0x60000000) === 0x60000000) {
      ctx.addExpert(wn, 'error', 'malformed', `Both radiotap and vendor namespace specified in bitmask word ${i}`);
      if (ctx.tree) ctx.setText(node, `${node.text ?? ''} (malformed)`);
      return undefined;
    }
    if (rtap && base === 0) {
      for (const [bit, name] of PRESENT) ctx.add(wn, F[`radiotap.present.${name}`]!, tvb, o, 4, (bmap & 2 ** bit) !== 0);
    }
    ctx.add(wn, F['radiotap.present.rtap_ns']!, tvb, o, 4, (bmap & 0x20000000) !== 0);
    ctx.add(wn, F['radiotap.present.vendor_ns']!, tvb, o, 4, (bmap & 0x40000000) !== 0);
    ctx.add(wn, F['radiotap.present.ext']!, tvb, o, 4, (bmap & 0x80000000) !== 0);
  }
  // The fields, in bit order word by word, each aligned to its natural size.
  let off = 4 + 4 * words;
  let rflags: number | undefined;
  let skipUntil = -1; // a vendor namespace's data: skipped (no vendor dissectors)
  let inRtap = true;
  for (let i = 0; i < words; i++) {
    const bmap = tvb.u32le(4 + 4 * i);
    const ns = wordNs[i]!;
    inRtap = ns.rtap;
    if (!inRtap && skipUntil >= 0) { off = skipUntil; skipUntil = -1; continue; }
    for (let bit = 0; bit < 29; bit++) {
      if (!(bmap & 2 ** bit)) continue;
      if (!inRtap) continue;
      if (ns.base !== 0) return endFields(ctx, present, node, undefined);
      const [align, size] = ALIGN_SIZE[bit] ?? [0, 0];
      if (align === 0) return rflags;
      off = Math.ceil(off / align) * align;
      if (off + size > len) return endFields(ctx, present, node, rflags);
      const f = dissectField(tvb, ctx, node, phdr, bit, off);
      if (f !== undefined) rflags = f;
      off += size;
    }
    if (ns.vendorNext) {
      off = Math.ceil(off / 2) * 2;
      if (off + 6 > len) return endFields(ctx, present, node, rflags);
      const skip = tvb.u16le(off + 4);
      const oui = tvb.u24(off), subns = tvb.u8(off + 3);
      const ouiStr = [oui >> 16, (oui >> 8) & 0xff, oui & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':');
      const vn = ctx.add(node, F['radiotap.vendor_namespace']!, tvb, off, 6, tvb.slice(off, 6), `Vendor namespace: ${ouiStr}-${subns}`);
      ctx.add(vn, F['radiotap.vendor_oui']!, tvb, off, 3, oui, `Vendor OUI: ${ouiStr}`);
      ctx.add(vn, F['radiotap.vendor_subns']!, tvb, off + 3, 1, subns);
      ctx.add(vn, F['radiotap.vendor_data_len']!, tvb, off + 4, 2, skip);
      ctx.add(vn, F['radiotap.vendor_data']!, tvb, off + 6, Math.max(0, tvb.length - off - 6), null);
      skipUntil = off + 6 + skip;
      off += 6;
    }
  }
  return rflags;
}

/** The iterator ran past the header: tshark's note on the present flags and "(malformed)" on the header. */
function endFields(ctx: PacketContext, present: FieldNode, node: FieldNode, rflags: number | undefined): number | undefined {
  ctx.addExpert(present, 'error', 'malformed', 'Radiotap data goes past the end of the radiotap header');
  if (ctx.tree) ctx.setText(node, `${node.text ?? ''} (malformed)`);
  return rflags;
}

function dissectField(tvb: Tvb, ctx: PacketContext, node: FieldNode, phdr: Phdr, bit: number, o: number): number | undefined {
  switch (bit) {
    case 0: {
      const tsf = (BigInt(tvb.u32le(o + 4)) << 32n) | BigInt(tvb.u32le(o));
      phdr.tsf = tsf;
      ctx.add(node, F['radiotap.mactime']!, tvb, o, 8, tsf);
      return undefined;
    }
    case 1: {
      const v = tvb.u8(o);
      phdr.fcs = (v & 0x10) !== 0;
      phdr.datapad = (v & 0x20) !== 0;
      const fl = ctx.add(node, F['radiotap.flags']!, tvb, o, 1, v);
      for (const [mask, name] of FLAG_BITS) ctx.add(fl, F[`radiotap.flags.${name}`]!, tvb, o, 1, (v & mask) !== 0);
      return v;
    }
    case 2: {
      const r = tvb.u8(o);
      phdr.rate = r;
      ctx.add(node, F['radiotap.datarate']!, tvb, o, 1, floatValue(r / 2), `Data Rate: ${rate1(r / 2)} Mb/s`);
      return undefined;
    }
    case 3: {
      const freq = tvb.u16le(o), cf = tvb.u16le(o + 2);
      if (freq !== 0) {
        phdr.freq = freq;
        const ch = mhzToChan(freq);
        if (ch !== -1) phdr.channel = ch;
      }
      phdr.n = {};
      phdr.turbo = undefined; phdr.gMode = undefined;
      phyFromChannelFlags(phdr, cf, false);
      if (freq >= 57240 && freq <= 71000) phdr.phy = PHY_11AD;
      ctx.add(node, F['radiotap.channel.freq']!, tvb, o, 2, freq, `Channel frequency: ${mhzToStr(freq)}`);
      const fl = ctx.add(node, F['radiotap.channel.flags']!, tvb, o + 2, 2, cf, bitmaskHeader('Channel flags', hexN(cf, 4), CHANNEL_FLAGS, cf));
      for (const [mask, name] of CHANNEL_FLAGS) ctx.add(fl, F[`radiotap.channel.flags.${name}`]!, tvb, o + 2, 2, (cf & mask) !== 0);
      return undefined;
    }
    case 4: {
      phdr.phy = PHY_FHSS;
      phdr.fhss = [tvb.u8(o), tvb.u8(o + 1)];
      ctx.add(node, F['radiotap.fhss.hopset']!, tvb, o, 1, tvb.u8(o));
      ctx.add(node, F['radiotap.fhss.pattern']!, tvb, o + 1, 1, tvb.u8(o + 1));
      return undefined;
    }
    case 5: { const v = (tvb.u8(o) << 24) >> 24; phdr.signalDbm = v; ctx.add(node, F['radiotap.dbm_antsignal']!, tvb, o, 1, v); return undefined; }
    case 6: { const v = (tvb.u8(o) << 24) >> 24; phdr.noiseDbm = v; ctx.add(node, F['radiotap.dbm_antnoise']!, tvb, o, 1, v); return undefined; }
    case 7: ctx.add(node, F['radiotap.quality']!, tvb, o, 2, tvb.u16le(o)); return undefined;
    case 8: ctx.add(node, F['radiotap.txattenuation']!, tvb, o, 2, tvb.u16le(o)); return undefined;
    case 9: ctx.add(node, F['radiotap.db_txattenuation']!, tvb, o, 2, tvb.u16le(o)); return undefined;
    case 10: ctx.add(node, F['radiotap.txpower']!, tvb, o, 1, (tvb.u8(o) << 24) >> 24); return undefined;
    case 11: ctx.add(node, F['radiotap.antenna']!, tvb, o, 1, tvb.u8(o)); return undefined;
    case 12: phdr.signalDb = tvb.u8(o); ctx.add(node, F['radiotap.db_antsignal']!, tvb, o, 1, tvb.u8(o)); return undefined;
    case 13: phdr.noiseDb = tvb.u8(o); ctx.add(node, F['radiotap.db_antnoise']!, tvb, o, 1, tvb.u8(o)); return undefined;
    case 14: {
      const v = tvb.u16le(o), f = F['radiotap.rxflags.badplcp']!;
      const n = ctx.add(node, F['radiotap.rxflags']!, tvb, o, 2, v, bitmaskHeader('RX flags', hexN(v, 4), [[0x2, '', 'Bad PLCP']], v));
      ctx.add(n, f, tvb, o, 2, (v & 2) !== 0, () => bitLine(f, v, 24, tfText(f, (v & 2) !== 0)));
      return undefined;
    }
    case 15: {
      const v = tvb.u16le(o);
      const n = ctx.add(node, F['radiotap.txflags']!, tvb, o, 2, v, bitmaskHeader('TX flags', hexN(v, 4), TX_FLAGS, v));
      for (const [mask, name] of TX_FLAGS) {
        const f = F[`radiotap.rxflags.${name}`]!;
        ctx.add(n, f, tvb, o, 2, (v & mask) !== 0, () => bitLine(f, v, 24, tfText(f, (v & mask) !== 0)));
      }
      return undefined;
    }
    case 16: ctx.add(node, F['radiotap.tlv.unknown_data']!, tvb, o, 1, tvb.slice(o, 1)); return undefined;
    case 17: ctx.add(node, F['radiotap.data_retries']!, tvb, o, 1, tvb.u8(o)); return undefined;
    case 18: dissectXchannel(tvb, ctx, node, phdr, o); return undefined;
    case 19: dissectMcs(tvb, ctx, node, phdr, o); return undefined;
    case 20: {
      const id = tvb.u32le(o), fl = tvb.u16le(o + 4);
      phdr.ampdu = { id, flags: (fl & 0x08 ? 1 : 0) | (fl & 0x10 ? 2 : 0) };
      const a = ctx.add(node, F['radiotap.ampdu']!, tvb, o, 8, null);
      ctx.add(a, F['radiotap.ampdu.reference']!, tvb, o, 4, id);
      const fn = ctx.add(a, F['radiotap.ampdu.flags']!, tvb, o + 4, 2, fl);
      for (const [mask, name] of AMPDU_FLAGS) ctx.add(fn, F[`radiotap.ampdu.flags.${name}`]!, tvb, o + 4, 2, (fl & mask) !== 0);
      if (fl & 0x20) ctx.add(a, F['radiotap.ampdu.delim_crc']!, tvb, o + 6, 1, tvb.u8(o + 6));
      return undefined;
    }
    case 21: dissectVht(tvb, ctx, node, phdr, o); return undefined;
    default: return undefined;
  }
}

/** The PHY the channel flags name (packet-ieee80211-radiotap.c, IEEE80211_CHAN_ALLTURBO combinations). */
function phyFromChannelFlags(phdr: Phdr, cf: number, x: boolean): void {
  const ALLTURBO = 0x0010 | 0x0020 | 0x0040 | 0x0080 | 0x0100 | 0x0200 | 0x0400 | 0x0800 | 0x1000 | 0x2000 | (x ? 0x70000 : 0);
  const A = 0x0140, B = 0x00a0, PUREG = 0x00c0, G = 0x0480;
  switch (cf & ALLTURBO) {
    case 0x0880: phdr.phy = PHY_FHSS; break;
    case 0x0080: phdr.phy = PHY_DSSS; break;
    case A: phdr.phy = PHY_11A; phdr.turbo = 0; break;
    case B: phdr.phy = PHY_11B; break;
    case PUREG: case G: phdr.phy = PHY_11G; phdr.gMode = 0; break;
    case A | 0x10: phdr.phy = PHY_11A; phdr.turbo = 2; break;
    case PUREG | 0x10: phdr.phy = PHY_11G; phdr.gMode = 1; break;
    case A | 0x10 | 0x2000: if (x) { phdr.phy = PHY_11A; phdr.turbo = 3; } break;
    case A | 0x10000: case A | 0x20000: case A | 0x40000: case G | 0x10000: case G | 0x20000: case G | 0x40000:
      if (x) phdr.phy = PHY_11N;
      break;
  }
}

function dissectXchannel(tvb: Tvb, ctx: PacketContext, node: FieldNode, phdr: Phdr, o: number): void {
  const xf = tvb.u32le(o), freq = tvb.u16le(o + 4), ch = tvb.u8(o + 6);
  phyFromChannelFlags(phdr, xf, true);
  if (freq !== 0) {
    phdr.freq = freq;
    if (freq >= 57240 && freq <= 71000) phdr.phy = PHY_11AD;
  }
  phdr.channel = ch;
  ctx.add(node, F['radiotap.xchannel.channel']!, tvb, o + 6, 1, ch);
  ctx.add(node, F['radiotap.xchannel.freq']!, tvb, o + 4, 2, freq);
  const fl = ctx.add(node, F['radiotap.xchannel.flags']!, tvb, o, 4, xf, bitmaskHeader('Channel flags', hexN(xf, 8), XCHANNEL_FLAGS, xf));
  for (const [mask, name] of XCHANNEL_FLAGS) {
    const f = F[name]!;
    ctx.add(fl, f, tvb, o, 4, (xf & mask) !== 0, () => bitLine(f, xf, 24, tfText(f, (xf & mask) !== 0)));
  }
}

function dissectMcs(tvb: Tvb, ctx: PacketContext, node: FieldNode, phdr: Phdr, o: number): void {
  const known = tvb.u8(o), fl = tvb.u8(o + 1), mcs = tvb.u8(o + 2);
  if (known !== 0 && phdr.phy !== PHY_11AD) { phdr.phy = PHY_11N; phdr.n = {}; }
  const n = phdr.n;
  let can = true;
  if (known & 0x02) n.mcs = mcs; else can = false;
  if (known & 0x01) n.bw = fl & 3;
  if (known & 0x04) n.sgi = (fl & 0x04) !== 0; else can = false;
  if (known & 0x08) n.gf = (fl & 0x08) !== 0;
  if (known & 0x10) n.fec = fl & 0x10 ? 1 : 0;
  if (known & 0x20) n.stbc = (fl & 0x60) >> 5;
  if (known & 0x40) n.ness = ((known & 0x80) >> 6) | ((fl & 0x80) >> 7);
  const m = ctx.add(node, F['radiotap.mcs']!, tvb, o, 3, null);
  const bits = known & 0x40 ? [...MCS_KNOWN, [0x80, 'ness_bit1', 'Number of extension spatial streams bit 1'] as const] : MCS_KNOWN;
  const kn = ctx.add(m, F['radiotap.mcs.known']!, tvb, o, 1, known, bitmaskHeader('Known MCS information', hexN(known, 2), MCS_KNOWN, known));
  for (const [mask, name] of bits) {
    const f = F[`radiotap.mcs.${name}`]!;
    ctx.add(kn, f, tvb, o, 1, name === 'ness_bit1' ? (known & mask) >> 7 : (known & mask) !== 0);
  }
  let bw40 = false;
  if (known & 0x01) { bw40 = (fl & 3) === 1; ctx.add(m, F['radiotap.mcs.bw']!, tvb, o + 1, 1, fl & 3); } else can = false;
  if (known & 0x04) ctx.add(m, F['radiotap.mcs.gi']!, tvb, o + 1, 1, (fl >> 2) & 1);
  if (known & 0x08) ctx.add(m, F['radiotap.mcs.format']!, tvb, o + 1, 1, (fl >> 3) & 1);
  if (known & 0x10) ctx.add(m, F['radiotap.mcs.fec']!, tvb, o + 1, 1, (fl >> 4) & 1);
  if (known & 0x20) ctx.add(m, F['radiotap.mcs.stbc']!, tvb, o + 1, 1, (fl >> 5) & 3);
  if (known & 0x40) ctx.add(m, F['radiotap.mcs.ness_bit0']!, tvb, o + 1, 1, fl >> 7);
  if (known & 0x02) ctx.add(m, F['radiotap.mcs.index']!, tvb, o + 2, 1, mcs);
  if (can && mcs <= 76 && HT_DBPS[mcs] !== 0) {
    const r = htRate(mcs, bw40, (fl & 0x04) !== 0);
    ctx.addGenerated(node, F['radiotap.datarate']!, floatValue(r), `Data Rate: ${rate1(r)} Mb/s`);
  }
}

function dissectVht(tvb: Tvb, ctx: PacketContext, node: FieldNode, phdr: Phdr, o: number): void {
  const known = tvb.u16le(o), vf = tvb.u8(o + 2);
  if (known !== 0) phdr.phy = PHY_11AC;
  const ac = phdr.ac;
  let can = true;
  const v = ctx.add(node, F['radiotap.vht']!, tvb, o, 12, null);
  // tshark reads this FT_UINT8 over its two bytes in network order (ENC_NA): 0x44 0x00 shows as 0x4400.
  const knownShown = tvb.u16(o);
  const kn = ctx.add(v, F['radiotap.vht.known']!, tvb, o, 2, knownShown, `Known VHT information: ${hexN(knownShown, 2)}`);
  for (const [mask, name] of VHT_KNOWN) {
    const f = F[`radiotap.${name}`]!;
    ctx.add(kn, f, tvb, o, 2, (known & mask) !== 0);
  }
  if (known & 0x001) { ac.stbc = (vf & 1) !== 0; ctx.add(v, F['radiotap.vht.stbc']!, tvb, o + 2, 1, ac.stbc); }
  if (known & 0x002) { ac.txop = (vf & 2) !== 0; ctx.add(v, F['radiotap.vht.txop_ps']!, tvb, o + 2, 1, ac.txop); }
  let sgi = false;
  if (known & 0x004) { sgi = (vf & 4) !== 0; ac.sgi = sgi; ctx.add(v, F['radiotap.vht.gi']!, tvb, o + 2, 1, sgi ? 1 : 0); } else can = false;
  if (known & 0x008) {
    ac.nsymDa = (vf & 8) !== 0;
    const f = F['radiotap.vht.sgi_nsym_da']!;
    const invalid = (vf & 8) !== 0 && (known & 4) !== 0 && (vf & 4) === 0;
    ctx.add(v, f, tvb, o + 2, 1, ac.nsymDa, invalid ? () => `${bitPicture(vf, 0x08, 8)} = ${f.label}: True (invalid)` : undefined);
  }
  if (known & 0x010) {
    ac.ldpcExtra = (vf & 0x10) !== 0;
    const f = F['radiotap.vht.ldpc_extra']!;
    ctx.add(v, f, tvb, o + 2, 1, ac.ldpcExtra, () => `${bitPicture(vf, 0x10, 8)} = ${f.label}: ${ac.ldpcExtra ? 'True' : 'False'}`);
  }
  if (known & 0x020) { ac.bf = (vf & 0x20) !== 0; ctx.add(v, F['radiotap.vht.beamformed']!, tvb, o + 2, 1, ac.bf); }
  let bwIdx = 0;
  if (known & 0x040) {
    const bw = tvb.u8(o + 3) & 0x1f;
    ac.bw = bw;
    if (bw < VHT_BW_INDEX.length) bwIdx = VHT_BW_INDEX[bw]!; else can = false;
    ctx.add(v, F['radiotap.vht.bw']!, tvb, o + 3, 1, bw);
  } else can = false;
  ac.fec = tvb.u8(o + 8);
  for (let u = 0; u < 4; u++) {
    const mn = tvb.u8(o + 4 + u), nss = mn & 0x0f, mcs = mn >> 4;
    ac.mcs[u] = mcs; ac.nss[u] = nss;
    if (!nss) continue;
    phdr.phy = PHY_11AC;
    const un = ctx.add(v, F['radiotap.vht.user']!, tvb, o + 4, 5, null, `User ${u}: MCS ${mcs}`);
    const mf = F[`radiotap.vht.mcs.${u}`]!;
    const mod = VHT_MODULATION[mcs];
    ctx.add(un, mf, tvb, o + 4 + u, 1, mcs, () => `${bitPicture(mn, 0xf0, 8)} = ${mf.label}: ${mcs}${mod ? ` (${mod[0]} ${mod[1]})` : ' (invalid)'}`);
    ctx.add(un, F[`radiotap.vht.nss.${u}`]!, tvb, o + 4 + u, 1, nss);
    if (known & 0x001) {
      ctx.addGenerated(un, F[`radiotap.vht.nsts.${u}`]!, vf & 1 ? 2 * nss : nss);
    }
    ctx.add(un, F[`radiotap.vht.coding.${u}`]!, tvb, o + 8, 1, (ac.fec >> u) & 1);
    if (can && mcs <= 9 && nss <= 8) {
      const rate = Math.fround(Math.fround(VHT_RATES[mcs]![bwIdx]![sgi ? 1 : 0]) * nss);
      if (rate !== 0) {
        const df = F[`radiotap.vht.datarate.${u}`]!;
        const rn = ctx.addGenerated(un, df, floatValue(rate), `Data Rate: ${rate1(rate)} Mb/s`);
        if (VHT_INVALID.has(`${mcs},${bwIdx},${nss}`)) ctx.addExpert(rn, 'warn', 'protocol', 'Data rate invalid');
      }
    }
  }
  if (known & 0x080) { ac.gid = tvb.u8(o + 9); ctx.add(v, F['radiotap.vht.gid']!, tvb, o + 9, 1, ac.gid); }
  if (known & 0x100) { ac.paid = tvb.u16le(o + 10); ctx.add(v, F['radiotap.vht.paid']!, tvb, o + 10, 2, ac.paid); }
}

const isDsss = (r: number): boolean => r === 2 || r === 4 || r === 11 || r === 22 || r === 44 || r === 66;
const isOfdm = (r: number): boolean => [12, 18, 24, 36, 48, 72, 96, 108].includes(r);

/** After the fields: the data rate settles an unknown or 11g PHY, and the Flags field adds the 11b preamble or 11n guard interval. */
function settlePhy(phdr: Phdr, rflags: number | undefined): void {
  if (phdr.rate !== undefined) {
    if (phdr.phy === 0) {
      if (isDsss(phdr.rate)) phdr.phy = PHY_11B;
      else if (isOfdm(phdr.rate) && phdr.freq !== undefined) phdr.phy = phdr.freq <= 2484 ? PHY_11G : PHY_11A;
    } else if (phdr.phy === PHY_11G && isDsss(phdr.rate)) phdr.phy = PHY_11B;
  }
  if (phdr.phy === PHY_11B) phdr.shortPreamble = rflags === undefined ? undefined : (rflags & 0x02) !== 0;
  if (phdr.phy === PHY_11N && phdr.n.sgi === undefined && rflags !== undefined) phdr.n.sgi = (rflags & 0x80) !== 0;
}

const wlanRadioProtocol = defineProtocol('wlan_radio', '802.11 radio information', () => undefined, '802.11 Radio');

/** The "802.11 radio information" tree (packet-ieee80211-radio.c dissect_wlan_radio_phdr), on the 802.11 frame's bytes. */
function addRadioInfo(tvb: Tvb, ctx: PacketContext, phdr: Phdr): void {
  const root = ctx.add(null, wlanRadioProtocol.field, tvb, 0, 0, null);
  ctx.layers.push('wlan_radio');
  // Its notes are the radio information's (tshark's expert tap names their protocol so).
  const saved = ctx.currentProtoName;
  ctx.currentProtoName = wlanRadioProtocol.short;
  try {
    addRadioFields(tvb, ctx, phdr, root);
  } finally {
    ctx.currentProtoName = saved;
  }
}

function addRadioFields(tvb: Tvb, ctx: PacketContext, phdr: Phdr, root: FieldNode): void {
  const gen = (f: FieldDef, v: number | bigint | boolean, text?: string): FieldNode => ctx.add(root, f, tvb, 0, 0, v, text);
  let rate = 0, haveRate = false;
  if (phdr.rate !== undefined) { rate = Math.fround(phdr.rate * 0.5); haveRate = true; }
  let shortPre: boolean | undefined;
  const phy = phdr.phy;
  if (phy !== 0) gen(R['wlan_radio.phy'], phy);
  if (phy === PHY_FHSS && phdr.fhss) {
    gen(R['wlan_radio.fhss.hop_set'], phdr.fhss[0]);
    gen(R['wlan_radio.fhss.hop_pattern'], phdr.fhss[1]);
  } else if (phy === PHY_11B) {
    shortPre = phdr.shortPreamble;
    if (shortPre !== undefined) gen(R['wlan_radio.short_preamble'], shortPre);
  } else if (phy === PHY_11A) {
    if (phdr.turbo !== undefined) gen(R['wlan_radio.11a.turbo_type'], phdr.turbo);
  } else if (phy === PHY_11G) {
    if (phdr.gMode !== undefined) gen(R['wlan_radio.11g.mode'], phdr.gMode);
  } else if (phy === PHY_11N) {
    const n = phdr.n;
    if (n.mcs !== undefined && n.bw !== undefined && n.sgi !== undefined && n.mcs < 76) {
      rate = htRate(n.mcs, n.bw === 1, n.sgi);
      haveRate = true;
    }
    if (n.mcs !== undefined) gen(R['wlan_radio.11n.mcs_index'], n.mcs);
    if (n.bw !== undefined) gen(R['wlan_radio.11n.bandwidth'], n.bw);
    if (n.sgi !== undefined) gen(R['wlan_radio.11n.short_gi'], n.sgi);
    if (n.gf !== undefined) gen(R['wlan_radio.11n.greenfield'], n.gf);
    if (n.fec !== undefined) gen(R['wlan_radio.11n.fec'], n.fec);
    if (n.stbc !== undefined) gen(R['wlan_radio.11n.stbc_streams'], n.stbc);
    if (n.ness !== undefined) gen(R['wlan_radio.11n.ness'], n.ness);
  } else if (phy === PHY_11AC) {
    rate = addVhtRadio(tvb, ctx, root, phdr, rate);
  }
  if (haveRate) gen(R['wlan_radio.data_rate'], floatValue(rate), `Data rate: ${rate1(rate)} Mb/s`);
  if (phdr.channel !== undefined) gen(R['wlan_radio.channel'], phdr.channel);
  if (phdr.freq !== undefined) gen(R['wlan_radio.frequency'], phdr.freq);
  if (phdr.signalDb !== undefined) gen(R['wlan_radio.signal_db'], phdr.signalDb);
  if (phdr.signalDbm !== undefined) gen(R['wlan_radio.signal_dbm'], phdr.signalDbm);
  if (phdr.noiseDb !== undefined) gen(R['wlan_radio.noise_db'], phdr.noiseDb);
  if (phdr.noiseDbm !== undefined) gen(R['wlan_radio.noise_dbm'], phdr.noiseDbm);
  if (phdr.signalDbm !== undefined && phdr.noiseDbm !== undefined) gen(R['wlan_radio.snr'], phdr.signalDbm - phdr.noiseDbm);
  if (phdr.tsf !== undefined) gen(R['wlan_radio.timestamp'], phdr.tsf);
  if (phdr.ampdu) {
    const fl = phdr.ampdu.flags;
    const last = R['wlan_radio.last_part_of_an_ampdu'], crc = R['wlan_radio.a_mpdu_delim_crc_error'];
    gen(last, (fl & 1) !== 0, bitLine(last, fl, 32, (fl & 1) ? 'True' : 'False'));
    gen(crc, (fl & 2) !== 0, bitLine(crc, fl, 32, (fl & 2) ? 'True' : 'False'));
    gen(R['wlan_radio.a_mpdu_aggregate_id'], phdr.ampdu.id);
  }
  const state = ctx.capture.get<Airtime>(AIRTIME_KEY, () => ({ prevEnd: null, seenAny: false, byFrame: new Map() }));
  if (haveRate && rate > 0) addDuration(tvb, ctx, root, phdr, rate, shortPre, state);
  else rememberFrame(ctx, state, null);
}

function addVhtRadio(tvb: Tvb, ctx: PacketContext, root: FieldNode, phdr: Phdr, rate: number): number {
  const ac = phdr.ac;
  const gen = (parent: FieldNode, f: FieldDef, v: number | boolean, text?: string): FieldNode => ctx.add(parent, f, tvb, 0, 0, v, text);
  let can = ac.sgi !== undefined;
  if (ac.sgi !== undefined) gen(root, R['wlan_radio.11ac.short_gi'], ac.sgi);
  let bwIdx = 0;
  if (ac.bw !== undefined) {
    gen(root, R['wlan_radio.11ac.bandwidth'], ac.bw);
    if (ac.bw < VHT_BW_INDEX.length) bwIdx = VHT_BW_INDEX[ac.bw]!; else can = false;
  } else can = false;
  if (ac.stbc !== undefined) gen(root, R['wlan_radio.11ac.stbc'], ac.stbc);
  if (ac.txop !== undefined) gen(root, R['wlan_radio.11ac.txop_ps_not_allowed'], ac.txop);
  if (ac.nsymDa !== undefined) gen(root, R['wlan_radio.11ac.short_gi_nsym_disambig'], ac.nsymDa);
  if (ac.ldpcExtra !== undefined) gen(root, R['wlan_radio.11ac.ldpc_extra_ofdm_symbol'], ac.ldpcExtra);
  if (ac.bf !== undefined) gen(root, R['wlan_radio.11ac.beamformed'], ac.bf);
  for (let i = 0; i < 4; i++) {
    const nss = ac.nss[i]!, mcs = ac.mcs[i]!;
    if (nss === 0) continue;
    const un = ctx.add(root, R['wlan_radio.11ac.user'], tvb, 0, 0, null, `User ${i}: MCS ${mcs}`);
    const mod = VHT_MODULATION[mcs];
    gen(un, R['wlan_radio.11ac.mcs'], mcs, `MCS index: ${mcs}${mod ? ` (${mod[0]} ${mod[1]})` : ' (invalid)'}`);
    gen(un, R['wlan_radio.11ac.nss'], nss);
    if (ac.stbc !== undefined) gen(un, R['wlan_radio.11ac.nsts'], ac.stbc ? 2 * nss : nss);
    gen(un, R['wlan_radio.11ac.fec'], (ac.fec >> i) & 1);
    // tshark 4.0 takes the user's rate as the frame's (shown when a Rate field is there too) without an item of its own.
    if (can && mcs <= 9 && nss <= 8 && !VHT_INVALID.has(`${mcs},${bwIdx},${nss}`)) {
      rate = Math.fround(Math.fround(VHT_DBPS[mcs]! * VHT_SUBCARRIERS[bwIdx]! / (ac.sgi ? 3.6 : 4.0) / 52.0) * nss);
    }
  }
  if (ac.gid !== undefined) gen(root, R['wlan_radio.11ac.gid'], ac.gid);
  if (ac.paid !== undefined) gen(root, R['wlan_radio.11ac.paid'], ac.paid);
  return rate;
}

/** HT-LTF counts by space-time streams and by extension streams (802.11n-2009 table 20-11). */
const HT_DLTF = [1, 2, 4, 4], HT_ELTF = [0, 1, 2, 4];

/** The frame's airtime (PLCP preamble and data symbols) and its start/end on the TSF clock, as packet-ieee80211-radio.c computes them. */
function addDuration(tvb: Tvb, ctx: PacketContext, root: FieldNode, phdr: Phdr, rate: number, shortPre: boolean | undefined, state: Airtime): void {
  const len = tvb.reportedLength;
  const assumed: string[] = [];
  let phy = phdr.phy;
  if ((phy === PHY_11G || phy === 0) && [1, 2, 5.5, 11, 22, 33].includes(rate)) phy = PHY_11B;
  else if (phy === 0 && [6, 9, 12, 18, 24, 36, 48, 54].includes(rate)) phy = PHY_11A;
  let preamble = 0, duration: number | undefined;
  if (phy === PHY_11B) {
    if (shortPre === undefined) { assumed.push('short_preamble'); shortPre = true; }
    preamble = shortPre ? 72 + 24 : 144 + 48;
    duration = Math.ceil(preamble + len * 8 / rate);
  } else if (phy === PHY_11A || phy === PHY_11G) {
    preamble = 20;
    duration = preamble + Math.ceil((16 + 8 * len + 6) / (rate * 4)) * 4;
  } else if (phy === PHY_11N) {
    const n = phdr.n;
    if (n.mcs !== undefined && n.mcs <= 76 && n.bw !== undefined && n.sgi !== undefined) {
      preamble = n.gf === undefined ? 32 : n.gf ? 24 : 32;
      if (n.gf === undefined) assumed.push('non_greenfield');
      const stbc = n.stbc ?? 0;
      if (n.stbc === undefined) assumed.push('no_stbc');
      const ness = n.ness ?? 0;
      const nsts = HT_STREAMS[n.mcs]! + stbc;
      if (ness < 4 && nsts >= 1 && nsts <= 4) {
        if (n.ness === undefined) assumed.push('no_extension_streams');
        if (n.fec === undefined) assumed.push('bcc_fec');
        preamble += 4 * (HT_DLTF[nsts - 1]! + HT_ELTF[ness]!);
        const bits = 8 * len + 16 + HT_NES[n.mcs]! * 6;
        const mstbc = stbc ? 2 : 1;
        const per = HT_DBPS[n.mcs]! * (n.bw === 1 ? 2 : 1) * mstbc;
        const symbols = Math.ceil(bits / per) * mstbc;
        duration = preamble + Math.floor((symbols * (n.sgi ? 36 : 40) + 5) / 10);
      } else assumed.length = 0;
    }
  } else if (phy === PHY_11AC) {
    const ac = phdr.ac;
    if (ac.stbc === undefined) assumed.push('no_stbc');
    preamble = 32 + 4 * ac.nss[0]! * (ac.stbc !== undefined ? (ac.stbc ? 2 : 1) : 1);
    duration = preamble + Math.floor((8 * len + 16) / rate);
  }
  if (duration === undefined) { rememberFrame(ctx, state, null); return; }
  let times: { ifs: bigint; start: bigint; end: bigint } | null = null;
  if (phdr.tsf !== undefined) {
    const known = state.byFrame.get(ctx.frame.number);
    if (known !== undefined) times = known;
    else {
      const end = phdr.tsf, start = end - BigInt(duration);
      times = { ifs: ctx.frame.number > 1 && state.seenAny ? start - (state.prevEnd ?? 0n) : 0n, start, end };
    }
  }
  rememberFrame(ctx, state, times);
  const d = ctx.addGenerated(root, R['wlan_radio.duration'], duration);
  for (const name of assumed) {
    const f = (R as Record<string, FieldDef>)[`wlan_radio.assumed.${name}`]!;
    const a = ctx.addGenerated(d, f, null);
    ctx.addExpert(a, 'warn', 'assumption', f.label, true);
  }
  const sub = (f: FieldDef, v: number | bigint): void => { ctx.addGenerated(d, f, v); };
  if (preamble) sub(R['wlan_radio.preamble'], preamble);
  if (times) {
    if (times.ifs !== 0n) sub(R['wlan_radio.ifs'], times.ifs);
    if (times.start !== 0n) sub(R['wlan_radio.start_tsf'], times.start);
    if (times.end !== 0n) sub(R['wlan_radio.end_tsf'], times.end);
  }
}

/** The previous radio frame, for the next one's IFS: its end (0 when it had none), in frame order on the first pass. */
function rememberFrame(ctx: PacketContext, state: Airtime, times: { ifs: bigint; start: bigint; end: bigint } | null): void {
  if (state.byFrame.has(ctx.frame.number)) return;
  if (ctx.capture.revisits) state.byFrame.set(ctx.frame.number, times);
  state.seenAny = true;
  state.prevEnd = times ? times.end : 0n;
}

export const radiotapProtocol = defineProtocol('radiotap', 'Radiotap Header', dissectRadiotap, '802.11 Radiotap');
register('linktype', 127, radiotapProtocol);
