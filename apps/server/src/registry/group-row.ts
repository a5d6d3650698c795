import type { StoredGroup } from './registry.js';

/** A push group as both backends store it (the `push_groups` / `tally_push_groups` columns). */
export interface GroupRow {
  group_key: string;
  job_id: string;
  labels: string;
  families: string;
  body: Buffer | null;
  content_type: string | null;
  push_time_ms: number;
  failure_time_ms: number;
}

export function toGroup(r: GroupRow): StoredGroup {
  return {
    groupKey: r.group_key,
    jobId: r.job_id,
    labels: JSON.parse(r.labels) as Record<string, string>,
    familiesJson: r.families,
    body: r.body,
    contentType: r.content_type,
    pushTimeMs: r.push_time_ms,
    failureTimeMs: r.failure_time_ms,
  };
}

/** A group's column values in the order both backends' upserts list them. */
export function groupRowValues(g: StoredGroup): unknown[] {
  return [
    g.groupKey,
    g.jobId,
    JSON.stringify(g.labels),
    g.familiesJson,
    g.pushTimeMs,
    g.failureTimeMs,
    g.body,
    g.contentType,
  ];
}
