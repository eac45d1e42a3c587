/**
 * Run files of several trials, and shards merged into one: the trials a file may hold, its summary
 * checked against its trials, and every way a set of shards can fail to make a whole run.
 */
import { describe, expect, it } from 'vitest';
import { formatError, tinyTrialsRunFile } from './formats.testing';
import { type RunFile, decodeRunFile, encodeRunFile } from './run-file';
import { mergeRunFiles } from './run-merge';

type Json = Record<string, unknown>;
const edit = (run: RunFile, change: (json: Json & { rounds: Json[] }) => void): string => {
  const json = JSON.parse(encodeRunFile(run)) as Json & { rounds: Json[] };
  change(json);
  return JSON.stringify(json);
};
const trialsOf = (run: RunFile) => run.rounds.map((r) => r.trials.map((t) => t.trial));
/** Everything but the wall times, which are each machine's own. */
const science = (run: RunFile) =>
  run.rounds.map((r) => ({
    ...r,
    trials: r.trials.map(({ wallMs: _w, examplesPerSecond: _e, ...t }) => t),
  }));
const shards = (trials: number, count: number) =>
  Array.from({ length: count }, (_, index) => ({
    name: `shard-${index}.json`,
    run: decodeRunFile(encodeRunFile(tinyTrialsRunFile(trials, { index, count }))),
  }));

describe('run files of several trials', () => {
  it('round-trip with every trial and a summary over them', () => {
    const run = tinyTrialsRunFile(3);
    expect(decodeRunFile(encodeRunFile(run))).toEqual(run);
    expect(trialsOf(run)).toEqual([
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
    ]);
    const ticket = run.rounds[2]!.summary[0]!;
    const finals = run.rounds[2]!.trials.map((t) => t.variants[0]!.finalTestAccuracy);
    expect(ticket.trials).toBe(3);
    expect(ticket.finalTestAccuracy.mean).toBeCloseTo(
      (finals[0]! + finals[1]! + finals[2]!) / 3,
      12,
    );
    expect(ticket.finalTestAccuracy.sd).toBeCloseTo(0.01, 12);
  });

  it('refuses a trial out of order, outside the file, or with another seed, naming its path', () => {
    const run = tinyTrialsRunFile(3);
    const swapped = edit(run, (j) => {
      const t = j.rounds[1]!.trials as Json[];
      [t[0], t[1]] = [t[1]!, t[0]!];
    });
    expect(formatError(() => decodeRunFile(swapped))).toMatch(
      /rounds\[1\]\.trials\[1\]\.trial must be a trial after 1 \(trials listed in order, each once\), got 0/,
    );
    const seed = edit(run, (j) => ((j.rounds[0]!.trials as Json[])[2]!.seed = 5));
    expect(formatError(() => decodeRunFile(seed))).toMatch(
      /rounds\[0\]\.trials\[2\]\.seed must be \d+, the seed of trial 2 of seed 7, got 5/,
    );
    const shard = tinyTrialsRunFile(5, { index: 1, count: 2 });
    expect(trialsOf(shard)[0]).toEqual([1, 3]);
    const foreign = edit(shard, (j) => ((j.rounds[0]!.trials as Json[])[1]!.trial = 2));
    expect(formatError(() => decodeRunFile(foreign))).toMatch(
      /rounds\[0\]\.trials\[1\]\.trial must be one of this file's trials \(1, 3\), got 2/,
    );
  });

  it('refuses a summary that is not its trials’, and a config hash that is not its config’s', () => {
    const run = tinyTrialsRunFile(3);
    const summary = edit(run, (j) => {
      const s = (j.rounds[1]!.summary as Json[])[1]!.finalTestAccuracy as Json;
      s.mean = (s.mean as number) + 0.01;
    });
    expect(formatError(() => decodeRunFile(summary))).toMatch(
      /rounds\[1\]\.summary\[1\]\.finalTestAccuracy\.mean must be [\d.]+, as computed from the round's trials/,
    );
    const hash = edit(run, (j) => (j.configHash = '0123456789abcdef'));
    expect(formatError(() => decodeRunFile(hash))).toMatch(
      /configHash must be [0-9a-f]{16}, the hash of this file's config, got "0123456789abcdef"/,
    );
  });
});

describe('shards of a run file', () => {
  it('may be more than the trials; a shard past the last trial holds none, and no file is it', () => {
    const run = tinyTrialsRunFile(3, { index: 2, count: 5 });
    expect(decodeRunFile(encodeRunFile(run)).shard).toEqual({ index: 2, count: 5 });
    const past = edit(run, (j) => (j.shard = { index: 3, count: 5 }));
    expect(formatError(() => decodeRunFile(past))).toMatch(
      /shard\.index must be an integer in \[0, 2\], got 3/,
    );
  });

  it('read a summary another tool rewrote within 1e-12, and refuse one further off', () => {
    const run = tinyTrialsRunFile(3);
    const nudged = (by: number) =>
      edit(run, (j) => {
        const s = (j.rounds[2]!.summary as Json[])[0]!.finalTestAccuracy as Json;
        s.sd = (s.sd as number) * (1 + by);
      });
    expect(decodeRunFile(nudged(1e-14))).toEqual(run);
    expect(formatError(() => decodeRunFile(nudged(1e-9)))).toMatch(
      /summary\[0\]\.finalTestAccuracy\.sd must be/,
    );
  });
});

describe('merging shards', () => {
  it('keeps each trial’s own split between layers under global pruning', () => {
    const whole = tinyTrialsRunFile(4, undefined, { global: true });
    expect(whole.rounds[1]!.trials[1]!.variants[0]!.remainingByLayer).not.toEqual(
      whole.rounds[1]!.trials[0]!.variants[0]!.remainingByLayer,
    );
    for (const count of [2, 3]) {
      const parts = Array.from({ length: count }, (_, index) => ({
        name: `g${index}.json`,
        run: tinyTrialsRunFile(4, { index, count }, { global: true }),
      }));
      expect(science(mergeRunFiles(parts))).toEqual(science(whole));
    }
  });

  it('gives the unsharded run, trial for trial, whatever order the shards come in', () => {
    const whole = tinyTrialsRunFile(5);
    for (const count of [1, 2, 3, 5]) {
      const parts = shards(5, count);
      const merged = mergeRunFiles([...parts].reverse());
      expect(science(merged)).toEqual(science(whole));
      expect(merged.shard).toBeNull();
      expect(encodeRunFile(merged)).toBe(encodeRunFile({ ...whole, wallMs: merged.wallMs }));
    }
  });

  it('refuses shards of another config, naming the fields that differ', () => {
    const [a, b] = shards(3, 2);
    const other = tinyTrialsRunFile(3, { index: 1, count: 2 });
    other.config = { ...other.config, training: { ...other.config.training, iterations: 30 } };
    const b2 = { name: 'b.json', run: decodeRunFile(edit(other, () => {})) };
    expect(b).toBeDefined();
    expect(formatError(() => mergeRunFiles([a!, b2]))).toMatch(
      /^b\.json is a run of another config than shard-0\.json \(config hash [0-9a-f]{16}, not [0-9a-f]{16}\): training\.iterations 30, not 20\.$/,
    );
  });

  it('refuses shards computed by another backend, whose numbers differ from the same seed', () => {
    const [a, b] = shards(3, 2);
    const wasm = { name: b!.name, run: { ...b!.run, backend: 'wasm (node v20.20.2)' } };
    expect(formatError(() => mergeRunFiles([a!, wasm]))).toBe(
      'shard-1.json was trained on wasm, shard-0.json on cpu: the two compute other numbers from the same seed, so their trials are not one run’s.'.replace(
        '’',
        "'",
      ),
    );
    const threads = { name: b!.name, run: { ...b!.run, backend: 'cpu, 4 threads' } };
    expect(() => mergeRunFiles([a!, threads])).not.toThrow();
  });

  it('refuses shards of another engine', () => {
    const [a, b] = shards(3, 2);
    const older = { name: b!.name, run: { ...b!.run, engine: 'lottery-ticket-lab engine 0' } };
    expect(formatError(() => mergeRunFiles([a!, older]))).toMatch(
      /^shard-1\.json was trained by lottery-ticket-lab engine 0, shard-0\.json by lottery-ticket-lab engine 2/,
    );
  });

  it('refuses a trial twice and names it, and missing trials and names them', () => {
    const [a, b, c] = shards(5, 3);
    expect(formatError(() => mergeRunFiles([a!, b!, c!, { ...b!, name: 'copy.json' }]))).toBe(
      'Trial 1 is in both shard-1.json and copy.json: merge each trial once (are two shards the same, or from different shard counts?).',
    );
    expect(formatError(() => mergeRunFiles([a!, c!]))).toBe(
      'Trials 1, 4 of the 5 are in none of these files: merge the shards that hold them too.',
    );
    const many = tinyTrialsRunFile(30, { index: 0, count: 30 });
    expect(formatError(() => mergeRunFiles([{ name: 'one.json', run: many }]))).toBe(
      'Trials 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 19 more of the 30 are in none of these files: merge the shards that hold them too.',
    );
    const halves = shards(5, 2);
    expect(formatError(() => mergeRunFiles([a!, ...halves]))).toMatch(/^Trial 0 is in both/);
  });

  it('refuses a shard that stopped early', () => {
    const [a, b] = shards(3, 2);
    const short = { name: 'b.json', run: { ...b!.run, rounds: b!.run.rounds.slice(0, 2) } };
    expect(formatError(() => mergeRunFiles([a!, short]))).toBe(
      'b.json holds no round 2 (it holds rounds 0–1): its shard did not finish, so the run is not whole.',
    );
    const lastRound = b!.run.rounds[2]!;
    const partial = {
      name: 'b.json',
      run: { ...b!.run, rounds: [...b!.run.rounds.slice(0, 2), { ...lastRound, trials: [] }] },
    };
    expect(formatError(() => mergeRunFiles([a!, partial]))).toBe(
      'b.json lacks trial 1 in round 2: its shard did not finish, so the run is not whole.',
    );
    expect(formatError(() => mergeRunFiles([]))).toMatch(/^Nothing to merge/);
    // Every shard stopped at the same round: they agree with each other, but the run is not whole.
    const early = shards(3, 2).map(({ name, run }) => ({
      name,
      run: { ...run, rounds: run.rounds.slice(0, 2) },
    }));
    expect(formatError(() => mergeRunFiles(early))).toBe(
      'These files end at round 1 of the run’s 2: its shards did not finish, so the run is not whole.'.replace(
        '’',
        "'",
      ),
    );
  });
});
