// The remembered state (recent files, window, layout) on a real temporary directory: atomic
// writes, and a corrupt or hand-edited file never stops the app.
import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppStateStore, MAX_RECENT_FILES, defaultAppState, parseAppState, parseLayout, writeFileAtomic } from './app-state.js';

// Lets a test make the write of the file's bytes fail half-way (a full disk).
const failWrites = vi.hoisted(() => ({ on: false }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return {
    ...real,
    writeSync: (fd: number, text: string) => {
      if (failWrites.on) {
        real.writeSync(fd, text.slice(0, 10));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return real.writeSync(fd, text);
    },
  };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'synscope-state-'));
  failWrites.on = false;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file', () => {
    const path = join(dir, 'state.json');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('keeps the previous file when a write fails half-way, and cleans up', () => {
    const path = join(dir, 'state.json');
    writeFileAtomic(path, '{"recentFiles":["/a.pcap"]}');
    failWrites.on = true;
    expect(() => writeFileAtomic(path, '{"recentFiles":["/b.pcap","/c.pcap"]}')).toThrow('ENOSPC');
    expect(readFileSync(path, 'utf8')).toBe('{"recentFiles":["/a.pcap"]}');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('creates the userData directory on first run', () => {
    const path = join(dir, 'SynScope', 'state.json');
    writeFileAtomic(path, '{}');
    expect(readFileSync(path, 'utf8')).toBe('{}');
  });
});

describe('AppStateStore', () => {
  it('starts from the defaults when there is no file', () => {
    const store = new AppStateStore(join(dir, 'state.json'));
    expect(store.get()).toEqual(defaultAppState());
  });

  it('keeps recent files most recent first, without duplicates, at most ten', () => {
    const path = join(dir, 'state.json');
    const store = new AppStateStore(path);
    for (let i = 0; i < 12; i++) store.addRecentFile(`/captures/${i}.pcapng`);
    store.addRecentFile('/captures/5.pcapng');
    store.addRecentFile('relative/ignored.pcap');
    store.save();
    const files = new AppStateStore(path).get().recentFiles;
    expect(files).toHaveLength(MAX_RECENT_FILES);
    expect(files.slice(0, 3)).toEqual(['/captures/5.pcapng', '/captures/11.pcapng', '/captures/10.pcapng']);
    expect(new Set(files).size).toBe(files.length);
  });

  it('remembers the window and the layout across runs', () => {
    const path = join(dir, 'state.json');
    const store = new AppStateStore(path);
    store.setWindow({ x: 10, y: 20, width: 1400, height: 900, maximized: true });
    store.setLayout({ theme: 'dark', panes: { list: true, details: false, bytes: true }, sizes: [0.5, 0.3, 0.2] });
    store.save();
    const again = new AppStateStore(path).get();
    expect(again.window).toEqual({ x: 10, y: 20, width: 1400, height: 900, maximized: true });
    expect(again.layout).toEqual({ theme: 'dark', panes: { list: true, details: false, bytes: true }, sizes: [0.5, 0.3, 0.2] });
  });

  it('survives a corrupt JSON file: defaults now, a good file after the next save', () => {
    const path = join(dir, 'state.json');
    writeFileSync(path, '{"recentFiles": ["/a.pcap", ');
    const store = new AppStateStore(path);
    expect(store.get()).toEqual(defaultAppState());
    store.addRecentFile('/b.pcap');
    store.save();
    expect(JSON.parse(readFileSync(path, 'utf8')).recentFiles).toEqual(['/b.pcap']);
  });

  it('keeps the valid parts of a hand-edited file', () => {
    const state = parseAppState(JSON.stringify({
      recentFiles: ['/ok.pcap', 7, 'relative.pcap', '/also-ok.pcapng'],
      window: { width: 100, height: 'tall' },
      layout: { theme: 'neon', panes: {}, sizes: [] },
    }));
    expect(state.recentFiles).toEqual(['/ok.pcap', '/also-ok.pcapng']);
    expect(state.window).toEqual(defaultAppState().window);
    expect(state.layout).toEqual(defaultAppState().layout);
    expect(parseAppState('null')).toEqual(defaultAppState());
    expect(parseAppState(JSON.stringify({ window: { width: 100, height: 50 } })).window).toEqual({ width: 640, height: 400, maximized: false });
  });

  it('reports a failed save instead of throwing (the app goes on)', () => {
    const errors: unknown[] = [];
    const store = new AppStateStore(join(dir, 'state.json'), (e) => errors.push(e));
    failWrites.on = true;
    store.save();
    expect(errors).toHaveLength(1);
  });
});

describe('parseLayout (renderer input)', () => {
  it('accepts a layout and names what is wrong with a bad one', () => {
    expect(parseLayout({ theme: 'light', panes: { list: true, details: true, bytes: false }, sizes: [1, 2] }))
      .toEqual({ theme: 'light', panes: { list: true, details: true, bytes: false }, sizes: [1, 2] });
    expect(parseLayout({ theme: 'light', panes: { list: true, details: 'yes', bytes: false }, sizes: [] })).toBe('layout.panes.details must be true or false');
    expect(parseLayout({ theme: 'light', panes: { list: true, details: true, bytes: true }, sizes: [Infinity] })).toBe('layout.sizes must be at most 16 finite numbers');
    expect(parseLayout('dark')).toBe('layout must be an object');
  });
});
