import { requireAdmin, requireRead, requireReadJob } from '../auth/auth.js';
import type { Principal } from '../auth/principal.js';
import { readJson } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import type { RequestContext, Router } from '../http/router.js';
import type { LiveHub } from '../live/live-hub.js';
import { streamJob } from '../live/sse.js';
import { parseJobSubmission } from './job.js';
import type { JobService } from './job-service.js';
import { jobMetrics, jobView } from './job-views.js';

export interface JobRouteDeps {
  readonly jobs: JobService;
  readonly live: LiveHub;
  readonly principal: (ctx: RequestContext) => Principal;
  readonly maxBodyBytes: number;
}

/** The jobs REST API (the seed's Job Builder and Job info page). */
export function addJobRoutes(router: Router, deps: JobRouteDeps): void {
  const { jobs } = deps;
  router.add('POST', '/api/v1/jobs', async (ctx) => {
    requireAdmin(deps.principal(ctx));
    const sub = parseJobSubmission(await readJson(ctx.req, Math.min(deps.maxBodyBytes, 1 << 20)));
    const { job, pushToken } = await jobs.create(sub, Date.now());
    sendJson(ctx.res, 201, { job: jobView(jobs, job), pushToken });
  });
  router.add('GET', '/api/v1/jobs', (ctx) => {
    const p = deps.principal(ctx);
    const list =
      p.kind === 'push' ? jobs.list().filter((j) => j.id === p.jobId) : (requireRead(p), jobs.list());
    sendJson(ctx.res, 200, { jobs: list.map((j) => jobView(jobs, j)) });
  });
  router.add('GET', '/api/v1/jobs/:id', (ctx) => {
    const id = ctx.params.id!;
    requireReadJob(deps.principal(ctx), id);
    const job = jobs.require(id);
    sendJson(ctx.res, 200, { job: { ...jobView(jobs, job), metrics: jobMetrics(jobs, job) } });
  });
  router.add('DELETE', '/api/v1/jobs/:id', async (ctx) => {
    const id = ctx.params.id!;
    requireAdmin(deps.principal(ctx));
    const failure = await jobs.delete(id);
    if (failure === undefined) sendJson(ctx.res, 200, { deleted: id });
    // Accepted: the job takes no more samples; its series go once storage answers again.
    else
      sendJson(ctx.res, 202, {
        deleted: id,
        pending: true,
        reason: `the series could not be deleted yet (${failure.message}); retried until done`,
      });
  });
  router.add('POST', '/api/v1/jobs/:id/tokens', async (ctx) => {
    const id = ctx.params.id!;
    requireAdmin(deps.principal(ctx));
    sendJson(ctx.res, 201, { jobId: id, pushToken: await jobs.issueToken(id, Date.now()) });
  });
  router.add('GET', '/api/v1/jobs/:id/stream', (ctx) => {
    const id = ctx.params.id!;
    requireReadJob(deps.principal(ctx), id);
    jobs.require(id);
    streamJob(ctx, deps.live, id);
  });
}
