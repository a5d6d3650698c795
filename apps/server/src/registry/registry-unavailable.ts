import { HttpError } from '../http/http-error.js';

/**
 * The registry's database cannot be reached. A 503 for the request that needed it: API writes
 * are refused while the database is down (ingest of known jobs goes on from memory).
 */
export class RegistryUnavailableError extends HttpError {
  constructor(cause: unknown) {
    super(
      503,
      'unavailable',
      `the jobs registry database is unreachable (${cause instanceof Error ? cause.message : String(cause)}); ` +
        'the change was not made, retry when it is back',
    );
  }
}

/**
 * Does this error mean "no database" rather than "the statement failed"? A PostgreSQL error
 * carries a SQLSTATE; classes 08 (connection exception), 53 (insufficient resources) and 57
 * (operator intervention: shutdown, admin termination) are the server going away. Errors
 * without a SQLSTATE come from the socket (ECONNREFUSED, "Connection terminated", timeouts).
 */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return code.startsWith('08') || code.startsWith('53') || code.startsWith('57');
  }
  return true;
}
