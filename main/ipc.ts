// The IPC binding of the session contract (STYLE.md §9): one wrapper registers every channel of
// CHANNELS with ipcMain.handle, and every call passes the same gate before the session sees it:
// the sender must be a frame of one of our windows showing our own origin, and the arguments
// must pass the contract's validator. Answers are Reply envelopes, so a thrown error crosses
// the boundary as data instead of Electron's "Error invoking remote method" text.
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import {
  CHANNELS, EVENT_CHANNEL, type Channel, type Reply, type SessionEvent, type UiCommand,
} from '../app/session/contract.js';
import { APP_ORIGIN } from './security.js';

/** What ipc.ts needs of ipcMain (a stand-in in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** What ipc.ts needs of the session (app/session/session.ts's Session). */
export interface SessionLike {
  handle(channel: Channel, args: never): unknown;
}

/** Why a sender is refused, or undefined when it may call. */
export function senderRefusal(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, isOurWebContents: (contents: WebContents) => boolean): string | undefined {
  if (!isOurWebContents(event.sender)) return 'not one of our windows';
  const frame = event.senderFrame;
  // A frame that navigated away or was destroyed while the call was in flight has no URL.
  if (!frame) return 'the calling frame is gone';
  let origin: string;
  try {
    const url = new URL(frame.url);
    origin = `${url.protocol}//${url.host}`;
  } catch {
    return `unparsable frame URL ${JSON.stringify(frame.url)}`;
  }
  if (origin !== APP_ORIGIN) return `frame origin ${origin} is not ${APP_ORIGIN}`;
  return undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export interface SessionIpcOptions {
  ipcMain: IpcMainLike;
  session: SessionLike;
  /** Throws on arguments that do not fit the channel, else returns them (app/session/validate.ts). */
  validateArgs(channel: Channel, args: unknown): unknown;
  isOurWebContents(contents: WebContents): boolean;
  /**
   * Runs after the gate, before the session: resolves to a sentence to refuse the call with
   * (the user chose to keep an unsaved capture), or undefined to go on.
   */
  before?(channel: Channel, args: unknown, sender: WebContents): Promise<string | undefined> | string | undefined;
  /** Runs after the session answered (recent files, menu state). */
  after?(channel: Channel, args: unknown, result: unknown): void;
  /** A refused sender, for the log: never shown to the page. */
  onRefused?(channel: string, reason: string): void;
}

/**
 * Registers one gated handler. Exported for the desktop-only channels, which pass the same
 * sender check and validate with their own function.
 */
export function handleGated(
  ipcMain: IpcMainLike,
  channel: string,
  isOurWebContents: (contents: WebContents) => boolean,
  run: (args: unknown, event: IpcMainInvokeEvent) => unknown,
  onRefused?: (channel: string, reason: string) => void,
): void {
  ipcMain.handle(channel, async (event, ...rest): Promise<Reply<unknown>> => {
    const refusal = senderRefusal(event, isOurWebContents);
    if (refusal !== undefined) {
      onRefused?.(channel, refusal);
      return { ok: false, error: `${channel}: refused: ${refusal}` };
    }
    if (rest.length > 1) return { ok: false, error: `${channel}: expected one argument object, got ${rest.length}` };
    try {
      return { ok: true, value: await run(rest[0], event) };
    } catch (err) {
      return { ok: false, error: errorText(err) };
    }
  });
}

/** Binds every channel of the contract; returns the function that unbinds them. */
export function bindSessionIpc(options: SessionIpcOptions): () => void {
  const { ipcMain, session, isOurWebContents } = options;
  for (const channel of CHANNELS) {
    handleGated(ipcMain, channel, isOurWebContents, async (args, event) => {
      const checked = options.validateArgs(channel, args);
      const refusal = await options.before?.(channel, checked, event.sender);
      if (refusal !== undefined) throw new Error(refusal);
      const result = await session.handle(channel, checked as never);
      options.after?.(channel, checked, result);
      return result;
    }, options.onRefused);
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}

/**
 * Sends a batch to every live window on EVENT_CHANNEL. The session already batches its events
 * a few times per second (DESIGN.md: IPC carries batches, not single packets); menu commands
 * go out as a batch of one, at once.
 */
export function broadcastTo(windows: () => Iterable<{ webContents: WebContents }>): (batch: SessionEvent[]) => void {
  return (batch) => {
    for (const win of windows()) {
      if (!win.webContents.isDestroyed()) win.webContents.send(EVENT_CHANNEL, batch);
    }
  };
}

/**
 * Menu commands on their way to one window. Until the page has subscribed to events (the
 * preload says so on DESKTOP_CHANNELS.subscribed) they wait, so a file named on the command
 * line is not sent into a page that is still loading; after that they go out at once.
 */
export class CommandOutbox {
  private waiting: UiCommand[] = [];
  private open = false;

  constructor(private readonly send: (batch: SessionEvent[]) => void) {}

  post(command: UiCommand): void {
    if (this.open) this.send([{ type: 'command', command }]);
    else this.waiting.push(command);
  }

  /** The page subscribed: deliver what waited, in order. */
  ready(): void {
    this.open = true;
    const waiting = this.waiting;
    this.waiting = [];
    if (waiting.length > 0) this.send(waiting.map((command) => ({ type: 'command', command })));
  }

  /** The page reloads: wait for it to subscribe again. */
  reset(): void {
    this.open = false;
  }
}
