// Run by metrics-logger.test.ts in a child process: sets a value and never pushes. `exit`: the
// script just ends; `sigterm`: it keeps running until the test sends SIGTERM.
import { MetricsLogger } from '../src/metrics-logger/metrics-logger.js';

const logger: MetricsLogger = new MetricsLogger();
logger.addGauge('last_value');
logger['last_value'].set(3);
if (process.argv[2] === 'sigterm') {
  setInterval(() => undefined, 1000); // a job still working
  console.log('ready');
}
