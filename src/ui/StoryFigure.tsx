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

/** Evaluations a figure "from the start" shows: iteration 0 and the first climb. */
const START_EVALUATIONS = 8;

/**
 * The accuracy lines of rounds 0–`upTo` (and one round's controls). The chart's axis holds every
 * point (chance level and the masks' accuracy at iteration 0 included), so nothing is cut.
 */
export function accuracyFigure(
  run: StoryRun,
  f: Extract<StoryFigure, { kind: 'accuracy' }>,
): AccuracySeries[] {
  const rounds = doneRounds(run.rounds).filter((r) => r.round <= f.upTo);
  return rounds.flatMap((r) =>
    r.summary.variants
      .filter((v) => v.variant === 'ticket' || r.round === f.controlsOf)
      .map((v) => {
        const all = r.curves[v.variant] ?? [];
        return {
          key: `${r.round}-${v.variant}`,
          label: `${pct(r.remaining)} ${VARIANT_LABEL[v.variant]}`,
          color: v.variant === 'ticket' ? colorForRemaining(r.remaining) : VARIANT_COLOR[v.variant],
          dashed: v.variant !== 'ticket',
          // From the start: the first evaluations only, so iteration 0 is not a sliver at the edge.
          points: f.fromStart ? all.slice(0, START_EVALUATIONS) : all,
          ...(f.fromStart ? {} : { earlyStop: v.earlyStop }),
        };
      }),
  );
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
  const series = useMemo(() => accuracyFigure(run, figure), [run, figure]);
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
          {controls.length > 0 ? `; dashed: round ${figure.controlsOf}'s controls` : ''}. The axis
          is the error on a log scale: every point is drawn where it is.
        </span>
      </figcaption>
      <AccuracyChart series={series} height={470} />
    </figure>
  );
}
