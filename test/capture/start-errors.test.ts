// What a user sees when a capture cannot start: a sentence naming the interface and the fix,
// a non-zero exit status, never a stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureStartError } from '../../app/capture/types.js';
import { startLiveCapture } from '../../app/capture/live.js';
import { captureBinary, permissionMessage } from '../../app/capture/start-errors.js';
import { repoRoot } from '../helpers/corpus.js';
import { SYNSCOPE } from './live-traffic.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-capture-err-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const STACK_FRAME = /^\s+at .+[(:]\d+/m;
const noSink = { onBatch() {}, onStats() {}, onEnd() {} };

function synscope(args: string[], wrap: string[] = []): { stderr: string; status: number } {
  const argv = [...wrap, process.execPath, SYNSCOPE, ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 30_000 });
  return { stderr: r.stderr, status: r.status ?? -1 };
}

describe('capture start errors', () => {
  it('without capture capabilities: names the interface and the setcap fix', () => {
    // capsh drops CAP_NET_RAW/CAP_NET_ADMIN from the bounding set, so even root cannot get them back.
    const file = join(tmp, 'noperm.pcapng');
    const r = spawnSync('capsh', ['--drop=cap_net_raw,cap_net_admin', '--', '-c', `exec "${process.execPath}" "${SYNSCOPE}" capture -i lo -w "${file}"`], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^synscope capture: You don't have permission to capture on lo \(socket: Operation not permitted\)\. Run synscope as root, or give the Node binary that runs the capture helper the capture capabilities: sudo setcap cap_net_raw,cap_net_admin=eip \/\S+\n$/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('the same as a CaptureStartError of kind permission from the API', () => {
    const script = join(tmp, 'start.mts');
    writeFileSync(
      script,
      `import { startLiveCapture } from ${JSON.stringify(join(repoRoot, 'app/capture/live.ts'))};
try { await startLiveCapture({ interface: 'lo' }, { onBatch() {}, onStats() {}, onEnd() {} }); }
catch (e) { console.log(JSON.stringify({ name: e.name, kind: e.kind, message: e.message })); }
`,
    );
    const r = spawnSync('capsh', ['--drop=cap_net_raw,cap_net_admin', '--', '-c', `exec "${process.execPath}" --import tsx "${script}"`], { encoding: 'utf8', timeout: 30_000, cwd: repoRoot });
    const e = JSON.parse(r.stdout.trim()) as { name: string; kind: string; message: string };
    expect(e.name).toBe('CaptureStartError');
    expect(e.kind).toBe('permission');
    expect(e.message).toMatch(/^You don't have permission to capture on lo \(socket: Operation not permitted\)\. /);
  });

  it('an unknown interface: says so and points to `synscope interfaces`', async () => {
    const r = synscope(['capture', '-i', 'nosuch0', '-w', join(tmp, 'x.pcapng')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('synscope capture: There is no capture interface named "nosuch0" (No such device exists). Run `synscope interfaces` to list the interfaces.\n');
    await expect(startLiveCapture({ interface: 'nosuch0' }, noSink)).rejects.toMatchObject({ kind: 'no-such-interface' });
  });

  it("an invalid filter: libpcap's message and where in the filter the mistake is", async () => {
    const r = synscope(['capture', '-i', 'lo', '-w', join(tmp, 'x.pcapng'), '-f', 'tcp and port']);
    expect(r.status).toBe(1);
    // tcpdump says the same: "tcpdump: can't parse filter expression: syntax error"
    const td = spawnSync('tcpdump', ['-i', 'lo', '-w', join(tmp, 'td.pcap'), 'tcp and port'], { encoding: 'utf8' });
    const libpcap = /tcpdump: (.*)\n/.exec(td.stderr)![1]!;
    expect(r.stderr).toBe(`synscope capture: Invalid capture filter "tcp and port": ${libpcap}\n  tcp and port\n              ^\n`);
    let err: unknown;
    try {
      await startLiveCapture({ interface: 'lo', filter: 'udp port 99999' }, noSink);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CaptureStartError);
    const e = err as CaptureStartError;
    expect(e.kind).toBe('bad-filter');
    expect(e.message).toBe('Invalid capture filter "udp port 99999": illegal port number 99999 > 65535');
    // Our tcpdump compiler finds the same mistake; it spans the whole primitive.
    expect(e.span).toEqual({ start: 0, end: 14 });
    await expect(startLiveCapture({ interface: 'lo', filter: 'tcp and (port 80' }, noSink)).rejects.toMatchObject({
      kind: 'bad-filter',
      message: `Invalid capture filter "tcp and (port 80": ${libpcap}`,
      span: { start: 16, end: 16 },
    });
  });

  it('an output file that cannot be created: the reason in strerror words, status 1', () => {
    const r = synscope(['capture', '-i', 'lo', '-w', join(tmp, 'no', 'such', 'dir.pcapng')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`synscope capture: cannot create ${join(tmp, 'no', 'such', 'dir.pcapng')}: No such file or directory\n`);
  });

  it('a usage mistake: the option and the help pointer, status 1', () => {
    const r = synscope(['capture', '-i', 'lo']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('synscope capture: an output file is needed (-w FILE)\nRun `synscope capture --help` for the options.\n');
  });
});

describe('the permission sentence fits how the helper was started', () => {
  it('from the command line: root, or setcap on the Node binary that runs the helper', () => {
    const m = permissionMessage('eth0', 'socket: Operation not permitted', false);
    expect(m).toContain('capture on eth0 (socket: Operation not permitted)');
    expect(m).toContain(`sudo setcap cap_net_raw,cap_net_admin=eip ${captureBinary()}`);
  });

  it("inside the desktop app: the deb's synscope group, never setcap on Electron", () => {
    const m = permissionMessage('eth0', 'socket: Operation not permitted', true);
    expect(m).toContain('capture on eth0');
    expect(m).toContain('sudo usermod -aG synscope $USER');
    expect(m).not.toContain('setcap');
  });
});
