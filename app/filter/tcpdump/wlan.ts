// 802.11 in tcpdump expressions (libpcap 1.10 grammar.y and gencode.c): the frame-control names
// pcap-filter(7) takes (`type mgt subtype beacon`, `subtype qos-data`, `dir fromds`), and where
// an address is in an 802.11 header for each direction qualifier (`ether src`, `wlan ra`,
// `wlan addr3`), which depends on the frame's type and its To DS / From DS bits.

import { TcpdumpSyntaxError, type TdToken } from './lexer.js';

/** Type bits of frame-control byte 0 (IEEE80211_FC0_TYPE_MASK) and subtype bits (..._SUBTYPE_MASK). */
export const WLAN_TYPE_MASK = 0x0c;
export const WLAN_SUBTYPE_MASK = 0xf0;

const TYPES: Readonly<Record<string, number>> = { data: 0x08, mgt: 0x00, management: 0x00, ctl: 0x04, control: 0x04 };

/** Subtype names per type, in libpcap's search order (a bare `subtype NAME` takes the first type that has it). */
const SUBTYPES: ReadonlyArray<[number, Readonly<Record<string, number>>]> = [
  [0x00, {
    assocreq: 0x00, 'assoc-req': 0x00, assocresp: 0x10, 'assoc-resp': 0x10, reassocreq: 0x20, 'reassoc-req': 0x20,
    reassocresp: 0x30, 'reassoc-resp': 0x30, probereq: 0x40, 'probe-req': 0x40, proberesp: 0x50, 'probe-resp': 0x50,
    beacon: 0x80, atim: 0x90, disassoc: 0xa0, disassociation: 0xa0, auth: 0xb0, authentication: 0xb0, deauth: 0xc0,
    deauthentication: 0xc0,
  }],
  [0x04, { 'ps-poll': 0xa0, rts: 0xb0, cts: 0xc0, ack: 0xd0, 'cf-end': 0xe0, 'cf-end-ack': 0xf0 }],
  [0x08, {
    data: 0x00, 'data-cf-ack': 0x10, 'data-cf-poll': 0x20, 'data-cf-ack-poll': 0x30, null: 0x40, 'cf-ack': 0x50,
    'cf-poll': 0x60, 'cf-ack-poll': 0x70, 'qos-data': 0x80, 'qos-data-cf-ack': 0x90, 'qos-data-cf-poll': 0xa0,
    'qos-data-cf-ack-poll': 0xb0, qos: 0xc0, 'qos-cf-poll': 0xe0, 'qos-cf-ack-poll': 0xf0,
  }],
];

const DIRECTIONS: Readonly<Record<string, number>> = { nods: 0, tods: 1, fromds: 2, dstods: 3 };

const hex2 = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;
const fail = (message: string, t: TdToken): never => {
  throw new TcpdumpSyntaxError(message, t.start, t.end);
};
/** Names are matched without regard to case (libpcap's str2tok). */
const lookup = (table: Readonly<Record<string, number>>, name: string): number | undefined => table[name.toLowerCase()];

/** `type T`: the type bits of byte 0. */
export function wlanType(t: TdToken): number {
  if (t.kind === 'num') return t.num! & ~WLAN_TYPE_MASK ? fail(`invalid 802.11 type value ${hex2(t.num!)}`, t) : t.num!;
  const v = lookup(TYPES, t.value);
  return v === undefined ? fail(`unknown 802.11 type name "${t.value}"`, t) : v;
}

/** `type T subtype S`: the subtype bits, S named among T's subtypes. */
export function wlanSubtype(type: number, t: TdToken): number {
  if (t.kind === 'num') return t.num! & ~WLAN_SUBTYPE_MASK ? fail(`invalid 802.11 subtype value ${hex2(t.num!)}`, t) : t.num!;
  const names = SUBTYPES.find(([ty]) => ty === type)?.[1] ?? fail('unknown 802.11 type', t);
  const v = lookup(names, t.value);
  return v === undefined ? fail(`unknown 802.11 subtype name "${t.value}"`, t) : v;
}

/** `subtype S` alone: type and subtype bits of the first type that has a subtype named S. */
export function wlanTypeSubtype(t: TdToken): number {
  for (const [type, names] of SUBTYPES) {
    const v = lookup(names, t.value);
    if (v !== undefined) return type | v;
  }
  return fail('unknown 802.11 type name', t);
}

/** `dir D`: the To DS / From DS bits of byte 1 (a number is taken as it is, as libpcap does). */
export function wlanDir(t: TdToken): number {
  if (t.kind === 'num') return t.num!;
  const v = lookup(DIRECTIONS, t.value);
  return v === undefined ? fail('unknown 802.11 direction', t) : v;
}

/** The 802.11-only direction qualifiers (`wlan ra X`, `wlan addr2 X`). */
export type WlanDir = 'addr1' | 'addr2' | 'addr3' | 'addr4' | 'ra' | 'ta';

/** A piece of generated code: a boolean expression, or the constant when known while compiling. */
type Code = string | boolean;

/**
 * libpcap gen_wlanhostop: the test that the address for `dir` equals the one `at(offset)` tests,
 * with `fc0` and `fc1` the code that reads frame-control bytes 0 and 1. Source and destination
 * follow the frame's To DS / From DS bits for data frames and are addr2 / addr1 for management
 * frames; control frames have neither. Written as libpcap writes it, quirks included (it does
 * not count a 4-address frame's fourth address for `dst`, nor control frames for `ra`).
 */
export function wlanAddressTest(dir: 'src' | 'dst' | 'src or dst' | 'src and dst' | WlanDir, fc0: string, fc1: string, at: (offset: number) => string): Code {
  const data = `(${fc0} & 0x08)`;
  const notControl = `!(${fc0} & 0x04)`;
  const ctsOrAck = `((${fc0} & 0x0c) === 0x04 && ((${fc0} & 0xf0) === 0xc0 || (${fc0} & 0xf0) === 0xd0))`;
  // The source: addr2 unless a data frame comes from the DS (then addr3, or addr4 when it also goes to it).
  const src = `(${data} && (${fc1} & 0x02) ? ((${fc1} & 0x01) ? ${at(24)} : ${at(16)}) : ${at(10)})`;
  // The destination: addr1 unless a data frame goes to the DS (then addr3).
  const dst = `(${data} && (${fc1} & 0x01) ? ${at(16)} : ${at(4)})`;
  switch (dir) {
    case 'src': return `(${notControl} && ${src})`;
    case 'dst': return `(${notControl} && ${dst})`;
    case 'src or dst': return `(${notControl} && (${src} || ${dst}))`;
    case 'src and dst': return `(${notControl} && ${src} && ${dst})`;
    case 'addr1': return at(4);
    case 'addr2': return `(!${ctsOrAck} && ${at(10)})`;
    case 'addr3': return `((${fc0} & 0x0c) !== 0x04 && ${at(16)})`;
    case 'addr4': return `((${fc1} & 0x03) === 0x03 && ${at(24)})`;
    case 'ra': return `(${data} && ${at(4)})`;
    case 'ta': return `(${data} && !${ctsOrAck} && ${at(10)})`;
  }
}

/** The message libpcap gives for an 802.11 direction qualifier where there is no 802.11 header. */
export function wlanDirOnlyMessage(dir: WlanDir): string {
  return dir === 'ra' || dir === 'ta' ? `'${dir}' is only supported on 802.11 with 802.11 headers` : `'${dir}' and 'address${dir.slice(4)}' are only supported on 802.11 with 802.11 headers`;
}

/** The message for an 802.11 direction qualifier on something that is not a MAC address. */
export function wlanDirMisusedMessage(dir: WlanDir, what: 'addresses other than 802.11 MAC addresses' | 'ports' | 'port ranges'): string {
  const name = dir === 'ra' || dir === 'ta' ? `'${dir}' is not a valid qualifier` : `'${dir}' and 'address${dir.slice(4)}' are not valid qualifiers`;
  return `${name} for ${what}`;
}
