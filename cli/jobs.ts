/**
 * `--jobs J`: a run's trials in J processes on this machine. Each process is this CLI with
 * `--shard j/J` and its share of the cores, writing its shard's run file to a temporary folder;
 * the shards are then merged as `merge` would (the run file is the unsharded run's, trial for
 * trial). One job failing, or the run being interrupted, ends the others: no run file is written
 * and no process is left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentConfig } from '../src/engine/config';
import { decodeRunFile, type RunFile } from '../src/formats/run-file';
import { mergeRunFiles } from '../src/formats/run-merge';
import type { CliOptions } from './args';

/** The options a job takes from its parent's command line: all but where outputs go. */
const PARENT_ONLY = new Set(['--jobs', '--out', '--table', '--threads', '--name']);

/** The parent's arguments without `--jobs`, the outputs and the threads (each with its value). */
export function jobArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const flag = arg.split('=')[0]!;
    if (!PARENT_ONLY.has(flag)) out.push(arg);
    else if (!arg.includes('=')) i++; // its value follows
  }
  return out;
}

/**
 * Threads per job: the cores shared among the jobs, at most `most` (4, what one process uses
 * alone: the kernels gain little past it, and `--threads` takes at most 16).
 */
export const threadsPerJob = (jobs: number, cores = availableParallelism(), most = 4): number =>
  Math.max(1, Math.min(most, Math.floor(cores / jobs)));

interface Job {
  child: ChildProcess;
  /** Settles when the process has exited, with its failure if it failed. */
  done: Promise<Error | null>;
}

function startJob(args: string[], prefix: string): Job {
  // This CLI again, under the same loader (tsx's flags are in execArgv).
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const relay = (stream: NodeJS.ReadableStream, write: (s: string) => void) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) write(`${prefix}${line}\n`);
    });
    stream.on('end', () => rest && write(`${prefix}${rest}\n`));
  };
  relay(child.stdout!, (s) => process.stdout.write(s));
  relay(child.stderr!, (s) => process.stderr.write(s));
  const done = new Promise<Error | null>((resolve) => {
    child.on('error', resolve);
    child.on('close', (code, signal) =>
      resolve(
        code === 0 ? null : new Error(`${prefix.trim()} failed (${signal ?? `exit code ${code}`})`),
      ),
    );
  });
  return { child, done };
}

export async function runJobs(
  argv: readonly string[],
  config: ExperimentConfig,
  opts: CliOptions,
  name: string,
): Promise<RunFile> {
  const jobs = Math.min(opts.jobs, config.training.trials);
  const threads = opts.threads ?? threadsPerJob(jobs);
  const dir = mkdtempSync(join(tmpdir(), 'lottery-ticket-jobs-'));
  console.log(`${config.training.trials} trials in ${jobs} jobs of ${threads} thread(s) each`);
  const started = Date.now();
  const files = Array.from({ length: jobs }, (_, j) => join(dir, `shard-${j}.json`));
  const running = files.map((file, j) =>
    startJob(
      [
        ...jobArgs(argv),
        ...['--shard', `${j}/${jobs}`, '--threads', String(threads)],
        ...['--out', file, '--name', name],
      ],
      `[job ${j}] `,
    ),
  );
  const endAll = () => {
    for (const { child } of running) if (child.exitCode === null) child.kill('SIGTERM');
  };
  // Interrupted (Ctrl-C, a scheduler's SIGTERM): the jobs go too, then this process.
  const interrupted = (signal: NodeJS.Signals) => {
    endAll();
    void Promise.all(running.map((j) => j.done)).then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    // The first failure ends the other jobs; every job has exited before anything is read.
    let first: Error | null = null;
    await Promise.all(
      running.map(({ done }) =>
        done.then((e) => {
          if (e && !first) {
            first = e;
            endAll();
          }
        }),
      ),
    );
    if (first) throw first;
    const merged = mergeRunFiles(
      files.map((file) => ({ name: file, run: decodeRunFile(readFileSync(file, 'utf8')) })),
    );
    console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { ...merged, wallMs: Date.now() - started };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    rmSync(dir, { recursive: true, force: true });
  }
}
