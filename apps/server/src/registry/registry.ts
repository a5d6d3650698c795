import type { JobRecord } from '../jobs/job.js';

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
  /** '' when none was given. */
  readonly unit: string;
}

export interface ActivityRow {
  readonly jobId: string;
  readonly lastPushAtMs: number;
  readonly lastSampleAtMs: number;
}

/** What an instance holds in memory of the registry, read at start and on every refresh. */
export interface RegistrySnapshot {
  /** Jobs not being deleted, by id. */
  readonly jobs: JobRecord[];
  /** Ids of jobs whose deletion has started and not finished. */
  readonly deleting: string[];
  readonly tokens: { tokenHash: string; jobId: string }[];
  readonly metadata: MetricMetadataRow[];
  readonly activity: ActivityRow[];
}

/** One job as the registry has it (what a `job` change names). */
export interface JobState {
  /** undefined: no such job, or it is being deleted. */
  readonly job: JobRecord | undefined;
  readonly deleting: boolean;
  /** Its push token hashes. */
  readonly tokens: string[];
  readonly metadata: MetricMetadataRow[];
}

/**
 * A change another instance made (PostgreSQL LISTEN/NOTIFY), or a reconnection after which
 * changes may have been missed: `jobs` covers jobs, tokens, deletions and metadata (the
 * receiver refreshes its view); `job` is one job (created, deleted, a token issued); `metadata` is one job's metric metadata (frequent: pushes of new
 * families cause it, so it is not a full refresh); `group` is one Pushgateway group; `groups` all of them (a wipe,
 * or a key too long for a notification).
 */
export type RegistryChange =
  | { readonly kind: 'jobs' }
  | { readonly kind: 'job'; readonly jobId: string }
  | { readonly kind: 'metadata'; readonly jobId: string }
  | { readonly kind: 'group'; readonly groupKey: string }
  | { readonly kind: 'groups' };

/**
 * The job registry: jobs, push tokens (SHA-256 hashes), per-job metric metadata, activity,
 * Pushgateway last-push groups and pending deletions. Two implementations run one conformance
 * suite (test/registry-conformance.ts): SQLite in the data directory (the default, one
 * instance) and PostgreSQL (`--registry postgres://…`, shared by several instances).
 *
 * Every method is one transaction and resolves once it is durable. Reads are for start-up and
 * refreshes only: the server's read path is its in-memory view (jobs/job-service.ts), so ingest
 * never waits on the database for a lookup.
 */
export interface Registry {
  /** 'sqlite' or 'postgres', for logs and /metrics. */
  readonly kind: 'sqlite' | 'postgres';
  load(): Promise<RegistrySnapshot>;
  loadJob(jobId: string): Promise<JobState>;
  /** False when a job of that id exists (or is being deleted). */
  createJob(job: JobRecord, tokenHash: string | undefined): Promise<boolean>;
  addPushToken(jobId: string, tokenHash: string, nowMs: number): Promise<void>;
  /** Is this token hash stored (for a token another instance issued moments ago)? */
  hasPushToken(tokenHash: string): Promise<boolean>;
  /** Step 1 of a deletion; true for exactly one caller, however many instances race. */
  markDeleting(jobId: string): Promise<boolean>;
  isDeleting(jobId: string): Promise<boolean>;
  /** Last step of a deletion, after the series are gone from storage: every row of the job. */
  finishDeletion(jobId: string): Promise<void>;
  upsertMetadata(rows: readonly MetricMetadataRow[]): Promise<void>;
  /** One job's metadata (what a `metadata` change names), by metric. */
  loadMetadata(jobId: string): Promise<MetricMetadataRow[]>;
  /** Keeps the later of the stored and the given times. */
  saveActivity(rows: readonly ActivityRow[]): Promise<void>;
  saveGroup(g: StoredGroup): Promise<void>;
  /** Sets a stored group's failure time only; false when the group is not stored. */
  saveGroupFailure(groupKey: string, failureTimeMs: number): Promise<boolean>;
  deleteGroup(groupKey: string): Promise<void>;
  wipeGroups(): Promise<void>;
  loadGroups(): Promise<StoredGroup[]>;
  /** The groups of these keys that are stored (the others were deleted). */
  loadGroupsByKey(groupKeys: readonly string[]): Promise<StoredGroup[]>;
  /**
   * Elects the one instance that scrapes the jobs' targets: with SQLite this one, at once; with
   * PostgreSQL the holder of an advisory lock (registry/leader-lock.ts). `onChange` is called
   * whenever this instance gains or loses the lead.
   */
  electScrapeLeader(onChange: (leader: boolean) => void): void;
  /** Changes made by other instances; never called for a registry only this process uses. */
  onChange(listener: (change: RegistryChange) => void): void;
  close(): Promise<void>;
}
