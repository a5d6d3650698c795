// axe-core in the page under test: every violation, with its nodes, so a failure says what to fix.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly string[];
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    }
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

/** Runs axe in light and in dark mode (the theme toggle), returning `label: violations`. */
export async function axeBothThemes(page: Page, label: string): Promise<Record<string, AxeViolation[]>> {
  const out: Record<string, AxeViolation[]> = {};
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
      localStorage.setItem('tally.theme', t);
      window.dispatchEvent(new Event('tally-theme'));
    }, theme);
    await page.waitForTimeout(150);
    out[`${label} (${theme})`] = await axeViolations(page);
  }
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
    localStorage.setItem('tally.theme', 'light');
    window.dispatchEvent(new Event('tally-theme'));
  });
  return out;
}
