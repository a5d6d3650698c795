import { tokenFromEnv } from './client-env.js';

const HELP = `Usage: tally jobs <command> [flags]

Talks to a running tally serve (--url, default $TALLY_URL or http://127.0.0.1:9091;
--token, default $TALLY_TOKEN: the admin token when the server has one).

Commands:
  create <name> --kind experiment|deployment|notebook [--description TEXT] [--metric NAME ...] [--strict]
         [--scrape URL ...] [--scrape-interval SECONDS]   (targets the server scrapes for the job)
  list
  show <name>
  delete <name>
`;

interface Flags {
  url: string;
  token: string | undefined;
  kind: string;
  description: string | undefined;
  metrics: string[];
  strict: boolean;
  scrape: string[];
  scrapeIntervalSeconds: number | undefined;
  json: boolean;
  positional: string[];
}

function parse(argv: readonly string[]): Flags {
  const f: Flags = {
    url: process.env.TALLY_URL ?? 'http://127.0.0.1:9091',
    token: tokenFromEnv(),
    kind: 'experiment',
    description: undefined,
    metrics: [],
    strict: false,
    scrape: [],
    scrapeIntervalSeconds: undefined,
    json: false,
    positional: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--url') f.url = next();
    else if (a === '--token') f.token = next();
    else if (a === '--kind') f.kind = next();
    else if (a === '--description') f.description = next();
    else if (a === '--metric' || a === '--metrics') f.metrics.push(...next().split(','));
    else if (a === '--strict') f.strict = true;
    else if (a === '--scrape') f.scrape.push(next());
    else if (a === '--scrape-interval') {
      const v = next();
      const seconds = Number(v);
      if (!/^\d+(\.\d+)?$/.test(v) || !(seconds > 0))
        throw new Error(`--scrape-interval: expected seconds, got ${v}`);
      f.scrapeIntervalSeconds = seconds;
    } else if (a === '--json') f.json = true;
    else if (a.startsWith('--')) throw new Error(`unknown flag ${a}`);
    else f.positional.push(a);
  }
  return f;
}

async function call(f: Flags, method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (f.token) headers.authorization = `Bearer ${f.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(f.url.replace(/\/$/, '') + path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  if (!res.ok) {
    const msg =
      typeof parsed === 'object' && parsed !== null && 'error' in parsed ? String(parsed.error) : text;
    throw new Error(`${res.status}: ${msg}`);
  }
  return parsed;
}

interface JobJson {
  id: string;
  kind: string;
  seriesCount: number;
  metricCount: number;
  lastPushAt: string | null;
  declaredMetrics: string[];
  scrapeTargets?: { url: string; intervalSeconds: number }[];
  description: string;
  strict: boolean;
  createdAt: string;
  metrics?: {
    name: string;
    type: string;
    seriesCount: number;
    lastValue: string | null;
    declared: boolean;
  }[];
}

/** `tally jobs create|list|show|delete`. */
export async function jobsCommand(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || rest.includes('--help')) {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  const f = parse(rest);
  const name = f.positional[0];
  const out = (s: string): boolean => process.stdout.write(s + '\n');
  try {
    switch (command) {
      case 'create': {
        if (!name) throw new Error('create needs a job name');
        const r = (await call(f, 'POST', '/api/v1/jobs', {
          name,
          kind: f.kind,
          metrics: f.metrics,
          strict: f.strict,
          ...(f.scrape.length === 0
            ? {}
            : {
                scrapeTargets: f.scrape.map((url) => ({
                  url,
                  ...(f.scrapeIntervalSeconds === undefined
                    ? {}
                    : { intervalSeconds: f.scrapeIntervalSeconds }),
                })),
              }),
          ...(f.description === undefined ? {} : { description: f.description }),
        })) as { job: JobJson; pushToken: string };
        if (f.json) out(JSON.stringify(r, null, 2));
        else out(`created job ${r.job.id} (${r.job.kind})\npush token: ${r.pushToken}`);
        return 0;
      }
      case 'list': {
        const r = (await call(f, 'GET', '/api/v1/jobs')) as { jobs: JobJson[] };
        if (f.json) out(JSON.stringify(r, null, 2));
        else {
          out(['JOB', 'KIND', 'METRICS', 'SERIES', 'LAST PUSH'].join('\t'));
          for (const j of r.jobs)
            out([j.id, j.kind, j.metricCount, j.seriesCount, j.lastPushAt ?? '-'].join('\t'));
        }
        return 0;
      }
      case 'show': {
        if (!name) throw new Error('show needs a job name');
        const r = (await call(f, 'GET', `/api/v1/jobs/${encodeURIComponent(name)}`)) as { job: JobJson };
        if (f.json) out(JSON.stringify(r, null, 2));
        else {
          const j = r.job;
          out(
            `job ${j.id} (${j.kind})${j.strict ? ' strict' : ''}, created ${j.createdAt}, last push ${j.lastPushAt ?? 'never'}`,
          );
          if (j.description) out(j.description);
          out(`declared metrics: ${j.declaredMetrics.join(', ') || 'none'}`);
          for (const t of j.scrapeTargets ?? []) out(`scrapes ${t.url} every ${t.intervalSeconds}s`);
          out(['METRIC', 'TYPE', 'SERIES', 'LAST VALUE', 'DECLARED'].join('\t'));
          for (const m of j.metrics ?? [])
            out([m.name, m.type, m.seriesCount, m.lastValue ?? '-', m.declared ? 'yes' : 'no'].join('\t'));
        }
        return 0;
      }
      case 'delete': {
        if (!name) throw new Error('delete needs a job name');
        await call(f, 'DELETE', `/api/v1/jobs/${encodeURIComponent(name)}`);
        out(`deleted job ${name}`);
        return 0;
      }
      default:
        throw new Error(`unknown command ${command}\n\n${HELP}`);
    }
  } catch (err) {
    process.stderr.write(`tally jobs ${command}: ${(err as Error).message}\n`);
    return 1;
  }
}
