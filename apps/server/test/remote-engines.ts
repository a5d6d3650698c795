// Starts the remote engines the remote-storage interop suites run against: Debian's
// victoria-metrics and prometheus, each on 127.0.0.1, a free port and a temporary data dir.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startPeer, tempDir, which, type RunningPeer } from '../../../test-support/peers.js';
import type { RemoteEngine } from '../src/storage/remote/index.js';

export interface EngineUnderTest {
  readonly engine: RemoteEngine;
  readonly port: number;
  readonly writeUrl: string;
  readonly queryUrl: string;
  readonly peer: RunningPeer;
  /** Stops the engine (keeping its data). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

export const ENGINE_BINARIES: Record<'victoriametrics' | 'prometheus', string> = {
  victoriametrics: 'victoria-metrics',
  prometheus: 'prometheus',
};

export function engineInstalled(engine: 'victoriametrics' | 'prometheus'): boolean {
  return which(ENGINE_BINARIES[engine]) !== undefined;
}

export async function startEngine(engine: 'victoriametrics' | 'prometheus'): Promise<EngineUnderTest> {
  const dir = tempDir(`remote-${engine}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const launch = (): Promise<RunningPeer> => {
    if (engine === 'victoriametrics') {
      return startPeer({
        command: ENGINE_BINARIES.victoriametrics,
        args: [
          `-httpListenAddr=127.0.0.1:${port}`,
          `-storageDataPath=${join(dir.path, 'data')}`,
          // Fresh samples queryable at once; samples from 1970 (the conformance suite's) kept.
          '-search.latencyOffset=0s',
          '-search.disableCache',
          '-retentionPeriod=100y',
          '-loggerLevel=ERROR',
        ],
        url,
        readyPath: '/health',
      });
    }
    const config = join(dir.path, 'prometheus.yml');
    // No scrape jobs: a self-scrape would move the head to "now" and refuse old samples.
    writeFileSync(config, 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
    return startPeer({
      command: ENGINE_BINARIES.prometheus,
      args: [
        `--config.file=${config}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.path=${join(dir.path, 'data')}`,
        '--web.enable-remote-write-receiver',
        '--web.enable-admin-api',
        '--log.level=error',
      ],
      url,
      readyPath: '/-/ready',
    });
  };
  let peer = await launch();
  const handle: EngineUnderTest = {
    engine,
    port,
    writeUrl: `${url}/api/v1/write`,
    queryUrl: url,
    get peer() {
      return peer;
    },
    stop: () => peer.stop(),
    restart: async () => {
      peer = await launch();
    },
    destroy: async () => {
      await peer.stop();
      dir.remove();
    },
  };
  return handle;
}
