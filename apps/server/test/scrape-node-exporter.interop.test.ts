import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLabels } from '@tally/model';
import { freePort, peerAvailable, startPeer, which, type RunningPeer } from '../../../test-support/peers.js';
import { parseScrapeTarget } from '../src/scrape/scrape-config.js';
import { ScrapeLoop, type ScrapeSeries } from '../src/scrape/scrape-loop.js';

// Debian's prometheus-node-exporter as a real scrape target, on 127.0.0.1.
describe.runIf(peerAvailable('prometheus-node-exporter', which('prometheus-node-exporter') !== undefined))(
  'scraping prometheus-node-exporter',
  () => {
    let peer: RunningPeer;
    let url = '';
    beforeAll(async () => {
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      peer = await startPeer({
        command: 'prometheus-node-exporter',
        args: [`--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
        url,
        readyPath: '/metrics',
      });
    });
    afterAll(() => peer.stop());

    it('stores its metrics with job and instance, up, duration and sample count', async () => {
      const written = new Map<string, number>();
      const loop = new ScrapeLoop(
        'node',
        parseScrapeTarget({ url: `${url}/metrics`, interval: '15s' }),
        (_job, series: ScrapeSeries[]) => {
          for (const s of series) written.set(formatLabels(s.labels), s.values.at(-1)!);
          return Promise.resolve();
        },
      );
      const r = await loop.scrapeOnce();
      expect(r).toMatchObject({ up: true, error: undefined });
      expect(r.samplesScraped).toBeGreaterThan(50);
      const instance = new URL(url).host;
      expect(written.get(`up{instance="${instance}", job="node"}`)).toBe(1);
      expect(written.get(`scrape_samples_scraped{instance="${instance}", job="node"}`)).toBe(
        r.samplesScraped,
      );
      const names = [...written.keys()];
      expect(names.some((k) => k.startsWith('node_exporter_build_info{'))).toBe(true);
      expect(names.filter((k) => k.startsWith('node_')).length).toBeGreaterThan(10);
      expect(names.every((k) => k.includes(`instance="${instance}"`) && k.includes('job="node"'))).toBe(true);
      // A second scrape: same series, no stale markers.
      expect((await loop.scrapeOnce()).staleMarkers).toBe(0);
    });
  },
);
