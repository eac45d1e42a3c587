/**
 * Figures 5 and 6 for any variant of the shown round (issue 16). The engine bins each variant's
 * own starting values at its own mask (the ticket: θ0 at its mask; random reinit: a fresh draw;
 * rearranged: the ticket's values elsewhere; …) and counts its own first-layer connections per
 * pixel; a select in each figure picks the variant, and every word on them names it.
 */
import { type ReactNode, useMemo, useState } from 'react';
import { HistogramChart } from '../charts/HistogramChart';
import { PixelMap } from '../charts/PixelMap';
import type { ResetSpec, TaskName, VariantName } from '../engine/config';
import { inDigitLayout, movesPixels } from '../engine/tasks';

/** The engine before issue 16, whose Figure 3 binned θ0 at every variant's mask. */
export const LEGACY_ENGINE = 'lottery-ticket-lab engine 1';
import { VARIANT_LABEL, VARIANT_ORDER } from '../settings/labels';
import type { RoundView } from '../state/types';
import {
  type PixelLayout,
  histogramCaption,
  pixelCaption,
  pixelLayoutWords,
  startWords,
} from './captions-masks';
import { Figure } from './Figure';
import { useLaggedValue } from './useLaggedValue';

/** The variant a round shows: the one chosen where the round has it, else its ticket. */
export function shownVariant(chosen: VariantName, has: readonly VariantName[]): VariantName {
  return has.includes(chosen) ? chosen : 'ticket';
}

function VariantSelect({
  figure,
  options,
  value,
  onChange,
}: {
  figure: string;
  options: readonly VariantName[];
  value: VariantName;
  onChange: (v: VariantName) => void;
}) {
  return (
    <label style={{ display: 'block', margin: '4px 0' }}>
      variant{' '}
      <select
        data-testid={`variant-${figure}`}
        // The figure's own size: projector-size words in presenter mode, the control's included.
        style={{ font: 'inherit' }}
        value={value}
        onChange={(e) => onChange(e.target.value as VariantName)}
      >
        {options.map((v) => (
          <option key={v} value={v}>
            {VARIANT_LABEL[v]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function MaskFigures({
  shown,
  widths,
  layerNames,
  reset,
  presenter,
  scrubber,
  whichSeed,
  engine,
  task = 'mnist',
  foundOn = null,
}: {
  shown: RoundView | null;
  /** Layer widths, input first. */
  widths: readonly number[];
  layerNames: readonly string[];
  /** How the run resets survivors: under rewinding, rounds after 0 start from iteration k. */
  reset: ResetSpec | null;
  presenter: boolean;
  /** The round scrubber, drawn in Figure 5. */
  scrubber: ReactNode;
  /** The note saying which seed the figures show, where the run has several. */
  whichSeed: ReactNode;
  /**
   * The engine whose results these are (the stored run's; null: before engines were named).
   * Before engine 2 Figure 3 binned θ0 at every variant's mask, so only the ticket's histograms
   * (and under rewinding not even its words) are what Figure 5 says they are.
   */
  engine: string | null;
  /** The task the run trains on, and where its masks were found when elsewhere (a transfer). */
  task?: TaskName;
  foundOn?: TaskName | null;
}) {
  // The choice outlives a round without it (round 0 has only the ticket): it returns with the
  // next round that has it.
  const [chosen, setChosen] = useState<VariantName>('ticket');
  const [layout, setLayout] = useState<PixelLayout>('inputs');
  // Only permuted and rotated digits reach the net elsewhere than the digit has them.
  const moves = movesPixels(task);
  const shownLayout: PixelLayout = moves ? layout : 'inputs';
  // One task after the bars: the figures a completed round changes commit in separate tasks.
  const round = useLaggedValue(
    useMemo(
      () => (shown?.histograms ? { round: shown.round, histograms: shown.histograms } : null),
      [shown?.round, shown?.histograms],
    ),
  );
  const options = useMemo(
    () =>
      VARIANT_ORDER.filter((v) => round?.histograms.some((h) => h.variant === v) ?? v === 'ticket'),
    [round],
  );
  const variant = shownVariant(chosen, options);
  const data = round?.histograms.find((h) => h.variant === variant);
  // Engine 1 (and files before engines were named) binned θ0 at every variant's mask.
  const legacy = engine === null || engine === LEGACY_ENGINE;
  // Figure 5 of an engine-1 run: the ticket's bins, θ0 at its mask, whatever the choice.
  const histVariant = legacy ? 'ticket' : variant;
  const histData = round?.histograms.find((h) => h.variant === histVariant);
  const rewind =
    !legacy && reset?.kind === 'rewind' && reset.iteration > 0 && (round?.round ?? 0) > 0
      ? reset.iteration
      : null;
  const words = startWords(variant, rewind);
  const histWords = startWords(histVariant, rewind);
  const dense = widths[1] ?? 300;
  const histText = useMemo(
    () => (histData ? histogramCaption(histData.layers, layerNames, histVariant, rewind) : ''),
    [histData, layerNames, histVariant, rewind],
  );
  const pixels = useMemo(
    () =>
      data && shownLayout === 'digit'
        ? inDigitLayout(data.pixelSurvivors, task)
        : data?.pixelSurvivors,
    [data, shownLayout, task],
  );
  const pixelText = useMemo(
    () =>
      pixels
        ? pixelLayoutWords(task, foundOn, shownLayout, moves) + pixelCaption(pixels, dense, variant)
        : '',
    [pixels, dense, variant, task, foundOn, shownLayout, moves],
  );
  const select = (figure: string) =>
    data ? (
      <VariantSelect figure={figure} options={options} value={variant} onChange={setChosen} />
    ) : null;
  const named = data ? ` · ${VARIANT_LABEL[variant]}` : '';
  const histNamed = histData ? ` · ${VARIANT_LABEL[histVariant]}` : '';
  const legacyNote =
    legacy && histData && options.length > 1 ? (
      <p className="caption" data-testid="histogram-engine-note">
        These results were computed by an earlier engine ({engine ?? 'engine 1'}), which binned θ0
        at every variant&apos;s mask instead of the values it started from: Figure 5 shows the
        winning ticket&apos;s, the same in both. Train the run again to see each control&apos;s own
        starting values.
      </p>
    ) : null;

  return (
    <>
      <Figure
        id="histograms"
        title={`5 · Initial weights of the survivors (the seed's Figure 3)${histNamed}`}
      >
        {scrubber}
        {legacy ? null : select('histograms')}
        {legacyNote}
        {whichSeed}
        {histData ? (
          <HistogramChart
            layers={histData.layers}
            widths={widths}
            presenter={presenter}
            caption={histText}
            blue={histWords}
          />
        ) : (
          <p className="muted">Histograms arrive when a round completes.</p>
        )}
      </Figure>
      <Figure id="pixels" title={`6 · Surviving connections per input pixel${named}`}>
        {select('pixels')}
        {data && moves ? (
          <label style={{ display: 'block', margin: '4px 0' }}>
            map over{' '}
            <select
              data-testid="pixels-layout"
              style={{ font: 'inherit' }}
              value={shownLayout}
              onChange={(e) => setLayout(e.target.value as PixelLayout)}
            >
              <option value="inputs">the net’s inputs</option>
              <option value="digit">the digit’s pixels</option>
            </select>
          </label>
        ) : null}
        {whichSeed}
        {pixels ? (
          <PixelMap
            counts={pixels}
            max={dense}
            presenter={presenter}
            caption={pixelText}
            whose={words.whose}
          />
        ) : (
          <p className="muted">The pixel map arrives when a round completes.</p>
        )}
      </Figure>
    </>
  );
}
