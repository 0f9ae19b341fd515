// "Do you want to save the captured packets before ...?" (Wireshark's question): a live capture
// not yet written to a file lives only in memory, so closing it, opening another file, starting
// a new capture or quitting first asks. The dialogs are passed in, so the decision logic is
// tested without Electron.
import type { CaptureFormat, SaveRequest, SessionSummary } from '../app/session/contract.js';

export type DiscardingAction = 'quit' | 'close' | 'open' | 'capture';
export type UnsavedChoice = 'save' | 'discard' | 'cancel';

export interface UnsavedCaptureDialogs {
  summary(): Promise<SessionSummary>;
  ask(action: DiscardingAction): Promise<UnsavedChoice>;
  /** A native Save dialog; undefined when the user cancelled it. */
  chooseSavePath(): Promise<{ path: string; format: CaptureFormat } | undefined>;
  save(request: SaveRequest): Promise<unknown>;
}

export const QUESTIONS: Record<DiscardingAction, { message: string; discard: string }> = {
  quit: { message: 'Do you want to save the captured packets before quitting?', discard: 'Quit without Saving' },
  close: { message: 'Do you want to save the captured packets before closing?', discard: 'Close without Saving' },
  open: { message: 'Do you want to save the captured packets before opening another file?', discard: 'Continue without Saving' },
  capture: { message: 'Do you want to save the captured packets before starting a new capture?', discard: 'Continue without Saving' },
};

/** Resolves true when `action` may go on (nothing unsaved, saved, or the user chose to discard). */
export async function settleUnsavedCapture(dialogs: UnsavedCaptureDialogs, action: DiscardingAction): Promise<boolean> {
  const summary = await dialogs.summary();
  if (!summary.unsaved) return true;
  const choice = await dialogs.ask(action);
  if (choice === 'cancel') return false;
  if (choice === 'discard') return true;
  const target = await dialogs.chooseSavePath();
  if (target === undefined) return false;
  await dialogs.save({ path: target.path, format: target.format, which: 'all' });
  return true;
}

/** Which channel calls discard what the session holds. */
export function discardingActionOf(channel: string): DiscardingAction | undefined {
  if (channel === 'file.open') return 'open';
  if (channel === 'file.close') return 'close';
  if (channel === 'capture.start') return 'capture';
  return undefined;
}
