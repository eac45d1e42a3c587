/**
 * `--ticket FILE …`: tickets a run wrote, trained again as the trials of one run, real processes
 * on real MNIST. On their own task they are their run's round, bit for bit; on another task
 * (transfer) the run file says where the masks were found; tickets that are not one run's
 * trials, in order, are refused in words and nothing is written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunFile, decodeRunFile } from '../src/formats/run-file';
import { TINY, cli, ok, science } from './cli.testing';

const dir = mkdtempSync(join(tmpdir(), 'lottery-cli-tickets-'));
const out = (name: string) => join(dir, name);
const read = (name: string): RunFile => decodeRunFile(readFileSync(out(name), 'utf8'));
const ticket = (trial: number, round = 2, dir = 'tickets') =>
  out(`${dir}/trial-${trial}-round-${String(round).padStart(2, '0')}.ticket`);
const quiet = ['--threads', '1', '--quiet'];

/** Two pruned rounds: round 2's tickets carry what round 1 left them. */
const config = (patch: object = {}) =>
  JSON.stringify({
    ...TINY,
    training: { ...TINY.training, trials: 2 },
    pruning: { ...TINY.pruning, rounds: 2 },
    ...patch,
  });

beforeAll(async () => {
  writeFileSync(out('tiny.json'), config());
  ok(
    await cli(
      '--config',
      out('tiny.json'),
      ...quiet,
      '--tickets',
      out('tickets'),
      '--out',
      out('found.json'),
    ),
  );
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('training ticket files with --ticket', () => {
  it('trains each trial’s ticket on its own task as the round it was found in, bit for bit', async () => {
    ok(
      await cli('--ticket', ticket(0), '--ticket', ticket(1), ...quiet, '--out', out('same.json')),
    );
    const found = read('found.json');
    const again = read('same.json');
    expect(again.config.training).toMatchObject({ seed: 0, trials: 2 });
    expect(again.config.pruning.foundOn).toBeNull();
    expect(again.config.data.task).toBe('mnist');
    expect(science(again)).toEqual(science(found).filter((r) => r.round === 2));
    expect(again.name).toMatch(
      /^Ticket of round 2 \(P_m \d+\.\d%\) found on MNIST digits, trained on the same task, 2 trials of seed 0$/,
    );
  }, 120_000);

  it('a rewinding run’s tickets (the weights at iteration k) too', async () => {
    writeFileSync(
      out('rewind.json'),
      config({ pruning: { ...TINY.pruning, rounds: 2, reset: { kind: 'rewind', iteration: 10 } } }),
    );
    ok(
      await cli(
        '--config',
        out('rewind.json'),
        '--trials',
        '1',
        ...quiet,
        '--tickets',
        out('rewind'),
        '--out',
        out('rewind-found.json'),
      ),
    );
    const kept = out('rewind/round-02.ticket');
    ok(await cli('--ticket', kept, ...quiet, '--out', out('rewind-again.json')));
    expect(science(read('rewind-again.json'))).toEqual(
      science(read('rewind-found.json')).filter((r) => r.round === 2),
    );
  }, 120_000);

  it('transfers the tickets to another task, beside the same masks reinitialised, and says so', async () => {
    const r = await cli(
      '--ticket',
      ticket(0),
      '--ticket',
      ticket(1),
      '--task',
      'permuted',
      '--controls',
      'reinit,rearrange',
      ...quiet,
      '--out',
      out('permuted.json'),
      '--table',
      out('permuted.md'),
    );
    ok(r);
    expect(r.stdout).toContain(
      'found on MNIST digits, trained on permuted digits beside reinit, rearrange',
    );
    const moved = read('permuted.json');
    const found = read('found.json');
    expect(moved.config.data.task).toBe('permuted');
    expect(moved.config.pruning.foundOn).toBe('mnist');
    expect(moved.name).toContain('found on MNIST digits, trained on permuted digits');
    const [round] = moved.rounds;
    expect(round!.round).toBe(2);
    // The same masks' counts as where they were found...
    expect(round!.remainingByLayer).toEqual(found.rounds[2]!.remainingByLayer);
    expect(round!.trials[0]!.variants.map((v) => v.variant)).toEqual([
      'ticket',
      'reinit',
      'rearrange',
    ]);
    // ...and on other images it trains to other numbers.
    const curve = (f: RunFile) =>
      f.rounds.find((x) => x.round === 2)!.trials[0]!.variants[0]!.curve;
    expect(curve(moved)).not.toEqual(curve(found));
    expect(readFileSync(out('permuted.md'), 'utf8')).toContain('ticket − reinit @ES');
  }, 120_000);

  it('refuses tickets that are not one run’s trials in order, other settings, or a damaged file, writing nothing', async () => {
    const refused = async (args: string[], message: string) => {
      const r = await cli(...args, ...quiet, '--out', out('refused.json'));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(message);
      expect(existsSync(out('refused.json'))).toBe(false);
    };
    await refused(
      ['--ticket', ticket(1), '--ticket', ticket(0)],
      "trial-0-round-02.ticket (ticket 2 of 2) has seed 0, but trial 1 of a run of seed 866858207 has seed 1409540654: give the tickets of one run's trials 0, 1, 2, … in that order (trial 0's first: its seed is the run's)",
    );
    await refused(['--ticket', ticket(0), '--ticket', ticket(1, 0)], "is round 0's");
    await refused(['--ticket', ticket(0), '--iterations', '5'], '--iterations cannot change them');
    await refused(
      ['--ticket', ticket(0), '--controls', 'signed'],
      'trains beside reinit, rearrange, random, not signed',
    );
    writeFileSync(out('bad.ticket'), 'LTTICKET and then nothing');
    await refused(['--ticket', out('bad.ticket')], 'bad.ticket');
  }, 120_000);
});
