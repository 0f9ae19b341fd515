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

/** The object the page sees. Built from its parts so tests can drive it without Electron. */
export function createDesktopApi(
  invoke: Invoke,
  on: (channel: string, listener: (event: IpcRendererEvent, batch: unknown) => void) => void,
  off: (channel: string, listener: (event: IpcRendererEvent, batch: unknown) => void) => void,
  pathForFile: (file: File) => string,
  notifySubscribed: () => void = () => {},
): DesktopApi {
  return {
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
      notifySubscribed();
      return () => off(EVENT_CHANNEL, forward);
    },
    desktop: {
      pathForFile: (file) => pathForFile(file),
      layout: () => unwrap<UiLayout>(invoke(DESKTOP_CHANNELS.layout, {})),
      saveLayout: (layout) => unwrap<void>(invoke(DESKTOP_CHANNELS.saveLayout, layout)),
    },
  };
}

contextBridge.exposeInMainWorld('synscope', createDesktopApi(
  (channel, args) => ipcRenderer.invoke(channel, args),
  (channel, listener) => { ipcRenderer.on(channel, listener); },
  (channel, listener) => { ipcRenderer.removeListener(channel, listener); },
  (file) => webUtils.getPathForFile(file),
  () => ipcRenderer.send(DESKTOP_CHANNELS.subscribed),
));
