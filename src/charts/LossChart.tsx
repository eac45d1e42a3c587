/** Chart 7: training and validation loss of one round's variants. */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface LossSeries {
  key: string;
  label: string;
  color: string;
  points: readonly { iteration: number; trainLoss: number; validationLoss: number }[];
}

export function LossChart({ series, height = 240 }: { series: LossSeries[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="iteration" type="number" domain={[0, 'dataMax']} allowDuplicatedCategory={false} label={{ value: 'training iteration', position: 'insideBottom', offset: -8 }} />
        <YAxis scale="log" domain={['auto', 'auto']} allowDataOverflow tickFormatter={(v: number) => v.toFixed(2)} width={56} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} labelFormatter={(l) => `iteration ${String(l)}`} />
        <Legend verticalAlign="top" height={24} />
        {series.flatMap((s) => [
          <Line key={`${s.key}-t`} data={s.points as (typeof s.points)[number][]} dataKey="trainLoss" name={`${s.label}, train`} stroke={s.color} strokeOpacity={0.45} dot={false} isAnimationActive={false} />,
          <Line key={`${s.key}-v`} data={s.points as (typeof s.points)[number][]} dataKey="validationLoss" name={`${s.label}, validation`} stroke={s.color} strokeWidth={2} dot={false} isAnimationActive={false} />,
        ])}
      </LineChart>
    </ResponsiveContainer>
  );
}
