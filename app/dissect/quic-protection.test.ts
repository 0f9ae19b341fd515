// QUIC Initial protection against the test vectors of RFC 9001 Appendix A (the client's first
// Destination Connection ID 0x8394c8f03e515708) and RFC 9000 A.3's packet number example.
import { describe, expect, it } from 'vitest';
import { decodePacketNumber, decryptPayload, initialKeys, retryTagValid, unprotectLongHeader } from './quic-protection.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ODCID = hex('8394c8f03e515708');

describe('QUIC Initial protection (RFC 9001 Appendix A)', () => {
  it('derives the client and server Initial keys from the first Destination Connection ID (A.1)', () => {
    const k = initialKeys(1, ODCID);
    expect([k.client.key, k.client.iv, k.client.hp].map((b) => b.toString('hex'))).toEqual([
      '1f369613dd76d5467730efcbe3b1a22d', 'fa044b2f42a3fd3b46fb255c', '9f50449e04a0e810283a1e9933adedd2',
    ]);
    expect([k.server.key, k.server.iv, k.server.hp].map((b) => b.toString('hex'))).toEqual([
      'cf3a5331653c364c88f0f379b6067e37', '0ac1493ca1905853b0bba03e', 'c206b8d9b9f0f37644430b490eeaa314',
    ]);
  });

  it("removes header protection from the server's Initial and decrypts its ACK and Server Hello (A.3)", () => {
    const packet = hex(`cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a
      5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3
      dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84
      022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4
      2158407dd074ee`);
    const keys = initialKeys(1, ODCID).server;
    // Header: first byte, version, DCID (0), SCID (8), no token, Length 0x4075: the packet number at 18.
    const u = unprotectLongHeader(keys, packet, 18)!;
    expect(u).toEqual({ firstByte: 0xc1, pnLength: 2, truncatedPn: 1 });
    const plain = decryptPayload(keys, packet, 20, u, decodePacketNumber(-1, u.truncatedPn, u.pnLength));
    expect(Buffer.from(plain!).toString('hex')).toBe(
      '02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf73988cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c940d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00020304',
    );
    // Another connection's keys do not authenticate it.
    expect(decryptPayload(initialKeys(1, hex('0001020304050607')).server, packet, 20, u, 1)).toBeNull();
  });

  it("checks a Retry's integrity tag against the Initial it answers (A.4)", () => {
    const retry = hex('ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f0f2496ba');
    expect(retryTagValid(1, ODCID, retry)).toBe(true);
    expect(retryTagValid(1, hex('8394c8f03e515709'), retry)).toBe(false);
  });

  it('recovers a full packet number from its truncated form (RFC 9000 A.3)', () => {
    expect(decodePacketNumber(0xa82f30ea, 0x9b32, 2)).toBe(0xa82f9b32);
    expect(decodePacketNumber(-1, 0, 1)).toBe(0);
  });
});
