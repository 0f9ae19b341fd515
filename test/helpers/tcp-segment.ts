// Runs the TCP dissector on a raw TCP header and payload, without the layers below, between
// 10.0.0.1 and 10.0.0.2 (`reverse`: from 10.0.0.2); the ports are the header's own.
import type { CaptureState } from '../../app/dissect/packet.js';
import { tcpProtocol } from '../../app/dissect/protocols/tcp.js';
import { runPayload, type PayloadRun } from './payload.js';

export interface TcpSegmentOptions {
  number?: number;
  capture?: CaptureState;
  reportedLength?: number;
  reverse?: boolean;
}

export function runTcp(bytes: Uint8Array, o: TcpSegmentOptions = {}): PayloadRun {
  const [a, b] = o.reverse ? [2, 1] : [1, 2];
  const endpoints = { src: `10.0.0.${a}`, dst: `10.0.0.${b}`, netSrc: Uint8Array.of(10, 0, 0, a), netDst: Uint8Array.of(10, 0, 0, b), srcPort: 0, dstPort: 0 };
  return runPayload(tcpProtocol, bytes, { transport: 'tcp', endpoints, number: o.number, capture: o.capture, reportedLength: o.reportedLength });
}
