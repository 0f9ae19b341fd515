// SMB version 1 (Server Message Block, CIFS) as tshark 4.0's packet-smb.c shows it, found by
// the "netbios" heuristic (0xFF 'S' 'M' 'B') on what NBDS carries:
//   - the 32-byte header under "SMB Header": command, the NT status (Flags2's Error Code Type
//     set) or the DOS error class and code (named by class: decode_smb_error), Flags and Flags2
//     with their bits, Process ID High, the signature, Tree/Process/User/Multiplex IDs; Info
//     "<Command> Request|Response", and ", Error: ..." after a response that failed;
//   - the Trans request (SMB_COM_TRANSACTION 0x25): word count, the parameter/data counts,
//     offsets and limits, flags, timeout ("Return immediately", "Wait indefinitely" or a time),
//     the setup count, byte count, the transaction name (ASCII or Unicode after its pad byte),
//     padding up to the parameters and data, and bytes the byte count has beyond them (Extra
//     byte parameters, as far as the message goes). A name under \MAILSLOT\ goes with the setup
//     words and the data to the mailslot protocol (smb-mailslot.ts, named dissector
//     'smb.mailslot'); any other name shows its setup words, parameters and data here;
//   - the commands tshark itself has no dissector for (dissect_unknown: Word parameters, Byte
//     parameters).
// Left out (docs/tshark-differences.md): the bodies of the other commands (Negotiate, Session
// Setup, Tree Connect, Create, Read/Write, Trans2, NT Trans, Trans responses, ...), shown here in
// dissect_unknown's form; \PIPE\ transactions (LANMAN RAP, DCE/RPC); the request/response
// matching (Response in/to, Time from request) and the Tree ID/User ID tracking; SMB over NBSS
// (TCP 139/445), which nbss.ts still shows as data.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, findDissector, registerHeuristic } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import { addBitmask, signedMsecsText, SMB_MAILSLOT_SCRATCH, stringz, stringzUnicode, type SmbMailslotCall } from '../smb-common.js';
import { DOS_ERRORS, HRD_ERRORS, NT_STATUS, SRV_ERRORS } from '../smb-errors.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, type Tvb } from '../tvb.js';

const SMB_COM_TRANSACTION = 0x25;
const FLAGS_RESPONSE = 0x80;
const FLAGS2_NT_ERROR = 0x4000;
const FLAGS2_UNICODE = 0x8000;
const HEADER_LENGTH = 32;
const MAILSLOT_PREFIX = '\\MAILSLOT\\';

/** smb_cmd_vals: the names tshark gives SMB commands. */
const COMMANDS: Record<number, string> = {
  0x00: 'Create Directory', 0x01: 'Delete Directory', 0x02: 'Open', 0x03: 'Create', 0x04: 'Close', 0x05: 'Flush', 0x06: 'Delete',
  0x07: 'Rename', 0x08: 'Query Information', 0x09: 'Set Information', 0x0a: 'Read', 0x0b: 'Write', 0x0c: 'Lock Byte Range',
  0x0d: 'Unlock Byte Range', 0x0e: 'Create Temp', 0x0f: 'Create New', 0x10: 'Check Directory', 0x11: 'Process Exit', 0x12: 'Seek',
  0x13: 'Lock And Read', 0x14: 'Write And Unlock', 0x15: 'unknown-0x15', 0x16: 'unknown-0x16', 0x17: 'unknown-0x17',
  0x18: 'unknown-0x18', 0x19: 'unknown-0x19', 0x1a: 'Read Raw', 0x1b: 'Read MPX', 0x1c: 'Read MPX Secondary', 0x1d: 'Write Raw',
  0x1e: 'Write MPX', 0x1f: 'Write MPX Secondary', 0x20: 'Write Complete', 0x21: 'Query Server (reserved)', 0x22: 'Set Information2',
  0x23: 'Query Information2', 0x24: 'Locking AndX', 0x25: 'Trans', 0x26: 'Trans Secondary', 0x27: 'IOCTL', 0x28: 'IOCTL Secondary',
  0x29: 'Copy', 0x2a: 'Move', 0x2b: 'Echo', 0x2c: 'Write And Close', 0x2d: 'Open AndX', 0x2e: 'Read AndX', 0x2f: 'Write AndX',
  0x30: 'New File Size (reserved)', 0x31: 'Close And Tree Disconnect', 0x32: 'Trans2', 0x33: 'Trans2 Secondary', 0x34: 'Find Close2',
  0x35: 'Find Notify Close', 0x70: 'Tree Connect', 0x71: 'Tree Disconnect', 0x72: 'Negotiate Protocol', 0x73: 'Session Setup AndX',
  0x74: 'Logoff AndX', 0x75: 'Tree Connect AndX', 0x80: 'Query Information Disk', 0x81: 'Search', 0x82: 'Find', 0x83: 'Find Unique',
  0x84: 'Find Close', 0xa0: 'NT Trans', 0xa1: 'NT Trans Secondary', 0xa2: 'NT Create AndX', 0xa3: 'unknown-0xA3', 0xa4: 'NT Cancel',
  0xa5: 'NT Rename', 0xc0: 'Open Print File', 0xc1: 'Write Print File', 0xc2: 'Close Print File', 0xc3: 'Get Print Queue',
  0xd0: 'Send Single Block Message', 0xd1: 'Send Broadcast Message', 0xd2: 'Forward User Name', 0xd3: 'Cancel Forward',
  0xd4: 'Get Machine Name', 0xd5: 'Send Start of Multi-block Message', 0xd6: 'Send End of Multi-block Message',
  0xd7: 'Send Text of Multi-block Message', 0xd8: 'SMBreadbulk', 0xd9: 'SMBwritebulk', 0xda: 'SMBwritebulkdata', 0xfe: 'SMBinvalid',
};

const ERROR_CLASSES: Record<number, string> = {
  0x00: 'Success', 0x01: 'DOS Error', 0x02: 'Server Error', 0x03: 'Hardware Error', 0x04: 'Command Error - Not an SMB format command',
};

export const smbFields = defineFields([
  { name: 'smb.server_component', label: 'Server Component', type: 'uint32', base: 'hex' },
  { name: 'smb.cmd', label: 'SMB Command', type: 'uint8', base: 'hex', values: COMMANDS },
  { name: 'smb.nt_status', label: 'NT Status', type: 'uint32', base: 'hex', values: NT_STATUS, description: 'NT Status code' },
  { name: 'smb.error_class', label: 'Error Class', type: 'uint8', base: 'hex', values: ERROR_CLASSES, description: 'DOS Error Class' },
  { name: 'smb.reserved', label: 'Reserved', type: 'bytes', description: 'Reserved bytes, must be zero' },
  { name: 'smb.error_code', label: 'Error Code', type: 'uint16', base: 'hex', description: 'DOS Error Code' },
  { name: 'smb.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'smb.flags.response', label: 'Request/Response', type: 'boolean', mask: 0x80, tf: ['Message is a response to the client/redirector', 'Message is a request to the server'] },
  { name: 'smb.flags.notify', label: 'Notify', type: 'boolean', mask: 0x40, tf: ['Notify client on all modifications', 'Notify client only on open'] },
  { name: 'smb.flags.oplock', label: 'Oplocks', type: 'boolean', mask: 0x20, tf: ['OpLock requested/granted', 'OpLock not requested/granted'] },
  { name: 'smb.flags.canon', label: 'Canonicalized Pathnames', type: 'boolean', mask: 0x10, tf: ['Pathnames are canonicalized', 'Pathnames are not canonicalized'] },
  { name: 'smb.flags.caseless', label: 'Case Sensitivity', type: 'boolean', mask: 0x08, tf: ['Path names are caseless', 'Path names are case sensitive'] },
  { name: 'smb.flags.receive_buffer', label: 'Receive Buffer Posted', type: 'boolean', mask: 0x02, tf: ['Receive buffer has been posted', 'Receive buffer has not been posted'] },
  { name: 'smb.flags.lock', label: 'Lock and Read', type: 'boolean', mask: 0x01, tf: ['Lock&Read, Write&Unlock are supported', 'Lock&Read, Write&Unlock are not supported'] },
  { name: 'smb.flags2', label: 'Flags2', type: 'uint16', base: 'hex' },
  { name: 'smb.flags2.string', label: 'Unicode Strings', type: 'boolean', mask: 0x8000, tf: ['Strings are Unicode', 'Strings are ASCII'] },
  { name: 'smb.flags2.nt_error', label: 'Error Code Type', type: 'boolean', mask: 0x4000, tf: ['Error codes are NT error codes', 'Error codes are DOS error codes'] },
  { name: 'smb.flags2.roe', label: 'Execute-only Reads', type: 'boolean', mask: 0x2000, tf: ['Permit reads if execute-only', 'Don\'t permit reads if execute-only'] },
  { name: 'smb.flags2.dfs', label: 'Dfs', type: 'boolean', mask: 0x1000, tf: ['Resolve pathnames with Dfs', 'Don\'t resolve pathnames with Dfs'] },
  { name: 'smb.flags2.esn', label: 'Extended Security Negotiation', type: 'boolean', mask: 0x0800, tf: ['Extended security negotiation is supported', 'Extended security negotiation is not supported'] },
  { name: 'smb.flags2.reparse_path', label: 'Reparse Path', type: 'boolean', mask: 0x0400, tf: ['The request uses a @GMT reparse path', 'The request does not use a @GMT reparse path'] },
  { name: 'smb.flags2.long_names_used', label: 'Long Names Used', type: 'boolean', mask: 0x0040, tf: ['Path names in request are long file names', 'Path names in request are not long file names'] },
  { name: 'smb.flags2.sec_sig_required', label: 'Security Signatures Required', type: 'boolean', mask: 0x0010, tf: ['Security signatures are required', 'Security signatures are not required'] },
  { name: 'smb.flags2.compressed', label: 'Compressed', type: 'boolean', mask: 0x0008, tf: ['Compression is requested', 'Compression is not requested'] },
  { name: 'smb.flags2.sec_sig', label: 'Security Signatures', type: 'boolean', mask: 0x0004, tf: ['Security signatures are supported', 'Security signatures are not supported'] },
  { name: 'smb.flags2.ea', label: 'Extended Attributes', type: 'boolean', mask: 0x0002, tf: ['Extended attributes are supported', 'Extended attributes are not supported'] },
  { name: 'smb.flags2.long_names_allowed', label: 'Long Names Allowed', type: 'boolean', mask: 0x0001, tf: ['Long file names are allowed in the response', 'Long file names are not allowed in the response'] },
  { name: 'smb.pid.high', label: 'Process ID High', type: 'uint16', description: 'Process ID High Bytes' },
  { name: 'smb.signature', label: 'Signature', type: 'bytes', description: 'Signature bytes' },
  { name: 'smb.tid', label: 'Tree ID', type: 'uint16' },
  { name: 'smb.pid', label: 'Process ID', type: 'uint16' },
  { name: 'smb.uid', label: 'User ID', type: 'uint16' },
  { name: 'smb.mid', label: 'Multiplex ID', type: 'uint16' },
  { name: 'smb.wct', label: 'Word Count (WCT)', type: 'uint8', description: 'Word Count, count of parameter words' },
  { name: 'smb.bcc', label: 'Byte Count (BCC)', type: 'uint16', description: 'Byte Count, count of data bytes' },
  { name: 'smb.word_parameters', label: 'Word parameters', type: 'bytes' },
  { name: 'smb.byte_parameters', label: 'Byte parameters', type: 'bytes' },
  { name: 'smb.extra_byte_parameters', label: 'Extra byte parameters', type: 'bytes' },
  { name: 'smb.tpc', label: 'Total Parameter Count', type: 'uint32', description: 'Total number of parameter bytes' },
  { name: 'smb.tdc', label: 'Total Data Count', type: 'uint32', description: 'Total number of data bytes' },
  { name: 'smb.mpc', label: 'Max Parameter Count', type: 'uint32', description: 'Maximum number of parameter bytes to return' },
  { name: 'smb.mdc', label: 'Max Data Count', type: 'uint32', description: 'Maximum number of data bytes to return' },
  { name: 'smb.msc', label: 'Max Setup Count', type: 'uint8', description: 'Maximum number of setup words to return' },
  { name: 'smb.transaction.flags', label: 'Flags', type: 'uint16', base: 'hex' },
  { name: 'smb.transaction.flags.owt', label: 'One Way Transaction', type: 'boolean', mask: 0x0002, tf: ['One Way Transaction (NO RESPONSE)', 'Two way transaction'] },
  { name: 'smb.transaction.flags.dtid', label: 'Disconnect TID', type: 'boolean', mask: 0x0001, tf: ['Also DISCONNECT TID', 'Do NOT disconnect TID'] },
  { name: 'smb.timeout', label: 'Timeout', type: 'uint32', description: 'Timeout in milliseconds' },
  { name: 'smb.pc', label: 'Parameter Count', type: 'uint16', description: 'Number of parameter bytes in this buffer' },
  { name: 'smb.po', label: 'Parameter Offset', type: 'uint16', description: 'Offset (from header start) to parameters' },
  { name: 'smb.dc', label: 'Data Count', type: 'uint16', description: 'Number of data bytes in this buffer' },
  { name: 'smb.data_offset', label: 'Data Offset', type: 'uint16' },
  { name: 'smb.sc', label: 'Setup Count', type: 'uint8', description: 'Number of setup words in this buffer' },
  { name: 'smb.trans_name', label: 'Transaction Name', type: 'string', description: 'Name of transaction' },
  { name: 'smb.padding', label: 'Padding', type: 'bytes', description: 'Padding or unknown data' },
  { name: 'smb.trans_data.setup_word', label: 'Setup Word', type: 'uint16', base: 'hex' },
  { name: 'smb.trans_data.parameters', label: 'Parameters', type: 'bytes' },
  { name: 'smb.trans_data', label: 'Data', type: 'bytes' },
] as const);
const F = smbFields;

const FLAG_FIELDS = [F['smb.flags.response'], F['smb.flags.notify'], F['smb.flags.oplock'], F['smb.flags.canon'], F['smb.flags.caseless'],
  F['smb.flags.receive_buffer'], F['smb.flags.lock']];
const FLAGS2_FIELDS = [F['smb.flags2.string'], F['smb.flags2.nt_error'], F['smb.flags2.roe'], F['smb.flags2.dfs'], F['smb.flags2.esn'],
  F['smb.flags2.reparse_path'], F['smb.flags2.long_names_used'], F['smb.flags2.sec_sig_required'], F['smb.flags2.compressed'],
  F['smb.flags2.sec_sig'], F['smb.flags2.ea'], F['smb.flags2.long_names_allowed']];
const TRANS_FLAG_FIELDS = [F['smb.transaction.flags.owt'], F['smb.transaction.flags.dtid']];

/** decode_smb_error: the DOS error code's name by its class. */
function dosErrorText(errorClass: number, code: number): string {
  switch (errorClass) {
    case 0: return 'No Error';
    case 1: return DOS_ERRORS[code] ?? `Unknown DOS error (${code.toString(16)})`;
    case 2: return SRV_ERRORS[code] ?? `Unknown SRV error (${code.toString(16)})`;
    case 3: return HRD_ERRORS[code] ?? `Unknown HRD error (${code.toString(16)})`;
    default: return 'Unknown error class!';
  }
}

function dissectHeader(tvb: Tvb, ctx: PacketContext, node: FieldNode, flags2: number): { errorClass: number; errorCode: number; ntStatus: number } {
  const h = ctx.addText(node, tvb, 0, HEADER_LENGTH, 'SMB Header');
  ctx.add(h, F['smb.server_component'], tvb, 0, 4, tvb.u32le(0), 'Server Component: SMB');
  ctx.add(h, F['smb.cmd'], tvb, 4, 1, tvb.u8(4));
  let errorClass = 0, errorCode = 0, ntStatus = 0;
  if (flags2 & FLAGS2_NT_ERROR) {
    ntStatus = tvb.u32le(5);
    ctx.add(h, F['smb.nt_status'], tvb, 5, 4, ntStatus);
  } else {
    errorClass = tvb.u8(5);
    ctx.add(h, F['smb.error_class'], tvb, 5, 1, errorClass);
    ctx.add(h, F['smb.reserved'], tvb, 6, 1, tvb.slice(6, 1));
    errorCode = tvb.u16le(7);
    ctx.add(h, F['smb.error_code'], tvb, 7, 2, errorCode, () => `Error Code: ${dosErrorText(errorClass, errorCode)}`);
  }
  addBitmask(ctx, h, F['smb.flags'], FLAG_FIELDS, tvb, 9, 1, tvb.u8(9));
  addBitmask(ctx, h, F['smb.flags2'], FLAGS2_FIELDS, tvb, 10, 2, flags2);
  ctx.add(h, F['smb.pid.high'], tvb, 12, 2, tvb.u16le(12));
  ctx.add(h, F['smb.signature'], tvb, 14, 8, tvb.slice(14, 8));
  ctx.add(h, F['smb.reserved'], tvb, 22, 2, tvb.slice(22, 2));
  ctx.add(h, F['smb.tid'], tvb, 24, 2, tvb.u16le(24));
  ctx.add(h, F['smb.pid'], tvb, 26, 2, tvb.u16le(26));
  ctx.add(h, F['smb.uid'], tvb, 28, 2, tvb.u16le(28));
  ctx.add(h, F['smb.mid'], tvb, 30, 2, tvb.u16le(30));
  return { errorClass, errorCode, ntStatus };
}

/** dissect_unknown: the parameter words and the bytes, undecoded. Returns the offset after them. */
function dissectUnknown(tvb: Tvb, ctx: PacketContext, tree: FieldNode, o: number): number {
  const wct = tvb.u8(o);
  ctx.add(tree, F['smb.wct'], tvb, o, 1, wct);
  o++;
  if (wct > 0) {
    ctx.add(tree, F['smb.word_parameters'], tvb, o, wct * 2, tvb.slice(o, wct * 2));
    o += wct * 2;
  }
  const bcc = tvb.u16le(o);
  ctx.add(tree, F['smb.bcc'], tvb, o, 2, bcc);
  o += 2;
  if (bcc > 0) {
    ctx.add(tree, F['smb.byte_parameters'], tvb, o, bcc, tvb.slice(o, bcc));
    o += bcc;
  }
  return o;
}

/** dissect_transaction_request for SMB_COM_TRANSACTION. Returns the offset after its bytes. */
function dissectTransRequest(tvb: Tvb, ctx: PacketContext, tree: FieldNode, o: number, unicode: boolean): number {
  const wct = tvb.u8(o);
  ctx.add(tree, F['smb.wct'], tvb, o, 1, wct);
  o++;
  let pc = 0, po = 0, dc = 0, od = 0, sc = 0, setupOffset = o;
  if (wct !== 0) {
    ctx.add(tree, F['smb.tpc'], tvb, o, 2, tvb.u16le(o));
    ctx.add(tree, F['smb.tdc'], tvb, o + 2, 2, tvb.u16le(o + 2));
    ctx.add(tree, F['smb.mpc'], tvb, o + 4, 2, tvb.u16le(o + 4));
    ctx.add(tree, F['smb.mdc'], tvb, o + 6, 2, tvb.u16le(o + 6));
    ctx.add(tree, F['smb.msc'], tvb, o + 8, 1, tvb.u8(o + 8));
    ctx.add(tree, F['smb.reserved'], tvb, o + 9, 1, tvb.slice(o + 9, 1));
    addBitmask(ctx, tree, F['smb.transaction.flags'], TRANS_FLAG_FIELDS, tvb, o + 10, 2, tvb.u16le(o + 10));
    const timeout = tvb.u32le(o + 12);
    ctx.add(tree, F['smb.timeout'], tvb, o + 12, 4, timeout, () => `Timeout: ${timeoutText(timeout)}`);
    ctx.add(tree, F['smb.reserved'], tvb, o + 16, 2, tvb.slice(o + 16, 2));
    pc = tvb.u16le(o + 18);
    ctx.add(tree, F['smb.pc'], tvb, o + 18, 2, pc);
    po = tvb.u16le(o + 20);
    ctx.add(tree, F['smb.po'], tvb, o + 20, 2, po);
    dc = tvb.u16le(o + 22);
    ctx.add(tree, F['smb.dc'], tvb, o + 22, 2, dc);
    od = tvb.u16le(o + 24);
    ctx.add(tree, F['smb.data_offset'], tvb, o + 24, 2, od);
    sc = tvb.u8(o + 26);
    ctx.add(tree, F['smb.sc'], tvb, o + 26, 1, sc);
    ctx.add(tree, F['smb.reserved'], tvb, o + 27, 1, tvb.slice(o + 27, 1));
    o += 28;
    setupOffset = o;
    o += sc * 2;
  }
  let bc = tvb.u16le(o);
  ctx.add(tree, F['smb.bcc'], tvb, o, 2, bc);
  o += 2;
  // BYTE_COUNT: no bytes, nothing more.
  if (bc === 0) return o;
  // The transaction name, Unicode ones after a pad byte that aligns them on the message.
  if (unicode && o % 2 === 1) {
    o++;
    bc--;
  }
  const name = unicode ? stringzUnicode(tvb, o) : stringz(tvb, o);
  ctx.add(tree, F['smb.trans_name'], tvb, o, name.size, name.text);
  o += name.size;
  bc -= name.size;
  // Padding up to the parameters, then up to the data, as far as the byte count goes; a count
  // past it ends the command there (CHECK_BYTE_COUNT), and nothing is handed on.
  for (const [start, count] of [[po, pc], [od, dc]] as const) {
    if (start > o) {
      const pad = Math.min(start - o, bc);
      if (pad > 0) ctx.add(tree, F['smb.padding'], tvb, o, pad, tvb.slice(o, pad));
      o += pad;
      bc -= pad;
    }
    if (count) {
      if (bc < count) return o;
      o += count;
      bc -= count;
    }
  }
  const data = tvb.sub(od, dc, dc);
  if (name.text.startsWith(MAILSLOT_PREFIX)) {
    const mailslot = findDissector(SMB_MAILSLOT_SCRATCH);
    if (mailslot) {
      const call: SmbMailslotCall = { smb: tvb, setupOffset, setupLength: sc * 2, mailslot: name.text.slice(MAILSLOT_PREFIX.length), data };
      ctx.scratch[SMB_MAILSLOT_SCRATCH] = call;
      callProtocol(mailslot, tvb.sub(setupOffset), ctx, ctx.upperParent);
      return endOfSmb(tvb, ctx, tree, o, bc);
    }
  }
  // dissect_trans_data: what no sub-protocol took.
  for (let i = 0; i < sc; i++) {
    const at = setupOffset + 2 * i;
    const word = tvb.u16le(at);
    ctx.add(tree, F['smb.trans_data.setup_word'], tvb, at, 2, word, () => `Setup Word ${i}: 0x${word.toString(16).padStart(4, '0')}`);
  }
  if (pc) ctx.add(tree, F['smb.trans_data.parameters'], tvb, po, pc, tvb.slice(po, pc));
  if (dc) ctx.add(tree, F['smb.trans_data'], tvb, od, dc, tvb.slice(od, dc));
  return endOfSmb(tvb, ctx, tree, o, bc);
}

/** END_OF_SMB: bytes the byte count still has, as far as the message goes. Returns the offset after them. */
function endOfSmb(tvb: Tvb, ctx: PacketContext, tree: FieldNode, o: number, bc: number): number {
  const n = Math.min(bc, tvb.reportedRemaining(o));
  if (n <= 0) return o;
  ctx.add(tree, F['smb.extra_byte_parameters'], tvb, o, n, tvb.slice(o, n));
  return o + n;
}

/** The Trans timeout as packet-smb.c words it. */
function timeoutText(ms: number): string {
  if (ms === 0) return 'Return immediately (0)';
  if (ms === 0xffffffff) return 'Wait indefinitely (-1)';
  return signedMsecsText(ms);
}

function dissectSmb(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'SMB';
  ctx.info = '';
  // dissect_smb reads the IDs at the header's end before it adds its item.
  if (!tvb.has(0, HEADER_LENGTH)) ctx.failBeforeItem(node, tvb, 0, HEADER_LENGTH);
  const cmd = tvb.u8(4);
  const request = (tvb.u8(9) & FLAGS_RESPONSE) === 0;
  const flags2 = tvb.u16le(10);
  const status = dissectHeader(tvb, ctx, node, flags2);
  if (cmd === 0xff) return;
  const name = COMMANDS[cmd];
  const direction = request ? 'Request' : 'Response';
  ctx.info = `${name ?? `Unknown (0x${cmd.toString(16).padStart(2, '0')})`} ${direction}`;
  const label = `${name ?? 'Unknown'} ${direction} (0x${cmd.toString(16).padStart(2, '0')})`;
  const tree = ctx.addText(node, tvb, HEADER_LENGTH, tvb.length - HEADER_LENGTH, label);
  const end = cmd === SMB_COM_TRANSACTION && request
    ? dissectTransRequest(tvb, ctx, tree, HEADER_LENGTH, (flags2 & FLAGS2_UNICODE) !== 0)
    : dissectUnknown(tvb, ctx, tree, HEADER_LENGTH);
  // The command's item ends where its bytes do (dissect_smb_command: past the captured bytes is an error).
  if (!tvb.has(end - 1, 1)) throw new MalformedError('SMB command runs past the message', tvb.abs(end - 1));
  ctx.setLength(tree, end - HEADER_LENGTH);
  if (!request) {
    if (flags2 & FLAGS2_NT_ERROR) {
      if ((status.ntStatus & 0xc0000000) >>> 0 === 0xc0000000) ctx.info += `, Error: ${NT_STATUS[status.ntStatus] ?? `Unknown (0x${status.ntStatus.toString(16).toUpperCase().padStart(8, '0')})`}`;
    } else if (status.errorClass !== 0) {
      ctx.info += `, Error: ${dosErrorText(status.errorClass, status.errorCode)}`;
    }
  }
}

export const smbProtocol = defineProtocol('smb', 'SMB (Server Message Block Protocol)', dissectSmb, 'SMB');
// dissect_smb_heur on the "netbios" list (NBDS datagrams): four bytes, 0xFF 'S' 'M' 'B'.
registerHeuristic('netbios', smbProtocol, (tvb) => tvb.reportedLength >= 4 && tvb.u8(0) === 0xff && tvb.u8(1) === 0x53 && tvb.u8(2) === 0x4d && tvb.u8(3) === 0x42);
