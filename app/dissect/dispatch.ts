// Protocols meet only here: a lower layer hands its payload to whatever registered for a key
// in a table (`ethertype` 0x0800 -> ip, `ip.proto` 6 -> tcp, `udp.port` 53 -> dns), never by
// importing the next protocol. Same idea as Wireshark's dissector tables and heuristics.
import { defineFields, type FieldDef } from './field.js';
import type { FieldNode } from './tree.js';
import type { PacketContext } from './packet.js';
import { MalformedError, TruncatedError, Tvb } from './tvb.js';

/**
 * A dissector. Returning `false` rejects the payload (Wireshark's "return 0": not mine), and
 * callProtocol takes the layer back out so the caller can try something else. Returning
 * SWALLOWED takes the payload but shows nothing of it: no layer, no node, and the caller tries
 * nothing else (tshark's HTTP with bytes it will not call HTTP, on an HTTP port: TCP alone).
 * REJECTED_SHOWN rejects the payload but leaves what the dissector added in the tree (a
 * Wireshark dissector that added its item, then returned 0: IPv6 with a bogus version).
 */
export type DissectFn = (tvb: Tvb, ctx: PacketContext, node: FieldNode) => void | boolean | typeof SWALLOWED | typeof REJECTED_SHOWN;

export const SWALLOWED = 'swallowed';
export const REJECTED_SHOWN = 'rejected-shown';

/** A protocol: its layer node and its dissector. Fields are defined in the protocol's file. */
export interface Protocol {
  /** Filter name and frame.protocols entry: `tcp`. */
  id: string;
  /** Tree label: `Transmission Control Protocol`. */
  name: string;
  /** The protocol field (`tcp`), for existence filters and the layer node. */
  field: FieldDef;
  dissect: DissectFn;
  /** Short name for columns (`IPv6`); defaults to the id in upper case. */
  short: string;
  /**
   * It opens conversations of its own (tshark's conversation_new): on its endpoint pair through
   * ctx.scratch['conversation.open'], which starts a new udp.stream (SNMP), or announced for
   * connections to come (FTP's data connections, conversation.ts). Passes that number streams
   * or judge connections without dissecting must dissect its packets.
   */
  opensConversations?: boolean;
}

/**
 * ctx.scratch['conversation.open'] while a transport's payload is dissected (UDP's): `owner`
 * makes the packet's endpoint pair a conversation of its own unless it is one already, as a
 * tshark dissector's conversation_new does.
 */
export type ConversationOpener = (ctx: PacketContext, owner: string) => void;

/**
 * Whether a segment or datagram between these ports may go to a protocol that opens
 * conversations (by either port's table entry): passes that skip dissection must dissect it.
 */
export function portOpensConversations(table: 'tcp.port' | 'udp.port', srcPort: number, dstPort: number): boolean {
  const ports = table === 'tcp.port' ? tcpPorts : udpPorts;
  return (srcPort !== 0 && ports[srcPort]?.opensConversations === true) || (dstPort !== 0 && ports[dstPort]?.opensConversations === true);
}

export type TableName = 'linktype' | 'ethertype' | 'gre.proto' | 'ppp.proto' | 'llc.dsap' | 'llc.cisco_pid' | 'ip.proto' | 'tcp.port' | 'udp.port' | 'sll.ltype' | 'rpc.program' | 'netlink.protocol' | 'wlan.mgt';

/** The tables other than the port tables. */
const tables = new Map<TableName, Map<number, Protocol>>();
// The port tables as arrays indexed by port: the fast passes ask portOpensConversations for both
// ports of every segment, and two Map lookups per port were ~4% of `synscope conv` on a million
// packets.
const tcpPorts: Array<Protocol | undefined> = new Array<Protocol | undefined>(65536).fill(undefined);
const udpPorts: Array<Protocol | undefined> = new Array<Protocol | undefined>(65536).fill(undefined);
const heuristics = new Map<string, Array<{ proto: Protocol; test: (tvb: Tvb, ctx: PacketContext) => boolean }>>();

/** Declares a protocol: defines its layer field (`tcp`) and returns the Protocol record. */
export function defineProtocol(id: string, name: string, dissect: DissectFn, short = id.toUpperCase()): Protocol {
  const fields = defineFields([{ name: id, label: name, type: 'protocol', description: name }] as const);
  return { id, name, field: (fields as Record<string, FieldDef>)[id]!, dissect, short };
}

export function register(table: TableName, key: number, proto: Protocol): void {
  if (table === 'tcp.port' || table === 'udp.port') {
    if (!Number.isInteger(key) || key < 0 || key > 0xffff) throw new Error(`${table} ${key} is not a port number`);
    (table === 'tcp.port' ? tcpPorts : udpPorts)[key] = proto;
    return;
  }
  let t = tables.get(table);
  if (!t) tables.set(table, (t = new Map()));
  t.set(key, proto);
}

/**
 * Wireshark's "media_type" table: the dissector of a message body by its media type (lower
 * case, without parameters: `text/html`). MEDIA_TYPE_DEFAULT names the one for types nobody
 * registered (Wireshark's "media" dissector).
 */
const mediaTypes = new Map<string, Protocol>();
export const MEDIA_TYPE_DEFAULT = '*';
/**
 * Where TCP leaves the port by which it found the protocol it calls (Wireshark's
 * pinfo->match_uint; 0 for a heuristic or a conversation's protocol): a client/server protocol
 * tells requests from responses by whether this is the destination port.
 */
export const MATCH_PORT_SCRATCH = 'match_uint';
/**
 * Where TCP leaves, for the protocols it hands its payload to, the segment's connection: its
 * tcp.stream. tshark's conversation is the connection (a SYN reusing the ports with another ISN
 * starts a new one), so a protocol that keeps state per conversation keys it by this number,
 * without interning the endpoints again. Undefined without a tracker, and outside TCP's payload
 * (inside a TCP carried by TCP, the inner one's, then the outer's again).
 */
export const TCP_STREAM_SCRATCH = 'tcp.stream';
/** Where the caller leaves the body's Content-Type parameters (a multipart's boundary) for the dissector it calls (message_info.media_str). */
export const MEDIA_PARAMETERS_SCRATCH = 'media_parameters';
/** ctx.scratch key: the HTTP/2 stream whose DATA a streaming protocol (gRPC) is given. */
export const GRPC_CALL_SCRATCH = 'grpc.call';
export interface GrpcCall {
  /** The request's :path. */
  path: string;
  /** Whether the bytes are the request's (the client's side). */
  request: boolean;
  /** The side's content type, without parameters. */
  contentType: string;
  /** The side's grpc-encoding ("" when none). */
  encoding: string;
}
/**
 * ctx.scratch key: the HTTP/1.x message whose body a media type's dissector is given (HttpMessage):
 * gRPC-Web names its messages by the request's URI (tshark's curr_req_res->request_uri).
 */
export const HTTP_MESSAGE_SCRATCH = 'http.message';
export interface HttpMessage {
  request: boolean;
  /** The request's URI (for a response, the request it answers; "" when none was seen). */
  uri: string;
  /** The message's grpc-encoding header ("" when none). */
  grpcEncoding: string;
}
/**
 * ctx.scratch key: set when a protocol fenced the Protocol column (col_set_fence(COL_PROTOCOL)):
 * gRPC's "GRPC" stays, where HTTP/2 would put its own back after the frames of a segment.
 */
export const PROTOCOL_FENCE_SCRATCH = 'protocol.fence';
/** ctx.scratch key: what the caller says a Protocol Buffers message is ("/t.S/Call,request"), for its item's label. */
export const PROTOBUF_MESSAGE_SCRATCH = 'protobuf.message';
/** ctx.scratch key: the Sec-WebSocket-Extensions a 101 response agreed, for WebSocket's first frame (HTTP sets it when it hands the connection on). */
export const WEBSOCKET_EXTENSIONS_SCRATCH = 'websocket.extensions';
/** Where the caller leaves the body's media type for the dissector it calls (Wireshark's match_string). */
export const MEDIA_TYPE_SCRATCH = 'media_type';

export function registerMediaType(mediaType: string, proto: Protocol): void {
  mediaTypes.set(mediaType, proto);
}

/** The protocol registered for a media type, or the default's when none is. */
export function lookupMediaType(mediaType: string): Protocol | undefined {
  return mediaTypes.get(mediaType) ?? mediaTypes.get(MEDIA_TYPE_DEFAULT);
}

/**
 * A media type whose body HTTP/2 hands on frame by frame, as its DATA frames come (tshark's
 * "streaming_content_type" table: gRPC's calls stream for as long as they last). `pduLength` is how
 * the protocol frames its messages: the length of the one starting at `offset` as far as the bytes
 * there tell (at least 1). When they are too few to tell, it says how many it needs to tell, as
 * tshark's desegment_len does (gRPC: its 5-byte header); HTTP/2 waits for that many, puts them
 * together and asks again. `proto` is given whole messages only.
 */
export interface StreamingMediaType {
  proto: Protocol;
  pduLength: (data: Uint8Array, offset: number) => number;
}

const streamingMediaTypes = new Map<string, StreamingMediaType>();

export function registerStreamingMediaType(mediaType: string, proto: Protocol, pduLength: StreamingMediaType['pduLength']): void {
  streamingMediaTypes.set(mediaType, { proto, pduLength });
}

export function lookupStreamingMediaType(mediaType: string): StreamingMediaType | undefined {
  return streamingMediaTypes.get(mediaType);
}

/**
 * Who dissects a gRPC message's data, by the call's content type (tshark's "grpc_message_type"
 * table): Protocol Buffers for application/grpc and gRPC-Web's types, JSON for application/grpc+json.
 */
const grpcMessageTypes = new Map<string, Protocol>();

export function registerGrpcMessageType(contentType: string, proto: Protocol): void {
  grpcMessageTypes.set(contentType, proto);
}

export function lookupGrpcMessageType(contentType: string): Protocol | undefined {
  return grpcMessageTypes.get(contentType);
}

/** Protocols other dissectors call by name (Wireshark's find_dissector), e.g. JSON's leftover text to `data-text-lines`. */
const named = new Map<string, Protocol>();

/**
 * A protocol's payload is another protocol's after all (ssl_starttls_ack: SMTP or IMAP after an
 * accepted STARTTLS): the caller's item goes, and its layer too unless `keepLayer` (the frame
 * where the caller itself handed over, as call_dissector leaves it in frame.protocols), and the
 * protocol named `id` dissects the payload at the top level.
 */
export function handOver(id: string, tvb: Tvb, ctx: PacketContext, node: FieldNode, keepLayer = false): void {
  const proto = named.get(id);
  ctx.removeNode(null, node);
  if (!keepLayer) ctx.layers.pop();
  if (proto) callProtocol(proto, tvb, ctx, null);
}

/** `name` defaults to the protocol's id; another entry point of a protocol gets a name of its own. */
export function registerDissector(proto: Protocol, name = proto.id): void {
  named.set(name, proto);
}

export function findDissector(id: string): Protocol | undefined {
  return named.get(id);
}

/**
 * Wireshark's BER OID table (register_ber_oid_dissector): the protocol that shows a value an
 * OID names inside another protocol's ASN.1, when that value is its own (Certificate
 * Transparency's SCT list, a TLS structure, inside an X.509 extension). The caller adds the
 * protocol's id to frame.protocols and calls its dissector on the value's bytes.
 */
const berOids = new Map<string, Protocol>();

export function registerBerOid(oid: string, proto: Protocol): void {
  berOids.set(oid, proto);
}

export function lookupBerOid(oid: string): Protocol | undefined {
  return berOids.get(oid);
}

/** A heuristic dissector for a table (tried when no port/key entry claims the payload). */
export function registerHeuristic(table: string, proto: Protocol, test: (tvb: Tvb, ctx: PacketContext) => boolean): void {
  let list = heuristics.get(table);
  if (!list) heuristics.set(table, (list = []));
  list.push({ proto, test });
}

export function lookup(table: TableName, key: number): Protocol | undefined {
  if (table === 'tcp.port') return tcpPorts[key];
  if (table === 'udp.port') return udpPorts[key];
  return tables.get(table)?.get(key);
}

export function tryHeuristics(table: string, tvb: Tvb, ctx: PacketContext): Protocol | undefined {
  for (const h of heuristics.get(table) ?? []) {
    try {
      if (h.test(tvb, ctx)) return h.proto;
    } catch {
      // A heuristic that runs out of bytes simply does not match.
    }
  }
  return undefined;
}

/**
 * Runs `proto` on `tvb` under `parent`: adds the layer node, records the layer for
 * frame.protocols, and sets currentProto so a malformed-packet note names the right layer.
 * Exceptions (truncated/malformed) propagate to the driver, as in Wireshark.
 */
export function callProtocol(proto: Protocol, tvb: Tvb, ctx: PacketContext, parent: FieldNode | null): FieldNode | null {
  const node = ctx.add(parent, proto.field, tvb, 0, tvb.length, null);
  const depth = ctx.layers.length;
  ctx.layers.push(proto.id);
  const saved = ctx.currentProto, savedName = ctx.currentProtoName;
  ctx.currentProto = proto.id;
  ctx.currentProtoName = proto.short;
  const verdict = proto.dissect(tvb, ctx, node);
  ctx.currentProto = saved;
  ctx.currentProtoName = savedName;
  if (verdict === REJECTED_SHOWN) {
    ctx.layers.length = depth;
    return null;
  }
  if (verdict === false || verdict === SWALLOWED) {
    ctx.layers.length = depth;
    ctx.removeNode(parent, node);
    // Taken all the same: the node is returned (detached) so that the caller stops there.
    return verdict === SWALLOWED ? node : null;
  }
  return node;
}

/** Looks `key` up in `table` and calls the protocol found. Returns false when none is registered. */
export function dispatch(table: TableName, key: number, tvb: Tvb, ctx: PacketContext, parent: FieldNode | null): boolean {
  const proto = lookup(table, key);
  if (!proto) return false;
  return callProtocol(proto, tvb, ctx, parent) !== null;
}

/** Whether an error is one of the expected per-packet decoding failures. */
export function isDecodeError(e: unknown): e is TruncatedError | MalformedError {
  return e instanceof TruncatedError || e instanceof MalformedError;
}

/**
 * Wireshark's `ethertype` pseudo-dissector: Ethernet, VLAN, SLL and SNAP hand their payload on
 * by EtherType through it, and tshark lists it in frame.protocols (`eth:ethertype:ip`).
 * Returns false when no protocol is registered for the type (the caller shows data).
 */
export function dispatchEthertype(type: number, tvb: Tvb, ctx: PacketContext, parent: FieldNode | null): boolean {
  const proto = lookup('ethertype', type);
  ctx.layers.push('ethertype');
  if (!proto) return false;
  if (callProtocol(proto, tvb, ctx, parent) !== null) return true;
  // Rejected (e.g. an IPv6 EtherType with a bad version): tshark shows the EtherType in hex
  // as the protocol and its name as Info, then the bytes as data.
  ctx.protocol = `0x${type.toString(16).padStart(4, '0')}`;
  ctx.info = proto.short;
  return false;
}
