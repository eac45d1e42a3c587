/** Chart 4: the fraction of each layer's weights remaining, round by round. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const COLORS = ['#1f5fd6', '#2a9d8f', '#e9c46a', '#e76f51'];

export function RemainingChart({ rounds, layerNames, height = 220 }: { rounds: readonly { round: number; layers: readonly number[] }[]; layerNames: readonly string[]; height?: number }) {
  const data = rounds.map((r) => Object.fromEntries([['round', r.round], ...r.layers.map((v, i) => [`l${i}`, v])]));
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="round" label={{ value: 'round', position: 'insideBottom', offset: -8 }} />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={56} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v))} labelFormatter={(l) => `round ${String(l)}`} />
        <Legend verticalAlign="top" height={24} />
        {layerNames.map((name, i) => (
          <Bar key={name} dataKey={`l${i}`} name={name} fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
