/**
 * The one figure of a story step (story.ts), drawn large with the lab's own charts. Plain data in:
 * the step's figure and the run; nothing here chooses what a step shows.
 */
import { useMemo } from 'react';
import { AccuracyChart, type AccuracySeries } from '../charts/AccuracyChart';
import { colorForRemaining } from '../charts/colors';
import { HistogramChart } from '../charts/HistogramChart';
import { PmChart } from '../charts/PmChart';
import { LENET_300_100 } from '../engine/config';
import { VARIANT_COLOR, VARIANT_LABEL } from '../settings/labels';
import { pmSeries, seedsKey } from './pm-series';
import type { StoryFigure, StoryRun } from './story';
import { doneRounds, int, pct } from './story-facts';

/**
 * The accuracy lines of rounds 0–`upTo` (and one round's controls), with an axis that cuts no
 * value onto its floor: from the start (iteration 0 included) the axis holds every point; else
 * each line's climb below the weakest early stop is left out, named in the note, and the axis
 * still holds every point drawn.
 */
/** Evaluations a figure "from the start" shows: iteration 0 and the first climb. */
const START_EVALUATIONS = 8;

export function accuracyFigure(
  run: StoryRun,
  f: Extract<StoryFigure, { kind: 'accuracy' }>,
): { series: AccuracySeries[]; floor: number; cutAt: number; left: number } {
  const rounds = doneRounds(run.rounds).filter((r) => r.round <= f.upTo);
  const lines = rounds.flatMap((r) =>
    r.summary.variants
      .filter((v) => v.variant === 'ticket' || r.round === f.controlsOf)
      .map((v) => ({ r, v, points: r.curves[v.variant] ?? [] })),
  );
  const lowest = Math.min(...lines.map((l) => l.v.earlyStop.testAccuracy));
  const cutAt = f.fromStart
    ? 0
    : Math.max(0.5, Math.min(0.9, Math.floor((lowest - 0.02) * 50) / 50));
  let left = 0;
  const series = lines.map(({ r, v, points: all }) => {
    // From the start: the first evaluations only, so iteration 0 is not a sliver at the edge.
    const points = f.fromStart ? all.slice(0, START_EVALUATIONS) : all;
    const from = points.findIndex((p) => p.testAccuracy >= cutAt);
    const kept = from < 0 ? [] : points.slice(from);
    left += points.length - kept.length;
    return {
      key: `${r.round}-${v.variant}`,
      label: `${pct(r.remaining)} ${VARIANT_LABEL[v.variant]}`,
      color: v.variant === 'ticket' ? colorForRemaining(r.remaining) : VARIANT_COLOR[v.variant],
      dashed: v.variant !== 'ticket',
      points: kept,
      ...(f.fromStart ? {} : { earlyStop: v.earlyStop }),
    };
  });
  const min = Math.min(1, ...series.flatMap((s) => s.points.map((p) => p.testAccuracy)));
  const step = f.fromStart ? 0.1 : 0.02;
  return { series, floor: Math.max(0, Math.floor(min / step) * step), cutAt, left };
}

export function StoryFigureView({ figure, run }: { figure: StoryFigure; run: StoryRun }) {
  const seeds = run.config?.training.trials ?? 1;
  const summaries = useMemo(() => run.rounds.map((r) => r.summary), [run.rounds]);
  switch (figure.kind) {
    case 'accuracy':
      return <AccuracyFigure figure={figure} run={run} />;
    case 'pm': {
      const accuracy = figure.measure === 'accuracy';
      const series = pmSeries(seeds, summaries, run.trialRounds, (r) =>
        accuracy ? r.earlyStop.testAccuracy : r.earlyStop.iteration,
      );
      return (
        <figure className="story-chart">
          <figcaption>
            {accuracy ? 'Test accuracy at early stop' : 'Early-stop iteration'} vs weights remaining
          </figcaption>
          <PmChart
            series={series}
            yLabel={accuracy ? 'test accuracy' : 'early-stop iteration'}
            format={accuracy ? (v) => pct(v) : int}
            height={470}
            {...(seeds > 1 ? { spreadKey: seedsKey(seeds) } : {})}
          />
        </figure>
      );
    }
    case 'histograms': {
      const r = run.rounds.find((x) => x.round === figure.round);
      const ticket = r?.histograms?.find((h) => h.variant === 'ticket');
      return (
        <figure className="story-chart">
          <figcaption>
            Initial weights θ0 of the survivors · round {figure.round} · {pct(r?.remaining ?? 1)} of
            weights
          </figcaption>
          <HistogramChart
            layers={ticket?.layers ?? []}
            widths={run.config?.model.layers ?? LENET_300_100}
            presenter
            caption="Grey: all of a layer's θ0; blue: the survivors' θ0, scaled to their own peak."
          />
        </figure>
      );
    }
    case 'none':
      return null;
  }
}

function AccuracyFigure({
  figure,
  run,
}: {
  figure: Extract<StoryFigure, { kind: 'accuracy' }>;
  run: StoryRun;
}) {
  const { series, floor, cutAt, left } = useMemo(() => accuracyFigure(run, figure), [run, figure]);
  const controls = series.filter((s) => s.dashed).map((s) => s.label);
  return (
    <figure className="story-chart">
      <figcaption>
        Test accuracy while training · rounds 0–{figure.upTo}
        {figure.fromStart && series[0]?.points.length
          ? ` · iterations 0–${int(series[0].points[series[0].points.length - 1]!.iteration)}`
          : ''}
        <span className="story-key">
          {' '}
          Solid: the ticket of each round (dark: dense, bright: sparse)
          {figure.fromStart ? '' : '; dots: early stops'}
          {controls.length > 0 ? `; dashed: round ${figure.controlsOf}'s controls` : ''}.
          {left > 0 &&
            ` Each line's first climb below ${pct(cutAt, 0)} is left out (${left} evaluations); the axis holds every point drawn.`}
        </span>
      </figcaption>
      <AccuracyChart series={series} floor={floor} height={470} />
    </figure>
  );
}
