import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScript, type EvalOutcome } from './run-script.js';
import { SKIPPED_FILES } from './skip-list.js';
import { corpusPath } from '../../../../test-support/corpora.js';

export const CORPUS_DIR = process.env.PROMQL_CORPUS_DIR ?? corpusPath('promql');

export interface FileReport {
  readonly file: string;
  readonly skippedFile?: string;
  readonly outcomes: EvalOutcome[];
  readonly evals: number;
}

export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.test'))
    .sort();
}

export async function runCorpusFile(file: string): Promise<FileReport> {
  const text = readFileSync(join(CORPUS_DIR, file), 'utf8');
  const evals = (text.match(/^eval/gm) ?? []).length;
  const skippedFile = SKIPPED_FILES[file];
  if (skippedFile) return { file, skippedFile, outcomes: [], evals };
  return { file, outcomes: await runScript(text, file), evals };
}

export function countsLine(r: FileReport): string {
  if (r.skippedFile) return `${r.file}: pass 0, skip ${r.evals}, fail 0 (file skipped: ${r.skippedFile})`;
  const c = { pass: 0, skip: 0, fail: 0 };
  for (const o of r.outcomes) c[o.status]++;
  return `${r.file}: pass ${c.pass}, skip ${c.skip}, fail ${c.fail}`;
}
