// Syslog over UDP 514 (RFC 3164's BSD format and RFC 5424), as tshark 4.0's packet-syslog.c
// shows it. A message starts with its priority, "<PRI>" (up to three digits; facility = PRI >> 3,
// level = PRI & 7), then the text: Info is "FACILITY.LEVEL: text" ("USER.NOTICE: ..."), or the
// text alone without a priority. Under the message, tshark splits the text the way it guesses
// the format:
//   - "1 " first is RFC 5424: version, timestamp (ISO 8601; one it cannot read is the epoch),
//     hostname, app name, process id, each up to the next space, then everything else as the
//     "message id" (the real MSGID, the structured data and the message: tshark's split);
//   - text that starts like "Mmm dd hh:mm:ss" is RFC 3164: that timestamp, the hostname up to a
//     space, the "process id" up to the first ':', '[' or space, and the rest from there as the
//     "message id".
// Each stops where its next space is missing. The message is UTF-8 (a BOM shows as \uFEFF), the
// parts ASCII (a byte above 0x7f is U+FFFD).
import { defineFields } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { bitPicture, printableText } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { AbsTime, FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const FACILITIES: Record<number, string> = {
  0: 'KERN - kernel messages', 1: 'USER - random user-level messages', 2: 'MAIL - mail system', 3: 'DAEMON - system daemons',
  4: 'AUTH - security/authorization messages', 5: 'SYSLOG - messages generated internally by syslogd', 6: 'LPR - line printer subsystem',
  7: 'NEWS - network news subsystem', 8: 'UUCP - UUCP subsystem', 9: 'CRON - clock daemon (BSD, Linux)',
  10: 'AUTHPRIV - security/authorization messages (private)', 11: 'FTP - ftp daemon', 12: 'NTP - ntp subsystem', 13: 'LOGAUDIT - log audit',
  14: 'LOGALERT - log alert', 15: 'CRON - clock daemon (Solaris)', 16: 'LOCAL0 - reserved for local use', 17: 'LOCAL1 - reserved for local use',
  18: 'LOCAL2 - reserved for local use', 19: 'LOCAL3 - reserved for local use', 20: 'LOCAL4 - reserved for local use',
  21: 'LOCAL5 - reserved for local use', 22: 'LOCAL6 - reserved for local use', 23: 'LOCAL7 - reserved for local use',
};
const LEVELS: Record<number, string> = {
  0: 'EMERG - system is unusable', 1: 'ALERT - action must be taken immediately', 2: 'CRIT - critical conditions', 3: 'ERR - error conditions',
  4: 'WARNING - warning conditions', 5: 'NOTICE - normal but significant condition', 6: 'INFO - informational', 7: 'DEBUG - debug-level messages',
};

export const syslogFields = defineFields([
  { name: 'syslog.facility', label: 'Facility', type: 'uint8', base: 'dec', mask: 0xf8, values: FACILITIES, description: 'Message facility' },
  { name: 'syslog.level', label: 'Level', type: 'uint8', base: 'dec', mask: 0x07, values: LEVELS, description: 'Message level' },
  { name: 'syslog.msg', label: 'Message', type: 'string', description: 'Message Text' },
  { name: 'syslog.version', label: 'Syslog version', type: 'string' },
  { name: 'syslog.timestamp', label: 'Syslog timestamp', type: 'abstime', clock: 'utc' },
  { name: 'syslog.timestamp_rfc3164', label: 'Syslog timestamp (RFC3164)', type: 'string' },
  { name: 'syslog.hostname', label: 'Syslog hostname', type: 'string' },
  { name: 'syslog.appname', label: 'Syslog app name', type: 'string', description: 'The name of the app that generated this message' },
  { name: 'syslog.procid', label: 'Syslog process id', type: 'string' },
  { name: 'syslog.msgid', label: 'Syslog message id', type: 'string' },
] as const);
const F = syslogFields;

/** packet-syslog.c reads at most this many digits of the priority. */
const MAX_PRI_DIGITS = 3;
const RFC3164_TIMESTAMP_LENGTH = 15;
/** How tshark shows an RFC 5424 timestamp it cannot read. */
const UNREAD_TIME = 'Jan  1, 1970 00:00:00 UTC';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The short name ("USER", "NOTICE") of a facility or level, as Info shows it. */
function shortName(names: Record<number, string>, v: number): string {
  return names[v]?.split(' - ')[0] ?? 'UNKNOWN';
}

function dissectSyslog(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'Syslog';
  ctx.info = '';
  let pri = -1;
  let msgOff = 0;
  if (tvb.has(0, 1) && tvb.u8(0) === 0x3c) {
    // "<", digits, ">": a missing ">" leaves the text starting after the digits.
    msgOff = 1;
    pri = 0;
    while (msgOff < tvb.length && msgOff <= MAX_PRI_DIGITS && isDigit(tvb.u8(msgOff))) pri = pri * 10 + tvb.u8(msgOff++) - 0x30;
    if (!tvb.has(msgOff, 1)) ctx.failBeforeItem(node, tvb, msgOff, 1);
    if (tvb.u8(msgOff) === 0x3e) msgOff++;
  }
  // An empty text is an error for packet-syslog.c (tvb_ensure_captured_length_remaining).
  if (!tvb.has(msgOff, 1)) ctx.failBeforeItem(node, tvb, msgOff, 1);
  const msgLen = tvb.length - msgOff;
  const text = printableText(tvb.utf8(msgOff, msgLen));
  const facility = pri >> 3, level = pri & 7;
  const head = pri >= 0 ? `${shortName(FACILITIES, facility)}.${shortName(LEVELS, level)}: ` : '';
  ctx.info = head + text;
  if (ctx.tree) ctx.setText(node, `Syslog message: ${pri >= 0 ? head : '(unknown): '}${text}`);
  if (pri >= 0) {
    // Both over the "<PRI>" text, their bits drawn from the priority's value.
    ctx.add(node, F['syslog.facility'], tvb, 0, msgOff, facility, () => `${bitPicture(pri & 0xff, 0xf8, 8)} = Facility: ${FACILITIES[facility] ?? 'Unknown'} (${facility})`);
    ctx.add(node, F['syslog.level'], tvb, 0, msgOff, level, () => `${bitPicture(pri & 0xff, 0x07, 8)} = Level: ${LEVELS[level]} (${level})`);
  }
  const msg = ctx.add(node, F['syslog.msg'], tvb, msgOff, msgLen, tvb.utf8(msgOff, msgLen));
  if (tvb.u8(msgOff) === 0x31 && msgOff + 1 < tvb.length && tvb.u8(msgOff + 1) === 0x20) rfc5424(tvb, ctx, msg, msgOff);
  else if (looksLikeRfc3164Time(tvb, msgOff)) rfc3164(tvb, ctx, msg, msgOff);
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** "1 TIMESTAMP HOSTNAME APP-NAME PROCID REST": each part up to the next space, as far as there are spaces. */
function rfc5424(tvb: Tvb, ctx: PacketContext, msg: FieldNode, o: number): void {
  ctx.add(msg, F['syslog.version'], tvb, o, 1, tvb.ascii(o, 1));
  let at = o + 2;
  let end = tvb.indexOf(0x20, at);
  if (end < 0) return;
  if (end > at) {
    const time = isoTime(tvb.ascii(at, end - at));
    const stamp = ctx.add(msg, F['syslog.timestamp'], tvb, at, end - at, time ?? { sec: 0, nsec: 0 }, time ? undefined : `Syslog timestamp: ${UNREAD_TIME}`);
    // One tshark cannot read is the epoch, shown without a fraction, in -T fields too.
    if (!time && !ctx.isPlaceholder(stamp)) stamp.fieldText = UNREAD_TIME;
  }
  for (const field of [F['syslog.hostname'], F['syslog.appname'], F['syslog.procid']]) {
    at = end + 1;
    end = tvb.indexOf(0x20, at);
    if (end < 0) return;
    ctx.add(msg, field, tvb, at, end - at, tvb.ascii(at, end - at));
  }
  at = end + 1;
  if (at < tvb.length) ctx.add(msg, F['syslog.msgid'], tvb, at, tvb.length - at, tvb.ascii(at, tvb.length - at));
}

/** "Mmm dd hh:mm:ss HOSTNAME TAG...": the rest from the tag's end (':', '[' or a space) is the "message id". */
function rfc3164(tvb: Tvb, ctx: PacketContext, msg: FieldNode, o: number): void {
  ctx.add(msg, F['syslog.timestamp_rfc3164'], tvb, o, RFC3164_TIMESTAMP_LENGTH, tvb.ascii(o, RFC3164_TIMESTAMP_LENGTH));
  const host = o + RFC3164_TIMESTAMP_LENGTH + 1;
  const hostEnd = tvb.indexOf(0x20, host);
  if (hostEnd < 0) return;
  ctx.add(msg, F['syslog.hostname'], tvb, host, hostEnd - host, tvb.ascii(host, hostEnd - host));
  const tag = hostEnd + 1;
  let tagEnd = tag;
  while (tagEnd < tvb.length && ![0x3a, 0x5b, 0x20].includes(tvb.u8(tagEnd))) tagEnd++;
  if (tagEnd >= tvb.length) return;
  ctx.add(msg, F['syslog.procid'], tvb, tag, tagEnd - tag, tvb.ascii(tag, tagEnd - tag));
  ctx.add(msg, F['syslog.msgid'], tvb, tagEnd, tvb.length - tagEnd, tvb.ascii(tagEnd, tvb.length - tagEnd));
}

/** Text that starts like RFC 3164's "Mmm dd hh:mm:ss" followed by a space. */
function looksLikeRfc3164Time(tvb: Tvb, o: number): boolean {
  if (!tvb.has(o, RFC3164_TIMESTAMP_LENGTH + 1)) return false;
  const t = tvb.ascii(o, RFC3164_TIMESTAMP_LENGTH + 1);
  return MONTHS.includes(t.slice(0, 3)) && t[3] === ' ' && t[6] === ' ' && t[9] === ':' && t[12] === ':' && t[15] === ' ';
}

/** An RFC 5424 timestamp (RFC 3339: date "T" time, a fraction of up to nine digits, "Z" or an offset), or null. */
function isoTime(s: string): AbsTime | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  const check = new Date(ms);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return null;
  const offset = zone === 'Z' ? 0 : (zone![0] === '-' ? -1 : 1) * (Number(zone!.slice(1, 3)) * 3600 + Number(zone!.slice(4, 6)) * 60);
  return { sec: ms / 1000 - offset, nsec: frac ? Number(frac.padEnd(9, '0')) : 0 };
}

export const syslogProtocol = defineProtocol('syslog', 'Syslog message', dissectSyslog, 'Syslog');
register('udp.port', 514, syslogProtocol);
