/**
 * Two stored runs overlaid (issue 4): test accuracy at early stop against P_m, each run's mean
 * over the seeds it holds (issue 14), one line per run and variant.
 */
import { useMemo } from 'react';
import { type OverlayLine, RunsOverlay } from '../charts/RunsOverlay';
import { compareRuns } from '../effects/run-history';
import { VARIANT_COLOR, VARIANT_LABEL, VARIANT_ORDER } from '../settings/labels';
import { seedsIn } from '../state/over-trials';
import { useOverlay } from '../state/selectors';
import { FigureExport } from './FigureExport';

/** The two runs' tickets, told apart by colour (their controls by dashes). */
const RUN_COLORS = ['#1f5fd6', '#e76f51'];

export function HistoryOverlay() {
  const overlay = useOverlay();
  const lines = useMemo<OverlayLine[]>(
    () =>
      // Each run's mean over the seeds it holds (its one seed's value, for one).
      (overlay ?? []).flatMap(({ meta, trials }, i) => {
        const seeds = seedsIn(trials);
        return VARIANT_ORDER.filter((v) =>
          trials.some((r) => r.summary.some((x) => x.variant === v)),
        ).map((v) => ({
          key: `${meta.id}-${v}`,
          label: `${meta.name}: ${VARIANT_LABEL[v]}${seeds > 1 ? ` (mean of ${seeds} seeds)` : ''}`,
          color: v === 'ticket' ? RUN_COLORS[i % 2]! : VARIANT_COLOR[v],
          dashed: i === 1,
          points: trials.flatMap((r) =>
            r.summary
              .filter((x) => x.variant === v && x.earlyStopTestAccuracy.mean !== null)
              .map((x) => ({
                remainingPct: r.remaining * 100,
                accuracy: x.earlyStopTestAccuracy.mean!,
              })),
          ),
        }));
      }),
    [overlay],
  );
  if (!overlay) return null;
  return (
    <figure className="overlay" data-testid="runs-overlay">
      <h3 className="with-export">
        Test accuracy at early stop vs weights remaining:{' '}
        {overlay.map((r) => r.meta.name).join(' vs ')}{' '}
        <FigureExport targetId="runs-overlay" name="runs-overlay" />
      </h3>
      <RunsOverlay lines={lines} />
      <button className="link" onClick={() => void compareRuns(null)}>
        close
      </button>
    </figure>
  );
}
