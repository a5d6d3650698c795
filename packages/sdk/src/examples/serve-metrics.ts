// A runnable example (`npm start` at the repository root): an app with a few metrics in the
// seed's style, served on http://127.0.0.1:9464/metrics (PORT overrides the port).
import { collectDefaultMetrics, Counter, Gauge, Histogram, startMetricsServer, Summary } from '../index.js';

const requests = new Counter('my_requests_total', 'HTTP Failures', ['method', 'endpoint']);
const failures = new Counter('my_failures', 'Description of counter');
const inProgress = new Gauge('my_inprogress_requests', 'Description of gauge');
const latency = new Histogram('request_latency_seconds', 'Description of histogram', ['endpoint']);
const size = new Summary('response_size_bytes', 'Size of responses', [], { percentiles: [0.5, 0.9, 0.99] });
const objects = new Gauge('data_objects', 'Number of objects');
const myDict = new Map<string, number>();
objects.setFunction(() => myDict.size);
collectDefaultMetrics();

const endpoints = ['/', '/submit', '/users'];
const handle = failures.countExceptions(async (endpoint: string): Promise<void> => {
  await inProgress.trackInProgress(async () => {
    const end = latency.labels(endpoint).startTimer();
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
    end();
  })();
  requests.labels(endpoint === '/submit' ? 'post' : 'get', endpoint).inc();
  size.observe(200 + Math.round(Math.random() * 800));
  myDict.set(String(Math.floor(Math.random() * 100)), Date.now());
  if (Math.random() < 0.05) throw new Error('simulated failure');
});

const port = Number(process.env.PORT ?? 9464);
const server = await startMetricsServer({ port, host: '127.0.0.1' });
console.log(`serving metrics on http://127.0.0.1:${port}/metrics (Ctrl-C to stop)`);

const timer = setInterval(() => {
  const endpoint = endpoints[Math.floor(Math.random() * endpoints.length)]!;
  handle(endpoint).catch(() => undefined);
}, 100);

const stop = (): void => {
  clearInterval(timer);
  server.close();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
