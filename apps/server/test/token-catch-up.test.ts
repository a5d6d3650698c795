import type { IncomingMessage } from 'node:http';
import { describe, expect, test, vi, type Mock } from 'vitest';
import { Auth, hashToken } from '../src/auth/auth.js';
import { SqliteRegistry } from '../src/registry/sqlite-registry.js';
import { TokenCatchUp } from '../src/registry/token-catch-up.js';
import { job } from './registry-conformance.js';

const req = (token?: string): IncomingMessage =>
  ({
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  }) as unknown as IncomingMessage;

async function setup(): Promise<{
  registry: SqliteRegistry;
  auth: Auth;
  refresh: Mock<() => Promise<void>>;
}> {
  const registry = new SqliteRegistry(':memory:');
  await registry.createJob(job('j'), hashToken('issued-elsewhere'));
  return {
    registry,
    auth: new Auth(['admin'], []),
    refresh: vi.fn<() => Promise<void>>(() => Promise.resolve()),
  };
}

describe('TokenCatchUp', () => {
  test('a token stored by another instance triggers a refresh before the request is answered', async () => {
    const { registry, auth, refresh } = await setup();
    const c = new TokenCatchUp(registry, auth, refresh);
    await c.check(req('issued-elsewhere'));
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  test('known tokens, requests without one and open servers cost nothing', async () => {
    const { registry, auth, refresh } = await setup();
    const lookups = vi.spyOn(registry, 'hasPushToken');
    await new TokenCatchUp(registry, auth, refresh).check(req('admin'));
    await new TokenCatchUp(registry, auth, refresh).check(req());
    await new TokenCatchUp(registry, new Auth([], []), refresh).check(req('whatever'));
    expect(lookups).not.toHaveBeenCalled();
    expect(refresh).not.toHaveBeenCalled();
  });

  test('a token found nowhere is looked up once per miss period, and misses are bounded', async () => {
    const { registry, auth, refresh } = await setup();
    const lookups = vi.spyOn(registry, 'hasPushToken');
    const c = new TokenCatchUp(registry, auth, refresh, { missTtlMs: 60_000, maxMisses: 2 });
    await c.check(req('bad-1'));
    await c.check(req('bad-1'));
    expect(lookups).toHaveBeenCalledTimes(1);
    await c.check(req('bad-2'));
    await c.check(req('bad-3')); // bad-1, the oldest miss, is forgotten
    await c.check(req('bad-1'));
    expect(lookups).toHaveBeenCalledTimes(4);
    expect(refresh).not.toHaveBeenCalled();
  });

  test('a database that cannot answer leaves the answer to what is known', async () => {
    const { registry, auth, refresh } = await setup();
    vi.spyOn(registry, 'hasPushToken').mockRejectedValue(new Error('down'));
    await new TokenCatchUp(registry, auth, refresh).check(req('issued-elsewhere'));
    expect(refresh).not.toHaveBeenCalled();
  });
});
