// A runnable example (`npm start` at the repository root): an app instrumented in the seed's
// style, serving its metrics on http://127.0.0.1:9464/metrics (PORT overrides the port).
import { collectDefaultMetrics, Counter, Gauge, Histogram, startMetricsServer, Summary } from '../index.js';

const requests = new Counter('my_requests_total', 'HTTP Failures', ['method', 'endpoint']);
const failures = new Counter('my_failures', 'Description of counter');
const inProgress = new Gauge('my_inprogress_requests', 'Description of gauge');
const latency = new Histogram('request_latency_seconds', 'Description of histogram', ['endpoint']);
const stepTime = new Summary('train_step_seconds', 'Time per training step', [], {
  percentiles: [0.5, 0.9, 0.99],
});
const objects = new Gauge('data_objects', 'Number of objects');
const myDict = new Map<string, number>();
objects.setFunction(() => myDict.size);
collectDefaultMetrics();

/** The seed's decorators (`@c.count_exceptions()`, `@g.track_inprogress()`, `@s.time()`), as TypeScript 5 decorators. */
class Service {
  @failures.countExceptions()
  @inProgress.trackInProgress()
  async handle(endpoint: string): Promise<void> {
    const end = latency.labels(endpoint).startTimer();
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
    end();
    requests.labels(endpoint === '/submit' ? 'post' : 'get', endpoint).inc();
    myDict.set(String(Math.floor(Math.random() * 100)), Date.now());
    if (Math.random() < 0.05) throw new Error('simulated failure');
  }

  @stepTime.time()
  trainStep(): number {
    let loss = 0;
    for (let i = 0; i < 10_000; i++) loss += Math.random() / 10_000;
    return loss;
  }
}

const service = new Service();
const endpoints = ['/', '/submit', '/users'];
const port = Number(process.env.PORT ?? 9464);
const server = await startMetricsServer({ port, host: '127.0.0.1' });
console.log(`serving metrics on http://127.0.0.1:${port}/metrics (Ctrl-C to stop)`);

const timer = setInterval(() => {
  const endpoint = endpoints[Math.floor(Math.random() * endpoints.length)]!;
  service.handle(endpoint).catch(() => undefined);
  service.trainStep();
}, 100);

const stop = (): void => {
  clearInterval(timer);
  server.close();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
