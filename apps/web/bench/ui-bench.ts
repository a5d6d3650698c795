// UI benchmark (issue 7), printed and never gating: a real `tally serve` and Debian's chromium,
// with the query API answered by synthetic data from a loopback front (synthetic-proxy.ts).
//   1. time to render a Metrics tab of 20 charts × 10 000 points (median of 3 loads);
//   2. CPU used by 20 live charts at one update per second (real pushes → live stream → refetch
//      → setData), as main-thread task time per wall-clock second, over 30 s.
// Run: npm run bench -w @tally/web

import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { chromiumInstalled, launchBrowser, startTally } from '../test/harness.js';
import { sdkPush } from '../test/push.js';
import { descendantsCpuByType, descendantsCpuSeconds, treeCpuSeconds } from './process-cpu.js';
import { startSyntheticProxy } from './synthetic-proxy.js';

const CHARTS = 20;
const POINTS = 10_000;
const LIVE_SECONDS = 30;

if (!chromiumInstalled()) {
  console.log('ui-bench: /usr/bin/chromium is not installed; nothing measured.');
  process.exit(0);
}

const metrics = Array.from({ length: CHARTS }, (_, i) => `bench_metric_${String(i).padStart(2, '0')}`);
const tally = await startTally();
const browser = await launchBrowser();
try {
  await fetch(`${tally.url}/api/v1/jobs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'bench', kind: 'experiment', metrics }),
  });
  const gauges = (k: number): Record<string, number> => Object.fromEntries(metrics.map((m, i) => [m, i + k]));
  await sdkPush(tally.url, 'bench', undefined, gauges(0));

  const proxy = await startSyntheticProxy(tally.url);
  // Tall enough that all 20 charts are on screen (off-screen charts would not fetch at all).
  const context = await browser.newContext({ viewport: { width: 1600, height: 4000 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async (): Promise<Record<string, number>> => {
    const { metrics: m } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(m.map((x) => [x.name, x.value]));
  };

  // 1. Render time.
  const tallyPid = tally.peer.process.pid ?? -1;
  // The browser's processes are this process's children, like the server (left out).
  const browserCpu = (): number => descendantsCpuSeconds(process.pid, [tallyPid]);
  const renderMs: number[] = [];
  const busyMs: number[] = [];
  const cpuMs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const c0 = browserCpu();
    await page.goto(`${proxy.url}/jobs/bench?res=${POINTS}&paused=1`);
    await waitForCharts(page);
    renderMs.push(await page.evaluate(() => performance.now()));
    // Chrome's counters start again with each document: this is the new page's task time.
    busyMs.push((await taskSeconds()).TaskDuration! * 1000);
    cpuMs.push((browserCpu() - c0) * 1000);
  }
  cpuMs.sort((a, b) => a - b);
  busyMs.sort((a, b) => a - b);
  const drawn = await page.evaluate(
    () =>
      [...document.querySelectorAll('section.panel canvas')].filter((c) => (c as HTMLCanvasElement).width > 0)
        .length,
  );
  renderMs.sort((a, b) => a - b);

  // 2. CPU of live charts.
  await page.goto(`${proxy.url}/jobs/bench`);
  await waitForCharts(page);
  const before = await taskSeconds();
  const cpuBefore = browserCpu();
  const byTypeBefore = descendantsCpuByType(process.pid, [tallyPid]);
  const serverCpuBefore = treeCpuSeconds(tallyPid);
  const queriesBefore = proxy.queries();
  const t0 = Date.now();
  for (let s = 1; s <= LIVE_SECONDS; s++) {
    await sdkPush(tally.url, 'bench', undefined, gauges(s));
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + s * 1000 - Date.now())));
  }
  const after = await taskSeconds();
  const liveCpu = (browserCpu() - cpuBefore) / ((Date.now() - t0) / 1000);
  const byTypeAfter = descendantsCpuByType(process.pid, [tallyPid]);
  const byType = Object.entries(byTypeAfter)
    .map(([t, v]) => [t, (v - (byTypeBefore[t] ?? 0)) / ((Date.now() - t0) / 1000)] as const)
    .filter(([, v]) => v >= 0.005)
    .map(([t, v]) => `${t} ${(v * 100).toFixed(1)} %`)
    .join(', ');
  const serverCpu = (treeCpuSeconds(tallyPid) - serverCpuBefore) / ((Date.now() - t0) / 1000);
  const wall = (Date.now() - t0) / 1000;
  const cpu = (k: string): number => ((after[k] ?? 0) - (before[k] ?? 0)) / wall;

  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  console.log(
    `\nTally web UI benchmark (headless Debian chromium, ${CHARTS} charts; ${drawn} canvases drawn; machine load average ${load} on ${cpus().length} cores)`,
  );
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(
    `| Metrics tab, ${CHARTS} charts × ${POINTS.toLocaleString('en')} points: load to all drawn (median of 3) | ${renderMs[1]!.toFixed(0)} ms (runs: ${renderMs.map((x) => x.toFixed(0)).join(', ')}) |`,
  );
  console.log(`| the same loads: CPU time of all browser processes (median) | ${cpuMs[1]!.toFixed(0)} ms |`);
  console.log(`| the same loads: renderer main thread busy, wall (median) | ${busyMs[1]!.toFixed(0)} ms |`);
  console.log(
    `| ${CHARTS} live charts, 1 update/s for ${LIVE_SECONDS} s: main-thread busy | ${(cpu('TaskDuration') * 100).toFixed(1)} % of one core (script ${(cpu('ScriptDuration') * 100).toFixed(1)} %, layout ${(cpu('LayoutDuration') * 100).toFixed(1)} %) |`,
  );
  console.log(
    `| the same 30 s: CPU time of all browser processes | ${(liveCpu * 100).toFixed(1)} % of one core (${byType}; tally serve: ${(serverCpu * 100).toFixed(1)} %) |`,
  );
  console.log(`| live refetches in that time | ${proxy.queries() - queriesBefore} query_range requests |`);
  await proxy.close();
} finally {
  await browser.close();
  await tally.stop();
}

async function waitForCharts(page: Page): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelectorAll('section.panel table.stats tbody tr').length >= n,
    CHARTS,
    { timeout: 120_000, polling: 'raf' },
  );
}
