// What the UI remembers between runs, in the browser's (or the desktop window's) localStorage:
// theme, time format, pane sizes, recently opened files. All reads tolerate missing or garbled
// values, since storage is shared with whatever ran on this origin before.
export type Theme = 'light' | 'dark';

const PREFIX = 'synscope.';
const MAX_RECENT = 10;

function read<T>(key: string, fallback: T, valid: (v: unknown) => v is T): T {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    if (raw === null) return fallback;
    const v: unknown = JSON.parse(raw);
    return valid(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: preferences are a convenience, never an error.
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function loadPreference<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  return read(key, fallback, (v): v is T => isString(v) && (allowed as readonly string[]).includes(v));
}

export function savePreference(key: string, value: string | number): void {
  write(key, value);
}

export function loadNumber(key: string, fallback: number): number {
  return read(key, fallback, isNumber);
}

export function recentFiles(): string[] {
  return read('recent', [], isStringArray);
}

export function rememberRecentFile(path: string): string[] {
  const list = [path, ...recentFiles().filter((p) => p !== path)].slice(0, MAX_RECENT);
  write('recent', list);
  return list;
}

export function forgetRecentFile(path: string): string[] {
  const list = recentFiles().filter((p) => p !== path);
  write('recent', list);
  return list;
}

export function initialTheme(): Theme {
  const fallback: Theme = window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  return loadPreference<Theme>('theme', ['light', 'dark'], fallback);
}
