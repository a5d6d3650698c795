// A throw-away PostgreSQL for interop tests (Debian's `postgresql`): initdb into a temp dir,
// started on 127.0.0.1 on a free port with its socket in that dir, stopped by PID. PostgreSQL
// refuses to run as root; as root (CI's .ci/run) both run as the `postgres` user through
// setpriv, which execs (the PID we hold is the server's own).
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir } from './peers.js';

export interface RunningPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  readonly url: string;
  readonly port: number;
  /** A URL for another database of this server, created on demand by {@link createDatabase}. */
  urlOf(database: string): string;
  createDatabase(name: string): Promise<string>;
  log(): string;
  /** Stops the server (SIGTERM, SIGKILL after 10 s); the data stay until {@link remove}. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** Stops it and deletes the data directory. */
  remove(): Promise<void>;
}

/** The bin directory of the newest installed PostgreSQL, if any. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

const asRoot = process.getuid?.() === 0;

/** The command prefix that runs a PostgreSQL binary as a user it accepts. */
function asPostgres(binary: string, args: string[]): { command: string; args: string[] } {
  if (!asRoot) return { command: binary, args };
  return {
    command: 'setpriv',
    args: ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', binary, ...args],
  };
}

export async function startPostgres(options: { timeoutMs?: number } = {}): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql/*/bin)');
  const dir = tempDir('pg');
  const data = join(dir.path, 'data');
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    if (!Number.isInteger(uid) || !Number.isInteger(gid))
      throw new Error('running as root, but no postgres user');
    chownSync(dir.path, uid, gid);
  }
  const init = asPostgres(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const r = spawnSync(init.command, init.args, { encoding: 'utf8', cwd: dir.path });
  if (r.status !== 0) {
    dir.remove();
    throw new Error(`initdb failed (${r.status}): ${r.stdout}${r.stderr}`);
  }
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let output = '';
  let child: ReturnType<typeof spawn> | undefined;

  const start = async (): Promise<void> => {
    // Durability off: a test database need not survive a power cut, and fsyncs are slow here.
    const cmd = asPostgres(join(bin, 'postgres'), [
      '-D',
      data,
      '-k',
      dir.path,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=100',
      '-c',
      'shared_buffers=16MB',
    ]);
    // cwd: a directory the postgres user may enter (CI's checkout may be under /root).
    const c = spawn(cmd.command, cmd.args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir.path });
    child = c;
    c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (c.exitCode !== null) throw new Error(`postgres exited with ${c.exitCode}:\n${output}`);
      const ready = spawnSync(join(bin, 'pg_isready'), [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
      ]);
      if (ready.status === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await stop();
    throw new Error(`postgres was not ready within ${options.timeoutMs ?? 60_000} ms:\n${output}`);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    // SIGINT is PostgreSQL's "fast shutdown": open sessions are ended, not waited for.
    c.kill('SIGINT');
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await start();
  } catch (err) {
    dir.remove();
    throw err;
  }
  const urlOf = (database: string): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url,
    port,
    urlOf,
    async createDatabase(name: string): Promise<string> {
      const psql = spawnSync(
        join(bin, 'psql'),
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          `CREATE DATABASE "${name}"`,
        ],
        { encoding: 'utf8' },
      );
      if (psql.status !== 0) throw new Error(`CREATE DATABASE ${name} failed: ${psql.stderr}`);
      return Promise.resolve(urlOf(name));
    },
    log: () => output,
    stop,
    restart: start,
    async remove(): Promise<void> {
      await stop();
      dir.remove();
    },
  };
}
