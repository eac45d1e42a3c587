/**
 * `npm run experiment -- --config cfg.json --out result.json`: the lab's engine, headless.
 * A ticket found here (on a big machine) is the same ticket the browser would find.
 *
 * Trials (`--trials N`) run one after another in this process, in parallel processes here
 * (`--jobs J`), or on many machines as shards (`--shard I/N`, one per task of a Kubernetes Indexed
 * Job or a Slurm job array) whose run files `merge` joins: docs/trials-and-sweeps.md.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import {
  ConfigError,
  type ConfigPatch,
  type ExperimentConfig,
  beyondThePaper,
} from '../src/engine/config';
import { splitMnist } from '../src/engine/data';
import { assembleRounds, trialsOfShard } from '../src/engine/trials';
import { FormatError } from '../src/formats/errors';
import {
  MAX_TEXT,
  decodeRunFile,
  encodeRunFile,
  oneTrialOf,
  type RunFile,
} from '../src/formats/run-file';
import { mergeRunFiles } from '../src/formats/run-merge';
import { startNodeCompute } from '../src/node-host/node-backend';
import { loadMnistFromDisk } from '../src/node-host/node-mnist';
import { type CliOptions, USAGE, parseCli, resolveConfig } from './args';
import { runJobs } from './jobs';
import { resultTable, summaryTable } from './table';
import { trainTickets } from './tickets';
import { type TrialRounds, trainTrials, trialList } from './train';
import { writeWhole } from './write';

/** Writes the run file and the table the options ask for. */
function writeOutputs(run: RunFile, opts: CliOptions): void {
  if (opts.out) {
    writeWhole(opts.out, encodeRunFile(run));
    console.log(`wrote ${opts.out}`);
  }
  if (opts.table) {
    const whole = run.config.training.trials === 1 && !run.shard;
    writeWhole(opts.table, whole ? resultTable(oneTrialOf(run, 0)) : summaryTable(run));
    console.log(`wrote ${opts.table}`);
  }
}

/**
 * Refuses, after its first trials (the first lockstep group, or the first trial alone), a run
 * whose whole file would outgrow what a run file holds: better an hour into a long run than at
 * its end.
 */
function checkSize(config: ExperimentConfig, first: TrialRounds): void {
  const one = encodeRunFile({
    name: '',
    createdAt: new Date().toISOString(),
    backend: '',
    config,
    wallMs: 0,
    rounds: assembleRounds(config, [first]),
    shard: null,
  }).length;
  const whole = one * config.training.trials;
  if (whole > MAX_TEXT)
    throw new Error(
      `the run file of all ${config.training.trials} trials would take about ${(whole / 1024 / 1024).toFixed(0)} MB (${(one / 1024 / 1024).toFixed(2)} MB a trial), more than the 64 MB a run file holds: run at most ${Math.floor(MAX_TEXT / one)} trials a run, with different seeds`,
    );
}

function defaultName(config: ExperimentConfig): string {
  const { training, pruning } = config;
  const trials = training.trials > 1 ? `, ${training.trials} trials of` : ',';
  const beyond = beyondThePaper(config)
    .map((w) => `, ${w}`)
    .join('');
  return `LeNet ${config.model.layers.join('-')}, ${pruning.rounds} rounds × ${training.iterations} iterations${beyond}${trials} seed ${training.seed}`;
}

async function run(opts: CliOptions): Promise<void> {
  if (opts.ticketFiles.length > 0) {
    const run = await trainTickets(opts);
    writeOutputs(run, opts);
    console.log(`total ${(run.wallMs / 1000).toFixed(0)} s`);
    return;
  }
  const filePatch = opts.configFile
    ? (JSON.parse(readFileSync(opts.configFile, 'utf8')) as ConfigPatch)
    : undefined;
  const config = resolveConfig(filePatch, opts.patch);
  const { training, pruning } = config;
  const name = opts.name ?? defaultName(config);
  if (opts.tickets) mkdirSync(opts.tickets, { recursive: true });
  if (opts.jobs > 1) {
    writeOutputs(await runJobs(process.argv.slice(2), config, opts, name), opts);
    return;
  }
  const trials = opts.shard
    ? trialsOfShard(training.trials, opts.shard.index, opts.shard.count)
    : trialsOfShard(training.trials, 0, 1);
  if (trials.length === 0) {
    // An array larger than the run's trials: this task has nothing to do, and that is no failure.
    console.log(
      `shard ${opts.shard!.index}/${opts.shard!.count} holds none of the ${training.trials} trials (trial t is in shard t mod ${opts.shard!.count}): nothing to run, no file written`,
    );
    return;
  }
  const node = await startNodeCompute(opts.backend, opts.threads, opts.arithmetic);
  try {
    const data = splitMnist(loadMnistFromDisk(), config.data);
    console.log(`LeNet ${config.model.layers.join('-')} on MNIST, ${node.description}`);
    console.log(
      `${pruning.rounds} pruned rounds (${pruning.method}, ${pruning.scope}, ${pruning.rate}/${pruning.outputRate}), ${training.iterations} iterations each, controls: ${pruning.controls.join(', ') || 'none'}, seed ${training.seed}`,
    );
    if (training.trials > 1)
      console.log(
        `trials ${trialList(trials)} of ${training.trials}${opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count})` : ''}`,
      );
    const started = Date.now();
    const perTrial = await trainTrials(config, data, node, trials, opts, (first) =>
      checkSize(config, first),
    );
    const wallMs = Date.now() - started;
    writeOutputs(
      decodeRunFile(
        encodeRunFile({
          name,
          createdAt: new Date().toISOString(),
          backend: node.description,
          config,
          wallMs,
          rounds: assembleRounds(config, perTrial),
          shard: opts.shard ?? null,
        }),
      ),
      opts,
    );
    console.log(`total ${(wallMs / 1000).toFixed(0)} s`);
  } finally {
    node.dispose();
  }
}

/** `merge A.json B.json … --out all.json`: the whole run, or exit code 1 and nothing written. */
function merge(opts: CliOptions): void {
  const shards = opts.files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new FormatError(`${file} cannot be read: ${e instanceof Error ? e.message : e}`);
    }
    try {
      return { name: file, run: decodeRunFile(text) };
    } catch (e) {
      if (e instanceof FormatError) throw new FormatError(`${file}: ${e.message}`);
      throw e;
    }
  });
  const whole = mergeRunFiles(shards, opts.name);
  writeWhole(opts.out!, encodeRunFile(whole));
  const trials = whole.config.training.trials;
  console.log(
    `wrote ${opts.out}: ${trials} trial${trials > 1 ? 's' : ''}, rounds ${whole.rounds[0]!.round}–${whole.rounds.at(-1)!.round}, from ${shards.length} file${shards.length > 1 ? 's' : ''}`,
  );
}

async function main(): Promise<void> {
  const opts = parseCli(process.argv.slice(2));
  if (opts.help) console.log(USAGE);
  else if (opts.command === 'merge') merge(opts);
  else await run(opts);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) console.error(`error: ${e.problems.join('\n       ')}`);
  else console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  console.error('(npm run experiment -- --help for usage)');
  process.exit(1);
});
