/**
 * Charts 2 and 3 (the paper's Figure 4): a per-round measure of every variant against P_m, on a
 * log-scaled axis that runs from 100% down to 1% as pruning goes on.
 */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface PmSeries {
  key: string;
  label: string;
  color: string;
  dashed: boolean;
  points: readonly { remainingPct: number; value: number }[];
}

const TICKS = [100, 51.3, 21.1, 7, 3.6, 1];

export function PmChart({ series, yLabel, format, domain, height = 260 }: { series: PmSeries[]; yLabel: string; format: (v: number) => string; domain?: [number | 'auto', number | 'auto']; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="remainingPct" type="number" scale="log" domain={[1, 100]} reversed ticks={TICKS} allowDuplicatedCategory={false} tickFormatter={(v: number) => `${v}%`} label={{ value: 'weights remaining (P_m, log scale)', position: 'insideBottom', offset: -8 }} />
        <YAxis domain={domain ?? ['auto', 'auto']} tickFormatter={format} width={60} label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 12, style: { textAnchor: 'middle' } }} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? format(v) : String(v))} labelFormatter={(l) => `P_m ${Number(l).toFixed(1)}%`} />
        <Legend verticalAlign="top" height={24} />
        {series.map((s) => (
          <Line key={s.key} data={s.points as (typeof s.points)[number][]} dataKey="value" name={s.label} stroke={s.color} strokeWidth={2} strokeDasharray={s.dashed ? '5 4' : undefined} dot={{ r: 3 }} isAnimationActive={false} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
