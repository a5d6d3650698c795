import { invalidSeedNames, SEED_NAME_RULE } from '@tally/model';
import { badData } from '../http/http-error.js';
import { parseScrapeTargets, type ScrapeTargetSpec } from './scrape-target-spec.js';

export const JOB_KINDS = ['experiment', 'deployment', 'notebook'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type { ScrapeTargetSpec };

/** A job as the registry stores it. The id is the job's name (seed rule `[A-Za-z0-9_-]+`). */
export interface JobRecord {
  readonly id: string;
  readonly kind: JobKind;
  readonly description: string;
  readonly strict: boolean;
  readonly createdAtMs: number;
  readonly declaredMetrics: readonly string[];
  /** Created by a push rather than through the jobs API. */
  readonly autoCreated: boolean;
  /** Endpoints the server scrapes for this job (one instance does, with a shared registry). */
  readonly scrapeTargets: readonly ScrapeTargetSpec[];
}

/** The REST shape of a job (apps/server/README.md). */
export interface JobView {
  id: string;
  name: string;
  kind: JobKind;
  description: string;
  strict: boolean;
  createdAt: string;
  declaredMetrics: string[];
  lastPushAt: string | null;
  lastSampleAt: string | null;
  metricCount: number;
  seriesCount: number;
  scrapeTargets: ScrapeTargetSpec[];
}

export interface JobSubmission {
  readonly name: string;
  readonly kind: JobKind;
  readonly description: string;
  readonly declaredMetrics: readonly string[];
  readonly strict: boolean;
  readonly scrapeTargets: readonly ScrapeTargetSpec[];
}

/**
 * Checks a `POST /api/v1/jobs` body. Every bad name (the job's and each declared metric's)
 * is listed in one 400 answer with the rule, as the seed's Job Builder promises.
 */
export function parseJobSubmission(body: unknown): JobSubmission {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badData('expected a JSON object { name, kind, description?, metrics?, strict?, scrapeTargets? }');
  }
  const b = body as Record<string, unknown>;
  if (typeof b.name !== 'string') throw badData('"name" is required and must be a string');
  if (typeof b.kind !== 'string' || !(JOB_KINDS as readonly string[]).includes(b.kind)) {
    throw badData(`"kind" must be one of ${JOB_KINDS.join(', ')}`);
  }
  if (b.description !== undefined && typeof b.description !== 'string') {
    throw badData('"description" must be a string');
  }
  if (b.strict !== undefined && typeof b.strict !== 'boolean') throw badData('"strict" must be a boolean');
  const metrics = b.metrics ?? [];
  if (!Array.isArray(metrics) || metrics.some((m) => typeof m !== 'string')) {
    throw badData('"metrics" must be an array of metric names (strings)');
  }
  const declared = [...new Set(metrics as string[])];
  const invalid = [
    ...invalidSeedNames([b.name]).map((x) => ({ ...x, reason: `job name: ${x.reason}` })),
    ...invalidSeedNames(declared).map((x) => ({ ...x, reason: `metric name: ${x.reason}` })),
  ];
  if (invalid.length > 0) {
    const list = invalid.map((x) => `${JSON.stringify(x.name)} (${x.reason})`).join(', ');
    throw badData(
      `invalid name${invalid.length > 1 ? 's' : ''}: ${list}. Names may contain ${SEED_NAME_RULE}.`,
      {
        invalidNames: invalid,
      },
    );
  }
  const scrapeTargets = parseScrapeTargets(b.scrapeTargets);
  return {
    name: b.name,
    kind: b.kind as JobKind,
    description: b.description ?? '',
    declaredMetrics: declared,
    strict: b.strict ?? false,
    scrapeTargets,
  };
}
