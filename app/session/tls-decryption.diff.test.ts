// The desktop's session on a capture that carries its TLS secrets (a pcapng Decryption Secrets
// Block): the packet list, a filter and a packet's detail show the decrypted traffic as tshark
// shows it, without the user giving a key log.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/helpers/corpus.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { Session } from './session.js';

let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'tls-keylog', name);
const path = fixture('tls13-aes128-http1.pcapng');

describe('a session on a capture with its TLS secrets inside', () => {
  it('lists, filters and details the decrypted packets as tshark', async () => {
    session = new Session({ indexInProcess: true });
    const opened = await session.handle('file.open', { path });
    const rows = await session.handle('packets.rows', { start: 0, end: opened.packets });
    const theirs = tsharkRaw(path, ['-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info']).stdout.trimEnd().split('\n');
    expect(rows.map((r) => `${r.protocol}\t${r.info}`)).toEqual(theirs);
    expect(theirs.filter((l) => l.startsWith('HTTP\t')).length).toBe(4);

    const http = await session.handle('filter.apply', { text: 'http.response.code == 200' });
    const frames = tsharkRaw(path, ['-Y', 'http.response.code == 200', '-T', 'fields', '-e', 'frame.number']).stdout.trimEnd().split('\n').map(Number);
    expect(http.ok && http.displayed).toBe(frames.length);

    // The response put together from several records: the reassembled bytes are a tab of their own.
    const detail = await session.handle('packet.detail', { number: frames[frames.length - 1]! });
    expect(detail.sources.map((s) => s.name)).toEqual(['Frame', 'Decrypted TLS', 'Reassembled TLS']);
    expect(detail.tree.map((n) => n.label).some((t) => /Reassembled TLS segments/.test(t))).toBe(true);
  });

  it('decrypts an open capture with a key log file the user names (tls.keylog), and refuses one that holds no secrets', async () => {
    session = new Session({ indexInProcess: true });
    const pcap = fixture('tls13-aes128-http1.pcap');
    const keys = fixture('tls13-aes128-http1.keys');
    const opened = await session.handle('file.open', { path: pcap });
    const protocols = async () => (await session!.handle('packets.rows', { start: 0, end: opened.packets })).map((r) => r.protocol);
    expect(await protocols()).not.toContain('HTTP');

    await expect(session.handle('tls.keylog', { path: fixture('README.md') })).rejects.toThrow(/holds no TLS secrets/);
    await expect(session.handle('tls.keylog', { path: fixture('no-such.keys') })).rejects.toThrow(/cannot read the TLS key log file .*no-such\.keys/);

    const set = await session.handle('tls.keylog', { path: keys });
    expect(set.secrets).toBe(4);
    expect(session.summary().tlsKeyLog).toBe(keys);
    const theirs = tsharkRaw(pcap, ['-o', `tls.keylog_file:${keys}`, '-T', 'fields', '-e', '_ws.col.Protocol']).stdout.trimEnd().split('\n');
    expect(await protocols()).toEqual(theirs);

    await session.handle('tls.keylog', { path: null });
    expect(await protocols()).not.toContain('HTTP');
  });

  it.each(['tls13-aes128-http1.pcapng', 'h2-curl.pcapng', 'tls12-rsa-cbc-etm.pcapng'])('Follow TLS Stream of %s: each side\'s decrypted bytes, as tshark -z follow,tls', async (name) => {
    session = new Session({ indexInProcess: true });
    const file = fixture(name);
    await session.handle('file.open', { path: file });
    const followed = await session.handle('tls.follow', { stream: 0 });
    // tshark 4.0 names its nodes oddly for TLS (Node 1 ":0") and which side it indents varies:
    // the bytes each side sent are compared, side for side.
    const lines = tsharkRaw(file, ['-q', '-z', 'follow,tls,raw,0']).stdout.split('\n').filter((l) => /^\t?[0-9a-f]+$/.test(l));
    const theirs = (client: boolean) => lines.filter((l) => l.startsWith('\t') === client).map((l) => l.trim()).join('');
    const ours = (side: 'client' | 'server') => followed.chunks.filter((c) => c.from === side).map((c) => Buffer.from(c.bytes, 'base64').toString('hex')).join('');
    expect(ours('client').length).toBeGreaterThan(100);
    expect([ours('client'), ours('server')].sort()).toEqual([theirs(true), theirs(false)].sort());
    expect(Buffer.from(ours('client'), 'hex').toString('latin1')).toMatch(/GET \/|PRI \* HTTP\/2\.0/);
  });

  it('Follow TLS Stream of a capture without its secrets has nothing to show', async () => {
    session = new Session({ indexInProcess: true });
    await session.handle('file.open', { path: fixture('tls13-aes128-http1.pcap') });
    expect((await session.handle('tls.follow', { stream: 0 })).chunks).toEqual([]);
  });
});
