import { describe, expect, it } from 'vitest';
import { ConfigError, resolveServeConfig } from '../src/config/serve-config.js';

describe('--wal-sync', () => {
  it("defaults to fsync, takes 'write' from the flag or TALLY_WAL_SYNC, and refuses anything else", () => {
    expect(resolveServeConfig([], {}).walSync).toBe('fsync');
    expect(resolveServeConfig(['--wal-sync', 'write'], {}).walSync).toBe('write');
    expect(resolveServeConfig([], { TALLY_WAL_SYNC: 'write' }).walSync).toBe('write');
    expect(() => resolveServeConfig(['--wal-sync', 'never'], {})).toThrow(ConfigError);
    expect(() => resolveServeConfig(['--wal-sync', 'never'], {})).toThrow(
      /wal-sync.*expected one of fsync, write/,
    );
  });
});
