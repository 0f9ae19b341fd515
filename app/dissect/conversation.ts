// Conversations for the protocols carried over a transport (Wireshark's epan/conversation.c,
// the parts the text protocols need):
// - conversationState: a protocol's own state per connection (an FTP control connection's last
//   command, a POP session's pending command), kept in the CaptureState and forgotten with the
//   frames of a live capture as HTTP's conversations are (pickForgotten).
// - expectConversation / findExpectedConversation: a connection one protocol announces before it
//   starts, with the protocol that will carry it (conversation_new + conversation_set_dissector
//   with NO_PORT2): FTP's PASV/EPSV/PORT data connections. TCP asks for one before its port table,
//   as decode_tcp_ports tries the conversation's dissector first.
// Protocols still never import each other: they meet here by Protocol records, as in dispatch.ts.
import { TCP_STREAM_SCRATCH, type Protocol } from './dispatch.js';
import { FORGET_QUIET_AFTER_S, pickForgotten, type CaptureState, type PacketContext } from './packet.js';
import { latin1 } from './tvb.js';

/**
 * The key of the connection the packet belongs to. Over TCP its tcp.stream (TCP_STREAM_SCRATCH):
 * tshark's conversation is the connection, and one that reuses an earlier one's ports starts
 * afresh. Else both endpoints, whatever the direction, by the network addresses' bytes: inside
 * an ICMP error the column addresses are the outer packet's, while the quoted segment belongs
 * to the connection it was cut from.
 */
export function connectionKey(ctx: PacketContext): string {
  const stream = ctx.scratch[TCP_STREAM_SCRATCH];
  if (typeof stream === 'number') return `#${stream}`;
  const e = ctx.endpoints;
  const a = `${e.netSrc ? addressKey(e.netSrc) : e.src}/${e.srcPort ?? 0}`, b = `${e.netDst ? addressKey(e.netDst) : e.dst}/${e.dstPort ?? 0}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

interface Kept<T> {
  state: T;
  /** Last frame and its whole second that touched the connection (for forgetting it). */
  lastFrame: number;
  lastSec: number;
}

interface StateTable<T> {
  connections: Map<string, Kept<T>>;
  /** Newest second seen: "now" for the forgetting. */
  latest: number;
}

/**
 * The state `slot` (one per protocol: 'ftp.connections') keeps for the packet's connection,
 * made by `init` on its first packet. Connections whose every frame a live ring evicted, and
 * that have been quiet FORGET_QUIET_AFTER_S, are forgotten (tshark never forgets: a packet of
 * such a connection arriving later starts afresh).
 */
export function conversationState<T>(ctx: PacketContext, slot: string, init: () => T): T {
  const capture = ctx.capture;
  const table = capture.get<StateTable<T>>(slot, () => {
    const t: StateTable<T> = { connections: new Map(), latest: -Infinity };
    capture.onForget((first) => {
      for (const [k] of pickForgotten(t.connections, first, t.latest, ([, c]) => c.lastFrame, ([, c]) => c.lastSec, () => FORGET_QUIET_AFTER_S)) t.connections.delete(k);
    });
    return t;
  });
  const key = connectionKey(ctx);
  const f = ctx.frame;
  let kept = table.connections.get(key);
  if (!kept) table.connections.set(key, (kept = { state: init(), lastFrame: 0, lastSec: 0 }));
  if (f.number > kept.lastFrame) {
    kept.lastFrame = f.number;
    kept.lastSec = f.ts.sec;
  }
  if (f.ts.sec > table.latest) table.latest = f.ts.sec;
  return kept.state;
}

/** A connection announced by another one, and the protocol that dissects it. */
export interface ExpectedConversation {
  proto: Protocol;
  /** The frame that announced it (Wireshark's conversation setup_frame). */
  setupFrame: number;
  /** What the announcing protocol shares with the one carrying it (FTP's command for FTP-DATA). */
  data: unknown;
  /** Endpoint A, always known. */
  addrA: string;
  portA: number;
  /** Endpoint B's address; its port 0 until the first packet of the connection fixes it (NO_PORT2). */
  addrB: string;
  portB: number;
  lastFrame: number;
  lastSec: number;
}

interface ExpectedTable {
  /** By endpoint A ("address bytes/port"): the conversations announced for it, oldest first. */
  byA: Map<string, ExpectedConversation[]>;
  latest: number;
}

const EXPECTED = 'conversation.expected';

function endpointKey(addr: string, port: number): string {
  return `${addr}/${port}`;
}

/** An address as the expected-conversation table keys it (its bytes). */
export function addressKey(addr: Uint8Array): string {
  return latin1(addr);
}

/**
 * Announces a connection between `addrA`:`portA` and `addrB` on any port (the first connection
 * seen fixes it), to be dissected by `proto` from frame `ctx.frame.number` on.
 */
export function expectConversation(ctx: PacketContext, addrA: Uint8Array, portA: number, addrB: Uint8Array, proto: Protocol, data: unknown): ExpectedConversation {
  const capture = ctx.capture;
  const table = capture.get<ExpectedTable>(EXPECTED, () => {
    const t: ExpectedTable = { byA: new Map(), latest: -Infinity };
    capture.onForget((first) => {
      for (const [k, list] of t.byA) {
        const gone = new Set(pickForgotten(list, first, t.latest, (c) => c.lastFrame, (c) => c.lastSec, () => FORGET_QUIET_AFTER_S));
        if (gone.size === list.length) t.byA.delete(k);
        else if (gone.size > 0) t.byA.set(k, list.filter((c) => !gone.has(c)));
      }
    });
    return t;
  });
  const f = ctx.frame;
  const c: ExpectedConversation = {
    proto, setupFrame: f.number, data, addrA: addressKey(addrA), portA, addrB: addressKey(addrB), portB: 0, lastFrame: f.number, lastSec: f.ts.sec,
  };
  const key = endpointKey(c.addrA, portA);
  const list = table.byA.get(key);
  if (list) list.push(c);
  else table.byA.set(key, [c]);
  if (f.ts.sec > table.latest) table.latest = f.ts.sec;
  return c;
}

/**
 * The announced conversation a packet between these endpoints belongs to: the newest announced
 * at or before `frame` whose endpoint A is one end and whose endpoint B is the other (its port
 * is fixed by the first packet that matches, as Wireshark's conversation_set_port2). Costs one
 * map lookup when nothing was ever announced.
 */
export function findExpectedConversation(capture: CaptureState, frame: number, sec: number, netSrc: Uint8Array | undefined, srcPort: number,
  netDst: Uint8Array | undefined, dstPort: number): ExpectedConversation | undefined {
  const table = capture.peek<ExpectedTable>(EXPECTED);
  const found = table && match(table, frame, netSrc, srcPort, netDst, dstPort);
  if (!found) return undefined;
  const [c, portB] = found;
  c.portB = portB;
  if (frame > c.lastFrame) {
    c.lastFrame = frame;
    c.lastSec = sec;
  }
  if (sec > table.latest) table.latest = sec;
  return c;
}

/** Whether a connection between these endpoints was announced before `frame` (changes nothing). */
export function announcedBefore(capture: CaptureState, frame: number, netSrc: Uint8Array | undefined, srcPort: number, netDst: Uint8Array | undefined, dstPort: number): boolean {
  const table = capture.peek<ExpectedTable>(EXPECTED);
  return table !== undefined && match(table, frame - 1, netSrc, srcPort, netDst, dstPort) !== undefined;
}

/** Whether a packet between these endpoints would belong to an announced conversation (changes nothing). */
export function isExpectedConversation(capture: CaptureState, netSrc: Uint8Array | undefined, srcPort: number, netDst: Uint8Array | undefined, dstPort: number): boolean {
  const table = capture.peek<ExpectedTable>(EXPECTED);
  return table !== undefined && match(table, Infinity, netSrc, srcPort, netDst, dstPort) !== undefined;
}

function match(table: ExpectedTable, frame: number, netSrc: Uint8Array | undefined, srcPort: number, netDst: Uint8Array | undefined,
  dstPort: number): [ExpectedConversation, number] | undefined {
  if (!netSrc || !netDst) return undefined;
  const src = addressKey(netSrc), dst = addressKey(netDst);
  let best: [ExpectedConversation, number] | undefined;
  for (const [a, aPort, b, bPort] of [[src, srcPort, dst, dstPort], [dst, dstPort, src, srcPort]] as const) {
    for (const c of table.byA.get(endpointKey(a, aPort)) ?? []) {
      if (c.setupFrame > frame || c.addrB !== b || (c.portB !== 0 && c.portB !== bPort)) continue;
      if (!best || c.setupFrame > best[0].setupFrame) best = [c, bPort];
    }
  }
  return best;
}
