import { ConfigError, resolveServeConfig } from '../config/serve-config.js';
import { serveHelp } from '../config/help.js';
import { createLogger } from '../log/logger.js';
import { startServer } from '../server.js';

/** `tally serve`: resolves the config, starts, and shuts down gracefully on SIGTERM/SIGINT. */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(serveHelp());
    return 0;
  }
  let config;
  try {
    config = resolveServeConfig(argv, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tally serve: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let server;
  try {
    server = await startServer(config, log);
  } catch (err) {
    log.error('tally serve could not start', { err });
    return err instanceof ConfigError ? 2 : 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      log.info('shutting down', { signal });
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await server.close();
  return 0;
}
