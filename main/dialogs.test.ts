// The native dialogs' options and answers.
import { describe, expect, it } from 'vitest';
import { formatForPath, openDialogOptions, saveDialogOptions, unsavedChoice, unsavedQuestion } from './dialogs.js';

describe('dialogs', () => {
  it('offers capture files first in the Open dialog', () => {
    expect(openDialogOptions('/captures').filters![0]).toEqual({ name: 'Capture files', extensions: ['pcapng', 'pcap', 'cap', 'ntar'] });
    expect(openDialogOptions('/captures').defaultPath).toBe('/captures');
  });

  it('writes pcap for .pcap and .cap names and pcapng otherwise, as Wireshark', () => {
    expect(formatForPath('/tmp/a.pcap')).toBe('pcap');
    expect(formatForPath('/tmp/A.CAP')).toBe('pcap');
    expect(formatForPath('/tmp/a.pcapng')).toBe('pcapng');
    expect(formatForPath('/tmp/noext')).toBe('pcapng');
    expect(saveDialogOptions('Save').properties).toContain('showOverwriteConfirmation');
  });

  it('asks Wireshark’s question with Save, discard and Cancel, and reads the answer', () => {
    const q = unsavedQuestion('quit');
    expect(q.message).toBe('Do you want to save the captured packets before quitting?');
    expect(q.buttons).toEqual(['Save…', 'Quit without Saving', 'Cancel']);
    expect(q.buttons![q.cancelId!]).toBe('Cancel');
    expect([0, 1, 2, 7].map(unsavedChoice)).toEqual(['save', 'discard', 'cancel', 'cancel']);
  });
});
