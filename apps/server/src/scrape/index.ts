export { parseScrapeTarget, ScrapeConfigError } from './scrape-config.js';
export type { ScrapeTargetConfig } from './scrape-config.js';
export { ScrapeLoop } from './scrape-loop.js';
export type { ScrapeSink, ScrapeSeries, ScrapeResult } from './scrape-loop.js';
export { ScrapeManager } from './scrape-manager.js';
export { SCRAPE_ACCEPT } from './fetch-exposition.js';
