import pg from 'pg';
import type { JobKind, JobRecord, ScrapeTargetSpec } from '../jobs/job.js';

/** int8 columns as numbers (milliseconds fit a double exactly); node-postgres gives strings. */
const INT8_OID = 20;
const textParser = pg.types.getTypeParser as unknown as (oid: number) => (value: string) => unknown;
export const pgTypes = {
  getTypeParser: ((oid: number) =>
    oid === INT8_OID ? Number : textParser(oid)) as unknown as typeof pg.types.getTypeParser,
};

/** Rows of the PostgreSQL registry's tables and their mapping to the registry's types. */
export interface JobRow {
  id: string;
  kind: string;
  description: string;
  strict: boolean;
  created_at_ms: number;
  declared_metrics: string;
  auto_created: boolean;
  deleting: boolean;
  scrape_targets: string;
}

export function toRecord(r: JobRow): JobRecord {
  return {
    id: r.id,
    kind: r.kind as JobKind,
    description: r.description,
    strict: r.strict,
    createdAtMs: r.created_at_ms,
    declaredMetrics: JSON.parse(r.declared_metrics) as string[],
    autoCreated: r.auto_created,
    scrapeTargets: JSON.parse(r.scrape_targets) as ScrapeTargetSpec[],
  };
}
