import { envName, OPTIONS } from './options.js';

/** The text of `tally serve --help`, generated from the option table so it cannot drift. */
export function serveHelp(): string {
  const lines = [
    'Usage: tally serve [flags]',
    '',
    'Starts the Tally platform: Pushgateway-compatible push API, StatsD, Prometheus remote write,',
    'the Prometheus query API, the jobs API and the web UI, on one HTTP port and one UDP port.',
    '',
    'Every flag can also be set by its environment variable or by a key of the --config JSON file;',
    'precedence: flag > environment > config file > default.',
  ];
  for (const group of ['Server', 'Storage', 'Auth', 'Ingest', 'Limits', 'Query'] as const) {
    lines.push('', `${group}:`);
    for (const o of OPTIONS.filter((x) => x.group === group)) {
      const value = o.kind === 'boolean' ? '' : ` <${o.kind}>`;
      const def = o.defaultValue !== undefined && o.kind !== 'boolean' ? ` (default ${o.defaultValue})` : '';
      lines.push(`  --${o.flag}${value}    [${envName(o.flag)}]`, `      ${o.help}${def}`);
    }
  }
  lines.push(
    '',
    'Endpoints: GET /-/ready, /-/healthy, /metrics; /metrics/job/<job>{/<label>/<value>} (PUT, POST, DELETE);',
    'POST /api/v1/write; /api/v1/query, /query_range, /series, /labels, /label/<name>/values, /metadata;',
    '/api/v1/jobs; the UI at /. See apps/server/README.md.',
  );
  return lines.join('\n') + '\n';
}
