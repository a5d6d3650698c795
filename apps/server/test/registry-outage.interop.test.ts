// tally serve on a PostgreSQL registry that goes away: API writes are refused with a 503 and a
// clear message, ingest of known jobs goes on from memory (pushes included: their groups are
// held and written when the database is back), and everything catches up after a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable } from '../../../test-support/peers.js';
import { postgresBinDir, startPostgres, type RunningPostgres } from '../../../test-support/postgres.js';
import { silentLogger } from '../src/log/logger.js';
import { PostgresRegistry } from '../src/registry/postgres-registry.js';
import type { RunningServer } from '../src/server.js';
import { api, startTestServer } from './helpers.js';
import { until } from '../../../test-support/poll.js';

const available = peerAvailable('postgresql (/usr/lib/postgresql/*/bin)', postgresBinDir() !== undefined);
const ADMIN = 'outage-admin';
const auth = { authorization: `Bearer ${ADMIN}` };

describe.runIf(available)('tally serve with its PostgreSQL registry down', () => {
  let pg: RunningPostgres;
  let server: RunningServer;
  beforeAll(async () => {
    pg = await startPostgres();
    server = await startTestServer([
      '--registry',
      pg.url,
      '--registry-refresh-interval',
      '300ms',
      '--admin-token',
      ADMIN,
    ]);
  });
  afterAll(async () => {
    await server?.close();
    await pg?.remove();
  });

  it('refuses API writes with 503, keeps ingesting known jobs, and catches up after the restart', async () => {
    const created = await api(server, 'POST', '/api/v1/jobs', { name: 'known', kind: 'experiment' }, auth);
    expect(created.status).toBe(201);
    const token = created.json.pushToken as string;
    await pg.stop();

    const refused = await api(server, 'POST', '/api/v1/jobs', { name: 'during', kind: 'experiment' }, auth);
    expect(refused.status).toBe(503);
    expect(refused.json.errorType).toBe('unavailable');
    expect(refused.json.error).toMatch(/jobs registry database is unreachable.*retry when it is back/);
    expect((await api(server, 'POST', '/api/v1/jobs/known/tokens', undefined, auth)).status).toBe(503);
    expect((await api(server, 'DELETE', '/api/v1/jobs/known', undefined, auth)).status).toBe(503);

    // Ingest of the known job, with its token, from memory.
    const push = await fetch(`${server.url}/metrics/job/known/worker/w1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}` },
      body: 'during_outage 42\n',
    });
    expect(push.status).toBe(200);
    const q = await api(server, 'GET', '/api/v1/query?query=during_outage', undefined, auth);
    expect(q.json.data.result[0].value[1]).toBe('42');
    const groups = await api(server, 'GET', '/api/v1/metrics', undefined, auth);
    expect(groups.json.data.map((g: { labels: Record<string, string> }) => g.labels.worker)).toEqual(['w1']);
    // A job a push creates is accepted too, and recorded later.
    const auto = await fetch(`${server.url}/metrics/job/auto-during`, {
      method: 'PUT',
      headers: auth,
      body: 'x 1\n',
    });
    expect(auto.status).toBe(200);

    await pg.restart();
    await until(
      'API writes to work again',
      () => api(server, 'POST', '/api/v1/jobs', { name: 'after', kind: 'experiment' }, auth),
      (r) => r.status === 201,
    );
    // What was held in memory reaches the database.
    const reader = await PostgresRegistry.open({ url: pg.url, log: silentLogger });
    try {
      await until(
        'the held group and the job created by a push in the registry',
        async () => {
          const s = await reader.load();
          const g = await reader.loadGroups();
          return { jobs: s.jobs.map((j) => j.id), groups: g.map((x) => x.labels.worker ?? x.jobId) };
        },
        (v) => v.jobs.includes('auto-during') && v.groups.includes('w1'),
      );
      const s = await reader.load();
      expect(s.jobs.map((j) => j.id)).toEqual(['after', 'auto-during', 'known']);
    } finally {
      await reader.close();
    }
    // The job a push created during the outage survived the refreshes.
    expect((await api(server, 'GET', '/api/v1/jobs/auto-during', undefined, auth)).status).toBe(200);
  });
});
