// What the desktop app remembers between runs: recent files, the window's size and place, and
// the UI layout (theme, visible panes, pane sizes). One JSON file in app.getPath('userData'),
// written atomically (temporary file in the same directory, fsync, rename) so a crash or a
// full disk mid-write leaves the previous file, never half of one. A missing, unreadable or
// corrupt file gives the defaults: remembering is a convenience, never a reason not to start.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import type { UiLayout, UiPane, UiTheme } from '../app/session/contract.js';

export const MAX_RECENT_FILES = 10;

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface AppState {
  recentFiles: string[];
  window: WindowBounds;
  layout: UiLayout;
}

export function defaultAppState(): AppState {
  return {
    recentFiles: [],
    window: { width: 1280, height: 800, maximized: false },
    layout: { theme: 'system', panes: { list: true, details: true, bytes: true }, sizes: [] },
  };
}

const THEMES: readonly UiTheme[] = ['light', 'dark', 'system'];
const PANES: readonly UiPane[] = ['list', 'details', 'bytes'];
const MIN_WIDTH = 640;
const MIN_HEIGHT = 400;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A UiLayout from untrusted input (the renderer, or a file edited by hand), or a sentence
 * saying what is wrong with it.
 */
export function parseLayout(v: unknown): UiLayout | string {
  if (!isObject(v)) return 'layout must be an object';
  if (!THEMES.includes(v.theme as UiTheme)) return `layout.theme must be one of ${THEMES.join(', ')}`;
  if (!isObject(v.panes)) return 'layout.panes must be an object';
  const panes = {} as Record<UiPane, boolean>;
  for (const pane of PANES) {
    if (typeof v.panes[pane] !== 'boolean') return `layout.panes.${pane} must be true or false`;
    panes[pane] = v.panes[pane] as boolean;
  }
  if (!Array.isArray(v.sizes) || v.sizes.length > 16 || !v.sizes.every(isFiniteNumber)) {
    return 'layout.sizes must be at most 16 finite numbers';
  }
  return { theme: v.theme as UiTheme, panes, sizes: [...v.sizes] };
}

/** The state read from `json`, field by field: what is valid is kept, the rest defaulted. */
export function parseAppState(json: string): AppState {
  const state = defaultAppState();
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return state;
  }
  if (!isObject(v)) return state;
  if (Array.isArray(v.recentFiles)) {
    state.recentFiles = v.recentFiles
      .filter((p): p is string => typeof p === 'string' && isAbsolute(p))
      .slice(0, MAX_RECENT_FILES);
  }
  if (isObject(v.window) && isFiniteNumber(v.window.width) && isFiniteNumber(v.window.height)) {
    const w = v.window;
    state.window = {
      width: Math.max(MIN_WIDTH, Math.round(w.width as number)),
      height: Math.max(MIN_HEIGHT, Math.round(w.height as number)),
      maximized: w.maximized === true,
      ...(isFiniteNumber(w.x) && isFiniteNumber(w.y) ? { x: Math.round(w.x), y: Math.round(w.y) } : {}),
    };
  }
  const layout = parseLayout(v.layout);
  if (typeof layout !== 'string') state.layout = layout;
  return state;
}

/** Writes `text` to `path` so that readers see the old file or the new one, never a mix. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** The state file and its in-memory copy; `save` is cheap to call often (see AppStateStore.schedule). */
export class AppStateStore {
  private state: AppState;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly path: string,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // First run, or unreadable: defaults.
    }
    this.state = text === undefined ? defaultAppState() : parseAppState(text);
  }

  get(): Readonly<AppState> {
    return this.state;
  }

  /** Moves `path` to the top of the recent files (most recent first, no duplicates). */
  addRecentFile(path: string): void {
    if (!isAbsolute(path)) return;
    this.state.recentFiles = [path, ...this.state.recentFiles.filter((p) => p !== path)].slice(0, MAX_RECENT_FILES);
    this.schedule();
  }

  removeRecentFile(path: string): void {
    this.state.recentFiles = this.state.recentFiles.filter((p) => p !== path);
    this.schedule();
  }

  clearRecentFiles(): void {
    this.state.recentFiles = [];
    this.schedule();
  }

  setWindow(bounds: WindowBounds): void {
    this.state.window = { ...bounds };
    this.schedule();
  }

  setLayout(layout: UiLayout): void {
    this.state.layout = { ...layout, panes: { ...layout.panes }, sizes: [...layout.sizes] };
    this.schedule();
  }

  /** Coalesces a burst of changes (window resizing) into one write. */
  schedule(delayMs = 500): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.save(), delayMs);
  }

  /** Writes now (also on quit, so a pending change is not lost). */
  save(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      writeFileAtomic(this.path, JSON.stringify(this.state, null, 2) + '\n');
    } catch (err) {
      this.onError(err);
    }
  }
}
