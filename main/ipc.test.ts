// The IPC gate with a stand-in ipcMain: who may call, what happens to bad arguments, and the
// Reply envelopes that come back. The session behind it is the real one (app/session), so an
// accepted call is answered by the engine.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, EVENT_CHANNEL, type Channel, type Reply, type SessionEvent, type SessionSummary } from '../app/session/contract.js';
import { Session } from '../app/session/session.js';
import { validateArgs } from '../app/session/validate.js';
import { corpusPath } from '../test/helpers/corpus.js';
import { bindSessionIpc, broadcastTo, handleGated, senderRefusal, type IpcMainLike } from './ipc.js';
import { APP_ORIGIN } from './security.js';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What the renderer's ipcRenderer.invoke would get back. */
  async invoke(event: IpcMainInvokeEvent, channel: string, ...args: unknown[]): Promise<Reply<unknown>> {
    return (await this.handlers.get(channel)!(event, ...args)) as Reply<unknown>;
  }
}

const ourContents = { id: 1 } as unknown as WebContents;
const strangerContents = { id: 2 } as unknown as WebContents;
const isOurs = (c: WebContents) => c === ourContents;
const eventFrom = (sender: WebContents, url: string | null): IpcMainInvokeEvent =>
  ({ sender, senderFrame: url === null ? null : { url } }) as unknown as IpcMainInvokeEvent;
const fromApp = eventFrom(ourContents, `${APP_ORIGIN}/index.html`);

describe('the sender check', () => {
  it('accepts our window showing our origin', () => {
    expect(senderRefusal(fromApp, isOurs)).toBeUndefined();
    expect(senderRefusal(eventFrom(ourContents, `${APP_ORIGIN}/sub/page.html?x=1#y`), isOurs)).toBeUndefined();
  });

  it('rejects a foreign frame URL in our window', () => {
    for (const url of ['https://example.com/', 'file:///home/user/evil.html', 'synscope://evil/index.html', 'synscope://app.evil/', 'data:text/html,hi', 'about:blank', '']) {
      expect(senderRefusal(eventFrom(ourContents, url), isOurs), url).toBeDefined();
    }
  });

  it('rejects an unknown webContents even when it shows our origin', () => {
    expect(senderRefusal(eventFrom(strangerContents, `${APP_ORIGIN}/index.html`), isOurs)).toBe('not one of our windows');
  });

  it('rejects a call whose frame is gone', () => {
    expect(senderRefusal(eventFrom(ourContents, null), isOurs)).toBe('the calling frame is gone');
  });
});

describe('the session channels over IPC', () => {
  const ipcMain = new FakeIpcMain();
  const session = new Session();
  const calls: Channel[] = [];
  const refused: string[] = [];
  let unbind: () => void;

  beforeAll(() => {
    unbind = bindSessionIpc({
      ipcMain,
      session: { handle: (channel, args) => { calls.push(channel); return session.handle(channel, args); } },
      validateArgs,
      isOurWebContents: isOurs,
      onRefused: (channel, reason) => refused.push(`${channel}: ${reason}`),
    });
  });
  afterAll(async () => {
    unbind();
    await session.dispose();
  });

  it('registers every channel of the contract, once', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('answers an accepted call with the session result', async () => {
    const reply = await ipcMain.invoke(fromApp, 'session.summary', {});
    expect(reply).toEqual({ ok: true, value: expect.objectContaining({ source: { kind: 'none' }, packets: 0 }) });
  });

  it('opens a corpus file and reads rows through the gate (as many packets as capinfos counts)', async () => {
    const path = corpusPath('zeek/smtp.pcap');
    const opened = await ipcMain.invoke(fromApp, 'file.open', { path });
    expect(opened).toMatchObject({ ok: true, value: { source: { kind: 'file', path } } });
    await session.whenIndexed();
    const summary = await ipcMain.invoke(fromApp, 'session.summary', {});
    const capinfos = Number(/Number of packets:\s*(\d+)/.exec(execFileSync('capinfos', ['-c', '-M', path], { encoding: 'utf8' }))![1]);
    expect(summary.ok && (summary.value as SessionSummary).packets).toBe(capinfos);
    const rows = await ipcMain.invoke(fromApp, 'packets.rows', { start: 0, end: 3 });
    expect(rows.ok && (rows.value as { number: number }[]).map((r) => r.number)).toEqual([1, 2, 3]);
  });

  it('refuses foreign senders before the session sees the call', async () => {
    calls.length = 0;
    const foreign = await ipcMain.invoke(eventFrom(ourContents, 'https://example.com/'), 'file.open', { path: '/etc/passwd' });
    expect(foreign).toEqual({ ok: false, error: 'file.open: refused: frame origin https://example.com is not synscope://app' });
    const stranger = await ipcMain.invoke(eventFrom(strangerContents, `${APP_ORIGIN}/`), 'session.summary', {});
    expect(stranger).toEqual({ ok: false, error: 'session.summary: refused: not one of our windows' });
    expect(calls).toEqual([]);
    expect(refused).toHaveLength(2);
  });

  it('rejects bad arguments for several channels before the session sees them', async () => {
    calls.length = 0;
    const bad: [Channel, unknown][] = [
      ['file.open', { path: 42 }],
      ['file.open', {}],
      ['file.open', 'trace.pcap'],
      ['packets.rows', { start: -1, end: 10 }],
      ['packets.rows', { start: 0, end: 'all' }],
      ['packet.detail', { number: 1.5 }],
      ['filter.apply', { text: ['tcp'] }],
      ['capture.start', { interface: 'lo', snaplen: 'big' }],
      ['file.save', { path: '/tmp/x.pcapng', format: 'exe', which: 'all' }],
      ['stats.conversations', { proto: 'ICMP' }],
      ['tcp.follow', { stream: null }],
      ['session.summary', null],
    ];
    for (const [channel, args] of bad) {
      const reply = await ipcMain.invoke(fromApp, channel, args);
      expect(reply.ok, `${channel} ${JSON.stringify(args)}`).toBe(false);
    }
    expect(calls).toEqual([]);
  });

  it('rejects a second argument (the contract passes one object)', async () => {
    const reply = await ipcMain.invoke(fromApp, 'session.summary', {}, { extra: true });
    expect(reply).toEqual({ ok: false, error: 'session.summary: expected one argument object, got 2' });
  });

  it('turns a session error into an error reply', async () => {
    const reply = await ipcMain.invoke(fromApp, 'file.open', { path: '/nonexistent/trace.pcap' });
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error).toContain('/nonexistent/trace.pcap');
  });

  it('unbinds every channel', () => {
    const other = new FakeIpcMain();
    const off = bindSessionIpc({ ipcMain: other, session, validateArgs, isOurWebContents: isOurs });
    off();
    expect(other.handlers.size).toBe(0);
  });
});

describe('the before/after hooks', () => {
  it('lets a hook refuse a call (the user kept an unsaved capture) and reports answered calls', async () => {
    const ipcMain = new FakeIpcMain();
    const answered: string[] = [];
    bindSessionIpc({
      ipcMain,
      session: { handle: async (channel) => ({ channel }) },
      validateArgs: (_channel, args) => args,
      isOurWebContents: isOurs,
      before: (channel) => (channel === 'file.close' ? 'Kept the unsaved capture' : undefined),
      after: (channel) => answered.push(channel),
    });
    expect(await ipcMain.invoke(fromApp, 'file.close', {})).toEqual({ ok: false, error: 'Kept the unsaved capture' });
    expect(await ipcMain.invoke(fromApp, 'capture.stats', {})).toEqual({ ok: true, value: { channel: 'capture.stats' } });
    expect(answered).toEqual(['capture.stats']);
  });

  it('gates desktop-only channels the same way', async () => {
    const ipcMain = new FakeIpcMain();
    handleGated(ipcMain, 'desktop.layout', isOurs, () => 'layout');
    expect(await ipcMain.invoke(fromApp, 'desktop.layout', {})).toEqual({ ok: true, value: 'layout' });
    expect((await ipcMain.invoke(eventFrom(ourContents, 'https://example.com/'), 'desktop.layout', {})).ok).toBe(false);
  });
});

describe('event forwarding', () => {
  it('sends each batch to every live window on the event channel', () => {
    const sent: [string, number, SessionEvent[]][] = [];
    const win = (id: number, destroyed = false) => ({
      webContents: { isDestroyed: () => destroyed, send: (channel: string, batch: SessionEvent[]) => sent.push([channel, id, batch]) } as unknown as WebContents,
    });
    const send = broadcastTo(() => [win(1), win(2, true), win(3)]);
    const batch: SessionEvent[] = [{ type: 'command', command: { name: 'go.first' } }];
    send(batch);
    expect(sent).toEqual([[EVENT_CHANNEL, 1, batch], [EVENT_CHANNEL, 3, batch]]);
  });
});
