// The seed's MetricsLogger example against Debian's real prometheus-pushgateway on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable, type RunningPeer } from '../../../test-support/peers.js';
import { pushgatewayInstalled, startPushgateway } from '../../../test-support/pushgateway.js';
import { MetricsLogger } from '../src/metrics-logger/metrics-logger.js';

const run = peerAvailable('prometheus-pushgateway', pushgatewayInstalled());

describe.skipIf(!run)('MetricsLogger against prometheus-pushgateway', () => {
  let peer: RunningPeer;
  beforeAll(async () => {
    peer = await startPushgateway('pgw-logger');
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it('pushes the seed example as one group; each push replaces it', async () => {
    const logger: MetricsLogger = new MetricsLogger({
      groupingKey: { ProjectA: 'SomeLabel' },
      env: { PAPERSPACE_METRIC_PUSHGATEWAY: peer.url, PAPERSPACE_METRIC_WORKLOAD_ID: 'wl-42' },
      pushOnExit: false,
    });
    logger.addGauge('Gauge');
    logger.addCounter('Counter');
    for (const randNum of [17, 63]) {
      logger['Gauge'].set(randNum);
      logger['Counter'].inc();
      expect(await logger.pushMetrics()).toBe(true);
    }
    logger.setStep(3);
    expect(await logger.pushMetrics()).toBe(true);
    await logger.close();

    const res = await fetch(`${peer.url}/metrics`);
    const lines = (await res.text()).split('\n').filter((l) => /^(Gauge|Counter_total)\{/.test(l));
    expect(lines.sort()).toEqual([
      'Counter_total{ProjectA="SomeLabel",instance="",job="wl-42",step="3"} 2',
      'Gauge{ProjectA="SomeLabel",instance="",job="wl-42",step="3"} 63',
    ]);
  });
});
