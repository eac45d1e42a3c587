/**
 * The live figures, each a view of store slices with a caption that says what to look for.
 * The histograms, the pixel map and the losses follow one round scrubber (with play).
 */
import { memo, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { AccuracyChart, type AccuracySeries } from '../charts/AccuracyChart';
import { colorForRemaining } from '../charts/colors';
import { LayerBars } from '../charts/LayerBars';
import { LossChart } from '../charts/LossChart';
import { PmChart } from '../charts/PmChart';
import { LENET_300_100, type PruningConfig } from '../engine/config';
import { VARIANT_COLOR, VARIANT_LABEL } from '../settings/labels';
import { curveOf, remainingByLayer } from '../state/derive';
import { DigitPad } from './DigitPad';
import {
  labActions,
  useRoundSummaries,
  useRounds,
  useRunConfig,
  useShownEngine,
  useTrialRounds,
  useUi,
} from '../state/selectors';
import type { RoundView } from '../state/types';
import { roundsAccuracyCaption, shownLossCaption } from './captions';
import { layerCaption } from './captions-masks';
import { BeforeTrainingFigure } from './BeforeTrainingFigure';
import { Figure } from './Figure';
import { MaskFigures } from './MaskFigures';
import { pmCaption, pmSeries, seedsKey } from './pm-series';
import { SupermaskFigure } from './SupermaskFigure';
import { useLaggedValue } from './useLaggedValue';

const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;
const int = (v: number) => Math.round(v).toLocaleString('en-US');

/** The round the scrubber shows: the chosen one, else the latest with results. */
function useShownRound(rounds: readonly RoundView[]): RoundView | null {
  const { scrubRound } = useUi();
  const done = rounds.filter((r) => r.histograms);
  return (
    (scrubRound === null ? done[done.length - 1] : done.find((r) => r.round === scrubRound)) ??
    rounds[rounds.length - 1] ??
    null
  );
}

function Scrubber({ rounds, shown }: { rounds: readonly RoundView[]; shown: RoundView | null }) {
  const done = rounds.filter((r) => r.histograms);
  const [playing, setPlaying] = useState(false);
  // The store steps the scrubber: the timer must not restart with every point batch.
  const canPlay = done.length >= 2;
  useEffect(() => {
    if (!playing || !canPlay) return;
    const timer = setInterval(() => labActions().scrubStepped(), 900);
    return () => clearInterval(timer);
  }, [playing, canPlay]);
  if (done.length === 0) return null;
  const index = Math.max(
    0,
    done.findIndex((r) => r.round === shown?.round),
  );
  return (
    <div className="scrubber">
      <button
        className="secondary"
        data-testid="scrub-play"
        onClick={() => setPlaying((p) => !p)}
        disabled={done.length < 2}
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <input
        type="range"
        aria-label="round"
        data-testid="scrub-round"
        min={0}
        max={done.length - 1}
        value={index}
        onChange={(e) => {
          // The last position follows the latest round as new rounds complete.
          const i = Number(e.target.value);
          labActions().roundScrubbed(i === done.length - 1 ? null : done[i]!.round);
        }}
      />
      <span data-testid="scrub-label">
        round {shown?.round ?? 0} · {pct(shown?.remaining ?? 1)} of weights
      </span>
    </div>
  );
}

/**
 * Charts 2–4: one point per completed round, so they follow round summaries, not the point stream.
 */
const ResultFigures = memo(function ResultFigures({
  layerNames,
  seeds,
  pruning,
  presenter,
}: {
  layerNames: readonly string[];
  /** Projector size for the charts. */
  presenter: boolean;
  /** The run's seeds (trials). */
  seeds: number;
  /** How the run on screen prunes (null before any run): Figure 4's caption says it. */
  pruning: PruningConfig | null;
}) {
  // Deferred: a round's completion re-renders these in an interruptible pass that yields to the
  // main thread, instead of one long task.
  const summaries = useDeferredValue(useRoundSummaries());
  const trialRounds = useDeferredValue(useTrialRounds());
  // The bars update in a task of their own, after the other result figures.
  const lagged = useLaggedValue(summaries);
  const barRounds = useMemo(() => remainingByLayer(lagged), [lagged]);
  // Several seeds: each round once every seed has finished it, as mean, band and dots.
  const iterations = useMemo(
    () => pmSeries(seeds, summaries, trialRounds, (r) => r.earlyStop.iteration),
    [seeds, summaries, trialRounds],
  );
  const accuracies = useMemo(
    () => pmSeries(seeds, summaries, trialRounds, (r) => r.earlyStop.testAccuracy),
    [seeds, summaries, trialRounds],
  );
  const spreadKey = seeds > 1 ? seedsKey(seeds) : undefined;
  return (
    <>
      <Figure
        id="early-stop"
        title="2 · Early-stop iteration vs weights remaining"
        caption={`When validation loss bottoms out. ${pmCaption(iterations, int, seeds)}`}
      >
        <PmChart
          series={iterations}
          yLabel="early-stop iteration"
          format={int}
          presenter={presenter}
          {...(spreadKey ? { spreadKey } : {})}
        />
      </Figure>
      <Figure
        id="accuracy-pm"
        title="3 · Test accuracy at early stop vs weights remaining"
        caption={`Test accuracy where validation loss bottoms out. ${pmCaption(accuracies, (v) => pct(v, 1), seeds)}`}
      >
        <PmChart
          series={accuracies}
          yLabel="test accuracy"
          format={(v) => pct(v, 1)}
          presenter={presenter}
          {...(spreadKey ? { spreadKey } : {})}
        />
      </Figure>
      <Figure
        id="remaining"
        title="4 · Weights remaining per layer"
        caption={
          pruning
            ? layerCaption(pruning, barRounds, layerNames, seeds)
            : 'Each completed round adds a bar per layer.'
        }
      >
        <LayerBars rounds={barRounds} layerNames={layerNames} presenter={presenter} />
      </Figure>
    </>
  );
});

export function Figures() {
  const rounds = useRounds();
  const runConfig = useRunConfig();
  const engine = useShownEngine();
  const shown = useShownRound(rounds);
  const { presenter } = useUi();
  const layers = runConfig?.model.layers ?? LENET_300_100;
  // Stable across point updates, so the memoised result figures do not re-render with them.
  const layerNames = useMemo(
    () => layers.slice(1).map((out, i) => `layer ${i + 1} (${layers[i]}→${out})`),
    [layers],
  );

  const accuracy = useMemo<AccuracySeries[]>(
    () =>
      rounds.flatMap((r) =>
        r.variants
          .filter((v) => v === 'ticket' || r.round === shown?.round)
          .map((v) => {
            const es = r.summary?.variants.find((x) => x.variant === v);
            return {
              key: `${r.round}-${v}`,
              label: `${pct(r.remaining)} ${VARIANT_LABEL[v]}`,
              color: v === 'ticket' ? colorForRemaining(r.remaining) : VARIANT_COLOR[v],
              dashed: v !== 'ticket',
              points: curveOf(r, v),
              ...(es
                ? {
                    earlyStop: es.earlyStop,
                  }
                : {}),
            };
          }),
      ),
    [rounds, shown?.round],
  );
  const points = rounds.reduce(
    (n, r) => n + Object.values(r.curves).reduce((m, c) => m + (c?.length ?? 0), 0),
    0,
  );
  const seeds = runConfig?.training.trials ?? 1;
  // Each seed prunes its own masks: the histograms and the pixel map are one seed's, and say so.
  const whichSeed =
    seeds > 1 ? (
      <p className="caption" data-testid="seed-shown">
        Trial 0 of trials 0–{seeds - 1} (seed {runConfig!.training.seed}): each seed trains and
        prunes its own way; this figure shows this one (the side-by-side shows a round over every
        seed).
      </p>
    ) : null;

  const accuracyText = useMemo(() => roundsAccuracyCaption(rounds, seeds), [rounds, seeds]);
  const lossText = useMemo(() => shownLossCaption(shown, seeds), [shown, seeds]);

  return (
    <div className="figures">
      <Figure
        id="accuracy"
        title="1 · Test accuracy while training"
        caption={`Each round's ticket in its own colour (dark: dense, bright: sparse), the shown round's controls dashed, dots at early stop. ${accuracyText}`}
        points={points}
      >
        {whichSeed}
        <AccuracyChart
          series={accuracy}
          pmKey={rounds.filter((r) => r.variants.includes('ticket')).map((r) => r.remaining)}
          presenter={presenter}
        />
      </Figure>
      <ResultFigures
        layerNames={layerNames}
        seeds={seeds}
        pruning={runConfig?.pruning ?? null}
        presenter={presenter}
      />
      <MaskFigures
        shown={shown}
        widths={layers}
        layerNames={layerNames}
        reset={runConfig?.pruning.reset ?? null}
        presenter={presenter}
        scrubber={<Scrubber rounds={rounds} shown={shown} />}
        whichSeed={whichSeed}
        engine={engine}
        task={runConfig?.data.task ?? 'mnist'}
        foundOn={runConfig?.pruning.foundOn ?? null}
      />
      <Figure
        id="loss"
        title={`7 · Training and validation loss${shown ? ` · round ${shown.round}` : ''}`}
        caption={lossText}
      >
        {whichSeed}
        <LossChart
          presenter={presenter}
          series={(shown?.variants ?? []).map((v) => ({
            key: v,
            label: VARIANT_LABEL[v],
            color: VARIANT_COLOR[v],
            points: curveOf(shown!, v),
          }))}
        />
      </Figure>
      <BeforeTrainingFigure presenter={presenter} />
      <SupermaskFigure />
      <DigitPad
        remaining={shown?.remaining ?? 1}
        pixelSurvivors={
          shown?.histograms?.find((h) => h.variant === 'ticket')?.pixelSurvivors ?? null
        }
        fanOut={layers[1] ?? 300}
        presenter={presenter}
        task={runConfig?.data.task ?? 'mnist'}
      />
    </div>
  );
}
