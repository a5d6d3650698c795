import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedNameProblem, splitMetricNames, validateJobForm } from '../src/lib/names.js';

describe('seed name rule', () => {
  it.each([
    ['loss', undefined],
    ['learning-rate', undefined],
    ['A_b-9', undefined],
    ['', 'is empty'],
    ['my metric', "contains space: only letters, digits, '_' and '-' are allowed"],
    ['a.b', "contains '.': only letters, digits, '_' and '-' are allowed"],
    ['a/b:c', "contains '/', ':': only letters, digits, '_' and '-' are allowed"],
    ['ünï', "contains 'ü', 'ï': only letters, digits, '_' and '-' are allowed"],
    ['tab\there', "contains \"\\t\": only letters, digits, '_' and '-' are allowed"],
  ])('%j → %j', (name, reason) => {
    expect(seedNameProblem(name)).toBe(reason);
  });

  it('agrees with the rule on any string', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(seedNameProblem(s) === undefined).toBe(/^[A-Za-z0-9_-]+$/.test(s));
      }),
      { numRuns: 300 },
    );
  });

  it('splits the metrics field on commas and new lines, keeping inner spaces to report them', () => {
    expect(splitMetricNames(' loss, acc\n\nlr\r\ntop-5 accuracy ')).toEqual([
      'loss',
      'acc',
      'lr',
      'top-5 accuracy',
    ]);
    expect(splitMetricNames('')).toEqual([]);
  });

  it('reports every bad metric name and duplicates, and the job name', () => {
    const r = validateJobForm('bad name', ['ok', 'no.dots', 'ok', 'x$']);
    expect(r.jobName).toMatch(/space/);
    expect(r.metrics.map((p) => p.name)).toEqual(['no.dots', 'ok', 'x$']);
    expect(r.metrics[1]!.reason).toBe('is declared twice');
    expect(validateJobForm('run-1', ['loss'])).toEqual({ metrics: [] });
  });
});
