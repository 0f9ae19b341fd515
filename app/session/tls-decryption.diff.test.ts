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
});
