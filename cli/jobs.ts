/**
 * `--jobs J`: a run's trials in J processes on this machine. Each process is this CLI with
 * `--shard j/J` and its share of the cores, writing its shard's run file to a temporary folder;
 * the shards are then merged as `merge` would (the run file is the unsharded run's, trial for
 * trial). One job failing fails the run, and nothing is written.
 */
import { spawn } from 'node:child_process';
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

function runChild(args: string[], prefix: string): Promise<void> {
  return new Promise((resolve, reject) => {
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
    relay(child.stdout, (s) => process.stdout.write(s));
    relay(child.stderr, (s) => process.stderr.write(s));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${prefix.trim()} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

export async function runJobs(
  argv: readonly string[],
  config: ExperimentConfig,
  opts: CliOptions,
  name: string,
): Promise<RunFile> {
  const jobs = Math.min(opts.jobs, config.training.trials);
  const threads = opts.threads ?? Math.max(1, Math.floor(availableParallelism() / jobs));
  const dir = mkdtempSync(join(tmpdir(), 'lottery-ticket-jobs-'));
  console.log(`${config.training.trials} trials in ${jobs} jobs of ${threads} thread(s) each`);
  const started = Date.now();
  try {
    const files = Array.from({ length: jobs }, (_, j) => join(dir, `shard-${j}.json`));
    await Promise.all(
      files.map((file, j) =>
        runChild(
          [
            ...jobArgs(argv),
            '--shard',
            `${j}/${jobs}`,
            '--threads',
            String(threads),
            '--out',
            file,
            '--name',
            name,
          ],
          `[job ${j}] `,
        ),
      ),
    );
    const merged = mergeRunFiles(
      files.map((file) => ({ name: file, run: decodeRunFile(readFileSync(file, 'utf8')) })),
    );
    console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { ...merged, wallMs: Date.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
