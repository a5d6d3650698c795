import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { JobRecord } from '../jobs/job.js';
import type { Logger } from '../log/logger.js';
import { ChangeListener } from './change-listener.js';
import { LeaderLock } from './leader-lock.js';
import { MAX_KEY_IN_NOTIFICATION, PgGroupStore } from './postgres-groups.js';
import { PgSession } from './postgres-session.js';
import { pgTypes, toRecord, type JobRow } from './postgres-rows.js';
import { METADATA_COLUMNS, toMetadata, type MetadataRow } from './metadata-row.js';
import {
  CHANGE_CHANNEL,
  MIGRATION_LOCK_KEY,
  PG_MIGRATIONS,
  SCRAPE_LEADER_LOCK_KEY,
} from './postgres-schema.js';
import type {
  ActivityRow,
  JobState,
  MetricMetadataRow,
  Registry,
  RegistryChange,
  RegistrySnapshot,
  StoredGroup,
} from './registry.js';

export interface PostgresRegistryOptions {
  readonly url: string;
  readonly log: Logger;
  /** Most connections in the pool (default 8). */
  readonly maxConnections?: number;
}

/**
 * The registry in PostgreSQL (node-postgres), shared by every `tally serve` pointed at the same
 * database. Each write is one transaction that also NOTIFYs the `tally_registry` channel
 * (delivered at commit), so the other instances refresh their in-memory view; each instance
 * ignores its own notifications by an id in the payload.
 */
export class PostgresRegistry implements Registry {
  readonly kind = 'postgres';
  private readonly instanceId = randomUUID();
  private readonly session: PgSession;
  private readonly listeners: ((change: RegistryChange) => void)[] = [];
  private listener: ChangeListener | undefined;
  private leaderLock: LeaderLock | undefined;
  private readonly groups: PgGroupStore;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresRegistryOptions,
  ) {
    this.session = new PgSession(pool, this.instanceId);
    this.groups = new PgGroupStore(this.session, options.log);
  }

  /** Connects, migrates the schema and starts following other instances' changes. */
  static async open(options: PostgresRegistryOptions): Promise<PostgresRegistry> {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 8,
      connectionTimeoutMillis: 5000,
      types: pgTypes,
    });
    // An idle pooled connection that breaks emits here; unhandled it would end the process.
    pool.on('error', (err) => options.log.warn('a registry connection was lost', { err }));
    const registry = new PostgresRegistry(pool, options);
    try {
      await registry.migrate();
    } catch (err) {
      await pool.end();
      throw err;
    }
    registry.listener = new ChangeListener({
      url: options.url,
      channel: CHANGE_CHANNEL,
      log: options.log,
      onPayload: (payload) => registry.dispatch(payload),
      // After a reconnection notifications may have been missed: everything is refreshed.
      onReconnect: () => {
        void registry.groups.flushHeld();
        registry.emit({ kind: 'jobs' });
        registry.emit({ kind: 'groups' });
      },
    });
    await registry.listener.start();
    return registry;
  }

  private async migrate(): Promise<void> {
    await this.session.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await c.query('CREATE TABLE IF NOT EXISTS tally_schema (version INTEGER NOT NULL)');
      const rows = (await c.query<{ version: number }>('SELECT version FROM tally_schema')).rows;
      if (rows.length === 0) await c.query('INSERT INTO tally_schema (version) VALUES (0)');
      const version = rows[0]?.version ?? 0;
      if (version > PG_MIGRATIONS.length) {
        throw new Error(
          `the registry schema is version ${version}, newer than this tally serve knows (${PG_MIGRATIONS.length}): upgrade tally`,
        );
      }
      for (let v = version; v < PG_MIGRATIONS.length; v++) await c.query(PG_MIGRATIONS[v]!);
      await c.query('UPDATE tally_schema SET version = $1', [PG_MIGRATIONS.length]);
      this.options.log.info('registry schema ready', { registry: 'postgres', version: PG_MIGRATIONS.length });
    });
  }

  async load(): Promise<RegistrySnapshot> {
    await this.groups.flushHeld();
    // One REPEATABLE READ transaction: the five reads see one state of the registry.
    return this.session.tx(
      async (c) => {
        const jobs = await c.query<JobRow>('SELECT * FROM tally_jobs ORDER BY id');
        const tokens = await c.query<{ token_hash: string; job_id: string }>(
          'SELECT token_hash, job_id FROM tally_push_tokens',
        );
        const metadata = await c.query<MetadataRow>(`${SELECT_METADATA} ORDER BY metric, job_id`);
        const activity = await c.query<{
          job_id: string;
          last_push_at_ms: number;
          last_sample_at_ms: number;
        }>('SELECT * FROM tally_job_activity');
        return {
          jobs: jobs.rows.filter((r) => !r.deleting).map(toRecord),
          deleting: jobs.rows.filter((r) => r.deleting).map((r) => r.id),
          tokens: tokens.rows.map((r) => ({ tokenHash: r.token_hash, jobId: r.job_id })),
          metadata: metadata.rows.map(toMetadata),
          activity: activity.rows.map((r) => ({
            jobId: r.job_id,
            lastPushAtMs: r.last_push_at_ms,
            lastSampleAtMs: r.last_sample_at_ms,
          })),
        };
      },
      undefined,
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  createJob(job: JobRecord, tokenHash: string | undefined): Promise<boolean> {
    return this.session.tx(async (c) => {
      const r = await c.query(
        `INSERT INTO tally_jobs
             (id, kind, description, strict, created_at_ms, declared_metrics, auto_created, scrape_targets)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
        [
          job.id,
          job.kind,
          job.description,
          job.strict,
          job.createdAtMs,
          JSON.stringify(job.declaredMetrics),
          job.autoCreated,
          JSON.stringify(job.scrapeTargets),
        ],
      );
      if (r.rowCount === 0) return false;
      if (tokenHash !== undefined) {
        await c.query(
          'INSERT INTO tally_push_tokens (token_hash, job_id, created_at_ms) VALUES ($1, $2, $3)',
          [tokenHash, job.id, job.createdAtMs],
        );
      }
      return true;
    }, jobChange(job.id));
  }

  async addPushToken(jobId: string, tokenHash: string, nowMs: number): Promise<void> {
    await this.session.write(
      'INSERT INTO tally_push_tokens (token_hash, job_id, created_at_ms) VALUES ($1, $2, $3) RETURNING 1',
      [tokenHash, jobId, nowMs],
      jobChange(jobId),
    );
  }

  async hasPushToken(tokenHash: string): Promise<boolean> {
    const r = await this.session.query('SELECT 1 FROM tally_push_tokens WHERE token_hash = $1', [tokenHash]);
    return r.rowCount !== 0;
  }

  async markDeleting(jobId: string): Promise<boolean> {
    // The row lock of the UPDATE makes one of several racing instances the one that deletes.
    const n = await this.session.write(
      'UPDATE tally_jobs SET deleting = true WHERE id = $1 AND NOT deleting RETURNING 1',
      [jobId],
      jobChange(jobId),
    );
    return n > 0;
  }

  async loadJob(jobId: string): Promise<JobState> {
    return this.session.tx(
      async (c) => {
        const job = (await c.query<JobRow>('SELECT * FROM tally_jobs WHERE id = $1', [jobId])).rows[0];
        const tokens = await c.query<{ token_hash: string }>(
          'SELECT token_hash FROM tally_push_tokens WHERE job_id = $1',
          [jobId],
        );
        const metadata = await c.query<MetadataRow>(`${SELECT_METADATA} WHERE job_id = $1 ORDER BY metric`, [
          jobId,
        ]);
        return {
          job: job && !job.deleting ? toRecord(job) : undefined,
          deleting: job?.deleting ?? false,
          tokens: tokens.rows.map((r) => r.token_hash),
          metadata: metadata.rows.map(toMetadata),
        };
      },
      undefined,
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  async isDeleting(jobId: string): Promise<boolean> {
    const r = await this.session.query('SELECT 1 FROM tally_jobs WHERE id = $1 AND deleting', [jobId]);
    return r.rowCount !== 0;
  }

  async finishDeletion(jobId: string): Promise<void> {
    await this.session.tx(async (c) => {
      for (const table of [
        'tally_push_tokens',
        'tally_metric_metadata',
        'tally_push_groups',
        'tally_job_activity',
      ]) {
        await c.query(`DELETE FROM ${table} WHERE job_id = $1`, [jobId]);
      }
      await c.query('DELETE FROM tally_jobs WHERE id = $1', [jobId]);
    }, jobChange(jobId));
  }

  async upsertMetadata(rows: readonly MetricMetadataRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.session.write(
      `INSERT INTO tally_metric_metadata (job_id, metric, type, help, unit)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (job_id, metric)
         DO UPDATE SET type = excluded.type, help = excluded.help, unit = excluded.unit RETURNING 1`,
      [
        rows.map((r) => r.jobId),
        rows.map((r) => r.metric),
        rows.map((r) => r.type),
        rows.map((r) => r.help),
        rows.map((r) => r.unit),
      ],
      // Usually one job's (MetadataStore records per job): only that job is re-read elsewhere.
      rows.every((r) => r.jobId === rows[0]!.jobId)
        ? { kind: 'metadata', jobId: rows[0]!.jobId }
        : { kind: 'jobs' },
    );
  }

  async loadMetadata(jobId: string): Promise<MetricMetadataRow[]> {
    const r = await this.session.query<MetadataRow>(`${SELECT_METADATA} WHERE job_id = $1 ORDER BY metric`, [
      jobId,
    ]);
    return r.rows.map(toMetadata);
  }

  async saveActivity(rows: readonly ActivityRow[]): Promise<void> {
    if (rows.length === 0) return;
    // No notification: activity is advisory, the periodic refresh carries it to other instances.
    await this.session.write(
      `INSERT INTO tally_job_activity (job_id, last_push_at_ms, last_sample_at_ms)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
       ON CONFLICT (job_id) DO UPDATE SET
         last_push_at_ms = greatest(tally_job_activity.last_push_at_ms, excluded.last_push_at_ms),
         last_sample_at_ms = greatest(tally_job_activity.last_sample_at_ms, excluded.last_sample_at_ms)
       RETURNING 1`,
      [rows.map((r) => r.jobId), rows.map((r) => r.lastPushAtMs), rows.map((r) => r.lastSampleAtMs)],
      undefined,
    );
  }

  saveGroup(g: StoredGroup): Promise<void> {
    return this.groups.saveGroup(g);
  }

  saveGroupFailure(groupKey: string, failureTimeMs: number): Promise<boolean> {
    return this.groups.saveGroupFailure(groupKey, failureTimeMs);
  }

  deleteGroup(groupKey: string): Promise<void> {
    return this.groups.deleteGroup(groupKey);
  }

  wipeGroups(): Promise<void> {
    return this.groups.wipeGroups();
  }

  loadGroups(): Promise<StoredGroup[]> {
    return this.groups.loadGroups();
  }

  loadGroupsByKey(groupKeys: readonly string[]): Promise<StoredGroup[]> {
    return this.groups.loadGroupsByKey(groupKeys);
  }

  onChange(listener: (change: RegistryChange) => void): void {
    this.listeners.push(listener);
  }

  electScrapeLeader(onChange: (leader: boolean) => void): void {
    if (this.leaderLock) throw new Error('electScrapeLeader: called twice');
    this.leaderLock = new LeaderLock({
      url: this.options.url,
      key: SCRAPE_LEADER_LOCK_KEY,
      what: 'scraping',
      log: this.options.log,
      onChange,
    });
    this.leaderLock.start();
  }

  async close(): Promise<void> {
    await this.leaderLock?.stop();
    await this.listener?.stop();
    await this.pool.end();
  }

  private dispatch(payload: string): void {
    let parsed: { i?: unknown; c?: RegistryChange };
    try {
      parsed = JSON.parse(payload) as typeof parsed;
    } catch {
      this.options.log.warn('ignoring a registry notification that is not JSON', { payload });
      return;
    }
    if (parsed.i === this.instanceId || parsed.c === undefined) return;
    this.emit(parsed.c);
  }

  private emit(change: RegistryChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        this.options.log.error('a registry change could not be applied', { err });
      }
    }
  }
}

function jobChange(jobId: string): RegistryChange {
  return jobId.length > MAX_KEY_IN_NOTIFICATION ? { kind: 'jobs' } : { kind: 'job', jobId };
}

const SELECT_METADATA = `SELECT ${METADATA_COLUMNS} FROM tally_metric_metadata`;
