// The last-push state is stored in two forms (a PUT's body, or the families as JSON after a
// POST); both, and the switches between them, must give back the same groups after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './helpers.js';

let server: RunningServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function send(
  path: string,
  body: string | Buffer,
  method = 'PUT',
  headers: Record<string, string> = {},
) {
  const res = await fetch(server!.url + path, {
    method,
    body,
    headers: { 'content-type': 'text/plain; version=0.0.4', ...headers },
  });
  await res.text();
  return res.status;
}

/** The `/metrics` lines of the `keep` job's groups, push times included. */
async function groupLines(): Promise<string[]> {
  const text = await (await fetch(server!.url + '/metrics')).text();
  return text
    .split('\n')
    .filter((l) => l.includes('job="keep"'))
    .sort();
}

describe('last-push state across a restart', () => {
  it('gives back PUT, POST, mixed and failed groups exactly', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tally-push-persist-'));
    const flags = ['--data-dir', dir, '--storage', 'tsdb'];
    server = await startTestServer(flags);
    const gz = gzipSync('# HELP a_g The a.\n# TYPE a_g gauge\na_g{x="1"} 1\na_g{x="2"} +Inf\n');
    expect(await send('/metrics/job/keep/g/a', gz, 'PUT', { 'content-encoding': 'gzip' })).toBe(200);
    expect(await send('/metrics/job/keep/g/b', '# TYPE b_g gauge\nb_g 2\n')).toBe(200);
    expect(await send('/metrics/job/keep/g/b', '# TYPE b2_c counter\nb2_c_total 3\n', 'POST')).toBe(200);
    expect(await send('/metrics/job/keep/g/c', '# TYPE c_g gauge\nc_g{g="x"} NaN\n')).toBe(200);
    // A counter named like group a's gauge: refused, and group c keeps its families.
    expect(await send('/metrics/job/keep/g/c', '# TYPE a_g counter\na_g 1\n')).toBe(400);
    expect(await send('/metrics/job/keep/g/d', '# TYPE d_g gauge\nd_g 4\n', 'POST')).toBe(200);
    expect(await send('/metrics/job/keep/g/d', '# TYPE d2_g gauge\nd2_g 5\n')).toBe(200);
    expect(await send('/metrics/job/keep/g/e', '# TYPE e_g gauge\ne_g 6\n')).toBe(200);
    expect(await send('/metrics/job/keep/g/e', '# TYPE e_g gauge\ne_g 6\ne_g 7\n')).toBe(400);
    const before = await groupLines();
    expect(before.some((l) => l.startsWith('push_failure_time_seconds{g="c"'))).toBe(true);
    expect(before.filter((l) => l.startsWith('b'))).toHaveLength(2);
    expect(before.some((l) => l.startsWith('d_g'))).toBe(false);
    await server.close();
    server = await startTestServer(flags);
    expect(await groupLines()).toEqual(before);
    // The reloaded groups keep taking part in the consistency checks.
    expect(await send('/metrics/job/keep/g/f', '# TYPE c_g counter\nc_g 1\n')).toBe(400);
  });
});
