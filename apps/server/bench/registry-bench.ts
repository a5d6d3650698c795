// Registry benchmark (issue 8): what the shared PostgreSQL registry costs against the default
// SQLite one, through the HTTP API of an in-process `tally serve` (memory storage, so the
// registry is what differs): job creation (awaited registry write), a Pushgateway PUT (the
// group is persisted before the answer), and how long until a second instance on the same
// PostgreSQL knows a job the first created (the NOTIFY → refresh path).
// Run: npm run bench:registry -w @tally/server. Prints numbers; never gates.
import { postgresBinDir, startPostgres } from '../../../test-support/postgres.js';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from '../test/helpers.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 200);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 1000);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function timed(
  n: number,
  fn: (i: number) => Promise<void>,
): Promise<{ p50: number; p99: number; perSec: number }> {
  const ms: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  const total = performance.now() - t0;
  ms.sort((a, b) => a - b);
  return { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), perSec: (n / total) * 1000 };
}

async function ok(res: Promise<Response>, want: number): Promise<void> {
  const r = await res;
  await r.arrayBuffer();
  if (r.status !== want) throw new Error(`expected ${want}, got ${r.status}`);
}

async function measure(
  s: RunningServer,
  tag: string,
): Promise<Record<string, { p50: number; p99: number; perSec: number }>> {
  const create = await timed(JOBS, (i) =>
    ok(
      fetch(`${s.url}/api/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `${tag}-${i}`, kind: 'experiment' }),
      }),
      201,
    ),
  );
  const body = Array.from({ length: 20 }, (_, i) => `m_${i}{k="v"} ${i}`).join('\n') + '\n';
  const push = await timed(PUSHES, (i) =>
    ok(fetch(`${s.url}/metrics/job/${tag}-0/worker/w${i % 50}`, { method: 'PUT', body }), 200),
  );
  return { 'POST /api/v1/jobs': create, 'PUT /metrics/job/… (20 samples)': push };
}

const fmt = (x: number): string => x.toFixed(2);

async function main(): Promise<void> {
  if (!postgresBinDir()) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql/*/bin)');
  const pg = await startPostgres();
  try {
    // In-process servers on memory storage (the test helper's), so the registry is what differs.
    const sqlite = await startTestServer();
    const onSqlite = await measure(sqlite, 'sq');
    await sqlite.close();
    const a = await startTestServer(['--registry', pg.url]);
    const b = await startTestServer(['--registry', pg.url]);
    const onPg = await measure(a, 'pg');
    // Propagation: create on A, poll B's view directly (no HTTP polling interval in the figure).
    const seen: number[] = [];
    for (let i = 0; i < 50; i++) {
      const id = `prop-${i}`;
      const t = performance.now();
      await ok(
        fetch(`${a.url}/api/v1/jobs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: id, kind: 'experiment' }),
        }),
        201,
      );
      while (!b.jobs.get(id)) await new Promise((r) => setImmediate(r));
      seen.push(performance.now() - t);
    }
    seen.sort((x, y) => x - y);
    await a.close();
    await b.close();
    console.log(
      `registry bench: ${JOBS} job creations, ${PUSHES} PUTs (sequential, one client), ${new Date().toISOString()}`,
    );
    console.log(
      '| operation | SQLite p50 / p99 ms | PostgreSQL p50 / p99 ms | SQLite /s | PostgreSQL /s | PostgreSQL / SQLite (throughput) |',
    );
    console.log('|---|---|---|---|---|---|');
    for (const op of Object.keys(onSqlite)) {
      const x = onSqlite[op]!;
      const y = onPg[op]!;
      console.log(
        `| ${op} | ${fmt(x.p50)} / ${fmt(x.p99)} | ${fmt(y.p50)} / ${fmt(y.p99)} | ${x.perSec.toFixed(0)} | ${y.perSec.toFixed(0)} | ${(y.perSec / x.perSec).toFixed(2)}× |`,
      );
    }
    console.log(
      `created on A → known by B (PostgreSQL NOTIFY → refresh), 50 jobs: p50 ${fmt(quantile(seen, 0.5))} ms, p99 ${fmt(quantile(seen, 0.99))} ms (including A's create)`,
    );
  } finally {
    await pg.remove();
  }
}

await main();
