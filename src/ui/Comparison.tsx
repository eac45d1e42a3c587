/**
 * Side by side: the winning ticket and one control at the same P_m, on shared axes, with the
 * difference stated in words.
 */
import { AccuracyChart } from '../charts/AccuracyChart';
import { CONTROLS, type ControlName, type VariantName } from '../engine/config';
import { VARIANT_COLOR, VARIANT_LABEL } from '../settings/labels';
import { curveOf, describeComparison } from '../state/derive';
import { labActions, useRounds, useUi } from '../state/selectors';
import type { RoundView } from '../state/types';
import { FigureExport } from './FigureExport';

function Side({
  round,
  variant,
  floor,
}: {
  round: RoundView;
  variant: VariantName;
  floor: number;
}) {
  const es = round.summary?.variants.find((v) => v.variant === variant);
  return (
    <div className="side" data-testid={`compare-${variant}`}>
      <h3 style={{ color: VARIANT_COLOR[variant] }}>{VARIANT_LABEL[variant]}</h3>
      <AccuracyChart
        height={220}
        floor={floor}
        series={[
          {
            key: variant,
            label: VARIANT_LABEL[variant],
            color: VARIANT_COLOR[variant],
            dashed: false,
            points: curveOf(round, variant),
            ...(es
              ? {
                  earlyStop: es.earlyStop,
                }
              : {}),
          },
        ]}
      />
    </div>
  );
}

export function Comparison() {
  const rounds = useRounds();
  const { compareWith: chosen, scrubRound } = useUi();
  const available = CONTROLS.filter((c) => rounds.some((r) => r.variants.includes(c)));
  // The chosen control if it trained in this run, else the first one that did.
  const compareWith = available.includes(chosen) ? chosen : (available[0] ?? chosen);
  const candidates = rounds.filter((r) => r.summary && r.variants.includes(compareWith));
  const round = candidates.find((r) => r.round === scrubRound) ?? candidates[candidates.length - 1];
  const ticket = round?.summary?.variants.find((v) => v.variant === 'ticket');
  const control = round?.summary?.variants.find((v) => v.variant === compareWith);
  // Shared axes: both sides start from the lower of the two curves' early-stop accuracies.
  const floor =
    ticket && control
      ? Math.max(
          0.5,
          Math.floor(
            Math.min(ticket.earlyStop.testAccuracy, control.earlyStop.testAccuracy) * 20 - 1,
          ) / 20,
        )
      : 0.9;
  return (
    <section className="panel comparison" aria-label="Side by side" data-testid="comparison">
      <h2 className="with-export">
        Side by side: the winning ticket vs a control at the same sparsity{' '}
        <FigureExport targetId="comparison" name="side-by-side" />
      </h2>
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
      {round && ticket && control ? (
        <>
          <p className="verdict" data-testid="compare-verdict">
            {describeComparison(round.remaining, ticket, control)}
          </p>
          <div className="sides">
            <Side round={round} variant="ticket" floor={floor} />
            <Side round={round} variant={compareWith} floor={floor} />
          </div>
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
