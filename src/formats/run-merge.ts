/**
 * Joins the shards of one run (files the CLI wrote with `--shard i/n`, on one machine or on a
 * cluster's array of tasks) into the run file the unsharded run would have written: the same
 * trials, bit for bit, in the same order, with summaries computed from them in that order. Wall
 * times, creation dates and backends are the shards' own.
 *
 * It refuses, naming what is wrong, shards of different configs or engines, a trial held twice, a
 * trial or a round missing; it returns a whole run or throws, so a caller never writes half of one.
 */
import { byLayerOf, runRound, type TrialResult } from '../engine/trials';
import { clipLabel } from './check';
import { FormatError, numberList } from './errors';
import { type RunFile, runFile } from './run-file';

/** A run file and the name a message calls it by (its path). */
export interface NamedRun {
  name: string;
  run: RunFile;
}

/** The fields in which two configs differ, as [path, a, b]. */
function configDifferences(a: unknown, b: unknown, path = ''): [string, unknown, unknown][] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) =>
      configDifferences(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
      ),
    );
  }
  return Object.is(a, b) ? [] : [[path, a, b]];
}

/**
 * What computed a run, from its backend's name ("simd, 2 threads (node v20)" → "simd"): the
 * lab's kernels give the same numbers on any thread count, tfjs's backends each their own.
 */
export const computeOf = (backend: string): string => backend.split(/[\s,(·]/)[0]!.toLowerCase();
const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

/** Which round numbers a file holds, e.g. "rounds 0–6". */
function roundsHeld(run: RunFile): string {
  const rs = run.rounds.map((r) => r.round);
  return rs.length === 1 ? `round ${rs[0]}` : `rounds ${rs[0]}–${rs[rs.length - 1]}`;
}

/**
 * The whole run the shards make up. `name` names the merged run (by default the first shard's).
 * Throws FormatError with a message that names the files and trials at fault.
 */
export function mergeRunFiles(shards: readonly NamedRun[], name?: string): RunFile {
  const first = shards[0];
  if (!first) throw new FormatError('Nothing to merge: give the run files of every shard.');
  const { config } = first.run;
  for (const { name: file, run } of shards.slice(1)) {
    if (run.configHash !== first.run.configHash) {
      const diff = configDifferences(first.run.config, run.config)
        .slice(0, 3)
        .map(([path, a, b]) => `${path} ${JSON.stringify(b)}, not ${JSON.stringify(a)}`);
      throw new FormatError(
        `${file} is a run of another config than ${first.name} (config hash ${run.configHash}, not ${first.run.configHash}): ${diff.join('; ')}.`,
      );
    }
    if (computeOf(run.backend) !== computeOf(first.run.backend))
      throw new FormatError(
        `${file} was trained on ${computeOf(run.backend)}, ${first.name} on ${computeOf(first.run.backend)}: the two compute other numbers from the same seed, so their trials are not one run's.`,
      );
    if (run.engine !== first.run.engine)
      throw new FormatError(
        `${file} was trained by ${run.engine ?? 'an engine it does not name'}, ${first.name} by ${first.run.engine ?? 'an engine it does not name'}: their trials need not agree, so they are not merged.`,
      );
  }
  // Which file holds each trial: a trial in two files is refused, whichever rounds they hold.
  const owner = new Map<number, string>();
  for (const { name: file, run } of shards) {
    const mine = new Set(run.rounds.flatMap((r) => r.trials.map((t) => t.trial)));
    for (const t of [...mine].sort((a, b) => a - b)) {
      const other = owner.get(t);
      if (other !== undefined)
        throw new FormatError(
          `Trial ${t} is in both ${other} and ${file}: merge each trial once (are two shards the same, or from different shard counts?).`,
        );
      owner.set(t, file);
    }
  }
  const { trials } = config.training;
  const missing = Array.from({ length: trials }, (_, t) => t).filter((t) => !owner.has(t));
  if (missing.length)
    throw new FormatError(
      `${plural(missing.length, 'Trial')} ${numberList(missing)} of the ${trials} ${plural(missing.length, 'is', 'are')} in none of these files: merge the shards that hold ${plural(missing.length, 'it', 'them')} too.`,
    );
  // Every round of the run, with every trial: a shard that stopped early is named.
  const roundNumbers = [
    ...new Set(shards.flatMap(({ run }) => run.rounds.map((r) => r.round))),
  ].sort((a, b) => a - b);
  const last = roundNumbers[roundNumbers.length - 1]!;
  if (last !== config.pruning.rounds)
    throw new FormatError(
      `These files end at round ${last} of the run's ${config.pruning.rounds}: its shards did not finish, so the run is not whole.`,
    );
  const rounds = roundNumbers.map((round) => {
    const results: TrialResult[] = [];
    let remaining: number | null = null;
    for (const { name: file, run } of shards) {
      const r = run.rounds.find((x) => x.round === round);
      if (!r)
        throw new FormatError(
          `${file} holds no round ${round} (it holds ${roundsHeld(run)}): its shard did not finish, so the run is not whole.`,
        );
      const held = new Set(run.rounds.flatMap((x) => x.trials.map((t) => t.trial)));
      const lacking = [...held].filter((t) => !r.trials.some((x) => x.trial === t));
      if (lacking.length)
        throw new FormatError(
          `${file} lacks ${plural(lacking.length, 'trial')} ${numberList(lacking.sort((a, b) => a - b))} in round ${round}: its shard did not finish, so the run is not whole.`,
        );
      if (remaining !== null && r.remaining !== remaining)
        throw new FormatError(
          `${file} keeps ${r.remaining} of the weights in round ${round}, the other files ${remaining}.`,
        );
      remaining = r.remaining;
      results.push(...r.trials);
    }
    results.sort((a, b) => a.trial - b.trial);
    return runRound(config, round, results, remaining!, byLayerOf(results[0]!));
  });
  const backends = [...new Set(shards.map(({ run }) => run.backend))];
  return runFile({
    name: name ?? first.run.name,
    createdAt: shards.map(({ run }) => run.createdAt).sort()[shards.length - 1]!,
    backend: clipLabel(backends.join(' + ')),
    engine: first.run.engine,
    config,
    // The shards ran side by side: the run took as long as its longest shard.
    wallMs: Math.max(...shards.map(({ run }) => run.wallMs)),
    rounds,
    shard: null,
  });
}
