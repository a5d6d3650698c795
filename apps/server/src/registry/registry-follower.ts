import type { JobService } from '../jobs/job-service.js';
import type { Logger } from '../log/logger.js';
import type { Registry, StoredGroup } from './registry.js';

/** What the follower needs of the Pushgateway state (ingest/pushgateway/push-store.ts). */
export interface GroupView {
  readonly groups: ReadonlyMap<string, unknown>;
  applyStored(g: StoredGroup): void;
  forgetGroup(id: string): void;
}

/**
 * Keeps this instance's in-memory view in step with a registry other instances also write
 * (PostgreSQL): each notification triggers a refresh of what it names, and a periodic full
 * refresh is the safety net for notifications lost while the connection was down. Refreshes
 * are coalesced — one runs at a time, and changes arriving meanwhile cause exactly one more.
 */
export class RegistryFollower {
  private timer: NodeJS.Timeout | undefined;
  private readonly jobsRefresh: Coalesced;
  private readonly groupsRefresh: Coalesced;
  private readonly dirtyGroups = new Set<string>();
  private readonly metadataRefresh: Coalesced;
  private readonly jobRefresh: Coalesced;
  private readonly dirtyJobs = new Set<string>();
  private readonly dirtyMetadata = new Set<string>();
  private allGroups = false;
  /** A group notification named a job not known here yet. */
  private skippedGroups = false;
  private failing = false;

  constructor(
    private readonly registry: Registry,
    private readonly jobs: JobService,
    private readonly groups: GroupView,
    private readonly log: Logger,
  ) {
    this.jobsRefresh = new Coalesced(() => this.refreshJobs());
    this.groupsRefresh = new Coalesced(() => this.refreshGroups());
    this.metadataRefresh = new Coalesced(() => this.refreshMetadata());
    this.jobRefresh = new Coalesced(() => this.refreshJob());
  }

  /** Follows notifications, and refreshes everything every `refreshIntervalMs` (0: never). */
  start(refreshIntervalMs: number): void {
    this.registry.onChange((change) => {
      if (change.kind === 'jobs') void this.jobsRefresh.request();
      else if (change.kind === 'job') {
        this.dirtyJobs.add(change.jobId);
        void this.jobRefresh.request();
      } else if (change.kind === 'metadata') {
        this.dirtyMetadata.add(change.jobId);
        void this.metadataRefresh.request();
      } else {
        if (change.kind === 'group') this.dirtyGroups.add(change.groupKey);
        else this.allGroups = true;
        void this.groupsRefresh.request();
      }
    });
    if (refreshIntervalMs > 0) {
      this.timer = setInterval(() => void this.refreshAll(), refreshIntervalMs);
      this.timer.unref();
    }
  }

  /** A full refresh; resolves when it (or the one already running, and then one more) is done. */
  async refreshAll(): Promise<void> {
    this.allGroups = true;
    await Promise.all([this.jobsRefresh.request(), this.groupsRefresh.request()]);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([
      this.jobsRefresh.idle(),
      this.jobRefresh.idle(),
      this.groupsRefresh.idle(),
      this.metadataRefresh.idle(),
    ]);
  }

  private async refreshJobs(): Promise<void> {
    const seq = this.jobs.changeSeq;
    const snapshot = await this.guard(this.registry.load());
    if (!snapshot) return;
    const known = new Set(this.jobs.list().map((j) => j.id));
    this.jobs.applySnapshot(snapshot, seq);
    // Groups of a job this instance did not know yet were skipped when their notification came
    // first: read them all again.
    if (snapshot.jobs.some((j) => !known.has(j.id))) {
      this.allGroups = true;
      void this.groupsRefresh.request();
    }
  }

  private async refreshJob(): Promise<void> {
    const ids = [...this.dirtyJobs];
    this.dirtyJobs.clear();
    const seq = this.jobs.changeSeq;
    const newJobs: string[] = [];
    for (const jobId of ids) {
      const state = await this.guard(this.registry.loadJob(jobId));
      if (!state) {
        for (const id of ids) this.dirtyJobs.add(id); // the next notification or refresh retries
        return;
      }
      if (state.job && !this.jobs.get(jobId)) newJobs.push(jobId);
      this.jobs.applyJob(jobId, state, seq);
    }
    // Groups of a job this instance did not know yet were skipped if their notification came
    // first: read them all again (rare: a group pushed at the job's creation, through another
    // instance, overtaking the job's notification).
    if (newJobs.length > 0 && this.skippedGroups) {
      this.skippedGroups = false;
      this.allGroups = true;
      void this.groupsRefresh.request();
    }
  }

  private async refreshMetadata(): Promise<void> {
    const ids = [...this.dirtyMetadata];
    this.dirtyMetadata.clear();
    for (const jobId of ids) {
      const rows = await this.guard(this.registry.loadMetadata(jobId));
      if (!rows) {
        for (const id of ids) this.dirtyMetadata.add(id); // the next refresh tries again
        return;
      }
      if (this.jobs.get(jobId)) this.jobs.metadata.load(rows);
    }
  }

  private async refreshGroups(): Promise<void> {
    const all = this.allGroups;
    const keys = [...this.dirtyGroups];
    this.allGroups = false;
    this.dirtyGroups.clear();
    const stored = await this.guard(all ? this.registry.loadGroups() : this.registry.loadGroupsByKey(keys));
    if (!stored) {
      // Try again with the next notification or refresh.
      this.allGroups ||= all;
      for (const k of keys) this.dirtyGroups.add(k);
      return;
    }
    const found = new Set(stored.map((g) => g.groupKey));
    for (const id of all ? [...this.groups.groups.keys()] : keys)
      if (!found.has(id)) this.groups.forgetGroup(id);
    for (const g of stored) {
      if (this.jobs.get(g.jobId)) this.groups.applyStored(g);
      else this.skippedGroups = true;
    }
  }

  /** A read that may fail while the database is down: logged once per outage. */
  private async guard<T>(p: Promise<T>): Promise<T | undefined> {
    try {
      const v = await p;
      if (this.failing) this.log.info('registry refresh works again');
      this.failing = false;
      return v;
    } catch (err) {
      if (!this.failing) this.log.warn('registry refresh failed; serving the last known jobs', { err });
      this.failing = true;
      return undefined;
    }
  }
}

/** A task run at most once at a time; a request while it runs schedules one more run. */
class Coalesced {
  private running: Promise<void> | undefined;
  private again: Promise<void> | undefined;

  constructor(private readonly task: () => Promise<void>) {}

  request(): Promise<void> {
    if (!this.running) {
      this.running = this.task().finally(() => (this.running = undefined));
      return this.running;
    }
    this.again ??= this.running.then(() => {
      this.again = undefined;
      return this.request();
    });
    return this.again;
  }

  async idle(): Promise<void> {
    while (this.running ?? this.again) await (this.again ?? this.running);
  }
}
