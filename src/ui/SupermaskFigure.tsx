/**
 * Figure 9 (issue 16): the instant supermask slider (Zhou et al. 2019). Once the dense round has
 * trained, a P_m slider applies a one-shot mask (largest |final weight| of the dense net's trained
 * weights) to θ0 and to those trained weights; the worker answers both test accuracies, and the
 * figure draws every answered point beside chance and the run's own tickets before training.
 */
import { useEffect, useMemo, useState } from 'react';
import { PmChart, type PmSeries } from '../charts/PmChart';
import { askSupermask } from '../effects/worker-bridge';
import { VARIANT_COLOR } from '../settings/labels';
import { curveOf } from '../state/derive';
import { useKeptWeights, useRounds, useRunStatus, useSupermask, useUi } from '../state/selectors';
import { pct } from './captions';
import { CHANCE, signsCaption, supermaskReadout } from './captions-supermask';
import { Figure } from './Figure';

/** The slider runs on log10(P_m in %): 2% (10^0.3) … 100% in steps of 0.01 (2.3% apart). */
const LOG_MIN = 0.3;
const LOG_MAX = 2;
const pmOf = (log: number) => Math.min(1, 10 ** log / 100);

export function SupermaskFigure() {
  const weights = useKeptWeights();
  const supermask = useSupermask();
  const rounds = useRounds();
  const { presenter } = useUi();
  const [log, setLog] = useState(LOG_MAX);
  const { state } = useRunStatus();
  // A round in flight holds the kernels: the worker answers when it ends (weights-desk.ts).
  const pendingText =
    state === 'running'
      ? `P_m ${pct(supermask.asked?.pm ?? 1)} waits for the round in flight to end: the run holds the kernels, and its numbers stay untouched.`
      : `Computing P_m ${pct(supermask.asked?.pm ?? 1)}…`;
  const ready = weights.rounds.includes(0);
  // Once the dense round has trained: P_m 100% on screen, and the starting points of the figure.
  const fresh = ready && supermask.asked === null && supermask.points.length === 0;
  useEffect(() => {
    if (fresh) askSupermask(1, true);
  }, [fresh]);

  const series = useMemo<PmSeries[]>(() => {
    const pts = supermask.points;
    const before = rounds.flatMap((r) => {
      const p0 = curveOf(r, 'ticket')[0];
      return p0 && p0.iteration === 0 && r.round > 0
        ? [{ remainingPct: r.remaining * 100, value: p0.testAccuracy }]
        : [];
    });
    const low = Math.min(
      2,
      ...pts.map((p) => p.remaining * 100),
      ...before.map((b) => b.remainingPct),
    );
    return [
      {
        key: 'supermask',
        label: 'θ0 under the mask (supermask, never trained)',
        color: VARIANT_COLOR.ticket,
        dashed: false,
        points: pts.map((p) => ({ remainingPct: p.remaining * 100, value: p.supermaskAccuracy })),
      },
      {
        key: 'pruned',
        label: 'trained dense weights under the mask (not retrained)',
        color: VARIANT_COLOR.reinit,
        dashed: false,
        points: pts.map((p) => ({ remainingPct: p.remaining * 100, value: p.prunedAccuracy })),
      },
      ...(before.length
        ? [
            {
              key: 'ticket-before',
              label: "this run's ticket before training, per round",
              color: VARIANT_COLOR.rearrange,
              dashed: true,
              points: before,
            },
          ]
        : []),
      {
        key: 'chance',
        label: `chance (${pct(CHANCE, 0)})`,
        color: '#6b6b6b',
        dashed: true,
        points: [
          { remainingPct: 100, value: CHANCE },
          { remainingPct: low, value: CHANCE },
        ],
      },
    ];
  }, [supermask.points, rounds]);

  const latest = supermask.latest;
  const waiting =
    supermask.asked !== null && latest?.pm !== supermask.asked.pm && supermask.error === null;
  return (
    <Figure
      id="supermask"
      title="9 · Masks of θ0 at any P_m, no training (the supermask slider)"
      caption={`A one-shot mask at P_m keeps the largest trained weights of the dense net${ready || weights.noDense ? '' : ' (once the dense round has trained)'}; the same mask on θ0 has never been trained.`}
    >
      {weights.none !== null ? (
        <p className="muted" data-testid="supermask-none">
          No trained weights for this run:{' '}
          {weights.none.endsWith('…') ? weights.none : `${weights.none}.`}
        </p>
      ) : weights.noDense !== null ? (
        <p className="muted" data-testid="supermask-none">
          No slider for this run: {weights.noDense}.
        </p>
      ) : !ready ? (
        <p className="muted" data-testid="supermask-wait">
          The slider works once the dense round (round 0) has trained.
        </p>
      ) : (
        <>
          <p className="setting-row">
            <label htmlFor="supermask-pm">P_m of the one-shot mask</label>
            <input
              id="supermask-pm"
              type="range"
              data-testid="supermask-pm"
              min={LOG_MIN}
              max={LOG_MAX}
              step={0.01}
              value={log}
              aria-valuetext={pct(pmOf(log))}
              onChange={(e) => {
                const v = Number(e.target.value);
                setLog(v);
                askSupermask(pmOf(v));
              }}
            />
            <output data-testid="supermask-pm-value">{pct(pmOf(log))}</output>
          </p>
          <p
            aria-live="polite"
            data-testid="supermask-readout"
            data-pm={latest?.pm}
            data-ms={latest?.ms}
            data-preview={latest?.preview}
          >
            {supermask.error
              ? `Not computed: ${supermask.error}.`
              : latest
                ? `${supermaskReadout(latest)}${waiting ? ` ${pendingText}` : ''}`
                : waiting
                  ? pendingText
                  : 'Drag the slider (or use the arrow keys) to mask θ0 and the trained weights at any P_m.'}
          </p>
          {latest && (
            <p className="caption" data-testid="supermask-signs">
              {signsCaption(latest)}
            </p>
          )}
        </>
      )}
      <PmChart
        series={series}
        yLabel="test accuracy"
        format={(v) => pct(v, 0)}
        presenter={presenter}
      />
    </Figure>
  );
}
