import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JobKind, JobRecord } from './job.js';
import { MIGRATIONS } from './schema.js';

interface JobRow {
  id: string;
  kind: string;
  description: string;
  strict: number;
  created_at_ms: number;
  declared_metrics: string;
  auto_created: number;
}

export interface StoredGroup {
  readonly groupKey: string;
  readonly jobId: string;
  readonly labels: Record<string, string>;
  /** The group's metric families as JSON (see ingest/pushgateway/push-group.ts); '' when `body` is set. */
  readonly familiesJson: string;
  /** The body of the PUT that made the group what it is (decompressed), or null. */
  readonly body: Buffer | null;
  /** That body's Content-Type header, if it had one. */
  readonly contentType: string | null;
  readonly pushTimeMs: number;
  readonly failureTimeMs: number;
}

export interface MetricMetadataRow {
  readonly jobId: string;
  readonly metric: string;
  readonly type: string;
  readonly help: string;
}

/**
 * The job registry: jobs, push tokens (as SHA-256 hashes), per-job metric metadata, the
 * Pushgateway last-push groups and pending deletions, in one SQLite file (`tally.db`) in WAL
 * mode. Every method is one transaction; a process killed after a method returned has its
 * effect on restart (synchronous=NORMAL in WAL mode: durable against a process crash, and the
 * database stays consistent on power loss).
 */
export class Registry {
  readonly db: Database.Database;
  private saveGroupStmt: Database.Statement | undefined;
  private saveGroupFailureStmt: Database.Statement | undefined;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(join(path, '..'), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  createJob(job: JobRecord, tokenHash: string | undefined): boolean {
    return this.db.transaction(() => {
      const r = this.db
        .prepare(
          `INSERT OR IGNORE INTO jobs (id, kind, description, strict, created_at_ms, declared_metrics, auto_created)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          job.id,
          job.kind,
          job.description,
          job.strict ? 1 : 0,
          job.createdAtMs,
          JSON.stringify(job.declaredMetrics),
          job.autoCreated ? 1 : 0,
        );
      if (r.changes === 0) return false;
      if (tokenHash !== undefined) this.addPushToken(job.id, tokenHash, job.createdAtMs);
      return true;
    })();
  }

  /** Jobs not being deleted, by id. */
  listJobs(): JobRecord[] {
    return (this.db.prepare('SELECT * FROM jobs WHERE deleting = 0 ORDER BY id').all() as JobRow[]).map(
      toRecord,
    );
  }

  addPushToken(jobId: string, tokenHash: string, nowMs: number): void {
    this.db
      .prepare('INSERT INTO push_tokens (token_hash, job_id, created_at_ms) VALUES (?, ?, ?)')
      .run(tokenHash, jobId, nowMs);
  }

  pushTokens(): { tokenHash: string; jobId: string }[] {
    return (
      this.db.prepare('SELECT token_hash, job_id FROM push_tokens').all() as {
        token_hash: string;
        job_id: string;
      }[]
    ).map((r) => ({ tokenHash: r.token_hash, jobId: r.job_id }));
  }

  /** Step 1 of a deletion: the job disappears from the API; the marker survives a crash. */
  markDeleting(jobId: string): boolean {
    return (
      this.db.prepare('UPDATE jobs SET deleting = 1 WHERE id = ? AND deleting = 0').run(jobId).changes > 0
    );
  }

  pendingDeletions(): string[] {
    return (this.db.prepare('SELECT id FROM jobs WHERE deleting = 1').all() as { id: string }[]).map(
      (r) => r.id,
    );
  }

  isDeleting(jobId: string): boolean {
    return this.db.prepare('SELECT 1 FROM jobs WHERE id = ? AND deleting = 1').get(jobId) !== undefined;
  }

  /** Last step of a deletion, after the series are gone from storage: every row of the job. */
  finishDeletion(jobId: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM push_tokens WHERE job_id = ?').run(jobId);
      this.db.prepare('DELETE FROM metric_metadata WHERE job_id = ?').run(jobId);
      this.db.prepare('DELETE FROM push_groups WHERE job_id = ?').run(jobId);
      this.db.prepare('DELETE FROM job_activity WHERE job_id = ?').run(jobId);
      this.db.prepare('DELETE FROM jobs WHERE id = ?').run(jobId);
    })();
  }

  upsertMetadata(rows: readonly MetricMetadataRow[]): void {
    if (rows.length === 0) return;
    const stmt = this.db.prepare(
      `INSERT INTO metric_metadata (job_id, metric, type, help) VALUES (?, ?, ?, ?)
       ON CONFLICT (job_id, metric) DO UPDATE SET type = excluded.type, help = excluded.help`,
    );
    this.db.transaction(() => {
      for (const r of rows) stmt.run(r.jobId, r.metric, r.type, r.help);
    })();
  }

  metadata(): MetricMetadataRow[] {
    return (
      this.db
        .prepare('SELECT job_id, metric, type, help FROM metric_metadata ORDER BY metric, job_id')
        .all() as {
        job_id: string;
        metric: string;
        type: string;
        help: string;
      }[]
    ).map((r) => ({ jobId: r.job_id, metric: r.metric, type: r.type, help: r.help }));
  }

  saveActivity(rows: readonly { jobId: string; lastPushAtMs: number; lastSampleAtMs: number }[]): void {
    const stmt = this.db.prepare(
      `INSERT INTO job_activity (job_id, last_push_at_ms, last_sample_at_ms) VALUES (?, ?, ?)
       ON CONFLICT (job_id) DO UPDATE SET last_push_at_ms = max(last_push_at_ms, excluded.last_push_at_ms),
         last_sample_at_ms = max(last_sample_at_ms, excluded.last_sample_at_ms)`,
    );
    this.db.transaction(() => {
      for (const r of rows) stmt.run(r.jobId, r.lastPushAtMs, r.lastSampleAtMs);
    })();
  }

  activity(): { jobId: string; lastPushAtMs: number; lastSampleAtMs: number }[] {
    return (
      this.db.prepare('SELECT * FROM job_activity').all() as {
        job_id: string;
        last_push_at_ms: number;
        last_sample_at_ms: number;
      }[]
    ).map((r) => ({ jobId: r.job_id, lastPushAtMs: r.last_push_at_ms, lastSampleAtMs: r.last_sample_at_ms }));
  }

  saveGroup(g: StoredGroup): void {
    // Prepared once: every push saves its group, and preparing costs as much as a small insert.
    (this.saveGroupStmt ??= this.db.prepare(
      `INSERT INTO push_groups (group_key, job_id, labels, families, push_time_ms, failure_time_ms, body, content_type)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (group_key) DO UPDATE SET families = excluded.families, push_time_ms = excluded.push_time_ms,
           failure_time_ms = excluded.failure_time_ms, body = excluded.body, content_type = excluded.content_type`,
    )).run(
      g.groupKey,
      g.jobId,
      JSON.stringify(g.labels),
      g.familiesJson,
      g.pushTimeMs,
      g.failureTimeMs,
      g.body,
      g.contentType,
    );
  }

  /** Sets a stored group's failure time only; false when the group is not stored. */
  saveGroupFailure(groupKey: string, failureTimeMs: number): boolean {
    return (
      (this.saveGroupFailureStmt ??= this.db.prepare(
        'UPDATE push_groups SET failure_time_ms = ? WHERE group_key = ?',
      )).run(failureTimeMs, groupKey).changes > 0
    );
  }

  deleteGroup(groupKey: string): void {
    this.db.prepare('DELETE FROM push_groups WHERE group_key = ?').run(groupKey);
  }

  wipeGroups(): void {
    this.db.prepare('DELETE FROM push_groups').run();
  }

  loadGroups(): StoredGroup[] {
    return (
      this.db.prepare('SELECT * FROM push_groups ORDER BY group_key').all() as {
        group_key: string;
        job_id: string;
        labels: string;
        families: string;
        push_time_ms: number;
        failure_time_ms: number;
        body: Buffer | null;
        content_type: string | null;
      }[]
    ).map((r) => ({
      groupKey: r.group_key,
      jobId: r.job_id,
      labels: JSON.parse(r.labels) as Record<string, string>,
      familiesJson: r.families,
      pushTimeMs: r.push_time_ms,
      failureTimeMs: r.failure_time_ms,
      body: r.body,
      contentType: r.content_type,
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toRecord(r: JobRow): JobRecord {
  return {
    id: r.id,
    kind: r.kind as JobKind,
    description: r.description,
    strict: r.strict === 1,
    createdAtMs: r.created_at_ms,
    declaredMetrics: JSON.parse(r.declared_metrics) as string[],
    autoCreated: r.auto_created === 1,
  };
}
