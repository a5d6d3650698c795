import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JobKind, JobRecord, ScrapeTargetSpec } from '../jobs/job.js';
import type {
  ActivityRow,
  JobState,
  MetricMetadataRow,
  Registry,
  RegistryChange,
  RegistrySnapshot,
  StoredGroup,
} from './registry.js';
import { groupRowValues, toGroup, type GroupRow } from './group-row.js';
import { METADATA_COLUMNS, toMetadata, type MetadataRow } from './metadata-row.js';
import { MIGRATIONS } from './sqlite-schema.js';
import { WriteBatch } from './write-batch.js';

interface JobRow {
  id: string;
  kind: string;
  description: string;
  strict: number;
  created_at_ms: number;
  declared_metrics: string;
  auto_created: number;
  scrape_targets: string;
}

/**
 * The registry in one SQLite file (`tally.db` in the data directory) in WAL mode — the default,
 * for one instance. better-sqlite3 is synchronous: each method does its transaction before it
 * returns its (already settled) promise — except saving a push group: the groups saved in one
 * turn of the event loop share a transaction at the end of the turn (the push is waiting for its
 * WAL fsync meanwhile), and each save resolves once that has committed. A process killed after
 * a method resolved has its effect on restart (synchronous=NORMAL in WAL
 * mode: durable against a process crash, consistent on power loss).
 */
export class SqliteRegistry implements Registry {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  private saveGroupStmt: Database.Statement | undefined;
  private saveGroupFailureStmt: Database.Statement | undefined;
  private readonly groupWrites = new WriteBatch<StoredGroup>(
    (g) => {
      this.writeGroup(g);
    },
    (fn) => {
      this.db.transaction(fn)();
    },
  );

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

  load(): Promise<RegistrySnapshot> {
    return this.settle(() =>
      this.db.transaction(() => ({
        jobs: (this.db.prepare('SELECT * FROM jobs WHERE deleting = 0 ORDER BY id').all() as JobRow[]).map(
          toRecord,
        ),
        deleting: (this.db.prepare('SELECT id FROM jobs WHERE deleting = 1').all() as { id: string }[]).map(
          (r) => r.id,
        ),
        tokens: (
          this.db.prepare('SELECT token_hash, job_id FROM push_tokens').all() as {
            token_hash: string;
            job_id: string;
          }[]
        ).map((r) => ({ tokenHash: r.token_hash, jobId: r.job_id })),
        metadata: metadataRows(this.db.prepare(`${SELECT_METADATA} ORDER BY metric, job_id`).all()),
        activity: (
          this.db.prepare('SELECT * FROM job_activity').all() as {
            job_id: string;
            last_push_at_ms: number;
            last_sample_at_ms: number;
          }[]
        ).map((r) => ({
          jobId: r.job_id,
          lastPushAtMs: r.last_push_at_ms,
          lastSampleAtMs: r.last_sample_at_ms,
        })),
      }))(),
    );
  }

  createJob(job: JobRecord, tokenHash: string | undefined): Promise<boolean> {
    return this.settle(() =>
      this.db.transaction(() => {
        const r = this.db
          .prepare(
            `INSERT OR IGNORE INTO jobs
               (id, kind, description, strict, created_at_ms, declared_metrics, auto_created, scrape_targets)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            job.id,
            job.kind,
            job.description,
            job.strict ? 1 : 0,
            job.createdAtMs,
            JSON.stringify(job.declaredMetrics),
            job.autoCreated ? 1 : 0,
            JSON.stringify(job.scrapeTargets),
          );
        if (r.changes === 0) return false;
        if (tokenHash !== undefined) this.insertToken(job.id, tokenHash, job.createdAtMs);
        return true;
      })(),
    );
  }

  addPushToken(jobId: string, tokenHash: string, nowMs: number): Promise<void> {
    return this.settle(() => this.insertToken(jobId, tokenHash, nowMs));
  }

  hasPushToken(tokenHash: string): Promise<boolean> {
    return this.settle(
      () => this.db.prepare('SELECT 1 FROM push_tokens WHERE token_hash = ?').get(tokenHash) !== undefined,
    );
  }

  private insertToken(jobId: string, tokenHash: string, nowMs: number): void {
    this.db
      .prepare('INSERT INTO push_tokens (token_hash, job_id, created_at_ms) VALUES (?, ?, ?)')
      .run(tokenHash, jobId, nowMs);
  }

  markDeleting(jobId: string): Promise<boolean> {
    return this.settle(
      () =>
        this.db.prepare('UPDATE jobs SET deleting = 1 WHERE id = ? AND deleting = 0').run(jobId).changes > 0,
    );
  }

  loadJob(jobId: string): Promise<JobState> {
    return this.settle(() =>
      this.db.transaction(() => {
        const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(jobId) as
          (JobRow & { deleting: number }) | undefined;
        const tokens = this.db.prepare('SELECT token_hash FROM push_tokens WHERE job_id = ?').all(jobId) as {
          token_hash: string;
        }[];
        const metadata = metadataRows(
          this.db.prepare(`${SELECT_METADATA} WHERE job_id = ? ORDER BY metric`).all(jobId),
        );
        return {
          job: row && row.deleting === 0 ? toRecord(row) : undefined,
          deleting: row?.deleting === 1,
          tokens: tokens.map((t) => t.token_hash),
          metadata,
        };
      })(),
    );
  }

  isDeleting(jobId: string): Promise<boolean> {
    return this.settle(
      () => this.db.prepare('SELECT 1 FROM jobs WHERE id = ? AND deleting = 1').get(jobId) !== undefined,
    );
  }

  finishDeletion(jobId: string): Promise<void> {
    return this.settle(() =>
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM push_tokens WHERE job_id = ?').run(jobId);
        this.db.prepare('DELETE FROM metric_metadata WHERE job_id = ?').run(jobId);
        this.db.prepare('DELETE FROM push_groups WHERE job_id = ?').run(jobId);
        this.db.prepare('DELETE FROM job_activity WHERE job_id = ?').run(jobId);
        this.db.prepare('DELETE FROM jobs WHERE id = ?').run(jobId);
      })(),
    );
  }

  upsertMetadata(rows: readonly MetricMetadataRow[]): Promise<void> {
    return this.settle(() => {
      if (rows.length === 0) return;
      const stmt = this.db.prepare(
        `INSERT INTO metric_metadata (job_id, metric, type, help, unit) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (job_id, metric) DO UPDATE SET type = excluded.type, help = excluded.help, unit = excluded.unit`,
      );
      this.db.transaction(() => {
        for (const r of rows) stmt.run(r.jobId, r.metric, r.type, r.help, r.unit);
      })();
    });
  }

  loadMetadata(jobId: string): Promise<MetricMetadataRow[]> {
    return this.settle(() =>
      metadataRows(this.db.prepare(`${SELECT_METADATA} WHERE job_id = ? ORDER BY metric`).all(jobId)),
    );
  }

  saveActivity(rows: readonly ActivityRow[]): Promise<void> {
    return this.settle(() => {
      if (rows.length === 0) return;
      const stmt = this.db.prepare(
        `INSERT INTO job_activity (job_id, last_push_at_ms, last_sample_at_ms) VALUES (?, ?, ?)
         ON CONFLICT (job_id) DO UPDATE SET last_push_at_ms = max(last_push_at_ms, excluded.last_push_at_ms),
           last_sample_at_ms = max(last_sample_at_ms, excluded.last_sample_at_ms)`,
      );
      this.db.transaction(() => {
        for (const r of rows) stmt.run(r.jobId, r.lastPushAtMs, r.lastSampleAtMs);
      })();
    });
  }

  /** Queued and committed with the other groups saved in this turn (see WriteBatch). */
  saveGroup(g: StoredGroup): Promise<void> {
    return this.groupWrites.write(g);
  }

  private writeGroup(g: StoredGroup): void {
    // Prepared once: every push saves its group, and preparing costs as much as a small insert.
    (this.saveGroupStmt ??= this.db.prepare(
      `INSERT INTO push_groups (group_key, job_id, labels, families, push_time_ms, failure_time_ms, body, content_type)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (group_key) DO UPDATE SET families = excluded.families, push_time_ms = excluded.push_time_ms,
             failure_time_ms = excluded.failure_time_ms, body = excluded.body, content_type = excluded.content_type`,
    )).run(...groupRowValues(g));
  }

  saveGroupFailure(groupKey: string, failureTimeMs: number): Promise<boolean> {
    return this.settle(
      () =>
        (this.saveGroupFailureStmt ??= this.db.prepare(
          'UPDATE push_groups SET failure_time_ms = ? WHERE group_key = ?',
        )).run(failureTimeMs, groupKey).changes > 0,
    );
  }

  deleteGroup(groupKey: string): Promise<void> {
    return this.settle(() => {
      this.db.prepare('DELETE FROM push_groups WHERE group_key = ?').run(groupKey);
    });
  }

  wipeGroups(): Promise<void> {
    return this.settle(() => {
      this.db.prepare('DELETE FROM push_groups').run();
    });
  }

  loadGroups(): Promise<StoredGroup[]> {
    return this.settle(() =>
      (this.db.prepare('SELECT * FROM push_groups ORDER BY group_key').all() as GroupRow[]).map(toGroup),
    );
  }

  loadGroupsByKey(groupKeys: readonly string[]): Promise<StoredGroup[]> {
    return this.settle(() => {
      const stmt = this.db.prepare('SELECT * FROM push_groups WHERE group_key = ?');
      const out: StoredGroup[] = [];
      for (const key of groupKeys) {
        const row = stmt.get(key) as GroupRow | undefined;
        if (row) out.push(toGroup(row));
      }
      return out;
    });
  }

  /**
   * Runs a synchronous transaction and hands its result (or its error) back as a promise — after
   * the group saves queued before it, so every change lands in the order it was asked for.
   */
  private settle<T>(fn: () => T): Promise<T> {
    try {
      this.groupWrites.flush();
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** One process owns the file: it scrapes. */
  electScrapeLeader(onChange: (leader: boolean) => void): void {
    onChange(true);
  }

  /** One process owns the file: no other instance makes changes. */
  onChange(_listener: (change: RegistryChange) => void): void {
    // nothing to follow
  }

  close(): Promise<void> {
    if (this.db.open) {
      this.groupWrites.flush();
      this.db.close();
    }
    return Promise.resolve();
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
    scrapeTargets: JSON.parse(r.scrape_targets) as ScrapeTargetSpec[],
  };
}

const SELECT_METADATA = `SELECT ${METADATA_COLUMNS} FROM metric_metadata`;

function metadataRows(rows: unknown[]): MetricMetadataRow[] {
  return (rows as MetadataRow[]).map(toMetadata);
}
