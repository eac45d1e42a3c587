/**
 * Figure 8 (issue 16, Zhou et al. 2019, "Deconstructing Lottery Tickets"): test accuracy before
 * training vs P_m. The ticket is θ0 under its mask; at iteration 0 the masks alone already
 * classify most digits, while the controls sit near chance. One seed's points appear as each
 * round starts (its first evaluation comes before its first step); over several seeds, each
 * round once every seed has finished it, as mean, ±1 sd band and dots.
 *
 * The y axis is linear from 0% to 100%, unlike Figure 1's log of the error: here the values span
 * chance (10%) to ~95%, and what the figure compares is the gap between the ticket and the
 * controls in percentage points, which a linear axis draws to scale. On log error the controls
 * (6-19%) and chance would crowd into the bottom tenth while 80% and 92% sat far apart.
 */
import { memo, useMemo } from 'react';
import { PmChart } from '../charts/PmChart';
import { LENET_300_100 } from '../engine/config';
import { beforeOfStarts, beforeOfTrials } from '../state/before-training';
import { useRoundStarts, useRunConfig, useTrialRounds } from '../state/selectors';
import { beforeCaption, beforeSeries } from './before-series';
import { Figure } from './Figure';
import { seedsKey } from './pm-series';

const pct = (x: number, d = 0) => `${(100 * x).toFixed(d)}%`;
const AXIS = { domain: [0, 1] as [number, number], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] };

export const BeforeTrainingFigure = memo(function BeforeTrainingFigure({
  presenter,
}: {
  presenter: boolean;
}) {
  const config = useRunConfig();
  const starts = useRoundStarts();
  const trialRounds = useTrialRounds();
  const seeds = config?.training.trials ?? 1;
  const data = useMemo(
    () => (seeds > 1 ? beforeOfTrials(trialRounds) : beforeOfStarts(starts)),
    [seeds, trialRounds, starts],
  );
  const series = useMemo(() => beforeSeries(data), [data]);
  const chance = 1 / ((config?.model.layers ?? LENET_300_100).at(-1) ?? 10);
  const caption = useMemo(
    () => beforeCaption(data, { testSize: config?.data.testSize ?? 10_000, chance }),
    [data, config, chance],
  );
  return (
    <Figure
      id="before-training"
      title="8 · Test accuracy before training vs weights remaining"
      caption={`Each round's first evaluation, before its first training step: the ticket is θ0 under its mask. ${caption}`}
    >
      <PmChart
        series={series}
        yLabel="test accuracy before training"
        format={(v) => pct(v)}
        valueFormat={(v) => pct(v, 2)}
        yAxis={AXIS}
        yGuides={[{ y: chance, label: `chance ${pct(chance)}` }]}
        presenter={presenter}
        {...(seeds > 1 ? { spreadKey: seedsKey(seeds) } : {})}
      />
    </Figure>
  );
});
