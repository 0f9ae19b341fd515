// index.ts wired against a stand-in `electron` module: the whole start-up runs in Node (scheme
// registration, single-instance lock, security policies, the window and its options, the IPC
// handlers, the menu, a file from the command line reaching the page) without Electron.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { CHANNELS, EVENT_CHANNEL, type Reply, type SessionEvent } from '../app/session/contract.js';
import { corpusPath } from '../test/helpers/corpus.js';

const fake = vi.hoisted(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EventEmitter: Emitter } = require('node:events') as typeof import('node:events');
  const userData = { dir: '' };
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const windows: FakeWindow[] = [];
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => { readyResolve = r; });

  class FakeContents extends Emitter {
    sent: [string, unknown][] = [];
    windowOpenHandler?: (d: { url: string }) => unknown;
    send(channel: string, payload: unknown) { this.sent.push([channel, payload]); }
    isDestroyed() { return false; }
    setWindowOpenHandler(h: (d: { url: string }) => unknown) { this.windowOpenHandler = h; }
  }
  class FakeWindow extends Emitter {
    webContents = new FakeContents();
    loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
    loadURL(url: string) { this.loaded.push(url); return Promise.resolve(); }
    isDestroyed() { return false; }
    isMinimized() { return false; }
    isMaximized() { return false; }
    getNormalBounds() { return { x: 0, y: 0, width: 1280, height: 800 }; }
    focus() {}
    restore() {}
    show() {}
    maximize() {}
    close() {}
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    setName: () => {},
    getPath: () => userData.dir,
    getAppPath: () => '/nonexistent/app',
    getVersion: () => '0.1.0',
    requestSingleInstanceLock: () => true,
    whenReady: () => ready,
    quit: () => {},
    exit: () => {},
  });
  const sessionHooks: Record<string, unknown> = {};
  const defaultSession = Object.assign(new Emitter(), {
    protocol: { handle: (scheme: string, h: unknown) => { sessionHooks[`protocol:${scheme}`] = h; } },
    setPermissionRequestHandler: (h: unknown) => { sessionHooks.permissionRequest = h; },
    setPermissionCheckHandler: (h: unknown) => { sessionHooks.permissionCheck = h; },
    setDevicePermissionHandler: (h: unknown) => { sessionHooks.devicePermission = h; },
    webRequest: {
      onBeforeRequest: (h: unknown) => { sessionHooks.beforeRequest = h; },
      onHeadersReceived: (h: unknown) => { sessionHooks.headersReceived = h; },
    },
  });
  const menus: MenuItemConstructorOptions[][] = [];
  const schemes: unknown[] = [];
  return {
    userData, handlers, listeners, windows, readyResolve, app, defaultSession, sessionHooks, menus, schemes,
    electron: {
      app,
      BrowserWindow: FakeWindow,
      dialog: { showMessageBox: async () => ({ response: 2 }), showErrorBox: () => {}, showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }) },
      ipcMain: {
        handle: (channel: string, h: (event: unknown, ...args: unknown[]) => unknown) => { handlers.set(channel, h); },
        removeHandler: (channel: string) => { handlers.delete(channel); },
        on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => { listeners.set(channel, l); },
      },
      Menu: {
        buildFromTemplate: (t: MenuItemConstructorOptions[]) => t,
        setApplicationMenu: (t: MenuItemConstructorOptions[]) => { menus.push(t); },
      },
      nativeTheme: { themeSource: 'system', shouldUseDarkColors: false },
      protocol: { registerSchemesAsPrivileged: (s: unknown) => { schemes.push(s); } },
      session: { defaultSession },
    },
  };
});

vi.mock('electron', () => fake.electron);

const capture = corpusPath('zeek/smtp.pcap');
const argv = process.argv;

beforeAll(async () => {
  fake.userData.dir = mkdtempSync(join(tmpdir(), 'synscope-userdata-'));
  process.argv = ['/opt/SynScope/synscope', capture];
  await import('./index.js');
  fake.readyResolve();
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
});
afterAll(() => {
  process.argv = argv;
  fake.app.emit('will-quit');
  rmSync(fake.userData.dir, { recursive: true, force: true });
});

describe('the desktop app start-up', () => {
  it('registers synscope:// as a privileged scheme before ready', () => {
    expect(fake.schemes).toEqual([[expect.objectContaining({ scheme: 'synscope' })]]);
  });

  it('installs the protocol handler and the session policies', () => {
    expect(Object.keys(fake.sessionHooks).sort()).toEqual([
      'beforeRequest', 'devicePermission', 'headersReceived', 'permissionCheck', 'permissionRequest', 'protocol:synscope',
    ]);
  });

  it('opens one window with the secure options, on our origin', () => {
    const [win] = fake.windows;
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String((win.options.webPreferences as { preload: string }).preload)).toMatch(/desktop-preload\.cjs$/);
    expect(win.loaded).toEqual(['synscope://app/index.html']);
  });

  it('registers every contract channel and the desktop channels', () => {
    for (const channel of CHANNELS) expect(fake.handlers.has(channel), channel).toBe(true);
    expect(fake.handlers.has('desktop.layout')).toBe(true);
    expect(fake.handlers.has('desktop.saveLayout')).toBe(true);
  });

  it('sets the application menu', () => {
    expect(fake.menus.length).toBeGreaterThan(0);
    expect(fake.menus.at(-1)!.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Go', '&Capture', '&Statistics', '&Help']);
  });

  it('hands the file from the command line to the page once it subscribed, and the page opens it', async () => {
    const [win] = fake.windows;
    const contents = win.webContents;
    expect(contents.sent).toEqual([]);
    fake.listeners.get('desktop.subscribed')!({ sender: contents });
    const commands = contents.sent.filter(([channel]) => channel === EVENT_CHANNEL).flatMap(([, batch]) => batch as SessionEvent[]);
    expect(commands).toEqual([{ type: 'command', command: { name: 'file.open', path: capture } }]);

    // What the renderer does with it: file.open over the gated IPC.
    const event = { sender: contents, senderFrame: { url: 'synscope://app/index.html' } };
    const reply = await fake.handlers.get('file.open')!(event, { path: capture }) as Reply<{ source: unknown }>;
    expect(reply).toMatchObject({ ok: true, value: { source: { kind: 'file', path: capture } } });
    // ... and it becomes the first recent file in the menu.
    const file = fake.menus.at(-1)![0].submenu as MenuItemConstructorOptions[];
    const recent = file.find((i) => i.label === 'Open &Recent')!.submenu as MenuItemConstructorOptions[];
    expect(recent[0].label).toBe(capture);
  });

  it('refuses IPC from a webContents that is not our window', async () => {
    const stranger = new EventEmitter();
    const reply = await fake.handlers.get('session.summary')!({ sender: stranger, senderFrame: { url: 'synscope://app/index.html' } }, {}) as Reply<unknown>;
    expect(reply).toEqual({ ok: false, error: 'session.summary: refused: not one of our windows' });
  });

  it('stores a layout sent by the page and rejects a malformed one', async () => {
    const event = { sender: fake.windows[0].webContents, senderFrame: { url: 'synscope://app/' } };
    const layout = { theme: 'dark', panes: { list: true, details: true, bytes: false }, sizes: [0.6, 0.4] };
    expect(await fake.handlers.get('desktop.saveLayout')!(event, layout)).toEqual({ ok: true, value: undefined });
    expect(await fake.handlers.get('desktop.layout')!(event, {})).toEqual({ ok: true, value: layout });
    expect(await fake.handlers.get('desktop.saveLayout')!(event, { theme: 'dark' })).toEqual({ ok: false, error: 'layout.panes must be an object' });
    expect(fake.electron.nativeTheme.themeSource).toBe('dark');
  });
});
