import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/serve-config.js';
import type { ServerParts } from '../server.js';
import { parseScrapeTarget, type ScrapeTargetConfig } from './scrape-config.js';
import { ScrapeManager } from './scrape-manager.js';

/** Reads `--scrape-config`: `{ "<job id>": [target, …] }`; throws a ConfigError naming the problem. */
export function readScrapeConfig(path: string): Map<string, ScrapeTargetConfig[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`--scrape-config ${path}: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`--scrape-config ${path}: expected an object keyed by job id`);
  }
  const out = new Map<string, ScrapeTargetConfig[]>();
  for (const [job, targets] of Object.entries(parsed as Record<string, unknown>)) {
    if (!/^[A-Za-z0-9_-]+$/.test(job))
      throw new ConfigError(`--scrape-config ${path}: ${JSON.stringify(job)} is not a job id`);
    if (!Array.isArray(targets))
      throw new ConfigError(`--scrape-config ${path}: job ${job}: expected a list of targets`);
    try {
      out.set(
        job,
        targets.map((t, i) => parseScrapeTarget(t, `job ${job} target ${i}`)),
      );
    } catch (err) {
      throw new ConfigError(`--scrape-config ${path}: ${(err as Error).message}`);
    }
  }
  return out;
}

/**
 * Starts a scrape loop per configured target; each scrape goes through the ingest pipeline as
 * source `scrape` (job checks, limits, stats, live view). Stopped on shutdown.
 */
export async function startScraping(parts: ServerParts, path: string): Promise<ScrapeManager> {
  const config = readScrapeConfig(path);
  const manager = new ScrapeManager(
    async (jobId, series) => {
      await parts.ingester.ingest({ jobId, series, serverTimestamps: false, source: 'scrape' });
    },
    (jobId, url, err) =>
      parts.log.warn('scrape could not be stored', { job: jobId, url, err: (err as Error).message }),
  );
  for (const [job, targets] of config) await manager.setTargets(job, targets);
  parts.jobs.onDelete.push((jobId) => void manager.removeJob(jobId));
  parts.stoppers.push(() => manager.stopAll());
  parts.log.info('scraping', {
    jobs: config.size,
    targets: [...config.values()].reduce((n, t) => n + t.length, 0),
  });
  return manager;
}
