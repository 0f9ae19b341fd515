// The contract between ONC-RPC (protocols/rpc.ts) and the programs it carries (NFS, ...): what
// packet-rpc.c's rpc_init_prog / rpc_init_proc_table register and what its rpc_call_info_value
// hands the program's dissector. A program registers its dissector in the `rpc.program` dispatch
// table by program number and its names here; RPC reads the names for its own lines ("Program:
// NFS (100003)", "Procedure: WRITE (7)", Info "V3 WRITE Call") and leaves the call it matched in
// the packet's scratch for the program's dissector. So protocols still never import each other.
import type { FieldDef } from './field.js';
import type { PacketContext } from './packet.js';

export interface RpcProgramInfo {
  /** The program's short name (Protocol column, "Program: NFS (100003)"). */
  name: string;
  /** Procedure names by version, indexed by procedure number. */
  procedures: Readonly<Record<number, readonly string[]>>;
}

/** One call as RPC remembers it (per conversation and XID), with what the program kept of it. */
export interface RpcCall {
  xid: number;
  prog: number;
  vers: number;
  proc: number;
  /** The call's frame and time. */
  frame: number;
  sec: number;
  nsec: number;
  /** The first reply's frame, once seen (0 until then). */
  reply: number;
  /** What the program's dissector noted on the call for its reply (NFS: ACCESS's requested bits). */
  notes: Record<string, unknown>;
}

/** What RPC hands the program's dissector for one message. */
export interface RpcMessage {
  call: RpcCall;
  isCall: boolean;
  /** The procedure's name ("WRITE", or "proc-N" for one the program does not list). */
  procName: string;
  /** RPC's rpc.programversion, which the program repeats at the top of its item ("[Program Version: 3]"). */
  versionField: FieldDef;
}

const programs = new Map<number, RpcProgramInfo>();
const MESSAGE = 'rpc.message';

export function registerRpcProgram(prog: number, info: RpcProgramInfo): void {
  programs.set(prog, info);
}

export function rpcProgram(prog: number): RpcProgramInfo | undefined {
  return programs.get(prog);
}

/** The procedure's name, or undefined when the program does not list that version or procedure. */
export function rpcProcedureName(prog: number, vers: number, proc: number): string | undefined {
  return programs.get(prog)?.procedures[vers]?.[proc];
}

/** For RPC: the message the program's dissector is about to see. */
export function setRpcMessage(ctx: PacketContext, m: RpcMessage): void {
  ctx.scratch[MESSAGE] = m;
}

/** For a program's dissector: the RPC message it was called for. */
export function rpcMessage(ctx: PacketContext): RpcMessage | undefined {
  return ctx.scratch[MESSAGE] as RpcMessage | undefined;
}

