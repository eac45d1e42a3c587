/**
 * Two stored runs overlaid (issue 4): test accuracy at early stop against P_m, each run's mean
 * over the seeds it holds (issue 14), one line per run and variant.
 */
import { useMemo } from 'react';
import type { OverlayLine } from '../charts/RunsOverlay';
import { compareRuns } from '../effects/run-history';
import { VARIANT_COLOR, VARIANT_LABEL, VARIANT_ORDER } from '../settings/labels';
import { seedsIn } from '../state/over-trials';
import { useOverlay } from '../state/selectors';
import { FigureExport } from './FigureExport';
import { RunsOverlayOnDemand } from './RunsOverlayOnDemand';

/**
 * Colour says the variant (as everywhere in the lab), the line style says the run: the first run
 * solid with filled dots, the second dashed with hollow ones. Two runs' colours never clash.
 */
const RUN_STYLE = ['━ solid', '╌ dashed'] as const;

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
          label: `${i === 0 ? 'A' : 'B'}: ${VARIANT_LABEL[v]}${seeds > 1 ? ` (mean of ${seeds})` : ''}`,
          color: VARIANT_COLOR[v],
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
      <div className="overlay-key legend" data-testid="overlay-key">
        {overlay.map(({ meta, trials }, i) => (
          <span key={meta.id}>
            {RUN_STYLE[i]}: run {i === 0 ? 'A' : 'B'}, {meta.name}
            {seedsIn(trials) > 1 ? ` (means of ${seedsIn(trials)} seeds)` : ''}
          </span>
        ))}
        {VARIANT_ORDER.filter((v) => lines.some((l) => l.key.endsWith(`-${v}`))).map((v) => (
          <span key={v}>
            <i className="swatch" aria-hidden="true" style={{ background: VARIANT_COLOR[v] }} />
            {VARIANT_LABEL[v]}
          </span>
        ))}
      </div>
      <RunsOverlayOnDemand lines={lines} />
      <button className="link" onClick={() => void compareRuns(null)}>
        close
      </button>
    </figure>
  );
}
