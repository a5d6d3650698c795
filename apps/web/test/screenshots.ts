// Screenshots for the READMEs (docs/screenshots/*.png at the repo root): a real `tally serve`,
// jobs created through the API, an hour of training history backfilled by remote write, a live
// Pushgateway push, and Debian's chromium. Run: npm run screenshots -w @tally/web

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumInstalled, launchBrowser, repoRoot, startTally } from './harness.js';
import { remoteWrite, type BackfillSeries } from './remote-write.js';

if (!chromiumInstalled()) {
  console.log('screenshots: /usr/bin/chromium is not installed');
  process.exit(0);
}

const out = join(repoRoot, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const tally = await startTally();
const browser = await launchBrowser();

async function createJob(name: string, kind: string, description: string, metrics: string[]): Promise<void> {
  const res = await fetch(`${tally.url}/api/v1/jobs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, kind, description, metrics }),
  });
  if (!res.ok) throw new Error(await res.text());
}

/** An hour of a training run at 15 s steps: loss curves, accuracy, LR schedule, throughput, step time. */
function trainingHistory(job: string, lr: number, seed: number): BackfillSeries[] {
  const now = Date.now();
  const n = 240;
  let x = seed;
  const noise = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648 - 0.5;
  };
  const ts = (i: number): number => now - (n - i) * 15_000;
  const speed = lr * 900;
  const series = (labels: Record<string, string>, f: (i: number) => number): BackfillSeries => ({
    labels: { job, ...labels },
    samples: Array.from({ length: n }, (_, i) => [ts(i), f(i)] as const),
  });
  let processed = 0;
  const bucketsLe = ['0.05', '0.1', '0.2', '0.5', '1', '+Inf'];
  const stepCounts = bucketsLe.map(() => 0);
  const bucketSamples: [number, number][][] = bucketsLe.map(() => []);
  let count = 0;
  let sum = 0;
  const countSamples: [number, number][] = [];
  const sumSamples: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 40; k++) {
      const d = 0.08 + Math.abs(noise()) * 0.15 + (i % 60 === 0 ? 0.6 : 0);
      count++;
      sum += d;
      bucketsLe.forEach((le, b) => {
        if (le === '+Inf' || d <= Number(le)) stepCounts[b]!++;
      });
    }
    bucketsLe.forEach((_, b) => bucketSamples[b]!.push([ts(i), stepCounts[b]!]));
    countSamples.push([ts(i), count]);
    sumSamples.push([ts(i), sum]);
  }
  return [
    series(
      { __name__: 'loss', phase: 'train' },
      (i) => 2.3 * Math.exp(-i / (60 / speed)) + 0.25 + noise() * 0.18,
    ),
    series(
      { __name__: 'loss', phase: 'val' },
      (i) => 2.3 * Math.exp(-i / (70 / speed)) + 0.34 + noise() * 0.05,
    ),
    series({ __name__: 'accuracy' }, (i) =>
      Math.min(0.97, 0.1 + 0.8 * (1 - Math.exp(-i / (50 / speed))) + noise() * 0.03),
    ),
    series({ __name__: 'learning-rate' }, (i) => lr * (i < 160 ? 1 : i < 210 ? 0.1 : 0.01)),
    series({ __name__: 'samples_processed_total' }, () => (processed += 1900 + noise() * 300)),
    ...bucketsLe.map((le, b) => ({
      labels: { job, __name__: 'step_time_seconds_bucket', le },
      samples: bucketSamples[b]!,
    })),
    { labels: { job, __name__: 'step_time_seconds_count' }, samples: countSamples },
    { labels: { job, __name__: 'step_time_seconds_sum' }, samples: sumSamples },
  ];
}

const metadata = [
  { name: 'loss', type: 'gauge', help: 'Cross-entropy loss' },
  { name: 'accuracy', type: 'gauge', help: 'Top-1 accuracy' },
  { name: 'learning-rate', type: 'gauge', help: 'Optimizer learning rate' },
  { name: 'samples_processed', type: 'counter', help: 'Training samples seen' },
  { name: 'step_time_seconds', type: 'histogram', help: 'Time per optimizer step' },
] as const;

try {
  const declared = ['loss', 'accuracy', 'learning-rate'];
  await createJob('resnet50-lr-1e-3', 'experiment', 'ResNet-50 on CIFAR-100, lr 1e-3, cosine', declared);
  await createJob('resnet50-lr-3e-4', 'experiment', 'ResNet-50 on CIFAR-100, lr 3e-4', declared);
  await createJob('bert-finetune', 'experiment', 'BERT-base on SST-2', ['loss', 'accuracy']);
  await createJob('serving-canary', 'deployment', 'Model server canary', ['requests', 'latency']);
  await createJob('eda-notebook', 'notebook', '', []);
  await remoteWrite(tally.url, trainingHistory('resnet50-lr-1e-3', 1e-3, 7), metadata);
  await remoteWrite(tally.url, trainingHistory('resnet50-lr-3e-4', 3e-4, 11), metadata);
  await fetch(`${tally.url}/metrics/job/bert-finetune`, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/plain; version=0.0.4' },
    body: '# TYPE loss gauge\nloss 0.41\n# TYPE accuracy gauge\naccuracy 0.88\n',
  });

  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const shot = async (name: string, full = false): Promise<void> => {
    await page.waitForTimeout(600);
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: full });
    console.log(`wrote docs/screenshots/${name}.png`);
  };
  const theme = async (t: 'light' | 'dark'): Promise<void> => {
    await page.evaluate((v) => localStorage.setItem('tally.theme', v), t);
  };

  await page.goto(tally.url + '/');
  await page.locator('table.jobs tbody tr').first().waitFor();
  await shot('jobs');

  await page.goto(tally.url + '/new');
  await page.fill('#job-name', 'resnet50-lr-1e-4');
  await page.fill('#job-description', 'ResNet-50 on CIFAR-100, lr 1e-4');
  await page.fill('#job-metrics', 'loss\naccuracy\ntop-5 accuracy\nlearning-rate');
  await shot('job-builder');

  await page.goto(`${tally.url}/jobs/resnet50-lr-1e-3`);
  await waitForTables(page, 5);
  await shot('metrics-tab', true);

  await theme('dark');
  await page.goto(`${tally.url}/jobs/resnet50-lr-1e-3?ema=0.8`);
  await waitForTables(page, 5);
  await shot('metrics-tab-dark');

  await page.goto(`${tally.url}/compare?jobs=resnet50-lr-1e-3,resnet50-lr-3e-4&metric=accuracy`);
  await waitForTables(page, 1);
  await shot('compare-runs');
  await theme('light');
} finally {
  await browser.close();
  await tally.stop();
}

async function waitForTables(page: Page, n: number): Promise<void> {
  await page.waitForFunction((k) => document.querySelectorAll('section.panel table.stats').length >= k, n, {
    timeout: 60_000,
  });
}
