/**
 * Two stored runs overlaid (issue 4): test accuracy at early stop against P_m, one line per run
 * and variant, P_m on a log axis from 100% down. A static chart, drawn on demand and never
 * streamed to, so recharts (with its tooltips) is the right tool here; the live figures use the
 * lean SVG chart for the main thread's sake (see StreamLines.tsx). Its key is drawn beside it by
 * the caller, never over the plot (issue 15: six legend entries hid the second run).
 */
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

export interface OverlayLine {
  key: string;
  label: string;
  color: string;
  dashed: boolean;
  points: readonly { remainingPct: number; accuracy: number }[];
}

const TICKS = [100, 51.3, 21.1, 7, 3.6, 1];
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function RunsOverlay({
  lines,
  height = 300,
}: {
  lines: readonly OverlayLine[];
  height?: number;
}) {
  const all = lines.flatMap((l) => l.points);
  const low = Math.min(1, ...all.map((p) => p.remainingPct));
  const accuracies = all.map((p) => p.accuracy);
  const floor = Math.max(0, Math.floor((Math.min(...accuracies, 1) - 0.005) * 100) / 100);
  const ceil = Math.min(1, Math.ceil((Math.max(...accuracies, floor) + 0.005) * 100) / 100);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart margin={{ top: 8, right: 24, bottom: 20, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="remainingPct"
          type="number"
          scale="log"
          domain={[low, 100]}
          reversed
          ticks={TICKS.filter((t) => t >= low)}
          tickFormatter={(v: number) => `${v}%`}
          allowDataOverflow
          label={{
            value: 'weights remaining (P_m, log scale)',
            position: 'insideBottom',
            offset: -12,
          }}
        />
        <YAxis type="number" domain={[floor, ceil]} tickFormatter={pct} width={60} />
        <Tooltip
          formatter={(v) => (typeof v === 'number' ? pct(v) : String(v))}
          labelFormatter={(l) => `P_m ${String(l)}%`}
        />
        {lines.map((l) => (
          <Line
            key={l.key}
            data={[...l.points]}
            dataKey="accuracy"
            name={l.label}
            stroke={l.color}
            strokeDasharray={l.dashed ? '6 4' : undefined}
            strokeWidth={2}
            dot={{ r: 3, fill: l.dashed ? '#fff' : l.color, stroke: l.color }}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
