import { getLabel, isSeedName, labelsKey, SEED_NAME_RULE } from '@tally/model';
import { Matcher, type Storage } from '@tally/storage';
import { hashToken, newPushToken, type Auth } from '../auth/auth.js';
import { HttpError } from '../http/http-error.js';
import type { Logger } from '../log/logger.js';
import type { JobRecord, JobSubmission } from './job.js';
import { JobStats } from './job-stats.js';
import { MetadataStore } from './metric-metadata.js';
import type { Registry } from './registry.js';

/**
 * Jobs: the registry's records joined with what the server knows of their series. Creation
 * (by the API or, unless disabled, by a first push), lookup for ingest, and deletion — which
 * is marked in SQLite first, so a crash in the middle finishes on the next start.
 */
export class JobService {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly stats = new Map<string, JobStats>();
  readonly metadata: MetadataStore;
  /** Called (synchronously) when a job's deletion starts: the Pushgateway state forgets its groups. */
  readonly onDelete: ((jobId: string) => void)[] = [];
  private activityTimer: NodeJS.Timeout | undefined;
  private readonly dirtyActivity = new Set<string>();

  constructor(
    private readonly registry: Registry,
    private readonly storage: Storage,
    private readonly auth: Auth,
    private readonly log: Logger,
    private readonly autoCreate: boolean,
  ) {
    this.metadata = new MetadataStore(registry);
    for (const job of registry.listJobs()) {
      this.jobs.set(job.id, job);
      this.stats.set(job.id, new JobStats());
    }
    for (const t of registry.pushTokens()) auth.addPushToken(t.tokenHash, t.jobId);
    for (const a of registry.activity()) {
      const s = this.stats.get(a.jobId);
      if (s) {
        s.lastPushAtMs = a.lastPushAtMs;
        s.lastSampleAtMs = a.lastSampleAtMs;
      }
    }
  }

  /** Rebuilds the per-series stats from storage and finishes deletions a crash interrupted. */
  async start(): Promise<void> {
    for (const id of this.registry.pendingDeletions()) {
      this.log.info('finishing a job deletion interrupted by a restart', { job: id });
      await this.finishDeletion(id);
    }
    const q = this.storage.querier(-8.64e15, 8.64e15);
    try {
      const all = await q.select([new Matcher('=~', 'job', '.+')]);
      for (const series of all) {
        const stats = this.stats.get(getLabel(series.labels, 'job') ?? '');
        if (!stats) continue;
        const it = series.iterator();
        let t = NaN;
        let v = NaN;
        while (it.next()) {
          t = it.t;
          v = it.v;
        }
        if (!Number.isNaN(t)) stats.record(labelsKey(series.labels), series.labels, t, v, undefined);
      }
    } finally {
      q.close();
    }
    this.activityTimer = setInterval(() => this.flushActivity(), 1000);
    this.activityTimer.unref();
  }

  stop(): void {
    if (this.activityTimer) clearInterval(this.activityTimer);
    this.flushActivity();
  }

  create(sub: JobSubmission, nowMs: number): { job: JobRecord; pushToken: string } {
    if (this.registry.isDeleting(sub.name)) {
      throw new HttpError(
        409,
        'conflict',
        `job ${JSON.stringify(sub.name)} is being deleted; try again shortly`,
      );
    }
    const job: JobRecord = {
      id: sub.name,
      kind: sub.kind,
      description: sub.description,
      strict: sub.strict,
      createdAtMs: nowMs,
      declaredMetrics: sub.declaredMetrics,
      autoCreated: false,
    };
    const pushToken = newPushToken();
    const hash = hashToken(pushToken);
    if (!this.registry.createJob(job, hash)) {
      throw new HttpError(409, 'conflict', `job ${JSON.stringify(sub.name)} already exists`);
    }
    this.auth.addPushToken(hash, job.id);
    this.jobs.set(job.id, job);
    this.stats.set(job.id, new JobStats());
    this.log.info('job created', {
      job: job.id,
      kind: job.kind,
      declaredMetrics: job.declaredMetrics.length,
    });
    return { job, pushToken };
  }

  /** A new push token for an existing job (jobs created by a push have none until asked). */
  issueToken(jobId: string, nowMs: number): string {
    this.require(jobId);
    const token = newPushToken();
    const hash = hashToken(token);
    this.registry.addPushToken(jobId, hash, nowMs);
    this.auth.addPushToken(hash, jobId);
    return token;
  }

  get(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId);
  }

  require(jobId: string): JobRecord {
    const job = this.jobs.get(jobId);
    if (!job) throw new HttpError(404, 'not_found', `job ${JSON.stringify(jobId)} not found`);
    return job;
  }

  list(): JobRecord[] {
    return [...this.jobs.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  statsOf(jobId: string): JobStats {
    let s = this.stats.get(jobId);
    if (!s) this.stats.set(jobId, (s = new JobStats()));
    return s;
  }

  /**
   * The job samples are about to be written to: an existing job, or a new one when automatic
   * creation is on. `plain` selects the Pushgateway's text error bodies.
   */
  resolveForIngest(jobId: string, nowMs: number, plain = false): JobRecord {
    const existing = this.jobs.get(jobId);
    if (existing) return existing;
    const fail = (status: number, type: 'bad_data' | 'not_found' | 'conflict', msg: string): never => {
      throw new HttpError(status, type, msg, {}, plain);
    };
    if (!isSeedName(jobId))
      fail(
        400,
        'bad_data',
        `invalid job name ${JSON.stringify(jobId)}: job names may contain ${SEED_NAME_RULE}`,
      );
    if (this.registry.isDeleting(jobId))
      fail(409, 'conflict', `job ${JSON.stringify(jobId)} is being deleted`);
    if (!this.autoCreate) {
      fail(
        404,
        'not_found',
        `job ${JSON.stringify(jobId)} does not exist (create it first: automatic creation is off)`,
      );
    }
    const job: JobRecord = {
      id: jobId,
      kind: 'experiment',
      description: '',
      strict: false,
      createdAtMs: nowMs,
      declaredMetrics: [],
      autoCreated: true,
    };
    this.registry.createJob(job, undefined);
    this.jobs.set(jobId, job);
    this.statsOf(jobId);
    this.log.info('job created by its first samples', { job: jobId });
    return job;
  }

  touch(jobId: string, pushAtMs: number): void {
    this.statsOf(jobId).lastPushAtMs = pushAtMs;
    this.dirtyActivity.add(jobId);
  }

  private flushActivity(): void {
    if (this.dirtyActivity.size === 0) return;
    const rows = [...this.dirtyActivity]
      .filter((id) => this.jobs.has(id))
      .map((id) => {
        const s = this.statsOf(id);
        return { jobId: id, lastPushAtMs: s.lastPushAtMs, lastSampleAtMs: s.lastSampleAtMs };
      });
    this.dirtyActivity.clear();
    try {
      this.registry.saveActivity(rows);
    } catch (err) {
      this.log.error('cannot save job activity', { err });
    }
  }

  /** Deletes a job: registry entry, tokens, last-push groups, metadata and every series on disk. */
  async delete(jobId: string): Promise<void> {
    this.require(jobId);
    if (!this.registry.markDeleting(jobId))
      throw new HttpError(404, 'not_found', `job ${JSON.stringify(jobId)} not found`);
    this.jobs.delete(jobId);
    this.auth.forgetJob(jobId);
    for (const hook of this.onDelete) hook(jobId);
    await this.finishDeletion(jobId);
    this.log.info('job deleted', { job: jobId });
  }

  private async finishDeletion(jobId: string): Promise<void> {
    await this.storage.deleteSeries([new Matcher('=', 'job', jobId)]);
    this.registry.finishDeletion(jobId);
    this.stats.delete(jobId);
    this.metadata.forget(jobId);
    this.dirtyActivity.delete(jobId);
  }
}
