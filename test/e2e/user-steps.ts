// Steps a user takes in the workstation that wait for the app's answer (vitest's expect.poll
// through poll.ts): kept apart from web-app.ts, which the UI benchmark (bench/ui.ts) imports
// outside vitest.
import type { Locator, Page } from 'playwright-core';
import { poll } from './poll.js';

/**
 * Capture options the way a user fills them: the dialog, the interface `iface`, the capture
 * filter (checked valid). Returns the dialog, whose Start button is left to the caller.
 */
export async function fillCaptureOptions(page: Page, iface: string, filter: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Capture options (Ctrl+K)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Capture options' });
  const row = dialog.locator('label.iface-row').filter({ has: page.locator('.iface-name', { hasText: new RegExp(`^${iface}$`) }) });
  await poll(() => row.count()).toBe(1);
  await row.click();
  await dialog.getByLabel('Capture filter').fill(filter);
  await poll(() => dialog.getByLabel('Capture filter').getAttribute('aria-invalid')).toBe('false');
  return dialog;
}

/** Save packets → All packets → `path`; resolves once the app says it saved them. */
export async function saveAllPackets(page: Page, path: string): Promise<void> {
  await page.getByRole('button', { name: 'Save packets (Ctrl+S)' }).click();
  const save = page.getByRole('dialog', { name: 'Save packets' });
  await save.getByLabel('Save as').fill(path);
  await save.getByRole('radio', { name: /All packets/ }).check();
  await save.getByRole('button', { name: 'Save', exact: true }).click();
  await poll(() => page.getByText(/^Saved \d+ packets to /).filter({ hasText: path }).count()).toBe(1);
}
