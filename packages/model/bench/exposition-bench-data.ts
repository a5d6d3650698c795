// A realistic 10 000-series exposition: labelled request counters, gauges and histograms.
import { labelsFromRecord, type ExposedSample, type MetricFamily } from '../src/index.js';

const methods = ['get', 'post', 'put', 'delete'];
const statuses = ['200', '201', '400', '404', '500'];
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1.0', '2.5', '5.0', '10.0', '+Inf'];

export function benchFamilies(): MetricFamily[] {
  const counter: ExposedSample[] = [];
  for (let i = 0; counter.length < 6000; i++) {
    for (const method of methods) {
      const labels = labelsFromRecord({
        method,
        path: `/api/v1/jobs/${i}/metrics`,
        status: statuses[i % statuses.length]!,
        instance: `worker-${i % 16}:9100`,
      });
      counter.push({ name: 'http_requests_total', labels, value: i * 17 + method.length });
    }
  }
  const gauge: ExposedSample[] = [];
  for (let i = 0; i < 2000; i++) {
    gauge.push({
      name: 'job_queue_depth',
      labels: labelsFromRecord({ job: `train-${i}`, queue: i % 2 ? 'gpu' : 'cpu' }),
      value: (i * 0.37) % 100,
    });
  }
  const histogram: ExposedSample[] = [];
  for (let i = 0; histogram.length < 2000 - 14; i++) {
    const base = { route: `/predict/${i}`, model: `resnet-${i % 5}` };
    let cumulative = 0;
    for (const le of BUCKETS) {
      cumulative += (i % 7) + 1;
      histogram.push({
        name: 'request_duration_seconds_bucket',
        labels: labelsFromRecord({ ...base, le }),
        value: cumulative,
      });
    }
    histogram.push({
      name: 'request_duration_seconds_sum',
      labels: labelsFromRecord(base),
      value: cumulative * 0.42,
    });
    histogram.push({
      name: 'request_duration_seconds_count',
      labels: labelsFromRecord(base),
      value: cumulative,
    });
  }
  return [
    { name: 'http_requests', type: 'counter', help: 'HTTP requests served.', samples: counter },
    { name: 'job_queue_depth', type: 'gauge', help: 'Items waiting per job.', samples: gauge },
    {
      name: 'request_duration_seconds',
      type: 'histogram',
      help: 'Request latency.',
      unit: 'seconds',
      samples: histogram,
    },
  ];
}
