/**
 * The experiment CLI as a user (or a cluster's scheduler) runs it: real processes on real MNIST,
 * with a config small enough to train in seconds. Trials, shards, `merge`, `--jobs`, and the
 * Kubernetes and Slurm recipes' own command lines all give the unsharded run, trial for trial.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { type RunFile, decodeRunFile } from '../src/formats/run-file';
import { ROOT, TINY, cli, ok, run, science } from './cli.testing';
import { threadsPerJob } from './jobs';

const dir = mkdtempSync(join(tmpdir(), 'lottery-cli-'));
const CONFIG = join(dir, 'tiny.json');
const out = (name: string) => join(dir, name);
/** Shard `i` of `n` of the tiny run, into `file`. */
const shard = (i: number, n: number, file: string) =>
  cli('--config', CONFIG, '--threads', '1', '--quiet', '--shard', `${i}/${n}`, '--out', out(file));
const read = (name: string): RunFile => decodeRunFile(readFileSync(out(name), 'utf8'));

/** A Job's one container: its environment, and the script its `sh -c` command runs. */
function shellOf(job: {
  spec: {
    template: {
      spec: { containers: { env: { name: string; value: string }[]; command: string[] }[] };
    };
  };
}): { env: Record<string, string>; script: string } {
  const [container] = job.spec.template.spec.containers;
  const [shell, flag, script] = container!.command;
  expect([shell, flag]).toEqual(['sh', '-c']);
  return { env: Object.fromEntries(container!.env.map((e) => [e.name, e.value])), script: script! };
}

let whole: RunFile;

beforeAll(async () => {
  writeFileSync(CONFIG, JSON.stringify(TINY));
  const [five, one] = await Promise.all([
    cli('--config', CONFIG, '--threads', '1', '--quiet', '--out', out('five.json')),
    cli('--config', CONFIG, '--trials', '1', '--threads', '1', '--quiet', '--out', out('one.json')),
  ]);
  ok(five);
  ok(one);
  whole = read('five.json');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run experiment with trials', () => {
  it('writes every trial’s results and their summary; trial 0 is the one-trial run', () => {
    expect(whole.config.training.trials).toBe(5);
    expect(whole.shard).toBeNull();
    expect(whole.rounds.map((r) => r.trials.map((t) => t.trial))).toEqual([
      [0, 1, 2, 3, 4],
      [0, 1, 2, 3, 4],
    ]);
    const seeds = whole.rounds[0]!.trials.map((t) => t.seed);
    expect(new Set(seeds).size).toBe(5);
    expect(whole.rounds[1]!.summary.map((s) => [s.variant, s.trials])).toEqual([
      ['ticket', 5],
      ['reinit', 5],
    ]);
    const one = read('one.json');
    const [trial0] = science(whole).map((r) => r.trials[0]);
    expect(trial0).toEqual(science(one)[0]!.trials[0]);
    expect(science(whole).map((r) => r.trials[0])).toEqual(science(one).map((r) => r.trials[0]));
  });

  it('shards 0/3, 1/3 and 2/3, merged, are the unsharded run; --jobs 2 too', async () => {
    const shards = await Promise.all([0, 1, 2].map((i) => shard(i, 3, `s${i}.json`)));
    shards.forEach(ok);
    expect(read('s1.json').shard).toEqual({ index: 1, count: 3 });
    expect(read('s1.json').rounds[0]!.trials.map((t) => t.trial)).toEqual([1, 4]);
    const merged = await cli(
      'merge',
      out('s2.json'),
      out('s0.json'),
      out('s1.json'),
      '--out',
      out('merged.json'),
    );
    ok(merged);
    expect(merged.stdout).toContain('5 trials, rounds 0–1, from 3 files');
    expect(science(read('merged.json'))).toEqual(science(whole));
    const jobs = await cli('--config', CONFIG, '--quiet', '--jobs', '2', '--out', out('jobs.json'));
    ok(jobs);
    expect(jobs.stdout).toMatch(/\[job 1\] /);
    expect(science(read('jobs.json'))).toEqual(science(whole));
  });

  it('merge refuses mismatched, duplicate and missing shards and other files with exit code 1, writing nothing', async () => {
    (await Promise.all([0, 1].map((i) => shard(i, 2, `h${i}.json`)))).forEach(ok);
    const other = await cli(
      '--config',
      CONFIG,
      '--iterations',
      '20',
      '--threads',
      '1',
      '--quiet',
      '--shard',
      '1/2',
      '--out',
      out('other.json'),
    );
    ok(other);
    writeFileSync(out('notes.json'), '{"hello": 1}\n');
    const refused = async (files: string[], message: RegExp) => {
      const r = await cli('merge', ...files.map(out), '--out', out('refused.json'));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out('refused.json'))).toBe(false);
    };
    await Promise.all([
      refused(
        ['h0.json', 'other.json'],
        /other\.json is a run of another config than .*h0\.json .*training\.iterations 20, not 40/,
      ),
      refused(['h0.json', 'h1.json', 's1.json'], /Trial 1 is in both .*h1\.json and .*s1\.json/),
      refused(['h0.json'], /Trials 1, 3 of the 5 are in none of these files/),
      refused(['h0.json', 'notes.json'], /notes\.json: Not a run file \(its format is nothing/),
      refused(['h0.json', 'missing.json'], /missing\.json cannot be read/),
    ]);
  });
});

describe('npm run experiment, at its limits', () => {
  it('a shard past the last trial has nothing to do: it says so, writes nothing and succeeds', async () => {
    const r = await shard(6, 8, 'empty.json');
    ok(r);
    expect(r.stdout).toContain(
      'shard 6/8 holds none of the 5 trials (trial t is in shard t mod 8): nothing to run, no file written',
    );
    expect(existsSync(out('empty.json'))).toBe(false);
  });

  it('refuses, after its first trials, a run whose file would outgrow what a run file holds', async () => {
    const r = await cli('--config', CONFIG, '--trials', '10000', '--threads', '1', '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: the run file of all 10000 trials would take about \d+ MB \([\d.]+ MB a trial\), more than the 64 MB a run file holds: run at most \d+ trials a run/,
    );
    // Refused when the first lockstep group (12 trials of two variants) ends, not at the run's end.
    expect(r.stdout).toContain('trials 0–9999 of 10000');
    expect(r.stdout).toContain('trials in lockstep, 834 groups of up to 12, one trainer each');
    expect(r.stdout).toMatch(/trial 11 \(seed \d+\) done/);
    expect(r.stdout).not.toMatch(/trial 12 /);
  });

  it('shares the cores among jobs, at most 4 threads a job', () => {
    expect(threadsPerJob(2, 64)).toBe(4);
    expect(threadsPerJob(2, 2)).toBe(1);
    expect(threadsPerJob(3, 2)).toBe(1);
    expect(threadsPerJob(4, 12)).toBe(3);
  });
});

describe('the cluster recipes', () => {
  it('the Kubernetes Indexed Job: each index’s command runs its shard, and the merge Job’s joins them into the run', async () => {
    const docs = parseAllDocuments(
      readFileSync(join(ROOT, 'deploy/kubernetes/sweep-job.yaml'), 'utf8'),
    ).map((d) => d.toJS());
    const claim = docs.find((d) => d.kind === 'PersistentVolumeClaim');
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
    const job = docs.find((d) => d.kind === 'Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const { env, script } = shellOf(job);
    expect(Number(env.SHARDS)).toBe(job.spec.completions);
    expect(job.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe(
      claim.metadata.name,
    );
    const results = out('k8s');
    mkdirSync(results); // the shared volume
    const ran = await Promise.all(
      Array.from({ length: job.spec.completions }, (_, i) =>
        run('sh', ['-c', script], {
          ...env,
          CONFIG,
          RESULTS: results,
          JOB_COMPLETION_INDEX: String(i),
        }),
      ),
    );
    ran.forEach(ok);
    const merge = shellOf(
      parse(readFileSync(join(ROOT, 'deploy/kubernetes/merge-job.yaml'), 'utf8')),
    );
    ok(await run('sh', ['-c', merge.script], { ...merge.env, RESULTS: results }));
    expect(science(decodeRunFile(readFileSync(join(results, 'all.json'), 'utf8')))).toEqual(
      science(whole),
    );
  });

  it('the Slurm job array: each task runs its shard, and the shards merge into the run', async () => {
    const script = join(ROOT, 'deploy/slurm/sweep.sbatch');
    const text = readFileSync(script, 'utf8');
    const [, first, last] = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(text)!;
    const shards = Number(/^SHARDS=\$\{SHARDS:-(\d+)\}$/m.exec(text)![1]);
    expect([Number(first), Number(last)]).toEqual([0, shards - 1]);
    const results = out('slurm');
    const ran = await Promise.all(
      Array.from({ length: shards }, (_, i) =>
        run('bash', [script], {
          CONFIG,
          RESULTS: results,
          SLURM_SUBMIT_DIR: ROOT,
          SLURM_ARRAY_TASK_ID: String(i),
          SLURM_CPUS_PER_TASK: '1',
        }),
      ),
    );
    ran.forEach(ok);
    const files = Array.from({ length: shards }, (_, i) => join(results, `shard-${i}.json`));
    const merged = await cli('merge', ...files, '--out', out('slurm-all.json'));
    ok(merged);
    expect(science(read('slurm-all.json'))).toEqual(science(whole));
  });
});
