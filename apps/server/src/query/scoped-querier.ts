import { Matcher, type Querier, type Storage } from '@tally/storage';
import type { QuerierFactory } from '@tally/promql';
import type { Principal } from '../auth/principal.js';

/**
 * The querier factory a request may use: the whole store for admin and read tokens; for a
 * job's push token, every select and label lookup gets `job="<id>"` added, so it can read
 * only its own job's series whatever the query says.
 */
export function querierFactoryFor(storage: Storage, p: Principal): QuerierFactory {
  if (p.kind !== 'push') return (min, max) => storage.querier(min, max);
  const jobMatcher = new Matcher('=', 'job', p.jobId);
  return (min, max) => scope(storage.querier(min, max), jobMatcher);
}

function scope(q: Querier, jobMatcher: Matcher): Querier {
  return {
    minTimeMs: q.minTimeMs,
    maxTimeMs: q.maxTimeMs,
    select: (matchers, hints) => q.select([...matchers, jobMatcher], hints),
    labelNames: (matchers) => q.labelNames([...(matchers ?? []), jobMatcher]),
    labelValues: (name, matchers) => q.labelValues(name, [...(matchers ?? []), jobMatcher]),
    close: () => q.close(),
  };
}
