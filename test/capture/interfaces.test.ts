// `synscope interfaces` and listInterfaces() against tcpdump -D and `ip -j addr`.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listInterfaces } from '../../app/capture/live.js';
import { SYNSCOPE } from './live-traffic.js';

describe('capture interfaces', () => {
  it('prints the same list as tcpdump -D', () => {
    // Another test may add or remove an interface between the two listings: take a pair that agrees.
    let ours = spawnSync(process.execPath, [SYNSCOPE, 'interfaces'], { encoding: 'utf8' });
    let theirs = spawnSync('tcpdump', ['-D'], { encoding: 'utf8' });
    for (let i = 0; i < 3 && ours.stdout !== theirs.stdout; i++) {
      ours = spawnSync(process.execPath, [SYNSCOPE, 'interfaces'], { encoding: 'utf8' });
      theirs = spawnSync('tcpdump', ['-D'], { encoding: 'utf8' });
    }
    expect(ours.status).toBe(0);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stdout).toMatch(/^\d+\.lo \[Up, Running, Loopback\]$/m);
  });

  it('lists lo as up, running, loopback with the addresses `ip addr` shows', async () => {
    const list = await listInterfaces();
    const lo = list.find((d) => d.name === 'lo');
    expect(lo).toMatchObject({ up: true, running: true, loopback: true });
    const ip = JSON.parse(spawnSync('ip', ['-j', 'addr', 'show', 'dev', 'lo'], { encoding: 'utf8' }).stdout) as {
      addr_info: { family: string; local: string }[];
    }[];
    const expected = ip[0]!.addr_info.map((a) => ({ family: a.family === 'inet' ? 'ipv4' : 'ipv6', address: a.local }));
    expect(lo!.addresses.map((a) => ({ family: a.family, address: a.address }))).toEqual(expected);
    expect(lo!.addresses).toContainEqual({ family: 'ipv4', address: '127.0.0.1', netmask: '255.0.0.0' });
    // The same names as tcpdump -D, in its order.
    const names = spawnSync('tcpdump', ['-D'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map((l) => /^\d+\.(\S+)/.exec(l)![1]);
    expect(list.map((d) => d.name)).toEqual(names);
  });

  it('--json is the InterfaceInfo list', () => {
    const r = spawnSync(process.execPath, [SYNSCOPE, 'interfaces', '--json'], { encoding: 'utf8' });
    const list = JSON.parse(r.stdout) as { name: string; loopback: boolean }[];
    expect(list.find((d) => d.name === 'lo')?.loopback).toBe(true);
  });
});
