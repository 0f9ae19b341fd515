// Decrypt TLS in the browser: a capture of HTTPS opens showing TLS only; the user names the key
// log file curl wrote (the toolbar's Keys button), and the same rows then show HTTP, as tshark
// shows them with -o tls.keylog_file; the reassembled response has its own bytes tab.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/corpus.js';
import { tsharkRaw } from '../helpers/tshark.js';
import { collectPageErrors, goToPacket, openWorkstation, shot, type Workstation } from './web-app.js';
import { poll } from './poll.js';

const FILE = join(repoRoot, 'test', 'fixtures', 'tls-keylog', 'tls13-aes128-http1.pcap');
const KEYS = join(repoRoot, 'test', 'fixtures', 'tls-keylog', 'tls13-aes128-http1.keys');

let ws: Workstation;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ws = await openWorkstation([FILE]);
  page = ws.page;
  errors = collectPageErrors(page);
});

afterAll(async () => {
  await ws?.close();
});

const grid = () => page.getByRole('grid', { name: 'Packets' });
const protocols = () => grid().locator('[data-col="protocol"]').allTextContents();
/** The rows the list shows (a screenful) are tshark's first ones. */
async function shownAs(theirs: string[]): Promise<void> {
  await poll(async () => {
    const shown = await protocols();
    return shown.length >= 10 && shown.every((p, i) => p === theirs[i]);
  }).toBe(true);
}
const keysButton = () => page.getByRole('button', { name: /Decrypt TLS with a key log file|TLS decrypted with/ });

describe('decrypting TLS with a key log file', () => {
  it('shows the encrypted capture as tshark does without keys', async () => {
    const theirs = tsharkRaw(FILE, ['-T', 'fields', '-e', '_ws.col.Protocol']).stdout.trimEnd().split('\n');
    await shownAs(theirs);
    expect(theirs).not.toContain('HTTP');
  });

  it('decrypts with the key log the user names: the rows are tshark -o tls.keylog_file\'s', async () => {
    await keysButton().click();
    const dialog = page.getByRole('dialog', { name: 'Decrypt TLS' });
    await dialog.getByLabel('Key log file').fill(KEYS);
    await shot(page, '40-tls-keys-dialog');
    await dialog.getByRole('button', { name: 'Decrypt', exact: true }).click();
    const theirs = tsharkRaw(FILE, ['-o', `tls.keylog_file:${KEYS}`, '-T', 'fields', '-e', '_ws.col.Protocol']).stdout.trimEnd().split('\n');
    expect(theirs.filter((p) => p === 'HTTP').length).toBe(4);
    await shownAs(theirs);
    expect(await protocols()).toContain('HTTP');
    await poll(() => page.locator('.message-bar').textContent()).toContain(`TLS decrypted with the 4 secrets of ${KEYS}`);
    expect(await keysButton().getAttribute('aria-pressed')).toBe('true');
  });

  it('the response put together from several records has the reassembled bytes as a tab of its own', async () => {
    const last = tsharkRaw(FILE, ['-o', `tls.keylog_file:${KEYS}`, '-Y', 'http.response', '-T', 'fields', '-e', 'frame.number']).stdout.trimEnd().split('\n').pop()!;
    await goToPacket(page, Number(last));
    const tabs = page.getByRole('region', { name: 'Packet bytes' }).getByRole('tab');
    await poll(() => tabs.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Decrypted TLS'), expect.stringContaining('Reassembled TLS')]));
    await shot(page, '41-tls-decrypted');
  });

  it('Follow TLS stream (a row\'s menu) shows the requests and responses in the clear', async () => {
    await goToPacket(page, 12);
    await grid().locator('[data-col="number"]', { hasText: /^12$/ }).click({ button: 'right' });
    await page.getByRole('menu').getByRole('menuitem', { name: 'Follow TLS stream' }).click();
    const dialog = page.getByRole('dialog', { name: 'Follow TLS Stream (tcp.stream eq 0)' });
    await poll(() => dialog.textContent()).toContain('GET /big.txt HTTP/1.1');
    expect(await dialog.textContent()).toContain('HTTP/1.1 200 OK');
    await shot(page, '42-follow-tls');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('stops decrypting when asked, and a file that is no key log gets a clear message', async () => {
    await keysButton().click();
    let dialog = page.getByRole('dialog', { name: 'Decrypt TLS' });
    await dialog.getByRole('button', { name: 'Stop using it' }).click();
    await poll(async () => (await protocols()).includes('HTTP')).toBe(false);
    await keysButton().click();
    dialog = page.getByRole('dialog', { name: 'Decrypt TLS' });
    await dialog.getByLabel('Key log file').fill(FILE);
    await dialog.getByRole('button', { name: 'Decrypt', exact: true }).click();
    await poll(() => page.locator('.message-bar').textContent()).toContain('holds no TLS secrets');
    expect(errors).toEqual([]);
  });
});
