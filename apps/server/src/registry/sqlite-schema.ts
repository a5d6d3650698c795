/** Schema migrations of tally.db (SQLite), applied in order; `PRAGMA user_version` counts those applied. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    strict INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL,
    declared_metrics TEXT NOT NULL DEFAULT '[]',
    auto_created INTEGER NOT NULL DEFAULT 0,
    deleting INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE push_tokens (
    token_hash TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES jobs (id),
    created_at_ms INTEGER NOT NULL
  );
  CREATE INDEX push_tokens_job ON push_tokens (job_id);
  CREATE TABLE metric_metadata (
    job_id TEXT NOT NULL,
    metric TEXT NOT NULL,
    type TEXT NOT NULL,
    help TEXT NOT NULL,
    PRIMARY KEY (job_id, metric)
  );
  CREATE TABLE job_activity (
    job_id TEXT PRIMARY KEY,
    last_push_at_ms INTEGER NOT NULL,
    last_sample_at_ms INTEGER NOT NULL
  );
  CREATE TABLE push_groups (
    group_key TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    labels TEXT NOT NULL,
    families TEXT NOT NULL,
    push_time_ms INTEGER NOT NULL,
    failure_time_ms INTEGER NOT NULL
  );
  CREATE INDEX push_groups_job ON push_groups (job_id);
  `,
  // A group whose last change was a PUT is stored as that request's (decompressed) body: a
  // copy of the bytes instead of re-encoding every family on every push; it is parsed again
  // at start-up. Other groups keep \`families\` (JSON) and a NULL body.
  `
  ALTER TABLE push_groups ADD COLUMN body BLOB;
  ALTER TABLE push_groups ADD COLUMN content_type TEXT;
  `,
  // Scrape targets a job declares (JSON list of jobs/scrape-target-spec.ts' ScrapeTargetSpec).
  `
  ALTER TABLE jobs ADD COLUMN scrape_targets TEXT NOT NULL DEFAULT '[]';
  `,
  // A metric family's unit (OpenMetrics UNIT, remote-write metadata, OTLP); '' when none was given.
  `
  ALTER TABLE metric_metadata ADD COLUMN unit TEXT NOT NULL DEFAULT '';
  `,
];
