// NTP (RFC 5905) on udp/tcp 123. Info is tshark's "<version>, <mode>": "NTP Version 4,
// client", "NTP Version 3, symmetric active". Timestamps are NTP era-0 seconds since 1900
// with a 32-bit binary fraction; an all-zero timestamp is shown as NULL, as tshark does.
import { defineFields } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { formatIPv4, NTP_EPOCH_SEC } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { AbsTime, FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const LEAP: Record<number, string> = { 0: 'no warning', 1: 'last minute of the day has 61 seconds', 2: 'last minute of the day has 59 seconds', 3: 'unknown (clock unsynchronized)' };
const VERSIONS: Record<number, string> = { 0: 'reserved', 1: 'NTP Version 1', 2: 'NTP Version 2', 3: 'NTP Version 3', 4: 'NTP Version 4', 5: 'reserved', 6: 'reserved', 7: 'reserved' };
const MODES: Record<number, string> = {
  0: 'reserved', 1: 'symmetric active', 2: 'symmetric passive', 3: 'client', 4: 'server', 5: 'broadcast',
  6: 'reserved for NTP control message', 7: 'reserved for private use',
};

/** packet-ntp.c's primary_sources: RFC 5905's reference identifiers, then unofficial ones. */
const PRIMARY_SOURCES: Readonly<Record<string, string>> = {
  GOES: 'Geostationary Orbit Environment Satellite', 'GPS\0': 'Global Position System', 'GAL\0': 'Galileo Positioning System',
  'PPS\0': 'Generic pulse-per-second', IRIG: 'Inter-Range Instrumentation Group', WWVB: 'LF Radio WWVB Ft. Collins, CO 60 kHz',
  'DCF\0': 'LF Radio DCF77 Mainflingen, DE 77.5 kHz', 'HBG\0': 'LF Radio HBG Prangins, HB 75 kHz', 'MSF\0': 'LF Radio MSF Anthorn, UK 60 kHz',
  'JJY\0': 'LF Radio JJY Fukushima, JP 40 kHz, Saga, JP 60 kHz', LORC: 'MF Radio LORAN C station, 100 kHz', 'TDF\0': 'MF Radio Allouis, FR 162 kHz',
  'CHU\0': 'HF Radio CHU Ottawa, Ontario', 'WWV\0': 'HF Radio WWV Ft. Collins, CO', WWVH: 'HF Radio WWVH Kauai, HI', NIST: 'NIST telephone modem',
  ACTS: 'NIST telephone modem', USNO: 'USNO telephone modem', 'PTB\0': 'European telephone modem',
  LOCL: 'uncalibrated local clock', CESM: 'calibrated Cesium clock', RBDM: 'calibrated Rubidium clock', OMEG: 'OMEGA radionavigation system',
  'DCN\0': 'DCN routing protocol', 'TSP\0': 'TSP time protocol', 'DTS\0': 'Digital Time Service', ATOM: 'Atomic clock (calibrated)',
  'VLF\0': 'VLF radio (OMEGA,, etc.)', '1PPS': 'External 1 PPS input', FREE: '(Internal clock)', INIT: '(Initialization)',
  'ROA\0': 'Real Observatorio de la Armada',
};

export const ntpFields = defineFields([
  { name: 'ntp.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'ntp.flags.li', label: 'Leap Indicator', type: 'uint8', base: 'dec', mask: 0xc0, values: LEAP },
  { name: 'ntp.flags.vn', label: 'Version number', type: 'uint8', base: 'dec', mask: 0x38, values: VERSIONS },
  { name: 'ntp.flags.mode', label: 'Mode', type: 'uint8', base: 'dec', mask: 0x07, values: MODES },
  { name: 'ntp.stratum', label: 'Peer Clock Stratum', type: 'uint8', base: 'dec' },
  { name: 'ntp.ppoll', label: 'Peer Polling Interval', type: 'uint8', base: 'dec' },
  { name: 'ntp.precision', label: 'Peer Clock Precision', type: 'uint8', base: 'dec' },
  { name: 'ntp.rootdelay', label: 'Root Delay', type: 'uint32', base: 'dec' },
  { name: 'ntp.rootdispersion', label: 'Root Dispersion', type: 'uint32', base: 'dec' },
  { name: 'ntp.refid', label: 'Reference ID', type: 'bytes' },
  { name: 'ntp.reftime', label: 'Reference Timestamp', type: 'abstime', clock: 'ntp-utc' },
  { name: 'ntp.org', label: 'Origin Timestamp', type: 'abstime', clock: 'ntp-utc' },
  { name: 'ntp.rec', label: 'Receive Timestamp', type: 'abstime', clock: 'ntp-utc' },
  { name: 'ntp.xmt', label: 'Transmit Timestamp', type: 'abstime', clock: 'ntp-utc' },
  { name: 'ntp.keyid', label: 'Key ID', type: 'bytes' },
  { name: 'ntp.mac', label: 'Message Authentication Code', type: 'bytes' },
  { name: 'ntp.ext', label: 'Extension', type: 'none' },
  { name: 'ntp.ext.type', label: 'Field Type', type: 'uint16', base: 'hex' },
  { name: 'ntp.ext.length', label: 'Length', type: 'uint16', base: 'dec' },
  { name: 'ntp.ext.value', label: 'Value', type: 'bytes' },
] as const);

const F = ntpFields;

function stratumText(s: number): string {
  if (s === 0) return 'unspecified or invalid';
  if (s === 1) return 'primary reference';
  if (s <= 15) return 'secondary reference';
  if (s === 16) return 'unsynchronized';
  return 'reserved';
}

/** NTP short format (16.16) as "0.001373 seconds". */
function shortSeconds(v: number): string {
  return `${(v / 65536).toFixed(6)} seconds`;
}

/** A 64-bit NTP timestamp -> epoch time (ns, truncated like tshark), or null for "NULL". */
function ntpTime(tvb: Tvb, o: number): AbsTime | null {
  const sec = tvb.u32(o), frac = tvb.u32(o + 4);
  if (sec === 0 && frac === 0) return null;
  // Era 0 (from NTP_EPOCH_SEC, 1900) ends in 2036; RFC 4330 3: values with the top bit clear
  // are in era 1 (from 2036).
  const unix = NTP_EPOCH_SEC + ((sec & 0x80000000) ? sec : sec + 0x100000000);
  return { sec: unix, nsec: Math.floor((frac * 1e9) / 0x100000000) };
}

function dissectNtp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'NTP';
  const flags = tvb.u8(0);
  const li = flags >> 6, vn = (flags >> 3) & 7, mode = flags & 7;
  const summary = `${VERSIONS[vn]}, ${MODES[mode]}`;
  ctx.info = summary;
  ctx.setText(node, `Network Time Protocol (${summary})`);
  const fl = ctx.add(node, F['ntp.flags'], tvb, 0, 1, flags,
    `Flags: 0x${flags.toString(16).padStart(2, '0')}, Leap Indicator: ${LEAP[li]}, Version number: ${VERSIONS[vn]}, Mode: ${MODES[mode]}`);
  ctx.add(fl, F['ntp.flags.li'], tvb, 0, 1, li);
  ctx.add(fl, F['ntp.flags.vn'], tvb, 0, 1, vn);
  ctx.add(fl, F['ntp.flags.mode'], tvb, 0, 1, mode);
  if (mode === 6 || mode === 7) {
    // Control (mode 6) and private (mode 7) messages have their own layouts; not decoded yet.
    return;
  }
  const stratum = tvb.u8(1);
  ctx.add(node, F['ntp.stratum'], tvb, 1, 1, stratum, `Peer Clock Stratum: ${stratumText(stratum)} (${stratum})`);
  const poll = tvb.u8(2);
  ctx.add(node, F['ntp.ppoll'], tvb, 2, 1, poll,
    poll < 4 || poll > 17 ? `Peer Polling Interval: invalid (${poll})` : `Peer Polling Interval: ${poll} (${2 ** poll} seconds)`);
  const prec = tvb.u8(3);
  const precSigned = prec > 127 ? prec - 256 : prec;
  ctx.add(node, F['ntp.precision'], tvb, 3, 1, prec, `Peer Clock Precision: ${(2 ** precSigned).toFixed(6)} seconds`);
  const delay = tvb.u32(4);
  ctx.add(node, F['ntp.rootdelay'], tvb, 4, 4, delay, `Root Delay: ${shortSeconds(delay)}`);
  const disp = tvb.u32(8);
  ctx.add(node, F['ntp.rootdispersion'], tvb, 8, 4, disp, `Root Dispersion: ${shortSeconds(disp)}`);
  const refid = tvb.slice(12, 4);
  let refText: string;
  const refCode = String.fromCharCode(...refid);
  if (refid.every((b) => b === 0)) refText = 'NULL';
  // A primary server's (or a kiss code's) four ASCII bytes, NUL-padded; printed up to a NUL.
  else if (stratum <= 1) refText = PRIMARY_SOURCES[refCode] ?? `Unidentified reference source '${refCode.split('\0')[0]}'`;
  else refText = formatIPv4(tvb.u32(12));
  ctx.add(node, F['ntp.refid'], tvb, 12, 4, refid, `Reference ID: ${refText}`);
  const stamps = [F['ntp.reftime'], F['ntp.org'], F['ntp.rec'], F['ntp.xmt']] as const;
  for (let i = 0; i < 4; i++) {
    const o = 16 + i * 8;
    const t = ntpTime(tvb, o);
    const def = stamps[i]!;
    // The field's clock ('ntp-utc') prints the zero timestamp as NULL, in the tree and in -T fields.
    ctx.add(node, def, tvb, o, 8, t ?? { sec: NTP_EPOCH_SEC, nsec: 0 });
  }
  // After the 48-byte header: extension fields (RFC 7822) and/or Key ID + MAC (RFC 5905 7.3).
  let o = 48;
  const rest = tvb.reportedLength - o;
  if (rest <= 0) return;
  // A MAC is 4 + 16 (MD5) or 4 + 20 (SHA-1) bytes; a bare 4-byte key ID is a crypto-NAK.
  if (rest === 4 || rest === 20 || rest === 24) {
    ctx.add(node, F['ntp.keyid'], tvb, o, 4, tvb.slice(o, 4));
    if (rest > 4) ctx.add(node, F['ntp.mac'], tvb, o + 4, rest - 4, tvb.slice(o + 4, rest - 4));
    return;
  }
  while (tvb.reportedLength - o > 24) {
    const type = tvb.u16(o), len = tvb.u16(o + 2);
    if (len < 16) break;
    const ext = ctx.add(node, F['ntp.ext'], tvb, o, len, null);
    ctx.add(ext, F['ntp.ext.type'], tvb, o, 2, type);
    ctx.add(ext, F['ntp.ext.length'], tvb, o + 2, 2, len);
    ctx.add(ext, F['ntp.ext.value'], tvb, o + 4, len - 4, tvb.slice(o + 4, len - 4));
    o += len;
  }
  const tail = tvb.reportedLength - o;
  if (tail >= 4) {
    ctx.add(node, F['ntp.keyid'], tvb, o, 4, tvb.slice(o, 4));
    if (tail > 4) ctx.add(node, F['ntp.mac'], tvb, o + 4, tail - 4, tvb.slice(o + 4, tail - 4));
  }
}

export const ntpProtocol = defineProtocol('ntp', 'Network Time Protocol', dissectNtp);

register('udp.port', 123, ntpProtocol);
register('tcp.port', 123, ntpProtocol);
