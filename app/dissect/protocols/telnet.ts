// Telnet (RFC 854/855, TCP port 23) as tshark 4.0's packet-telnet.c shows it. A segment is
// text and IAC commands:
//   text            "Data: login: \r\n", a line each (CR LF, LF, or CR NUL ends one; a CR alone
//                   does not); an escaped IAC (IAC IAC) stays inside the text as its two bytes
//   IAC WILL/WONT/DO/DONT option   "Will Negotiate About Window Size" (Command, Subcommand)
//   IAC SB option ... IAC SE       "Suboption Terminal Type" with what the option says
//                                  (terminal type, window size, tab stops, flow control, TLS),
//                                  then "Suboption End"
//   other commands  "Are You There?", "No Operation", ...
// Info is always "Telnet Data ...". The suboption's parameters run to the next 0xff byte, as in
// tshark (a doubled 0xff inside them ends them early). Suboptions of options tshark dissects
// in more detail (output marking, 3270 regime, authentication, encryption, TN3270E, COM port
// control) show their parameters as option data here.
import { defineFields } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { cString, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { Tvb } from '../tvb.js';

const TELNET_PORT = 23;
const IAC = 0xff, SB = 250, WILL = 251, WONT = 252, DO = 253, DONT = 254;

const COMMANDS: Record<number, string> = {
  236: 'End of File', 237: 'Suspend Current Process', 238: 'Abort Process', 239: 'End of Record', 240: 'Suboption End', 241: 'No Operation', 242: 'Data Mark',
  243: 'Break', 244: 'Interrupt Process', 245: 'Abort Output', 246: 'Are You There?', 247: 'Escape Character', 248: 'Erase Line', 249: 'Go Ahead',
  250: 'Suboption', 251: 'Will', 252: "Won't", 253: 'Do', 254: "Don't",
};

/** Option names by code (RFC 1700 and later assignments up to FORWARD_X), as packet-telnet.c lists them. */
const OPTION_NAMES = [
  'Binary Transmission', 'Echo', 'Reconnection', 'Suppress Go Ahead', 'Approx Message Size Negotiation', 'Status', 'Timing Mark',
  'Remote Controlled Trans and Echo', 'Output Line Width', 'Output Page Size', 'Output Carriage-Return Disposition', 'Output Horizontal Tab Stops',
  'Output Horizontal Tab Disposition', 'Output Formfeed Disposition', 'Output Vertical Tabstops', 'Output Vertical Tab Disposition',
  'Output Linefeed Disposition', 'Extended ASCII', 'Logout', 'Byte Macro', 'Data Entry Terminal', 'SUPDUP', 'SUPDUP Output', 'Send Location',
  'Terminal Type', 'End of Record', 'TACACS User Identification', 'Output Marking', 'Terminal Location Number', 'Telnet 3270 Regime', 'X.3 PAD',
  'Negotiate About Window Size', 'Terminal Speed', 'Remote Flow Control', 'Linemode', 'X Display Location', 'Environment Option',
  'Authentication Option', 'Encryption Option', 'New Environment Option', 'TN3270E', 'XAUTH', 'CHARSET', 'Remote Serial Port', 'COM Port Control',
  'Suppress Local Echo', 'Start TLS', 'KERMIT', 'SEND-URL', 'FORWARD_X',
];
const UNKNOWN_OPTION = '<unknown option>';
const optionName = (code: number): string => OPTION_NAMES[code] ?? UNKNOWN_OPTION;
/** The subcommand shows its option's name alone (no number), unknown codes included. */
const SUBCOMMANDS: Record<number, string> = Object.fromEntries(Array.from({ length: 256 }, (_, code) => [code, optionName(code)]));

export const telnetFields = defineFields([
  { name: 'telnet.cmd', label: 'Command', type: 'uint8', values: COMMANDS },
  { name: 'telnet.subcmd', label: 'Subcommand', type: 'uint8', values: SUBCOMMANDS, base: 'none' },
  { name: 'telnet.data', label: 'Data', type: 'string' },
  { name: 'telnet.option_data', label: 'Option data', type: 'bytes' },
  { name: 'telnet.subcommand_data', label: 'Subcommand data', type: 'bytes' },
  { name: 'telnet.string_subopt.value', label: 'Value', type: 'string' },
  { name: 'telnet.naws_subopt.width', label: 'Width', type: 'uint16' },
  { name: 'telnet.naws_subopt.height', label: 'Height', type: 'uint16' },
  { name: 'telnet.rfc_subopt.cmd', label: 'Command', type: 'uint8', values: { 0: 'OFF', 1: 'ON', 2: 'RESTART-ANY', 3: 'RESTART-XON' } },
  { name: 'telnet.tabstop', label: 'Tabstop value', type: 'uint8' },
  { name: 'telnet.starttls', label: 'Follows', type: 'uint8' },
] as const);
const F = telnetFields;

type SuboptionDissector = (tvb: Tvb, ctx: PacketContext, parent: FieldNode | null, offset: number, len: number, name: string) => void;

/** Options whose suboption tshark reads: a fixed parameter length, or a minimum one, and what it shows. */
const SUBOPTIONS: Record<number, { fixed?: number; dissect: SuboptionDissector }> = {
  11: { dissect: tabStops },
  24: { dissect: stringSuboption },
  31: { fixed: 4, dissect: windowSize },
  33: { fixed: 1, dissect: (tvb, ctx, parent, o) => ctx.add(parent, F['telnet.rfc_subopt.cmd'], tvb, o, 1, tvb.u8(o)) },
  35: { dissect: stringSuboption },
  46: { fixed: 1, dissect: (tvb, ctx, parent, o) => ctx.add(parent, F['telnet.starttls'], tvb, o, 1, tvb.u8(o)) },
};

function dissectTelnet(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'TELNET';
  ctx.info = 'Telnet Data ...';
  let offset = 0;
  while (offset < tvb.reportedLength) {
    const iac = unescapedIac(tvb, offset);
    const dataEnd = iac < 0 ? tvb.reportedLength : iac;
    if (dataEnd > offset) addText(tvb, ctx, node, offset, dataEnd - offset);
    offset = iac < 0 ? dataEnd : command(tvb, ctx, node, iac);
  }
}

/** The next IAC that is not an escaped 0xff (IAC IAC), or -1. Looking past a final IAC throws, as in tshark. */
function unescapedIac(tvb: Tvb, offset: number): number {
  for (let o = offset; ; o += 2) {
    o = tvb.indexOf(IAC, o);
    if (o < 0 || tvb.u8(o + 1) !== IAC) return o;
  }
}

/**
 * Text lines, each a Data item with its line ending: CR LF, LF, or CR NUL (telnet's bare CR; the
 * NUL ends the item's text). A CR followed by anything else does not end the line.
 */
function addText(tvb: Tvb, ctx: PacketContext, parent: FieldNode, offset: number, len: number): void {
  const end = offset + len;
  while (offset < end && offset < tvb.length) {
    let next = end;
    for (let o = offset; o < end; o++) {
      const c = tvb.u8(o);
      if (c === 0x0a) {
        next = o + 1;
        break;
      }
      if (c !== 0x0d) continue;
      if (o + 1 === end) {
        next = end;
        break;
      }
      const after = tvb.u8(o + 1);
      if (after === 0x0a || after === 0x00) {
        next = o + 2;
        break;
      }
    }
    ctx.add(parent, F['telnet.data'], tvb, offset, next - offset, cString(tvb.ascii(offset, Math.min(next, tvb.length) - offset)));
    offset = next;
  }
}

/** The command at `start` (its IAC): its item, and the offset after it. */
function command(tvb: Tvb, ctx: PacketContext, parent: FieldNode, start: number): number {
  const item = ctx.addText(parent, tvb, start, 2, 'Command header');
  const code = tvb.u8(start + 1);
  ctx.add(item, F['telnet.cmd'], tvb, start + 1, 1, code);
  if (code === WILL || code === WONT || code === DO || code === DONT) {
    const option = tvb.u8(start + 2);
    if (ctx.tree) ctx.setText(item, `${COMMANDS[code]} ${optionName(option)}`);
    ctx.add(item, F['telnet.subcmd'], tvb, start + 2, 1, option);
    ctx.setLength(item, 3);
    return start + 3;
  }
  if (code === SB) return suboption(tvb, ctx, item, start);
  if (ctx.tree) ctx.setText(item, COMMANDS[code] ?? UNKNOWN_OPTION);
  return start + 2;
}

/**
 * IAC SB option parameters...: the parameters run to the next IAC that is not doubled (the IAC
 * SE that follows is a command of its own), and a doubled one stands for one 0xff byte of them.
 * tshark decides "not doubled" with a quirk kept here: an IAC whose offset plus one reaches the
 * length of the rest of the segment counts as single (packet-telnet.c compares an absolute offset
 * with a remaining length), so a doubled 0xff just before a final IAC SE ends the parameters.
 */
function suboption(tvb: Tvb, ctx: PacketContext, item: FieldNode, start: number): number {
  const option = tvb.u8(start + 2);
  const name = optionName(option);
  if (ctx.tree) ctx.setText(item, `Suboption ${name}`);
  const sub = ctx.add(item, F['telnet.subcmd'], tvb, start + 2, 1, option);
  const params = start + 3;
  const rest = tvb.reportedLength - params;
  let end = tvb.reportedLength, doubled = 0;
  for (let cur = params; ;) {
    const iac = tvb.indexOf(IAC, cur);
    if (iac < 0) break;
    if (iac + 1 >= rest || tvb.u8(iac + 1) !== IAC) {
      end = iac;
      break;
    }
    cur = iac + 2;
    doubled++;
  }
  ctx.setLength(item, end - start);
  const len = end - params;
  if (len <= 0) return end;
  const known = SUBOPTIONS[option];
  const minimum = known?.fixed ?? 1;
  if (known && (known.fixed !== undefined ? len - doubled !== minimum : len - doubled < minimum)) {
    ctx.addExpert(sub, 'warn', 'protocol', `Suboption parameter length is ${len}, should be ${known.fixed !== undefined ? '' : 'at least '}${minimum}`);
    return end;
  }
  // Doubled 0xff bytes are undone into a data source of the parameters' own.
  const [view, o] = doubled > 0 ? [undoubled(tvb, ctx, params, len), 0] : [tvb, params];
  if (known) known.dissect(view, ctx, sub, o, len - doubled, name);
  else ctx.add(sub, F['telnet.option_data'], view, o, len - doubled, view.slice(o, len - doubled));
  return end;
}

/** The parameters with each doubled 0xff as one byte ("Unpacked Telnet Option"). */
function undoubled(tvb: Tvb, ctx: PacketContext, o: number, len: number): Tvb {
  const out: number[] = [];
  for (let p = o; p < o + len; p++) {
    const b = tvb.u8(p);
    out.push(b);
    if (b === IAC && p + 1 < o + len && tvb.u8(p + 1) === IAC) p++;
  }
  const view = Tvb.of(new Uint8Array(out));
  ctx.nameSource(view, 'Unpacked Telnet Option');
  return view;
}

/**
 * IS / SEND and what follows, shared by the options that negotiate a string or a list (packet-telnet.c
 * dissect_string_subopt's head). Returns the bytes after the subcommand, or -1 for an invalid one
 * (its bytes shown as subcommand data).
 */
function isOrSend(tvb: Tvb, ctx: PacketContext, parent: FieldNode | null, o: number, len: number, name: string): number {
  const cmd = tvb.u8(o);
  // tshark adds IS and SEND as a telnet.subcmd with a text of its own.
  if (cmd === 0 || cmd === 1) {
    ctx.add(parent, F['telnet.subcmd'], tvb, o, 1, cmd, cmd === 0 ? `Here's my ${name}` : `Send your ${name}`);
    return len - 1;
  }
  ctx.addExpert(parent, 'warn', 'protocol', `Invalid ${name} subcommand ${cmd}`);
  if (len > 1) ctx.add(parent, F['telnet.subcommand_data'], tvb, o + 1, len - 1, tvb.slice(o + 1, len - 1));
  return -1;
}

function stringSuboption(tvb: Tvb, ctx: PacketContext, parent: FieldNode | null, o: number, len: number, name: string): void {
  const rest = isOrSend(tvb, ctx, parent, o, len, name);
  if (rest <= 0) return;
  if (tvb.u8(o) === 0) ctx.add(parent, F['telnet.string_subopt.value'], tvb, o + 1, rest, tvb.ascii(o + 1, rest));
  else ctx.addText(parent, tvb, o + 1, rest, 'Extra data');
}

function tabStops(tvb: Tvb, ctx: PacketContext, parent: FieldNode | null, o: number, len: number, name: string): void {
  const rest = isOrSend(tvb, ctx, parent, o, len, name);
  for (let p = o + 1; p < o + 1 + rest; p++) {
    const v = tvb.u8(p);
    const text = v === 0 ? 'Sender wants to handle tab stops'
      : v === 255 ? 'Sender wants receiver to handle tab stops'
        : v >= 251 ? `Invalid value: ${v}` : `Sender wants receiver to handle tab stop at ${v}`;
    ctx.add(parent, F['telnet.tabstop'], tvb, p, 1, v, text);
  }
}

function windowSize(tvb: Tvb, ctx: PacketContext, parent: FieldNode | null, o: number): void {
  ctx.add(parent, F['telnet.naws_subopt.width'], tvb, o, 2, tvb.u16(o));
  ctx.add(parent, F['telnet.naws_subopt.height'], tvb, o + 2, 2, tvb.u16(o + 2));
}

export const telnetProtocol = defineProtocol('telnet', 'Telnet', dissectTelnet, 'TELNET');
register('tcp.port', TELNET_PORT, telnetProtocol);
