// HTTP, TLS, DHCP and NTP on payloads cut from corpus packets (file and frame named at each
// case); expected values are what tshark 4.0.17 printed for those frames with
// `-T fields -E occurrence=a -E aggregator=,`.
import { describe, expect, it } from 'vitest';
import { CaptureState } from '../packet.js';
import { hex, runPayload } from '../../../test/helpers/payload.js';
import { httpProtocol } from './http.js';
import { tlsProtocol } from './tls.js';
import { dhcpProtocol } from './dhcp.js';
import { ntpProtocol } from './ntp.js';
import { dnsProtocol } from './dns.js';
import { beginPayloadCall, DESEGMENT_ONE_MORE_SEGMENT, endPayloadCall } from '../desegment.js';

const web = { src: '192.168.1.10', dst: '192.150.187.43', srcPort: 49285, dstPort: 80 };

describe('http', () => {
  it('decodes a request (zeek/http/get.pcap #4)', () => {
    const r = runPayload(httpProtocol, hex('474554202f646f776e6c6f61642f4348414e4745532e62726f2d6175782e74787420485454502f312e310d0a557365722d4167656e743a20576765742f312e3134202864617277696e31322e322e30290d0a4163636570743a202a2f2a0d0a486f73743a2062726f2e6f72670d0a436f6e6e656374696f6e3a204b6565702d416c6976650d0a0d0a'), { transport: 'tcp', endpoints: web });
    expect(r.ctx.protocol).toBe('HTTP');
    expect(r.ctx.info).toBe('GET /download/CHANGES.bro-aux.txt HTTP/1.1 ');
    expect(r.field('http.request.method')).toBe('GET');
    expect(r.field('http.request.uri')).toBe('/download/CHANGES.bro-aux.txt');
    expect(r.field('http.request.version')).toBe('HTTP/1.1');
    expect(r.field('http.host')).toBe('bro.org');
    expect(r.field('http.user_agent')).toBe('Wget/1.14 (darwin12.2.0)');
    expect(r.field('http.connection')).toBe('Keep-Alive');
    expect(r.field('http.request.full_uri')).toBe('http://bro.org/download/CHANGES.bro-aux.txt');
    expect(r.field('http.request.line')).toBe('User-Agent: Wget/1.14 (darwin12.2.0)\r\n,Accept: */*\r\n,Host: bro.org\r\n,Connection: Keep-Alive\r\n');
  });

  it('decodes a response, its body and the media suffix, and pairs it with the request', () => {
    const capture = new CaptureState();
    const req = 'GET /a.txt HTTP/1.1\r\nHost: example.org\r\n\r\n';
    const res = 'HTTP/1.1 200 OK\r\nServer: test\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: 5\r\n\r\nhello';
    runPayload(httpProtocol, new TextEncoder().encode(req), { transport: 'tcp', endpoints: web, capture, number: 4, time: 10 });
    const back = { src: web.dst, dst: web.src, srcPort: 80, dstPort: web.srcPort };
    const r = runPayload(httpProtocol, new TextEncoder().encode(res), { transport: 'tcp', endpoints: back, capture, number: 9, time: 10.5 });
    // tshark's wording for the same shape of response in zeek/http/get.pcap #9.
    expect(r.ctx.info).toBe('HTTP/1.1 200 OK  (text/plain)');
    expect(r.field('http.response.code')).toBe('200');
    expect(r.field('http.response.phrase')).toBe('OK');
    expect(r.field('http.content_length')).toBe('5');
    expect(r.field('http.request_in')).toBe('4');
    expect(r.field('http.time')).toBe('0.500000000');
    expect(r.field('http.file_data')).toBe('hello');
  });

  it('calls a segment without a start line a continuation once the conversation has carried HTTP', () => {
    const capture = new CaptureState();
    const request = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    runPayload(httpProtocol, request, { transport: 'tcp', endpoints: web, capture, number: 1 });
    const r = runPayload(httpProtocol, new TextEncoder().encode('rest of a body'), { transport: 'tcp', endpoints: web, capture, number: 2 });
    expect(r.ctx.info).toBe('Continuation');
  });

  it('gives back a payload that starts no message in a conversation without HTTP (tshark: stays TCP)', () => {
    // pcapplusplus/many-protocols.pcap: websocket frames on port 80 stay TCP for tshark.
    const r = runPayload(httpProtocol, Uint8Array.from([0x89, 0x80, 0x1f, 0x3a, 0x44, 0x10]), { transport: 'tcp', endpoints: web });
    expect(r.ctx.layers).not.toContain('http');
    expect(r.ctx.info).not.toBe('Continuation');
  });
});

describe('tls', () => {
  const conn = { src: '10.0.0.1', dst: '173.194.78.104', srcPort: 55194, dstPort: 443 };
  it('decodes a Client Hello with SNI (pcapplusplus/tls.pcap #9)', () => {
    const r = runPayload(tlsProtocol, hex('16030100c2010000be030348b18265511817ffd356a62898b432c7cc673ed9358e469125b66c45a7ac0846000020c02bc02fc00ac009c013c014c007c011003300320039002f0035000a000500040100007500000014001200000f73736c2e677374617469632e636f6dff01000100000a00080006001700180019000b0002010000230000337400000010001b001908737064792f332e3106737064792f3308687474702f312e31000500050100000000000d0012001004010501020104030503020304020202'), { transport: 'tcp', endpoints: conn });
    expect(r.ctx.protocol).toBe('TLSv1');
    expect(r.ctx.info).toBe('Client Hello');
    expect(r.field('tls.record.content_type')).toBe('22');
    expect(r.field('tls.record.version')).toBe('0x0301');
    expect(r.field('tls.handshake.type')).toBe('1');
    expect(r.field('tls.handshake.version')).toBe('0x0303');
    expect(r.field('tls.handshake.extensions_server_name')).toBe('ssl.gstatic.com');
    expect(r.field('tls.handshake.ciphersuite')).toBe('0xc02b,0xc02f,0xc00a,0xc009,0xc013,0xc014,0xc007,0xc011,0x0033,0x0032,0x0039,0x002f,0x0035,0x000a,0x0005,0x0004');
  });

  it('follows a TLS 1.3 Server Hello into opaque records (zeek/tls/tls13_wolfssl.pcap #6, #8)', () => {
    const capture = new CaptureState();
    const s2c = { src: '127.0.0.1', dst: '127.0.0.1', srcPort: 11111, dstPort: 50000 };
    const sh = runPayload(tlsProtocol, hex('160303007b0200007703036bba3137df6e1c4c68565243a7fbab5f5c6bdf1ab11a1800c3c6ca64786fbdbd00130200004f003300450017004104f6b563a3ba8e4d9a945bcb83eb8be292b04724749724b0ebbb6ab726ac9cc82a41268a752326b1118a099d9f43b27027f224ed1a719b3762acfcb93fa2dc9461002b00020304'), { transport: 'tcp', endpoints: s2c, capture, number: 6 });
    expect(sh.ctx.protocol).toBe('TLSv1.3');
    expect(sh.ctx.info).toBe('Server Hello');
    expect(sh.field('tls.handshake.ciphersuite')).toBe('0x1302');
    expect(sh.field('tls.handshake.extensions.supported_version')).toBe('0x0304');
    const ad = runPayload(tlsProtocol, hex('1703030017758a108978437bc4a9a66719e6640e704e32bd348d4ff5'), { transport: 'tcp', endpoints: s2c, capture, number: 8 });
    expect(ad.ctx.protocol).toBe('TLSv1.3');
    expect(ad.ctx.info).toBe('Application Data');
    expect(ad.field('tls.record.content_type')).toBe('');
    expect(ad.field('tls.record.opaque_type')).toBe('23');
  });

  it('calls handshake records after Change Cipher Spec encrypted (zeek/tls/tls1.2.pcap #10)', () => {
    const r = runPayload(tlsProtocol, hex('1603030106100001020100202b2e034297fcc5a6444b22d25ad8e18d6e35a86b278dd77266c2e4d11981e6bc4bfc81512ea3446b53242d337be086f531852998d3db538d5175c5e4d334391d01b3fdf7391fdf70d4f5d0222eb9a50415fa96a74c2db1d16db84685bb2a0d70d577111a34c351a5678fc72c31b4be0aefa1436508e7f9749fbf0abaf58c78c293b7f4ba5211909d2f86e9d80968da6078743fd2f9cf89421a8a1aad0aecf2fba1842eadef907ec7b66d97a6bb2ffeee0d762a91ef950b74a83eef9d911d6d6f9160d025957778df087a7f29a8a3f65654d73f5099d99e32b0908b680fa13bd42d0d34a78ed978f59ddba32f55ce639ab99691438615d894286472d2f049581403030001011603030020ca1f3ae40042504aaa42e8081fb2f6c838b450c2af7a4b0b05a1932f56f5a4a7'), { transport: 'tcp', endpoints: conn });
    expect(r.ctx.info).toBe('Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message');
    expect(r.field('tls.record.content_type')).toBe('22,20,22');
    expect(r.field('tls.handshake.type')).toBe('16');
  });
});

describe('dhcp', () => {
  it('decodes a Discover (zeek/dhcp/dhcp.pcap #1)', () => {
    const r = runPayload(dhcpProtocol, hex('01010600000007c0000000000000000000000000000000000000000090b11c994929' + '00'.repeat(202) + '638253633501013204c0a8d3c20c0d62746573742e69732e636f6f6cff'), { endpoints: { src: '0.0.0.0', dst: '255.255.255.255', srcPort: 68, dstPort: 67 } });
    expect(r.error).toBeNull();
    expect(r.ctx.protocol).toBe('DHCP');
    expect(r.ctx.info).toBe('DHCP Discover - Transaction ID 0x7c0');
    expect(r.field('dhcp.id')).toBe('0x000007c0');
    expect(r.field('dhcp.hw.mac_addr')).toBe('90:b1:1c:99:49:29');
    expect(r.field('dhcp.option.type')).toBe('53,50,12,0');
    expect(r.field('dhcp.option.dhcp')).toBe('1');
    expect(r.field('dhcp.option.requested_ip_address')).toBe('192.168.211.194');
    expect(r.field('dhcp.option.hostname')).toBe('btest.is.cool');
    expect(r.field('dhcp.option.end')).toBe('255');
  });
});

describe('ntp', () => {
  it('decodes a client request with a MAC (tcpdump/ntp.pcap #1)', () => {
    const r = runPayload(ntpProtocol, hex('23000020000000000000000000000000000000000000000000000000000000000000000000000000a4b39cd101fb24bf0000000857ea530f6d74350cc5286bfec1ab8ca747c73584'), { endpoints: { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 123, dstPort: 123 } });
    expect(r.ctx.protocol).toBe('NTP');
    expect(r.ctx.info).toBe('NTP Version 4, client');
    expect(r.field('ntp.flags')).toBe('0x23');
    expect(r.field('ntp.flags.mode')).toBe('3');
    expect(r.field('ntp.precision')).toBe('32');
    expect(r.field('ntp.keyid')).toBe('00000008');
    expect(r.field('ntp.mac')).toBe('57ea530f6d74350cc5286bfec1ab8ca747c73584');
  });

  it('decodes a server reply (tcpdump/ntp.pcap #2)', () => {
    const r = runPayload(ntpProtocol, hex('e40003e9000000000000005a535445500000000000000000a4b39cd101fb24bfdcf25a3984199119dcf25a39841d6dc500000000'));
    expect(r.ctx.info).toBe('NTP Version 4, server');
    expect(r.field('ntp.flags.li')).toBe('3');
    expect(r.field('ntp.ppoll')).toBe('3');
    expect(r.field('ntp.precision')).toBe('233');
    expect(r.field('ntp.rootdispersion')).toBe('90');
    expect(r.field('ntp.refid')).toBe('53544550');
    expect(r.field('ntp.keyid')).toBe('00000000');
  });
});

describe('PDUs spanning TCP segments (desegment contract, ../desegment.ts)', () => {
  // What TCP does before calling a payload protocol on a fully captured segment.
  const ask = (proto: Parameters<typeof runPayload>[0], bytes: Uint8Array) => {
    const capture = new CaptureState();
    const r = runPayload(proto, bytes, { transport: 'tcp', capture, endpoints: { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 40000, dstPort: 443 }, before: (ctx) => beginPayloadCall(ctx, true, null) });
    return endPayloadCall(r.ctx);
  };

  it('HTTP waits for the blank line, then for Content-Length bytes', () => {
    expect(ask(httpProtocol, new TextEncoder().encode('GET / HTTP/1.1\r\nHost: a\r\n'))).toEqual({ offset: 0, length: DESEGMENT_ONE_MORE_SEGMENT, keepTree: false });
    expect(ask(httpProtocol, new TextEncoder().encode('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd'))).toEqual({ offset: 0, length: 6, keepTree: false });
    expect(ask(httpProtocol, new TextEncoder().encode('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd'))).toBeNull();
  });

  it('TLS asks for the rest of a record', () => {
    // A 0x20-byte handshake record of which 4 bytes arrived; the (empty) TLS item stays, as in tshark.
    expect(ask(tlsProtocol, hex('1603030020ca1f3ae4'))).toEqual({ offset: 0, length: 0x20 - 4, keepTree: true });
  });

  it('DNS over TCP asks for the rest of a message', () => {
    expect(ask(dnsProtocol, hex('00385934012000010000'))).toEqual({ offset: 0, length: 0x38 + 2 - 10, keepTree: false });
  });
});
