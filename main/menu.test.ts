// The menu template as data: Wireshark's layout and shortcuts, and clicks turned into actions.
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { CaptureStats, SessionSummary } from '../app/session/contract.js';
import { buildMenuTemplate, sameFlags, sessionMenuFlags, type MenuAction, type MenuState } from './menu.js';

const idle: MenuState = {
  platform: 'linux',
  appName: 'SynScope',
  recentFiles: ['/captures/dns.pcapng', '/captures/http.pcap'],
  hasCapture: true,
  canSave: false,
  capturing: false,
  theme: 'system',
  panes: { list: true, details: true, bytes: false },
  developer: false,
};

function build(state: MenuState = idle) {
  const actions: MenuAction[] = [];
  const template = buildMenuTemplate(state, (a) => actions.push(a));
  const menu = (label: string) => template.find((m) => m.label?.replace('&', '') === label)!.submenu as MenuItemConstructorOptions[];
  const item = (menuLabel: string, label: string) => menu(menuLabel).find((i) => i.label?.replace(/&/g, '') === label)!;
  const click = (menuLabel: string, label: string) => {
    (item(menuLabel, label).click as () => void)();
    return actions.at(-1);
  };
  return { template, menu, item, click };
}

describe('the application menu', () => {
  it('has Wireshark’s menus in Wireshark’s order', () => {
    expect(build().template.map((m) => m.label?.replace('&', ''))).toEqual(['File', 'Edit', 'View', 'Go', 'Capture', 'Statistics', 'Help']);
  });

  it('binds Wireshark’s shortcuts', () => {
    const { item } = build();
    const shortcuts: [string, string, string][] = [
      ['File', 'Open…', 'CmdOrCtrl+O'],
      ['File', 'Save', 'CmdOrCtrl+S'],
      ['File', 'Save As…', 'CmdOrCtrl+Shift+S'],
      ['File', 'Close', 'CmdOrCtrl+W'],
      ['File', 'Quit', 'CmdOrCtrl+Q'],
      ['Capture', 'Options…', 'CmdOrCtrl+K'],
      ['Capture', 'Start', 'CmdOrCtrl+E'],
      ['Capture', 'Restart', 'CmdOrCtrl+R'],
      ['Go', 'Go to Packet…', 'CmdOrCtrl+G'],
      ['Go', 'Next Packet', 'CmdOrCtrl+Down'],
      ['Go', 'Previous Packet', 'CmdOrCtrl+Up'],
      ['Go', 'First Packet', 'CmdOrCtrl+Home'],
      ['Go', 'Last Packet', 'CmdOrCtrl+End'],
      ['View', 'Zoom In', 'CmdOrCtrl+='],
      ['View', 'Zoom Out', 'CmdOrCtrl+-'],
      ['View', 'Normal Size', 'CmdOrCtrl+0'],
    ];
    for (const [menu, label, accelerator] of shortcuts) expect(item(menu, label).accelerator, label).toBe(accelerator);
  });

  it('gives Ctrl+E to Start while idle and to Stop while capturing', () => {
    const idleMenu = build();
    expect(idleMenu.item('Capture', 'Start')).toMatchObject({ enabled: true, accelerator: 'CmdOrCtrl+E' });
    expect(idleMenu.item('Capture', 'Stop')).toMatchObject({ enabled: false, accelerator: undefined });
    const running = build({ ...idle, capturing: true });
    expect(running.item('Capture', 'Start')).toMatchObject({ enabled: false, accelerator: undefined });
    expect(running.item('Capture', 'Stop')).toMatchObject({ enabled: true, accelerator: 'CmdOrCtrl+E' });
    const accelerators = running.menu('Capture').map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('uses no shortcut twice anywhere, idle or capturing', () => {
    for (const state of [idle, { ...idle, capturing: true }, { ...idle, platform: 'darwin' as const }]) {
      const all: string[] = [];
      const walk = (items: MenuItemConstructorOptions[]) => {
        for (const i of items) {
          if (i.accelerator) all.push(String(i.accelerator));
          if (Array.isArray(i.submenu)) walk(i.submenu);
        }
      };
      walk(build(state).template);
      expect(all.length).toBeGreaterThan(15);
      expect(all.filter((a, i) => all.indexOf(a) !== i), state.platform).toEqual([]);
    }
  });

  it('lists recent files and opens the one clicked', () => {
    const { menu, click } = build();
    const recent = menu('File').find((i) => i.label === 'Open &Recent')!.submenu as MenuItemConstructorOptions[];
    expect(recent.map((i) => i.label)).toEqual(['/captures/dns.pcapng', '/captures/http.pcap', undefined, 'Clear Menu']);
    (recent[1].click as () => void)();
    expect(click('File', 'Open…')).toEqual({ kind: 'open' });
    const empty = build({ ...idle, recentFiles: [] }).menu('File').find((i) => i.label === 'Open &Recent')!.submenu as MenuItemConstructorOptions[];
    expect(empty[0]).toMatchObject({ label: 'No Recent Files', enabled: false });
  });

  it('sends UI commands for what the UI owns and native actions for the rest', () => {
    const { click } = build();
    expect(click('Capture', 'Options…')).toEqual({ kind: 'command', command: { name: 'capture.options' } });
    expect(click('Capture', 'Start')).toEqual({ kind: 'command', command: { name: 'capture.start' } });
    expect(click('Go', 'Go to Packet…')).toEqual({ kind: 'command', command: { name: 'go.packet' } });
    expect(click('Go', 'Last Packet')).toEqual({ kind: 'command', command: { name: 'go.last' } });
    expect(click('Edit', 'TLS Key Log File…')).toEqual({ kind: 'command', command: { name: 'tls.keys' } });
    expect(click('Statistics', 'Protocol Hierarchy')).toEqual({ kind: 'command', command: { name: 'view.statistics', tab: 'protocols' } });
    expect(click('Statistics', 'Expert Information')).toEqual({ kind: 'command', command: { name: 'view.statistics', tab: 'expert' } });
    expect(click('File', 'Close')).toEqual({ kind: 'command', command: { name: 'file.close' } });
    expect(click('File', 'Save As…')).toEqual({ kind: 'save-as' });
    expect(click('File', 'Export Specified Packets…')).toEqual({ kind: 'export' });
    expect(click('View', 'Dark Theme')).toEqual({ kind: 'theme', theme: 'dark' });
    expect(click('View', 'Packet Bytes')).toEqual({ kind: 'pane', pane: 'bytes', visible: true });
    expect(click('View', 'Packet Details')).toEqual({ kind: 'pane', pane: 'details', visible: false });
    expect(click('Help', 'About SynScope')).toEqual({ kind: 'about' });
  });

  it('shows the theme and panes as they are', () => {
    const { item } = build({ ...idle, theme: 'dark' });
    expect(item('View', 'Dark Theme')).toMatchObject({ type: 'radio', checked: true });
    expect(item('View', 'Light Theme')).toMatchObject({ type: 'radio', checked: false });
    expect(item('View', 'Packet Bytes')).toMatchObject({ type: 'checkbox', checked: false });
  });

  it('disables what needs a capture when none is open, and Save when nothing is unsaved', () => {
    const { item } = build({ ...idle, hasCapture: false });
    for (const [menu, label] of [['File', 'Close'], ['File', 'Export Specified Packets…'], ['Go', 'Go to Packet…'], ['Go', 'Next Packet']]) {
      expect(item(menu, label).enabled, label).toBe(false);
    }
    expect(item('File', 'Save').enabled).toBe(false);
    expect(build({ ...idle, canSave: true }).item('File', 'Save').enabled).toBe(true);
  });

  it('follows the macOS conventions there: an app menu with About and Quit', () => {
    const { template } = build({ ...idle, platform: 'darwin' });
    expect(template[0].label).toBe('SynScope');
    const appMenu = template[0].submenu as MenuItemConstructorOptions[];
    expect(appMenu.some((i) => i.role === 'quit')).toBe(true);
    const file = template[1].submenu as MenuItemConstructorOptions[];
    expect(file.some((i) => i.role === 'quit')).toBe(false);
  });

  it('offers the developer tools only in an unpackaged build', () => {
    const roles = (s: MenuState) => build(s).menu('View').map((i) => i.role);
    expect(roles(idle)).not.toContain('toggleDevTools');
    expect(roles({ ...idle, developer: true })).toContain('toggleDevTools');
  });
});

describe('the menu state that follows the session', () => {
  const stats = (state: CaptureStats['state']): CaptureStats => ({ state, captured: 0, received: 0, dropped: 0, ifDropped: 0, ringEvicted: 0, ringBytes: 0 });
  const live = (state: CaptureStats['state'], unsaved: boolean): SessionSummary => ({
    source: { kind: 'live', interface: 'lo' }, packets: 3, firstAvailable: 1, displayed: 3, filter: '', unsaved, revision: 1, capture: stats(state),
  });

  it('has nothing to close or save without a capture', () => {
    expect(sessionMenuFlags(null)).toEqual({ hasCapture: false, canSave: false, capturing: false });
    expect(sessionMenuFlags({ source: { kind: 'none' }, packets: 0, firstAvailable: 1, displayed: 0, filter: '', unsaved: false, revision: 1 }))
      .toEqual({ hasCapture: false, canSave: false, capturing: false });
  });

  it('is capturing while a live capture starts or runs, and can save it once stopped', () => {
    expect(sessionMenuFlags(live('capturing', true))).toEqual({ hasCapture: true, canSave: true, capturing: true });
    expect(sessionMenuFlags(live('capturing', true), stats('stopped'))).toEqual({ hasCapture: true, canSave: true, capturing: false });
    expect(sameFlags(sessionMenuFlags(live('starting', true)), sessionMenuFlags(live('capturing', true)))).toBe(true);
    expect(sameFlags(sessionMenuFlags(live('capturing', true)), sessionMenuFlags(live('stopped', true)))).toBe(false);
  });
});
