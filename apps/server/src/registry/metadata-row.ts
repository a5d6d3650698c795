import type { MetricMetadataRow } from './registry.js';

/** A metadata row as both backends store it (the `metric_metadata` / `tally_metric_metadata` columns). */
export interface MetadataRow {
  job_id: string;
  metric: string;
  type: string;
  help: string;
  unit: string;
}

/** The columns both backends select (the table name follows). */
export const METADATA_COLUMNS = 'job_id, metric, type, help, unit';

export function toMetadata(r: MetadataRow): MetricMetadataRow {
  return { jobId: r.job_id, metric: r.metric, type: r.type, help: r.help, unit: r.unit };
}
