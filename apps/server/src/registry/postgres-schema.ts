/**
 * Schema migrations of the PostgreSQL registry, applied in order inside one transaction under
 * an advisory lock (instances starting together wait for each other instead of racing);
 * `tally_schema.version` counts those applied. Tables carry a `tally_` prefix so the registry
 * can share a database with other applications.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tally_jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    strict BOOLEAN NOT NULL DEFAULT false,
    created_at_ms BIGINT NOT NULL,
    declared_metrics TEXT NOT NULL DEFAULT '[]',
    auto_created BOOLEAN NOT NULL DEFAULT false,
    deleting BOOLEAN NOT NULL DEFAULT false
  );
  CREATE TABLE tally_push_tokens (
    token_hash TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES tally_jobs (id),
    created_at_ms BIGINT NOT NULL
  );
  CREATE INDEX tally_push_tokens_job ON tally_push_tokens (job_id);
  CREATE TABLE tally_metric_metadata (
    job_id TEXT NOT NULL,
    metric TEXT NOT NULL,
    type TEXT NOT NULL,
    help TEXT NOT NULL,
    PRIMARY KEY (job_id, metric)
  );
  CREATE TABLE tally_job_activity (
    job_id TEXT PRIMARY KEY,
    last_push_at_ms BIGINT NOT NULL,
    last_sample_at_ms BIGINT NOT NULL
  );
  CREATE TABLE tally_push_groups (
    group_key TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    labels TEXT NOT NULL,
    families TEXT NOT NULL,
    body BYTEA,
    content_type TEXT,
    push_time_ms BIGINT NOT NULL,
    failure_time_ms BIGINT NOT NULL
  );
  CREATE INDEX tally_push_groups_job ON tally_push_groups (job_id);
  `,
  // Scrape targets a job declares (JSON list of jobs/scrape-target-spec.ts' ScrapeTargetSpec).
  `
  ALTER TABLE tally_jobs ADD COLUMN scrape_targets TEXT NOT NULL DEFAULT '[]';
  `,
  // A metric family's unit (OpenMetrics UNIT, remote-write metadata, OTLP); '' when none was given.
  `
  ALTER TABLE tally_metric_metadata ADD COLUMN unit TEXT NOT NULL DEFAULT '';
  `,
];

/** pg_advisory_xact_lock key held while migrating ("tally" + 1). */
export const MIGRATION_LOCK_KEY = '499848325377';
/** pg_advisory_lock key held by the instance that scrapes ("tally" + 2). */
export const SCRAPE_LEADER_LOCK_KEY = '499848325378';
/** The LISTEN/NOTIFY channel of registry changes. */
export const CHANGE_CHANNEL = 'tally_registry';
