// TCP connections written as a pcap for the text-protocol tests (FTP, POP, IMAP, SSH): each
// connection does its handshake, carries payloads either way with sequence and acknowledgement
// numbers kept right, and closes; several connections may interleave in one capture (an FTP
// control connection and its data connections). Ethernet + IPv4 or IPv6, no TCP options.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { pcapFile, type BuiltRecord } from './pcap-build.js';

export interface Endpoint {
  /** 4 bytes (IPv4) or 16 (IPv6); both ends of a connection of the same family. */
  addr: readonly number[];
  port: number;
}

const FIN = 0x01, SYN = 0x02, PSH = 0x08, ACK = 0x10;

/** A capture being written: frames in the order they are added, a millisecond apart. */
export class CaptureBuilder {
  private readonly records: BuiltRecord[] = [];
  private ms = 0;

  /** A connection from `client` to `server` (nothing is written until open()). */
  connection(client: Endpoint, server: Endpoint): TcpConnection {
    return new TcpConnection(this, client, server);
  }

  /** The frame number the next frame gets. */
  get nextFrame(): number {
    return this.records.length + 1;
  }

  /** A frame; with `captured`, only its first `captured` bytes are kept (a snaplen's cut). */
  add(data: Uint8Array, captured?: number): void {
    this.ms++;
    const frac = (this.ms % 1000) * 1000, sec = 1_700_000_000 + Math.floor(this.ms / 1000);
    if (captured === undefined || captured >= data.length) this.records.push({ sec, frac, data });
    else this.records.push({ sec, frac, data: data.subarray(0, captured), origLen: data.length });
  }

  pcap(): Buffer {
    return pcapFile(this.records);
  }
}

export class TcpConnection {
  private clientSeq = 1000;
  private serverSeq = 70000;
  /** Whether both sides sent their FIN (close or closeAfterServerFin). */
  closed = false;

  constructor(private readonly capture: CaptureBuilder, readonly client: Endpoint, readonly server: Endpoint) {}

  /** The three-way handshake. */
  open(): this {
    this.segment(true, SYN, new Uint8Array(0));
    this.clientSeq++;
    this.segment(false, SYN | ACK, new Uint8Array(0));
    this.serverSeq++;
    this.segment(true, ACK, new Uint8Array(0));
    return this;
  }

  /** A segment from the client carrying `payload` (a string is Latin-1). */
  fromClient(payload: string | Uint8Array): this {
    return this.data(true, payload);
  }

  fromServer(payload: string | Uint8Array): this {
    return this.data(false, payload);
  }

  /** A segment from the server of which the capture kept only `payloadCaptured` bytes of the payload. */
  fromServerCut(payload: string, payloadCaptured: number): this {
    return this.data(false, payload, payloadCaptured);
  }

  /**
   * The server's FIN sent after `bytes` more bytes, seen before them (the segments that carry
   * them come next, out of order); the FIN's own sequence number is used.
   */
  finFromServerAhead(bytes: number): this {
    this.serverSeq += bytes;
    this.segment(false, FIN | ACK, new Uint8Array(0));
    this.serverSeq -= bytes;
    return this;
  }

  /** The server's last segment: `payload` with FIN (the client then closes; see closeAfterServerFin). */
  fromServerWithFin(payload: string): this {
    const body = Buffer.from(payload, 'latin1');
    this.segment(false, FIN | PSH | ACK, body);
    this.serverSeq += body.length + 1;
    return this;
  }

  /** After fromServerWithFin: FIN from the client, then the server's last ACK. */
  closeAfterServerFin(): this {
    this.segment(true, FIN | ACK, new Uint8Array(0));
    this.clientSeq++;
    this.segment(false, ACK, new Uint8Array(0));
    this.closed = true;
    return this;
  }

  /** A segment from the server the capture missed: its sequence numbers are used, no frame is written. */
  lostFromServer(payload: string): this {
    return this.lost(false, payload);
  }

  lostFromClient(payload: string): this {
    return this.lost(true, payload);
  }

  /**
   * A segment from the server sent again: `payload` from `back` bytes before the server's next
   * sequence number (a retransmission, or a resend cut at other places than the first sending).
   */
  resendFromServer(back: number, payload: string): this {
    return this.resend(false, back, payload);
  }

  resendFromClient(back: number, payload: string): this {
    return this.resend(true, back, payload);
  }

  /**
   * A bare ACK from the client for the server's bytes up to `back` bytes before its next
   * sequence number: repeated, duplicate ACKs that ask for those bytes again.
   */
  ackBehind(back: number): this {
    this.serverSeq -= back;
    this.segment(true, ACK, new Uint8Array(0));
    this.serverSeq += back;
    return this;
  }

  /** A bare ACK from one side. */
  ack(fromClient: boolean): this {
    this.segment(fromClient, ACK, new Uint8Array(0));
    return this;
  }

  /** FIN from the server, then FIN from the client, then the last ACK. */
  close(): this {
    this.segment(false, FIN | ACK, new Uint8Array(0));
    this.serverSeq++;
    this.segment(true, FIN | ACK, new Uint8Array(0));
    this.clientSeq++;
    this.segment(false, ACK, new Uint8Array(0));
    this.closed = true;
    return this;
  }

  private lost(fromClient: boolean, payload: string): this {
    if (fromClient) this.clientSeq += payload.length;
    else this.serverSeq += payload.length;
    return this;
  }

  private resend(fromClient: boolean, back: number, payload: string): this {
    if (fromClient) this.clientSeq -= back;
    else this.serverSeq -= back;
    this.segment(fromClient, PSH | ACK, Buffer.from(payload, 'latin1'));
    if (fromClient) this.clientSeq += back;
    else this.serverSeq += back;
    return this;
  }

  private data(fromClient: boolean, payload: string | Uint8Array, payloadCaptured?: number): this {
    const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
    this.segment(fromClient, PSH | ACK, body, payloadCaptured);
    if (fromClient) this.clientSeq += body.length;
    else this.serverSeq += body.length;
    return this;
  }

  private segment(fromClient: boolean, flags: number, payload: Uint8Array, payloadCaptured?: number): void {
    const [src, dst] = fromClient ? [this.client, this.server] : [this.server, this.client];
    const tcp = new Uint8Array(20 + payload.length);
    const dv = new DataView(tcp.buffer);
    dv.setUint16(0, src.port);
    dv.setUint16(2, dst.port);
    dv.setUint32(4, fromClient ? this.clientSeq : this.serverSeq);
    dv.setUint32(8, flags & ACK ? (fromClient ? this.serverSeq : this.clientSeq) : 0);
    tcp[12] = 0x50;
    tcp[13] = flags;
    dv.setUint16(14, 65535);
    tcp.set(payload, 20);
    const frame = ipFrame(src.addr, dst.addr, tcp);
    this.capture.add(frame, payloadCaptured === undefined ? undefined : frame.length - payload.length + payloadCaptured);
  }
}

/** An Ethernet frame with an IPv4 or IPv6 header (protocol TCP) in front of `tcp`. */
function ipFrame(src: readonly number[], dst: readonly number[], tcp: Uint8Array): Uint8Array {
  const v6 = src.length === 16;
  const eth = [2, 0, 0, 0, 0, dst[dst.length - 1]!, 2, 0, 0, 0, 0, src[src.length - 1]!, ...(v6 ? [0x86, 0xdd] : [0x08, 0x00])];
  let ip: number[];
  if (v6) {
    ip = [0x60, 0, 0, 0, tcp.length >> 8, tcp.length & 255, 6, 64, ...src, ...dst];
  } else {
    const total = 20 + tcp.length;
    ip = [0x45, 0, total >> 8, total & 255, 0, 1, 0x40, 0, 64, 6, 0, 0, ...src, ...dst];
  }
  const out = new Uint8Array(eth.length + ip.length + tcp.length);
  out.set(eth, 0);
  out.set(ip, eth.length);
  out.set(tcp, eth.length + ip.length);
  return out;
}

/**
 * A temporary folder for a test file's captures (removed after its tests) and `capture(name)`,
 * the file `builders[name]` writes there, written once on first use (several describe blocks
 * read the same capture).
 */
export function writtenCaptures(prefix: string, builders: Record<string, () => CaptureBuilder>): { dir: string; capture: (name: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const capture = (name: string): string => {
    const file = join(dir, name);
    if (!existsSync(file)) writeFileSync(file, builders[name]!().pcap());
    return file;
  };
  return { dir, capture };
}
