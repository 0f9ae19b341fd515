// The portmapper, version 2 (RFC 1833 3: program 100000), as tshark 4.0's packet-portmap.c shows
// it, reached from ONC-RPC through the `rpc.program` table: NULL, SET, UNSET, GETPORT and DUMP,
// with GETPORT's Info text ("V2 GETPORT Call NFS(100003) V:3 UDP", "Port:2049"). rpcbind's
// versions 3 and 4 are not read (RPC shows their procedures as proc-N and the bytes as data).
import { defineFields, fieldByName } from '../field.js';
import { callProtocol, defineProtocol, register } from '../dispatch.js';
import { IP_PROTOCOL_NAMES } from '../ipproto.js';
import { registerRpcProgram, rpcMessage, rpcProgram } from '../rpc-program.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const PORTMAP_PROGRAM = 100000;
const V2_PROCEDURES = ['NULL', 'SET', 'UNSET', 'GETPORT', 'DUMP', 'CALLIT'];

/**
 * The names tshark gives the programs its RPC dissectors register (rpc_prog_name), for the
 * programs a portmapper is asked about that SynScope does not dissect; "Unknown" for others.
 */
const PROGRAM_NAMES: Record<number, string> = {
  100000: 'Portmap', 100001: 'RSTAT', 100003: 'NFS', 100004: 'YPSERV', 100005: 'MOUNT', 100007: 'YPBIND', 100011: 'RQUOTA',
  100021: 'NLM', 100024: 'STAT', 100227: 'NFSACL',
};

export const portmapFields = defineFields([
  { name: 'portmap.procedure_v2', label: 'V2 Procedure', type: 'uint32', base: 'dec', values: Object.fromEntries(V2_PROCEDURES.map((n, i) => [i, n])) },
  { name: 'portmap.prog', label: 'Program', type: 'uint32', base: 'dec' },
  { name: 'portmap.version', label: 'Version', type: 'uint32', base: 'dec' },
  { name: 'portmap.proto', label: 'Protocol', type: 'uint32', base: 'dec' },
  { name: 'portmap.port', label: 'Port', type: 'uint32', base: 'dec' },
  { name: 'portmap.answer', label: 'Answer', type: 'boolean' },
] as const);
const F = portmapFields;

const programName = (prog: number) => rpcProgram(prog)?.name ?? PROGRAM_NAMES[prog] ?? 'Unknown';

/** A mapping (RFC 1833 3: prog, vers, prot, port) as SET, UNSET and GETPORT send it. */
function mapping(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, unset = false): { prog: number; vers: number; proto: number } {
  const prog = tvb.u32(o), vers = tvb.u32(o + 4), proto = tvb.u32(o + 8);
  ctx.add(node, F['portmap.prog'], tvb, o, 4, prog, () => `Program: ${programName(prog)} (${prog})`);
  ctx.add(node, F['portmap.version'], tvb, o + 4, 4, vers);
  // UNSET's protocol is shown as a plain number (packet-portmap.c dissect_unset_call).
  ctx.add(node, F['portmap.proto'], tvb, o + 8, 4, proto, unset ? undefined : () => `Proto: ${IP_PROTOCOL_NAMES[proto] ?? 'Unknown'} (${proto})`);
  ctx.add(node, F['portmap.port'], tvb, o + 12, 4, tvb.u32(o + 12));
  return { prog, vers, proto };
}

/** DUMP's reply: the list of mappings, each behind RPC's "Value Follows". */
function dumpReply(tvb: Tvb, ctx: PacketContext, node: FieldNode): number {
  let o = 0;
  for (;;) {
    const more = tvb.u32(o) !== 0;
    ctx.add(node, valueFollows(), tvb, o, 4, more);
    o += 4;
    if (!more) return o;
    const prog = tvb.u32(o), vers = tvb.u32(o + 4), proto = tvb.u32(o + 8);
    tvb.check(o, 16);
    const e = ctx.addText(node, tvb, o, 16, `Map Entry: ${programName(prog)} (${prog}) V${vers}`);
    ctx.add(e, F['portmap.prog'], tvb, o, 4, prog, () => `Program: ${programName(prog)} (${prog})`);
    ctx.add(e, F['portmap.version'], tvb, o + 4, 4, vers);
    ctx.add(e, F['portmap.proto'], tvb, o + 8, 4, proto, () => `Protocol: ${IP_PROTOCOL_NAMES[proto] ?? 'Unknown'} (0x${proto.toString(16).padStart(2, '0')})`);
    ctx.add(e, F['portmap.port'], tvb, o + 12, 4, tvb.u32(o + 12));
    o += 16;
  }
}

/** RPC's "Value Follows" (dissect_rpc_list), looked up by name: protocols do not import each other. */
const valueFollows = () => fieldByName('rpc.value_follows')!;

function dissectPortmap(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const msg = rpcMessage(ctx);
  if (!msg) return false;
  ctx.protocol = 'Portmap';
  const { call } = msg;
  ctx.addGenerated(node, msg.versionField, call.vers);
  if (call.vers === 2) ctx.addGenerated(node, F['portmap.procedure_v2'], call.proc);
  if (tvb.reportedLength === 0) return true;
  let end = -1;
  if (call.vers === 2) {
    if (msg.isCall && (call.proc === 1 || call.proc === 2)) {
      mapping(tvb, ctx, node, 0, call.proc === 2);
      end = 16;
    } else if (msg.isCall && call.proc === 3) {
      const m = mapping(tvb, ctx, node, 0);
      const proto = IP_PROTOCOL_NAMES[m.proto] ?? 'Unknown';
      ctx.info += ` ${programName(m.prog)}(${m.prog}) V:${m.vers} ${proto}`;
      if (ctx.tree) ctx.setText(node, `Portmap GETPORT Call ${programName(m.prog)}(${m.prog}) Version:${m.vers} ${proto}`);
      end = 16;
    } else if (!msg.isCall && (call.proc === 1 || call.proc === 2)) {
      ctx.add(node, F['portmap.answer'], tvb, 0, 4, tvb.u32(0) !== 0);
      end = 4;
    } else if (!msg.isCall && call.proc === 3) {
      const port = tvb.u32(0);
      ctx.add(node, F['portmap.port'], tvb, 0, 4, port);
      // Port 0: the program is not registered (RFC 1833 3.2).
      // (the Info column then says only that).
      const text = ` Port:${port}${port === 0 ? ' PROGRAM_NOT_AVAILABLE' : ''}`;
      ctx.info += port === 0 ? ' PROGRAM_NOT_AVAILABLE' : text;
      if (ctx.tree) ctx.setText(node, `Portmap GETPORT Reply${text}`);
      end = 4;
    } else if (!msg.isCall && call.proc === 4) {
      end = dumpReply(tvb, ctx, node);
    }
  }
  if (end < 0) end = 0;
  if (end < tvb.reportedLength) callProtocol(dataProtocol, tvb.sub(end), ctx, node);
  return true;
}

export const portmapProtocol = defineProtocol('portmap', 'Portmap', dissectPortmap, 'Portmap');

registerRpcProgram(PORTMAP_PROGRAM, { name: 'Portmap', procedures: { 2: V2_PROCEDURES } });
register('rpc.program', PORTMAP_PROGRAM, portmapProtocol);
