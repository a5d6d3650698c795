// The web UI end to end: Debian's chromium (playwright-core) against a real `tally serve` on
// 127.0.0.1, metrics sent by the SDK and by StatsD, values read back from each chart's
// accessible stats table, axe-core on every page in light and dark mode.

import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable } from '../../../test-support/peers.js';
import { axeBothThemes, type AxeViolation } from './axe.js';
import { chromiumInstalled, launchBrowser, startTally, type Tally } from './harness.js';
import { counter, gauge, sdkLogger, sdkPush, statsdGauges } from './push.js';
import type { MetricsLogger } from '@tally/sdk';

const run = peerAvailable('chromium (/usr/bin/chromium)', chromiumInstalled());

/** The text of one stats cell of a chart, e.g. stat(page, 'loss', 'last'). */
function statCell(page: Page, metric: string, stat: string, row = 0) {
  return page
    .locator(`section.panel[data-metric="${metric}"] table.stats tbody tr`)
    .nth(row)
    .locator(`[data-stat="${stat}"]`);
}

async function expectStat(page: Page, metric: string, stat: string, value: string, row = 0): Promise<void> {
  await expect
    .poll(async () => statCell(page, metric, stat, row).getAttribute('data-value'), { timeout: 20_000 })
    .toBe(value);
}

/**
 * Drags across the right half of a chart. The chart may be rebuilt under the pointer (a theme or
 * option change replaces the uPlot instance), so the drag is retried until the zoom lands in the URL.
 */
async function dragZoom(page: Page, metric: string): Promise<void> {
  const over = page.locator(`section.panel[data-metric="${metric}"] .u-over`);
  for (let attempt = 1; ; attempt++) {
    await over.waitFor({ state: 'visible' });
    const box = await over.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.99, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      for (let i = 0; i < 50; i++) {
        if (new URL(page.url()).searchParams.has('from')) return;
        await page.waitForTimeout(100);
      }
    }
    if (attempt === 5) throw new Error(`dragging across the ${metric} chart did not zoom in 5 attempts`);
  }
}

describe.runIf(run)('web UI against tally serve', () => {
  let tally: Tally;
  let browser: Browser;
  let page: Page;
  let token = '';
  let logger: MetricsLogger;
  const violations: Record<string, AxeViolation[]> = {};
  const pageErrors: string[] = [];

  beforeAll(async () => {
    tally = await startTally();
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await logger?.close({ finalPush: false });
    await browser?.close();
    await tally?.stop();
  });

  it('shows the Jobs page (empty) without accessibility violations', async () => {
    await page.goto(tally.url + '/');
    await expect.poll(() => page.getByText('No jobs yet').isVisible()).toBe(true);
    Object.assign(violations, await axeBothThemes(page, 'jobs (empty)'));
  });

  it('Job Builder: bad names are shown before submitting, the server refusal too, a good job is created', async () => {
    await page.getByRole('link', { name: 'New job', exact: true }).first().click();
    await page.fill('#job-name', 'bad name');
    await page.fill('#job-metrics', 'loss\nacc.top1\nsteps');
    await expect.poll(() => page.locator('#job-name-error').textContent()).toContain('contains space');
    expect(await page.locator('#job-metrics-error').textContent()).toContain("acc.top1 contains '.'");
    await page.getByRole('button', { name: 'Create job' }).click();
    expect(await page.getByText('created').count()).toBe(0); // refused in the page, nothing sent
    expect(
      ((await (await fetch(`${tally.url}/api/v1/jobs`)).json()) as { jobs: unknown[] }).jobs,
    ).toHaveLength(0);
    Object.assign(violations, await axeBothThemes(page, 'job builder with errors'));

    // The server's own refusal (a job that exists) is shown too.
    await fetch(`${tally.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'taken', kind: 'experiment' }),
    });
    await page.fill('#job-name', 'taken');
    await page.fill('#job-metrics', 'loss');
    await page.getByRole('button', { name: 'Create job' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'refused' }).count()).toBe(1);

    await page.fill('#job-name', 'e2e-run');
    await page.fill('#job-description', 'ResNet on CIFAR, lr sweep');
    await page.fill('#job-metrics', 'loss\nacc\nsteps');
    await page.getByRole('button', { name: 'Create job' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Job e2e-run created' }).count()).toBe(1);
    token = await page.locator('#push-token').inputValue();
    expect(token.length).toBeGreaterThan(8);
    const snippet = await page.locator('pre[data-snippet]').textContent();
    expect(snippet).toContain(`TALLY_JOB_ID=e2e-run TALLY_TOKEN=${token}`);
    expect(snippet).toContain(`TALLY_URL=${tally.url}`);
    await page.getByRole('tab', { name: /StatsD \(DogStatsD/ }).click();
    await expect
      .poll(() => page.locator('pre[data-snippet]').textContent())
      .toContain(`|c|#job:e2e-run" | nc -u -w0 127.0.0.1 ${tally.statsdPort}`);
    Object.assign(violations, await axeBothThemes(page, 'job created'));

    const job = (await (await fetch(`${tally.url}/api/v1/jobs/e2e-run`)).json()) as {
      job: { declaredMetrics: string[]; description: string };
    };
    expect(job.job.declaredMetrics).toEqual(['loss', 'acc', 'steps']);
    expect(job.job.description).toBe('ResNet on CIFAR, lr sweep');
  });

  it('shows the empty Metrics tab with snippets, then charts with the values sent by the SDK and StatsD', async () => {
    await page.getByRole('link', { name: 'Open e2e-run' }).click();
    await expect.poll(() => page.getByText('No metrics yet').isVisible()).toBe(true);
    expect(await page.locator('pre[data-snippet]').textContent()).toContain('TALLY_JOB_ID=e2e-run');
    Object.assign(violations, await axeBothThemes(page, 'metrics tab (empty)'));

    // The job's process: a MetricsLogger with the token the Job Builder showed, and StatsD.
    logger = sdkLogger(tally.url, 'e2e-run', token, { gauges: ['loss'], counters: ['steps'] });
    gauge(logger, 'loss').set(0.75);
    counter(logger, 'steps').inc(3);
    await logger.pushMetrics();
    await statsdGauges(tally.statsdPort, 'e2e-run', { acc: 0.5 });
    // Charts appear live (the stream tells the page), without a reload.
    await expectStat(page, 'loss', 'last', '0.75');
    await expectStat(page, 'acc', 'last', '0.5');
    const titles = await page.locator('section.panel h2').allTextContents();
    expect(titles.slice(0, 3).map((t) => t.replace('declared', ''))).toEqual(['loss', 'acc', 'steps']);
  });

  it('a new value arrives live, without reload', async () => {
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    gauge(logger, 'loss').set(0.25);
    counter(logger, 'steps').inc(5);
    await logger.pushMetrics();
    await expectStat(page, 'loss', 'last', '0.25');
    await expectStat(page, 'loss', 'max', '0.75');
    await expectStat(page, 'loss', 'min', '0.25');
    expect(navigations).toEqual([]);
    await page.getByRole('checkbox', { name: 'Raw counters' }).check();
    await expectStat(page, 'steps', 'last', '8');
    await expectStat(page, 'steps', 'min', '3');
    await page.getByRole('checkbox', { name: 'Raw counters' }).uncheck();
    Object.assign(violations, await axeBothThemes(page, 'metrics tab with charts'));
  });

  it('drag-to-zoom puts the window in the URL, keeps it through live updates, and resets', async () => {
    await dragZoom(page, 'loss');
    const from = new URL(page.url()).searchParams.get('from');
    expect(await page.getByText('Zoomed:').count()).toBe(1);
    gauge(logger, 'loss').set(0.5);
    await logger.pushMetrics();
    await page.waitForTimeout(2500);
    expect(new URL(page.url()).searchParams.get('from')).toBe(from);
    // The shared link opens the same view.
    await page.reload();
    await expect.poll(() => page.getByText('Zoomed:').count()).toBe(1);
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.has('from')).toBe(false);
    await expectStat(page, 'loss', 'last', '0.5');
    // The keyboard twin of drag-to-zoom.
    await page.getByRole('button', { name: 'Zoom in' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.has('from')).toBe(true);
    const q = new URL(page.url()).searchParams;
    expect(Number(q.get('to')) - Number(q.get('from'))).toBeCloseTo(1_800_000, -4); // half of the last hour
    await page.getByRole('button', { name: 'Reset zoom' }).press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.has('from')).toBe(false);
  });

  it('log scale, smoothing, x axis since start and range are URL state and keep the stats', async () => {
    await page.getByRole('checkbox', { name: 'Log scale' }).check();
    await page.getByRole('slider', { name: /Smoothing/ }).fill('0.6');
    await page.getByRole('combobox', { name: 'X axis' }).selectOption('relative');
    await page.getByRole('combobox', { name: 'Range' }).selectOption('15m');
    await expect
      .poll(() => Object.fromEntries(new URL(page.url()).searchParams))
      .toEqual({ log: '1', ema: '0.6', x: 'relative', range: '15m' });
    // The smoothed line is drawn beside the faint raw one; the table still has one row per series.
    await expect
      .poll(() => page.locator('section.panel[data-metric="loss"] table.stats tbody tr').count())
      .toBe(1);
    await expectStat(page, 'loss', 'last', '0.5');
    await page.reload();
    expect(await page.getByRole('checkbox', { name: 'Log scale' }).isChecked()).toBe(true);
    expect(await page.locator('output').textContent()).toBe('0.60');
    await page.goto(`${tally.url}/jobs/e2e-run`);
    await expectStat(page, 'loss', 'last', '0.5');
  });

  it('exports a chart as CSV with its rows', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export loss as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('loss.csv');
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('series,timestamp,time,value');
    const values = csv.slice(1).map((row) => row.split(',').at(-1));
    expect(values).toEqual(expect.arrayContaining(['0.75', '0.25', '0.5']));
    for (const row of csv.slice(1)) expect(row).toMatch(/^loss,\d+(\.\d+)?,\d{4}-\d\d-\d\dT[\d:.]+Z,[\d.]+$/);
  });

  it('compares two runs on one chart', async () => {
    await fetch(`${tally.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'e2e-run-b', kind: 'experiment', metrics: ['loss'] }),
    });
    await sdkPush(tally.url, 'e2e-run-b', undefined, { loss: 2 });
    await page.goto(`${tally.url}/compare?jobs=e2e-run,e2e-run-b&metric=loss`);
    const rows = page.locator('section.panel[data-metric="loss"] table.stats tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
    expect(await rows.nth(0).locator('th').textContent()).toContain('job="e2e-run"');
    expect(await rows.nth(1).locator('th').textContent()).toContain('job="e2e-run-b"');
    await expectStat(page, 'loss', 'last', '0.5', 0);
    await expectStat(page, 'loss', 'last', '2', 1);
    Object.assign(violations, await axeBothThemes(page, 'compare runs'));
  });

  it('lists jobs with status and counts, and searches them', async () => {
    await page.goto(tally.url + '/');
    const row = page.locator('table.jobs tbody tr', { hasText: 'e2e-run-b' });
    await expect.poll(() => row.locator('.status').textContent()).toBe('receiving');
    await page.fill('input[type=search]', 'cifar');
    await expect.poll(() => page.locator('table.jobs tbody tr').count()).toBe(1);
    expect(await page.locator('table.jobs tbody tr th a').textContent()).toBe('e2e-run');
    Object.assign(violations, await axeBothThemes(page, 'jobs'));
  });

  it('deletes the job after confirmation: the job and its metrics are gone', async () => {
    await page.goto(`${tally.url}/jobs/e2e-run`);
    await page.getByRole('button', { name: 'Delete job' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    Object.assign(violations, await axeBothThemes(page, 'delete dialog'));
    await dialog.getByRole('button', { name: 'Delete e2e-run' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    expect((await fetch(`${tally.url}/api/v1/jobs/e2e-run`)).status).toBe(404);
    const q = await fetch(`${tally.url}/api/v1/query?query=${encodeURIComponent('{job="e2e-run"}')}`);
    expect(((await q.json()) as { data: { result: unknown[] } }).data.result).toEqual([]);
    await expect.poll(() => page.locator('table.jobs tbody tr', { hasText: 'e2e-run-b' }).count()).toBe(1);
    expect(await page.locator('table.jobs tbody tr th a', { hasText: /^e2e-run$/ }).count()).toBe(0);
  });

  it('has no accessibility violations on any page, light or dark, and no page errors', () => {
    const found = Object.entries(violations).filter(([, v]) => v.length > 0);
    expect(found).toEqual([]);
    expect(Object.keys(violations).length).toBeGreaterThanOrEqual(14);
    expect(pageErrors).toEqual([]);
  });
});
