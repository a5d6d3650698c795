import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startPeer, tempDir, which } from '../../../../test-support/peers.js';
import { remoteWrite, type SeriesData } from './remote-write.js';

export interface PrometheusPeer {
  readonly url: string;
  write(series: readonly SeriesData[]): Promise<void>;
  /** GET an API path; returns the parsed JSON body (success or error). */
  api(path: string, params: Record<string, string>): Promise<PrometheusResponse>;
  stop(): Promise<void>;
}

export interface PrometheusResponse {
  status: 'success' | 'error';
  data?: unknown;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

export const prometheusBinary = (): string | undefined => which('prometheus');

/** Debian's Prometheus on 127.0.0.1 with no scrape jobs, a temp TSDB and the remote-write receiver. */
export async function startPrometheus(): Promise<PrometheusPeer> {
  const dir = tempDir('promql-prom');
  const config = join(dir.path, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
  const port = await freePort();
  const peer = await startPeer({
    command: prometheusBinary() ?? 'prometheus',
    args: [
      `--config.file=${config}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.tsdb.path=${join(dir.path, 'data')}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ],
    url: `http://127.0.0.1:${port}`,
    readyPath: '/-/ready',
  });
  return {
    url: peer.url,
    write: (series) => remoteWrite(`${peer.url}/api/v1/write`, series),
    api: async (path, params) => {
      const res = await fetch(`${peer.url}${path}?${new URLSearchParams(params).toString()}`);
      return (await res.json()) as PrometheusResponse;
    },
    stop: async () => {
      await peer.stop();
      dir.remove();
    },
  };
}
