// The SMB MailSlot Protocol as tshark 4.0's packet-smb-mailslot.c shows it: the Trans request
// SMB hands it for a \MAILSLOT\ name (smb.ts, through the named dissector 'smb.mailslot'): the
// opcode, priority and class from the setup words, the size (the Trans byte count) and the
// mailslot's name after it; Protocol "SMB Mailslot", Info the opcode. The message goes by the
// mailslot's name to the Browser protocol (\MAILSLOT\BROWSE*, \MAILSLOT\LANMAN*: the named
// dissectors 'mailslot_browse' and 'mailslot_lanman' browser.ts registers), else to data.
//
// tshark calls it directly, not as a layer: it is in the tree and filters ("mailslot") but not in
// frame.protocols. Left out: \MAILSLOT\NET*, \MAILSLOT\TEMP\NETLOGON and \MAILSLOT\MSSP, which
// tshark gives to its NETLOGON dissector (here data; docs/tshark-differences.md), and replies.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, findDissector, registerDissector } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';
import { SMB_MAILSLOT_SCRATCH, stringz, type SmbMailslotCall } from '../smb-common.js';

const OPCODES: Record<number, string> = { 1: 'Write Mail Slot' };

export const mailslotFields = defineFields([
  { name: 'mailslot.opcode', label: 'Opcode', type: 'uint16', values: OPCODES, description: 'MAILSLOT OpCode' },
  { name: 'mailslot.priority', label: 'Priority', type: 'uint16', description: 'MAILSLOT Priority of transaction' },
  { name: 'mailslot.class', label: 'Class', type: 'uint16', values: { 1: 'Reliable', 2: 'Unreliable & Broadcast' }, description: 'MAILSLOT Class of transaction' },
  { name: 'mailslot.size', label: 'Size', type: 'uint16', description: 'MAILSLOT Total size of mail data' },
  { name: 'mailslot.name', label: 'Mailslot Name', type: 'string', description: 'MAILSLOT Name of mailslot' },
] as const);
const F = mailslotFields;

/** dissect_mailslot_smb's choice by the name after "\MAILSLOT\" (strncmp on its start). */
function messageDissector(mailslot: string): string | null {
  if (mailslot.startsWith('BROWSE')) return 'mailslot_browse';
  if (mailslot.startsWith('LANMAN')) return 'mailslot_lanman';
  return null;
}

/** `tvb` starts at the Trans setup words (tshark's mshdr_tvb); the rest comes in scratch from SMB. */
function dissectMailslot(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  // Not a layer of its own in frame.protocols (tshark calls it as a function).
  ctx.layers.pop();
  const call = ctx.scratch[SMB_MAILSLOT_SCRATCH] as SmbMailslotCall;
  ctx.protocol = 'SMB Mailslot';
  if (call.data.reportedLength === 0) {
    ctx.removeNode(ctx.upperParent, node);
    ctx.info = 'Interim reply';
    return;
  }
  ctx.info = '';
  // Without setup words there is no mailslot header (tshark's setup_tvb is NULL): the message alone.
  if (call.setupLength === 0) {
    ctx.removeNode(ctx.upperParent, node);
    handOn(call, ctx);
    return;
  }
  // The setup words are a window of their own: fewer than three is an error there.
  const setup = call.smb.sub(call.setupOffset, call.setupLength, call.setupLength);
  const opcode = setup.u16le(0);
  ctx.info = OPCODES[opcode] ?? `Unknown opcode: 0x${opcode.toString(16).padStart(4, '0')}`;
  ctx.add(node, F['mailslot.opcode'], setup, 0, 2, opcode);
  ctx.add(node, F['mailslot.priority'], setup, 2, 2, setup.u16le(2));
  ctx.add(node, F['mailslot.class'], setup, 4, 2, setup.u16le(4));
  ctx.add(node, F['mailslot.size'], tvb, 6, 2, tvb.u16le(6));
  const name = stringz(tvb, 8);
  ctx.add(node, F['mailslot.name'], tvb, 8, name.size, name.text);
  ctx.setLength(node, 8 + name.size);
  handOn(call, ctx);
}

/** The message to the Browser protocol by the mailslot's name, else to data. */
function handOn(call: SmbMailslotCall, ctx: PacketContext): void {
  const next = messageDissector(call.mailslot);
  const proto = next ? findDissector(next) : undefined;
  callProtocol(proto ?? dataProtocol, call.data, ctx, ctx.upperParent);
}

export const mailslotProtocol = defineProtocol('mailslot', 'SMB MailSlot Protocol', dissectMailslot, 'SMB Mailslot');
registerDissector(mailslotProtocol, SMB_MAILSLOT_SCRATCH);
