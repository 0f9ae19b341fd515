// ONC-RPC version 2 (RFC 5531) as tshark 4.0's packet-rpc.c shows it: the call (XID, RPC
// version, program, version, procedure, credentials, verifier) and the reply (the matched call's
// program/version/procedure in brackets, reply and accept state, the call's frame and the time
// since it), then the program's own dissector, reached through the `rpc.program` dispatch table
// (names from ../rpc-program.ts). Over UDP RPC is found by tshark's heuristic: a call only for a
// program some dissector registered, with RPC version 2; a reply only when its XID matches a call
// seen before from the address it goes to, to the port it comes from (the conversation
// packet-rpc.c makes with NO_ADDR2|NO_PORT2). Over TCP each record starts with its record mark
// (RFC 5531 11: "Fragment header: Last fragment, 108 bytes"); a record longer than the segment is
// reassembled by TCP, and the conversation's calls and replies are matched on both ports.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookup, register, registerHeuristic } from '../dispatch.js';
import { canDesegment, requestDesegment } from '../desegment.js';
import { rpcProcedureName, rpcProgram, setRpcMessage, type RpcCall } from '../rpc-program.js';
import { FORGET_QUIET_AFTER_S, forgetFramesBefore, type PacketContext } from '../packet.js';
import { secondsBetween, type FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const MSG_TYPES: Record<number, string> = { 0: 'Call', 1: 'Reply' };
const FLAVORS: Record<number, string> = {
  0: 'AUTH_NULL', 1: 'AUTH_UNIX', 2: 'AUTH_SHORT', 3: 'AUTH_DES', 5: 'AUTH_RSA/Gluster', 6: 'RPCSEC_GSS', 300001: 'AUTH_GSSAPI',
  390003: 'RPCSEC_GSS_KRB5', 390004: 'RPCSEC_GSS_KRB5I', 390005: 'RPCSEC_GSS_KRB5P', 390006: 'RPCSEC_GSS_LIPKEY', 390007: 'RPCSEC_GSS_LIPKEY_I',
  390008: 'RPCSEC_GSS_LIPKEY_P', 390009: 'RPCSEC_GSS_SPKM3', 390010: 'RPCSEC_GSS_SPKM3I', 390011: 'RPCSEC_GSS_SPKM3P', 390039: 'AUTH_GLUSTERFS',
};
const ACCEPT_STATES: Record<number, string> = {
  0: 'RPC executed successfully', 1: "remote hasn't exported program", 2: "remote can't support version #", 3: "program can't support procedure",
  4: "procedure can't decode params", 5: 'system errors like memory allocation failure',
};
const REJECT_STATES: Record<number, string> = { 0: 'RPC_MISMATCH', 1: 'AUTH_ERROR' };
const AUTH_STATES: Record<number, string> = {
  1: 'bad credential (seal broken)', 2: 'client must begin new session', 3: 'bad verifier (seal broken)', 4: 'verifier expired or replayed',
  5: 'rejected for security reasons', 13: 'GSS credential problem', 14: 'GSS context problem',
};

export const rpcFields = defineFields([
  { name: 'rpc.lastfrag', label: 'Last Fragment', type: 'boolean', mask: 0x80000000, tf: ['Yes', 'No'] },
  { name: 'rpc.fraglen', label: 'Fragment Length', type: 'uint32', base: 'dec', mask: 0x7fffffff },
  { name: 'rpc.xid', label: 'XID', type: 'uint32', base: 'hex_dec', description: 'Transaction identifier' },
  { name: 'rpc.msgtyp', label: 'Message Type', type: 'uint32', base: 'dec', values: MSG_TYPES },
  { name: 'rpc.version', label: 'RPC Version', type: 'uint32', base: 'dec' },
  { name: 'rpc.version.min', label: 'RPC Version (Minimum)', type: 'uint32', base: 'dec' },
  { name: 'rpc.version.max', label: 'RPC Version (Maximum)', type: 'uint32', base: 'dec' },
  { name: 'rpc.program', label: 'Program', type: 'uint32', base: 'dec' },
  { name: 'rpc.programversion', label: 'Program Version', type: 'uint32', base: 'dec' },
  { name: 'rpc.programversion.min', label: 'Program Version (Minimum)', type: 'uint32', base: 'dec' },
  { name: 'rpc.programversion.max', label: 'Program Version (Maximum)', type: 'uint32', base: 'dec' },
  { name: 'rpc.procedure', label: 'Procedure', type: 'uint32', base: 'dec' },
  { name: 'rpc.auth.flavor', label: 'Flavor', type: 'uint32', base: 'dec', values: FLAVORS },
  { name: 'rpc.auth.length', label: 'Length', type: 'uint32', base: 'dec' },
  { name: 'rpc.auth.stamp', label: 'Stamp', type: 'uint32', base: 'hex' },
  { name: 'rpc.auth.machinename', label: 'Machine Name', type: 'string' },
  { name: 'rpc.auth.uid', label: 'UID', type: 'uint32', base: 'dec' },
  { name: 'rpc.auth.gid', label: 'GID', type: 'uint32', base: 'dec' },
  { name: 'rpc.opaque_length', label: 'length', type: 'uint32', base: 'dec' },
  { name: 'rpc.fill_bytes', label: 'fill bytes', type: 'bytes' },
  { name: 'rpc.opaque_data', label: 'opaque data', type: 'bytes' },
  { name: 'rpc.value_follows', label: 'Value Follows', type: 'boolean', tf: ['Yes', 'No'] },
  { name: 'rpc.replystat', label: 'Reply State', type: 'uint32', base: 'dec', values: { 0: 'accepted', 1: 'denied' } },
  { name: 'rpc.state_accept', label: 'Accept State', type: 'uint32', base: 'dec', values: ACCEPT_STATES },
  { name: 'rpc.state_reject', label: 'Reject State', type: 'uint32', base: 'dec', values: REJECT_STATES },
  { name: 'rpc.state_auth', label: 'Auth State', type: 'uint32', base: 'dec', values: AUTH_STATES },
  { name: 'rpc.reqframe', label: 'Request Frame', type: 'framenum' },
  { name: 'rpc.repframe', label: 'Reply Frame', type: 'framenum' },
  { name: 'rpc.time', label: 'Time from request', type: 'reltime', description: 'Time between Request and Reply for ONC-RPC calls' },
  { name: 'rpc.continuation_data', label: 'Continuation data', type: 'bytes' },
  { name: 'rpc.dup', label: 'Duplicate Call/Reply', type: 'none' },
  { name: 'rpc.call.dup', label: 'Duplicate to the call in', type: 'framenum', description: 'This is a duplicate to the call in frame' },
  { name: 'rpc.reply.dup', label: 'Duplicate to the reply in', type: 'framenum', description: 'This is a duplicate to the reply in frame' },
] as const);
const F = rpcFields;

const RPC_CALL = 0, RPC_REPLY = 1;
/** The largest record tshark's heuristic takes over TCP (rpc.max_tcp_pdu_size). */
const MAX_TCP_RECORD = 4 * 1024 * 1024;

// ---- Calls remembered per conversation (packet-rpc.c's rpc_conv_info xids) ----

/** What a frame's message was decided to be on the first pass (kept when frames are dissected again). */
interface Verdict { call: RpcCall; retransmitOf: number; duplicateOf: number }
interface RpcState {
  calls: Map<string, Map<number, RpcCall>>;
  /** By frame * 1024 + the message's index in the frame: in frame order (first pass). */
  verdicts: Map<number, Verdict>;
  /** Every XID a call was seen with, in any conversation (see matchedCall). */
  xids: Set<number>;
  /** Newest whole second of a call: "now" for the forgetting. */
  latest: number;
}

function stateOf(ctx: PacketContext): RpcState {
  const capture = ctx.capture;
  return capture.get<RpcState>('rpc.calls', () => {
    const st: RpcState = { calls: new Map(), verdicts: new Map(), xids: new Set(), latest: -Infinity };
    capture.onForget((first) => forgetCalls(st, first));
    return st;
  });
}

/**
 * A live capture's ring evicted the frames before `first`: their verdicts go, and so do the
 * calls made before it that have been quiet FORGET_QUIET_AFTER_S (a reply coming later is one
 * without a call, as tshark shows a reply whose call it never saw). tshark never forgets.
 */
function forgetCalls(st: RpcState, first: number): void {
  forgetFramesBefore(st.verdicts, first, (k) => Math.floor(k / 1024));
  const xids = new Set<number>();
  for (const [conv, calls] of st.calls) {
    for (const [xid, c] of calls) {
      if (Math.max(c.frame, c.reply) < first && st.latest - c.sec >= FORGET_QUIET_AFTER_S) calls.delete(xid);
      else xids.add(xid);
    }
    if (calls.size === 0) st.calls.delete(conv);
  }
  st.xids = xids;
}

/**
 * The conversation a message belongs to: over TCP both endpoints, either way; over UDP the
 * client's address and the server's port only (a reply may come from another address, go to
 * another client port).
 */
function conversationKey(ctx: PacketContext, tcp: boolean, msgType: number): string {
  const e = ctx.endpoints;
  if (tcp) {
    const a = `${e.src}/${e.srcPort ?? 0}`, b = `${e.dst}/${e.dstPort ?? 0}`;
    return a < b ? `t${a}|${b}` : `t${b}|${a}`;
  }
  return msgType === RPC_CALL ? `u${e.src}|${e.dstPort ?? 0}` : `u${e.dst}|${e.srcPort ?? 0}`;
}

/** The call a reply answers, if one was seen in its conversation. */
function matchedCall(ctx: PacketContext, tcp: boolean, xid: number): RpcCall | undefined {
  return stateOf(ctx).calls.get(conversationKey(ctx, tcp, RPC_REPLY))?.get(xid);
}

/**
 * Whether a reply may be RPC's: a context without addresses (the summary's fast path asks
 * whether a datagram goes to data before dissecting it) can only tell that some call had this
 * XID; the dissection then asks again with the addresses.
 */
function mayBeReply(ctx: PacketContext, tcp: boolean, xid: number): boolean {
  if (!ctx.endpoints.src && !ctx.endpoints.dst) return stateOf(ctx).xids.has(xid);
  return matchedCall(ctx, tcp, xid) !== undefined;
}

/**
 * dissect_rpc_message's first test: a call with RPC version 2 to a program a dissector registered,
 * or a reply whose XID matches a call of its conversation.
 */
function looksLikeRpc(tvb: Tvb, o: number, ctx: PacketContext, tcp: boolean): boolean {
  if (!tvb.has(o, 8)) return false;
  const msgType = tvb.u32(o + 4);
  if (msgType === RPC_CALL) {
    if (!tvb.has(o, 16)) return false;
    return tvb.u32(o + 8) === 2 && rpcProgram(tvb.u32(o + 12)) !== undefined && lookup('rpc.program', tvb.u32(o + 12)) !== undefined;
  }
  if (msgType === RPC_REPLY) {
    const frameVerdict = ctx.capture.revisits ? stateOf(ctx).verdicts.get(ctx.frame.number * 1024) : undefined;
    return frameVerdict !== undefined || mayBeReply(ctx, tcp, tvb.u32(o));
  }
  return false;
}

// ---- Credentials and verifier (RFC 5531 8.2, 9) ----

/** An XDR opaque or string: "Label: value" with its length, contents and fill bytes under it. Returns the offset after it. */
function addOpaqueString(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number, label: string, field: typeof F['rpc.auth.machinename']): number {
  const len = tvb.u32(o);
  const padded = len + ((4 - (len % 4)) % 4);
  tvb.check(o + 4, len);
  const s = tvb.ascii(o + 4, len);
  const shown = len === 0 ? '<EMPTY>' : s;
  const t = ctx.addText(parent, tvb, o, 4 + padded, `${label}: ${shown}`);
  ctx.add(t, F['rpc.opaque_length'], tvb, o, 4, len);
  ctx.add(t, field, tvb, o + 4, len, s, `contents: ${shown}`);
  if (padded > len) ctx.add(t, F['rpc.fill_bytes'], tvb, o + 4 + len, padded - len, tvb.slice(o + 4 + len, padded - len), 'fill bytes: opaque data');
  return o + 4 + padded;
}

function addAuthUnix(ctx: PacketContext, tree: FieldNode, tvb: Tvb, o: number): void {
  ctx.add(tree, F['rpc.auth.stamp'], tvb, o, 4, tvb.u32(o));
  let p = addOpaqueString(ctx, tree, tvb, o + 4, 'Machine Name', F['rpc.auth.machinename']);
  ctx.add(tree, F['rpc.auth.uid'], tvb, p, 4, tvb.u32(p));
  ctx.add(tree, F['rpc.auth.gid'], tvb, p + 4, 4, tvb.u32(p + 4));
  const n = tvb.u32(p + 8);
  p += 12;
  // As many as there are bytes for; a count past them ends in the exception after the list.
  const gids: number[] = [];
  while (gids.length < n && tvb.has(p + 4 * gids.length, 4)) gids.push(tvb.u32(p + 4 * gids.length));
  const t = ctx.addText(tree, tvb, p - 4, 4 + 4 * gids.length, `Auxiliary GIDs (${n})${gids.length ? ` [${gids.join(', ')}]` : ''}`);
  gids.forEach((g, i) => ctx.add(t, F['rpc.auth.gid'], tvb, p + 4 * i, 4, g));
  if (gids.length < n) tvb.check(p + 4 * gids.length, 4);
}

/** Credentials or Verifier: flavor, length, and for AUTH_UNIX credentials its fields. Returns the offset after it. */
function addAuth(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number, title: 'Credentials' | 'Verifier'): number {
  const flavor = tvb.u32(o), len = tvb.u32(o + 4);
  const t = ctx.addText(parent, tvb, o, 8 + len, title);
  ctx.add(t, F['rpc.auth.flavor'], tvb, o, 4, flavor);
  ctx.add(t, F['rpc.auth.length'], tvb, o + 4, 4, len);
  if (title === 'Credentials' && flavor === 1) addAuthUnix(ctx, t, tvb, o + 8);
  else if (len > 0) ctx.add(t, F['rpc.opaque_data'], tvb, o + 8, len, tvb.slice(o + 8, len), 'opaque data');
  return o + 8 + ((len + 3) & ~3);
}

// ---- One message ----

/**
 * Dissects the RPC message at `o` of `tvb` under `node` (the RPC item), then hands the arguments
 * or results to the program. `index`: the message's place in the packet (the first replaces the
 * Info column, later ones append "  ; " and theirs). `tcp`: the record mark is at o - 4.
 */
function dissectMessage(tvb: Tvb, o: number, ctx: PacketContext, node: FieldNode, index: number, tcp: boolean): void {
  const st = stateOf(ctx);
  const first = index === 0;
  const start = o;
  ctx.protocol = 'RPC';
  if (tcp) {
    const rm = tvb.u32(o - 4);
    const len = rm & 0x7fffffff;
    const last = rm >= 0x80000000;
    const h = ctx.addText(node, tvb, o - 4, 4, `Fragment header: ${last ? 'Last fragment, ' : ''}${len} ${len === 1 ? 'byte' : 'bytes'}`);
    ctx.add(h, F['rpc.lastfrag'], tvb, o - 4, 4, last);
    ctx.add(h, F['rpc.fraglen'], tvb, o - 4, 4, len);
  }
  const xid = tvb.u32(o);
  const msgType = tvb.u32(o + 4);
  const typeName = MSG_TYPES[msgType]!;
  ctx.add(node, F['rpc.xid'], tvb, o, 4, xid);
  ctx.add(node, F['rpc.msgtyp'], tvb, o + 4, 4, msgType);
  if (ctx.tree) ctx.setText(node, `Remote Procedure Call, Type:${typeName} XID:0x${xid.toString(16).padStart(8, '0')}`);
  o += 8;
  const verdictKey = ctx.frame.number * 1024 + Math.min(index, 1023);
  let verdict = ctx.capture.revisits ? st.verdicts.get(verdictKey) : undefined;
  let dissectBody = true;
  let call: RpcCall;
  const info: string[] = [];
  const prefix = first ? '' : `${ctx.info}  ; `;

  if (msgType === RPC_CALL) {
    const prog = tvb.u32(o + 4), vers = tvb.u32(o + 8), proc = tvb.u32(o + 12);
    const program = rpcProgram(prog)!;
    const procName = rpcProcedureName(prog, vers, proc) ?? `proc-${proc}`;
    ctx.add(node, F['rpc.version'], tvb, o, 4, tvb.u32(o));
    ctx.add(node, F['rpc.program'], tvb, o + 4, 4, prog, () => `Program: ${program.name} (${prog})`);
    ctx.protocol = program.name;
    ctx.add(node, F['rpc.programversion'], tvb, o + 8, 4, vers);
    ctx.add(node, F['rpc.procedure'], tvb, o + 12, 4, proc, () => `Procedure: ${procName} (${proc})`);
    info.push(`V${vers} ${procName} ${typeName}`);
    if (!verdict) {
      const convKey = conversationKey(ctx, tcp, RPC_CALL);
      let calls = st.calls.get(convKey);
      if (!calls) st.calls.set(convKey, (calls = new Map()));
      const seen = calls.get(xid);
      if (seen) {
        verdict = { call: seen, retransmitOf: seen.frame !== ctx.frame.number ? seen.frame : 0, duplicateOf: 0 };
      } else {
        const c: RpcCall = { xid, prog, vers, proc, frame: ctx.frame.number, sec: ctx.frame.ts.sec, nsec: ctx.frame.ts.nsec, reply: 0, notes: {} };
        calls.set(xid, c);
        st.xids.add(xid);
        if (c.sec > st.latest) st.latest = c.sec;
        verdict = { call: c, retransmitOf: 0, duplicateOf: 0 };
      }
      if (ctx.capture.revisits) st.verdicts.set(verdictKey, verdict);
    }
    call = verdict.call;
    if (verdict.retransmitOf) {
      // Not marked generated on a call (packet-rpc.c), only on a reply.
      ctx.add(node, F['rpc.dup'], tvb, start, 0, null);
      ctx.add(node, F['rpc.call.dup'], tvb, start, 0, verdict.retransmitOf);
    }
    if (call.reply) {
      info.push(` (Reply In ${call.reply})`);
      ctx.addGenerated(node, F['rpc.reqframe'], call.reply, `The reply to this request is in frame ${call.reply}`);
    }
    o += 16;
    o = addAuth(ctx, node, tvb, o, 'Credentials');
    o = addAuth(ctx, node, tvb, o, 'Verifier');
    ctx.info = (verdict.retransmitOf ? `[RPC retransmission of #${verdict.retransmitOf}]` : '') + prefix + info.join('');
  } else {
    if (!verdict) {
      const c = matchedCall(ctx, tcp, xid)!;
      verdict = { call: c, retransmitOf: 0, duplicateOf: c.reply && c.reply !== ctx.frame.number ? c.reply : 0 };
      if (!c.reply) c.reply = ctx.frame.number;
      if (ctx.capture.revisits) st.verdicts.set(verdictKey, verdict);
    }
    call = verdict.call;
    const { prog, vers, proc } = call;
    const program = rpcProgram(prog);
    const procName = rpcProcedureName(prog, vers, proc) ?? `proc-${proc}`;
    if (program) ctx.protocol = program.name;
    ctx.addGenerated(node, F['rpc.program'], prog, () => `Program: ${program?.name ?? 'Unknown'} (${prog})`);
    ctx.addGenerated(node, F['rpc.programversion'], vers);
    ctx.addGenerated(node, F['rpc.procedure'], proc, () => `Procedure: ${procName} (${proc})`);
    info.push(`V${vers} ${procName} ${typeName}`);
    const replyState = tvb.u32(o);
    ctx.add(node, F['rpc.replystat'], tvb, o, 4, replyState);
    o += 4;
    ctx.addGenerated(node, F['rpc.repframe'], call.frame, `This is a reply to a request in frame ${call.frame}`);
    ctx.addGenerated(node, F['rpc.time'], secondsBetween(ctx.frame.ts, { sec: call.sec, nsec: call.nsec }));
    info.push(` (Call In ${call.frame})`);
    if (verdict.duplicateOf) {
      ctx.addGenerated(node, F['rpc.dup'], null);
      ctx.addGenerated(node, F['rpc.reply.dup'], verdict.duplicateOf);
    }
    ctx.info = (verdict.duplicateOf ? `[RPC duplicate of #${verdict.duplicateOf}]` : '') + prefix + info.join('');
    if (replyState === 0) {
      o = addAuth(ctx, node, tvb, o, 'Verifier');
      const accept = tvb.u32(o);
      ctx.add(node, F['rpc.state_accept'], tvb, o, 4, accept);
      o += 4;
      if (accept === 2) {
        ctx.add(node, F['rpc.programversion.min'], tvb, o, 4, tvb.u32(o));
        ctx.add(node, F['rpc.programversion.max'], tvb, o + 4, 4, tvb.u32(o + 4));
        o += 8;
      }
      dissectBody = accept === 0;
    } else if (replyState === 1) {
      const reject = tvb.u32(o);
      ctx.add(node, F['rpc.state_reject'], tvb, o, 4, reject);
      o += 4;
      if (reject === 0) {
        ctx.add(node, F['rpc.version.min'], tvb, o, 4, tvb.u32(o));
        ctx.add(node, F['rpc.version.max'], tvb, o + 4, 4, tvb.u32(o + 4));
        o += 8;
      } else if (reject === 1) {
        ctx.add(node, F['rpc.state_auth'], tvb, o, 4, tvb.u32(o));
        o += 4;
      }
      dissectBody = false;
    } else {
      dissectBody = false;
    }
  }
  // proto_item_set_end: the RPC item ends where the header does.
  tvb.check(o, 0);
  ctx.setLength(node, o - start + (tcp ? 4 : 0));
  if (!dissectBody) {
    if (o < tvb.reportedLength) callProtocol(dataProtocol, tvb.sub(o), ctx, node);
    return;
  }
  const proto = lookup('rpc.program', call.prog);
  if (!proto) return;
  setRpcMessage(ctx, { call, isCall: msgType === RPC_CALL, procName: rpcProcedureName(call.prog, call.vers, call.proc) ?? `proc-${call.proc}`, versionField: F['rpc.programversion'] });
  const body = tvb.sub(o);
  if (rpcProcedureName(call.prog, call.vers, call.proc) === undefined) {
    // A version or procedure the program does not list: the program's item with RPC's version
    // and procedure lines, and the bytes as data under it; the program's dissector is not called.
    const n = ctx.add(ctx.upperParent, proto.field, body, 0, body.reportedLength, null);
    ctx.addGenerated(n, F['rpc.programversion'], call.vers);
    ctx.addGenerated(n, F['rpc.procedure'], call.proc, `Procedure: proc-${call.proc} (${call.proc})`);
    if (body.reportedLength > 0) callProtocol(dataProtocol, body, ctx, n);
    return;
  }
  if (body.reportedLength === 0) {
    // Nothing left: packet-rpc.c adds the program's item (its version and procedure lines) but
    // calls no dissector, so frame.protocols does not list the program.
    proto.dissect(body, ctx, ctx.add(ctx.upperParent, proto.field, body, 0, 0, null));
    return;
  }
  callProtocol(proto, body, ctx, ctx.upperParent);
}

// ---- Transports ----

/** The portmapper's port, where tshark registers RPC itself (not only its heuristic). */
const RPC_PORT = 111;

function dissectRpcUdp(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  if (!looksLikeRpc(tvb, 0, ctx, false)) {
    if (ctx.endpoints.srcPort !== RPC_PORT && ctx.endpoints.dstPort !== RPC_PORT) return false;
    // dissect_rpc on its port: what is not a call or a matched reply is a continuation.
    ctx.protocol = 'RPC';
    ctx.info = 'Continuation';
    const n = tvb.length;
    if (n > 0) ctx.add(node, F['rpc.continuation_data'], tvb, 0, n, tvb.slice(0, n));
    return true;
  }
  dissectMessage(tvb, 0, ctx, node, 0, false);
  return true;
}

/** Over TCP: one record after another, each behind its record mark; a record longer than what is left is asked of TCP. */
function dissectRpcTcp(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  if (!tvb.has(0, 4) || !recordLooksLikeRpc(tvb, 0, ctx)) return false;
  let o = 0;
  let index = 0;
  let rpcNode: FieldNode = node;
  while (o < tvb.reportedLength) {
    if (!tvb.has(o, 4)) {
      if (canDesegment(ctx)) requestDesegment(ctx, o, 4 - (tvb.reportedLength - o));
      break;
    }
    const len = tvb.u32(o) & 0x7fffffff;
    if (o + 4 + len > tvb.reportedLength && canDesegment(ctx)) {
      requestDesegment(ctx, o, o + 4 + len - tvb.reportedLength);
      break;
    }
    if (index > 0) {
      if (!recordLooksLikeRpc(tvb, o, ctx)) break;
      // Another item, but not another layer: packet-rpc.c loops over the records itself.
      rpcNode = ctx.add(ctx.upperParent, rpcProtocol.field, tvb, o, 4 + len, null);
    }
    const record = tvb.sub(o, 4 + len, 4 + len);
    dissectMessage(record, 4, ctx, rpcNode, index, true);
    o += 4 + len;
    index++;
  }
  return true;
}

function recordLooksLikeRpc(tvb: Tvb, o: number, ctx: PacketContext): boolean {
  const len = tvb.u32(o) & 0x7fffffff;
  if (len < 8 || len > MAX_TCP_RECORD) return false;
  return looksLikeRpc(tvb.sub(o + 4), 0, ctx, true);
}

function dissectRpc(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  return ctx.scratch['transport'] === 'tcp' ? dissectRpcTcp(tvb, ctx, node) : dissectRpcUdp(tvb, ctx, node);
}

export const rpcProtocol = defineProtocol('rpc', 'Remote Procedure Call', dissectRpc);

register('udp.port', RPC_PORT, rpcProtocol);
register('tcp.port', RPC_PORT, rpcProtocol);
// packet-rpc.c's heuristics on UDP and TCP (any port: NFS on 2049 is found this way in tshark 4.0).
registerHeuristic('udp', rpcProtocol, (tvb, ctx) => looksLikeRpc(tvb, 0, ctx, false));
registerHeuristic('tcp', rpcProtocol, (tvb, ctx) => tvb.has(0, 4) && recordLooksLikeRpc(tvb, 0, ctx));
