// The Electron main process: wires the tested modules together and holds nothing else. One
// Session (the engine) serves one window; the window shows the renderer build through
// synscope:// and talks to the session only through the gated IPC of ipc.ts.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session as electronSession, type WebContents,
} from 'electron';
import { listInterfaces, startLiveCapture } from '../app/capture/live.js';
import type { CaptureStats, SaveRequest, SessionEvent, SessionSummary, UiCommand } from '../app/session/contract.js';
import { Session } from '../app/session/session.js';
import { validateArgs } from '../app/session/validate.js';
import { AppStateStore, parseLayout } from './app-state.js';
import { formatForPath, openDialogOptions, saveDialogOptions, unsavedChoice, unsavedQuestion } from './dialogs.js';
import { bindSessionIpc, broadcastTo, CommandOutbox, handleGated } from './ipc.js';
import { DESKTOP_CHANNELS } from './ipc-channels.js';
import { captureFileFromArgv } from './launch-args.js';
import { buildMenuTemplate, sameFlags, sessionMenuFlags, type MenuAction, type SessionMenuFlags } from './menu.js';
import { findNodeOnPath, useSystemNodeForChildren } from './node-child-process.js';
import { APP_START_URL, installSecurity, registerAppScheme, secureWebPreferences } from './security.js';
import { discardingActionOf, settleUnsavedCapture, type DiscardingAction } from './unsaved-capture.js';

const here = dirname(fileURLToPath(import.meta.url));
const PRELOAD = join(here, 'desktop-preload.cjs');
const APP_NAME = 'SynScope';

// Before ready: synscope:// must be a standard secure scheme from the first request on.
registerAppScheme(protocol);
app.setName(APP_NAME);

if (!app.requestSingleInstanceLock()) {
  // Another SynScope runs: it receives our argv through 'second-instance' and opens the file.
  app.quit();
} else {
  startDesktopApp();
}

function startDesktopApp(): void {
  // Unpackaged, node_modules' native addons (cap) are built for the system Node.
  if (!app.isPackaged) useSystemNodeForChildren(findNodeOnPath());
  const state = new AppStateStore(join(app.getPath('userData'), 'state.json'), (err) => console.error('synscope: cannot save state:', err));
  const session = new Session({ backend: { listInterfaces, startLiveCapture: (opts, sink) => startLiveCapture(opts, sink) } });
  let win: BrowserWindow | null = null;
  let flags: SessionMenuFlags = sessionMenuFlags(null);
  let quitting = false;
  const ours = new Set<WebContents>();
  const send = broadcastTo(() => (win && !win.isDestroyed() ? [win] : []));
  const outbox = new CommandOutbox(send);

  /** A file named by the command line, a file association or a second launch. */
  const openPath = (path: string) => {
    outbox.post({ name: 'file.open', path });
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  };
  const post = (command: UiCommand) => outbox.post(command);

  // macOS hands files over by event, possibly before ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openPath(path);
  });
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const path = captureFileFromArgv(argv, workingDirectory);
    if (path) openPath(path);
    else win?.focus();
  });

  const refreshMenu = () => {
    const layout = state.get().layout;
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({
      platform: process.platform,
      appName: APP_NAME,
      recentFiles: state.get().recentFiles,
      ...flags,
      theme: layout.theme,
      panes: layout.panes,
      developer: !app.isPackaged,
    }, (action) => void runMenuAction(action))));
  };
  // The menu follows the session (Close, Save, Start/Stop); rebuilt only when that changes,
  // not on every event batch of a running capture.
  let lastSummary: SessionSummary | null = null;
  const noteSummary = (next: SessionSummary, stats?: CaptureStats) => {
    // An event batch can bring an older summary after a reply's newer one (SessionSummary.revision).
    if (lastSummary && next.revision < lastSummary.revision) return;
    lastSummary = next;
    const nextFlags = sessionMenuFlags(next, stats);
    if (sameFlags(flags, nextFlags)) return;
    flags = nextFlags;
    refreshMenu();
  };

  const dialogs = {
    summary: () => session.handle('session.summary', {}),
    ask: async (action: DiscardingAction) => {
      const options = unsavedQuestion(action);
      const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
      return unsavedChoice(response);
    },
    chooseSavePath: async () => {
      const path = await chooseSavePath('Save Captured Packets');
      return path === undefined ? undefined : { path, format: formatForPath(path) };
    },
    save: (request: SaveRequest) => session.handle('file.save', request),
  };

  async function chooseSavePath(title: string): Promise<string | undefined> {
    const last = state.get().recentFiles[0];
    const options = saveDialogOptions(title, last ? dirname(last) : app.getPath('documents'));
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? undefined : result.filePath;
  }

  async function runMenuAction(action: MenuAction): Promise<void> {
    switch (action.kind) {
      case 'open': {
        const last = state.get().recentFiles[0];
        const options = openDialogOptions(last ? dirname(last) : undefined);
        const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        if (!result.canceled && result.filePaths[0]) openPath(result.filePaths[0]);
        return;
      }
      case 'open-recent':
        if (existsSync(action.path)) {
          openPath(action.path);
        } else {
          state.removeRecentFile(action.path);
          refreshMenu();
          dialog.showErrorBox('File not found', `${action.path} no longer exists.`);
        }
        return;
      case 'clear-recent':
        state.clearRecentFiles();
        refreshMenu();
        return;
      case 'save':
      case 'save-as': {
        const path = await chooseSavePath(action.kind === 'save' ? 'Save Captured Packets' : 'Save Captured Packets As');
        if (path) post({ name: 'file.save', path, format: formatForPath(path) });
        return;
      }
      case 'export': {
        const path = await chooseSavePath('Export Specified Packets');
        if (path) post({ name: 'file.export', path, format: formatForPath(path) });
        return;
      }
      case 'theme':
        state.setLayout({ ...state.get().layout, theme: action.theme });
        nativeTheme.themeSource = action.theme;
        post({ name: 'view.theme', theme: action.theme });
        refreshMenu();
        return;
      case 'pane': {
        const layout = state.get().layout;
        state.setLayout({ ...layout, panes: { ...layout.panes, [action.pane]: action.visible } });
        post({ name: 'view.pane', pane: action.pane, visible: action.visible });
        refreshMenu();
        return;
      }
      case 'about': {
        const options = {
          type: 'info' as const,
          title: `About ${APP_NAME}`,
          message: `${APP_NAME} ${app.getVersion()}`,
          detail: `Packet-capture workstation.\nElectron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
        };
        if (win) await dialog.showMessageBox(win, options);
        else await dialog.showMessageBox(options);
        return;
      }
      case 'command':
        post(action.command);
        return;
    }
  }

  bindSessionIpc({
    ipcMain,
    session,
    validateArgs,
    isOurWebContents: (contents) => ours.has(contents),
    before: async (channel) => {
      const action = discardingActionOf(channel);
      if (action === undefined) return undefined;
      return (await settleUnsavedCapture(dialogs, action)) ? undefined : 'Cancelled: the captured packets were kept.';
    },
    after: (channel, args, result) => {
      if (channel === 'file.open' || channel === 'file.save') {
        state.addRecentFile(channel === 'file.open' ? (args as { path: string }).path : (result as { path: string }).path);
        refreshMenu();
      }
      if (channel === 'file.open' || channel === 'file.close' || channel === 'capture.start' || channel === 'capture.stop' || channel === 'session.summary') {
        noteSummary(result as SessionSummary);
      } else if (channel === 'file.save') {
        // Saving a live capture makes it saved: Save greys out.
        void dialogs.summary().then((s) => noteSummary(s));
      }
    },
    onRefused: (channel, reason) => console.warn(`synscope: refused IPC ${channel}: ${reason}`),
  });
  handleGated(ipcMain, DESKTOP_CHANNELS.layout, (c) => ours.has(c), () => state.get().layout);
  handleGated(ipcMain, DESKTOP_CHANNELS.saveLayout, (c) => ours.has(c), (args) => {
    const layout = parseLayout(args);
    if (typeof layout === 'string') throw new Error(layout);
    state.setLayout(layout);
    nativeTheme.themeSource = layout.theme;
    refreshMenu();
  });
  ipcMain.on(DESKTOP_CHANNELS.subscribed, (event) => {
    if (ours.has(event.sender)) outbox.ready();
  });

  session.subscribe((events: SessionEvent[]) => {
    for (const e of events) {
      if (e.type === 'summary') noteSummary(e.summary);
      else if (e.type === 'stats' && lastSummary) noteSummary(lastSummary, e.stats);
    }
    send(events);
  });

  const createWindow = () => {
    const bounds = state.get().window;
    nativeTheme.themeSource = state.get().layout.theme;
    win = new BrowserWindow({
      title: APP_NAME,
      x: bounds.x,
      y: bounds.y,
      width: bounds.width,
      height: bounds.height,
      minWidth: 640,
      minHeight: 400,
      show: false,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1f22' : '#ffffff',
      webPreferences: secureWebPreferences(PRELOAD),
    });
    const contents = win.webContents;
    ours.add(contents);
    contents.on('did-start-loading', () => outbox.reset());
    contents.on('destroyed', () => ours.delete(contents));
    win.once('ready-to-show', () => {
      if (bounds.maximized) win?.maximize();
      win?.show();
    });
    const rememberBounds = () => {
      if (!win || win.isDestroyed() || win.isMinimized()) return;
      const maximized = win.isMaximized();
      const b = maximized ? state.get().window : win.getNormalBounds();
      state.setWindow({ x: b.x, y: b.y, width: b.width, height: b.height, maximized });
    };
    win.on('resize', rememberBounds);
    win.on('move', rememberBounds);
    win.on('close', (event) => {
      rememberBounds();
      if (quitting) return;
      event.preventDefault();
      void settleUnsavedCapture(dialogs, 'quit').then((goOn) => {
        if (!goOn) return;
        quitting = true;
        win?.close();
      });
    });
    win.on('closed', () => {
      win = null;
    });
    void win.loadURL(APP_START_URL);
  };

  app.whenReady().then(() => {
    installSecurity(app, electronSession.defaultSession, join(app.getAppPath(), 'renderer', 'dist'));
    refreshMenu();
    createWindow();
    const path = captureFileFromArgv(process.argv, process.cwd());
    if (path) openPath(path);
  }).catch((err: unknown) => {
    dialog.showErrorBox(`${APP_NAME} could not start`, err instanceof Error ? err.stack ?? err.message : String(err));
    app.exit(1);
  });

  app.on('activate', () => {
    if (!win) createWindow();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    state.save();
    void session.dispose();
  });
}
