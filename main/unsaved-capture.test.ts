// Wireshark's question before a live capture is thrown away, with scripted answers.
import { describe, expect, it } from 'vitest';
import type { SaveRequest, SessionSummary } from '../app/session/contract.js';
import { discardingActionOf, settleUnsavedCapture, type UnsavedChoice } from './unsaved-capture.js';

function summary(unsaved: boolean): SessionSummary {
  return { source: { kind: 'live', interface: 'lo' }, packets: 42, firstAvailable: 1, displayed: 42, filter: '', unsaved, revision: 1 };
}

function dialogs(unsaved: boolean, choice: UnsavedChoice, savePath?: string) {
  const log: string[] = [];
  const saved: SaveRequest[] = [];
  return {
    log,
    saved,
    summary: async () => summary(unsaved),
    ask: async (action: string) => { log.push(`ask ${action}`); return choice; },
    chooseSavePath: async () => { log.push('save dialog'); return savePath === undefined ? undefined : { path: savePath, format: 'pcapng' as const }; },
    save: async (r: SaveRequest) => { saved.push(r); },
  };
}

describe('settleUnsavedCapture', () => {
  it('goes on without asking when nothing is unsaved', async () => {
    const d = dialogs(false, 'cancel');
    expect(await settleUnsavedCapture(d, 'quit')).toBe(true);
    expect(d.log).toEqual([]);
  });

  it('stops when the user cancels', async () => {
    const d = dialogs(true, 'cancel');
    expect(await settleUnsavedCapture(d, 'close')).toBe(false);
    expect(d.log).toEqual(['ask close']);
  });

  it('goes on without saving when the user discards', async () => {
    const d = dialogs(true, 'discard');
    expect(await settleUnsavedCapture(d, 'open')).toBe(true);
    expect(d.saved).toEqual([]);
  });

  it('saves every packet first when the user chooses Save, and stops if the Save dialog is cancelled', async () => {
    const d = dialogs(true, 'save', '/home/user/lo.pcapng');
    expect(await settleUnsavedCapture(d, 'quit')).toBe(true);
    expect(d.saved).toEqual([{ path: '/home/user/lo.pcapng', format: 'pcapng', which: 'all' }]);
    const cancelled = dialogs(true, 'save');
    expect(await settleUnsavedCapture(cancelled, 'quit')).toBe(false);
    expect(cancelled.saved).toEqual([]);
  });

  it('guards the channels that replace what the session holds', () => {
    expect(discardingActionOf('file.open')).toBe('open');
    expect(discardingActionOf('file.close')).toBe('close');
    expect(discardingActionOf('capture.start')).toBe('capture');
    expect(discardingActionOf('packets.rows')).toBeUndefined();
  });
});
