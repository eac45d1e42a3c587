/**
 * Where trial t of a run draws its randomness. Trial 0 is the run's seed itself, so a one-trial
 * run, and trial 0 of any run, is bit for bit the single-seed run the lab always made (old run
 * files, tickets and the recorded run stay valid). Trial t > 0 takes a seed hashed from the run's
 * seed and t: an independent stream for θ0, the data order and the controls, and a plain seed a
 * user can rerun alone (`--seed <that seed>` trains the same trajectory).
 */
import { Rng } from './rng';

/** Seeds are 31-bit, as the config allows. */
const SEEDS = 2 ** 31;

export function trialSeed(seed: number, trial: number): number {
  if (!Number.isInteger(trial) || trial < 0) throw new RangeError(`no trial ${trial}`);
  return trial === 0 ? seed : new Rng(seed, 'trial', trial).int(SEEDS);
}
