// The native dialogs' options and the reading of their answers, as plain data (tested in
// Node); index.ts shows them with Electron's dialog module.
import { extname } from 'node:path';
import type { MessageBoxOptions, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { CaptureFormat } from '../app/session/contract.js';
import { QUESTIONS, type DiscardingAction, type UnsavedChoice } from './unsaved-capture.js';

export const CAPTURE_EXTENSIONS = ['pcapng', 'pcap', 'cap', 'ntar'];

export function openDialogOptions(defaultPath?: string): OpenDialogOptions {
  return {
    title: 'Open Capture File',
    properties: ['openFile'],
    ...(defaultPath ? { defaultPath } : {}),
    filters: [
      { name: 'Capture files', extensions: CAPTURE_EXTENSIONS },
      { name: 'All files', extensions: ['*'] },
    ],
  };
}

export function saveDialogOptions(title: string, defaultPath?: string): SaveDialogOptions {
  return {
    title,
    ...(defaultPath ? { defaultPath } : {}),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
    filters: [
      { name: 'pcapng', extensions: ['pcapng'] },
      { name: 'pcap (libpcap)', extensions: ['pcap'] },
    ],
  };
}

/** pcap for .pcap/.cap, pcapng otherwise (Wireshark's default format). */
export function formatForPath(path: string): CaptureFormat {
  const ext = extname(path).toLowerCase();
  return ext === '.pcap' || ext === '.cap' ? 'pcap' : 'pcapng';
}

const UNSAVED_BUTTONS: UnsavedChoice[] = ['save', 'discard', 'cancel'];

export function unsavedQuestion(action: DiscardingAction): MessageBoxOptions {
  const q = QUESTIONS[action];
  return {
    type: 'warning',
    title: 'Unsaved packets',
    message: q.message,
    detail: 'Your captured packets will be lost if you don’t save them.',
    buttons: ['Save…', q.discard, 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  };
}

export function unsavedChoice(response: number): UnsavedChoice {
  return UNSAVED_BUTTONS[response] ?? 'cancel';
}
