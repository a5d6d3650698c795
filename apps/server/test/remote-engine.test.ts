import { describe, expect, it } from 'vitest';
import { deleteUrlFor, flushUrlFor } from '../src/storage/remote/remote-engine.js';
import { resolveRemoteServeConfig } from '../src/storage/remote/remote-serve-options.js';

describe('engine URLs', () => {
  it.each([
    [
      'victoriametrics',
      'http://vm:8428',
      'http://vm:8428/api/v1/admin/tsdb/delete_series',
      'http://vm:8428/internal/force_flush',
    ],
    [
      'victoriametrics',
      'http://vmselect:8481/select/7:2/prometheus/',
      'http://vmselect:8481/delete/7:2/prometheus/api/v1/admin/tsdb/delete_series',
      undefined,
    ],
    ['prometheus', 'http://p:9090', 'http://p:9090/api/v1/admin/tsdb/delete_series', undefined],
    ['mimir', 'http://mimir/prometheus', undefined, undefined],
    ['thanos', 'http://q:10902', undefined, undefined],
  ] as const)('%s at %s', (engine, queryUrl, del, flush) => {
    expect(deleteUrlFor(engine, queryUrl)?.toString()).toBe(del);
    expect(flushUrlFor(engine, queryUrl)?.toString()).toBe(flush);
  });
});

describe('remote serve options', () => {
  const get = (values: Record<string, string>) => (flag: string) => values[flag];
  it('resolves remote storage with auth, headers and TLS', () => {
    const c = resolveRemoteServeConfig(
      get({
        'remote-write-url': 'http://vm:8428/api/v1/write',
        'remote-query-url': 'http://vm:8428',
        'remote-header': 'X-Scope-OrgID: team-a,X-Other=1',
        'remote-basic-auth': 'u:p:w',
        'remote-tls-ca-file': '/ca.pem',
        'remote-shards': '8',
      }),
      'remote',
    );
    expect(c.remote).toMatchObject({
      engine: 'victoriametrics',
      writeUrl: 'http://vm:8428/api/v1/write',
      forwardQueries: true,
      shards: 8,
      maxQueueBytes: 1 << 30,
      http: {
        headers: { 'X-Scope-OrgID': 'team-a', 'X-Other': '1' },
        basicAuth: { username: 'u', password: 'p:w' },
        tlsCaFile: '/ca.pem',
      },
    });
    expect(c.forward).toBeUndefined();
  });
  it.each([
    [{}, 'remote', 'remote storage needs --remote-write-url'],
    [{ 'remote-write-url': 'http://x/api/v1/write' }, 'remote', 'remote storage needs --remote-query-url'],
    [{ 'remote-write-url': 'vm:8428' }, 'remote', 'expected an http(s) URL'],
    [{ 'remote-write-url': 'http://x/w' }, 'tsdb', 'only used with --storage remote'],
    [{ 'remote-engine': 'influx' }, 'tsdb', 'expected one of victoriametrics'],
    [{ 'remote-header': 'nocolon' }, 'tsdb', 'expected "Name: value"'],
    [{ 'remote-shards': '0' }, 'tsdb', 'from 1 to 256'],
    [
      { 'remote-write-url': 'http://x/w', 'remote-query-url': 'http://x', 'forward-write-url': 'http://y/w' },
      'remote',
      'does not combine with --storage remote',
    ],
  ])('refuses %j with storage %s', (values, storage, message) => {
    expect(() => resolveRemoteServeConfig(get(values), storage)).toThrow(message);
  });
});
