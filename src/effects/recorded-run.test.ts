// @vitest-environment happy-dom
/**
 * The recorded lecture run (recorded-run.ts): offered on a first visit, until dismissed or stored.
 */
import { describe, expect, it } from 'vitest';
import { RUN, db, fx, reloadPage, startPage, state } from './effects.testing';

describe('first visit', () => {
  it('offers the recorded lecture, until dismissed', async () => {
    await startPage();
    expect(state().recordedOffered).toBe(true);
    fx.recorded.dismissRecordedOffer();
    expect(state().recordedOffered).toBe(false);
    await reloadPage();
    await startPage();
    expect(state().recordedOffered).toBe(false);
  });

  it('does not offer it once stored', async () => {
    await db.importRun(
      {
        name: 'lecture',
        config: RUN.config,
        backend: RUN.backend,
        rounds: RUN.rounds,
        engine: RUN.engine,
      },
      'recorded',
    );
    await startPage();
    expect(state().runs).toHaveLength(1);
    expect(state().recordedOffered).toBe(false);
  });
});
