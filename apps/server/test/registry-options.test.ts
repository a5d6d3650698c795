import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveHelp } from '../src/config/help.js';
import { ConfigError, resolveServeConfig } from '../src/config/serve-config.js';
import { redactUrl } from '../src/registry/open-registry.js';

describe('--registry', () => {
  it('defaults to SQLite with a 30 s refresh', () => {
    expect(resolveServeConfig([], {}).registry).toEqual({
      postgresUrl: undefined,
      refreshIntervalMs: 30_000,
    });
  });

  it('takes a postgres:// URL from the flag, TALLY_REGISTRY or the config file', () => {
    const url = 'postgres://tally:secret@db.example:5432/tally';
    expect(resolveServeConfig(['--registry', url], {}).registry.postgresUrl).toBe(url);
    expect(resolveServeConfig([], { TALLY_REGISTRY: 'postgresql://db/t' }).registry.postgresUrl).toBe(
      'postgresql://db/t',
    );
    const dir = mkdtempSync(join(tmpdir(), 'tally-registry-config-'));
    try {
      const file = join(dir, 'tally.json');
      writeFileSync(file, JSON.stringify({ registry: url, 'registry-refresh-interval': '5s' }));
      expect(resolveServeConfig(['--config', file], {}).registry).toEqual({
        postgresUrl: url,
        refreshIntervalMs: 5000,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(
      resolveServeConfig(['--registry', 'sqlite', '--registry-refresh-interval', '0'], {}).registry,
    ).toEqual({
      postgresUrl: undefined,
      refreshIntervalMs: 0,
    });
  });

  it.each([
    [['--registry', 'mysql://db/x'], 'expected "sqlite" or a postgres:// URL, got the scheme mysql:'],
    [['--registry', 'db.example'], 'expected "sqlite" or a postgres:// URL, got "db.example"'],
    [['--registry-refresh-interval', 'often'], '--registry-refresh-interval:'],
  ])('refuses %j', (argv, message) => {
    expect(() => resolveServeConfig(argv, {})).toThrow(ConfigError);
    expect(() => resolveServeConfig(argv, {})).toThrow(message);
  });

  it('is in tally serve --help, and passwords stay out of logs', () => {
    expect(serveHelp()).toContain('--registry <string>    [TALLY_REGISTRY]');
    expect(serveHelp()).toContain('--registry-refresh-interval <duration>');
    expect(redactUrl('postgres://tally:secret@db:5432/t')).toBe('postgres://tally:***@db:5432/t');
    expect(redactUrl('postgres://db/t')).toBe('postgres://db/t');
  });
});
