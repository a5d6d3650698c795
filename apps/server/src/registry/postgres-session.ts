import pg from 'pg';
import { CHANGE_CHANNEL } from './postgres-schema.js';
import type { RegistryChange } from './registry.js';
import { isConnectionError, RegistryUnavailableError } from './registry-unavailable.js';

/**
 * How the PostgreSQL registry talks to the database: pooled statements, single-statement
 * writes with their notification, transactions; a database that cannot be reached becomes a
 * {@link RegistryUnavailableError} (503), a failed statement stays what it is.
 */
export class PgSession {
  constructor(
    readonly pool: pg.Pool,
    private readonly instanceId: string,
  ) {}

  payload(change: RegistryChange): string {
    return JSON.stringify({ i: this.instanceId, c: change });
  }

  async query<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, params);
    } catch (err) {
      throw mapError(err);
    }
  }

  /**
   * One data-modifying statement (ending in RETURNING) and its notification, in one round
   * trip: a data-modifying CTE runs exactly once, and NOTIFY is delivered at commit. Resolves
   * to the number of rows the statement returned.
   */
  async write(sql: string, params: unknown[], change: RegistryChange | undefined): Promise<number> {
    const n = params.length;
    const text = change
      ? `WITH w AS (${sql}) SELECT (SELECT count(*) FROM w)::int AS n, pg_notify($${n + 1}, $${n + 2})`
      : `WITH w AS (${sql}) SELECT count(*)::int AS n FROM w`;
    const values = change ? [...params, CHANGE_CHANNEL, this.payload(change)] : params;
    const r = await this.query<{ n: number }>(text, values);
    return r.rows[0]?.n ?? 0;
  }

  /** Runs `fn` in a transaction that NOTIFYs `change` when it commits. */
  async tx<T>(fn: (c: pg.PoolClient) => Promise<T>, change?: RegistryChange, begin = 'BEGIN'): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw mapError(err);
    }
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await fn(client);
      if (change) await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, this.payload(change)]);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      if (isConnectionError(err)) broken = err instanceof Error ? err : new Error(String(err));
      else await client.query('ROLLBACK').catch(() => undefined);
      throw mapError(err);
    } finally {
      // A connection that failed is not given back to the pool for reuse.
      client.release(broken);
    }
  }
}

function mapError(err: unknown): unknown {
  return isConnectionError(err) ? new RegistryUnavailableError(err) : err;
}
