// The preload against a stand-in `electron` module: what the page gets on window.synscope, and
// that nothing but named, known calls reach IPC.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS, EVENT_CHANNEL, type DesktopApi, type SessionEvent } from '../app/session/contract.js';

const fake = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const ipcRenderer = {
    invoke: vi.fn(async (channel: string, args: unknown): Promise<{ ok: boolean; value?: unknown; error?: string }> => ({ ok: true, value: { channel, args } })),
    on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    }),
    send: vi.fn(),
    removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      listeners.get(channel)?.delete(listener);
    }),
  };
  const exposed = new Map<string, unknown>();
  return {
    ipcRenderer,
    listeners,
    exposed,
    contextBridge: { exposeInMainWorld: vi.fn((key: string, api: unknown) => exposed.set(key, api)) },
    webUtils: { getPathForFile: vi.fn((file: { name: string }) => `/home/user/captures/${file.name}`) },
  };
});

vi.mock('electron', () => ({ contextBridge: fake.contextBridge, ipcRenderer: fake.ipcRenderer, webUtils: fake.webUtils }));

let api: DesktopApi;
// The page's window, for the drop handler the preload installs.
const pageWindow = new EventTarget();
beforeAll(async () => {
  vi.stubGlobal('window', pageWindow);
  await import('./preload.js');
  api = fake.exposed.get('synscope') as DesktopApi;
});

describe('the preload', () => {
  it('exposes one object, window.synscope, with call, subscribe and the desktop functions only', () => {
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...fake.exposed.keys()]).toEqual(['synscope']);
    expect(Object.keys(api).sort()).toEqual(['call', 'desktop', 'subscribe']);
    expect(Object.keys(api.desktop).sort()).toEqual(['layout', 'pathForFile', 'saveLayout']);
    // Nothing on it is ipcRenderer or one of its methods.
    const reachable = [api, api.desktop, ...Object.values(api), ...Object.values(api.desktop)];
    for (const value of reachable) {
      expect(value).not.toBe(fake.ipcRenderer);
      expect(Object.values(fake.ipcRenderer)).not.toContain(value);
    }
  });

  it('forwards every contract channel to IPC and unwraps the reply', async () => {
    for (const channel of CHANNELS) {
      fake.ipcRenderer.invoke.mockClear();
      await api.call(channel, {} as never);
      expect(fake.ipcRenderer.invoke).toHaveBeenCalledWith(channel, {});
    }
    expect(await api.call('packets.rows', { start: 0, end: 10 })).toEqual({ channel: 'packets.rows', args: { start: 0, end: 10 } });
  });

  it('refuses unknown channels without touching IPC', async () => {
    fake.ipcRenderer.invoke.mockClear();
    for (const channel of ['shell.openExternal', 'session.events', 'desktop.layout', '__proto__', 'file.open ', '']) {
      await expect(api.call(channel as never, {} as never)).rejects.toThrow('unknown channel');
    }
    await expect(api.call(42 as never, {} as never)).rejects.toThrow('unknown channel');
    expect(fake.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('turns an error reply into a rejected promise with the main process message', async () => {
    fake.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: 'file.open: no such file /tmp/x.pcap' });
    await expect(api.call('file.open', { path: '/tmp/x.pcap' })).rejects.toThrow('file.open: no such file /tmp/x.pcap');
  });

  it('hands event batches to the listener without the IPC event, and unsubscribes', () => {
    const seen: SessionEvent[][] = [];
    const unsubscribe = api.subscribe((batch) => seen.push(batch));
    const batch: SessionEvent[] = [{ type: 'rows', packets: 10, displayed: 4, firstAvailable: 1 }];
    const ipcEvent = { sender: fake.ipcRenderer };
    for (const listener of fake.listeners.get(EVENT_CHANNEL)!) listener(ipcEvent, batch);
    expect(seen).toEqual([batch]);
    // The main process learns that commands now have a listener.
    expect(fake.ipcRenderer.send).toHaveBeenCalledWith('desktop.subscribed');
    unsubscribe();
    expect(fake.listeners.get(EVENT_CHANNEL)!.size).toBe(0);
  });

  it('gives the path of a dropped file through webUtils', () => {
    expect(api.desktop.pathForFile({ name: 'dns.pcapng' } as File)).toBe('/home/user/captures/dns.pcapng');
  });
});

describe('dropping a capture on the window', () => {
  const dragEvent = (type: string, names: string[]) => Object.assign(new Event(type, { cancelable: true }), {
    dataTransfer: { types: names.length ? ['Files'] : ['text/plain'], files: names.map((name) => ({ name })), dropEffect: 'none' },
  });

  it('opens the first dropped file like File › Open (a file.open command to the page)', () => {
    const seen: SessionEvent[][] = [];
    const unsubscribe = api.subscribe((batch) => seen.push(batch));
    const over = dragEvent('dragover', ['trace.pcapng']);
    pageWindow.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(true);
    const drop = dragEvent('drop', ['trace.pcapng', 'other.pcap']);
    pageWindow.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    expect(seen).toEqual([[{ type: 'command', command: { name: 'file.open', path: '/home/user/captures/trace.pcapng' } }]]);
    unsubscribe();
  });

  it('leaves drops without files, and drops the page handled itself, alone', () => {
    const seen: SessionEvent[][] = [];
    const unsubscribe = api.subscribe((batch) => seen.push(batch));
    const text = dragEvent('drop', []);
    pageWindow.dispatchEvent(text);
    expect(text.defaultPrevented).toBe(false);
    const handled = dragEvent('drop', ['x.pcap']);
    handled.preventDefault();
    pageWindow.dispatchEvent(handled);
    expect(seen).toEqual([]);
    unsubscribe();
  });
});
