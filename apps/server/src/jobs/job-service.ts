import { isSeedName, SEED_NAME_RULE } from '@tally/model';
import { Matcher, type Storage } from '@tally/storage';
import { hashToken, newPushToken, type Auth } from '../auth/auth.js';
import { HttpError } from '../http/http-error.js';
import type { Logger } from '../log/logger.js';
import type { JobRecord, JobSubmission } from './job.js';
import { JobStats, loadLastSamples } from './job-stats.js';
import { DeletionRetry } from './deletion-retry.js';
import { BackgroundWrites, JobActivity } from './job-activity.js';
import { MetadataStore } from './metric-metadata.js';
import type { JobState, Registry, RegistrySnapshot } from '../registry/registry.js';

/**
 * Jobs: the registry's records joined with what the server knows of their series. Creation
 * (by the API or, unless disabled, by a first push), lookup for ingest, and deletion — which
 * is marked in the registry first, so a crash in the middle finishes on the next start.
 *
 * The in-memory view is the read path: ingest never waits on the registry for a lookup. Writes
 * the API acknowledges (creation, tokens, deletion) are awaited; writes ingest causes (metadata,
 * activity, jobs created by a push) go to the registry in the background. With a shared
 * registry (PostgreSQL), other instances' changes arrive through {@link applySnapshot}.
 */
export class JobService {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly stats = new Map<string, JobStats>();
  /** Jobs whose deletion has started and not finished, here or on another instance. */
  private deleting = new Set<string>();
  /** Deletions this process is carrying out. */
  private readonly localDeletions = new Set<string>();
  /** Jobs created here whose registry write has not resolved: a refresh must not drop them. */
  private readonly pendingCreates = new Set<string>();
  /** Jobs a push created while the registry was unreachable, written again after refreshes. */
  private readonly unsaved = new Map<string, JobRecord>();
  /** The creation time of each job as the registry has it (a different one: re-created). */
  private readonly storedCreatedAt = new Map<string, number>();
  /** When (in {@link changeSeq}) each job joined the view here. */
  private readonly addedAt = new Map<string, number>();
  private seq = 0;
  readonly metadata: MetadataStore;
  /** Called (synchronously) when a job's deletion starts: the Pushgateway state forgets its groups. */
  readonly onDelete: ((jobId: string) => void)[] = [];
  /** Called after the set of jobs changed (created here, or a refresh from a shared registry). */
  readonly onChange: (() => void)[] = [];
  private readonly writes: BackgroundWrites;
  private readonly activity: JobActivity;
  /** Deletions whose storage or registry step failed, tried again with backoff. */
  readonly deletionRetry = new DeletionRetry(
    (id) => this.finishDeletion(id),
    (job, err) => this.log.warn('cannot finish a job deletion yet; will retry', { job, err }),
  );

  constructor(
    private readonly registry: Registry,
    private readonly storage: Storage,
    private readonly auth: Auth,
    private readonly log: Logger,
    private readonly autoCreate: boolean,
  ) {
    this.writes = new BackgroundWrites(log);
    this.metadata = new MetadataStore((rows) => {
      void this.writes.run(this.registry.upsertMetadata(rows), 'cannot save metric metadata');
    });
    this.activity = new JobActivity(
      (ids) =>
        ids
          .filter((id) => this.jobs.has(id))
          .map((id) => {
            const s = this.statsOf(id);
            return { jobId: id, lastPushAtMs: s.lastPushAtMs, lastSampleAtMs: s.lastSampleAtMs };
          }),
      (rows) => this.writes.run(this.registry.saveActivity(rows), 'cannot save job activity'),
    );
  }

  /**
   * Loads the registry, finishes deletions a crash interrupted and rebuilds the per-series
   * stats from storage.
   */
  async start(): Promise<void> {
    this.applySnapshot(await this.registry.load(), this.seq);
    for (const id of [...this.deleting]) {
      this.log.info('finishing a job deletion interrupted by a restart', { job: id });
      // A failure (an engine down) is retried in the background: start-up does not wait for it.
      await this.deletionRetry.run(id);
    }
    await loadLastSamples(this.storage, this.stats);
    this.activity.start();
  }

  async stop(): Promise<void> {
    this.deletionRetry.stop();
    await this.activity.stop();
  }

  /** A counter of local additions; pass its value, read before a load, to {@link applySnapshot}. */
  get changeSeq(): number {
    return this.seq;
  }

  /**
   * Makes the view what the registry says: jobs that appeared are added, jobs that are gone
   * (deleted on another instance) are forgotten with their tokens and groups — except those
   * added here after `loadedAtSeq`, which the snapshot was read too early to contain.
   */
  applySnapshot(s: RegistrySnapshot, loadedAtSeq: number): void {
    const present = new Set<string>();
    for (const job of s.jobs) {
      present.add(job.id);
      this.takeJob(job, loadedAtSeq);
    }
    this.deleting = new Set([...s.deleting, ...this.localDeletions]);
    for (const id of [...this.jobs.keys()]) if (!present.has(id)) this.dropIfGone(id, loadedAtSeq);
    for (const t of s.tokens) if (this.jobs.has(t.jobId)) this.auth.addPushToken(t.tokenHash, t.jobId);
    this.metadata.load(s.metadata.filter((m) => this.jobs.has(m.jobId)));
    for (const a of s.activity) {
      const st = this.stats.get(a.jobId);
      if (!st) continue;
      st.lastPushAtMs = Math.max(st.lastPushAtMs, a.lastPushAtMs);
      st.lastSampleAtMs = Math.max(st.lastSampleAtMs, a.lastSampleAtMs);
    }
    for (const [id, job] of [...this.unsaved]) {
      if (present.has(id)) this.unsaved.delete(id);
      else if (!this.pendingCreates.has(id)) this.saveCreated(job);
    }
    this.changed();
  }

  /**
   * The same for one job (a `job` notification: created, deleted, a token issued), so another
   * instance's change costs a read of that job, not of the whole registry.
   */
  applyJob(jobId: string, state: JobState, loadedAtSeq: number): void {
    if (state.deleting || this.localDeletions.has(jobId)) this.deleting.add(jobId);
    else this.deleting.delete(jobId);
    if (!state.job) this.dropIfGone(jobId, loadedAtSeq);
    else {
      this.takeJob(state.job, loadedAtSeq);
      for (const hash of state.tokens) this.auth.addPushToken(hash, jobId);
      this.metadata.load(state.metadata);
      this.unsaved.delete(jobId);
    }
    this.changed();
  }

  /** A job the registry has: added, or replaced (forgotten first when it was created again). */
  private takeJob(job: JobRecord, loadedAtSeq: number): void {
    const stored = this.storedCreatedAt.get(job.id);
    if (stored !== undefined && stored !== job.createdAtMs && this.jobs.has(job.id)) {
      // Deleted and created again elsewhere between two refreshes: the old job's tokens,
      // groups and StatsD state go before the new one comes in.
      this.forget(job.id);
      this.stats.delete(job.id);
    }
    this.storedCreatedAt.set(job.id, job.createdAtMs);
    if (!this.jobs.has(job.id)) this.addedAt.set(job.id, loadedAtSeq);
    this.jobs.set(job.id, job);
    this.statsOf(job.id);
  }

  /** A job the registry does not have: deleted elsewhere, unless it is newer here than the read. */
  private dropIfGone(id: string, loadedAtSeq: number): void {
    if (
      !this.jobs.has(id) ||
      this.pendingCreates.has(id) ||
      this.unsaved.has(id) ||
      (this.addedAt.get(id) ?? 0) > loadedAtSeq
    )
      return;
    this.forget(id);
    this.stats.delete(id);
    this.log.info('job deleted through another instance', { job: id });
    void this.deleteOwnSeries(id);
  }

  private changed(): void {
    for (const hook of this.onChange) hook();
  }

  async create(sub: JobSubmission, nowMs: number): Promise<{ job: JobRecord; pushToken: string }> {
    const beingDeleted = (): HttpError =>
      new HttpError(409, 'conflict', `job ${JSON.stringify(sub.name)} is being deleted; try again shortly`);
    if (this.deleting.has(sub.name)) throw beingDeleted();
    if (this.jobs.has(sub.name))
      throw new HttpError(409, 'conflict', `job ${JSON.stringify(sub.name)} already exists`);
    const job: JobRecord = {
      id: sub.name,
      kind: sub.kind,
      description: sub.description,
      strict: sub.strict,
      createdAtMs: nowMs,
      declaredMetrics: sub.declaredMetrics,
      autoCreated: false,
      scrapeTargets: sub.scrapeTargets,
    };
    const pushToken = newPushToken();
    const hash = hashToken(pushToken);
    let created: boolean;
    this.pendingCreates.add(job.id);
    try {
      created = await this.registry.createJob(job, hash);
    } finally {
      this.pendingCreates.delete(job.id);
    }
    if (!created) {
      if (await this.registry.isDeleting(sub.name)) throw beingDeleted();
      throw new HttpError(409, 'conflict', `job ${JSON.stringify(sub.name)} already exists`);
    }
    this.auth.addPushToken(hash, job.id);
    this.add(job);
    this.storedCreatedAt.set(job.id, job.createdAtMs);
    this.changed();
    this.log.info('job created', {
      job: job.id,
      kind: job.kind,
      declaredMetrics: job.declaredMetrics.length,
    });
    return { job, pushToken };
  }

  private add(job: JobRecord): void {
    this.jobs.set(job.id, job);
    this.addedAt.set(job.id, ++this.seq);
    this.statsOf(job.id);
  }

  /** A new push token for an existing job (jobs created by a push have none until asked). */
  async issueToken(jobId: string, nowMs: number): Promise<string> {
    this.require(jobId);
    const token = newPushToken();
    const hash = hashToken(token);
    await this.registry.addPushToken(jobId, hash, nowMs);
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
    if (this.deleting.has(jobId)) fail(409, 'conflict', `job ${JSON.stringify(jobId)} is being deleted`);
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
      scrapeTargets: [],
    };
    // The samples are accepted now; the registry learns of the job in the background (a push
    // does not wait on the database). Another instance creating it at once is harmless: the
    // insert of the second is ignored.
    this.add(job);
    this.saveCreated(job);
    this.log.info('job created by its first samples', { job: jobId });
    return job;
  }

  /**
   * Records a job a push created. While the database is down the job is kept as unsaved (a
   * refresh does not drop it) and written again after every refresh until it is stored.
   */
  private saveCreated(job: JobRecord): void {
    this.pendingCreates.add(job.id);
    this.registry.createJob(job, undefined).then(
      (created) => {
        if (created) this.storedCreatedAt.set(job.id, job.createdAtMs);
        this.pendingCreates.delete(job.id);
        this.unsaved.delete(job.id);
        // A snapshot whose read began before this write landed lacks the job: stamp it as added
        // now, or applying that snapshot would take it for deleted elsewhere (and drop its series).
        if (this.jobs.get(job.id) === job) this.addedAt.set(job.id, ++this.seq);
      },
      (err: unknown) => {
        this.pendingCreates.delete(job.id);
        if (!this.unsaved.has(job.id))
          this.log.warn('a job created by a push is not in the registry yet; retried after each refresh', {
            job: job.id,
            err,
          });
        this.unsaved.set(job.id, job);
      },
    );
  }

  touch(jobId: string, pushAtMs: number): void {
    this.statsOf(jobId).lastPushAtMs = pushAtMs;
    this.activity.mark(jobId);
  }

  /**
   * Deletes a job: registry entry, tokens, last-push groups, metadata and every series in
   * storage. Of several instances asked at once, one does it; the others answer 404. Resolves to
   * undefined once everything is deleted, or to the error that stopped it: the job is gone from
   * the view already and the rest is retried until done (the API answers 202).
   */
  async delete(jobId: string): Promise<Error | undefined> {
    this.require(jobId);
    if (!(await this.registry.markDeleting(jobId)))
      throw new HttpError(404, 'not_found', `job ${JSON.stringify(jobId)} not found`);
    this.deleting.add(jobId);
    this.forget(jobId);
    this.changed();
    const err = await this.deletionRetry.run(jobId);
    if (err === undefined) this.log.info('job deleted', { job: jobId });
    return err;
  }

  /**
   * Another instance deleted the job (and its registry rows, once). This instance deletes the
   * job's series from its own storage too, now that it accepts no more samples for the job:
   * with storage of its own it is the only one that can, and on a shared engine it removes
   * samples it still had queued when the other instance's deletion ran (a remote store sends
   * queued samples before a deletion).
   */
  private async deleteOwnSeries(jobId: string): Promise<void> {
    try {
      await this.storage.deleteSeries([new Matcher('=', 'job', jobId)]);
    } catch (err) {
      this.log.error('cannot delete the series of a job deleted through another instance', {
        job: jobId,
        err,
      });
    }
  }

  /** Drops a job from the view: ingest and pushes refuse it from now on. */
  private forget(jobId: string): void {
    this.jobs.delete(jobId);
    this.addedAt.delete(jobId);
    this.storedCreatedAt.delete(jobId);
    this.unsaved.delete(jobId);
    this.auth.forgetJob(jobId);
    this.metadata.forget(jobId);
    this.activity.forget(jobId);
    for (const hook of this.onDelete) hook(jobId);
  }

  private async finishDeletion(jobId: string): Promise<void> {
    this.localDeletions.add(jobId);
    try {
      await this.storage.deleteSeries([new Matcher('=', 'job', jobId)]);
      await this.registry.finishDeletion(jobId);
    } finally {
      this.localDeletions.delete(jobId);
    }
    this.deleting.delete(jobId);
    this.stats.delete(jobId);
    this.metadata.forget(jobId);
    this.activity.forget(jobId);
  }
}
