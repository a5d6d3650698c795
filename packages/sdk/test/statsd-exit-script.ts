// Run by statsd-socket.test.ts in a child process: sends and never calls close(). The process
// must still exit on its own (unref'd socket and timer) and the lines must still arrive.
import { StatsdClient } from '../src/statsd/statsd-client.js';

const client = new StatsdClient({ port: Number(process.argv[2]), flushInterval: 60_000 });
client.increment('short');
client.gauge('short_gauge', 3);
