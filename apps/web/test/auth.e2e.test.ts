// The optional auth flow in a real browser: a `tally serve` with an admin token answers 401, the
// UI asks for a token, keeps it and sends it as a Bearer token — the live stream included.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable } from '../../../test-support/peers.js';
import { chromiumInstalled, launchBrowser, startTally, type Tally } from './harness.js';

const run = peerAvailable('chromium (/usr/bin/chromium)', chromiumInstalled());
const TOKEN = 'e2e-admin-token-0123456789';

describe.runIf(run)('web UI with auth', () => {
  let tally: Tally;
  let browser: Browser;

  beforeAll(async () => {
    tally = await startTally(['--admin-token', TOKEN]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await tally?.stop();
  });

  it('asks for a token on 401, then works with it, across reloads', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${tally.url}/api/v1/jobs`)).status).toBe(401);
    const created = await fetch(`${tally.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...auth },
      body: JSON.stringify({ name: 'secure-run', kind: 'experiment', metrics: ['loss'] }),
    });
    expect(created.status).toBe(201);
    const { pushToken } = (await created.json()) as { pushToken: string };

    const page = await browser.newPage();
    await page.goto(tally.url + '/');
    const dialog = page.getByRole('dialog', { name: 'Token required' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel('Token').fill(TOKEN);
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await expect
      .poll(() => page.locator('table.jobs tbody tr th a').allTextContents())
      .toEqual(['secure-run']);

    // The token is kept: a reload needs no dialog, and the live stream carries it too.
    await page.goto(`${tally.url}/jobs/secure-run`);
    await expect.poll(() => page.getByText('No metrics yet').isVisible()).toBe(true);
    expect(await dialog.isVisible()).toBe(false);
    const push = await fetch(`${tally.url}/metrics/job/secure-run`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain; version=0.0.4', Authorization: `Bearer ${pushToken}` },
      body: '# TYPE loss gauge\nloss 1.5\n',
    });
    expect(`${push.status} ${await push.text()}`).toMatch(/^20\d/);
    await expect
      .poll(
        () => page.locator('section.panel[data-metric="loss"] [data-stat="last"]').getAttribute('data-value'),
        {
          timeout: 20_000,
        },
      )
      .toBe('1.5');
    await page.close();
  });
});
