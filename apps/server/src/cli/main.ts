#!/usr/bin/env -S node --min-semi-space-size=16
// The node flags on the line above are the server's (see node-flags.ts): the package's `tally`
// command and the root's `npm start` run with them; so does the bench.
// First: V8 tuning that must apply before the server's code runs (see v8-tiering.ts).
import './v8-tiering.js';
import { jobsCommand } from './jobs-command.js';
import { serveCommand } from './serve-command.js';

const HELP = `Usage: tally <command>

Commands:
  serve     start the Tally server (tally serve --help for every flag)
  jobs      create, list, show and delete jobs on a running server (tally jobs --help)
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serveCommand(rest);
    case 'jobs':
      return jobsCommand(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`tally: unknown command ${JSON.stringify(command)}\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tally: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
