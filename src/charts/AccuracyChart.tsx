/**
 * Test accuracy vs training iteration, one line per (round, variant). A dumb view: props are
 * plain arrays; it never talks to the worker or the store.
 */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface AccuracySeries {
  key: string;
  label: string;
  color: string;
  dashed: boolean;
  points: { iteration: number; testAccuracy: number }[];
}

export function AccuracyChart({ series }: { series: AccuracySeries[] }) {
  return (
    <ResponsiveContainer width="100%" height={320}>
      <LineChart margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="iteration" type="number" domain={[0, 'dataMax']} allowDuplicatedCategory={false} label={{ value: 'training iteration', position: 'insideBottom', offset: -4 }} />
        <YAxis domain={[0.8, 1]} allowDataOverflow tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? `${(v * 100).toFixed(2)}%` : String(v))} labelFormatter={(l) => `iteration ${String(l)}`} />
        <Legend />
        {series.map((s) => (
          <Line key={s.key} data={s.points} dataKey="testAccuracy" name={s.label} stroke={s.color} strokeDasharray={s.dashed ? '5 4' : undefined} dot={false} isAnimationActive={false} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
