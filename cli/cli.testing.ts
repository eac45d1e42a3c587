/**
 * The experiment CLI as a user runs it, for tests: a real process (tsx, without npm's own
 * start-up) on real MNIST, and a run's science without its wall times (each process's own).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunFile } from '../src/formats/run-file';

export const ROOT = join(import.meta.dirname, '..');

/** Small enough for seconds a run: 40 iterations a round, one pruned round, one control. */
export const TINY = {
  data: { trainSize: 3000, validationSize: 500, testSize: 500 },
  training: { iterations: 40, evalEvery: 20, trials: 5 },
  pruning: { rounds: 1, controls: ['reinit'] },
};

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 1 << 24 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `npm run experiment -- …`, without npm's own start-up. */
export const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'cli/experiment.ts', ...args]);

/** A run's rounds but for wall times, which are each process's own. */
export const science = (run: RunFile) =>
  run.rounds.map((r) => ({
    ...r,
    trials: r.trials.map(({ wallMs: _w, examplesPerSecond: _e, ...t }) => t),
  }));

export const ok = (r: Ran) => expect(r.code, r.stderr).toBe(0);
