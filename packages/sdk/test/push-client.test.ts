import { afterEach, describe, expect, it } from 'vitest';
import { Pushgateway } from '../src/push/pushgateway.js';
import { PushgatewayError } from '../src/push/pushgateway-error.js';
import { Counter } from '../src/metrics/counter.js';
import { Registry } from '../src/registry/registry.js';
import { recordingServer, textRegistry } from './push-helpers.js';

const TEXT = '# TYPE a counter\na_total 1\n';
const PROM = 'text/plain; version=0.0.4; charset=utf-8';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function server(...args: Parameters<typeof recordingServer>) {
  const s = await recordingServer(...args);
  cleanups.push(s.close);
  return s;
}

describe('Pushgateway client', () => {
  it('PUTs, POSTs and DELETEs the group, with a Content-Type on every request', async () => {
    const s = await server();
    const gw = new Pushgateway(s.url, {}, textRegistry(TEXT));
    await gw.push({ jobName: 'train', groupings: { run: 'r/1' } });
    await gw.pushAdd({ job: 'train', groupingKey: { run: 'r/1' } });
    await gw.delete({ jobName: 'train', groupings: { run: 'r/1' } });
    expect(s.requests.map((r) => [r.method, r.path, r.headers['content-type'], r.body])).toEqual([
      ['PUT', '/metrics/job/train/run@base64/ci8x', PROM, TEXT],
      ['POST', '/metrics/job/train/run@base64/ci8x', PROM, TEXT],
      ['DELETE', '/metrics/job/train/run@base64/ci8x', PROM, ''],
    ]);
  });

  it('keeps gzip on every push, before and after a delete (prom-client loses it)', async () => {
    const s = await server();
    const gw = new Pushgateway(s.url, { gzip: true }, textRegistry(TEXT));
    await gw.push({ jobName: 'j' });
    await gw.delete({ jobName: 'j' });
    await gw.pushAdd({ jobName: 'j' });
    expect(s.requests.map((r) => [r.method, r.headers['content-encoding'], r.body])).toEqual([
      ['PUT', 'gzip', TEXT],
      ['DELETE', undefined, ''],
      ['POST', 'gzip', TEXT],
    ]);
  });

  it('sends basic auth (from options or the URL), bearer tokens and extra headers', async () => {
    const s = await server();
    await new Pushgateway(s.url, { auth: { username: 'u', password: 'p:w' } }, textRegistry(TEXT)).push({
      jobName: 'j',
    });
    const withCredentials = s.url.replace('http://', 'http://alice:s%40cret@');
    await new Pushgateway(withCredentials, {}, textRegistry(TEXT)).push({ jobName: 'j' });
    await new Pushgateway(
      s.url,
      { bearerToken: 'tok', headers: { 'X-Team': 'ml' } },
      textRegistry(TEXT),
    ).push({
      jobName: 'j',
    });
    expect(s.requests.map((r) => r.headers.authorization)).toEqual([
      `Basic ${Buffer.from('u:p:w').toString('base64')}`,
      `Basic ${Buffer.from('alice:s@cret').toString('base64')}`,
      'Bearer tok',
    ]);
    expect(s.requests[2]!.headers['x-team']).toBe('ml');
  });

  it('keeps a path prefix of the gateway URL', async () => {
    const s = await server();
    await new Pushgateway(`${s.url}/pgw/`, {}, textRegistry(TEXT)).push({ jobName: 'j' });
    expect(s.requests[0]!.path).toBe('/pgw/metrics/job/j');
  });

  it("turns a non-2xx reply into a PushgatewayError with the status and the server's message", async () => {
    const s = await server(() => ({ status: 400, body: 'text format parsing error in line 1: bad\n' }));
    const gw = new Pushgateway(s.url, {}, textRegistry('garbage{'));
    const error = await gw.push({ jobName: 'j' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushgatewayError);
    expect(error).toMatchObject({
      status: 400,
      body: 'text format parsing error in line 1: bad\n',
      method: 'PUT',
      url: `${s.url}/metrics/job/j`,
    });
    expect((error as Error).message).toBe(
      `Pushgateway PUT ${s.url}/metrics/job/j answered 400: text format parsing error in line 1: bad`,
    );
  });

  it('reports a refused connection and a timeout as PushgatewayError without a status', async () => {
    const s = await server();
    const url = s.url;
    await s.close();
    cleanups.pop();
    const refused = await new Pushgateway(url, {}, textRegistry(TEXT))
      .push({ jobName: 'j' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PushgatewayError);
    expect(refused).toMatchObject({ status: undefined });

    const { createServer } = await import('node:http');
    const hanging = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          hanging.closeAllConnections();
          hanging.close(() => resolve());
        }),
    );
    const address = hanging.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const timedOut = await new Pushgateway(`http://127.0.0.1:${port}`, { timeoutMs: 100 }, textRegistry(TEXT))
      .push({ jobName: 'j' })
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(PushgatewayError);
    expect((timedOut as Error).message).toMatch(/timed out after 100 ms/);
  });

  it('pushes a Tally Registry as Prometheus text even when it is set to OpenMetrics', async () => {
    const s = await server();
    const registry = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
    new Counter({ name: 'steps', help: 'Steps', registers: [registry] }).inc(3);
    await new Pushgateway(s.url, {}, registry).push({ jobName: 'j' });
    expect(s.requests[0]!.headers['content-type']).toBe(PROM);
    expect(s.requests[0]!.body).toContain('steps_total 3');
    expect(s.requests[0]!.body).not.toContain('# EOF');
  });

  it('labels an OpenMetrics body from a registry that ignores the format argument', async () => {
    const s = await server();
    await new Pushgateway(s.url, {}, textRegistry('# TYPE a counter\na_total 1\n# EOF\n')).push({
      jobName: 'j',
    });
    expect(s.requests[0]!.headers['content-type']).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
  });

  it('refuses bad configuration at construction', () => {
    expect(() => new Pushgateway('not a url')).toThrow(/not a URL/);
    expect(() => new Pushgateway('ftp://x')).toThrow(/http/);
    expect(() => new Pushgateway('http://x', { timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new Pushgateway('http://u:p@x', { bearerToken: 't' })).toThrow(/not both/);
    expect(() => new Pushgateway('http://x').url({})).toThrow(/jobName/);
  });
});
