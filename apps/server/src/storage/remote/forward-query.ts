import type { Storage } from '@tally/storage';
import type { Principal } from '../../auth/principal.js';
import type { RequestContext } from '../../http/router.js';
import { RemoteStorage } from './remote-storage.js';

/**
 * Answers `/api/v1/query` or `/query_range` by forwarding the whole query to the remote engine,
 * when storage is remote, forwarding is on, and the principal may read everything (a push token
 * is scoped to its job, which only the local engine enforces). True when it answered.
 */
export async function tryForwardQuery(
  storage: Storage,
  enabled: boolean,
  principal: Principal,
  ctx: RequestContext,
  path: '/api/v1/query' | '/api/v1/query_range',
  form: URLSearchParams,
): Promise<boolean> {
  if (!enabled || !(storage instanceof RemoteStorage)) return false;
  if (principal.kind !== 'admin' && principal.kind !== 'read') return false;
  const r = await storage.forwardQuery(path, form);
  ctx.res.writeHead(r.status, { 'content-type': r.contentType, 'content-length': r.body.length }).end(r.body);
  return true;
}
