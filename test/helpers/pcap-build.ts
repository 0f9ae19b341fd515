// Small pcap files built in tests: the classic little-endian µs format, one link type.

export interface BuiltRecord {
  sec: number;
  /** The fraction field as stored (µs, or anything a test wants to put there). */
  frac: number;
  data: Uint8Array;
  /** Original length (default: the captured length). */
  origLen?: number;
}

/** A pcap (magic a1b2c3d4 LE, version 2.4) of `records`. */
export function pcapFile(records: readonly BuiltRecord[], linkType = 1, snapLen = 262144): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(snapLen, 16);
  header.writeUInt32LE(linkType, 20);
  const parts: Uint8Array[] = [header];
  for (const r of records) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(r.sec, 0);
    h.writeUInt32LE(r.frac, 4);
    h.writeUInt32LE(r.data.length, 8);
    h.writeUInt32LE(r.origLen ?? r.data.length, 12);
    parts.push(h, r.data);
  }
  return Buffer.concat(parts);
}

/** An Ethernet/IPv4 frame with a TCP segment (no options) between 10.0.0.1:40000 and 10.0.0.2:80 (or `serverPort`). */
export function tcpFrame(toServer: boolean, seq: number, ack: number, flags: number, payload: string | Uint8Array, serverPort = 80): Uint8Array {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  const b = new Uint8Array(14 + 20 + 20 + body.length);
  const dv = new DataView(b.buffer);
  b.set(toServer ? [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1] : [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2], 0);
  dv.setUint16(12, 0x0800);
  b[14] = 0x45;
  dv.setUint16(16, 40 + body.length);
  b[22] = 64;
  b[23] = 6;
  b.set(toServer ? [10, 0, 0, 1, 10, 0, 0, 2] : [10, 0, 0, 2, 10, 0, 0, 1], 26);
  dv.setUint16(34, toServer ? 40000 : serverPort);
  dv.setUint16(36, toServer ? serverPort : 40000);
  dv.setUint32(38, seq);
  dv.setUint32(42, ack);
  b[46] = 0x50;
  b[47] = flags;
  dv.setUint16(48, 65535);
  b.set(body, 54);
  return b;
}

/**
 * One HTTP/1.1 connection (tcpFrame's endpoints) with an exchange per response: the handshake,
 * then for each a GET, the response (its header lines, Content-Length, the body) and an ACK.
 * `headers` are the response's header lines without Content-Length, each ending in \r\n.
 */
export function httpExchanges(responses: ReadonlyArray<{ headers: string; body: Uint8Array }>): Buffer {
  const records: BuiltRecord[] = [];
  let t = 0;
  const add = (data: Uint8Array) => records.push({ sec: 1_700_000_000, frac: (t += 1000), data });
  let c = 1000, s = 5000;
  add(tcpFrame(true, c, 0, 0x02, ''));
  add(tcpFrame(false, s, c + 1, 0x12, ''));
  c++;
  s++;
  add(tcpFrame(true, c, s, 0x10, ''));
  responses.forEach((r, i) => {
    const req = `GET /${i} HTTP/1.1\r\nHost: h\r\n\r\n`;
    add(tcpFrame(true, c, s, 0x18, req));
    c += req.length;
    const res = `HTTP/1.1 200 OK\r\n${r.headers}Content-Length: ${r.body.length}\r\n\r\n` + Buffer.from(r.body).toString('latin1');
    add(tcpFrame(false, s, c, 0x18, res));
    s += res.length;
    add(tcpFrame(true, c, s, 0x10, ''));
  });
  return pcapFile(records);
}

/**
 * A TLS 1.2 connection on port 443 (tcpFrame's endpoints) in which the server sends one
 * Certificate handshake message per chain, each in a record and a segment of its own (no
 * handshake before it: tshark and SynScope dissect a Certificate message on its own).
 */
export function tlsCertificates(chains: ReadonlyArray<ReadonlyArray<Uint8Array>>): Buffer {
  const records: BuiltRecord[] = [];
  let s = 5000;
  chains.forEach((chain, i) => {
    const list = Buffer.concat(chain.flatMap((der) => [u24(der.length), der]));
    const body = Buffer.concat([Buffer.from([11]), u24(list.length + 3), u24(list.length), list]);
    const record = Buffer.concat([Buffer.from([22, 3, 3, body.length >> 8, body.length & 255]), body]);
    records.push({ sec: 1_700_000_000 + i, frac: 0, data: tcpFrame(false, s, 1000, 0x18, record, 443) });
    s += record.length;
  });
  return pcapFile(records);
}

function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 255, (n >> 8) & 255, n & 255]);
}

/**
 * A TLS record holding a ClientHello (TLS 1.2 in the hello, TLS 1.0 in the record as clients
 * send it) with one cipher suite (TLS_AES_128_GCM_SHA256), no compression and a server_name
 * extension: what a client sends first after STARTTLS.
 */
export function tlsClientHello(serverName: string): Buffer {
  const name = Buffer.from(serverName, 'latin1');
  const sni = Buffer.concat([u16(name.length + 3), Buffer.from([0]), u16(name.length), name]);
  const extensions = Buffer.concat([u16(0), u16(sni.length), sni]);
  const hello = Buffer.concat([
    Buffer.from([3, 3]), Buffer.alloc(32, 0x11), Buffer.from([0]), u16(2), Buffer.from([0x13, 0x01]), Buffer.from([1, 0]),
    u16(extensions.length), extensions,
  ]);
  const handshake = Buffer.concat([Buffer.from([1]), u24(hello.length), hello]);
  return Buffer.concat([Buffer.from([22, 3, 1]), u16(handshake.length), handshake]);
}

function u16(n: number): Buffer {
  return Buffer.from([(n >> 8) & 255, n & 255]);
}

/** An Ethernet/IPv4 frame with a UDP datagram from `src`:`sport` to `dst`:`dport` (addresses as four octets; no checksum). */
export function udpFrame(src: readonly number[], sport: number, dst: readonly number[], dport: number, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(14 + 20 + 8 + payload.length);
  const dv = new DataView(b.buffer);
  b.set([2, 0, 0, 0, 0, dst[3]!, 2, 0, 0, 0, 0, src[3]!], 0);
  dv.setUint16(12, 0x0800);
  b[14] = 0x45;
  dv.setUint16(16, 28 + payload.length);
  b[22] = 64;
  b[23] = 17;
  b.set([...src, ...dst], 26);
  dv.setUint16(34, sport);
  dv.setUint16(36, dport);
  dv.setUint16(38, 8 + payload.length);
  b.set(payload, 42);
  return b;
}

/** An Ethernet/IPv4 frame with an ICMP echo request (10.0.0.1 → 10.0.0.2) or reply (back), identifier 1, sequence `seq`. */
export function icmpEchoFrame(request: boolean, seq: number): Uint8Array {
  const b = new Uint8Array(14 + 20 + 8);
  const dv = new DataView(b.buffer);
  b.set(request ? [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1] : [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2], 0);
  dv.setUint16(12, 0x0800);
  b[14] = 0x45;
  dv.setUint16(16, 28);
  b[22] = 64;
  b[23] = 1;
  b.set(request ? [10, 0, 0, 1, 10, 0, 0, 2] : [10, 0, 0, 2, 10, 0, 0, 1], 26);
  b[34] = request ? 8 : 0;
  dv.setUint16(38, 1);
  dv.setUint16(40, seq);
  return b;
}
