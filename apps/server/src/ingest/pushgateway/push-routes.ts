import { requirePush, requireAdmin } from '../../auth/auth.js';
import { readBody } from '../../http/body.js';
import { HttpError } from '../../http/http-error.js';
import { sendEmpty } from '../../http/respond.js';
import type { RequestContext } from '../../http/router.js';
import type { ServerParts } from '../../server.js';
import { parseGroupingKey } from './grouping-key.js';
import { isTextFormatBody, parsePushBody } from './parse-push-body.js';
import { PushStore } from './push-store.js';
import { addPushgatewayReadRoutes } from './pushgateway-read-routes.js';

/**
 * The Pushgateway push API: `PUT|POST|DELETE /metrics/job/<job>{/<label>/<value>}` — PUT
 * replaces the group, POST replaces same-named families, DELETE removes the group (202, as
 * the Pushgateway answers). Errors are plain text, as the Pushgateway's are.
 */
export function addPushRoutes(parts: ServerParts): PushStore {
  const { router, config, ingester, registry, log, metrics, jobs } = parts;
  const store = new PushStore(registry, ingester, log);
  jobs.onDelete.push((jobId) => store.forgetJob(jobId));
  const count = (method: string, status: number): void =>
    metrics.pushes.inc({ method, code: String(status) });

  const push = (replace: boolean) => async (ctx: RequestContext) => {
    const method = replace ? 'PUT' : 'POST';
    try {
      const key = parseGroupingKey(ctx.params['*']!);
      requirePush(parts.principal(ctx), key.job!, true);
      const body = await readBody(ctx.req, config.limits.maxBodyBytes);
      const contentType = ctx.req.headers['content-type'];
      const parsedWith = isTextFormatBody(contentType) ? store.textCacheFor(key) : undefined;
      const families = parsePushBody(body, contentType, config.limits.maxSamplesPerRequest, parsedWith);
      await store.push(key, families, replace, {
        raw: { body, contentType },
        ...(parsedWith ? { parsedWith } : {}),
      });
      count(method, 200);
      sendEmpty(ctx.res, 200);
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, 'internal', String(err), {}, true);
      count(method, e.status);
      throw e.plain ? e : new HttpError(e.status, e.errorType, e.message, e.extra, true);
    }
  };
  router.add('PUT', '/metrics/*', push(true));
  router.add('POST', '/metrics/*', push(false));
  router.add('DELETE', '/metrics/*', async (ctx) => {
    const key = parseGroupingKey(ctx.params['*']!);
    requirePush(parts.principal(ctx), key.job!, true);
    ctx.req.resume();
    await store.delete(key);
    count('DELETE', 202);
    sendEmpty(ctx.res, 202);
  });
  router.add('PUT', '/api/v1/admin/wipe', async (ctx) => {
    requireAdmin(parts.principal(ctx));
    ctx.req.resume();
    await store.wipe();
    sendEmpty(ctx.res, 202);
  });
  addPushgatewayReadRoutes(parts, store);
  return store;
}
