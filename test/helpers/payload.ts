// Runs one application-layer protocol on a transport payload cut from a corpus packet, without
// the layers below (they are tested on their own). The caller gives the endpoints the
// transport would have set and, for TCP payloads, 'tcp' so the dissector sees a TCP layer.
import { callProtocol, type Protocol } from '../../app/dissect/dispatch.js';
import { formatFieldValue } from '../../app/dissect/format.js';
import { CaptureState, PacketContext, type Endpoints } from '../../app/dissect/packet.js';
import { findAll } from '../../app/dissect/tree.js';
import { MalformedError, TruncatedError, Tvb } from '../../app/dissect/tvb.js';
import '../../app/dissect/protocols/index.js';

export interface PayloadRun {
  ctx: PacketContext;
  /** 'truncated' / 'malformed' when the dissector stopped on a Tvb error. */
  error: 'truncated' | 'malformed' | null;
  /** All occurrences of a field, formatted as `tshark -T fields -E occurrence=a -E aggregator=,`. */
  field(name: string): string;
}

export interface PayloadOptions {
  transport?: 'udp' | 'tcp';
  endpoints?: Endpoints;
  number?: number;
  /** Seconds since the epoch (float) for the frame time. */
  time?: number;
  capture?: CaptureState;
  /** Reported length when the capture cut the payload short. */
  reportedLength?: number;
  /** Called on the context before the protocol runs (e.g. to allow desegmentation as TCP does). */
  before?: (ctx: PacketContext) => void;
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/[\s:]/g, ''), 'hex'));
}

export function runPayload(proto: Protocol, payload: Uint8Array, o: PayloadOptions = {}): PayloadRun {
  const t = o.time ?? 0;
  const sec = Math.floor(t);
  const ctx = new PacketContext(
    { number: o.number ?? 1, ts: { sec, nsec: Math.round((t - sec) * 1e9) }, capLen: payload.length, origLen: payload.length, linkType: 1, data: payload },
    o.capture ?? new CaptureState(),
    { tree: true },
  );
  ctx.endpoints = o.endpoints ?? { src: '192.0.2.1', dst: '192.0.2.2', srcPort: 40000, dstPort: 53 };
  ctx.layers.push(o.transport ?? 'udp');
  o.before?.(ctx);
  let error: PayloadRun['error'] = null;
  try {
    callProtocol(proto, Tvb.of(payload, o.reportedLength ?? payload.length), ctx, null);
  } catch (e) {
    if (e instanceof TruncatedError) error = 'truncated';
    else if (e instanceof MalformedError) error = 'malformed';
    else throw e;
  }
  return {
    ctx,
    error,
    field: (name) => findAll(ctx.roots, name).map((n) => formatFieldValue(n.field, n.value)).join(','),
  };
}
