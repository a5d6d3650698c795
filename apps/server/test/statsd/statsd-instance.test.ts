import { createSocket } from 'node:dgram';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveServeConfig } from '../../src/config/serve-config.js';
import { withInstance } from '../../src/ingest/statsd/statsd-ingest.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers.js';
import { latest, until } from './statsd-test-kit.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function send(port: number, lines: string[]): Promise<void> {
  const socket = createSocket('udp4');
  for (const line of lines)
    await new Promise<void>((resolve, reject) =>
      socket.send(line, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
    );
  socket.close();
}

describe('the instance label of StatsD-derived series', () => {
  it('defaults to <hostname>:<StatsD port> in embedded mode too', async () => {
    server = await startTestServer(['--statsd-listen', '127.0.0.1:0', '--statsd-flush-interval', '50ms']);
    await send(server.statsdPort!, ['hits:1|c|#job:inst']);
    const key = `__name__=hits,instance=${hostname()}:${server.statsdPort},job=inst`;
    await until(async () => ((await latest(server!, 'hits')).get(key) === 1 ? true : undefined));
  });

  it('is --instance-name when given, on every series of a histogram too', async () => {
    server = await startTestServer([
      '--statsd-listen',
      '127.0.0.1:0',
      '--statsd-flush-interval',
      '50ms',
      '--instance-name',
      'tally-a',
    ]);
    await send(server.statsdPort!, ['lat:20|ms|#job:inst']);
    const buckets = await until(async () => {
      const m = await latest(server!, 'lat_bucket');
      return m.size === 12 ? m : undefined;
    });
    for (const key of buckets.keys()) expect(key).toMatch(/,instance=tally-a,job=inst,le=/);
    expect([...(await latest(server, 'lat_count')).keys()]).toEqual([
      '__name__=lat_count,instance=tally-a,job=inst',
    ]);
  });

  it("keeps a client's own instance tag as exported_instance", async () => {
    server = await startTestServer([
      '--statsd-listen',
      '127.0.0.1:0',
      '--statsd-flush-interval',
      '50ms',
      '--instance-name',
      'tally-a',
    ]);
    await send(server.statsdPort!, ['up_down:2|g|#job:inst,instance:worker-3']);
    const key = '__name__=up_down,exported_instance=worker-3,instance=tally-a,job=inst';
    await until(async () => ((await latest(server!, 'up_down')).get(key) === 2 ? true : undefined));
  });

  it('withInstance renames clashing tags as Prometheus does (exported_, then exported_exported_)', () => {
    expect(withInstance({ a: '1' }, 'me')).toEqual({ a: '1', instance: 'me' });
    expect(withInstance({ instance: 'x', exported_instance: 'y' }, 'me')).toEqual({
      instance: 'me',
      exported_instance: 'y',
      exported_exported_instance: 'x',
    });
  });

  it('is a flag, an environment variable and a config key; blank means the default', () => {
    expect(resolveServeConfig(['--instance-name', 'a:1']).instanceName).toBe('a:1');
    expect(resolveServeConfig([], { TALLY_INSTANCE_NAME: 'b' }).instanceName).toBe('b');
    expect(resolveServeConfig(['--instance-name', ' ']).instanceName).toBeUndefined();
    expect(resolveServeConfig([]).instanceName).toBeUndefined();
  });
});
