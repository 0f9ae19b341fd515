// UDP (RFC 768) as tshark 4.0 shows it (packet-udp.c, observed on the corpus):
//   Info "56520 → 53 Len=32"; a length field below 8 ends the dissection with
//   " [BAD UDP LENGTH 4 < 8]"; one past the IP payload is noted
//   " [BAD UDP LENGTH 32 > IP PAYLOAD LENGTH]" and the IP payload is used instead.
// udp.stream numbers UDP conversations (both addresses and ports, either direction) in the
// order they are first seen, as tshark's conversation table does; the per-frame answer is
// kept so re-dissection agrees. Payload hand-off follows decode_udp_ports: the lower port,
// then the higher port in the `udp.port` table, then the `udp` heuristics, then `data`.
import { CHECKSUM_STATUS_NAMES } from '../checksum.js';
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookup, register, tryHeuristics, type ConversationOpener, type Protocol } from '../dispatch.js';
import { endpoint, EndpointIds } from '../endpoint-ids.js';
import { FORGET_QUIET_AFTER_S, pickForgotten, type CaptureState, type PacketContext } from '../packet.js';
import { FrameTable } from '../frame-table.js';
import { nstimeDelta, type FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';


export const udpFields = defineFields([
  { name: 'udp.srcport', label: 'Source Port', type: 'uint16', base: 'dec' },
  { name: 'udp.dstport', label: 'Destination Port', type: 'uint16', base: 'dec' },
  { name: 'udp.port', label: 'Source or Destination Port', type: 'uint16', base: 'dec' },
  { name: 'udp.length', label: 'Length', type: 'uint16', base: 'dec' },
  { name: 'udp.length.bad', label: 'Bad length value', type: 'none' },
  { name: 'udp.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'udp.checksum.status', label: 'Checksum Status', type: 'uint8', base: 'none', values: CHECKSUM_STATUS_NAMES },
  { name: 'udp.checksum.zero', label: 'Illegal checksum value (0)', type: 'none' },
  { name: 'udp.stream', label: 'Stream index', type: 'uint32', base: 'dec' },
  { name: 'udp.time_relative', label: 'Time since first frame', type: 'reltime' },
  { name: 'udp.time_delta', label: 'Time since previous frame', type: 'reltime' },
  { name: 'udp.payload', label: 'Payload', type: 'bytes' },
] as const);

const F = udpFields;

interface UdpConversation {
  /** udp.stream; -1 for a conversation another protocol opened, until its first datagram. */
  index: number;
  /** The protocol that opened it (ConversationOpener), if not UDP itself. */
  owner?: string;
  /** The first and the latest packet's time, exactly. */
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
  lastFrame: number;
}

/**
 * Kept per datagram for revisits (a session keeps one per UDP frame of a file): one object of
 * small integers, not three objects and two boxed numbers (~90 -> ~32 bytes per datagram).
 */
interface UdpFrameInfo {
  stream: number;
  /** Since the conversation's first timed datagram (nstime_delta: exact), seconds and nanoseconds. */
  firstSec: number;
  firstNsec: number;
  /** Since its previous timed datagram. */
  prevSec: number;
  prevNsec: number;
}

interface UdpCaptureState {
  /** Numeric ids of the endpoint pairs `conversations` is keyed by. */
  ids: EndpointIds;
  conversations: Map<number, UdpConversation>;
  frames: FrameTable<UdpFrameInfo>;
  /** CaptureState.revisits: false keeps no `frames`. */
  revisits: boolean;
  /** The next udp.stream (numbers are never handed out twice, even once forgotten). */
  next: number;
  /** Newest packet time seen: "now" for the forgetting. */
  latest: number;
  /** udp.stream numbers forgotten since takeForgottenUdpStreams. */
  forgotten: number[];
  /** Conversations forgotten since ids last dropped their pairs. */
  dead: number;
}

function stateOf(capture: CaptureState): UdpCaptureState {
  return capture.get('udp.conversations', newUdpState);
}

function newUdpState(capture: CaptureState): UdpCaptureState {
  const st: UdpCaptureState = { ids: new EndpointIds(), conversations: new Map(), frames: new FrameTable(), revisits: capture.revisits, next: 0, latest: -Infinity, forgotten: [], dead: 0 };
  capture.onForget((first) => forget(st, first));
  return st;
}

/**
 * Frames before `first` were evicted from a live ring: forget their answers, and the
 * conversations none of whose frames is left that have been quiet FORGET_QUIET_AFTER_S (see
 * pickForgotten).
 */
function forget(st: UdpCaptureState, first: number): void {
  st.frames.forgetBefore(first);
  for (const [key, c] of pickForgotten(st.conversations, first, st.latest, ([, c]) => c.lastFrame, ([, c]) => c.lastSec + c.lastNsec / 1e9, () => FORGET_QUIET_AFTER_S)) {
    st.conversations.delete(key);
    if (c.index >= 0) st.forgotten.push(c.index);
    st.dead++;
  }
  if (st.dead > 1024 && st.dead > st.conversations.size) {
    st.ids.retain((id) => st.conversations.has(id));
    st.dead = 0;
  }
}

/** The udp.stream numbers forgotten since the last call (the conversation table follows). */
export function takeForgottenUdpStreams(capture: CaptureState): number[] {
  const st = capture.peek<UdpCaptureState>('udp.conversations');
  if (!st || st.forgotten.length === 0) return [];
  const out = st.forgotten;
  st.forgotten = [];
  return out;
}

/** The conversation key: both endpoints, ordered, so either direction finds the same entry. */
export function udpConversationKey(src: string, srcPort: number, dst: string, dstPort: number): string {
  const a = `${src}/${srcPort}`, b = `${dst}/${dstPort}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * udp.stream and the per-conversation times for this frame (first pass assigns, later passes
 * look up). `timed`: the datagram counts as the conversation's latest (one with a payload).
 */
function conversationOf(ctx: PacketContext, srcPort: number, dstPort: number, timed: boolean): UdpFrameInfo {
  const st = stateOf(ctx.capture);
  const known = st.revisits ? st.frames.get(ctx.frame.number) : undefined;
  if (known) return known;
  const { sec, nsec } = ctx.frame.ts;
  return assignStream(st, ctx.frame.number, conversationFor(st, pairKey(st, ctx, srcPort, dstPort), ctx.frame.number, sec, nsec), sec, nsec, timed);
}

/** The packet's conversation key: both endpoints, either direction: the network addresses, or the column text without them. */
function pairKey(st: UdpCaptureState, ctx: PacketContext, srcPort: number, dstPort: number): number {
  const ep = ctx.endpoints, ids = st.ids;
  return ids.pair(endpoint(ep.netSrc ? ids.addr(ep.netSrc) : ids.text(ctx.src), srcPort), endpoint(ep.netDst ? ids.addr(ep.netDst) : ids.text(ctx.dst), dstPort));
}

/** The conversation of an endpoint pair, started (udp.stream handed out) at its first datagram. */
function conversationFor(st: UdpCaptureState, key: number, frame: number, sec: number, nsec: number): UdpConversation {
  let conv = st.conversations.get(key);
  if (!conv) {
    conv = { index: st.next++, lastFrame: frame, firstSec: sec, firstNsec: nsec, lastSec: sec, lastNsec: nsec };
    st.conversations.set(key, conv);
  } else if (conv.index < 0) {
    // Opened by another protocol: UDP's data (the number, the first time) starts now.
    conv.index = st.next++;
    conv.firstSec = sec;
    conv.firstNsec = nsec;
    conv.lastSec = sec;
    conv.lastNsec = nsec;
  }
  return conv;
}

/**
 * UDP's ConversationOpener: the datagram keeps its udp.stream; the next one of the pair finds a
 * conversation without UDP's data and gets a new number and new times (tshark: the SNMP
 * response is in the stream after its request's).
 */
const openConversation: ConversationOpener = (ctx, owner) => {
  const st = stateOf(ctx.capture);
  // dissectUdp set the ports before handing the payload on.
  const key = pairKey(st, ctx, ctx.endpoints.srcPort ?? 0, ctx.endpoints.dstPort ?? 0);
  const current = st.conversations.get(key);
  if (current?.owner === owner) return;
  const { sec, nsec } = ctx.frame.ts;
  st.conversations.set(key, { index: -1, owner, lastFrame: ctx.frame.number, firstSec: sec, firstNsec: nsec, lastSec: sec, lastNsec: nsec });
};

/** This frame's udp.stream and times in its conversation (kept for revisits), then a timed datagram counts as its latest. */
function assignStream(st: UdpCaptureState, frame: number, conv: UdpConversation, sec: number, nsec: number, timed: boolean): UdpFrameInfo {
  // The differences from whole seconds and nanoseconds: epoch floats lose the last digits.
  const now = { sec, nsec };
  const sinceFirst = nstimeDelta(now, { sec: conv.firstSec, nsec: conv.firstNsec });
  const sincePrevious = nstimeDelta(now, { sec: conv.lastSec, nsec: conv.lastNsec });
  // `| 0`: whole seconds within ±68 years stay small integers in the object (a double field boxes).
  const info: UdpFrameInfo = {
    stream: conv.index, firstSec: sinceFirst.sec | 0, firstNsec: sinceFirst.nsec, prevSec: sincePrevious.sec | 0, prevNsec: sincePrevious.nsec,
  };
  noteDatagram(st, conv, frame, sec, nsec, timed);
  if (st.revisits) st.frames.set(frame, info);
  return info;
}

/**
 * The datagram is the conversation's latest. Only one with a payload sets the time the next one's
 * "Time since previous frame" counts from: packet-udp.c computes the times in decode_udp_ports,
 * which an empty datagram never reaches.
 */
function noteDatagram(st: UdpCaptureState, conv: UdpConversation, frame: number, sec: number, nsec: number, timed: boolean): void {
  if (timed) {
    conv.lastSec = sec;
    conv.lastNsec = nsec;
  }
  if (frame > conv.lastFrame) conv.lastFrame = frame;
  const now = sec + nsec / 1e9;
  if (now > st.latest) st.latest = now;
}

/**
 * udp.stream of a datagram between two network addresses, numbered in the same sequence as the
 * dissector's (the tracker's fast path, app/tcp/fast-observe.ts, calls this for the packets it
 * decodes without dissecting, so both paths can share one capture).
 */
export function udpStreamOf(capture: CaptureState, frame: number, sec: number, nsec: number, src: Uint8Array, srcPort: number, dst: Uint8Array, dstPort: number, timed: boolean): number {
  const st = stateOf(capture);
  // A frame seen before has its number kept only when frames are revisited.
  const known = st.revisits ? st.frames.get(frame) : undefined;
  if (known) return known.stream;
  const ids = st.ids;
  const conv = conversationFor(st, ids.pair(endpoint(ids.addr(src), srcPort), endpoint(ids.addr(dst), dstPort)), frame, sec, nsec);
  // Nothing keeps this frame's times here (no revisit asks for them): no UdpFrameInfo is made.
  if (st.revisits) return assignStream(st, frame, conv, sec, nsec, timed).stream;
  noteDatagram(st, conv, frame, sec, nsec, timed);
  return conv.index;
}

/** LBL traceroute's probes go to ports from 32768 + 666 + 1 on, three per hop (packet-udp.c). */
const TRACEROUTE_BASE = 32768 + 666;

/** tshark's chat note on a port in the first ten hops' range of traceroute probes. */
function tracerouteNote(ctx: PacketContext, portNode: FieldNode, port: number): void {
  if (port <= TRACEROUTE_BASE || port > TRACEROUTE_BASE + 30) return;
  const probe = port - TRACEROUTE_BASE - 1;
  ctx.addExpert(portNode, 'chat', 'sequence', `Possible traceroute: hop #${Math.floor(probe / 3) + 1}, attempt #${(probe % 3) + 1}`);
}

function dissectUdp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  // packet-udp.c reads the ports before it sets the columns or adds its item: fewer than
  // four bytes (an empty IPv6 payload) show only the exception, under the layer before.
  if (!tvb.has(0, 4)) {
    ctx.removeNodeAnywhere(node);
    tvb.check(0, 4);
  }
  const srcPort = tvb.u16(0);
  const dstPort = tvb.u16(2);
  ctx.protocol = 'UDP';
  ctx.scratch['transport'] = 'udp';
  ctx.info = `${srcPort} \u2192 ${dstPort}`;
  if (ctx.tree) ctx.setText(node, `User Datagram Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}`);
  tracerouteNote(ctx, ctx.add(node, F['udp.srcport'], tvb, 0, 2, srcPort), srcPort);
  tracerouteNote(ctx, ctx.add(node, F['udp.dstport'], tvb, 2, 2, dstPort), dstPort);
  ctx.addHidden(node, F['udp.port'], tvb, 0, 2, srcPort);
  ctx.addHidden(node, F['udp.port'], tvb, 2, 2, dstPort);
  ctx.endpoints.srcPort = srcPort;
  ctx.endpoints.dstPort = dstPort;

  const ulen = tvb.u16(4);
  const ipPayload = tvb.reportedLength;
  if (ulen < 8) {
    const n = ctx.add(node, F['udp.length'], tvb, 4, 2, ulen, `Length: ${ulen} (bogus, must be >= 8)`);
    ctx.addExpert(n, 'error', 'malformed', `Bad length value ${ulen} < 8`);
    ctx.info += ` [BAD UDP LENGTH ${ulen} < 8]`;
    return;
  }
  let payload: Tvb;
  // A header quoted in an ICMP error comes with only the start of its datagram: no check
  // (packet-udp.c skips it for pinfo->flags.in_error_pkt).
  const quoted = ctx.scratch['inErrorPacket'] === true;
  if (ulen > ipPayload && quoted) {
    ctx.add(node, F['udp.length'], tvb, 4, 2, ulen);
    payload = tvb.sub(8);
  } else if (ulen > ipPayload) {
    const n = ctx.add(node, F['udp.length'], tvb, 4, 2, ulen, `Length: ${ulen} (bogus, payload length ${ipPayload})`);
    ctx.addExpert(n, 'error', 'malformed', `Bad length value ${ulen} > IP payload length`);
    ctx.info += ` [BAD UDP LENGTH ${ulen} > IP PAYLOAD LENGTH]`;
    payload = tvb.sub(8);
  } else {
    ctx.add(node, F['udp.length'], tvb, 4, 2, ulen);
    // The UDP length, not the IP one, bounds the datagram (IP may pad).
    payload = tvb.sub(8, ulen - 8, ulen - 8);
    ctx.setLength(node, Math.min(8, tvb.length));
  }

  const checksum = tvb.u16(6);
  const v6 = ctx.endpoints.netSrc?.length === 16;
  if (checksum === 0 && v6 && !quoted) {
    // RFC 8200 8.1: a zero checksum is not allowed over IPv6 (in a quote, packet-udp.c lets it be).
    const n = ctx.add(node, F['udp.checksum'], tvb, 6, 2, 0, 'Checksum: 0x0000 [zero-value illegal]');
    ctx.addExpert(n, 'error', 'checksum', 'Illegal checksum value (0)');
    ctx.addGenerated(n, F['udp.checksum.status'], 4, 'Checksum Status: Illegal');
  } else if (checksum === 0) {
    const n = ctx.add(node, F['udp.checksum'], tvb, 6, 2, 0, 'Checksum: 0x0000 [zero-value ignored]');
    ctx.addGenerated(n, F['udp.checksum.status'], 3, 'Checksum Status: Not present');
  } else {
    ctx.add(node, F['udp.checksum'], tvb, 6, 2, checksum, ctx.wants(F['udp.checksum']) ? `Checksum: 0x${checksum.toString(16).padStart(4, '0')} [unverified]` : undefined);
    ctx.addGenerated(node, F['udp.checksum.status'], 2, 'Checksum Status: Unverified');
  }

  // packet-udp.c adds the conversation's times with the payload: an empty datagram has none,
  // nor has one quoted in an ICMP error.
  const timed = ulen > 8 && !quoted;
  const conv = conversationOf(ctx, srcPort, dstPort, timed);
  ctx.addGenerated(node, F['udp.stream'], conv.stream);
  if (timed) {
    const ts = ctx.addText(node, tvb, 0, 0, '[Timestamps]');
    ctx.addRelTime(ts, F['udp.time_relative'], { sec: conv.firstSec, nsec: conv.firstNsec });
    ctx.addRelTime(ts, F['udp.time_delta'], { sec: conv.prevSec, nsec: conv.prevNsec });
  }
  ctx.info += ' Len=' + (ulen - 8);
  // packet-udp.c appends this after the length.
  if (checksum === 0 && v6) ctx.info += ' [ILLEGAL CHECKSUM (0)]';

  if (payload.reportedLength === 0) return;
  // tshark shows the captured bytes after the header as udp.payload, even past a short UDP length;
  // its label counts the payload bytes that were captured.
  const shown = tvb.remaining(8), captured = Math.min(shown, payload.reportedLength);
  if (ctx.wants(F['udp.payload'])) ctx.add(node, F['udp.payload'], tvb, 8, shown, tvb.slice(8, shown), `UDP payload (${captured} byte${captured === 1 ? '' : 's'})`);
  else tvb.check(8, shown);

  ctx.scratch['conversation.open'] = openConversation;
  try {
    callProtocol(payloadProtocol(srcPort, dstPort, payload, ctx), payload, ctx, null);
  } finally {
    ctx.scratch['conversation.open'] = undefined;
  }
}

/** The protocol a payload goes to: the lower port's, the higher port's, a heuristic's, or data. */
function payloadProtocol(srcPort: number, dstPort: number, payload: Tvb, ctx: PacketContext): Protocol {
  const low = Math.min(srcPort, dstPort), high = Math.max(srcPort, dstPort);
  return (low !== 0 ? lookup('udp.port', low) : undefined) ??
    (high !== 0 ? lookup('udp.port', high) : undefined) ??
    tryHeuristics('udp', payload, ctx) ??
    dataProtocol;
}

/**
 * For a datagram that is not being dissected (app/cli/summary-fast.ts): whether dissectUdp would
 * leave the columns UDP's — an empty payload, or one no port protocol and no heuristic takes
 * (it goes to `data`).
 */
export function udpPayloadGoesToData(srcPort: number, dstPort: number, payload: Tvb, ctx: PacketContext): boolean {
  return payload.reportedLength === 0 || payloadProtocol(srcPort, dstPort, payload, ctx) === dataProtocol;
}

export const udpProtocol = defineProtocol('udp', 'User Datagram Protocol', dissectUdp);
register('ip.proto', 17, udpProtocol);
