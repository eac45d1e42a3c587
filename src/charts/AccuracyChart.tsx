/**
 * Chart 1: test accuracy vs training iteration, one line per (round, variant), coloured by P_m,
 * with each line's early-stop iteration marked. A dumb view over plain arrays.
 */
import { CartesianGrid, Line, LineChart, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface AccuracySeries {
  key: string;
  label: string;
  color: string;
  dashed: boolean;
  points: readonly { iteration: number; testAccuracy: number }[];
  /** The early-stop point, once the round is complete. */
  earlyStop?: { iteration: number; testAccuracy: number };
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Whole-percent ticks from the floor to 100%: every 2% near the top, coarser below. */
function ticksFrom(floor: number): number[] {
  const step = 1 - floor > 0.2 ? 0.1 : 1 - floor > 0.1 ? 0.05 : 0.02;
  const out: number[] = [];
  for (let t = 1; t >= floor - 1e-9; t -= step) out.unshift(Math.round(t * 100) / 100);
  return out;
}

export function AccuracyChart({ series, height = 300, floor = 0.9 }: { series: AccuracySeries[]; height?: number; floor?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="iteration" type="number" domain={[0, 'dataMax']} allowDuplicatedCategory={false} label={{ value: 'training iteration', position: 'insideBottom', offset: -8 }} />
        <YAxis domain={[floor, 1]} allowDataOverflow ticks={ticksFrom(floor)} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={56} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? pct(v) : String(v))} labelFormatter={(l) => `iteration ${String(l)}`} />
        {series.map((s) => (
          <Line key={s.key} data={s.points as (typeof s.points)[number][]} dataKey="testAccuracy" name={s.label} stroke={s.color} strokeWidth={s.dashed ? 1.5 : 2} strokeDasharray={s.dashed ? '5 4' : undefined} dot={false} isAnimationActive={false} />
        ))}
        {series.map((s) => (s.earlyStop ? <ReferenceDot key={`es-${s.key}`} x={s.earlyStop.iteration} y={Math.max(floor, s.earlyStop.testAccuracy)} r={4} fill={s.color} stroke="#fff" ifOverflow="extendDomain" /> : null))}
      </LineChart>
    </ResponsiveContainer>
  );
}
