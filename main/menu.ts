// The application menu, laid out and bound like Wireshark's (File, Edit, View, Go, Capture,
// Help, with its shortcuts). The template is built from plain state by a pure function, so the
// menu is tested in Node; index.ts turns it into a Menu and rebuilds it when the state changes
// (recent files, capture running, theme, panes). Clicks become MenuActions: the shell handles
// the native parts (dialogs, quit) and hands the rest to the UI as named commands.
import type { MenuItemConstructorOptions } from 'electron';
import type { CaptureStats, SessionSummary, UiCommand, UiPane, UiTheme } from '../app/session/contract.js';

export type MenuAction =
  | { kind: 'open' }
  | { kind: 'open-recent'; path: string }
  | { kind: 'clear-recent' }
  | { kind: 'save' }
  | { kind: 'save-as' }
  | { kind: 'export' }
  | { kind: 'theme'; theme: UiTheme }
  | { kind: 'pane'; pane: UiPane; visible: boolean }
  | { kind: 'about' }
  /** Goes to the UI as is. */
  | { kind: 'command'; command: UiCommand };

export interface MenuState {
  platform: NodeJS.Platform;
  appName: string;
  recentFiles: readonly string[];
  /** A capture file or a live capture is open (Close, Export, Go make sense). */
  hasCapture: boolean;
  /** There is something Save would write (a live capture not saved yet). */
  canSave: boolean;
  /** A live capture is running: Ctrl+E stops instead of starting. */
  capturing: boolean;
  theme: UiTheme;
  panes: Readonly<Record<UiPane, boolean>>;
  /** Unpackaged build: offer the developer tools. */
  developer: boolean;
}

/** The part of MenuState that follows the session. */
export type SessionMenuFlags = Pick<MenuState, 'hasCapture' | 'canSave' | 'capturing'>;

export function sessionMenuFlags(summary: SessionSummary | null, stats?: CaptureStats): SessionMenuFlags {
  const state = (stats ?? summary?.capture)?.state;
  return {
    hasCapture: summary !== null && summary.source.kind !== 'none',
    canSave: summary?.unsaved === true,
    capturing: summary?.source.kind === 'live' && (state === 'capturing' || state === 'starting'),
  };
}

export function sameFlags(a: SessionMenuFlags, b: SessionMenuFlags): boolean {
  return a.hasCapture === b.hasCapture && a.canSave === b.canSave && a.capturing === b.capturing;
}

const PANE_LABELS: Record<UiPane, string> = { list: 'Packet List', details: 'Packet Details', bytes: 'Packet Bytes' };

export function buildMenuTemplate(state: MenuState, run: (action: MenuAction) => void): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const act = (action: MenuAction) => () => run(action);
  const command = (c: UiCommand) => act({ kind: 'command', command: c });

  const recent: MenuItemConstructorOptions[] = state.recentFiles.length === 0
    ? [{ label: 'No Recent Files', enabled: false }]
    : state.recentFiles.map((path) => ({ label: path, click: act({ kind: 'open-recent', path }) }));

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: '&Open…', accelerator: 'CmdOrCtrl+O', click: act({ kind: 'open' }) },
      { label: 'Open &Recent', submenu: [...recent, { type: 'separator' }, { label: 'Clear Menu', enabled: state.recentFiles.length > 0, click: act({ kind: 'clear-recent' }) }] },
      { type: 'separator' },
      { label: '&Save', accelerator: 'CmdOrCtrl+S', enabled: state.canSave, click: act({ kind: 'save' }) },
      { label: 'Save &As…', accelerator: 'CmdOrCtrl+Shift+S', enabled: state.hasCapture, click: act({ kind: 'save-as' }) },
      { type: 'separator' },
      { label: 'Export Specified Packets…', enabled: state.hasCapture, click: act({ kind: 'export' }) },
      { type: 'separator' },
      { label: '&Close', accelerator: 'CmdOrCtrl+W', enabled: state.hasCapture, click: command({ name: 'file.close' }) },
      ...(mac ? [] : [{ type: 'separator' } as const, { label: '&Quit', accelerator: 'CmdOrCtrl+Q', role: 'quit' } as const]),
    ],
  };

  // Text editing shortcuts work in inputs (filter bar) only when the menu has these roles.
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' }, { role: 'redo' }, { type: 'separator' },
      { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' },
      // Wireshark's (Pre)-Master-Secret log filename, under Edit › Preferences there.
      { type: 'separator' }, { label: '&TLS Key Log File…', click: command({ name: 'tls.keys' }) },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { label: 'Zoom &In', role: 'zoomIn', accelerator: 'CmdOrCtrl+=' },
      { label: 'Zoom &Out', role: 'zoomOut', accelerator: 'CmdOrCtrl+-' },
      { label: '&Normal Size', role: 'resetZoom', accelerator: 'CmdOrCtrl+0' },
      { type: 'separator' },
      ...(['light', 'dark', 'system'] as const).map((theme): MenuItemConstructorOptions => ({
        label: { light: '&Light Theme', dark: '&Dark Theme', system: 'S&ystem Theme' }[theme],
        type: 'radio',
        checked: state.theme === theme,
        click: act({ kind: 'theme', theme }),
      })),
      { type: 'separator' },
      ...(['list', 'details', 'bytes'] as const).map((pane): MenuItemConstructorOptions => ({
        label: PANE_LABELS[pane],
        type: 'checkbox',
        checked: state.panes[pane],
        click: act({ kind: 'pane', pane, visible: !state.panes[pane] }),
      })),
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(state.developer ? [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  };

  const go: MenuItemConstructorOptions = {
    label: '&Go',
    submenu: [
      { label: '&Go to Packet…', accelerator: 'CmdOrCtrl+G', enabled: state.hasCapture, click: command({ name: 'go.packet' }) },
      { type: 'separator' },
      { label: '&Next Packet', accelerator: 'CmdOrCtrl+Down', enabled: state.hasCapture, click: command({ name: 'go.next' }) },
      { label: '&Previous Packet', accelerator: 'CmdOrCtrl+Up', enabled: state.hasCapture, click: command({ name: 'go.previous' }) },
      { label: 'F&irst Packet', accelerator: 'CmdOrCtrl+Home', enabled: state.hasCapture, click: command({ name: 'go.first' }) },
      { label: '&Last Packet', accelerator: 'CmdOrCtrl+End', enabled: state.hasCapture, click: command({ name: 'go.last' }) },
    ],
  };

  // Wireshark binds Ctrl+E to Start while idle and to Stop while capturing; only the enabled
  // item carries it, so the shortcut always means the one thing that can happen.
  const capture: MenuItemConstructorOptions = {
    label: '&Capture',
    submenu: [
      { label: '&Options…', accelerator: 'CmdOrCtrl+K', click: command({ name: 'capture.options' }) },
      { label: '&Start', accelerator: state.capturing ? undefined : 'CmdOrCtrl+E', enabled: !state.capturing, click: command({ name: 'capture.start' }) },
      { label: 'S&top', accelerator: state.capturing ? 'CmdOrCtrl+E' : undefined, enabled: state.capturing, click: command({ name: 'capture.stop' }) },
      { label: '&Restart', accelerator: 'CmdOrCtrl+R', enabled: state.capturing, click: command({ name: 'capture.restart' }) },
    ],
  };

  // Wireshark's Statistics menu, for the tables the analysis pane shows as tabs.
  const statistics: MenuItemConstructorOptions = {
    label: '&Statistics',
    submenu: ([
      ['&Protocol Hierarchy', 'protocols'], ['&Conversations (TCP)', 'tcp'], ['Conversations (&UDP)', 'udp'], ['&Endpoints', 'endpoints'],
      ['E&xpert Information', 'expert'], ['TCP &Alerts', 'alerts'],
    ] as const).map(([label, tab]): MenuItemConstructorOptions => ({ label, enabled: state.hasCapture, click: command({ name: 'view.statistics', tab }) })),
  };

  const about: MenuItemConstructorOptions = { label: `&About ${state.appName}`, click: act({ kind: 'about' }) };
  const help: MenuItemConstructorOptions = { label: '&Help', role: 'help', submenu: [about] };

  const template = [file, edit, view, go, capture, statistics, help];
  if (mac) {
    template.unshift({
      label: state.appName,
      submenu: [
        about, { type: 'separator' }, { role: 'services' }, { type: 'separator' },
        { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' },
        { role: 'quit', accelerator: 'Cmd+Q' },
      ],
    });
  }
  return template;
}
