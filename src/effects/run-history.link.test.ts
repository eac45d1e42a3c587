// @vitest-environment happy-dom
/**
 * The run opened at start (issue 15): a shared link's settings open the latest stored run of
 * that config, or none; a link without settings opens the run last worked on, as a reload did.
 */
import { describe, expect, it } from 'vitest';
import { mergeConfig } from '../engine/config';
import { TINY_CONFIG } from '../formats/formats.testing';
import { db, fx, state, trainedRun } from './effects.testing';

const A = TINY_CONFIG;
const B = mergeConfig(TINY_CONFIG, { training: { learningRate: 0.005 } });

/** Stored, oldest first: A "old A", then B, then A "new A", then B "latest": the last worked on. */
async function history() {
  const ids: Record<string, string> = {};
  for (const [name, config] of [
    ['old A', A],
    ['B', B],
    ['new A', A],
    ['latest', B],
  ] as const) {
    const { meta } = await trainedRun(config, 1);
    await db.rename(meta.id, name);
    ids[name] = meta.id;
    await new Promise((r) => setTimeout(r, 5)); // distinct update times
  }
  await fx.history.refreshHistory();
  return ids;
}

describe('the run opened at start', () => {
  it('with no settings in the link: the run last worked on, without a word', async () => {
    const ids = await history();
    await fx.history.reopenLatest(null);
    expect(state().activeRunId).toBe(ids.latest);
    expect(state().notices).toEqual([]);
  });

  it('with settings in the link: the latest stored run of exactly that config, named', async () => {
    const ids = await history();
    await fx.history.reopenLatest(mergeConfig(A, {}));
    expect(state().activeRunId).toBe(ids['new A']);
    expect(state().runConfig).toEqual(A);
    expect(state().notices).toHaveLength(1);
    expect(state().notices[0]).toMatch(
      /^Opened the stored run "new A" \(.+\): it has the link's settings\.$/,
    );
  });

  it('with settings no stored run has: none, the figures empty, and it says so', async () => {
    const ids = await history();
    expect(Object.keys(ids)).toHaveLength(4);
    await fx.history.reopenLatest(mergeConfig(A, { pruning: { rounds: 1 } }));
    expect(state()).toMatchObject({ activeRunId: null, rounds: [], state: 'idle' });
    expect(state().notices).toEqual([
      "None of the 4 stored runs has the link's settings: nothing opened; Run trains them.",
    ]);
  });

  it('with settings and an empty history: nothing opened, nothing said', async () => {
    await fx.history.refreshHistory();
    await fx.history.reopenLatest(A);
    expect(state()).toMatchObject({ activeRunId: null, notices: [] });
  });
});
