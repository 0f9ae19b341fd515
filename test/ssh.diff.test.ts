// SSH as tshark 4.0 shows it without keys: the version exchange ("Client: Protocol
// (SSH-2.0-...)"), the key exchange's binary packets (KEXINIT's cookie and name-lists with hassh,
// DH and ECDH init and reply with host key and signature, NEWKEYS, padding and sequence numbers),
// the encrypted packets after NEWKEYS, and "Encrypted packet (len=48)" where the capture missed
// the version exchange. On the corpus captures with SSH and on a capture of real OpenSSH
// connections (test/fixtures/ssh/README.md).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureState, dissect } from '../app/dissect/driver.js';
import type { FieldNode } from '../app/dissect/tree.js';
import { prepareCapture } from '../app/cli/source.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, tcpFrame } from './helpers/pcap-build.js';
import { bothWays } from './helpers/revisit.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const SSH: TextProtocolCheck = {
  titles: ['SSH Protocol'],
  fields: [
    'ssh.protocol', 'ssh.packet_length', 'ssh.padding_length', 'ssh.message_code', 'ssh.cookie', 'ssh.kex_algorithms', 'ssh.kex_algorithms_length',
    'ssh.encryption_algorithms_client_to_server', 'ssh.kex.hassh', 'ssh.kex.hasshserver', 'ssh.host_key.type', 'ssh.host_key.eddsa.key',
    'ssh.host_key.ecdsa.q', 'ssh.dh.e', 'ssh.dh.f', 'ssh.ecdh.q_c', 'ssh.ecdh.q_s', 'ssh.mpint_length', 'ssh.host_sig.type', 'ssh.padding_string',
    'ssh.seq_num', 'ssh.direction', 'ssh.encrypted_packet', 'ssh.packet_length_encrypted',
  ],
  filters: ['ssh', 'ssh.message_code == 20', 'ssh.direction == 1', 'ssh.protocol contains "OpenSSH"', 'ssh.dh.e', 'ssh.encrypted_packet', 'ssh.kex.hassh'],
};

const FIXTURE = join(import.meta.dirname, 'fixtures/ssh/openssh-publickey-denied.pcap');

const dir = mkdtempSync(join(tmpdir(), 'synscope-ssh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The numbers of the frames of `file` that tshark's display filter `filter` selects. */
function frames(file: string, filter: string): string[] {
  return execFileSync('tshark', ['-n', '-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .trim().split('\n').filter((n) => n !== '');
}

describe('read: SSH as tshark shows it', () => {
  it('zeek/tcp/ssh-dups.pcap, every segment four times: curve25519 ECDH, an ECDSA host key, chacha20-poly1305', () =>
    // The copies are (fast) retransmissions: a retransmission stays at TCP ("Retransmitted TCP
    // segment data"), a fast retransmission of a whole message goes to SSH again, as in tshark.
    expectLikeTshark(corpusPath('zeek/tcp/ssh-dups.pcap'), SSH, 120));

  it('pcapplusplus/pcapng-example.pcapng: a connection seen without its version exchange', () => {
    // The file's X11 packets are a protocol SynScope does not have (and MySQL has its own test): editcap keeps the SSH connection's.
    const others = frames(corpusPath('pcapplusplus/pcapng-example.pcapng'), 'tcp.port != 22');
    const file = join(dir, 'pcapng-ssh.pcapng');
    execFileSync('editcap', [corpusPath('pcapplusplus/pcapng-example.pcapng'), file, ...others]);
    return expectLikeTshark(file, SSH, 2);
  });

  it('OpenSSH 9.2 connections: sntrup761x25519 (Invalid key length), DH group 14, Ed25519 and ECDSA host keys, chacha20 and aes128-ctr with a MAC', () =>
    expectLikeTshark(FIXTURE, SSH, 20));
});

describe('SSH frames dissected again show what the first pass showed', () => {
  it('openssh-publickey-denied.pcap', () => {
    const [first, again] = bothWays(FIXTURE);
    expect(first.some((t) => t.includes('Key Exchange Init'))).toBe(true);
    expect(again).toEqual(first);
  });
});

describe('SSH binary packets cut across segments', () => {
  // A Key Exchange Init in three segments of 1, 1 and 69 bytes: the second completes a
  // reassembly of two bytes, still no packet length, so SSH keeps the tree it made of the
  // reassembled bytes while it asks for one more segment, and TCP takes the "Reassembled TCP"
  // source back (tshark shows no such tab for that frame). Then a New Keys followed by the
  // first bytes of the next packet: the column shows the New Keys alone, without the direction.
  const ACK = 0x10, PSH = 0x08;
  const packet = (code: number, body: number) => {
    const b = new Uint8Array(4 + 1 + 1 + body + 4);
    new DataView(b.buffer).setUint32(0, b.length - 4);
    b[4] = 4;
    b[5] = code;
    return b;
  };
  const kexInit = packet(20, 16 + 40 + 5), newKeys = packet(21, 0);
  const versions: Array<[boolean, Uint8Array | string]> = [[true, 'SSH-2.0-OpenSSH_9.2p1\r\n'], [false, 'SSH-2.0-OpenSSH_9.2p1\r\n']];
  const build = (name: string, segments: Array<[boolean, Uint8Array | string]>) => {
    let client = 1, server = 1;
    const records = [...versions, ...segments].map(([toServer, payload], i) => {
      const data = tcpFrame(toServer, toServer ? client : server, toServer ? server : client, PSH | ACK, payload, 22);
      if (toServer) client += payload.length;
      else server += payload.length;
      return { sec: 1_700_000_000, frac: i * 1000, data };
    });
    const file = join(dir, name);
    writeFileSync(file, pcapFile(records));
    return { file, records };
  };
  const oneByOne = build('ssh-kexinit-1-1-rest.pcap', [[true, kexInit.subarray(0, 1)], [true, kexInit.subarray(1, 2)], [true, kexInit.subarray(2)]]);
  const after = build('ssh-newkeys-then-part.pcap', [[true, Buffer.concat([newKeys, kexInit.subarray(0, 3)])], [true, kexInit.subarray(3, 20)], [true, kexInit.subarray(20)]]);

  // Without the version exchange every segment is an encrypted packet; one of 4 bytes or less
  // is malformed in a tree (its item would start past its end) and not in a summary line, as
  // packet-ssh.c adds the items only to a tree.
  const short = join(dir, 'ssh-short-encrypted.pcap');
  writeFileSync(short, pcapFile(['abc', 'de', 'fghijklm'].map((payload, i) => ({ sec: 1_700_000_000, frac: i * 1000, data: tcpFrame(true, 1 + i * 10, 1, PSH | ACK, payload, 22) }))));

  it('a packet whose length comes in two segments reads like tshark', () => expectLikeTshark(oneByOne.file, SSH, 1));
  it('encrypted packets of 4 bytes or less read like tshark, in the summary and the tree', () => expectLikeTshark(short, SSH, 2));
  it('a packet that starts after another in the segment reads like tshark', () => expectLikeTshark(after.file, SSH, 2));

  it('leaves no node on bytes that are no data source', () => {
    const capture = new CaptureState();
    prepareCapture(capture);
    const ranges: string[] = [];
    const visit = (nodes: readonly FieldNode[], sources: readonly Uint8Array[]) => {
      for (const n of nodes) {
        if ((n.source ?? 0) >= sources.length) ranges.push(`${n.field.name} on source ${n.source} of ${sources.length}`);
        if (n.children) visit(n.children, sources);
      }
    };
    oneByOne.records.forEach((r, i) => {
      const d = dissect({ number: i + 1, ts: { sec: r.sec, nsec: r.frac * 1000 }, capLen: r.data.length, origLen: r.data.length, linkType: 1, data: r.data }, capture, { tree: true });
      visit(d.roots, d.sources);
    });
    expect(ranges).toEqual([]);
  });
});
