import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/serve-config.js';
import type { ServerParts } from '../server.js';
import { wantedTargets } from './job-scrape-targets.js';
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
 * Scrapes the targets of `--scrape-config` (if given) and those the jobs declare, following job
 * creation and deletion at runtime. Each scrape goes through the ingest pipeline as source
 * `scrape` (job checks, limits, stats, live view), attributed to its job.
 *
 * Only the elected instance scrapes (registry `electScrapeLeader`: always this one on SQLite, the
 * holder of an advisory lock on a shared PostgreSQL registry), so several instances do not store
 * every sample twice. Losing the lead stops the loops without stale markers: the new leader
 * carries the same series on.
 */
export function startScraping(parts: ServerParts, configPath: string | undefined): ScrapeManager {
  const fromFile = configPath ? readScrapeConfig(configPath) : new Map<string, ScrapeTargetConfig[]>();
  const manager = new ScrapeManager(
    async (jobId, series) => {
      await parts.ingester.ingest({ jobId, series, serverTimestamps: false, source: 'scrape' });
    },
    (jobId, url, err) =>
      parts.log.warn('scrape could not be stored', { job: jobId, url, err: (err as Error).message }),
  );
  let leader = false;
  /** What the manager runs, by job, as JSON (to skip unchanged jobs). */
  const applied = new Map<string, string>();
  let queue: Promise<void> = Promise.resolve();
  // One reconciliation at a time, in order: setTargets awaits loops that stop.
  const reconcile = (): void => {
    queue = queue
      .then(async () => {
        const wanted = leader
          ? wantedTargets(fromFile, parts.jobs.list())
          : new Map<string, ScrapeTargetConfig[]>();
        for (const jobId of [...applied.keys()]) {
          if (wanted.has(jobId)) continue;
          applied.delete(jobId);
          await manager.removeJob(jobId);
        }
        for (const [jobId, targets] of wanted) {
          const json = JSON.stringify(targets);
          if (applied.get(jobId) === json) continue;
          applied.set(jobId, json);
          await manager.setTargets(jobId, targets);
        }
      })
      .catch((err: unknown) => parts.log.error('cannot update the scrape targets', { err }));
  };
  parts.jobs.onChange.push(reconcile);
  parts.jobs.onDelete.push((jobId) => {
    applied.delete(jobId);
    void manager.removeJob(jobId);
  });
  parts.registry.electScrapeLeader((isLeader) => {
    leader = isLeader;
    reconcile();
  });
  parts.stoppers.push(async () => {
    leader = false;
    await queue;
    await manager.stopAll();
  });
  parts.metrics.gauge(
    'tally_scrape_leader',
    'Whether this instance is the one that scrapes (1) or not (0).',
    () => (leader ? 1 : 0),
  );
  parts.metrics.gauge('tally_scrape_targets', 'Scrape loops running on this instance.', () =>
    [...applied.keys()].reduce((n, jobId) => n + manager.loopsOf(jobId).length, 0),
  );
  parts.log.info('scraping', {
    fileJobs: fromFile.size,
    fileTargets: [...fromFile.values()].reduce((n, t) => n + t.length, 0),
  });
  return manager;
}
