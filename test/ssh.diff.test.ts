// SSH as tshark 4.0 shows it without keys: the version exchange ("Client: Protocol
// (SSH-2.0-...)"), the key exchange's binary packets (KEXINIT's cookie and name-lists with hassh,
// DH and ECDH init and reply with host key and signature, NEWKEYS, padding and sequence numbers),
// the encrypted packets after NEWKEYS, and "Encrypted packet (len=48)" where the capture missed
// the version exchange. On the corpus captures with SSH and on a capture of real OpenSSH
// connections (test/fixtures/ssh/README.md).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
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
