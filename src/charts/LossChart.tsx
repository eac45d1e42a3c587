/** Chart 7: training (faint) and validation (strong) loss of one round's variants, log scale. */
import { useMemo } from 'react';
import { LineSwatch } from './LineSwatch';
import { type StreamSeries, StreamLines } from './StreamLines';
import { xyOf } from './xy';

export interface LossSeries {
  key: string;
  label: string;
  color: string;
  points: readonly { iteration: number; trainLoss: number; validationLoss: number }[];
}

const TICKS = [0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3];

export function LossChart({
  series,
  height = 240,
  presenter = false,
}: {
  series: LossSeries[];
  height?: number;
  /** Projector size (StreamLines). */
  presenter?: boolean;
}) {
  const lines = useMemo<StreamSeries[]>(
    () =>
      series.flatMap((s) => [
        {
          key: `${s.key}-t`,
          label: `${s.label}, train`,
          color: s.color,
          opacity: 0.45,
          width: 1.5,
          points: xyOf(s.points, 'iteration', 'trainLoss'),
        },
        {
          key: `${s.key}-v`,
          label: `${s.label}, validation`,
          color: s.color,
          points: xyOf(s.points, 'iteration', 'validationLoss'),
        },
      ]),
    [series],
  );
  const domain = useMemo<[number, number]>(() => {
    const ys = lines
      .flatMap((l) => l.points.map((p) => p.y))
      .filter((v) => v > 0 && Number.isFinite(v));
    if (ys.length === 0) return [0.03, 3];
    return [Math.max(0.01, Math.min(...ys) * 0.9), Math.max(...ys) * 1.1];
  }, [lines]);
  const ticks = TICKS.filter((t) => t >= domain[0] && t <= domain[1]);
  return (
    <>
      <StreamLines
        series={lines}
        yDomain={domain}
        yTicks={ticks}
        yFormat={(v) => String(v)}
        valueFormat={(v) => v.toFixed(3)}
        xName="iteration"
        yLabel="loss (log scale)"
        logY
        xLabel="training iteration"
        height={height}
        presenter={presenter}
        label={`Training and validation loss, ${series.length} variants`}
      />
      <p className="legend">
        {series.map((s) => (
          <span key={s.key}>
            <LineSwatch color={s.color} /> {s.label}
          </span>
        ))}{' '}
        <span className="muted">faint: training, strong: validation</span>
      </p>
    </>
  );
}
