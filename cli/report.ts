/**
 * `npm run report -- result.json`: the markdown tables of docs/results.md, from any result file
 * the experiment CLI wrote.
 */
import { readFileSync } from 'node:fs';
import type { ExperimentResult } from '../src/engine/experiment';
import { resultTable, speedTable } from './table';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run report -- result.json [threshold ...]');
  process.exit(1);
}
const result = JSON.parse(readFileSync(file, 'utf8')) as ExperimentResult;
const thresholds = process.argv
  .slice(3)
  .map(Number)
  .filter((t) => t > 0 && t < 1);
console.log(resultTable(result));
for (const t of thresholds.length ? thresholds : [0.97, 0.975]) console.log(speedTable(result, t));
