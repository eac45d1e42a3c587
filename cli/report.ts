/**
 * `npm run report -- result.json`: the markdown tables of docs/results.md, from any run file the
 * experiment CLI (or the lab's Export) wrote, read through the run file's own codec.
 */
import { readFileSync } from 'node:fs';
import { decodeRunFile, oneTrialOf } from '../src/formats/run-file';
import { resultTable, speedTable, summaryTable } from './table';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run report -- result.json [threshold ...]');
  process.exit(1);
}
const run = decodeRunFile(readFileSync(file, 'utf8'));
const thresholds = process.argv
  .slice(3)
  .map(Number)
  .filter((t) => t > 0 && t < 1);
if (run.config.training.trials > 1 || run.shard) {
  console.log(summaryTable(run));
  if (thresholds.length)
    console.error(
      'The speed tables are per trial, for one-trial runs: this run has several (its summary gives iterations to 95% validation accuracy).',
    );
} else {
  const result = oneTrialOf(run, 0);
  console.log(resultTable(result));
  for (const t of thresholds.length ? thresholds : [0.97, 0.975])
    console.log(speedTable(result, t));
}
