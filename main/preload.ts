// The preload of the SynScope window. It runs sandboxed (no Node, only a few Electron modules)
// in an isolated world, and puts exactly one object on the page: `window.synscope`, the
// SessionApi of the contract plus the desktop-only functions. ipcRenderer itself, and the IPC
// event objects (whose `sender` is ipcRenderer), never reach the page. Bundled by
// scripts/build-main.mjs into one CommonJS file with only 'electron' left external, because a
// sandboxed preload cannot require anything else.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  CHANNELS, EVENT_CHANNEL, type Channel, type DesktopApi, type Reply, type SessionEvent, type UiLayout,
} from '../app/session/contract.js';
import { DESKTOP_CHANNELS } from './ipc-channels.js';

const KNOWN: ReadonlySet<string> = new Set(CHANNELS);

type Invoke = (channel: string, args: unknown) => Promise<unknown>;

async function unwrap<T>(reply: Promise<unknown>): Promise<T> {
  const r = (await reply) as Reply<T>;
  if (r.ok) return r.value;
  throw new Error(r.error);
}

/** The object the page sees, and a way to hand it events that arise in the preload itself. */
export function createDesktopApi(
  invoke: Invoke,
  on: (channel: string, listener: (event: IpcRendererEvent, batch: unknown) => void) => void,
  off: (channel: string, listener: (event: IpcRendererEvent, batch: unknown) => void) => void,
  pathForFile: (file: File) => string,
  notifySubscribed: () => void = () => {},
): { api: DesktopApi; emitLocally(batch: SessionEvent[]): void } {
  const listeners = new Set<(events: SessionEvent[]) => void>();
  const api: DesktopApi = {
    call(channel, args) {
      // The page is untrusted: a typo'd or made-up channel never reaches IPC at all.
      if (typeof channel !== 'string' || !KNOWN.has(channel)) {
        return Promise.reject(new Error(`unknown channel ${JSON.stringify(channel)}`));
      }
      return unwrap(invoke(channel as Channel, args));
    },
    subscribe(listener) {
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
      const forward = (_event: IpcRendererEvent, batch: unknown) => {
        if (Array.isArray(batch)) listener(batch as SessionEvent[]);
      };
      on(EVENT_CHANNEL, forward);
      listeners.add(listener);
      notifySubscribed();
      return () => {
        off(EVENT_CHANNEL, forward);
        listeners.delete(listener);
      };
    },
    desktop: {
      pathForFile: (file) => pathForFile(file),
      layout: () => unwrap<UiLayout>(invoke(DESKTOP_CHANNELS.layout, {})),
      saveLayout: (layout) => unwrap<void>(invoke(DESKTOP_CHANNELS.saveLayout, layout)),
    },
  };
  return { api, emitLocally: (batch) => { for (const l of listeners) l(batch); } };
}

/**
 * A capture file dropped on the window opens as if chosen in File › Open: the page receives
 * the same file.open command, and its file.open call passes the same gate (and the unsaved-
 * capture question). A page that handles drops itself calls preventDefault, and this steps
 * aside. Electron gives a dropped File its path only through webUtils, here in the preload.
 */
export function openDroppedFiles(target: EventTarget, pathForFile: (file: File) => string, open: (path: string) => void): void {
  const carriesFiles = (e: DragEvent) => e.dataTransfer?.types?.includes('Files') === true;
  target.addEventListener('dragover', (event) => {
    const e = event as DragEvent;
    if (e.defaultPrevented || !carriesFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  });
  target.addEventListener('drop', (event) => {
    const e = event as DragEvent;
    const file = e.dataTransfer?.files?.[0];
    if (e.defaultPrevented || !file) return;
    e.preventDefault();
    const path = pathForFile(file);
    if (path) open(path);
  });
}

const pathOf = (file: File) => webUtils.getPathForFile(file);
const { api, emitLocally } = createDesktopApi(
  (channel, args) => ipcRenderer.invoke(channel, args),
  (channel, listener) => { ipcRenderer.on(channel, listener); },
  (channel, listener) => { ipcRenderer.removeListener(channel, listener); },
  pathOf,
  () => ipcRenderer.send(DESKTOP_CHANNELS.subscribed),
);
contextBridge.exposeInMainWorld('synscope', api);
openDroppedFiles(window, pathOf, (path) => emitLocally([{ type: 'command', command: { name: 'file.open', path } }]));
