import type { JobRecord, ScrapeTargetSpec } from '../jobs/job.js';
import { parseScrapeTarget, type ScrapeTargetConfig } from './scrape-config.js';

/** A declared target (`scrapeTargets` of a job) as the scrape loop's configuration. */
export function targetConfigOf(spec: ScrapeTargetSpec): ScrapeTargetConfig {
  return parseScrapeTarget(
    {
      url: spec.url,
      interval: spec.intervalSeconds * 1000,
      timeout: spec.timeoutSeconds * 1000,
      honor_labels: spec.honorLabels,
    },
    `scrape target ${spec.url}`,
  );
}

/**
 * The targets to scrape, by job: those of `--scrape-config` and those the jobs declare. A URL
 * in both keeps the file's settings (the operator's file is the more deliberate of the two).
 */
export function wantedTargets(
  fromFile: ReadonlyMap<string, readonly ScrapeTargetConfig[]>,
  jobs: readonly JobRecord[],
): Map<string, ScrapeTargetConfig[]> {
  const out = new Map<string, ScrapeTargetConfig[]>();
  for (const [jobId, targets] of fromFile) out.set(jobId, [...targets]);
  for (const job of jobs) {
    if (job.scrapeTargets.length === 0) continue;
    const list = out.get(job.id) ?? [];
    const urls = new Set(list.map((t) => t.url));
    for (const spec of job.scrapeTargets) {
      const config = targetConfigOf(spec);
      if (!urls.has(config.url)) list.push(config);
    }
    out.set(job.id, list);
  }
  return out;
}
