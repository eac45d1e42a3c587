/**
 * `npm run experiment -- --config cfg.json --out result.json`: the lab's engine, headless.
 * A ticket found here (on a big machine) is the same ticket the browser would find.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type ConfigPatch } from '../src/engine/config';
import { splitMnist } from '../src/engine/data';
import { Experiment } from '../src/engine/experiment';
import { encodeRunFile } from '../src/formats/run-file';
import { encodeTicket } from '../src/formats/ticket';
import { ticketOfRound } from '../src/formats/ticket-run';
import { USAGE, parseCli, resolveConfig } from './args';
import { startNodeCompute } from '../src/node-host/node-backend';
import { loadMnistFromDisk } from '../src/node-host/node-mnist';
import { resultTable } from './table';

async function main(): Promise<void> {
  const opts = parseCli(process.argv.slice(2));
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const filePatch = opts.configFile
    ? (JSON.parse(readFileSync(opts.configFile, 'utf8')) as ConfigPatch)
    : undefined;
  const config = resolveConfig(filePatch, opts.patch);
  const node = await startNodeCompute(opts.backend, opts.threads);
  const backend = node.description;
  const data = splitMnist(loadMnistFromDisk(), config.data);
  const experiment = new Experiment(config, data, { compute: node.compute });
  const { training, pruning } = config;
  console.log(`LeNet ${config.model.layers.join('-')} on MNIST, ${backend}`);
  console.log(
    `${pruning.rounds} pruned rounds (${pruning.method}, ${pruning.scope}, ${pruning.rate}/${pruning.outputRate}), ${training.iterations} iterations each, controls: ${pruning.controls.join(', ') || 'none'}, seed ${training.seed}`,
  );
  const started = Date.now();
  let lastPrint = 0;
  if (opts.tickets) mkdirSync(opts.tickets, { recursive: true });
  try {
    const result = await experiment.run({
      roundStarted: (r) =>
        console.log(
          `round ${r.round}: P_m ${(100 * r.remaining).toFixed(1)}%, training ${r.variants.join(', ')}`,
        ),
      progress: (round, it, n) => {
        if (opts.quiet || Date.now() - lastPrint < 10_000) return;
        lastPrint = Date.now();
        console.log(
          `  round ${round} iteration ${it}/${n} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
      },
      roundCompleted: (r) => {
        const parts = r.variants.map(
          (v) =>
            `${v.variant} ${(100 * v.earlyStop.testAccuracy).toFixed(2)}% @ ${v.earlyStop.iteration}`,
        );
        console.log(
          `  done in ${(r.wallMs / 1000).toFixed(1)} s, ${Math.round(r.examplesPerSecond)} examples/s: ${parts.join(' | ')}`,
        );
        if (opts.tickets) {
          // The ticket the lab's "Import…" trains on any device (docs/file-formats.md).
          const ticket = ticketOfRound({
            config,
            result: r,
            masks: experiment.ticketMasks.map((m) => m.bits),
            theta0: experiment.theta0,
            rewindTo: experiment.rewindWeights,
            createdBy: `lottery-ticket-lab cli (${backend})`,
          });
          const file = join(opts.tickets, `round-${String(r.round).padStart(2, '0')}.ticket`);
          writeFileSync(file, encodeTicket(ticket));
          console.log(`  wrote ${file} (${(100 * r.remaining).toFixed(1)}% of weights)`);
        }
      },
    });
    result.backend = backend;
    if (opts.out) {
      const name =
        opts.name ??
        `LeNet ${config.model.layers.join('-')}, ${pruning.rounds} rounds × ${training.iterations} iterations, seed ${training.seed}`;
      // The lab's run file (docs/file-formats.md): the lab opens and replays it.
      writeFileSync(
        opts.out,
        encodeRunFile({
          name,
          createdAt: new Date().toISOString(),
          backend,
          config: result.config,
          wallMs: result.wallMs,
          rounds: result.rounds,
        }),
      );
      console.log(`wrote ${opts.out}`);
    }
    if (opts.table) {
      writeFileSync(opts.table, resultTable(result));
      console.log(`wrote ${opts.table}`);
    }
    console.log(`total ${(result.wallMs / 1000).toFixed(0)} s`);
  } finally {
    experiment.dispose();
    node.dispose();
  }
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) console.error(`error: ${e.problems.join('\n       ')}`);
  else console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  console.error('(npm run experiment -- --help for usage)');
  process.exit(1);
});
