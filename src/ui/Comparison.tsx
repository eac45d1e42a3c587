/**
 * Side by side: the winning ticket and one control at the same P_m, on shared axes, with a
 * verdict that knows its noise (issue 14): the mean difference in percentage points over seeds,
 * its spread, how many seeds agree, and the test set's own sampling error, in words chosen from
 * those numbers (src/compare/). One seed says it is one seed.
 */
import { useMemo } from 'react';
import { AccuracyChart, accuracyExtent } from '../charts/AccuracyChart';
import { pairedAtEarlyStop } from '../compare/paired';
import { verdict } from '../compare/verdict';
import { CONTROLS, type ControlName, type VariantName } from '../engine/config';
import type { RunRound } from '../engine/trials';
import { VARIANT_COLOR, VARIANT_LABEL } from '../settings/labels';
import { decimate } from '../state/derive';
import { meanCurve, spreadOf } from '../state/over-trials';
import { labActions, useRounds, useRunConfig, useTrialRounds, useUi } from '../state/selectors';
import { FigureExport } from './FigureExport';

const pct = (x: number, d = 2) => `${(100 * x).toFixed(d)}%`;

/**
 * A variant's test accuracy over the round's seeds, in words: at early stop, or (issue 16) at the
 * round's first evaluation, before its first step.
 */
function accuracyOf(round: RunRound, variant: VariantName, before = false): string {
  const s = spreadOf(
    round.trials.flatMap((t) =>
      t.variants
        .filter((v) => v.variant === variant)
        .map((v) => (before ? v.curve[0]!.testAccuracy : v.earlyStop.testAccuracy)),
    ),
  );
  return s.values.length > 1
    ? `${VARIANT_LABEL[variant]} ${pct(s.mean)} ± ${(100 * (s.hi - s.mean)).toFixed(2)} pp`
    : `${VARIANT_LABEL[variant]} ${pct(s.mean)}`;
}

function Side({
  round,
  variant,
  extent,
  presenter,
}: {
  round: RunRound;
  variant: VariantName;
  extent: [number, number];
  presenter: boolean;
}) {
  const seeds = round.trials.length;
  const curve = useMemo(() => decimate(meanCurve(round, variant)), [round, variant]);
  const only = seeds === 1 ? round.trials[0]!.variants.find((v) => v.variant === variant) : null;
  return (
    <div
      className="side"
      data-testid={`compare-${variant}`}
      data-panel-title={`${VARIANT_LABEL[variant]}${seeds > 1 ? `, mean ± sd of ${seeds} seeds` : ''}`}
    >
      <h3>
        <i className="swatch" aria-hidden="true" style={{ background: VARIANT_COLOR[variant] }} />
        {VARIANT_LABEL[variant]}
      </h3>
      <AccuracyChart
        height={220}
        extent={extent}
        presenter={presenter}
        series={[
          {
            key: variant,
            label:
              seeds > 1 ? `${VARIANT_LABEL[variant]}, mean of ${seeds}` : VARIANT_LABEL[variant],
            color: VARIANT_COLOR[variant],
            dashed: false,
            points: curve,
            ...(seeds > 1 ? { band: curve } : {}),
            ...(only ? { earlyStop: only.earlyStop } : {}),
          },
        ]}
      />
    </div>
  );
}

export function Comparison() {
  const rounds = useRounds();
  const trialRounds = useTrialRounds();
  const config = useRunConfig();
  const { compareWith: chosen, scrubRound, presenter } = useUi();
  const available = CONTROLS.filter((c) => rounds.some((r) => r.variants.includes(c)));
  // The chosen control if it trained in this run, else the first one that did.
  const compareWith = available.includes(chosen) ? chosen : (available[0] ?? chosen);
  // Rounds every seed has finished, with this control.
  const candidates = trialRounds.filter((r) => r.summary.some((s) => s.variant === compareWith));
  const round = candidates.find((r) => r.round === scrubRound) ?? candidates[candidates.length - 1];
  const paired =
    round && config ? pairedAtEarlyStop(round, 'ticket', compareWith, config.data.testSize) : null;
  // The round's first evaluation: iteration 0, or k in a run rewound to iteration k.
  const firstAt = round?.trials[0]?.variants[0]?.curve[0]?.iteration ?? 0;
  const said = paired && verdict(paired, 'the winning ticket', VARIANT_LABEL[compareWith]);
  // Which round, and why: the scrubber's, or the latest every seed has finished with this control.
  const latest = `the latest ${round && round.trials.length > 1 ? 'every seed has finished' : 'finished'} with ${VARIANT_LABEL[compareWith]}`;
  const which = !round
    ? ''
    : scrubRound === round.round
      ? `round ${round.round}, picked by Figure 5’s scrubber`
      : scrubRound === null
        ? `round ${round.round}, ${latest}`
        : `round ${round.round}, ${latest}; Figure 5 shows round ${scrubRound}`;
  // Shared axes: one accuracy axis holding both sides' curves and bands, iteration 0 included.
  const extent = useMemo<[number, number]>(
    () =>
      round
        ? accuracyExtent(
            (['ticket', compareWith] as const).map((v) => {
              const curve = meanCurve(round, v);
              return { key: v, label: v, color: '', dashed: false, points: curve, band: curve };
            }),
          )
        : [0.9, 1],
    [round, compareWith],
  );
  return (
    <section className="panel comparison" aria-label="Side by side" data-testid="comparison">
      <h2 className="with-export">
        Side by side: the winning ticket vs a control at the same sparsity{' '}
        <FigureExport targetId="comparison" name="side-by-side" />
      </h2>
      <label>
        round{' '}
        <select
          data-testid="compare-round"
          value={scrubRound === null || !round ? 'latest' : String(round.round)}
          onChange={(e) =>
            labActions().roundScrubbed(e.target.value === 'latest' ? null : Number(e.target.value))
          }
          aria-describedby="compare-round-note"
        >
          <option value="latest">latest</option>
          {candidates.map((r) => (
            <option key={r.round} value={r.round}>
              {r.round} · {pct(r.remaining, 1)}
            </option>
          ))}
        </select>
      </label>{' '}
      <small className="muted" id="compare-round-note">
        (Figure 5’s scrubber picks the same round)
      </small>{' '}
      <label>
        control{' '}
        <select
          data-testid="compare-with"
          value={compareWith}
          onChange={(e) => labActions().comparisonChosen(e.target.value as ControlName)}
        >
          {(available.length ? available : CONTROLS).map((c) => (
            <option key={c} value={c}>
              {VARIANT_LABEL[c]}
            </option>
          ))}
        </select>
      </label>
      {round && said ? (
        <>
          <p className="verdict" data-testid="compare-verdict" data-kind={said.kind}>
            At {pct(round.remaining, 1)} of weights ({which}): {said.words}.
          </p>
          <p className="muted" data-testid="compare-numbers">
            Test accuracy at early stop
            {round.trials.length > 1 ? `, mean ± sd over ${round.trials.length} seeds` : ''}:{' '}
            {accuracyOf(round, 'ticket')}; {accuracyOf(round, compareWith)}. Difference {said.short}
            ; the test set’s own error ±{(1.96 * said.testSePp).toFixed(2)} pp (95%,{' '}
            {config!.data.testSize.toLocaleString('en-US')} images).{' '}
            <span data-testid="compare-before">
              {firstAt > 0
                ? `At the first evaluation (iteration ${firstAt}, rewound)`
                : 'Before training'}
              : {accuracyOf(round, 'ticket', true)}; {accuracyOf(round, compareWith, true)}.
            </span>
          </p>
          <div className="sides">
            <Side round={round} variant="ticket" extent={extent} presenter={presenter} />
            <Side round={round} variant={compareWith} extent={extent} presenter={presenter} />
          </div>
          {round.trials.length > 1 && (
            <p className="muted">Lines: mean over seeds at each evaluation; band: ±1 sd.</p>
          )}
        </>
      ) : (
        <p className="muted">
          Train at least one pruned round with {VARIANT_LABEL[compareWith]} to compare it with the
          ticket.
        </p>
      )}
    </section>
  );
}
