import type { Logger } from '../log/logger.js';
import { groupRowValues, toGroup, type GroupRow } from './group-row.js';
import type { PgSession } from './postgres-session.js';
import type { RegistryChange, StoredGroup } from './registry.js';
import { RegistryUnavailableError } from './registry-unavailable.js';

/** A NOTIFY payload is at most 8000 bytes; longer keys ask for a reload of every group. */
export const MAX_KEY_IN_NOTIFICATION = 7000;

/**
 * The Pushgateway's last-push groups in PostgreSQL (shared by every instance), including the
 * groups held in memory while the database is down.
 */
export class PgGroupStore {
  /** Group writes (null: a deletion) that found the database down, by group key. */
  private readonly held = new Map<string, StoredGroup | null>();
  private flushing = false;

  constructor(
    private readonly session: PgSession,
    private readonly log: Logger,
  ) {}

  /**
   * A push is acknowledged with its group in memory even while the database is down (ingest of
   * known jobs goes on): the group is held here and written when the database is back (at the
   * next refresh or reconnection), unless a later write of the same group came first.
   */
  async saveGroup(g: StoredGroup): Promise<void> {
    this.held.delete(g.groupKey);
    try {
      await this.writeGroup(g, false);
    } catch (err) {
      this.holdOrThrow(err, g.groupKey, g);
    }
  }

  private async writeGroup(g: StoredGroup, onlyIfNewer: boolean): Promise<void> {
    // A held (older) write must not overwrite a group pushed since: the last push wins.
    const newer = onlyIfNewer
      ? `WHERE greatest(tally_push_groups.push_time_ms, tally_push_groups.failure_time_ms)
           <= greatest(excluded.push_time_ms, excluded.failure_time_ms)`
      : '';
    await this.session.write(
      `INSERT INTO tally_push_groups
         (group_key, job_id, labels, families, push_time_ms, failure_time_ms, body, content_type)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (group_key) DO UPDATE SET families = excluded.families, push_time_ms = excluded.push_time_ms,
         failure_time_ms = excluded.failure_time_ms, body = excluded.body, content_type = excluded.content_type
       ${newer}
       RETURNING 1`,
      groupRowValues(g),
      groupChange(g.groupKey),
    );
  }

  async saveGroupFailure(groupKey: string, failureTimeMs: number): Promise<boolean> {
    try {
      const n = await this.session.write(
        'UPDATE tally_push_groups SET failure_time_ms = $1 WHERE group_key = $2 RETURNING 1',
        [failureTimeMs, groupKey],
        groupChange(groupKey),
      );
      return n > 0;
    } catch (err) {
      // "Not stored": the caller saves the whole group, which is then held.
      if (err instanceof RegistryUnavailableError) return false;
      throw err;
    }
  }

  async deleteGroup(groupKey: string): Promise<void> {
    this.held.delete(groupKey);
    try {
      await this.removeGroup(groupKey);
    } catch (err) {
      this.holdOrThrow(err, groupKey, null);
    }
  }

  private async removeGroup(groupKey: string): Promise<void> {
    await this.session.write('DELETE FROM tally_push_groups WHERE group_key = $1 RETURNING 1', [groupKey], {
      kind: 'group',
      groupKey,
    });
  }

  private holdOrThrow(err: unknown, groupKey: string, g: StoredGroup | null): void {
    if (!(err instanceof RegistryUnavailableError)) throw err;
    if (this.held.size === 0) {
      this.log.warn(
        'registry database unreachable: Pushgateway groups are kept in memory and written when it is back',
        { err: err.message },
      );
    }
    this.held.set(groupKey, g);
  }

  /** Writes the groups held during an outage; stops at the first failure (still down). */
  async flushHeld(): Promise<void> {
    if (this.held.size === 0 || this.flushing) return;
    this.flushing = true;
    try {
      for (const [key, g] of [...this.held]) {
        if (g) await this.writeGroup(g, true);
        else await this.removeGroup(key);
        if (this.held.get(key) === g) this.held.delete(key);
      }
      this.log.info('Pushgateway groups held during the outage are written to the registry');
    } catch {
      // still unreachable: the next refresh tries again
    } finally {
      this.flushing = false;
    }
  }

  async wipeGroups(): Promise<void> {
    await this.session.write('DELETE FROM tally_push_groups RETURNING 1', [], { kind: 'groups' });
  }

  async loadGroups(): Promise<StoredGroup[]> {
    return (
      await this.session.query<GroupRow>('SELECT * FROM tally_push_groups ORDER BY group_key')
    ).rows.map(toGroup);
  }

  async loadGroupsByKey(groupKeys: readonly string[]): Promise<StoredGroup[]> {
    if (groupKeys.length === 0) return [];
    const r = await this.session.query<GroupRow>(
      'SELECT * FROM tally_push_groups WHERE group_key = ANY($1::text[]) ORDER BY group_key',
      [[...groupKeys]],
    );
    return r.rows.map(toGroup);
  }
}

function groupChange(groupKey: string): RegistryChange {
  return groupKey.length > MAX_KEY_IN_NOTIFICATION ? { kind: 'groups' } : { kind: 'group', groupKey };
}
